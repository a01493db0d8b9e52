"""Resolutions and follow-up tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...db import Database
from ...models import FollowUpTask, Meeting, MotionState, Resolution, TaskStatus
from ...problems import InputError, Problem, declare
from ...rules.text import clean_prose
from .. import events
from ..events import Topic
from ._common import E_TASK_STATUS, _check_open, _get, _get_open, _next_position, _text



@dataclass(frozen=True)
class ResolutionRow:
    id: int
    text: str
    motion_id: int | None
    uuid: str = ""


def add_resolution(db: Database, meeting_id: int, text: str, motion_id: int | None = None) -> int:
    text = _text(text, "决议内容", "The resolution", 2000, "text")
    with db.write() as s:
        _check_open(s, meeting_id, "添加决议", "given resolutions")
        row = Resolution(meeting_id=meeting_id, text=text, motion_id=motion_id,
                         position=_next_position(s, Resolution, Resolution.meeting_id, meeting_id))
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.MEETINGS, [meeting_id])
    return new_id


def update_resolution(db: Database, resolution_id: int, text: str) -> None:
    text = _text(text, "决议内容", "The resolution", 2000, "text")
    with db.write() as s:
        row = _get_open(s, Resolution, resolution_id, "决议", "修改决议", "changed (resolutions)")
        row.text = text
        meeting_id = row.meeting_id
    events.announce(Topic.MEETINGS, [meeting_id])


def delete_resolution(db: Database, resolution_id: int) -> None:
    with db.write() as s:
        row = _get_open(s, Resolution, resolution_id, "决议", "删除决议", "changed (resolutions)")
        meeting_id = row.meeting_id
        s.delete(row)
    events.announce(Topic.MEETINGS, [meeting_id])


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


E_DEADLINE = declare("meeting.task_deadline", "完成期限 {deadline} 早于会议日期 {day}，请填写会议当天或以后的日期",
                     "The deadline {deadline} is before the meeting ({day}); give the meeting day or later")
E_DEADLINE_TYPE = declare("meeting.task_deadline_type", "完成期限须为日期", "The deadline must be a date")


def _check_deadline(m: Meeting, deadline: date | None) -> date | None:
    """A follow-up deadline is the meeting day or later (a date ten years back is a typing slip)."""
    if deadline is None:
        return None
    if isinstance(deadline, datetime) or not isinstance(deadline, date):
        raise InputError(Problem(E_DEADLINE_TYPE, field="deadline", value=str(deadline)))
    if deadline < m.starts_at.date():
        raise InputError(Problem(E_DEADLINE, {"deadline": f"{deadline:%Y-%m-%d}", "day": f"{m.starts_at:%Y-%m-%d}"},
                                 field="deadline", value=f"{deadline:%Y-%m-%d}"))
    return deadline


def add_task(db: Database, meeting_id: int, data: TaskInput) -> int:
    title = _text(data.title, "任务", "The task", 300, "title")
    owner = _text(data.owner, "责任人", "The owner", 100, "owner", required=False)
    with db.write() as s:
        m = _check_open(s, meeting_id, "添加任务", "given tasks")
        _check_deadline(m, data.deadline)
        row = FollowUpTask(meeting_id=meeting_id, title=title, owner=owner, deadline=data.deadline,
                           resolution_id=data.resolution_id, note=clean_prose(data.note))
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.TASKS, [new_id])
    return new_id


def update_task(db: Database, task_id: int, *, status: str | None = None, title: str | None = None,
                owner: str | None = None, deadline: date | None | str = "keep", note: str | None = None,
                today: date | None = None) -> None:
    if status is not None and status not in {t.value for t in TaskStatus}:
        raise InputError(Problem(E_TASK_STATUS, {"allowed": " / ".join(t.value for t in TaskStatus)}, field="status",
                                 value=str(status)))
    with db.write() as s:
        row = _get(s, FollowUpTask, task_id, "任务")
        if title is not None or owner is not None or deadline != "keep":  # what was agreed stays as agreed
            m = _check_open(s, row.meeting_id, "修改任务内容（进展可照常更新）", "changed (its tasks; progress may still be updated)")
            if deadline != "keep":
                _check_deadline(m, deadline)  # type: ignore[arg-type]
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
    events.announce(Topic.TASKS, [task_id])


def delete_task(db: Database, task_id: int) -> None:
    """Delete a follow-up task entered by mistake (audited; refused once the meeting has ended)."""
    with db.write() as s:
        row = _get_open(s, FollowUpTask, task_id, "任务", "删除任务", "changed (its tasks)")
        s.delete(row)
    events.announce(Topic.TASKS, [task_id])


def review_task(db: Database, task_id: int, meeting_id: int, note: str = "") -> None:
    """Mark an earlier meeting's task as reviewed at this meeting, with what was said."""
    with db.write() as s:
        row = _get(s, FollowUpTask, task_id, "任务")
        _get(s, Meeting, meeting_id, "会议")
        row.reviewed_meeting_id = meeting_id
        row.review_note = clean_prose(note)
    events.announce(Topic.TASKS, [task_id])


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


