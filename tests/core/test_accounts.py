"""Staff accounts and roles: scrypt hashes, login and lockout, first administrator, what each role may do,
and the audit log: append-only, filters, a record's history, export with masking."""

import csv
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, text, update

from renewal_desk.core.db import open_database
from renewal_desk.core.models import AuditEntry, Operator, ProjectType
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import access
from renewal_desk.core.services import accounts, audit_log, places
from renewal_desk.core.services.households import household_ids, reveal_personal_data
from renewal_desk.core.services.printouts import print_document

ADMIN_PW, STAFF_PW, RO_PW = "admin-pass-1", "staff-pass-1", "readonly-pass"


@pytest.fixture
def staffed(demo_db):
    """The demo database with an administrator (logged in on demo_db), a staff and a read-only account."""
    accounts.setup_admin(demo_db, "管理员甲", ADMIN_PW, ADMIN_PW)
    accounts.add_account(demo_db, "工作人员乙", "工作人员", STAFF_PW)
    accounts.add_account(demo_db, "只读丙", "只读", RO_PW)
    return demo_db


def session_as(db, name, password):
    other = open_database(db.address, operator="ignored")
    accounts.login(other, name, password)
    return other


# --- passwords -------------------------------------------------------------------------------------
def test_scrypt_hash_carries_salt_and_parameters_and_verifies():
    stored = accounts.hash_password("correct horse")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", accounts.SCRYPT_N, accounts.SCRYPT_R, accounts.SCRYPT_P)
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert accounts.verify_password("correct horse", stored)
    assert not accounts.verify_password("correct horsE", stored)
    assert accounts.hash_password("correct horse") != stored  # a new salt every time
    # Older, cheaper parameters still verify: they are read from the stored text.
    assert accounts.verify_password("x" * 9, accounts.hash_password("x" * 9, n=2 ** 10))
    for broken in (None, "", "scrypt$1$2", "bcrypt$1$1$1$00$00", "scrypt$x$8$1$00$00"):
        assert not accounts.verify_password("anything", broken)


def test_password_rules_have_chinese_reasons():
    with pytest.raises(InputError, match="至少 8 个字符"):
        accounts.check_password("short")
    with pytest.raises(InputError, match="两次输入的密码不一致"):
        accounts.check_password("long enough", repeat="long enougH")
    with pytest.raises(InputError, match="不能与账户名相同"):
        accounts.check_password("张三丰张三丰张三丰", name="张三丰张三丰张三丰")


# --- the role table --------------------------------------------------------------------------------
def test_role_table():
    A, S, R = access.ADMIN, access.STAFF, access.READ_ONLY
    expected = {
        "write": {A, S}, "print": {A, S, R}, "reveal": {A, S}, "backup": {A, S}, "export": {A, S}, "restore": {A},
        "accounts": {A}, "reopen": {A}, "login": {A, S, R, None}, "event": {A, S, R, None},
    }
    for need, roles in expected.items():
        assert {role for role in (A, S, R, None) if access.allows(role, need)} == roles, need
    with pytest.raises(ValueError):
        access.allows(A, "fly")


def test_open_database_acts_as_admin_under_its_operator(db):
    assert not db.accounts_enabled and db.role == access.ADMIN and db.allows("reveal")
    assert accounts.needs_setup(db)


# --- first administrator, login, lockout ----------------------------------------------------------
def test_first_admin_setup_keeps_existing_names_as_staff_without_password(db):
    from renewal_desk.core.services.operators import ensure_operator

    ensure_operator(db, "老王")  # a name from before accounts existed
    ensure_operator(db, "管理员甲")
    view = accounts.setup_admin(db, "管理员甲", ADMIN_PW, ADMIN_PW)
    assert view.role == access.ADMIN and db.account == "管理员甲" and db.role == access.ADMIN
    assert not accounts.needs_setup(db)
    with pytest.raises(InputError, match="已有管理员"):
        accounts.setup_admin(db, "别人", ADMIN_PW)
    old = {a.name: a for a in accounts.list_accounts(db)}["老王"]
    assert old.role == access.STAFF and not old.has_password
    other = open_database(db.address, operator="x")
    with pytest.raises(accounts.LoginError, match="尚未设置密码"):  # the same words as a wrong password
        accounts.login(other, "老王", "whatever-1")
    accounts.set_password(db, "老王", "laowang-pass")  # the administrator gives a first password
    view = accounts.login(other, "老王", "laowang-pass")
    assert view.must_change_password and other.role == access.STAFF
    accounts.change_password(other, "laowang-pass", "my-own-pass", "my-own-pass")
    assert not {a.name: a for a in accounts.list_accounts(db)}["老王"].must_change_password
    other.close()


