"""Damaged and foreign files at the app's start-up: a clear Chinese message, the offer to restore the latest
good backup where restoring can help, and nothing overwritten when the user declines.

(A missing supervision photo in the UI: tests/ui/test_supervision_page.py, the thumbnail says 丢失.)"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and not p.stat().st_size)}


@pytest.fixture
def desk(tmp_path, template_db):
    """A database with one project, a good backup of it, and a newer backup that is itself damaged."""
    from renewal_desk.core import backup
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import places

    folder = tmp_path / "desk"
    folder.mkdir()
    path = folder / "desk.sqlite"
    shutil.copy(template_db, path)
    db = open_database(path)
    places.create_place(db, "project", "备份里的项目")
    db.close()
    import gc

    gc.collect()  # the UI tests run with automatic collection off (as the app does): free the closed connections
    good = backup.rotate_backup(path, "close", now=datetime(2026, 3, 1, 9, 30))
    newest = backup.rotate_backup(path, "daily", now=datetime(2026, 3, 2, 9, 30))
    data = bytearray(newest.read_bytes())
    data[4096:8192] = b"\x00\x13" * 2048  # the newest backup fails its own integrity check
    newest.write_bytes(bytes(data))
    # The backups' read-only connections leave the -wal/-shm behind; a writer's close removes them, as when
    # the app quits. (With them present and writable, a read-only folder is no obstacle to SQLite at all.)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert not Path(f"{path}-wal").exists()
    return path, good


class Boxes:
    """QMessageBox.exec and critical patched: what was said, which buttons, and which one the user clicks."""

    def __init__(self, monkeypatch, click: str = "退出"):
        self.shown: list[dict] = []
        self.click = click

        def fake_exec(box):
            buttons = [b.text() for b in box.buttons()]
            self.shown.append({"title": box.windowTitle(), "text": box.text(), "info": box.informativeText(),
                               "buttons": buttons})
            chosen = next(b for b in box.buttons() if self.click in b.text())
            monkeypatch.setattr(box, "clickedButton", lambda: chosen)
            return 0

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)
        monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: self.shown.append(
            {"title": a[1], "text": a[2], "info": "", "buttons": []}))

    @property
    def last(self) -> dict:
        return self.shown[-1]


def _open(path):
    from renewal_desk.ui import app as app_module

    return app_module._open_with_recovery(path)


def _damage(kind: str, path: Path) -> None:
    if kind == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "random":
        path.write_bytes(os.urandom(50_000))
    elif kind == "text":
        path.write_text("会议纪要：这不是数据库", encoding="utf-8")
    elif kind == "foreign":
        path.unlink()
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE contacts (name TEXT)")
        con.commit()
        con.close()


@pytest.mark.parametrize("kind, words", [
    ("truncated", ("截断", "请从备份恢复")),
    ("random", ("不是 Renewal Desk 数据库",)),
    ("text", ("不是 Renewal Desk 数据库",)),
    ("foreign", ("不是 Renewal Desk 数据库",)),
])
def test_damaged_or_foreign_file_offers_the_latest_good_backup(qapp, desk, monkeypatch, kind, words):
    path, good = desk
    _damage(kind, path)
    before = state(path.parent)
    boxes = Boxes(monkeypatch, click="退出")
    assert _open(path) is None
    message = boxes.last
    for word in words:
        assert word in message["text"]
    assert "Traceback" not in message["text"]
    assert any("从最近一份完好的备份恢复" in b for b in message["buttons"]) and "2026-03-01 09:30" in message["info"]
    assert state(path.parent) == before  # declined: nothing touched

    boxes.click = "恢复"
    db = _open(path)
    try:
        from renewal_desk.core.services import places

        assert [n.name for n in places.tree(db)] == ["备份里的项目"]  # the good backup, not the damaged newest
    finally:
        db.close()
    if kind != "foreign":  # a damaged file is moved aside, never deleted; a foreign one was backed up first
        assert list(path.parent.glob("desk.sqlite.damaged-*"))


def test_newer_version_is_explained_without_a_restore_offer(qapp, desk, monkeypatch):
    """Restoring an older backup over a newer database would lose the newer work: say to upgrade instead."""
    path, _good = desk
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    before = state(path.parent)
    boxes = Boxes(monkeypatch)
    assert _open(path) is None
    assert "更新版本" in boxes.last["text"] and "0099" in boxes.last["text"]
    assert boxes.last["buttons"] == ["退出"]
    assert state(path.parent) == before


@pytest.fixture
def immutable():
    made = []

    def make(path: Path) -> None:
        if os.geteuid() == 0:
            if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
                pytest.skip("running as root without the immutable attribute")
        else:
            path.chmod(0o555 if path.is_dir() else 0o444)
        made.append(path)

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_read_only_file_is_said_at_start(qapp, desk, monkeypatch, immutable):
    path, _good = desk
    before = state(path.parent)
    immutable(path)
    boxes = Boxes(monkeypatch)
    assert _open(path) is None
    assert "只读" in boxes.last["text"] and boxes.last["buttons"] == ["退出"]
    assert state(path.parent) == before


def test_read_only_folder_is_said_at_start(qapp, desk, monkeypatch, immutable):
    path, _good = desk
    before = state(path.parent)
    immutable(path.parent)
    boxes = Boxes(monkeypatch)
    assert _open(path) is None
    assert "无法打开数据库文件" in boxes.last["text"] and "文件夹只读" in boxes.last["text"]
    assert state(path.parent) == before


def test_restore_of_a_backup_that_fails_its_check_is_refused(qapp, desk, monkeypatch):
    from renewal_desk.core import backup
    from renewal_desk.ui.app import restore_with_message

    path, _good = desk
    damaged = backup.list_backups(path)[0].path
    before = state(path.parent)
    boxes = Boxes(monkeypatch)
    assert not restore_with_message(path, damaged, "测试员")
    assert boxes.last["title"] == "恢复失败" and "备份文件未通过完整性检查" in boxes.last["text"]
    assert state(path.parent) == before


def test_disk_full_during_a_backup_from_the_backups_page(window, qtbot, monkeypatch):
    """A file-size limit on this process stands in for a full disk while the backup is written."""
    from renewal_desk.core import backup
    from renewal_desk.ui import tasks

    page = window.show_section("exchange")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    db_path = window.db.path
    qtbot.waitUntil(lambda: bool(backup.list_backups(db_path)), timeout=15000)  # the window's own daily backup
    tasks.wait_all(10000)
    taken = backup.list_backups(db_path)
    before = digest(db_path)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, old_limit[1]))
    try:
        page.backup()
        qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert "备份失败" in shown[0] and "磁盘已满" in shown[0]
    assert page.backup_button.isEnabled()
    assert digest(db_path) == before and backup.list_backups(db_path) == taken
    assert not [p for p in backup.backup_dir_for(db_path).glob("*") if ".part" in p.name]


def test_disk_full_during_a_save_on_any_page_is_said_plainly(qapp, desk, monkeypatch):
    """A page that expects only input errors still gets the plain message when the disk fills mid-save."""
    import sys

    from renewal_desk.core.db import DatabaseError, open_database
    from renewal_desk.core.services import places
    from renewal_desk.ui.app import install_error_handler

    path, _good = desk
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append((a[1], a[2])))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_error_handler()
    db = open_database(path)
    before = [n.name for n in places.tree(db)]
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, old_limit[1]))  # the WAL cannot take this save
    try:
        with pytest.raises(DatabaseError) as err:
            places.create_place(db, "project", "满盘时新建" * 20, description="很长的说明" * 4000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    sys.excepthook(type(err.value), err.value, err.value.__traceback__)  # as Qt hands an uncaught one over
    try:
        assert shown == [("未保存", err.value.message("zh"))] and "无法写入磁盘" in shown[0][1]
        assert [n.name for n in places.tree(db)] == before  # rolled back
    finally:
        db.close()


@pytest.fixture
def guarded_desk(tmp_path, template_db):
    """A database with an administrator and a good backup of it, the database then damaged."""
    from renewal_desk.core import backup
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import accounts, places

    folder = tmp_path / "guarded"
    folder.mkdir()
    path = folder / "desk.sqlite"
    shutil.copy(template_db, path)
    db = open_database(path)
    places.create_place(db, "project", "备份里的项目")
    accounts.setup_admin(db, "管理员甲", "admin-pass-1")
    db.close()
    import gc

    gc.collect()
    backup.rotate_backup(path, "close", now=datetime(2026, 3, 1, 9, 30))
    _damage("random", path)
    return path


@pytest.mark.parametrize("password, restored", [("wrong-password", False), ("admin-pass-1", True)])
def test_restore_over_a_damaged_file_asks_for_an_administrator(qapp, guarded_desk, monkeypatch, password, restored):
    """The damaged file's accounts cannot be read: the backup's administrator signs the restore (issue 23)."""
    from PySide6.QtWidgets import QInputDialog

    answers = iter([("管理员甲", True), (password, True)])
    asked = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    before = digest(guarded_desk)
    boxes = Boxes(monkeypatch, click="恢复")
    db = _open(guarded_desk)
    assert "管理员账户" in asked[0] and len(asked) == 2
    if not restored:
        assert db is None and "未作任何修改" in boxes.last["text"]
        assert digest(guarded_desk) == before
        return
    try:
        with db.read() as s:
            from sqlalchemy import select

            from renewal_desk.core.models import AuditEntry

            last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "restore" and last.operator == "管理员甲"
    finally:
        db.close()
