"""The in-memory ScanIndex answers one- and two-character searches exactly as SQL's LIKE does, and is
never used once the database has changed since it was built."""

import pytest

from renewal_desk.core.services import households as h
from renewal_desk.core.services.households import HouseholdFilter, HouseholdInput, PersonInput

TERMS = ["赵", "王", "z", "zz", "Zq", "0", "30", "1号", "𠮷", "单元", "赵 3", "w 1", "q", "x"]


def _sql(db, flt, **kw):
    saved = h._scan_indexes.pop(db, None)
    try:
        return h.household_ids(db, flt, **kw)
    finally:
        if saved is not None:
            h._scan_indexes[db] = saved


@pytest.mark.parametrize("query", TERMS)
def test_same_households_in_the_same_order_as_sql(demo_db, query):
    assert h.warm_scan_index(demo_db) is True
    flt = HouseholdFilter(query=query)
    index = h._fresh_scan_index(demo_db)
    assert index is not None
    for kw in ({}, {"descending": True}, {"limit": 7}, {"descending": True, "limit": 7}, {"limit": 500}):
        expected = _sql(demo_db, flt, **kw)
        assert index.find(h.search.normalize_query(query).split(), kw.get("descending", False),
                          kw.get("limit")) == expected, kw
        assert h.household_ids(demo_db, flt, **kw) == expected


def test_some_terms_actually_match_and_others_do_not(demo_db):
    h.warm_scan_index(demo_db)
    counts = {q: len(h.household_ids(demo_db, HouseholdFilter(query=q))) for q in TERMS}
    assert counts["z"] > 0 and counts["1号"] > 0 and counts["𠮷"] > 0
    assert 0 < counts["zz"] < counts["z"]
    assert h.household_ids(demo_db, HouseholdFilter(query="ñ")) == []


def test_a_change_makes_it_stale_and_search_sees_the_change(demo_db):
    h.warm_scan_index(demo_db)
    assert h.warm_scan_index(demo_db) is False  # current: nothing rebuilt
    unit_id = h.household_detail(demo_db, h.household_ids(demo_db)[0]).unit_id
    before = h.household_ids(demo_db, HouseholdFilter(query="䶮"), limit=200)
    new_id = h.create_household(demo_db, HouseholdInput(unit_id, "909", people=[PersonInput("䶮龘", None, None,
                                                                                         is_head=True)]))
    assert h._fresh_scan_index(demo_db) is None  # the buffer predates the new household
    after = h.household_ids(demo_db, HouseholdFilter(query="䶮"), limit=200)  # answered by SQL meanwhile
    assert new_id in after and len(after) == len(before) + 1
    assert h.warm_scan_index(demo_db) is True
    assert h.household_ids(demo_db, HouseholdFilter(query="䶮"), limit=200) == after  # and by the rebuilt index


def test_the_first_page_and_a_short_whole_list_come_from_the_index_a_long_one_from_sql(demo_db, monkeypatch):
    h.warm_scan_index(demo_db)
    index = h._fresh_scan_index(demo_db)
    sql = _sql(demo_db, HouseholdFilter(query="z"))
    used = []
    monkeypatch.setattr(type(index), "find", lambda self, *a: used.append(a) or [])
    assert h.household_ids(demo_db, HouseholdFilter(query="z"), limit=200) == [] and len(used) == 1
    assert h.household_ids(demo_db, HouseholdFilter(query="z")) == [] and used[-1][2] == h.WHOLE_FROM_INDEX + 1
    assert h.household_ids(demo_db, HouseholdFilter(query="z"), descending=True) == sql[::-1]  # reversed: SQL
    monkeypatch.setattr(h, "WHOLE_FROM_INDEX", len(sql) - 1)  # a list longer than the index gives whole: SQL's
    monkeypatch.setattr(type(index), "find", lambda self, terms, desc, limit: [-1] * min(limit, len(sql)))
    assert h.household_ids(demo_db, HouseholdFilter(query="z")) == sql


def test_place_filters_and_other_orders_are_left_to_sql(demo_db):
    assert h._scannable(HouseholdFilter(query="z"), "address") == ["z"]
    assert h._scannable(HouseholdFilter(query="z", building_id=1), "address") is None
    assert h._scannable(HouseholdFilter(query="z"), "head") is None
    assert h._scannable(HouseholdFilter(query="zzq"), "address") is None  # the trigram index serves it
    assert h._scannable(HouseholdFilter(query=""), "address") is None


def test_an_indexed_search_looks_households_up_by_id_and_compiles_once(db):
    """A term of three characters or more: SQLite looks the households the trigram index found up by id (the
    clause once read "(…) = 1" and SQLite scanned every household in sort order instead), and the statement is
    compiled once and reused for every later search with as many terms."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan; PostgreSQL answers the same terms with its pg_trgm index")
    from sqlalchemy import select

    from renewal_desk.core.models import Household

    query = h._filtered(select(Household.id), HouseholdFilter(query="赵志强")).order_by(Household.sort_key)
    with db.read() as s:
        sql = str(query.compile(s.get_bind()))
        assert "= 1" not in sql
        plan = " ".join(str(r) for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, ("\"赵志强\"",)))
    assert "USING INTEGER PRIMARY KEY" in plan and "ix_household_sort" not in plan, plan
    # cacheable: one cache key per number of terms, the terms themselves bound values of it
    def built(term):
        return h._filtered(select(Household.id), HouseholdFilter(query=term)).order_by(Household.sort_key)

    key, other_key = built("赵志强")._generate_cache_key(), built("王𠮷芳")._generate_cache_key()
    assert key is not None and key.key == other_key.key
    assert [b.value for b in other_key.bindparams] != [b.value for b in key.bindparams]
    assert h.household_ids(db, HouseholdFilter(query="王𠮷芳")) == []  # and the reused statement takes the new term
