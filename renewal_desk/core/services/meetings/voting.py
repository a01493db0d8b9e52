"""Motions and votes: the one place a meeting's vote is computed (rules in core.rules.votes / consent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from ...audit import record_event
from ...db import Database
from ...models import (CATEGORY_LABELS, MOTION_STATE_LABELS, Attendee, Block, Building, Household, Meeting, Motion,
                       MotionBallot, MotionScope, MotionState, Person, Project, Unit)
from ...problems import InputError, Problem, declare
from ...rules import consent, gauge as gauges, votes
from ...rules.text import clean_prose
from .. import events
from ..events import Topic
from .signin import attendees
from ._common import (E_CHOICE, E_CORRECTION_REASON, E_MATTER, E_METHOD, E_MOTION_STATE, E_NO_AREA, E_NOT_OWNER,
                      E_WRONG_MEETING, MATTER_NAMES, NON_VOTING_CATEGORIES, STATE_EN, _check_open, _get, _get_open,
                      _next_position, _now, _scope_households, _text, is_voter)


@dataclass
class MotionInput:
    title: str
    text: str = ""
    matter: str = consent.Matter.CONSULTATIVE.value
    method: str = votes.Method.HANDS.value
    item_id: int | None = None
    scope: str = MotionScope.PROJECT.value  # project / buildings / units
    scope_ids: list[int] = field(default_factory=list)  # the buildings' or units' ids


@dataclass(frozen=True)
class MotionView:
    id: int
    meeting_id: int
    item_id: int | None
    title: str
    text: str
    matter: str
    method: str
    state: str
    voted_at: datetime | None
    counts: dict[str, Any]
    corrections: tuple[str, ...]
    ballots: dict[int, str]  # attendee id -> choice
    scope: str = MotionScope.PROJECT.value
    scope_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class MotionResult:
    motion: MotionView
    rule: consent.Rule
    result: consent.ConsentResult | None
    with_area: bool
    problem: str = ""  # why there is no result yet (or why it cannot be computed)
    problem_en: str = ""
    scope_text: str = ""  # "全项目（幸福里改造）" / "1号楼" / "1号楼 1单元、1号楼 2单元"
    gauge: gauges.Gauge | None = None  # what is still needed (issue 20) until the result is declared

    def gauge_text(self, lang: str = "zh") -> str:
        return self.gauge.text(lang) if self.gauge else ""

    def figures(self, lang: str = "zh") -> list[votes.Figure]:
        return votes.figures(self.result, with_area=self.with_area, lang=lang) if self.result else []


def _check_motion(data: MotionInput) -> tuple[str, str]:
    title = _text(data.title, "议题名称", "The motion's title", 200, "title")
    problems = []
    if data.matter not in MATTER_NAMES:
        problems.append(Problem(E_MATTER, field="matter", value=str(data.matter)))
    if data.method not in {m.value for m in votes.Method}:
        problems.append(Problem(E_METHOD, field="method", value=str(data.method)))
    if not problems and data.method == votes.Method.HANDS.value and data.matter != "consultative":
        problems.append(Problem(votes.E_HANDS_STATUTORY, field="method", value=data.method))
    if problems:
        raise InputError(problems)
    return title, (data.text or "").strip()


E_SCOPE = declare("meeting.motion_scope", "表决范围须为 全项目 / 指定楼栋 / 指定单元", "The scope must be project / buildings / units")
E_SCOPE_EMPTY = declare("meeting.motion_scope_empty", "表决范围选择了{what}，但没有选定任何{what}",
                        "The scope is chosen {what_en} but none was chosen")
E_SCOPE_OUTSIDE = declare("meeting.motion_scope_outside", "表决范围中的{what}（编号 {id}）不属于本次会议的项目",
                          "A {what_en} of the scope (id {id}) is not in the meeting's project")


def _clean_scope(s: Session, meeting: Meeting, data: MotionInput) -> tuple[str, str, str]:
    """(scope, building ids, unit ids) as stored; buildings and units must belong to the meeting's project."""
    if data.scope not in {k.value for k in MotionScope}:
        raise InputError(Problem(E_SCOPE, field="scope", value=str(data.scope)))
    if data.scope == MotionScope.PROJECT.value:
        return data.scope, "", ""
    ids = sorted({int(i) for i in data.scope_ids})
    buildings = data.scope == MotionScope.BUILDINGS.value
    what, what_en = ("楼栋", "building") if buildings else ("单元", "unit")
    if not ids:
        raise InputError(Problem(E_SCOPE_EMPTY, {"what": what, "what_en": f"by {what_en}s"}, field="scope_ids"))
    query = (select(Building.id) if buildings else select(Unit.id).join(Building, Building.id == Unit.building_id))
    query = query.join(Block, Block.id == Building.block_id).where(Block.project_id == meeting.project_id)
    query = query.where((Building.id if buildings else Unit.id).in_(ids))
    found = set(s.scalars(query)) if meeting.project_id is not None else set()
    missing = [i for i in ids if i not in found]
    if missing:
        raise InputError(Problem(E_SCOPE_OUTSIDE, {"what": what, "what_en": what_en, "id": missing[0]},
                                 field="scope_ids", value=str(missing[0])))
    text = ",".join(map(str, ids))
    return data.scope, (text if buildings else ""), ("" if buildings else text)


