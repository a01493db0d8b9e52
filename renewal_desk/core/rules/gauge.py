"""The "still needed" gauge of a vote (issue 20): how many more owners and how much more exclusive area
must take part, and say yes, for the motion's rule to be met — from the same counted figures the verdict
is computed from (a consent.ConsentResult), exact (Fraction), never a verdict itself.

- Participation (quorum, "≥"): owners ⌈q·应到⌉ − 实到; area q·应到面积 − 参与面积 (never below 0).
- Approval is a share of the participants: the basis is the participants so far, or the least
  participation meeting the quorum when that is not reached yet (a lower bound: more participants may
  need more yes). "以上" (≥ a) needs ⌈a·B⌉ yes; "过半数/超过" (> a) needs ⌊a·B⌋ + 1 owners and more
  than a·B of area (shown as 多于 x ㎡).
- Area shown rounded up to 0.01 ㎡ so the figure shown is always enough; the exact Fraction is kept.
- One owner of several units counts once: the result already counts owners, not units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from renewal_desk.core.rules.consent import ConsentResult, fraction_en, fraction_zh

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Gauge:
    with_area: bool
    quorum: Fraction
    approval: Fraction
    strict: bool  # approval is "more than" (过半数 / 超过)
    owners_to_take_part: int
    area_to_take_part: Fraction
    owners_to_agree: int
    area_to_agree: Fraction
    area_to_agree_more_than: bool  # the yes area must exceed area_to_agree (strict approval, not yet exceeded)

    def text(self, lang: str = "zh") -> str:
        en = lang.startswith("en")
        part = self._pair(self.owners_to_take_part, self.area_to_take_part, False, en)
        agree = self._pair(self.owners_to_agree, self.area_to_agree, self.area_to_agree_more_than, en)
        if en:
            agreeing = f"to agree ({'more than ' if self.strict else ''}{fraction_en(self.approval)}): {agree} more"
            if not self.quorum:  # no participation threshold (a consultative vote): only agreement counts
                return agreeing[0].upper() + agreeing[1:]
            return f"To take part ({fraction_en(self.quorum)}): {part} more; " + agreeing
        a = ("过半数" if self.approval == Fraction(1, 2) else "超过" + fraction_zh(self.approval)) if self.strict \
            else fraction_zh(self.approval)
        agreeing = f"同意（{a}）还差 {agree}"
        if not self.quorum:
            return agreeing
        return f"参与表决（{fraction_zh(self.quorum)}）还差 {part}；" + agreeing

    def _pair(self, owners: int, area: Fraction, more_than: bool, en: bool) -> str:
        people = f"{owners} owners" if en else f"{owners} 人"
        if not self.with_area:
            return people
        shown = area_shown(area)
        if en:
            return f"{people} / {'more than ' if more_than else ''}{shown} m²"
        return f"{people} / {'多于 ' if more_than else ''}{shown} ㎡"


def area_shown(area: Fraction) -> str:
    """An exact area rounded up to 0.01 ㎡ ("1.5" -> "1.50", 118344.875 -> "118,344.88"), so the amount shown
    always suffices; grouped by thousands like every other area on the slide."""
    value = (Decimal(area.numerator) / Decimal(area.denominator)).quantize(_CENT, rounding=ROUND_CEILING)
    return f"{value:,.2f}"


def _needed(threshold: Fraction, base: Fraction, strict: bool) -> Fraction:
    """The least whole count meeting the threshold of base (≥, or > when strict)."""
    exact = threshold * base
    return Fraction(math.floor(exact) + 1) if strict else Fraction(math.ceil(exact))


def still_needed(result: ConsentResult, with_area: bool) -> Gauge:
    rule = result.rule
    assert rule.quorum is not None and rule.approval is not None and rule.approval_strict is not None
    q, a, strict = rule.quorum, rule.approval, rule.approval_strict
    eligible_area, part_area = Fraction(result.eligible_area), Fraction(result.participating_area)
    yes_area = Fraction(result.yes_area)
    quorum_owners = int(_needed(q, Fraction(result.eligible_owners), False))
    quorum_area = q * eligible_area
    owners_part = max(0, quorum_owners - result.participating_owners)
    area_part = max(Fraction(0), quorum_area - part_area)
    basis_owners = max(result.participating_owners, quorum_owners)
    basis_area = max(part_area, quorum_area)
    owners_yes = max(0, int(_needed(a, Fraction(basis_owners), strict)) - result.yes_owners)
    area_limit = a * basis_area
    more_than = strict and yes_area <= area_limit
    area_yes = max(Fraction(0), area_limit - yes_area)
    return Gauge(with_area, q, a, strict, owners_part, area_part, owners_yes, area_yes, more_than)
