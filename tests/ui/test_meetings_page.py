"""A whole meeting through the page: sign in 30 people at the door, advance the agenda, vote by named
ballots with the keyboard, and the projector shows the current item and the computed result.
Minutes are saved while typing, so killing the app loses at most the last seconds."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from renewal_desk.core.models import MeetingKind, MotionState, RoundState
from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings.page import AUTOSAVE_MS, MeetingsPage


def _meeting(db):
    mid = svc.create_meeting(db, svc.MeetingInput("加装电梯业主大会", datetime.now() - timedelta(minutes=5), MeetingKind.OWNERS, 1,
                                                  place="社区活动室", chair="李主任", recorder="张敏"))
    svc.invite_households(db, mid)
    items = [svc.add_item(db, mid, title, presenter, 10) for title, presenter in
             (("方案介绍", "设计师"), ("业主提问", ""), ("表决：加装电梯", "李主任"))]
    return mid, items


def _page(qtbot, db):
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    return page


def test_whole_meeting_sign_in_agenda_vote_and_projector(qtbot, demo_db, monkeypatch):
    mid, items = _meeting(demo_db)
    page = _page(qtbot, demo_db)
    assert page.meeting.id == mid
    people = svc.attendees(demo_db, mid)
    assert len(people) == 120
    # 30 people signed in at the door by typing their room (building/unit/room is unique) and Enter
    for person in people[:30]:
        page.sign_in_tab.search.setText(person.address)  # typed (QTest cannot type Chinese; the signal is the same)
        assert page.sign_in_tab.shown_attendees[0].id == person.id
        qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "实到 30" in page.sign_in_tab.counts.text(), timeout=10000)
    assert "应到 120" in page.sign_in_tab.counts.text()
    # agenda: next, next, next — the third item is under discussion
    for _ in range(3):
        page.agenda_tab.step(1)
    qtbot.waitUntil(lambda: page.agenda_tab.item_rows and page.agenda_tab.item_rows[2].current, timeout=10000)
    page.show_projector()
    assert page.projector.isVisible()
    qtbot.waitUntil(lambda: "表决：加装电梯" in page.projector.current.text(), timeout=5000)
    assert "▶ 3. 表决：加装电梯" in page.projector.visible_text()  # the agenda slide
    # the motion: Art. 278 special matter, named ballots keyed in: 24 yes, 4 no, 2 abstain
    motion = svc.add_motion(demo_db, mid, svc.MotionInput("加装电梯", matter="special", method="named", item_id=items[2]))
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    page.tabs.setCurrentIndex(2)
    page.votes_tab.motion_view.selectRow(0)
    page.votes_tab.start_vote()
    qtbot.waitUntil(lambda: page.votes_tab.voter_view.isVisible() and len(page.votes_tab.voters) == 30, timeout=10000)
    page.votes_tab.voter_view.selectRow(0)
    page.votes_tab.voter_view.setFocus()
    for key in [Qt.Key.Key_Y] * 24 + [Qt.Key.Key_N] * 4 + [Qt.Key.Key_A] * 2:
        qtbot.keyClick(page.votes_tab.voter_view, key)
    expected = svc.motion_result(demo_db, motion).result
    page.update_projector(force=True)
    assert "通过" not in page.projector.visible_text() and "正在表决" in page.projector.visible_text()  # not declared
    assert (expected.participating_owners, expected.yes_owners, expected.no_owners) == (30, 24, 4)
    from PySide6.QtWidgets import QMessageBox

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    page.votes_tab.close_vote()
    assert "宣布“加装电梯”的表决结果" in asked[0] and "24 人" in asked[0]  # the figures, before declaring
    qtbot.waitUntil(lambda: page.votes_tab.motion_rows and page.votes_tab.motion_rows[0].motion.state == MotionState.DECIDED, timeout=10000)
    # 30 of 120 owners took part: quorum (2/3) not reached, so not passed — on the page and on the wall
    assert not expected.passed
    assert page.votes_tab.result_label.text() == "未通过"
    figures = {page.votes_tab.figure_model.rows[i][0]: page.votes_tab.figure_model.rows[i][1] for i in range(len(page.votes_tab.figure_model.rows))}
    assert figures["赞成"].startswith("24 人") and "未达到三分之二" in figures["原因"]
    wall = page.projector.visible_text()
    assert "未通过" in wall and "赞成 24 人" in wall and "30/120 人" in wall and "民法典第二百七十八条" in wall
    assert "表决：加装电梯" in page.projector.current.text()
    # nothing personal on the wall
    assert people[0].name not in wall
    # the residents' ordering results can go on the wall too
    from renewal_desk.core.services import ordering

    rid = ordering.create_round(demo_db, 1, "2026年居民点单")
    ordering.set_round_state(demo_db, rid, RoundState.OPEN)
    green = next(m for m in ordering.menu(demo_db, 1) if m.name == "绿化整治")
    ordering.record_order(demo_db, rid, ordering.OrderInput(people[0].household_id, {green.id: (1, "yes")}))
    with qtbot.waitSignal(page.loaded, timeout=10000):  # read off the GUI thread
        page.wall_ordering.setChecked(True)
    assert "2026年居民点单" in page.projector.visible_text() and "1. 绿化整治" in page.projector.visible_text()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.wall_ordering.setChecked(False)
    assert page.projector.slide.kind == "motion" and "未通过" in page.projector.visible_text()
    page.projector.close()
    page.projector.deleteLater()


def test_minutes_are_saved_while_typing_without_pressing_save(qtbot, demo_db):
    mid, items = _meeting(demo_db)
    svc.set_current_item(demo_db, mid, items[1])
    page = _page(qtbot, demo_db)
    page.agenda_tab.agenda.setCurrentRow(1)
    page.agenda_tab.speaker.insert("3号楼 王阿姨")
    for ch in "一楼住户担心采光，希望补偿":  # one keystroke at a time, as typed
        page.agenda_tab.speech.insertPlainText(ch)
    qtbot.waitUntil(lambda: [s.content for s in svc.speeches(demo_db, items[1])] == ["一楼住户担心采光，希望补偿"],
                    timeout=AUTOSAVE_MS * 4)
    assert svc.speeches(demo_db, items[1])[0].speaker == "3号楼 王阿姨"
    assert page.agenda_tab.saved_label.text().startswith("已保存")
    # someone signs in at the door meanwhile: the page reloads, the typist's text stays where it is
    page.agenda_tab.speech.insertPlainText("。")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    assert page.agenda_tab.speech.toPlainText() == "一楼住户担心采光，希望补偿。"


KILL_SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer, Qt
    from PySide6.QtWidgets import QApplication
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import meetings as svc
    from renewal_desk.ui.meetings import MeetingsPage

    app = QApplication([])
    db = open_database(sys.argv[1], operator="kill-test")
    page = MeetingsPage(db)
    page.show()
    text = "业主提出施工时间应避开午休和晚上，材料堆放不得占用消防通道。" * 20
    typed = [0]

    def type_one():
        page.agenda_tab.speech.insertPlainText(text[typed[0]])
        typed[0] += 1
        print(typed[0], flush=True)

    timer = QTimer()
    timer.timeout.connect(type_one)

    def ready():
        page.agenda_tab.agenda.setCurrentRow(1)
        timer.start(40)  # about 25 characters a second: a fast typist, never pausing

    page.loaded.connect(ready, type=Qt.ConnectionType.SingleShotConnection)
    app.exec()
""")


