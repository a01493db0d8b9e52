"""The main window: left navigation with every section, a page per section, status bar."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QProgressDialog, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget, QHeaderView, QSpinBox, QToolButton)

from typing import TYPE_CHECKING

from renewal_desk import __version__
from renewal_desk.core import backup as backups
from renewal_desk.core.services import events

from . import tasks
from .i18n import LANGUAGES, core_lang, current_language, fmt
from .page import Page
from .rows_model import Column, RowsModel
from .widgets.feedback import FeedbackBanner, error_text
from .widgets.style import ERROR_STYLE, page_heading
from .widgets.tables import table_view

SMALL_SCREEN_WIDTH = 1440  # screens this wide or narrower: the window opens maximised

if TYPE_CHECKING:
    from renewal_desk.core.db import Database

# The window frame is painted before the database is opened (MainWindow() then attach(db)): nothing that
# imports SQLAlchemy, the models or the services is imported at module level here (test_startup_cost).

SECTIONS = ("overview", "households", "ordering", "meetings", "supervision", "designer", "leases", "exchange",
            "audit", "settings")
BACKUP_CHECK_MS = 60 * 60 * 1000  # look hourly whether the daily backup is due
BACKUP_COLUMNS = (Column(QT_TRANSLATE_NOOP("BackupPage", "Taken at")), Column(QT_TRANSLATE_NOOP("BackupPage", "Reason")),
                  Column(QT_TRANSLATE_NOOP("BackupPage", "File")))


class _Pages(dict):
    """The window's pages by section key, each built on first access."""

    def __init__(self, build):
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        if key not in SECTIONS:
            raise KeyError(key)
        page = self._build(key)
        self[key] = page
        return page


