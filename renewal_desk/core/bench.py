"""`renewal-desk bench`: every heavy path measured against a floor measured in the same run.

Machines are noisy, so each figure is a ratio of our time to the time of the bare library doing the
same work on the same data (sqlite3 executemany, openpyxl read-only iteration, a bare reportlab
table, a bare PySide6 window, a sqlite3 → JSON Lines dump); two figures are absolute budgets a
person feels (search latency 50 ms, frame time 16 ms) and one is a memory ceiling (300 MB RSS).

The large database is built once per generator version and schema revision and cached in the user
cache folder (`renewal-desk bench` reruns reuse it); `--db PATH` measures an existing database
instead. The figures that need Qt run in a subprocess (`python -m renewal_desk.ui.bench_gui`), so
this module stays free of Qt. `--quick` uses a database of 1/1000 scale and small workloads: it
checks that the benchmark runs (the test suite runs it), not the targets.

Then the interactive figures, the roster import and the export run again on PostgreSQL (keys "…@postgresql",
the same targets), on a database holding the same large database, loaded by COPY from the same cached file:
on the server `--server` names, or on a throw-away cluster of this machine (core/pg_local) — see bench_server.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from renewal_desk import __version__

SCHEMA_VERSION = 1  # of the JSON report


@dataclass
class Figure:
    key: str
    name: str
    unit: str  # "s", "ms", "MB"
    target: float
    kind: str  # "ratio": ours/floor ≤ target; "absolute": ours ≤ target (in unit); "info": reported, no target
    ours: float | None = None
    floor: float | None = None
    note: str = ""
    skipped: str = ""  # why the figure was not measured
    detail: dict = field(default_factory=dict)  # raw samples, for the JSON report
    samples: list[float] = field(default_factory=list)  # every measurement of `ours`, in `unit`

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def spread(self) -> tuple[float, float] | None:
        """The range the samples fall in: min–max for a few runs, the 10th to 90th percentile for many."""
        if len(self.samples) < 2:
            return None
        ordered = sorted(self.samples)
        if len(ordered) < 10:
            return ordered[0], ordered[-1]
        deciles = statistics.quantiles(ordered, n=10, method="inclusive")
        return deciles[0], deciles[-1]

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.floor is None or self.floor <= 0:
            return None
        return self.ours / self.floor

    @property
    def passed(self) -> bool | None:
        if self.skipped or self.ours is None or self.kind == "info":
            return None
        value = self.ratio if self.kind == "ratio" else self.ours
        return value is not None and value <= self.target

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(ratio=self.ratio, passed=self.passed, median=self.median, spread=self.spread)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Figure:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Report:
    quick: bool
    started_at: str
    seconds: float = 0.0
    machine: dict = field(default_factory=dict)
    database: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"schema": SCHEMA_VERSION, "version": __version__, "quick": self.quick, "started_at": self.started_at,
                "seconds": self.seconds, "machine": self.machine, "database": self.database,
                "figures": [f.as_dict() for f in self.figures]}

    @classmethod
    def from_dict(cls, d: dict) -> Report:
        """A report read back from its JSON (`--out`), to print or to put into the README."""
        return cls(d["quick"], d["started_at"], d.get("seconds", 0.0), d.get("machine", {}), d.get("database", {}),
                   [Figure.from_dict(f) for f in d["figures"]])

    def summary(self) -> str:
        """One line on the run: when, how long, the load before and after, how many targets met."""
        scored = [f for f in self.figures if f.passed is not None]
        load = self.machine.get("load_before"), self.machine.get("load_after")
        loads = " → ".join("?" if v is None else f"{v:.2f}" for v in load)
        return (f"{self.started_at}, {self.seconds:.0f} s, {self.machine.get('cpus', '?')} cores, load average {loads}: "
                f"{sum(bool(f.passed) for f in scored)} of {len(scored)} targets met")

    def table(self) -> str:
        def num(v: float | None, unit: str = "") -> str:
            if v is None:
                return "—"
            return f"{v:.3g} {unit}".strip() if v < 100 else f"{v:.0f} {unit}".strip()

        def spread(f: Figure) -> str:
            if f.spread is None:
                return "—"
            low, high = f.spread
            return f"{num(low)}–{num(high, f.unit)}"

        head = ("figure", "ours", "median", "spread", "n", "floor", "ratio", "target", "result")
        rows = []
        for f in self.figures:
            target = "—" if f.kind == "info" else f"≤ {f.target:g}×" if f.kind == "ratio" else f"≤ {f.target:g} {f.unit}"
            result = (f.skipped and f"skipped: {f.skipped}" or "(no target)" if f.kind == "info"
                      else {True: "pass", False: "FAIL", None: "—"}[f.passed])
            rows.append((f.name, num(f.ours, f.unit), num(f.median, f.unit), spread(f), len(f.samples) or "—",
                         num(f.floor, f.unit), "—" if f.ratio is None else f"{f.ratio:.2f}×", target, result))
        widths = [max(len(str(r[i])) for r in (head, *rows)) for i in range(len(head))]
        lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in (head, *rows)]
        lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------ helpers
def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _runs(fn: Callable[[], object], repeat: int) -> list[float]:
    return [_timed(fn) for _ in range(max(1, repeat))]


def _best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs: the least disturbed by other processes on a shared machine."""
    return min(_runs(fn, repeat))


