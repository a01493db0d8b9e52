"""Consultation meetings (议事协商): prepare, invite, sign in, run the agenda, take minutes, vote,
resolve, follow up.

Every function is one user action and one short transaction, so minutes typed during a meeting are
on disk within the autosave delay. Votes are counted by core.rules.votes / core.rules.consent under
the rules in force (民法典第278条 or a stricter city setting; consultative votes by simple majority).
A vote that has been decided can still be corrected, but only with a reason; the correction is
written to the motion and to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from ..audit import record_event
from ..db import Database
from ..models import (AgendaItem, Attendee, Block, Building, Category, FollowUpTask, Household, Meeting, MeetingKind,
                      MeetingStatus, Motion, MotionBallot, MotionState, Person, PersonRole, Project, Resolution, Speech,
                      TaskStatus, Unit)
from ..problems import InputError, Problem, declare
from ..rules import consent, votes
from ..rules.consent import percent
from ..rules.phone import normalize_phone
from ..rules.search import normalize_query, search_text
from ..rules.text import clean_prose, normalize_text
from . import events
from .households import address_text

E_NOT_FOUND = declare("meeting.not_found", "找不到该{kind}（编号 {id}）", "{kind} {id} was not found")
E_TITLE = declare("meeting.title", "{what}不能为空", "{what_en} must not be empty")
E_TOO_LONG = declare("meeting.too_long", "{what}过长（最多 {limit} 个字）", "{what_en} is too long (at most {limit} characters)")
E_KIND = declare("meeting.kind", "会议类型须为：{allowed}", "The kind of meeting must be one of: {allowed}")
E_TIMES = declare("meeting.times", "结束时间早于开始时间", "The meeting ends before it starts")
E_CATEGORY = declare("meeting.category", "参会类别须为：{allowed}", "The category must be one of: {allowed}")
E_ALREADY_IN = declare("meeting.already_signed_in", "{name}已于 {time} 签到", "{name} already signed in at {time}")
E_NOT_IN = declare("meeting.not_signed_in", "{name}还没有签到", "{name} has not signed in")
E_LEFT_BEFORE = declare("meeting.left_before_sign_in", "离场时间 {left} 早于签到时间 {time}",
                        "The time of leaving {left} is before signing in at {time}")
E_PROXY_NAME = declare("meeting.proxy_name", "代理签到须填写代理人姓名", "Signing in by proxy needs the proxy's name")
E_PROXY_SELF = declare("meeting.proxy_self", "代理人不能是被代理人本人（{name}）", "The proxy cannot be the person themselves ({name})")
E_MINUTES = declare("meeting.planned_minutes", "计划时长应为 1–600 分钟：{value}", "Planned minutes must be 1–600: {value}")
E_MATTER = declare("meeting.matter", "表决规则须为 特别事项 / 一般事项 / 协商表决", "The rule must be special / ordinary / consultative")
E_METHOD = declare("meeting.method", "表决方式须为 举手 / 记名 / 纸质票", "The method must be hands / named / paper")
E_MOTION_STATE = declare("meeting.motion_state", "议题“{title}”{state}，不能{action}",
                         "The motion “{title}” is {state_en}; it cannot be {action_en}")
E_CORRECTION_REASON = declare(
    "meeting.correction_reason", "议题“{title}”已表决，更正结果须填写原因（记入审计日志）",
    "The motion “{title}” has been decided; correcting its result needs a reason (audited)")
E_NOT_OWNER = declare(
    "meeting.not_owner", "{name}不是本次会议表决范围内的业主，不能对《民法典》第二百七十八条事项投票",
    "{name} is not an owner in this meeting's scope and cannot vote on a Civil Code Art. 278 matter")
E_NO_AREA = declare(
    "meeting.no_area", "{name}的住户没有登记专有部分面积，无法按《民法典》第二百七十八条计票；请先在住户中补登面积",
    "{name}'s household has no exclusive area on record, so it cannot be counted under Civil Code Art. 278; "
    "add the area to the household first")
E_CHOICE = declare("meeting.choice", "表决意见须为 赞成 / 反对 / 弃权：{value}", "The choice must be yes / no / abstain: {value}")
E_WRONG_MEETING = declare("meeting.wrong_meeting", "该记录不属于这次会议", "That record belongs to another meeting")
E_TASK_STATUS = declare("meeting.task_status", "任务状态须为：{allowed}", "The task status must be one of: {allowed}")

MATTER_NAMES = {"special": ("特别事项（双四分之三）", "special (double 3/4)"),
                "ordinary": ("一般事项（双过半）", "ordinary (double majority)"),
                "consultative": ("协商表决（简单多数）", "consultative (simple majority)")}
STATE_EN = {MotionState.DRAFT: "not yet voted", MotionState.VOTING: "being voted", MotionState.DECIDED: "decided"}


def _get(session: Session, model, record_id: int | None, kind: str):
    obj = session.get(model, record_id) if record_id is not None else None
    if obj is None:
        raise InputError(Problem(E_NOT_FOUND, {"kind": kind, "id": record_id}))
    return obj


def _text(value: Any, what: str, what_en: str, limit: int, field_name: str, required: bool = True) -> str:
    text = clean_prose(value)
    if required and not text:
        raise InputError(Problem(E_TITLE, {"what": what, "what_en": what_en}, field=field_name))
    if len(text) > limit:
        raise InputError(Problem(E_TOO_LONG, {"what": what, "what_en": what_en, "limit": limit}, field=field_name,
                                 value=text[:60]))
    return text


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------
@dataclass
class MeetingInput:
    title: str
    starts_at: datetime
    kind: str = MeetingKind.COUNCIL.value
    project_id: int | None = None
    ends_at: datetime | None = None
    place: str = ""
    chair: str = ""
    recorder: str = ""
    scrutineers: list[str] = field(default_factory=list)
    purpose: str = ""
    building_ids: list[int] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class MeetingView:
    id: int
    uuid: str
    title: str
    kind: str
    project_id: int | None
    project: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    chair: str
    recorder: str
    scrutineers: tuple[str, ...]
    purpose: str
    building_ids: tuple[int, ...]
    status: str
    current_item_id: int | None
    current_motion_id: int | None
    note: str

    def as_input(self) -> MeetingInput:
        return MeetingInput(self.title, self.starts_at, self.kind, self.project_id, self.ends_at, self.place,
                            self.chair, self.recorder, list(self.scrutineers), self.purpose, list(self.building_ids),
                            self.note)


def _split_names(text: str) -> tuple[str, ...]:
    return tuple(n for n in (x.strip() for x in text.replace("，", "、").replace(",", "、").split("、")) if n)


def _view(m: Meeting, project: str) -> MeetingView:
    return MeetingView(m.id, m.uuid, m.title, m.kind, m.project_id, project, m.starts_at, m.ends_at, m.place,
                       m.chair, m.recorder, _split_names(m.scrutineers), m.purpose,
                       tuple(int(x) for x in m.building_ids.split(",") if x), m.status, m.current_item_id,
                       m.current_motion_id, m.note)


def _clean_meeting(data: MeetingInput) -> dict[str, Any]:
    problems = []
    values: dict[str, Any] = {}
    for key, what, what_en, limit, required in (
            ("title", "会议名称", "The title", 200, True), ("place", "会议地点", "The place", 200, False),
            ("chair", "主持人", "The chair", 100, False), ("recorder", "记录人", "The recorder", 100, False)):
        try:
            values[key] = _text(getattr(data, key), what, what_en, limit, key, required)
        except InputError as exc:
            problems.extend(exc.problems)
    if data.kind not in {k.value for k in MeetingKind}:
        problems.append(Problem(E_KIND, {"allowed": " / ".join(k.value for k in MeetingKind)}, field="kind",
                                value=str(data.kind)))
    if not isinstance(data.starts_at, datetime):
        problems.append(Problem(E_TITLE, {"what": "开始时间", "what_en": "The start time"}, field="starts_at"))
    elif data.ends_at is not None and data.ends_at < data.starts_at:
        problems.append(Problem(E_TIMES, field="ends_at"))
    if problems:
        raise InputError(problems)
    names = [normalize_text(n) for n in data.scrutineers if normalize_text(n)]
    values.update(kind=data.kind, project_id=data.project_id, starts_at=data.starts_at.replace(microsecond=0),
                  ends_at=data.ends_at, scrutineers="、".join(names), purpose=(data.purpose or "").strip(), building_ids=",".join(map(str, data.building_ids)),
                  note=(data.note or "").strip())
    return values


def create_meeting(db: Database, data: MeetingInput) -> int:
    values = _clean_meeting(data)
    with db.write() as s:
        if values["project_id"] is not None:
            _get(s, Project, values["project_id"], "项目")
        meeting = Meeting(**values)
        s.add(meeting)
        s.flush()
        new_id = meeting.id
    events.announce("meetings", [new_id])
    return new_id


def update_meeting(db: Database, meeting_id: int, data: MeetingInput) -> None:
    values = _clean_meeting(data)
    with db.write() as s:
        meeting = _get(s, Meeting, meeting_id, "会议")
        for key, value in values.items():
            if getattr(meeting, key) != value:
                setattr(meeting, key, value)
    events.announce("meetings", [meeting_id])


def delete_meeting(db: Database, meeting_id: int) -> None:
    with db.write() as s:
        s.delete(_get(s, Meeting, meeting_id, "会议"))
    events.announce("meetings", [meeting_id])


@dataclass(frozen=True)
class MeetingRow:
    id: int
    title: str
    kind: str
    project: str
    starts_at: datetime
    status: str
    expected: int
    present: int


def meetings(db: Database, project_id: int | None = None) -> list[MeetingRow]:
    with db.read() as s:
        expected = (select(func.count(Attendee.id)).where(Attendee.meeting_id == Meeting.id, Attendee.expected.is_(True))
                    .scalar_subquery())
        present = (select(func.count(Attendee.id)).where(Attendee.meeting_id == Meeting.id,
                                                         Attendee.signed_in_at.is_not(None)).scalar_subquery())
        query = (select(Meeting.id, Meeting.title, Meeting.kind, Project.name, Meeting.starts_at, Meeting.status,
                        expected, present).outerjoin(Project, Project.id == Meeting.project_id)
                 .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))
        if project_id is not None:
            query = query.where(Meeting.project_id == project_id)
        return [MeetingRow(i, t, k, p or "", st, status, e or 0, pr or 0) for i, t, k, p, st, status, e, pr in s.execute(query)]


def meeting_view(db: Database, meeting_id: int) -> MeetingView:
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        project = s.get(Project, m.project_id).name if m.project_id else ""
        return _view(m, project)


def start_meeting(db: Database, meeting_id: int, at: datetime | None = None) -> None:
    with db.write() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        m.status = MeetingStatus.RUNNING.value
        if m.current_item_id is None and m.items:
            m.current_item_id = m.items[0].id
            m.items[0].started_at = m.items[0].started_at or (at or _now())
    events.announce("meetings", [meeting_id])


def end_meeting(db: Database, meeting_id: int, at: datetime | None = None) -> None:
    with db.write() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        m.status = MeetingStatus.ENDED.value
        m.ends_at = m.ends_at or max(at or _now(), m.starts_at)
    events.announce("meetings", [meeting_id])


# ---------------------------------------------------------------------------------------------
# Invitees and sign-in
# ---------------------------------------------------------------------------------------------
@dataclass
class AttendeeInput:
    name: str
    category: str = Category.RESIDENT.value
    organisation: str = ""
    phone: str | None = None
    expected: bool = True
    household_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class AttendeeRow:
    id: int
    name: str
    category: str
    organisation: str
    address: str
    phone: str | None
    expected: bool
    signed_in_at: datetime | None
    left_at: datetime | None
    proxy_name: str
    proxy_authority: str
    household_id: int | None
    area: Decimal | None

    @property
    def present(self) -> bool:
        return self.signed_in_at is not None and self.left_at is None


def _scope_households(s: Session, m: Meeting):
    """Households of the meeting's project (and buildings, if chosen) that are not vacant."""
    query = (select(Household.id).join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
             .join(Block, Block.id == Building.block_id).where(Block.project_id == m.project_id,
                                                                 Household.is_vacant.is_(False)))
    ids = [int(x) for x in m.building_ids.split(",") if x]
    if ids:
        query = query.where(Building.id.in_(ids))
    return query


