"""The team's figures and the charts' data for a period (工作报告, the 统计 tab)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from ...db import Database
from ...models import Inspection, RectificationNotice
from ...rules import rectification as rules
from ...rules.rectification import State
from .problems import ProblemFilter, ProblemRow, problem_rows


@dataclass
class Statistics:
    start: date
    end: date
    as_of: date
    found: int  # found in the period
    closed: int  # closed in the period
    open_now: int
    overdue: int
    by_state: dict[str, int]  # every problem (of the project), current state
    by_category: dict[str, tuple[int, int]]  # found in the period: (open, closed)
    by_party: dict[str, tuple[int, int]]
    avg_days_to_close: Decimal | None  # problems closed in the period
    avg_days_by_party: dict[str, Decimal]
    timeline: list[tuple[date, int, int]]  # (day, open on that day, closed up to that day)
    inspections: int
    notices: int


def _average(days: list[int]) -> Decimal | None:
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None


def _timeline_days(start: date, end: date, points: int = 12) -> list[date]:
    if end <= start:
        return [end]
    step = max(1, (end - start).days // (points - 1))
    days = [start + timedelta(days=i * step) for i in range(points) if start + timedelta(days=i * step) < end]
    return days + [end]


def statistics(db: Database, start: date | None = None, end: date | None = None, project_id: int | None = None,
               as_of: date | None = None, rows: list[ProblemRow] | None = None) -> Statistics:
    """The team's figures for a period (default: the last 180 days up to today). `rows`: the project's
    problems as problem_rows(ProblemFilter(project_id=…), as_of) gives them, when the caller has them."""
    as_of = as_of or date.today()
    end = end or as_of
    start = start or end - timedelta(days=180)
    if rows is None:
        rows = problem_rows(db, ProblemFilter(project_id=project_id), as_of)
    in_period = [r for r in rows if start <= r.found_on <= end]
    closed_in = [r for r in rows if r.closed_on and start <= r.closed_on <= end]
    by_category: dict[str, tuple[int, int]] = {}
    by_party: dict[str, tuple[int, int]] = {}
    for r in in_period:
        for table, key in ((by_category, r.category), (by_party, r.party or "（未指定）")):
            o, c = table.get(key, (0, 0))
            table[key] = (o, c + 1) if r.state == State.CLOSED.value else (o + 1, c)
    party_days: dict[str, list[int]] = {}
    for r in closed_in:
        party_days.setdefault(r.party or "（未指定）", []).append((r.closed_on - r.found_on).days)
    timeline = []
    for day in _timeline_days(start, end):
        opened = sum(1 for r in rows if r.found_on <= day and not (r.closed_on and r.closed_on <= day))
        closed = sum(1 for r in rows if r.closed_on and r.closed_on <= day)
        timeline.append((day, opened, closed))
    with db.read() as s:
        inspections_n = s.scalar(select(func.count()).select_from(Inspection).where(
            Inspection.inspected_on.between(start, end),
            *([Inspection.project_id == project_id] if project_id else []))) or 0
        notices_n = s.scalar(select(func.count()).select_from(RectificationNotice).where(
            RectificationNotice.issued_on.between(start, end),
            *([RectificationNotice.project_id == project_id] if project_id else []))) or 0
    states = Counter(r.state for r in rows)
    return Statistics(start, end, as_of, len(in_period), len(closed_in),
                      sum(1 for r in rows if r.state != State.CLOSED.value), sum(1 for r in rows if r.overdue),
                      {st.value: states.get(st.value, 0) for st in State},
                      {c: by_category[c] for c in rules.CATEGORIES if c in by_category},
                      dict(sorted(by_party.items(), key=lambda kv: -sum(kv[1]))),
                      _average([(r.closed_on - r.found_on).days for r in closed_in]),
                      {k: _average(v) for k, v in party_days.items()}, timeline, inspections_n, notices_n)
