"""The meeting itself: prepare, edit, start, end; its project and the owners' scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ...db import Database
from ...models import Attendee, Block, Building, Meeting, MeetingKind, MeetingStatus, Motion, Project
from ...problems import InputError, Problem
from ...rules.text import normalize_text
from .. import events
from ._common import E_KIND, E_TIMES, E_TITLE, _get, _now, _text



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



def project_org(db: Database, project_id: int | None) -> str:
    if project_id is None:
        return ""
    from ..ordering import project_org as org

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
