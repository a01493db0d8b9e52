"""设置 → 数据库 as a person uses it: a laptop connected to the office server (the test cluster), the password
never written in the saved configuration, a wrong one refused in Chinese with nothing changed."""

import socket

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from renewal_desk.core import connection, settings
from renewal_desk.core.db import open_database
from renewal_desk.ui import tasks
from renewal_desk.ui.database_dialog import DatabaseDialog, ServerPasswordDialog

PASSWORD_USER = "rd_pw_user"
PASSWORD = "Geheim-2026!"


@pytest.fixture
def password_server(pg_server, pg_url):
    """The test database, reached by a role that must give its password (the cluster trusts every other role)."""
    hba = pg_server.data / "pg_hba.conf"
    rule = f"local all {PASSWORD_USER} scram-sha-256\n"
    if rule not in hba.read_text():
        hba.write_text(rule + hba.read_text())
        pg_server.admin(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PASSWORD_USER}') THEN "
                        f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}' IN ROLE renewal; END IF; END $$",
                        "SELECT pg_reload_conf()")
    from sqlalchemy.engine import make_url

    database = make_url(pg_url).database
    return connection.ServerChoice(str(pg_server.folder), pg_server.port, database, PASSWORD_USER), pg_url


def _when_modal(kind, act, done):
    def run():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, run)
            return
        try:
            done.append(act(dialog))
        finally:
            if dialog.isVisible() and not done:  # act failed: close the dialog so the test fails, not hangs
                dialog.reject()

    QTimer.singleShot(0, run)


def _fill(dialog, server, password):
    dialog.server_option.setChecked(True)
    for edit, text in ((dialog.host, server.host), (dialog.database, server.database), (dialog.user, server.user),
                       (dialog.password_edit, password)):
        edit.setFocus()
        edit.selectAll()
        edit.del_()
        edit.insert(text)
    dialog.port.setValue(server.port)


def _save(dialog, qtbot):
    """Save (the server is tried in a worker: wait for its answer); a dialog still open (refused) is cancelled
    so the test fails instead of waiting."""
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=15000)
    if dialog.isVisible():
        refused = dialog.errors.text()
        dialog.reject()
        return refused
    return None


@pytest.fixture
def laptop(qtbot, db):
    """The main window on this laptop's own database file."""
    from renewal_desk.ui.main_window import MainWindow

    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    return win


def test_connect_to_the_office_server_from_settings(laptop, qtbot, password_server, monkeypatch):
    server, admin_url = password_server
    office = open_database(admin_url)  # what a colleague saved on the server
    settings.save(office, {"office.name": "和平街道办事处"})
    office.close()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    seen = {}

    def connect(dialog):
        _fill(dialog, server, PASSWORD)
        dialog.test_button.click()
        qtbot.waitUntil(dialog.test_button.isEnabled, timeout=15000)  # tried in a worker
        seen["test"] = dialog.test_result.text()
        seen["refused"] = _save(dialog, qtbot)
        return dialog

    done = []
    _when_modal(DatabaseDialog, connect, done)
    with qtbot.waitSignal(laptop.reconnect_requested, timeout=1000, raising=False) as reconnect:
        laptop.database_action.trigger()
    assert done and "连接成功" in seen["test"] and seen["refused"] is None, seen
    assert reconnect.signal_triggered
    saved = connection.load()
    assert saved.server == server and saved.path is None

    # The app reopens what was saved (run_app does this on reconnect_requested), with the password typed
    # in this run: the new window works on the server's data.
    from renewal_desk.ui import app
    from renewal_desk.ui.main_window import MainWindow

    _target, on_server = app.open_chosen()
    try:
        assert on_server is not None and on_server.url is not None
        assert on_server.url.database == server.database and on_server.url.username == PASSWORD_USER
        window = MainWindow(on_server)
        qtbot.addWidget(window)
        window.show()
        assert server.database in window.db_label.toolTip()
        assert settings.office_profile(on_server).name == "和平街道办事处"
        settings.save(on_server, {"office.phone": "0514-86660000"})  # a save through the server connection
        other = open_database(admin_url)
        assert settings.office_profile(other).phone == "0514-86660000"
        other.close()
        window.close()
    finally:
        if on_server is not None:
            on_server.close()


def test_a_wrong_password_is_refused_in_chinese_and_changes_nothing(laptop, qtbot, password_server, isolated_data):
    server, _ = password_server
    before = connection.load()
    seen = {}

    def wrong(dialog):
        _fill(dialog, server, "not-the-password")
        dialog.test_button.click()
        qtbot.waitUntil(dialog.test_button.isEnabled, timeout=15000)  # tried in a worker
        seen["test"] = dialog.test_result.text()
        seen["errors"] = _save(dialog, qtbot)

    done = []
    _when_modal(DatabaseDialog, wrong, done)
    assert laptop.choose_database() is False
    assert done
    assert "拒绝登录" in seen["test"] and "用户名或密码不对" in seen["test"], seen
    assert "拒绝登录" in seen["errors"]
    assert connection.load() == before and not connection.config_path().exists()
    assert connection.with_password(server.address()) == server.address()  # nothing kept for this run either


def test_an_unknown_server_is_named_in_chinese(qtbot):
    dialog = DatabaseDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, connection.ServerChoice("127.0.0.1", 1, "renewal_desk", "renewal"), "x")
    dialog.test_button.click()
    assert not dialog.test_button.isEnabled() and dialog.test_result.text() == "正在连接…"  # the window stays live
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=15000)
    assert "无法连接数据库服务器" in dialog.test_result.text()


