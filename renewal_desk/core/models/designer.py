"""Chief street designer (首席街长): appointments per block, site visits, opinions and their responses.

Seed 002 (Weihai 首席街长制, "一街区一街长"): a designer appointed per street block follows it through
design, construction, business introduction and operation, and writes opinions to the implementing
parties; every opinion gets a response and a status, so none is lost.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.designer import (OPINION_STATUS_LABELS, STAGE_LABELS, STAKEHOLDER_LABELS, OpinionStatus, Stage,  # noqa: F401
                              Stakeholder)  # the stored values, with their rules and labels (codes since 0023)
from .base import Base, Record


class AppointmentStatus(StrEnum):
    """Stored as ASCII codes (migration 0020; before it the Chinese labels were the values)."""

    ACTIVE = "active"
    ENDED = "ended"


APPOINTMENT_STATUS_LABELS = {
    AppointmentStatus.ACTIVE: ("在任", "in office"),
    AppointmentStatus.ENDED: ("已离任", "ended"),
}


class DesignerAppointment(Record, Base):
    """A letter of appointment (聘书): one designer for one block over a term. Ended, never deleted;
    a block with a designer's history cannot be deleted (RESTRICT), so no opinion is lost."""

    __tablename__ = "designer_appointment"
    __table_args__ = (Index("ix_designer_appointment_block_status", "block_id", "status"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="RESTRICT"))
    letter_no: Mapped[str] = mapped_column(String(50), unique=True)  # 聘书编号
    appointed_on: Mapped[date] = mapped_column(Date)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=AppointmentStatus.ACTIVE.value)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped["Person"] = relationship()  # noqa: F821
    block: Mapped["Block"] = relationship()  # noqa: F821


class DesignerVisit(Record, Base):
    """A site visit of the block's designer (under the appointment in force that day)."""

    __tablename__ = "designer_visit"
    __table_args__ = (Index("ix_designer_visit_block_date", "block_id", "visited_on"),)

    appointment_id: Mapped[int] = mapped_column(ForeignKey("designer_appointment.id", ondelete="RESTRICT"),
                                                index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="RESTRICT"))
    visited_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(Text, default="")
    observation: Mapped[str] = mapped_column(Text, default="")  # what was seen on the whole visit

    appointment: Mapped[DesignerAppointment] = relationship()
    opinions: Mapped[list[DesignerOpinion]] = relationship(back_populates="visit", order_by="DesignerOpinion.id")


class DesignerOpinion(Record, Base):
    """One opinion of a visit, addressed to someone, with its current status (history in responses)."""

    __tablename__ = "designer_opinion"
    __table_args__ = (
        Index("ix_designer_opinion_block_status", "block_id", "status"),
        Index("ix_designer_opinion_cites", "cites_kind", "cites_uuid"),
    )

    visit_id: Mapped[int] = mapped_column(ForeignKey("designer_visit.id", ondelete="RESTRICT"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="RESTRICT"))
    opinion_no: Mapped[str] = mapped_column(String(30), unique=True)  # JZ-2026-0001
    stage: Mapped[str] = mapped_column(String(10))
    stakeholders: Mapped[str] = mapped_column(String(50), default="")  # "merchants,residents" (Stakeholder codes)
    observation: Mapped[str] = mapped_column(Text, default="")
    opinion: Mapped[str] = mapped_column(Text)
    addressee: Mapped[str] = mapped_column(String(100))
    respond_by: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=OpinionStatus.RAISED.value)
    cites_kind: Mapped[str] = mapped_column(String(30), default="")  # "ordering_round", "meeting_resolution" …
    cites_uuid: Mapped[str | None] = mapped_column(String(36))

    visit: Mapped[DesignerVisit] = relationship(back_populates="opinions")
    responses: Mapped[list[OpinionResponse]] = relationship(back_populates="opinion",
                                                            order_by="(OpinionResponse.responded_on, OpinionResponse.id)")


class OpinionResponse(Record, Base):
    """A response to an opinion and the status it moved the opinion to. Never edited or deleted: a
    wrong one is voided with a reason (and the opinion's status goes back), and stays in the history."""

    __tablename__ = "designer_response"

    opinion_id: Mapped[int] = mapped_column(ForeignKey("designer_opinion.id", ondelete="RESTRICT"), index=True)
    responded_on: Mapped[date] = mapped_column(Date)
    responder: Mapped[str] = mapped_column(String(100))  # who answered: "实施主体 王工"
    status: Mapped[str] = mapped_column(String(10))  # the status after this response
    text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # why not adopted (未采纳 / 部分采纳)
    voided: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # 0013
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    opinion: Mapped[DesignerOpinion] = relationship(back_populates="responses")
