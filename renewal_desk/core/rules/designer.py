"""Chief street designer (首席街长) opinions: status rules and the figures of a block's accompaniment.

Pure functions, no database.

Statuses (stored as ASCII codes since migration 0023, shown through OPINION_STATUS_LABELS): 提出 (raised) →
已回复 (answered: the addressee replied, the outcome is not settled yet) → 已采纳 (adopted) / 部分采纳
(partly adopted) / 未采纳 (not adopted). A reply that already states the outcome moves an opinion from
提出 straight to that outcome. An outcome is final: a later change of mind is a new opinion, so what
was decided stays on record. 未采纳 needs a reason (why the opinion was not taken up); 部分采纳 may give one.

Figures (`figures()`), with these definitions:
- **answered**: an opinion that has had at least one response, i.e. its status is anything but
  提出 (已回复, 已采纳, 部分采纳 or 未采纳). A reply without a decision counts as answered and not
  (yet) adopted.
- **adoption rate** = (已采纳 + 部分采纳) / answered; None when nothing was answered yet.
- **response days** of an answered opinion = date of its first response − date it was raised (the
  visit date); the **average response days** is their mean, rounded half-up to one decimal.
- **overdue**: still 提出 and today is after its requested response date (on that date itself it
  is not overdue yet); an opinion without a requested date is never overdue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from ..problems import InputError, Problem, declare
from .consent import percent
from .text import code_label as label  # printing/designer.py takes it from here


class Stage(StrEnum):
    """The lifecycle stage an opinion is about; stored as ASCII codes (migration 0023; before it the Chinese
    labels were the values)."""

    DESIGN = "design"
    CONSTRUCTION = "construct"  # the column holds 10 characters
    BUSINESS = "business"
    OPERATION = "operation"


STAGE_LABELS: dict[str, tuple[str, str]] = {
    Stage.DESIGN: ("设计", "design"),
    Stage.CONSTRUCTION: ("施工", "construction"),
    Stage.BUSINESS: ("业态引入", "bringing in businesses"),
    Stage.OPERATION: ("运营管理", "operation"),
}


class Stakeholder(StrEnum):
    """Whose needs an opinion concerns (seed 002: 商户、市民、游客和实施主体); stored as ASCII codes, comma-joined
    (migration 0023)."""

    MERCHANTS = "merchants"
    RESIDENTS = "residents"
    VISITORS = "visitors"
    IMPLEMENTER = "implementer"


STAKEHOLDER_LABELS: dict[str, tuple[str, str]] = {
    Stakeholder.MERCHANTS: ("商户", "merchants"),
    Stakeholder.RESIDENTS: ("居民", "residents"),
    Stakeholder.VISITORS: ("游客", "visitors"),
    Stakeholder.IMPLEMENTER: ("实施主体", "implementing body"),
}


class OpinionStatus(StrEnum):
    """Stored as ASCII codes (migration 0023)."""

    RAISED = "raised"
    ANSWERED = "answered"
    ADOPTED = "adopted"
    PARTLY = "partly"
    NOT_ADOPTED = "rejected"  # the column holds 10 characters


OPINION_STATUS_LABELS: dict[str, tuple[str, str]] = {
    OpinionStatus.RAISED: ("提出", "raised"),
    OpinionStatus.ANSWERED: ("已回复", "answered"),
    OpinionStatus.ADOPTED: ("已采纳", "adopted"),
    OpinionStatus.PARTLY: ("部分采纳", "partly adopted"),
    OpinionStatus.NOT_ADOPTED: ("未采纳", "not adopted"),
}


def stakeholders_text(codes, lang: str = "zh") -> str:
    """Stakeholder codes in words: "商户、居民" / "merchants, residents"."""
    return (", " if lang.startswith("en") else "、").join(label(STAKEHOLDER_LABELS, c, lang) for c in codes)


RAISED, ANSWERED = OpinionStatus.RAISED, OpinionStatus.ANSWERED
ADOPTED, PARTLY, NOT_ADOPTED = OpinionStatus.ADOPTED, OpinionStatus.PARTLY, OpinionStatus.NOT_ADOPTED
STATUSES = tuple(OpinionStatus)
OUTCOMES = (ADOPTED, PARTLY, NOT_ADOPTED)
STAGES = tuple(Stage)
STAKEHOLDERS = tuple(Stakeholder)

# status -> the statuses a response may move it to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RAISED: (ANSWERED, ADOPTED, PARTLY, NOT_ADOPTED),
    ANSWERED: OUTCOMES,
    ADOPTED: (),
    PARTLY: (),
    NOT_ADOPTED: (),
}

E_STATUS = declare("designer.status", "状态须为 提出 / 已回复 / 已采纳 / 部分采纳 / 未采纳：{value}",
                   "The status must be 提出 / 已回复 / 已采纳 / 部分采纳 / 未采纳: {value}")
E_FINAL = declare("designer.final", "该意见已是“{current}”，结果已定，不能再改为“{new}”；如有新情况请另提意见",
                  "This opinion is already '{current_en}', a final outcome; it cannot become '{new_en}'. Raise a new "
                  "opinion if things changed")
E_BACKWARD = declare("designer.backward", "意见不能从“{current}”改为“{new}”（答复只能向前推进：提出 → 已回复 → 采纳结果）",
                     "An opinion cannot go from '{current_en}' to '{new_en}' (responses only move forward: raised → "
                     "answered → outcome)")
E_REASON = declare("designer.reason", "未采纳须填写理由", "Not adopted needs a reason")
E_STAGE = declare("designer.stage", "阶段须为 设计 / 施工 / 业态引入 / 运营管理：{value}",
                  "The stage must be 设计 / 施工 / 业态引入 / 运营管理: {value}")
E_STAKEHOLDER = declare("designer.stakeholder", "关注方须为 商户 / 居民 / 游客 / 实施主体：{value}",
                        "Stakeholders must be 商户 / 居民 / 游客 / 实施主体: {value}")
E_NO_STAKEHOLDER = declare("designer.no_stakeholder", "请至少选择一个关注方（商户 / 居民 / 游客 / 实施主体）",
                           "Choose at least one stakeholder (商户 / 居民 / 游客 / 实施主体)")


def allowed_next(current: str) -> tuple[str, ...]:
    """The statuses a response may give an opinion that is now `current`."""
    return TRANSITIONS.get(current, ())


def check_transition(current: str, new: str, reason: str = "") -> None:
    """Refuse an illegal status change with the reason why; 未采纳 needs a reason."""
    if new not in STATUSES:
        raise InputError(Problem(E_STATUS, {"value": new}, field="status", value=new))
    if current not in STATUSES:
        raise InputError(Problem(E_STATUS, {"value": current}, field="status", value=current))
    if new not in allowed_next(current):
        code = E_FINAL if current in OUTCOMES else E_BACKWARD
        raise InputError(Problem(code, {"current": label(OPINION_STATUS_LABELS, current),
                                        "new": label(OPINION_STATUS_LABELS, new),
                                        "current_en": label(OPINION_STATUS_LABELS, current, "en"),
                                        "new_en": label(OPINION_STATUS_LABELS, new, "en")}, field="status", value=new))
    if new == NOT_ADOPTED and not (reason or "").strip():
        raise InputError(Problem(E_REASON, field="reason"))


def check_stage(stage: str) -> str:
    if stage not in STAGES:
        raise InputError(Problem(E_STAGE, {"value": stage}, field="stage", value=stage))
    return stage


def clean_stakeholders(values: Iterable[str]) -> tuple[str, ...]:
    """Known stakeholders, each once, in the canonical order; at least one."""
    given = [v.strip() for v in values if v and v.strip()]
    unknown = [v for v in given if v not in STAKEHOLDERS]
    if unknown:
        raise InputError(Problem(E_STAKEHOLDER, {"value": "、".join(unknown)}, field="stakeholders",
                                 value="、".join(unknown)))
    if not given:
        raise InputError(Problem(E_NO_STAKEHOLDER, field="stakeholders"))
    return tuple(s for s in STAKEHOLDERS if s in given)


def is_overdue(status: str, respond_by: date | None, today: date) -> bool:
    return status == RAISED and respond_by is not None and today > respond_by


def response_days(raised_on: date, first_response_on: date | None) -> int | None:
    return None if first_response_on is None else (first_response_on - raised_on).days


@dataclass(frozen=True)
class OpinionFacts:
    """What the figures need of one opinion."""

    status: str
    raised_on: date
    first_response_on: date | None = None
    respond_by: date | None = None
    stage: str = ""


@dataclass(frozen=True)
class Figures:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)  # every status, 0 included
    answered: int = 0
    adopted: int = 0  # 已采纳 + 部分采纳
    overdue: int = 0
    adoption_rate: Fraction | None = None
    average_response_days: Decimal | None = None


def figures(opinions: Iterable[OpinionFacts], today: date) -> Figures:
    items = list(opinions)
    by_status = {s: 0 for s in STATUSES}
    for o in items:
        by_status[o.status] = by_status.get(o.status, 0) + 1
    answered = sum(1 for o in items if o.status != RAISED)
    adopted = by_status[ADOPTED] + by_status[PARTLY]
    days = [d for o in items if o.status != RAISED
            and (d := response_days(o.raised_on, o.first_response_on)) is not None]
    average = (Decimal(sum(days)) / Decimal(len(days))).quantize(Decimal("0.1"), ROUND_HALF_UP) if days else None
    return Figures(len(items), by_status, answered, adopted,
                   sum(1 for o in items if is_overdue(o.status, o.respond_by, today)),
                   Fraction(adopted, answered) if answered else None, average)


def by_stage_and_status(opinions: Iterable[OpinionFacts]) -> dict[str, dict[str, int]]:
    """stage -> status -> count, every stage and status present (for the chart and the journal)."""
    table = {stage: {s: 0 for s in STATUSES} for stage in STAGES}
    for o in opinions:
        table.setdefault(o.stage, {s: 0 for s in STATUSES})[o.status] += 1
    return table


def rate_text(rate: Fraction | None) -> str:
    """60.0% (one decimal, half-up), "—" when there is nothing to rate."""
    return "—" if rate is None else percent(rate)
