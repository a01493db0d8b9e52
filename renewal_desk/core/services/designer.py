"""Chief street designer (首席街长): appoint designers to blocks, record their visits and opinions,
record each response, and show a block's accompaniment as a timeline with its figures.

One block has one active chief designer at a time; appointments end, they are never deleted, so the
history stays. A visit belongs to the appointment in force on its date. Opinions are never
deleted either; each response is added (with its date and who answered) and moves the status as
rules.designer allows. Every row change is audited by the session's flush listener.

An opinion can cite another record (an ordering round, a meeting resolution, a supervision
problem) by kind and uuid. Each kind registers how to name its records (`register_citation_kind`);
`opinions_citing` lets that record's page show the opinions that cite it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..db import Database
from ..models import (APPOINTMENT_STATUS_LABELS, AppointmentStatus, Attachment, Block, DesignerAppointment, DesignerOpinion,
                      DesignerVisit, OpinionResponse, OrderingRound, Person, PersonRole, Project, Role)
from ..problems import InputError, Problem, declare
from ..rules import designer as rules
from ..rules.text import clean_prose, normalize_text
from ..audit import record_event
from . import events
from .events import Topic
from ._common import E_NOT_FOUND, get_or_refuse as _get  # noqa: F401 - E_NOT_FOUND: callers'

E_REQUIRED = declare("designer.required", "{label}不能为空", "{label_en} must not be empty")
E_ACTIVE_EXISTS = declare(
    "designer.active_exists",
    "片区“{block}”已有在任首席街长 {name}（聘书 {letter}）：一个街区同一时间只能有一位首席街长，请先为其办理离任",
    "The block '{block}' already has an active chief designer, {name} (letter {letter}): a block has one at a "
    "time; end that appointment first")
E_LETTER_TAKEN = declare("designer.letter_taken", "聘书编号 {letter} 已被使用", "The letter number {letter} is already used")
E_TERM = declare("designer.term", "任期结束日期 {end} 早于开始日期 {start}", "The term ends ({end}) before it starts ({start})")
E_ENDED = declare("designer.ended", "该聘任已于 {date} 离任", "This appointment already ended on {date}")
E_END_BEFORE = declare("designer.end_before", "离任日期 {date} 早于任期开始 {start}",
                       "The end date {date} is before the term started ({start})")
E_VISITS_AFTER = declare("designer.visits_after", "离任日期 {date} 之后还有该首席街长的走访记录（{last}）",
                         "There are visits of this designer after {date} (the last on {last})")
E_NO_DESIGNER = declare("designer.no_designer", "片区“{block}”在 {date} 没有在任的首席街长，请先登记聘任",
                        "The block '{block}' had no chief designer on {date}; record the appointment first")
E_FUTURE = declare("designer.future", "{label}不能晚于今天（{today}）", "{label_en} cannot be after today ({today})")
E_RESPOND_BY = declare("designer.respond_by", "第 {index} 条意见的答复期限 {date} 早于走访日期 {visit}",
                       "Opinion {index}: the response date {date} is before the visit ({visit})")
E_BEFORE_RAISED = declare("designer.before_raised", "答复日期 {date} 早于意见提出日期 {raised}",
                          "The response date {date} is before the opinion was raised ({raised})")
E_BEFORE_LAST = declare("designer.before_last", "答复日期 {date} 早于上一次答复（{last}）",
                        "The response date {date} is before the previous response ({last})")
E_CITE_KIND = declare("designer.cite_kind", "不能引用这类记录：{kind}", "Records of this kind cannot be cited: {kind}")
E_CITE_MISSING = declare("designer.cite_missing", "找不到所引用的记录（{kind} {uuid}）",
                         "The cited record was not found ({kind} {uuid})")
E_RESPONSE_VOIDED = declare("designer.response_voided", "意见 {no} 的这条答复已作废",
                            "This response to opinion {no} is already void")
E_NOT_LATEST = declare("designer.not_latest", "只能作废或更正意见 {no} 最近一次有效的答复（{date}）；请从最近的一条开始",
                       "Only the latest valid response to opinion {no} ({date}) can be voided or amended; start there")
E_NO_OPINION = declare("designer.no_opinion", "一次走访至少记录一条意见；只看不提意见的走访请在现场情况里说明",
                       "A visit records at least one opinion; describe a visit without opinions in its observation")

# Who opinions are usually addressed to; the field is free text, these are suggestions.
ADDRESSEES = ("实施主体", "施工单位", "设计单位", "运营方", "街道办事处", "社区居委会", "区住建局", "商户")
OPINION_PREFIX = "JZ"  # 街长: JZ-2026-0001
RESPONSE_DAYS = 15  # a usual requested response time, for forms' defaults


# ---------------------------------------------------------------------------------------------
# Inputs and views
# ---------------------------------------------------------------------------------------------
@dataclass
class AppointmentInput:
    person_id: int
    block_id: int
    letter_no: str
    appointed_on: date
    term_start: date | None = None  # None: the appointment date
    term_end: date | None = None
    note: str = ""


@dataclass
class OpinionInput:
    stage: str
    stakeholders: tuple[str, ...] | list[str]
    opinion: str
    addressee: str
    observation: str = ""
    respond_by: date | None = None
    cites_kind: str = ""
    cites_uuid: str | None = None


@dataclass
class VisitInput:
    block_id: int
    visited_on: date
    opinions: list[OpinionInput]
    participants: str = ""
    observation: str = ""


@dataclass
class ResponseInput:
    status: str
    responded_on: date
    responder: str
    text: str
    reason: str = ""


@dataclass(frozen=True)
class AppointmentView:
    id: int
    person_id: int
    designer: str
    block_id: int
    block: str
    letter_no: str
    appointed_on: date
    term_start: date
    term_end: date | None
    status: str
    ended_on: date | None
    end_reason: str
    note: str

    @property
    def active(self) -> bool:
        return self.status == AppointmentStatus.ACTIVE.value

    def covers(self, day: date) -> bool:
        return self.term_start <= day and (self.ended_on is None or day <= self.ended_on)


@dataclass(frozen=True)
class ResponseView:
    id: int
    opinion_id: int
    responded_on: date
    responder: str
    status: str
    text: str
    reason: str
    voided: bool = False
    void_reason: str = ""


@dataclass(frozen=True)
class OpinionView:
    id: int
    uuid: str
    opinion_no: str
    visit_id: int
    block_id: int
    raised_on: date
    designer: str
    stage: str
    stakeholders: tuple[str, ...]
    observation: str
    opinion: str
    addressee: str
    respond_by: date | None
    status: str
    cites_kind: str
    cites_uuid: str | None
    responses: tuple[ResponseView, ...]
    overdue: bool
    cites_label: str = ""
    attachments: int = 0

    @property
    def valid_responses(self) -> tuple[ResponseView, ...]:
        return tuple(r for r in self.responses if not r.voided)

    @property
    def latest_response(self) -> ResponseView | None:
        """The response that gave the current status (the one that can be amended or voided)."""
        valid = self.valid_responses
        return valid[-1] if valid else None

    @property
    def status_before_latest(self) -> str:
        """The status the opinion goes back to when its latest response is voided."""
        valid = self.valid_responses
        return valid[-2].status if len(valid) > 1 else rules.RAISED

    @property
    def first_response_on(self) -> date | None:
        valid = self.valid_responses
        return valid[0].responded_on if valid else None

    @property
    def response_days(self) -> int | None:
        return rules.response_days(self.raised_on, self.first_response_on)

    def facts(self) -> rules.OpinionFacts:
        return rules.OpinionFacts(self.status, self.raised_on, self.first_response_on, self.respond_by, self.stage)


@dataclass(frozen=True)
class VisitView:
    id: int
    block_id: int
    visited_on: date
    designer: str
    letter_no: str
    participants: str
    observation: str
    opinion_ids: tuple[int, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a block's timeline: a visit, an opinion or a response, in date order."""

    when: date
    kind: str  # visit / opinion / response
    record_id: int
    opinion_id: int | None
    stage: str
    text: str
    party: str  # visit: the designer; opinion: the addressee; response: who answered
    status: str
    respond_by: date | None = None
    overdue: bool = False
    opinion_no: str = ""
    voided: bool = False  # a response voided: its status is shown with （已作废）


