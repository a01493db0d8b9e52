"""The SQL-side tallies and the lean consent counting equal a straightforward Python computation
(the implementation they replaced, kept here as the reference), on a demo round and on irregular data."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import and_, select, update
from sqlalchemy.orm import aliased

from renewal_desk.core.models import Household, Order, OrderChoice, OrderingRound, Person
from renewal_desk.core.models import Building, Unit
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import consent
from renewal_desk.core.rules.sorting import natural_key
from renewal_desk.core.services import ordering as svc



# ------------------------------------------------------------------ reference: every row in Python
def reference_tallies(db, round_id):
    view = svc.round_view(db, round_id)
    items = svc.menu(db, view.project_id, include_retired=True)
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        scope_ids = list(s.scalars(svc._scope_query(r)))
        lines = svc._household_lines(s, scope_ids)
        answered = set(s.scalars(select(Order.household_id).where(Order.round_id == round_id)))
        choices = s.execute(select(OrderChoice.item_id, Order.household_id, OrderChoice.priority, OrderChoice.vote)
                            .join(Order, Order.id == OrderChoice.order_id).where(Order.round_id == round_id)).all()
    answered &= set(lines)
    area_of = {hid: line.area or Decimal(0) for hid, line in lines.items()}
    eligible_area = sum(area_of.values(), Decimal(0))
    per_item = defaultdict(list)
    for item_id, household_id, priority, vote in choices:
        if household_id in lines and vote == "yes":
            per_item[item_id].append((household_id, priority))
    result = []
    for item in items:
        chosen = per_item.get(item.id, [])
        if item.retired and not chosen:
            continue
        households = {hid for hid, _p in chosen}
        area = sum((area_of[h] for h in households), Decimal(0))
        priorities = {p: sum(1 for _h, q in chosen if q == p) for p in (1, 2, 3)}
        result.append(svc.ItemTally(item, len(households), svc.share(len(households), len(lines)),
                                    svc.share(len(households), len(answered)), area, svc.share(area, eligible_area),
                                    priorities))
    for tier in {t.item.tier for t in result}:
        ranked = sorted((t for t in result if t.item.tier == tier), key=lambda t: (-t.households, t.item.position))
        for rank, t in enumerate(ranked, start=1):
            t.rank_in_tier = rank
    by_building = defaultdict(lambda: [0, 0])
    for hid, line in lines.items():
        by_building[line.building][1] += 1
        by_building[line.building][0] += hid in answered
    return svc.RoundTally(view, len(lines), len(answered), eligible_area,
                          sum((area_of[h] for h in answered), Decimal(0)), result,
                          {b: (v[0], v[1]) for b, v in sorted(by_building.items(), key=lambda kv: natural_key(kv[0]))})


def reference_breakdown(db, round_id, item_id):
    """Where one item was chosen, from every row in Python."""
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        lines = svc._household_lines(s, list(s.scalars(svc._scope_query(r))))
        chose = set(s.scalars(select(Order.household_id).join(OrderChoice, OrderChoice.order_id == Order.id)
                              .where(Order.round_id == round_id, OrderChoice.item_id == item_id,
                                     OrderChoice.vote == "yes")))
    by_building, by_unit = defaultdict(int), defaultdict(int)
    for hid in chose & set(lines):
        by_building[lines[hid].building] += 1
        by_unit[f"{lines[hid].building} {lines[hid].unit}".strip()] += 1
    return svc.ItemBreakdown(dict(by_building), dict(sorted(by_unit.items(), key=lambda kv: natural_key(kv[0]))))


def reference_consent(db, round_id):
    view = svc.round_view(db, round_id)
    items = [i for i in svc.menu(db, view.project_id) if i.consent_scope]
    rules_by_matter = svc.consent_rules(db)
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        head = aliased(Person)
        rows = s.execute(select(Household.id, Household.area, Unit.id, Unit.name, Building.id, Building.name, head.id,
                                head.id_number)
                         .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                         .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                         .where(Household.id.in_(svc._scope_query(r)))).all()
        votes = s.execute(select(OrderChoice.item_id, Order.household_id, OrderChoice.vote)
                          .join(Order, Order.id == OrderChoice.order_id).where(Order.round_id == round_id)).all()
    by_item = defaultdict(dict)
    for item_id, household_id, vote in votes:
        by_item[item_id][household_id] = vote
    lines = []
    for item in items:
        rule = rules_by_matter.get(item.matter) or consent.default_rule(consent.Matter(item.matter or "special"))
        groups = defaultdict(list)
        for hid, area, unit_id, unit_name, building_id, building_name, person_id, id_number in rows:
            if item.consent_scope == "unit":
                key = (building_name, unit_name, building_id, unit_id)
            elif item.consent_scope == "building":
                key = (building_name, "", building_id, 0)
            else:
                key = (view.project, "", 0, 0)
            groups[key].append(consent.Unit(hid, svc._owner_key(person_id, id_number, hid), area or Decimal(0)))
        for key in sorted(groups, key=lambda k: (natural_key(k[0]), natural_key(k[1]))):
            units = groups[key]
            ballots = [consent.Ballot(u.unit_id, by_item[item.id][u.unit_id]) for u in units
                       if u.unit_id in by_item[item.id]]
            label = " ".join(x for x in key[:2] if x)
            try:
                lines.append(svc.ConsentLine(item, label, consent.evaluate(units, ballots, rule)))
            except InputError as exc:
                lines.append(svc.ConsentLine(item, label, None, exc.describe()))
    return lines


def _same(db, rid):
    new, old = svc.tallies(db, rid), reference_tallies(db, rid)
    assert new == old  # dataclass equality: every count, share, area, priority and breakdown
    assert [str(t.area) for t in new.items] == [str(t.area) for t in old.items]  # same Decimal exponent too
    assert (str(new.eligible_area), str(new.answered_area)) == (str(old.eligible_area), str(old.answered_area))
    for t in new.items:  # where each item was chosen, read per item, in the same order
        found, expected = svc.item_breakdown(db, rid, t.item.id), reference_breakdown(db, rid, t.item.id)
        assert found == expected and list(found.by_unit) == list(expected.by_unit)
        assert sum(found.by_building.values()) == sum(found.by_unit.values()) == t.households
    assert list(new.participation_by_building) == list(old.participation_by_building)
    new_c, old_c = svc.consent_results(db, rid), reference_consent(db, rid)
    assert new_c == old_c
    assert [(c.result and c.result.summary()) for c in new_c] == [(c.result and c.result.summary()) for c in old_c]
    return new, new_c


@pytest.fixture
def demo_round(demo_db):
    from renewal_desk.core.services.demo_ordering import generate_ordering_demo

    return generate_ordering_demo(demo_db, 1, seed=3, today=date(2026, 11, 22))


def test_demo_round_equals_reference(demo_db, demo_round):
    tally, lines = _same(demo_db, demo_round)
    assert tally.answered > 50 and sum(t.households for t in tally.items) > 100
    assert any(line.result and line.result.participating_owners for line in lines)


def test_irregular_data_equals_reference(demo_db, demo_round):
    """Mixed decimal places, a missing area, a vacant flat, one owner voting two ways, two heads in one
    household, a retired item and a round over some buildings only: all as the reference says."""
    rid = demo_round
    with demo_db.write(note="test") as s:
        ids = list(s.scalars(select(Household.id).where(Household.unit_id == 1).order_by(Household.id)))
        ids[4:6] = list(s.scalars(select(Household.id).where(Household.unit_id == 2).order_by(Household.id)))[:2]
        s.execute(update(Household).where(Household.id == ids[0]).values(area=Decimal("85.125")))
        s.execute(update(Household).where(Household.id == ids[1]).values(area=Decimal("90")))
        s.execute(update(Household).where(Household.id == ids[2]).values(area=None))
        s.execute(update(Household).where(Household.id == ids[3]).values(is_vacant=True))
        # one owner (same ID number) heads two flats of unit 2 and votes differently on the elevator
        heads = {p.household_id: p for p in s.scalars(select(Person).where(Person.household_id.in_(ids[4:6]),
                                                                             Person.is_head.is_(True)))}
        heads[ids[5]].id_number = heads[ids[4]].id_number
        # a second head in one household lists it twice
        other = s.scalars(select(Person).where(Person.household_id == ids[6], Person.is_head.is_(False))).first()
        if other is not None:
            other.is_head = True
    elevator = next(m for m in svc.menu(demo_db, 1) if m.name == "加装电梯").id
    with demo_db.write(note="test") as s:
        for hid, vote in ((ids[4], "yes"), (ids[5], "no")):
            order = s.scalar(select(Order).where(Order.round_id == rid, Order.household_id == hid))
            if order is None:
                order = Order(round_id=rid, household_id=hid, received_on=date(2026, 11, 20))
                s.add(order)
                s.flush()
            choice = s.scalar(select(OrderChoice).where(OrderChoice.order_id == order.id,
                                                        OrderChoice.item_id == elevator))
            if choice is None:
                s.add(OrderChoice(order_id=order.id, item_id=elevator, priority=1, vote=vote))
            else:
                choice.vote = vote
    tally, lines = _same(demo_db, rid)
    problems = [line for line in lines if line.result is None]
    assert any("不一致" in line.problem for line in problems)  # the owner who voted two ways
    assert any(line.problem for line in problems if "面积" in line.problem)  # the flat without an area
    chosen = next(t for t in tally.items if t.households and not t.item.mandatory)
    svc.retire_menu_item(demo_db, chosen.item.id)
    _same(demo_db, rid)
    with demo_db.write(note="test") as s:  # the same round limited to two buildings
        s.get(OrderingRound, rid).building_ids = "1,2"
    tally, _lines = _same(demo_db, rid)
    assert set(tally.participation_by_building) <= {"1号楼", "2号楼"}


def test_area_text_that_cannot_be_scaled_is_still_added_exactly(demo_db, demo_round):
    with demo_db.write(note="test") as s:
        hid = s.scalar(select(Order.household_id).where(Order.round_id == demo_round).limit(1))
        s.execute(update(Household).where(Household.id == hid).values(area=Decimal("1.2E+2")))
        hid2 = s.scalar(select(Household.id).where(Household.id != hid).limit(1))
        s.execute(update(Household).where(Household.id == hid2).values(area=Decimal("70.1234567891")))
    with demo_db.read() as s:
        assert svc._area_scale(s, s.get(OrderingRound, demo_round)) is None
    _same(demo_db, demo_round)
