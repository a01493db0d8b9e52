"""Sign-in at the door, by keyboard: one match and Enter signs in; several matches are shown first and the
highlighted row is the one signed in; why each row matched is shown; no match / already signed in / signed in
are said on the page itself, beside the figures."""

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from renewal_desk.core.models import MeetingKind
from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage


def _page(qtbot, db):
    mid = svc.create_meeting(db, svc.MeetingInput("业主大会", datetime.now() - timedelta(minutes=5), MeetingKind.OWNERS, 1))
    svc.invite_households(db, mid)
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    return page, mid


def _signed(db, mid):
    return {a.id for a in svc.attendees(db, mid) if a.signed_in_at is not None}


def test_enter_signs_in_the_highlighted_person_and_says_so_on_the_page(qtbot, demo_db):
    page, mid = _page(qtbot, demo_db)
    people = svc.attendees(demo_db, mid)
    # a surname shared by several invitees
    surname = next(s for s in {p.name[0] for p in people} if sum(p.name[0] == s for p in people) >= 3)
    page.sign_in_tab.search.setText(surname)
    shown = list(page.sign_in_tab.shown_attendees)
    assert len(shown) >= 3
    reason_column = page.sign_in_tab.attendee_model.columnCount() - 1
    assert page.sign_in_tab.attendee_model.headerData(reason_column, Qt.Orientation.Horizontal) == "匹配依据"
    assert page.sign_in_tab.attendee_model.index(0, reason_column).data()  # why the first row matched
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    assert _signed(demo_db, mid) == set()  # several matches: the choice is shown first
    assert f"有 {len(shown)} 人符合" in page.sign_in_tab.door_banner.text()
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Down)
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _signed(demo_db, mid) == {shown[1].id}, timeout=5000)
    assert shown[1].name in page.sign_in_tab.door_banner.text()
    assert page.sign_in_tab.search.text() == ""
    # the same text again: the choice again, not another person
    page.sign_in_tab.search.setText(surname)
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    assert _signed(demo_db, mid) == {shown[1].id}
    # no match
    page.sign_in_tab.search.setText("查无此人")
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    assert "没有找到“查无此人”" in page.sign_in_tab.door_banner.text()
    # one match by room: signed in; the same room again: already signed in, said on the page
    person = people[0]
    page.sign_in_tab.search.setText(person.address)
    assert [a.id for a in page.sign_in_tab.shown_attendees] == [person.id]
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: person.id in _signed(demo_db, mid), timeout=5000)
    page.sign_in_tab.search.setText(person.address)
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    assert "已于" in page.sign_in_tab.door_banner.text() and "签到" in page.sign_in_tab.door_banner.text()
    assert len(_signed(demo_db, mid)) == 2