@dataclass
class TimelineFilter:
    stage: str = ""
    status: str = ""
    overdue_only: bool = False
    since: date | None = None
    until: date | None = None

    def keeps(self, o: OpinionView) -> bool:
        return ((not self.stage or o.stage == self.stage) and (not self.status or o.status == self.status)
                and (not self.overdue_only or o.overdue)
                and (self.since is None or o.raised_on >= self.since)
                and (self.until is None or o.raised_on <= self.until))


@dataclass
class Timeline:
    block_id: int
    block: str
    project: str
    today: date
    appointments: list[AppointmentView]
    visits: list[VisitView]
    opinions: list[OpinionView]  # those the filter keeps
    entries: list[TimelineEntry]
    figures: rules.Figures
    chart: dict[str, dict[str, int]]  # stage -> status -> count, of the kept opinions

    @property
    def active(self) -> AppointmentView | None:
        return next((a for a in self.appointments if a.active), None)


@dataclass(frozen=True)
class BlockChoice:
    id: int
    project: str
    name: str
    designer: str  # the active chief designer, "" if none


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def _required(value: str | None, label: str, label_en: str, problems: list[Problem], multiline: bool = False) -> str:
    text = (value or "").strip() if multiline else clean_prose(value)
    if not text:
        problems.append(Problem(E_REQUIRED, {"label": label, "label_en": label_en}))
    return text


def _appointment_view(a: DesignerAppointment) -> AppointmentView:
    return AppointmentView(a.id, a.person_id, a.person.name, a.block_id, a.block.name, a.letter_no, a.appointed_on,
                           a.term_start, a.term_end, a.status, a.ended_on, a.end_reason, a.note)


