"""The audit log is a hash chain: `check` finds an entry deleted or rewritten behind the app's back (issue 23).

Each test changes the database the way an attacker with its own rights would (sqlite3 on the file; the service
account on the server): drop (SQLite) or disable (PostgreSQL) the append-only triggers, then DELETE or UPDATE, and expects `renewal-desk check` to fail (exit 1) naming the first broken entry.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from renewal_desk.core import audit
from renewal_desk.core.db import open_database
from renewal_desk.core.services import places
from tests.core import raw_sql

REPO = Path(__file__).resolve().parents[2]


def cli(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_DESK_") or k == "RENEWAL_DESK_DATA"}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run([sys.executable, "-m", "renewal_desk", *map(str, args)], capture_output=True, text=True,
                            env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def logged(db):
    for i in range(6):
        places.create_place(db, "project", f"项目{i}")
    return db


def tamper(db, *sql):
    """Lift the append-only triggers and run `sql`, outside the app (its audit and write lock)."""
    if db.url is None:
        con = sqlite3.connect(db.path)
        try:
            con.execute("DROP TRIGGER audit_log_no_update")
            con.execute("DROP TRIGGER audit_log_no_delete")
            for statement in sql:
                con.execute(statement)
            con.commit()
        finally:
            con.close()
        return
    with db.engine.begin() as conn:  # the service account owns its tables: it may switch their triggers off
        conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        for statement in sql:
            conn.exec_driver_sql(statement)


def test_every_entry_is_chained_to_the_previous_one(logged):
    report = logged.check()
    assert report.ok and report.audit.ok and report.audit.entries >= 6
    con = raw_sql.connect(logged)
    try:
        rows = con.execute("SELECT id, chain FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # contiguous from 1
    assert all(r[1] and len(r[1]) == 64 for r in rows)


def test_intact_log_passes_the_command_line_check(logged):
    logged.close()
    out = cli("check", "--db", logged.address)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "审计日志完整" in out.stdout and "检查通过" in out.stdout


def test_a_rewritten_entry_fails_check_naming_it(logged):
    tamper(logged, "UPDATE audit_log SET operator = '别人' WHERE id = 3")
    out = cli("check", "--db", logged.address)
    assert out.returncode == 1
    assert "审计日志第 3 条记录与哈希链不符" in out.stdout and "检查未通过" in out.stdout
    data = json.loads(cli("check", "--db", logged.address, "--json").stdout)
    assert data["ok"] is False and data["audit"]["first_broken"] == 3


def test_a_deleted_entry_and_a_rewritten_one_fail_check_naming_the_first(logged):
    tamper(logged, "DELETE FROM audit_log WHERE id IN (2, 3)", "UPDATE audit_log SET note = 'x' WHERE id = 5")
    out = cli("check", "--db", logged.address)
    assert out.returncode == 1
    assert "审计日志缺少第 2–3 条记录" in out.stdout
    data = json.loads(cli("check", "--db", logged.address, "--json").stdout)
    assert data["audit"]["first_broken"] == 2 and not data["audit"]["ok"]


def test_deleting_the_first_entries_is_found(logged):
    tamper(logged, "DELETE FROM audit_log WHERE id <= 2")
    report = open_database(logged.address).check()
    assert not report.ok and report.audit.first_broken == 1
    assert "缺少第 1–2 条" in report.audit.message()


def test_an_entry_inserted_outside_the_app_is_found(logged):
    con = raw_sql.connect(logged)
    last = con.execute("SELECT max(id) FROM audit_log").fetchone()[0] + 1
    con.execute("INSERT INTO audit_log (id, at, operator, action, table_name, note) "
                "VALUES (?, '2026-01-01 00:00:00', 'x', 'insert', 'project', '')", (last,))
    con.close()
    report = open_database(logged.address).check()
    assert not report.ok and report.audit.first_broken == last


def test_dropped_triggers_alone_fail_check(logged):
    tamper(logged)
    report = open_database(logged.address).check()
    assert not report.ok and "触发器" in report.audit.message()


def test_the_chain_hashes_every_field(logged):
    """Changing any one field of an entry changes its hash (the canonical encoding covers them all)."""
    with logged.read() as s:
        row = dict(s.connection().execute(
            __import__("sqlalchemy").text("SELECT * FROM audit_log WHERE id = 2")).mappings().one())
    from datetime import datetime, timezone

    entry = {**row, "at": datetime(2026, 1, 1, tzinfo=timezone.utc)}
    base = audit.entry_hash(entry, audit.GENESIS)
    for key in audit.ENTRY_FIELDS:
        changed = dict(entry)
        changed[key] = 99 if key in ("id", "record_id") else (
            datetime(2026, 1, 2, tzinfo=timezone.utc) if key == "at" else "changed")
        assert audit.entry_hash(changed, audit.GENESIS) != base, key
    assert audit.entry_hash(entry, "1" * 64) != base


def test_two_copies_writing_at_once_keep_one_unbroken_chain(db):
    """Writers take the write lock at BEGIN: each appends after the real tail, whoever came first."""
    import threading

    other = open_database(db.address, operator="另一窗口")
    errors = []

    def work(database, tag):
        try:
            for i in range(15):
                places.create_place(database, "project", f"{tag}{i}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d, t)) for d, t in ((db, "甲"), (other, "乙"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert not errors
    report = db.check()
    assert report.ok and report.audit.ok and report.audit.entries >= 30


def test_an_export_manifest_carries_the_audit_head(logged, tmp_path):
    from renewal_desk.core.services import exchange

    con = raw_sql.connect(logged)
    last_id, last_hash = con.execute("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    result = exchange.export_bundle(logged, tmp_path / "b")
    assert result.manifest["audit_head"] == {"id": last_id, "sha256": last_hash}
