"""Demand ordering (居民点单): the menu, rounds and their states, households' orders, tallies, consent.

Each project gets its own copy of the default menu (resources/data/ordering_menu.json), editable
there; retiring an item hides it from new forms but keeps every order that chose it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ..audit import record_event
from ..db import Database
from ..models import (Block, Building, Household, MenuItem, Order, OrderChoice, OrderingRound, Person, Project,
                      RoundState, Tier, Unit)
from ..paths import resource
from ..problems import InputError, Problem, declare
from ..rules import consent
from ..rules.idcard import id_variants
from ..rules.sorting import natural_key
from ..rules.text import normalize_text
from . import events

E_NOT_FOUND = declare("ordering.not_found", "找不到该{kind}（编号 {id}）", "{kind} {id} was not found")
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
    return json.loads(resource("data", "ordering_menu.json").read_text(encoding="utf-8"))["items"]


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
    events.announce("ordering", [new_id])
    return new_id


def retire_menu_item(db: Database, item_id: int, retired: bool = True) -> None:
    with db.write() as s:
        _get(s, MenuItem, item_id, "菜单项").retired = retired
    events.announce("ordering", [item_id])


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
    events.announce("ordering", [item_id])


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


def _get(session, model, record_id: int, kind: str):
    obj = session.get(model, record_id)
    if obj is None:
        raise InputError(Problem(E_NOT_FOUND, {"kind": kind, "id": record_id}))
    return obj


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
    events.announce("ordering", [new_id])
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
            raise InputError(Problem(E_TRANSITION, {"from_state": r.state, "to_state": state}))
        reopening = r.state == RoundState.CLOSED.value and state == RoundState.OPEN.value
        if reopening and not normalize_text(reason):
            raise InputError(Problem(E_REASON, field="reason"))
        r.state = state
        if state == RoundState.PUBLISHED.value:
            r.published_on = today
        if reopening:
            record_event(s, "reopen", "ordering_round", r.id, r.uuid, note=f"重新开放点单：{normalize_text(reason)}")
    events.announce("ordering", [round_id])


# ---------------------------------------------------------------------------------------------
# Households in scope, orders
# ---------------------------------------------------------------------------------------------
def _scope_query(r: OrderingRound):
    query = (select(Household.id).join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
             .join(Block, Block.id == Building.block_id).where(Block.project_id == r.project_id,
                                                                 Household.is_vacant.is_(False)))
    ids = [int(x) for x in r.building_ids.split(",") if x]
    if ids:
        query = query.where(Building.id.in_(ids))
    return query


def scope_household_ids(db: Database, round_id: int) -> list[int]:
    with db.read() as s:
        r = _get(s, OrderingRound, round_id, "点单轮次")
        return list(s.scalars(_scope_query(r).order_by(Household.sort_key)))


@dataclass
class OrderInput:
    household_id: int
    choices: dict[int, tuple[int, str]] = field(default_factory=dict)  # item id -> (priority 1-3, vote)
    filled_by: str = "业主本人"
    channel: str = "纸质表"
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
            raise InputError(Problem(E_NOT_OPEN, {"state": r.state}))
        if s.scalar(_scope_query(r).where(Household.id == data.household_id)) is None:
            raise InputError(Problem(E_OUT_OF_SCOPE, field="household"))
        items = {m.id: m for m in s.scalars(select(MenuItem).where(MenuItem.id.in_(list(data.choices))))}
        for item_id in data.choices:
            item = items.get(item_id)
            if item is None or item.project_id != r.project_id or item.retired:
                raise InputError(Problem(E_ITEM, {"name": item.name if item else str(item_id)}))
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
    events.announce("ordering", [round_id])
    return order_id


def order_of(db: Database, round_id: int, household_id: int) -> OrderInput | None:
    with db.read() as s:
        order = s.scalar(select(Order).where(Order.round_id == round_id, Order.household_id == household_id))
        if order is None:
            return None
        return OrderInput(household_id, {c.item_id: (c.priority, c.vote) for c in order.choices}, order.filled_by,
                          order.channel, order.received_on, order.remarks)


@dataclass(frozen=True)
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
        ids = list(s.scalars(_scope_query(r).where(Household.id.not_in(answered)).order_by(Household.sort_key)))
        lines = _household_lines(s, ids)
    return [lines[i] for i in ids]


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
    by_building: dict[str, int]
    by_unit: dict[str, int] = field(default_factory=dict)  # "3号楼 2单元" -> households
    rank_in_tier: int = 0


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


def tallies(db: Database, round_id: int) -> RoundTally:
    """Per item: households choosing it, shares of all / of those who answered / of area, priorities,
    breakdown by building, rank within its tier. One query for choices, one for households."""
    view = round_view(db, round_id)
    items = menu(db, view.project_id, include_retired=True)
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        scope_ids = list(s.scalars(_scope_query(r)))
        lines = _household_lines(s, scope_ids)
        answered = set(s.scalars(select(Order.household_id).where(Order.round_id == round_id)))
        choices = s.execute(select(OrderChoice.item_id, Order.household_id, OrderChoice.priority, OrderChoice.vote)
                            .join(Order, Order.id == OrderChoice.order_id).where(Order.round_id == round_id)).all()
    answered &= set(lines)
    area_of = {hid: line.area or Decimal(0) for hid, line in lines.items()}
    eligible_area = sum(area_of.values(), Decimal(0))
    per_item: dict[int, list] = defaultdict(list)
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
        by_building: dict[str, int] = defaultdict(int)
        by_unit: dict[str, int] = defaultdict(int)
        for hid in households:
            by_building[lines[hid].building] += 1
            by_unit[f"{lines[hid].building} {lines[hid].unit}".strip()] += 1
        result.append(ItemTally(item, len(households), share(len(households), len(lines)),
                                share(len(households), len(answered)), area, share(area, eligible_area),
                                priorities, dict(by_building),
                                dict(sorted(by_unit.items(), key=lambda kv: natural_key(kv[0])))))
    for tier in {t.item.tier for t in result}:
        ranked = sorted((t for t in result if t.item.tier == tier), key=lambda t: (-t.households, t.item.position))
        for rank, t in enumerate(ranked, start=1):
            t.rank_in_tier = rank
    by_building: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for hid, line in lines.items():
        by_building[line.building][1] += 1
        by_building[line.building][0] += hid in answered
    return RoundTally(view, len(lines), len(answered), eligible_area,
                      sum((area_of[h] for h in answered), Decimal(0)), result,
                      {b: (v[0], v[1]) for b, v in sorted(by_building.items(), key=lambda kv: natural_key(kv[0]))})


@dataclass
class ConsentLine:
    item: MenuItemView
    scope_label: str  # "3号楼 2单元" / "3号楼" / project name
    result: consent.ConsentResult | None
    problem: str = ""  # why no result (e.g. one owner's units voted differently)


def _owner_key(person_id: int | None, id_number: str | None, household_id: int) -> str:
    if id_number:
        return "id:" + max(id_variants(id_number), key=len)  # a legacy 15-digit number and its 18-digit form agree
    return f"person:{person_id}" if person_id else f"household:{household_id}"


CONSENT_SETTING = "consent.rules"


def consent_rules(db: Database) -> dict[str, consent.Rule]:
    """The consent rules in force: the law's defaults, or this city's stricter settings."""
    with db.read() as s:
        return rules_in_force(s)


def rules_in_force(session) -> dict[str, consent.Rule]:
    """consent_rules inside an open session (meeting votes count in the same transaction)."""
    from ..models import Setting

    row = session.get(Setting, CONSENT_SETTING)
    stored = json.loads(row.value) if row else {}
    rules = {}
    for matter in consent.Matter:
        spec = stored.get(matter.value)
        rules[matter.value] = (consent.Rule(matter, spec.get("quorum"), spec.get("approval"), spec.get("strict"))
                               if spec else consent.default_rule(matter))
    return rules


def set_consent_rule(db: Database, matter: str, quorum: str | None, approval: str | None,
                     strict: bool | None = None) -> consent.Rule:
    """Store a city's rule for a matter; a rule weaker than 民法典第278条 is refused by consent.Rule."""
    from ..models import Setting

    rule = consent.Rule(consent.Matter(matter), quorum or None, approval or None, strict)  # validates
    with db.write(note="本地表决规则") as s:
        row = s.get(Setting, CONSENT_SETTING)
        stored = json.loads(row.value) if row else {}
        stored[matter] = {"quorum": quorum or None, "approval": approval or None, "strict": strict}
        if row is None:
            s.add(Setting(key=CONSENT_SETTING, value=json.dumps(stored, ensure_ascii=False)))
        else:
            row.value = json.dumps(stored, ensure_ascii=False)
        record_event(s, "update", "setting", None, note=f"表决规则（{matter}）：{rule.name_zh}")
    events.announce("ordering", [])
    return rule