# ---------------------------------------------------------------------------------------------
# Designers and appointments
# ---------------------------------------------------------------------------------------------
def add_designer(db: Database, name: str, phone: str | None = None) -> int:
    """A designer who is not a resident (a person outside any household) with the role designer."""
    from .households import PersonInput, clean_person

    clean = clean_person(PersonInput(name, None, phone, roles=(Role.DESIGNER.value,)))
    with db.write() as s:
        person = Person(name=clean.name, phone=clean.phone, roles=[PersonRole(role=Role.DESIGNER.value)])
        s.add(person)
        s.flush()
        return person.id


def designers(db: Database) -> list[tuple[int, str]]:
    """People with the role designer: (id, name)."""
    with db.read() as s:
        return list(s.execute(select(Person.id, Person.name).join(PersonRole)
                              .where(PersonRole.role == Role.DESIGNER.value).order_by(Person.name, Person.id)))


def block_choices(db: Database) -> list[BlockChoice]:
    """Every block with its project and active chief designer, for choosing a block."""
    with db.read() as s:
        active = dict(s.execute(select(DesignerAppointment.block_id, Person.name).join(Person)
                                .where(DesignerAppointment.status == AppointmentStatus.ACTIVE.value)).all())
        rows = s.execute(select(Block.id, Project.name, Block.name).join(Project)
                         .order_by(Project.name, Block.sort_key, Block.id)).all()
    return [BlockChoice(bid, project, name, active.get(bid, "")) for bid, project, name in rows]


def appoint(db: Database, data: AppointmentInput, new_designer: str | None = None) -> int:
    """Record a letter of appointment; refused while the block has an active chief designer.
    With `new_designer` (a name typed in the form) the designer is created in the same transaction,
    so a refused appointment creates nobody."""
    from .households import PersonInput, clean_person

    problems: list[Problem] = []
    clean = None
    if new_designer is not None:
        try:
            clean = clean_person(PersonInput(new_designer, None, None, roles=(Role.DESIGNER.value,)))
        except InputError as exc:
            problems.extend(exc.problems)
    letter = _required(data.letter_no, "聘书编号", "The letter number", problems)
    start = data.term_start or data.appointed_on
    if data.term_end is not None and data.term_end < start:
        problems.append(Problem(E_TERM, {"start": start.isoformat(), "end": data.term_end.isoformat()},
                                field="date"))
    if problems:
        raise InputError(problems)
    with db.write() as s:
        if clean is not None:
            person = Person(name=clean.name, phone=clean.phone, roles=[PersonRole(role=Role.DESIGNER.value)])
            s.add(person)
            s.flush()
        else:
            person = _get(s, Person, data.person_id, "人员")
        block = _get(s, Block, data.block_id, "片区")
        active = s.scalar(select(DesignerAppointment).where(
            DesignerAppointment.block_id == data.block_id,
            DesignerAppointment.status == AppointmentStatus.ACTIVE.value))
        if active is not None:
            raise InputError(Problem(E_ACTIVE_EXISTS, {"block": block.name, "name": active.person.name,
                                                       "letter": active.letter_no}))
        if s.scalar(select(DesignerAppointment.id).where(DesignerAppointment.letter_no == letter)):
            raise InputError(Problem(E_LETTER_TAKEN, {"letter": letter}, value=letter))
        if Role.DESIGNER.value not in person.role_names:
            person.roles.append(PersonRole(role=Role.DESIGNER.value))
        row = DesignerAppointment(person_id=person.id, block_id=block.id, letter_no=letter,
                                  appointed_on=data.appointed_on, term_start=start, term_end=data.term_end,
                                  note=(data.note or "").strip())
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.DESIGNER, [new_id])
    return new_id


def end_appointment(db: Database, appointment_id: int, ended_on: date, reason: str) -> None:
    """The designer leaves the block (term over, replaced, resigned); the record stays in the history."""
    problems: list[Problem] = []
    reason = _required(reason, "离任原因", "The reason", problems)
    if problems:
        raise InputError(problems)
    with db.write() as s:
        a = _get(s, DesignerAppointment, appointment_id, "聘任")
        if a.status != AppointmentStatus.ACTIVE.value:
            raise InputError(Problem(E_ENDED, {"date": a.ended_on.isoformat() if a.ended_on else ""}))
        if ended_on < a.term_start:
            raise InputError(Problem(E_END_BEFORE, {"date": ended_on.isoformat(), "start": a.term_start.isoformat()},
                                     field="date"))
        last = s.scalar(select(func.max(DesignerVisit.visited_on)).where(DesignerVisit.appointment_id == a.id))
        if last is not None and last > ended_on:
            raise InputError(Problem(E_VISITS_AFTER, {"date": ended_on.isoformat(), "last": last.isoformat()},
                                     field="date"))
        a.status, a.ended_on, a.end_reason = AppointmentStatus.ENDED.value, ended_on, reason
    events.announce(Topic.DESIGNER, [appointment_id])


