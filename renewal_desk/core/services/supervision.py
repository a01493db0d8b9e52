"""The supervisor team (居民监督队): appoint supervisors, keep the parties, log inspections and the
problems found, issue rectification notices, record replies and re-checks, close problems, record
acceptance; the figures and charts of the team's work.

Every step of a problem goes through rules.rectification (refused with the reason when the state
does not allow it) and adds one history row; the audit log records every row changed. Photos are
checked to be images before anything is written, so a bad file never leaves half a step behind.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..audit import record_event
from ..db import Database
from .. import settings
from ..models import (Acceptance, Attachment, Building, ConstructionParty, Inspection, InspectionParticipant, Person,
                      PersonRole, ProblemTransition, Project, RectificationNotice, Role, SupervisionProblem,
                      Supervisor, Unit)
from ..problems import InputError, Problem, declare
from ..rules import acceptance as acc
from ..rules import rectification as rules
from ..rules.phone import normalize_phone
from ..rules.rectification import Action, State, Step
from ..rules.text import clean_prose, normalize_text
from . import events
from ._common import E_NOT_FOUND, get_or_refuse as _get  # noqa: F401 - E_NOT_FOUND: callers'
from .attachments import AttachmentInfo, StoredFile, link_file, store_file

TOPIC = "supervision"
PROBLEM_TABLE, STEP_TABLE = "supervision_problem", "problem_transition"
PARTY_KINDS = ("施工单位", "设计单位", "监理单位", "其他")
WEATHER = ("晴", "多云", "阴", "小雨", "大雨", "雪")
IMAGE_MAGIC = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
               (b"BM", "BMP"))
DEFAULT_RECHECK = ("责任单位整改完成后书面回复（附整改后照片），由居民监督队会同社区和监理单位到现场逐项复查，"
                   "复查结果记入问题台账；复查未通过的，重新发出整改通知。")
DEFAULT_OBJECTION_DAYS = 3
RULE_SETTING = settings.ACCEPTANCE_RULE.key

E_REQUIRED = declare("supervision.required", "{label}不能为空", "{label_en} must not be empty")
E_CHOICE = declare("supervision.choice", "{label}须为：{choices}", "{label_en} must be one of: {choices}")
E_FUTURE = declare("supervision.future", "{label}不能晚于今天（{today}）", "{label_en} cannot be after today ({today})")
E_NOT_PHOTO = declare("supervision.not_photo", "文件“{name}”不是可识别的图片（支持 JPG、PNG、GIF、BMP），未保存",
                      "The file '{name}' is not an image this app can read (JPG, PNG, GIF, BMP); nothing was saved")
E_NO_PHOTO_FILE = declare("supervision.no_photo_file", "照片文件不存在：{name}，未保存",
                          "The photo file does not exist: {name}; nothing was saved")
E_NO_PARTY = declare("supervision.no_party", "问题 #{id} 未指定责任单位，不能发出整改通知",
                     "Problem #{id} has no responsible party; a notice cannot be issued")
E_MIXED = declare("supervision.mixed", "一张整改通知单只能发给同一项目的同一责任单位", "One notice goes to one party of one project")
E_NO_PROBLEMS = declare("supervision.no_problems", "请选择要整改的问题", "Choose the problems to rectify")
E_DUPLICATE_NO = declare("supervision.duplicate_no", "编号 {no} 已被使用", "The number {no} is already used")
E_PARTY_TAKEN = declare("supervision.party_taken", "已有名为“{name}”的参建单位", "A party named '{name}' already exists")
E_CLOSED = declare("supervision.closed", "问题 #{id} 已关闭，不能再修改", "Problem #{id} is closed; it cannot change")
E_NO_PERSON = declare("supervision.no_person", "监督员：请在名单中选择居民，或填写新监督员的姓名",
                      "Supervisor: choose a resident in the list or type a new supervisor's name")
E_NO_CONCLUSION = declare("supervision.no_conclusion", "复查结论：请选择“通过”或“未通过”",
                          "Re-check result: choose passed or not passed")
E_NOT_FAILED = declare("supervision.not_failed", "问题 #{id} 当前为“{state}”，只有复查未通过的问题才能重新下发整改通知",
                       "Problem #{id} is '{state_en}'; only a problem whose re-check failed gets a re-issued notice")
E_RETIRED = declare("supervision.retired", "{name}已于 {on} 退出监督队", "{name} left the team on {on}")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def _required(value: str | None, field_name: str, label: str, label_en: str, problems: list[Problem]) -> str:
    text = clean_prose(value)  # keeps Chinese punctuation (normalize_text would make “，” a “,”)
    if not text:
        problems.append(Problem(E_REQUIRED, {"label": label, "label_en": label_en}, field=field_name))
    return text


def _choice(value: str, choices: tuple[str, ...], field_name: str, label: str, label_en: str,
            problems: list[Problem]) -> str:
    if value not in choices:
        problems.append(Problem(E_CHOICE, {"label": label, "label_en": label_en, "choices": " / ".join(choices)},
                                field=field_name, value=str(value)))
    return value


def _not_future(on: date, today: date, label: str, label_en: str, problems: list[Problem]) -> None:
    if on > today:
        problems.append(Problem(E_FUTURE, {"label": label, "label_en": label_en, "today": today.isoformat()},
                                field="date"))


def _next_no(session: Session, column, prefix: str, when: date) -> str:
    """PREFIX-YYYY-NNNN, counting that year's numbers (ZG-2026-0007)."""
    head = f"{prefix}-{when.year}-"
    last = session.scalar(select(func.max(column)).where(column.like(head + "%")))
    return f"{head}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def _ids(text: str) -> list[int]:
    return [int(x) for x in (text or "").split(",") if x.strip().isdigit()]


