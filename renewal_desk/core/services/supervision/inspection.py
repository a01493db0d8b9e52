"""Inspections (巡查记录): log one, correct one with a reason (audited), list them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ...audit import record_event
from ...db import Database
from ...models import Inspection, InspectionParticipant, Project, Supervisor, SupervisionProblem
from ...problems import InputError, Problem
from ...rules.text import normalize_text
from .. import events
from ._common import E_RETIRED, TOPIC, _amend_reason, _get, _not_future, _required


@dataclass
class InspectionInput:
    project_id: int
    inspected_on: date
    places: str
    supervisor_ids: list[int] = field(default_factory=list)
    staff: str = ""
    weather: str = ""
    notes: str = ""


@dataclass(frozen=True)
class InspectionView:
    id: int
    project_id: int
    project: str
    inspected_on: date
    places: str
    weather: str
    supervisors: tuple[str, ...]
    staff: str
    notes: str
    problems: int

    @property
    def participants(self) -> str:
        return "、".join(self.supervisors + tuple(x for x in (self.staff,) if x))


def _clean_inspection(data: InspectionInput, today: date) -> dict:
    problems: list[Problem] = []
    places = _required(data.places, "places", "巡查部位", "The places inspected", problems)
    _not_future(data.inspected_on, today, "巡查日期", "The inspection date", problems)
    if problems:
        raise InputError(problems)
    return dict(project_id=data.project_id, inspected_on=data.inspected_on, places=places,
                weather=normalize_text(data.weather), staff=normalize_text(data.staff), notes=(data.notes or "").strip())


def _participants(s: Session, data: InspectionInput) -> list[InspectionParticipant]:
    out = []
    for sid in dict.fromkeys(data.supervisor_ids):
        sup = _get(s, Supervisor, sid, "监督员")
        if not sup.active and sup.retired_on and sup.retired_on < data.inspected_on:
            raise InputError(Problem(E_RETIRED, {"name": sup.person.name, "on": sup.retired_on.isoformat()},
                                     field="participants"))
        out.append(InspectionParticipant(supervisor_id=sid))
    return out


def log_inspection(db: Database, data: InspectionInput, today: date | None = None) -> int:
    fields = _clean_inspection(data, today or date.today())
    with db.write(note="巡查记录") as s:
        _get(s, Project, data.project_id, "项目")
        row = Inspection(**fields)
        row.participants.extend(_participants(s, data))
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(TOPIC, [new_id])
    return new_id


def inspection_input(db: Database, inspection_id: int) -> InspectionInput:
    """An inspection as recorded, to open its correction form with."""
    with db.read() as s:
        r = _get(s, Inspection, inspection_id, "巡查记录")
        return InspectionInput(r.project_id, r.inspected_on, r.places, [p.supervisor_id for p in r.participants],
                               r.staff, r.weather, r.notes)


def amend_inspection(db: Database, inspection_id: int, data: InspectionInput, reason: str,
                     today: date | None = None) -> None:
    """更正巡查记录: date, places, who walked, weather, notes corrected with a reason; the audit log keeps
    what it said before. A refused correction writes nothing."""
    fields = _clean_inspection(data, today or date.today())
    reason = _amend_reason(reason)
    with db.write(note=f"更正巡查记录：{reason}") as s:
        row = _get(s, Inspection, inspection_id, "巡查记录")
        _get(s, Project, data.project_id, "项目")
        participants = _participants(s, data)
        before = {"inspected_on": row.inspected_on.isoformat(), "places": row.places}
        for key, value in fields.items():
            setattr(row, key, value)
        row.participants.clear()
        s.flush()
        row.participants.extend(participants)
        record_event(s, "amend", "inspection", row.id, row.uuid, note=reason, after={"before": before})
    events.announce(TOPIC, [inspection_id])


def inspections(db: Database, project_id: int | None = None, start: date | None = None,
                end: date | None = None) -> list[InspectionView]:
    with db.read() as s:
        query = select(Inspection).options(selectinload(Inspection.participants).selectinload(
            InspectionParticipant.supervisor).selectinload(Supervisor.person)).order_by(
            Inspection.inspected_on.desc(), Inspection.id.desc())
        if project_id:
            query = query.where(Inspection.project_id == project_id)
        if start:
            query = query.where(Inspection.inspected_on >= start)
        if end:
            query = query.where(Inspection.inspected_on <= end)
        rows = s.scalars(query).all()
        counts = dict(s.execute(select(SupervisionProblem.inspection_id, func.count())
                                .where(SupervisionProblem.inspection_id.in_([r.id for r in rows]))
                                .group_by(SupervisionProblem.inspection_id)).all())
        project_names = dict(s.execute(select(Project.id, Project.name)).all())
        return [InspectionView(r.id, r.project_id, project_names.get(r.project_id, ""), r.inspected_on, r.places,
                               r.weather, tuple(p.supervisor.person.name for p in r.participants), r.staff, r.notes,
                               counts.get(r.id, 0)) for r in rows]