def appointments(db: Database, block_id: int | None = None) -> list[AppointmentView]:
    """Appointments, newest first (of one block, or all)."""
    with db.read() as s:
        query = select(DesignerAppointment).options(selectinload(DesignerAppointment.person),
                                                    selectinload(DesignerAppointment.block))
        if block_id is not None:
            query = query.where(DesignerAppointment.block_id == block_id)
        rows = s.scalars(query.order_by(DesignerAppointment.term_start.desc(), DesignerAppointment.id.desc()))
        return [_appointment_view(a) for a in rows]


def _appointment_on(session: Session, block: Block, day: date) -> DesignerAppointment:
    """The appointment in force in `block` on `day` (the latest started, if terms touch)."""
    candidates = session.scalars(select(DesignerAppointment).where(
        DesignerAppointment.block_id == block.id, DesignerAppointment.term_start <= day)
        .order_by(DesignerAppointment.term_start.desc(), DesignerAppointment.id.desc()))
    for a in candidates:
        if a.ended_on is None or day <= a.ended_on:
            return a
    raise InputError(Problem(E_NO_DESIGNER, {"block": block.name, "date": day.isoformat()}, field="date"))


# ---------------------------------------------------------------------------------------------
# Visits and opinions
# ---------------------------------------------------------------------------------------------
def _clean_opinion(o: OpinionInput, index: int, visited_on: date, problems: list[Problem]) -> dict:
    where, where_en = f"第 {index} 条意见的", f"Opinion {index}: "
    try:
        stage = rules.check_stage(o.stage)
    except InputError as exc:
        problems.extend(exc.problems)
        stage = ""
    try:
        stakeholders = rules.clean_stakeholders(o.stakeholders)
    except InputError as exc:
        problems.extend(exc.problems)
        stakeholders = ()
    text = _required(o.opinion, where + "意见内容", where_en + "the opinion", problems, multiline=True)
    addressee = _required(o.addressee, where + "致送对象", where_en + "the addressee", problems)
    if o.respond_by is not None and o.respond_by < visited_on:
        problems.append(Problem(E_RESPOND_BY, {"index": index, "date": o.respond_by.isoformat(),
                                               "visit": visited_on.isoformat()}, field="date"))
    kind = (o.cites_kind or "").strip()
    if kind and kind not in _CITATIONS:
        problems.append(Problem(E_CITE_KIND, {"kind": kind}, value=kind))
    return dict(stage=stage, stakeholders=",".join(stakeholders), opinion=text, addressee=addressee,
                observation=(o.observation or "").strip(), respond_by=o.respond_by, cites_kind=kind,
                cites_uuid=(o.cites_uuid or None) if kind else None)


def _next_opinion_no(session: Session, year: int) -> str:
    prefix = f"{OPINION_PREFIX}-{year}-"
    last = session.scalar(select(func.max(DesignerOpinion.opinion_no)).where(
        DesignerOpinion.opinion_no.like(prefix + "%")))
    return f"{prefix}{(int(last.rsplit('-', 1)[1]) + 1) if last else 1:04d}"


def _add_opinions(session: Session, visit: DesignerVisit, rows: list[dict]) -> list[int]:
    """Insert cleaned opinions of a visit, numbered in turn; returns their ids."""
    ids = []
    for row in rows:
        opinion = DesignerOpinion(visit_id=visit.id, block_id=visit.block_id,
                                  opinion_no=_next_opinion_no(session, visit.visited_on.year), **row)
        session.add(opinion)
        session.flush()  # the next number sees this one
        ids.append(opinion.id)
    return ids


def _check_citations(db: Database, rows: list[dict]) -> None:
    problems = [Problem(E_CITE_MISSING, {"kind": r["cites_kind"], "uuid": r["cites_uuid"] or ""})
                for r in rows if r["cites_kind"] and _CITATIONS[r["cites_kind"]].label(db, r["cites_uuid"] or "") is None]
    if problems:
        raise InputError(problems)


def record_visit(db: Database, data: VisitInput, today: date | None = None) -> int:
    """A visit and its opinions, in one transaction; returns the visit id."""
    today = today or date.today()
    problems: list[Problem] = []
    if data.visited_on > today:
        problems.append(Problem(E_FUTURE, {"label": "走访日期", "label_en": "The visit date",
                                           "today": today.isoformat()}, field="date"))
    if not data.opinions:
        problems.append(Problem(E_NO_OPINION))
    rows = [_clean_opinion(o, i, data.visited_on, problems) for i, o in enumerate(data.opinions, start=1)]
    if problems:
        raise InputError(problems)
    _check_citations(db, rows)
    with db.write() as s:
        block = _get(s, Block, data.block_id, "片区")
        appointment = _appointment_on(s, block, data.visited_on)
        visit = DesignerVisit(appointment_id=appointment.id, block_id=block.id, visited_on=data.visited_on,
                              participants=normalize_text(data.participants),
                              observation=(data.observation or "").strip())
        s.add(visit)
        s.flush()
        _add_opinions(s, visit, rows)
        visit_id = visit.id
    events.announce(Topic.DESIGNER, [visit_id])
    return visit_id