def _next_position(s: Session, model, meeting_column, meeting_id: int) -> int:
    return (s.scalar(select(func.max(model.position)).where(meeting_column == meeting_id)) or 0) + 1


def invite_households(db: Database, meeting_id: int) -> int:
    """Invite the head of every household in the meeting's scope (as 居民, with the household);
    households already invited are left as they are. Returns how many were added."""
    with db.write() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        if m.project_id is None:
            return 0
        done = set(s.scalars(select(Attendee.household_id).where(Attendee.meeting_id == meeting_id,
                                                                  Attendee.household_id.is_not(None))))
        head = aliased(Person)
        rows = s.execute(select(Household.id, Household.search_text, Household.sort_key, head.id, head.name, head.phone)
                         .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                         .where(Household.id.in_(_scope_households(s, m))).order_by(Household.sort_key)).all()
        position = _next_position(s, Attendee, Attendee.meeting_id, meeting_id)
        added = 0
        for hid, text, _sort, pid, name, phone in rows:
            if hid in done:
                continue
            s.add(Attendee(meeting_id=meeting_id, position=position, category=Category.RESIDENT.value, person_id=pid,
                           household_id=hid, name=name or "（无户主）", organisation="业主", phone=phone,
                           search_text=text))
            position += 1
            added += 1
    events.announce("meetings", [meeting_id])
    return added


