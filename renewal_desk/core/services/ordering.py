"""Demand ordering (居民点单): the menu, rounds and their states, households' orders, tallies, consent.

Each project gets its own copy of the default menu (resources/data/ordering_menu.json), editable
there; retiring an item hides it from new forms but keeps every order that chose it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import MAX_PREC, Decimal, localcontext
from fractions import Fraction
from typing import Iterator

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from ..audit import record_event
from ..db import Database
from .. import settings
from ..models import (ROUND_STATE_LABELS, TIER_LABELS, Block, Building, Channel, FilledBy, Household, MenuItem, Order,
                      OrderChoice, OrderingRound, Person, Project, RoundState, Tier, Unit)
from ..paths import resource
from ..problems import InputError, Problem, declare
from ..rules import consent
from ..rules.sorting import natural_key
from ..rules.text import code_label, normalize_text
from . import events, ordering_figures
from .events import Topic
from ._common import E_NOT_FOUND, get_or_refuse as _get  # noqa: F401 - E_NOT_FOUND: callers'
from .ordering_figures import (BY_FIRST_TWO, _DECIMALS, _area, _area_scale, _count_if, _scaled, _scope_query,
                               _scope_units, _with_answers, _yes_choices)

E_NAME = declare("ordering.name", "名称不能为空", "The name must not be empty")
E_NAME_TAKEN = declare("ordering.name_taken", "菜单中已有“{name}”", "The menu already has '{name}'")
E_TIER = declare("ordering.tier", "类别须为 基础类 / 完善类 / 提升类", "The tier must be 基础类 / 完善类 / 提升类")
E_SCOPE = declare("ordering.scope", "表决范围须为 空 / 单元 / 楼栋 / 项目", "The consent scope must be empty / unit / building / project")
E_DATES = declare("ordering.dates", "截止日期早于开始日期", "The closing date is before the opening date")
E_TRANSITION = declare("ordering.transition", "点单轮次不能从“{from_state}”改为“{to_state}”",
                       "An ordering round cannot go from '{from_state}' to '{to_state}'")
E_NOT_OPEN = declare("ordering.not_open", "该轮点单{state}，不能录入或修改；如需补录请先重新开放（会记入审计日志）",
                     "This round is {state}; reopen it first to enter or change orders (audited)")
E_REASON = declare("ordering.reason", "重新开放须填写原因", "Reopening needs a reason")
E_OUT_OF_SCOPE = declare("ordering.out_of_scope", "该住户不在本轮点单范围内", "This household is not in this round's scope")
E_PRIORITY = declare("ordering.priority", "优先级须为 1–3", "The priority must be 1–3")
E_VOTE = declare("ordering.vote", "表决意见须为 同意 / 不同意 / 弃权", "The vote must be yes / no / abstain")
E_ITEM = declare("ordering.item", "菜单项“{name}”不属于本项目或已停用", "The item '{name}' is not on this project's menu or is retired")



TRANSITIONS = {
    (RoundState.DRAFT, RoundState.OPEN), (RoundState.OPEN, RoundState.CLOSED),
    (RoundState.CLOSED, RoundState.PUBLISHED), (RoundState.CLOSED, RoundState.OPEN),  # reopen: audited, reason
}
SCOPES = ("", "unit", "building", "project")
SCOPE_LABELS = {"": ("无需表决", "no vote"), "unit": ("按单元", "per unit"), "building": ("按楼栋", "per building"),
                "project": ("全体业主", "all owners")}


# ---------------------------------------------------------------------------------------------
# Menu
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MenuItemView:
    id: int
    name: str
    tier: str
    mandatory: bool
    description: str
    consent_scope: str
    matter: str
    position: int
    retired: bool


def default_menu() -> list[dict]:
    """The default menu; the data file names the tiers by their Chinese labels (as the policy does), read as codes."""
    codes = {zh: tier.value for tier, (zh, _en) in TIER_LABELS.items()}
    items = json.loads(resource("data", "ordering_menu.json").read_text(encoding="utf-8"))["items"]
    return [{**item, "tier": codes.get(item["tier"], item["tier"])} for item in items]


def ensure_menu(db: Database, project_id: int) -> int:
    """Copy the default menu into a project that has none; returns the number of items it has."""
    with db.write(note="复制默认点单菜单") as s:
        _get(s, Project, project_id, "项目")
        count = s.scalar(select(func.count()).select_from(MenuItem).where(MenuItem.project_id == project_id))
        if count:
            return count
        items = default_menu()
        for position, item in enumerate(items):
            s.add(MenuItem(project_id=project_id, position=position, **item))
        return len(items)


def menu(db: Database, project_id: int, include_retired: bool = False) -> list[MenuItemView]:
    tier_order = {t.value: i for i, t in enumerate(Tier)}
    with db.read() as s:
        query = select(MenuItem).where(MenuItem.project_id == project_id)
        if not include_retired:
            query = query.where(MenuItem.retired.is_(False))
        items = [MenuItemView(m.id, m.name, m.tier, m.mandatory, m.description, m.consent_scope, m.matter, m.position,
                              m.retired) for m in s.scalars(query)]
    return sorted(items, key=lambda m: (tier_order.get(m.tier, 9), m.position, m.id))


def add_menu_item(db: Database, project_id: int, name: str, tier: str, *, mandatory: bool = False,
                  description: str = "", consent_scope: str = "", matter: str = "") -> int:
    name = normalize_text(name)
    problems = []
    if not name:
        problems.append(Problem(E_NAME, field="name"))
    if tier not in {t.value for t in Tier}:
        problems.append(Problem(E_TIER, field="tier", value=tier))
    if consent_scope not in SCOPES:
        problems.append(Problem(E_SCOPE, field="consent_scope", value=consent_scope))
    if problems:
        raise InputError(problems)
    with db.write() as s:
        if s.scalar(select(MenuItem.id).where(MenuItem.project_id == project_id, MenuItem.name == name)):
            raise InputError(Problem(E_NAME_TAKEN, {"name": name}, field="name"))
        position = (s.scalar(select(func.max(MenuItem.position)).where(MenuItem.project_id == project_id)) or 0) + 1
        item = MenuItem(project_id=project_id, name=name, tier=tier, mandatory=mandatory, description=description,
                        consent_scope=consent_scope, matter=matter or ("special" if consent_scope else ""),
                        position=position)
        s.add(item)
        s.flush()
        new_id = item.id
    events.announce(Topic.ORDERING, [new_id])
    return new_id


def retire_menu_item(db: Database, item_id: int, retired: bool = True) -> None:
    with db.write() as s:
        _get(s, MenuItem, item_id, "菜单项").retired = retired
    events.announce(Topic.ORDERING, [item_id])


def move_menu_item(db: Database, item_id: int, delta: int) -> None:
    """Move an item up (-1) or down (+1) within its tier."""
    with db.write() as s:
        item = _get(s, MenuItem, item_id, "菜单项")
        siblings = list(s.scalars(select(MenuItem).where(MenuItem.project_id == item.project_id,
                                                         MenuItem.tier == item.tier)
                                  .order_by(MenuItem.position, MenuItem.id)))
        index = siblings.index(item)
        target = max(0, min(len(siblings) - 1, index + delta))
        siblings.insert(target, siblings.pop(index))
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
    events.announce(Topic.ORDERING, [item_id])


# ---------------------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundView:
    id: int
    project_id: int
    project: str
    title: str
    opens_on: date | None
    closes_on: date | None
    notice_days: int
    published_on: date | None
    state: str
    building_ids: tuple[int, ...]


def _round_view(r: OrderingRound, project: str) -> RoundView:
    ids = tuple(int(x) for x in r.building_ids.split(",") if x)
    return RoundView(r.id, r.project_id, project, r.title, r.opens_on, r.closes_on, r.notice_days, r.published_on,
                     r.state, ids)


def create_round(db: Database, project_id: int, title: str, opens_on: date | None = None,
                 closes_on: date | None = None, building_ids: list[int] | None = None, notice_days: int = 7) -> int:
    title = normalize_text(title)
    if not title:
        raise InputError(Problem(E_NAME, field="name"))
    if opens_on and closes_on and closes_on < opens_on:
        raise InputError(Problem(E_DATES, field="date"))
    ensure_menu(db, project_id)
    with db.write() as s:
        row = OrderingRound(project_id=project_id, title=title, opens_on=opens_on, closes_on=closes_on,
                            notice_days=notice_days, building_ids=",".join(map(str, building_ids or [])))
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.ORDERING, [new_id])
    return new_id


def rounds(db: Database, project_id: int | None = None) -> list[RoundView]:
    with db.read() as s:
        query = select(OrderingRound, Project.name).join(Project).order_by(OrderingRound.id.desc())
        if project_id is not None:
            query = query.where(OrderingRound.project_id == project_id)
        return [_round_view(r, name) for r, name in s.execute(query)]


def round_view(db: Database, round_id: int) -> RoundView:
    with db.read() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        return _round_view(r, r.project_id and s.get(Project, r.project_id).name)


def set_round_state(db: Database, round_id: int, state: str, reason: str = "", today: date | None = None) -> None:
    """草稿 → 征集中 → 已截止 → 已公示; 已截止 → 征集中 reopens (a reason is required and audited)."""
    today = today or date.today()
    with db.write() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        if (RoundState(r.state), RoundState(state)) not in TRANSITIONS:
            raise InputError(Problem(E_TRANSITION, {"from_state": code_label(ROUND_STATE_LABELS, r.state),
                                                    "to_state": code_label(ROUND_STATE_LABELS, state)}))
        reopening = r.state == RoundState.CLOSED.value and state == RoundState.OPEN.value
        if reopening and not normalize_text(reason):
            raise InputError(Problem(E_REASON, field="reason"))
        r.state = state
        if state == RoundState.PUBLISHED.value:
            r.published_on = today
        if reopening:
            record_event(s, "reopen", "ordering_round", r.id, r.uuid, note=f"重新开放点单：{normalize_text(reason)}")
    events.announce(Topic.ORDERING, [round_id])


# ---------------------------------------------------------------------------------------------
# Households in scope, orders
# ---------------------------------------------------------------------------------------------
def scope_household_ids(db: Database, round_id: int) -> list[int]:
    with db.read() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        return list(s.scalars(_scope_query(r).order_by(Household.sort_key)))


def scope_household_count(db: Database, round_id: int) -> int:
    """How many households the round asks (len(scope_household_ids), counted by the database)."""
    with db.read() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        return s.scalar(select(func.count()).select_from(_scope_query(r).subquery())) or 0


@dataclass
class OrderInput:
    household_id: int
    choices: dict[int, tuple[int, str]] = field(default_factory=dict)  # item id -> (priority 1-3, vote)
    filled_by: str = FilledBy.OWNER.value
    channel: str = Channel.PAPER.value
    received_on: date | None = None
    remarks: str = ""


def record_order(db: Database, round_id: int, data: OrderInput) -> int:
    """Save a household's order; entering the same household again replaces its earlier answer."""
    problems = []
    for item_id, (priority, vote) in data.choices.items():
        if priority not in (1, 2, 3):
            problems.append(Problem(E_PRIORITY, field="priority", value=str(priority)))
        if vote not in ("yes", "no", "abstain"):
            problems.append(Problem(E_VOTE, field="vote", value=str(vote)))
    if problems:
        raise InputError(problems)
    with db.write() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        if r.state != RoundState.OPEN.value:
            raise InputError(Problem(E_NOT_OPEN, {"state": code_label(ROUND_STATE_LABELS, r.state)}))
        if s.scalar(_scope_query(r).where(Household.id == data.household_id)) is None:
            raise InputError(Problem(E_OUT_OF_SCOPE, field="household"))
        items = {m.id: m for m in s.scalars(select(MenuItem).where(MenuItem.id.in_(list(data.choices))))}
        for item_id in data.choices:
            item = items.get(item_id)
            if item is None or item.project_id != r.project_id or item.retired:
                raise InputError(Problem(E_ITEM, {"name": item.name if item else str(item_id)}))
        kept = ordering_figures.Change(s, r, data.household_id)  # the round's tallies follow this order
        order = s.scalar(select(Order).where(Order.round_id == round_id, Order.household_id == data.household_id))
        if order is None:
            order = Order(round_id=round_id, household_id=data.household_id)
            s.add(order)
        order.filled_by, order.channel = data.filled_by, data.channel
        order.received_on, order.remarks = data.received_on or date.today(), (data.remarks or "").strip()
        have = {c.item_id: c for c in order.choices}
        for item_id, choice in have.items():
            if item_id not in data.choices:
                order.choices.remove(choice)
                s.delete(choice)
        for item_id, (priority, vote) in data.choices.items():
            choice = have.get(item_id)
            if choice is None:
                order.choices.append(OrderChoice(item_id=item_id, priority=priority, vote=vote))
            else:
                choice.priority, choice.vote = priority, vote
        s.flush()
        order_id = order.id
        kept.done()
    events.announce(Topic.ORDERING, [round_id])
    return order_id


