"""The roster import writes in bulk but audits every household, person and role exactly as the ORM
flush audits a household added by hand: one insert entry per row, same columns, same values."""

from __future__ import annotations

import json

from datetime import date

from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import households as hh
from renewal_desk.core.services.roster_import import import_roster
from tests.fixtures.make_rosters import clean_roster
from tests.core import raw_sql


def test_every_imported_row_has_its_audit_entry(db, tmp_path):
    roster = tmp_path / "r.xlsx"
    expected = clean_roster(roster, 2500, seed=5)["rows"]
    report = import_roster(db, roster, "幸福里")
    assert report.written and report.households == 2500
    con = raw_sql.connect(db)
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
    con = raw_sql.connect(db)
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
    con = raw_sql.connect(db)
    try:
        for table in ("project", "household", "person", "audit_log"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    finally:
        con.close()
    assert import_roster(db, roster, "幸福里").written  # and a second try goes through


def _sheet(path, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["楼栋", "单元", "房号", "姓名", "与户主关系", "身份证号", "手机号", "面积"])
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_a_second_roster_reuses_the_projects_places_and_audits_each_new_one_once(db, tmp_path):
    ids = iter(make_id_number("320402", date(1960, 1, 1 + n), n) for n in range(20))
    _sheet(tmp_path / "a.xlsx", [["1号楼", "1单元", "101", "张三", "户主", next(ids), "13800000001", 80.5],
                                 ["1号楼", "1单元", "102", "李四", "", next(ids), "13800000002", 60],
                                 ["2号楼", "1单元", "101", "王五", "", next(ids), None, None]])
    _sheet(tmp_path / "b.xlsx", [["1号楼", "1单元", "103", "赵六", "户主", next(ids), "13800000003", 70.25],
                                 ["1号楼", "1单元", "103", "赵小六", "子女", next(ids), None, 70.25],
                                 ["1号楼", "2单元", "201", "单田芳", "", next(ids), "0514-87654321", 90],
                                 ["3号楼", "", "101", "吉𠮷", "", next(ids), "13800000004", 45.5]])
    assert import_roster(db, tmp_path / "a.xlsx", "幸福里").written
    report = import_roster(db, tmp_path / "b.xlsx", "幸福里")
    assert report.written and report.households == 3 and report.imported == 4
    con = raw_sql.connect(db)
    try:
        places = con.execute("SELECT b.name, u.name, count(*) FROM unit u JOIN building b ON b.id = u.building_id "
                             "GROUP BY b.name, u.name ORDER BY b.name, u.name").fetchall()
        assert places == [("1号楼", "1单元", 1), ("1号楼", "2单元", 1), ("2号楼", "1单元", 1), ("3号楼", "", 1)]
        assert con.execute("SELECT count(*) FROM block").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM building").fetchone()[0] == 3
        for table in ("block", "building", "unit"):  # every place audited once, with its keys filled in
            rows = con.execute(f"SELECT id FROM {table}").fetchall()
            audited = con.execute("SELECT record_id, after FROM audit_log WHERE action = 'insert' AND table_name = ?",
                                  (table,)).fetchall()
            assert sorted(r[0] for r in audited) == sorted(r[0] for r in rows), table
            assert all(json.loads(a)["id"] == rid for rid, a in audited)
        # the household 1号楼 1单元 103 went into the unit made by the first roster, with its member
        joined = ("string_agg(p.name || ':' || p.is_head::int, ',')" if db.url is not None
                  else "group_concat(p.name || ':' || p.is_head, ',')")
        unit_103, people = con.execute(
            f"SELECT h.unit_id, {joined} FROM household h "
            "JOIN person p ON p.household_id = h.id WHERE h.room = '103' GROUP BY h.id").fetchone()
        unit_101 = con.execute("SELECT unit_id FROM household WHERE room = '101' AND id = "
                               "(SELECT min(id) FROM household)").fetchone()[0]
        assert unit_103 == unit_101 and sorted(people.split(",")) == ["赵六:1", "赵小六:0"]
        # values stored by the bulk path have the types the ORM stores (SQLite's storage classes; PostgreSQL's
        # columns have one type each)
        if db.url is None:
            assert con.execute("SELECT typeof(area), area, typeof(is_vacant), typeof(created_at), length(created_at) "
                               "FROM household WHERE room = '103'").fetchone() == ("text", "70.25", "integer", "text", 26)
        assert tuple(map(str, con.execute("SELECT birth_date, gender FROM person WHERE name = '单田芳'").fetchone())) \
            == ("1960-01-06", "男")
        keys_before = dict(con.execute("SELECT id, search_text FROM household").fetchall())
        audit_count = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        con.close()
    # the search keys are what the household service computes: recomputing them changes nothing
    hh.refresh_derived(db)
    con = raw_sql.connect(db)
    try:
        assert dict(con.execute("SELECT id, search_text FROM household").fetchall()) == keys_before
        assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_count  # no update entries
    finally:
        con.close()
    assert hh.household_ids(db, hh.HouseholdFilter(query="stf")) and hh.household_ids(db, hh.HouseholdFilter(query="𠮷"))


def test_an_owner_of_several_flats_is_imported_once_per_flat_and_another_name_is_refused(db, tmp_path):
    """One owner of several units (domain: counts once): a roster row of another home with the same ID
    number and name is accepted, in the file and against the database; another name under it is not."""
    owner = make_id_number("320402", date(1958, 3, 1), 7)
    _sheet(tmp_path / "a.xlsx", [["1号楼", "1单元", "101", "周一", "户主", owner, None, 80],
                                 ["1号楼", "1单元", "102", "周一", "户主", owner, None, 60]])
    report = import_roster(db, tmp_path / "a.xlsx", "幸福里")
    assert report.written and report.households == 2 and not report.errors
    _sheet(tmp_path / "b.xlsx", [["2号楼", "1单元", "101", "周一", "户主", owner, None, 50],
                                 ["2号楼", "1单元", "102", "周壹", "户主", owner, None, 40]])
    report = import_roster(db, tmp_path / "b.xlsx", "幸福里", skip_invalid=True)
    assert report.written and report.imported == 1
    assert [(p.code, p.row) for p in report.errors] == [("roster.duplicate_in_file", 3)]
    _sheet(tmp_path / "c.xlsx", [["3号楼", "1单元", "101", "周壹", "户主", owner, None, 40]])
    report = import_roster(db, tmp_path / "c.xlsx", "幸福里")
    assert not report.written and [p.code for p in report.errors] == ["roster.id_in_db"]
    assert "周一" in report.errors[0].message("zh")
    with db.read() as s:
        from sqlalchemy import select
        from renewal_desk.core.models import Person
        assert sorted(s.scalars(select(Person.name).where(Person.id_number == owner))) == ["周一"] * 3