ROLE_CATEGORY = {"party_member": Category.PARTY, "representative": Category.RESIDENT, "designer": Category.DESIGNER,
                 "supervisor": Category.RESIDENT, "staff": Category.DEPARTMENT, "operator": Category.ENTERPRISE}
ROLE_TITLE = {"party_member": "党员", "representative": "居民代表", "designer": "设计师", "supervisor": "监督员",
              "staff": "工作人员", "operator": "经营者"}


def invite_role(db: Database, meeting_id: int, role: str) -> int:
    """Invite every person with a role (党员, 居民代表 …) not already invited as that person."""
    with db.write() as s:
        _get(s, Meeting, meeting_id, "会议")
        done = set(s.scalars(select(Attendee.person_id).where(Attendee.meeting_id == meeting_id,
                                                               Attendee.person_id.is_not(None))))
        people = s.execute(select(Person.id, Person.name, Person.phone, Person.household_id, Household.search_text)
                           .join(PersonRole, PersonRole.person_id == Person.id)
                           .outerjoin(Household, Household.id == Person.household_id)
                           .where(PersonRole.role == role).order_by(Person.id)).all()
        position = _next_position(s, Attendee, Attendee.meeting_id, meeting_id)
        added = 0
        for pid, name, phone, hid, text in people:
            if pid in done:
                continue
            s.add(Attendee(meeting_id=meeting_id, position=position, category=ROLE_CATEGORY.get(role, Category.OTHER).value,
                           person_id=pid, household_id=hid, name=name, organisation=ROLE_TITLE.get(role, role),
                           phone=phone, search_text=search_text(name, phone) + "\x1f" + (text or "")))
            position += 1
            added += 1
    events.announce("meetings", [meeting_id])
    return added


def add_attendee(db: Database, meeting_id: int, data: AttendeeInput) -> int:
    """Invite someone (expected) or record a walk-in (expected=False, 列席)."""
    name = _text(data.name, "姓名", "The name", 100, "name")
    organisation = _text(data.organisation, "身份/单位", "The organisation", 200, "organisation", required=False)
    if data.category not in {c.value for c in Category}:
        raise InputError(Problem(E_CATEGORY, {"allowed": " / ".join(c.value for c in Category)}, field="category",
                                 value=str(data.category)))
    phone = normalize_phone(data.phone) if data.phone else None  # raises a clear error on a bad number
    with db.write() as s:
        _get(s, Meeting, meeting_id, "会议")
        text = search_text(name, organisation, phone)
        if data.household_id is not None:
            text += "\x1f" + (_get(s, Household, data.household_id, "住户").search_text or "")
        row = Attendee(meeting_id=meeting_id, position=_next_position(s, Attendee, Attendee.meeting_id, meeting_id),
                       category=data.category, person_id=data.person_id, household_id=data.household_id, name=name,
                       organisation=organisation, phone=phone or None, expected=data.expected, search_text=text)
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce("meetings", [meeting_id])
    return new_id


def remove_attendee(db: Database, attendee_id: int) -> None:
    with db.write() as s:
        row = _get(s, Attendee, attendee_id, "参会人")
        meeting_id = row.meeting_id
        s.delete(row)
    events.announce("meetings", [meeting_id])


def attendees(db: Database, meeting_id: int, query: str = "") -> list[AttendeeRow]:
    """The invitees and walk-ins in list order; `query` matches name, pinyin (initials), room,
    phone digits, organisation (every word must match)."""
    with db.read() as s:
        stmt = (select(Attendee, Building.name, Unit.name, Household.room, Household.area)
                .outerjoin(Household, Household.id == Attendee.household_id)
                .outerjoin(Unit, Unit.id == Household.unit_id).outerjoin(Building, Building.id == Unit.building_id)
                .where(Attendee.meeting_id == meeting_id).order_by(Attendee.position, Attendee.id))
        for term in normalize_query(query).split():
            stmt = stmt.where(Attendee.search_text.contains(term, autoescape=True))
        rows = [AttendeeRow(a.id, a.name, a.category, a.organisation,
                            address_text(b or "", u or "", room or "") if room else "", a.phone, a.expected,
                            a.signed_in_at, a.left_at, a.proxy_name, a.proxy_authority, a.household_id, area)
                for a, b, u, room, area in s.execute(stmt)]
    whole = normalize_query(query).replace(" ", "")
    if whole:  # the name or the address typed in full comes first ("1号楼 1单元 501" before a phone with 501)
        rows.sort(key=lambda r: not (r.name == whole or r.address.replace(" ", "") == whole))
    return rows


def sign_in(db: Database, attendee_id: int, at: datetime | None = None, *, proxy_name: str = "",
            proxy_authority: str = "", proxy: bool = False) -> None:
    """Sign someone in, in person or (proxy=True) by a proxy holding their written authority."""
    at = (at or _now()).replace(microsecond=0)
    proxy_name = normalize_text(proxy_name)
    with db.write() as s:
        row = _get(s, Attendee, attendee_id, "参会人")
        if row.signed_in_at is not None:
            raise InputError(Problem(E_ALREADY_IN, {"name": row.name, "time": f"{row.signed_in_at:%H:%M}"}))
        if proxy or proxy_name:
            if not proxy_name:
                raise InputError(Problem(E_PROXY_NAME, field="proxy_name"))
            if proxy_name == row.name:
                raise InputError(Problem(E_PROXY_SELF, {"name": row.name}, field="proxy_name", value=proxy_name))
            row.proxy_name = proxy_name
            row.proxy_authority = normalize_text(proxy_authority) or "书面委托"
        row.signed_in_at = at
        row.left_at = None
        meeting_id = row.meeting_id
    events.announce("meetings", [meeting_id])


def sign_out(db: Database, attendee_id: int, at: datetime | None = None) -> None:
    """Record that someone left (早退); they no longer count as present for later votes."""
    at = (at or _now()).replace(microsecond=0)
    with db.write() as s:
        row = _get(s, Attendee, attendee_id, "参会人")
        if row.signed_in_at is None:
            raise InputError(Problem(E_NOT_IN, {"name": row.name}))
        if at < row.signed_in_at:
            raise InputError(Problem(E_LEFT_BEFORE, {"left": f"{at:%H:%M}", "time": f"{row.signed_in_at:%H:%M}"},
                                     field="left_at"))
        row.left_at = at
        meeting_id = row.meeting_id
    events.announce("meetings", [meeting_id])


