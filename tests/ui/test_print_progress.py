"""Printing from a page: progress by pages laid out, and Cancel leaves no file and no number used."""

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlalchemy import func, select

from renewal_desk.core.models import AuditEntry, Building
from renewal_desk.ui import tasks
from renewal_desk.ui.pdf import print_in_background


class Page(QWidget):
    status_message = Signal(str)

    def __init__(self, db):
        super().__init__()
        self.db = db


def _building_and_audit(db):
    with db.read() as s:
        return s.scalar(select(func.min(Building.id))), s.scalar(select(func.count()).select_from(AuditEntry))


def test_cancelled_print_saves_nothing_and_says_so(qtbot, demo_db, tmp_path):
    page = Page(demo_db)
    qtbot.addWidget(page)
    building, audited = _building_and_audit(demo_db)
    messages = []
    page.status_message.connect(messages.append)
    pressed = threading.Event()
    pressed.set()  # Cancel pressed before the first page is laid out
    out = tmp_path / "out" / "roster.pdf"
    out.parent.mkdir()
    print_in_background(page, "building-roster", building, str(out), cancel=pressed)
    qtbot.waitUntil(lambda: messages and "取消" in messages[-1], timeout=20000)  # not a warning box
    assert list(out.parent.iterdir()) == []
    assert _building_and_audit(demo_db)[1] == audited
    tasks.wait_all(5000)


def test_print_reports_pages_and_saves(qtbot, demo_db, tmp_path):
    page = Page(demo_db)
    qtbot.addWidget(page)
    building, _ = _building_and_audit(demo_db)
    messages = []
    page.status_message.connect(messages.append)
    out = tmp_path / "roster.pdf"
    print_in_background(page, "building-roster", building, str(out))
    assert page.findChild(QProgressDialog, "printProgress") is not None
    qtbot.waitUntil(lambda: messages and "已保存" in messages[-1], timeout=20000)
    assert out.exists() and "页" in messages[-1]
    qtbot.waitUntil(lambda: page.findChild(QProgressDialog, "printProgress") is None)  # closed and gone
    tasks.wait_all(5000)
