"""Restores keep the audit log and never get round the role check (issue 23, scopes 1 and 3).

- An old backup restored again and again never drops a later entry (a reveal of full data): the replaced
  database's entries are carried into the restored one, whose chain still verifies; the restore is audited.
- A database that cannot be opened (a bumped schema version) is restored only with an administrator's password.
- A backup without accounts is never installed over a database with accounts.
- A manual backup is audited.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from renewal_desk.core import backup
from renewal_desk.core.db import open_database
from renewal_desk.core.services import accounts, places
from renewal_desk.core.services.backups import backup_now, restore_backup

REPO = Path(__file__).resolve().parents[2]
ADMIN_PW = "admin-pass-1"


def cli(*args, password=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_DESK_") or k == "RENEWAL_DESK_DATA"}
    env["PYTHONPATH"] = str(REPO)
    if password:
        env["RENEWAL_DESK_PASSWORD"] = password
    result = subprocess.run([sys.executable, "-m", "renewal_desk", *map(str, args)], capture_output=True, text=True,
                            env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def actions(path):
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY id")]
    finally:
        con.close()


def test_restoring_an_old_backup_eleven_times_keeps_every_later_entry(db):
    places.create_place(db, "project", "第一版")
    old = backup.rotate_backup(db.path, "manual")
    with db.write(need="reveal") as s:  # what `print --full` records
        from renewal_desk.core.audit import record_event

        record_event(s, "print-full", "household", note="打印完整个人信息")
    db.close()
    for _ in range(11):
        restore_backup(db.path, old, "测试员")
    done = actions(db.path)
    assert done.count("print-full") == 1 and done.count("restore") == 11
    reopened = open_database(db.path)
    try:
        report = reopened.check()
        assert report.ok and report.audit.ok, report.audit.message()
        assert [n.name for n in places.tree(reopened)] == ["第一版"]  # the data is the backup's
    finally:
        reopened.close()
    for kept in backup.list_backups(db.path):
        if kept.reason == "before-restore":
            assert "print-full" in actions(kept.path)


def test_a_backup_from_another_history_carries_the_replaced_entries_after_its_own(db, tmp_path):
    other = tmp_path / "other.sqlite"
    foreign = open_database(other, create=True, operator="别处")
    places.create_place(foreign, "project", "别处的项目")
    foreign.close()
    places.create_place(db, "project", "本机的项目")
    with db.write(need="reveal") as s:
        from renewal_desk.core.audit import record_event

        record_event(s, "print-full", "household", note="打印完整个人信息")
    db.close()
    restore_backup(db.path, other, "测试员")
    done = actions(db.path)
    assert "print-full" in done and done[-1] == "restore"
    reopened = open_database(db.path)
    try:
        assert reopened.check().audit.ok
    finally:
        reopened.close()


def test_manual_backup_is_audited(db, tmp_path):
    out = backup_now(db, "manual", tmp_path / "copy.sqlite")
    with db.read() as s:
        from sqlalchemy import select

        from renewal_desk.core.models import AuditEntry

        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "backup" and str(out) in entry.note and entry.operator == "测试员"


@pytest.fixture
def guarded(db, tmp_path):
    """A database with an administrator, a backup of it, and a backup from before accounts existed."""
    places.create_place(db, "project", "项目")
    open_backup = backup.rotate_backup(db.path, "manual")
    accounts.setup_admin(db, "管理员甲", ADMIN_PW)
    with_accounts = backup.rotate_backup(db.path, "manual")
    db.close()
    return db.path, with_accounts, open_backup


def bump_schema(path):
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()


def test_restore_over_an_unopenable_database_needs_its_administrator(guarded):
    path, good, _open = guarded
    bump_schema(path)
    out = cli("restore", "--db", path, good)
    assert out.returncode == 2 and "需要管理员账户和密码" in out.stderr
    out = cli("restore", "--db", path, good, "--user", "管理员甲", password="wrong-password")
    assert out.returncode == 2 and "未作任何修改" in out.stderr
    out = cli("restore", "--db", path, good, "--user", "别人", password=ADMIN_PW)
    assert out.returncode == 2
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999"  # untouched
    con.close()
    out = cli("restore", "--db", path, good, "--user", "管理员甲", password=ADMIN_PW)
    assert out.returncode == 0, out.stderr
    con = sqlite3.connect(path)
    entry = con.execute("SELECT operator, action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert entry == ("管理员甲", "restore")


def test_a_backup_without_accounts_is_never_installed_over_accounts(guarded):
    path, _good, open_backup = guarded
    before = path.read_bytes()
    out = cli("restore", "--db", path, open_backup, "--user", "管理员甲", password=ADMIN_PW)
    assert out.returncode == 2 and "该备份没有任何账户" in out.stderr
    bump_schema(path)
    out = cli("restore", "--db", path, open_backup, "--user", "管理员甲", password=ADMIN_PW)
    assert out.returncode == 2 and "该备份没有任何账户" in out.stderr
    assert len(path.read_bytes()) == len(before)


def test_each_backup_records_the_audit_head_of_its_copy(db, tmp_path):
    import json

    from renewal_desk.core import audit
    from renewal_desk.core.models import AuditEntry
    from sqlalchemy import select

    places.create_place(db, "project", "项目")
    made = backup.rotate_backup(db.path, "daily")
    with db.engine.connect() as conn:
        head_id, head_hash = audit.tail(conn)
    meta = backup.read_meta(made)
    assert meta["audit_head"] == {"id": head_id, "sha256": head_hash} and meta["bytes"] == made.stat().st_size
    assert oct(backup.meta_path(made).stat().st_mode & 0o777) == "0o600"
    chosen = backup_now(db, out=tmp_path / "chosen.sqlite")
    with db.read() as s:
        after = s.scalar(select(AuditEntry.after).where(AuditEntry.action == "backup"))
    assert json.loads(after)["audit_head"] == {"id": head_id, "sha256": head_hash}
    assert not backup.meta_path(chosen).exists()  # nothing written beside a file the user chose


def test_wrong_restore_passwords_lock_the_check(guarded, monkeypatch):
    import json

    from renewal_desk.core.paths import data_dir
    from renewal_desk.core.services.accounts import MAX_FAILED
    from renewal_desk.core.services.backups import authorize_restore

    path, good, _open = guarded
    bump_schema(path)
    for _ in range(MAX_FAILED):
        with pytest.raises(backup.BackupError, match="账户名或密码不正确"):
            authorize_restore(path, good, "newer", "管理员甲", "wrong-password")
    with pytest.raises(backup.BackupError, match="已锁定"):  # the right password too, while locked
        authorize_restore(path, good, "newer", "管理员甲", ADMIN_PW)
    out = cli("restore", "--db", path, good, "--user", "管理员甲", password=ADMIN_PW)  # another process: still locked
    assert out.returncode == 2 and "已锁定" in out.stderr
    state_file = data_dir() / "restore-attempts.json"
    assert oct(state_file.stat().st_mode & 0o777) == "0o600"
    state = json.loads(state_file.read_text())
    state[str(path.resolve())]["locked_until"] = 0  # the lock has run out
    state_file.write_text(json.dumps(state))
    assert authorize_restore(path, good, "newer", "管理员甲", ADMIN_PW) == "管理员甲"
