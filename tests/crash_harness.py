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

Adding an operation is one entry in OPERATIONS: a `prepare(workdir) -> database` that builds the
starting file once per session, and a `run(db_path, workdir)` executed in the child. The optional
`invariant(con, workdir)` returns a list of complaints about the state left after the kill.

    python -m tests.crash_harness OP --trials N [--seed S]      (from the repository root)
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
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


def fingerprint(path: Path) -> dict[str, str]:
    """table -> "count:hash" of its deterministic content (audit_log: count only)."""
    from renewal_desk.core import cipher

    con = cipher.connect_any(path, read_only=True)  # plain, or encrypted under RENEWAL_DESK_PASSPHRASE
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'household_fts%' ORDER BY name")]  # the search index is derived from household
        result = {}
        for table in tables:
            count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if table == "audit_log":
                result[table] = str(count)
                continue
            cols = [c[1] for c in con.execute(f'PRAGMA table_info("{table}")') if not _volatile(c[1], c[2])]
            digest = hashlib.sha256()
            if cols:
                select = ", ".join(f'"{c}"' for c in cols)
                if table == "setting":
                    keys = ", ".join(f"'{k}'" for k in RANDOM_SETTINGS)
                    select = select.replace('"value"', f'CASE WHEN "key" IN ({keys}) THEN \'random\' ELSE "value" END')
                for row in con.execute(f'SELECT {select} FROM "{table}" ORDER BY rowid'):
                    digest.update(repr(row).encode())
            result[table] = f"{count}:{digest.hexdigest()[:16]}"
        return result
    finally:
        con.close()


def diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return [f"{t}: {a.get(t)} vs {b.get(t)}" for t in sorted(set(a) | set(b)) if a.get(t) != b.get(t)]


# --- the child side ----------------------------------------------------------------------------

class CommitLog:
    """Lines appended and fsynced: 'ready', then one 'commit N [fingerprint-json]' per commit, then 'done'."""

    def __init__(self, path: Path, db_path: Path, reference: bool):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.db_path, self.reference, self.commits = db_path, reference, 0
        self.overhead = 0.0  # seconds spent on reference fingerprints, not on the operation


    def line(self, text: str) -> None:
        os.write(self.fd, (text + "\n").encode())
        os.fsync(self.fd)

    def commit(self) -> None:
        self.commits += 1
        started = time.monotonic()
        extra = " " + json.dumps(fingerprint(self.db_path)) if self.reference else ""
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


def child_main(op_name: str, db_path: Path, workdir: Path, log_path: Path, reference: bool,
               passphrase: str | None = None) -> None:
    """The child process: the operation, with every commit logged (and fingerprinted in a reference run)."""
    if passphrase:  # an encrypted database (the fork server's environment predates the test's)
        os.environ["RENEWAL_DESK_PASSPHRASE"] = passphrase
    log = CommitLog(log_path, db_path, reference)
    try:
        _child(op_name, db_path, workdir, log, reference)
    except BaseException:  # noqa: BLE001 - reported to the parent through the log
        import traceback

        log.line("error " + traceback.format_exc().replace("\n", " | "))
        raise


def _child(op_name: str, db_path: Path, workdir: Path, log: CommitLog, reference: bool) -> None:
    op = OPERATIONS[op_name]
    _install_commit_hook(log)
    op.warm_up()
    if reference:
        log.line("state 0 " + json.dumps(fingerprint(db_path)))
    log.line("ready")
    started = time.monotonic()
    op.run(db_path, workdir, log)
    log.line(f"took {time.monotonic() - started - log.overhead:.3f}")
    log.line("done")


# --- operations ----------------------------------------------------------------------------------

def _empty_db(workdir: Path) -> Path:
    from renewal_desk.core.db import open_database

    path = workdir / "empty.sqlite"
    open_database(path, create=True, operator="harness").close()
    return path