def check_photo(file: str | Path) -> Path:
    """The file, if it is there and is an image; else a clear refusal naming it."""
    path = Path(file)
    if not path.is_file():
        raise InputError(Problem(E_NO_PHOTO_FILE, {"name": path.name or str(file)}, field="photo", value=str(file)))
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not any(head.startswith(magic) for magic, _kind in IMAGE_MAGIC):
        raise InputError(Problem(E_NOT_PHOTO, {"name": path.name}, field="photo", value=str(file)))
    try:
        from reportlab.lib.utils import ImageReader  # reads the header: the size must be sensible

        width, height = ImageReader(str(path)).getSize()
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image we can use"
        raise InputError(Problem(E_NOT_PHOTO, {"name": path.name}, field="photo", value=str(file))) from None
    if width <= 0 or height <= 0:
        raise InputError(Problem(E_NOT_PHOTO, {"name": path.name}, field="photo", value=str(file)))
    return path


def _store_photos(db: Database, files) -> list[StoredFile]:
    """Check every photo first (nothing is stored if one is bad), then copy them into the store."""
    checked = [check_photo(f) for f in files or ()]
    return [store_file(db, f) for f in checked]


def _attachments(session: Session, owner_table: str, owner_ids: list[int]) -> dict[int, list[AttachmentInfo]]:
    found: dict[int, list[AttachmentInfo]] = {}
    if not owner_ids:
        return found
    for a in session.scalars(select(Attachment).where(Attachment.owner_table == owner_table,
                                                      Attachment.owner_id.in_(owner_ids)).order_by(Attachment.id)):
        found.setdefault(a.owner_id, []).append(
            AttachmentInfo(a.id, a.uuid, a.sha256, a.original_name, a.mime_type, a.size, a.caption))
    return found


# ---------------------------------------------------------------------------------------------
# Projects and places, for the forms
# ---------------------------------------------------------------------------------------------
def projects(db: Database) -> list[tuple[int, str]]:
    from .places import project_choices

    return [(p.id, p.name) for p in project_choices(db)]  # the pickers' one order


def buildings(db: Database, project_id: int) -> list[tuple[int, str]]:
    from .places import building_choices

    return building_choices(db, project_id)


def units(db: Database, building_id: int) -> list[tuple[int, str]]:
    with db.read() as s:
        return [(i, n) for i, n in s.execute(select(Unit.id, Unit.name).where(Unit.building_id == building_id)
                                             .order_by(Unit.sort_key))]


# ---------------------------------------------------------------------------------------------
# Team and parties
# ---------------------------------------------------------------------------------------------
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
    from .households import PersonInput, clean_person

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
    from .leases import add_person

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
    kind: str = "施工单位"
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
    _choice(data.kind, PARTY_KINDS, "kind", "单位类别", "The kind", problems)
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
        row.name, row.kind, row.contact_name, row.contact_phone = name, data.kind, normalize_text(data.contact_name), phone
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


# ---------------------------------------------------------------------------------------------
# Inspections
# ---------------------------------------------------------------------------------------------
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


def _amend_reason(reason: str) -> str:
    reason = clean_prose(reason or "")
    if not reason:
        raise InputError(Problem(E_REQUIRED, {"label": "更正的原因", "label_en": "The reason for the correction"}))
    return reason


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


# ---------------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------------
@dataclass
class ProblemInput:
    project_id: int
    category: str
    description: str
    found_on: date
    severity: str = "一般"
    party_id: int | None = None
    inspection_id: int | None = None
    building_id: int | None = None
    unit_id: int | None = None
    location: str = ""
    works: str = ""
    basis: str = ""
    measures: str = ""  # what the builder must do (may also be given when the notice is issued)
    photos: list[str | Path] = field(default_factory=list)


