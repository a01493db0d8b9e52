"""The building roster printout (楼栋住户花名册): its data, read from the households of a building."""

from __future__ import annotations

from sqlalchemy import func, select

from ..db import Database
from ..models import Household, Person
from ..printing.registry import Request, register
from ..printing.roster import BuildingRoster, RosterHousehold, render_building_roster
from .places import get


def building_roster_data(db: Database, building_id: int) -> BuildingRoster:
    with db.read() as s:
        building = get(s, "building", building_id)
        block = building.block
        counts = dict(s.execute(select(Person.household_id, func.count()).join(Household)
                                .where(Household.unit_id.in_([u.id for u in building.units]))
                                .group_by(Person.household_id)).all())
        households = []
        for h in s.scalars(select(Household).where(Household.unit_id.in_([u.id for u in building.units]))
                           .order_by(Household.sort_key)):
            head = next((p for p in h.people if p.is_head), None)
            households.append(RosterHousehold(h.unit.name, h.room, head.name if head else "",
                                              head.id_number if head else None, head.phone if head else None,
                                              h.area, h.area_source, counts.get(h.id, 0), h.note))
        return BuildingRoster(block.project.name, block.name, building.name, building.address, households)


def _render(req: Request) -> int:
    return render_building_roster(req.out, building_roster_data(req.db, req.record_id), masked=req.masked, **req.common)


register("building-roster", "building", "HMC", "building", _render)
