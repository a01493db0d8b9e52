"""Rent-storage (收储租) lease rules: stepped annual rents, the instalment schedule, and how payments
settle instalments (arrears, ageing, credit). Pure functions; money is integer fen, never float.

Calendar. Lease year k runs from start + 12·(k-1) months to start + 12·k months - 1 day; a period
of a year runs the same way from its own first month. Months are always added to the lease start
(never chained), clamping to the month end, so a 2024-01-31 start gives periods beginning Jan 31,
Feb 29, Mar 31, Apr 30, ... and a 2024-02-29 start gives lease years beginning Feb 28 in common years.

Rent. Step s = (k - 1) // step_interval_years. Compounding: each step is the previous step's
ROUNDED rent × (1 + p/100), rounded half-up to the fen. Flat: base × (1 + s·p/100), rounded once.
A final partial year of m months is charged round_half_up(full_rent × m / 12).

Instalments. PER_YEAR[frequency] periods of 12/n months per lease year; in a final partial year the
periods keep that length and the last one is cut at the lease end. A year's instalments sum exactly
to its rent: each is floor(rent × months covered / months of the year); the odd fen go to the last
instalment of the year. Payment is in advance: due on due_day of the period's first month (clamped
to that month's length), but never before the period starts: due = max(period_start, that date).

Payments (account()). Only payments made on or before as_of count, applied in (paid_on, id) order
to the oldest open instalment first (due date, then seq), spilling over to the next; money beyond
the last instalment is kept as credit. An instalment is overdue when due_date < as_of and something
is still open; one paid late but in full is settled, not overdue (settled_on shows when). A payment
entered today with an earlier paid_on changes the account as of any date on or after its paid_on.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import Any, Iterable

from renewal_desk.core.problems import FIELD_LABELS, InputError, Problem, declare
from renewal_desk.core.rules.money import format_fen, round_half_up
from renewal_desk.core.rules.text import decimal_from, shorten

MAX_TERM_MONTHS = 240  # 民法典 第705条: 租赁期限不得超过二十年
MAX_BASE_RENT_FEN = 10**12  # 100 亿元 a year: anything above is a typing error


class Frequency(StrEnum):
    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


FREQUENCY_LABELS: dict[Frequency, tuple[str, str]] = {
    Frequency.ANNUAL: ("每年", "annual"),
    Frequency.SEMIANNUAL: ("每半年", "semiannual"),
    Frequency.QUARTERLY: ("每季度", "quarterly"),
    Frequency.MONTHLY: ("每月", "monthly"),
}
PER_YEAR: dict[Frequency, int] = {Frequency.ANNUAL: 1, Frequency.SEMIANNUAL: 2, Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12}

BUCKETS = ("le30", "31to90", "gt90")  # days overdue 1–30, 31–90, more than 90
BUCKET_LABELS = {"le30": ("30 天以内", "up to 30 days"), "31to90": ("31 至 90 天", "31 to 90 days"),
                 "gt90": ("超过 90 天", "over 90 days")}  # 以上 would include 90 itself

E_START = declare("lease.start_invalid", "起租日期无效：{value}", "Invalid lease start date: {value}")
E_TERM_SHORT = declare("lease.term_too_short", "租赁期限至少为 1 个月：{value}", "The lease term must be at least 1 month: {value}")
E_TERM_LONG = declare(
    "lease.term_too_long",
    "租赁期限为 {value} 个月，超过 240 个月（二十年）。《民法典》第七百零五条：租赁期限不得超过二十年，超过部分无效",
    "The lease term of {value} months exceeds 240 months (20 years). Civil Code Art. 705: a lease term "
    "may not exceed twenty years; the excess is void",
)
E_BASE_RENT = declare("lease.base_rent_range", "年租金应大于 0 且不超过 100 亿元：{value}",
                      "The annual rent must be more than 0 and at most 10 billion yuan: {value}")
E_PERCENT = declare("lease.step_percent_range", "租金递增比例应在 0% 至 100% 之间：{value}",
                    "The rent step must be between 0% and 100%: {value}")
E_INTERVAL = declare("lease.step_interval_range", "租金递增间隔应为 1 至 20 年：{value}",
                     "The step interval must be 1 to 20 years: {value}")
E_FREQUENCY = declare("lease.frequency_unknown", "未知的付款周期：{value}（应为 每年、每半年、每季度 或 每月）",
                      "Unknown payment frequency: {value} (annual, semiannual, quarterly or monthly)")
E_DUE_DAY = declare("lease.due_day_range", "付款日应为每月 1 日至 28 日：{value}",
                    "The payment day must be day 1 to 28 of the month: {value}")
E_PAYMENT = declare("lease.payment_not_positive", "付款金额应大于 0（付款编号 {id}）：{value}",
                    "A payment must be more than 0 (payment {id}): {value}")

for _name, _labels in {
    "start": ("起租日期", "lease start"), "term_months": ("租赁期限", "lease term"),
    "base_annual_rent": ("年租金", "annual rent"), "step_percent": ("递增比例", "rent step"),
    "step_interval_years": ("递增间隔", "step interval"), "frequency": ("付款周期", "payment frequency"),
    "due_day": ("付款日", "payment day"),
}.items():
    FIELD_LABELS.setdefault(_name, _labels)


@dataclass(frozen=True)
class LeaseTerms:
    start: date
    term_months: int
    base_annual_rent_fen: int
    step_percent: Decimal = Decimal("10")
    step_interval_years: int = 3
    compounding: bool = True
    frequency: str = "annual"
    due_day: int = 1  # day of month (1-28) on which each instalment falls due, in the first month of its period


@dataclass(frozen=True)
class LeaseYear:
    index: int  # 1-based lease year
    start: date
    end: date  # inclusive
    months: int  # 12, or fewer for a final partial year
    full_rent_fen: int  # the year's stepped annual rent
    rent_fen: int  # charged: full rent, or pro rata by months for a final partial year


@dataclass(frozen=True)
class Instalment:
    seq: int  # 1-based over the whole lease
    lease_year: int
    period_start: date
    period_end: date  # inclusive
    due_date: date
    amount_fen: int


# ------------------------------------------------------------------------------------- terms
_ONE_DAY = timedelta(days=1)
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """calendar.monthrange(year, month)[1] without the weekday it also works out (a 20-year schedule asks
    this 500 times; the register of 2,000 contracts, a quarter of a million)."""
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]


def add_months(d: date, months: int) -> date:
    """d + months, the day clamped to the end of the target month (Jan 31 + 1 month = Feb 28/29)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    day = d.day
    return date(year, month, day if day <= 28 else min(day, days_in_month(year, month)))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _percent(terms: LeaseTerms) -> Decimal | None:
    return decimal_from(terms.step_percent)