def add_opinion(db: Database, visit_id: int, data: OpinionInput) -> int:
    """One more opinion on an existing visit."""
    with db.read() as s:
        visited_on = _get(s, DesignerVisit, visit_id, "走访").visited_on
    problems: list[Problem] = []
    row = _clean_opinion(data, 1, visited_on, problems)
    if problems:
        raise InputError(problems)
    _check_citations(db, [row])
    with db.write() as s:
        new_id = _add_opinions(s, _get(s, DesignerVisit, visit_id, "走访"), [row])[0]
    events.announce(Topic.DESIGNER, [new_id])
    return new_id


def amend_opinion(db: Database, opinion_id: int, data: OpinionInput, reason: str) -> None:
    """更正意见: an opinion recorded with the wrong stage, text, addressee or answer-by date is corrected
    with a reason (audited with what it said before); its number, visit and responses stay."""
    problems: list[Problem] = []
    reason = _void_reason(reason, problems)
    with db.read() as s:
        visited_on = _get(s, DesignerOpinion, opinion_id, "意见").visit.visited_on
    row = _clean_opinion(data, 1, visited_on, problems)
    if problems:
        raise InputError(problems)
    _check_citations(db, [row])
    with db.write(note=f"更正首席街长意见：{reason}") as s:
        opinion = _get(s, DesignerOpinion, opinion_id, "意见")
        before = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in
                  ((k, getattr(opinion, k)) for k in row) if v != row[k]}
        for key, value in row.items():
            setattr(opinion, key, value)
        record_event(s, "amend", "designer_opinion", opinion.id, opinion.uuid, note=f"{opinion.opinion_no}：{reason}",
                     after={"before": before})
    events.announce(Topic.DESIGNER, [opinion_id])


def respond(db: Database, opinion_id: int, data: ResponseInput, today: date | None = None) -> int:
    """Record a response and the status it gives the opinion (rules.designer decides what may follow)."""
    today = today or date.today()
    with db.write() as s:
        new_id = _add_response(s, _get(s, DesignerOpinion, opinion_id, "意见"), data, today)
    events.announce(Topic.DESIGNER, [opinion_id])
    return new_id


def _valid_responses(opinion: DesignerOpinion) -> list[OpinionResponse]:
    return [r for r in opinion.responses if not r.voided]


def _add_response(s: Session, opinion: DesignerOpinion, data: ResponseInput, today: date,
                  problems: list[Problem] | None = None) -> int:
    """Check and add one response in the caller's transaction (any refusal raises: nothing kept)."""
    problems = list(problems or [])
    responder = _required(data.responder, "答复人", "Who answered", problems)
    text = _required(data.text, "答复内容", "The response", problems, multiline=True)
    reason = (data.reason or "").strip()
    if data.responded_on > today:
        problems.append(Problem(E_FUTURE, {"label": "答复日期", "label_en": "The response date",
                                           "today": today.isoformat()}, field="date"))
    try:
        rules.check_transition(opinion.status, data.status, reason)
    except InputError as exc:
        problems[:0] = exc.problems
    raised = opinion.visit.visited_on
    valid = _valid_responses(opinion)
    if data.responded_on < raised:
        problems.append(Problem(E_BEFORE_RAISED, {"date": data.responded_on.isoformat(),
                                                  "raised": raised.isoformat()}, field="date"))
    elif valid and data.responded_on < valid[-1].responded_on:
        problems.append(Problem(E_BEFORE_LAST, {"date": data.responded_on.isoformat(),
                                                "last": valid[-1].responded_on.isoformat()}, field="date"))
    if problems:
        raise InputError(problems)
    row = OpinionResponse(opinion_id=opinion.id, responded_on=data.responded_on, responder=responder,
                          status=data.status, text=text, reason=reason)
    s.add(row)
    opinion.status = data.status
    s.flush()
    return row.id


def _void(s: Session, response_id: int, reason: str, problems: list[Problem]) -> DesignerOpinion:
    """Void the opinion's latest valid response: the status goes back to what the one before gave."""
    row = _get(s, OpinionResponse, response_id, "答复")
    opinion = row.opinion
    valid = _valid_responses(opinion)
    if row.voided:
        raise InputError(Problem(E_RESPONSE_VOIDED, {"no": opinion.opinion_no}))
    if valid[-1].id != row.id:
        raise InputError(Problem(E_NOT_LATEST, {"no": opinion.opinion_no,
                                                "date": valid[-1].responded_on.isoformat()}))
    if problems:
        raise InputError(problems)
    row.voided, row.void_reason = True, reason
    opinion.status = valid[-2].status if len(valid) > 1 else rules.RAISED
    s.flush()
    return opinion


