"""The roster import writes in bulk but audits every household, person and role exactly as the ORM
flush audits a household added by hand: one insert entry per row, same columns, same values."""

from __future__ import annotations

import json
import sqlite3

from datetime import date

from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import households as hh
from renewal_desk.core.services.roster_import import import_roster
from tests.fixtures.make_rosters import clean_roster


def test_every_imported_row_has_its_audit_entry(db, tmp_path):
    roster = tmp_path / "r.xlsx"
    expected = clean_roster(roster, 2500, seed=5)["rows"]
    report = import_roster(db, roster, "幸福里")
    assert report.written and report.households == 2500
    con = sqlite3.connect(db.path)
    try:
        for table in ("household", "person", "person_role"):
            ids = {r[0] for r in con.execute(f"SELECT id FROM {table}")}
            audited = {r[0] for r in con.execute("SELECT record_id FROM audit_log WHERE action = 'insert' "
                                                 "AND table_name = ?", (table,))}
            assert ids == audited and len(ids) >= 2500, table
        # the data itself: the first row of the roster, found by its phone tail and pinyin
        first = expected[0]
        found = hh.household_ids(db, hh.HouseholdFilter(query=first["phone"][-4:]))
        assert any(hh.household_detail(db, i).people[0].id_number == first["id_number"] for i in found)
        assert db.check().ok
        imported_after = json.loads(con.execute(
            "SELECT after FROM audit_log WHERE table_name = 'person' AND action = 'insert' ORDER BY id LIMIT 1"
        ).fetchone()[0])
    finally:
        con.close()
    # a household added by hand, through the ORM: its audit entry has the same shape
    unit_id = hh.household_detail(db, found[0]).unit_id
    hid = hh.create_household(db, hh.HouseholdInput(unit_id, "9901", "50.5", people=[
        hh.PersonInput("王小明", make_id_number("110105", date(1949, 12, 31), 2), "13812345678", is_head=True)]))
    con = sqlite3.connect(db.path)
    try:
        by_hand = json.loads(con.execute("SELECT after FROM audit_log WHERE table_name = 'person' AND action = "
                                         "'insert' ORDER BY id DESC LIMIT 1").fetchone()[0])
        hh_audit = [json.loads(r[0]) for r in con.execute(
            "SELECT after FROM audit_log WHERE table_name = 'household' AND action = 'insert' AND record_id IN (?, ?)",
            (hid, found[0]))]
    finally:
        con.close()
    assert set(by_hand) == set(imported_after)
    assert set(hh_audit[0]) == set(hh_audit[1])


def test_cancelling_while_writing_leaves_nothing(db, tmp_path):
    import pytest

    from renewal_desk.core.services.roster_import import ImportCancelled

    roster = tmp_path / "r.xlsx"
    clean_roster(roster, 1200, seed=6)
    seen = []
    with pytest.raises(ImportCancelled):
        import_roster(db, roster, "幸福里", progress=lambda d, t: seen.append(d), cancelled=lambda: len(seen) >= 1)
    assert seen == [500]  # it got going, then stopped at the next check
    con = sqlite3.connect(db.path)
    try:
        for table in ("project", "household", "person", "audit_log"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    finally:
        con.close()
    assert import_roster(db, roster, "幸福里").written  # and a second try goes through
