"""The first-run demo offer: a progress bar with Cancel, and a cancel leaves the new database empty."""

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

from renewal_desk.core.db import open_database
from renewal_desk.ui import app as app_module


def _counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("project", "household", "person", "ordering_round", "meeting", "lease_contract", "audit_log")}


def _dialog() -> QProgressDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    return found[0] if found else None


def test_cancel_leaves_the_database_empty(tmp_path, monkeypatch):
    path = tmp_path / "first.sqlite"
    db = open_database(path, create=True)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    seen = []

    def cancel_once_under_way() -> None:
        dialog = _dialog()
        if dialog is not None and dialog.value() > 0:  # the first households are made (not yet committed)
            seen.append((dialog.value(), dialog.maximum()))
            dialog.findChild(QPushButton).click()  # as a person would: the Cancel button
            return
        QTimer.singleShot(2, cancel_once_under_way)

    QTimer.singleShot(0, cancel_once_under_way)
    created = app_module._offer_demo(db)
    db.close()
    assert seen and seen[0][1] > app_module.DEMO_HOUSEHOLDS  # the bar covered the record types too
    assert created is False
    assert set(_counts(path).values()) == {0}  # not a household, not an audit entry: as before the offer


def test_without_cancel_the_demo_is_complete(tmp_path, monkeypatch):
    path = tmp_path / "first.sqlite"
    db = open_database(path, create=True)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(app_module, "DEMO_HOUSEHOLDS", 40)
    assert app_module._offer_demo(db) is True
    db.close()
    counts = _counts(path)
    assert counts["household"] == 40 and counts["ordering_round"] >= 1 and counts["meeting"] >= 1
    assert counts["lease_contract"] >= 1 and counts["audit_log"] > 0
    assert _dialog() is None  # closed when done


def test_declining_creates_nothing(tmp_path, monkeypatch):
    path = tmp_path / "first.sqlite"
    db = open_database(path, create=True)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert app_module._offer_demo(db) is False
    db.close()
    assert set(_counts(path).values()) == {0}