def order_of(db: Database, round_id: int, household_id: int) -> OrderInput | None:
    with db.read() as s:
        order = s.scalar(select(Order).where(Order.round_id == round_id, Order.household_id == household_id))
        if order is None:
            return None
        return OrderInput(household_id, {c.item_id: (c.priority, c.vote) for c in order.choices}, order.filled_by,
                          order.channel, order.received_on, order.remarks)


@dataclass(frozen=True, slots=True)  # lists hold thousands: no __dict__ each
class HouseholdLine:
    household_id: int
    building: str
    unit: str
    room: str
    head_name: str
    phone: str | None
    area: Decimal | None


def _household_lines(s, ids: list[int]) -> dict[int, HouseholdLine]:
    head = aliased(Person)
    found = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        rows = s.execute(select(Household.id, Building.name, Unit.name, Household.room, head.name, head.phone,
                                Household.area)
                         .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                         .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                         .where(Household.id.in_(chunk)))
        for row in rows:
            found[row[0]] = HouseholdLine(row[0], row[1], row[2], row[3], row[4] or "", row[5], row[6])
    return found


def non_respondents(db: Database, round_id: int) -> list[HouseholdLine]:
    """Households in scope that have not answered, in address order, for follow-up visits."""
    with db.read() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        answered = select(Order.household_id).where(Order.round_id == round_id)
        head = aliased(Person)
        rows = s.execute(_scope_query(r).add_columns(Building.name, Unit.name, Household.room, head.name, head.phone,
                                                     Household.area)
                         .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                         .where(Household.id.not_in(answered)).order_by(Household.sort_key))
        return [HouseholdLine(row[0], row[1], row[2], row[3], row[4] or "", row[5], row[6]) for row in rows]


