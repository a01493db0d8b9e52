"""Role checks below the fronts (issue 23, scope 1): what Python code with a login can and cannot do.

- db.write(need=…) changes only what its need covers: a 只读 login's "login" transaction cannot rewrite the
  administrator's password hash, its "print" transaction cannot change the auto-lock setting.
- household_rows / contract_views give masked ID numbers and phones unless full data is asked for, allowed by
  role and written to the audit log.
- Old (cheaper) password hashes still verify and are redone at the current cost on login.
"""

import pytest
from sqlalchemy import select

from renewal_desk.core.models import AuditEntry, Operator, Setting
from renewal_desk.core.rules import access
from renewal_desk.core.services import accounts, leases
from renewal_desk.core.services.households import household_ids, household_rows

from tests.core.test_accounts import RO_PW, STAFF_PW, session_as, staffed  # noqa: F401 - shared fixture


def admin_hash(db):
    with db.read() as s:
        return s.scalar(select(Operator.password_hash).where(Operator.name == "管理员甲"))


def test_a_login_transaction_cannot_rewrite_another_accounts_password(staffed):
    before = admin_hash(staffed)
    ro = session_as(staffed, "只读丙", RO_PW)
    for need in ("login", "password"):
        with pytest.raises(access.AccessDenied, match="其他账户"):
            with ro.write(need=need) as s:
                s.scalar(select(Operator).where(Operator.name == "管理员甲")).password_hash = "scrypt$1$1$1$00$00"
    with pytest.raises(access.AccessDenied, match="账户的密码"):  # own row, but not its hash at login
        with ro.write(need="login") as s:
            s.scalar(select(Operator).where(Operator.name == "只读丙")).password_hash = "x"
    with pytest.raises(access.AccessDenied, match="账户的角色"):
        with ro.write(need="password") as s:
            s.scalar(select(Operator).where(Operator.name == "只读丙")).role = access.ADMIN
    assert admin_hash(staffed) == before
    ro.close()


def test_staff_cannot_change_accounts_or_their_settings_through_a_plain_write(staffed):
    staff = session_as(staffed, "工作人员乙", STAFF_PW)
    with pytest.raises(access.AccessDenied, match="账户的"):
        with staff.write() as s:
            s.scalar(select(Operator).where(Operator.name == "工作人员乙")).role = access.ADMIN
    with pytest.raises(access.AccessDenied, match="accounts.auto_lock_minutes"):
        with staff.write() as s:
            s.add(Setting(key=accounts.AUTO_LOCK_KEY, value="0"))
    staff.close()
    assert accounts.auto_lock_minutes(staffed) == accounts.AUTO_LOCK_DEFAULT


def test_a_print_transaction_writes_only_document_numbers(staffed):
    ro = session_as(staffed, "只读丙", RO_PW)
    with pytest.raises(access.AccessDenied, match="accounts.auto_lock_minutes"):
        with ro.write(need="print") as s:
            s.add(Setting(key=accounts.AUTO_LOCK_KEY, value="0"))
    with pytest.raises(access.AccessDenied, match="theme"):
        with ro.write(need="print") as s:
            s.add(Setting(key="theme", value="1"))
    with ro.write(need="print") as s:  # what printing itself does
        s.add(Setting(key="docseq:T:20260101", value="1"))
    ro.close()
    assert accounts.auto_lock_minutes(staffed) == accounts.AUTO_LOCK_DEFAULT


def test_household_rows_are_masked_unless_full_data_is_asked_allowed_and_logged(staffed):
    ids = household_ids(staffed)[:5]
    rows = household_rows(staffed, ids)
    for row in rows.values():
        assert row.id_number is None or "*" in row.id_number
        assert row.phone is None or "*" in row.phone
    ro = session_as(staffed, "只读丙", RO_PW)
    with pytest.raises(access.AccessDenied):
        household_rows(ro, ids, full="想看")
    ro.close()
    full = household_rows(staffed, ids, full="核对户主信息")
    assert any(r.id_number and "*" not in r.id_number for r in full.values())
    with staffed.read() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "reveal" and last.note == "核对户主信息" and last.operator == "管理员甲"


def test_contract_views_mask_lessors_unless_full_data_is_asked(staffed):
    from renewal_desk.core.services.demo_leases import generate_lease_demo

    generate_lease_demo(staffed, seed=5)
    views = leases.contract_views(staffed)
    assert views and all("*" in (idn or "*") and "*" in (phone or "*")
                         for v in views for _pid, _name, idn, phone in v.lessors)
    ro = session_as(staffed, "只读丙", RO_PW)
    with pytest.raises(access.AccessDenied):
        leases.contract_view(ro, views[0].id, full="想看")
    ro.close()
    full = leases.contract_view(staffed, views[0].id, full="打印前核对")
    assert any(idn and "*" not in idn for _pid, _name, idn, _phone in full.lessors)


def test_old_password_hashes_verify_and_are_redone_at_the_current_cost(staffed):
    old = accounts.hash_password(STAFF_PW, n=2 ** 14)
    with staffed.write() as s:
        s.scalar(select(Operator).where(Operator.name == "工作人员乙")).password_hash = old
    assert accounts.verify_password(STAFF_PW, old) and accounts.outdated_hash(old)
    staff = session_as(staffed, "工作人员乙", STAFF_PW)
    staff.close()
    with staffed.read() as s:
        new = s.scalar(select(Operator.password_hash).where(Operator.name == "工作人员乙"))
    assert new.startswith(f"scrypt${2 ** 17}$") and not accounts.outdated_hash(new)
    assert accounts.verify_password(STAFF_PW, new)


@pytest.mark.parametrize("value", ["=1+1", "\t=cmd|' /C calc'!A0", "\r=HYPERLINK(\"x\")", " +1", "\n-2", "＝SUM(A1)",
                                   "@SUM(A1)"])
def test_csv_guard_covers_leading_whitespace_and_control_characters(value):
    from renewal_desk.core.services.audit_log import _safe

    assert _safe([value])[0].startswith("'")


def test_csv_guard_keeps_plain_text():
    from renewal_desk.core.services.audit_log import _safe

    assert _safe(["张三", "1+1", 5, None]) == ["张三", "1+1", 5, None]
