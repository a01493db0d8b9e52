"""The supervisor team (居民监督队: appoint, retire, list) and the parties (施工、设计、监理单位)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...db import Database
from ...models import Building, ConstructionParty, Person, PersonRole, Project, Role, Supervisor
from ...problems import InputError, Problem
from ...rules.phone import normalize_phone
from ...rules.text import normalize_text
from .. import events
from ._common import E_NO_PERSON, E_PARTY_TAKEN, PARTY_KIND_LABELS, PartyKind, TOPIC, _choice, _get, _ids, _not_future, _required


@dataclass
class SupervisorInput:
    person_id: int | None
    appointed_on: date
    project_id: int | None = None
    letter_no: str = ""
    building_ids: list[int] = field(default_factory=list)
    works: str = ""
    note: str = ""
    new_name: str = ""  # a person not on any roster: created with the appointment, in its transaction
    new_phone: str = ""


@dataclass(frozen=True)
class SupervisorView:
    id: int
    person_id: int
    name: str
    phone: str | None
    project: str
    appointed_on: date
    letter_no: str
    buildings: str  # names, 、-separated
    works: str
    active: bool
    retired_on: date | None

    @property
    def covers(self) -> str:
        return "；".join(x for x in (self.buildings, self.works) if x)


def appoint_supervisor(db: Database, data: SupervisorInput, today: date | None = None) -> int:
    """Appoint a resident to the team; the person gets the role supervisor if they lack it. A new
    person (new_name) is created in the same transaction, so a refused appointment creates nobody."""
    from ..households import PersonInput, clean_person

    letter_no = normalize_text(data.letter_no)
    problems: list[Problem] = []
    new_person = None
    if (data.new_name or "").strip():
        try:
            new_person = clean_person(PersonInput(data.new_name, None, data.new_phone or None,
                                                  roles=(Role.SUPERVISOR.value,)))
        except InputError as exc:
            problems.extend(exc.problems)
    elif data.person_id is None:
        problems.append(Problem(E_NO_PERSON, field="person"))
    _not_future(data.appointed_on, today or date.today(), "聘任日期", "The appointment date", problems)
    if problems:
        raise InputError(problems)
    with db.write(note="聘任监督员") as s:
        if new_person is not None:
            person = Person(name=new_person.name, id_number=new_person.id_number, phone=new_person.phone,
                            gender=new_person.gender, birth_date=new_person.birth_date)
            s.add(person)
            s.flush()
        else:
            person = _get(s, Person, data.person_id, "居民")
        if data.project_id is not None:
            _get(s, Project, data.project_id, "项目")
        if Role.SUPERVISOR.value not in person.role_names:
            s.add(PersonRole(person_id=person.id, role=Role.SUPERVISOR.value))
        row = Supervisor(person_id=person.id, project_id=data.project_id, appointed_on=data.appointed_on,
                         letter_no=letter_no, building_ids=",".join(str(b) for b in dict.fromkeys(data.building_ids)),
                         works=normalize_text(data.works), note=(data.note or "").strip())
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(TOPIC, [new_id])
    return new_id


def add_supervisor_person(db: Database, name: str, phone: str | None = None) -> int:
    """A supervisor who is not on any household roster (validated like household members)."""
    from ..leases import add_person

    return add_person(db, name, None, phone or None, role=Role.SUPERVISOR.value)


def retire_supervisor(db: Database, supervisor_id: int, on: date) -> None:
    with db.write() as s:
        row = _get(s, Supervisor, supervisor_id, "监督员")
        row.active, row.retired_on = False, on
    events.announce(TOPIC, [supervisor_id])


def supervisors(db: Database, active_only: bool = False) -> list[SupervisorView]:
    with db.read() as s:
        query = select(Supervisor).options(selectinload(Supervisor.person)).order_by(Supervisor.appointed_on,
                                                                                     Supervisor.id)
        if active_only:
            query = query.where(Supervisor.active.is_(True))
        rows = s.scalars(query).all()
        names = dict(s.execute(select(Building.id, Building.name)).all()) if rows else {}
        project_names = dict(s.execute(select(Project.id, Project.name)).all()) if rows else {}
        return [SupervisorView(r.id, r.person_id, r.person.name, r.person.phone, project_names.get(r.project_id, ""),
                               r.appointed_on, r.letter_no, "、".join(names[b] for b in _ids(r.building_ids) if b in names),
                               r.works, r.active, r.retired_on) for r in rows]


@dataclass
class PartyInput:
    name: str
    kind: str = PartyKind.BUILDER.value
    contact_name: str = ""
    contact_phone: str | None = None
    address: str = ""
    note: str = ""


@dataclass(frozen=True)
class PartyView:
    id: int
    name: str
    kind: str
    contact_name: str
    contact_phone: str | None
    address: str
    active: bool


def save_party(db: Database, data: PartyInput, party_id: int | None = None) -> int:
    problems: list[Problem] = []
    name = _required(data.name, "name", "单位名称", "The name", problems)
    kind = _choice(data.kind, PARTY_KIND_LABELS, "kind", "单位类别", "The kind", problems)
    phone = None
    if data.contact_phone not in (None, ""):
        try:
            phone = normalize_phone(data.contact_phone)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    with db.write() as s:
        clash = s.scalar(select(ConstructionParty.id).where(ConstructionParty.name == name))
        if clash is not None and clash != party_id:
            raise InputError(Problem(E_PARTY_TAKEN, {"name": name}, field="name"))
        row = ConstructionParty() if party_id is None else _get(s, ConstructionParty, party_id, "参建单位")
        row.name, row.kind, row.contact_name, row.contact_phone = name, kind, normalize_text(data.contact_name), phone
        row.address, row.note = normalize_text(data.address), (data.note or "").strip()
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(TOPIC, [new_id])
    return new_id


def parties(db: Database) -> list[PartyView]:
    with db.read() as s:
        return [PartyView(p.id, p.name, p.kind, p.contact_name, p.contact_phone, p.address, p.active)
                for p in s.scalars(select(ConstructionParty).order_by(ConstructionParty.kind, ConstructionParty.id))]
