"""设置 → 数据库: which database this computer opens at start — a database file here, or the office server
(address, port, database, user, password; 测试连接 says whether it answers). The choice is kept by
core.connection for the next start; the password only in the system keyring (记住密码, shown when this
computer has one) or for this run. ServerPasswordDialog asks it at start when nothing keeps it."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox, QVBoxLayout,
                               QWidget)

from renewal_desk.core import connection
from renewal_desk.core.db import DatabaseError, is_server_url
from renewal_desk.core.paths import default_database_path
from renewal_desk.core.problems import InputError

from .i18n import fmt
from .operations import QueryOp
from .widgets.feedback import error_text, show_error
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
        # 测试连接 and 保存 try the server in a worker: an office server that does not answer takes up to its
        # connect timeout (connection.TEST_CONNECT_TIMEOUT), which must not freeze the window. Meanwhile the
        # buttons are off, 正在连接… shows, and 取消 (or closing the window) leaves at once, the late answer dropped.
        self._probe = QueryOp(self)
        self._waiting: str | None = None  # "test" or "save" while a connection attempt runs
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
        test_row.addStretch(1)
        server_form.addRow(test_row)
        server_form.addRow(self.test_result)  # the whole width: a refusal names the server and the reason

        self.form.addRow(self.file_option)
        self.form.addRow(file_row)
        self.form.addRow(self.server_option)
        self.form.addRow(self.server_box)
        self._fill(saved, current)
        self.file_option.toggled.connect(self._kind_changed)
        self._kind_changed()
        self.buttons = self.findChild(QDialogButtonBox)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

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

    def busy(self) -> bool:
        """True while 测试连接 or 保存 waits for the server."""
        return self._waiting is not None

    def _wait(self, kind: str, work) -> None:
        """Try the server in a worker; the form, 测试连接 and 保存 are off meanwhile, 取消 stays on."""
        self._waiting = kind
        for widget in (self.test_button, self.save_button, self.file_option, self.server_option, self.server_box):
            widget.setEnabled(False)
        self.test_result.setText(self.tr("Connecting…"))
        self.test_result.setStyleSheet("")
        self._probe.run(work, self._answered, self._refused)

    def _done_waiting(self) -> None:
        self._waiting = None
        for widget in (self.test_button, self.save_button, self.file_option, self.server_option):
            widget.setEnabled(True)
        self._kind_changed()

    def test_connection(self) -> None:
        """Connect once in a worker and say what happened beside the button."""
        self.clear_errors()
        try:
            server = self.server()
        except InputError as exc:
            self._result(self._words(exc), ok=False)
            return
        password = self.password_edit.text()
        self._wait("test", lambda: connection.test_server(server, password))

    def save(self) -> None:
        """Save the choice: a file at once; a server only once it answers with this password (tried in a
        worker; refused, nothing is saved and the reason shows in red)."""
        self.clear_errors()
        try:
            if self.file_option.isChecked():
                self._keep(connection.file_choice(self.file_edit.text()), None)
                return
            server = self.server()
        except (InputError, DatabaseError) as exc:
            self._show_errors(self._words(exc))
            return
        password = self.password_edit.text() or None
        remember = self.remember.isVisible() and self.remember.isChecked()

        def check() -> tuple[connection.ServerChoice, str | None, str]:
            revision = connection.test_server(server, password)
            if remember:  # a keyring may take its time too (a locked one asks to be opened)
                connection.remember_password(server, password)
            return server, password, revision

        self._wait("save", check)

    def _answered(self, result) -> None:
        kind = self._waiting
        self._done_waiting()
        if kind == "save":
            server, password, revision = result
            self._connected(revision)
            connection.give(server, password)
            self._keep(connection.Choice(server=server), password)
        else:
            self._connected(result)

    def _refused(self, exc: BaseException) -> None:
        kind = self._waiting
        self._done_waiting()
        if not isinstance(exc, (InputError, DatabaseError)):
            show_error(self, exc)  # not a refusal: said as the app says every unexpected failure
            return
        if kind == "save":  # said once, in the form's problem list above 保存
            self.test_result.clear()
            self._show_errors(self._words(exc))
        else:
            self._result(self._words(exc), ok=False)

    def _keep(self, choice: connection.Choice, password: str | None) -> None:
        connection.save(choice)
        self.choice, self.password = choice, password
        self.result_id = 1
        self.accept()

    def reject(self) -> None:
        """取消, Esc or the window's close button: at once, even while the server is being tried; its late
        answer is dropped (nothing saved)."""
        if self._waiting is not None:
            self._probe.drop()
            self._waiting = None
        super().reject()

    def _connected(self, revision: str) -> None:
        self._result(fmt(self.tr("Connected: the server's Renewal Desk database answers (schema version %1)."),
                         revision), ok=True)

    @staticmethod
    def _words(exc: InputError | DatabaseError) -> str:
        return error_text(exc)

    def _show_errors(self, text: str) -> None:
        self.errors.setText(text)
        self.errors.show()

    def _result(self, text: str, ok: bool) -> None:
        self.test_result.setText(text)
        self.test_result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def event(self, event) -> bool:  # noqa: D401 - Qt
        """Taller once a longer answer or problem list has been laid out (never cut off, never shrinking under
        the person's eyes): the labels' new heights reach this dialog as a layout request."""
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            layout = self.layout_
            need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
            if need > self.height():
                self.resize(self.width(), need)
        return handled


class ServerPasswordDialog(QDialog):
    """At start: the office server's password when neither this run nor a keyring has it."""

    def __init__(self, server: connection.ServerChoice, reason: str, parent=None):
        super().__init__(parent)
        self.setObjectName("serverPasswordDialog")
        self.setWindowTitle(self.tr("Office server password"))
        layout = QVBoxLayout(self)
        message = QLabel(reason + "\n\n" + fmt(self.tr("Password of %1:"), server.key))
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