@dataclass(frozen=True, slots=True)  # lists hold thousands: no __dict__ each
class ProblemRow:
    id: int
    uuid: str
    project_id: int
    found_on: date
    place: str
    category: str
    severity: str
    description: str
    party_id: int | None
    party: str
    state: str
    notice_id: int | None
    notice_no: str
    deadline: date | None
    days_overdue: int
    photos: int
    works: str
    inspection_id: int | None
    closed_on: date | None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class HistoryRow:
    id: int
    on: date
    action: str
    label: str  # Chinese label of the step
    from_state: str
    to_state: str
    by: str
    text: str
    deadline: date | None
    notice_no: str
    photos: tuple[AttachmentInfo, ...] = ()


@dataclass(frozen=True)
class ProblemDetail:
    row: ProblemRow
    basis: str
    measures: str
    location: str
    project: str
    inspection_on: date | None
    recheck_failures: int
    photos: tuple[AttachmentInfo, ...]
    history: tuple[HistoryRow, ...]
    allowed: tuple[str, ...]  # actions the current state allows


@dataclass
class ProblemFilter:
    project_id: int | None = None
    state: str | None = None
    overdue_only: bool = False
    open_only: bool = False
    party_id: int | None = None
    category: str | None = None
    text: str = ""
    found_from: date | None = None
    found_to: date | None = None
    ids: list[int] | None = None


def _clean_problem(data: ProblemInput, today: date) -> dict:
    problems: list[Problem] = []
    description = _required(data.description, "description", "问题描述", "The description", problems)
    _choice(data.category, rules.CATEGORIES, "category", "问题类别", "The category", problems)
    _choice(data.severity, rules.SEVERITIES, "severity", "严重程度", "The severity", problems)
    _not_future(data.found_on, today, "发现日期", "The date found", problems)
    location = normalize_text(data.location)
    if data.building_id is None and not location:
        problems.append(Problem(E_REQUIRED, {"label": "问题位置（楼栋或具体部位）", "label_en": "The location"},
                                field="location"))
    if problems:
        raise InputError(problems)
    return dict(project_id=data.project_id, inspection_id=data.inspection_id, building_id=data.building_id,
                unit_id=data.unit_id if data.building_id else None, location=location, works=normalize_text(data.works),
                category=data.category, severity=data.severity, description=description,
                basis=(data.basis or "").strip(), party_id=data.party_id, found_on=data.found_on,
                measures=(data.measures or "").strip())


def _check_refs(s: Session, fields: dict) -> None:
    _get(s, Project, fields["project_id"], "项目")
    if fields["party_id"] is not None:
        _get(s, ConstructionParty, fields["party_id"], "参建单位")
    if fields["inspection_id"] is not None:
        _get(s, Inspection, fields["inspection_id"], "巡查记录")
    if fields["building_id"] is not None:
        _get(s, Building, fields["building_id"], "楼栋")
    if fields["unit_id"] is not None:
        _get(s, Unit, fields["unit_id"], "单元")


def add_problem(db: Database, data: ProblemInput, today: date | None = None, by: str = "") -> int:
    """Record a problem (state 待发通知) with its photos; the first history row says who found it."""
    today = today or date.today()
    fields = _clean_problem(data, today)
    stored = _store_photos(db, data.photos)
    with db.write(note="登记监督问题") as s:
        _check_refs(s, fields)
        row = SupervisionProblem(state=State.PENDING.value, **fields)
        row.history.append(ProblemTransition(action=Action.FOUND.value, from_state="", to_state=State.PENDING.value,
                                             on_date=data.found_on, by=normalize_text(by) or db.operator,
                                             text=fields["description"]))
        s.add(row)
        s.flush()
        for photo in stored:
            link_file(s, PROBLEM_TABLE, row.id, photo, "发现问题")
        new_id = row.id
    events.announce(TOPIC, [new_id])
    return new_id


def _update_problem(db: Database, problem_id: int, data: ProblemInput, today: date | None = None,
                   reason: str = "") -> None:
    """Correct a problem's details (not its state; a closed problem stays as it was closed)."""
    fields = _clean_problem(data, today or date.today())
    with db.write(note=f"更正监督问题：{reason}" if reason else "") as s:
        row = _get(s, SupervisionProblem, problem_id, "问题")
        if row.state == State.CLOSED.value:
            raise InputError(Problem(E_CLOSED, {"id": problem_id}))
        _check_refs(s, fields)
        before = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in
                  ((k, getattr(row, k)) for k in fields) if v != fields[k]}
        for key, value in fields.items():
            setattr(row, key, value)
        if reason:
            record_event(s, "amend", PROBLEM_TABLE, row.id, row.uuid, note=reason, after={"before": before})
    events.announce(TOPIC, [problem_id])


def problem_input(db: Database, problem_id: int) -> ProblemInput:
    """A problem as recorded, to open its correction form with."""
    with db.read() as s:
        r = _get(s, SupervisionProblem, problem_id, "问题")
        return ProblemInput(r.project_id, r.category, r.description, r.found_on, r.severity, r.party_id,
                            r.inspection_id, r.building_id, r.unit_id, r.location, r.works, r.basis, r.measures)


