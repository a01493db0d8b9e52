"""What the overview page shows: counts and the latest audited changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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


@dataclass(frozen=True)
class Attention:
    """Something overdue that the overview puts in front of the user, and the section to go to."""

    label_zh: str
    label_en: str
    count: int
    section: str

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang.startswith("en") else self.label_zh


def attention(db: Database, today: date | None = None) -> list[Attention]:
    """Overdue items across the record types (only those with something overdue)."""
    from . import designer, meetings, supervision

    today = today or date.today()
    found = [Attention("逾期未完成的会议跟进任务", "overdue follow-up tasks of meetings",
                       len(meetings.overdue_tasks(db, today)), "meetings"),
             Attention("超过答复期限的首席街长意见", "chief street designer opinions past their response date",
                       designer.overdue_count(db, today), "designer"),
             Attention("超过整改期限的监督问题", "supervision problems past their rectification deadline",
                       supervision.overdue_count(db, today), "supervision")]
    return [a for a in found if a.count]
