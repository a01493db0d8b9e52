"""Printing the resolution notice while a passed motion has no resolution of its own warns first (the notice then
prints the motion's proposed text); with every passed motion resolved it prints without asking."""

from datetime import datetime, timedelta

from PySide6.QtWidgets import QMessageBox

from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage
from renewal_desk.ui.meetings import page as page_module


def test_resolution_notice_warns_about_passed_motions_without_a_resolution(qtbot, demo_db, monkeypatch):
    mid = svc.create_meeting(demo_db, svc.MeetingInput("居民议事会", datetime.now() - timedelta(minutes=5)))
    motion = svc.add_motion(demo_db, mid, svc.MotionInput("同意清理楼道", "月底前清理完毕"))
    person = svc.add_attendee(demo_db, mid, svc.AttendeeInput("王阿姨"))
    svc.sign_in(demo_db, person)
    svc.start_vote(demo_db, motion)
    svc.set_counts(demo_db, motion, {"yes_owners": 1, "no_owners": 0})
    svc.close_vote(demo_db, motion)
    page = MeetingsPage(demo_db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    printed, asked = [], []
    monkeypatch.setattr(page_module, "preview_and_print", lambda _w, doc, _id: printed.append(doc))
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.No)
    action = next(a for a in page.print_button.menu().actions() if a.text() == "决议公示（张贴用）")
    action.trigger()
    assert "议题“同意清理楼道”已通过，但没有录入决议" in asked[-1] and printed == []
    svc.add_resolution(demo_db, mid, svc.proposed_resolution(demo_db, motion), motion)
    action.trigger()
    assert len(asked) == 1 and printed == ["resolution-notice"]