def amend_problem(db: Database, problem_id: int, data: ProblemInput, reason: str, today: date | None = None) -> None:
    """更正监督问题: a problem recorded with the wrong place, category, party or text is corrected with a
    reason (audited with what it said before); its state and 处理经过 stay as they were."""
    _update_problem(db, problem_id, data, today, _amend_reason(reason))


def add_problem_photos(db: Database, problem_id: int, files, caption: str = "补充照片") -> int:
    """Attach more photos to a problem; every file is checked before any is kept. Returns how many."""
    stored = _store_photos(db, files)
    with db.write() as s:
        _get(s, SupervisionProblem, problem_id, "问题")
        for photo in stored:
            link_file(s, PROBLEM_TABLE, problem_id, photo, caption)
    events.announce(TOPIC, [problem_id])
    return len(stored)


def _last_on(problem: SupervisionProblem) -> date | None:
    return problem.history[-1].on_date if problem.history else problem.found_on


def _step(s: Session, problem: SupervisionProblem, step: Step, today: date, **extra) -> ProblemTransition:
    """Apply one step to a loaded problem: validate, move the state, add the history row."""
    before = problem.state
    after = rules.check_step(before, step, _last_on(problem), today)
    problem.state = after.value
    row = ProblemTransition(action=step.action.value, from_state=before, to_state=after.value, on_date=step.on,
                            by=normalize_text(step.by), text=(step.text or "").strip(), deadline=step.deadline, **extra)
    problem.history.append(row)
    s.flush()
    return row


@dataclass
class NoticeInput:
    problem_ids: list[int]
    issued_on: date
    deadline: date
    measures: dict[int, str] = field(default_factory=dict)  # problem id -> measures; empty: the problem's own
    recheck_method: str = DEFAULT_RECHECK
    objection_days: int = DEFAULT_OBJECTION_DAYS
    issued_by: str = ""
    notice_no: str | None = None


def issue_notice(db: Database, data: NoticeInput, today: date | None = None) -> int:
    """整改通知单 for problems of one party: each goes 待发通知 (or 复查未通过) → 已发通知 with the
    notice's deadline. All problems are checked first; any refusal writes nothing."""
    today = today or date.today()
    ids = list(dict.fromkeys(data.problem_ids))
    if not ids:
        raise InputError(Problem(E_NO_PROBLEMS, field="problems"))
    with db.write(note="发出整改通知") as s:
        notice_id = _issue(db, s, ids, data, today)
    events.announce(TOPIC, ids)
    return notice_id


def reissue_notice(db: Database, problem_id: int, issued_on: date, deadline: date, measures: str = "",
                   issued_by: str = "", today: date | None = None) -> int:
    """After a failed re-check (复查未通过): a new notice for the problem with a new deadline
    (重新下发整改通知), in the problem's 处理经过. The re-check method and objection days follow the
    previous notice; measures default to the problem's own."""
    today = today or date.today()
    with db.write(note="重新下发整改通知") as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        if problem.state != rules.State.FAILED.value:
            raise InputError(Problem(E_NOT_FAILED, {"id": problem_id, "state": rules.state_label(problem.state),
                                                     "state_en": rules.state_label(problem.state, "en")},
                                     field="state"))
        previous = s.get(RectificationNotice, problem.notice_id) if problem.notice_id else None
        data = NoticeInput([problem_id], issued_on, deadline, {problem_id: measures} if measures.strip() else {},
                           previous.recheck_method if previous else DEFAULT_RECHECK,
                           previous.objection_days if previous else DEFAULT_OBJECTION_DAYS, issued_by)
        notice_id = _issue(db, s, [problem_id], data, today)
    events.announce(TOPIC, [problem_id])
    return notice_id


def _issue(db: Database, s: Session, ids: list[int], data: NoticeInput, today: date) -> int:
    """The notice and each problem's step, in the caller's transaction; any refusal raises (nothing kept)."""
    by = normalize_text(data.issued_by)
    found = s.scalars(select(SupervisionProblem).where(SupervisionProblem.id.in_(ids))
                      .options(selectinload(SupervisionProblem.history))).all()
    by_id = {p.id: p for p in found}
    missing = [pid for pid in ids if pid not in by_id]
    if missing:
        raise InputError(Problem(E_NOT_FOUND, {"kind": "问题", "id": missing[0]}))
    problems = [by_id[pid] for pid in ids]
    for p in problems:
        if p.party_id is None:
            raise InputError(Problem(E_NO_PARTY, {"id": p.id}, field="party"))
    if len({(p.project_id, p.party_id) for p in problems}) > 1:
        raise InputError(Problem(E_MIXED, field="problems"))
    notice_no = normalize_text(data.notice_no or "") or _next_no(s, RectificationNotice.notice_no, "ZG",
                                                                    data.issued_on)
    if s.scalar(select(RectificationNotice.id).where(RectificationNotice.notice_no == notice_no)):
        raise InputError(Problem(E_DUPLICATE_NO, {"no": notice_no}, field="notice_no"))
    notice = RectificationNotice(notice_no=notice_no, project_id=problems[0].project_id,
                                 party_id=problems[0].party_id, issued_on=data.issued_on, deadline=data.deadline,
                                 recheck_method=(data.recheck_method or DEFAULT_RECHECK).strip(),
                                 objection_days=max(0, int(data.objection_days)), issued_by=by or db.operator)
    s.add(notice)
    s.flush()
    errors: list[Problem] = []
    for p in problems:
        measures = (data.measures.get(p.id) or p.measures or "").strip()
        try:
            _step(s, p, Step(Action.ISSUE, data.issued_on, by or db.operator, measures, data.deadline), today,
                  notice_id=notice.id)
        except InputError as exc:
            errors.extend(Problem(e.code, e.params, field=e.field, value=f"#{p.id}") for e in exc.problems)
            continue
        p.measures, p.notice_id, p.deadline = measures, notice.id, data.deadline
    if errors:
        raise InputError(errors)
    return notice.id


