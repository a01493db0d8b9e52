"""A round's tallies kept as counters (table ordering_tally), so opening 居民点单 does not count a million
order choices again.

The counters are exact integers: per unit in scope its households and answered households; per number of
decimal places of the areas, how many households and the sum of their areas as an integer at those places
(eligible and answered); per item the households choosing it, per priority, and the same area buckets. Every
figure of ordering.tallies follows from them exactly (an area sum has the exponent of its addend with most
decimal places, as adding the texts one by one gives).

They are kept up to date by the order writes in the same transaction (record_order: the household's part
before the change is taken off, its part after is added) and are valid as of an audit entry: any later audited
change to the tables the tallies read (households, units, buildings, rounds, orders …) by another path makes
them stale, and the next read counts them again (one GROUP BY pass) and stores them. Rounds whose areas are not
plain decimal text are not kept (ordering.tallies counts those each time).
"""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import (BigInteger, Double, String, and_, case, cast, delete, func, insert, literal, select, text,
                        type_coerce, update)
from sqlalchemy.orm import Session

from ..db import DecimalPlaces, NotPlainDecimal
from ..models import AuditEntry, Block, Building, Household, Order, OrderChoice, OrderingRound, OrderingTally, Unit

# the tables whose audited changes can change a round's tallies
READS = ("household", "household_order", "order_choice", "unit", "building", "block", "project", "ordering_round")
_NOT_CHANGES = ("reveal", "print", "login", "view", "export")  # audit actions that change nothing


# the round's scope, shared with services.ordering (which imports these: this module is below it)
def _scope_query(r: OrderingRound):
    query = (select(Household.id).join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
             .join(Block, Block.id == Building.block_id).where(Block.project_id == r.project_id,
                                                                 Household.is_vacant.is_(False)))
    ids = [int(x) for x in r.building_ids.split(",") if x]
    if ids:
        query = query.where(Building.id.in_(ids))
    return query


def _scope_units(r: OrderingRound):
    """Ids of the units inside the round's scope (its project, or its buildings)."""
    query = (select(Unit.id).join(Building, Building.id == Unit.building_id).join(Block, Block.id == Building.block_id)
             .where(Block.project_id == r.project_id))
    ids = [int(x) for x in r.building_ids.split(",") if x]
    if ids:
        query = query.where(Building.id.in_(ids))
    return query


# Areas are stored as their exact decimal text (DecimalText), read as text by the database
# (core.db's DecimalPlaces / NotPlainDecimal say it in each engine's SQL).
_area = type_coerce(Household.area, String)
_DECIMALS = DecimalPlaces(_area)
_ODD = NotPlainDecimal(_area)


def _scaled(scale: int | None):
    """An area as an integer at `scale` decimal places (0 when the areas cannot be scaled)."""
    if scale is None:
        return literal(0)
    return cast(func.round(cast(_area, Double) * 10 ** scale), BigInteger)


def _in_scope(r: OrderingRound):
    return and_(Household.is_vacant.is_(False), Household.unit_id.in_(_scope_units(r)))


def _with_answers(query, r: OrderingRound):
    """`query` over the scope's households, each joined with its order in the round (if any)."""
    return (query.select_from(Household).outerjoin(Order, and_(Order.household_id == Household.id,
                                                               Order.round_id == r.id))
            .where(_in_scope(r)))


def _yes_choices(query, r: OrderingRound):
    """`query` over the round's 'yes' choices of households in scope."""
    return (query.select_from(OrderChoice).join(Order, Order.id == OrderChoice.order_id)
            .join(Household, Household.id == Order.household_id)
            .where(Order.round_id == r.id, OrderChoice.vote == "yes", _in_scope(r)))


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


# grouping by position: the grouped expressions hold bound values, which PostgreSQL would not match otherwise
BY_FIRST, BY_FIRST_TWO = (text("1"),), (text("1"), text("2"))