# ---------------------------------------------------------------------------------------------
# Tallies and consent
# ---------------------------------------------------------------------------------------------
@dataclass
class ItemTally:
    item: MenuItemView
    households: int  # chose it (for consent items: voted yes)
    share_all: Fraction
    share_answered: Fraction
    area: Decimal
    share_area: Fraction
    priorities: dict[int, int]
    rank_in_tier: int = 0


@dataclass
class ItemBreakdown:
    """Where one item was chosen (item_breakdown): households per building and per unit."""
    by_building: dict[str, int]
    by_unit: dict[str, int]  # "3号楼 2单元" -> households, in natural order


@dataclass
class RoundTally:
    round: RoundView
    eligible: int
    answered: int
    eligible_area: Decimal
    answered_area: Decimal
    items: list[ItemTally]
    participation_by_building: dict[str, tuple[int, int]]  # building -> (answered, eligible)

    @property
    def participation(self) -> Fraction:
        return Fraction(self.answered, self.eligible) if self.eligible else Fraction(0)


def share(part, whole) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


def _scaled_area(total: int, places: int) -> Decimal:
    """A sum of areas scaled by 10**places, back as the Decimal that adding the texts one by one gives
    (its exponent is that of the addend with most decimal places)."""
    return Decimal(total).scaleb(-places)