def consent_results(db: Database, round_id: int, rules_by_matter: dict[str, consent.Rule] | None = None) -> list[ConsentLine]:
    """For each item that needs owners' consent, the Art. 278 evaluation in each of its scopes
    (each unit, each building, or the whole project) among the households in the round's scope."""
    view = round_view(db, round_id)
    items = [i for i in menu(db, view.project_id) if i.consent_scope]
    if not items:
        return []
    rules_by_matter = rules_by_matter or consent_rules(db)
    with db.read() as s:
        r = s.get(OrderingRound, round_id)
        head = aliased(Person)
        rows = s.execute(select(Household.id, Household.area, Unit.id, Unit.name, Building.id, Building.name, head.id,
                                head.id_number)
                         .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                         .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                         .where(Household.id.in_(_scope_query(r)))).all()
        votes = s.execute(select(OrderChoice.item_id, Order.household_id, OrderChoice.vote)
                          .join(Order, Order.id == OrderChoice.order_id).where(Order.round_id == round_id)).all()
    by_item: dict[int, dict[int, str]] = defaultdict(dict)
    for item_id, household_id, vote in votes:
        by_item[item_id][household_id] = vote
    lines = []
    for item in items:
        rule = (rules_by_matter or {}).get(item.matter) or consent.default_rule(consent.Matter(item.matter or "special"))
        groups: dict[tuple, list] = defaultdict(list)
        for hid, area, unit_id, unit_name, building_id, building_name, person_id, id_number in rows:
            if item.consent_scope == "unit":
                key = (building_name, unit_name, building_id, unit_id)
            elif item.consent_scope == "building":
                key = (building_name, "", building_id, 0)
            else:
                key = (view.project, "", 0, 0)
            groups[key].append(consent.Unit(hid, _owner_key(person_id, id_number, hid), area or Decimal(0)))
        for key in sorted(groups, key=lambda k: (natural_key(k[0]), natural_key(k[1]))):
            units = groups[key]
            ballots = [consent.Ballot(u.unit_id, by_item[item.id][u.unit_id]) for u in units
                       if u.unit_id in by_item[item.id]]
            label = " ".join(x for x in key[:2] if x)
            try:
                lines.append(ConsentLine(item, label, consent.evaluate(units, ballots, rule)))
            except InputError as exc:  # e.g. one owner's units voted differently: shown, never dropped
                lines.append(ConsentLine(item, label, None, exc.describe()))
    return lines


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
