"""Starting the desktop app: fonts, translations, the database, the account (login), the window."""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLockFile, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from typing import TYPE_CHECKING

from renewal_desk import APP_NAME, APP_ORG, __version__
from renewal_desk.core import backup as backups
from renewal_desk.core.paths import data_dir, default_database_path, resource
from renewal_desk.core.problems import CodedError

from . import tasks
from .fonts import app_font
from .i18n import core_lang, fmt, install_translators
from .widgets.feedback import error_text

if TYPE_CHECKING:
    from renewal_desk.core.db import Database

# The main window's frame is painted before SQLAlchemy, the models and the services are imported (they
# take most of a cold start): those are imported inside the functions that open the database.

DEMO_HOUSEHOLDS = 600
RESTORABLE = ("db.damaged", "db.truncated", "db.not_sqlite", "db.foreign")


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


def _open_checked(path: Path) -> Database:
    """Open, then read the counts once: damage in the middle of a file shows up here, not later."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import overview

    from renewal_desk.core import connection
    from renewal_desk.core.db import is_server_url

    if is_server_url(path):  # its password typed in this run, or kept in the system keyring
        path = connection.with_password(str(path))
    db = open_database(path, create=True)
    try:
        db.check_writable()  # a read-only file or folder is said now, not at the first save
        overview.counts(db)
    except Exception:
        db.close()
        raise
    return db


def _open_with_recovery(path: Path) -> Database | None:
    """Open the database; on a refused file, explain in Chinese and offer the latest good backup."""
    from renewal_desk.core.db import DatabaseError

    while True:
        try:
            return _open_checked(path)
        except DatabaseError as exc:
            if exc.code in PASSPHRASE_CODES:  # encrypted: its passphrase, asked once per start
                if ask_passphrase(path, exc.message(core_lang()), exc.code):
                    continue
                return None
            if exc.code == "db.server_login":  # the office server wants a password nothing here keeps
                if ask_server_password(str(path), exc.message(core_lang())):
                    continue
                return None
            # Restoring helps a file that is damaged or not ours; a newer, read-only or busy file is explained only
            # (an older backup over a newer database would lose its newer work).
            latest = backups.latest_good_backup(path) if exc.code in RESTORABLE else None
            box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("App", "Cannot open the database"), exc.message(core_lang()))
            restore_button = None
            if latest:
                box.setInformativeText(fmt(QCoreApplication.translate("App", "The latest good backup (it passed its integrity check) is from %1."),
                                           latest.taken_at.strftime("%Y-%m-%d %H:%M")))
                restore_button = box.addButton(QCoreApplication.translate("App", "Restore the latest good backup"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QCoreApplication.translate("App", "Quit"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if restore_button is None or box.clickedButton() is not restore_button:
                return None
            operator = authorize_restore(path, latest.path, exc.message(core_lang()))
            if operator is None or not restore_with_message(path, latest.path, operator):
                return None


PASSPHRASE_CODES = ("db.needs_passphrase", "db.wrong_passphrase")


def ask_passphrase(path: Path, reason: str, code: str = "db.needs_passphrase") -> bool:
    """The passphrase of an encrypted database, kept for this run (core.cipher); False when cancelled.

    A small dialog with the text wrapped (the message names the whole path; in one line the dialog was as
    wide as the screen). The first time it only asks; after a wrong passphrase it says why it asks again."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

    from renewal_desk.core import cipher

    dialog = QDialog()
    dialog.setWindowTitle(QCoreApplication.translate("App", "Encrypted database"))
    layout = QVBoxLayout(dialog)
    first = code != "db.wrong_passphrase"
    text = QCoreApplication.translate("App", "This database is encrypted. Enter its passphrase to open it.") \
        if first else reason
    message = QLabel(text)
    message.setWordWrap(True)
    message.setObjectName("passphrase_reason")
    layout.addWidget(message)
    where = QLabel(str(path))
    where.setWordWrap(True)
    where.setStyleSheet("color: #555555")
    layout.addWidget(where)
    layout.addWidget(QLabel(fmt(QCoreApplication.translate("App", "Passphrase of %1:"), path.name)))
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setObjectName("passphrase")
    layout.addWidget(field)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(420)
    dialog.setMaximumWidth(560)
    if dialog.exec() != QDialog.DialogCode.Accepted or not field.text():
        return False
    cipher.give(path, field.text())
    return True


