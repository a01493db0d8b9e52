"""Dates, shares and areas as people read them: the one exact set every rule, service and printout uses.

Pure functions, no database. Shares are exact fractions rounded half-up (away from zero) with integer
arithmetic, never floats: 2/3 → "66.7%", 1/16 → "6.3%".
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_CENT = Decimal("0.01")


# ------------------------------------------------------------------------------------------- dates
def cn_date(d: date | None) -> str:
    """2026年1月1日 ("" for None)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


# ------------------------------------------------------------------------------------------ shares
def percent(f: Fraction | int, places: int = 1) -> str:
    """A share for display, rounded half-up (away from zero) exactly: 2/3 -> "66.7%", 1/16 -> "6.3%"."""
    f = Fraction(f)
    # integer arithmetic on numerator/denominator (the same exact rounding as with Fractions, ~10× faster:
    # a consent table at 100,000 households formats ~250,000 shares)
    n, rest = divmod(abs(f.numerator) * 100 * 10**places, f.denominator)
    if 2 * rest >= f.denominator:
        n += 1
    sign = "-" if f < 0 and n else ""
    whole, frac = divmod(n, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}%" if places > 0 else f"{sign}{whole}%"


def share_text(f: Fraction | int | None, places: int = 1) -> str:
    """percent(f), "—" for None (a share with nothing to share: no owners, no area)."""
    return "—" if f is None else percent(f, places)


def shown(f: Fraction | None, threshold: Fraction | None, places: int = 1) -> str:
    """share_text(f), with more places while it would read the same as the threshold it differs from
    (66.7% against ⅔ reads "66.6667%"): a table then agrees with the result's reasons."""
    if f is not None and threshold is not None:
        while places < 8 and f != threshold and percent(f, places) == percent(threshold, places):
            places += 1
    return share_text(f, places)


def percent_text(value: Decimal | Fraction | int | str) -> str:
    """A number of percent exactly as given: Decimal("10") → "10%", Decimal("2.50") → "2.5%"; a Fraction is a
    share, cut (not rounded) to one decimal: Fraction(5, 6) → "83.3%" (the acceptance rule's satisfaction)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator * 1000 // value.denominator) / 10
    return f"{Decimal(value).normalize():f}%"


# ------------------------------------------------------------------------------------------- areas
def area_text(a: Decimal) -> str:
    """An area in a sentence or on the wall: 1200.00 -> "1,200", 85.60 -> "85.6": exact, no trailing zeros."""
    if a == a.to_integral_value():
        return format(int(a), ",")
    return format(a.normalize(), ",f")


def area_exact(a: Decimal) -> str:
    """An area as stored, every place kept: 1200.50 -> "1,200.50" (a vote's reasons name the sums as counted)."""
    return format(a, ",f")


def area_register(area: Decimal | None) -> str:
    """An area in a register's column: two places, half-up: 85.6 -> "85.60", None -> ""."""
    if area is None:
        return ""
    return f"{Decimal(area).quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}"
