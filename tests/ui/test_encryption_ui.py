"""设置 → 加密 (文件 → 加密数据库…) and the passphrase asked at start (issue 23, scope 5): the warning that a
lost passphrase is lost data comes first; after it the window goes on with the encrypted file; the next
start asks for the passphrase (a wrong one asks again, a cancel opens nothing and leaves the file as it was)."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from sqlalchemy import func, select

from renewal_desk.core import cipher
from renewal_desk.core.models import AuditEntry, Household
from renewal_desk.core.services.demo import generate_demo
from renewal_desk.ui.widgets.feedback import FeedbackBanner

SECRET = "办公室的口令 2026"


@pytest.fixture
def win(qtbot, db, monkeypatch):
    from renewal_desk.ui.main_window import MainWindow

    monkeypatch.delenv(cipher.PASSPHRASE_ENV, raising=False)
    cipher.forget()
    generate_demo(db, households=10, seed=3)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    yield window
    cipher.forget()


def _menu_action(win, name):
    file_menu = win.menuBar().actions()[0].menu()
    return next(a for a in file_menu.actions() if a.objectName() == name)


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_encrypt_from_the_menu_after_the_warning(win, db, monkeypatch, answer):
    warned, asked = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text) or answer)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(a[2]) or (SECRET, True))
    action = _menu_action(win, "encryptDatabaseAction")
    assert action.text() == "加密数据库…"
    action.trigger()
    assert "口令丢失＝数据丢失" in warned[0]
    if answer == QMessageBox.StandardButton.No:
        assert asked == [] and cipher.is_plain(db.path)
        return
    assert len(asked) == 2 and not cipher.is_plain(db.path)
    with db.write() as s:  # the window goes on with the encrypted file
        s.scalar(select(Household).order_by(Household.id)).note = "加密后修改"
    with db.read() as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "encrypt")) == 1
    assert "已加密" in win.findChild(FeedbackBanner).text()


def _answer_prompts(qtbot, answers, prompts):
    """Answer the start's passphrase dialogs as a person does: read it, type (or not), press OK or 取消."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit

    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        prompts.append(dialog.findChild(QLabel, "passphrase_reason").text())
        assert dialog.width() <= 560  # wrapped, not as wide as the screen
        text, ok = answers.pop(0)
        dialog.findChild(QLineEdit, "passphrase").setText(text)
        buttons = dialog.findChild(QDialogButtonBox)
        role = QDialogButtonBox.StandardButton.Ok if ok else QDialogButtonBox.StandardButton.Cancel
        buttons.button(role).click()
        if answers:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def test_the_next_start_asks_for_the_passphrase_once(qapp, qtbot, db, monkeypatch):
    from renewal_desk.core.services.encryption import encrypt_database
    from renewal_desk.ui.app import _open_with_recovery

    monkeypatch.delenv(cipher.PASSPHRASE_ENV, raising=False)
    generate_demo(db, households=10, seed=3)
    encrypt_database(db, SECRET, SECRET)
    db.close()
    cipher.forget()
    before = hashlib.sha256(db.path.read_bytes()).hexdigest()
    answers = [("wrong passphrase", True), ("", False)]
    prompts = []
    _answer_prompts(qtbot, answers, prompts)
    assert _open_with_recovery(db.path) is None  # wrong, then cancelled: nothing opened
    assert "已加密" in prompts[0] and "口令不正确" in prompts[1], prompts
    assert hashlib.sha256(db.path.read_bytes()).hexdigest() == before
    cipher.forget()
    answers[:] = [(SECRET, True)]
    _answer_prompts(qtbot, answers, prompts)
    opened = _open_with_recovery(db.path)
    try:
        with opened.read() as s:
            assert s.scalar(select(func.count(Household.id))) == 10
    finally:
        opened.close()
    cipher.forget()