def test_wrong_password_counts_down_then_locks_and_is_audited(staffed):
    other = open_database(staffed.address, operator="x")
    refused = []
    for _ in range(5):
        with pytest.raises(accounts.LoginError, match="账户名或密码不正确") as err:
            accounts.login(other, "工作人员乙", "wrong-password")
        refused.append(str(err.value))
    with pytest.raises(accounts.LoginError, match="账户名或密码不正确") as err:  # locked: even the right one waits
        accounts.login(other, "工作人员乙", STAFF_PW)
    refused.append(str(err.value))
    assert other.account is None and other.role is None
    with pytest.raises(accounts.LoginError) as err:
        accounts.login(other, "没有此人", STAFF_PW)
    refused.append(str(err.value))
    assert len(set(refused)) == 1  # the same words whether the account exists, is locked or not: nothing learnt
    with staffed.read() as s:
        assert s.scalar(select(Operator.locked_until).where(Operator.name == "工作人员乙")) is not None
    failed = audit_log.audit_ids(staffed, audit_log.AuditFilter(action="login-failed"))
    assert len(failed) == 7
    # An administrator's reset lifts the lock.
    accounts.set_password(staffed, "工作人员乙", "new-staff-pass")
    assert accounts.login(other, "工作人员乙", "new-staff-pass").name == "工作人员乙"
    assert other.operator == "工作人员乙"
    other.close()


def test_disabled_account_cannot_log_in_and_last_admin_is_kept(staffed):
    accounts.set_active(staffed, "只读丙", False)
    other = open_database(staffed.address, operator="x")
    with pytest.raises(accounts.LoginError, match="已停用"):  # said only to someone who knows the password
        accounts.login(other, "只读丙", RO_PW)
    with pytest.raises(accounts.LoginError, match="账户名或密码不正确"):
        accounts.login(other, "只读丙", "wrong-password")
    with pytest.raises(InputError, match="唯一启用的管理员"):
        accounts.set_active(staffed, "管理员甲", False)
    with pytest.raises(InputError, match="唯一启用的管理员"):
        accounts.set_role(staffed, "管理员甲", "只读")
    with pytest.raises(InputError, match="未知角色"):
        accounts.set_role(staffed, "工作人员乙", "boss")
    other.close()


def test_every_audit_entry_names_the_logged_in_account(staffed):
    staff = session_as(staffed, "工作人员乙", STAFF_PW)
    project = places.create_place(staff, "project", "乙建的项目", project_type=ProjectType.RESIDENTIAL)
    history = audit_log.record_history(staffed, "project", project)
    assert [r.operator for r in history] == ["工作人员乙"] and history[0].action == "insert"
    staff.close()


# --- a read-only account cannot change data or reveal personal data ------------------------------
def test_read_only_cannot_write_through_services(staffed):
    ro = session_as(staffed, "只读丙", RO_PW)
    before = ro.engine.connect().exec_driver_sql("SELECT count(*) FROM project").scalar()
    with pytest.raises(access.AccessDenied, match="只读.*无权修改数据"):
        places.create_place(ro, "project", "只读建的项目", project_type=ProjectType.RESIDENTIAL)
    with pytest.raises(InputError, match="无权修改数据"):  # an InputError: every front shows it
        with ro.write() as s:
            s.execute(text("UPDATE project SET name = 'x'"))
    with pytest.raises(access.AccessDenied):
        accounts.set_auto_lock_minutes(ro, 1)
    with pytest.raises(access.AccessDenied):
        accounts.add_account(ro, "新人", "管理员", "password-1")
    from renewal_desk.core.services.backups import backup_now

    with pytest.raises(access.AccessDenied, match="无权手动备份"):
        backup_now(ro, "manual", staffed.path.parent / "copy.sqlite")
    assert not (staffed.path.parent / "copy.sqlite").exists()
    with staffed.read() as s:
        assert s.scalar(text("SELECT count(*) FROM project")) == before
    ro.close()


def test_read_only_cannot_reveal_or_print_full_but_may_print_masked(staffed, tmp_path):
    ro = session_as(staffed, "只读丙", RO_PW)
    hid = household_ids(ro)[0]
    with pytest.raises(access.AccessDenied, match="完整身份证号"):
        reveal_personal_data(ro, hid)
    with pytest.raises(access.AccessDenied, match="完整身份证号"):
        accounts.require_role(ro, "reveal")
    with pytest.raises(access.AccessDenied):
        print_document(ro, "building-roster", 1, tmp_path / "full.pdf", masked=False)
    assert not (tmp_path / "full.pdf").exists()
    assert print_document(ro, "building-roster", 1, tmp_path / "masked.pdf") >= 1
    with pytest.raises(access.AccessDenied):
        audit_log.audit_rows(ro, audit_log.audit_ids(ro), full=True)
    staff = session_as(staffed, "工作人员乙", STAFF_PW)
    assert reveal_personal_data(staff, hid).people
    ro.close()
    staff.close()