def _area_scale(s, r: OrderingRound) -> int | None:
    """The number of decimal places that makes every scope area an exact integer small enough for SQLite
    to add exactly (areas are stored as decimal text); None when some area is not plain digits."""
    row = s.execute(select(func.max(_DECIMALS), _count_if(_ODD),
                           func.max(case((_ODD, None), else_=cast(_area, Double))), func.count())
                    .where(Household.area.is_not(None), _in_scope(r))).one()
    places, odd, biggest, count = row
    if odd or count == 0:
        return None if odd else 0
    places = int(places or 0)
    largest = (biggest or 0) * 10**places  # each value must be exact as a float, and the sum as an int64
    if places > 9 or largest >= 2**50 or largest * count >= 2**62:
        return None
    return places


Counters = dict  # {"units": {uid: [eligible, answered]}, "eligible": {p: [n, sum]}, "answered": {p: [n, sum]},
#                   "items": {iid: {"n": [households, p1, p2, p3], "area": {p: [n, sum]}}}}  (keys are strings)


def empty() -> Counters:
    return {"units": {}, "eligible": {}, "answered": {}, "items": {}}


def combine(into: dict, other: dict, sign: int = 1, _top: bool = True) -> dict:
    """`into` += sign × `other`, element by element; entries that reach all zeros are dropped (the top
    level's four parts stay)."""
    for key, value in other.items():
        if isinstance(value, dict):
            inner = into.setdefault(key, {})
            combine(inner, value, sign, False)
            if not inner and not _top:
                del into[key]
        else:
            current = into.get(key) or [0] * len(value)
            summed = [a + sign * b for a, b in zip(current, value)]
            if any(summed):
                into[key] = summed
            else:
                into.pop(key, None)
    return into


def area_of(buckets: dict) -> Decimal:
    """The exact sum of the areas counted in `buckets` ({places: [households, sum at those places]})."""
    if not buckets:
        return Decimal(0)
    places = max(int(p) for p in buckets)
    total = sum(v[1] * 10 ** (places - int(p)) for p, v in buckets.items())
    return Decimal(total).scaleb(-places)


def _places(area: Decimal | None) -> tuple[int, int] | None:
    """(decimal places, the area as an integer at those places); None for an area that is not plain decimal text."""
    if area is None:
        return 0, 0
    sign, _digits, exponent = area.as_tuple()
    if sign or not isinstance(exponent, int) or exponent > 0:
        return None
    return -exponent, int(area.scaleb(-exponent))


def _last_audit(s: Session) -> int:
    return s.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0


def changed_since(s: Session, audit_id: int) -> bool:
    """Whether an audited change to a table the tallies read came after entry `audit_id`."""
    return s.scalar(select(AuditEntry.id).where(AuditEntry.id > audit_id, AuditEntry.table_name.in_(READS),
                                                AuditEntry.action.not_in(_NOT_CHANGES)).limit(1)) is not None


def stored(s: Session, round_id: int) -> Counters | None:
    """The round's counters when they are up to date, else None."""
    row = s.execute(select(OrderingTally.audit_id, OrderingTally.figures)
                    .where(OrderingTally.round_id == round_id)).one_or_none()
    if row is None or not row[1] or changed_since(s, row[0]):
        return None
    return json.loads(row[1])


def store(s: Session, round_id: int, counters: Counters, audit_id: int) -> None:
    s.execute(delete(OrderingTally).where(OrderingTally.round_id == round_id))
    s.execute(insert(OrderingTally).values(round_id=round_id, audit_id=audit_id,
                                           figures=json.dumps(counters, separators=(",", ":"))))


