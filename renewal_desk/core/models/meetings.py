"""Consultation meetings (议事协商): the meeting, its invitees and sign-in, agenda, minutes, motions
and ballots, resolutions and follow-up tasks.

Meeting times are the local wall-clock times people read on the notice (naive datetimes); the
record timestamps of the Record mixin stay UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, DecimalText, Record


class MeetingKind(StrEnum):
    """Stored as ASCII codes (migration 0022; before it the Chinese labels were the values)."""

    COUNCIL = "council"
    OWNERS = "owners"
    HEARING = "hearing"
    COORDINATION = "coordinate"  # the column holds 10 characters
    REVIEW = "review"
    OTHER = "other"


MEETING_KIND_LABELS = {
    MeetingKind.COUNCIL: ("居民议事会", "residents' council"),
    MeetingKind.OWNERS: ("业主大会", "owners' assembly"),
    MeetingKind.HEARING: ("听证会", "hearing"),
    MeetingKind.COORDINATION: ("协调会", "coordination meeting"),
    MeetingKind.REVIEW: ("评议会", "review meeting"),
    MeetingKind.OTHER: ("其他", "other"),
}


class MeetingStatus(StrEnum):
    """Stored as ASCII codes (migration 0022)."""

    PLANNED = "planned"
    RUNNING = "running"
    ENDED = "ended"


MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: ("筹备中", "in preparation"),
    MeetingStatus.RUNNING: ("进行中", "in progress"),
    MeetingStatus.ENDED: ("已结束", "ended"),
}


class Category(StrEnum):
    """An attendee's category; stored as ASCII codes (migration 0022)."""

    RESIDENT = "resident"
    PARTY = "party"
    ENTERPRISE = "enterprise"
    PROPERTY = "property"
    DEPARTMENT = "department"
    DESIGNER = "designer"
    BUILDER = "builder"
    OTHER = "other"


CATEGORY_LABELS = {
    Category.RESIDENT: ("居民", "resident"),
    Category.PARTY: ("党员", "party member"),
    Category.ENTERPRISE: ("企业", "enterprise"),
    Category.PROPERTY: ("物业", "property management"),
    Category.DEPARTMENT: ("部门", "department"),
    Category.DESIGNER: ("设计师", "designer"),
    Category.BUILDER: ("施工单位", "builder"),
    Category.OTHER: ("其他", "other"),
}


class MotionState(StrEnum):
    """Stored as ASCII codes (migration 0020; before it the Chinese labels were the values)."""

    DRAFT = "draft"
    VOTING = "voting"
    DECIDED = "decided"


MOTION_STATE_LABELS = {
    MotionState.DRAFT: ("待表决", "not yet voted"),
    MotionState.VOTING: ("表决中", "being voted"),
    MotionState.DECIDED: ("已表决", "decided"),
}


class MotionScope(StrEnum):
    """Who votes on a motion (民法典第278条: a unit's or a building's matter is decided by its owners)."""

    PROJECT = "project"  # the meeting's owners (its project, or the buildings the meeting chose)
    BUILDINGS = "buildings"  # the owners of chosen buildings
    UNITS = "units"  # the owners of chosen units (单元)


class TaskStatus(StrEnum):
    """A follow-up task's status; stored as ASCII codes (migration 0022)."""

    OPEN = "open"
    DOING = "doing"
    DONE = "done"
    CANCELLED = "cancelled"


TASK_STATUS_LABELS = {
    TaskStatus.OPEN: ("待办", "to do"),
    TaskStatus.DOING: ("进行中", "in progress"),
    TaskStatus.DONE: ("已完成", "done"),
    TaskStatus.CANCELLED: ("已取消", "cancelled"),
}


class Meeting(Record, Base):
    __tablename__ = "meeting"

    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default=MeetingKind.COUNCIL.value)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    chair: Mapped[str] = mapped_column(String(100), default="")  # 主持人
    recorder: Mapped[str] = mapped_column(String(100), default="")  # 记录人
    scrutineers: Mapped[str] = mapped_column(String(200), default="")  # 监票人/计票人, "、"-separated
    purpose: Mapped[str] = mapped_column(Text, default="")  # 会议事由, on the notice
    building_ids: Mapped[str] = mapped_column(Text, default="")  # owners' scope for Art. 278 votes; "" = project
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.PLANNED.value)
    current_item_id: Mapped[int | None] = mapped_column(Integer)  # the agenda item on the wall
    current_motion_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")

    attendees: Mapped[list[Attendee]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                     passive_deletes=True, order_by="Attendee.position")
    items: Mapped[list[AgendaItem]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                   passive_deletes=True, order_by="AgendaItem.position")


