"""Kill harness: run a real operation in a child process, SIGKILL it at a random moment, judge what is left.

How "never a mix" is judged
---------------------------
The child wraps `Database.write` (the only way services write) so that right after every commit it
appends the commit's number to a side log and fsyncs it. A *reference run* of the same operation (no
kill) records the database's fingerprint after every commit: S0 (before), S1, ... Sn. A killed run
that logged k commits must end in exactly one of Sk or Sk+1 (the commit that may have landed just
before the kill, unlogged) — a half-written transaction matches no state. The fingerprint is every
table's row count plus a hash of every row of every table except the columns that differ run to run
(uuids and timestamps); the audit log is counted, not hashed. Each operation also has its own
invariant written out plainly (an import is all or nothing with one audit entry per household, ...),
and afterwards `renewal-desk check` (integrity, foreign keys, schema) must pass.

Engines: on SQLite a database is a file and a trial's copy a file copy; on PostgreSQL (`Harness(root,
cluster=...)`, a throw-away cluster of tests/pg_cluster.py) a database is a server database, a trial's copy
is CREATE DATABASE … TEMPLATE of the operation's starting database, and after the kill the dead client's
server backends are waited for (terminated) before the state is judged. The kill takes the child's whole
process group (a pg_dump or pg_restore it started dies with it, as on a pulled plug). The fingerprint is
one logic for both: rows fetched through SQLAlchemy, each table in primary-key order.

Adding an operation is one entry in OPERATIONS: a `prepare(store, workdir) -> database` that builds the
starting database once per session (through the store: a file or a server database), and a
`run(target, workdir, log)` executed in the child (`target` a file's path or a server database's URL).
The optional `invariant(conn, workdir)` gets a SQLAlchemy connection to the state left after the kill and
returns a list of complaints.

    python -m tests.crash_harness OP --trials N [--seed S] [--engine sqlite|postgresql]   (repository root)
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import sys
import time
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
EDITS = 200
MINUTES_TEXT = ("主持人：今天议题是3号楼加装电梯的费用分摊。王𠮷（3-1-101）：低层住户也应出一部分。"
                "李䶮（3-2-502）：同意，按楼层系数分摊，一楼不出，二楼以上逐层递增。") * 3
MINUTES_STEP = 6
IMPORT_ROWS = 1200


# --- fingerprints ------------------------------------------------------------------------------

def _volatile(name: str, declared: str) -> bool:
    declared = (declared or "").upper()
    return (name == "uuid" or name.endswith("_uuid") or name.endswith("_at") or "DATETIME" in declared
            or "TIMESTAMP" in declared or name.endswith("sha256")  # a bundle's hash covers its creation time
            or name == "path")  # where a bundle was written: each trial has its own folder


# Values made at random once per database (an exchange identity): compared by presence only.
RANDOM_SETTINGS = ("exchange.instance_id",)


def is_server(target: str | Path) -> bool:
    """A server database's URL (postgresql://…), not a file."""
    from renewal_desk.core.db import is_server_url

    return is_server_url(target)


