"""Two copies of the app on one database: writers take turns (WAL, BEGIN IMMEDIATE, busy timeout), nothing is
corrupted or lost; a copy that cannot get its turn in time is told plainly that the database is in use."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tests.core import raw_sql

REPO = Path(__file__).resolve().parents[2]
EDITOR = """
import sys
from renewal_desk.core.db import open_database
from renewal_desk.core.services import households as hh
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = open_database(path, operator=name)
unit = hh.household_detail(db, hh.household_ids(db)[0]).unit_id
for k in range(count):
    hh.create_household(db, hh.HouseholdInput(unit, f"{name}-{k}", note=name, people=[hh.PersonInput(f"{name}{k}号", is_head=True)]))
db.close()
print("done", flush=True)
"""


def _editor(path: Path, name: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", EDITOR, str(path), name, str(count)], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(REPO)))


def _cli(*args) -> tuple[int, str]:
    from renewal_desk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


def test_two_processes_writing_at_once_lose_nothing(demo_db):
    """Two copies add households as fast as they can while this one reads and imports: every change lands once."""
    from renewal_desk.core.services import households as hh
    from tests.fixtures.make_rosters import clean_roster

    path = demo_db.address  # the file, or the server database
    before = hh.count_households(demo_db)
    audit_before = demo_db.check().counts["audit_log"]
    roster = demo_db.path.parent / "roster.xlsx"
    clean_roster(roster, 300, seed=8)
    copies = [_editor(path, "甲", 40), _editor(path, "乙", 40)]
    code, text = _cli("import-roster", "--db", path, "--project", "同时导入", roster)  # a long write meanwhile
    reads = 0
    while any(p.poll() is None for p in copies):
        hh.household_rows(demo_db, hh.household_ids(demo_db)[:50])  # the window keeps reading
        reads += 1
    for proc in copies:
        out, err = proc.communicate()
        assert proc.returncode == 0 and out.strip() == "done", err
    assert code == 0, text
    assert hh.count_households(demo_db) == before + 80 + 300 and reads > 0
    report = demo_db.check()
    assert report.ok, report
    con = raw_sql.connect(demo_db)
    try:
        for name in ("甲", "乙"):
            assert con.execute("SELECT count(*) FROM household WHERE note = ?", (name,)).fetchone()[0] == 40
            audited = con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'household' AND action = "
                                  "'insert' AND operator = ?", (name,)).fetchone()[0]
            assert audited == 40
    finally:
        con.close()
    assert report.counts["audit_log"] > audit_before


def test_a_copy_that_cannot_get_its_turn_is_told_the_database_is_in_use(db_path):
    """Another program holds the write lock longer than the busy timeout (5 s): a plain message, exit 1, no change."""
    holder = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = db_path.read_bytes()
        started = time.monotonic()
        code, text = _cli("demo", "--db", db_path, "--households", 10)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and "数据库正被另一个程序占用" in text and "Traceback" not in text, text
    assert waited >= 4.5  # it waited its turn before giving up
    assert db_path.read_bytes() == before
    code, text = _cli("demo", "--db", db_path, "--households", 10)  # once free, it works
    assert code == 0, text


@pytest.mark.sqlite_only("a raw sqlite3 reader's WAL snapshot; PostgreSQL's MVCC gives readers the same")
def test_a_reader_does_not_block_a_writer_and_sees_whole_transactions(db):
    """WAL: an open read transaction in one copy neither blocks the other's write nor sees half of it."""
    from renewal_desk.core.services import places

    reader = sqlite3.connect(db.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        seen = reader.execute("SELECT count(*) FROM project").fetchone()[0]
        places.create_place(db, "project", "另一窗口新建")  # not blocked by the reader
        assert reader.execute("SELECT count(*) FROM project").fetchone()[0] == seen  # its snapshot holds
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM project").fetchone()[0] == seen + 1
    finally:
        reader.close()
