"""Rent-storage (收储租) lease rules: stepped rents, instalment schedule, payments and arrears."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.lease import (
    PER_YEAR, Frequency, LeaseTerms, PaymentIn, account, add_months, annual_rents, lease_end, schedule,
    step_multiplier_text, total_rent_fen, validate_terms,
)
from renewal_desk.core.rules.money import format_fen

D = date
BASE = 1_200_000  # ¥12,000.00 a year
ISSUE_RENTS = [1_200_000] * 3 + [1_320_000] * 3 + [1_452_000] * 3 + [1_597_200] * 3 + [1_756_920] * 3 \
    + [1_932_612] * 3 + [2_125_873] * 2


def terms(**kw):
    return LeaseTerms(**{"start": D(2024, 1, 1), "term_months": 240, "base_annual_rent_fen": BASE, **kw})


def per_year(insts):
    out = {}
    for i in insts:
        out.setdefault(i.lease_year, []).append(i)
    return out


# ----------------------------------------------------------------------------------- the issue
def test_issue_contract_annual():
    t = terms()
    years = annual_rents(t)
    assert [y.rent_fen for y in years] == ISSUE_RENTS
    assert [y.full_rent_fen for y in years] == ISSUE_RENTS
    assert [y.index for y in years] == list(range(1, 21)) and all(y.months == 12 for y in years)
    assert total_rent_fen(t) == 32_027_942 and format_fen(total_rent_fen(t)) == "320,279.42"
    insts = schedule(t)
    assert [i.amount_fen for i in insts] == ISSUE_RENTS
    assert [i.due_date for i in insts] == [D(2024 + k, 1, 1) for k in range(20)]
    assert lease_end(t) == D(2043, 12, 31) == insts[-1].period_end == years[-1].end
    assert years[0].end == D(2024, 12, 31) and years[1].start == D(2025, 1, 1)


def test_issue_contract_quarterly():
    insts = schedule(terms(frequency="quarterly"))
    assert len(insts) == 80 and [i.seq for i in insts] == list(range(1, 81))
    by_year = per_year(insts)
    assert [sum(i.amount_fen for i in by_year[k]) for k in range(1, 21)] == ISSUE_RENTS
    # year 19: 2,125,873 = 3 × 531,468 + 531,469 (odd fen to the last quarter)
    assert [i.amount_fen for i in by_year[19]] == [531_468, 531_468, 531_468, 531_469]
    assert [i.due_date for i in by_year[1]] == [D(2024, 1, 1), D(2024, 4, 1), D(2024, 7, 1), D(2024, 10, 1)]
    assert [i.period_end for i in by_year[1]] == [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 31)]
    assert sum(i.amount_fen for i in insts) == 32_027_942


def test_issue_contract_monthly():
    insts = schedule(terms(frequency=Frequency.MONTHLY))
    assert len(insts) == 240
    by_year = per_year(insts)
    assert [sum(i.amount_fen for i in by_year[k]) for k in range(1, 21)] == ISSUE_RENTS
    assert [i.amount_fen for i in by_year[19]] == [177_156] * 11 + [177_157]
    assert sum(i.amount_fen for i in insts) == 32_027_942


def test_semiannual():
    insts = schedule(terms(term_months=24, frequency="semiannual", due_day=10))
    assert [(i.period_start, i.period_end, i.due_date, i.amount_fen) for i in insts] == [
        (D(2024, 1, 1), D(2024, 6, 30), D(2024, 1, 10), 600_000),
        (D(2024, 7, 1), D(2024, 12, 31), D(2024, 7, 10), 600_000),
        (D(2025, 1, 1), D(2025, 6, 30), D(2025, 1, 10), 600_000),
        (D(2025, 7, 1), D(2025, 12, 31), D(2025, 7, 10), 600_000),
    ]


def test_term_241_refused_240_accepted():
    with pytest.raises(InputError) as e:
        schedule(terms(term_months=241))
    [p] = e.value.problems
    assert (p.code, p.field) == ("lease.term_too_long", "term_months")
    assert "《民法典》第七百零五条：租赁期限不得超过二十年，超过部分无效" in p.message("zh")
    assert "Art. 705" in p.message("en")
    validate_terms(terms(term_months=240))
    assert len(annual_rents(terms(term_months=240))) == 20


def test_every_problem_listed_with_its_field():
    bad = LeaseTerms(D(2024, 1, 1), 0, 0, Decimal("-1"), 0, True, "weekly", 29)
    with pytest.raises(InputError) as e:
        validate_terms(bad)
    assert [(p.code, p.field) for p in e.value.problems] == [
        ("lease.term_too_short", "term_months"), ("lease.base_rent_range", "base_annual_rent"),
        ("lease.step_percent_range", "step_percent"), ("lease.step_interval_range", "step_interval_years"),
        ("lease.frequency_unknown", "frequency"), ("lease.due_day_range", "due_day"),
    ]
    assert all(p.message("en") != p.code and p.message("zh") != p.code for p in e.value.problems)
    assert "年租金" in e.value.describe("zh") and "annual rent" in e.value.describe("en")


@pytest.mark.parametrize("kw, code", [
    ({"term_months": -5}, "lease.term_too_short"), ({"term_months": True}, "lease.term_too_short"),
    ({"term_months": 12.0}, "lease.term_too_short"), ({"base_annual_rent_fen": 10**12 + 1}, "lease.base_rent_range"),
    ({"base_annual_rent_fen": -1}, "lease.base_rent_range"), ({"base_annual_rent_fen": 1.5}, "lease.base_rent_range"),
    ({"step_percent": Decimal("100.01")}, "lease.step_percent_range"),
    ({"step_percent": Decimal("NaN")}, "lease.step_percent_range"), ({"step_percent": "10"}, "lease.step_percent_range"),
    ({"step_interval_years": 21}, "lease.step_interval_range"), ({"frequency": "ANNUAL"}, "lease.frequency_unknown"),
    ({"frequency": None}, "lease.frequency_unknown"), ({"due_day": 0}, "lease.due_day_range"),
    ({"start": "2024-01-01"}, "lease.start_invalid"), ({"start": D(9990, 1, 1)}, "lease.start_invalid"),
])
def test_single_problem(kw, code):
    with pytest.raises(InputError) as e:
        total_rent_fen(terms(**kw))
    assert [p.code for p in e.value.problems] == [code]


@pytest.mark.parametrize("kw", [
    {"term_months": 1}, {"base_annual_rent_fen": 1}, {"base_annual_rent_fen": 10**12}, {"step_percent": 0},
    {"step_percent": Decimal("100")}, {"step_interval_years": 1}, {"step_interval_years": 20}, {"due_day": 28},
])
def test_boundaries_accepted(kw):
    validate_terms(terms(**kw))


# -------------------------------------------------------------------------------------- rents
def test_flat_stepping():
    years = annual_rents(terms(compounding=False))
    assert years[6].full_rent_fen == 1_440_000  # 12000 × 1.2
    assert [years[k].rent_fen for k in (0, 3, 6, 9, 18)] == [1_200_000, 1_320_000, 1_440_000, 1_560_000, 1_920_000]


def test_compounding_rounds_each_step_half_up():
    # 15 fen: 15 × 1.1 = 16.5 -> 17 (half-up, not 16); 17 × 1.1 = 18.7 -> 19 (not 15 × 1.21 = 18.15 -> 18)
    assert [y.rent_fen for y in annual_rents(terms(base_annual_rent_fen=15, term_months=84))][::3] == [15, 17, 19]
    # 2.5 %: 1,260,750 × 1.025 = 1,292,268.75 -> 1,292,269
    fractional = annual_rents(terms(step_percent=Decimal("2.5"), step_interval_years=1, term_months=48))
    assert [y.rent_fen for y in fractional] == [1_200_000, 1_230_000, 1_260_750, 1_292_269]
    # flat: 15 × 1.1 = 16.5 -> 17, 15 × 1.2 = 18
    assert [y.rent_fen for y in annual_rents(terms(base_annual_rent_fen=15, term_months=84, compounding=False))][::3] \
        == [15, 17, 18]


def test_zero_step_and_float_percent_via_repr():
    assert {y.rent_fen for y in annual_rents(terms(step_percent=0))} == {BASE}
    assert annual_rents(terms(step_percent=10.0)) == annual_rents(terms())


def test_thirty_month_lease_final_half_year():
    t = terms(term_months=30)
    years = annual_rents(t)
    assert [(y.index, y.months, y.full_rent_fen, y.rent_fen) for y in years] == [
        (1, 12, BASE, BASE), (2, 12, BASE, BASE), (3, 6, BASE, 600_000)]
    assert years[2].start == D(2026, 1, 1) and years[2].end == D(2026, 6, 30) == lease_end(t)
    assert total_rent_fen(t) == 3_000_000
    # interval 2: year 3 is stepped, then halved
    assert annual_rents(terms(term_months=30, step_interval_years=2))[2].rent_fen == 660_000
    quarterly = per_year(schedule(terms(term_months=30, frequency="quarterly")))[3]
    assert [(i.period_start, i.period_end, i.amount_fen) for i in quarterly] == [
        (D(2026, 1, 1), D(2026, 3, 31), 300_000), (D(2026, 4, 1), D(2026, 6, 30), 300_000)]
    annual = schedule(t)
    assert [(i.period_start, i.period_end, i.amount_fen) for i in annual][-1] == (D(2026, 1, 1), D(2026, 6, 30), 600_000)


def test_partial_year_pro_rata_half_up_and_cut_period():
    assert annual_rents(terms(base_annual_rent_fen=1_000_001, term_months=18))[1].rent_fen == 500_001  # 500000.5
    # 17 months of 1 yuan a year, quarterly: year 2 = round(100 × 5/12 = 41.67) = 42 fen over 3 + 2 months
    year2 = per_year(schedule(terms(base_annual_rent_fen=100, term_months=17, frequency="quarterly")))[2]
    assert [(i.period_start, i.period_end, i.amount_fen) for i in year2] == [
        (D(2025, 1, 1), D(2025, 3, 31), 25), (D(2025, 4, 1), D(2025, 5, 31), 17)]
    # 14 months quarterly: one 2-month period, cut at the lease end
    year2 = per_year(schedule(terms(term_months=14, frequency="quarterly")))[2]
    assert [(i.period_start, i.period_end, i.amount_fen) for i in year2] == [(D(2025, 1, 1), D(2025, 2, 28), 200_000)]


def test_step_multiplier_text():
    t = terms()
    assert [step_multiplier_text(t, k) for k in (1, 3, 4, 7, 10)] == ["1×", "1×", "1.1×", "1.21×", "1.331×"]
    assert step_multiplier_text(terms(compounding=False), 7) == "1.2×"
    assert step_multiplier_text(terms(step_percent=Decimal("2.5"), step_interval_years=1), 4) == "1.0769×"


# ------------------------------------------------------------------------------------ calendar
def test_add_months_clamps():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 1, 31), 13) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 2) == D(2024, 3, 31)  # from the start, not chained
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)


def test_month_end_start_monthly():
    insts = schedule(terms(start=D(2024, 1, 31), term_months=14, frequency="monthly", due_day=28))
    starts = [i.period_start for i in insts]
    assert starts[:5] == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]
    assert starts[12:] == [D(2025, 1, 31), D(2025, 2, 28)]
    assert [i.period_end for i in insts[:3]] == [D(2024, 2, 28), D(2024, 3, 30), D(2024, 4, 29)]
    # due on the 28th of the period's first month, never before the period starts
    assert [i.due_date for i in insts[:3]] == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)]
    assert insts[-1].period_end == D(2025, 3, 30) == lease_end(terms(start=D(2024, 1, 31), term_months=14))


def test_leap_day_start_years():
    years = annual_rents(terms(start=D(2024, 2, 29), term_months=60))
    assert [y.start for y in years] == [D(2024, 2, 29), D(2025, 2, 28), D(2026, 2, 28), D(2027, 2, 28), D(2028, 2, 29)]
    assert years[0].end == D(2025, 2, 27) and years[-1].end == D(2029, 2, 27)


def test_due_day_rules():
    later = schedule(terms(start=D(2024, 3, 15), term_months=12, frequency="quarterly", due_day=20))
    assert [i.due_date for i in later] == [D(2024, 3, 20), D(2024, 6, 20), D(2024, 9, 20), D(2024, 12, 20)]
    earlier = schedule(terms(start=D(2024, 3, 15), term_months=12, frequency="quarterly", due_day=10))
    assert [i.due_date for i in earlier] == [D(2024, 3, 15), D(2024, 6, 15), D(2024, 9, 15), D(2024, 12, 15)]


# --------------------------------------------------------------------------------- properties
valid_terms = st.builds(
    LeaseTerms,
    start=st.dates(D(2000, 1, 1), D(2040, 12, 31)),
    term_months=st.integers(1, 240),
    base_annual_rent_fen=st.integers(1, 10**9),
    step_percent=st.integers(0, 5000).map(lambda c: Decimal(c).scaleb(-2)),
    step_interval_years=st.integers(1, 10),
    compounding=st.booleans(),
    frequency=st.sampled_from(list(Frequency)).map(str),
    due_day=st.integers(1, 28),
)


@settings(max_examples=300, deadline=None)
@given(valid_terms)
def test_schedule_properties(t):
    years, insts = annual_rents(t), schedule(t)
    total = total_rent_fen(t)
    assert sum(i.amount_fen for i in insts) == total == sum(y.rent_fen for y in years)
    assert all(i.amount_fen >= 0 for i in insts)
    assert [i.seq for i in insts] == list(range(1, len(insts) + 1))
    # periods contiguous, in order, covering the lease exactly; same for the years
    assert insts[0].period_start == t.start == years[0].start and insts[-1].period_end == lease_end(t) == years[-1].end
    for a, b in zip(insts, insts[1:]):
        assert b.period_start == a.period_end + timedelta(days=1) and a.due_date <= b.due_date
    for a, b in zip(years, years[1:]):
        assert b.start == a.end + timedelta(days=1)
    assert sum(y.months for y in years) == t.term_months
    n = PER_YEAR[Frequency(t.frequency)]
    by_year = per_year(insts)
    for y in years:
        group = by_year[y.index]
        assert sum(i.amount_fen for i in group) == y.rent_fen
        assert group[0].period_start == y.start and group[-1].period_end == y.end
        assert len(group) == (n if y.months == 12 else -(-y.months * n // 12))
        if y.months == 12:
            assert {i.amount_fen for i in group[:-1]} <= {y.rent_fen // n}
    for i in insts:
        assert i.period_start <= i.due_date <= i.period_end and i.due_date.month == i.period_start.month
        assert i.due_date == i.period_start or i.due_date.day == t.due_day
    full = [y.full_rent_fen for y in years]
    assert full == sorted(full) and full[0] == t.base_annual_rent_fen
    assert all(y.rent_fen == y.full_rent_fen for y in years if y.months == 12)


# ----------------------------------------------------------------------------------- payments
Q = schedule(LeaseTerms(D(2025, 1, 1), 12, BASE, frequency="quarterly"))  # 4 × 300,000 due Jan/Apr/Jul/Oct 1


def pay(*items):
    return [PaymentIn(k + 1, d, a) for k, (d, a) in enumerate(items)]


def test_quarterly_fixture():
    assert [(i.due_date, i.amount_fen) for i in Q] == [
        (D(2025, 1, 1), 300_000), (D(2025, 4, 1), 300_000), (D(2025, 7, 1), 300_000), (D(2025, 10, 1), 300_000)]


def test_zero_payments():
    on_due = account(Q, [], D(2025, 1, 1))
    assert (on_due.paid_fen, on_due.due_fen, on_due.arrears_fen, on_due.credit_fen) == (0, 300_000, 0, 0)
    assert on_due.states[0].days_overdue == 0 and on_due.states[0].bucket == ""
    next_day = account(Q, [], D(2025, 1, 2))
    assert (next_day.arrears_fen, next_day.states[0].days_overdue, next_day.states[0].bucket) == (300_000, 1, "le30")
    assert next_day.ageing == {"le30": 300_000, "31to90": 0, "gt90": 0}
    before = account(Q, [], D(2024, 12, 1))
    assert (before.due_fen, before.arrears_fen) == (0, 0)


@pytest.mark.parametrize("days, bucket", [(30, "le30"), (31, "31to90"), (90, "31to90"), (91, "gt90")])
def test_ageing_boundaries(days, bucket):
    acc = account(Q[:1], [], D(2025, 1, 1) + timedelta(days=days))
    s = acc.states[0]
    assert (s.days_overdue, s.bucket, s.open_fen) == (days, bucket, 300_000)
    assert acc.ageing == {b: (300_000 if b == bucket else 0) for b in ("le30", "31to90", "gt90")}


def test_ageing_several_instalments():
    acc = account(Q, [], D(2025, 7, 2))  # Jan 1: 182 days, Apr 1: 92 days, Jul 1: 1 day
    assert [s.days_overdue for s in acc.states] == [182, 92, 1, 0]
    assert acc.ageing == {"le30": 300_000, "31to90": 0, "gt90": 600_000} and acc.arrears_fen == 900_000


def test_partial_payment():
    acc = account(Q, pay((D(2025, 1, 10), 100_000)), D(2025, 2, 1))
    s = acc.states[0]
    assert (s.paid_fen, s.open_fen, s.settled_on, s.days_overdue, s.bucket) == (100_000, 200_000, None, 31, "31to90")
    assert (acc.arrears_fen, acc.credit_fen, acc.paid_fen) == (200_000, 0, 100_000)


def test_late_payment_in_full_is_settled_not_overdue():
    acc = account(Q, pay((D(2025, 2, 15), 300_000)), D(2025, 3, 1))
    s = acc.states[0]
    assert (s.open_fen, s.settled_on, s.days_overdue, s.bucket) == (0, D(2025, 2, 15), 0, "")
    assert acc.arrears_fen == 0 and acc.ageing == {"le30": 0, "31to90": 0, "gt90": 0}


def test_advance_payment_is_credit():
    acc = account(Q, pay((D(2024, 12, 20), 600_000)), D(2025, 1, 1))
    assert (acc.paid_fen, acc.due_fen, acc.arrears_fen, acc.credit_fen, acc.overpaid_fen) == (600_000, 300_000, 0, 300_000, 0)
    assert [(s.paid_fen, s.settled_on) for s in acc.states] == [
        (300_000, D(2024, 12, 20)), (300_000, D(2024, 12, 20)), (0, None), (0, None)]


def test_spill_over_and_overpayment():
    spill = account(Q, pay((D(2025, 1, 1), 450_000)), D(2025, 1, 1))
    assert [s.paid_fen for s in spill.states] == [300_000, 150_000, 0, 0]
    over = account(Q, pay((D(2025, 1, 1), 1_000_000), (D(2025, 5, 1), 300_000)), D(2025, 6, 1))
    assert all(s.open_fen == 0 for s in over.states)
    assert [s.settled_on for s in over.states] == [D(2025, 1, 1)] * 3 + [D(2025, 5, 1)]
    assert (over.paid_fen, over.due_fen, over.credit_fen, over.overpaid_fen) == (1_300_000, 600_000, 700_000, 100_000)


def test_payments_applied_in_date_then_id_order():
    payments = [PaymentIn(2, D(2025, 2, 1), 200_000), PaymentIn(1, D(2025, 1, 5), 200_000)]
    acc = account(Q, payments, D(2025, 3, 1))
    assert [(s.paid_fen, s.settled_on) for s in acc.states[:2]] == [(300_000, D(2025, 2, 1)), (100_000, None)]
    same_day = account(Q, [PaymentIn(9, D(2025, 1, 5), 100_000), PaymentIn(3, D(2025, 1, 5), 250_000)], D(2025, 3, 1))
    assert [(s.paid_fen, s.settled_on) for s in same_day.states[:2]] == [(300_000, D(2025, 1, 5)), (50_000, None)]


def test_future_payments_do_not_count():
    acc = account(Q, pay((D(2025, 3, 5), 300_000)), D(2025, 3, 1))
    assert (acc.paid_fen, acc.arrears_fen) == (0, 300_000)


def test_back_dated_payment_changes_the_past():
    as_of = D(2025, 3, 1)
    before = account(Q, [], as_of)
    assert before.arrears_fen == 300_000 and before.states[0].bucket == "31to90"
    after = account(Q, [PaymentIn(7, D(2025, 2, 1), 300_000)], as_of)  # entered later, dated Feb 1
    assert after.arrears_fen == 0 and after.states[0].settled_on == D(2025, 2, 1)
    earlier = account(Q, [PaymentIn(7, D(2025, 2, 1), 300_000)], D(2025, 1, 20))
    assert earlier.arrears_fen == 300_000 and earlier.paid_fen == 0


def test_between():
    acc = account(Q, pay((D(2025, 1, 1), 400_000)), D(2025, 5, 1))
    assert acc.due_between(D(2025, 1, 1), D(2025, 6, 30)) == 600_000
    assert acc.open_between(D(2025, 1, 1), D(2025, 6, 30)) == 200_000
    assert acc.due_between(D(2025, 4, 2), D(2025, 6, 30)) == 0
    assert acc.open_between(D(2025, 1, 1), D(2025, 12, 31)) == 800_000


@pytest.mark.parametrize("amount", [0, -100, 1.5])
def test_non_positive_payment_refused(amount):
    with pytest.raises(InputError) as e:
        account(Q, [PaymentIn(5, D(2030, 1, 1), amount)], D(2025, 1, 1))  # refused even if dated later
    assert [(p.code, p.field) for p in e.value.problems] == [("lease.payment_not_positive", "money")]
    assert "5" in e.value.problems[0].message("en")


def test_zero_amount_instalments_are_settled():
    tiny = schedule(LeaseTerms(D(2025, 1, 1), 12, 5, frequency="monthly"))  # 5 fen a year: eleven 0s then 5
    assert [i.amount_fen for i in tiny] == [0] * 11 + [5]
    acc = account(tiny, [], D(2026, 1, 1))
    assert acc.arrears_fen == 5 and sum(s.days_overdue > 0 for s in acc.states) == 1


@settings(max_examples=300, deadline=None)
@given(
    valid_terms.map(lambda t: LeaseTerms(t.start, t.term_months % 48 + 1, t.base_annual_rent_fen % 10**7 + 1,
                                         t.step_percent, t.step_interval_years, t.compounding, t.frequency, t.due_day)),
    st.lists(st.tuples(st.integers(-60, 1500), st.integers(1, 3_000_000)), max_size=12),
    st.integers(-60, 1600),
)
def test_account_properties(t, raw_payments, as_of_offset):
    insts = schedule(t)
    payments = [PaymentIn(k, t.start + timedelta(days=d), a) for k, (d, a) in enumerate(raw_payments)]
    as_of = t.start + timedelta(days=as_of_offset)
    acc = account(insts, payments, as_of)
    states = acc.states
    assert sorted(s.instalment.seq for s in states) == [i.seq for i in insts]
    assert all(s.paid_fen >= 0 and s.open_fen >= 0 and s.paid_fen + s.open_fen == s.instalment.amount_fen
               for s in states)
    assert sum(s.open_fen for s in states) + sum(s.paid_fen for s in states) == sum(i.amount_fen for i in insts)
    counted = sum(p.amount_fen for p in payments if p.paid_on <= as_of)
    assert acc.paid_fen == counted == sum(s.paid_fen for s in states) + acc.overpaid_fen
    assert acc.due_fen == sum(i.amount_fen for i in insts if i.due_date <= as_of)
    assert 0 <= acc.arrears_fen == sum(acc.ageing.values()) == sum(s.open_fen for s in states if s.instalment.due_date < as_of)
    open_due = sum(s.open_fen for s in states if s.instalment.due_date <= as_of)
    assert acc.credit_fen >= 0 and acc.credit_fen - open_due == acc.paid_fen - acc.due_fen
    if acc.credit_fen:
        assert open_due == 0 and acc.arrears_fen == 0
    if acc.overpaid_fen:
        assert all(s.open_fen == 0 for s in states)
    # oldest first: once an instalment is still open, nothing after it has been paid
    first_open = next((k for k, s in enumerate(states) if s.open_fen), len(states))
    assert all(s.paid_fen == 0 for s in states[first_open + 1:])
    for s in states:
        overdue = s.open_fen > 0 and s.instalment.due_date < as_of
        assert s.days_overdue == ((as_of - s.instalment.due_date).days if overdue else 0)
        assert (s.bucket != "") == overdue
        assert (s.settled_on is not None) == (s.open_fen == 0 and s.instalment.amount_fen > 0)
        if s.settled_on:
            assert s.settled_on <= as_of


def test_days_in_month_and_add_months_agree_with_the_calendar():
    """The register's fast path (no weekday worked out) gives calendar's answers, every month of 1900-2300 and
    every day of a leap and a common year moved by 0-240 months."""
    import calendar
    from datetime import date, timedelta

    from renewal_desk.core.rules.lease import add_months, days_in_month

    for year in range(1900, 2301):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)
    for start in (date(2024, 1, 1), date(2025, 1, 1)):
        for offset in range(366):
            d = start + timedelta(days=offset)
            for months in range(0, 241, 7):
                y, m = divmod(d.month - 1 + months, 12)
                expected = date(d.year + y, m + 1, min(d.day, calendar.monthrange(d.year + y, m + 1)[1]))
                assert add_months(d, months) == expected, (d, months)
