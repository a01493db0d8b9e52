"""Issue 20's papers from the meetings page: 打印表决票 (with 大字版) on the 表决 tab of a named vote and
打印个人会议通知 on the sign-in tab open the print preview of the right document with the right pages."""

from datetime import datetime, timedelta

from PySide6.QtWidgets import QPushButton

from renewal_desk.core.models import MeetingKind
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.meetings import papers
from renewal_desk.ui.meetings import MeetingsPage
from renewal_desk.ui.print_preview import PrintPreviewDialog


def _page(qtbot, db):
    mid = svc.create_meeting(db, svc.MeetingInput("业主大会", datetime.now() + timedelta(days=3), MeetingKind.OWNERS, 1,
                                                  place="社区活动室"))
    motion = svc.add_motion(db, mid, svc.MotionInput("1号楼加装电梯", matter="special", method="named"))
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    return page, mid, motion


def _preview(qtbot, page) -> PrintPreviewDialog:
    qtbot.waitUntil(lambda: page.findChild(PrintPreviewDialog) is not None, timeout=60000)
    return page.findChild(PrintPreviewDialog)


def test_ballots_print_from_the_vote_tab_in_large_print(qtbot, demo_db):
    page, mid, motion = _page(qtbot, demo_db)
    page.tabs.setCurrentIndex(2)
    tab = page.votes_tab
    tab.motion_view.selectRow(0)
    button = page.findChild(QPushButton, "printBallots")
    assert button.text() == "打印表决票…" and button.isVisibleTo(page)  # a named vote shows it
    tab.large_ballots.setChecked(True)
    button.click()
    dialog = _preview(qtbot, page)
    voters = papers.ballot_people(demo_db, motion)  # households were invited by the printing
    assert voters and dialog.page_count == len(voters)  # 大字版: one ballot to a page
    assert dialog.file_name.startswith("表决票-1号楼加装电梯")
    dialog.reject()


def test_personal_notices_print_from_the_sign_in_tab(qtbot, demo_db):
    page, mid, _motion = _page(qtbot, demo_db)
    svc.invite_households(demo_db, mid)
    page.tabs.setCurrentIndex(0)
    button = page.findChild(QPushButton, "printPersonalNotices")
    assert button.text() == "打印个人会议通知…"
    button.click()
    dialog = _preview(qtbot, page)
    invited = [a for a in svc.attendees(demo_db, mid) if a.expected]
    assert dialog.page_count == -(-len(invited) // 2)
    dialog.reject()
