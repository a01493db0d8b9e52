"""The problems found (问题台账): record one with its photos, correct one with a reason, add photos; the
list with its filters, one problem's detail and history, the overdue count, and how other records cite a problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ...audit import record_event
from ...db import Database
from ...models import (Attachment, Building, ConstructionParty, Inspection, ProblemTransition, Project,
                       RectificationNotice, SupervisionProblem, Unit)
from ...problems import InputError, Problem
from ...rules import rectification as rules
from ...rules.rectification import Action, State
from ...rules.text import normalize_text
from ..attachments import AttachmentInfo, link_file
from .. import events
from ._common import (E_CLOSED, E_NOT_FOUND, E_REQUIRED, PROBLEM_TABLE, STEP_TABLE, TOPIC, _amend_reason,
                      _attachments, _choice, _get, _not_future, _place, _required, _store_photos)


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
    category = _choice(data.category, rules.PROBLEM_CATEGORY_LABELS, "category", "问题类别", "The category", problems)
    severity = _choice(data.severity, rules.SEVERITY_LABELS, "severity", "严重程度", "The severity", problems)
    _not_future(data.found_on, today, "发现日期", "The date found", problems)
    location = normalize_text(data.location)
    if data.building_id is None and not location:
        problems.append(Problem(E_REQUIRED, {"label": "问题位置（楼栋或具体部位）", "label_en": "The location"},
                                field="location"))
    if problems:
        raise InputError(problems)
    return dict(project_id=data.project_id, inspection_id=data.inspection_id, building_id=data.building_id,
                unit_id=data.unit_id if data.building_id else None, location=location, works=normalize_text(data.works),
                category=category, severity=severity, description=description,
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
    if flt.category:  # its code, or its words (安全)
        category = next((c for c, words in rules.PROBLEM_CATEGORY_LABELS.items() if flt.category in (c, *words)),
                        flt.category)
        where.append(SupervisionProblem.category == category)
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
