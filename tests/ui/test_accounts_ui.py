"""Accounts in the window: first administrator, login, read-only limits, lock screen and auto-lock,
account management, and the audit log viewer (filters, a record's history, export)."""

import csv

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QMessageBox

from renewal_desk.core.db import open_database
from renewal_desk.core.models import ProjectType
from renewal_desk.core.services import accounts, audit_log, places
from renewal_desk.core.services.households import household_ids
from renewal_desk.ui.accounts import AccountsDialog, LoginDialog, SetupAdminDialog, sign_in
from renewal_desk.ui.main_window import MainWindow

ADMIN_PW, STAFF_PW, RO_PW = "admin-pass-1", "staff-pass-1", "readonly-pass"


@pytest.fixture
def staffed(demo_db):
    accounts.setup_admin(demo_db, "管理员甲", ADMIN_PW, ADMIN_PW)
    accounts.add_account(demo_db, "只读丙", "只读", RO_PW)
    return demo_db


@pytest.fixture
def session(staffed):
    opened = []

    def make(name, password):
        db = open_database(staffed.path, operator="x")
        accounts.login(db, name, password)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


def make_window(qtbot, db):
    win = MainWindow(db)
    qtbot.addWidget(win)
    page = win.pages["households"]
    with qtbot.waitSignals([page.model.loaded, page.tree_loaded], timeout=10000):
        win.show()
    return win


def test_first_start_sets_up_the_administrator(qtbot, db):
    places.create_place(db, "project", "老项目", project_type=ProjectType.RESIDENTIAL)
    dialog = SetupAdminDialog(db, [])
    qtbot.addWidget(dialog)
    dialog.name.setCurrentText("管理员甲")
    dialog.password.setText("short")
    dialog.repeat.setText("short")
    assert not dialog.submit() and "至少 8 个字符" in dialog.error.text()
    dialog.password.setText(ADMIN_PW)
    dialog.repeat.setText(ADMIN_PW + "x")
    assert not dialog.submit() and "不一致" in dialog.error.text()
    dialog.repeat.setText(ADMIN_PW)
    assert dialog.submit() and dialog.result() == SetupAdminDialog.DialogCode.Accepted
    assert db.account == "管理员甲" and db.role == "admin" and not accounts.needs_setup(db)


def test_login_dialog_refuses_then_logs_in(qtbot, staffed):
    db = open_database(staffed.path, operator="x")
    dialog = LoginDialog(db, "只读丙")
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong-password")
    assert not dialog.submit() and "账户名或密码不正确" in dialog.error.text()
    dialog.password.setText(RO_PW)
    assert dialog.submit() and db.account == "只读丙" and dialog.view.must_change_password
    db.close()


def test_sign_in_asks_for_setup_only_without_accounts(qtbot, db, monkeypatch):
    seen = []
    monkeypatch.setattr(SetupAdminDialog, "exec", lambda self: seen.append("setup") or 0)
    monkeypatch.setattr(LoginDialog, "exec", lambda self: seen.append("login") or 0)
    assert not sign_in(db, None)
    accounts.setup_admin(db, "管理员甲", ADMIN_PW)
    assert not sign_in(open_database(db.path, operator="x"), None)
    assert seen == ["setup", "login"]


def test_read_only_window_disables_edits_and_refuses_reveal(qtbot, session, monkeypatch):
    ro = session("只读丙", RO_PW)
    win = make_window(qtbot, ro)
    page = win.show_section("households")
    for action in (page.act_new, page.act_edit, page.act_delete, page.act_import, page.act_reveal,
                   page.act_print_full):
        assert not action.isEnabled()
    assert page.act_print.isEnabled()  # masked printing stays
    assert "只读丙" in win.account_label.text() and "只读" in win.account_label.text()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    page.table.selectRow(0)
    page.reveal_selected()  # called directly, as a shortcut would
    assert "无权查看或导出完整身份证号" in shown[-1]
    assert "*" in page.model.index(0, 4).data()
    page.edit_household()  # double-click path
    assert "无权修改数据" in shown[-1]
    backup = win.pages["exchange"]
    assert not backup.backup_button.isEnabled() and not backup.restore_button.isEnabled()
    settings = win.pages["settings"]
    assert not settings.accounts_button.isEnabled() and not settings.auto_lock.isEnabled()
    assert not win.pages["audit"].full_data.isEnabled()


def test_open_database_window_behaves_as_before(window):
    assert window.db.role == "admin" and window.pages["households"].act_reveal.isEnabled()
    assert not window.lock_action.isEnabled()  # no account, nothing to unlock with
    window.lock()
    assert not window.locked


def test_lock_on_demand_and_unlock_with_own_or_admin_password(qtbot, session):
    ro = session("只读丙", RO_PW)
    win = make_window(qtbot, ro)
    assert win.findChild(object, "meetingsLock") is None  # sections are built when first shown
    win.show_section("meetings")
    assert win.findChild(object, "meetingsLock") is not None  # in the meetings toolbar, before projecting
    win.lock_action.trigger()
    assert win.locked and win.cover.currentWidget() is win.lock_screen and not win.menuBar().isEnabled()
    win.lock_screen.password.setText("wrong-password")
    assert not win.lock_screen.unlock() and win.locked and "不正确" in win.lock_screen.error.text()
    win.lock_screen.name.setText("管理员甲")
    win.lock_screen.password.setText(ADMIN_PW)
    assert win.lock_screen.unlock() and not win.locked
    win.lock()
    win.lock_screen.password.setText(RO_PW)
    assert win.lock_screen.unlock() and not win.locked
    actions = {r.action for r in audit_log.audit_rows(ro, audit_log.audit_ids(ro, audit_log.AuditFilter(
        operator="只读丙"))).values()}
    assert {"login", "unlock", "unlock-failed"} <= actions


