"""The minutes editor edits the item its heading names: the item under discussion (▶), whatever row of the
agenda is selected to edit or move; moving on (PgDn) takes the editor to the next item."""

from datetime import datetime, timedelta

from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage
from renewal_desk.ui.meetings.common import AUTOSAVE_MS


def test_minutes_follow_the_item_under_discussion_not_the_selection(qtbot, demo_db):
    mid = svc.create_meeting(demo_db, svc.MeetingInput("居民议事会", datetime.now() - timedelta(minutes=5)))
    items = [svc.add_item(demo_db, mid, t, "", 10) for t in ("停车管理", "垃圾分类", "楼道照明")]
    svc.start_meeting(demo_db, mid)
    page = MeetingsPage(demo_db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    tab = page.agenda_tab
    page.tabs.setCurrentIndex(1)
    assert tab.item_heading.text() == "正在讨论：1. 停车管理"
    tab.agenda.setCurrentRow(2)  # selected to edit it: the minutes stay with the item under discussion
    assert tab.item_heading.text() == "正在讨论：1. 停车管理"
    tab.speaker.setText("王阿姨")
    tab.speech.setPlainText("晚上车位不够。")
    qtbot.waitUntil(lambda: [s.content for s in svc.speeches(demo_db, items[0])] == ["晚上车位不够。"],
                    timeout=AUTOSAVE_MS * 4)
    assert svc.speeches(demo_db, items[2]) == []
    with qtbot.waitSignal(page.loaded, timeout=10000):
        tab.step(1)  # PgDn: the next item is discussed and its (empty) minutes open
    assert tab.item_heading.text() == "正在讨论：2. 垃圾分类"
    assert tab.speech.toPlainText() == "" and tab.speech_list.count() == 0
    tab.summary.setPlainText("分类桶放在南门。")
    tab.save_minutes()
    assert [r.summary for r in svc.items(demo_db, mid)] == ["", "分类桶放在南门。", ""]
