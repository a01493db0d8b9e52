"""The round's tallies are kept as counters by the order writes (ordering_figures) and equal the tallies
counted from the orders (count_tallies) after every kind of change; a change by another path leaves them
stale, so they are counted again, never wrong."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from renewal_desk.core.models import Household, OrderingTally, RoundState
from renewal_desk.core.services import ordering as svc
from renewal_desk.core.services import ordering_figures as figures
from renewal_desk.core.services.households import delete_household, household_ids


def _same(db, rid):
    kept, counted = svc.tallies(db, rid), svc.count_tallies(db, rid)

    def key(t):
        return (t.eligible, t.answered, str(t.eligible_area), str(t.answered_area), t.participation_by_building,
                [(i.item.id, i.households, i.share_all, i.share_answered, str(i.area), i.share_area, i.priorities,
                  i.rank_in_tier) for i in t.items])

    assert key(kept) == key(counted)
    return kept


def _kept(db, rid):
    """The stored counters if they are up to date (None if stale or missing)."""
    with db.read() as s:
        return figures.stored(s, rid)


def _counted(db, rid):
    with db.read() as s:
        from renewal_desk.core.models import OrderingRound

        return figures.count(s, s.get(OrderingRound, rid))


def test_order_writes_keep_the_counters_exact(demo_db):
    rid = svc.create_round(demo_db, 1, "2026年居民点单", date(2026, 11, 1))
    svc.set_round_state(demo_db, rid, RoundState.OPEN)
    items = [m.id for m in svc.menu(demo_db, 1)]
    _same(demo_db, rid)  # counted and stored by the first read
    assert _kept(demo_db, rid) == _counted(demo_db, rid)
    hids = household_ids(demo_db)
    for n, hid in enumerate(hids[:30]):
        svc.record_order(demo_db, rid, svc.OrderInput(hid, {items[(n + k) % len(items)]: (1 + (n + k) % 3, "yes")
                                                            for k in range(n % 5)}))
        assert _kept(demo_db, rid) == _counted(demo_db, rid)  # kept by the write itself, not stale
    # entering a household again replaces its answer: choices removed, changed, a vote "no"
    svc.record_order(demo_db, rid, svc.OrderInput(hids[3], {items[0]: (3, "no"), items[5]: (2, "yes")}))
    svc.record_order(demo_db, rid, svc.OrderInput(hids[4], {}))
    assert _kept(demo_db, rid) == _counted(demo_db, rid)
    tally = _same(demo_db, rid)
    assert tally.answered == 30 and sum(t.households for t in tally.items) > 0


def test_other_changes_make_them_stale_then_counted_again(demo_db):
    rid = svc.create_round(demo_db, 1, "2026年居民点单", date(2026, 11, 1))
    svc.set_round_state(demo_db, rid, RoundState.OPEN)
    items = [m.id for m in svc.menu(demo_db, 1)]
    hids = household_ids(demo_db)
    for hid in hids[:10]:
        svc.record_order(demo_db, rid, svc.OrderInput(hid, {items[0]: (1, "yes"), items[1]: (2, "yes")}))
    _same(demo_db, rid)
    # a household's area with more decimal places, a vacant one, a deleted one: all audited writes
    with demo_db.write() as s:
        s.get(Household, hids[0]).area = Decimal("88.125")
        s.get(Household, hids[1]).is_vacant = True
    assert _kept(demo_db, rid) is None  # stale
    _same(demo_db, rid)
    assert _kept(demo_db, rid) == _counted(demo_db, rid)  # stored again by that read
    delete_household(demo_db, hids[2])
    assert _kept(demo_db, rid) is None
    _same(demo_db, rid)
    # the household with the most decimal places answers no more: the area sums lose that place
    svc.record_order(demo_db, rid, svc.OrderInput(hids[0], {}))
    assert _kept(demo_db, rid) == _counted(demo_db, rid)
    assert str(_same(demo_db, rid).items[0].area) == str(svc.count_tallies(demo_db, rid).items[0].area)


def test_areas_that_are_not_plain_text_are_counted_each_time(demo_db):
    rid = svc.create_round(demo_db, 1, "2026年居民点单", date(2026, 11, 1))
    svc.set_round_state(demo_db, rid, RoundState.OPEN)
    hid = household_ids(demo_db)[0]
    with demo_db.write() as s:
        s.connection().exec_driver_sql("UPDATE household SET area = '1E+2' WHERE id = ?", (hid,))
    _same(demo_db, rid)
    with demo_db.read() as s:
        assert s.scalar(select(OrderingTally).where(OrderingTally.round_id == rid)) is None


def test_the_migration_fills_the_counters_of_existing_rounds(tmp_path):
    from alembic import command

    from renewal_desk.core.db import _alembic_config, make_engine, open_database
    from renewal_desk.core.services.demo import generate_demo

    path = tmp_path / "older.sqlite"
    db = open_database(path, create=True)
    generate_demo(db, households=60, seed=3)
    rid = svc.create_round(db, 1, "2026年居民点单", date(2026, 11, 1))
    svc.set_round_state(db, rid, RoundState.OPEN)
    items = [m.id for m in svc.menu(db, 1)]
    for n, hid in enumerate(household_ids(db)[:12]):
        svc.record_order(db, rid, svc.OrderInput(hid, {items[n % 7]: (1 + n % 3, "yes")}))
    expected = _counted(db, rid)
    db.close()
    engine = make_engine(path)
    with engine.begin() as conn:  # a database of the version before the counters
        command.downgrade(_alembic_config(conn), "0014")
    engine.dispose()
    db = open_database(path)  # upgraded: the counters of the round are filled
    try:
        assert _kept(db, rid) == expected and expected["items"]
        _same(db, rid)
    finally:
        db.close()
