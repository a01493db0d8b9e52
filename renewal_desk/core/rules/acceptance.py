"""Acceptance (验收) of a project or works package: four parties, checklist, residents' satisfaction,
an optional third-party evaluation (seed 002: Huangshi's 四方联动 and 第三方成效评估).

What is law and what is local practice (domain.md): "群众不满意不通过验收" is common practice, not
law, so it is a setting with a default — a passed acceptance needs at least `min_percent` of the
survey answers to be 满意 or 基本满意 (default 80%; a city may raise it, lower it or switch it off).
The rest is the app's own bookkeeping: a passed acceptance needs all four parties present, no
failed checklist item, and no open problem in its scope unless a written override reason is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..problems import InputError, Problem, declare
from .numbers import percent_text

PARTIES = (  # (key, Chinese, English)
    ("district", "区政府", "district government"),
    ("community", "社区", "community"),
    ("residents", "居民代表", "residents' representatives"),
    ("builder", "参建单位", "builder"),
)
ANSWERS = (("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意"), ("unknown", "不了解"))
CHECK_RESULTS = ("合格", "不合格", "不适用")
DEFAULT_CHECKLIST = ("工程质量符合设计和规范要求", "安全文明施工，现场清理恢复", "居民反映问题已整改",
                     "竣工资料齐全", "公共部位和设施可正常使用")
DEFAULT_MIN_PERCENT = Decimal("80")

E_PARTY_MISSING = declare("acceptance.party_missing", "验收须有四方参加：请填写{party}的参加人",
                          "Acceptance needs all four parties: who attended for the {party_en}?")
E_CHECK_FAILED = declare("acceptance.check_failed", "检查项“{item}”为不合格，验收不能通过",
                         "The checklist item '{item}' failed; the acceptance cannot pass")
E_CHECK_RESULT = declare("acceptance.check_result", "检查项“{item}”的结果须为 合格 / 不合格 / 不适用",
                         "The result of '{item}' must be 合格 / 不合格 / 不适用")
E_NO_SURVEY = declare("acceptance.no_survey", "尚无居民满意度调查结果，验收不能通过（群众不满意不通过验收）",
                      "There is no residents' satisfaction survey yet; the acceptance cannot pass")
E_DISSATISFIED = declare("acceptance.dissatisfied",
                         "居民满意率 {share}（满意 {yes} / 共 {total}）低于 {min}，验收不能通过（群众不满意不通过验收）",
                         "Residents' satisfaction {share} ({yes} of {total}) is below {min}; the acceptance cannot pass")
E_OPEN_PROBLEMS = declare("acceptance.open_problems",
                          "验收范围内还有 {count} 个问题未关闭（{examples}）；请先整改复查，或填写书面理由后继续",
                          "{count} problems in scope are still open ({examples}); close them first, or give a written "
                          "reason to continue")
E_REASONS = declare("acceptance.reasons", "验收不通过时请写明理由", "Give the reasons why the acceptance did not pass")
E_COUNT = declare("acceptance.count", "调查人数不能为负数：{label}", "A survey count cannot be negative: {label}")
E_SCORE = declare("acceptance.score", "第三方评估得分须在 0 到 100 之间：{value}", "The evaluation score must be 0 to 100: {value}")
E_PERCENT = declare("acceptance.percent", "满意率门槛须在 0 到 100 之间：{value}", "The satisfaction threshold must be 0 to 100: {value}")


@dataclass(frozen=True)
class Survey:
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied + self.unknown

    @property
    def content(self) -> int:
        return self.satisfied + self.basic

    @property
    def share(self) -> Fraction | None:
        """满意 + 基本满意 over every answer (不了解 counts as not satisfied: the stricter reading)."""
        return Fraction(self.content, self.total) if self.total else None


@dataclass(frozen=True)
class Record:
    """An acceptance as recorded: what the services list and the acceptance form prints."""

    id: int
    record_no: str
    project_id: int
    project: str
    works: str  # "" = the whole project
    accepted_on: date
    parties: dict[str, str]  # key of PARTIES -> who attended
    party: str  # the builder
    checklist: list[tuple[str, str, str]]
    survey: Survey
    evaluator: str
    score: Decimal | None
    conclusion: str
    passed: bool
    reasons: str
    open_problems: int
    override_reason: str
    rule_text: str

    @property
    def scope(self) -> str:
        return self.works or "全项目"


@dataclass(frozen=True)
class Rule:
    enabled: bool = True
    min_percent: Decimal = DEFAULT_MIN_PERCENT

    def describe(self) -> str:
        if not self.enabled:
            return "不以居民满意率作为验收条件"
        return f"居民满意率（满意＋基本满意）不低于 {percent_text(self.min_percent)}，否则不通过（群众不满意不通过验收）"


def parse_percent(value: str | Decimal) -> Decimal:
    """0–100, "85", "85%", "８５％"; anything else (NaN too, which no comparison can place) is refused, the
    value shortened in the message."""
    from .text import normalize_text, shorten

    refused = InputError(Problem(E_PERCENT, {"value": shorten(value)}, field="percent", value=shorten(value, 200)))
    try:
        number = Decimal(normalize_text(value).rstrip("%").strip())
    except ArithmeticError:
        raise refused from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise refused
    return number


@dataclass
class Proposal:
    """An acceptance as recorded, before it is stored."""

    passed: bool
    parties: dict[str, str]  # key of PARTIES -> who attended
    checklist: list[tuple[str, str, str]]  # (item, result, note)
    survey: Survey
    reasons: str = ""
    open_problems: list[str] = field(default_factory=list)  # labels of problems in scope not closed
    override_reason: str = ""
    score: Decimal | None = None


def check(proposal: Proposal, rule: Rule) -> list[Problem]:
    """Everything that stops this acceptance from being recorded as it stands (empty: fine)."""
    problems: list[Problem] = []
    for key, label in (("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意"), ("unknown", "不了解")):
        if getattr(proposal.survey, key) < 0:
            problems.append(Problem(E_COUNT, {"label": label}, field="survey"))
    if proposal.score is not None and not Decimal(0) <= proposal.score <= Decimal(100):
        problems.append(Problem(E_SCORE, {"value": proposal.score}, field="score"))
    for item, result, _note in proposal.checklist:
        if result not in CHECK_RESULTS:
            problems.append(Problem(E_CHECK_RESULT, {"item": item}, field="checklist"))
    if not proposal.passed:
        if not proposal.reasons.strip():
            problems.append(Problem(E_REASONS, field="reasons"))
        return problems
    for key, zh, en in PARTIES:
        if not (proposal.parties.get(key) or "").strip():
            problems.append(Problem(E_PARTY_MISSING, {"party": zh, "party_en": en}, field="parties"))
    for item, result, _note in proposal.checklist:
        if result == "不合格":
            problems.append(Problem(E_CHECK_FAILED, {"item": item}, field="checklist"))
    if rule.enabled:
        share = proposal.survey.share
        if share is None:
            problems.append(Problem(E_NO_SURVEY, field="survey"))
        elif share * 100 < Fraction(rule.min_percent):
            problems.append(Problem(E_DISSATISFIED, {
                "share": percent_text(share), "yes": proposal.survey.content, "total": proposal.survey.total,
                "min": percent_text(rule.min_percent)}, field="survey"))
    if proposal.open_problems and not proposal.override_reason.strip():
        examples = "、".join(proposal.open_problems[:3]) + ("等" if len(proposal.open_problems) > 3 else "")
        problems.append(Problem(E_OPEN_PROBLEMS, {"count": len(proposal.open_problems), "examples": examples},
                                field="override_reason"))
    return problems