def _ids(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def _motion_households(s: Session, row: Motion):
    """The households whose owners vote on this motion: the meeting's scope, narrowed to the motion's
    buildings or units."""
    query = _scope_households(s, s.get(Meeting, row.meeting_id))
    if row.scope == MotionScope.BUILDINGS.value:
        query = query.where(Building.id.in_(_ids(row.scope_building_ids)))
    elif row.scope == MotionScope.UNITS.value:
        query = query.where(Unit.id.in_(_ids(row.scope_unit_ids)))
    return query


def _scope_text(s: Session, row: Motion) -> str:
    if row.scope == MotionScope.BUILDINGS.value:
        names = s.scalars(select(Building.name).where(Building.id.in_(_ids(row.scope_building_ids)))
                          .order_by(Building.sort_key))
        return "、".join(names)
    if row.scope == MotionScope.UNITS.value:
        pairs = s.execute(select(Building.name, Unit.name).join(Building, Building.id == Unit.building_id)
                          .where(Unit.id.in_(_ids(row.scope_unit_ids))).order_by(Building.sort_key, Unit.sort_key))
        return "、".join(f"{b} {u}" for b, u in pairs)
    meeting = s.get(Meeting, row.meeting_id)
    chosen = _ids(meeting.building_ids)
    if chosen:
        return "、".join(s.scalars(select(Building.name).where(Building.id.in_(chosen)).order_by(Building.sort_key)))
    project = s.get(Project, meeting.project_id) if meeting.project_id else None
    return f"全项目（{project.name}）" if project else "全体参会人员"


def add_motion(db: Database, meeting_id: int, data: MotionInput) -> int:
    title, text = _check_motion(data)
    with db.write() as s:
        meeting = _check_open(s, meeting_id, "添加议题", "given motions")
        scope, building_ids, unit_ids = _clean_scope(s, meeting, data)
        row = Motion(meeting_id=meeting_id, item_id=data.item_id, title=title, text=text, matter=data.matter,
                     method=data.method, position=_next_position(s, Motion, Motion.meeting_id, meeting_id),
                     scope=scope, scope_building_ids=building_ids, scope_unit_ids=unit_ids)
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.MEETINGS, [meeting_id])
    return new_id


def _refuse_state(row: Motion, action: str, action_en: str) -> InputError:
    state = MotionState(row.state)
    return InputError(Problem(E_MOTION_STATE, {"title": row.title, "state": MOTION_STATE_LABELS[state][0], "state_en": STATE_EN[state],
                                               "action": action, "action_en": action_en}))