def record_reply(db: Database, problem_id: int, on: date, reply: str, by: str = "", photos=(),
                 today: date | None = None) -> int:
    """The builder's reply (整改回复), with photos of the work done: 已发通知 → 已回复."""
    today = today or date.today()
    stored = _store_photos(db, photos)
    with db.write(note="整改回复") as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        step = _step(s, problem, Step(Action.REPLY, on, by or db.operator, reply), today, notice_id=problem.notice_id)
        problem.replied_on = on
        for photo in stored:
            link_file(s, STEP_TABLE, step.id, photo, "整改回复")
        step_id = step.id
    events.announce(TOPIC, [problem_id])
    return step_id


def recheck(db: Database, problem_id: int, on: date, passed: bool | None, by: str, note: str = "",
            today: date | None = None) -> int:
    """The supervisors' re-check: 已回复 → 复查通过, or → 复查未通过 (then a new notice is due:
    reissue_notice). The conclusion has no default: None (not chosen) is refused."""
    today = today or date.today()
    if passed is None:
        raise InputError(Problem(E_NO_CONCLUSION, field="conclusion"))
    action = Action.RECHECK_PASS if passed else Action.RECHECK_FAIL
    with db.write(note=rules.ACTION_LABELS[action][0]) as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        step = _step(s, problem, Step(action, on, by, note), today, notice_id=problem.notice_id)
        if not passed:
            problem.recheck_failures += 1
        step_id = step.id
    events.announce(TOPIC, [problem_id])
    return step_id


def close_problem(db: Database, problem_id: int, on: date, by: str = "", note: str = "",
                  today: date | None = None) -> int:
    """复查通过 → 已关闭."""
    today = today or date.today()
    with db.write(note="关闭监督问题") as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        step = _step(s, problem, Step(Action.CLOSE, on, by or db.operator, note), today, notice_id=problem.notice_id)
        problem.closed_on = on
        step_id = step.id
    events.announce(TOPIC, [problem_id])
    return step_id


def _place(building: str | None, unit: str | None, location: str) -> str:
    where = f"{building or ''}{unit or ''}"
    return f"{where} {location}".strip() if where else location


def _problem_query(flt: ProblemFilter, as_of: date):
    sp = SupervisionProblem  # plain columns, not ORM objects: 20,000 rows are read in a fraction of the time
    query = (select(sp.id, sp.uuid, sp.project_id, sp.found_on, sp.location, sp.category, sp.severity, sp.description,
                    sp.party_id, sp.state, sp.notice_id, sp.deadline, sp.works, sp.inspection_id, sp.closed_on,
                    Building.name, Unit.name, ConstructionParty.name, RectificationNotice.notice_no)
             .outerjoin(Building, Building.id == SupervisionProblem.building_id)
             .outerjoin(Unit, Unit.id == SupervisionProblem.unit_id)
             .outerjoin(ConstructionParty, ConstructionParty.id == SupervisionProblem.party_id)
             .outerjoin(RectificationNotice, RectificationNotice.id == SupervisionProblem.notice_id)
             .order_by(SupervisionProblem.found_on.desc(), SupervisionProblem.id.desc()))
    where = []
    if flt.ids is not None:
        where.append(SupervisionProblem.id.in_(flt.ids))
    if flt.project_id:
        where.append(SupervisionProblem.project_id == flt.project_id)
    if flt.state:
        where.append(SupervisionProblem.state == flt.state)
    if flt.open_only:
        where.append(SupervisionProblem.state != State.CLOSED.value)
    if flt.overdue_only:  # the SQL form of rules.is_overdue
        where.append(and_(SupervisionProblem.state.in_([s.value for s in rules.CLOCK_RUNNING]),
                          SupervisionProblem.deadline < as_of))
    if flt.party_id:
        where.append(SupervisionProblem.party_id == flt.party_id)
    if flt.category:
        where.append(SupervisionProblem.category == flt.category)
    if flt.found_from:
        where.append(SupervisionProblem.found_on >= flt.found_from)
    if flt.found_to:
        where.append(SupervisionProblem.found_on <= flt.found_to)
    text = normalize_text(flt.text)
    if text:
        where.append(or_(SupervisionProblem.description.contains(text, autoescape=True),
                         SupervisionProblem.location.contains(text, autoescape=True),
                         Building.name.contains(text, autoescape=True),
                         ConstructionParty.name.contains(text, autoescape=True),
                         RectificationNotice.notice_no.contains(text, autoescape=True)))
    return query.where(*where) if where else query