def _small_demo(workdir: Path) -> Path:
    """30 demo households (no other records), built once per session and copied for each operation."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.demo import generate_demo

    shared = workdir.parent / "base.sqlite"
    if not shared.exists():
        db = open_database(shared, create=True, operator="harness")
        try:
            generate_demo(db, households=30, seed=4)
        finally:
            db.close()
    path = workdir / "small.sqlite"
    shutil.copy(shared, path)
    return path


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
    import renewal_desk.core.services.backups  # noqa: F401
    import renewal_desk.core.services.exchange  # noqa: F401
    import renewal_desk.core.exchange.bundle  # noqa: F401


# import: one roster of IMPORT_ROWS households through the real command, all or nothing
def _prepare_import(workdir: Path) -> Path:
    from tests.fixtures.make_rosters import clean_roster

    clean_roster(workdir / "roster.xlsx", IMPORT_ROWS, seed=11)
    return _small_demo(workdir)


def _run_import(db_path: Path, workdir: Path, log: CommitLog) -> None:
    _cli("import-roster", "--db", db_path, "--project", "崩溃测试导入", workdir.parent / "roster.xlsx")


def _invariant_import(con: sqlite3.Connection, workdir: Path) -> list[str]:
    project = con.execute("SELECT id, uuid FROM project WHERE name = '崩溃测试导入'").fetchone()
    if project is None:
        return []
    homes = con.execute("SELECT count(*) FROM household h JOIN unit u ON u.id = h.unit_id JOIN building b ON "
                        "b.id = u.building_id JOIN block k ON k.id = b.block_id WHERE k.project_id = ?",
                        (project[0],)).fetchone()[0]
    audited = con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'household' AND action = 'insert' "
                          "AND record_id IN (SELECT h.id FROM household h JOIN unit u ON u.id = h.unit_id JOIN "
                          "building b ON b.id = u.building_id JOIN block k ON k.id = b.block_id "
                          "WHERE k.project_id = ?)", (project[0],)).fetchone()[0]
    event = con.execute("SELECT count(*) FROM audit_log WHERE action = 'import' AND record_uuid = ?",
                        (project[1],)).fetchone()[0]
    problems = []
    if homes != IMPORT_ROWS:
        problems.append(f"import partly written: {homes} of {IMPORT_ROWS} households")
    if audited != homes or event != 1:
        problems.append(f"import audit incomplete: {audited} household entries, {event} import events")
    return problems


# demo: the real `demo` command (households, then leases, ordering, meetings, designer, supervision)
def _run_demo(db_path: Path, workdir: Path, log: CommitLog) -> None:
    _cli("demo", "--db", db_path, "--households", 60, "--seed", 9)


def _invariant_demo(con: sqlite3.Connection, workdir: Path) -> list[str]:
    projects = con.execute("SELECT count(*) FROM project").fetchone()[0]
    homes = con.execute("SELECT count(*) FROM household").fetchone()[0]
    events = con.execute("SELECT count(*) FROM audit_log WHERE action = 'demo' AND table_name = 'project'").fetchone()[0]
    heads = con.execute("SELECT count(*) FROM person WHERE is_head").fetchone()[0]
    if projects == 0:
        return [] if homes == 0 and events == 0 else [f"no demo project but {homes} households, {events} events"]
    if (projects, homes, events, heads) != (1, 60, 1, 60):
        return [f"demo incomplete: projects={projects} households={homes} heads={heads} demo events={events}"]
    return []


# edits: a burst of EDITS service calls, each its own transaction (new households and changed notes)
def _run_edits(db_path: Path, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import households as hh

    db = open_database(db_path, operator="突击编辑")
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


def _invariant_edits(con: sqlite3.Connection, workdir: Path) -> list[str]:
    first = con.execute("SELECT min(id) FROM household").fetchone()[0]
    note = con.execute("SELECT note FROM household WHERE id = ?", (first,)).fetchone()[0]
    updates = con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'household' AND action = 'update' "
                          "AND record_id = ? AND after LIKE '%次修改%'", (first,)).fetchone()[0]
    added = con.execute("SELECT count(*) FROM household WHERE note LIKE '新增%'").fetchone()[0]
    added_audit = con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'household' AND action = 'insert' "
                              "AND after LIKE '%新增%'").fetchone()[0]
    problems = []
    done = int(note[1:-3]) if note.startswith("第") else 0
    if updates != done - done // 4:  # every 4th edit adds a household instead
        problems.append(f"note says edit {done} but {updates} update entries in the audit log")
    if added != added_audit:
        problems.append(f"{added} households added but {added_audit} insert entries")
    return problems


# minutes: a meeting's speech saved as typed (autosave every few characters)
def _prepare_minutes(workdir: Path) -> Path:
    from datetime import datetime

    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import meetings

    path = _small_demo(workdir)
    db = open_database(path, operator="记录员")
    try:
        meeting = meetings.create_meeting(db, meetings.MeetingInput("崩溃测试议事会", datetime(2026, 5, 1, 9, 0)))
        item = meetings.add_item(db, meeting, "加装电梯费用分摊")
        meetings.add_speech(db, item, "", "")
    finally:
        db.close()
    return path


def _speech_id(db_path: Path) -> int:
    from renewal_desk.core import cipher

    con = cipher.connect_any(db_path)
    try:
        return con.execute("SELECT max(id) FROM meeting_speech").fetchone()[0]
    finally:
        con.close()


def _run_minutes(db_path: Path, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import meetings

    speech = _speech_id(db_path)
    db = open_database(db_path, operator="记录员")
    try:
        for end in range(MINUTES_STEP, len(MINUTES_TEXT) + MINUTES_STEP, MINUTES_STEP):
            meetings.save_speech(db, speech, "王𠮷", MINUTES_TEXT[:end])
    finally:
        db.close()


def _invariant_minutes(con: sqlite3.Connection, workdir: Path) -> list[str]:
    content, speaker = con.execute("SELECT content, speaker FROM meeting_speech ORDER BY id DESC LIMIT 1").fetchone()
    if not MINUTES_TEXT.startswith(content):
        return [f"saved minutes are not what was typed: {content[-40:]!r}"]
    saves = con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'meeting_speech' AND action = 'update'"
                        ).fetchone()[0]
    expected = -(-len(content) // MINUTES_STEP)
    if content and saves != expected:
        return [f"{len(content)} characters saved by {saves} audited saves (expected {expected})"]
    return []


# backup: the `backup --out` command on a live database
def _run_backup(db_path: Path, workdir: Path, log: CommitLog) -> None:
    _cli("backup", "--db", db_path, "--out", workdir / "copy.sqlite")


def _invariant_backup(con: sqlite3.Connection, workdir: Path) -> list[str]:
    from renewal_desk.core.backup import BackupError, verify

    out = workdir / "copy.sqlite"
    if not out.exists():
        return []
    try:
        verify(out, restorable=True)
    except BackupError as exc:
        return [f"a backup under its final name is not sound: {exc}"]
    return []


# restore: the `restore` command (safety copy, copy in, then the audited restore event)
def _prepare_restore(workdir: Path) -> Path:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import households as hh

    path = _small_demo(workdir)
    _cli("backup", "--db", path, "--out", workdir / "good-backup.sqlite")
    db = open_database(path, operator="harness")
    try:
        unit = hh.household_detail(db, hh.household_ids(db)[0]).unit_id
        for k in range(20):
            hh.create_household(db, hh.HouseholdInput(unit, f"8{k:03d}", people=[hh.PersonInput(f"后加{k}", is_head=True)]))
    finally:
        db.close()
    return path


def _run_restore(db_path: Path, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core import backup

    copy_into = backup._copy_into

    def logged_copy(src, dst):  # the copy-in is a transaction of its own (SQLite's backup API)
        copy_into(src, dst)
        log.commit()

    backup._copy_into = logged_copy
    _cli("restore", "--db", db_path, workdir.parent / "good-backup.sqlite")


def _invariant_restore(con: sqlite3.Connection, workdir: Path) -> list[str]:
    added = con.execute("SELECT count(*) FROM household WHERE room LIKE '8___'").fetchone()[0]
    return [] if added in (0, 20) else [f"restore mixed two states: {added} of 20 later households"]


# upgrade: opening a database of the first release, which backs it up and migrates it in one transaction
def _prepare_upgrade(workdir: Path) -> Path:
    from alembic import command

    from renewal_desk.core.db import _alembic_config, make_engine

    path = _small_demo(workdir)
    engine = make_engine(path)
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001")
    engine.dispose()
    return path


def _run_upgrade(db_path: Path, workdir: Path, log: CommitLog) -> None:
    from renewal_desk.core.db import open_database

    open_database(db_path, operator="harness").close()  # the migration is not a Database.write: log it here
    log.commit()


def _invariant_upgrade(con: sqlite3.Connection, workdir: Path) -> list[str]:
    from renewal_desk.core.db import head_revision

    revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    newest = {"stored_house", "meeting", "supervision_problem", "designer_opinion"}
    if revision == "0001" and not tables & newest or revision == head_revision() and newest <= tables:
        return []
    return [f"half-upgraded: revision {revision} with {sorted(tables & newest)}"]


# export: a bundle through the real command; a bundle under its final name is always whole and sound
def _run_export(db_path: Path, workdir: Path, log: CommitLog) -> None:
    _cli("export", "--db", db_path, "--out", workdir / "out.zip", "--recipient", "区更新办")


def _invariant_export(con: sqlite3.Connection, workdir: Path) -> list[str]:
    from renewal_desk.core.exchange.bundle import load_bundle
    from renewal_desk.core.problems import InputError

    out = workdir / "out.zip"
    if not out.exists():
        return []
    try:
        load_bundle(out)
    except InputError as exc:
        return [f"a bundle under its final name is refused: {exc.describe()}"]
    return []


# import-bundle: another laptop's community merged in one transaction: all of it or none
BUNDLE_PROJECT = "崩溃测试数据包社区"


def _prepare_bundle_import(workdir: Path) -> Path:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.demo import generate_demo
    from renewal_desk.core.services.exchange import export_bundle

    bundle = workdir / "bundle.zip"  # the operation's folder; each trial's workdir is below it
    if not bundle.exists():
        source = workdir / "bundle-source.sqlite"
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
    return _small_demo(workdir)


def _run_bundle_import(db_path: Path, workdir: Path, log: CommitLog) -> None:
    os.environ["RENEWAL_DESK_DATA"] = str(workdir.parent / "signer")  # this child only: the key that signed it
    _cli("import-bundle", "--db", db_path, workdir.parent / "bundle.zip")


def _invariant_bundle_import(con: sqlite3.Connection, workdir: Path) -> list[str]:
    import json as _json
    import zipfile

    with zipfile.ZipFile(workdir.parent / "bundle.zip") as zf:
        name = next(n for n in zf.namelist() if n.endswith("manifest.json"))
        expected = _json.loads(zf.read(name))["counts"]["households"]
    project = con.execute("SELECT id FROM project WHERE name = ?", (BUNDLE_PROJECT,)).fetchone()
    if project is None:
        return []
    homes = con.execute("SELECT count(*) FROM household h JOIN unit u ON u.id = h.unit_id JOIN building b ON "
                        "b.id = u.building_id JOIN block k ON k.id = b.block_id WHERE k.project_id = ?",
                        (project[0],)).fetchone()[0]
    return [] if homes == expected else [f"bundle import half done: {homes} of {expected} households"]


@dataclass
class Operation:
    run: Callable[[Path, Path, CommitLog], None]
    prepare: Callable[[Path], Path] = _small_demo
    invariant: Callable[[sqlite3.Connection, Path], list[str]] = lambda con, workdir: []
    warm_up: Callable[[], None] = _warm_services


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


def _start_child(op: str, db: Path, workdir: Path, log: Path, reference: bool, passphrase: str | None = None):
    """A child forked from a fork server that imported the app once (a fresh process, without the start-up
    second per trial); SIGKILL ends it like a pulled plug."""
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


def _read_log(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


class Harness:
    """Prepared starting files and reference runs per operation, shared by all trials of a session."""

    def __init__(self, root: Path, passphrase: str | None = None):
        """With `passphrase`, every starting file is encrypted (SQLCipher) and the operations run on it; the
        caller sets RENEWAL_DESK_PASSPHRASE in this process (the judge reads the files with it)."""
        self.root = root
        self.passphrase = passphrase
        self.bases: dict[str, Path] = {}
        self.references: dict[str, Reference] = {}

    def base(self, op: str) -> Path:
        if op not in self.bases:
            folder = self.root / op
            folder.mkdir(parents=True, exist_ok=True)
            self.bases[op] = OPERATIONS[op].prepare(folder)
            if self.passphrase:
                from renewal_desk.core import cipher

                cipher.encrypt_file(self.bases[op], self.passphrase)
        return self.bases[op]

    def _fresh(self, op: str, name: str) -> tuple[Path, Path]:
        workdir = self.root / op / name
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        db = workdir / "desk.sqlite"
        shutil.copy(self.base(op), db)
        return db, workdir

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
        proc.kill()  # SIGKILL, unless it already ended
        proc.join()
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
        from renewal_desk.core import cipher

        con = cipher.connect_any(db, read_only=True)
        try:
            outcome.problems += OPERATIONS[op].invariant(con, workdir)
        finally:
            con.close()
        out, err = io.StringIO(), io.StringIO()
        from renewal_desk.cli import main

        with redirect_stdout(out), redirect_stderr(err):
            code = main(["check", "--db", str(db)])
        if code != 0:
            outcome.problems.append(f"`renewal-desk check` exited {code}: {(out.getvalue() + err.getvalue())[-400:]}")
        if not outcome.problems:
            shutil.rmtree(workdir, ignore_errors=True)
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
    args = parser.parse_args(argv)
    import tempfile

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    root = args.root or Path(tempfile.mkdtemp(prefix="renewal-crash-"))
    os.environ.setdefault("RENEWAL_DESK_DATA", str(root / "data"))
    print(f"crash harness: {args.trials} trials, seed {seed}, files under {root}", flush=True)
    harness = Harness(root)
    bad = []

    def report(outcome: Outcome) -> None:
        print(("ok   " if not outcome.problems else "BAD  ") + outcome.describe(), flush=True)
        if outcome.problems:
            bad.append(outcome)

    outcomes = harness.run(args.trials, seed, None if args.op == "all" else [args.op], report)
    print(f"{len(outcomes)} trials, {len(bad)} bad outcomes (seed {seed})")
    return 1 if bad else 0


if __name__ == "__main__":
    from tests.crash_harness import main as harness_main  # the module itself, as the fork server imports it

    raise SystemExit(harness_main())