def update_motion(db: Database, motion_id: int, data: MotionInput) -> None:
    title, text = _check_motion(data)
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        meeting = _check_open(s, row.meeting_id, "修改议题", "changed (motions)")
        scope = _clean_scope(s, meeting, data)
        changes_rule = (row.matter, row.method) != (data.matter, data.method)
        if changes_rule and row.state != MotionState.DRAFT.value:
            raise _refuse_state(row, "更改表决规则或方式", "given another rule or method")
        if scope != (row.scope, row.scope_building_ids, row.scope_unit_ids) and row.state != MotionState.DRAFT.value:
            raise _refuse_state(row, "更改表决范围", "given another scope")
        row.title, row.text, row.matter, row.method, row.item_id = title, text, data.matter, data.method, data.item_id
        row.scope, row.scope_building_ids, row.scope_unit_ids = scope
        meeting_id = row.meeting_id
    events.announce(Topic.MEETINGS, [meeting_id])


def delete_motion(db: Database, motion_id: int) -> None:
    with db.write() as s:
        row = _get_open(s, Motion, motion_id, "议题", "删除议题", "changed (motions)")
        if row.state != MotionState.DRAFT.value:
            raise _refuse_state(row, "删除（表决记录须保留）", "deleted (votes are kept)")
        meeting_id = row.meeting_id
        s.delete(row)
    events.announce(Topic.MEETINGS, [meeting_id])


def start_vote(db: Database, motion_id: int, at: datetime | None = None) -> None:
    """Open the vote: the moment fixes who is present; the motion goes on the wall."""
    with db.write() as s:
        row = _get_open(s, Motion, motion_id, "议题", "开始表决", "voted on")
        if row.state != MotionState.DRAFT.value:
            raise _refuse_state(row, "再次开始表决", "opened again")
        row.state = MotionState.VOTING.value
        row.voted_at = (at or _now()).replace(microsecond=0)
        meeting = s.get(Meeting, row.meeting_id)
        meeting.current_motion_id = row.id
        if row.method == votes.Method.HANDS.value:  # everyone present at the vote takes part
            row.present = _present_count(s, row.meeting_id, row.voted_at)
        meeting_id = row.meeting_id
    events.announce(Topic.MEETINGS, [meeting_id])


E_NOT_A_VOTER = declare("meeting.not_a_voter", "{name}为{why}，列席会议，不参加表决",
                        "{name} attends as {why_en} without a vote")


def _voter_clause(meeting_id: int):
    return and_(Attendee.meeting_id == meeting_id, Attendee.expected.is_(True),
                Attendee.category.not_in(NON_VOTING_CATEGORIES))


def _voter_count(s: Session, meeting_id: int) -> int:
    """应到 of a consultative vote: the invitees who may vote."""
    return s.scalar(select(func.count(Attendee.id)).where(_voter_clause(meeting_id))) or 0


def _present_count(s: Session, meeting_id: int, moment: datetime) -> int:
    """Voters in the room at the moment of a show of hands (列席 walk-ins and staff never vote)."""
    return sum(1 for signed, left in s.execute(select(Attendee.signed_in_at, Attendee.left_at)
                                                .where(_voter_clause(meeting_id)))
               if votes.is_present(signed, left, moment))


def _correction(s: Session, row: Motion, reason: str, what: str) -> None:
    """A change to a decided vote: refused without a reason, else noted on the motion and audited."""
    if row.state != MotionState.DECIDED.value:
        return
    reason = clean_prose(reason)
    if not reason:
        raise InputError(Problem(E_CORRECTION_REASON, {"title": row.title}, field="reason"))
    operator = s.info.get("operator") or "system"
    line = f"{_now():%Y-%m-%d %H:%M} {operator} 更正{what}：{reason}"
    row.corrections = (row.corrections + "\n" + line).strip()
    record_event(s, "correct", "motion", row.id, row.uuid, note=f"更正表决结果（{row.title}）{what}：{reason}")


def _choice(value: str) -> str:
    choice = consent.parse_choice(value)
    if choice is None:
        raise InputError(Problem(E_CHOICE, {"value": value}, field="choice", value=str(value)))
    return choice.value


def _ballot_motion(s: Session, motion_id: int) -> Motion:
    """The motion a named ballot is cast on: refused unless it is voted by named ballot and its vote is open
    (or declared: then a ballot is a correction)."""
    row = _get_open(s, Motion, motion_id, "议题", "投票", "voted on")
    if row.method != votes.Method.NAMED.value:
        raise _refuse_state(row, "记名投票（表决方式不是记名投票）", "voted by named ballot (another method)")
    if row.state == MotionState.DRAFT.value:
        raise _refuse_state(row, "投票（请先开始表决）", "voted on yet (open the vote first)")
    return row


