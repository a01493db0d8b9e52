"""Smoke walk as a curious new user: visit every section and tab and press every enabled button and
toolbar action, with every modal dialog cancelled and every message box closed; then again with the
first row of each table (and tree) on the tab selected, as a user does before pressing 打印 or 复查.
Any unexpected error (the app's crash handler, sys.excepthook) fails the test. The meetings page's
buttons are pressed in their own test (its dialogs are shown, then cancelled)."""

import sys

import shiboken6

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox,
                               QPushButton, QTabWidget, QToolBar)

from renewal_desk.ui.main_window import SECTIONS

SELECTED: set[str] = set()  # the pages where a row was selected before the buttons were pressed
SKIP_WORDS = ("退出", "Quit", "注销", "Log out", "切换", "示范", "Demo")


@pytest.fixture
def window(qtbot, records_db):
    """The main window on a demo with every record type (supervision, designer, leases …), so every
    page's tables have rows to select."""
    from renewal_desk.ui.main_window import MainWindow

    win = MainWindow(records_db)
    qtbot.addWidget(win)
    page = win.pages["households"]
    with qtbot.waitSignals([page.model.loaded, page.tree_loaded], timeout=10000):
        win.show()
    return win


@pytest.fixture
def cancelled(monkeypatch):
    errors = []
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    from PySide6.QtPrintSupport import QPrintDialog

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)  # its own exec binding
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


def _settle() -> None:
    """Let the background loads a selection started finish and their results arrive on the GUI thread."""
    from renewal_desk.ui import tasks

    for _ in range(3):
        tasks.wait_all(10000)
        QApplication.processEvents()


def _tables(page) -> list[QAbstractItemView]:
    """The visible tables and trees of the current tab that have rows (not lists of photos or choices)."""
    from PySide6.QtWidgets import QListView, QTableView, QTreeView

    return [v for v in page.findChildren(QAbstractItemView) if isinstance(v, (QTableView, QTreeView))
            and not isinstance(v, QListView) and v.isVisible() and v.model() is not None
            and v.model().rowCount() > 0 and v.selectionModel() is not None]


def _select_first_row(view: QAbstractItemView) -> str:
    first = view.model().index(0, 0)
    view.setCurrentIndex(first)
    view.selectionModel().select(first, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
    _settle()
    return f"{view.objectName() or type(view.model()).__name__} row 1"


def _press_buttons(page, errors, where: str) -> int:
    pressed = 0
    buttons = [b for b in page.findChildren(QPushButton) if b.isVisible() and b.isEnabled()
               and not any(w in b.text() for w in SKIP_WORDS)]
    for button in buttons:
        if not shiboken6.isValid(button) or not (button.isVisible() and button.isEnabled()):  # a press changed it
            continue
        button.click()
        pressed += 1
        assert not errors, f"{type(page).__name__} {where} / {button.text()}: {errors}"
        _close_previews(page)
    return pressed


def _close_previews(page) -> None:
    """A 打印 pressed with a row selected opens the preview (window-modal): close it, as the user would."""
    from renewal_desk.ui.print_preview import PrintPreviewDialog

    if not any(t for t in page.findChildren(QDialog) if t.isVisible()) and not _busy():
        return
    _settle()
    for preview in page.findChildren(PrintPreviewDialog):
        if preview.isVisible():
            preview.reject()
    QApplication.processEvents()


def _busy() -> bool:
    from renewal_desk.ui import tasks

    return tasks.background_pool().activeThreadCount() > 0


def _press_everything(qtbot, page, errors, with_selection: bool = True) -> int:
    pressed = 0
    tabs = [t for t in page.findChildren(QTabWidget)] or [None]
    for tab in tabs:
        for index in range(tab.count() if tab else 1):
            if tab:
                tab.setCurrentIndex(index)
            pressed += _press_buttons(page, errors, "(nothing selected)")
            if not with_selection:
                continue
            _settle()
            for view in _tables(page):
                if not view.isVisible() or view.model().rowCount() == 0:
                    continue
                where = _select_first_row(view)
                SELECTED.add(type(page).__name__)
                assert not errors, f"{type(page).__name__} / selecting {where}: {errors}"
                pressed += _press_buttons(page, errors, f"({where} selected)")
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
    print("pressed", pressed, "with a row selected on", sorted(SELECTED))
    assert {"HouseholdsPage", "OrderingPage", "SupervisionPage", "DesignerPage", "LeasesPage", "AuditPage"} <= SELECTED
    assert pressed > 40  # the walk really reached the pages' buttons


def test_meetings_page_buttons(qtbot, window, cancelled, monkeypatch):
    monkeypatch.setattr(QDialog, "exec", lambda self: self.show() or QDialog.DialogCode.Rejected)
    page = window.show_section("meetings")
    _press_everything(qtbot, page, cancelled)
    assert not cancelled
    assert type(page).__name__ in SELECTED  # a meeting was selected, then every button pressed again