def undo_sign_in(db: Database, attendee_id: int) -> None:
    """Take back a sign-in made by mistake (audited like every change)."""
    with db.write() as s:
        row = _get(s, Attendee, attendee_id, "参会人")
        row.signed_in_at = row.left_at = None
        row.proxy_name = row.proxy_authority = ""
        meeting_id = row.meeting_id
    events.announce("meetings", [meeting_id])


@dataclass(frozen=True)
class Attendance:
    expected: int  # 应到 (invited)
    present: int  # 实到 now: signed in, invited, not left
    walk_ins: int  # 列席 present
    signed_in: int  # ever signed in (invited)
    late: int
    left_early: int
    proxies: int
    expected_area: Decimal
    present_area: Decimal
    by_category: tuple[tuple[str, int, int], ...]  # (category, 应到, 实到)

    @property
    def headcount_share(self) -> Fraction:
        return Fraction(self.present, self.expected) if self.expected else Fraction(0)

    @property
    def area_share(self) -> Fraction:
        return Fraction(self.present_area) / Fraction(self.expected_area) if self.expected_area else Fraction(0)

    def text(self, lang: str = "zh") -> str:
        area = (f"{votes.area_text(self.present_area)}/{votes.area_text(self.expected_area)} ㎡（{percent(self.area_share)}）"
                if self.expected_area else "—")
        if lang.startswith("en"):
            return f"by headcount {self.present}/{self.expected} ({percent(self.headcount_share)}); by area {area}"
        return f"按人数 {self.present}/{self.expected}（{percent(self.headcount_share)}）；按面积 {area}"


def attendance(db: Database, meeting_id: int, at: datetime | None = None,
               rows: list[AttendeeRow] | None = None) -> Attendance:
    """应到 / 实到 and participation by headcount and by area (residents' households), at a moment
    (default: now, counting who is in the room); `rows` when the caller has the whole list already."""
    rows = attendees(db, meeting_id) if rows is None else rows
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        starts_at = m.starts_at
    present_now = [r for r in rows if r.signed_in_at is not None and
                   (votes.is_present(r.signed_in_at, r.left_at, at) if at else r.left_at is None)]
    expected = [r for r in rows if r.expected]
    by_cat: dict[str, list[int]] = {}
    for c in Category:
        e = sum(1 for r in expected if r.category == c.value)
        p = sum(1 for r in present_now if r.expected and r.category == c.value)
        if e or p:
            by_cat[c.value] = [e, p]

    def area(rs) -> Decimal:
        seen: set[int] = set()
        total = Decimal(0)
        for r in rs:
            if r.household_id is not None and r.area is not None and r.household_id not in seen:
                seen.add(r.household_id)
                total += r.area
        return total

    return Attendance(
        expected=len(expected), present=sum(1 for r in present_now if r.expected),
        walk_ins=sum(1 for r in present_now if not r.expected),
        signed_in=sum(1 for r in expected if r.signed_in_at is not None),
        late=sum(1 for r in rows if r.signed_in_at is not None and r.signed_in_at > starts_at + LATE_GRACE),
        left_early=sum(1 for r in rows if r.left_at is not None), proxies=sum(1 for r in rows if r.proxy_name),
        expected_area=area(expected), present_area=area([r for r in present_now if r.expected]),
        by_category=tuple((c, e, p) for c, (e, p) in by_cat.items()))


LATE_GRACE = timedelta(minutes=5)


# ---------------------------------------------------------------------------------------------
# Agenda and minutes
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemRow:
    id: int
    position: int
    title: str
    presenter: str
    planned_minutes: int | None
    started_at: datetime | None
    summary: str
    current: bool


def _minutes(value: Any) -> int | None:
    if value in (None, "", 0):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600:
        raise InputError(Problem(E_MINUTES, {"value": value}, field="planned_minutes", value=str(value)))
    return value


def add_item(db: Database, meeting_id: int, title: str, presenter: str = "", planned_minutes: int | None = None) -> int:
    title = _text(title, "议程名称", "The agenda item", 200, "title")
    presenter = _text(presenter, "汇报人", "The presenter", 100, "presenter", required=False)
    minutes = _minutes(planned_minutes)
    with db.write() as s:
        _get(s, Meeting, meeting_id, "会议")
        row = AgendaItem(meeting_id=meeting_id, position=_next_position(s, AgendaItem, AgendaItem.meeting_id, meeting_id),
                         title=title, presenter=presenter, planned_minutes=minutes)
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce("meetings", [meeting_id])
    return new_id


def update_item(db: Database, item_id: int, title: str, presenter: str = "", planned_minutes: int | None = None) -> None:
    title = _text(title, "议程名称", "The agenda item", 200, "title")
    presenter = _text(presenter, "汇报人", "The presenter", 100, "presenter", required=False)
    minutes = _minutes(planned_minutes)
    with db.write() as s:
        row = _get(s, AgendaItem, item_id, "议程")
        row.title, row.presenter, row.planned_minutes = title, presenter, minutes
        meeting_id = row.meeting_id
    events.announce("meetings", [meeting_id])


def delete_item(db: Database, item_id: int) -> None:
    with db.write() as s:
        row = _get(s, AgendaItem, item_id, "议程")
        meeting = row.meeting
        if meeting.current_item_id == item_id:
            meeting.current_item_id = None
        s.delete(row)
        meeting_id = meeting.id
    events.announce("meetings", [meeting_id])


def items(db: Database, meeting_id: int) -> list[ItemRow]:
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        return [ItemRow(i.id, n, i.title, i.presenter, i.planned_minutes, i.started_at, i.summary,
                        i.id == m.current_item_id) for n, i in enumerate(m.items, start=1)]


def reorder_items(db: Database, meeting_id: int, item_ids: list[int]) -> None:
    """Put the agenda in this order (drag and drop, or Alt+↑/↓ in the list)."""
    with db.write() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        by_id = {i.id: i for i in m.items}
        if sorted(item_ids) != sorted(by_id):
            raise InputError(Problem(E_WRONG_MEETING))
        for position, item_id in enumerate(item_ids, start=1):
            if by_id[item_id].position != position:
                by_id[item_id].position = position
    events.announce("meetings", [meeting_id])


def move_item(db: Database, item_id: int, delta: int) -> None:
    with db.read() as s:
        row = _get(s, AgendaItem, item_id, "议程")
        meeting_id = row.meeting_id
        order = [i.id for i in row.meeting.items]
    index = order.index(item_id)
    target = max(0, min(len(order) - 1, index + delta))
    if target != index:
        order.insert(target, order.pop(index))
        reorder_items(db, meeting_id, order)


def set_current_item(db: Database, meeting_id: int, item_id: int | None, at: datetime | None = None) -> None:
    """The item under discussion, shown on the wall; its start time is kept the first time."""
    with db.write() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        if item_id is not None:
            item = _get(s, AgendaItem, item_id, "议程")
            if item.meeting_id != meeting_id:
                raise InputError(Problem(E_WRONG_MEETING))
            item.started_at = item.started_at or (at or _now())
        m.current_item_id = item_id
        if m.status == MeetingStatus.PLANNED.value and item_id is not None:
            m.status = MeetingStatus.RUNNING.value
    events.announce("meetings", [meeting_id])


