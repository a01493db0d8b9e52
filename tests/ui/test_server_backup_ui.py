"""导出与备份 → 立即备份 on the office server: pg_dump runs in a worker, its progress in tables shown, then the
dump in the page's list and the status bar."""

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from renewal_desk.core.db import open_database


@pytest.fixture
def server_window(qtbot, pg_url):
    from renewal_desk.ui.main_window import MainWindow

    db = open_database(pg_url, operator="测试员")
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    db.close()


def test_backup_now_on_the_office_server_shows_progress_then_the_dump(server_window, qtbot, monkeypatch):
    page = server_window.show_section("exchange")
    assert page.backup_model.rowCount() == 0
    assert any("pg_dump" in label.text() for label in page.findChildren(QLabel))  # says where the dumps go
    steps = []
    shown = page._backup_progress
    monkeypatch.setattr(page, "_backup_progress", lambda done, total: (steps.append((done, total)),
                                                                       shown(done, total)))
    page.backup_button.click()
    assert not page.backup_button.isEnabled()
    assert page.progress is not None and page.progress.labelText() == "正在备份办公室服务器…"
    assert page.progress.findChild(QPushButton).text() == "取消"
    qtbot.waitUntil(lambda: page.backup_model.rowCount() == 1, timeout=30000)
    assert page.progress is None and page.backup_button.isEnabled()
    tables = steps[0][1]
    assert tables > 10 and steps[0] == (0, tables) and (tables, tables) in steps
    assert [d for d, _ in steps if d >= 0] == sorted(d for d, _ in steps if d >= 0)
    listed = page.backup_model
    assert listed.index(0, 1).data() == "手动" and listed.index(0, 2).data().endswith(".dump")
    assert "已备份到" in server_window.statusBar().currentMessage()
    assert page.backup_model.index(0, 2).data() in server_window.statusBar().currentMessage()
    assert "暂无" not in server_window.backup_label.text()
