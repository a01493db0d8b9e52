"""Accounts in the window: first administrator, login, own password, account management, lock screen.

All checks live in core (core.services.accounts, core.rules.access); these widgets only ask and show.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.access import ROLES
from renewal_desk.core.services import accounts

from .i18n import core_lang, fmt
from .rows_model import Column, RowsModel
from .widgets.style import ERROR_STYLE
from .widgets.tables import fit_columns, table_view

ACCOUNT_COLUMNS = (Column(QT_TRANSLATE_NOOP("AccountsDialog", "Account")),
                   Column(QT_TRANSLATE_NOOP("AccountsDialog", "Role")),
                   Column(QT_TRANSLATE_NOOP("AccountsDialog", "Active")),
                   Column(QT_TRANSLATE_NOOP("AccountsDialog", "Password")),
                   Column(QT_TRANSLATE_NOOP("AccountsDialog", "Last login")))


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _role_box() -> QComboBox:
    box = QComboBox()
    for code in ROLES:
        box.addItem(accounts.role_label(code, core_lang()), code)
    return box


class _Form(QDialog):
    """A small dialog: a form, an error line, OK/Cancel; `submit()` does the work and may refuse."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(420, 220)

    def texts(self, title: str, intro: str, ok_text: str, cancel_text: str) -> None:
        self.setWindowTitle(title)
        self.intro.setText(intro)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)

    def submit(self) -> bool:
        try:
            self.work()
        except InputError as exc:
            self.error.setText(exc.describe(core_lang()))
            return False
        self.accept()
        return True

    def work(self) -> None:  # each dialog's own action; raises InputError to refuse
        raise NotImplementedError(type(self).__name__)


class SetupAdminDialog(_Form):
    """First start on a database without accounts: the administrator chooses a name and a password."""

    def __init__(self, db: Database, names: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.texts(self.tr("Set up the administrator"),
                   self.tr("This database has no accounts yet. Choose the administrator's name and a password "
                           "(at least 8 characters). The administrator then adds staff and read-only accounts "
                           "in Settings. Names already in the database stay as staff accounts without a "
                           "password until the administrator gives them one."),
                   self.tr("Set up and start"), self.tr("Quit"))
        self.db = db
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(names)
        self.name.setCurrentText("")
        self.password, self.repeat = _password_field(), _password_field()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.repeat)

    def work(self) -> None:
        accounts.setup_admin(self.db, self.name.currentText(), self.password.text(), self.repeat.text())