def _take_best(fig: Figure, samples: list[float]) -> None:
    """`ours` is the fastest run (the least disturbed); every run is kept for the median and spread."""
    fig.samples = list(samples)
    fig.ours = min(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    override = os.environ.get("RENEWAL_DESK_BENCH_CACHE")
    return Path(override) if override else user_cache_path("RenewalDesk") / "bench"


def _fresh_schema(path: Path) -> None:
    """An empty database with the app's schema (the migrations), closed."""
    from renewal_desk.core.db import open_database

    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    open_database(path, create=True).close()


def large_database(scale, quick: bool, log: Callable[[str], None]) -> tuple[Path, dict]:
    """The cached database for `scale`, built when missing (one transaction, then renamed into place)."""
    import hashlib

    from renewal_desk.core.db import _revision_graph, head_revision, open_database
    from renewal_desk.core.services.demo_large import GENERATOR_VERSION, generate_large_demo

    # the whole migration chain, not only its head: a rechained revision changes the schema under it
    chain = hashlib.sha256(repr(sorted(_revision_graph().items(), key=str)).encode()).hexdigest()[:8]
    key = f"g{GENERATOR_VERSION}-r{head_revision()}-{chain}-h{scale.households}-c{scale.choices}"
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{'quick' if quick else 'large'}-{key}.sqlite"
    info = {"path": str(path), "cache_key": key, "reused": path.exists()}
    if not path.exists():
        building = folder / f"building-{os.getpid()}.sqlite"
        _fresh_schema(building)
        db = open_database(building)
        try:
            log(f"building the benchmark database ({scale.households:,} households) …")
            summary = generate_large_demo(db, scale, seed=1)
            info["build_seconds"] = summary.seconds
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        files = folder / f"building-{os.getpid()}-files"
        if files.exists():
            target = folder / f"{path.stem}-files"
            shutil.rmtree(target, ignore_errors=True)
            files.rename(target)
        building.rename(path)
        kind = "quick" if quick else "large"
        for stale in folder.glob(f"{kind}-g*"):  # databases of older generator versions or schemas
            if not stale.name.startswith(path.stem):
                shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    info["size_mb"] = round(path.stat().st_size / 1e6, 1)
    return path, info


def working_copy(source: Path, folder: Path) -> Path:
    """A copy to measure on (the figures write: prints take numbers, imports add households)."""
    target = folder / "work.sqlite"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    files = source.parent / f"{source.stem}-files"
    if files.exists():
        shutil.copytree(files, folder / "work-files", dirs_exist_ok=True)
    return target


# ------------------------------------------------------------------------------------------ figures
def figure_demo(scale, folder: Path) -> Figure:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.demo_large import generate_large_demo

    fig = Figure("demo_generation", f"demo generation ({scale.households:,} households and the rest to scale)",
                 "s", 2.0, "ratio", note="ours: generator incl. building the rows; floor: sqlite3 executemany "
                 "of the same rows into the same schema, same pragmas, one transaction")
    ours_path, floor_path = folder / "demo-ours.sqlite", folder / "demo-floor.sqlite"
    _fresh_schema(ours_path)
    _fresh_schema(floor_path)
    batches: list = []
    db = open_database(ours_path)
    try:
        _take_best(fig, [_timed(lambda: generate_large_demo(db, scale, seed=2, record=batches))])
    finally:
        db.close()
    from renewal_desk.core.services.demo_large import insert_sql

    conn = sqlite3.connect(floor_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")

    def bare() -> None:
        conn.execute("BEGIN")
        for table, cols, rows in batches:
            conn.executemany(insert_sql(table, cols), rows)
        conn.execute("COMMIT")

    fig.floor = _timed(bare)
    conn.close()
    return fig


def write_roster(path: Path, n_rows: int, seed: int = 0) -> None:
    """n_rows valid households as staff keep them (the layout of tests/fixtures/make_rosters.clean_roster).
    The ID numbers are of an area code the demo generator does not use (321081), so the roster imports
    into the large database without clashing with its 250,000 people."""
    from openpyxl import Workbook

    from renewal_desk.core.rules.idcard import make_id_number
    from renewal_desk.core.services.demo import GIVEN, SURNAMES

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["楼栋", "单元", "房号", "姓名", "身份证号", "手机号", "面积", "备注"])
    used: set[str] = set()
    for i in range(n_rows):
        while True:
            number = make_id_number("321081", date(1935, 1, 1) + timedelta(days=rng.randrange(25000)), rng.randrange(1000))
            if number not in used:
                used.add(number)
                break
        ws.append([f"{i // 60 + 1}号楼", f"{i // 20 % 3 + 1}单元", f"{i % 20 // 2 + 1}0{i % 2 + 1}",
                   rng.choice(SURNAMES) + rng.choice(GIVEN), number,
                   "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9)),
                   round(rng.uniform(30, 160), 2), None])
    wb.save(path)


def figure_roster(rows: int, folder: Path, repeat: int, db_path: Path | None = None,
                  keep: list | None = None) -> Figure:
    """Import a roster of `rows` households into a copy of `db_path` (the benchmark's large database:
    the import checks its rooms and ID numbers against the 250,000 people already there, and adds to
    its indexes), or into an empty database without it. `keep` receives the rows our import added (table,
    columns, rows), which the server's floor copies."""
    from openpyxl import load_workbook

    from renewal_desk.core.db import open_database
    from renewal_desk.core.rules import search
    from renewal_desk.core.services.roster_import import import_roster

    where = "into a copy of the benchmark database" if db_path else "into an empty database"
    fig = Figure("roster_import", f"roster import ({rows:,} rows)", "s", 1.5, "ratio",
                 note=f"ours: import_roster {where} — read, validate, check against the database, write "
                      "households/people/roles with their audit rows and search index — timed from the call to "
                      "its return (copying the database and opening it are not timed; search-key memos cleared "
                      "first: a first import of the file); floor: openpyxl read-only iteration of the same file "
                      "plus bare sqlite3 executemany of the rows our import added (households, people, roles, "
                      "places, audit rows; the search index filled by the same triggers) into the same copy, "
                      "same schema, indexes and pragmas, one transaction")
    roster = folder / "roster.xlsx"
    write_roster(roster, rows)
    path = folder / "import.sqlite"

    def fresh() -> None:
        for p in folder.glob(path.name + "*"):
            p.unlink()
        if db_path is None:
            _fresh_schema(path)
        else:
            with sqlite3.connect(db_path) as src, sqlite3.connect(path) as dst:
                src.backup(dst)
        search._part_keys.cache_clear()
        search._han_run.cache_clear()

    def ours() -> float:
        fresh()
        db = open_database(path)
        try:
            started = time.perf_counter()
            report = import_roster(db, roster, "基准测试花名册")
            took = time.perf_counter() - started
            if not report.written:
                raise RuntimeError(f"benchmark roster refused: {report.problems[:3]}")
            return took
        finally:
            db.close()

    def read_file() -> None:
        wb = load_workbook(roster, read_only=True, data_only=True)
        for _row in wb.active.iter_rows(values_only=True):
            pass
        wb.close()

    fresh()
    before = _table_tops(path)
    _take_best(fig, [ours() for _ in range(max(1, repeat))])
    added = _rows_after(path, before)

    def bare() -> float:
        fresh()
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            took = _timed(read_file)
            started = time.perf_counter()
            conn.execute("BEGIN")
            for table, cols, rows in added:
                conn.executemany(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})', rows)
            conn.execute("COMMIT")
            return took + time.perf_counter() - started
        finally:
            conn.close()

    fig.floor = min(bare() for _ in range(max(1, repeat)))
    fig.note += f" ({sum(len(r) for _t, _c, r in added):,} rows in {len(added)} tables)"
    if keep is not None:  # the server's floor copies the same rows
        keep[:] = added
    for p in folder.glob(path.name + "*"):
        p.unlink()
    return fig