def test_read_only_cannot_export_or_merge_bundles_and_staff_needs_reveal_for_full_data(staffed, tmp_path):
    from renewal_desk.core.services import exchange

    ro = session_as(staffed, "只读丙", RO_PW)
    with pytest.raises(access.AccessDenied, match="无权导出或导入数据包"):
        exchange.export_bundle(ro, tmp_path / "ro.zip", recipient="区更新办")
    with pytest.raises(access.AccessDenied, match="无权导出或导入数据包"):
        exchange.export_bundle(ro, tmp_path / "ro-full.zip", recipient="区更新办", purpose="核对",
                               full_personal_data=True)
    assert not [f for f in tmp_path.iterdir() if not f.name.startswith("desk.sqlite")]  # not even a temporary folder
    staff = session_as(staffed, "工作人员乙", STAFF_PW)
    bundle = exchange.export_bundle(staff, tmp_path / "staff.zip", recipient="区更新办").path
    with pytest.raises(access.AccessDenied, match="无权导出或导入数据包"):
        exchange.import_bundle(ro, bundle)
    ro.close()
    staff.close()


def test_nobody_logged_in_on_a_database_with_accounts_may_only_read(staffed):
    anon = open_database(staffed.address, operator="脚本")  # as a script would, naming any operator
    assert anon.role is None and household_ids(anon)
    with pytest.raises(access.AccessDenied, match="需要先登录"):
        places.create_place(anon, "project", "绕过", project_type=ProjectType.RESIDENTIAL)
    with pytest.raises(access.AccessDenied, match="需要先登录"):
        reveal_personal_data(anon, household_ids(anon)[0])
    anon.close()


def test_a_narrow_transaction_cannot_change_other_tables(staffed):
    ro = session_as(staffed, "只读丙", RO_PW)
    with pytest.raises(access.AccessDenied, match="只允许记录审计"):
        with ro.write(need="print") as s:
            s.get(Operator, 1).name = "改名"
    assert {a.name for a in accounts.list_accounts(staffed)} >= {"管理员甲"}
    ro.close()


def test_auto_lock_setting(staffed):
    assert accounts.auto_lock_minutes(staffed) == accounts.AUTO_LOCK_DEFAULT
    assert accounts.set_auto_lock_minutes(staffed, "5") == 5 and accounts.auto_lock_minutes(staffed) == 5
    with pytest.raises(InputError, match="0（不自动锁定）到 240"):
        accounts.set_auto_lock_minutes(staffed, "999")


def test_unlock_by_own_password_or_an_admin(staffed):
    ro = session_as(staffed, "只读丙", RO_PW)
    with pytest.raises(accounts.LoginError):
        accounts.unlock(ro, "wrong-password")
    assert accounts.unlock(ro, RO_PW).name == "只读丙"
    assert accounts.unlock(ro, ADMIN_PW, "管理员甲").name == "管理员甲"
    with pytest.raises(accounts.LoginError, match="无权解锁他人"):
        accounts.unlock(ro, STAFF_PW, "工作人员乙")
    ro.close()


# --- the audit log --------------------------------------------------------------------------------
def test_audit_log_is_append_only_through_sql_and_sessions(staffed):
    with staffed.engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar()
    statements = ["DELETE FROM audit_log", "UPDATE audit_log SET note = 'rewritten'",
                  "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"]
    if staffed.url is not None:
        statements.append("TRUNCATE audit_log")  # PostgreSQL: a statement trigger refuses it too
    for sql in statements:  # through the driver, past every Python check: the database itself refuses
        raw = staffed.engine.raw_connection()
        try:
            with pytest.raises(Exception, match="只能追加"):
                raw.cursor().execute(sql)
        finally:
            raw.rollback()
            raw.close()
    for stmt in (delete(AuditEntry), update(AuditEntry).values(operator="x")):
        with pytest.raises(Exception, match="只能追加"):
            with staffed.write() as s:
                s.execute(stmt)
    with pytest.raises(Exception, match="只能追加"):
        with staffed.write() as s:
            s.delete(s.scalar(select(AuditEntry).limit(1)))
    assert staffed.engine.connect().exec_driver_sql("SELECT count(*) FROM audit_log").scalar() == count