def all_tasks(db: Database, limit: int | None = None, today: date | None = None) -> list[TaskRow]:
    """Every meeting's follow-up tasks in one query, soonest deadline first (none last; ties: newest meeting
    first, then as added); `limit` is applied by the database."""
    today = today or date.today()
    with db.read() as s:
        query = (select(FollowUpTask, Meeting.title, Meeting.starts_at).join(Meeting, Meeting.id == FollowUpTask.meeting_id)
                 .order_by(FollowUpTask.deadline.is_(None), FollowUpTask.deadline, Meeting.starts_at.desc(),
                           Meeting.id.desc(), FollowUpTask.id)
                 .limit(limit))
        return _task_rows(s, query, today)


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


def proposed_resolution(db: Database, motion_id: int) -> str:
    """The resolution text a declared, passed motion proposes (the worker may edit it before saving);
    "" for a motion that has not passed (a motion not passed makes no resolution)."""
    from .voting import motion_result

    m = motion_result(db, motion_id)
    if m.motion.state != MotionState.DECIDED.value or m.result is None or not m.result.passed:
        return ""
    text = m.motion.text.strip()
    return f"经表决，通过“{m.motion.title}”" + (f"：{text}" if text else "。")


@dataclass(frozen=True)
class NoticeResolution:
    text: str
    motion_id: int | None
    typed: bool  # False: proposed from a passed motion that has no resolution of its own


def notice_resolutions(db: Database, meeting_id: int) -> list[NoticeResolution]:
    """What the resolution notice lists as 决议: the typed resolutions, then, for every passed motion
    without one, its proposed text — so the notice never says "no resolution" beside a passed motion."""
    from .voting import motions

    typed = resolutions(db, meeting_id)
    linked = {r.motion_id for r in typed if r.motion_id is not None}
    out = [NoticeResolution(r.text, r.motion_id, True) for r in typed]
    for m in motions(db, meeting_id):
        if m.motion.id not in linked and m.motion.state == MotionState.DECIDED.value and m.result and m.result.passed:
            out.append(NoticeResolution(proposed_resolution(db, m.motion.id), m.motion.id, False))
    return out


def notice_warnings(db: Database, meeting_id: int, lang: str = "zh") -> list[str]:
    """What to tell the worker before printing the resolution notice: passed motions without a typed
    resolution (printed with the proposed text), resolutions tied to a motion that did not pass,
    votes not yet declared (left out of the notice)."""
    from .voting import motions

    en = lang.startswith("en")
    typed = resolutions(db, meeting_id)
    linked = {r.motion_id for r in typed if r.motion_id is not None}
    out = []
    for m in motions(db, meeting_id):
        title = m.motion.title
        decided = m.motion.state == MotionState.DECIDED.value and m.result is not None
        if decided and m.result.passed and m.motion.id not in linked:
            out.append(f"“{title}” passed but has no resolution: the notice prints the proposed text" if en else
                       f"议题“{title}”已通过，但没有录入决议：公示将列出建议的决议文字")
        elif decided and not m.result.passed and m.motion.id in linked:
            out.append(f"“{title}” did not pass but a resolution is tied to it" if en else
                       f"议题“{title}”未通过，却录入了与之对应的决议，请核对")
        elif not decided:
            out.append(f"The vote on “{title}” has not been declared and is left out of the notice" if en else
                       f"议题“{title}”尚未宣布结果，不列入公示")
    return out
