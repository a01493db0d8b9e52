"""What keeps the start fast: an up-to-date database opens without alembic, and the heavy libraries
(alembic, pypinyin, reportlab's printouts, openpyxl, pyqtgraph) load only when needed."""

from __future__ import annotations

import subprocess
import sys


def test_revision_graph_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from renewal_desk.core import db as dbmod
    from renewal_desk.core.paths import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    assert dbmod.head_revision() == script.get_current_head()
    assert dbmod.known_revisions() == {r.revision for r in script.walk_revisions()}
    assert dbmod._revision_graph() == {r.revision: r.down_revision for r in script.walk_revisions()}


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return {m.split(".")[0] for m in out.stdout.split()}


def test_opening_an_up_to_date_database_needs_no_alembic_or_pinyin(tmp_path):
    from renewal_desk.core.db import open_database

    path = tmp_path / "a.sqlite"
    open_database(path, create=True).close()  # created and migrated (alembic runs here)
    loaded = _modules_after(f"from renewal_desk.core.db import open_database\n"
                            f"from renewal_desk.core.services import households, overview\n"
                            f"db = open_database({str(path)!r})\n"
                            f"households.household_ids(db, households.HouseholdFilter(query='王'))\n"
                            f"overview.counts(db)\ndb.close()")
    assert not loaded & {"alembic", "pypinyin", "openpyxl", "reportlab"}, loaded & {"alembic", "pypinyin"}


def test_main_window_module_loads_no_printing_charts_or_pages():
    loaded = _modules_after("import os\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
                            "import renewal_desk.ui.main_window, renewal_desk.ui.app")
    assert not loaded & {"alembic", "pypinyin", "openpyxl", "pyqtgraph", "numpy"}, loaded
    # the window's frame is painted before the database is opened: not even SQLAlchemy or reportlab yet
    assert not loaded & {"sqlalchemy", "reportlab"}, loaded & {"sqlalchemy", "reportlab"}
    full = subprocess.run([sys.executable, "-c", "import os\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
                           "import sys, renewal_desk.ui.main_window\n"
                           "print(sorted(m for m in sys.modules if m.startswith('renewal_desk.ui.') and "
                           "m.endswith('_page')))"], capture_output=True, text=True, timeout=120)
    assert full.stdout.strip() == "[]", full.stdout + full.stderr


def test_indexed_search_finds_exactly_what_a_scan_finds(db):
    """Terms of three characters or more go through the trigram index: the same households as the
    LIKE scan, after inserts, edits (search keys change) and deletes kept the index in step."""
    import random

    from tests.core import raw_sql

    from renewal_desk.core.services import households as hh
    from renewal_desk.core.services.demo import generate_demo

    generate_demo(db, households=300, seed=7)
    con = raw_sql.connect(db)
    texts = [r[0] for r in con.execute("SELECT search_text FROM household")]
    rng = random.Random(1)
    queries = ["王建国", "wjg", "8315", "1号楼", "幸福路", "zhang", "𠮷", '"x"', "100%", "a_b", "号楼 101"]
    for _ in range(40):
        key = rng.choice(rng.choice(texts).split("\x1f"))
        start = rng.randrange(max(1, len(key) - 3))
        queries.append(key[start:start + rng.choice((3, 4, 6))])
    some = hh.household_ids(db)[:5]
    with db.write() as s:  # edits and deletes behind the index's back, through SQL
        s.connection().exec_driver_sql("UPDATE household SET search_text = search_text || '\x1fqqqzzz' WHERE id = ?",
                                       (some[0],))
        s.connection().exec_driver_sql("DELETE FROM person WHERE household_id = ?", (some[1],))
        s.connection().exec_driver_sql("DELETE FROM household WHERE id = ?", (some[1],))
    queries.append("qqqzzz")
    con = raw_sql.connect(db)
    for q in queries:
        terms = hh.search.normalize_query(q).split()
        find = "strpos(search_text, ?) > 0" if db.url is not None else "instr(search_text, ?) > 0"  # a literal substring
        scanned = [r[0] for r in con.execute(
            "SELECT id FROM household WHERE " + " AND ".join([find] * len(terms))
            + " ORDER BY sort_key, id", terms)] if terms else None
        found = hh.household_ids(db, hh.HouseholdFilter(query=q))
        if scanned is not None:
            assert found == scanned, q
    assert hh.household_ids(db, hh.HouseholdFilter(query="qqqzzz")) == [some[0]]
    assert hh.household_ids(db, hh.HouseholdFilter(query="wjg"), limit=2) == \
        hh.household_ids(db, hh.HouseholdFilter(query="wjg"))[:2]
    assert hh.needs_scan(hh.HouseholdFilter(query="王")) and not hh.needs_scan(hh.HouseholdFilter(query="王建国"))
    assert hh.needs_scan(hh.HouseholdFilter())


def test_explaining_a_pinyin_search_loads_no_pinyin(tmp_path):
    """The households list explains "zjg" (户主 / 家庭成员 …) from the stored search keys: the window's process
    never loads pypinyin (~0.5 s and ~55 MB on the first Latin keystroke) just to say why a row matched."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.rules.search import pinyin_keys
    from renewal_desk.core.services import households as hs

    path = tmp_path / "a.sqlite"
    db = open_database(path, create=True)
    from renewal_desk.core.services import places

    project = places.create_place(db, "project", "幸福里改造")
    block = places.create_place(db, "block", "东片区", project)
    building = places.create_place(db, "building", "3号楼", block, address="幸福路12号")
    unit = places.create_place(db, "unit", "2单元", building)
    hs.create_household(db, hs.HouseholdInput(unit, "602", people=[
        hs.PersonInput("周文"), hs.PersonInput("张伟", is_head=True)]))
    from datetime import datetime

    from renewal_desk.core.models import MeetingKind
    from renewal_desk.core.services import meetings

    mid = meetings.create_meeting(db, meetings.MeetingInput("业主大会", datetime(2026, 12, 5, 19), MeetingKind.OWNERS, project))
    meetings.invite_households(db, mid)
    db.close()
    script = (f"from renewal_desk.core.db import open_database\nfrom renewal_desk.core.services import households as hs\n"
              f"db = open_database({str(path)!r})\nids = hs.household_ids(db, hs.HouseholdFilter(query='zw'))\n"
              f"print(sorted(hs.match_reasons(db, ids, q)[ids[0]] for q in ('zw', 'zhouw', 'xingfu', 'zhang wei')))\n"
              f"from renewal_desk.core.services import meetings\n"
              f"print(sorted(meetings.door_search(db, {mid}, q)[0].reason for q in ('zw', 'zhouw', 'xingfu')))\n"
              f"db.close()")
    out = subprocess.run([sys.executable, "-c", script + "\nimport sys\nprint('pypinyin' in sys.modules)"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    reasons, door, loaded = out.stdout.split("\n")[:3]
    assert reasons == str(sorted(["户主", "家庭成员 周文", "房号 3号楼 2单元 602", "户主"]))
    assert door == str(sorted(["户主", "家庭成员 周文", "房号 3号楼 2单元 602"]))  # at the door, the same
    assert loaded == "False"
    assert pinyin_keys("张伟")[1] == "zw"


def test_the_exchange_page_loads_no_openpyxl():
    """openpyxl (~0.3 s, ~12 MB) loads when a workbook is read, not when 导出与备份 opens."""
    loaded = _modules_after("import os\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\nimport renewal_desk.ui.exchange_page")
    assert "openpyxl" not in loaded