def validate_terms(terms: LeaseTerms) -> None:
    """Raise InputError listing every problem with the terms (each with its field)."""
    problems: list[Problem] = []

    def bad(code: str, fld: str, value: Any, shown: Any = None) -> None:
        shown = value if shown is None else shown
        problems.append(Problem(code, {"value": shorten(shown)}, field=fld, value=shorten(value, 200)))

    s = terms.start
    if not isinstance(s, date) or isinstance(s, datetime) or s.year > date.max.year - 21:
        bad(E_START, "start", s)
    t = terms.term_months
    if not _is_int(t) or t < 1:
        bad(E_TERM_SHORT, "term_months", t)
    elif t > MAX_TERM_MONTHS:
        bad(E_TERM_LONG, "term_months", t)
    r = terms.base_annual_rent_fen
    if not _is_int(r) or not 0 < r <= MAX_BASE_RENT_FEN:
        bad(E_BASE_RENT, "base_annual_rent", r, format_fen(r) if _is_int(r) else r)
    p = _percent(terms)
    if p is None or not 0 <= p <= 100:
        bad(E_PERCENT, "step_percent", terms.step_percent)
    i = terms.step_interval_years
    if not _is_int(i) or not 1 <= i <= 20:
        bad(E_INTERVAL, "step_interval_years", i)
    if not isinstance(terms.frequency, str) or terms.frequency not in PER_YEAR:
        bad(E_FREQUENCY, "frequency", terms.frequency)
    d = terms.due_day
    if not _is_int(d) or not 1 <= d <= 28:
        bad(E_DUE_DAY, "due_day", d)
    if problems:
        raise InputError(problems)