def _check_voter(s: Session, row: Motion, who: Attendee) -> None:
    """May `who` cast a ballot on `row`: a voter (not 列席, not staff) present at the moment of the vote; on an
    Art. 278 matter an owner in the motion's scope whose household has an area."""
    if not is_voter(who.expected, who.category):
        zh, en = CATEGORY_LABELS.get(who.category, (who.category, who.category))
        why = ("列席人员", "a walk-in") if not who.expected else (f"工作人员（{zh}）", f"staff ({en})")
        raise InputError(Problem(E_NOT_A_VOTER, {"name": who.name, "why": why[0], "why_en": why[1]},
                                 field="ballot", value=who.name))
    votes.may_vote(who.name, who.signed_in_at, who.left_at, row.voted_at)
    if row.matter != "consultative":
        if who.household_id is None or s.scalar(
                _motion_households(s, row).where(Household.id == who.household_id)) is None:
            raise InputError(Problem(E_NOT_OWNER, {"name": who.name, "scope": _scope_text(s, row)}, field="ballot",
                                     value=who.name))
        if not s.get(Household, who.household_id).area:
            raise InputError(Problem(E_NO_AREA, {"name": who.name}, field="area", value=who.name))


def cast_ballot(db: Database, motion_id: int, attendee_id: int, choice: str | None, reason: str = "") -> None:
    """A named ballot (choice None takes it back). Only someone present at the moment of the vote
    may vote; on an Art. 278 matter only an owner in the motion's scope."""
    with db.write() as s:
        row = _ballot_motion(s, motion_id)
        who = _get(s, Attendee, attendee_id, "参会人")
        if who.meeting_id != row.meeting_id:
            raise InputError(Problem(E_WRONG_MEETING))
        existing = s.scalar(select(MotionBallot).where(MotionBallot.motion_id == motion_id,
                                                        MotionBallot.attendee_id == attendee_id))
        if choice is None or choice == "":
            if existing is not None:
                _correction(s, row, reason, f"{who.name}的票")
                s.delete(existing)
        else:
            value = _choice(choice)
            _check_voter(s, row, who)
            if existing is None:
                _correction(s, row, reason, f"{who.name}的票")
                s.add(MotionBallot(motion_id=motion_id, attendee_id=attendee_id, choice=value))
            elif existing.choice != value:
                _correction(s, row, reason, f"{who.name}的票")
                existing.choice = value
        meeting_id = row.meeting_id
    events.announce(Topic.VOTES, [meeting_id])


COUNT_FIELDS = ("yes_owners", "no_owners", "abstain_owners", "yes_area", "no_area", "abstain_area", "present")


def set_counts(db: Database, motion_id: int, counts: dict[str, Any], reason: str = "") -> None:
    """The figures of a show of hands (yes/no[/abstain], present) or of paper ballots (by headcount
    and area); checked by computing the result before they are saved."""
    with db.write() as s:
        row = _get_open(s, Motion, motion_id, "议题", "录入票数", "voted on")
        if row.method == votes.Method.NAMED.value:
            raise _refuse_state(row, "直接录入票数（记名投票按每张票计）", "given counts (named ballots are counted)")
        if row.state == MotionState.DRAFT.value and row.method == votes.Method.HANDS.value:
            raise _refuse_state(row, "录入举手结果（请先开始表决）", "given a show of hands yet (open the vote first)")
        new = {k: counts.get(k, getattr(row, k)) for k in COUNT_FIELDS}
        if row.method == votes.Method.HANDS.value and new.get("abstain_owners") is None:
            present = new["present"] if new["present"] is not None else 0
            if isinstance(new["yes_owners"], int) and isinstance(new["no_owners"], int):
                new["abstain_owners"] = max(present - new["yes_owners"] - new["no_owners"], 0)
        _compute(s, row, override=new)  # raises on bad figures, nothing saved
        changed = {k: v for k, v in new.items() if getattr(row, k) != v}
        if changed:
            _correction(s, row, reason, "票数")
            for k, v in changed.items():
                setattr(row, k, v)
        if row.state == MotionState.DRAFT.value:  # paper results typed in afterwards
            row.state = MotionState.VOTING.value
            row.voted_at = row.voted_at or _now()
        meeting_id = row.meeting_id
    events.announce(Topic.VOTES, [meeting_id])


