"""What the overview page shows: counts and the latest audited changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..db import Database
from ..models import AuditEntry, Building, Household, Person, Project


@dataclass(frozen=True)
class Change:
    at: datetime
    operator: str
    action: str
    table: str
    record_id: int | None
    note: str


def counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (Project, Building, Household, Person)}


def recent_changes(db: Database, limit: int = 30) -> list[Change]:
    with db.read() as s:
        return [Change(a.at, a.operator, a.action, a.table_name, a.record_id, a.note)
                for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))]


def overdue_problems(db: Database) -> int:
    """Supervision problems past their rectification deadline today (rules.rectification)."""
    from .supervision import overdue_count

    return overdue_count(db)
