"""Owners' consent (业主共同决定): quorum and approval under 民法典 第二百七十八条 and its judicial
interpretation (建筑物区分所有权解释 第八、九条), for demand ordering (加装电梯 in one unit of one
building) and meeting votes. Pure functions; areas are exact Decimal m², shares exact Fractions.

Matters.
  SPECIAL      raising repair funds, 改建/重建 of buildings and facilities, changing the use of common
               parts or using them for business: participation ≥ 2/3 of area AND ≥ 2/3 of owners,
               approval ≥ 3/4 of participating area AND ≥ 3/4 of participating owners.
  ORDINARY     every other Art. 278 matter: same participation; approval strictly more than 1/2
               (过半数) of participating area AND of participating owners.
  CONSULTATIVE not an Art. 278 matter: simple majority (> 1/2) of the owners who cast a ballot
               (abstentions included in the count), no quorum, area reported but not used.
A Rule is a per-city setting with these defaults. For SPECIAL and ORDINARY it may only be stricter
than the law (a weaker Rule cannot be built: InputError); CONSULTATIVE is free.

Counting (each rule has a test in tests/core/test_rules_consent.py).
  * Headcount is persons, not units: one owner of several exclusive parts counts once and their
    area counts in full. A ballot on any unit of an owner is that owner's vote for all their units;
    ballots of one owner that disagree are refused (同一业主的多个专有部分表决意见不一致), since
    the law counts the person once and a person has one opinion.
  * All unsold developer units (developer_unsold; the caller also marks sold-but-not-delivered
    ones, which the interpretation counts with them) together are ONE person, whatever their
    owner_key; ballots on them must agree too.
  * "以上" includes the boundary (≥); "过半数" is strictly more than half (approval_strict).
  * Quorum and approval each need the area AND the headcount condition.
  * A unit without a ballot did not take part; abstentions take part but are not "yes".
  * Comparisons use exact Fractions (Decimal → Fraction), never floats.
  * Ballots for unknown units, two ballots for one unit, unknown choices, duplicate units and
    areas that are not positive exact numbers are refused, all problems in one InputError.
  * Zero eligible owners (or zero participants): a result that is not passed, with the reason.
The separate consent of owners whose exclusive part is affected by an elevator (domain.md) is not
decided here: the caller records it alongside.

reasons / reasons_en: when the motion is not passed, one sentence per condition that failed
(exactly why); when it passed, one sentence per condition met. Percentages in reasons and summaries
get more decimal places when one place would make a share look equal to its threshold
(74.99% rather than 75.0% for a share that misses 3/4).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import MAX_PREC, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Any, Sequence

from renewal_desk.core.problems import FIELD_LABELS, InputError, Problem, declare
from renewal_desk.core.rules.idcard import id_variants
from renewal_desk.core.rules.numbers import area_exact as _area_text, percent  # noqa: F401 - consent's API
from renewal_desk.core.rules.numbers import shown as _shown
from renewal_desk.core.rules.text import shorten

MAX_UNIT_AREA = Decimal(100000)  # m² for one exclusive part; anything above is a typing error


class Matter(StrEnum):
    SPECIAL = "special"
    ORDINARY = "ordinary"
    CONSULTATIVE = "consultative"


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


MATTER_LABELS: dict[Matter, tuple[str, str]] = {
    Matter.SPECIAL: ("特别事项（筹集维修资金、改建重建建筑物及其附属设施、改变共有部分用途或利用共有部分从事经营活动）",
                     "special matter (raising repair funds, rebuilding or altering the building and its facilities, "
                     "changing the use of common parts or using them for business)"),
    Matter.ORDINARY: ("一般事项", "ordinary matter"),
    Matter.CONSULTATIVE: ("协商表决事项", "consultative vote"),
}
CHOICE_LABELS: dict[Choice, tuple[str, str]] = {
    Choice.YES: ("赞成", "yes"), Choice.NO: ("反对", "no"), Choice.ABSTAIN: ("弃权", "abstain"),
}
_CHOICE_ALIASES = {"yes": Choice.YES, "no": Choice.NO, "abstain": Choice.ABSTAIN,
                   "赞成": Choice.YES, "反对": Choice.NO, "弃权": Choice.ABSTAIN}

def parse_choice(value: Any) -> Choice | None:
    """yes/no/abstain or 赞成/反对/弃权 (any case, spaces around) as a Choice; None when unrecognised."""
    return _CHOICE_ALIASES.get(value.strip().lower()) if isinstance(value, str) else None


# The law: (quorum, approval, approval_strict) per Art. 278 matter.
LEGAL: dict[Matter, tuple[Fraction, Fraction, bool]] = {
    Matter.SPECIAL: (Fraction(2, 3), Fraction(3, 4), False),
    Matter.ORDINARY: (Fraction(2, 3), Fraction(1, 2), True),
}
_CONSULTATIVE_DEFAULT = (Fraction(0), Fraction(1, 2), True)

# ------------------------------------------------------------------------------------ messages
R_MATTER = declare("consent.rule_matter_unknown", "未知的表决事项类型：{value}（应为 special、ordinary 或 consultative）",
                   "Unknown kind of matter: {value} (special, ordinary or consultative)")
R_QUORUM_INVALID = declare(
    "consent.rule_quorum_invalid",
    "参与表决比例应为 0 至 1 之间的精确分数（如 2/3，不能是浮点数）：{value}",
    "The participation threshold must be an exact fraction from 0 to 1 (such as 2/3, never a float): {value}")
R_APPROVAL_INVALID = declare(
    "consent.rule_approval_invalid",
    "同意比例应为 0 至 1 之间的精确分数（如 3/4，不能是浮点数）：{value}",
    "The approval threshold must be an exact fraction from 0 to 1 (such as 3/4, never a float): {value}")
R_STRICT_INVALID = declare("consent.rule_strict_invalid", "“是否须超过同意比例”应为是或否：{value}",
                           "Whether approval must exceed the threshold must be true or false: {value}")
R_QUORUM_WEAK = declare(
    "consent.rule_quorum_weaker",
    "参与表决比例“{value}”低于法律要求的“三分之二以上”。《民法典》第二百七十八条：应当由专有部分面积占比三分之二以上的业主"
    "且人数占比三分之二以上的业主参与表决；地方设置只能更严格，不能放宽",
    "The participation threshold “{value_en}” is below the legal “at least two thirds”. Civil Code Art. 278: "
    "owners holding at least two thirds of the exclusive area and at least two thirds of the owners must take "
    "part; a local setting may be stricter, never weaker")
R_APPROVAL_WEAK = declare(
    "consent.rule_approval_weaker",
    "{matter}的同意比例“{value}”低于法律要求的“{law}”（《民法典》第二百七十八条）；地方设置只能更严格，不能放宽",
    "The approval threshold “{value_en}” for {matter_en} is below the legal “{law_en}” (Civil Code Art. 278); "
    "a local setting may be stricter, never weaker")
R_IMPOSSIBLE = declare("consent.rule_impossible", "同意比例要求“超过百分之百”，任何表决都不可能通过",
                       "The approval threshold “more than 100%” can never be reached")

E_UNIT_ID = declare("consent.unit_id_invalid", "专有部分编号应为整数：{value}", "A unit id must be an integer: {value}")
E_UNIT_DUPLICATE = declare("consent.unit_duplicate", "专有部分 {unit_id} 在应到名单中出现了 {count} 次",
                           "Unit {unit_id} appears {count} times in the list of eligible units")
E_UNIT_AREA = declare(
    "consent.unit_area_invalid",
    "专有部分 {unit_id} 的面积应为大于 0 且不超过 100000 平方米的精确数值（Decimal，不能是浮点数）：{value}",
    "The area of unit {unit_id} must be an exact number (Decimal, never a float) above 0 and at most 100000 m²: {value}")
E_UNIT_OWNER = declare("consent.unit_owner_missing", "专有部分 {unit_id} 没有业主标识，无法按人数计算",
                       "Unit {unit_id} has no owner identity, so owners cannot be counted")
E_UNIT_DEVELOPER = declare("consent.unit_developer_invalid", "专有部分 {unit_id} 的“开发建设单位未售出”应为是或否：{value}",
                           "Unit {unit_id}: “unsold developer unit” must be true or false: {value}")
E_BALLOT_UNKNOWN = declare("consent.ballot_unknown_unit", "表决票对应的专有部分 {value} 不在应到名单中",
                           "A ballot is for unit {value}, which is not in the list of eligible units")
E_BALLOT_DUPLICATE = declare("consent.ballot_duplicate", "专有部分 {unit_id} 有 {count} 张表决票；每个专有部分只能投一票",
                             "Unit {unit_id} has {count} ballots; each unit votes once")
E_BALLOT_CHOICE = declare(
    "consent.ballot_choice_invalid",
    "专有部分 {unit_id} 的表决意见无法识别：{value}（应为 赞成 yes、反对 no 或 弃权 abstain）",
    "Unit {unit_id}: unrecognised choice {value} (yes, no or abstain)")
E_OWNER_INCONSISTENT = declare(
    "consent.owner_inconsistent",
    "同一业主的多个专有部分表决意见不一致（专有部分 {units}：{choices}）；同一业主拥有多个专有部分的按一人计算，只能有一个表决意见",
    "One owner's units voted differently (units {units}: {choices_en}); an owner of several units counts as "
    "one person and has one opinion")
E_DEVELOPER_INCONSISTENT = declare(
    "consent.developer_inconsistent",
    "开发建设单位未售出的专有部分表决意见不一致（专有部分 {units}：{choices}）；未售出部分合计按一人计算，只能有一个表决意见",
    "The developer's unsold units voted differently (units {units}: {choices_en}); together they count as "
    "one person and have one opinion")

for _name, _labels in {
    "unit_id": ("专有部分", "unit"), "owner_key": ("业主标识", "owner identity"),
    "developer_unsold": ("开发建设单位未售出", "unsold developer unit"), "ballot": ("表决票", "ballot"),
    "choice": ("表决意见", "choice"), "matter": ("事项类型", "kind of matter"),
    "quorum": ("参与表决比例", "participation threshold"), "approval": ("同意比例", "approval threshold"),
    "approval_strict": ("须超过同意比例", "approval strictly above"),
}.items():
    FIELD_LABELS.setdefault(_name, _labels)


# --------------------------------------------------------------------------- words for fractions
_CN_DIGITS = "零一二三四五六七八九"


def _cn_int(n: int) -> str:
    """1..9999 in Chinese numerals (12 -> 十二, 105 -> 一百零五); larger numbers stay Arabic."""
    if not 0 < n < 10000:
        return str(n)
    out, zero = [], False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // place % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(("" if (unit == "十" and d == 1 and not out) else _CN_DIGITS[d]) + unit)
    return "".join(out)


def fraction_zh(f: Fraction) -> str:
    """2/3 -> 三分之二, 67/100 -> 百分之六十七, 1 -> 百分之百, 0 -> 零."""
    if f == 0:
        return "零"
    if f == 1:
        return "百分之百"
    q, p = f.denominator, f.numerator
    if q in (100, 1000) and p < 10000:
        return ("百分之" if q == 100 else "千分之") + _cn_int(p)
    return f"{_cn_int(q)}分之{_cn_int(p)}" if q < 10000 and p < 10000 else f"{p}/{q}"


_EN_FRACTIONS = {Fraction(1, 2): "one half", Fraction(2, 3): "two thirds", Fraction(3, 4): "three quarters",
                 Fraction(1, 3): "one third", Fraction(4, 5): "four fifths", Fraction(3, 5): "three fifths"}


def fraction_en(f: Fraction) -> str:
    if f in _EN_FRACTIONS:
        return _EN_FRACTIONS[f]
    if f == 1:
        return "100%"
    return str(f) if f.denominator != 1 else str(f.numerator)


def _at_least_zh(f: Fraction, strict: bool) -> str:
    if strict:
        return "过半数" if f == Fraction(1, 2) else f"超过{fraction_zh(f)}"
    return f"{fraction_zh(f)}以上"


def _at_least_en(f: Fraction, strict: bool) -> str:
    if strict:
        return "more than half" if f == Fraction(1, 2) else f"more than {fraction_en(f)}"
    return f"at least {fraction_en(f)}"


# ------------------------------------------------------------------------------------- percent
# ----------------------------------------------------------------------------------------- rule
def _fraction(value: Any) -> Fraction | None:
    """An exact fraction in [0, 1] from Fraction, int, Decimal or text ("2/3", "0.75"); never float."""
    if isinstance(value, (bool, float)):
        return None
    try:
        if isinstance(value, Decimal) and not value.is_finite():
            return None
        f = Fraction(value.strip()) if isinstance(value, str) else Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return f if 0 <= f <= 1 else None


@dataclass(frozen=True)
class Rule:
    """Thresholds for one kind of matter. None means the legal default for the matter; an
    approval_strict left None takes the legal strictness only when approval is the legal value
    (else False: "以上" includes the boundary). Names left empty are written from the thresholds."""

    matter: Matter
    quorum: Fraction | None = None  # participation needed, of area AND of headcount, "≥"
    approval: Fraction | None = None  # share of participants' area AND headcount saying yes
    approval_strict: bool | None = None  # True: more than approval (过半数); False: at least (以上)
    name_zh: str = ""
    name_en: str = ""

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        try:
            matter = Matter(self.matter)
        except ValueError:
            raise InputError(Problem(R_MATTER, {"value": shorten(self.matter)}, field="matter",
                                     value=shorten(self.matter, 200))) from None
        law = LEGAL.get(matter, _CONSULTATIVE_DEFAULT)
        quorum = law[0] if self.quorum is None else _fraction(self.quorum)
        if quorum is None:
            problems.append(Problem(R_QUORUM_INVALID, {"value": shorten(self.quorum)}, field="quorum",
                                    value=shorten(self.quorum, 200)))
        approval = law[1] if self.approval is None else _fraction(self.approval)
        if approval is None:
            problems.append(Problem(R_APPROVAL_INVALID, {"value": shorten(self.approval)}, field="approval",
                                    value=shorten(self.approval, 200)))
        strict = self.approval_strict
        if strict is None:
            strict = law[2] if approval == law[1] else False
        elif not isinstance(strict, bool):
            problems.append(Problem(R_STRICT_INVALID, {"value": shorten(strict)}, field="approval_strict",
                                    value=shorten(strict, 200)))
            strict = False
        if problems:
            raise InputError(problems)
        assert quorum is not None and approval is not None
        if approval == 1 and strict:
            problems.append(Problem(R_IMPOSSIBLE, {}, field="approval", value="1"))
        if matter in LEGAL:
            legal_quorum, legal_approval, legal_strict = law
            if quorum < legal_quorum:
                problems.append(Problem(R_QUORUM_WEAK, {"value": f"{fraction_zh(quorum)}以上",
                                                        "value_en": f"at least {fraction_en(quorum)}"},
                                        field="quorum", value=str(quorum)))
            # weaker = some share passes the override but not the law
            if approval < legal_approval or (approval == legal_approval and legal_strict and not strict):
                problems.append(Problem(R_APPROVAL_WEAK, {
                    "matter": MATTER_LABELS[matter][0],
                    "matter_en": ("an " if matter is Matter.ORDINARY else "a ") + MATTER_LABELS[matter][1],
                    "value": _at_least_zh(approval, strict), "value_en": _at_least_en(approval, strict),
                    "law": _at_least_zh(legal_approval, legal_strict),
                    "law_en": _at_least_en(legal_approval, legal_strict)}, field="approval", value=str(approval)))
        if problems:
            raise InputError(problems)
        object.__setattr__(self, "matter", matter)
        object.__setattr__(self, "quorum", quorum)
        object.__setattr__(self, "approval", approval)
        object.__setattr__(self, "approval_strict", strict)
        if not self.name_zh:
            object.__setattr__(self, "name_zh", self._name_zh())
        if not self.name_en:
            object.__setattr__(self, "name_en", self._name_en())

    @property
    def statutory(self) -> bool:
        """True for Art. 278 matters (area and headcount, quorum); False for a consultative vote."""
        return self.matter is not Matter.CONSULTATIVE

    @property
    def is_legal_default(self) -> bool:
        return (self.quorum, self.approval, self.approval_strict) == LEGAL.get(self.matter, _CONSULTATIVE_DEFAULT)

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang.startswith("en") else self.name_zh

    def _name_zh(self) -> str:
        assert self.quorum is not None and self.approval is not None and self.approval_strict is not None
        a = _at_least_zh(self.approval, self.approval_strict)
        if self.matter is Matter.CONSULTATIVE:
            q = "不设参与比例要求" if self.quorum == 0 else f"参与表决人数须占应到人数{fraction_zh(self.quorum)}以上"
            return (f"协商表决（简单多数，不属于《民法典》第二百七十八条规定的业主共同决定事项）：经参与表决人数{a}同意即通过，"
                    f"按人数计票，{q}，面积仅作记录")
        head = "民法典第二百七十八条" if self.is_legal_default else "本地规则（严于民法典第二百七十八条）"
        return (f"{head}：专有部分面积和人数均占比{fraction_zh(self.quorum)}以上的业主参与表决，"
                f"经参与表决专有部分面积{a}且参与表决人数{a}的业主同意")

    def _name_en(self) -> str:
        assert self.quorum is not None and self.approval is not None and self.approval_strict is not None
        a = _at_least_en(self.approval, self.approval_strict)
        if self.matter is Matter.CONSULTATIVE:
            q = ("no participation threshold" if self.quorum == 0
                 else f"participation of at least {fraction_en(self.quorum)} of the owners")
            return (f"Consultative vote (simple majority; not an owners' joint decision under Civil Code Art. 278): "
                    f"passed with the consent of {a} of the owners voting, counted by headcount, {q}; "
                    f"area recorded only")
        head = "Civil Code Art. 278" if self.is_legal_default else "Local rule (stricter than Civil Code Art. 278)"
        return (f"{head}: owners holding at least {fraction_en(self.quorum)} of the exclusive area and at least "
                f"{fraction_en(self.quorum)} of the owners take part; passed with the consent of {a} of the "
                f"participating area and {a} of the participating owners")


def default_rule(matter: Matter | str) -> Rule:
    """The legal rule (SPECIAL, ORDINARY) or the simple-majority consultative rule."""
    return Rule(Matter(matter))


def owner_key(person_id: int | None, id_number: str | None, household_id: int) -> str:
    """Who owns a unit, for counting owners once (民法典第278条: one owner of several units is one
    owner): the ID number (a legacy 15-digit number and its 18-digit form agree), else the person,
    else the household."""
    if id_number:
        return "id:" + max(id_variants(id_number), key=len)
    return f"person:{person_id}" if person_id else f"household:{household_id}"


# ---------------------------------------------------------------------------------- input/output
@dataclass(frozen=True)
class Unit:
    """One exclusive part (专有部分)."""

    unit_id: int
    owner_key: str  # identity of the owner, normalised by the caller; units of one owner share it
    area: Decimal  # registered > surveyed > contract area (the caller picks)
    developer_unsold: bool = False  # all unsold developer units together count as ONE person


@dataclass(frozen=True)
class Ballot:
    unit_id: int
    choice: str  # "yes" | "no" | "abstain" (赞成/反对/弃权 also read); a unit without a ballot did not take part


@dataclass(frozen=True)
class ConsentResult:
    rule: Rule
    eligible_units: int
    eligible_owners: int  # 应到 headcount: distinct owners, the unsold developer units = 1
    eligible_area: Decimal
    participating_units: int
    participating_owners: int  # 实到
    participating_area: Decimal
    yes_owners: int
    no_owners: int
    abstain_owners: int
    yes_area: Decimal
    no_area: Decimal
    abstain_area: Decimal
    participation_owner_share: Fraction
    participation_area_share: Fraction
    approval_owner_share: Fraction  # yes / participating
    approval_area_share: Fraction
    quorum_met: bool
    approved: bool
    passed: bool
    reasons: list[str] = field(default_factory=list)
    reasons_en: list[str] = field(default_factory=list)

    def reason_list(self, lang: str = "zh") -> list[str]:
        return self.reasons_en if lang.startswith("en") else self.reasons

    def summary(self, lang: str = "zh") -> str:
        """One paragraph: 应到, 实到, participation, yes/no/abstain, the rule, the result and why."""
        rule = self.rule
        assert rule.quorum is not None and rule.approval is not None
        po = _shown(self.participation_owner_share, rule.quorum)
        pa = _shown(self.participation_area_share, rule.quorum)
        ao = _shown(self.approval_owner_share, rule.approval)
        aa = _shown(self.approval_area_share, rule.approval)
        a = _area_text
        if lang.startswith("en"):
            result = "passed" if self.passed else "not passed"
            because = "; ".join(self.reasons_en)
            return (
                f"Eligible: {self.eligible_owners} owners ({self.eligible_units} units, {a(self.eligible_area)} m²); "
                f"present: {self.participating_owners} owners ({self.participating_units} units, "
                f"{a(self.participating_area)} m²); participation {po} by headcount and {pa} by area. "
                f"Yes {self.yes_owners} owners / {a(self.yes_area)} m², no {self.no_owners} / {a(self.no_area)} m², "
                f"abstain {self.abstain_owners} / {a(self.abstain_area)} m²; yes is {ao} of the participating "
                f"owners and {aa} of the participating area. Rule: {rule.name_en}. Result: {result}"
                + (f", because {because}." if because else "."))
        result = "通过" if self.passed else "未通过"
        because = "；".join(self.reasons)
        return (
            f"应到业主 {self.eligible_owners} 人（专有部分 {self.eligible_units} 套，面积 {a(self.eligible_area)} ㎡），"
            f"实到业主 {self.participating_owners} 人（专有部分 {self.participating_units} 套，"
            f"面积 {a(self.participating_area)} ㎡），参与表决人数占 {po}、面积占 {pa}。"
            f"赞成 {self.yes_owners} 人、面积 {a(self.yes_area)} ㎡，反对 {self.no_owners} 人、面积 {a(self.no_area)} ㎡，"
            f"弃权 {self.abstain_owners} 人、面积 {a(self.abstain_area)} ㎡；赞成占参与表决人数的 {ao}、"
            f"参与表决面积的 {aa}。适用规则：{rule.name_zh}。结果：{result}"
            + (f"，{'依据' if self.passed else '原因'}：{because}。" if because else "。"))


# ------------------------------------------------------------------------------------ evaluation
_DEVELOPER = ("developer",)


def _sum(values: Sequence[Decimal]) -> Decimal:
    with localcontext(prec=MAX_PREC):  # additions stay exact
        return sum(values, Decimal(0))


def _share(part: Fraction | int, whole: Fraction | int) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


def _meets(share: Fraction, threshold: Fraction, strict: bool) -> bool:
    return share > threshold if strict else share >= threshold


def _check_units(units: Sequence[Unit], problems: list[Problem]) -> dict[int, tuple[tuple, Decimal]]:
    """unit_id -> (person key, area) for the valid units; problems for the rest."""
    out: dict[int, tuple[tuple, Decimal]] = {}
    counts = Counter(u.unit_id for u in units)
    reported: set[int] = set()
    for u in units:
        uid = u.unit_id
        if not isinstance(uid, int) or isinstance(uid, bool):
            problems.append(Problem(E_UNIT_ID, {"value": shorten(uid)}, field="unit_id", value=shorten(uid, 200)))
            continue
        if counts[uid] > 1:
            if uid not in reported:
                reported.add(uid)
                problems.append(Problem(E_UNIT_DUPLICATE, {"unit_id": uid, "count": counts[uid]}, field="unit_id",
                                        value=str(uid)))
            continue
        ok = True
        area = u.area
        if isinstance(area, int) and not isinstance(area, bool):
            area = Decimal(area)
        if not isinstance(area, Decimal) or not area.is_finite() or not 0 < area <= MAX_UNIT_AREA:
            problems.append(Problem(E_UNIT_AREA, {"unit_id": uid, "value": shorten(u.area)}, field="area",
                                    value=shorten(u.area, 200)))
            ok = False
        if not isinstance(u.developer_unsold, bool):
            problems.append(Problem(E_UNIT_DEVELOPER, {"unit_id": uid, "value": shorten(u.developer_unsold)},
                                    field="developer_unsold", value=shorten(u.developer_unsold, 200)))
            ok = False
        elif not u.developer_unsold and (not isinstance(u.owner_key, str) or not u.owner_key.strip()):
            problems.append(Problem(E_UNIT_OWNER, {"unit_id": uid}, field="owner_key"))  # the key may be an ID number
            ok = False
        if ok:
            key = _DEVELOPER if u.developer_unsold else ("owner", u.owner_key.strip())
            out[uid] = (key, area)
    return out


def _check_ballots(ballots: Sequence[Ballot], known: set[int], problems: list[Problem]) -> dict[int, Choice]:
    out: dict[int, Choice] = {}
    counts = Counter(b.unit_id for b in ballots)
    reported: set[Any] = set()
    for b in ballots:
        uid = b.unit_id
        if isinstance(uid, bool) or uid not in known:
            if uid not in reported:
                reported.add(uid)
                problems.append(Problem(E_BALLOT_UNKNOWN, {"value": shorten(uid)}, field="ballot",
                                        value=shorten(uid, 200)))
            continue
        if counts[uid] > 1:
            if uid not in reported:
                reported.add(uid)
                problems.append(Problem(E_BALLOT_DUPLICATE, {"unit_id": uid, "count": counts[uid]}, field="ballot",
                                        value=str(uid)))
            continue
        raw = b.choice
        choice = parse_choice(raw)
        if choice is None:
            problems.append(Problem(E_BALLOT_CHOICE, {"unit_id": uid, "value": shorten(raw)}, field="choice",
                                    value=shorten(raw, 200)))
            continue
        out[uid] = choice
    return out


def evaluate(units: Sequence[Unit], ballots: Sequence[Ballot], rule: Rule) -> ConsentResult:
    """Count the ballots of the eligible units under the rule (see the module docstring)."""
    problems: list[Problem] = []
    unit_info = _check_units(units, problems)
    valid_ids = {u.unit_id for u in units if isinstance(u.unit_id, int) and not isinstance(u.unit_id, bool)}
    choices = _check_ballots(ballots, valid_ids, problems)
    if problems:
        raise InputError(problems)

    # persons: key -> their unit ids; a person's choice from the ballots on their units
    persons: dict[tuple, list[int]] = {}
    for uid, (key, _area) in unit_info.items():
        persons.setdefault(key, []).append(uid)
    person_choice: dict[tuple, Choice] = {}
    for key in sorted(persons, key=repr):
        uids = sorted(persons[key])
        voted = {uid: choices[uid] for uid in uids if uid in choices}
        distinct = set(voted.values())
        if len(distinct) > 1:
            code = E_DEVELOPER_INCONSISTENT if key == _DEVELOPER else E_OWNER_INCONSISTENT
            problems.append(Problem(code, {
                "units": "、".join(map(str, voted)),
                "choices": "、".join(f"{uid} {CHOICE_LABELS[c][0]}" for uid, c in voted.items()),
                "choices_en": ", ".join(f"{uid} {CHOICE_LABELS[c][1]}" for uid, c in voted.items())},
                field="ballot", value=", ".join(map(str, voted))))
        elif distinct:
            person_choice[key] = distinct.pop()
    if problems:
        raise InputError(problems)

    def area_of(keys: Sequence[tuple]) -> Decimal:
        return _sum([unit_info[uid][1] for k in keys for uid in persons[k]])

    by_choice = {c: [k for k, v in person_choice.items() if v is c] for c in Choice}
    participating = list(person_choice)
    yes_area, no_area, abstain_area = (area_of(by_choice[c]) for c in Choice)
    tally = Tally(eligible_units=len(unit_info), eligible_owners=len(persons), eligible_area=area_of(list(persons)),
                  participating_units=sum(len(persons[k]) for k in participating),
                  yes_owners=len(by_choice[Choice.YES]), no_owners=len(by_choice[Choice.NO]),
                  abstain_owners=len(by_choice[Choice.ABSTAIN]), yes_area=yes_area, no_area=no_area,
                  abstain_area=abstain_area)
    return decide(tally, rule)


@dataclass(frozen=True)
class Tally:
    """Counted votes: persons (owners) and their exclusive area, before any rule is applied.

    Participating = yes + no + abstain. Built by `evaluate` from units and ballots, or by a caller
    that counted otherwise (paper ballots typed in, a show of hands), checked by `check_tally`."""

    eligible_units: int
    eligible_owners: int
    eligible_area: Decimal
    participating_units: int
    yes_owners: int
    no_owners: int
    abstain_owners: int
    yes_area: Decimal
    no_area: Decimal
    abstain_area: Decimal

    @property
    def participating_owners(self) -> int:
        return self.yes_owners + self.no_owners + self.abstain_owners

    @property
    def participating_area(self) -> Decimal:
        return _sum([self.yes_area, self.no_area, self.abstain_area])


def decide(tally: Tally, rule: Rule) -> ConsentResult:
    """Apply a rule to counted votes: quorum and approval, each by headcount AND area (Art. 278) or
    by headcount only (consultative), with one reason per condition."""
    eligible_area, participating_area = tally.eligible_area, tally.participating_area
    yes_area, no_area, abstain_area = tally.yes_area, tally.no_area, tally.abstain_area
    n_eligible, n_part, n_yes = tally.eligible_owners, tally.participating_owners, tally.yes_owners

    part_owner = _share(n_part, n_eligible)
    part_area = _share(Fraction(participating_area), Fraction(eligible_area))
    appr_owner = _share(n_yes, n_part)
    appr_area = _share(Fraction(yes_area), Fraction(participating_area))

    assert rule.quorum is not None and rule.approval is not None and rule.approval_strict is not None
    q, a, strict = rule.quorum, rule.approval, rule.approval_strict
    met: list[tuple[bool, str, str]] = []  # (condition holds, zh sentence, en sentence)

    def cond(ok: bool, zh: str, en: str) -> None:
        met.append((ok, zh, en))

    def verdict_zh(ok: bool, threshold: Fraction, is_strict: bool) -> str:
        if is_strict:
            if threshold == Fraction(1, 2):
                return "过半数" if ok else "未过半数"
            return ("超过" if ok else "未超过") + fraction_zh(threshold)
        return ("达到" if ok else "未达到") + fraction_zh(threshold)

    def verdict_en(ok: bool, threshold: Fraction, is_strict: bool) -> str:
        if is_strict:
            if threshold == Fraction(1, 2):
                return "more than half" if ok else "not more than half"
            return ("more than " if ok else "not more than ") + fraction_en(threshold)
        return ("reaching " if ok else "short of ") + fraction_en(threshold)

    at = _area_text
    if n_eligible == 0:
        quorum_met = approved = False
        cond(False, "应到业主为 0 人（没有专有部分），无法表决", "There are no eligible owners (no units), so there is nothing to vote on")
    elif rule.statutory:
        ok_qo, ok_qa = part_owner >= q, part_area >= q
        quorum_met = ok_qo and ok_qa
        cond(ok_qo, f"参与表决的业主人数占 {_shown(part_owner, q)}（{n_part}/{n_eligible} 人），{verdict_zh(ok_qo, q, False)}",
             f"participating owners are {_shown(part_owner, q)} of the owners ({n_part}/{n_eligible}), "
             f"{verdict_en(ok_qo, q, False)}")
        cond(ok_qa, f"参与表决的专有部分面积占 {_shown(part_area, q)}（{at(participating_area)}/{at(eligible_area)} ㎡），"
             f"{verdict_zh(ok_qa, q, False)}",
             f"the participating area is {_shown(part_area, q)} of the exclusive area "
             f"({at(participating_area)}/{at(eligible_area)} m²), {verdict_en(ok_qa, q, False)}")
        if n_part == 0:
            approved = False
            cond(False, "无人参与表决", "nobody took part")
        else:
            ok_ao, ok_aa = _meets(appr_owner, a, strict), _meets(appr_area, a, strict)
            approved = ok_ao and ok_aa
            cond(ok_ao, f"赞成的业主人数占参与表决人数的 {_shown(appr_owner, a)}（{n_yes}/{n_part} 人），"
                 f"{verdict_zh(ok_ao, a, strict)}",
                 f"owners voting yes are {_shown(appr_owner, a)} of the participating owners ({n_yes}/{n_part}), "
                 f"{verdict_en(ok_ao, a, strict)}")
            cond(ok_aa, f"赞成的专有部分面积占参与表决面积的 {_shown(appr_area, a)}（{at(yes_area)}/{at(participating_area)} ㎡），"
                 f"{verdict_zh(ok_aa, a, strict)}",
                 f"the area voting yes is {_shown(appr_area, a)} of the participating area "
                 f"({at(yes_area)}/{at(participating_area)} m²), {verdict_en(ok_aa, a, strict)}")
    else:  # consultative: headcount only
        quorum_met = part_owner >= q
        if q > 0:
            cond(quorum_met, f"参与表决的业主人数占 {_shown(part_owner, q)}（{n_part}/{n_eligible} 人），"
                 f"{verdict_zh(quorum_met, q, False)}",
                 f"participating owners are {_shown(part_owner, q)} of the owners ({n_part}/{n_eligible}), "
                 f"{verdict_en(quorum_met, q, False)}")
        if n_part == 0:
            approved = False
            cond(False, "无人参与表决", "nobody took part")
        else:
            approved = _meets(appr_owner, a, strict)
            cond(approved, f"协商表决按人数计：赞成 {n_yes} 人，占参与表决 {n_part} 人的 {_shown(appr_owner, a)}，"
                 f"{verdict_zh(approved, a, strict)}",
                 f"consultative vote by headcount: {n_yes} yes of {n_part} owners voting, {_shown(appr_owner, a)}, "
                 f"{verdict_en(approved, a, strict)}")
    passed = quorum_met and approved
    chosen = [m for m in met if m[0]] if passed else [m for m in met if not m[0]]
    return ConsentResult(
        rule=rule, eligible_units=tally.eligible_units, eligible_owners=n_eligible, eligible_area=eligible_area,
        participating_units=tally.participating_units, participating_owners=n_part,
        participating_area=participating_area, yes_owners=n_yes, no_owners=tally.no_owners,
        abstain_owners=tally.abstain_owners, yes_area=yes_area, no_area=no_area, abstain_area=abstain_area,
        participation_owner_share=part_owner, participation_area_share=part_area,
        approval_owner_share=appr_owner, approval_area_share=appr_area,
        quorum_met=quorum_met, approved=approved, passed=passed,
        reasons=[zh for _ok, zh, _en in chosen], reasons_en=[en for _ok, _zh, en in chosen],
    )