def _plain_tables(conn: sqlite3.Connection) -> list[str]:
    """The database's ordinary tables: not virtual tables, their shadow tables, or SQLite's own."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [name for name, _sql in rows if name not in virtual and not name.startswith("sqlite_")
            and not any(name.startswith(v + "_") for v in virtual)]


def _table_tops(path: Path) -> dict[str, int]:
    """Each ordinary table's highest rowid (0 when empty)."""
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{t}"').fetchone()[0] for t in _plain_tables(conn)}


def _rows_after(path: Path, before: dict[str, int]) -> list[tuple[str, list[str], list[tuple]]]:
    """The rows each table gained since `before` (an import adds; it changes nothing in place), in the
    order that satisfies the foreign keys: the tables referred to first."""
    with sqlite3.connect(path) as conn:
        found = {}
        for table, top in before.items():
            cur = conn.execute(f'SELECT * FROM "{table}" WHERE rowid > ? ORDER BY rowid', (top,))
            rows = cur.fetchall()
            if rows:
                found[table] = ([c[0] for c in cur.description], rows)
        refers = {t: {r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')} for t in found}
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(table: str) -> None:
        if table in seen or table not in found:
            return
        seen.add(table)
        for parent in sorted(refers[table] - {table}):
            visit(parent)
        ordered.append(table)

    for table in sorted(found):
        visit(table)
    return [(t, found[t][0], found[t][1]) for t in ordered]


def figure_sign_in(db_path: Path, rows: int, folder: Path, repeat: int) -> Figure:
    from renewal_desk.core.db import open_database
    from renewal_desk.core.printing import meetings as mp
    from renewal_desk.core.printing.meetings import sign_in as mp_sign_in
    from renewal_desk.core.services import meetings as svc
    from renewal_desk.core.services.demo_large import insert_sql
    from renewal_desk.core.models import MeetingKind
    from renewal_desk.core.services.printouts import print_document

    fig = Figure("sign_in_pdf", f"sign-in sheet PDF ({rows:,} rows)", "s", 1.5, "ratio",
                 note="ours: print_document('sign-in-sheet') incl. reading the meeting; floor: a bare reportlab "
                      "Table of the same cells (same columns, texts, masking, column widths, row padding, margins: "
                      "the same pages) in the same embedded CJK font")
    db = open_database(db_path)
    try:
        meeting = svc.create_meeting(db, svc.MeetingInput("基准测试：全体业主大会", datetime(2026, 3, 1, 14, 0),
                                                          MeetingKind.OWNERS, None, None, "街道礼堂", "主任", "记录员", []))
        with db.write(note="bench") as s:
            heads = s.connection().exec_driver_sql(
                "SELECT p.id, p.household_id, p.name, p.phone FROM person p WHERE p.is_head = 1 ORDER BY p.id LIMIT ?",
                (rows,)).all()
            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
            cols = ("uuid", "meeting_id", "position", "category", "person_id", "household_id", "name", "organisation",
                    "phone", "expected", "signed_in_at", "proxy_name", "proxy_authority", "search_text", "created_at",
                    "updated_at")
            from renewal_desk.core.models import Category, new_uuid

            data = [(new_uuid(), meeting, n, Category.RESIDENT.value, h[0], h[1], h[2], "", h[3], True,
                     "2026-03-01 13:50:00.000000" if n % 5 else None, "", "", h[2], stamp, stamp)
                    for n, h in enumerate(heads)]
            s.connection().connection.driver_connection.executemany(insert_sql("meeting_attendee", cols), data)
        attendees = svc.attendees(db, meeting)
        out = folder / "sign-in.pdf"
        from renewal_desk.core.printing.fonts import register_fonts

        register_fonts()  # loading the font files happens once per process, for ours and the floor alike
        _take_best(fig, _runs(lambda: print_document(db, "sign-in-sheet", meeting, out, replace=True), repeat))
    finally:
        db.close()
    # The floor prints the same cells as ours: the sheet's columns (序号 姓名 身份/单位 楼栋房号 联系电话 签名
    # 签到时间, with the address and the masked phone) and its blank rows for walk-ins, in the same column
    # widths, row padding (room to sign) and page margins, so the same pages. (It used to print six short
    # columns without the address in auto widths and short rows: 55 pages against our 75.) The texts are
    # made before the timing, as a caller of the bare library would hand them over.
    from renewal_desk.core.models import CATEGORY_LABELS

    lines = tuple(mp.AttendeeLine(a.name, CATEGORY_LABELS[a.category][0], a.organisation, a.address, a.phone,
                                  a.expected, a.signed_in_at, a.left_at, a.proxy_name, a.proxy_authority)
                  for a in attendees)
    cells = [[str(v) for v in row] for row in mp.sign_in_rows(mp.SignInDoc(None, lines), masked=True)]

    from renewal_desk.core.models import IssuedDocument
    from renewal_desk.core.printing.codes import PageCode
    from sqlalchemy import select

    db = open_database(db_path)
    try:
        meeting_uuid = svc.meeting_view(db, meeting).uuid
        with db.read() as s:
            doc_no = s.scalar(select(IssuedDocument.doc_no).order_by(IssuedDocument.id.desc()).limit(1))
    finally:
        db.close()
    code_text = PageCode(doc_no, "sign-in-sheet", meeting_uuid, 1, 75).text().upper()

    def bare() -> None:
        from reportlab.graphics.barcode import qrencoder
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import getSampleStyleSheet
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

        from renewal_desk.core.printing.fonts import PRIMARY, register_fonts
        from renewal_desk.core.printing.template import MARGIN, PAGE_CODE_SIZE, column_widths, content_width

        register_fonts()

        def page(canv, doc) -> None:
            # the same page furniture as ours: a header line and a rule, the page number and printing line, and
            # a page code (a QR of a code as long as ours, encoded once: the minimum, without the mask search)
            width, height = A4
            canv.setFont(PRIMARY, 8)
            canv.drawString(MARGIN, height - 12 * mm, "街区更新议事台　签到表")
            canv.drawRightString(width - MARGIN, height - 12 * mm, f"文书编号：{doc_no}")
            canv.line(MARGIN, height - 14 * mm, width - MARGIN, height - 14 * mm)
            canv.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
            canv.setFont(PRIMARY, 9)
            canv.drawCentredString(width / 2, 10 * mm, f"第 {doc.page} 页")
            canv.setFont(PRIMARY, 7.5)
            canv.drawString(MARGIN, 10 * mm, "打印日期：2026-03-01 12:00　操作人：基准")
            qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
            qr.addData(code_text.replace(":1/75", f":{doc.page}/75"))
            qr.version = qr.calculate_version()
            qr.makeImpl(False, 0)
            count = len(qr.modules)
            box, x0 = PAGE_CODE_SIZE / (count + 8), width / 2 + 20 * mm
            for r, row in enumerate(qr.modules):  # a rectangle per run of dark modules, as ours
                c = 0
                while c < count:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    if c > start:
                        canv.rect(x0 + (start + 4) * box, PAGE_CODE_SIZE - (r + 5) * box, (c - start) * box, box,
                                  stroke=0, fill=1)
                    c += 1

        pad = 6  # SimpleDocTemplate's frame padding: the same text area as ours
        doc = SimpleDocTemplate(str(folder / "bare.pdf"), pagesize=A4, leftMargin=MARGIN - pad, rightMargin=MARGIN - pad,
                                topMargin=MARGIN - pad, bottomMargin=MARGIN - pad)
        style = getSampleStyleSheet()["Title"]
        style.fontName = PRIMARY
        table = Table([mp.SIGN_IN_HEADER, *cells], colWidths=column_widths(mp_sign_in._SIGN_IN_WEIGHTS, content_width()),
                      repeatRows=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), PRIMARY), ("FONTSIZE", (0, 0), (-1, -1), mp.CELL_SIZE),
                                   ("LEADING", (0, 0), (-1, -1), round(mp.CELL_SIZE * 1.35, 1)),
                                   ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                   ("TOPPADDING", (0, 1), (-1, -1), 7), ("BOTTOMPADDING", (0, 1), (-1, -1), 7.5)]))
        doc.build([Paragraph("签到表", style), table], onFirstPage=page, onLaterPages=page)

    fig.floor = _best(bare, repeat)
    return fig


