"""Meeting day, end to end, through the real widgets of the main window only (issue 22, "Done when"): the demo
estate comes from the fixture, the meeting entirely from the UI — 新建会议 dialog, agenda items, 30 sign-ins at the
door by typed search (an ambiguous name, a proxy, a walk-in, a repeat and a miss), minutes with Ctrl+Enter, a named
Art. 278 vote scoped to one building, a show of hands and a paper vote, each declared after its confirmation, a
resolution proposed by a passed motion, tasks, 结束会议 — then sign-in, item deletion and ballots are refused.
Modal questions (QMessageBox / QInputDialog) are answered by replacing them; dialogs of the app are filled."""

from datetime import datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton

from renewal_desk.core.models import MotionState
from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.main_window import SECTIONS
from renewal_desk.ui.meetings.dialogs import (AttendeeDialog, ItemDialog, MeetingDialog, MotionDialog, ProxyDialog,
                                              TaskDialog)


def _button(widget, text):
    found = [b for b in widget.findChildren(QPushButton) if b.text() == text]
    assert len(found) == 1, (text, len(found))
    return found[0]


def _in_dialog(qtbot, page, kind, click, fill, reload=True):
    """Press a button that opens one of the app's modal dialogs; `fill` types into it and saves, as a user would."""
    seen = []

    def work():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, kind), dialog
        seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(0, work)
    if reload:
        with qtbot.waitSignal(page.loaded, timeout=10000):
            click()
    else:
        click()
    assert seen and seen[0].result() == kind.DialogCode.Accepted, kind


def _type_enter(qtbot, page, text, ascii_typed=True):
    tab = page.sign_in_tab
    tab.search.clear()
    if ascii_typed:
        qtbot.keyClicks(tab.search, text)
    else:
        tab.search.setText(text)  # Chinese text cannot be typed key by key under pytest-qt
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)


