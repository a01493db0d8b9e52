"""Staff operators: chosen at start, named in every audit entry."""

from __future__ import annotations

from sqlalchemy import select

from ..db import Database
from ..models import Operator
from .places import clean_name


def list_operators(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Operator.name).where(Operator.active.is_(True)).order_by(Operator.name)))


def ensure_operator(db: Database, name: str) -> str:
    """Register a staff name if new (audited) and make it the database's current operator."""
    name = clean_name(name, 100, field_name="name")
    with db.read() as s:
        known = s.scalar(select(Operator.id).where(Operator.name == name))
    db.operator = name
    if known is None:
        with db.write() as s:
            s.add(Operator(name=name))
    return name