E_NOTHING_CAST = declare("meeting.nothing_cast", "议题“{title}”还没有任何选票或票数，不能宣布结果",
                         "The motion “{title}” has no ballots or counts yet; no result can be declared")


def _refuse_empty(s: Session, row: Motion) -> None:
    """A result is declared from at least one ballot (named) or entered figures (hands, paper)."""
    if row.method == votes.Method.NAMED.value:
        cast = s.scalar(select(func.count(MotionBallot.id)).where(MotionBallot.motion_id == row.id)) or 0
    else:
        cast = any(getattr(row, k) for k in COUNT_FIELDS if k != "present")
    if not cast:
        raise InputError(Problem(E_NOTHING_CAST, {"title": row.title}))


def _declarable(s: Session, motion_id: int) -> Motion:
    """The motion, if its result may be declared now: meeting open, being voted, something cast."""
    row = _get_open(s, Motion, motion_id, "议题", "宣布结果", "voted on")
    if row.state != MotionState.VOTING.value:
        raise _refuse_state(row, "宣布结果", "declared")
    _refuse_empty(s, row)
    return row


def declaration(db: Database, motion_id: int) -> MotionResult:
    """The figures 宣布结果 would declare, for the confirmation: refused exactly as close_vote would
    refuse (not being voted, nothing cast, figures that give no result); writes nothing."""
    with db.read() as s:
        row = _declarable(s, motion_id)
        view = _motion_view(s, row)
        return MotionResult(view, _rule(s, row.matter), _compute(s, row), _rule(s, row.matter).statutory,
                            scope_text=_scope_text(s, row))


def close_vote(db: Database, motion_id: int) -> MotionResult:
    """Declare the result; refused while nothing was cast or the figures do not give one (the reason says why)."""
    with db.write() as s:
        row = _declarable(s, motion_id)
        _compute(s, row)  # refuses figures that give no result, with the reason
        row.state = MotionState.DECIDED.value
        meeting_id = row.meeting_id
    events.announce(Topic.VOTES, [meeting_id])
    return motion_result(db, motion_id)


def reopen_vote(db: Database, motion_id: int, reason: str) -> None:
    """Back to voting after a result was declared (a recount): needs a reason, audited."""
    with db.write() as s:
        row = _get_open(s, Motion, motion_id, "议题", "重新计票", "recounted")
        if row.state != MotionState.DECIDED.value:
            raise _refuse_state(row, "重新计票", "recounted")
        _correction(s, row, reason, "（重新计票）")
        row.state = MotionState.VOTING.value
        meeting_id = row.meeting_id
    events.announce(Topic.VOTES, [meeting_id])


def _rule(s: Session, matter: str) -> consent.Rule:
    """The rule in force for a kind of matter: the law, or the city's stricter setting (设置)."""
    from ..ordering import rules_in_force

    return rules_in_force(s)[matter]


def _owner_units(s: Session, row: Motion) -> list[consent.Unit]:
    """The owners' units in the motion's scope; consent counts an owner of several units once."""
    head = aliased(Person)
    rows = s.execute(select(Household.id, Household.area, head.id, head.id_number)
                     .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                     .where(Household.id.in_(_motion_households(s, row)))).all()
    return [consent.Unit(hid, consent.owner_key(pid, idn, hid), area) for hid, area, pid, idn in rows if area]


