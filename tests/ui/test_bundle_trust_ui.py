"""文件 → 导入数据包… with a bundle from a key this database does not trust yet (issue 23, scope 0): the
fingerprint is shown; an administrator who says no gets nothing written, one who says yes trusts the key
(audited) and the bundle imports; a 工作人员 is refused with the fingerprint and is not asked."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from renewal_desk.core.exchange import signing
from renewal_desk.core.models import AuditEntry, Household
from renewal_desk.core.services import exchange, keys
from renewal_desk.core.services.demo import generate_demo
from renewal_desk.ui.exchange_page import ImportDialog


@pytest.fixture
def other_bundle(tmp_path_factory, template_db):
    import shutil

    from renewal_desk.core.db import open_database

    folder = tmp_path_factory.mktemp("other")
    shutil.copy(template_db, folder / "other.sqlite")
    other = open_database(folder / "other.sqlite", operator="社区笔记本")
    try:
        generate_demo(other, households=10, seed=4)
        exchange.export_bundle(other, folder / "b")
    finally:
        other.close()
    return folder / "b", signing.sign_folder(folder / "b", Ed25519PrivateKey.generate())


@pytest.fixture
def win(qtbot, db):
    from renewal_desk.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def _households(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(Household.id)))


def _import_from_the_menu(win, qtbot, source):
    file_menu = win.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.objectName() == "importBundleAction")
    assert action.text() == "导入数据包…"
    action.trigger()
    dialog = next(d for d in win.findChildren(ImportDialog) if d.isVisible())
    dialog.source.setText(str(source))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    qtbot.wait(100)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    return dialog


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_an_administrator_sees_the_fingerprint_and_may_trust_it(win, qtbot, db, other_bundle, monkeypatch, answer):
    path, fingerprint = other_bundle
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or answer)
    dialog = _import_from_the_menu(win, qtbot, path)
    assert len(asked) == 1 and fingerprint in asked[0] and "核对指纹" in asked[0]
    with db.read() as s:
        trusted = s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "trust_key"))
    if answer == QMessageBox.StandardButton.No:
        assert _households(db) == 0 and trusted == 0 and keys.trusted_keys(db) == []
        assert fingerprint in dialog.status.text() and "未导入任何内容" in dialog.status.text()
    else:
        assert _households(db) == 10 and trusted == 1
        assert [k.fingerprint for k in keys.trusted_keys(db)] == [fingerprint]
        assert f"签名密钥：{fingerprint}" in dialog.report_view.toPlainText()
    dialog.close()


def test_staff_are_told_the_fingerprint_and_not_asked(win, qtbot, db, other_bundle, monkeypatch):
    path, fingerprint = other_bundle
    for name, value in (("accounts_enabled", True), ("account", "小王"), ("account_role", "staff")):
        monkeypatch.setattr(db, name, value)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("staff may not trust a key"))
    dialog = _import_from_the_menu(win, qtbot, path)
    assert fingerprint in dialog.status.text() and "管理员" in dialog.status.text()
    assert _households(db) == 0
    dialog.close()