def step_item(db: Database, meeting_id: int, delta: int, at: datetime | None = None) -> int | None:
    """Go to the next (delta=1) or previous item; returns the new current item id."""
    rows = items(db, meeting_id)
    if not rows:
        return None
    ids = [r.id for r in rows]
    current = next((r.id for r in rows if r.current), None)
    index = -1 if current is None and delta > 0 else (ids.index(current) if current in ids else 0)
    target = ids[max(0, min(len(ids) - 1, index + delta))]
    set_current_item(db, meeting_id, target, at)
    return target


def set_item_summary(db: Database, item_id: int, summary: str) -> None:
    with db.write() as s:
        row = _get(s, AgendaItem, item_id, "议程")
        if row.summary != summary:
            row.summary = summary
        meeting_id = row.meeting_id
    events.announce("minutes", [meeting_id])


@dataclass(frozen=True)
class SpeechRow:
    id: int
    item_id: int
    speaker: str
    content: str
    spoken_at: datetime | None


def add_speech(db: Database, item_id: int, speaker: str = "", content: str = "", at: datetime | None = None) -> int:
    speaker = _text(speaker, "发言人", "The speaker", 100, "speaker", required=False)
    with db.write() as s:
        item = _get(s, AgendaItem, item_id, "议程")
        position = (s.scalar(select(func.max(Speech.position)).where(Speech.item_id == item_id)) or 0) + 1
        row = Speech(item_id=item_id, position=position, speaker=speaker, content=content or "",
                     spoken_at=(at or _now()).replace(microsecond=0))
        s.add(row)
        s.flush()
        new_id, meeting_id = row.id, item.meeting_id
    events.announce("minutes", [meeting_id])
    return new_id


def save_speech(db: Database, speech_id: int, speaker: str, content: str) -> None:
    """Autosave: the speech as typed so far (a no-op when nothing changed)."""
    speaker = _text(speaker, "发言人", "The speaker", 100, "speaker", required=False)
    with db.write() as s:
        row = _get(s, Speech, speech_id, "发言")
        if row.speaker != speaker:
            row.speaker = speaker
        if row.content != content:
            row.content = content


def delete_speech(db: Database, speech_id: int) -> None:
    with db.write() as s:
        s.delete(_get(s, Speech, speech_id, "发言"))


def speeches(db: Database, item_id: int) -> list[SpeechRow]:
    with db.read() as s:
        return [SpeechRow(r.id, r.item_id, r.speaker, r.content, r.spoken_at)
                for r in s.scalars(select(Speech).where(Speech.item_id == item_id).order_by(Speech.position, Speech.id))]


# ---------------------------------------------------------------------------------------------
# Motions and votes
# ---------------------------------------------------------------------------------------------
@dataclass
class MotionInput:
    title: str
    text: str = ""
    matter: str = consent.Matter.CONSULTATIVE.value
    method: str = votes.Method.HANDS.value
    item_id: int | None = None


@dataclass(frozen=True)
class MotionView:
    id: int
    meeting_id: int
    item_id: int | None
    title: str
    text: str
    matter: str
    method: str
    state: str
    voted_at: datetime | None
    counts: dict[str, Any]
    corrections: tuple[str, ...]
    ballots: dict[int, str]  # attendee id -> choice


@dataclass(frozen=True)
class MotionResult:
    motion: MotionView
    rule: consent.Rule
    result: consent.ConsentResult | None
    with_area: bool
    problem: str = ""  # why there is no result yet (or why it cannot be computed)
    problem_en: str = ""

    def figures(self, lang: str = "zh") -> list[votes.Figure]:
        return votes.figures(self.result, with_area=self.with_area, lang=lang) if self.result else []


def _check_motion(data: MotionInput) -> tuple[str, str]:
    title = _text(data.title, "议题", "The motion", 200, "title")
    problems = []
    if data.matter not in MATTER_NAMES:
        problems.append(Problem(E_MATTER, field="matter", value=str(data.matter)))
    if data.method not in {m.value for m in votes.Method}:
        problems.append(Problem(E_METHOD, field="method", value=str(data.method)))
    if not problems and data.method == votes.Method.HANDS.value and data.matter != "consultative":
        problems.append(Problem(votes.E_HANDS_STATUTORY, field="method", value=data.method))
    if problems:
        raise InputError(problems)
    return title, (data.text or "").strip()


def add_motion(db: Database, meeting_id: int, data: MotionInput) -> int:
    title, text = _check_motion(data)
    with db.write() as s:
        _get(s, Meeting, meeting_id, "会议")
        row = Motion(meeting_id=meeting_id, item_id=data.item_id, title=title, text=text, matter=data.matter,
                     method=data.method, position=_next_position(s, Motion, Motion.meeting_id, meeting_id))
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce("meetings", [meeting_id])
    return new_id


def _refuse_state(row: Motion, action: str, action_en: str) -> InputError:
    state = MotionState(row.state)
    return InputError(Problem(E_MOTION_STATE, {"title": row.title, "state": state.value, "state_en": STATE_EN[state],
                                               "action": action, "action_en": action_en}))


def update_motion(db: Database, motion_id: int, data: MotionInput) -> None:
    title, text = _check_motion(data)
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        changes_rule = (row.matter, row.method) != (data.matter, data.method)
        if changes_rule and row.state != MotionState.DRAFT.value:
            raise _refuse_state(row, "更改表决规则或方式", "given another rule or method")
        row.title, row.text, row.matter, row.method, row.item_id = title, text, data.matter, data.method, data.item_id
        meeting_id = row.meeting_id
    events.announce("meetings", [meeting_id])


def delete_motion(db: Database, motion_id: int) -> None:
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        if row.state != MotionState.DRAFT.value:
            raise _refuse_state(row, "删除（表决记录须保留）", "deleted (votes are kept)")
        meeting_id = row.meeting_id
        s.delete(row)
    events.announce("meetings", [meeting_id])


def start_vote(db: Database, motion_id: int, at: datetime | None = None) -> None:
    """Open the vote: the moment fixes who is present; the motion goes on the wall."""
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        if row.state != MotionState.DRAFT.value:
            raise _refuse_state(row, "再次开始表决", "opened again")
        row.state = MotionState.VOTING.value
        row.voted_at = (at or _now()).replace(microsecond=0)
        meeting = s.get(Meeting, row.meeting_id)
        meeting.current_motion_id = row.id
        if row.method == votes.Method.HANDS.value:  # everyone present at the vote takes part
            row.present = _present_count(s, row.meeting_id, row.voted_at)
        meeting_id = row.meeting_id
    events.announce("meetings", [meeting_id])