def _compute(s: Session, row: Motion, override: dict[str, Any] | None = None) -> consent.ConsentResult:
    rule = _rule(s, row.matter)
    method = votes.Method(row.method)
    if method is votes.Method.NAMED:
        ballots = s.execute(select(MotionBallot.choice, Attendee.household_id)
                            .join(Attendee, Attendee.id == MotionBallot.attendee_id)
                            .where(MotionBallot.motion_id == row.id)).all()
        if rule.statutory:
            return consent.evaluate(_owner_units(s, row), [consent.Ballot(hid, c) for c, hid in ballots], rule)
        expected = _voter_count(s, row.meeting_id)
        return votes.named_consultative_result(rule, expected=expected, choices=[c for c, _ in ballots])
    values = override if override is not None else {k: getattr(row, k) for k in COUNT_FIELDS}
    if method is votes.Method.HANDS:
        expected = _voter_count(s, row.meeting_id)
        return votes.hands_result(rule, expected=expected, present=values["present"] or 0,
                                  yes=values["yes_owners"] if values["yes_owners"] is not None else 0,
                                  no=values["no_owners"] if values["no_owners"] is not None else 0,
                                  abstain=values["abstain_owners"])
    units = _owner_units(s, row)
    return votes.paper_result(
        rule, eligible_owners=len({u.owner_key for u in units}), eligible_area=sum((u.area for u in units), Decimal(0)),
        **{k: (values[k] if values[k] is not None else (0 if k.endswith("owners") else Decimal(0)))
           for k in COUNT_FIELDS if k != "present"})


def _motion_view(s: Session, row: Motion) -> MotionView:
    ballots = dict(s.execute(select(MotionBallot.attendee_id, MotionBallot.choice).where(MotionBallot.motion_id == row.id)).all())
    return MotionView(row.id, row.meeting_id, row.item_id, row.title, row.text, row.matter, row.method, row.state,
                      row.voted_at, {k: getattr(row, k) for k in COUNT_FIELDS},
                      tuple(x for x in row.corrections.splitlines() if x), ballots, row.scope,
                      tuple(_ids(row.scope_building_ids if row.scope == MotionScope.BUILDINGS.value else row.scope_unit_ids)))


def _result_of(s: Session, row: Motion) -> MotionResult:
    view = _motion_view(s, row)
    rule = _rule(s, row.matter)
    with_area = rule.statutory
    scope = _scope_text(s, row)
    if row.state == MotionState.DRAFT.value:
        return MotionResult(view, rule, None, with_area, "尚未表决", "not voted yet", scope, _gauge(s, row, rule, None))
    try:
        result = _compute(s, row)
    except InputError as exc:
        return MotionResult(view, rule, None, with_area, exc.describe(), exc.describe("en"), scope,
                            _gauge(s, row, rule, None))
    return MotionResult(view, rule, result, with_area, scope_text=scope, gauge=_gauge(s, row, rule, result))


def motion_result(db: Database, motion_id: int) -> MotionResult:
    with db.read() as s:
        return _result_of(s, _get(s, Motion, motion_id, "议题"))


def motions(db: Database, meeting_id: int) -> list[MotionResult]:
    with db.read() as s:
        return [_result_of(s, row) for row in s.scalars(select(Motion).where(Motion.meeting_id == meeting_id)
                                                        .order_by(Motion.position, Motion.id))]


@dataclass(frozen=True)
class Voter:
    attendee_id: int
    name: str
    address: str
    area: Decimal | None
    proxy_name: str
    present: bool
    why_not: str  # why they cannot vote (not present, not an owner); "" when they can
    choice: str | None


def voters(db: Database, motion_id: int) -> list[Voter]:
    """Who can cast a named ballot, with their current choice: the voters signed in (not 列席 walk-ins, not
    staff); on an Art. 278 matter the owners in scope. Those not present at the vote are listed with the reason."""
    result = motion_result(db, motion_id)
    m = result.motion
    moment = m.voted_at or _now()
    with db.read() as s:
        in_scope = (set(s.scalars(_motion_households(s, s.get(Motion, motion_id)))) if result.rule.statutory
                    else set())
    out = []
    for a in attendees(db, m.meeting_id):
        if a.signed_in_at is None or not is_voter(a.expected, a.category):
            continue  # 列席 walk-ins and staff do not vote
        why = votes.presence_problem(a.signed_in_at, a.left_at, moment)
        reason = why[0] if why else ""
        if result.rule.statutory and a.household_id not in in_scope:
            continue  # not an owner in scope: not listed for an Art. 278 vote
        out.append(Voter(a.id, a.name, a.address, a.area, a.proxy_name, why is None, reason, m.ballots.get(a.id)))
    return out


