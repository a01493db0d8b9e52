"""rules/numbers.py: the one set of date, share and area formats (they were four modules' copies)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, strategies as st

from renewal_desk.core.rules import numbers


def test_formats_as_people_read_them():
    assert numbers.cn_date(date(2026, 1, 1)) == "2026年1月1日" and numbers.cn_date(None) == ""
    assert numbers.percent(Fraction(2, 3)) == "66.7%" and numbers.percent(Fraction(1, 16)) == "6.3%"
    assert numbers.share_text(None) == "—" and numbers.share_text(1) == "100.0%"
    assert numbers.shown(Fraction(6665, 10000), Fraction(2, 3)) == "66.65%"
    assert numbers.shown(Fraction(1, 2), Fraction(1, 2)) == "50.0%"
    assert numbers.percent_text(Decimal("2.50")) == "2.5%" and numbers.percent_text(Fraction(5, 6)) == "83.3%"
    assert numbers.area_text(Decimal("1200.00")) == "1,200" and numbers.area_text(Decimal("85.60")) == "85.6"
    assert numbers.area_exact(Decimal("1200.50")) == "1,200.50"
    assert numbers.area_register(Decimal("85.6")) == "85.60" and numbers.area_register(None) == ""


@given(st.integers(-10**6, 10**6), st.integers(1, 10**6), st.integers(0, 4))
def test_percent_rounds_half_up_exactly(num, den, places):
    f = Fraction(num, den)
    scaled = abs(f) * 100 * 10**places
    n = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    whole, frac = divmod(n, 10**places)
    sign = "-" if f < 0 and n else ""
    assert numbers.percent(f, places) == (f"{sign}{whole}.{frac:0{places}d}%" if places else f"{sign}{whole}%")