# The export is another part of the app; each candidate is (module, function) taking (db, out_path).
EXPORTERS = (("renewal_desk.core.services.exchange", "export_bundle"),
             ("renewal_desk.core.exchange.export", "export_bundle"),
             ("renewal_desk.core.exchange.export", "export_all"),
             ("renewal_desk.core.services.export", "export_bundle"))


def find_exporter() -> Callable | None:
    for module, name in EXPORTERS:
        try:
            fn = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if callable(fn):
            return fn
    return None


def export_floor_tables() -> list[tuple[str, str]]:
    """(table, WHERE clause) of every row the measured export bundle (the default, masked one) reads: the
    tables of its record types, their link tables (roles, choices, owners …), the sync state it joins, and the
    audit log's deletions (its tombstones). Not the search index, attachments (only a full bundle carries
    them), settings or the rest of the audit log, which that bundle does not carry."""
    from renewal_desk.core.exchange import spec

    kept = [rt for rt in spec.RECORD_TYPES if not rt.full_only]
    tables = [rt.table.name for rt in kept]
    tables += [link.table for rt in kept for link in rt.links]
    out = [(t, "") for t in dict.fromkeys([*tables, "exchange_sync_state"])]
    out.append(("audit_log", " WHERE action = 'delete'"))
    return out


def figure_export(db_path: Path, folder: Path, repeat: int) -> Figure:
    fig = Figure("export", "full export bundle", "s", 2.0, "ratio",
                 note="ours: export_bundle to a folder (JSON Lines, schemas, workbook, manifest, every record "
                      "validated); floor: sqlite3 → JSON Lines dump of every row of the tables the bundle reads")
    tables = export_floor_tables()

    def bare() -> None:
        conn = sqlite3.connect(db_path)
        try:
            with open(folder / "dump.jsonl", "w", encoding="utf-8") as out:
                for table, where in tables:
                    cur = conn.execute(f'SELECT * FROM "{table}"{where}')
                    cols = [d[0] for d in cur.description]
                    for row in cur:
                        out.write(json.dumps({"table": table, **dict(zip(cols, row))}, ensure_ascii=False,
                                             default=str) + "\n")
        finally:
            conn.close()

    fig.floor = _best(bare, repeat)
    exporter = find_exporter()
    if exporter is None:
        fig.skipped = "export not available"
        return fig
    from renewal_desk.core.db import open_database

    db = open_database(db_path)
    try:
        _take_best(fig, _runs(lambda: exporter(db, folder / "bundle"), repeat))
    finally:
        db.close()
    return fig


def _gui_data_dir() -> Path:
    """The data folder of the bench's windows (never the person's own)."""
    return Path(os.environ.get("RENEWAL_DESK_BENCH_DATA", tempfile.gettempdir() + "/renewal-desk-bench-data"))


