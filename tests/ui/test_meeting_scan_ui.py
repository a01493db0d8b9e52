"""Counting by scanner in the real widgets (issue 20): a USB scanner types a code and Enter like a keyboard. At the
door the notice's sign-in code goes into the same search box as a typed room; in 表决 a ballot's code goes into the
scan field, then Y / N / A (or a per-choice code records at once). Each scan says in the tab what it did — green,
blue for a duplicate, red refused — and never opens a box that would block the next scan."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from renewal_desk.core.models import Attendee, Meeting, MeetingKind, Motion
from renewal_desk.core.printing.codes import BallotCode, PageCode, SignInCode
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.households import HouseholdInput, PersonInput, create_household
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.meetings import MeetingsPage


@pytest.fixture
def no_boxes(monkeypatch):
    """A message box during scanning fails the test instead of waiting for a click."""
    def refuse(*_a, **_k):
        raise AssertionError("a modal box would block the next scan")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)


def _estate(db):
    project = create_place(db, "project", "幸福里改造")
    unit = create_place(db, "unit", "1单元", create_place(db, "building", "1号楼",
                                                          create_place(db, "block", "幸福里", project)))
    for n, (area, name) in enumerate(((10, "赵一"), (10, "钱二"), (10, "孙三"), (70, "李四")), start=1):
        create_household(db, HouseholdInput(unit, f"10{n}", Decimal(area), people=[PersonInput(name, is_head=True)]))
    return project


def _uuids(db, model, **where):
    with db.read() as s:
        return {getattr(r, "name", None) or r.title: r.uuid for r in s.query(model).filter_by(**where)}


def _meetings(db):
    project = _estate(db)
    start = datetime.now() - timedelta(minutes=30)
    ours = svc.create_meeting(db, svc.MeetingInput("业主大会", start, MeetingKind.OWNERS, project))
    other = svc.create_meeting(db, svc.MeetingInput("楼组长会议", start - timedelta(days=7), MeetingKind.COUNCIL, project))
    for mid in (ours, other):
        svc.invite_households(db, mid)
    return ours, other


def _open(qtbot, db, meeting_id, tab_index):
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    if page.meeting.id != meeting_id:
        with qtbot.waitSignal(page.loaded, timeout=10000):
            page.meeting_box.setCurrentIndex(page.meeting_box.findData(meeting_id))
    page.tabs.setCurrentIndex(tab_index)
    return page


def _sign_code(db, meeting_id, name):
    with db.read() as s:
        meeting = s.get(Meeting, meeting_id)
        person = s.query(Attendee).filter_by(meeting_id=meeting_id, name=name).one()
        return SignInCode(meeting.uuid, person.uuid).text()


def _ballot_code(db, motion_id, name, choice=None):
    with db.read() as s:
        motion = s.get(Motion, motion_id)
        person = s.query(Attendee).filter_by(meeting_id=motion.meeting_id, name=name).one()
        return BallotCode(motion.uuid, person.uuid, choice).text()


def _signed_in(db, meeting_id):
    return {r.name for r in svc.attendees(db, meeting_id) if r.signed_in_at}


def test_the_door_signs_in_from_the_notice_code_and_refuses_repeats_and_foreign_codes(qtbot, db, no_boxes):
    ours, other = _meetings(db)
    motion = svc.add_motion(db, ours, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    page = _open(qtbot, db, ours, 0)
    door = page.sign_in_tab
    assert page.tabs.currentWidget() is door

    def scan(text, signs_in=True):
        door.search.setFocus()
        qtbot.keyClicks(door.search, text)
        if signs_in:
            with qtbot.waitSignal(page.loaded, timeout=10000):
                qtbot.keyClick(door.search, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(door.search, Qt.Key.Key_Return)
        assert door.search.text() == ""  # ready for the next scan either way

    scan(_sign_code(db, ours, "赵一"))
    assert _signed_in(db, ours) == {"赵一"} and door.door_banner.text() == "扫码签到：赵一"
    assert "#1d6b2f" in door.door_banner.styleSheet()  # green
    assert door.counts.text().startswith("应到 4 · 实到 1 ·")
    scan(_sign_code(db, ours, "钱二").lower())  # Caps Lock off: the same code
    assert _signed_in(db, ours) == {"赵一", "钱二"}
    assert "同意（四分之三）还差" in door.gauge_label.text()  # the gauge moved as with a typed sign-in
    qtbot.keyClicks(door.search, "10")  # a room half typed, then the scanner
    scan(_sign_code(db, ours, "孙三"))
    assert _signed_in(db, ours) == {"赵一", "钱二", "孙三"}

    time = next(r.signed_in_at for r in svc.attendees(db, ours) if r.name == "赵一")
    refused = [
        (_sign_code(db, ours, "赵一"), f"赵一已签到（{time:%H:%M}），这张签到码扫过了"),
        (_sign_code(db, other, "李四"), f"这张签到码属于另一次会议：楼组长会议（{svc.meeting_view(db, other).starts_at:%Y-%m-%d}）"),
        (_ballot_code(db, motion, "李四", "yes"), "这是表决票上的条码，不是签到码：表决票请在“表决”页扫描"),
        (PageCode("HYJL-20261203-0002", "meeting-minutes", None, 1, 2).text(),
         "这是文书“HYJL-20261203-0002”第 1 页的页码，不是签到码"),
    ]
    for text, message in refused:
        scan(text, signs_in=False)
        assert door.door_banner.text() == message and door.door_banner.isVisible()
        assert "#a61b1b" in door.door_banner.styleSheet()  # red
    assert _signed_in(db, ours) == {"赵一", "钱二", "孙三"} and _signed_in(db, other) == set()
    qtbot.keyClicks(door.search, "104")  # typed search still works after the scans
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.keyClick(door.search, Qt.Key.Key_Return)
    assert "李四" in _signed_in(db, ours)


def test_ballots_are_counted_by_scanning_and_refused_when_twice_or_foreign(qtbot, db, no_boxes):
    ours, other = _meetings(db)
    for r in svc.attendees(db, ours):
        svc.sign_in(db, r.id)
    motion = svc.add_motion(db, ours, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    second = svc.add_motion(db, ours, svc.MotionInput("更换门禁", method="named"))
    foreign = svc.add_motion(db, other, svc.MotionInput("绿化调整", method="named"))
    svc.start_vote(db, motion, datetime.now())
    page = _open(qtbot, db, ours, 2)
    tab = page.votes_tab
    assert page.tabs.currentWidget() is tab
    tab.motion_view.selectRow(0)
    assert tab.scan_box.isVisibleTo(page) and "参与表决（三分之二）还差 3 人" in tab.gauge_label.text()
    tab.scan_box.setFocus()

    def scan(text):
        qtbot.keyClicks(tab.scan_box, text)
        qtbot.keyClick(tab.scan_box, Qt.Key.Key_Return)
        assert tab.scan_box.text() == ""

    def selected():
        return tab.voters[tab.voter_view.currentIndex().row()].name

    def ballots():
        names = {v.attendee_id: v.name for v in tab.voters}
        return {names[k]: v for k, v in svc.motion_result(db, motion).motion.ballots.items()}

    scan(_ballot_code(db, motion, "赵一"))  # the ballot's own code: its voter is chosen, the key records
    assert selected() == "赵一" and tab.scan_feedback.text() == "赵一：请按 Y / N / A 记录表决意见"
    assert ballots() == {}
    qtbot.keyClick(tab.scan_box, Qt.Key.Key_Y)
    assert ballots() == {"赵一": "yes"} and tab.scan_feedback.text() == "已记票：赵一 — 赞成"
    assert tab.scan_feedback.kind == "success" and tab.scan_box.text() == "" and tab.scan_box.hasFocus()
    assert tab.voter_model.data(tab.voter_model.index(selected_row(tab, "赵一"), 5)) == "赞成"
    scan(_ballot_code(db, motion, "钱二", "yes"))  # a per-choice code: recorded at once
    scan(_ballot_code(db, motion, "孙三", "yes").lower())
    scan(_ballot_code(db, motion, "李四"))
    qtbot.keyClick(tab.scan_box, Qt.Key.Key_N)
    assert ballots() == {"赵一": "yes", "钱二": "yes", "孙三": "yes", "李四": "no"}
    assert tab.gauge_label.text() == "参与表决（三分之二）还差 0 人 / 0.00 ㎡；同意（四分之三）还差 0 人 / 45.00 ㎡"
    assert svc.wall_slide(db, ours).motion.gauge == tab.gauge_label.text()

    scan(_ballot_code(db, motion, "钱二", "yes"))  # the same ballot again: said, not counted twice
    assert tab.scan_feedback.text() == "重复扫描：钱二的票已记录为“赞成”（只计一次）" and tab.scan_feedback.kind == "info"
    refused = [
        (_ballot_code(db, motion, "钱二", "no"), "钱二的票已记录为“赞成”，这次是“反对”：未改动"),
        (_ballot_code(db, second, "钱二", "no"), "这张选票属于另一项表决：“更换门禁”（业主大会）"),
        (_ballot_code(db, foreign, "钱二", "no"), "这张选票属于另一项表决：“绿化调整”（楼组长会议）"),
        (_sign_code(db, ours, "钱二"), "这是会议通知上的签到码，不是表决票：签到请在“签到”页扫描"),
        ("6901234567890", "这不是本系统打印的条码：6901234567890"),
    ]
    for text, message in refused:
        scan(text)
        assert message in tab.scan_feedback.text() and tab.scan_feedback.kind == "error"
        assert tab.scan_feedback.isVisibleTo(page)
    assert ballots() == {"赵一": "yes", "钱二": "yes", "孙三": "yes", "李四": "no"}
    # a key after a refused scan is typed into the field, not taken as a choice for the last voter
    qtbot.keyClick(tab.scan_box, Qt.Key.Key_N)
    assert tab.scan_box.text() == "n" and ballots()["李四"] == "no"


def selected_row(tab, name):
    return next(n for n, v in enumerate(tab.voters) if v.name == name)
