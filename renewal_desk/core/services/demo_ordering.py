"""A demo ordering round: about 70% of households answer; in one unit 加装电梯 just misses a threshold.

Orders are bulk-inserted in one transaction (generated data, one audit entry), like the demo
households; the round stays open (征集中) so a new user can try keying forms.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from ..audit import record_event
from ..db import Database
from ..models import (Building, Channel, FilledBy, Household, MenuItem, Order, OrderChoice, RoundState, Tier, Unit,
                      new_uuid, utcnow)
from ..rules import consent
from . import ordering

TIER_LIKELIHOOD = {Tier.BASIC: 0.55, Tier.IMPROVE: 0.35, Tier.BETTER: 0.2}
POPULAR = {"加装电梯": 0.75, "停车场(库)": 0.6, "适老化设施": 0.5, "电动自行车充电设施": 0.55, "绿化整治": 0.45,
           "助餐(社区食堂)": 0.45, "养老服务": 0.4, "照明改造": 0.4}

# who filled in an order and how it came in, in the proportions the demo draws them
FILLERS = (FilledBy.OWNER.value, FilledBy.OWNER.value, FilledBy.FAMILY.value, FilledBy.PROXY.value)
CHANNELS = (Channel.PAPER.value, Channel.PAPER.value, Channel.DOOR.value, Channel.MEETING.value, Channel.PHONE.value)


def generate_ordering_demo(db: Database, project_id: int, seed: int = 1, today: date | None = None) -> int:
    """Create the round and its orders; returns the round id."""
    rng = random.Random(seed * 104729)
    today = today or date.today()
    round_id = ordering.create_round(db, project_id, f"{today.year}年老旧小区改造内容居民点单",
                                     today - timedelta(days=20), today + timedelta(days=10))
    ordering.set_round_state(db, round_id, RoundState.OPEN.value)
    with db.read() as s:
        items = {m.name: m for m in s.scalars(select(MenuItem).where(MenuItem.project_id == project_id))}
        rows = s.execute(select(Household.id, Household.area, Unit.id, Building.name)
                         .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                         .where(Household.id.in_(ordering._scope_query(s.get(ordering.OrderingRound, round_id))))
                         .order_by(Household.sort_key)).all()
    elevator = items["加装电梯"]
    by_unit: dict[int, list] = {}
    for row in rows:
        by_unit.setdefault(row[2], []).append(row)
    near_miss_unit = next((u for u, members in by_unit.items() if len(members) >= 12), None)
    now = utcnow()
    orders, choices = [], []
    order_id = (db_max_order_id(db) or 0)
    for unit_id, members in by_unit.items():
        if unit_id == near_miss_unit:
            votes = _near_miss_votes(members)
        else:
            votes = {}
        for hid, _area, _unit, _building in members:
            if unit_id == near_miss_unit:
                answered = hid in votes or rng.random() < 0.3
            else:
                answered = rng.random() < 0.7
            if not answered:
                continue
            order_id += 1
            orders.append({"id": order_id, "uuid": new_uuid(), "round_id": round_id, "household_id": hid,
                           "filled_by": rng.choice(FILLERS),
                           "channel": rng.choice(CHANNELS),
                           "received_on": today - timedelta(days=rng.randint(0, 19)), "remarks": "",
                           "created_at": now, "updated_at": now})
            for item in items.values():
                if item.retired:
                    continue
                if item.id == elevator.id:
                    if unit_id == near_miss_unit:
                        vote = votes.get(hid)
                    else:
                        vote = rng.choices(("yes", "no", "abstain", None), weights=(62, 14, 6, 18))[0]
                    if vote:
                        choices.append({"order_id": order_id, "item_id": item.id, "priority": 1, "vote": vote})
                    continue
                if rng.random() < POPULAR.get(item.name, TIER_LIKELIHOOD.get(item.tier, 0.3)):
                    choices.append({"order_id": order_id, "item_id": item.id,
                                    "priority": rng.choices((1, 2, 3), weights=(3, 4, 3))[0],
                                    "vote": "yes" if not item.consent_scope else
                                    rng.choices(("yes", "no", "abstain"), weights=(75, 18, 7))[0]})
    with db.write(note="demo") as s:
        conn = s.connection()
        for start in range(0, len(orders), 20_000):
            conn.execute(insert(Order.__table__), orders[start:start + 20_000])
        for start in range(0, len(choices), 20_000):
            conn.execute(insert(OrderChoice.__table__), choices[start:start + 20_000])
        record_event(s, "demo", "ordering_round", round_id,
                     note=f"生成演示点单：{len(orders)} 户反馈，{len(choices)} 项选择")
    return round_id


def db_max_order_id(db: Database) -> int | None:
    with db.read() as s:
        return s.scalar(select(func.max(Order.id)))


def _near_miss_votes(members: list) -> dict[int, str]:
    """8 of 12 owners vote (exactly 2/3: quorum met when their area is also ≥ 2/3); 6 yes = 3/4 by
    headcount, but the two largest flats vote no, so the area share stays under 3/4 — it just misses."""
    by_area = sorted(members, key=lambda m: m[1] or 0, reverse=True)
    voters = by_area[:8]  # the largest flats take part, so participation by area is above 2/3
    votes = {m[0]: "yes" for m in voters[2:]}
    votes.update({m[0]: "no" for m in voters[:2]})
    units = [consent.Unit(m[0], f"h{m[0]}", m[1]) for m in members]
    result = consent.evaluate(units, [consent.Ballot(h, v) for h, v in votes.items()],
                              consent.default_rule(consent.Matter.SPECIAL))
    if result.passed:  # equal areas would pass on area too: one yes becomes no (misses by headcount)
        votes[voters[2][0]] = "no"
    return votes


__all__ = ["generate_ordering_demo"]