def test_the_saved_configuration_holds_no_password(laptop, qtbot, password_server, monkeypatch):
    server, _ = password_server
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    done = []
    _when_modal(DatabaseDialog, lambda d: (_fill(d, server, PASSWORD), _save(d, qtbot)), done)
    assert laptop.choose_database() is True
    text = connection.config_path().read_text(encoding="utf-8")
    assert server.database in text and PASSWORD_USER in text
    assert PASSWORD not in text and "password" not in text.lower()
    assert connection.config_path().stat().st_mode & 0o077 == 0
    # No keyring on this machine: no 记住密码, and the next start asks the password.
    assert not connection.keyring_available()
    assert not DatabaseDialog().remember.isVisibleTo(None) or connection.keyring_available()


def test_the_next_start_asks_the_password_when_no_keyring_keeps_it(qtbot, password_server):
    server, _ = password_server
    connection.save(connection.Choice(server=server))
    from renewal_desk.ui import app

    done = []

    def type_it(dialog):
        assert not dialog.remember.isVisibleTo(dialog)  # no keyring here: nothing to remember it in
        dialog.password.setText(PASSWORD)
        dialog.accept()

    _when_modal(ServerPasswordDialog, type_it, done)
    _target, db = app.open_chosen()
    assert done and db is not None
    assert db.url.username == PASSWORD_USER
    db.close()


@pytest.fixture
def silent_server(monkeypatch):
    """An office server that takes the connection and never answers (a firewall, a machine that hangs): the
    dialog waits its connect timeout, made 1 s here."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    monkeypatch.setattr(connection, "TEST_CONNECT_TIMEOUT", 1)
    yield connection.ServerChoice("127.0.0.1", listener.getsockname()[1], "renewal_desk", "renewal")
    tasks.wait_all(15000)  # the attempts end with their timeout before the port closes
    listener.close()


class _Ticks:
    """A timer of the window's event loop: it only ticks while the GUI thread is free."""

    def __init__(self):
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.tick)

    def tick(self):
        self.count += 1


def _buttons(dialog):
    box = dialog.findChild(QDialogButtonBox)
    return (dialog.test_button, box.button(QDialogButtonBox.StandardButton.Save),
            box.button(QDialogButtonBox.StandardButton.Cancel))


def test_a_server_that_does_not_answer_keeps_the_window_live(laptop, qtbot, silent_server):
    """测试连接 then 保存 against a server that never answers: both wait in a worker (the window's timer keeps
    ticking), say 正在连接… with the buttons off but 取消, then the reason in Chinese; nothing is saved."""
    ticks = _Ticks()
    seen = {}

    def wait_for(dialog, press):
        test, save, cancel = _buttons(dialog)
        press.click()
        seen.setdefault("busy", []).append((dialog.test_result.text(), test.isEnabled(), save.isEnabled(),
                                            cancel.isEnabled(), dialog.host.isEnabled()))
        ticks.count = 0
        ticks.timer.start()
        qtbot.waitUntil(lambda: ticks.count >= 3, timeout=5000)
        seen.setdefault("ticked_while_busy", []).append(dialog.busy())
        qtbot.waitUntil(lambda: not dialog.busy(), timeout=15000)
        ticks.timer.stop()
        seen.setdefault("after", []).append((test.isEnabled(), save.isEnabled()))

    def act(dialog):
        _fill(dialog, silent_server, "x")
        test, save, _cancel = _buttons(dialog)
        wait_for(dialog, test)
        seen["test"] = dialog.test_result.text()
        label = dialog.test_result  # the reason is long: the dialog grows so none of it is cut off
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()) > 30, timeout=5000)
        wait_for(dialog, save)
        seen["save"] = dialog.errors.text() if dialog.isVisible() else None
        dialog.reject()

    done = []
    _when_modal(DatabaseDialog, act, done)
    laptop.database_action.trigger()  # 设置 → 数据库… as the menu runs it
    assert done, seen
    assert seen["busy"] == [("正在连接…", False, False, True, False)] * 2
    assert seen["ticked_while_busy"] == [True, True]  # the window answered while the server was tried
    assert seen["after"] == [(True, True)] * 2
    for text in (seen["test"], seen["save"]):
        assert "无法连接数据库服务器" in text and "127.0.0.1" in text and "没有应答" in text and "未作任何修改" in text, seen
    assert not connection.config_path().exists()


def test_cancel_while_the_server_is_tried_closes_at_once_and_saves_nothing(laptop, qtbot, silent_server,
                                                                           monkeypatch):
    monkeypatch.setattr(connection, "TEST_CONNECT_TIMEOUT", 3)
    seen = {}

    def act(dialog):
        _fill(dialog, silent_server, "x")
        _test, save, cancel = _buttons(dialog)
        save.click()
        seen["busy"] = dialog.busy()
        cancel.click()
        seen["closed"] = (dialog.isVisible(), dialog.busy())
        seen["dialog"] = dialog

    done = []
    _when_modal(DatabaseDialog, act, done)
    assert laptop.choose_database() is False  # 取消 ended the dialog while the server was still being tried
    assert done and seen["busy"] and seen["closed"] == (False, False)
    assert tasks.wait_all(15000)
    QApplication.processEvents()  # the late answer reaches the GUI thread, and is dropped
    assert seen["dialog"].test_result.text() == "正在连接…" and seen["dialog"].choice is None
    assert not connection.config_path().exists()
