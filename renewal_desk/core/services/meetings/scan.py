"""Counting by scanner (issue 20): a USB barcode scanner types a printed code like a keyboard, then Enter.

At the door the sign-in code of a person's meeting notice signs them in; in the vote the code of a named
ballot (表决票) finds its voter, and a per-choice code (…:Y / :N / :A) or the next key records the choice.
What is scanned goes through sign_in() / cast_ballot() as typed entries do, so it is checked and audited
the same way. A code is refused in words when it is not for this place: a page code, a sign-in code
where a ballot is expected (or the other way round), a code of another meeting or motion, a person
who is not on the list or does not vote on this motion, a code scanned twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ...db import Database
from ...models import Attendee, Meeting, Motion, MotionBallot
from ...printing import codes
from ...problems import InputError, Problem, declare
from ...rules.consent import CHOICE_LABELS, Choice
from ._common import _get
from .signin import sign_in
from .voting import _ballot_motion, _check_voter, cast_ballot

__all__ = ["DUPLICATE", "RECORDED", "SELECTED", "SIGNED_IN", "Scanned", "scan_ballot", "scan_sign_in", "scanned_code"]

E_PAGE_CODE = declare("scan.page_code", "这是文书“{doc_no}”第 {page} 页的页码，不是{wanted}",
                      "This is the page code of document {doc_no} (page {page}), not {wanted_en}")
E_BALLOT_AT_DOOR = declare("scan.ballot_at_door", "这是表决票上的条码，不是签到码：表决票请在“表决”页扫描",
                           "This is a ballot's code, not a sign-in code: scan ballots in the votes tab")
E_SIGN_IN_AS_BALLOT = declare("scan.sign_in_as_ballot", "这是会议通知上的签到码，不是表决票：签到请在“签到”页扫描",
                              "This is a sign-in code from a meeting notice, not a ballot: scan it in the sign-in tab")
E_OTHER_MEETING = declare("scan.other_meeting", "这张签到码属于另一次会议：{title}（{date}）",
                          "This sign-in code belongs to another meeting: {title} ({date})")
E_UNKNOWN_MEETING = declare("scan.unknown_meeting", "这张签到码属于另一次会议（本系统中没有这次会议）",
                            "This sign-in code belongs to another meeting (not in this database)")
E_OTHER_MOTION = declare("scan.other_motion", "这张选票属于另一项表决：“{title}”（{meeting}）",
                         "This ballot belongs to another motion: “{title}” ({meeting})")
E_UNKNOWN_MOTION = declare("scan.unknown_motion", "这张选票属于另一项表决（本系统中没有这项表决）",
                           "This ballot belongs to another motion (not in this database)")
E_NOT_LISTED = declare("scan.not_listed", "条码上的人不在本次会议的参会名单中（可能已被移除）",
                       "The person of this code is not on this meeting's list (perhaps removed)")
E_SIGNED_IN = declare("scan.signed_in", "{name}已签到（{time}），这张签到码扫过了",
                      "{name} signed in already ({time}): this code was scanned before")
E_CHANGED = declare("scan.changed", "{name}的票已记录为“{recorded}”，这次是“{choice}”：未改动；如需更正，"
                                    "请在名单中选中该行按键更正",
                    "{name}'s ballot is recorded as “{recorded_en}”, this one says “{choice_en}”: nothing changed; "
                    "to correct it, select the row in the list and press the key")
E_TWO_CHOICES = declare("scan.two_choices", "条码上的意见是“{code}”，按键是“{key}”：未记录，请重新扫描",
                        "The code says “{code_en}” and the key “{key_en}”: nothing recorded, scan again")


@dataclass(frozen=True)
class Scanned:
    """What a scan did."""

    attendee_id: int
    name: str
    outcome: str  # SIGNED_IN / RECORDED / DUPLICATE (the same choice again: not counted twice) / SELECTED
    choice: str | None = None  # the ballot's choice now (SELECTED: the one recorded before, if any)
    at: datetime | None = None  # the sign-in's time


SIGNED_IN, RECORDED, DUPLICATE, SELECTED = "signed_in", "recorded", "duplicate", "selected"


def scanned_code(text: str) -> str | None:
    """The code in what was typed into a field, None if there is none: a scanner's text starts with "RD1:"
    (in either case); anything typed before it (a half-typed room in the door's search) is left out."""
    at = (text or "").upper().rfind(codes.VERSION + ":")
    return text[at:].strip() if at >= 0 else None


def _label(choice: str, lang: int) -> str:
    return CHOICE_LABELS[Choice(choice)][lang]


def _parse(text: str, wanted: type, wanted_words: tuple[str, str]):
    code = codes.parse(text)
    if isinstance(code, codes.PageCode):
        raise InputError(Problem(E_PAGE_CODE, {"doc_no": code.doc_no, "page": code.page, "wanted": wanted_words[0],
                                               "wanted_en": wanted_words[1]}, field="code", value=code.doc_no))
    if not isinstance(code, wanted):
        raise InputError(Problem(E_BALLOT_AT_DOOR if wanted is codes.SignInCode else E_SIGN_IN_AS_BALLOT,
                                 field="code"))
    return code


def _attendee(s, meeting_id: int, attendee_uuid: str) -> Attendee:
    who = s.scalar(select(Attendee).where(Attendee.uuid == attendee_uuid))
    if who is None or who.meeting_id != meeting_id:
        raise InputError(Problem(E_NOT_LISTED, field="code"))
    return who


def scan_sign_in(db: Database, meeting_id: int, text: str, at: datetime | None = None) -> Scanned:
    """Sign in the person whose notice's code the scanner typed; refused (nothing written) if the code is not
    a sign-in code of this meeting, or they signed in already."""
    code = _parse(text, codes.SignInCode, ("签到码", "a sign-in code"))
    with db.read() as s:
        meeting = _get(s, Meeting, meeting_id, "会议")
        if code.meeting_uuid != meeting.uuid:
            other = s.scalar(select(Meeting).where(Meeting.uuid == code.meeting_uuid))
            if other is None:
                raise InputError(Problem(E_UNKNOWN_MEETING, field="code"))
            raise InputError(Problem(E_OTHER_MEETING, {"title": other.title, "date": f"{other.starts_at:%Y-%m-%d}"},
                                     field="code", value=other.title))
        who = _attendee(s, meeting_id, code.attendee_uuid)
        if who.signed_in_at is not None:
            raise InputError(Problem(E_SIGNED_IN, {"name": who.name, "time": f"{who.signed_in_at:%H:%M}"},
                                     field="code", value=who.name))
        attendee_id, name = who.id, who.name
    sign_in(db, attendee_id, at)
    with db.read() as s:
        return Scanned(attendee_id, name, SIGNED_IN, at=s.get(Attendee, attendee_id).signed_in_at)


def scan_ballot(db: Database, motion_id: int, text: str, choice: str | None = None, reason: str = "") -> Scanned:
    """The ballot whose code the scanner typed. With a choice (a per-choice code, or `choice` from the key pressed
    after the scan) it is recorded through cast_ballot(); without one its voter is only found (SELECTED), after the
    same checks, so a refusal comes at the scan and not at the key. The same choice scanned again is DUPLICATE
    (not an error, nothing written); a different choice than the one recorded is refused: a correction is made
    in the list, as typed (with its reason once declared)."""
    code = _parse(text, codes.BallotCode, ("表决票", "a ballot"))
    if choice is not None:
        choice = Choice(choice).value
    if code.choice and choice and code.choice != choice:
        raise InputError(Problem(E_TWO_CHOICES, {"code": _label(code.choice, 0), "key": _label(choice, 0),
                                                 "code_en": _label(code.choice, 1), "key_en": _label(choice, 1)},
                                 field="code"))
    wanted = code.choice or choice
    with db.read() as s:
        row = _get(s, Motion, motion_id, "议题")
        if code.motion_uuid != row.uuid:
            other = s.scalar(select(Motion).where(Motion.uuid == code.motion_uuid))
            if other is None:
                raise InputError(Problem(E_UNKNOWN_MOTION, field="code"))
            raise InputError(Problem(E_OTHER_MOTION, {"title": other.title,
                                                      "meeting": s.get(Meeting, other.meeting_id).title},
                                     field="code", value=other.title))
        row = _ballot_motion(s, motion_id)
        who = _attendee(s, row.meeting_id, code.attendee_uuid)
        _check_voter(s, row, who)
        recorded = s.scalar(select(MotionBallot.choice).where(MotionBallot.motion_id == motion_id,
                                                               MotionBallot.attendee_id == who.id))
        attendee_id, name = who.id, who.name
    if wanted is None:
        return Scanned(attendee_id, name, SELECTED, recorded)
    if recorded == wanted:
        return Scanned(attendee_id, name, DUPLICATE, recorded)
    if recorded is not None:
        raise InputError(Problem(E_CHANGED, {"name": name, "recorded": _label(recorded, 0), "choice": _label(wanted, 0),
                                             "recorded_en": _label(recorded, 1), "choice_en": _label(wanted, 1)},
                                 field="code", value=name))
    cast_ballot(db, motion_id, attendee_id, wanted, reason)
    return Scanned(attendee_id, name, RECORDED, wanted)
