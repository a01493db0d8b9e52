"""Votes at a meeting (议事协商): the three ways of counting and who may vote at the moment of a vote.

Methods.
  HANDS  举手表决: counts by headcount of the people present when the vote is taken. Hands carry no
         area, so an Art. 278 matter (quorum and approval by area AND headcount) cannot be decided
         by a show of hands: refused with the reason. Abstentions left empty are the people present
         who raised no hand (present − yes − no).
  NAMED  记名投票: one ballot per owner's unit (Art. 278 matters, through consent.evaluate with the
         owners in the meeting's scope as the eligible units) or per invited person (consultative).
         Only someone present at the moment of the vote may cast a ballot: a person who signed in
         and left before the vote did not take part (`may_vote` says why not).
  PAPER  纸质票: results counted on paper and typed in afterwards, yes/no/abstain by headcount and
         area; eligible owners and area come from the meeting's scope.
Counts are checked before any rule is applied (`tally_from_counts`): integers ≥ 0, exact areas,
participants not more than eligible, area consistent with headcount. Every refusal names the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from renewal_desk.core.problems import FIELD_LABELS, InputError, Problem, declare
from renewal_desk.core.rules.consent import Choice, ConsentResult, Rule, Tally, _shown, decide, parse_choice
from renewal_desk.core.rules.numbers import area_text  # noqa: F401 - votes' API
from renewal_desk.core.rules.text import shorten


class Method(StrEnum):
    HANDS = "hands"
    NAMED = "named"
    PAPER = "paper"


METHOD_LABELS: dict[Method, tuple[str, str]] = {
    Method.HANDS: ("举手表决", "show of hands"),
    Method.NAMED: ("记名投票", "named ballots"),
    Method.PAPER: ("纸质票（会后录入）", "paper ballots (typed in)"),
}

E_HANDS_STATUTORY = declare(
    "vote.hands_statutory",
    "《民法典》第二百七十八条事项须同时按专有部分面积和人数计票，举手表决无法计算面积；请改用记名投票或录入纸质票结果",
    "A Civil Code Art. 278 matter is counted by exclusive area and by headcount; a show of hands cannot count "
    "area. Use named ballots or type in the paper results")
E_COUNT = declare("vote.count_invalid", "{field}应为不小于 0 的整数：{value}",
                  "{field_en} must be a whole number of at least 0: {value}")
E_AREA = declare("vote.area_invalid", "{field}应为不小于 0 的精确面积（平方米）：{value}",
                 "{field_en} must be an exact area of at least 0 m²: {value}")
E_MORE_THAN_PRESENT = declare(
    "vote.more_than_present", "赞成、反对、弃权合计 {counted} 人，超过表决时在场的 {present} 人",
    "Yes, no and abstain add up to {counted}, more than the {present} people present at the vote")
E_MORE_THAN_ELIGIBLE = declare(
    "vote.more_than_eligible", "参与表决 {counted} 人，超过应到 {eligible} 人",
    "{counted} people voted, more than the {eligible} eligible")
E_AREA_MORE_THAN_ELIGIBLE = declare(
    "vote.area_more_than_eligible", "参与表决面积 {counted} ㎡，超过应到面积 {eligible} ㎡",
    "The voting area {counted} m² is more than the eligible area {eligible} m²")
E_AREA_WITHOUT_OWNERS = declare(
    "vote.area_without_owners", "{field}：{owners} 人对应面积 {area} ㎡，人数与面积不一致（有人必有面积，无人则面积为 0）",
    "{field_en}: {owners} owners with {area} m²; owners and area disagree (owners have area, no owners no area)")
E_NOT_PRESENT = declare(
    "vote.not_present", "{name}在表决时不在场（{why}），不能投票", "{name} was not present at the vote ({why_en}) and cannot vote")

for _name, _labels in {
    "yes_owners": ("赞成人数", "yes (people)"), "no_owners": ("反对人数", "no (people)"),
    "abstain_owners": ("弃权人数", "abstain (people)"), "yes_area": ("赞成面积", "yes (area)"),
    "no_area": ("反对面积", "no (area)"), "abstain_area": ("弃权面积", "abstain (area)"),
    "present": ("在场人数", "people present"), "eligible_owners": ("应到人数", "eligible people"),
    "eligible_area": ("应到面积", "eligible area"),
}.items():
    FIELD_LABELS.setdefault(_name, _labels)


# ---------------------------------------------------------------------------------------- presence
def presence_problem(signed_in_at: datetime | None, left_at: datetime | None, moment: datetime) -> tuple[str, str] | None:
    """Why someone was not present at `moment` (zh, en), or None when they were."""
    if signed_in_at is None:
        return "未签到", "not signed in"
    if signed_in_at > moment:
        return f"{signed_in_at:%H:%M} 才签到", f"signed in only at {signed_in_at:%H:%M}"
    if left_at is not None and left_at <= moment:
        return f"已于 {left_at:%H:%M} 离场", f"left at {left_at:%H:%M}"
    return None


def is_present(signed_in_at: datetime | None, left_at: datetime | None, moment: datetime) -> bool:
    return presence_problem(signed_in_at, left_at, moment) is None


def may_vote(name: str, signed_in_at: datetime | None, left_at: datetime | None, moment: datetime) -> None:
    """Refuse a ballot from someone who was not present at the moment of the vote."""
    why = presence_problem(signed_in_at, left_at, moment)
    if why is not None:
        raise InputError(Problem(E_NOT_PRESENT, {"name": name, "why": why[0], "why_en": why[1]}, field="ballot",
                                 value=name))


# ------------------------------------------------------------------------------------------ counts
def _count(value: Any, name: str, problems: list[Problem]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    zh, en = FIELD_LABELS[name]
    problems.append(Problem(E_COUNT, {"field": zh, "field_en": en, "value": shorten(value)}, field=name,
                            value=shorten(value, 200)))
    return 0


def _area(value: Any, name: str, problems: list[Problem]) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, Decimal) and value.is_finite() and value >= 0:
        return value
    zh, en = FIELD_LABELS[name]
    problems.append(Problem(E_AREA, {"field": zh, "field_en": en, "value": shorten(value)}, field=name,
                            value=shorten(value, 200)))
    return Decimal(0)


def tally_from_counts(*, eligible_owners: Any, eligible_area: Any = Decimal(0), yes_owners: Any, no_owners: Any,
                      abstain_owners: Any, yes_area: Any = Decimal(0), no_area: Any = Decimal(0),
                      abstain_area: Any = Decimal(0), with_area: bool = True) -> Tally:
    """Counted results (paper ballots, a show of hands) checked and made a Tally."""
    problems: list[Problem] = []
    eligible = _count(eligible_owners, "eligible_owners", problems)
    owners = {k: _count(v, k, problems) for k, v in
              (("yes_owners", yes_owners), ("no_owners", no_owners), ("abstain_owners", abstain_owners))}
    if with_area:
        e_area = _area(eligible_area, "eligible_area", problems)
        areas = {k: _area(v, k, problems) for k, v in
                 (("yes_area", yes_area), ("no_area", no_area), ("abstain_area", abstain_area))}
    else:
        e_area, areas = Decimal(0), {"yes_area": Decimal(0), "no_area": Decimal(0), "abstain_area": Decimal(0)}
    if problems:
        raise InputError(problems)
    counted = sum(owners.values())
    if counted > eligible:
        problems.append(Problem(E_MORE_THAN_ELIGIBLE, {"counted": counted, "eligible": eligible},
                                field="eligible_owners", value=str(eligible)))
    if with_area:
        for kind in ("yes", "no", "abstain"):
            n, a = owners[f"{kind}_owners"], areas[f"{kind}_area"]
            if (n == 0) != (a == 0):
                zh, en = FIELD_LABELS[f"{kind}_area"]
                problems.append(Problem(E_AREA_WITHOUT_OWNERS, {"field": zh, "field_en": en, "owners": n,
                                                                "area": format(a, ",f")},
                                        field=f"{kind}_area", value=str(a)))
        counted_area = sum(areas.values(), Decimal(0))
        if counted_area > e_area:
            problems.append(Problem(E_AREA_MORE_THAN_ELIGIBLE, {"counted": format(counted_area, ",f"),
                                                                "eligible": format(e_area, ",f")},
                                    field="eligible_area", value=str(e_area)))
    if problems:
        raise InputError(problems)
    return Tally(eligible_units=eligible, eligible_owners=eligible, eligible_area=e_area,
                 participating_units=counted, yes_owners=owners["yes_owners"], no_owners=owners["no_owners"],
                 abstain_owners=owners["abstain_owners"], **areas)


def hands_result(rule: Rule, *, expected: int, present: int, yes: Any, no: Any, abstain: Any = None) -> ConsentResult:
    """A show of hands: consultative rules only; abstain None = present − yes − no."""
    if rule.statutory:
        raise InputError(Problem(E_HANDS_STATUTORY, {}, field="method", value=Method.HANDS.value))
    problems: list[Problem] = []
    present_n = _count(present, "present", problems)
    yes_n, no_n = _count(yes, "yes_owners", problems), _count(no, "no_owners", problems)
    if problems:
        raise InputError(problems)
    if abstain is None:
        abstain = max(present_n - yes_n - no_n, 0)
    abstain_n = _count(abstain, "abstain_owners", problems)
    if problems:
        raise InputError(problems)
    if yes_n + no_n + abstain_n > present_n:
        raise InputError(Problem(E_MORE_THAN_PRESENT, {"counted": yes_n + no_n + abstain_n, "present": present_n},
                                 field="present", value=str(present_n)))
    tally = tally_from_counts(eligible_owners=max(expected, present_n), yes_owners=yes_n, no_owners=no_n,
                              abstain_owners=abstain_n, with_area=False)
    return decide(tally, rule)


def paper_result(rule: Rule, **counts: Any) -> ConsentResult:
    """Paper results typed in: headcount always, area too (required for Art. 278 matters)."""
    return decide(tally_from_counts(with_area=True, **counts), rule)


def named_consultative_result(rule: Rule, *, expected: int, choices: list[str]) -> ConsentResult:
    """Named ballots of a consultative vote: one per person; `choices` are yes/no/abstain."""
    counted = {c: 0 for c in Choice}
    for raw in choices:  # recorded through meetings.cast_ballot, so always recognised
        counted[parse_choice(raw)] += 1
    tally = tally_from_counts(eligible_owners=max(expected, len(choices)), yes_owners=counted[Choice.YES],
                              no_owners=counted[Choice.NO], abstain_owners=counted[Choice.ABSTAIN], with_area=False)
    return decide(tally, rule)


# ------------------------------------------------------------------------------------------ display
@dataclass(frozen=True)
class Figure:
    label: str
    value: str


def figures(result: ConsentResult, *, with_area: bool, lang: str = "zh") -> list[Figure]:
    """Every number of a result as label/value lines: 应到, 实到, participation, yes/no/abstain by
    headcount and area (— where a show of hands counts no area), the rule, the verdict and why."""
    en = lang.startswith("en")
    rule = result.rule
    assert rule.quorum is not None and rule.approval is not None
    dash = "—"

    def area(a: Decimal) -> str:
        return f"{area_text(a)} ㎡" if with_area else dash

    def people(n: int) -> str:
        return f"{n}" if en else f"{n} 人"

    po = _shown(result.participation_owner_share, rule.quorum)
    pa = _shown(result.participation_area_share, rule.quorum) if with_area else dash
    ao = _shown(result.approval_owner_share, rule.approval)
    aa = _shown(result.approval_area_share, rule.approval) if with_area else dash
    rows = [
        ("Eligible", "应到", f"{people(result.eligible_owners)} / {area(result.eligible_area)}"),
        ("Took part", "实到（参与表决）", f"{people(result.participating_owners)} / {area(result.participating_area)}"),
        ("Participation (people / area)", "参与率（人数 / 面积）", f"{po} / {pa}"),
        ("Yes", "赞成", f"{people(result.yes_owners)} / {area(result.yes_area)}"),
        ("No", "反对", f"{people(result.no_owners)} / {area(result.no_area)}"),
        ("Abstain", "弃权", f"{people(result.abstain_owners)} / {area(result.abstain_area)}"),
        ("Yes share (people / area)", "赞成占比（人数 / 面积）", f"{ao} / {aa}"),
        ("Rule", "适用规则", rule.name(lang)),
        ("Result", "结果", ("passed" if result.passed else "not passed") if en else ("通过" if result.passed else "未通过")),
        ("Because" if result.passed else "Why", "依据" if result.passed else "原因",
         ("; " if en else "；").join(result.reason_list(lang))),
    ]
    return [Figure(e if en else z, v) for e, z, v in rows]


__all__ = ["Method", "METHOD_LABELS", "Figure", "figures", "hands_result", "paper_result", "named_consultative_result",
           "tally_from_counts", "area_text", "presence_problem", "is_present", "may_vote"]
