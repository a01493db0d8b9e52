"""Lifecycle from the page's buttons: starting early warns; 结束会议 asks and lists what stays open; an ended
meeting refuses sign-in and item deletion on screen; 宣布结果 with nothing cast is refused, and with ballots
asks first, showing the figures."""

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from renewal_desk.core.models import MeetingKind, MeetingStatus
from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage


def _button(page, text):
    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def test_start_early_end_with_open_business_then_refusals(qtbot, demo_db, monkeypatch):
    mid = svc.create_meeting(demo_db, svc.MeetingInput("居民议事会", datetime.now() + timedelta(days=5), MeetingKind.COUNCIL, 1))
    svc.invite_households(demo_db, mid)
    item = svc.add_item(demo_db, mid, "停车管理", "", 10)
    motion = svc.add_motion(demo_db, mid, svc.MotionInput("同意划线停车", matter="consultative", method="named",
                                                          item_id=item))
    page = MeetingsPage(demo_db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a: said.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: said.append(text))
    asked = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, text, *a: asked.append(text) or answer[0])
    _button(page, "开始会议").click()
    assert any("提前 5 天开始" in t for t in said)
    # declaring with nothing cast is refused before any question
    svc.start_vote(demo_db, motion)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    page.votes_tab.motion_view.selectRow(0)
    page.votes_tab.close_vote()
    assert "还没有任何选票" in said[-1] and asked == []
    # 结束会议 asks, listing the undeclared vote; No keeps it running
    _button(page, "结束会议").click()
    assert "同意划线停车" in asked[-1] and "尚未完成" in asked[-1]
    assert svc.meeting_view(demo_db, mid).status != svc.MeetingStatus.ENDED
    answer[0] = QMessageBox.StandardButton.Yes
    _button(page, "结束会议").click()
    assert svc.meeting_view(demo_db, mid).status == svc.MeetingStatus.ENDED
    # sign-in refused on the page
    person = svc.attendees(demo_db, mid)[0]
    page.sign_in_tab.search.setText(person.address)
    qtbot.keyClick(page.sign_in_tab.search, Qt.Key.Key_Return)
    assert "已结束" in page.sign_in_tab.door_banner.text()
    assert svc.attendees(demo_db, mid)[0].signed_in_at is None
    # item deletion refused
    page.tabs.setCurrentIndex(1)
    page.agenda_tab.agenda.setCurrentRow(0)
    page.agenda_tab.delete_item()
    assert "已结束" in said[-1]
    assert [r.id for r in svc.items(demo_db, mid)] == [item]