def gui(mode: str, db_path: Path | str | None, extra: list[str] | None = None, timeout: float = 600) -> dict:
    """Run one GUI measurement in its own process (offscreen unless a display is set up)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["RENEWAL_DESK_DATA"] = str(_gui_data_dir())
    cmd = [sys.executable, "-m", "renewal_desk.ui.bench_gui", mode]
    if db_path:
        cmd += ["--db", str(db_path)]
    cmd += extra or []
    cmd += ["--t0", repr(time.time())]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"bench_gui {mode} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
    result = json.loads(line)
    result["wall"] = wall
    return result


def figure_cold_start(db_path: Path, repeat: int) -> list[Figure]:
    fig = Figure("cold_start", "cold start to first painted main window", "s", 2.5, "ratio",
                 note="new process each time, best of runs; the window's frame (navigation, menus, status bar) is "
                 "painted before the database is opened, as run_app does; floor: a bare PySide6 QMainWindow by the "
                 "same Python")
    ready = Figure("cold_start_ready", "cold start to the first section's rows on screen (100,000 households)", "s",
                   0, "info", note="the same start, until the database is open, checked and the first section "
                   "(households: tree and first rows) painted; reported next to the same floor, no target")
    floors = [gui("bare-window", None)["first_paint"] for _ in range(repeat)]
    runs = [gui("app-start", db_path) for _ in range(repeat)]
    fig.floor = ready.floor = min(floors)
    _take_best(fig, [r["first_paint"] for r in runs])
    _take_best(ready, [r["ready"] for r in runs])
    fig.detail = {"first_paint_s": [r["first_paint"] for r in runs], "floor_s": floors}
    ready.detail = {"ready_s": [r["ready"] for r in runs]}
    return [fig, ready]


def figures_interactive(db_path: Path | str, quick: bool, on_server: bool = False) -> list[Figure]:
    """Search, scroll and open every section, memory: in the app's window on `db_path` (a file, or with `on_server`
    the postgresql://… address of the server's copy: keys end in "@postgresql", names say so)."""
    result = gui("interactive", db_path, ["--quick"] if quick else [])
    at, on = (f"@{SERVER}", ", on PostgreSQL") if on_server else ("", "")
    search = Figure(f"search_p95{at}", f"household search as you type, p95 keystroke → view ({result['households']:,} "
                    f"households, {len(result['search'])} keystrokes){on}", "ms", 50, "absolute",
                    ours=p95(result["search"]) * 1000, samples=[t * 1000 for t in result["search"]], note="Chinese, pinyin initials, phone tail typed into the "
                    "real HouseholdsPage search box; ends when the model has the new rows (the first page of a "
                    "scanned list) and the view repainted",
                    detail={"ms_by_keystroke": {q: round(t * 1000, 1) for q, t in zip(result.get("typed", []),
                                                                                        result["search"])}})
    figs = [search]
    for section, frames in result["scroll"].items():
        if not frames:
            figs.append(Figure(f"scroll_{section}{at}", f"{section}: open and scroll top → bottom, p95 frame{on}", "ms",
                               16, "absolute", skipped="no table"))
            continue
        figs.append(Figure(f"scroll_{section}{at}", f"{section}: open + scroll top → bottom, p95 frame "
                           f"({result['rows'][section]:,} rows){on}", "ms", 16, "absolute", ours=p95(frames) * 1000,
                           samples=[t * 1000 for t in frames],
                           note=f"opened in {result['open'][section] * 1000:.0f} ms (background loading included)",
                           detail={"open_ms": round(result["open"][section] * 1000), "frames": len(frames),
                                   "max_frame_ms": round(max(frames) * 1000, 1)}))
    for section, seconds in result["open"].items():
        figs.append(Figure(f"open_{section}{at}", f"{section}: open the section, everything loaded{on}", "ms", 1000,
                           "absolute", ours=seconds * 1000, note="from the click on the section to its last background "
                           "load painted (tallies, consent tables, registers included)"))
    figs.append(Figure(f"memory{at}", f"peak memory, large database open, every section visited{on}", "MB", 300,
                       "absolute", ours=result["peak_rss_mb"], floor=gui("bare-window", None)["peak_rss_mb"],
                       note="peak RSS of the app process; floor: a bare PySide6 window"))
    return figs


# ------------------------------------------------------------------------------------------ PostgreSQL
SERVER = "postgresql"  # the server figures' keys end in "@postgresql": "search_p95@postgresql"
SERVER_STEPS = ("interactive", "roster_import", "export")  # what runs on the server beside SQLite


class ServerUnavailable(RuntimeError):
    """Why the server figures are not measured: their table rows say "skipped: " and this."""


def _conninfo(text: str) -> str:
    """psycopg's connection string for the app's postgresql://… address (libpq reads a password from ~/.pgpass)."""
    from renewal_desk.core.db import server_url

    return server_url(text).set(drivername="postgresql").render_as_string(hide_password=False)


def _own_relations(conn) -> int:
    """Tables, sequences and views in the database's schema that belong to no extension (0: an empty database)."""
    return conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S', 'v', 'm') AND NOT EXISTS "
        "(SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
    ).fetchone()[0]