def _void_reason(reason: str, problems: list[Problem]) -> str:
    return _required(reason, "作废或更正的原因", "The reason for voiding or amending", problems, multiline=True)


def void_response(db: Database, response_id: int, reason: str) -> None:
    """A response recorded by mistake (wrong opinion, wrong outcome): voided with a reason, kept in the
    history; the opinion's status goes back to what it was before it (audited)."""
    problems: list[Problem] = []
    reason = _void_reason(reason, problems)
    with db.write(note=f"作废意见答复：{reason}") as s:
        opinion = _void(s, response_id, reason, problems)
        record_event(s, "void", "designer_response", response_id, s.get(OpinionResponse, response_id).uuid,
                     note=f"{opinion.opinion_no}：{reason}")
        opinion_id = opinion.id
    events.announce(Topic.DESIGNER, [opinion_id])


def amend_response(db: Database, response_id: int, data: ResponseInput, reason: str,
                   today: date | None = None) -> int:
    """更正: the latest response had the wrong outcome (or text). It is voided with the reason and the
    corrected response added, in one transaction; both stay in the history. Returns the new response."""
    today = today or date.today()
    problems: list[Problem] = []
    reason = _void_reason(reason, problems)
    with db.write(note=f"更正意见答复：{reason}") as s:
        opinion = _void(s, response_id, reason, [])
        new_id = _add_response(s, opinion, data, today, problems)
        record_event(s, "amend", "designer_response", response_id, s.get(OpinionResponse, response_id).uuid,
                     note=f"{opinion.opinion_no}：{reason}", after={"replaced_by": new_id, "status": data.status})
        opinion_id = opinion.id
    events.announce(Topic.DESIGNER, [opinion_id])
    return new_id


# ---------------------------------------------------------------------------------------------
# Reading: opinions, the timeline, reminders
# ---------------------------------------------------------------------------------------------
def _opinion_views(db: Database, session: Session, query, today: date) -> list[OpinionView]:
    opinions = session.scalars(query.options(
        selectinload(DesignerOpinion.responses),
        selectinload(DesignerOpinion.visit).selectinload(DesignerVisit.appointment)
        .selectinload(DesignerAppointment.person))).all()
    ids = [o.id for o in opinions]
    counts = dict(session.execute(select(Attachment.owner_id, func.count()).where(
        Attachment.owner_table == "designer_opinion", Attachment.owner_id.in_(ids))
        .group_by(Attachment.owner_id)).all()) if ids else {}
    views = []
    for o in opinions:
        responses = tuple(ResponseView(r.id, o.id, r.responded_on, r.responder, r.status, r.text, r.reason,
                                       r.voided, r.void_reason) for r in o.responses)
        views.append(OpinionView(
            o.id, o.uuid, o.opinion_no, o.visit_id, o.block_id, o.visit.visited_on, o.visit.appointment.person.name,
            o.stage, tuple(x for x in o.stakeholders.split(",") if x), o.observation, o.opinion, o.addressee,
            o.respond_by, o.status, o.cites_kind, o.cites_uuid, responses,
            rules.is_overdue(o.status, o.respond_by, today),
            citation_label(db, o.cites_kind, o.cites_uuid) if o.cites_kind else "", counts.get(o.id, 0)))
    return sorted(views, key=lambda v: (v.raised_on, v.opinion_no))


def opinion_view(db: Database, opinion_id: int, today: date | None = None) -> OpinionView:
    with db.read() as s:
        found = _opinion_views(db, s, select(DesignerOpinion).where(DesignerOpinion.id == opinion_id),
                               today or date.today())
    if not found:
        raise InputError(Problem(E_NOT_FOUND, {"kind": "意见", "id": opinion_id}))
    return found[0]


def opinions(db: Database, block_id: int | None = None, today: date | None = None) -> list[OpinionView]:
    with db.read() as s:
        query = select(DesignerOpinion)
        if block_id is not None:
            query = query.where(DesignerOpinion.block_id == block_id)
        return _opinion_views(db, s, query, today or date.today())