def _present_count(s: Session, meeting_id: int, moment: datetime) -> int:
    return sum(1 for signed, left in s.execute(select(Attendee.signed_in_at, Attendee.left_at)
                                                .where(Attendee.meeting_id == meeting_id))
               if votes.is_present(signed, left, moment))


def _correction(s: Session, row: Motion, reason: str, what: str) -> None:
    """A change to a decided vote: refused without a reason, else noted on the motion and audited."""
    if row.state != MotionState.DECIDED.value:
        return
    reason = clean_prose(reason)
    if not reason:
        raise InputError(Problem(E_CORRECTION_REASON, {"title": row.title}, field="reason"))
    operator = s.info.get("operator") or "system"
    line = f"{_now():%Y-%m-%d %H:%M} {operator} 更正{what}：{reason}"
    row.corrections = (row.corrections + "\n" + line).strip()
    record_event(s, "correct", "motion", row.id, row.uuid, note=f"更正表决结果（{row.title}）{what}：{reason}")


def _choice(value: str) -> str:
    choice = consent.parse_choice(value)
    if choice is None:
        raise InputError(Problem(E_CHOICE, {"value": value}, field="choice", value=str(value)))
    return choice.value


def cast_ballot(db: Database, motion_id: int, attendee_id: int, choice: str | None, reason: str = "") -> None:
    """A named ballot (choice None takes it back). Only someone present at the moment of the vote
    may vote; on an Art. 278 matter only an owner in the meeting's scope."""
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        if row.method != votes.Method.NAMED.value:
            raise _refuse_state(row, "记名投票（表决方式不是记名投票）", "voted by named ballot (another method)")
        if row.state == MotionState.DRAFT.value:
            raise _refuse_state(row, "投票（请先开始表决）", "voted on yet (open the vote first)")
        who = _get(s, Attendee, attendee_id, "参会人")
        if who.meeting_id != row.meeting_id:
            raise InputError(Problem(E_WRONG_MEETING))
        existing = s.scalar(select(MotionBallot).where(MotionBallot.motion_id == motion_id,
                                                        MotionBallot.attendee_id == attendee_id))
        if choice is None or choice == "":
            if existing is not None:
                _correction(s, row, reason, f"{who.name}的票")
                s.delete(existing)
        else:
            value = _choice(choice)
            votes.may_vote(who.name, who.signed_in_at, who.left_at, row.voted_at)
            if row.matter != "consultative":
                meeting = s.get(Meeting, row.meeting_id)
                if who.household_id is None or s.scalar(
                        _scope_households(s, meeting).where(Household.id == who.household_id)) is None:
                    raise InputError(Problem(E_NOT_OWNER, {"name": who.name}, field="ballot", value=who.name))
                if not s.get(Household, who.household_id).area:
                    raise InputError(Problem(E_NO_AREA, {"name": who.name}, field="area", value=who.name))
            if existing is None:
                _correction(s, row, reason, f"{who.name}的票")
                s.add(MotionBallot(motion_id=motion_id, attendee_id=attendee_id, choice=value))
            elif existing.choice != value:
                _correction(s, row, reason, f"{who.name}的票")
                existing.choice = value
        meeting_id = row.meeting_id
    events.announce("votes", [meeting_id])


COUNT_FIELDS = ("yes_owners", "no_owners", "abstain_owners", "yes_area", "no_area", "abstain_area", "present")


def set_counts(db: Database, motion_id: int, counts: dict[str, Any], reason: str = "") -> None:
    """The figures of a show of hands (yes/no[/abstain], present) or of paper ballots (by headcount
    and area); checked by computing the result before they are saved."""
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        if row.method == votes.Method.NAMED.value:
            raise _refuse_state(row, "直接录入票数（记名投票按每张票计）", "given counts (named ballots are counted)")
        if row.state == MotionState.DRAFT.value and row.method == votes.Method.HANDS.value:
            raise _refuse_state(row, "录入举手结果（请先开始表决）", "given a show of hands yet (open the vote first)")
        new = {k: counts.get(k, getattr(row, k)) for k in COUNT_FIELDS}
        if row.method == votes.Method.HANDS.value and new.get("abstain_owners") is None:
            present = new["present"] if new["present"] is not None else 0
            if isinstance(new["yes_owners"], int) and isinstance(new["no_owners"], int):
                new["abstain_owners"] = max(present - new["yes_owners"] - new["no_owners"], 0)
        _compute(s, row, override=new)  # raises on bad figures, nothing saved
        changed = {k: v for k, v in new.items() if getattr(row, k) != v}
        if changed:
            _correction(s, row, reason, "票数")
            for k, v in changed.items():
                setattr(row, k, v)
        if row.state == MotionState.DRAFT.value:  # paper results typed in afterwards
            row.state = MotionState.VOTING.value
            row.voted_at = row.voted_at or _now()
        meeting_id = row.meeting_id
    events.announce("votes", [meeting_id])


def close_vote(db: Database, motion_id: int) -> MotionResult:
    """Declare the result; refused while the figures do not give one (the reason says why)."""
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        if row.state != MotionState.VOTING.value:
            raise _refuse_state(row, "宣布结果", "declared")
        _compute(s, row)  # refuses figures that give no result, with the reason
        row.state = MotionState.DECIDED.value
        meeting_id = row.meeting_id
    events.announce("votes", [meeting_id])
    return motion_result(db, motion_id)


def reopen_vote(db: Database, motion_id: int, reason: str) -> None:
    """Back to voting after a result was declared (a recount): needs a reason, audited."""
    with db.write() as s:
        row = _get(s, Motion, motion_id, "议题")
        if row.state != MotionState.DECIDED.value:
            raise _refuse_state(row, "重新计票", "recounted")
        _correction(s, row, reason, "（重新计票）")
        row.state = MotionState.VOTING.value
        meeting_id = row.meeting_id
    events.announce("votes", [meeting_id])


def _rule(s: Session, matter: str) -> consent.Rule:
    """The rule in force for a kind of matter: the law, or the city's stricter setting (设置)."""
    from .ordering import rules_in_force

    return rules_in_force(s)[matter]


def _owner_units(s: Session, meeting: Meeting) -> list[consent.Unit]:
    from .ordering import _owner_key

    head = aliased(Person)
    rows = s.execute(select(Household.id, Household.area, head.id, head.id_number)
                     .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                     .where(Household.id.in_(_scope_households(s, meeting)))).all()
    return [consent.Unit(hid, _owner_key(pid, idn, hid), area) for hid, area, pid, idn in rows if area]


