"""The command line as staff and scripts use it: exit codes, JSON reports, nothing written on bad input."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.make_rosters import clean_roster, ugly_roster

REPO = Path(__file__).resolve().parents[2]


def run(*args, check_code=None):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-m", "renewal_desk", *map(str, args)], capture_output=True, text=True,
                            env=env, timeout=300)
    if check_code is not None:
        assert result.returncode == check_code, result.stdout + result.stderr
    return result


def table_counts(path):
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("household", "person", "audit_log")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo2000(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    result = run("demo", "--db", path, "--households", 2000, "--seed", 3, check_code=0)
    assert "2000 户" in result.stdout
    return path


def test_demo_2000_then_check(demo2000):
    result = run("check", "--db", demo2000, "--json", check_code=0)
    report = json.loads(result.stdout)
    assert report["ok"] and report["integrity"] == ["ok"] and report["counts"]["household"] == 2000
    assert "检查通过" in run("check", "--db", demo2000, check_code=0).stdout


def test_list_kinds_show_ids_and_mask(demo2000):
    projects = json.loads(run("list", "projects", "--db", demo2000, "--json", check_code=0).stdout)
    assert projects[0]["id"] == 1
    assert (projects[0]["类型"], projects[0]["阶段"]) == ("居住区综合改善类", "入库")  # the stored codes in words
    rows = json.loads(run("list", "households", "--db", demo2000, "--json", "--limit", 5, check_code=0).stdout)
    assert len(rows) == 5 and all("*" in r["身份证号"] for r in rows)
    buildings = run("list", "buildings", "--db", demo2000, check_code=0).stdout.splitlines()
    assert buildings[0].startswith("id") and len(buildings) == 1 + 56


def test_usage_errors_exit_2(tmp_path):
    assert run("list", "nonsense", "--db", tmp_path / "x.sqlite").returncode == 2
    assert run("demo", "--db", tmp_path / "d.sqlite", "--households", 5).returncode == 2
    assert run("check", "--db", tmp_path / "missing.sqlite").returncode == 2
    assert not (tmp_path / "missing.sqlite").exists()
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database")
    result = run("check", "--db", bad)
    assert result.returncode == 2 and "不是" in result.stderr and "Traceback" not in result.stderr


def test_import_ugly_roster_all_or_nothing_then_skip_invalid(tmp_path):
    db = tmp_path / "desk.sqlite"
    roster = tmp_path / "ugly.xlsx"
    expected = ugly_roster(roster)
    run("demo", "--db", db, "--households", 10, check_code=0)
    before = table_counts(db)

    result = run("import-roster", "--db", db, "--project", "老街改造", "--json", roster)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert not report["written"] and report["imported"] == 0
    reported = {(p["row"], p["code"]) for p in report["problems"]}
    for row, problems in expected["bad"].items():
        for code, column in problems:
            assert (row, code) in reported, (row, code)
    assert all(p["message"] for p in report["problems"])
    assert table_counts(db) == before  # nothing written

    text = run("import-roster", "--db", db, "--project", "老街改造", roster)
    assert "第 " in text.stderr and "行" in text.stderr and "未写入" in text.stdout

    dry = json.loads(run("import-roster", "--db", db, "--project", "老街改造", "--dry-run", "--skip-invalid",
                         "--json", roster, check_code=0).stdout)
    assert not dry["written"] and table_counts(db) == before

    ok = json.loads(run("import-roster", "--db", db, "--project", "老街改造", "--skip-invalid", "--json", roster,
                        check_code=0).stdout)
    assert ok["written"] and ok["imported"] == len(expected["good"])
    con = sqlite3.connect(db)
    names = {r[0] for r in con.execute("SELECT name FROM person")}
    con.close()
    assert {"王𠮷", "李䶮"} <= names
    assert run("check", "--db", db).returncode == 0

    again = json.loads(run("import-roster", "--db", db, "--project", "老街改造", "--json", roster).stdout)
    assert {p["code"] for p in again["problems"]} >= {"roster.room_in_db", "roster.id_in_db"}


def test_print_roster_pdf_with_rare_names(tmp_path):
    db = tmp_path / "desk.sqlite"
    roster = tmp_path / "ugly.xlsx"
    ugly_roster(roster)
    run("import-roster", "--db", db, "--project", "老街改造", "--skip-invalid", roster, check_code=0)
    assert "building-roster" in run("print", "--list", check_code=0).stdout
    buildings = json.loads(run("list", "buildings", "--db", db, "--json", check_code=0).stdout)
    text_all = ""
    for building in buildings:
        out = tmp_path / f"roster-{building['id']}.pdf"
        run("print", "building-roster", "--db", db, "--id", building["id"], "--out", out, check_code=0)
        assert out.read_bytes().startswith(b"%PDF")
        text_all += subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                                   text=True).stdout if _has_pdftotext() else ""
    if _has_pdftotext():
        assert "王𠮷" in text_all and "李䶮" in text_all
    assert run("print", "building-roster", "--db", db, "--id", 9999, "--out", tmp_path / "x.pdf").returncode == 2


def _has_pdftotext():
    from shutil import which

    return which("pdftotext") is not None


def test_backup_and_restore_commands(tmp_path):
    db = tmp_path / "desk.sqlite"
    run("demo", "--db", db, "--households", 10, check_code=0)
    out = tmp_path / "copy.sqlite"
    run("backup", "--db", db, "--out", out, check_code=0)
    run("demo", "--db", db, "--households", 20, check_code=0)
    assert table_counts(db)["household"] == 30
    result = run("restore", "--db", db, out, check_code=0)
    assert "恢复" in result.stdout
    assert table_counts(db)["household"] == 10
    assert json.loads(run("list", "audit", "--db", db, "--json", "--limit", 1, check_code=0).stdout)[0]["动作"] == \
        "restore"


def test_kill_during_import_leaves_database_as_before(tmp_path):
    """SIGKILL at random moments of a large import: the database is before or after, never a mix."""
    db = tmp_path / "desk.sqlite"
    roster = tmp_path / "big.xlsx"
    clean_roster(roster, 3000, seed=5)
    run("demo", "--db", db, "--households", 10, check_code=0)
    before = table_counts(db)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    outcomes = set()
    for delay in (0.8, 1.5, 2.2, 3.0):
        proc = subprocess.Popen([sys.executable, "-m", "renewal_desk", "import-roster", "--db", str(db),
                                 "--project", f"导入{delay}", str(roster)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        counts = table_counts(db)
        assert counts["household"] in (before["household"], before["household"] + 3000), counts
        outcomes.add(counts["household"] == before["household"])
        assert run("check", "--db", db).returncode == 0
        before = counts
    assert True in outcomes  # at least one kill landed mid-import


def test_rows_of_one_home_become_one_household(tmp_path):
    """Family rosters list every person; rows sharing a room are one household, 户主 first."""
    from openpyxl import Workbook
    from tests.fixtures.make_rosters import _id
    import datetime as dt

    roster = tmp_path / "family.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["楼栋", "单元", "房号", "姓名", "与户主关系", "身份证号", "面积"])
    ws.append(["3", "1", "101", "李秀英", "配偶", _id(dt.date(1960, 1, 2), 12), "85.6"])
    ws.append(["3", "1", "１０１", "王建国", "户主", _id(dt.date(1958, 3, 4), 13), "85.6"])
    ws.append(["3", "1", " 101 ", "王小明", "子女", None, "86"])
    ws.append(["3", "1", "102", "赵一", "户主", _id(dt.date(1970, 5, 6), 15), "70"])
    ws.append(["3", "1", "102", "赵二", "户主", _id(dt.date(1971, 5, 6), 17), "70"])
    wb.save(roster)
    db = tmp_path / "d.sqlite"
    report = json.loads(run("import-roster", "--db", db, "--project", "P", "--json", roster).stdout)
    codes = {(p["row"], p["code"]) for p in report["problems"]}
    assert (6, "roster.same_home_two_heads") in codes and not report["written"]
    assert {(2, "roster.same_home_member"), (4, "roster.same_home_member"), (4, "roster.area_differs")} <= codes
    ok = json.loads(run("import-roster", "--db", db, "--project", "P", "--json", "--skip-invalid", roster,
                        check_code=0).stdout)
    assert ok["households"] == 2 and ok["imported"] == 4
    con = sqlite3.connect(db)
    people = con.execute("SELECT p.name, p.is_head, p.relation, h.room FROM person p JOIN household h "
                         "ON h.id = p.household_id ORDER BY h.room, p.is_head DESC, p.id").fetchall()
    con.close()
    assert people == [("王建国", 1, "户主", "101"), ("李秀英", 0, "配偶", "101"), ("王小明", 0, "子女", "101"),
                      ("赵一", 1, "户主", "102")]


def test_damaged_middle_of_file_check_fails_cleanly(demo2000, tmp_path):
    damaged = tmp_path / "dmg.sqlite"
    damaged.write_bytes(demo2000.read_bytes())
    with open(damaged, "r+b") as fh:
        for offset in range(100_000, damaged.stat().st_size, 400_000):
            fh.seek(offset)
            fh.write(b"\x00\x13garbage" * 1000)
    result = run("check", "--db", damaged)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for kind in ("households", "people", "contracts"):  # a read may or may not touch the damaged pages
        listing = run("list", kind, "--db", damaged)
        assert listing.returncode in (0, 1, 2) and "Traceback" not in listing.stderr, listing.stderr


def test_refused_commands_create_nothing(tmp_path):
    roster = tmp_path / "ugly.xlsx"
    ugly_roster(roster)
    assert run("demo", "--db", tmp_path / "d.sqlite", "--households", 9).returncode == 2
    target = tmp_path / "new" / "sub" / "typo.sqlite"
    assert run("import-roster", "--db", target, "--project", "P", roster).returncode == 2
    assert run("import-roster", "--db", target, "--project", "P", "--dry-run", "--skip-invalid", roster,
               check_code=0)
    assert not (tmp_path / "d.sqlite").exists() and not (tmp_path / "new").exists()


def test_json_report_masks_ids_unless_full(tmp_path):
    roster = tmp_path / "ugly.xlsx"
    ugly_roster(roster)
    masked = run("import-roster", "--db", tmp_path / "x.sqlite", "--project", "P", "--json", roster).stdout
    full = run("import-roster", "--db", tmp_path / "x.sqlite", "--project", "P", "--json", "--full", roster).stdout
    checksum = [p for p in json.loads(full)["problems"] if p["code"] == "id_number.checksum"][0]
    assert checksum["value"] in full and checksum["value"] not in masked
    assert "********" in masked


def test_failed_print_takes_no_number_and_restore_of_non_backup_is_bad_input(tmp_path):
    db = tmp_path / "d.sqlite"
    run("demo", "--db", db, "--households", 10, check_code=0)
    result = run("print", "building-roster", "--db", db, "--id", 1, "--out", tmp_path / "no" / "dir" / "r.pdf")
    assert result.returncode == 2 and "无法写入文件" in result.stderr and "Traceback" not in result.stderr
    audit = json.loads(run("list", "audit", "--db", db, "--json", check_code=0).stdout)
    assert all(a["动作"] != "print" for a in audit)
    ok = tmp_path / "r.pdf"
    run("print", "building-roster", "--db", db, "--id", 1, "--out", ok, check_code=0)
    assert ok.exists() and not (tmp_path / "r.pdf.part").exists()
    not_backup = tmp_path / "notes.sqlite"
    not_backup.write_text("hello")
    restore = run("restore", "--db", db, not_backup)
    assert restore.returncode == 2 and "Traceback" not in restore.stderr