def test_a_meeting_day_through_the_window(qtbot, window, monkeypatch):
    db = window.db
    window.nav.setCurrentRow(SECTIONS.index("meetings"))
    page = window.pages["meetings"]
    asked, told = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: told.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    proposals = []

    def multi_line(_parent, _title, _label, text="", *a, **k):
        proposals.append(text)
        return text, True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", multi_line)

    # --- prepare: the meeting, its invitees and agenda -------------------------------------------------------
    starts = datetime.now().replace(second=0, microsecond=0) - timedelta(minutes=10)

    def fill_meeting(d):
        d.title.setText("1号楼加装电梯业主大会")
        d.kind.setCurrentText("业主大会")
        d.project.setCurrentIndex(1)
        d.starts.setDateTime(QDateTime(QDate(starts.year, starts.month, starts.day), QTime(starts.hour, starts.minute)))
        d.ends.setDateTime(d.starts.dateTime().addSecs(2 * 3600))
        d.place.setText("社区党群服务中心")
        d.chair.setText("李主任")
        d.recorder.setText("张敏")
        d.scrutineers.setText("王芳、赵强")
        d.save()

    _in_dialog(qtbot, page, MeetingDialog, _button(page, "新建会议…").click, fill_meeting)
    meeting = page.meeting
    assert meeting.title == "1号楼加装电梯业主大会" and meeting.chair == "李主任" and meeting.project_id == 1
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page.sign_in_tab, "邀请项目范围内住户").click()
    invited = page.sign_in_tab.attendee_rows
    assert len(invited) == 120
    page.tabs.setCurrentIndex(1)
    for title, presenter in (("加装电梯方案介绍", "设计师 王工"), ("表决：1号楼加装电梯", "李主任"), ("楼道清理与车棚", "")):
        def fill_item(d, title=title, presenter=presenter):
            d.title.setText(title)
            d.presenter.setText(presenter)
            d.save()
        _in_dialog(qtbot, page, ItemDialog, _button(page.agenda_tab, "添加…").click, fill_item)
    assert [r.title for r in page.agenda_tab.item_rows] == ["加装电梯方案介绍", "表决：1号楼加装电梯", "楼道清理与车棚"]
    assert not _button(page, "结束会议").isEnabled()  # 筹备中: it starts first
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page, "开始会议").click()
    assert page.meeting.status == svc.MeetingStatus.RUNNING and not told  # on the day: no warning
    assert not _button(page, "开始会议").isEnabled() and _button(page, "结束会议").isEnabled()

    # --- sign-in at the door --------------------------------------------------------------------------------
    page.tabs.setCurrentIndex(0)
    tab = page.sign_in_tab
    building1 = sorted((a for a in invited if a.address.startswith("1号楼")), key=lambda a: -a.area)
    doubles = [a for a in invited if sum(b.name == a.name for b in invited) > 1]
    assert len(doubles) == 2  # two owners share a name: typing it shows both
    proxy_for = building1[0]
    typed = [a for a in building1[1:28] if a not in doubles]
    others = [a for a in invited if not a.address.startswith("1号楼") and a not in doubles]
    typed += others[:28 - len(typed)]  # 28 typed + the ambiguous name + the proxy = 30
    for a in typed:  # the phone number typed in full: one match, Enter signs in
        with qtbot.waitSignal(page.loaded, timeout=10000):
            _type_enter(qtbot, page, a.phone)
        assert tab.door_banner.text() == f"已签到：{a.name}", a
    # the ambiguous name: the first Enter shows the choice, ↓ moves the highlight, Enter signs in that row only
    _type_enter(qtbot, page, doubles[0].name, ascii_typed=False)
    assert tab.door_banner.text().startswith(f"有 2 人符合“{doubles[0].name}”")
    assert all(r.signed_in_at is None for r in svc.attendees(db, meeting.id) if r.name == doubles[0].name)
    qtbot.keyClick(tab.search, Qt.Key.Key_Down)
    chosen = tab.shown_attendees[tab.attendee_view.currentIndex().row()]
    assert tab.attendee_view.currentIndex().row() == 1
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    signed = {r.id: r for r in svc.attendees(db, meeting.id) if r.name == doubles[0].name}
    assert signed[chosen.id].signed_in_at is not None
    assert [r.signed_in_at for i, r in signed.items() if i != chosen.id] == [None]
    # someone already signed in, and a number nobody has: the page says so beside the figures
    _type_enter(qtbot, page, typed[0].phone)
    assert "已于" in tab.door_banner.text() and typed[0].name in tab.door_banner.text()
    _type_enter(qtbot, page, "99999999999")
    assert "99999999999" in tab.door_banner.text()
    # a proxy: found by the phone, signed in through 代理签到…
    tab.search.clear()
    qtbot.keyClicks(tab.search, proxy_for.phone)
    assert tab.shown_attendees[0].id == proxy_for.id

    def fill_proxy(d):
        d.proxy.setText("陈晓梅（女儿）")
        d.save()

    _in_dialog(qtbot, page, ProxyDialog, _button(tab, "代理签到…").click, fill_proxy)
    # staff of the sub-district attend without a vote (列席)
    def fill_walk_in(d):
        d.name.setText("街道城建科 刘工")
        d.category.setCurrentText("部门")
        d.organisation.setText("街道城建科")
        d.save()

    _in_dialog(qtbot, page, AttendeeDialog, _button(tab, "列席签到…").click, fill_walk_in)
    rows = svc.attendees(db, meeting.id)
    present = [r for r in rows if r.expected and r.signed_in_at]
    assert len(present) == 30 and [r.id for r in rows if r.proxy_name.startswith("陈晓梅")] == [proxy_for.id]
    assert "应到 120" in tab.counts.text() and "实到 30" in tab.counts.text() and "列席 1" in tab.counts.text()

    # --- minutes: Ctrl+Enter starts the next speaker ---------------------------------------------------------
    page.tabs.setCurrentIndex(1)
    window.activateWindow()  # back from the dialogs: the keys go to the window again
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    agenda = page.agenda_tab
    first_item = page.agenda_tab.item_rows[0].id
    assert agenda.item_heading.text() == "正在讨论：1. 加装电梯方案介绍"
    for speaker, words in (("设计师 王工", "电梯井道设在北侧，不占用楼道。"), ("1单元 住户", "低层住户的采光要保证。")):
        agenda.speaker.setText(speaker)
        agenda.speech.setFocus()
        agenda.speech.setPlainText(words)
        qtbot.keyClick(agenda.speech, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: agenda.speech.toPlainText() == "" and agenda.speaker.text() == "", timeout=5000)
    agenda.summary.setPlainText("与会业主听取方案，关注采光和费用分摊。")
    agenda.save_minutes()
    assert [(s.speaker, s.content) for s in svc.speeches(db, first_item)] == [
        ("设计师 王工", "电梯井道设在北侧，不占用楼道。"), ("1单元 住户", "低层住户的采光要保证。")]
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.keyClick(page.agenda_tab.agenda, Qt.Key.Key_PageDown)  # on to the vote
    assert agenda.item_heading.text() == "正在讨论：2. 表决：1号楼加装电梯"

    # --- a named Art. 278 vote of 1号楼's owners ------------------------------------------------------------------
    page.tabs.setCurrentIndex(2)
    votes_tab = page.votes_tab

    def fill_elevator(d):
        d.title.setText("同意1号楼加装电梯")
        d.text.setPlainText("1号楼加装电梯一部，费用按专有面积分摊。")
        d.matter.setCurrentIndex(d.matter.findData("special"))
        d.method.setCurrentIndex(d.method.findData("named"))
        d.scope.setCurrentIndex(d.scope.findData("buildings"))
        d.scope_list.findItems("1号楼", Qt.MatchFlag.MatchExactly)[0].setSelected(True)
        d.save()

    _in_dialog(qtbot, page, MotionDialog, _button(votes_tab, "新建表决事项…").click, fill_elevator)
    assert "1号楼" in votes_tab.scope_label.text() and "36" in votes_tab.scope_label.text()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(votes_tab, "开始表决").click()
    voters = votes_tab.voters
    in_building = sorted(a.id for a in present if a.address.startswith("1号楼"))
    assert sorted(v.attendee_id for v in voters) == in_building and len(voters) >= 28  # 1号楼's owners in the room
    votes_tab.voter_view.setFocus()
    votes_tab.voter_view.selectRow(0)
    for n in range(len(voters)):
        qtbot.keyClick(votes_tab.voter_view, Qt.Key.Key_N if n == 5 else Qt.Key.Key_Y)
    elevator = votes_tab.current_motion()
    assert elevator.result.yes_owners == len(voters) - 1 and elevator.result.eligible_owners == 36
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(votes_tab, "宣布结果").click()
    assert "同意1号楼加装电梯" in asked[-1] and f"（{len(voters) - 1}/{len(voters)} 人）" in asked[-1]  # the confirmation shows the figures
    qtbot.waitUntil(lambda: len(page.tasks_tab.resolution_rows) == 1, timeout=10000)
    assert proposals[-1] == "经表决，通过“同意1号楼加装电梯”：1号楼加装电梯一部，费用按专有面积分摊。"
    assert page.tasks_tab.resolution_rows[0].motion_id == elevator.motion.id

    # --- a show of hands -------------------------------------------------------------------------------------
    def fill_hands(d):
        d.title.setText("同意清理楼道堆物")
        d.matter.setCurrentIndex(d.matter.findData("consultative"))
        d.method.setCurrentIndex(d.method.findData("hands"))
        d.save()

    _in_dialog(qtbot, page, MotionDialog, _button(votes_tab, "新建表决事项…").click, fill_hands)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(votes_tab, "开始表决").click()
    assert votes_tab.current_motion().motion.counts["present"] == 30  # the staff member does not vote
    votes_tab.count_edits["yes"].setValue(26)
    votes_tab.count_edits["no"].setValue(3)
    _button(votes_tab, "保存票数").click()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(votes_tab, "宣布结果").click()
    hands = next(m for m in votes_tab.motion_rows if m.motion.title == "同意清理楼道堆物")
    assert hands.motion.state == MotionState.DECIDED and hands.result.passed and hands.result.yes_owners == 26
    qtbot.waitUntil(lambda: len(page.tasks_tab.resolution_rows) == 2, timeout=10000)

    # --- a paper vote of the whole project, counted afterwards ------------------------------------------------
    def fill_paper(d):
        d.title.setText("同意使用维修资金更换水泵")
        d.matter.setCurrentIndex(d.matter.findData("ordinary"))
        d.method.setCurrentIndex(d.method.findData("paper"))
        d.save()

    _in_dialog(qtbot, page, MotionDialog, _button(votes_tab, "新建表决事项…").click, fill_paper)
    total = votes_tab.totals.area
    assert votes_tab.totals.owners == 120
    for key, owners, share in (("yes", 85, Decimal("0.72")), ("no", 6, Decimal("0.04")), ("abstain", 1, Decimal("0.005"))):
        votes_tab.count_edits[key].setValue(owners)
        votes_tab.area_edits[key].clear()
        qtbot.keyClicks(votes_tab.area_edits[key], f"{(total * share).quantize(Decimal('0.01'))}")
    _button(votes_tab, "保存票数").click()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(votes_tab, "宣布结果").click()
    paper = next(m for m in votes_tab.motion_rows if m.motion.title == "同意使用维修资金更换水泵")
    assert paper.motion.state == MotionState.DECIDED and paper.result.passed and paper.result.eligible_owners == 120
    qtbot.waitUntil(lambda: len(page.tasks_tab.resolution_rows) == 3, timeout=10000)

    # --- resolutions and tasks -------------------------------------------------------------------------------
    page.tabs.setCurrentIndex(3)
    for title, owner in (("报送1号楼加装电梯方案", "张敏"), ("联系施工单位清理楼道", "物业 周经理")):
        def fill_task(d, title=title, owner=owner):
            d.title.setText(title)
            d.owner.setText(owner)
            d.deadline.setDate(QDate.currentDate().addDays(14))
            d.resolution.setCurrentIndex(1)
            d.save()
        _in_dialog(qtbot, page, TaskDialog, _button(page.tasks_tab, "添加任务…").click, fill_task)
    assert [t.title for t in page.tasks_tab.task_rows] == ["报送1号楼加装电梯方案", "联系施工单位清理楼道"]

    # --- end the meeting: it asks, saying what stays open ------------------------------------------------------
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page, "结束会议").click()
    assert "楼道清理与车棚" in asked[-1]  # an item without minutes
    assert page.meeting.status == svc.MeetingStatus.ENDED and page.read_only_banner.isVisible()

    # --- afterwards it is a record: sign-in, item deletion and ballots refused ------------------------------------
    page.tabs.setCurrentIndex(0)
    late = next(a for a in invited if a.signed_in_at is None and a not in typed and a not in doubles
                and a.id != proxy_for.id)
    _type_enter(qtbot, page, late.phone)
    assert "已结束" in tab.door_banner.text()
    page.tabs.setCurrentIndex(1)
    page.agenda_tab.agenda.setCurrentRow(2)
    page.agenda_tab.delete_item()  # its button is greyed; the action itself is refused too
    assert "已结束" in told[-1]
    page.tabs.setCurrentIndex(2)
    votes_tab.motion_view.selectRow(0)
    votes_tab.voter_view.setFocus()
    votes_tab.voter_view.selectRow(5)
    qtbot.keyClick(votes_tab.voter_view, Qt.Key.Key_Y)
    assert "已结束" in told[-1]
    after = svc.attendees(db, meeting.id)
    assert next(a for a in after if a.id == late.id).signed_in_at is None
    assert len(svc.items(db, meeting.id)) == 3
    assert svc.motion_result(db, elevator.motion.id).result.yes_owners == len(voters) - 1
    assert not _button(page.sign_in_tab, "签到").isEnabled() and not _button(page.votes_tab, "开始表决").isEnabled()

    # --- the record: the minutes list every owner's named ballot, the public copy masked --------------------------
    import re
    import subprocess

    from renewal_desk.core.services.printouts import print_document

    out = window.db.path.parent / "minutes.pdf"
    print_document(db, "meeting-minutes", meeting.id, out)
    text = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert f"记名投票明细（共{len(voters)}票，姓名已脱敏）" in text
    assert "同意1号楼加装电梯" in text and "表决范围：1号楼" in text
    assert not re.search(r"1[3-9]\d{9}", text) and all(v.name not in text for v in voters if len(v.name) > 1)

    # --- reopening is an administrator's act, with a reason, audited -------------------------------------------
    from sqlalchemy import select

    from renewal_desk.core.models import AuditEntry

    assert _button(page, "重新打开…").isEnabled() == db.allows("reopen")
    answers = iter([("", True), ("补登一位迟到业主的签到", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    _button(page, "重新打开…").click()
    assert "原因" in told[-1] and svc.meeting_view(db, meeting.id).status == svc.MeetingStatus.ENDED
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page, "重新打开…").click()
    assert page.meeting.status == svc.MeetingStatus.RUNNING and not page.read_only_banner.isVisible()
    with db.read() as s:
        notes = [e.note for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "reopen"))]
    assert notes == ["重新打开会议（1号楼加装电梯业主大会）：补登一位迟到业主的签到"]