def _compute(s: Session, row: Motion, override: dict[str, Any] | None = None) -> consent.ConsentResult:
    rule = _rule(s, row.matter)
    method = votes.Method(row.method)
    meeting = s.get(Meeting, row.meeting_id)
    if method is votes.Method.NAMED:
        ballots = s.execute(select(MotionBallot.choice, Attendee.household_id)
                            .join(Attendee, Attendee.id == MotionBallot.attendee_id)
                            .where(MotionBallot.motion_id == row.id)).all()
        if rule.statutory:
            return consent.evaluate(_owner_units(s, meeting), [consent.Ballot(hid, c) for c, hid in ballots], rule)
        expected = s.scalar(select(func.count(Attendee.id)).where(Attendee.meeting_id == row.meeting_id,
                                                                  Attendee.expected.is_(True))) or 0
        return votes.named_consultative_result(rule, expected=expected, choices=[c for c, _ in ballots])
    values = override if override is not None else {k: getattr(row, k) for k in COUNT_FIELDS}
    if method is votes.Method.HANDS:
        expected = s.scalar(select(func.count(Attendee.id)).where(Attendee.meeting_id == row.meeting_id,
                                                                  Attendee.expected.is_(True))) or 0
        return votes.hands_result(rule, expected=expected, present=values["present"] or 0,
                                  yes=values["yes_owners"] if values["yes_owners"] is not None else 0,
                                  no=values["no_owners"] if values["no_owners"] is not None else 0,
                                  abstain=values["abstain_owners"])
    units = _owner_units(s, meeting)
    return votes.paper_result(
        rule, eligible_owners=len({u.owner_key for u in units}), eligible_area=sum((u.area for u in units), Decimal(0)),
        **{k: (values[k] if values[k] is not None else (0 if k.endswith("owners") else Decimal(0)))
           for k in COUNT_FIELDS if k != "present"})


def _motion_view(s: Session, row: Motion) -> MotionView:
    ballots = dict(s.execute(select(MotionBallot.attendee_id, MotionBallot.choice).where(MotionBallot.motion_id == row.id)).all())
    return MotionView(row.id, row.meeting_id, row.item_id, row.title, row.text, row.matter, row.method, row.state,
                      row.voted_at, {k: getattr(row, k) for k in COUNT_FIELDS},
                      tuple(x for x in row.corrections.splitlines() if x), ballots)


def _result_of(s: Session, row: Motion) -> MotionResult:
    view = _motion_view(s, row)
    rule = _rule(s, row.matter)
    with_area = rule.statutory
    if row.state == MotionState.DRAFT.value:
        return MotionResult(view, rule, None, with_area, "尚未表决", "not voted yet")
    try:
        return MotionResult(view, rule, _compute(s, row), with_area)
    except InputError as exc:
        return MotionResult(view, rule, None, with_area, exc.describe(), exc.describe("en"))


def motion_result(db: Database, motion_id: int) -> MotionResult:
    with db.read() as s:
        return _result_of(s, _get(s, Motion, motion_id, "议题"))


def motions(db: Database, meeting_id: int) -> list[MotionResult]:
    with db.read() as s:
        return [_result_of(s, row) for row in s.scalars(select(Motion).where(Motion.meeting_id == meeting_id)
                                                        .order_by(Motion.position, Motion.id))]


@dataclass(frozen=True)
class Voter:
    attendee_id: int
    name: str
    address: str
    area: Decimal | None
    proxy_name: str
    present: bool
    why_not: str  # why they cannot vote (not present, not an owner); "" when they can
    choice: str | None


def voters(db: Database, motion_id: int) -> list[Voter]:
    """Who can cast a named ballot, with their current choice: everyone signed in; on an Art. 278
    matter the owners in scope. Those not present at the vote are listed with the reason."""
    result = motion_result(db, motion_id)
    m = result.motion
    moment = m.voted_at or _now()
    with db.read() as s:
        meeting = s.get(Meeting, m.meeting_id)
        in_scope = set(s.scalars(_scope_households(s, meeting))) if result.rule.statutory else set()
    out = []
    for a in attendees(db, m.meeting_id):
        if a.signed_in_at is None:
            continue
        why = votes.presence_problem(a.signed_in_at, a.left_at, moment)
        reason = why[0] if why else ""
        if result.rule.statutory and a.household_id not in in_scope:
            continue  # not an owner in scope: not listed for an Art. 278 vote
        out.append(Voter(a.id, a.name, a.address, a.area, a.proxy_name, why is None, reason, m.ballots.get(a.id)))
    return out


# ---------------------------------------------------------------------------------------------
# Resolutions and follow-up tasks
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResolutionRow:
    id: int
    text: str
    motion_id: int | None
    uuid: str = ""


def add_resolution(db: Database, meeting_id: int, text: str, motion_id: int | None = None) -> int:
    text = _text(text, "决议内容", "The resolution", 2000, "text")
    with db.write() as s:
        _get(s, Meeting, meeting_id, "会议")
        row = Resolution(meeting_id=meeting_id, text=text, motion_id=motion_id,
                         position=_next_position(s, Resolution, Resolution.meeting_id, meeting_id))
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce("meetings", [meeting_id])
    return new_id


def update_resolution(db: Database, resolution_id: int, text: str) -> None:
    text = _text(text, "决议内容", "The resolution", 2000, "text")
    with db.write() as s:
        row = _get(s, Resolution, resolution_id, "决议")
        row.text = text
        meeting_id = row.meeting_id
    events.announce("meetings", [meeting_id])


def delete_resolution(db: Database, resolution_id: int) -> None:
    with db.write() as s:
        row = _get(s, Resolution, resolution_id, "决议")
        meeting_id = row.meeting_id
        s.delete(row)
    events.announce("meetings", [meeting_id])


def resolutions(db: Database, meeting_id: int) -> list[ResolutionRow]:
    with db.read() as s:
        return [ResolutionRow(r.id, r.text, r.motion_id, r.uuid) for r in s.scalars(
            select(Resolution).where(Resolution.meeting_id == meeting_id).order_by(Resolution.position, Resolution.id))]