def reader(target: str | Path):
    """A SQLAlchemy engine for the judge's reads of `target`: a file read-only (plain, or encrypted under
    RENEWAL_DESK_PASSPHRASE), or a server database through the app's own server engine (hand-written SQL goes
    through conn.exec_driver_sql with SQLite's ? placeholders on both: the server engine swaps them)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from renewal_desk.core import cipher
    from renewal_desk.core.db import make_server_engine, server_url

    if is_server(target):
        return make_server_engine(server_url(str(target)))
    return create_engine("sqlite://", creator=lambda: cipher.connect_any(Path(target), read_only=True),
                         poolclass=NullPool)


@contextmanager
def reading(target: str | Path, engine=None):
    """One read transaction on `target` (on the server one REPEATABLE READ snapshot), through `engine` when
    given (kept open by the caller), else through an engine of its own."""
    own = engine is None
    engine = reader(target) if own else engine
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
    finally:
        if own:
            engine.dispose()


def _value(value):
    return bytes(value) if isinstance(value, memoryview) else value  # a bytea's memoryview repr names its address


def fingerprint(target: str | Path, engine=None) -> dict[str, str]:
    """table -> "count:hash" of its deterministic content (audit_log: count only), on either engine."""
    with reading(target, engine) as conn:
        return fingerprint_of(conn)


_SCHEMAS: dict[tuple[str, str], tuple[list[str], dict[str, list[str]], dict[str, list[str]]]] = {}


def _schema(conn) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """(tables, table -> deterministic columns, table -> primary key), reflected once per engine and schema
    version (the same migrations build the same tables)."""
    from sqlalchemy import inspect

    revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    key = (conn.dialect.name, revision)
    if key not in _SCHEMAS:
        inspector = inspect(conn)
        tables = sorted(t for t in inspector.get_table_names()
                        if not t.startswith("household_fts"))  # SQLite's search index is derived from household
        columns = inspector.get_multi_columns(filter_names=tables)
        keys = inspector.get_multi_pk_constraint(filter_names=tables)
        # (None, table): the default schema, SQLite's main or the server's current schema
        _SCHEMAS[key] = (tables,
                         {t: [c["name"] for c in columns[(None, t)] if not _volatile(c["name"], str(c["type"]))]
                          for t in tables},
                         {t: keys[(None, t)]["constrained_columns"] for t in tables})
    return _SCHEMAS[key]


def fingerprint_of(conn) -> dict[str, str]:
    tables, deterministic, primary = _schema(conn)
    quote = conn.dialect.identifier_preparer.quote
    result = {}
    for table in tables:
        cols, order = deterministic[table], primary[table]
        if table == "audit_log" or not cols:
            count = conn.exec_driver_sql(f"SELECT count(*) FROM {quote(table)}").scalar()
            result[table] = str(count) if table == "audit_log" else f"{count}:{hashlib.sha256().hexdigest()[:16]}"
            continue
        stable = bool(order) and set(order) <= set(cols)  # else sorted here: a volatile key orders at random
        sql = f"SELECT {', '.join(quote(c) for c in cols)} FROM {quote(table)}"
        if stable:
            sql += " ORDER BY " + ", ".join(quote(c) for c in order)
        rows = [tuple(_value(v) for v in row) for row in conn.exec_driver_sql(sql)]
        if table == "setting" and {"key", "value"} <= set(cols):
            key, value = cols.index("key"), cols.index("value")
            rows = [row[:value] + ("random",) + row[value + 1:] if row[key] in RANDOM_SETTINGS else row
                    for row in rows]
        texts = [repr(row) for row in rows]
        digest = hashlib.sha256()
        for text in texts if stable else sorted(texts):
            digest.update(text.encode())
        result[table] = f"{len(rows)}:{digest.hexdigest()[:16]}"
    return result


def diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return [f"{t}: {a.get(t)} vs {b.get(t)}" for t in sorted(set(a) | set(b)) if a.get(t) != b.get(t)]


# --- where the databases live: files, or a server's databases ----------------------------------

class Files:
    """SQLite: a database is a file; a copy is a copy of the file."""

    engine = "sqlite"
    backup_suffix = ".sqlite"

    def __init__(self, root: Path):
        self.root = root

    def target(self, folder: Path, name: str) -> Path:
        return folder / f"{name}.sqlite"

    def exists(self, target: Path) -> bool:
        return Path(target).exists()

    def create(self, target: Path) -> Path:
        """Where open_database(..., create=True) builds a new database (it creates the file itself)."""
        return target

    def copy(self, source: Path, target: Path) -> Path:
        shutil.copy(source, target)
        return target

    def settle(self, target: Path) -> None:
        """Nothing to wait for: the killed child's locks died with it."""

    def drop(self, target: Path) -> None:
        Path(target).unlink(missing_ok=True)

    def execute(self, target: Path, sql: str) -> None:
        """A statement written behind the app's back (the judge's own test makes a mixed state with it)."""
        con = sqlite3.connect(target)
        try:
            con.execute(sql)
            con.commit()
        finally:
            con.close()


