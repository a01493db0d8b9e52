"""The supervisor team (居民监督队): supervisors and the parties they watch, inspections, the problems
found and their rectification (notices, one history row per step), and acceptance (验收).

The workflow's states and steps are rules.rectification; photos are attachments (owner_table
"supervision_problem" for what was found, "problem_transition" for a reply's photos).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.rectification import Severity, State
from .base import Base, DecimalText, Record


class Supervisor(Record, Base):
    """A resident appointed to the supervisor team (the person also carries the role supervisor)."""

    __tablename__ = "supervisor"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    appointed_on: Mapped[date] = mapped_column(Date)
    letter_no: Mapped[str] = mapped_column(String(50), default="")  # 聘书 / 任命文号
    building_ids: Mapped[str] = mapped_column(Text, default="")  # buildings covered: comma-separated ids
    works: Mapped[str] = mapped_column(Text, default="")  # works covered, e.g. 雨污分流改造
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped["Person"] = relationship()  # noqa: F821


class PartyKind(StrEnum):
    """What a 参建单位 is; stored as ASCII codes (migration 0025)."""

    BUILDER = "builder"
    DESIGNER = "designer"
    SUPERVISOR = "supervisor"
    OTHER = "other"


PARTY_KIND_LABELS: dict[str, tuple[str, str]] = {
    PartyKind.BUILDER: ("施工单位", "builder"),
    PartyKind.DESIGNER: ("设计单位", "design firm"),
    PartyKind.SUPERVISOR: ("监理单位", "supervision firm"),
    PartyKind.OTHER: ("其他", "other"),
}


class ConstructionParty(Record, Base):
    """参建单位: a builder, design firm, supervision firm … that problems are addressed to."""

    __tablename__ = "construction_party"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default=PartyKind.BUILDER.value)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str | None] = mapped_column(String(20))  # normalised digits
    address: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Inspection(Record, Base):
    """One walk of the site by supervisors and staff (巡查)."""

    __tablename__ = "inspection"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    inspected_on: Mapped[date] = mapped_column(Date, index=True)
    places: Mapped[str] = mapped_column(Text, default="")
    weather: Mapped[str] = mapped_column(String(20), default="")
    staff: Mapped[str] = mapped_column(Text, default="")  # staff who took part, names
    notes: Mapped[str] = mapped_column(Text, default="")

    participants: Mapped[list[InspectionParticipant]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InspectionParticipant.id")


class InspectionParticipant(Base):
    __tablename__ = "inspection_participant"
    __table_args__ = (UniqueConstraint("inspection_id", "supervisor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisor.id", ondelete="RESTRICT"), index=True)

    inspection: Mapped[Inspection] = relationship(back_populates="participants")
    supervisor: Mapped[Supervisor] = relationship()


class RectificationNotice(Record, Base):
    """整改通知单: one party, one or more problems, one deadline. A failed re-check gets a new one."""

    __tablename__ = "rectification_notice"

    notice_no: Mapped[str] = mapped_column(String(30), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("construction_party.id", ondelete="RESTRICT"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    recheck_method: Mapped[str] = mapped_column(Text, default="")
    objection_days: Mapped[int] = mapped_column(Integer, default=3)
    issued_by: Mapped[str] = mapped_column(String(100), default="")


class SupervisionProblem(Record, Base):
    """A problem found; `state`, `deadline` and `notice_id` are the current step of its history."""

    __tablename__ = "supervision_problem"
    __table_args__ = (Index("ix_supervision_problem_state_deadline", "state", "deadline"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id", ondelete="SET NULL"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    location: Mapped[str] = mapped_column(Text, default="")  # free text, or detail after building/unit
    works: Mapped[str] = mapped_column(String(100), default="")  # works package (acceptance scope)
    category: Mapped[str] = mapped_column(String(10))
    severity: Mapped[str] = mapped_column(String(10), default=Severity.MINOR.value)
    description: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text, default="")  # standard or contract clause
    party_id: Mapped[int | None] = mapped_column(ForeignKey("construction_party.id", ondelete="RESTRICT"), index=True)
    found_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default=State.PENDING.value)
    measures: Mapped[str] = mapped_column(Text, default="")
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("rectification_notice.id", ondelete="SET NULL"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    recheck_failures: Mapped[int] = mapped_column(Integer, default=0)

    history: Mapped[list[ProblemTransition]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProblemTransition.id")


class ProblemTransition(Record, Base):
    """One step of a problem's history: dated, by whom, with its text; never edited."""

    __tablename__ = "problem_transition"

    problem_id: Mapped[int] = mapped_column(ForeignKey("supervision_problem.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(10), default="")
    to_state: Mapped[str] = mapped_column(String(10))
    on_date: Mapped[date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")  # measures / reply / re-check note
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("rectification_notice.id", ondelete="SET NULL"))
    deadline: Mapped[date | None] = mapped_column(Date)

    problem: Mapped[SupervisionProblem] = relationship(back_populates="history")


class Acceptance(Record, Base):
    """验收 of a project or one works package: four parties, checklist, survey, evaluation, result."""

    __tablename__ = "acceptance"

    record_no: Mapped[str] = mapped_column(String(30), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    works: Mapped[str] = mapped_column(String(100), default="")  # "" = the whole project
    accepted_on: Mapped[date] = mapped_column(Date)
    district_rep: Mapped[str] = mapped_column(String(200), default="")
    community_rep: Mapped[str] = mapped_column(String(200), default="")
    resident_reps: Mapped[str] = mapped_column(String(200), default="")
    builder_rep: Mapped[str] = mapped_column(String(200), default="")
    party_id: Mapped[int | None] = mapped_column(ForeignKey("construction_party.id", ondelete="RESTRICT"))
    checklist: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[item, result, note], ...]
    survey_satisfied: Mapped[int] = mapped_column(Integer, default=0)
    survey_basic: Mapped[int] = mapped_column(Integer, default=0)
    survey_dissatisfied: Mapped[int] = mapped_column(Integer, default=0)
    survey_unknown: Mapped[int] = mapped_column(Integer, default=0)
    evaluator: Mapped[str] = mapped_column(String(200), default="")  # third-party firm
    evaluation_score: Mapped[Decimal | None] = mapped_column(DecimalText)
    evaluation_conclusion: Mapped[str] = mapped_column(Text, default="")
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[str] = mapped_column(Text, default="")
    open_problems: Mapped[int] = mapped_column(Integer, default=0)  # open in scope when recorded
    override_reason: Mapped[str] = mapped_column(Text, default="")
    rule_text: Mapped[str] = mapped_column(Text, default="")  # the satisfaction rule applied