def problem_rows(db: Database, flt: ProblemFilter | None = None, as_of: date | None = None) -> list[ProblemRow]:
    """Problems, newest first, with place, party, notice and overdue days (a fixed number of queries)."""
    as_of = as_of or date.today()
    flt = flt or ProblemFilter()
    with db.read() as s:
        found = s.execute(_problem_query(flt, as_of)).all()
        photos_q = select(Attachment.owner_id, func.count()).where(Attachment.owner_table == PROBLEM_TABLE)
        if flt.ids is not None or len(found) < 500:
            photos_q = photos_q.where(Attachment.owner_id.in_([r[0] for r in found]))
        photos = dict(s.execute(photos_q.group_by(Attachment.owner_id)).all())
    days_overdue = rules.days_overdue
    return [ProblemRow(pid, uuid, project_id, found_on, _place(b, u, location), category, severity, description,
                       party_id, party or "", state, notice_id, notice_no or "", deadline,
                       days_overdue(state, deadline, as_of), photos.get(pid, 0), works, inspection_id, closed_on)
            for (pid, uuid, project_id, found_on, location, category, severity, description, party_id, state, notice_id,
                 deadline, works, inspection_id, closed_on, b, u, party, notice_no) in found]


def problem_detail(db: Database, problem_id: int, as_of: date | None = None) -> ProblemDetail:
    as_of = as_of or date.today()
    rows = problem_rows(db, ProblemFilter(ids=[problem_id]), as_of)
    if not rows:
        raise InputError(Problem(E_NOT_FOUND, {"kind": "问题", "id": problem_id}))
    with db.read() as s:
        p = s.get(SupervisionProblem, problem_id)
        steps = s.scalars(select(ProblemTransition).where(ProblemTransition.problem_id == problem_id)
                          .order_by(ProblemTransition.id)).all()
        numbers = dict(s.execute(select(RectificationNotice.id, RectificationNotice.notice_no).where(
            RectificationNotice.id.in_({t.notice_id for t in steps if t.notice_id}))).all())
        step_photos = _attachments(s, STEP_TABLE, [t.id for t in steps])
        photos = _attachments(s, PROBLEM_TABLE, [problem_id]).get(problem_id, [])
        project = s.get(Project, p.project_id).name
        inspected = s.get(Inspection, p.inspection_id).inspected_on if p.inspection_id else None
        history = tuple(HistoryRow(t.id, t.on_date, t.action, rules.step_label(t.action, t.from_state), t.from_state,
                                   t.to_state, t.by, t.text, t.deadline,
                                   numbers.get(t.notice_id, "") if t.action == Action.ISSUE.value else "",
                                   tuple(step_photos.get(t.id, []))) for t in steps)
        return ProblemDetail(rows[0], p.basis, p.measures, p.location, project, inspected, p.recheck_failures,
                             tuple(photos), history, tuple(a.value for a in rules.allowed_actions(p.state)))


def overdue_count(db: Database, as_of: date | None = None) -> int:
    as_of = as_of or date.today()
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(SupervisionProblem).where(
            SupervisionProblem.state.in_([st.value for st in rules.CLOCK_RUNNING]),
            SupervisionProblem.deadline < as_of)) or 0


def _label(p: SupervisionProblem, building: str | None, unit: str | None) -> str:
    text = p.description if len(p.description) <= 24 else p.description[:23] + "…"
    return f"监督问题 #{p.id}（{_place(building, unit, p.location)}：{text}；{rules.state_label(p.state)}）"


def problem_label(db: Database, uuid: str) -> str:
    """How another record (a designer's opinion, a meeting's motion) cites a problem by its UUID:
    "监督问题 #12（3号楼1单元 外墙：空鼓开裂；已发通知）"."""
    with db.read() as s:
        found = s.execute(select(SupervisionProblem, Building.name, Unit.name)
                          .outerjoin(Building, Building.id == SupervisionProblem.building_id)
                          .outerjoin(Unit, Unit.id == SupervisionProblem.unit_id)
                          .where(SupervisionProblem.uuid == uuid)).first()
    if found is None:
        raise InputError(Problem(E_NOT_FOUND, {"kind": "监督问题", "id": uuid}, value=uuid))
    return _label(*found)