def test_auto_lock_fires_after_inactivity_and_closes_dialogs(qtbot, session):
    from renewal_desk.core.services.households import household_detail
    from renewal_desk.ui.household_dialog import HouseholdDialog

    admin = session("管理员甲", ADMIN_PW)
    win = make_window(qtbot, admin)
    dialog = HouseholdDialog(admin, household_detail(admin, household_ids(admin)[0]), parent=win)
    dialog.show()
    win.set_auto_lock(0, ms=300)
    qtbot.waitUntil(lambda: win.locked, timeout=5000)
    assert not dialog.isVisible()  # the household's data is not left on screen
    win.lock_screen.password.setText(ADMIN_PW)
    assert win.lock_screen.unlock()
    settings = win.pages["settings"]
    settings.auto_lock.setValue(7)
    assert settings.save_auto_lock() and accounts.auto_lock_minutes(admin) == 7
    assert win.lock_timer.interval() == 7 * 60 * 1000 and win.lock_timer.isActive()


def test_activity_restarts_the_auto_lock_timer(qtbot, session):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    admin = session("管理员甲", ADMIN_PW)
    win = make_window(qtbot, admin)
    from renewal_desk.ui.main_window import SECTIONS

    for key in SECTIONS:  # sections are built on first show: build them now, the test is about the timer
        win.pages[key]
    qtbot.wait(300)
    win.set_auto_lock(0, ms=600)
    for _ in range(6):  # keep typing for longer than the timeout
        qtbot.wait(200)
        QTest.mouseMove(win.nav, QPoint(10 + _, 10))
        QTest.keyClick(win.nav, Qt.Key.Key_Down)
        assert not win.locked
    qtbot.waitUntil(lambda: win.locked, timeout=5000)


def test_accounts_dialog_manages_accounts(qtbot, session, qtmodeltester):
    admin = session("管理员甲", ADMIN_PW)
    dialog = AccountsDialog(admin)
    qtbot.addWidget(dialog)

    model = dialog.table.model()
    qtmodeltester.check(model)

    def cell(name, column):
        rows = [model.index(r, 0).data() for r in range(model.rowCount())]
        return model.index(rows.index(name), column).data()

    def select(name):
        rows = [model.index(r, 0).data() for r in range(model.rowCount())]
        dialog.table.selectRow(rows.index(name))

    assert cell("只读丙", 1) == "只读" and cell("管理员甲", 1) == "管理员"
    select("只读丙")
    assert dialog.change_role("staff") and cell("只读丙", 1) == "工作人员"
    select("只读丙")
    assert dialog.reset_password("brand-new-pass") and cell("只读丙", 3) == "须修改"
    select("只读丙")
    assert not dialog.reset_password("short") and "至少 8 个字符" in dialog.error.text()
    select("只读丙")
    assert dialog.toggle_active() and cell("只读丙", 2) == "已停用"
    select("管理员甲")
    assert not dialog.toggle_active() and "唯一启用的管理员" in dialog.error.text()
    assert dialog.selected().name == "管理员甲"  # a refused change keeps the account selected
    select("只读丙")
    assert dialog.toggle_active() and cell("只读丙", 2) == "启用" and dialog.selected().name == "只读丙"
    dialog.table.clearSelection()
    dialog.table.setCurrentIndex(QModelIndex())
    assert not dialog.toggle_active() and "先在列表中选择" in dialog.error.text()


def test_audit_viewer_filters_and_shows_a_records_history(qtbot, session, tmp_path):
    admin = session("管理员甲", ADMIN_PW)
    pid = places.create_place(admin, "project", "审计项目", project_type=ProjectType.RESIDENTIAL)
    places.update_place(admin, "project", pid, name="审计项目二")
    win = make_window(qtbot, admin)
    page = win.pages["audit"]
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        win.show_section("audit")
    qtbot.waitUntil(lambda: page.table_name.findData("project") >= 0, timeout=5000)
    page.table_name.setCurrentIndex(page.table_name.findData("project"))
    page.record.setText(str(pid))
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        assert page.apply_filter()
    assert page.model.rowCount() == 2
    assert page.model.index(0, 2).data() == "修改" and "审计项目 → 审计项目二" in page.model.index(0, 6).data()
    page.view.selectRow(0)
    text = page.history.toPlainText()
    assert "新增" in text and "修改" in text and "名称：审计项目 → 审计项目二" in text
    assert "2" in page.history_title.text()
    page.record.setText("abc")
    assert not page.apply_filter() and "数字编号或 UUID" in page.count.text()
    page.record.clear()
    page.table_name.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.operator.findData("只读丙") >= 0 or page.operator.findData("管理员甲") >= 0,
                    timeout=5000)
    page.operator.setCurrentIndex(page.operator.findData("管理员甲"))
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        page.apply_filter()
    assert all(page.model.index(r, 1).data() == "管理员甲" for r in range(page.model.rowCount()))
    out = tmp_path / "log.csv"
    with qtbot.waitSignal(page.model.loaded, timeout=10000):  # the page reloads after the export
        page.export(str(out))
    with open(out, encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) > 2


def test_audit_model_fetches_in_pages(qtbot, staffed, qtmodeltester, monkeypatch):
    from renewal_desk.ui.audit_page import AuditModel

    total = len(audit_log.audit_ids(staffed, limit=10_000))
    assert total > 4
    monkeypatch.setattr(audit_log, "PAGE", 2)
    model = AuditModel(staffed)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.load(audit_log.AuditFilter())
    assert model.rowCount() == 2 and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total and model.ids == sorted(model.ids, reverse=True)
    qtmodeltester.check(model)
