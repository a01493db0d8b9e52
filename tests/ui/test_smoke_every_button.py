"""Smoke walk as a curious new user: visit every section and tab and press every enabled button and
toolbar action, with every modal dialog cancelled. Any unexpected error (the app's crash handler,
sys.excepthook) fails the test. The meetings page is visited but its buttons are pressed in a separate
strict xfail test while meetui rewrites it (the meeting dialog's _qdt bug)."""

import sys

import pytest
from PySide6.QtWidgets import (QDialog, QFileDialog, QInputDialog, QMessageBox, QPushButton, QTabWidget,
                               QToolBar)

from renewal_desk.ui.main_window import SECTIONS

SKIP_WORDS = ("退出", "Quit", "注销", "Log out", "切换", "示范", "Demo")


@pytest.fixture
def cancelled(monkeypatch):
    errors = []
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    for name in ("information", "warning", "critical", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    for name in ("getText", "getItem", "getMultiLineText"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *a, **k: (0, False)))
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: errors.append(f"{kind.__name__}: {value}"))
    return errors


def _press_everything(qtbot, page, errors) -> int:
    pressed = 0
    tabs = [t for t in page.findChildren(QTabWidget)] or [None]
    for tab in tabs:
        for index in range(tab.count() if tab else 1):
            if tab:
                tab.setCurrentIndex(index)
            buttons = [b for b in page.findChildren(QPushButton) if b.isVisible() and b.isEnabled()
                       and not any(w in b.text() for w in SKIP_WORDS)]
            for button in buttons:
                button.click()
                pressed += 1
                assert not errors, f"{type(page).__name__} / {button.text()}: {errors}"
    for bar in page.findChildren(QToolBar):
        for action in bar.actions():
            if action.isEnabled() and action.text() and not any(w in action.text() for w in SKIP_WORDS):
                action.trigger()
                pressed += 1
                assert not errors, f"{type(page).__name__} / {action.text()}: {errors}"
    return pressed


def test_every_section_tab_and_button(qtbot, window, cancelled):
    from renewal_desk.ui import tasks

    pressed = 0
    for key in SECTIONS:
        page = window.show_section(key)
        if key == "meetings":
            continue  # visited; its buttons in test_meetings_page_buttons below
        pressed += _press_everything(qtbot, page, cancelled)
        tasks.wait_all(10000)
        assert not cancelled, f"{key}: {cancelled}"
    print("pressed", pressed)
    assert pressed > 40  # the walk really reached the pages' buttons


def test_meetings_page_buttons(qtbot, window, cancelled, monkeypatch):
    monkeypatch.setattr(QDialog, "exec", lambda self: self.show() or QDialog.DialogCode.Rejected)
    page = window.show_section("meetings")
    _press_everything(qtbot, page, cancelled)
    assert not cancelled