def ask_server_password(address: str, reason: str) -> bool:
    """The office server's password, kept for this run (and in the keyring when asked); False when cancelled."""
    from renewal_desk.core import connection

    from .database_dialog import ServerPasswordDialog

    server = connection.ServerChoice.from_address(address)
    dialog = ServerPasswordDialog(server, reason)
    if dialog.exec() != ServerPasswordDialog.DialogCode.Accepted or not dialog.password.text():
        return False
    connection.give(server, dialog.password.text())
    if dialog.remember.isVisible() and dialog.remember.isChecked():
        connection.remember_password(server, dialog.password.text())
    return True


def chosen_database(db_path: str | Path | None = None) -> str | Path:
    """What to open: --db when given, else what 设置 → 数据库 saved (core.connection), else the default file."""
    from renewal_desk.core import connection

    return db_path or connection.start_target(connection.load()) or default_database_path()


def open_chosen(db_path: str | Path | None = None) -> tuple[str | Path, Database | None]:
    """Open what chosen_database() names (explained and offered recovery as at start): (target, database)."""
    from renewal_desk.core.db import is_server_url

    target = chosen_database(db_path)
    path = target if is_server_url(target) else Path(target)
    return path, _open_with_recovery(path)


def instance_lock(path: Path) -> QLockFile | None:
    """Claim the database for this window, or ask whether to open it although another window has it.

    Two windows on one file are safe (WAL, short transactions, a busy timeout), but each sees the other's
    changes only on refresh, and a restore in one would pull the file from under the other: so say so.
    The lock names a live process; one left by a crashed or killed copy is taken over silently. A folder
    where no lock can be made (read-only) is no reason to refuse: the database itself says what it allows.
    Returns the lock to keep while the window is open, or None when the user chose not to open.
    """
    lock = QLockFile(f"{path}.lock")
    lock.setStaleLockTime(0)  # never stale by age; stale when its process is gone
    if lock.tryLock(200):
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:
        return lock  # could not write a lock file at all: nothing to coordinate with
    info = lock.getLockInfo()  # PySide6 gives (pid, host, app name)
    pid, host = (info[0], info[1]) if isinstance(info, tuple) and len(info) >= 2 and info[0] else ("?", "?")
    answer = QMessageBox.question(
        None, QCoreApplication.translate("App", "Database already open"),
        fmt(QCoreApplication.translate(
                "App", "This database is already open in another Renewal Desk window (process %1 on %2).\n\n"
                "Working in both at once is safe, but each window shows the other's changes only after a refresh. "
                "Open it here as well?"), str(pid), str(host)))
    return lock if answer == QMessageBox.StandardButton.Yes else None


