"""The meeting dialog, opened from the page's own 新建会议… / 编辑… buttons: every field is typed, saved and shown
in the meeting list; invalid input is refused in Chinese naming the field, nothing saved, the typed text kept."""

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage
from renewal_desk.ui.meetings.dialogs import MeetingDialog


def _page(qtbot, db):
    page = MeetingsPage(db)
    qtbot.addWidget(page)
    page.show()
    return page


def _button(page, text):
    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def _with_dialog(qtbot, action, fill):
    """Press the button that opens the (modal) dialog; `fill` runs on the open dialog, like a user would."""
    seen = []

    def work():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MeetingDialog)
        seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(0, work)
    action()
    assert seen, "the dialog did not open"
    return seen[0]


def _save(dialog):
    dialog.save()


def _fill(dialog, title="1号楼加装电梯业主大会"):
    dialog.title.setText(title)
    dialog.kind.setCurrentText("业主大会")
    dialog.project.setCurrentIndex(1)
    dialog.buildings.item(0).setSelected(True)
    dialog.starts.setDateTime(QDateTime(QDate(2026, 12, 20), QTime(14, 30)))
    dialog.ends.setDateTime(QDateTime(QDate(2026, 12, 20), QTime(16, 0)))
    dialog.place.setText("社区活动室")
    dialog.chair.setText("李主任")
    dialog.recorder.setText("张敏")
    dialog.scrutineers.setText("王芳、赵强")
    dialog.purpose.setPlainText("审议1号楼加装电梯方案")


def test_new_and_edit_meeting_from_the_buttons(qtbot, demo_db):
    page = _page(qtbot, demo_db)
    dialog = _with_dialog(qtbot, _button(page, "新建会议…").click, lambda d: (_fill(d), _save(d)))
    assert dialog.result() == MeetingDialog.DialogCode.Accepted
    rows = svc.meetings(demo_db)
    assert [r.title for r in rows] == ["1号楼加装电梯业主大会"]
    assert "1号楼加装电梯业主大会" in page.meeting_box.currentText()
    assert "2026-12-20 14:30" in page.meeting_box.currentText()
    data = svc.meeting_view(demo_db, rows[0].id).as_input()
    assert (data.place, data.chair, data.recorder) == ("社区活动室", "李主任", "张敏")
    assert list(data.scrutineers) == ["王芳", "赵强"]
    assert data.ends_at == datetime(2026, 12, 20, 16, 0)
    assert len(data.building_ids) == 1 and data.project_id is not None
    assert data.purpose == "审议1号楼加装电梯方案"

    def edit(d):
        # the dialog opens with what was saved
        assert d.title.text() == "1号楼加装电梯业主大会"
        assert d.starts.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-12-20 14:30"
        assert d.scrutineers.text() == "王芳、赵强"
        assert len(d.buildings.selectedItems()) == 1
        d.place.setText("小区会所")
        d.save()

    _with_dialog(qtbot, _button(page, "编辑…").click, edit)
    assert svc.meeting_view(demo_db, rows[0].id).as_input().place == "小区会所"


def test_invalid_meeting_is_refused_in_chinese_and_keeps_the_typing(qtbot, demo_db):
    page = _page(qtbot, demo_db)
    texts = {}

    def fill(d):
        _fill(d, title="")
        d.place.setText("社区活动室（东）")
        d.save()
        texts["errors"] = d.errors.text() if d.errors.isVisible() else ""
        texts["place"] = d.place.text()
        texts["open"] = d.isVisible()
        d.reject()

    _with_dialog(qtbot, _button(page, "新建会议…").click, fill)
    assert texts["open"]
    assert "标题" in texts["errors"] or "会议名称" in texts["errors"], texts["errors"]
    assert "title" not in texts["errors"]
    assert texts["place"] == "社区活动室（东）"
    assert svc.meetings(demo_db) == []