def tallies(db: Database, round_id: int) -> RoundTally:
    """Per item: households choosing it, shares of all / of those who answered / of area, priorities,
    rank within its tier. From the round's counters kept up to date by the order writes
    (ordering_figures); when another change made them stale they are counted again (and stored when the
    role may write). Rounds with areas that are not plain decimal text are counted each time (count_tallies).
    Where an item was chosen: item_breakdown."""
    figures = ordering_figures
    view = round_view(db, round_id)
    items = menu(db, view.project_id, include_retired=True)
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        counters = figures.stored(s, round_id)
        fresh = counters is None
        if fresh:
            audit_id = figures._last_audit(s)  # before counting: a write meanwhile leaves them stale, not wrong
            counters = figures.count(s, r)
        unit_names = {uid: b for uid, b in s.execute(
            select(Unit.id, Building.name).join(Building, Building.id == Unit.building_id)
            .where(Unit.id.in_([int(u) for u in counters["units"]] if counters else [])))}
    if counters is None:
        return count_tallies(db, round_id)
    if fresh and db.allows("write"):
        try:
            with db.write(note="ordering tallies") as s:
                figures.store(s, round_id, counters, audit_id)
        except Exception:  # noqa: BLE001 - keeping the counters is an optimisation; the figures are right anyway
            pass
    by_building: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    eligible = answered_count = 0
    for unit_id, (n, n_answered) in counters["units"].items():
        eligible += n
        answered_count += n_answered
        building = by_building[unit_names[int(unit_id)]]
        building[1] += n
        building[0] += n_answered
    eligible_area, answered_area = figures.area_of(counters["eligible"]), figures.area_of(counters["answered"])
    result = []
    for item in items:
        acc = counters["items"].get(str(item.id))
        if item.retired and not acc:
            continue
        households, p1, p2, p3 = acc["n"] if acc else (0, 0, 0, 0)
        area = figures.area_of(acc["area"]) if acc else Decimal(0)
        result.append(ItemTally(item, households, share(households, eligible), share(households, answered_count),
                                area, share(area, eligible_area), {1: p1, 2: p2, 3: p3}))
    _rank(result)
    return RoundTally(view, eligible, answered_count, eligible_area, answered_area, result,
                      {b: (v[0], v[1]) for b, v in sorted(by_building.items(), key=lambda kv: natural_key(kv[0]))})