@dataclass
class TaskInput:
    title: str
    owner: str = ""
    deadline: date | None = None
    resolution_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class TaskRow:
    id: int
    meeting_id: int
    meeting_title: str
    meeting_date: date
    title: str
    owner: str
    deadline: date | None
    status: str
    done_on: date | None
    note: str
    reviewed_meeting_id: int | None
    review_note: str
    overdue: bool


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Past its deadline and neither done nor cancelled (the deadline day itself is not late)."""
    return deadline is not None and deadline < today and status in (TaskStatus.OPEN.value, TaskStatus.DOING.value)


def add_task(db: Database, meeting_id: int, data: TaskInput) -> int:
    title = _text(data.title, "任务", "The task", 300, "title")
    owner = _text(data.owner, "责任人", "The owner", 100, "owner", required=False)
    with db.write() as s:
        _get(s, Meeting, meeting_id, "会议")
        row = FollowUpTask(meeting_id=meeting_id, title=title, owner=owner, deadline=data.deadline,
                           resolution_id=data.resolution_id, note=clean_prose(data.note))
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce("tasks", [new_id])
    return new_id


def update_task(db: Database, task_id: int, *, status: str | None = None, title: str | None = None,
                owner: str | None = None, deadline: date | None | str = "keep", note: str | None = None,
                today: date | None = None) -> None:
    if status is not None and status not in {t.value for t in TaskStatus}:
        raise InputError(Problem(E_TASK_STATUS, {"allowed": " / ".join(t.value for t in TaskStatus)}, field="status",
                                 value=str(status)))
    with db.write() as s:
        row = _get(s, FollowUpTask, task_id, "任务")
        if title is not None:
            row.title = _text(title, "任务", "The task", 300, "title")
        if owner is not None:
            row.owner = _text(owner, "责任人", "The owner", 100, "owner", required=False)
        if deadline != "keep":
            row.deadline = deadline  # type: ignore[assignment]
        if note is not None:
            row.note = clean_prose(note)
        if status is not None and status != row.status:
            row.status = status
            row.done_on = (today or date.today()) if status == TaskStatus.DONE.value else None
    events.announce("tasks", [task_id])


def review_task(db: Database, task_id: int, meeting_id: int, note: str = "") -> None:
    """Mark an earlier meeting's task as reviewed at this meeting, with what was said."""
    with db.write() as s:
        row = _get(s, FollowUpTask, task_id, "任务")
        _get(s, Meeting, meeting_id, "会议")
        row.reviewed_meeting_id = meeting_id
        row.review_note = clean_prose(note)
    events.announce("tasks", [task_id])


def _task_rows(s: Session, query, today: date) -> list[TaskRow]:
    return [TaskRow(t.id, t.meeting_id, title, starts.date(), t.title, t.owner, t.deadline, t.status, t.done_on, t.note,
                    t.reviewed_meeting_id, t.review_note, is_overdue(t.status, t.deadline, today))
            for t, title, starts in s.execute(query)]


def tasks(db: Database, meeting_id: int, today: date | None = None) -> list[TaskRow]:
    today = today or date.today()
    with db.read() as s:
        return _task_rows(s, select(FollowUpTask, Meeting.title, Meeting.starts_at).join(
            Meeting, Meeting.id == FollowUpTask.meeting_id).where(FollowUpTask.meeting_id == meeting_id)
            .order_by(FollowUpTask.id), today)


def tasks_to_review(db: Database, meeting_id: int, today: date | None = None) -> list[TaskRow]:
    """Tasks from earlier meetings of the same project that this meeting should look at: still
    open, or finished since, or already reviewed here."""
    today = today or date.today()
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        if m.project_id is None:
            return []
        earlier = select(Meeting.id).where(Meeting.project_id == m.project_id, Meeting.starts_at < m.starts_at)
        query = (select(FollowUpTask, Meeting.title, Meeting.starts_at).join(Meeting, Meeting.id == FollowUpTask.meeting_id)
                 .where(FollowUpTask.meeting_id.in_(earlier))
                 .order_by(FollowUpTask.deadline.is_(None), FollowUpTask.deadline, FollowUpTask.id))
        rows = _task_rows(s, query, today)
    return [t for t in rows if t.reviewed_meeting_id == meeting_id or t.status in (TaskStatus.OPEN.value, TaskStatus.DOING.value)
            or (t.done_on is not None and t.done_on >= m.starts_at.date() - timedelta(days=90) and t.reviewed_meeting_id is None)]


def overdue_tasks(db: Database, today: date | None = None) -> list[TaskRow]:
    today = today or date.today()
    with db.read() as s:
        query = (select(FollowUpTask, Meeting.title, Meeting.starts_at).join(Meeting, Meeting.id == FollowUpTask.meeting_id)
                 .where(FollowUpTask.deadline < today,
                        FollowUpTask.status.in_([TaskStatus.OPEN.value, TaskStatus.DOING.value]))
                 .order_by(FollowUpTask.deadline))
        return _task_rows(s, query, today)


# ---------------------------------------------------------------------------------------------
# The wall
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrderingOnWall:
    """The latest ordering round of the meeting's project: the most wanted optional items."""

    title: str
    answered: int
    eligible: int
    top: tuple[tuple[str, int, Fraction], ...]  # (item, households, share of those who answered)


@dataclass(frozen=True)
class WallView:
    meeting: MeetingView
    items: list[ItemRow]
    attendance: Attendance
    motion: MotionResult | None
    ordering: OrderingOnWall | None = None


def ordering_on_wall(db: Database, project_id: int | None, limit: int = 8) -> OrderingOnWall | None:
    from . import ordering

    rounds = ordering.rounds(db, project_id) if project_id is not None else []
    if not rounds:
        return None
    tally = ordering.tallies(db, rounds[0].id)
    top = sorted((t for t in tally.items if not t.item.mandatory), key=lambda t: -t.households)[:limit]
    return OrderingOnWall(tally.round.title, tally.answered, tally.eligible,
                          tuple((t.item.name, t.households, t.share_answered) for t in top))


def wall_view(db: Database, meeting_id: int, with_ordering: bool = False) -> WallView:
    """What the projector shows: no names of residents, no phone numbers, no ID numbers."""
    view = meeting_view(db, meeting_id)
    motion = motion_result(db, view.current_motion_id) if view.current_motion_id else None
    ordering = ordering_on_wall(db, view.project_id) if with_ordering else None
    return WallView(view, items(db, meeting_id), attendance(db, meeting_id), motion, ordering)


def project_org(db: Database, project_id: int | None) -> str:
    if project_id is None:
        return ""
    from .ordering import project_org as org

    return org(db, project_id)


def counts_by_meeting(db: Database) -> dict[int, int]:
    with db.read() as s:
        return dict(s.execute(select(Motion.meeting_id, func.count()).group_by(Motion.meeting_id)).all())


@dataclass(frozen=True)
class ProjectChoice:
    id: int
    name: str
    buildings: tuple[tuple[int, str], ...]


def project_choices(db: Database) -> list[ProjectChoice]:
    """Projects and their buildings, for choosing a meeting's project and owners' scope."""
    with db.read() as s:
        projects = {pid: (name, []) for pid, name in s.execute(select(Project.id, Project.name).order_by(Project.name))}
        for bid, name, pid in s.execute(select(Building.id, Building.name, Block.project_id)
                                        .join(Block, Block.id == Building.block_id)
                                        .order_by(Block.sort_key, Building.sort_key)):
            projects[pid][1].append((bid, name))
    return [ProjectChoice(pid, name, tuple(b)) for pid, (name, b) in projects.items()]