class EventBridge(QObject):
    """Core announces changes from any thread; this re-emits them on the GUI thread."""

    changed = Signal(str, list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._unsubscribe = events.subscribe(lambda topic, ids: self.changed.emit(topic, ids))

    def close(self) -> None:
        self._unsubscribe()


def _combo_select(box, value) -> bool:
    index = box.findData(value)
    if index >= 0 and box.currentIndex() != index:
        box.setCurrentIndex(index)
    return index >= 0 and box.currentData() == value


def _select_record(page, record: str, record_id: int, scope: int = 0) -> bool:
    """Select one record on its page; True once it is the page's current record."""
    if record == "problem":
        page.select_problem(record_id)
        row = page.problem_table.currentIndex().row()
        return row >= 0 and page.problems.key_at(row) == record_id
    if record == "contract":
        page.select_contract(record_id)
        row = page.contract_table.currentIndex().row()
        return row >= 0 and page.contracts.key_at(row) == record_id
    if record == "opinion":
        if scope and not _combo_select(page.block_box, scope):
            return False
        page.select_opinion(record_id)
        return page.selected_opinion_id() == record_id
    if record == "meeting":
        return _combo_select(page.meeting_box, record_id)
    if record == "round":
        return _combo_select(page.round_box, record_id)
    return False


class BackupCancelled(Exception):
    """Raised from the backup's progress callback when the person presses Cancel."""


class BackupPage(Page):
    restore_requested = Signal(str)
    watches = frozenset()
    refresh_when_shown = True  # the backups and bundles made since it was last in sight

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.progress: QProgressDialog | None = None  # while a backup runs
        layout = QVBoxLayout(self)
        layout.addWidget(page_heading(self.tr("Export and backup")))
        if db.backs_up_here:
            text = self.tr("Backups are made automatically when the app closes, once a day while it runs, and "
                           "before every upgrade or restore. They are kept in: %1")
        else:  # the office server: its nightly job backs it up; 立即备份 takes a pg_dump onto this computer
            text = self.tr("The office server's database is backed up by the server's nightly job. Back up now "
                           "saves a copy of it (pg_dump) on this computer, in: %1")
        info = QLabel(fmt(text, str(backups.backup_dir_for(db.path))))
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(info)
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.clicked.connect(self.backup)
        self.restore_button = QPushButton(self.tr("Restore selected backup…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(self.tr("Restore from file…"))
        self.restore_file_button.clicked.connect(self.restore_file)
        for b in (self.backup_button, self.restore_button, self.restore_file_button):
            row.addWidget(b)
        row.addStretch()
        layout.addLayout(row)
        self.backup_model = RowsModel.of("BackupPage", BACKUP_COLUMNS, self)
        self.list = table_view(self.backup_model)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.list, 1)
        from .exchange_page import ExchangePanel  # built with this page, on first show

        self.exchange = ExchangePanel(db)
        layout.insertWidget(1, self.exchange, 2)  # export and exchange first, backups below
        self.refresh()

    def apply_role(self) -> None:
        self.backup_button.setEnabled(self.db.allows("backup"))
        self.restore_button.setEnabled(self.db.allows("restore"))
        self.restore_file_button.setEnabled(self.db.allows("restore"))

    def backup_suffix(self) -> str:
        """The copies this page lists: a database file's, or the dumps of the office server taken here."""
        return ".sqlite" if self.db.backs_up_here else backups.SERVER_DUMP

    def refresh(self) -> None:
        reasons = {"close": self.tr("on close"), "daily": self.tr("daily"), "manual": self.tr("manual"),
                   "before-restore": self.tr("before restore")}
        found = backups.list_backups(self.db.path, suffix=self.backup_suffix())
        rows = []
        for b in found:
            reason = reasons.get(b.reason, self.tr("before upgrade") if b.reason.startswith("upgrade") else b.reason)
            rows.append((b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), reason, str(b.path)))
        self.backup_model.set_rows(rows, keys=[str(b.path) for b in found])
        self.exchange.refresh()

    def backup(self) -> None:
        from renewal_desk.core.problems import InputError

        try:
            self.db.require("backup")  # the File menu reaches here too
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Backup failed"), exc.describe(core_lang()))
            return
        self.backup_button.setEnabled(False)
        from renewal_desk.core.services.backups import backup_now

        # A copy of a sub-district's database takes seconds: the pages copied (on the office server, the tables
        # pg_dump has copied), and a Cancel that leaves no file.
        label = self.tr("Backing up…") if self.db.backs_up_here else self.tr("Backing up the office server…")
        self.progress = QProgressDialog(label, self.tr("Cancel"), 0, 0, self)
        self.progress.setWindowTitle(self.tr("Back up now"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(500)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        cancelled = self._backup_cancelled = threading.Event()
        self.progress.canceled.connect(cancelled.set)

        def job(report):
            def step(done: int, total: int) -> None:
                if cancelled.is_set():
                    raise BackupCancelled()
                report(done, total)

            path = backup_now(self.db, "manual", progress=step)
            report(-1, -1)  # copied: the copy's integrity check follows
            return path

        tasks.submit(job, self._backed_up, self._failed, self._backup_progress, owner=self)

    def _backup_progress(self, done: int, total: int) -> None:
        if done < 0:
            self.progress.setLabelText(self.tr("Checking the copy…"))
            self.progress.setRange(0, 0)
            return
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()  # closing a progress dialog emits canceled: not a cancel here
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _backed_up(self, path) -> None:
        self._close_progress()
        self.backup_button.setEnabled(True)
        self.refresh()
        self.window().update_status()
        self.window().statusBar().showMessage(fmt(self.tr("Backed up to %1"), str(path)), 15000)

    def _failed(self, exc) -> None:
        self._close_progress()
        self.backup_button.setEnabled(True)
        if isinstance(exc, BackupCancelled):
            self.window().statusBar().showMessage(self.tr("Backup cancelled; no file was written"), 8000)
            return
        QMessageBox.critical(self, self.tr("Backup failed"), error_text(exc))

    def restore_selected(self) -> None:
        path = self.backup_model.key_at(self.list.currentIndex().row())
        if path is None:
            QMessageBox.information(self, self.tr("Restore"), self.tr("Select a backup in the list first."))
            return
        self.restore_requested.emit(path)

    def restore_file(self) -> None:
        kinds = self.tr("Renewal Desk database (*.sqlite)") if self.db.backs_up_here else \
            fmt(self.tr("Office server backup (*%1)"), self.backup_suffix())  # the server's pg_dump files
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a backup"), str(backups.backup_dir_for(
            self.db.path)), kinds)
        if path:
            self.restore_requested.emit(path)


