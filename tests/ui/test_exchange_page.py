"""The 导出与备份 page: export with progress, cancel that leaves nothing, the full-data confirmation,
import with its report, and a conflict shown with both versions and decided by the user."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from renewal_desk.core.db import open_database
from renewal_desk.core.models import AuditEntry, Household
from renewal_desk.core.services import exchange
from renewal_desk.core.services.demo import generate_demo
from renewal_desk.ui.exchange_page import ConflictDialog, ExchangePanel


@pytest.fixture
def small_db(db):
    generate_demo(db, households=10, seed=2)
    return db


@pytest.fixture
def panel(qtbot, small_db):
    widget = ExchangePanel(small_db)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    return widget


def test_export_from_the_page_with_full_data_confirmation_and_history(panel, qtbot, tmp_path, monkeypatch, small_db):
    dialog = panel.open_export()
    target = tmp_path / "monthly.zip"
    dialog.target.setText(str(target))
    dialog.recipient.setText("市城市更新项目库")
    dialog.full.setChecked(True)
    dialog.start()  # no purpose: refused before anything runs
    assert "用途" in dialog.status.text() and not dialog.running
    dialog.purpose.setText("年度项目入库核对")
    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog.start()
    assert "市城市更新项目库" in asked[0] and "年度项目入库核对" in asked[0] and not target.exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.start()
    assert target.exists() and dialog.progress.value() == dialog.progress.maximum()
    qtbot.waitUntil(lambda: panel.history.model().rowCount() == 1, timeout=10000)
    assert panel.history.model().index(0, 3).data() == "市城市更新项目库"
    assert "审计" in panel.history.model().index(0, 5).data()
    assert "SHA-256" in panel.history.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # the file, its hash
    with small_db.read() as s:
        event = s.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert json.loads(event.after)["purpose"] == "年度项目入库核对"
    dialog.close()


def test_cancel_leaves_nothing_half_written(panel, qtbot, tmp_path):
    dialog = panel.open_export()
    target = tmp_path / "cancelled"
    dialog.target.setText(str(target))
    done = []
    dialog.start()
    dialog.reject()  # Cancel while running: sets the flag, keeps the dialog open
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    done.append(dialog.status.text())
    assert "未写入" in done[0] or "Nothing" in done[0]
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cancelled")] == []
    dialog.reject()
    assert not dialog.isVisible()


def test_import_shows_conflicts_with_both_versions_and_the_user_decides(panel, qtbot, tmp_path, small_db,
                                                                         qtmodeltester):
    copy_path = tmp_path / "laptop.sqlite"
    small_db.backup_to(copy_path)  # the open database has pages in its WAL: copy it properly
    laptop = open_database(copy_path, operator="社区笔记本")
    try:
        with small_db.read() as s:
            uuid = s.scalar(select(Household.uuid).order_by(Household.id))
        for database, note in ((small_db, "办公室：已入户"), (laptop, "社区：电话已更新")):
            with database.write() as s:
                s.scalar(select(Household).where(Household.uuid == uuid)).note = note
        exchange.export_bundle(laptop, tmp_path / "laptop.zip", recipient="办公室", purpose="合并",
                               full_personal_data=True)
    finally:
        laptop.close()

    dialog = panel.open_import()
    dialog.source.setText(str(tmp_path / "laptop.zip"))
    dialog.start(dry_run=True)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert "冲突 1" in dialog.report_view.toPlainText() and exchange.open_conflicts(small_db) == []
    with qtbot.waitSignal(dialog.imported, timeout=30000):
        dialog.start(dry_run=False)
    qtbot.waitUntil(lambda: panel.conflict_table.model().rowCount() == 1, timeout=10000)
    assert panel.conflict_box.isVisible()
    assert "备注" in panel.conflict_table.model().index(0, 1).data()
    dialog.close()

    shown = ConflictDialog(panel.conflicts[0], panel)
    qtbot.addWidget(shown)
    fields = shown.table.model()
    qtmodeltester.check(fields)
    rows = {fields.index(r, 0).data(): (fields.index(r, 1).data(), fields.index(r, 2).data())
            for r in range(fields.rowCount())}
    assert rows["备注"] == ("办公室：已入户", "社区：电话已更新")
    # codes and flags in words, as the person reads them on the households page (not registered, False)
    assert rows["面积来源"][0] in ("登记", "测绘", "合同") and rows["空置"] == ("否", "否"), rows
    differs = fields.index(list(rows).index("备注"), 1).data(Qt.ItemDataRole.FontRole)
    assert differs is not None and differs.bold()
    assert all(fields.index(r, 1).data(Qt.ItemDataRole.FontRole) is None for r, name in enumerate(rows)
               if rows[name][0] == rows[name][1])  # the fields that agree stay plain
    shown.grab().save(str(tmp_path / "conflict.png"))

    opened = []

    class Chooser(ConflictDialog):
        def exec(self):
            opened.append(self)
            self.choice = "incoming"
            return QDialog.DialogCode.Accepted

    panel.conflict_dialog = lambda c: Chooser(c, panel)
    table = panel.conflict_table  # a double-click on the conflict opens both versions side by side
    where = table.visualRect(table.model().index(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # as a hand does: press first
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert [d.conflict.id for d in opened] == [panel.conflicts[0].id]
    assert "备注" in [opened[0].model.index(r, 0).data() for r in range(opened[0].model.rowCount())]
    qtbot.waitUntil(lambda: panel.conflict_table.model().rowCount() == 0, timeout=10000)
    assert not panel.conflict_box.isVisible()
    with small_db.read() as s:
        assert s.scalar(select(Household.note).where(Household.uuid == uuid)) == "社区：电话已更新"
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "resolve_conflict")) is not None
    assert panel.history.model().rowCount() == 1  # the import is in the history


def test_backup_page_holds_the_exchange_panel(qtbot, small_db):
    from renewal_desk.ui.main_window import BackupPage

    page = BackupPage(small_db)
    qtbot.addWidget(page)
    assert isinstance(page.exchange, ExchangePanel)
    assert page.exchange.export_button.text() == "导出数据包…"


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_import_asks_before_deleting_many_records(panel, qtbot, tmp_path, small_db, monkeypatch, answer):
    """A bundle deleting more records than may go unconfirmed (perhaps forged) deletes only when the user says so."""
    from datetime import datetime, timezone

    from tests.core.test_exchange_forgery import tombstones_for_all

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    count = tombstones_for_all(small_db, tmp_path / "t", now)
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = panel.open_import()
    dialog.source.setText(str(tmp_path / "t"))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(asked) and not dialog.running, timeout=30000)
    qtbot.wait(200)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert f"删除本机 {count} 条记录" in asked[0]
    with small_db.read() as s:
        left = s.scalar(select(__import__("sqlalchemy").func.count(Household.id)))
    if answer == QMessageBox.StandardButton.No:
        assert left == 10 and "未导入任何内容" in dialog.status.text()
    else:
        assert left == 0 and len(asked) == 1
    dialog.close()
