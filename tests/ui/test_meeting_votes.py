"""The 表决 tab: a motion's scope is chosen in its dialog (opened from 新建议题…) and shown with its 应到 owners and
area; paper-vote areas are checked against that scope's total area (no fixed cap); the method's controls sit in
one place so the buttons never move; an ended meeting greys the editing buttons and says why."""

from datetime import datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from renewal_desk.core.models import MeetingKind
from renewal_desk.core.rules import votes
from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage
from renewal_desk.ui.meetings.dialogs import MotionDialog


def _button(page, text):
    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def _page(qtbot, db):
    mid = svc.create_meeting(db, svc.MeetingInput("业主大会", datetime.now() - timedelta(minutes=5), MeetingKind.OWNERS, 1))
    svc.invite_households(db, mid)
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    page.tabs.setCurrentIndex(2)
    return page, mid


def _motion_dialog(qtbot, page, fill):
    seen = []

    def work():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MotionDialog)
        seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(0, work)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page, "新建表决事项…").click()
    assert seen


def test_motion_scoped_to_a_building_shows_its_expected_owners_and_area(qtbot, demo_db, monkeypatch):
    page, mid = _page(qtbot, demo_db)
    building_name = {}

    def fill(d):
        d.title.setText("1号楼加装电梯")
        d.matter.setCurrentIndex(d.matter.findData("special"))
        d.method.setCurrentIndex(d.method.findData("paper"))
        d.scope.setCurrentIndex(d.scope.findData("buildings"))
        assert d.scope_list.count() >= 2  # the project's buildings to choose from
        d.scope_list.item(0).setSelected(True)
        building_name["name"] = d.scope_list.item(0).text()
        d.save()

    _motion_dialog(qtbot, page, fill)
    motion = svc.motions(demo_db, mid)[0]
    assert motion.motion.scope == "buildings" and len(motion.motion.scope_ids) == 1
    totals = svc.scope_totals(demo_db, motion.motion.id)
    everyone = svc.attendance(demo_db, mid).expected
    assert 0 < totals.owners < everyone  # one building's owners, not the project's
    tab = page.votes_tab
    tab.motion_view.selectRow(0)
    text = tab.scope_label.text()
    assert f"表决范围：{building_name['name']}" in text
    assert f"应到业主 {totals.owners} 人" in text and votes.area_text(totals.area) in text
    # the buttons stay where they are whatever the method
    declare = _button(page, "宣布结果")
    where = declare.mapTo(page, declare.rect().topLeft())
    assert tab.method_stack.currentWidget() is tab.count_box and tab.area_edits["yes"].isVisibleTo(page)
    # paper areas: more than the building's total is refused, with the total named
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    tab.count_edits["yes"].setValue(1)
    tab.area_edits["yes"].setText(str(totals.area + 1))
    tab.save_counts()
    assert warned and "超过应到面积" in warned[-1], warned
    assert svc.motion_result(demo_db, motion.motion.id).motion.counts["yes_area"] is None
    # within the total (whatever its size) it is accepted
    tab.area_edits["yes"].setText(votes.area_text(totals.area))
    tab.save_counts()
    assert len(warned) == 1, warned
    assert svc.motion_result(demo_db, motion.motion.id).motion.counts["yes_area"] == totals.area
    # a named vote on the same page: the buttons have not moved
    svc.add_motion(demo_db, mid, svc.MotionInput("议事规则", matter="consultative", method="named"))
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    tab.motion_view.selectRow(1)
    assert tab.method_stack.currentWidget().isAncestorOf(tab.voter_view)
    assert declare.mapTo(page, declare.rect().topLeft()) == where


def test_an_ended_meeting_greys_the_editing_buttons_and_says_why(qtbot, demo_db):
    page, mid = _page(qtbot, demo_db)
    assert _button(page, "新建表决事项…").isEnabled() and _button(page, "签到").isEnabled()
    svc.end_meeting(demo_db, mid)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    for text in ("新建表决事项…", "宣布结果", "签到", "代理签到…", "添加任务…", "删除任务", "结束会议", "开始会议"):
        button = _button(page, text)
        assert not button.isEnabled(), text
        assert "会议已结束" in button.toolTip(), text
    assert page.read_only_banner.isVisibleTo(page) and "会议已结束" in page.read_only_banner.text()
    assert page.agenda_tab.speech.isReadOnly()


def test_the_tables_of_the_meeting_show_every_cell_whole_at_1366(qtbot, demo_db):
    """Columns sized to their contents really hold them: 表决规则 / 方式 / 状态 / 结果, the voters' names and the
    tasks were drawn cut off ("记名…") because the cells' width hint left less than the painted padding."""
    from PySide6.QtGui import QFontMetrics

    from renewal_desk.core.services.demo_meetings import generate_meeting_demo
    from renewal_desk.ui.main_window import MainWindow, SECTIONS
    from renewal_desk.ui.widgets.tables import PADDING

    generate_meeting_demo(demo_db, 1)
    elevator = next(m.id for m in svc.meetings(demo_db) if "加装电梯" in m.title)
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.nav.setCurrentRow(SECTIONS.index("meetings"))
    page = win.pages["meetings"]
    qtbot.waitUntil(lambda: page.meeting is not None, timeout=10000)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.meeting_box.setCurrentIndex(page.meeting_box.findData(elevator))
    cut = []
    for tab, views in ((2, (page.votes_tab.motion_view, page.votes_tab.voter_view)),
                       (3, (page.tasks_tab.task_view, page.tasks_tab.review_view))):
        page.tabs.setCurrentIndex(tab)
        page.votes_tab.motion_view.selectRow(0)
        qtbot.wait(50)
        for view in views:
            model, header, metrics = view.model(), view.horizontalHeader(), QFontMetrics(view.font())
            assert model.rowCount() > 0
            for row in range(model.rowCount()):
                for col in range(model.columnCount()):
                    text = model.rows[row][col]
                    if text and header.sectionSize(col) < metrics.horizontalAdvance(str(text)) + 2 * PADDING:
                        cut.append((view.objectName(), text))
    assert cut == []