def timeline(db: Database, block_id: int, flt: TimelineFilter | None = None,
             today: date | None = None) -> Timeline:
    """A block's accompaniment: visits, the opinions the filter keeps and their responses, by date,
    with the figures and the chart of those opinions."""
    today = today or date.today()
    flt = flt or TimelineFilter()
    with db.read() as s:
        block = _get(s, Block, block_id, "片区")
        block_name, project = block.name, block.project.name
        all_opinions = _opinion_views(db, s, select(DesignerOpinion).where(DesignerOpinion.block_id == block_id),
                                      today)
        visits = [VisitView(v.id, v.block_id, v.visited_on, v.appointment.person.name, v.appointment.letter_no,
                            v.participants, v.observation, tuple(o.id for o in v.opinions))
                  for v in s.scalars(select(DesignerVisit).where(DesignerVisit.block_id == block_id)
                                     .options(selectinload(DesignerVisit.opinions),
                                              selectinload(DesignerVisit.appointment)
                                              .selectinload(DesignerAppointment.person))
                                     .order_by(DesignerVisit.visited_on, DesignerVisit.id))]
    history = appointments(db, block_id)
    kept = [o for o in all_opinions if flt.keeps(o)]
    kept_ids = {o.id for o in kept}
    filtering = bool(flt.stage or flt.status or flt.overdue_only)
    entries: list[TimelineEntry] = []
    for v in visits:
        if (flt.since and v.visited_on < flt.since) or (flt.until and v.visited_on > flt.until):
            continue
        if filtering and not kept_ids.intersection(v.opinion_ids):
            continue
        entries.append(TimelineEntry(v.visited_on, "visit", v.id, None, "",
                                     "；".join(x for x in (v.participants, v.observation) if x), v.designer, ""))
    for o in kept:
        entries.append(TimelineEntry(o.raised_on, "opinion", o.id, o.id, o.stage, o.opinion, o.addressee, o.status,
                                     o.respond_by, o.overdue, o.opinion_no))
        for r in o.responses:
            text = r.text + (f"（理由：{r.reason}）" if r.reason else "")
            if r.voided:
                text = f"【已作废：{r.void_reason}】" + text
            entries.append(TimelineEntry(r.responded_on, "response", r.id, o.id, o.stage, text, r.responder,
                                         r.status, opinion_no=o.opinion_no, voided=r.voided))
    order = {"visit": 0, "opinion": 1, "response": 2}
    entries.sort(key=lambda e: (e.when, order[e.kind], e.opinion_no, e.record_id))
    facts = [o.facts() for o in kept]
    return Timeline(block_id, block_name, project, today, history, visits, kept, entries,
                    rules.figures(facts, today), rules.by_stage_and_status(facts))


def overdue_count(db: Database, today: date | None = None, block_id: int | None = None) -> int:
    """Opinions still 提出 after their requested response date (for the overview and reminders)."""
    today = today or date.today()
    with db.read() as s:
        query = select(func.count()).select_from(DesignerOpinion).where(
            DesignerOpinion.status == rules.RAISED, DesignerOpinion.respond_by < today)
        if block_id is not None:
            query = query.where(DesignerOpinion.block_id == block_id)
        return s.scalar(query) or 0


def overdue_opinions(db: Database, today: date | None = None) -> list[OpinionView]:
    """The reminders: every overdue opinion, oldest requested date first."""
    today = today or date.today()
    with db.read() as s:
        found = _opinion_views(db, s, select(DesignerOpinion).where(
            DesignerOpinion.status == rules.RAISED, DesignerOpinion.respond_by < today), today)
    return sorted(found, key=lambda o: (o.respond_by, o.opinion_no))


# ---------------------------------------------------------------------------------------------
# Citations: an opinion may cite another record; that record's page shows the opinions citing it
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CitationKind:
    kind: str
    label: Callable[[Database, str], str | None]  # (db, uuid) -> a label, None if not found
    choices: Callable[[Database], list[tuple[str, str]]] | None = None  # (db) -> [(uuid, label)]


_CITATIONS: dict[str, CitationKind] = {}


def register_citation_kind(kind: str, label_fn: Callable[[Database, str], str | None],
                           choices_fn: Callable[[Database], list[tuple[str, str]]] | None = None) -> None:
    """Let opinions cite records of `kind`: `label_fn(db, uuid)` names one (None when it does not
    exist); `choices_fn(db)` lists the records a form may offer, as (uuid, label)."""
    _CITATIONS[kind] = CitationKind(kind, label_fn, choices_fn)


def citation_kinds() -> list[str]:
    return list(_CITATIONS)


def citation_label(db: Database, kind: str, uuid: str | None) -> str:
    """What a citation points at, as text; a record that is gone is shown as such, never hidden."""
    found = _CITATIONS.get(kind)
    label = found.label(db, uuid or "") if found else None
    return label if label is not None else f"{kind} {(uuid or '')[:8]}（未找到）"


def citation_choices(db: Database) -> list[tuple[str, str, str]]:
    """Everything a form can offer to cite: (kind, uuid, label)."""
    return [(c.kind, uuid, label) for c in _CITATIONS.values() if c.choices for uuid, label in c.choices(db)]


def opinions_citing(db: Database, kind: str, uuid: str, today: date | None = None) -> list[OpinionView]:
    """The opinions that cite one record (for that record's page)."""
    with db.read() as s:
        return _opinion_views(db, s, select(DesignerOpinion).where(DesignerOpinion.cites_kind == kind,
                                                                   DesignerOpinion.cites_uuid == uuid),
                              today or date.today())


def opinions_citing_round(db: Database, round_id: int, today: date | None = None) -> list[OpinionView]:
    """The opinions that cite an ordering round, by its id (for the ordering page)."""
    with db.read() as s:
        uuid = s.scalar(select(OrderingRound.uuid).where(OrderingRound.id == round_id))
    return [] if uuid is None else opinions_citing(db, "ordering_round", uuid, today)


