"""Follow-up tasks from the 决议与任务 tab: add, edit and delete through their buttons and dialogs; a deadline
before the meeting is refused in the dialog with the typed text kept."""

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings import MeetingsPage
from renewal_desk.ui.meetings.dialogs import TaskDialog


def _button(page, text):
    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def _in_dialog(fill):
    def work():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TaskDialog)
        fill(dialog)
    QTimer.singleShot(0, work)


def test_add_edit_delete_a_task(qtbot, demo_db, monkeypatch):
    mid = svc.create_meeting(demo_db, svc.MeetingInput("居民议事会", datetime.now() - timedelta(minutes=5)))
    page = MeetingsPage(demo_db)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    page.tabs.setCurrentIndex(3)
    seen = {}

    def add(d):
        d.title.setText("联系施工方")
        d.owner.setText("张敏")
        d.deadline.setDate(QDate(2016, 1, 1))  # ten years back: refused
        d.save()
        seen["error"], seen["title"] = d.errors.text(), d.title.text()
        d.deadline.setDate(QDate.currentDate().addDays(10))
        d.save()

    _in_dialog(add)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page, "添加任务…").click()
    assert "完成期限" in seen["error"] and seen["title"] == "联系施工方"
    assert [t.title for t in page.tasks_tab.task_rows] == ["联系施工方"]
    page.tasks_tab.task_view.selectRow(0)

    def edit(d):
        assert d.title.text() == "联系施工方"
        d.owner.setText("李主任")
        d.save()

    _in_dialog(edit)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page, "编辑任务…").click()
    assert page.tasks_tab.task_rows[0].owner == "李主任"
    page.tasks_tab.task_view.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _button(page, "删除任务").click()
    assert page.tasks_tab.task_rows == []