class SettingsPage(Page):
    auto_lock_changed = Signal(int)  # minutes, 0 = never
    watches = frozenset()

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        layout.addWidget(page_heading(self.tr("Settings")))
        form = QFormLayout()
        self.language = QComboBox()
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.currentIndexChanged.connect(self._language_changed)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Operator"), QLabel(db.operator))
        form.addRow(self.tr("Database"), QLabel(str(db.path)))
        form.addRow(self.tr("Version"), QLabel(__version__))
        layout.addLayout(form)
        office = QPushButton(self.tr("Office profile (name, address, responsible person, phone, seal)…"))
        office.setObjectName("officeProfileButton")
        office.clicked.connect(lambda: self.window().edit_office_profile())
        office_row = QHBoxLayout()
        office_row.addWidget(office)
        office_row.addStretch()
        layout.addLayout(office_row)
        layout.addWidget(self._accounts_box(db))
        self.note = QLabel()
        self.note.setStyleSheet("color: #666;")
        layout.addWidget(self.note)
        layout.addWidget(self._consent_box(db))
        layout.addStretch()

    def _accounts_box(self, db: Database) -> QGroupBox:
        """Accounts: who is logged in, own password, account management and auto-lock (administrators)."""
        from renewal_desk.core.services import accounts

        box = QGroupBox(self.tr("Accounts and screen lock"))
        grid = QFormLayout(box)
        if db.accounts_enabled:
            who = fmt(self.tr("%1 (%2)"), db.account or "", accounts.role_label(db.role, core_lang()))
        else:
            who = self.tr("No accounts yet: everyone works as an administrator. Restart the app to set one up.")
        self.account_label = QLabel(who)
        self.account_label.setWordWrap(True)
        grid.addRow(self.tr("Logged in"), self.account_label)
        row = QHBoxLayout()
        self.accounts_button = QPushButton(self.tr("Manage accounts…"))
        self.accounts_button.setObjectName("manageAccounts")
        from .accounts import AccountsDialog, ChangePasswordDialog

        self.accounts_button.clicked.connect(lambda: AccountsDialog(self.db, self).exec())
        self.password_button = QPushButton(self.tr("Change my password…"))
        self.password_button.clicked.connect(lambda: ChangePasswordDialog(self.db, parent=self).exec())
        row.addWidget(self.accounts_button)
        row.addWidget(self.password_button)
        row.addStretch()
        grid.addRow(row)
        lock_row = QHBoxLayout()
        self.auto_lock = QSpinBox()
        self.auto_lock.setObjectName("autoLockMinutes")
        self.auto_lock.setRange(0, accounts.AUTO_LOCK_MAX)
        self.auto_lock.setSuffix(self.tr(" min"))
        self.auto_lock.setSpecialValueText(self.tr("never"))
        self.auto_lock.setValue(accounts.auto_lock_minutes(db))
        self.auto_lock_save = QPushButton(self.tr("Save"))
        self.auto_lock_save.clicked.connect(self.save_auto_lock)
        self.auto_lock_status = QLabel()
        lock_row.addWidget(self.auto_lock)
        lock_row.addWidget(self.auto_lock_save)
        lock_row.addWidget(self.auto_lock_status, 1)
        grid.addRow(self.tr("Lock after inactivity"), lock_row)
        self.apply_role()
        return box

    def apply_role(self) -> None:
        admin = self.db.allows("accounts")
        self.accounts_button.setEnabled(admin and self.db.accounts_enabled)
        self.password_button.setEnabled(bool(self.db.account))
        self.auto_lock.setEnabled(admin and self.db.accounts_enabled)
        self.auto_lock_save.setEnabled(admin and self.db.accounts_enabled)

    def save_auto_lock(self) -> bool:
        from renewal_desk.core.problems import InputError
        from renewal_desk.core.services import accounts

        try:
            minutes = accounts.set_auto_lock_minutes(self.db, self.auto_lock.value())
        except InputError as exc:
            self.auto_lock_status.setText(exc.describe(core_lang()))
            return False
        self.auto_lock_status.setText(self.tr("Saved"))
        self.auto_lock_changed.emit(minutes)
        return True

    def _consent_box(self, db: Database) -> QGroupBox:
        """Owners' consent thresholds: the law by default; a city may only make them stricter."""
        from renewal_desk.core.services import ordering

        self.db = db
        box = QGroupBox(self.tr("Owners' consent rules (Civil Code art. 278; local rules may only be stricter)"))
        grid = QFormLayout(box)
        rules = ordering.consent_rules(db)
        self.rule_fields = {}
        for matter, label in (("special", self.tr("Renovation, repair funds, common parts")),
                              ("ordinary", self.tr("Other joint decisions"))):
            quorum, approval = QLineEdit(str(rules[matter].quorum)), QLineEdit(str(rules[matter].approval))
            row = QHBoxLayout()
            row.addWidget(QLabel(self.tr("participation ≥")))
            row.addWidget(quorum)
            row.addWidget(QLabel(self.tr("approval")))
            row.addWidget(approval)
            grid.addRow(label, row)
            self.rule_fields[matter] = (quorum, approval)
        self.rule_status = QLabel()
        self.rule_status.setWordWrap(True)
        save = QPushButton(self.tr("Save rules"))
        save.clicked.connect(self.save_rules)
        grid.addRow(save, self.rule_status)
        return box

    def save_rules(self) -> bool:
        from renewal_desk.core.problems import InputError
        from renewal_desk.core.services import ordering

        from .i18n import core_lang

        names = []
        try:
            for matter, (quorum, approval) in self.rule_fields.items():
                current = ordering.consent_rules(self.db)[matter]
                if (quorum.text().strip(), approval.text().strip()) != (str(current.quorum), str(current.approval)):
                    names.append(ordering.set_consent_rule(self.db, matter, quorum.text().strip(),
                                                           approval.text().strip()).name(core_lang()))
        except InputError as exc:
            self.rule_status.setStyleSheet(ERROR_STYLE)
            self.rule_status.setText(exc.describe(core_lang()))
            return False
        self.rule_status.setStyleSheet("")
        self.rule_status.setText("\n".join(names) or self.tr("No change"))
        return True

    def _language_changed(self) -> None:
        QSettings().setValue("language", self.language.currentData())
        self.note.setText(self.tr("The new language is used from the next start."))