class Server:
    """PostgreSQL: a database is one of the throw-away cluster's databases (tests/pg_cluster.py), named after
    its folder under the harness root; a copy is CREATE DATABASE … TEMPLATE (the source must have no session)."""

    engine = "postgresql"
    backup_suffix = ".dump"

    def __init__(self, root: Path, cluster):
        self.root, self.cluster = root, cluster

    def _name(self, target: str) -> str:
        from renewal_desk.core.db import server_url

        return server_url(target).database

    def target(self, folder: Path, name: str) -> str:
        relative = Path(folder).resolve().relative_to(self.root.resolve()) / name
        database = "crash_" + re.sub(r"[^a-z0-9]+", "_", str(relative).lower()).strip("_")
        if len(database) > 63:  # PostgreSQL's limit on a name
            database = database[:46] + "_" + hashlib.sha256(database.encode()).hexdigest()[:16]
        return self.cluster.url(database)

    def _super(self, sql: str, *params):
        import psycopg

        with psycopg.connect(host=str(self.cluster.folder), port=self.cluster.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def exists(self, target: str) -> bool:
        return bool(self._super("SELECT 1 FROM pg_database WHERE datname = %s", self._name(target)))

    def create(self, target: str) -> str:
        self.drop(target)
        self.cluster.create_database(self._name(target))
        return target

    def copy(self, source: str, target: str) -> str:
        self.drop(target)
        self.settle(source)  # a template must have no session (the preparing child's may still be closing)
        self.cluster.create_database(self._name(target), template=self._name(source))
        return target

    def settle(self, target: str) -> None:
        """The killed client's backends notice the dead socket only when they next touch it (one may still be
        running a statement, or committing): terminate them, then wait until none is left, so what is judged
        is final. A commit already under way either lands before the backend ends or not at all."""
        name = self._name(target)
        deadline = time.monotonic() + 60
        while self._super("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", name):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server's sessions on {name} do not end")
            time.sleep(0.02)

    def drop(self, target: str) -> None:
        self.cluster.drop_database(self._name(target))

    def execute(self, target: str, sql: str) -> None:
        self.cluster.admin(sql, database=self._name(target))


# --- the child side ----------------------------------------------------------------------------

class CommitLog:
    """Lines appended and fsynced: 'ready', then one 'commit N [fingerprint-json]' per commit, then 'done'."""

    def __init__(self, path: Path, target: str | Path, reference: bool):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.target, self.reference, self.commits = target, reference, 0
        self.engine = reader(target) if reference else None  # one open reader for all the fingerprints
        self.overhead = 0.0  # seconds spent on reference fingerprints, not on the operation


    def line(self, text: str) -> None:
        os.write(self.fd, (text + "\n").encode())
        os.fsync(self.fd)

    def commit(self) -> None:
        self.commits += 1
        started = time.monotonic()
        extra = " " + json.dumps(fingerprint(self.target, self.engine)) if self.reference else ""
        self.overhead += time.monotonic() - started
        self.line(f"commit {self.commits}{extra}")


def _install_commit_hook(log: CommitLog) -> None:
    from renewal_desk.core.db import Database

    original = Database.write

    @contextmanager
    def write(self, *args, **kwargs):
        with original(self, *args, **kwargs) as session:
            yield session
        log.commit()  # reached only when the transaction committed

    Database.write = write


def _cli(*args) -> int:
    from renewal_desk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    if code != 0:
        raise SystemExit(f"command {args[0]} exited {code}: {err.getvalue()[-500:]}")
    return code


def child_main(op_name: str, db_path: str | Path, workdir: Path, log_path: Path, reference: bool,
               passphrase: str | None = None) -> None:
    """The child process: the operation, with every commit logged (and fingerprinted in a reference run).
    It leads a process group of its own: the kill takes what it started too (pg_dump, pg_restore)."""
    os.setpgid(0, 0)
    if passphrase:  # an encrypted database (the fork server's environment predates the test's)
        os.environ["RENEWAL_DESK_PASSPHRASE"] = passphrase
    log = CommitLog(log_path, db_path, reference)
    try:
        _child(op_name, db_path, workdir, log, reference)
    except BaseException:  # noqa: BLE001 - reported to the parent through the log
        import traceback

        log.line("error " + traceback.format_exc().replace("\n", " | "))
        raise
    finally:
        if log.engine is not None:
            log.engine.dispose()


def _child(op_name: str, db_path: str | Path, workdir: Path, log: CommitLog, reference: bool) -> None:
    op = OPERATIONS[op_name]
    _install_commit_hook(log)
    op.warm_up()
    if reference:
        log.line("state 0 " + json.dumps(fingerprint(db_path, log.engine)))
    log.line("ready")
    started = time.monotonic()
    op.run(db_path, workdir, log)
    log.line(f"took {time.monotonic() - started - log.overhead:.3f}")
    log.line("done")


# --- operations ----------------------------------------------------------------------------------

def _one(conn, sql: str, *params):
    """The first row of hand-written SQL (SQLite's ? placeholders, on either engine)."""
    return conn.exec_driver_sql(sql, params).fetchone() if params else conn.exec_driver_sql(sql).fetchone()


def _count(conn, sql: str, *params) -> int:
    return _one(conn, sql, *params)[0]


def _empty_db(store, workdir: Path):
    from renewal_desk.core.db import open_database

    target = store.target(workdir, "empty")
    open_database(store.create(target), create=True, operator="harness").close()
    return target


def _small_demo(store, workdir: Path):
    """30 demo households (no other records), built once per session and copied for each operation."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.demo import generate_demo

    shared = store.target(workdir.parent, "base")
    if not store.exists(shared):
        db = open_database(store.create(shared), create=True, operator="harness")
        try:
            generate_demo(db, households=30, seed=4)
        finally:
            db.close()
    return store.copy(shared, store.target(workdir, "small"))


def _warm_services() -> None:
    # Import what the operation needs before 'ready', so the kill window covers the work itself.
    import renewal_desk.cli  # noqa: F401
    import renewal_desk.core.exchange.roster  # noqa: F401
    import renewal_desk.core.services.demo  # noqa: F401
    import renewal_desk.core.services.demo_designer  # noqa: F401
    import renewal_desk.core.services.demo_leases  # noqa: F401
    import renewal_desk.core.services.demo_meetings  # noqa: F401
    import renewal_desk.core.services.demo_ordering  # noqa: F401
    import renewal_desk.core.services.demo_supervision  # noqa: F401
    import renewal_desk.core.services.households  # noqa: F401
    import renewal_desk.core.services.meetings  # noqa: F401
    import renewal_desk.core.services.roster_import  # noqa: F401
    import renewal_desk.core.services.attachments  # noqa: F401
    import renewal_desk.core.services.backups  # noqa: F401
    import renewal_desk.core.services.exchange  # noqa: F401
    import renewal_desk.core.exchange.bundle  # noqa: F401
    import psycopg  # noqa: F401
    import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401


# import: one roster of IMPORT_ROWS households through the real command, all or nothing
def _prepare_import(store, workdir: Path):
    from tests.fixtures.make_rosters import clean_roster

    clean_roster(workdir / "roster.xlsx", IMPORT_ROWS, seed=11)
    return _small_demo(store, workdir)


def _run_import(target, workdir: Path, log: CommitLog) -> None:
    _cli("import-roster", "--db", target, "--project", "崩溃测试导入", workdir.parent / "roster.xlsx")


_PROJECT_HOMES = ("SELECT h.id FROM household h JOIN unit u ON u.id = h.unit_id JOIN building b ON "
                  "b.id = u.building_id JOIN block k ON k.id = b.block_id WHERE k.project_id = ?")


def _invariant_import(conn, workdir: Path) -> list[str]:
    project = _one(conn, "SELECT id, uuid FROM project WHERE name = ?", "崩溃测试导入")
    if project is None:
        return []
    homes = _count(conn, f"SELECT count(*) FROM ({_PROJECT_HOMES}) homes", project[0])
    audited = _count(conn, "SELECT count(*) FROM audit_log WHERE table_name = 'household' AND action = 'insert' "
                           f"AND record_id IN ({_PROJECT_HOMES})", project[0])
    event = _count(conn, "SELECT count(*) FROM audit_log WHERE action = 'import' AND record_uuid = ?", project[1])
    problems = []
    if homes != IMPORT_ROWS:
        problems.append(f"import partly written: {homes} of {IMPORT_ROWS} households")
    if audited != homes or event != 1:
        problems.append(f"import audit incomplete: {audited} household entries, {event} import events")
    return problems


# demo: the real `demo` command (households, then leases, ordering, meetings, designer, supervision)
def _run_demo(target, workdir: Path, log: CommitLog) -> None:
    _cli("demo", "--db", target, "--households", 60, "--seed", 9)


def _invariant_demo(conn, workdir: Path) -> list[str]:
    projects = _count(conn, "SELECT count(*) FROM project")
    homes = _count(conn, "SELECT count(*) FROM household")
    events = _count(conn, "SELECT count(*) FROM audit_log WHERE action = 'demo' AND table_name = 'project'")
    heads = _count(conn, "SELECT count(*) FROM person WHERE is_head")
    if projects == 0:
        return [] if homes == 0 and events == 0 else [f"no demo project but {homes} households, {events} events"]
    if (projects, homes, events, heads) != (1, 60, 1, 60):
        return [f"demo incomplete: projects={projects} households={homes} heads={heads} demo events={events}"]
    return []


# edits: a burst of EDITS service calls, each its own transaction (new households and changed notes)
def _run_edits(target, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import households as hh

    db = open_database(target, operator="突击编辑")
    try:
        first = hh.household_ids(db)[0]
        detail = hh.household_detail(db, first)
        for k in range(1, EDITS + 1):
            if k % 4 == 0:
                hh.create_household(db, hh.HouseholdInput(detail.unit_id, f"9{k:03d}", "61.5", note=f"新增{k}",
                                                          people=[hh.PersonInput(f"测试{k}号", is_head=True)]))
            else:
                people = [hh.PersonInput(p.name, p.id_number, p.phone, p.relation, p.is_head, p.roles, p.note, p.id)
                          for p in detail.people]
                hh.update_household(db, first, hh.HouseholdInput(detail.unit_id, detail.room, detail.area,
                                                                 detail.area_source, f"第{k}次修改",
                                                                 detail.is_vacant, people))
    finally:
        db.close()


def _invariant_edits(conn, workdir: Path) -> list[str]:
    first = _count(conn, "SELECT min(id) FROM household")
    note = _one(conn, "SELECT note FROM household WHERE id = ?", first)[0]
    updates = _count(conn, "SELECT count(*) FROM audit_log WHERE table_name = 'household' AND action = 'update' "
                           "AND record_id = ? AND after LIKE '%次修改%'", first)
    added = _count(conn, "SELECT count(*) FROM household WHERE note LIKE ?", "新增%")
    added_audit = _count(conn, "SELECT count(*) FROM audit_log WHERE table_name = 'household' AND action = 'insert' "
                               "AND after LIKE ?", "%新增%")
    problems = []
    done = int(note[1:-3]) if note.startswith("第") else 0
    if updates != done - done // 4:  # every 4th edit adds a household instead
        problems.append(f"note says edit {done} but {updates} update entries in the audit log")
    if added != added_audit:
        problems.append(f"{added} households added but {added_audit} insert entries")
    return problems


# minutes: a meeting's speech saved as typed (autosave every few characters)
def _prepare_minutes(store, workdir: Path):
    from datetime import datetime

    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import meetings

    target = _small_demo(store, workdir)
    db = open_database(target, operator="记录员")
    try:
        meeting = meetings.create_meeting(db, meetings.MeetingInput("崩溃测试议事会", datetime(2026, 5, 1, 9, 0)))
        item = meetings.add_item(db, meeting, "加装电梯费用分摊")
        meetings.add_speech(db, item, "", "")
    finally:
        db.close()
    return target


def _run_minutes(target, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import meetings

    with reading(target) as conn:
        speech = _count(conn, "SELECT max(id) FROM meeting_speech")
    db = open_database(target, operator="记录员")
    try:
        for end in range(MINUTES_STEP, len(MINUTES_TEXT) + MINUTES_STEP, MINUTES_STEP):
            meetings.save_speech(db, speech, "王𠮷", MINUTES_TEXT[:end])
    finally:
        db.close()


def _invariant_minutes(conn, workdir: Path) -> list[str]:
    content, speaker = _one(conn, "SELECT content, speaker FROM meeting_speech ORDER BY id DESC LIMIT 1")
    if not MINUTES_TEXT.startswith(content):
        return [f"saved minutes are not what was typed: {content[-40:]!r}"]
    saves = _count(conn, "SELECT count(*) FROM audit_log WHERE table_name = 'meeting_speech' AND action = 'update'")
    expected = -(-len(content) // MINUTES_STEP)
    if content and saves != expected:
        return [f"{len(content)} characters saved by {saves} audited saves (expected {expected})"]
    return []


def _backup_name(target) -> str:
    """A backup's file name: a copy of the file, or the server's pg_dump."""
    return "copy" + (Server.backup_suffix if is_server(target) else Files.backup_suffix)


# backup: the `backup --out` command on a live database (on the server: pg_dump through the app's server path)
def _run_backup(target, workdir: Path, log: CommitLog) -> None:
    _cli("backup", "--db", target, "--out", workdir / _backup_name(target))


def _sound_server_dump(conn, dump: Path) -> str | None:
    """Why a dump under its final name would not restore (pg_restore cannot list it, or it lacks the data)."""
    import subprocess

    from renewal_desk.core.db import pg_program

    listed = subprocess.run([str(pg_program("pg_restore", conn)), "--list", str(dump)], capture_output=True,
                            text=True)
    if listed.returncode or "TABLE DATA" not in listed.stdout or " audit_log " not in listed.stdout:
        return (listed.stderr.strip() or "no table data")[:200]
    return None


def _invariant_backup(conn, workdir: Path) -> list[str]:
    from renewal_desk.core.backup import BackupError, verify

    server = conn.dialect.name == "postgresql"
    out = workdir / ("copy" + (Server.backup_suffix if server else Files.backup_suffix))
    if not out.exists():
        return []
    if server:
        wrong = _sound_server_dump(conn, out)
        return [f"a dump under its final name is not sound: {wrong}"] if wrong else []
    try:
        verify(out, restorable=True)
    except BackupError as exc:
        return [f"a backup under its final name is not sound: {exc}"]
    return []


# restore: the `restore` command (file: safety copy, copy in, then the audited restore event; server: a safety
# dump audited, pg_restore --single-transaction, then the audited restore event)
def _prepare_restore(store, workdir: Path):
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import households as hh

    target = _small_demo(store, workdir)
    _cli("backup", "--db", target, "--out", workdir / f"good-backup{store.backup_suffix}")
    db = open_database(target, operator="harness")
    try:
        unit = hh.household_detail(db, hh.household_ids(db)[0]).unit_id
        for k in range(20):
            hh.create_household(db, hh.HouseholdInput(unit, f"8{k:03d}", people=[hh.PersonInput(f"后加{k}", is_head=True)]))
    finally:
        db.close()
    return target


def _run_restore(target, workdir: Path, log: CommitLog) -> None:
    if is_server(target):
        from renewal_desk.core import db as core_db

        restore_server = core_db.restore_server

        def logged_restore(db, dump):  # pg_restore's one transaction, not a Database.write
            restore_server(db, dump)
            log.commit()

        core_db.restore_server = logged_restore
        backup_file = workdir.parent / f"good-backup{Server.backup_suffix}"
    else:
        from renewal_desk.core import backup

        copy_into = backup._copy_into

        def logged_copy(src, dst):  # the copy-in is a transaction of its own (SQLite's backup API)
            copy_into(src, dst)
            log.commit()

        backup._copy_into = logged_copy
        backup_file = workdir.parent / f"good-backup{Files.backup_suffix}"
    _cli("restore", "--db", target, backup_file)


def _invariant_restore(conn, workdir: Path) -> list[str]:
    added = _count(conn, "SELECT count(*) FROM household WHERE room LIKE '8___'")
    return [] if added in (0, 20) else [f"restore mixed two states: {added} of 20 later households"]


# upgrade: opening a database of the first release, which (a file: backs it up and) migrates it in one transaction
def _prepare_upgrade(store, workdir: Path):
    from alembic import command
    from sqlalchemy import create_engine

    from renewal_desk.core.db import _alembic_config, make_engine, server_url

    target = _small_demo(store, workdir)
    engine = create_engine(server_url(target)) if is_server(target) else make_engine(target)
    try:
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0001")
    finally:
        engine.dispose()
    return target


def _run_upgrade(target, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core.db import open_database

    open_database(target, operator="harness").close()  # the migration is not a Database.write: log it here
    log.commit()


def _invariant_upgrade(conn, workdir: Path) -> list[str]:
    from sqlalchemy import inspect

    from renewal_desk.core.db import head_revision

    revision = _one(conn, "SELECT version_num FROM alembic_version")[0]
    tables = set(inspect(conn).get_table_names())
    newest = {"stored_house", "meeting", "supervision_problem", "designer_opinion"}
    if revision == "0001" and not tables & newest or revision == head_revision() and newest <= tables:
        return []
    return [f"half-upgraded: revision {revision} with {sorted(tables & newest)}"]


# export: a bundle through the real command; a bundle under its final name is always whole and sound
def _run_export(target, workdir: Path, log: CommitLog) -> None:
    _cli("export", "--db", target, "--out", workdir / "out.zip", "--recipient", "区更新办")


def _invariant_export(conn, workdir: Path) -> list[str]:
    from renewal_desk.core.exchange.bundle import load_bundle
    from renewal_desk.core.problems import InputError

    out = workdir / "out.zip"
    if not out.exists():
        return []
    try:
        load_bundle(out).close()  # (its attachments' checked copies removed)
    except InputError as exc:
        return [f"a bundle under its final name is refused: {exc.describe()}"]
    return []


# import-bundle: another laptop's community merged in one transaction: all of it or none
BUNDLE_PROJECT = "崩溃测试数据包社区"


def _prepare_bundle_import(store, workdir: Path):
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.demo import generate_demo
    from renewal_desk.core.services.exchange import export_bundle

    bundle = workdir / "bundle.zip"  # the operation's folder; each trial's workdir is below it
    if not bundle.exists():
        source = workdir / "bundle-source.sqlite"  # the other laptop's file, whichever engine this office uses
        db = open_database(source, create=True, operator="另一台电脑")
        saved = os.environ.get("RENEWAL_DESK_DATA")
        os.environ["RENEWAL_DESK_DATA"] = str(workdir / "signer")  # the signing key the import trusts as its own
        try:
            generate_demo(db, households=40, seed=11, project_name=BUNDLE_PROJECT)
            export_bundle(db, bundle)
        finally:
            db.close()
            if saved is None:
                os.environ.pop("RENEWAL_DESK_DATA", None)
            else:
                os.environ["RENEWAL_DESK_DATA"] = saved
    return _small_demo(store, workdir)


def _run_bundle_import(target, workdir: Path, log: CommitLog) -> None:
    os.environ["RENEWAL_DESK_DATA"] = str(workdir.parent / "signer")  # this child only: the key that signed it
    _cli("import-bundle", "--db", target, workdir.parent / "bundle.zip")


def _invariant_bundle_import(conn, workdir: Path) -> list[str]:
    import json as _json
    import zipfile

    with zipfile.ZipFile(workdir.parent / "bundle.zip") as zf:
        name = next(n for n in zf.namelist() if n.endswith("manifest.json"))
        expected = _json.loads(zf.read(name))["counts"]["households"]
    project = _one(conn, "SELECT id FROM project WHERE name = ?", BUNDLE_PROJECT)
    if project is None:
        return []
    homes = _count(conn, f"SELECT count(*) FROM ({_PROJECT_HOMES}) homes", project[0])
    return [] if homes == expected else [f"bundle import half done: {homes} of {expected} households"]


# attach: photos attached to a household one after another (some the same photo again: stored once). The content
# is stored first (on the server a short transaction of its own, logged here), then the row linking it: a kill
# between them leaves content no row names yet, never a row without its content.
ATTACH_PHOTOS = 40


def _photo_bytes(k: int) -> bytes:
    k = k if k % 4 else k // 2  # every 4th is a photo attached before
    return hashlib.sha256(str(k).encode()).digest() * (6000 + 150 * k)  # 200-380 KB each


def _run_attach(target, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core.db import ServerBlobs, open_database
    from renewal_desk.core.services import households as hh
    from renewal_desk.core.services.attachments import add_attachment

    if is_server(target):
        put = ServerBlobs.put

        def logged_put(self, sha256, source):  # the content's own transaction, not a Database.write
            put(self, sha256, source)
            log.commit()

        ServerBlobs.put = logged_put
    photos = workdir / "photos"
    photos.mkdir(exist_ok=True)
    db = open_database(target, operator="监督员")
    try:
        first = hh.household_ids(db)[0]
        for k in range(1, ATTACH_PHOTOS + 1):
            photo = photos / f"照片{k}.jpg"
            photo.write_bytes(_photo_bytes(k))
            add_attachment(db, "household", first, photo, f"第{k}张")
    finally:
        db.close()


def _invariant_attach(conn, workdir: Path) -> list[str]:
    rows = conn.exec_driver_sql("SELECT id, sha256, size FROM attachment ORDER BY id").fetchall()
    audited = _count(conn, "SELECT count(*) FROM audit_log WHERE table_name = 'attachment' AND action = 'insert'")
    problems = [] if audited == len(rows) else [f"{len(rows)} attachments but {audited} insert entries"]
    if conn.dialect.name == "postgresql":
        held = {sha: (size, ok) for sha, size, ok in conn.exec_driver_sql(
            "SELECT sha256, size, encode(sha256(content), 'hex') = sha256 FROM attachment_content")}
    else:
        folder = workdir / "desk-files"
        held = {}
        for _id, sha, _size in rows:
            path = folder / sha[:2] / sha
            if path.is_file():
                data = path.read_bytes()
                held[sha] = (len(data), hashlib.sha256(data).hexdigest() == sha)
    for record_id, sha, size in rows:
        if sha not in held:
            problems.append(f"attachment {record_id} committed without its content")
        elif held[sha] != (size, True):
            problems.append(f"attachment {record_id}: content of {held[sha][0]} bytes, hash ok {held[sha][1]}")
    return problems


@dataclass
class Operation:
    run: Callable[[str | Path, Path, CommitLog], None]
    prepare: Callable[[Files | Server, Path], str | Path] = _small_demo
    invariant: Callable[[object, Path], list[str]] = lambda conn, workdir: []  # conn: a SQLAlchemy Connection
    warm_up: Callable[[], None] = _warm_services


# Every operation runs on both engines: on the server, backup and restore are the app's pg_dump/pg_restore
# paths (core.db.dump_server/restore_server) and upgrade is open_server's one-transaction migration.
OPERATIONS: dict[str, Operation] = {
    "import": Operation(_run_import, _prepare_import, _invariant_import),
    "demo": Operation(_run_demo, _empty_db, _invariant_demo),
    "edits": Operation(_run_edits, _small_demo, _invariant_edits),
    "minutes": Operation(_run_minutes, _prepare_minutes, _invariant_minutes),
    "backup": Operation(_run_backup, _small_demo, _invariant_backup),
    "restore": Operation(_run_restore, _prepare_restore, _invariant_restore),
    "upgrade": Operation(_run_upgrade, _prepare_upgrade, _invariant_upgrade),
    "export": Operation(_run_export, _small_demo, _invariant_export),
    "import-bundle": Operation(_run_bundle_import, _prepare_bundle_import, _invariant_bundle_import),
    "attach": Operation(_run_attach, _small_demo, _invariant_attach),
}


# --- the parent side ---------------------------------------------------------------------------

@dataclass
class Reference:
    states: list[dict[str, str]]  # S0 .. Sn
    seconds: float  # from 'ready' to 'done'


@dataclass
class Outcome:
    op: str
    seed: int
    delay: float
    logged: int
    matched: int | None  # index of the state found, None when it matched none
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        state = f"state S{self.matched}" if self.matched is not None else "NO known state"
        text = f"{self.op}: seed={self.seed} kill after {self.delay:.3f}s, {self.logged} commits logged, {state}"
        return text + ("; " + "; ".join(self.problems) if self.problems else "")


_CONTEXT = None


def _start_child(op: str, db: str | Path, workdir: Path, log: Path, reference: bool,
                 passphrase: str | None = None):
    """A child forked from a fork server that imported the app once (a fresh process, without the start-up
    second per trial); SIGKILL ends it like a pulled plug (_kill)."""
    global _CONTEXT
    if _CONTEXT is None:
        import multiprocessing

        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["tests.crash_harness", "renewal_desk.cli", "renewal_desk.core.services.demo",
                                         "renewal_desk.core.services.meetings", "renewal_desk.core.exchange.roster",
                                         "renewal_desk.core.services.roster_import"])
    proc = _CONTEXT.Process(target=child_main, args=(op, db, workdir, log, reference, passphrase), daemon=True)
    proc.start()
    return proc


def _kill(proc) -> None:
    """SIGKILL to the child's process group (the child and any pg_dump/pg_restore it started), unless all ended."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.join()


def _read_log(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


class Harness:
    """Prepared starting databases and reference runs per operation, shared by all trials of a session."""

    def __init__(self, root: Path, passphrase: str | None = None, cluster=None):
        """With `passphrase`, every starting file is encrypted (SQLCipher) and the operations run on it; the
        caller sets RENEWAL_DESK_PASSPHRASE in this process (the judge reads the files with it). With `cluster`
        (tests/pg_cluster.Cluster) the databases are that PostgreSQL server's instead of files."""
        if passphrase and cluster is not None:
            raise ValueError("a server database is not encrypted here")
        self.root = root
        self.passphrase = passphrase
        self.store = Server(root, cluster) if cluster is not None else Files(root)
        self.engine = self.store.engine
        self.bases: dict[str, str | Path] = {}
        self.references: dict[str, Reference] = {}

    def base(self, op: str) -> str | Path:
        if op not in self.bases:
            folder = self.root / op
            folder.mkdir(parents=True, exist_ok=True)
            self.bases[op] = OPERATIONS[op].prepare(self.store, folder)
            if self.passphrase:
                from renewal_desk.core import cipher

                cipher.encrypt_file(self.bases[op], self.passphrase)
        return self.bases[op]

    def _fresh(self, op: str, name: str) -> tuple[str | Path, Path]:
        """A trial's own copy of the operation's starting database (a file copy, or CREATE DATABASE … TEMPLATE)."""
        base = self.base(op)
        workdir = self.root / op / name
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        return self.store.copy(base, self.store.target(workdir, "desk")), workdir

    def reference(self, op: str) -> Reference:
        if op not in self.references:
            db, workdir = self._fresh(op, "reference")
            log = workdir / "commits.log"
            proc = _start_child(op, db, workdir, log, True, self.passphrase)
            proc.join(600)
            lines = _read_log(log)
            if proc.exitcode != 0 or not lines or lines[-1] != "done":
                raise RuntimeError(f"reference run of {op} failed: {lines[-1:]}")
            states = [json.loads(lines[0].split(" ", 2)[2])]
            states += [json.loads(line.split(" ", 2)[2]) for line in lines if line.startswith("commit ")]
            took = float(next(line for line in lines if line.startswith("took ")).split()[1])
            self.references[op] = Reference(states, max(0.05, took))
            self.store.settle(db)
            self.store.drop(db)
        return self.references[op]

    @staticmethod
    def _wait_ready(proc, log: Path) -> float:
        deadline = time.monotonic() + 120
        while "ready" not in _read_log(log):
            if proc.exitcode is not None:
                raise RuntimeError(f"child ended before it was ready: {_read_log(log)[-1:]}")
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("child never became ready")
            time.sleep(0.005)
        return time.monotonic()

    def trial(self, op: str, seed: int) -> Outcome:
        reference = self.reference(op)
        rng = random.Random(seed)
        delay = rng.uniform(0, reference.seconds * 1.15)
        db, workdir = self._fresh(op, f"trial-{seed}")
        log = workdir / "commits.log"
        proc = _start_child(op, db, workdir, log, False, self.passphrase)
        start = self._wait_ready(proc, log)
        time.sleep(max(0.0, start + delay - time.monotonic()))
        _kill(proc)
        self.store.settle(db)  # the server's backends of the dead client ended: what is there now is final
        lines = _read_log(log)
        if any(line.startswith("error ") for line in lines):
            raise RuntimeError(f"{op} failed in the child on its own: {lines[-1]}")
        logged = sum(1 for line in lines if line.startswith("commit "))
        outcome = Outcome(op, seed, delay, logged, None)

        # The state is judged first (a read-only look), then `renewal-desk check` opens it as the app would.
        found = fingerprint(db)
        for index in (logged, logged + 1):
            if index < len(reference.states) and found == reference.states[index]:
                outcome.matched = index
                break
        if outcome.matched is None:
            near = reference.states[min(logged, len(reference.states) - 1)]
            outcome.problems.append("differs from the logged state in " + "; ".join(diff(near, found)[:4]))
        with reading(db) as conn:
            outcome.problems += OPERATIONS[op].invariant(conn, workdir)
        out, err = io.StringIO(), io.StringIO()
        from renewal_desk.cli import main

        with redirect_stdout(out), redirect_stderr(err):
            code = main(["check", "--db", str(db)])
        if code != 0:
            outcome.problems.append(f"`renewal-desk check` exited {code}: {(out.getvalue() + err.getvalue())[-400:]}")
        if not outcome.problems:
            self.store.settle(db)
            self.store.drop(db)
            shutil.rmtree(workdir, ignore_errors=True)
        elif self.engine == "postgresql":
            outcome.problems.append(f"database kept: {db}")
        return outcome

    def run(self, trials: int, seed: int, ops: list[str] | None = None,
            report: Callable[[Outcome], None] | None = None) -> list[Outcome]:
        ops = ops or list(OPERATIONS)
        outcomes = []
        for n in range(trials):
            outcome = self.trial(ops[n % len(ops)], seed + n)
            outcomes.append(outcome)
            if report:
                report(outcome)
        return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("op", nargs="?", default="all", choices=["all", *OPERATIONS])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite",
                        help="postgresql: on a throw-away cluster of tests/pg_cluster.py, started and stopped here")
    args = parser.parse_args(argv)
    import tempfile

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    root = args.root or Path(tempfile.mkdtemp(prefix="renewal-crash-"))
    os.environ.setdefault("RENEWAL_DESK_DATA", str(root / "data"))
    print(f"crash harness: {args.trials} trials on {args.engine}, seed {seed}, files under {root}", flush=True)
    cluster = None
    if args.engine == "postgresql":
        from tests.pg_cluster import Cluster

        cluster = Cluster.start()
    try:
        return _run_main(Harness(root, cluster=cluster), args, seed)
    finally:
        if cluster is not None:
            cluster.stop()


def _run_main(harness: Harness, args, seed: int) -> int:
    bad = []
    started = time.monotonic()

    def report(outcome: Outcome) -> None:
        print(("ok   " if not outcome.problems else "BAD  ") + outcome.describe(), flush=True)
        if outcome.problems:
            bad.append(outcome)

    outcomes = harness.run(args.trials, seed, None if args.op == "all" else [args.op], report)
    after_commit = sum(1 for o in outcomes if o.logged)
    unlogged = sum(1 for o in outcomes if o.matched == o.logged + 1)
    print(f"{len(outcomes)} trials on {harness.engine}, {len(bad)} bad outcomes (seed {seed}; {after_commit} killed "
          f"after at least one commit, {unlogged} between a commit and its log line; "
          f"{time.monotonic() - started:.0f} s)")
    return 1 if bad else 0


if __name__ == "__main__":
    from tests.crash_harness import main as harness_main  # the module itself, as the fork server imports it

    raise SystemExit(harness_main())