def find_problems(db: Database, text: str = "", limit: int = 20) -> list[tuple[str, str]]:
    """Problems to cite from elsewhere: (uuid, label), newest first."""
    rows = problem_rows(db, ProblemFilter(text=text))[:limit]
    with db.read() as s:
        found = {p.id: (p, b, u) for p, b, u in s.execute(
            select(SupervisionProblem, Building.name, Unit.name)
            .outerjoin(Building, Building.id == SupervisionProblem.building_id)
            .outerjoin(Unit, Unit.id == SupervisionProblem.unit_id)
            .where(SupervisionProblem.id.in_([r.id for r in rows])))}
    return [(r.uuid, _label(*found[r.id])) for r in rows]


# ---------------------------------------------------------------------------------------------
# Notices
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoticeRow:
    id: int
    notice_no: str
    project_id: int
    project: str
    party_id: int
    party: str
    issued_on: date
    deadline: date
    problems: int
    open_problems: int  # still owed by the builder under this notice (已发通知 / 复查未通过)
    overdue: int
    issued_by: str
    recheck_method: str
    objection_days: int


def notices(db: Database, as_of: date | None = None, notice_ids: list[int] | None = None) -> list[NoticeRow]:
    as_of = as_of or date.today()
    with db.read() as s:
        query = (select(RectificationNotice, Project.name, ConstructionParty.name).join(Project)
                 .join(ConstructionParty).order_by(RectificationNotice.issued_on.desc(), RectificationNotice.id.desc()))
        if notice_ids is not None:
            query = query.where(RectificationNotice.id.in_(notice_ids))
        found = s.execute(query).all()
        steps = s.execute(select(ProblemTransition.notice_id, ProblemTransition.problem_id).where(
            ProblemTransition.action == Action.ISSUE.value,
            ProblemTransition.notice_id.in_([n.id for n, *_ in found]))).all()
        current = dict(s.execute(select(SupervisionProblem.id, SupervisionProblem.notice_id)).all()) if steps else {}
        states = dict(s.execute(select(SupervisionProblem.id, SupervisionProblem.state)).all()) if steps else {}
    listed: dict[int, list[int]] = {}
    for notice_id, problem_id in steps:
        listed.setdefault(notice_id, []).append(problem_id)
    out = []
    for n, project, party in found:
        mine = listed.get(n.id, [])
        owed = [pid for pid in mine if current.get(pid) == n.id and State(states[pid]) in rules.CLOCK_RUNNING]
        late = sum(1 for pid in owed if rules.is_overdue(states[pid], n.deadline, as_of))
        out.append(NoticeRow(n.id, n.notice_no, n.project_id, project, n.party_id, party, n.issued_on, n.deadline,
                             len(mine), len(owed), late, n.issued_by, n.recheck_method, n.objection_days))
    return out


def notice_problem_ids(db: Database, notice_id: int) -> list[int]:
    """The problems a notice listed (in the order they were issued)."""
    with db.read() as s:
        _get(s, RectificationNotice, notice_id, "整改通知单")
        return list(s.scalars(select(ProblemTransition.problem_id).where(
            ProblemTransition.notice_id == notice_id, ProblemTransition.action == Action.ISSUE.value)
            .order_by(ProblemTransition.id)))


def notice_measures(db: Database, notice_id: int) -> dict[int, str]:
    """Per problem, the measures as the notice gave them (the history row of the issue step)."""
    with db.read() as s:
        return dict(s.execute(select(ProblemTransition.problem_id, ProblemTransition.text).where(
            ProblemTransition.notice_id == notice_id, ProblemTransition.action == Action.ISSUE.value)).all())


# ---------------------------------------------------------------------------------------------
# Acceptance
# ---------------------------------------------------------------------------------------------
@dataclass
class AcceptanceInput:
    project_id: int
    accepted_on: date
    passed: bool
    parties: dict[str, str]  # district / community / residents / builder -> who attended
    checklist: list[tuple[str, str, str]]
    survey: acc.Survey
    works: str = ""
    party_id: int | None = None
    evaluator: str = ""
    score: str | Decimal | None = None
    conclusion: str = ""
    reasons: str = ""
    override_reason: str = ""


AcceptanceView = acc.Record


def acceptance_rule(db: Database) -> acc.Rule:
    with db.read() as s:
        data = settings.read(s, RULE_SETTING)
    if not data:
        return acc.Rule()
    return acc.Rule(bool(data.get("enabled", True)), Decimal(data.get("min_percent", acc.DEFAULT_MIN_PERCENT)))


def set_acceptance_rule(db: Database, enabled: bool, min_percent: str | Decimal) -> acc.Rule:
    rule = acc.Rule(enabled, acc.parse_percent(min_percent))
    with db.write(note="验收满意率规则") as s:
        settings.write(s, RULE_SETTING, {"enabled": rule.enabled, "min_percent": str(rule.min_percent)})
        record_event(s, "update", "setting", None, note=f"验收规则：{rule.describe()}")
    events.announce(TOPIC, [])
    return rule