def authorize_restore(path: Path, backup_file: Path, reason: str) -> str | None:
    """The role check of a restore over a file that cannot be opened: when that file (or, unreadable, the backup)
    has accounts, an administrator's name and password; returns the name to audit ("system" when neither has
    accounts), None when refused or cancelled (explained)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from renewal_desk.core.services.backups import authorize_restore as check

    title = QCoreApplication.translate("App", "Restore the latest good backup")
    try:
        return check(path, backup_file, reason, None, None) or "system"
    except backups.BackupError:
        pass  # an administrator must sign it
    name, ok = QInputDialog.getText(None, title, QCoreApplication.translate(
        "App", "The database cannot be opened, so permissions cannot be checked there. An administrator's account:"))
    if not ok:
        return None
    password, ok = QInputDialog.getText(None, title, QCoreApplication.translate("App", "Password:"),
                                        QLineEdit.EchoMode.Password)
    if not ok:
        return None
    try:
        return check(path, backup_file, reason, name.strip(), password) or "system"
    except backups.BackupError as refusal:
        QMessageBox.critical(None, QCoreApplication.translate("App", "Restore failed"), refusal.message(core_lang()))
        return None


def restore_with_message(path: Path, backup_file: Path, operator: str) -> bool:
    """Restore a chosen backup (the database is closed); a refused one is explained and nothing is replaced."""
    from renewal_desk.core.services.backups import restore_backup

    try:
        restore_backup(path, backup_file, operator)
    except Exception as exc:  # noqa: BLE001 - shown to the user; the safety copy is kept
        QMessageBox.critical(None, QCoreApplication.translate("App", "Restore failed"), error_text(exc))
        return False
    return True


def restore_server_with_message(db: Database, dump: Path) -> bool:
    """Restore a dump of the office server's database through `db` (its account must be allowed to restore;
    a safety dump of what is replaced is taken first); a refusal or failure is explained and nothing replaced."""
    from renewal_desk.core.services.backups import restore_server_backup

    try:
        restore_server_backup(db, dump)
    except Exception as exc:  # noqa: BLE001 - shown to the user; the server's data is as it was
        QMessageBox.critical(None, QCoreApplication.translate("App", "Restore failed"), error_text(exc))
        return False
    return True


def _offer_demo(db: Database) -> bool:
    """Offer the demo community on an empty database; True when it was created (a cancel leaves the file empty)."""
    from renewal_desk.core.services.demo import DemoCancelled, generate_demo

    answer = QMessageBox.question(
        None, QCoreApplication.translate("App", "Welcome to Renewal Desk"),
        fmt(QCoreApplication.translate("App", "This database is empty. Create a fictional demo community (%1 households) to explore the app? "
               "You can import your own roster at any time."), str(DEMO_HOUSEHOLDS)))
    if answer != QMessageBox.StandardButton.Yes:
        return False
    progress = QProgressDialog(QCoreApplication.translate("App", "Creating the demo community…"),
                               QCoreApplication.translate("App", "Cancel"), 0, 1)
    progress.setWindowTitle(QCoreApplication.translate("App", "Welcome to Renewal Desk"))
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.setAutoReset(False)
    progress.setAutoClose(False)
    cancelled = threading.Event()
    progress.canceled.connect(cancelled.set)

    def job(report) -> object:
        def step(done: int, total: int) -> None:
            if cancelled.is_set():  # one transaction: raising here rolls the whole demo back
                raise DemoCancelled()
            report(done, total)

        return generate_demo(db, DEMO_HOUSEHOLDS, progress=step, with_records=True)

    def shown(done: int, total: int) -> None:
        if not cancelled.is_set():
            progress.setMaximum(total)
            progress.setValue(done)

    finished = []
    tasks.submit(job, finished.append, finished.append, shown)
    while not finished:
        QApplication.processEvents()
        tasks.wait_all(50)
        if cancelled.is_set():
            progress.setLabelText(QCoreApplication.translate("App", "Cancelling: removing what was created…"))
            progress.setCancelButton(None)
    progress.close()
    outcome = finished[0]
    if isinstance(outcome, DemoCancelled):
        return False
    if isinstance(outcome, BaseException):  # nothing was kept (one transaction); say why as any failure is said
        sys.excepthook(type(outcome), outcome, outcome.__traceback__)
        return False
    return True


def _is_empty(db: Database) -> bool:
    from renewal_desk.core.services import overview

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
        if isinstance(value, CodedError) and QApplication.instance() is not None:
            # A known refusal of the file or disk (full, read-only, in use) reaching here from a page that only
            # expected input errors: its own plain message, not "something went wrong".
            logging.warning("not saved: %s", value.message("en"))
            QMessageBox.critical(None, QCoreApplication.translate("App", "Not saved"), value.message(core_lang()))
            return
        logging.error("unexpected error", exc_info=(kind, value, tb))
        traceback.print_exception(kind, value, tb)
        if QApplication.instance() is not None:
            QMessageBox.critical(None, QCoreApplication.translate("App", "Unexpected error"),
                                 fmt(QCoreApplication.translate(
                                         "App", "Something went wrong: %1\n\nThe action was not completed and no "
                                         "data was changed by it. Details were written to %2."), str(value), str(log)))

    sys.excepthook = hook
    return log


SMOKE_ENV = "RENEWAL_DESK_SMOKE"


def _smoke_hook(app: QApplication, window: QWidget) -> None:
    """RENEWAL_DESK_SMOKE=1: quit once the main window is painted and its pages have loaded
    (installers/smoke-test.sh). The value may instead name a .png file: the window is saved there
    first, to look at what an installed copy draws (fonts, icons, translations). Only on an open
    database (no account has a password, as a fresh demo database): no sign-in dialog, no demo
    question; a database with accounts is refused (exit 1), nobody's password is bypassed.

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