def _empty_again(conninfo: str, extensions: set[str]) -> None:
    """Drop what the bench made in a database that was empty: its tables (their sequences, indexes and triggers
    go with them), functions and types, and the extensions it added. Every one of them is the account's own."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn, conn.transaction():
        not_extension = ("NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{cat}'::regclass "
                         "AND d.objid = {oid} AND d.deptype = 'e')")
        tables = [r[0] for r in conn.execute("SELECT quote_ident(tablename) FROM pg_tables "
                                             "WHERE schemaname = current_schema()")]
        if tables:
            conn.execute(f"DROP TABLE {', '.join(tables)} CASCADE")
        for (seq,) in conn.execute("SELECT quote_ident(sequencename) FROM pg_sequences "
                                   "WHERE schemaname = current_schema()").fetchall():
            conn.execute(f"DROP SEQUENCE {seq} CASCADE")
        for (fn,) in conn.execute("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
                                  "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND "
                                  + not_extension.format(cat="pg_proc", oid="p.oid")).fetchall():
            conn.execute(f"DROP FUNCTION {fn} CASCADE")
        for (typ,) in conn.execute("SELECT format_type(t.oid, NULL) FROM pg_type t JOIN pg_namespace n "
                                   "ON n.oid = t.typnamespace WHERE n.nspname = current_schema() "
                                   "AND t.typtype IN ('e', 'd') AND "
                                   + not_extension.format(cat="pg_type", oid="t.oid")).fetchall():
            conn.execute(f"DROP TYPE {typ} CASCADE")
        for (ext,) in conn.execute("SELECT quote_ident(extname) FROM pg_extension").fetchall():
            if ext not in extensions:
                conn.execute(f"DROP EXTENSION {ext} CASCADE")


@contextmanager
def bench_server(server: str | None, log: Callable[[str], None] = print) -> Iterator[tuple[str, str]]:
    """An empty database for the server figures: (its postgresql://… address for the app's account, where it is
    in words). What the bench made is gone afterwards; nothing is kept on the server between runs.

    - No server named: a throw-away cluster on this machine (core/pg_local: initdb in a temporary folder, a unix
      socket only, started durable: fsync on), its database owned by an account with the office account's
      rights; stopped and removed afterwards. Without PostgreSQL's binaries: ServerUnavailable.
    - `server` (postgresql://ACCOUNT@HOST/DATABASE): when the account may create databases, a new database
      DATABASE_bench_PID beside it, dropped afterwards. The office's service account may not (installers/
      server-setup.sh makes it so), so then DATABASE itself must be empty — e.g. one made for the bench,
      `sudo -u postgres createdb -O renewal_desk renewal_desk_bench` — and is emptied again afterwards; a
      database with anything in it (the office's own!) is refused and left untouched."""
    if server is None:
        from renewal_desk.core import pg_local

        missing = pg_local.available()
        if missing:
            raise ServerUnavailable(f"{missing}; or name a server: --server postgresql://ACCOUNT@HOST/DATABASE")
        log("starting a throw-away PostgreSQL cluster …")
        try:
            cluster = pg_local.Cluster.start(durable=True)
        except pg_local.ClusterUnavailable as exc:
            raise ServerUnavailable(str(exc).splitlines()[0][:200]) from exc
        try:
            yield cluster.url(cluster.create_database("renewal_desk_bench")), \
                "a throw-away PostgreSQL cluster on this machine (unix socket, fsync on)"
        finally:
            cluster.stop()
        return
    import psycopg

    from renewal_desk.core.db import server_label, server_url

    url = server_url(server)
    label = server_label(url)
    conninfo = _conninfo(server)
    fresh = f"{url.database[:40]}_bench_{os.getpid()}"
    try:
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise ServerUnavailable(f"cannot connect to {label}: {str(exc).strip().splitlines()[0][:200]}") from exc
    with conn:
        try:
            conn.execute(f'CREATE DATABASE "{fresh}"')
            created = True
        except psycopg.errors.InsufficientPrivilege:
            created = False
            if _own_relations(conn):
                raise ServerUnavailable(
                    f"{url.username} may not create databases and {url.database} is not empty: name an empty "
                    f"database the account owns (on the server: sudo -u postgres createdb -O {url.username} "
                    f"renewal_desk_bench); the bench fills it and empties it again") from None
            extensions = {r[0] for r in conn.execute("SELECT quote_ident(extname) FROM pg_extension")}
    if created:
        try:
            yield url.set(database=fresh).render_as_string(hide_password=False).replace("+psycopg", ""), \
                f"{fresh} on {label} (made by the bench, dropped afterwards)"
        finally:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        return
    try:
        yield server, f"{url.database} on {label} (empty; emptied again afterwards)"
    finally:
        _empty_again(conninfo, extensions)


def _sqlite_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    return {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in _plain_tables(conn)}


def load_into_server(source: Path, url: str) -> dict:
    """The same database on the server: the schema by the app's own migrations (as `server init`), then every row of
    every table of `source` by COPY in one transaction, parents before children, each id sequence moved past its
    rows, then VACUUM ANALYZE (a server that has settled, as the office's has). The row counts are counted again on
    both sides afterwards, not taken from the COPY."""
    import psycopg

    from renewal_desk.core.db import open_database

    started = time.perf_counter()
    open_database(url, operator="基准测试", create=True).close()
    migrated = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    have = _sqlite_tables(src)
    with psycopg.connect(_conninfo(url), options="-c TimeZone=UTC") as pg:
        tables = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                           "AND tablename <> 'alembic_version' ORDER BY tablename")]
        columns = {t: [] for t in tables}
        for table, column in pg.execute("SELECT table_name, column_name FROM information_schema.columns WHERE "
                                        "table_schema = current_schema() ORDER BY table_name, ordinal_position"):
            if table in columns:
                columns[table].append(column)
        parents: dict[str, set[str]] = {t: set() for t in tables}
        for child, parent in pg.execute("SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM "
                                        "pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                                        "WHERE c.contype = 'f' AND n.nspname = current_schema()"):
            parents.setdefault(child.strip('"'), set()).add(parent.strip('"'))
        order: list[str] = []

        def visit(table: str) -> None:
            if table in order or table not in columns:
                return
            order.append(table)  # marks it (a cycle of references stops here), moved to its place below
            for parent in sorted(parents.get(table, ()) - {table}):
                visit(parent)
            order.remove(table)
            order.append(table)

        for table in tables:
            visit(table)
        with pg.cursor() as cur:
            for table in order:
                if table not in have:
                    continue
                cols = [c for c in columns[table] if c in have[table]]
                if cur.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]:
                    cur.execute(f'DELETE FROM "{table}"')  # rows a migration seeds: the file has them too
                quoted = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in src.execute(f'SELECT {quoted} FROM "{table}"'):
                        copy.write_row(row)
                if "id" in cols:
                    cur.execute(f'SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST((SELECT max(id) FROM '
                                f'"{table}"), 1))', (table, "id"))
        # the photos' contents where an office server keeps them, in its database (migration 0024), read from the
        # cached file's attachment store: every laptop's window reads them from there
        files = source.parent / f"{source.stem}-files"
        contents = 0
        with pg.cursor() as cur:
            for (sha,) in src.execute("SELECT DISTINCT sha256 FROM attachment"):
                path = files / sha[:2] / sha
                if path.is_file():
                    data = path.read_bytes()
                    cur.execute(f"INSERT INTO {SERVER_ONLY_TABLES[0]} (sha256, size, content) VALUES (%s, %s, %s) "
                                "ON CONFLICT (sha256) DO NOTHING", (sha, len(data), data))
                    contents += 1
        pg.commit()
        copied = time.perf_counter()
        pg.autocommit = True
        pg.execute("VACUUM ANALYZE")
        rows = {t: pg.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in order if t in have}
    source_rows = {t: src.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in rows}
    src.close()
    return {"tables": len(rows), "rows": rows, "source_rows": source_rows, "attachment_contents": contents,
            "rows_total": sum(rows.values()), "migrate_seconds": round(migrated - started, 2),
            "copy_seconds": round(copied - migrated, 2), "load_seconds": round(time.perf_counter() - started, 2),
            "missing_tables": sorted(set(tables) - set(have) - set(SERVER_ONLY_TABLES))}