def open_in_scope(db: Database, project_id: int, works: str = "") -> list[str]:
    """Labels of the problems of a project (or of one works package) that are not closed."""
    with db.read() as s:
        query = (select(SupervisionProblem, Building.name, Unit.name)
                 .outerjoin(Building, Building.id == SupervisionProblem.building_id)
                 .outerjoin(Unit, Unit.id == SupervisionProblem.unit_id)
                 .where(SupervisionProblem.project_id == project_id, SupervisionProblem.state != State.CLOSED.value)
                 .order_by(SupervisionProblem.id))
        if normalize_text(works):
            query = query.where(SupervisionProblem.works == normalize_text(works))
        return [f"#{p.id} {_place(b, u, p.location)}" for p, b, u in s.execute(query)]


def record_acceptance(db: Database, data: AcceptanceInput, today: date | None = None) -> int:
    """Record an acceptance. Passing is refused while problems in scope are open, unless a written
    override reason is given (then the override is audited on its own), and when the residents'
    satisfaction is below the rule in force (群众不满意不通过验收)."""
    today = today or date.today()
    problems: list[Problem] = []
    _not_future(data.accepted_on, today, "验收日期", "The acceptance date", problems)
    score = None
    if data.score not in (None, ""):
        try:
            score = Decimal(str(data.score).strip())
        except ArithmeticError:
            problems.append(Problem(acc.E_SCORE, {"value": data.score}, field="score", value=str(data.score)))
    rule = acceptance_rule(db)
    open_now = open_in_scope(db, data.project_id, data.works)
    checklist = [(clean_prose(i), r, clean_prose(n)) for i, r, n in data.checklist if clean_prose(i)]
    parties = {k: normalize_text(v) for k, v in data.parties.items()}
    proposal = acc.Proposal(data.passed, parties, checklist, data.survey, data.reasons, open_now,
                            data.override_reason, score)
    problems += acc.check(proposal, rule)
    if problems:
        raise InputError(problems)
    override = clean_prose(data.override_reason) if data.passed and open_now else ""
    with db.write(note="验收") as s:
        _get(s, Project, data.project_id, "项目")
        if data.party_id is not None:
            _get(s, ConstructionParty, data.party_id, "参建单位")
        row = Acceptance(record_no=_next_no(s, Acceptance.record_no, "YS", data.accepted_on), project_id=data.project_id,
                         works=normalize_text(data.works), accepted_on=data.accepted_on,
                         district_rep=parties.get("district", ""), community_rep=parties.get("community", ""),
                         resident_reps=parties.get("residents", ""), builder_rep=parties.get("builder", ""),
                         party_id=data.party_id, checklist=json.dumps(checklist, ensure_ascii=False),
                         survey_satisfied=data.survey.satisfied, survey_basic=data.survey.basic,
                         survey_dissatisfied=data.survey.dissatisfied, survey_unknown=data.survey.unknown,
                         evaluator=normalize_text(data.evaluator), evaluation_score=score,
                         evaluation_conclusion=(data.conclusion or "").strip(), passed=data.passed,
                         reasons=(data.reasons or "").strip(), open_problems=len(open_now), override_reason=override,
                         rule_text=rule.describe())
        s.add(row)
        s.flush()
        if override:
            record_event(s, "override", "acceptance", row.id, row.uuid,
                         note=f"验收时仍有 {len(open_now)} 个问题未关闭，书面理由：{override}",
                         after={"open_problems": open_now})
        new_id = row.id
    events.announce(TOPIC, [new_id])
    return new_id


def acceptances(db: Database, acceptance_ids: list[int] | None = None) -> list[AcceptanceView]:
    with db.read() as s:
        query = (select(Acceptance, Project.name, ConstructionParty.name).join(Project)
                 .outerjoin(ConstructionParty, ConstructionParty.id == Acceptance.party_id)
                 .order_by(Acceptance.accepted_on.desc(), Acceptance.id.desc()))
        if acceptance_ids is not None:
            query = query.where(Acceptance.id.in_(acceptance_ids))
        found = s.execute(query).all()
    return [acc.Record(a.id, a.record_no, a.project_id, project, a.works, a.accepted_on,
                           {"district": a.district_rep, "community": a.community_rep, "residents": a.resident_reps,
                            "builder": a.builder_rep}, party or "", [tuple(x) for x in json.loads(a.checklist)],
                           acc.Survey(a.survey_satisfied, a.survey_basic, a.survey_dissatisfied, a.survey_unknown),
                           a.evaluator, a.evaluation_score, a.evaluation_conclusion, a.passed, a.reasons,
                           a.open_problems, a.override_reason, a.rule_text) for a, project, party in found]


# ---------------------------------------------------------------------------------------------
# Figures and charts
# ---------------------------------------------------------------------------------------------
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