@dataclass(frozen=True)
class ScopeTotals:
    """The owners and exclusive area of a motion's scope (应到 of an Art. 278 vote): the upper bounds of
    paper-vote figures (the counting refuses more than these, with the reason)."""

    owners: int
    area: Decimal
    text: str


def scope_totals(db: Database, motion_id: int) -> ScopeTotals:
    with db.read() as s:
        row = _get(s, Motion, motion_id, "议题")
        units = _owner_units(s, row)
        return ScopeTotals(len({u.owner_key for u in units}), sum((u.area for u in units), Decimal(0)),
                           _scope_text(s, row))


@dataclass(frozen=True)
class ScopeChoices:
    """What a motion's scope can be narrowed to: the meeting's buildings and their units."""

    buildings: tuple[tuple[int, str], ...]  # (building id, "1号楼")
    units: tuple[tuple[int, str], ...]  # (unit id, "1号楼 1单元")


def scope_choices(db: Database, meeting_id: int) -> ScopeChoices:
    """The buildings (and their units) of the meeting's scope: those it chose, else its project's."""
    with db.read() as s:
        meeting = _get(s, Meeting, meeting_id, "会议")
        if meeting.project_id is None:
            return ScopeChoices((), ())
        query = (select(Building.id, Building.name, Unit.id, Unit.name)
                 .join(Block, Block.id == Building.block_id).outerjoin(Unit, Unit.building_id == Building.id)
                 .where(Block.project_id == meeting.project_id)
                 .order_by(Block.sort_key, Building.sort_key, Unit.sort_key))
        chosen = _ids(meeting.building_ids)
        if chosen:
            query = query.where(Building.id.in_(chosen))
        buildings: dict[int, str] = {}
        units = []
        for bid, bname, uid, uname in s.execute(query):
            buildings.setdefault(bid, bname)
            if uid is not None:
                units.append((uid, f"{bname} {uname}".strip()))
    return ScopeChoices(tuple(buildings.items()), tuple(units))


def _present_result(s: Session, row: Motion, rule: consent.Rule) -> consent.ConsentResult:
    """Before the vote (and a paper vote not counted yet): the voters in the room taken as participants,
    counted as a vote is (owners in scope, an owner of several units once, with their area)."""
    moment = _now()
    present = [hid for hid, signed, left in s.execute(select(Attendee.household_id, Attendee.signed_in_at,
                                                              Attendee.left_at).where(_voter_clause(row.meeting_id)))
               if votes.is_present(signed, left, moment)]
    if rule.statutory:
        units = _owner_units(s, row)
        in_scope = {u.unit_id for u in units}
        ballots = [consent.Ballot(hid, consent.Choice.ABSTAIN.value) for hid in sorted(set(present)) if hid in in_scope]
        return consent.evaluate(units, ballots, rule)
    return votes.named_consultative_result(rule, expected=_voter_count(s, row.meeting_id),
                                           choices=[consent.Choice.ABSTAIN.value] * len(present))


def _gauge(s: Session, row: Motion, rule: consent.Rule, result: consent.ConsentResult | None) -> gauges.Gauge | None:
    """The "still needed" gauge (issue 20) while the motion is not decided: during sign-in (and a paper vote not
    counted yet) from the voters present, during the vote from the ballots or counts so far — the result the
    verdict is computed from. None once decided, or when nothing can be counted (a scope without areas)."""
    if row.state == MotionState.DECIDED.value:
        return None
    uncounted = row.method != votes.Method.NAMED.value and all(getattr(row, k) is None for k in COUNT_FIELDS)
    if row.state == MotionState.DRAFT.value or uncounted or result is None:
        try:
            result = _present_result(s, row, rule)
        except InputError:
            return None
    return gauges.still_needed(result, with_area=rule.statutory)


def motion_gauge(db: Database, motion_id: int) -> gauges.Gauge | None:
    return motion_result(db, motion_id).gauge