def _sign_in(db: Database, settings: QSettings) -> bool:
    """First administrator on a database without accounts, else a login; False when the user quits."""
    from renewal_desk.core.db import DatabaseError

    from .accounts import sign_in

    try:
        if not sign_in(db, settings.value("lastOperator")):
            return False
    except DatabaseError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("App", "Cannot start"), exc.message(core_lang()))
        return False
    settings.setValue("lastOperator", db.account)
    return True


def run_app(db_path: Path | None = None, lang: str | None = None) -> int:
    from .main_window import MainWindow

    app = make_application(lang=lang)
    install_error_handler()
    # The window's frame first (navigation, menus, "opening the database"), painted before the heavy
    # imports and the database: a person sees the app at once; the section fills in when the file is open.
    window = MainWindow()
    window.show_on_screen()
    QCoreApplication.processEvents()
    from renewal_desk.core.db import is_server_url

    target = chosen_database(db_path)
    server = is_server_url(target)  # postgresql://… : the office server (kept as text; a Path folds the //)
    is_new = not server and (not Path(target).exists() or Path(target).stat().st_size == 0)
    path, db = open_chosen(db_path)
    if db is None:
        window.close()
        return 1
    lock = instance_lock(db.path)
    if lock is None:
        window.close()
        db.close()
        return 0
    settings = QSettings()
    smoke = bool(os.environ.get(SMOKE_ENV))
    from renewal_desk.core.services import accounts as accounts_service

    if smoke and not accounts_service.needs_setup(db):
        # A smoke test logs in as nobody: a database with passwords stays closed to it.
        print("smoke: this database has accounts with passwords; use a demo database", flush=True)
        window.close()
        db.close()
        return 1
    if not smoke and not _sign_in(db, settings):  # smoke: an open database, where anyone is administrator
        window.close()
        db.close()
        return 0
    operator = db.account or db.operator
    if (is_new or _is_empty(db)) and db.allows("write") and not smoke:  # a smoke test answers no question
        _offer_demo(db)

    while True:
        if window is None:  # after a restore: a new window on the restored file
            window = MainWindow()
        window.attach(db)
        restore_to: list[str] = []
        reconnect: list[bool] = []
        window.restart_requested.connect(lambda p: (restore_to.append(p), window.close()))
        window.reconnect_requested.connect(lambda: (reconnect.append(True), window.close()))
        if not window.isVisible():
            window.show_on_screen()
        _smoke_hook(app, window)
        code = app.exec()
        tasks.wait_all()
        # Delete the widgets while Qt is still alive: leaving them to interpreter shutdown can crash
        # in the bindings' teardown (seen with the chart widgets).
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        window = None
        if restore_to and not db.backs_up_here:  # the office server: pg_restore through this connection, under
            restore_server_with_message(db, Path(restore_to[0]))  # the signed-in account's right to restore
        db.close()
        if reconnect:  # 设置 → 数据库: what was saved there (a --db of this start no longer applies)
            path, db = open_chosen()
            if db is None:
                return 1
            if lock is not None:
                lock.unlock()
            lock = instance_lock(db.path)
            if lock is None or not _sign_in(db, settings):
                db.close()
                return 0
            operator = db.account or db.operator
            continue
        if not restore_to:
            return code
        if db.backs_up_here:  # a file: closed now, replaced by the chosen copy (after a safety copy)
            restore_with_message(path, Path(restore_to[0]), operator)
        db = _open_with_recovery(path)
        if db is None:
            return 1
        if not _sign_in(db, settings):  # the restored data has its own accounts: log in again
            db.close()
            return 0
        operator = db.account or db.operator