class LoginDialog(_Form):
    def __init__(self, db: Database, last: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.texts(self.tr("Log in"), self.tr("Log in with your account. Every change you make is recorded "
                                              "under this name."), self.tr("Log in"), self.tr("Quit"))
        self.db = db
        self.view: accounts.AccountView | None = None
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems([a.name for a in accounts.list_accounts(db) if a.active])
        if last:
            self.name.setCurrentText(last)
        self.password = _password_field()
        self.form.addRow(self.tr("Account"), self.name)
        self.form.addRow(self.tr("Password"), self.password)
        self.password.setFocus()

    def work(self) -> None:
        try:
            self.view = accounts.login(self.db, self.name.currentText(), self.password.text())
        finally:
            self.password.clear()


class ChangePasswordDialog(_Form):
    def __init__(self, db: Database, forced: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        intro = (self.tr("An administrator set your password. Choose your own now (at least 8 characters).")
                 if forced else self.tr("Change your password (at least 8 characters)."))
        self.texts(self.tr("Change my password"), intro, self.tr("Change"),
                   self.tr("Quit") if forced else self.tr("Cancel"))
        self.db = db
        self.current, self.password, self.repeat = _password_field(), _password_field(), _password_field()
        self.form.addRow(self.tr("Current password"), self.current)
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("Repeat new password"), self.repeat)

    def work(self) -> None:
        accounts.change_password(self.db, self.current.text(), self.password.text(), self.repeat.text())


class AddAccountDialog(_Form):
    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.texts(self.tr("Add an account"), self.tr("The person must choose their own password at the first "
                                                     "login."), self.tr("Add"), self.tr("Cancel"))
        self.db = db
        self.name = QLineEdit()
        self.role = _role_box()
        self.role.setCurrentIndex(self.role.findData(accounts.STAFF))
        self.password, self.repeat = _password_field(), _password_field()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("First password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.repeat)

    def work(self) -> None:
        accounts.add_account(self.db, self.name.text(), self.role.currentData(), self.password.text(),
                             self.repeat.text())


class AccountsDialog(QDialog):
    """Administrators: add accounts, disable or enable them, reset a password, change a role."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Accounts"))
        layout = QVBoxLayout(self)
        self.model = RowsModel.of("AccountsDialog", ACCOUNT_COLUMNS, self)
        self.table = fit_columns(table_view(self.model))
        self.table.setObjectName("accountsTable")
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.clicked.connect(self.add)
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.reset_button.clicked.connect(lambda: self.reset_password())  # not clicked(bool) as the password
        self.role_button = QPushButton(self.tr("Change role…"))
        self.role_button.clicked.connect(lambda: self.change_role())
        self.active_button = QPushButton(self.tr("Disable / enable"))
        self.active_button.clicked.connect(self.toggle_active)
        for b in (self.add_button, self.reset_button, self.role_button, self.active_button):
            row.addWidget(b)
        row.addStretch()
        layout.addLayout(row)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(640, 380)
        self.refresh()

    def refresh(self) -> None:
        """The accounts, the one selected before still selected (a changed role or password shows on its row)."""
        chosen = self.model.key_at(self.table.currentIndex().row())
        self.rows = accounts.list_accounts(self.db)
        cells = []
        for a in self.rows:
            password = (self.tr("must change") if a.must_change_password else self.tr("set")) if a.has_password \
                else self.tr("none yet")
            cells.append((a.name, a.role_label(core_lang()), self.tr("yes") if a.active else self.tr("disabled"),
                          password, a.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M") if a.last_login_at else ""))
        self.model.set_rows(cells, keys=[a.name for a in self.rows])
        if chosen in self.model.keys:
            self.table.selectRow(self.model.keys.index(chosen))

    def selected(self) -> accounts.AccountView | None:
        row = self.table.currentIndex().row()
        if row < 0:
            self.error.setText(self.tr("Select an account in the list first."))
            return None
        return self.rows[row]

    def _do(self, fn, *args) -> bool:
        try:
            fn(self.db, *args)
        except InputError as exc:
            self.error.setText(exc.describe(core_lang()))
            return False
        self.error.clear()
        self.refresh()
        return True

    def add(self) -> None:
        if AddAccountDialog(self.db, self).exec():
            self.error.clear()
            self.refresh()

    def reset_password(self, password: str | None = None) -> bool:
        account = self.selected()
        if account is None:
            return False
        if password is None:
            password, ok = QInputDialog.getText(self, self.tr("Reset password"), fmt(self.tr(
                    "A first password for %1 (they must change it at the next login):"), account.name),
                QLineEdit.EchoMode.Password)
            if not ok:
                return False
        return self._do(accounts.set_password, account.name, password)

    def change_role(self, role: str | None = None) -> bool:
        account = self.selected()
        if account is None:
            return False
        if role is None:
            labels = [accounts.role_label(code, core_lang()) for code in ROLES]
            label, ok = QInputDialog.getItem(self, self.tr("Change role"), account.name, labels,
                                             list(ROLES).index(account.role) if account.role in ROLES else 0, False)
            if not ok:
                return False
            role = list(ROLES)[labels.index(label)]
        return self._do(accounts.set_role, account.name, role)

    def toggle_active(self) -> bool:
        account = self.selected()
        return account is not None and self._do(accounts.set_active, account.name, not account.active)


class LockScreen(QWidget):
    """Covers the window while locked: only the account name and a password field show."""

    unlocked = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setObjectName("lockScreen")
        layout = QVBoxLayout(self)
        layout.addStretch()
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        layout.addWidget(self.title)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("empty: the logged-in account; or an administrator's name"))
        self.password = _password_field()
        self.password.returnPressed.connect(self.unlock)
        form.addRow(self.tr("Account"), self.name)
        form.addRow(self.tr("Password"), self.password)
        box = QWidget()
        box.setMaximumWidth(460)
        box.setLayout(form)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(box)
        row.addStretch()
        layout.addLayout(row)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        self.error = QLabel()
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        layout.addStretch()

    def prepare(self) -> None:
        self.title.setText(fmt(self.tr("Locked — %1"), self.db.account or ""))
        self.name.clear()
        self.password.clear()
        self.error.clear()
        self.password.setFocus()

    def unlock(self) -> bool:
        try:
            accounts.unlock(self.db, self.password.text(), self.name.text().strip() or None)
        except InputError as exc:
            self.error.setText(exc.describe(core_lang()))
            self.password.clear()
            return False
        finally:
            self.password.clear()
        self.unlocked.emit()
        return True


class ActivityWatch(QObject):
    """An application-wide event filter: any key, click, wheel or mouse move restarts the auto-lock timer."""

    EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
              QEvent.Type.TouchBegin}

    def __init__(self, timer: QTimer, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = timer

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self.EVENTS and self.timer.interval() > 0 and self.timer.isActive():
            self.timer.start()
        return False


def sign_in(db: Database, last: str | None) -> bool:
    """At start: set up the first administrator, or log in (then choose an own password if one was set)."""
    if accounts.needs_setup(db):
        names = [a.name for a in accounts.list_accounts(db)]
        return bool(SetupAdminDialog(db, names).exec())
    dialog = LoginDialog(db, last)
    if not dialog.exec():
        return False
    if dialog.view is not None and dialog.view.must_change_password:
        return bool(ChangePasswordDialog(db, forced=True).exec())
    return True


__all__ = ["AccountsDialog", "ActivityWatch", "AddAccountDialog", "ChangePasswordDialog", "LockScreen", "LoginDialog",
           "SetupAdminDialog", "sign_in"]