SERVER_ONLY_TABLES = ("attachment_content",)  # the server's own: the photos' contents (a file keeps them beside it)


@contextmanager
def _server_folder(url: str) -> Iterator[None]:
    """This computer's folder for the server's copy, as for any laptop connected to it (where the bench's windows
    cache the photos they read from the server database): removed afterwards."""
    from renewal_desk.core.db import local_path_for
    from renewal_desk.core.paths import data_dir

    home = _gui_data_dir() / local_path_for(url).relative_to(data_dir())
    try:
        yield
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


def figure_roster_server(url: str, rows: int, folder: Path, added: list[tuple[str, list[str], list[tuple]]]) -> Figure:
    """The roster import into the server's copy of the large database. The floor is the bare driver doing the
    same work: openpyxl read-only iteration of the file plus psycopg COPY of the rows the same import added to the
    SQLite copy (same ids, the same database before it), in one transaction. The floor runs first and is rolled
    back — the audit log refuses deletes, and ours must find the database the floor found — so its commit is not
    counted: the floor is, if anything, low. Ours runs once (a second import of the file is a repeat, refused)."""
    from openpyxl import load_workbook
    import psycopg

    from renewal_desk.core.db import open_database
    from renewal_desk.core.rules import search
    from renewal_desk.core.services.roster_import import import_roster

    fig = Figure(f"roster_import@{SERVER}", f"roster import ({rows:,} rows), on PostgreSQL", "s", 1.5, "ratio",
                 note="ours: import_roster into the server's copy of the benchmark database, timed from the call to "
                      "its return; floor: openpyxl read-only iteration of the same file plus psycopg COPY of the rows "
                      "the same import added on SQLite (households, people, roles, places, audit rows; the trigram "
                      "index kept by the server) in one transaction, rolled back uncommitted")
    roster = folder / "roster-server.xlsx"
    write_roster(roster, rows)
    with psycopg.connect(_conninfo(url), options="-c TimeZone=UTC") as pg:
        present = {r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        replay = [(t, c, r) for t, c, r in added if t in present]
        started = time.perf_counter()
        wb = load_workbook(roster, read_only=True, data_only=True)
        for _row in wb.active.iter_rows(values_only=True):
            pass
        wb.close()
        with pg.cursor() as cur:
            for table, cols, table_rows in replay:
                quoted = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in table_rows:
                        copy.write_row(row)
        fig.floor = time.perf_counter() - started
        pg.rollback()
    search._part_keys.cache_clear()
    search._han_run.cache_clear()
    db = open_database(url, operator="基准测试")
    try:
        started = time.perf_counter()
        report = import_roster(db, roster, "基准测试花名册")
        took = time.perf_counter() - started
        if not report.written:
            raise RuntimeError(f"benchmark roster refused on the server: {report.problems[:3]}")
    finally:
        db.close()
    _take_best(fig, [took])
    fig.note += f" ({sum(len(r) for _t, _c, r in replay):,} rows in {len(replay)} tables)"
    return fig


def figure_export_server(url: str, folder: Path) -> Figure:
    """The full export bundle from the server; floor: psycopg → JSON Lines dump of every row of the tables the
    bundle reads (export_floor_tables), as the SQLite floor does with sqlite3."""
    import psycopg

    fig = Figure(f"export@{SERVER}", "full export bundle, on PostgreSQL", "s", 2.0, "ratio",
                 note="ours: export_bundle from the server to a folder; floor: psycopg → JSON Lines dump of every "
                      "row of the tables the bundle reads")
    tables = export_floor_tables()

    def bare() -> None:
        with psycopg.connect(_conninfo(url), options="-c TimeZone=UTC") as conn, \
                open(folder / "dump-server.jsonl", "w", encoding="utf-8") as out:
            for table, where in tables:
                cur = conn.execute(f'SELECT * FROM "{table}"{where}')
                cols = [d[0] for d in cur.description]
                for row in cur:
                    out.write(json.dumps({"table": table, **dict(zip(cols, row))}, ensure_ascii=False,
                                         default=str) + "\n")

    fig.floor = _best(bare, 1)
    exporter = find_exporter()
    if exporter is None:
        fig.skipped = "export not available"
        return fig
    from renewal_desk.core.db import open_database

    db = open_database(url, operator="基准测试")
    try:
        _take_best(fig, _runs(lambda: exporter(db, folder / "bundle-server"), 1))
    finally:
        db.close()
    return fig


def _beside(figures: list[Figure]) -> list[Figure]:
    """Each server figure right after its SQLite twin (the same key without "@postgresql"), so the table reads
    them side by side; one without a twin goes last."""
    plain = [f for f in figures if not f.key.endswith("@" + SERVER)]
    served = [f for f in figures if f.key.endswith("@" + SERVER)]
    out = list(plain)
    for f in served:
        twin = f.key.rsplit("@", 1)[0]
        at = next((i for i, g in enumerate(out) if g.key == twin), None)
        out.insert(len(out) if at is None else at + 1, f)
    return out


def run(quick: bool = False, db: Path | None = None, log: Callable[[str], None] = print,
        only: set[str] | None = None, server: str | None = None, no_server: bool = False) -> Report:
    """Every figure on SQLite, then the interactive figures, the roster import and the export again on PostgreSQL
    (`server`, or a throw-away cluster of this machine: bench_server) holding the same database, loaded from the
    same file; `no_server` leaves the server out. `only` names steps ("interactive", …: on both engines), or
    "postgresql" for the server's steps alone."""
    from renewal_desk.core.services.demo_large import LARGE

    started = time.perf_counter()
    report = Report(quick, datetime.now().isoformat(timespec="seconds"))
    report.machine = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                      "load_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    repeat = 1 if quick else 3
    scale = LARGE.divided(1000) if quick else LARGE
    if db:
        source, report.database = Path(db), {"path": str(db), "given": True}
    else:
        source, report.database = large_database(scale, quick, log)
    roster_rows = 200 if quick else 10_000
    roster_added: list = []  # the rows the SQLite import wrote: the server floor's COPY

    with tempfile.TemporaryDirectory(prefix="renewal-desk-bench-") as tmp:
        folder = Path(tmp)
        work = working_copy(source, folder)
        steps: list[tuple[str, Callable[[], list[Figure]]]] = [
            ("cold_start", lambda: figure_cold_start(work, repeat)),
            ("interactive", lambda: figures_interactive(work, quick)),
            ("roster_import", lambda: [figure_roster(roster_rows, folder, 1 if quick else 2, work, roster_added)]),
            ("sign_in_pdf", lambda: [figure_sign_in(work, 50 if quick else 2_000, folder, repeat)]),
            ("export", lambda: [figure_export(work, folder, 1)]),
            ("demo_generation", lambda: [figure_demo(LARGE.divided(2000 if quick else 10), folder)]),
        ]
        for key, step in steps:
            if only and key not in only:
                continue
            log(f"measuring {key} …")
            try:
                report.figures.extend(step())
            except Exception as exc:  # noqa: BLE001 - one broken figure must not hide the others
                report.figures.append(Figure(key, key, "", 0, "ratio", skipped=f"error: {exc}"[:300]))
        server_steps = [key for key in SERVER_STEPS if not only or key in only or SERVER in only]
        if server_steps:
            report.figures.extend(_server_figures(server_steps, source, server, no_server, quick, roster_rows,
                                                  roster_added, folder, report, log))
    report.figures = _beside(report.figures)
    report.machine["load_after"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    report.seconds = time.perf_counter() - started
    return report


def _server_figures(steps: list[str], source: Path, server: str | None, no_server: bool, quick: bool,
                    roster_rows: int, roster_added: list, folder: Path, report: Report,
                    log: Callable[[str], None]) -> list[Figure]:
    def skipped(reason: str) -> list[Figure]:
        return [Figure(f"{key}@{SERVER}", f"{key}, on PostgreSQL", "", 0, "ratio", skipped=reason) for key in steps]

    if no_server:
        return skipped("--no-server")
    figures: list[Figure] = []
    try:
        with bench_server(server, log) as (url, where):
            log(f"loading the benchmark database into PostgreSQL ({where}) …")
            loaded = load_into_server(source, url)
            report.database["server"] = {"where": where, **loaded}
            log(f"loaded {loaded['rows_total']:,} rows in {loaded['load_seconds']:.1f} s")
            measure = {
                "interactive": lambda: figures_interactive(url, quick, on_server=True),
                "roster_import": lambda: [figure_roster_server(url, roster_rows, folder, roster_added)],
                "export": lambda: [figure_export_server(url, folder)],
            }
            with _server_folder(url):
                for key in steps:
                    if key == "roster_import" and not roster_added:
                        figures.append(Figure(f"{key}@{SERVER}", f"{key}, on PostgreSQL", "", 0, "ratio",
                                              skipped="runs with the SQLite roster import (the floor copies its rows)"))
                        continue
                    log(f"measuring {key} on PostgreSQL …")
                    try:
                        figures.extend(measure[key]())
                    except Exception as exc:  # noqa: BLE001 - one broken figure must not hide the others
                        figures.append(Figure(f"{key}@{SERVER}", f"{key}, on PostgreSQL", "", 0, "ratio",
                                              skipped=f"error: {exc}"[:300]))
    except ServerUnavailable as exc:
        log(f"PostgreSQL figures skipped: {exc}")
        return skipped(str(exc))
    except Exception as exc:  # noqa: BLE001 - starting, loading or emptying the server failed: said in the table
        return figures + [Figure(f"server@{SERVER}", "PostgreSQL: the server's copy of the benchmark database", "", 0,
                                 "ratio", skipped=f"error: {exc}"[:300])]
    return figures


README_START = "<!-- bench:start (written by `renewal-desk bench --tables FILE.json … --readme README.md`) -->"
README_END = "<!-- bench:end -->"


def readme_section(reports: list[Report]) -> str:
    """The README's benchmark runs, one table per run under a line with its load, made from the JSON reports."""
    parts = []
    for number, report in enumerate(reports, 1):
        parts.append(f"Run {number} of {len(reports)}: {report.summary()}\n\n{report.table()}")
    return "\n\n".join(parts)


def update_readme(readme: Path, reports: list[Report]) -> None:
    """Replace what stands between the README's benchmark markers (refused if they are missing)."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"{readme} has no benchmark markers ({README_START} … {README_END})")
    readme.write_text(text[:start + len(README_START)] + "\n" + readme_section(reports) + "\n" + text[end:],
                      encoding="utf-8")


__all__ = ["EXPORTERS", "SERVER", "Figure", "Report", "ServerUnavailable", "bench_server", "export_floor_tables",
           "find_exporter", "large_database", "load_into_server", "p95", "readme_section", "run", "update_readme",
           "write_roster"]