def lease_end(terms: LeaseTerms) -> date:
    """The last day of the lease (inclusive)."""
    validate_terms(terms)
    return add_months(terms.start, terms.term_months) - timedelta(days=1)


# ------------------------------------------------------------------------------------- rents
def _step_rents(terms: LeaseTerms, steps: int) -> list[int]:
    """Full annual rent for steps 0..steps (the exact rules are in the module docstring)."""
    p, base = _percent(terms), Decimal(terms.base_annual_rent_fen)
    with localcontext(prec=80):  # products stay exact; only round_half_up rounds
        if not terms.compounding:
            return [int(round_half_up((base * (100 + s * p)).scaleb(-2), 0)) for s in range(steps + 1)]
        rents = [terms.base_annual_rent_fen]
        for _ in range(steps):
            rents.append(int(round_half_up((Decimal(rents[-1]) * (100 + p)).scaleb(-2), 0)))
        return rents


def annual_rents(terms: LeaseTerms) -> list[LeaseYear]:
    validate_terms(terms)
    years = -(-terms.term_months // 12)
    rents = _step_rents(terms, (years - 1) // terms.step_interval_years)
    out = []
    for k in range(1, years + 1):
        months = min(12, terms.term_months - 12 * (k - 1))
        full = rents[(k - 1) // terms.step_interval_years]
        charged = full if months == 12 else int(round_half_up(Decimal(full * months) / 12, 0))
        start = add_months(terms.start, 12 * (k - 1))
        end = add_months(terms.start, 12 * (k - 1) + months) - timedelta(days=1)
        out.append(LeaseYear(k, start, end, months, full, charged))
    return out


def total_rent_fen(terms: LeaseTerms) -> int:
    return sum(y.rent_fen for y in annual_rents(terms))


def schedule(terms: LeaseTerms) -> list[Instalment]:
    """All instalments of the lease in date order (rules in the module docstring)."""
    years = annual_rents(terms)
    length = 12 // PER_YEAR[Frequency(terms.frequency)]
    out: list[Instalment] = []
    # months from the lease start -> that date: an instalment's end + 1 day is the next one's start (once each)
    bounds: dict[int, date] = {}
    for y in years:
        offsets = range(0, y.months, length)
        paid = 0
        for j, off in enumerate(offsets):
            first = 12 * (y.index - 1) + off  # months from the lease start
            covered = min(length, y.months - off)
            start = bounds.get(first) or add_months(terms.start, first)
            bounds[first + covered] = after = add_months(terms.start, first + covered)
            end = after - _ONE_DAY
            day = min(terms.due_day, days_in_month(start.year, start.month))
            due = start if day <= start.day else start.replace(day=day)
            amount = y.rent_fen - paid if j == len(offsets) - 1 else y.rent_fen * covered // y.months
            paid += amount
            out.append(Instalment(len(out) + 1, y.index, start, end, due, amount))
    return out


def step_multiplier_text(terms: LeaseTerms, year_index: int) -> str:
    """The year's nominal multiplier of the base rent for display, e.g. "1.21×" (at most 4 decimals;
    the rent itself is rounded to the fen at each step, so it may differ from base × this)."""
    validate_terms(terms)
    s, p = (year_index - 1) // terms.step_interval_years, _percent(terms)
    with localcontext(prec=80):
        factor = (1 + p / 100) ** s if terms.compounding else 1 + s * p / 100
    text = f"{round_half_up(factor, 4):f}".rstrip("0").rstrip(".")
    return text + "×"


# ---------------------------------------------------------------------------------- payments
@dataclass(frozen=True)
class PaymentIn:
    id: int
    paid_on: date
    amount_fen: int  # > 0


@dataclass(frozen=True)
class InstalmentState:
    instalment: Instalment
    paid_fen: int
    open_fen: int
    settled_on: date | None  # date of the payment that completed it (None while open, or for 0 fen)
    days_overdue: int  # as of the evaluation date; 0 if not yet overdue or settled
    bucket: str  # "" | "le30" | "31to90" | "gt90"


@dataclass(frozen=True)
class Account:
    as_of: date
    states: list[InstalmentState]  # by due date, then seq
    paid_fen: int  # total paid up to as_of
    due_fen: int  # total of instalments due on or before as_of
    arrears_fen: int  # open amount of instalments due before as_of (strictly overdue)
    credit_fen: int  # paid beyond everything due so far (in advance), incl. overpaid_fen
    overpaid_fen: int  # paid beyond the last instalment of the lease (to refund or carry over)
    ageing: dict[str, int] = field(default_factory=dict)  # bucket -> open fen; every bucket present

    def due_between(self, start: date, end: date) -> int:
        """Amount (open + paid) of the instalments due in [start, end]."""
        return sum(s.instalment.amount_fen for s in self.states if start <= s.instalment.due_date <= end)

    def open_between(self, start: date, end: date) -> int:
        """Open amount of the instalments due in [start, end]."""
        return sum(s.open_fen for s in self.states if start <= s.instalment.due_date <= end)


def bucket_for(days_overdue: int) -> str:
    if days_overdue <= 0:
        return ""
    return "le30" if days_overdue <= 30 else "31to90" if days_overdue <= 90 else "gt90"


def account(instalments: Iterable[Instalment], payments: Iterable[PaymentIn], as_of: date) -> Account:
    """Settle instalments with the payments made up to as_of (rules in the module docstring)."""
    items = sorted(instalments, key=lambda i: (i.due_date, i.seq))
    payments = list(payments)
    bad = [p for p in payments if not _is_int(p.amount_fen) or p.amount_fen <= 0]
    if bad:
        raise InputError([Problem(E_PAYMENT, {"id": p.id, "value": shorten(p.amount_fen)}, field="money",
                                  value=shorten(p.amount_fen)) for p in bad])
    pays = sorted((p for p in payments if p.paid_on <= as_of), key=lambda p: (p.paid_on, p.id))
    paid = [0] * len(items)
    settled: list[date | None] = [None] * len(items)
    k, overpaid = 0, 0
    for p in pays:
        left = p.amount_fen
        while left:
            while k < len(items) and paid[k] == items[k].amount_fen:
                k += 1
            if k == len(items):
                overpaid += left
                break
            take = min(left, items[k].amount_fen - paid[k])
            paid[k] += take
            left -= take
            if paid[k] == items[k].amount_fen:
                settled[k] = p.paid_on
    states, ageing = [], dict.fromkeys(BUCKETS, 0)
    for inst, got, when in zip(items, paid, settled):
        open_ = inst.amount_fen - got
        days = (as_of - inst.due_date).days if open_ and inst.due_date < as_of else 0
        bucket = bucket_for(days)
        if bucket:
            ageing[bucket] += open_
        states.append(InstalmentState(inst, got, open_, when, days, bucket))
    total_paid = sum(p.amount_fen for p in pays)
    due = sum(i.amount_fen for i in items if i.due_date <= as_of)
    return Account(as_of, states, total_paid, due, sum(ageing.values()), max(0, total_paid - due), overpaid, ageing)