class Attendee(Record, Base):
    """One invited party (应到) or walk-in (列席), and how they signed in: in person or by proxy."""

    __tablename__ = "meeting_attendee"
    __table_args__ = (Index("ix_meeting_attendee_meeting_household", "meeting_id", "household_id"),)

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str] = mapped_column(String(10), default=Category.RESIDENT.value)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200), default="")  # 身份/单位
    phone: Mapped[str | None] = mapped_column(String(20))
    expected: Mapped[bool] = mapped_column(Boolean, default=True)  # False: 列席 (walk-in)
    signed_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    proxy_name: Mapped[str] = mapped_column(String(100), default="")  # 代理人
    proxy_authority: Mapped[str] = mapped_column(String(200), default="")  # 委托书
    search_text: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


class AgendaItem(Record, Base):
    __tablename__ = "agenda_item"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    presenter: Mapped[str] = mapped_column(String(100), default="")
    planned_minutes: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    summary: Mapped[str] = mapped_column(Text, default="")  # 讨论情况

    meeting: Mapped[Meeting] = relationship(back_populates="items")


class Speech(Record, Base):
    """One speaker's words under an agenda item (发言), saved as they are typed."""

    __tablename__ = "meeting_speech"
    __audit_exclude__ = ("created_at", "updated_at")

    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    speaker: Mapped[str] = mapped_column(String(100), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    spoken_at: Mapped[datetime | None] = mapped_column(DateTime)


class Motion(Record, Base):
    __tablename__ = "motion"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    matter: Mapped[str] = mapped_column(String(15), default="consultative")  # special / ordinary / consultative
    method: Mapped[str] = mapped_column(String(10), default="hands")  # hands / named / paper
    state: Mapped[str] = mapped_column(String(10), default=MotionState.DRAFT.value)
    voted_at: Mapped[datetime | None] = mapped_column(DateTime)  # the moment the vote was taken
    # counts for a show of hands or typed-in paper results
    yes_owners: Mapped[int | None] = mapped_column(Integer)
    no_owners: Mapped[int | None] = mapped_column(Integer)
    abstain_owners: Mapped[int | None] = mapped_column(Integer)
    yes_area: Mapped[Decimal | None] = mapped_column(DecimalText)
    no_area: Mapped[Decimal | None] = mapped_column(DecimalText)
    abstain_area: Mapped[Decimal | None] = mapped_column(DecimalText)
    present: Mapped[int | None] = mapped_column(Integer)  # people present at a show of hands
    scope: Mapped[str] = mapped_column(String(10), default=MotionScope.PROJECT.value, server_default="project")
    scope_building_ids: Mapped[str] = mapped_column(Text, default="", server_default="")  # comma-separated ids
    scope_unit_ids: Mapped[str] = mapped_column(Text, default="", server_default="")  # comma-separated ids
    corrections: Mapped[str] = mapped_column(Text, default="")  # one line per audited correction

    ballots: Mapped[list[MotionBallot]] = relationship(back_populates="motion", cascade="all, delete-orphan",
                                                       passive_deletes=True)


class MotionBallot(Record, Base):
    """A named ballot: per owner's unit (household) for Art. 278 matters, per attendee otherwise."""

    __tablename__ = "motion_ballot"
    __table_args__ = (UniqueConstraint("motion_id", "attendee_id"),)

    motion_id: Mapped[int] = mapped_column(ForeignKey("motion.id", ondelete="CASCADE"), index=True)
    attendee_id: Mapped[int] = mapped_column(ForeignKey("meeting_attendee.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(10))  # yes / no / abstain

    motion: Mapped[Motion] = relationship(back_populates="ballots")


class Resolution(Record, Base):
    __tablename__ = "resolution"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    motion_id: Mapped[int | None] = mapped_column(ForeignKey("motion.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)


class FollowUpTask(Record, Base):
    __tablename__ = "followup_task"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    resolution_id: Mapped[int | None] = mapped_column(ForeignKey("resolution.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(100), default="")  # 责任人/单位
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=TaskStatus.OPEN.value)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    review_note: Mapped[str] = mapped_column(Text, default="")