def test_killing_the_app_mid_meeting_loses_only_the_last_seconds(tmp_path, demo_db):
    mid, items = _meeting(demo_db)
    svc.set_current_item(demo_db, mid, items[1])
    script = tmp_path / "type_minutes.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    import renewal_desk

    root = os.path.dirname(os.path.dirname(renewal_desk.__file__))  # the code under test, not an installed copy
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH")))))
    proc = subprocess.Popen([sys.executable, str(script), str(demo_db.path)], stdout=subprocess.PIPE, text=True,
                            env=env)
    typed = 0
    deadline = time.monotonic() + 60
    while typed < 120 and time.monotonic() < deadline:  # about five seconds of continuous typing
        line = proc.stdout.readline()
        if not line:
            break
        typed = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert typed >= 120, "the typing process did not start"
    saved = svc.speeches(demo_db, items[1])
    assert saved, "nothing of the minutes was saved"
    text = "业主提出施工时间应避开午休和晚上，材料堆放不得占用消防通道。" * 20
    content = saved[0].content
    assert text.startswith(content)
    lost = typed - len(content)
    # at most the autosave interval plus a little for the write: under three seconds of typing (25 chars/s)
    assert 0 <= lost <= 75, f"lost {lost} characters"
    from renewal_desk.core.db import open_database

    assert open_database(demo_db.path).check().ok


def test_the_english_page_shows_english_kinds_states_categories_and_task_statuses(qtbot, db, english_ui):
    """Stored codes are shown through the label tables in the user's language (issue 21), not as the
    Chinese text they were stored as before 0022."""
    from PySide6.QtWidgets import QPushButton

    from renewal_desk.core.models import Category, TaskStatus

    mid = svc.create_meeting(db, svc.MeetingInput("Owners' meeting", datetime.now() - timedelta(minutes=5),
                                                  MeetingKind.OWNERS))
    svc.add_attendee(db, mid, svc.AttendeeInput("Li Ming", Category.PROPERTY, "Property office"))
    svc.add_item(db, mid, "Plan", "", 10)
    svc.start_meeting(db, mid)
    task = svc.add_task(db, mid, svc.TaskInput("Fix the roof", "Builder"))
    svc.update_task(db, task, status=TaskStatus.DONE)
    page = _page(qtbot, db)
    qtbot.waitUntil(lambda: "owners' assembly · in progress" == page.state.text(), timeout=10000)
    assert page.meeting_box.currentText().endswith("[in progress]")
    assert page.sign_in_tab.attendee_model.index(0, 2).data() == "property management"
    assert page.tasks_tab.task_model.index(0, 3).data() == "done"
    marks = {b.text() for b in page.tasks_tab.findChildren(QPushButton) if b.text().startswith("Mark: ")}
    assert marks == {"Mark: to do", "Mark: in progress", "Mark: done", "Mark: cancelled"}
