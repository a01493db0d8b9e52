"""The "still needed" gauge (issue 20) on the desk: people signed in at the door (typed room + Enter) and
ballots keyed in the 表决 tab (Y / N) move the line on the sign-in and 表决 tabs, exactly, on the boundary
cases; the wall's motion slide shows the same line during the vote and none once the result is declared."""

from datetime import datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from renewal_desk.core.models import MeetingKind
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.households import HouseholdInput, PersonInput, create_household
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.meetings import MeetingsPage


def _estate(db):
    """Four owners: three of 10 ㎡ (101-103) and one of 70 ㎡ (104)."""
    project = create_place(db, "project", "幸福里改造")
    unit = create_place(db, "unit", "1单元", create_place(db, "building", "1号楼",
                                                          create_place(db, "block", "幸福里", project)))
    for n, (area, name) in enumerate(((10, "赵一"), (10, "钱二"), (10, "孙三"), (70, "李四")), start=1):
        create_household(db, HouseholdInput(unit, f"10{n}", Decimal(area), people=[PersonInput(name, is_head=True)]))
    return project


def test_gauge_follows_the_door_and_the_ballots(qtbot, db, monkeypatch):
    import renewal_desk.ui.meetings.votes as votes_mod

    def refuse(_parent, _title, exc):  # a refused ballot fails the test instead of waiting on a message box
        raise AssertionError(str(exc))

    monkeypatch.setattr(votes_mod, "_warn", refuse)
    project = _estate(db)
    mid = svc.create_meeting(db, svc.MeetingInput("业主大会", datetime.now() - timedelta(minutes=30), MeetingKind.OWNERS, project))
    svc.invite_households(db, mid)
    motion = svc.add_motion(db, mid, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    door = page.sign_in_tab
    assert door.gauge_label.text() == \
        "同意加装电梯：参与表决（三分之二）还差 3 人 / 66.67 ㎡；同意（四分之三）还差 3 人 / 50.00 ㎡"

    def sign_in(room):
        qtbot.keyClicks(door.search, room)
        with qtbot.waitSignal(page.loaded, timeout=10000):
            qtbot.keyClick(door.search, Qt.Key.Key_Return)

    for room in ("101", "102", "103"):
        sign_in(room)
    # 3 of 4 owners (2/3 reached by headcount) but 30 of 100 ㎡: the area is still short
    assert door.gauge_label.text().endswith("参与表决（三分之二）还差 0 人 / 36.67 ㎡；同意（四分之三）还差 3 人 / 50.00 ㎡")
    sign_in("104")
    assert door.gauge_label.text().endswith("参与表决（三分之二）还差 0 人 / 0.00 ㎡；同意（四分之三）还差 3 人 / 75.00 ㎡")

    svc.start_vote(db, motion, datetime.now())  # after everyone above signed in: they are present for the vote
    page.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    tab = page.votes_tab
    tab.motion_view.selectRow(0)
    assert tab.gauge_label.isVisibleTo(page) and "参与表决（三分之二）还差 3 人" in tab.gauge_label.text()

    def ballot(name, key):
        row = next(n for n, v in enumerate(tab.voters) if v.name == name)
        tab.voter_view.setFocus()
        tab.voter_view.selectRow(row)
        qtbot.keyClick(tab.voter_view, key)

    for name in ("赵一", "钱二", "孙三"):
        ballot(name, Qt.Key.Key_Y)
    # three yes: exactly 3/4 of the least quorum's owners is reached; the area is not
    assert tab.gauge_label.text() == "参与表决（三分之二）还差 0 人 / 36.67 ㎡；同意（四分之三）还差 0 人 / 20.00 ㎡"
    assert svc.wall_slide(db, mid).motion.gauge == tab.gauge_label.text()  # the wall shows the same line
    ballot("李四", Qt.Key.Key_N)
    assert tab.gauge_label.text() == "参与表决（三分之二）还差 0 人 / 0.00 ㎡；同意（四分之三）还差 0 人 / 45.00 ㎡"
    assert "通过" not in svc.wall_slide(db, mid).motion.gauge
    svc.close_vote(db, motion)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    assert tab.gauge_label.isHidden() and door.gauge_label.isHidden()
    slide = svc.wall_slide(db, mid)
    assert slide.motion.gauge == "" and slide.motion.verdict is False
