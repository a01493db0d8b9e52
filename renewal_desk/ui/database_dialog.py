"""设置 → 数据库: which database this computer opens at start — a database file here, or the office server
(address, port, database, user, password; 测试连接 says whether it answers). The choice is kept by
core.connection for the next start; the password only in the system keyring (记住密码, shown when this
computer has one) or for this run. ServerPasswordDialog asks it at start when nothing keeps it."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox, QVBoxLayout,
                               QWidget)

from renewal_desk.core import connection
from renewal_desk.core.db import DatabaseError, is_server_url
from renewal_desk.core.paths import default_database_path
from renewal_desk.core.problems import InputError, Problem

from .i18n import core_lang
from .operations import QueryOp
from .widgets.feedback import show_error
from .widgets.forms import ErrorDialog
from .widgets.style import ERROR_STYLE

OK_STYLE = "color: #1b6e2a;"


class DatabaseDialog(ErrorDialog):
    """The database to open at start; accepted once saved (`choice`, and `password` typed for a server)."""

    def __init__(self, current: str | None = None, parent=None):
        super().__init__(self.tr("Database"), parent)
        self.setObjectName("databaseDialog")
        self.choice: connection.Choice | None = None
        self.password: str | None = None
        saved = connection.load()
        self.file_option = QRadioButton(self.tr("Database file on this computer"))
        self.file_option.setObjectName("databaseFileOption")
        self.server_option = QRadioButton(self.tr("Office server"))
        self.server_option.setObjectName("databaseServerOption")
        group = QButtonGroup(self)
        group.addButton(self.file_option)
        group.addButton(self.server_option)

        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("databaseFile")
        self.file_edit.setMinimumWidth(360)
        browse = QPushButton(self.tr("Choose…"))
        browse.setObjectName("databaseBrowse")
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)

        self.server_box = QWidget()
        server_form = QFormLayout(self.server_box)
        server_form.setContentsMargins(24, 0, 0, 0)
        self.host = QLineEdit()
        self.host.setObjectName("serverHost")
        self.host.setPlaceholderText(self.tr("e.g. 192.168.1.10 or desk-server"))
        self.port = QSpinBox()
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.database = QLineEdit("renewal_desk")
        self.database.setObjectName("serverDatabase")
        self.user = QLineEdit()
        self.user.setObjectName("serverUser")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("serverPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember the password (system keyring)"))
        self.remember.setObjectName("serverRemember")
        self.remember.setVisible(connection.keyring_available())  # no keyring: asked at every start
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("serverTest")
        self.test_button.clicked.connect(self.test_connection)
        # the connection is tried in a worker: an office server that does not answer takes up to its
        # connect timeout (10 s), which must not freeze the window
        self._probe = QueryOp(self, self._tested, self._not_tested)
        self.test_result = QLabel()
        self.test_result.setObjectName("serverTestResult")
        self.test_result.setWordWrap(True)
        server_form.addRow(self.tr("Server address"), self.host)
        server_form.addRow(self.tr("Port"), self.port)
        server_form.addRow(self.tr("Database name"), self.database)
        server_form.addRow(self.tr("User name"), self.user)
        server_form.addRow(self.tr("Password"), self.password_edit)
        if not connection.keyring_available():
            note = QLabel(self.tr("This computer has no system keyring: the password is asked at each start."))
            note.setWordWrap(True)
            note.setStyleSheet("color: #666;")
            server_form.addRow(note)
        server_form.addRow(self.remember)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        server_form.addRow(test_row)

        self.form.addRow(self.file_option)
        self.form.addRow(file_row)
        self.form.addRow(self.server_option)
        self.form.addRow(self.server_box)
        self._fill(saved, current)
        self.file_option.toggled.connect(self._kind_changed)
        self._kind_changed()

    def _fill(self, saved: connection.Choice | None, current: str | None) -> None:
        server = saved.server if saved else None
        if server is None and current and is_server_url(current):
            server = connection.ServerChoice.from_address(current)
        path = saved.path if saved and saved.path else (current if current and not is_server_url(current)
                                                        else default_database_path())
        self.file_edit.setText(str(path))
        if server is not None:
            self.host.setText(server.host)
            self.port.setValue(server.port)
            self.database.setText(server.database)
            self.user.setText(server.user)
        (self.server_option if server is not None and (saved is None or saved.server) else self.file_option) \
            .setChecked(True)

    def _kind_changed(self, *_args) -> None:
        on_server = self.server_option.isChecked()
        self.server_box.setEnabled(on_server)
        self.file_edit.setEnabled(not on_server)
        self.clear_errors()

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Database file"), self.file_edit.text(), self.tr("Renewal Desk database (*.sqlite)"),
            options=QFileDialog.Option.DontConfirmOverwrite)  # an existing file is opened, not replaced
        if path:
            self.file_edit.setText(path)

    def server(self) -> connection.ServerChoice:
        return connection.server_choice(self.host.text(), self.port.value(), self.database.text(), self.user.text())

    def test_connection(self) -> None:
        """Connect once in a worker and say what happened beside the button (the button is off meanwhile)."""
        self.clear_errors()
        try:
            server = self.server()
        except InputError as exc:
            self._not_tested(exc)
            return
        password = self.password_edit.text()
        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("Connecting…"))
        self.test_result.setStyleSheet("")
        self._probe.run(lambda: connection.test_server(server, password))

    def _tested(self, revision: str) -> None:
        self.test_button.setEnabled(True)
        self._result(self.tr("Connected: the server's Renewal Desk database answers (schema version %1).")
                     .replace("%1", revision), ok=True)

    def _not_tested(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        if isinstance(exc, InputError):
            self._result("\n".join(p.describe(core_lang()) for p in exc.problems), ok=False)
        elif isinstance(exc, DatabaseError):
            self._result(exc.message(core_lang()), ok=False)
        else:
            show_error(self, exc)  # not a refusal: said as the app says every unexpected failure

    def _result(self, text: str, ok: bool) -> None:
        self.test_result.setText(text)
        self.test_result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def apply(self):
        """Save the choice: a server only once it answers with this password (else nothing is saved)."""
        try:
            if self.file_option.isChecked():
                choice, password = connection.file_choice(self.file_edit.text()), None
            else:
                server = self.server()
                password = self.password_edit.text() or None
                connection.test_server(server, password)
                choice = connection.Choice(server=server)
        except DatabaseError as exc:  # refused by the server, or a file that cannot be used: the form's problem
            raise InputError(Problem(exc.code, exc.params)) from exc
        if choice.server is not None:
            if self.remember.isVisible() and self.remember.isChecked():
                connection.remember_password(choice.server, password)
            connection.give(choice.server, password)
        connection.save(choice)
        self.choice, self.password = choice, password
        return 1


class ServerPasswordDialog(QDialog):
    """At start: the office server's password when neither this run nor a keyring has it."""

    def __init__(self, server: connection.ServerChoice, reason: str, parent=None):
        super().__init__(parent)
        self.setObjectName("serverPasswordDialog")
        self.setWindowTitle(self.tr("Office server password"))
        layout = QVBoxLayout(self)
        message = QLabel(reason + "\n\n" + self.tr("Password of %1:").replace("%1", server.key))
        message.setWordWrap(True)
        layout.addWidget(message)
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.remember = QCheckBox(self.tr("Remember the password (system keyring)"))
        self.remember.setObjectName("serverRemember")
        self.remember.setVisible(connection.keyring_available())
        layout.addWidget(self.remember)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Connect"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