def _rank(result: list[ItemTally]) -> None:
    for tier in {t.item.tier for t in result}:
        ranked = sorted((t for t in result if t.item.tier == tier), key=lambda t: (-t.households, t.item.position))
        for rank, t in enumerate(ranked, start=1):
            t.rank_in_tier = rank


def count_tallies(db: Database, round_id: int) -> RoundTally:
    """tallies() counted from the orders each time, by SQLite (GROUP BY item); areas are added exactly as
    scaled integers (or per distinct area text when they cannot be). The reference for the kept counters."""
    view = round_view(db, round_id)
    items = menu(db, view.project_id, include_retired=True)
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        scale = _area_scale(s, r)
        unit_names = {uid: (b, u) for uid, b, u in s.execute(
            select(Unit.id, Building.name, Unit.name).join(Building, Building.id == Unit.building_id)
            .where(Unit.id.in_(_scope_units(r))))}
        scaled = _scaled(scale)
        answered = Order.id.is_not(None)
        # households in scope, per unit: eligible, answered, areas
        per_unit = s.execute(_with_answers(select(
            Household.unit_id, func.count(), func.count(Order.id), func.sum(scaled),
            func.sum(case((answered, scaled), else_=None)), func.max(_DECIMALS),
            func.max(case((answered, _DECIMALS), else_=None))), r).group_by(Household.unit_id)).all()
        # item -> [households, p1, p2, p3, scaled area, places]
        per_item: dict[int, list] = {row[0]: list(row[1:]) for row in s.execute(_yes_choices(select(
            OrderChoice.item_id, func.count(), _count_if(OrderChoice.priority == 1),
            _count_if(OrderChoice.priority == 2), _count_if(OrderChoice.priority == 3),
            func.coalesce(func.sum(scaled), 0), func.max(_DECIMALS)), r).group_by(OrderChoice.item_id))}
        exact_areas = None
        if scale is None:  # areas that are not plain decimal text: add each distinct text exactly
            exact_areas = {"eligible": Decimal(0), "answered": Decimal(0), "items": defaultdict(lambda: Decimal(0))}
            for area, answered_, count in s.execute(_with_answers(select(_area, answered, func.count()), r)
                                                    .group_by(*BY_FIRST_TWO)):
                value = (Decimal(area) if area is not None else Decimal(0)) * count
                exact_areas["eligible"] += value
                if answered_:
                    exact_areas["answered"] += value
            for item_id, area, count in s.execute(_yes_choices(select(OrderChoice.item_id, _area, func.count()), r)
                                                  .group_by(OrderChoice.item_id, _area)):
                exact_areas["items"][item_id] += (Decimal(area) if area is not None else Decimal(0)) * count
    eligible = answered_count = eligible_scaled = answered_scaled = 0
    eligible_places = answered_places = None
    by_building: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, n, n_answered, area_all, area_answered, places_all, places_answered in per_unit:
        eligible += n
        answered_count += n_answered
        eligible_scaled += int(area_all or 0)
        answered_scaled += int(area_answered or 0)
        if places_all is not None:
            eligible_places = max(eligible_places or 0, places_all)
        if places_answered is not None:
            answered_places = max(answered_places or 0, places_answered)
        building = unit_names[unit_id][0]
        by_building[building][1] += n
        by_building[building][0] += n_answered

    def exact(total: int, places: int | None) -> Decimal:
        if places is None or scale is None:
            return Decimal(0)
        return _scaled_area(int(total) // 10 ** (scale - places), places)

    if exact_areas is None:
        eligible_area, answered_area = exact(eligible_scaled, eligible_places), exact(answered_scaled, answered_places)
    else:
        eligible_area, answered_area = exact_areas["eligible"], exact_areas["answered"]
    result = []
    for item in items:
        acc = per_item.get(item.id)
        if item.retired and not acc:
            continue
        if acc is None:
            result.append(ItemTally(item, 0, share(0, eligible), share(0, answered_count), Decimal(0),
                                    share(Decimal(0), eligible_area), {1: 0, 2: 0, 3: 0}))
            continue
        households = acc[0]
        area = exact_areas["items"][item.id] if exact_areas is not None else exact(acc[4], acc[5])
        result.append(ItemTally(item, households, share(households, eligible), share(households, answered_count),
                                area, share(area, eligible_area), {1: acc[1], 2: acc[2], 3: acc[3]}))
    _rank(result)
    return RoundTally(view, eligible, answered_count, eligible_area, answered_area, result,
                      {b: (v[0], v[1]) for b, v in sorted(by_building.items(), key=lambda kv: natural_key(kv[0]))})


def item_breakdown(db: Database, round_id: int, item_id: int) -> ItemBreakdown:
    """Households of the round's scope that chose `item_id`, per building and per unit ("3号楼 2单元", in
    natural order): one item's choices, read when the item is looked at, not with every tally."""
    with db.read() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        rows = s.execute(
            select(Building.name, Unit.name, func.count()).select_from(OrderChoice)
            .join(Order, Order.id == OrderChoice.order_id).join(Household, Household.id == Order.household_id)
            .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
            .where(Order.round_id == round_id, OrderChoice.item_id == item_id, OrderChoice.vote == "yes",
                   Household.is_vacant.is_(False), Household.unit_id.in_(_scope_units(r)))
            .group_by(Unit.id, Building.name)).all()  # unit.name follows from unit.id (its key)
    by_building: dict[str, int] = defaultdict(int)
    by_unit: dict[str, int] = defaultdict(int)
    for building, unit, n in rows:
        by_building[building] += n
        by_unit[f"{building} {unit}".strip()] += n
    return ItemBreakdown(dict(by_building), dict(sorted(by_unit.items(), key=lambda kv: natural_key(kv[0]))))


@dataclass
class ConsentLine:
    item: MenuItemView
    scope_label: str  # "3号楼 2单元" / "3号楼" / project name
    result: consent.ConsentResult | None
    problem: str = ""  # why no result (e.g. one owner's units voted differently)


_owner_key = consent.owner_key


CONSENT_SETTING = settings.CONSENT_RULES.key


def consent_rules(db: Database) -> dict[str, consent.Rule]:
    """The consent rules in force: the law's defaults, or this city's stricter settings."""
    with db.read() as s:
        return rules_in_force(s)


def rules_in_force(session) -> dict[str, consent.Rule]:
    """consent_rules inside an open session (meeting votes count in the same transaction)."""
    stored = settings.read(session, CONSENT_SETTING)
    rules = {}
    for matter in consent.Matter:
        spec = stored.get(matter.value)
        rules[matter.value] = (consent.Rule(matter, spec.get("quorum"), spec.get("approval"), spec.get("strict"))
                               if spec else consent.default_rule(matter))
    return rules


def set_consent_rule(db: Database, matter: str, quorum: str | None, approval: str | None,
                     strict: bool | None = None) -> consent.Rule:
    """Store a city's rule for a matter; a rule weaker than 民法典第278条 is refused by consent.Rule."""
    rule = consent.Rule(consent.Matter(matter), quorum or None, approval or None, strict)  # validates
    with db.write(note="本地表决规则") as s:
        stored = dict(settings.read(s, CONSENT_SETTING))
        stored[matter] = {"quorum": quorum or None, "approval": approval or None, "strict": strict}
        settings.write(s, CONSENT_SETTING, stored)
        record_event(s, "update", "setting", None, note=f"表决规则（{matter}）：{rule.name_zh}")
    events.announce(Topic.ORDERING, [])
    return rule


def consent_results(db: Database, round_id: int, rules_by_matter: dict[str, consent.Rule] | None = None) -> list[ConsentLine]:
    """For each item that needs owners' consent, the Art. 278 evaluation in each of its scopes (see
    iter_consent_results)."""
    return list(iter_consent_results(db, round_id, rules_by_matter))


def iter_consent_results(db: Database, round_id: int,
                         rules_by_matter: dict[str, consent.Rule] | None = None) -> Iterator[ConsentLine]:
    """For each item that needs owners' consent, the Art. 278 evaluation in each of its scopes
    (each unit, each building, or the whole project) among the households in the round's scope.

    Households are read once as plain tuples and only the consent items' votes are read. A scope
    whose units and ballots are all regular is counted straight into a consent.Tally and decided by
    consent.decide (what consent.evaluate does after its checks); any scope with something irregular
    (a missing or impossible area, a household listed twice, an owner whose units voted differently,
    an unreadable vote) goes through consent.evaluate itself, so its result or problem is the rule's own."""
    view = round_view(db, round_id)
    items = [i for i in menu(db, view.project_id) if i.consent_scope]
    if not items:
        return
    rules_by_matter = rules_by_matter or consent_rules(db)
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        head = aliased(Person)
        names = {uid: (unit_name, building_name) for uid, unit_name, building_name in s.execute(
            select(Unit.id, Unit.name, Building.name).join(Building, Building.id == Unit.building_id)
            .where(Unit.id.in_(_scope_units(r))))}
        conn = s.connection()
        dialect = conn.dialect

        def _sql(query) -> str:  # for the driver's own cursor, which streams plain tuples
            return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

        cursor = conn.connection.driver_connection.cursor()
        try:
            by_item: dict[int, dict[int, str]] = defaultdict(dict)
            for item_id, household_id, vote in cursor.execute(_sql(
                    select(OrderChoice.item_id, Order.household_id, OrderChoice.vote)
                    .join(Order, Order.id == OrderChoice.order_id)
                    .where(Order.round_id == round_id, OrderChoice.item_id.in_([i.id for i in items])))):
                by_item[item_id][household_id] = vote
            # (household id, area, owner key) per household row, streamed (areas are exact decimal text)
            decimals: dict[str, Decimal] = {}
            units = []
            places = []  # (unit id, building id) of each household row
            for hid, area, unit_id, building_id, person_id, id_number in cursor.execute(_sql(
                    select(Household.id, Household.area, Unit.id, Unit.building_id, head.id, head.id_number)
                    .join(Unit, Unit.id == Household.unit_id)
                    .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                    .where(Household.id.in_(_scope_query(r))))):
                value = decimals.get(area) if area is not None else Decimal(0)
                if value is None:
                    value = decimals[area] = Decimal(area)
                units.append((hid, value or Decimal(0), _owner_key(person_id, id_number, hid)))
                places.append((unit_id, building_id))
        finally:
            cursor.close()
    del decimals
    groupings: dict[str, dict[tuple, list]] = {}
    for scope in {i.consent_scope for i in items}:
        groups: dict[tuple, list] = defaultdict(list)
        for unit, (unit_id, building_id) in zip(units, places):
            unit_name, building_name = names[unit_id]
            if scope == "unit":
                key = (building_name, unit_name, building_id, unit_id)
            elif scope == "building":
                key = (building_name, "", building_id, 0)
            else:
                key = (view.project, "", 0, 0)
            groups[key].append(unit)
        groupings[scope] = {key: groups[key] for key in
                            sorted(groups, key=lambda k: (natural_key(k[0]), natural_key(k[1])))}
    del places
    shared = {scope for scope in groupings if sum(1 for i in items if i.consent_scope == scope) > 1}
    static: dict[tuple, _Group | None] = {}  # per group of a scope several items vote in: owners and areas
    for item in items:
        rule = (rules_by_matter or {}).get(item.matter) or consent.default_rule(consent.Matter(item.matter or "special"))
        item_votes = by_item[item.id]
        for key, group in groupings[item.consent_scope].items():
            label = " ".join(x for x in key[:2] if x)
            if item.consent_scope in shared:
                gkey = (item.consent_scope, key)
                if gkey not in static:
                    static[gkey] = _Group.of(group)
                summary = static[gkey]
            else:
                summary = _Group.of(group)
            tally = summary and summary.tally(item_votes)
            if tally is not None:
                yield ConsentLine(item, label, consent.decide(tally, rule))
                continue
            group_units = [consent.Unit(hid, owner, area) for hid, area, owner in group]
            ballots = [consent.Ballot(hid, item_votes[hid]) for hid, _a, _o in group if hid in item_votes]
            try:
                line = ConsentLine(item, label, consent.evaluate(group_units, ballots, rule))
            except InputError as exc:  # e.g. one owner's units voted differently: shown, never dropped
                line = ConsentLine(item, label, None, exc.describe())
            yield line


_CHOICES = {c.value: c for c in consent.Choice}


def _exact_sum(values) -> Decimal:
    with localcontext(prec=MAX_PREC):  # as consent.evaluate adds areas: exactly
        return sum(values, Decimal(0))


@dataclass
class _Group:
    """One consent scope's units when all are regular (each household once, every area within the
    law's range, an owner key): its owners with their units and area, counted once for all items."""
    owner_of: dict[int, int]  # household id -> owner index
    owner_units: list[int]
    owner_area: list[Decimal]
    eligible_area: Decimal

    @classmethod
    def of(cls, group: list[tuple[int, Decimal, str]]) -> _Group | None:
        index: dict[str, int] = {}
        owner_of: dict[int, int] = {}
        areas: list[list[Decimal]] = []
        for hid, area, owner in group:
            owner = owner.strip()
            if hid in owner_of or not owner or not (area.is_finite() and 0 < area <= consent.MAX_UNIT_AREA):
                return None
            i = index.get(owner)
            if i is None:
                i = index[owner] = len(areas)
                areas.append([])
            areas[i].append(area)
            owner_of[hid] = i
        return cls(owner_of, [len(a) for a in areas], [_exact_sum(a) for a in areas],
                   _exact_sum([x for a in areas for x in a]))

    def tally(self, votes: dict[int, str]) -> consent.Tally | None:
        """The Tally consent.evaluate counts for these units and the ballots among `votes`, or None when
        a ballot is unreadable or one owner's units voted differently (evaluate then explains it)."""
        chosen: dict[int, consent.Choice] = {}
        owner_of = self.owner_of
        for hid, vote in votes.items() if len(votes) < len(owner_of) else ((h, votes.get(h)) for h in owner_of):
            i = owner_of.get(hid)
            if i is None or vote is None:
                continue
            choice = _CHOICES.get(vote) or consent.parse_choice(vote)
            if choice is None or chosen.setdefault(i, choice) is not choice:
                return None
        owners = dict.fromkeys(consent.Choice, 0)
        areas: dict[consent.Choice, list[Decimal]] = {c: [] for c in consent.Choice}
        units = 0
        for i, choice in chosen.items():
            owners[choice] += 1
            areas[choice].append(self.owner_area[i])
            units += self.owner_units[i]
        return consent.Tally(
            eligible_units=len(owner_of), eligible_owners=len(self.owner_units), eligible_area=self.eligible_area,
            participating_units=units, yes_owners=owners[consent.Choice.YES], no_owners=owners[consent.Choice.NO],
            abstain_owners=owners[consent.Choice.ABSTAIN], yes_area=_exact_sum(areas[consent.Choice.YES]),
            no_area=_exact_sum(areas[consent.Choice.NO]), abstain_area=_exact_sum(areas[consent.Choice.ABSTAIN]))


E_NO_ROUND = declare("ordering.no_round", "该楼栋所在项目还没有点单轮次", "The building's project has no ordering round yet")


def latest_round_of_building(db: Database, building_id: int) -> int:
    with db.read() as s:
        round_id = s.scalar(select(OrderingRound.id).join(Block, Block.project_id == OrderingRound.project_id)
                            .join(Building, Building.block_id == Block.id).where(Building.id == building_id)
                            .order_by(OrderingRound.id.desc()).limit(1))
    if round_id is None:
        raise InputError(Problem(E_NO_ROUND))
    return round_id


def project_org(db: Database, project_id: int) -> str:
    """Who signs the notice: the project's district/community field, else a generic name."""
    with db.read() as s:
        project = s.get(Project, project_id)
        district = project.district if project else ""
    return f"{district}居民委员会" if district else "社区居民委员会"


def notice_period(view: RoundView) -> tuple[date | None, date | None]:
    if view.published_on is None:
        return None, None
    return view.published_on, view.published_on + timedelta(days=view.notice_days)
