"""Invitees, sign-in at the door, and attendance (应到 / 实到 by headcount and by area)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ...db import Database
from ...models import Attendee, Building, Category, Household, Meeting, MotionBallot, Person, PersonRole, Unit
from ...problems import InputError, Problem, declare
from ...rules import votes
from ...rules.consent import percent
from ...rules.phone import normalize_phone
from ...rules.search import match_reason, normalize_query, search_text, stored_keys
from ...rules.text import normalize_text
from .. import events
from ..events import Topic
from ..households import address_text
from ._common import (E_ALREADY_IN, E_CATEGORY, E_LEFT_BEFORE, E_NOT_IN, E_PROXY_NAME, E_PROXY_SELF, _check_open,
                      _get, _get_open, _next_position, _now, _scope_households, _text, is_voter)



@dataclass
class AttendeeInput:
    name: str
    category: str = Category.RESIDENT.value
    organisation: str = ""
    phone: str | None = None
    expected: bool = True
    household_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
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


def invite_households(db: Database, meeting_id: int) -> int:
    """Invite the head of every household in the meeting's scope (as 居民, with the household);
    households already invited are left as they are. Returns how many were added."""
    with db.write() as s:
        m = _check_open(s, meeting_id, "再邀请参会人", "given more invitees")
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
    events.announce(Topic.MEETINGS, [meeting_id])
    return added


ROLE_CATEGORY = {"party_member": Category.PARTY, "representative": Category.RESIDENT, "designer": Category.DESIGNER,
                 "supervisor": Category.RESIDENT, "staff": Category.DEPARTMENT, "operator": Category.ENTERPRISE}
ROLE_TITLE = {"party_member": "党员", "representative": "居民代表", "designer": "设计师", "supervisor": "监督员",
              "staff": "工作人员", "operator": "经营者"}


def invite_role(db: Database, meeting_id: int, role: str) -> int:
    """Invite every person with a role (党员, 居民代表 …) not already invited as that person."""
    with db.write() as s:
        _check_open(s, meeting_id, "再邀请参会人", "given more invitees")
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
    events.announce(Topic.MEETINGS, [meeting_id])
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
        _check_open(s, meeting_id, "添加参会人", "given more attendees")
        text = search_text(name, organisation, phone)
        if data.household_id is not None:
            text += "\x1f" + (_get(s, Household, data.household_id, "住户").search_text or "")
        row = Attendee(meeting_id=meeting_id, position=_next_position(s, Attendee, Attendee.meeting_id, meeting_id),
                       category=data.category, person_id=data.person_id, household_id=data.household_id, name=name,
                       organisation=organisation, phone=phone or None, expected=data.expected, search_text=text)
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.MEETINGS, [meeting_id])
    return new_id


E_REMOVE_PRESENT = declare("meeting.remove_signed_in",
                           "{name}已于 {time} 签到，不能从名单中移除：请先撤销签到（签到是会议记录）",
                           "{name} signed in at {time} and cannot be taken off the list: undo the sign-in first "
                           "(sign-ins are the meeting's record)")
E_REMOVE_VOTED = declare("meeting.remove_voted", "{name}已经投过票（{count} 张表决票），不能从名单中移除",
                         "{name} has voted ({count} ballots) and cannot be taken off the list")


def remove_attendee(db: Database, attendee_id: int) -> None:
    """Take an invitee or walk-in off a meeting's list (invited by mistake, or twice). Someone who has signed
    in or voted stays: their sign-in or ballot is part of the record (a ballot would vanish with them)."""
    with db.write() as s:
        row = _get_open(s, Attendee, attendee_id, "参会人", "移除参会人", "changed (attendees)")
        if row.signed_in_at is not None:
            raise InputError(Problem(E_REMOVE_PRESENT, {"name": row.name, "time": f"{row.signed_in_at:%H:%M}"}))
        ballots = s.scalar(select(func.count(MotionBallot.id)).where(MotionBallot.attendee_id == attendee_id))
        if ballots:
            raise InputError(Problem(E_REMOVE_VOTED, {"name": row.name, "count": ballots}))
        meeting_id = row.meeting_id
        s.delete(row)
    events.announce(Topic.MEETINGS, [meeting_id])


def attendees(db: Database, meeting_id: int, query: str = "") -> list[AttendeeRow]:
    """The invitees and walk-ins in list order; `query` matches name, pinyin (initials), room,
    phone digits, organisation (every word must match)."""
    return [row for row, _keys in _attendees_with_keys(db, meeting_id, query)]


def _attendees_with_keys(db: Database, meeting_id: int, query: str) -> list[tuple[AttendeeRow, str]]:
    """attendees(), each row with the stored search keys it matched on (door_search says why from them)."""
    with db.read() as s:
        stmt = (select(Attendee, Building.name, Unit.name, Household.room, Household.area)
                .outerjoin(Household, Household.id == Attendee.household_id)
                .outerjoin(Unit, Unit.id == Household.unit_id).outerjoin(Building, Building.id == Unit.building_id)
                .where(Attendee.meeting_id == meeting_id).order_by(Attendee.position, Attendee.id))
        for term in normalize_query(query).split():
            stmt = stmt.where(Attendee.search_text.contains(term, autoescape=True))
        rows = [(AttendeeRow(a.id, a.name, a.category, a.organisation,
                             address_text(b or "", u or "", room or "") if room else "", a.phone, a.expected,
                             a.signed_in_at, a.left_at, a.proxy_name, a.proxy_authority, a.household_id, area),
                 a.search_text or "")
                for a, b, u, room, area in s.execute(stmt)]
    whole = normalize_query(query).replace(" ", "")
    if whole:  # the name or the address typed in full comes first ("1号楼 1单元 501" before a phone with 501)
        rows.sort(key=lambda rk: not (rk[0].name == whole or rk[0].address.replace(" ", "") == whole))
    return rows


def sign_in(db: Database, attendee_id: int, at: datetime | None = None, *, proxy_name: str = "",
            proxy_authority: str = "", proxy: bool = False) -> None:
    """Sign someone in, in person or (proxy=True) by a proxy holding their written authority."""
    at = (at or _now()).replace(microsecond=0)
    proxy_name = normalize_text(proxy_name)
    with db.write() as s:
        row = _get_open(s, Attendee, attendee_id, "参会人", "签到", "signed in to")
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
    events.announce(Topic.MEETINGS, [meeting_id])


def sign_out(db: Database, attendee_id: int, at: datetime | None = None) -> None:
    """Record that someone left (早退); they no longer count as present for later votes."""
    at = (at or _now()).replace(microsecond=0)
    with db.write() as s:
        row = _get_open(s, Attendee, attendee_id, "参会人", "登记离场", "signed out of")
        if row.signed_in_at is None:
            raise InputError(Problem(E_NOT_IN, {"name": row.name}))
        if at < row.signed_in_at:
            raise InputError(Problem(E_LEFT_BEFORE, {"left": f"{at:%H:%M}", "time": f"{row.signed_in_at:%H:%M}"},
                                     field="left_at"))
        row.left_at = at
        meeting_id = row.meeting_id
    events.announce(Topic.MEETINGS, [meeting_id])


def undo_sign_in(db: Database, attendee_id: int) -> None:
    """Take back a sign-in made by mistake (audited like every change)."""
    with db.write() as s:
        row = _get_open(s, Attendee, attendee_id, "参会人", "撤销签到", "changed (sign-ins)")
        row.signed_in_at = row.left_at = None
        row.proxy_name = row.proxy_authority = ""
        meeting_id = row.meeting_id
    events.announce(Topic.MEETINGS, [meeting_id])


@dataclass(frozen=True)
class Attendance:
    expected: int  # 应到: the invited voters (not staff)
    present: int  # 实到 now: voters signed in, not left
    walk_ins: int  # 列席 present: walk-ins and staff (they attend without a vote)
    signed_in: int  # voters ever signed in
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
    voters = [r for r in expected if is_voter(r.expected, r.category)]
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

    return Attendance(  # 应到 / 实到 are the voters; walk-ins and staff present are 列席
        expected=len(voters), present=sum(1 for r in present_now if is_voter(r.expected, r.category)),
        walk_ins=sum(1 for r in present_now if not is_voter(r.expected, r.category)),
        signed_in=sum(1 for r in voters if r.signed_in_at is not None),
        late=sum(1 for r in rows if r.signed_in_at is not None and r.signed_in_at > starts_at + LATE_GRACE),
        left_early=sum(1 for r in rows if r.left_at is not None), proxies=sum(1 for r in rows if r.proxy_name),
        expected_area=area(voters), present_area=area([r for r in present_now if is_voter(r.expected, r.category)]),
        by_category=tuple((c, e, p) for c, (e, p) in by_cat.items()))


LATE_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class DoorMatch:
    """One row found by the search at the door, with why it matched (shown beside the name, so the
    worker sees that 陶勇 came up through his household member 陶立新)."""

    attendee: AttendeeRow
    reason: str  # "姓名" / "户主" / "家庭成员 陶立新" / "电话 …3698" / "房号 1号楼 1单元 501" / "单位"
    reason_en: str
    exact: bool  # the name (or the address) typed in full


def door_search(db: Database, meeting_id: int, query: str) -> list[DoorMatch]:
    """The attendees matching `query` (as attendees()), each with the reason it matched. Order is
    stable: a name or address typed in full first, then those not yet signed in, then list order."""
    terms = normalize_query(query).split()
    if not terms:
        return []
    found = _attendees_with_keys(db, meeting_id, query)
    hids = {r.household_id for r, _keys in found if r.household_id is not None}
    members: dict[int, list[tuple[str, str | None, bool]]] = {}
    if hids:
        with db.read() as s:
            for hid, name, phone, head in s.execute(select(Person.household_id, Person.name, Person.phone, Person.is_head)
                                                    .where(Person.household_id.in_(hids))
                                                    .order_by(Person.is_head.desc(), Person.id)):
                members.setdefault(hid, []).append((name, phone, head))
    whole = "".join(terms)
    out = []
    for position, (r, stored) in enumerate(found):
        exact = r.name == whole or r.address.replace(" ", "") == whole
        own = ("户主", "head of household") if r.household_id is not None and r.organisation == "业主" else ("姓名", "name")
        home = members.get(r.household_id or -1, ())
        # the stored keys the row matched on say why, with no pinyin made
        keys, address_keys = stored_keys(stored, [r.name, r.organisation, *(n for n, _p, _h in home)],
                                         r.address.replace(" ", ""), [r.phone, *(p for _n, p, _h in home)])
        reason, reason_en = match_reason(query, name=r.name, phone=r.phone, address=r.address,
                                         members=[(n, p) for n, p, _head in home],
                                         organisation=r.organisation, name_reason=own, keys=keys,
                                         address_keys=address_keys)
        out.append((not exact, r.signed_in_at is not None, position, DoorMatch(r, reason, reason_en, exact)))
    out.sort(key=lambda x: x[:3])
    return [m for *_k, m in out]
