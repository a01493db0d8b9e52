"""Deleting a meeting still being prepared (删除…) and taking someone invited by mistake off its list (移除…),
each from its own button; a started meeting and a signed-in person stay, saying why."""

from datetime import datetime, timedelta

from PySide6.QtWidgets import QMessageBox, QPushButton

from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage


def _button(widget, text):
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def _page(qtbot, db, title):
    mid = svc.create_meeting(db, svc.MeetingInput(title, datetime.now() + timedelta(days=2), project_id=1))
    svc.invite_households(db, mid)
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    page.meeting_box.setCurrentIndex(page.meeting_box.findData(mid))
    qtbot.waitUntil(lambda: page.meeting is not None and page.meeting.id == mid, timeout=10000)
    return page, mid


def test_remove_takes_an_invitee_off_the_list_but_not_one_who_signed_in(qtbot, demo_db, monkeypatch):
    page, mid = _page(qtbot, demo_db, "楼道整治协调会")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    tab = page.sign_in_tab
    people = svc.attendees(demo_db, mid)
    first, second = people[0], people[1]
    tab.attendee_view.selectRow(0)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(tab, "移除…").click()
    assert first.name in asked[-1]
    assert first.id not in [a.id for a in svc.attendees(demo_db, mid)]
    assert "已从名单中移除" in tab.door_banner.text() and first.name in tab.door_banner.text()
    assert first.id not in [a.id for a in tab.attendee_rows]  # the list the user sees
    svc.sign_in(demo_db, second.id)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    tab.attendee_view.selectRow([a.id for a in tab.shown_attendees].index(second.id))
    _button(tab, "移除…").click()
    assert "请先撤销签到" in tab.door_banner.text()
    assert second.id in [a.id for a in svc.attendees(demo_db, mid)]


def test_delete_removes_a_meeting_in_preparation_and_is_greyed_once_it_started(qtbot, demo_db, monkeypatch):
    page, mid = _page(qtbot, demo_db, "误建的会议")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    delete = _button(page, "删除…")
    assert delete.isEnabled()
    delete.click()
    qtbot.waitUntil(lambda: page.meeting_box.findData(mid) < 0, timeout=10000)
    assert mid not in [m.id for m in svc.meetings(demo_db)]
    assert all("误建的会议" not in page.meeting_box.itemText(i) for i in range(page.meeting_box.count()))
    # a meeting under way is a record: the button is greyed and says why
    page2, mid2 = _page(qtbot, demo_db, "正式召开的会议")
    svc.start_meeting(demo_db, mid2)
    with qtbot.waitSignal(page2.loaded, timeout=10000):
        page2.refresh()
    delete2 = _button(page2, "删除…")
    assert not delete2.isEnabled()
    assert "筹备" in delete2.toolTip()
