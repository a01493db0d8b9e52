"""`renewal-desk bench --quick` runs end to end so the benchmark never rots. The targets are not
asserted (machines are noisy); the report's shape and that every measured figure is finite are."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from renewal_desk.core import bench

REPO = Path(__file__).resolve().parents[2]
EXPECTED = {"cold_start", "cold_start_ready", "search_p95", "scroll_households", "scroll_ordering", "scroll_meetings",
            "scroll_supervision", "scroll_designer", "scroll_leases", "memory", "roster_import", "sign_in_pdf",
            "export", "demo_generation", "open_households", "open_ordering", "open_meetings", "open_supervision",
            "open_designer", "open_leases"}


def test_quick_bench_reports_every_figure(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO), RENEWAL_DESK_BENCH_CACHE=str(tmp_path / "cache"))
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "renewal_desk", "bench", "--quick", "--no-server", "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["quick"] is True and report["schema"] == bench.SCHEMA_VERSION
    figures = {f["key"]: f for f in report["figures"]}
    assert EXPECTED <= set(figures), set(figures)
    # --no-server: each server step has its row, saying why it was not measured (test_quick_bench_on_postgresql)
    assert {k for k in figures if k.endswith("@postgresql")} == {"interactive@postgresql", "roster_import@postgresql",
                                                                 "export@postgresql"}
    assert all(figures[k]["skipped"] == "--no-server" for k in figures if k.endswith("@postgresql"))
    figures = {k: f for k, f in figures.items() if not k.endswith("@postgresql")}
    for key, f in figures.items():
        assert not f["skipped"].startswith("error"), (key, f["skipped"])
        if f["skipped"]:
            assert key == "export" and f["skipped"] == "export not available" or bench.find_exporter()
            continue
        assert math.isfinite(f["ours"]) and f["ours"] > 0, (key, f)
        if f["kind"] in ("ratio", "info"):
            assert math.isfinite(f["floor"]) and f["floor"] > 0 and math.isfinite(f["ratio"]), (key, f)
        assert f["passed"] in ((None,) if f["kind"] == "info" else (True, False)), (key, f)
    # the frame is painted first; the first section's rows come later, after the database is open
    assert figures["cold_start_ready"]["ours"] > figures["cold_start"]["ours"]
    assert figures["export"]["floor"] > 0  # the floor is measured even while the export is missing
    assert len(json.loads(json.dumps(report))["figures"]) == len(report["figures"])
    # the printed table has one line per figure, with the columns the README shows
    assert result.stdout.startswith("| figure") and "| ratio" in result.stdout and "| median" in result.stdout
    assert result.stdout.count("\n|") >= len(report["figures"])
    # every measured figure keeps its samples; the median lies within their spread
    for key, f in figures.items():
        if f["ours"] is not None and f["samples"]:
            assert min(f["samples"]) <= f["median"] <= max(f["samples"]), (key, f)
    assert len(figures["search_p95"]["samples"]) >= 10
    # the saved JSON prints the same table again, and writes the README section between its markers
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{bench.README_START}\nold table\n{bench.README_END}\n\nafter\n", encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "renewal_desk", "bench", "--tables", str(out), str(out),
                            "--readme", str(readme)], capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 0, again.stderr
    text = readme.read_text(encoding="utf-8")
    assert "old table" not in text and text.endswith("after\n") and text.count("| figure") == 2
    assert "Run 1 of 2:" in text and "load average" in text
    assert bench.Report.from_dict(report).table() in again.stdout
    # the cached database is reused on the next run (keyed by generator version and schema)
    assert list((tmp_path / "cache").glob("quick-g*.sqlite"))


def test_report_maths():
    f = bench.Figure("x", "x", "s", 2.0, "ratio", ours=3.0, floor=2.0)
    assert f.ratio == 1.5 and f.passed is True
    f.ours = 5.0
    assert f.passed is False
    g = bench.Figure("y", "y", "ms", 50, "absolute", ours=60)
    assert g.ratio is None and g.passed is False
    assert bench.Figure("z", "z", "s", 2, "ratio", skipped="export not available").passed is None
    assert bench.p95([float(i) for i in range(1, 101)]) == 95.0
    assert bench.p95([3.0]) == 3.0
    table = bench.Report(True, "now", figures=[f, g]).table()
    assert "FAIL" in table and "2.50×" in table
    info = bench.Figure("i", "i", "s", 0, "info", ours=3.0, floor=1.0)
    assert info.ratio == 3.0 and info.passed is None
    assert "(no target)" in bench.Report(True, "now", figures=[info]).table()


def test_median_and_spread():
    few = bench.Figure("a", "a", "s", 1, "ratio", samples=[3.0, 1.0, 2.0])
    assert few.median == 2.0 and few.spread == (1.0, 3.0)
    many = bench.Figure("b", "b", "ms", 50, "absolute", samples=[float(i) for i in range(1, 101)])
    assert many.median == 50.5
    low, high = many.spread
    assert 10 <= low <= 11 and 90 <= high <= 91  # 10th to 90th percentile: one outlier does not widen it
    assert bench.Figure("c", "c", "s", 1, "ratio", samples=[4.0]).spread is None
    assert bench.Figure("d", "d", "s", 1, "ratio").median is None
    table = bench.Report(True, "now", figures=[few]).table()
    assert "| 2 s " in table and "1–3 s" in table


def test_readme_without_markers_is_refused(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("no markers here", encoding="utf-8")
    try:
        bench.update_readme(readme, [])
    except ValueError as exc:
        assert "markers" in str(exc)
    else:
        raise AssertionError("a README without markers was overwritten")
    assert readme.read_text(encoding="utf-8") == "no markers here"


def test_roster_floor_replays_exactly_the_rows_the_import_wrote(tmp_path, db_path):
    """The roster floor inserts, in bare sqlite3, every row our import added: replayed into a fresh
    copy, each table ends with the same rows as after our import (the search index by its triggers)."""
    import shutil
    import sqlite3

    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.roster_import import import_roster

    roster = tmp_path / "roster.xlsx"
    bench.write_roster(roster, 45)
    pristine = tmp_path / "pristine.sqlite"
    shutil.copy(db_path, pristine)
    before = bench._table_tops(db_path)
    database = open_database(db_path)
    try:
        assert import_roster(database, roster, "基准测试花名册").written
    finally:
        database.close()
    added = bench._rows_after(db_path, before)
    tables = [t for t, _c, _r in added]
    assert {"household", "person", "audit_log"} <= set(tables), tables
    assert tables.index("household") < tables.index("person")  # parents first: foreign keys hold
    assert sum(len(r) for t, _c, r in added if t == "household") == 45

    with sqlite3.connect(pristine, isolation_level=None) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        for table, cols, rows in added:
            conn.executemany(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})', rows)
        conn.execute("COMMIT")

    def dump(path):
        with sqlite3.connect(path) as conn:
            out = {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in bench._plain_tables(conn)}
            out["fts"] = conn.execute("SELECT count(*) FROM household_fts_docsize").fetchone()[0]
            return out

    ours, floor = dump(db_path), dump(pristine)
    assert ours == floor
    assert floor["fts"] >= 45


def test_the_sign_in_figure_prints_the_sheet_again_at_every_run(tmp_path, demo_db, db_path):
    """Each timed run prints the sheet again over the last run's file (the full bench runs it three times; it
    once stopped at the second, refused as an existing file, and the figure went missing)."""
    figure = bench.figure_sign_in(db_path, 20, tmp_path, 2)
    assert figure.ours and figure.floor and len(figure.samples) == 2


SERVER_EXPECTED = {f"{key}@postgresql" for key in EXPECTED if key.split("_")[0] in ("search", "scroll", "open", "memory")
                   or key in ("roster_import", "export")}


def test_quick_bench_on_postgresql(tmp_path, pg_server):
    """--server: the interactive figures, the roster import and the export on a server database holding the same
    database as SQLite (every row of every table), each beside its SQLite twin; the database, given empty to an
    account that may not create databases (the office's service account), is empty again afterwards."""
    import sqlite3

    import psycopg

    name = pg_server.create_database("bench_given")
    env = dict(os.environ, PYTHONPATH=str(REPO), RENEWAL_DESK_BENCH_CACHE=str(tmp_path / "cache"),
               RENEWAL_DESK_DATA=str(tmp_path / "data"), RENEWAL_DESK_BENCH_DATA=str(tmp_path / "windows"))
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "renewal_desk", "bench", "--quick", "--server", pg_server.url(name),
                             "--only", "interactive", "--only", "roster_import", "--only", "export", "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    keys = [f["key"] for f in report["figures"]]
    figures = {f["key"]: f for f in report["figures"]}
    assert SERVER_EXPECTED <= set(figures), sorted(set(figures))
    for key in SERVER_EXPECTED:
        f = figures[key]
        assert not f["skipped"], (key, f["skipped"])
        assert math.isfinite(f["ours"]) and f["ours"] > 0, (key, f)
        assert f["passed"] in (True, False), (key, f)
        twin = figures[key.removesuffix("@postgresql")]
        assert keys.index(key) == keys.index(twin["key"]) + 1  # the server's row right after SQLite's
        assert f["target"] == twin["target"] and f["kind"] == twin["kind"] and f["unit"] == twin["unit"]
        if f["kind"] == "ratio":
            assert math.isfinite(f["floor"]) and f["floor"] > 0 and math.isfinite(f["ratio"]), (key, f)
    assert "on PostgreSQL" in figures["search_p95@postgresql"]["name"]
    assert figures["search_p95@postgresql"]["name"] in result.stdout
    # the same database on both engines: every table of the cached file, counted again on the server
    loaded = report["database"]["server"]
    source = Path(report["database"]["path"])
    with sqlite3.connect(source) as conn:
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in bench._plain_tables(conn)}
    counts.pop("alembic_version", None)
    assert loaded["rows"] == counts and loaded["missing_tables"] == []
    with sqlite3.connect(source) as conn:  # the photos' contents in the server database, as an office server holds them
        assert loaded["attachment_contents"] == conn.execute("SELECT count(DISTINCT sha256) FROM attachment").fetchone()[0] > 0
    assert counts["household"] >= 100 and counts["person"] > counts["household"]
    assert figures["search_p95@postgresql"]["name"].count(f"({counts['household']:,} households") == 1
    # what the bench made in the given database is gone (and the windows' copy of its photos); the database itself
    # is left for its owner
    assert (tmp_path / "windows").is_dir() and not list((tmp_path / "windows" / "servers").glob("*"))
    with psycopg.connect(host=str(pg_server.folder), port=pg_server.port, user="renewal", dbname=name) as conn:
        assert bench._own_relations(conn) == 0
        assert conn.execute("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                            "WHERE n.nspname = 'public'").fetchone()[0] == 0
    pg_server.drop_database(name)


def test_bench_server_makes_its_own_database_or_refuses_a_full_one(pg_server, pg_url):
    """An account that may create databases gets one of the bench's own, dropped afterwards; one that may not,
    naming a database with the app's schema in it (the office's own), is refused and the database left as it was."""
    import psycopg

    from renewal_desk.core.db import open_database

    pg_server.admin("CREATE ROLE bench_maker LOGIN CREATEDB")

    def databases() -> set[str]:
        with psycopg.connect(host=str(pg_server.folder), port=pg_server.port, user="postgres", dbname="postgres") as c:
            return {r[0] for r in c.execute("SELECT datname FROM pg_database")}

    before = databases()
    with bench.bench_server(pg_server.url("postgres", user="bench_maker"), log=lambda _m: None) as (url, where):
        made = databases() - before
        assert len(made) == 1 and made.pop() in url and "dropped afterwards" in where
        open_database(url, create=True).close()  # the schema builds in it: the bench's account owns it
    assert databases() == before

    try:
        with bench.bench_server(pg_url, log=lambda _m: None):
            raise AssertionError("a database with the app's schema in it was taken for the bench")
    except bench.ServerUnavailable as exc:
        assert "may not create databases" in str(exc) and "not empty" in str(exc)
    db = open_database(pg_url)  # still there, as it was
    db.check()
    db.close()


def test_reports_without_and_with_server_figures_read_back():
    """A report of before the server figures (no samples, no median, no database.server) still prints; one with
    them reads back with the server rows next to their twins, as saved."""
    old = {"schema": 1, "quick": False, "started_at": "2026-11-30T10:00:00", "seconds": 90, "machine": {"cpus": 2},
           "database": {"path": "x"}, "figures": [{"key": "search_p95", "name": "search", "unit": "ms", "target": 50,
                                                   "kind": "absolute", "ours": 117.0, "floor": None, "note": "",
                                                   "skipped": "", "detail": {}, "ratio": None, "passed": False}]}
    table = bench.Report.from_dict(old).table()
    assert "117 ms" in table and "FAIL" in table
    figures = [bench.Figure("export", "full export bundle", "s", 2, "ratio", ours=3.0, floor=2.0, samples=[3.0]),
               bench.Figure("search_p95", "search", "ms", 50, "absolute", ours=40.0, samples=[40.0]),
               bench.Figure("export@postgresql", "full export bundle, on PostgreSQL", "s", 2, "ratio", ours=5.0,
                            floor=2.0, samples=[5.0]),
               bench.Figure("search_p95@postgresql", "search, on PostgreSQL", "ms", 50, "absolute", ours=45.0,
                            samples=[45.0])]
    ordered = [f.key for f in bench._beside(figures)]
    assert ordered == ["export", "export@postgresql", "search_p95", "search_p95@postgresql"]
    new = bench.Report(False, "now", database={"server": {"rows": {"household": 3}}}, figures=bench._beside(figures))
    again = bench.Report.from_dict(json.loads(json.dumps(new.as_dict())))
    assert [f.key for f in again.figures] == ordered and again.database["server"]["rows"] == {"household": 3}
    assert "| full export bundle, on PostgreSQL" in again.table() and "2.50×" in again.table()