class MainWindow(QMainWindow):
    restart_requested = Signal(str)  # restore: the app closes the database, restores, reopens
    reconnect_requested = Signal()  # 设置 → 数据库 saved a new choice: the app closes this one and opens that

    def __init__(self, db: Database | None = None, parent=None):
        """The window; with `db`, ready to use. Without, only its frame (navigation, menus, status bar, a
        "opening" note), which run_app paints before the database is opened, then attach(db)."""
        super().__init__(parent)
        self.db: Database | None = None
        self._closing_backup_done = False
        self.setWindowTitle(self.tr("Renewal Desk"))

        titles = {
            "overview": self.tr("Overview"), "households": self.tr("Projects and households"),
            "ordering": self.tr("Demand ordering"), "meetings": self.tr("Consultation meetings"),
            "supervision": self.tr("Supervision feedback"), "designer": self.tr("Chief street designer"),
            "leases": self.tr("Rent-storage leases"), "exchange": self.tr("Export and backup"),
            "audit": self.tr("Audit log"), "settings": self.tr("Settings"),
        }
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 8px 6px; }")
        self.stack = QStackedWidget()
        # A page is built when it is first shown (or asked for): the window paints without waiting
        # for six sections' modules, widgets and first queries at sub-district scale.
        self.pages: dict[str, QWidget] = _Pages(self._build_page)
        self._released: set[str] = set()  # pages that let go of their lists when hidden: refreshed when shown
        for key in SECTIONS:
            self.stack.addWidget(QWidget())  # placeholder, replaced by the page on first use
            item = QListWidgetItem(titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.opening = QLabel(self.tr("Opening the database…"))
        self.opening.setObjectName("opening")
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening)
        self.stack.setCurrentWidget(self.opening)

        content = QWidget()
        layout = QHBoxLayout(content)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(4)
        # What just happened (saved, printed, failed), on the page: every page's status_message shows
        # here as well as in the status bar; shared code finds it with widgets.feedback.banner_for.
        self.feedback = FeedbackBanner()
        right.addWidget(self.feedback)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.cover = QStackedWidget()
        self.cover.addWidget(content)
        self.setCentralWidget(self.cover)

        self.db_label = QLabel()
        self.backup_label = QLabel()
        self.account_label = QLabel()
        self.statusBar().addPermanentWidget(self.account_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.backup_label)
        self._menus()
        self.menuBar().setEnabled(False)  # until attach(): nothing to back up or lock yet
        self.lock_action.setEnabled(False)

        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.fit_to_screen()
        section = settings.value("mainWindow/section", "households")
        self.nav.blockSignals(True)  # the page is built by attach(), with the database
        self.nav.setCurrentRow(SECTIONS.index(section) if section in SECTIONS else 1)
        self.nav.blockSignals(False)
        self.nav.setEnabled(False)
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """Open the window on `db` (once): the current section's page, role, auto-lock, backups, events."""
        from .accounts import ActivityWatch, LockScreen

        self.db = db
        self.setWindowTitle(self.tr("Renewal Desk") + f" — {db.path.name}")
        self.bridge = EventBridge(self)
        # The lock screen replaces the whole content while locked (the data is not drawn at all).
        self.lock_screen = LockScreen(db)
        self.lock_screen.unlocked.connect(self.unlock)
        self.cover.addWidget(self.lock_screen)
        self.bridge.changed.connect(self._changed)
        from .live_refresh import LiveRefresh

        self.live = LiveRefresh(db, self)  # what others commit (another laptop on the server, another window)
        self.live.changed.connect(self._changed_elsewhere)

        # Auto-lock: any input anywhere in the application restarts the timer (an app-wide event filter).
        self.lock_timer = QTimer(self, singleShot=True)
        self.lock_timer.timeout.connect(self.lock)
        self.activity = ActivityWatch(self.lock_timer, self)
        QApplication.instance().installEventFilter(self.activity)
        from renewal_desk.core.services.accounts import auto_lock_minutes

        self.set_auto_lock(auto_lock_minutes(db))
        self.apply_role()

        self.backup_timer = QTimer(self, interval=BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.daily_backup)
        self.backup_timer.start()
        QTimer.singleShot(2000, self.daily_backup)

        self.nav.currentRowChanged.connect(self._navigate)
        self.nav.setEnabled(True)
        self.menuBar().setEnabled(True)
        self._navigate(self.nav.currentRow())
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        self.update_status()
        from .qt_fixes import freeze_startup_objects

        QTimer.singleShot(2000, freeze_startup_objects)  # the first section loaded: keep later collections short

    def _build_page(self, key: str) -> QWidget:
        db = self.db
        if key == "overview":
            from .overview_page import OverviewPage

            page = OverviewPage(db)
            page.open_record.connect(self.open_record)
        elif key == "households":
            from .households_page import HouseholdsPage

            page = HouseholdsPage(db)
        elif key == "exchange":
            page = BackupPage(db)
            page.restore_requested.connect(self.request_restore)
        elif key == "settings":
            page = SettingsPage(db)
            page.auto_lock_changed.connect(self.set_auto_lock)
        elif key == "audit":
            from .audit_page import AuditPage

            page = AuditPage(db)
        elif key == "ordering":
            from .ordering_page import OrderingPage

            page = OrderingPage(db)
        elif key == "meetings":
            from .meetings import MeetingsPage

            page = MeetingsPage(db)
            lock_button = QToolButton()
            lock_button.setObjectName("meetingsLock")
            lock_button.setDefaultAction(self.lock_action)  # lock the laptop's screen before projecting
            page.top_bar.addWidget(lock_button)
        elif key == "leases":
            from .leases_page import LeasesPage

            page = LeasesPage(db)
        elif key == "designer":
            from .designer_page import DesignerPage

            page = DesignerPage(db)
        else:  # supervision
            from .supervision import SupervisionPage

            page = SupervisionPage(db)
        if hasattr(page, "status_message"):
            page.status_message.connect(self.show_feedback)
        if hasattr(page, "apply_role"):
            page.apply_role()  # what this account's role may do (apply_role covers the pages built so far)
        index = SECTIONS.index(key)
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if current == index:
            self.stack.setCurrentIndex(index)
        return page

    # --- opening a record from elsewhere (the overview's links) -----------------------------------
    def open_record(self, section: str, record: str, record_id: int, scope: int = 0, attempts: int = 50) -> None:
        """Make `section` current and select the record there (`scope`: the part of the page holding it,
        e.g. an opinion's block); a page still loading its list is asked again a little later (~10 s)."""
        self.nav.setCurrentRow(SECTIONS.index(section))
        page = self.show_section(section)
        if _select_record(page, record, record_id, scope):
            return
        if attempts > 0:
            QTimer.singleShot(200, lambda: self._retry_open(section, record, record_id, scope, attempts - 1))

    def _retry_open(self, section: str, record: str, record_id: int, scope: int, attempts: int) -> None:
        if self.stack.currentWidget() is self.pages.get(section):  # the person has not moved on
            self.open_record(section, record, record_id, scope, attempts)

    def show_feedback(self, text: str, kind: str = "success") -> None:
        """A page's confirmation: on the page (the banner above it) and in the status bar."""
        self.statusBar().showMessage(text, 8000)
        self.feedback.show_message(text, kind)

    # --- the screen ------------------------------------------------------------------------------
    def fit_to_screen(self) -> None:
        """Keep the window inside the screen's available area (a restored geometry from a larger
        monitor, or the 1280×800 default on a 1366×768 laptop, would hide the status bar)."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        self.resize(max(width, 400), max(height, 300))
        frame = self.frameGeometry()
        x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
        y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
        self.move(max(x, area.x()), max(y, area.y()))

    def wants_maximised(self) -> bool:
        """A laptop-sized screen (≤ 1440 px wide): the window opens maximised."""
        screen = self.screen() or QApplication.primaryScreen()
        return screen is not None and screen.availableGeometry().width() <= SMALL_SCREEN_WIDTH

    def show_on_screen(self) -> None:
        """Show the window fitted to the screen: maximised on a small screen, else clamped to it."""
        self.fit_to_screen()
        if self.wants_maximised():
            screen = self.screen() or QApplication.primaryScreen()
            # the whole available area first: without a window manager (or one ignoring the hint) the
            # window still fills the screen, frame and status bar inside it
            area = screen.availableGeometry()
            frame = self.frameGeometry()
            self.resize(area.width() - (frame.width() - self.width()), area.height() - (frame.height() - self.height()))
            self.move(area.topLeft())
            self.showMaximized()
        else:
            self.show()

    # --- accounts: role, lock ----------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.db is not None and self.cover.currentWidget() is self.lock_screen

    def apply_role(self) -> None:
        """Show who is logged in; disable what the role may not do (core refuses it anyway)."""
        from renewal_desk.core.services.accounts import role_label

        if self.db.accounts_enabled:
            self.account_label.setText(fmt(self.tr("Account: %1 (%2)"),
                                           self.db.account or "", role_label(self.db.role, core_lang())))
        else:
            self.account_label.setText("")
        for page in self.pages.values():
            if hasattr(page, "apply_role"):
                page.apply_role()
        self.lock_action.setEnabled(bool(self.db.account))

    def set_auto_lock(self, minutes: int, *, ms: int | None = None) -> None:
        """Lock after `minutes` without input (0 = never); `ms` overrides for tests. Only with an account."""
        interval = ms if ms is not None else minutes * 60 * 1000
        self.lock_timer.stop()
        if interval > 0 and self.db.account:
            self.lock_timer.setInterval(interval)
            self.lock_timer.start()

    def lock(self) -> None:
        """Cover the window; unlocking needs the logged-in account's password (or an administrator's).

        The meetings projector window stays as it is: it shows only public figures (tallies, masked names).
        """
        if self.db is None or not self.db.account or self.locked:
            return
        self.lock_timer.stop()
        # Open dialogs may show personal data and, when modal, would keep input from the lock screen:
        # they are cancelled (nothing half-saved: every save is one transaction).
        from PySide6.QtWidgets import QDialog

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.lock_screen.prepare()
        self.cover.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.statusBar().hide()

    def unlock(self) -> None:
        self.cover.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        self.statusBar().show()
        if self.lock_timer.interval() > 0 and self.db.account:
            self.lock_timer.start()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.lock_action = QAction(self.tr("Lock screen"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        file_menu.addAction(self.lock_action)
        self.office_action = QAction(self.tr("Office profile…"), self)
        self.office_action.setObjectName("officeProfileAction")
        self.office_action.triggered.connect(self.edit_office_profile)
        file_menu.addAction(self.office_action)
        backup_action = QAction(self.tr("Back up now"), self)
        backup_action.triggered.connect(lambda: self.pages["exchange"].backup())
        file_menu.addAction(backup_action)
        self.import_action = QAction(self.tr("Import bundle…"), self)
        self.import_action.setObjectName("importBundleAction")
        self.import_action.triggered.connect(lambda: self.show_section("exchange").exchange.open_import())
        file_menu.addAction(self.import_action)
        self.signed_copies_action = QAction(self.tr("File signed copies…"), self)
        self.signed_copies_action.setObjectName("fileSignedCopiesAction")
        self.signed_copies_action.triggered.connect(self.file_signed_copies)
        file_menu.addAction(self.signed_copies_action)
        self.encrypt_action = QAction(self.tr("Encrypt database…"), self)
        self.encrypt_action.setObjectName("encryptDatabaseAction")
        self.encrypt_action.triggered.connect(self.encrypt_database)
        file_menu.addAction(self.encrypt_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        self.database_action = QAction(self.tr("Database…"), self)
        self.database_action.setObjectName("databaseAction")
        self.database_action.triggered.connect(self.choose_database)
        settings_menu.addAction(self.database_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("About Renewal Desk"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def encrypt_database(self) -> bool:
        """设置 → 加密: the database and its backups encrypted under a passphrase (administrator), after the
        warning that a lost passphrase is lost data; True when done."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        from renewal_desk.core import cipher
        from renewal_desk.core.problems import CodedError, InputError
        from renewal_desk.core.services.encryption import encrypt_database

        title = self.tr("Encrypt database")
        if getattr(self.db, "url", None) is not None:  # the office server: its disk, not a file here
            QMessageBox.information(self, title, cipher.CipherError(cipher.E_SERVER).message(core_lang()))
            return False
        if not cipher.is_plain(self.db.path):
            QMessageBox.information(self, title, self.tr("This database is already encrypted."))
            return False
        if not self.db.allows("encrypt"):
            QMessageBox.warning(self, title, self.tr("Only an administrator may encrypt the database."))
            return False
        answer = QMessageBox.warning(
            self, title, self.tr("After encryption this database and its backups cannot be opened without the "
                                 "passphrase. A lost passphrase means lost data: nobody can recover it, not even "
                                 "the program's makers. Write it down and give it to the office's head.\n\n"
                                 "Encrypt now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        secret, ok = QInputDialog.getText(self, title, self.tr("New passphrase (at least 8 characters):"),
                                          QLineEdit.EchoMode.Password)
        if not ok:
            return False
        again, ok = QInputDialog.getText(self, title, self.tr("The same passphrase again:"),
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return False
        tasks.wait_all(30000)  # nothing may still read the plain file when it is replaced
        try:
            done = encrypt_database(self.db, secret, again)
        except (InputError, CodedError) as exc:
            text = error_text(exc)
            QMessageBox.critical(self, title, text)
            return False
        self.show_feedback(fmt(self.tr("The database and %1 backups are encrypted. Opening it now asks for the "
                                       "passphrase."), str(done)))
        return True

    def file_signed_copies(self):
        """文件 → 归档签字件: scans and photos of signed pages filed back to their records, and the list of
        printouts still waiting for theirs. Not modal: files can be dragged in from the file manager."""
        from .signed_copies_dialog import SignedCopiesDialog

        dialog = getattr(self, "signed_copies_dialog", None)
        if dialog is None or not dialog.isVisible():
            dialog = self.signed_copies_dialog = SignedCopiesDialog(self.db, self)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def edit_office_profile(self) -> bool:
        """The office's details the printouts name (设置 → 单位信息); True when saved."""
        from .office_dialog import OfficeProfileDialog

        dialog = OfficeProfileDialog(self.db, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.show_feedback(fmt(self.tr("Office profile saved: printouts now name %1"), dialog.office_name()))
        return True

    def choose_database(self) -> bool:
        """设置 → 数据库: the database this computer opens at start (a file, or the office server); once saved,
        offers to reconnect now (reconnect_requested). True when a new choice was saved."""
        from .database_dialog import DatabaseDialog

        dialog = DatabaseDialog(self.db.address if self.db is not None else None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        answer = QMessageBox.question(self, self.tr("Database"), self.tr(
            "Saved: Renewal Desk opens this database from the next start. Reconnect now? This window closes and "
            "opens it."))
        if answer == QMessageBox.StandardButton.Yes:
            self.reconnect_requested.emit()
        return True

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About Renewal Desk"),
                          fmt(self.tr("Renewal Desk %1\nThe sub-district's offline desk for neighbourhood renewal."),
                              __version__))

    def _navigate(self, row: int) -> None:
        key = SECTIONS[row]
        left = self.stack.currentWidget()
        built = key in self.pages  # a page built now has started its own load: no second one beside it
        page = self.pages[key]
        self.stack.setCurrentIndex(row)
        gone = next((k for k, p in self.pages.items() if p is left and p is not page), None)
        if gone is not None and hasattr(left, "release"):  # a page out of sight lets go of its long lists
            left.release()
            self._released.add(gone)
        if built and hasattr(page, "refresh") and (page.refresh_when_shown or key in self._released):
            self._released.discard(key)
            page.refresh()
        QSettings().setValue("mainWindow/section", key)

    def show_section(self, key: str) -> QWidget:
        self.nav.setCurrentRow(SECTIONS.index(key))
        return self.pages[key]

    def _changed_elsewhere(self, topics: list) -> None:
        """Someone else committed: the page in sight refreshes too (this copy's own pages did after its saves)."""
        for topic in topics:
            self._changed(topic, [], elsewhere=True)
        current = self.stack.currentWidget()
        if current is not None and current is self.pages.get("overview"):
            current.refresh()

    def _changed(self, topic: str, _ids: list, elsewhere: bool = False) -> None:
        """A change announced under `topic`: every built page watching it reloads (Page.watches, on_change) —
        those out of sight, or all of them when another copy of the app made the change. Pages not built yet
        load fresh when first shown; a page that let go of its lists reloads when it is shown, not now."""
        current = self.stack.currentWidget()
        for key, page in list(self.pages.items()):
            if topic in page.watches and (elsewhere or page is not current) and key not in self._released:
                page.on_change()

    def update_status(self) -> None:
        from renewal_desk.core.services.backups import last_backup_time

        # the place in full on hover; on the bar its middle gives way so 最近备份 always stays in sight at 1366 px
        where = self.db.location
        shown = self.db_label.fontMetrics().elidedText(where, Qt.TextElideMode.ElideMiddle, 420)
        self.db_label.setText(fmt(self.tr("Database: %1"), shown))
        self.db_label.setToolTip(where)
        when = last_backup_time(self.db.path, ".sqlite" if self.db.backs_up_here else backups.SERVER_DUMP)
        self.backup_label.setText(fmt(self.tr("Last backup: %1"),
                                      when.strftime("%Y-%m-%d %H:%M") if when else self.tr("none yet")))

    def daily_backup(self) -> None:
        from renewal_desk.core.services.backups import backup_if_due

        tasks.submit(lambda: backup_if_due(self.db), lambda _p: self.update_status(),
                     lambda exc: self.statusBar().showMessage(fmt(self.tr("Automatic backup failed: %1"), str(exc)),
                                                              15000), owner=self)

    def request_restore(self, path: str) -> None:
        from renewal_desk.core.problems import InputError

        try:
            self.db.require("restore")
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Restore"), exc.describe(core_lang()))
            return
        answer = QMessageBox.question(
            self, self.tr("Restore"),
            fmt(self.tr("Replace the current data with the backup %1? The current data is backed up first."),
                Path(path).name))
        if answer == QMessageBox.StandardButton.Yes:
            self.restart_requested.emit(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.db is None:  # closed before a database was opened (a refused file, a cancelled login)
            super().closeEvent(event)
            return
        meetings = self.pages.get("meetings")  # never built: nothing typed, no projector
        if meetings is not None:
            meetings.agenda_tab.save_minutes()
            if meetings.projector is not None:
                meetings.projector.close()
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        if not self._closing_backup_done:
            self._closing_backup_done = True
            tasks.wait_all(10000)
            try:
                if self.db.backs_up_here:  # the office server's database is backed up on the server
                    backups.rotate_backup(self.db.path, "close")
            except Exception as exc:  # noqa: BLE001 - a failed backup must not keep the window open silently
                QMessageBox.warning(self, self.tr("Backup failed"),
                                    fmt(self.tr("The backup on close failed: %1"), str(exc)))
        self.bridge.close()
        self.live.close()
        QApplication.instance().removeEventFilter(self.activity)
        self.lock_timer.stop()
        super().closeEvent(event)

