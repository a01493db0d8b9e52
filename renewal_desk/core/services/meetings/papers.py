"""Who gets a paper of their own (issue 20): a named ballot (表决票) per voter of a motion, a personal
meeting notice (个人会议通知) with a sign-in code per invitee.

The codes printed on them (core.printing.codes) name the attendee by uuid, so the scanner at the door or at
the counting table finds the same person again. A ballot goes to whoever the vote counts: on an Art. 278
matter one per owner in the motion's scope (an owner of several units once, with all their rooms and area:
consent counts an owner once, and any of their units' ballots carries all of them), otherwise one per voter
invited to the meeting (as voting.voters() lists them, staff and 列席 walk-ins not voting).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from ...db import Database
from ...models import Attendee, Building, Household, Meeting, MeetingStatus, Motion, Person, Unit
from ...problems import InputError, Problem, declare
from ...rules import consent, votes
from ..households import address_text
from ._common import _get, _scope_households, is_voter
from .signin import attendees, invite_households
from .voting import _motion_households, _rule

E_NOT_NAMED = declare("meeting.ballot_not_named", "议题“{title}”的表决方式是{method}，只有记名投票才打印表决票",
                      "The motion \"{title}\" is voted by {method_en}: named ballots are printed for named votes only")
E_NO_VOTERS = declare("meeting.ballot_no_voters", "议题“{title}”没有可发表决票的人员（{why}）",
                      "Nobody can be given a ballot for the motion \"{title}\" ({why_en})")
E_NO_INVITEES = declare("meeting.notice_no_invitees", "会议“{title}”还没有邀请参会人，无法打印个人会议通知",
                        "The meeting \"{title}\" has nobody invited yet: no personal notices to print")


@dataclass(frozen=True)
class PaperPerson:
    """One person's paper: their attendee (the code's uuid), full name (the printout masks it), rooms."""

    attendee_id: int
    attendee_uuid: str
    name: str
    address: str  # "1号楼 1单元 101"; an owner's several rooms joined with "、"
    area: Decimal | None  # exclusive area counted (all the owner's units in scope); None where not counted
    organisation: str = ""


def invite_missing_households(db: Database, meeting_id: int) -> int:
    """Invite the households of the meeting's scope that are not attendees yet (signin.invite_households),
    so every owner has an attendee for their code; nothing to do (0) when all are, the meeting has ended, or the
    role may print but not change the meeting (then the papers are those of the attendees there are)."""
    if not db.allows("write"):
        return 0
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        if m.project_id is None or m.status == MeetingStatus.ENDED.value:
            return 0
        invited = select(Attendee.household_id).where(Attendee.meeting_id == meeting_id,
                                                     Attendee.household_id.is_not(None))
        missing = s.scalar(select(Household.id).where(Household.id.in_(_scope_households(s, m)),
                                                      Household.id.not_in(invited)).limit(1))
    return invite_households(db, meeting_id) if missing is not None else 0


def _uuids(s, meeting_id: int) -> dict[int, str]:
    return dict(s.execute(select(Attendee.id, Attendee.uuid).where(Attendee.meeting_id == meeting_id)).all())


def ballot_people(db: Database, motion_id: int) -> list[PaperPerson]:
    """One entry per ballot of a named vote, in room order; refused in words for another method or nobody."""
    with db.read() as s:
        row = _get(s, Motion, motion_id, "议题")
        if row.method != votes.Method.NAMED.value:
            label = votes.METHOD_LABELS[votes.Method(row.method)]
            raise InputError(Problem(E_NOT_NAMED, {"title": row.title, "method": label[0], "method_en": label[1]}))
        meeting_id, title = row.meeting_id, row.title
        statutory = _rule(s, row.matter).statutory
        if statutory:
            people = _owners(s, row)
    if not statutory:
        with db.read() as s:
            uuids = _uuids(s, meeting_id)
        people = [PaperPerson(a.id, uuids[a.id], a.name, a.address, a.area, a.organisation)
                  for a in attendees(db, meeting_id) if is_voter(a.expected, a.category)]
    if not people:
        why = ("范围内没有登记面积的业主" if statutory else "尚未邀请参会人",
               "no owner with an area in scope" if statutory else "nobody invited yet")
        raise InputError(Problem(E_NO_VOTERS, {"title": title, "why": why[0], "why_en": why[1]}))
    return people


def _owners(s, row: Motion) -> list[PaperPerson]:
    """The owners in the motion's scope with an area (those consent counts), each once, with the attendee of
    their first room (the head of household invited for it, else its first voting attendee)."""
    head = aliased(Person)
    homes = s.execute(select(Household.id, Household.area, Building.name, Unit.name, Household.room, head.id,
                             head.id_number, head.name)
                      .join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                      .outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
                      .where(Household.id.in_(_motion_households(s, row)))
                      .order_by(Household.sort_key, Household.id)).all()
    chosen: dict[int, tuple[int, str, str]] = {}
    for aid, auuid, aname, hid, pid, expected, category in s.execute(
            select(Attendee.id, Attendee.uuid, Attendee.name, Attendee.household_id, Attendee.person_id,
                   Attendee.expected, Attendee.category)
            .where(Attendee.meeting_id == row.meeting_id, Attendee.household_id.is_not(None))
            .order_by(Attendee.position, Attendee.id)):
        if not is_voter(expected, category):
            continue
        heads = {h[5] for h in homes if h[0] == hid}
        if hid not in chosen or (pid is not None and pid in heads):
            chosen[hid] = (aid, auuid, aname)
    owners: dict[str, list] = {}
    for hid, area, building, unit, room, pid, idn, name in homes:
        if area and hid in chosen:
            owners.setdefault(consent.owner_key(pid, idn, hid), []).append((hid, area, building, unit, room, name))
    out = []
    for units in owners.values():
        hid, _area, _b, _u, _r, name = units[0]
        aid, auuid, aname = chosen[hid]
        address = "、".join(address_text(b or "", u or "", r or "") for _h, _a, b, u, r, _n in units)
        out.append(PaperPerson(aid, auuid, name or aname, address, sum((u[1] for u in units), Decimal(0))))
    return out


def notice_people(db: Database, meeting_id: int) -> list[PaperPerson]:
    """Everyone invited (应到), in list order: each gets a personal notice with their sign-in code."""
    with db.read() as s:
        title = _get(s, Meeting, meeting_id, "会议").title
        uuids = _uuids(s, meeting_id)
    people = [PaperPerson(a.id, uuids[a.id], a.name, a.address, a.area, a.organisation)
              for a in attendees(db, meeting_id) if a.expected]
    if not people:
        raise InputError(Problem(E_NO_INVITEES, {"title": title}))
    return people
