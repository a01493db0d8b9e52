"""Projects, buildings and units for the supervision forms (the pickers' one order is services/places.py's)."""

from __future__ import annotations

from sqlalchemy import select

from ...db import Database
from ...models import Unit


def projects(db: Database) -> list[tuple[int, str]]:
    from ..places import project_choices

    return [(p.id, p.name) for p in project_choices(db)]  # the pickers' one order


def buildings(db: Database, project_id: int) -> list[tuple[int, str]]:
    from ..places import building_choices

    return building_choices(db, project_id)


def units(db: Database, building_id: int) -> list[tuple[int, str]]:
    with db.read() as s:
        return [(i, n) for i, n in s.execute(select(Unit.id, Unit.name).where(Unit.building_id == building_id)
                                             .order_by(Unit.sort_key))]
