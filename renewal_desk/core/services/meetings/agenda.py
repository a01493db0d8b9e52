"""Agenda items, the current item, and minutes (speeches and item summaries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ...db import Database
from ...models import AgendaItem, Meeting, MeetingStatus, Speech
from ...problems import InputError, Problem
from .. import events
from ..events import Topic
from ._common import E_MINUTES, E_WRONG_MEETING, _check_open, _get, _get_open, _next_position, _now, _text



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
        _check_open(s, meeting_id, "添加议程", "given agenda items")
        row = AgendaItem(meeting_id=meeting_id, position=_next_position(s, AgendaItem, AgendaItem.meeting_id, meeting_id),
                         title=title, presenter=presenter, planned_minutes=minutes)
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.MEETINGS, [meeting_id])
    return new_id


def update_item(db: Database, item_id: int, title: str, presenter: str = "", planned_minutes: int | None = None) -> None:
    title = _text(title, "议程名称", "The agenda item", 200, "title")
    presenter = _text(presenter, "汇报人", "The presenter", 100, "presenter", required=False)
    minutes = _minutes(planned_minutes)
    with db.write() as s:
        row = _get_open(s, AgendaItem, item_id, "议程", "修改议程", "changed (agenda)")
        row.title, row.presenter, row.planned_minutes = title, presenter, minutes
        meeting_id = row.meeting_id
    events.announce(Topic.MEETINGS, [meeting_id])


def delete_item(db: Database, item_id: int) -> None:
    with db.write() as s:
        row = _get_open(s, AgendaItem, item_id, "议程", "删除议程", "changed (agenda)")
        meeting = row.meeting
        if meeting.current_item_id == item_id:
            meeting.current_item_id = None
        s.delete(row)
        meeting_id = meeting.id
    events.announce(Topic.MEETINGS, [meeting_id])


def items(db: Database, meeting_id: int) -> list[ItemRow]:
    with db.read() as s:
        m = _get(s, Meeting, meeting_id, "会议")
        return [ItemRow(i.id, n, i.title, i.presenter, i.planned_minutes, i.started_at, i.summary,
                        i.id == m.current_item_id) for n, i in enumerate(m.items, start=1)]


def reorder_items(db: Database, meeting_id: int, item_ids: list[int]) -> None:
    """Put the agenda in this order (drag and drop, or Alt+↑/↓ in the list)."""
    with db.write() as s:
        m = _check_open(s, meeting_id, "调整议程顺序", "changed (agenda)")
        by_id = {i.id: i for i in m.items}
        if sorted(item_ids) != sorted(by_id):
            raise InputError(Problem(E_WRONG_MEETING))
        for position, item_id in enumerate(item_ids, start=1):
            if by_id[item_id].position != position:
                by_id[item_id].position = position
    events.announce(Topic.MEETINGS, [meeting_id])


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
        m = _check_open(s, meeting_id, "切换当前议程", "moved to another item")
        if item_id is not None:
            item = _get(s, AgendaItem, item_id, "议程")
            if item.meeting_id != meeting_id:
                raise InputError(Problem(E_WRONG_MEETING))
            item.started_at = item.started_at or (at or _now())
        m.current_item_id = item_id
        if m.status == MeetingStatus.PLANNED.value and item_id is not None:
            m.status = MeetingStatus.RUNNING.value
    events.announce(Topic.MEETINGS, [meeting_id])


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
        row = _get_open(s, AgendaItem, item_id, "议程", "修改会议记录", "changed (minutes)")
        if row.summary != summary:
            row.summary = summary
        meeting_id = row.meeting_id
    events.announce(Topic.MINUTES, [meeting_id])


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
        item = _get_open(s, AgendaItem, item_id, "议程", "修改会议记录", "changed (minutes)")
        position = (s.scalar(select(func.max(Speech.position)).where(Speech.item_id == item_id)) or 0) + 1
        row = Speech(item_id=item_id, position=position, speaker=speaker, content=content or "",
                     spoken_at=(at or _now()).replace(microsecond=0))
        s.add(row)
        s.flush()
        new_id, meeting_id = row.id, item.meeting_id
    events.announce(Topic.MINUTES, [meeting_id])
    return new_id


def save_speech(db: Database, speech_id: int, speaker: str, content: str) -> None:
    """Autosave: the speech as typed so far (a no-op when nothing changed)."""
    speaker = _text(speaker, "发言人", "The speaker", 100, "speaker", required=False)
    with db.write() as s:
        row = _get(s, Speech, speech_id, "发言")
        _check_open(s, s.get(AgendaItem, row.item_id).meeting_id, "修改会议记录", "changed (minutes)")
        if row.speaker != speaker:
            row.speaker = speaker
        if row.content != content:
            row.content = content


def delete_speech(db: Database, speech_id: int) -> None:
    with db.write() as s:
        row = _get(s, Speech, speech_id, "发言")
        _check_open(s, s.get(AgendaItem, row.item_id).meeting_id, "修改会议记录", "changed (minutes)")
        s.delete(row)


def speeches(db: Database, item_id: int) -> list[SpeechRow]:
    with db.read() as s:
        return [SpeechRow(r.id, r.item_id, r.speaker, r.content, r.spoken_at)
                for r in s.scalars(select(Speech).where(Speech.item_id == item_id).order_by(Speech.position, Speech.id))]
