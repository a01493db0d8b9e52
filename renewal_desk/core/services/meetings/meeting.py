"""The meeting itself: prepare, edit, start, end; its project and the owners' scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ... import audit
from ...audit import record_event
from ...db import Database
from ...models import (AgendaItem, Attendee, Block, Building, FollowUpTask, Meeting, MeetingKind, MeetingStatus, Motion,
                       MotionBallot, MotionState, Project, Resolution, Speech)
from ...problems import InputError, Problem, declare
from ...rules.text import clean_prose, normalize_text
from .. import events
from ..events import Topic
from ..places import ProjectChoice, project_choices  # noqa: F401 - the meeting dialog's picker
from ._common import E_KIND, E_TIMES, E_TITLE, NON_VOTING_CATEGORIES, _check_open, _get, _now, _text


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
    events.announce(Topic.MEETINGS, [new_id])
    return new_id


def update_meeting(db: Database, meeting_id: int, data: MeetingInput) -> None:
    values = _clean_meeting(data)
    with db.write() as s:
        meeting = _check_open(s, meeting_id, "修改会议信息", "edited")
        for key, value in values.items():
            if getattr(meeting, key) != value:
                setattr(meeting, key, value)
    events.announce(Topic.MEETINGS, [meeting_id])


E_STARTED = declare("meeting.started_not_deleted",
                    "会议“{title}”已经开始，不能删除：开过的会是一份记录（签到、表决、纪要须保留）。如会议取消，请结束会议并在备注中写明",
                    "“{title}” has started and cannot be deleted: a meeting that was held is a record (sign-ins, votes "
                    "and minutes are kept). If it was called off, end it and say so in its note")


def delete_meeting(db: Database, meeting_id: int) -> None:
    """Delete a meeting still being prepared (筹备中: created by mistake or called off before it began), with
    its invitees, agenda, draft motions, resolutions and tasks, each audited with what it held. A meeting
    that has started is a record and is refused (ended ones too, by _check_open)."""
    with db.write() as s:
        meeting = _check_open(s, meeting_id, "删除（会议记录须保留）", "deleted (its record is kept)")
        if meeting.status != MeetingStatus.PLANNED:
            raise InputError(Problem(E_STARTED, {"title": meeting.title}))
        items = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)
        motions = select(Motion.id).where(Motion.meeting_id == meeting_id)
        # children first, each row audited (the database's ON DELETE CASCADE would remove them unrecorded)
        audit.bulk_delete(s, MotionBallot, MotionBallot.motion_id.in_(motions))
        audit.bulk_delete(s, Speech, Speech.item_id.in_(items))
        audit.bulk_delete(s, FollowUpTask, FollowUpTask.meeting_id == meeting_id)
        audit.bulk_delete(s, Resolution, Resolution.meeting_id == meeting_id)
        audit.bulk_delete(s, Motion, Motion.meeting_id == meeting_id)
        audit.bulk_delete(s, AgendaItem, AgendaItem.meeting_id == meeting_id)
        audit.bulk_delete(s, Attendee, Attendee.meeting_id == meeting_id)
        s.expire(meeting)
        s.delete(meeting)
    events.announce(Topic.MEETINGS, [meeting_id])


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


def meetings(db: Database, project_id: int | None = None, limit: int | None = None) -> list[MeetingRow]:
    """Meetings, latest first, with 应到 / 实到; at most `limit`, counted by the database."""
    with db.read() as s:
        voter = (Attendee.meeting_id == Meeting.id, Attendee.expected.is_(True),
                 Attendee.category.not_in(NON_VOTING_CATEGORIES))  # 应到 / 实到 as attendance() counts them
        expected = select(func.count(Attendee.id)).where(*voter).scalar_subquery()
        present = select(func.count(Attendee.id)).where(*voter, Attendee.signed_in_at.is_not(None)).scalar_subquery()
        query = (select(Meeting.id, Meeting.title, Meeting.kind, Project.name, Meeting.starts_at, Meeting.status,
                        expected, present).outerjoin(Project, Project.id == Meeting.project_id)
                 .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))
        if project_id is not None:
            query = query.where(Meeting.project_id == project_id)
        return [MeetingRow(i, t, k, p or "", st, status, e or 0, pr or 0)
                for i, t, k, p, st, status, e, pr in s.execute(query.limit(limit))]


def meeting_view(db: Database, meeting_id: int) -> MeetingView:
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        project = s.get(Project, m.project_id).name if m.project_id else ""
        return _view(m, project)


@dataclass(frozen=True)
class StartNotice:
    """What starting a meeting tells the worker: warnings to show (the meeting has started anyway)."""

    warnings: tuple[str, ...] = ()
    warnings_en: tuple[str, ...] = ()


E_REOPEN_REASON = declare("meeting.reopen_reason", "重新打开已结束的会议须写明原因", "Reopening an ended meeting needs a reason")
E_NOT_ENDED = declare("meeting.not_ended", "会议“{title}”尚未结束，无需重新打开", "The meeting “{title}” has not ended")
E_ENDED_START = declare("meeting.ended_start", "会议“{title}”已结束，不能再次开始。如需更改，请管理员重新打开会议（须写明原因）",
                        "The meeting “{title}” has ended and cannot start again; an administrator may reopen it")
W_EARLY = declare("meeting.early_start", "会议原定于 {day} 召开，今天是 {today}（提前 {days} 天开始）",
                  "The meeting is scheduled for {day}; today is {today} ({days} days early)")


def start_meeting(db: Database, meeting_id: int, at: datetime | None = None) -> StartNotice:
    """筹备中 → 进行中. An ended meeting is refused (reopen_meeting, by an administrator); starting
    before the scheduled day is allowed and reported as a warning."""
    at = at or _now()
    with db.write() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        if m.status == MeetingStatus.ENDED.value:
            raise InputError(Problem(E_ENDED_START, {"title": m.title}))
        m.status = MeetingStatus.RUNNING.value
        if m.current_item_id is None and m.items:
            m.current_item_id = m.items[0].id
            m.items[0].started_at = m.items[0].started_at or at
        day = m.starts_at.date()
    events.announce(Topic.MEETINGS, [meeting_id])
    if at.date() < day:
        warning = Problem(W_EARLY, {"day": f"{day:%Y-%m-%d}", "today": f"{at.date():%Y-%m-%d}",
                                    "days": (day - at.date()).days})
        return StartNotice((warning.message(),), (warning.message("en"),))
    return StartNotice()


@dataclass(frozen=True)
class OpenBusiness:
    """What is still open when a meeting ends (for the confirmation before 结束会议)."""

    undeclared: tuple[str, ...]  # motions not yet declared (待表决 / 表决中), by title
    without_minutes: tuple[str, ...]  # agenda items with neither a summary nor a speech

    @property
    def empty(self) -> bool:
        return not self.undeclared and not self.without_minutes

    def lines(self, lang: str = "zh") -> list[str]:
        en = lang.startswith("en")
        out = []
        if self.undeclared:
            out.append(("Votes not declared: " if en else "尚未宣布结果的表决：") + ("; " if en else "、").join(self.undeclared))
        if self.without_minutes:
            out.append(("Items without minutes: " if en else "没有记录的议程：") + ("; " if en else "、").join(self.without_minutes))
        return out


def open_business(db: Database, meeting_id: int) -> OpenBusiness:
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        undeclared = tuple(t for t, in s.execute(select(Motion.title).where(
            Motion.meeting_id == meeting_id, Motion.state != MotionState.DECIDED.value).order_by(Motion.position, Motion.id)))
        spoken = set(s.scalars(select(Speech.item_id).join(AgendaItem, AgendaItem.id == Speech.item_id)
                               .where(AgendaItem.meeting_id == meeting_id, Speech.content != "")))
        empty = tuple(i.title for i in m.items if not (i.summary or "").strip() and i.id not in spoken)
    return OpenBusiness(undeclared, empty)


def end_meeting(db: Database, meeting_id: int, at: datetime | None = None) -> None:
    """进行中 → 已结束: from now on the meeting is a record (every change refused, see _check_open).
    Call open_business first to show what stays open."""
    with db.write() as s:
        m = _check_open(s, meeting_id, "再次结束", "ended again")
        m.status = MeetingStatus.ENDED.value
        m.ends_at = m.ends_at or max(at or _now(), m.starts_at)
    events.announce(Topic.MEETINGS, [meeting_id])


def reopen_meeting(db: Database, meeting_id: int, reason: str) -> None:
    """已结束 → 进行中, by an administrator only, with a reason (audited)."""
    db.require("reopen")
    reason = clean_prose(reason)
    if not reason:
        raise InputError(Problem(E_REOPEN_REASON, field="reason"))
    with db.write() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        if m.status != MeetingStatus.ENDED.value:
            raise InputError(Problem(E_NOT_ENDED, {"title": m.title}))
        m.status = MeetingStatus.RUNNING.value
        record_event(s, "reopen", "meeting", m.id, m.uuid, note=f"重新打开会议（{m.title}）：{reason}")
    events.announce(Topic.MEETINGS, [meeting_id])


def project_org(db: Database, project_id: int | None) -> str:
    if project_id is None:
        return ""
    from ..ordering import project_org as org

    return org(db, project_id)


def counts_by_meeting(db: Database) -> dict[int, int]:
    with db.read() as s:
        return dict(s.execute(select(Motion.meeting_id, func.count()).group_by(Motion.meeting_id)).all())