def count(s: Session, r: OrderingRound) -> Counters | None:
    """The round's counters counted from the orders (three GROUP BY passes); None when some area in scope is
    not plain decimal text."""
    scale = _area_scale(s, r)
    if scale is None:
        return None
    scaled = _scaled(scale)
    out = empty()
    for unit_id, n, answered in s.execute(_with_answers(
            select(Household.unit_id, func.count(), func.count(Order.id)), r).group_by(Household.unit_id)):
        out["units"][str(unit_id)] = [n, answered]
    for places, answered, n, total in s.execute(_with_answers(
            select(_DECIMALS, Order.id.is_not(None), func.count(), func.coalesce(func.sum(scaled), 0)), r)
            .group_by(*BY_FIRST_TWO)):
        bucket = [n, int(total) // 10 ** (scale - places)]
        combine(out["eligible"], {str(places): bucket})
        if answered:
            combine(out["answered"], {str(places): bucket})
    for item_id, places, n, p1, p2, p3, total in s.execute(_yes_choices(
            select(OrderChoice.item_id, _DECIMALS, func.count(), _count_if(OrderChoice.priority == 1),
                   _count_if(OrderChoice.priority == 2), _count_if(OrderChoice.priority == 3),
                   func.coalesce(func.sum(scaled), 0)), r).group_by(*BY_FIRST_TWO)):
        combine(out["items"], {str(item_id): {"n": [n, p1 or 0, p2 or 0, p3 or 0],
                                              "area": {str(places): [n, int(total) // 10 ** (scale - places)]}}})
    return out


def part_of(s: Session, r: OrderingRound, household_id: int) -> Counters | None:
    """One household's part of the round's counters as the database has it now (within the session's
    transaction); None when its area is not plain decimal text."""
    out = empty()
    if s.scalar(_scope_query(r).where(Household.id == household_id)) is None:
        return out  # vacant or out of scope: counts nowhere
    unit_id, area = s.execute(select(Household.unit_id, Household.area).where(Household.id == household_id)).one()
    bucket = _places(area)
    if bucket is None:
        return None
    places, value = bucket
    order_id = s.scalar(select(Order.id).where(Order.round_id == r.id, Order.household_id == household_id))
    answered = int(order_id is not None)
    out["units"][str(unit_id)] = [1, answered]
    out["eligible"][str(places)] = [1, value]
    if answered:
        out["answered"][str(places)] = [1, value]
        for item_id, priority in s.execute(select(OrderChoice.item_id, OrderChoice.priority)
                                           .where(OrderChoice.order_id == order_id, OrderChoice.vote == "yes")):
            out["items"][str(item_id)] = {"n": [1, int(priority == 1), int(priority == 2), int(priority == 3)],
                                          "area": {str(places): [1, value]}}
    return out


class Change:
    """Keeps the round's stored counters up to date across one household's change inside a write:
    `Change(s, round, household)` before the change, `.done()` after it is flushed (same transaction)."""

    def __init__(self, s: Session, r: OrderingRound, household_id: int):
        self.s, self.r, self.household_id = s, r, household_id
        row = s.execute(select(OrderingTally.audit_id, OrderingTally.figures).where(OrderingTally.round_id == r.id)
                        .with_for_update()).one_or_none()
        self.counters = None
        if row is not None and row[1] and not changed_since(s, row[0]):
            self.counters = json.loads(row[1])
            self.before = part_of(s, r, household_id)
        elif row is not None:  # stale: counted again by the next read
            s.execute(delete(OrderingTally).where(OrderingTally.round_id == r.id))

    def done(self) -> None:
        if self.counters is None:
            return
        after = part_of(self.s, self.r, self.household_id)
        if self.before is None or after is None:
            self.s.execute(delete(OrderingTally).where(OrderingTally.round_id == self.r.id))
            return
        combine(combine(self.counters, self.before, -1), after)
        self.s.execute(update(OrderingTally).where(OrderingTally.round_id == self.r.id).values(
            audit_id=_last_audit(self.s), figures=json.dumps(self.counters, separators=(",", ":"))))


def rebuild(s: Session, r: OrderingRound) -> Counters | None:
    """Count the round's counters and store them (inside a write), valid as of the last audit entry."""
    audit_id = _last_audit(s)
    counters = count(s, r)
    if counters is None:
        s.execute(delete(OrderingTally).where(OrderingTally.round_id == r.id))
    else:
        store(s, r.id, counters, audit_id)
    return counters


def rebuild_all(s: Session) -> None:
    """Every round's counters (the migration's backfill, the large demo's last step). Reads only the round
    columns the counting needs, so the migration runs on a schema older than today's models."""
    for r in s.execute(select(OrderingRound.id, OrderingRound.project_id, OrderingRound.building_ids)).all():
        rebuild(s, r)


__all__ = ["Change", "READS", "area_of", "changed_since", "combine", "count", "empty", "part_of", "rebuild",
           "rebuild_all", "store", "stored"]
