"""Starting the desktop app: fonts, translations, the database, the operator, the window."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QLabel, QMessageBox,
                               QProgressDialog, QVBoxLayout, QWidget)

from renewal_desk import APP_NAME, APP_ORG, __version__
from renewal_desk.core import backup as backups
from renewal_desk.core.db import Database, DatabaseError, open_database
from renewal_desk.core.paths import data_dir, default_database_path, resource
from renewal_desk.core.problems import InputError
from renewal_desk.core.services.backups import restore_backup
from renewal_desk.core.services.demo import generate_demo
from renewal_desk.core.services import overview
from renewal_desk.core.services.operators import ensure_operator, list_operators

from . import tasks
from .fonts import app_font
from .i18n import core_lang, install_translators

DEMO_HOUSEHOLDS = 600


def make_application(argv: list[str] | None = None, lang: str | None = None) -> QApplication:
    from .qt_fixes import install as install_qt_fixes

    install_qt_fixes()  # before any signal is emitted in earnest (see qt_fixes)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    from .qt_fixes import collect_on_gui_thread

    collect_on_gui_thread(app)  # garbage is collected on the GUI thread only (see qt_fixes)
    QCoreApplication.setOrganizationName(APP_ORG)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app.setDesktopFileName("renewal-desk")  # ties windows to installers/linux/renewal-desk.desktop (Wayland app id)
    app.setFont(app_font())
    icon = resource("icons", "renewal-desk.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translators(app, lang)
    return app


class OperatorDialog(QDialog):
    """Who is working: the name goes into every audit entry."""

    def __init__(self, known: list[str], last: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("App", "Who is working?"))
        layout = QVBoxLayout(self)
        label = QLabel(QCoreApplication.translate("App", "Choose or type your name. Every change you make is recorded under this name."))
        label.setWordWrap(True)
        layout.addWidget(label)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(known)
        if last:
            self.name.setCurrentText(last)
        layout.addWidget(self.name)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(QCoreApplication.translate("App", "Start"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(QCoreApplication.translate("App", "Quit"))
        box.accepted.connect(self._ok)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(380, 160)

    def _ok(self) -> None:
        if not self.name.currentText().strip():
            self.error.setText(QCoreApplication.translate("App", "Please enter your name."))
            return
        self.accept()


def _open_checked(path: Path) -> Database:
    """Open, then read the counts once: damage in the middle of a file shows up here, not later."""
    db = open_database(path, create=True)
    try:
        overview.counts(db)
    except Exception:
        db.close()
        raise
    return db


def _open_with_recovery(path: Path) -> Database | None:
    """Open the database; on a refused file, explain in Chinese and offer the latest good backup."""
    while True:
        try:
            return _open_checked(path)
        except DatabaseError as exc:
            latest = backups.latest_backup(path)
            box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("App", "Cannot open the database"), exc.message(core_lang()))
            restore_button = None
            if latest and exc.code in ("db.damaged", "db.not_sqlite", "db.foreign"):
                box.setInformativeText(QCoreApplication.translate("App", "The latest backup is from %1.").replace(
                    "%1", latest.taken_at.strftime("%Y-%m-%d %H:%M")))
                restore_button = box.addButton(QCoreApplication.translate("App", "Restore the latest backup"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QCoreApplication.translate("App", "Quit"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if restore_button is None or box.clickedButton() is not restore_button:
                return None
            try:
                restore_backup(path, latest.path, "system")
            except Exception as restore_exc:  # noqa: BLE001 - shown to the user, nothing overwritten
                QMessageBox.critical(None, QCoreApplication.translate("App", "Restore failed"), str(restore_exc))
                return None


def _offer_demo(db: Database) -> None:
    answer = QMessageBox.question(
        None, QCoreApplication.translate("App", "Welcome to Renewal Desk"),
        QCoreApplication.translate("App", "This database is empty. Create a fictional demo community (%1 households) to explore the app? "
           "You can import your own roster at any time.").replace("%1", str(DEMO_HOUSEHOLDS)))
    if answer != QMessageBox.StandardButton.Yes:
        return
    progress = QProgressDialog(QCoreApplication.translate("App", "Creating the demo community…"), "", 0, DEMO_HOUSEHOLDS)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    done = []
    tasks.submit(lambda report: generate_demo(db, DEMO_HOUSEHOLDS, progress=report, with_records=True), done.append, done.append,
                 lambda n, total: progress.setValue(n))
    while not done:
        QApplication.processEvents()
        tasks.wait_all(50)
    progress.close()


def _is_empty(db: Database) -> bool:
    counts = overview.counts(db)
    return counts["household"] == 0 and counts["project"] == 0


def install_error_handler() -> Path:
    """Unexpected errors: a plain Chinese message for the user, the traceback in a log file.

    Every write is one transaction, so an error in the middle of an action leaves no half-change.
    """
    log_dir = data_dir() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "renewal-desk.log"
    logging.basicConfig(filename=log, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    def hook(kind, value, tb) -> None:
        logging.error("unexpected error", exc_info=(kind, value, tb))
        traceback.print_exception(kind, value, tb)
        if QApplication.instance() is not None:
            QMessageBox.critical(None, QCoreApplication.translate("App", "Unexpected error"),
                                 QCoreApplication.translate(
                                     "App", "Something went wrong: %1\n\nThe action was not completed and no "
                                     "data was changed by it. Details were written to %2.")
                                 .replace("%1", str(value)).replace("%2", str(log)))

    sys.excepthook = hook
    return log


SMOKE_ENV = "RENEWAL_DESK_SMOKE"


def _smoke_hook(app: QApplication, window: QWidget) -> None:
    """RENEWAL_DESK_SMOKE=1: quit once the main window is painted and its pages have loaded
    (installers/smoke-test.sh). The value may instead name a .png file: the window is saved there
    first, to look at what an installed copy draws (fonts, icons, translations). Use it with
    --operator NAME (no "who is working" question); an empty database is not offered the demo.

    Exit code 0, or 1 if any unexpected error happened meanwhile; in this mode errors are printed
    and logged but not shown in a message box, which would wait for a click nobody makes.
    """
    value = os.environ.get(SMOKE_ENV, "")
    if not value or value == "0":
        return
    errors: list[BaseException] = []
    shown = sys.excepthook

    def hook(kind, exc, tb) -> None:
        errors.append(exc)
        logging.error("unexpected error", exc_info=(kind, exc, tb))
        traceback.print_exception(kind, exc, tb)

    sys.excepthook = hook

    def done() -> None:
        for _ in range(3):  # pages load off the GUI thread, then draw: let both finish
            tasks.wait_all()
            QCoreApplication.processEvents()
        window.repaint()
        if value.lower().endswith(".png"):
            window.grab().save(value)
        sys.excepthook = shown
        print(f"smoke: main window shown: {window.windowTitle()} {window.width()}x{window.height()}, "
              f"unexpected errors: {len(errors)}", flush=True)
        app.exit(1 if errors else 0)

    QTimer.singleShot(1000, done)


def run_app(db_path: Path | None = None, lang: str | None = None, operator: str | None = None) -> int:
    from .main_window import MainWindow

    app = make_application(lang=lang)
    install_error_handler()
    path = Path(db_path) if db_path else default_database_path()
    is_new = not path.exists() or path.stat().st_size == 0
    db = _open_with_recovery(path)
    if db is None:
        return 1
    settings = QSettings()
    if operator is None:
        dialog = OperatorDialog(list_operators(db), settings.value("lastOperator"))
        if not dialog.exec():
            db.close()
            return 0
        operator = dialog.name.currentText()
    try:
        operator = ensure_operator(db, operator)
    except InputError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("App", "Cannot start"), exc.describe(core_lang()))
        return 2
    except DatabaseError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("App", "Cannot start"), exc.message(core_lang()))
        db.close()
        return 1
    settings.setValue("lastOperator", operator)
    if (is_new or _is_empty(db)) and not os.environ.get(SMOKE_ENV):  # a smoke test answers no question
        _offer_demo(db)

    while True:
        window = MainWindow(db)
        restore_to: list[str] = []
        window.restart_requested.connect(lambda p: (restore_to.append(p), window.close()))
        window.show()
        _smoke_hook(app, window)
        code = app.exec()
        tasks.wait_all()
        # Delete the widgets while Qt is still alive: leaving them to interpreter shutdown can crash
        # in the bindings' teardown (seen with the chart widgets).
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.close()
        if not restore_to:
            return code
        try:
            restore_backup(path, Path(restore_to[0]), operator)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the safety copy is kept
            text = exc.message(core_lang()) if hasattr(exc, "message") else str(exc)
            QMessageBox.critical(None, QCoreApplication.translate("App", "Restore failed"), text)
        db = _open_with_recovery(path)
        if db is None:
            return 1
        db.operator = operator