def test_no_code_updates_or_deletes_the_audit_log():
    from pathlib import Path
    import re

    root = Path(__file__).resolve().parents[2] / "renewal_desk"
    pattern = re.compile(r"(update|delete)\(\s*AuditEntry|(UPDATE|DELETE FROM)\s+audit_log", re.I)
    offenders = [str(p) for p in root.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_filters_by_person_table_record_and_date(staffed):
    staff = session_as(staffed, "工作人员乙", STAFF_PW)
    pid = places.create_place(staff, "project", "审计测试项目", project_type=ProjectType.RESIDENTIAL)
    places.update_place(staff, "project", pid, name="审计测试项目（改）")
    F = audit_log.AuditFilter
    mine = audit_log.audit_ids(staffed, F(operator="工作人员乙"))
    rows = audit_log.audit_rows(staffed, mine)
    assert mine and all(r.operator == "工作人员乙" for r in rows.values())
    assert {r.action for r in rows.values()} >= {"login", "insert", "update"}
    by_record = audit_log.audit_ids(staffed, F(table="project", record=str(pid)))
    assert [audit_log.audit_rows(staffed, by_record)[i].action for i in by_record] == ["update", "insert"]
    uuid = audit_log.audit_rows(staffed, by_record)[by_record[-1]].record_uuid
    assert audit_log.audit_ids(staffed, F(record=uuid)) == by_record
    today = date.today()
    assert set(mine) <= set(audit_log.audit_ids(staffed, F(start=today, end=today)))
    assert audit_log.audit_ids(staffed, F(end=today - timedelta(days=1))) == []
    with pytest.raises(InputError, match="开始日期"):
        audit_log.audit_ids(staffed, F(start=today, end=today - timedelta(days=3)))
    with pytest.raises(InputError, match="数字编号或 UUID"):
        audit_log.audit_ids(staffed, F(record="abc"))
    # Paging: newest first, continued below the last id seen.
    page1 = audit_log.audit_ids(staffed, F(), limit=5)
    page2 = audit_log.audit_ids(staffed, F(), before_id=page1[-1], limit=5)
    assert page1 == sorted(page1, reverse=True) and max(page2) < min(page1)
    history = audit_log.record_history(staffed, "project", pid)
    assert [h.action for h in history] == ["insert", "update"]
    assert "名称：审计测试项目 → 审计测试项目(改)" in history[1].summary()
    staff.close()


def test_history_masks_personal_values_unless_revealed(staffed):
    from renewal_desk.core.services.households import household_detail, update_household, HouseholdInput, PersonInput

    hid = household_ids(staffed)[0]
    d = household_detail(staffed, hid)
    head = d.people[0]
    assert head.id_number
    people = [PersonInput(name=p.name, id_number=p.id_number, phone="13800001111" if p is head else p.phone,
                          relation=p.relation, is_head=p.is_head, roles=p.roles, note=p.note, id=p.id)
              for p in d.people]
    update_household(staffed, hid, HouseholdInput(unit_id=d.unit_id, room=d.room, area=d.area,
                                                  area_source=d.area_source, note=d.note, people=people))
    masked = audit_log.record_history(staffed, "person", head.id)
    change = [c for r in masked for c in r.changes if c.field == "phone"][-1]
    assert "*" in change.after and "13800001111" not in masked[-1].summary()
    full = audit_log.record_history(staffed, "person", head.id, full=True)
    assert [c for r in full for c in r.changes if c.field == "phone"][-1].after == "13800001111"


def test_export_csv_and_xlsx_masked_by_default_and_audited(staffed, tmp_path):
    from openpyxl import load_workbook

    n = audit_log.export_log(staffed, audit_log.AuditFilter(table="operator"), tmp_path / "log.csv")
    with open(tmp_path / "log.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["编号", "时间", "操作人", "动作"] and len(rows) == n + 1
    assert not any("scrypt$" in cell for row in rows for cell in row)  # hashes never reach the log
    logged = audit_log.audit_ids(staffed, audit_log.AuditFilter(action="export-audit"))
    assert len(logged) == 1
    ro = session_as(staffed, "只读丙", RO_PW)
    with pytest.raises(access.AccessDenied):
        audit_log.export_log(ro, audit_log.AuditFilter(), tmp_path / "full.xlsx", full=True)
    assert not (tmp_path / "full.xlsx").exists()
    total = audit_log.export_log(ro, audit_log.AuditFilter(), tmp_path / "all.xlsx")
    sheet = load_workbook(tmp_path / "all.xlsx", read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == total + 1 and total > 5
    with pytest.raises(InputError, match="CSV 或 XLSX"):
        audit_log.export_log(staffed, audit_log.AuditFilter(), tmp_path / "log.pdf")
    ro.close()


def test_audit_entries_name_tables_and_fields_in_words():
    assert audit_log.table_label("household") == "住户" and audit_log.table_label("household", "en") == "Households (one exclusive part each)"
    assert audit_log.table_label("exchange_log") == "导出导入记录" and audit_log.table_label("no_such") == "no_such"
    assert audit_log.field_label("notice_id", "zh", "supervision_problem") == "整改通知编号"
    assert audit_log.action_label("export") == "导出数据包"