def _ordering_round_label(db: Database, uuid: str) -> str | None:
    with db.read() as s:
        title = s.scalar(select(OrderingRound.title).where(OrderingRound.uuid == uuid))
    return None if title is None else f"居民点单：{title}"


def _ordering_round_choices(db: Database) -> list[tuple[str, str]]:
    with db.read() as s:
        return [(uuid, f"居民点单：{title}") for uuid, title in
                s.execute(select(OrderingRound.uuid, OrderingRound.title).order_by(OrderingRound.id.desc()))]


register_citation_kind("ordering_round", _ordering_round_label, _ordering_round_choices)


def _resolution_label(db: Database, uuid: str) -> str | None:
    from ..models import Meeting, Resolution

    with db.read() as s:
        row = s.execute(select(Meeting.title, Resolution.text).join(Meeting, Meeting.id == Resolution.meeting_id)
                        .where(Resolution.uuid == uuid)).first()
    return None if row is None else f"会议决议：{row[0]}——{row[1][:40]}"


def _resolution_choices(db: Database) -> list[tuple[str, str]]:
    from ..models import Meeting, Resolution

    with db.read() as s:
        return [(uuid, f"会议决议：{title}——{text[:40]}") for uuid, title, text in
                s.execute(select(Resolution.uuid, Meeting.title, Resolution.text)
                          .join(Meeting, Meeting.id == Resolution.meeting_id)
                          .order_by(Meeting.starts_at.desc(), Resolution.position))]


register_citation_kind("meeting_resolution", _resolution_label, _resolution_choices)


def _problem_label(db: Database, uuid: str) -> str | None:
    from . import supervision

    try:
        return supervision.problem_label(db, uuid)
    except InputError:
        return None


def _problem_choices(db: Database) -> list[tuple[str, str]]:
    from . import supervision

    return supervision.find_problems(db, limit=200)


register_citation_kind("supervision_problem", _problem_label, _problem_choices)


# ---------------------------------------------------------------------------------------------
# Printouts: the data of 意见书 and of the block's journal
# ---------------------------------------------------------------------------------------------
def journal_period(until: date | None, since: date | None) -> tuple[date, date]:
    """A journal's period: to `until` (default today), from `since` (default one year before)."""
    until = until or date.today()
    return (since or until - timedelta(days=365) + timedelta(days=1)), until


def opinion_document(db: Database, opinion_id: int):
    from ..printing import designer as dp

    o = opinion_view(db, opinion_id)
    with db.read() as s:
        visit = _get(s, DesignerVisit, o.visit_id, "走访")
        block, project, letter = visit.appointment.block.name, visit.appointment.block.project.name, \
            visit.appointment.letter_no
        participants = visit.participants
    return dp.OpinionDoc(o.opinion_no, project, block, o.designer, letter, o.raised_on, participants, o.stage,
                         rules.stakeholders_text(o.stakeholders), o.observation, o.opinion, o.addressee,
                         o.respond_by, o.status,
                         o.cites_label, [dp.ResponseLine(r.responded_on, r.responder,
                                                          rules.label(rules.OPINION_STATUS_LABELS, r.status)
                                                          + ("（已作废）" if r.voided else ""),
                                                          f"【已作废：{r.void_reason}】{r.text}" if r.voided else r.text,
                                                          r.reason) for r in o.responses], o.attachments)


def journal_document(db: Database, block_id: int, since: date | None = None, until: date | None = None):
    from ..printing import designer as dp

    since, until = journal_period(until, since)
    tl = timeline(db, block_id, TimelineFilter(since=since, until=until))
    visits = [v for v in tl.visits if since <= v.visited_on <= until]
    served = [a for a in tl.appointments if a.term_start <= until and (a.ended_on is None or a.ended_on >= since)]
    return dp.JournalDoc(
        tl.project, tl.block, since, until,
        [dp.JournalAppointment(a.designer, a.letter_no, a.appointed_on, a.term_start, a.term_end,
                               APPOINTMENT_STATUS_LABELS[a.status][0],
                               a.ended_on) for a in reversed(served)],
        [dp.JournalVisit(v.visited_on, v.designer, v.participants, v.observation, len(v.opinion_ids))
         for v in visits],
        [dp.JournalOpinion(o.opinion_no, o.raised_on, o.stage, rules.stakeholders_text(o.stakeholders), o.opinion, o.addressee,
                           o.respond_by, o.status, o.first_response_on,
                           "　".join(r.text + (f"（理由：{r.reason}）" if r.reason else "") for r in o.valid_responses),
                           o.overdue) for o in tl.opinions],
        tl.chart, tl.figures.total, tl.figures.answered, tl.figures.adopted, rules.rate_text(tl.figures.adoption_rate),
        tl.figures.average_response_days, tl.figures.overdue)

