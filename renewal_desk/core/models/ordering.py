"""Demand ordering (居民点单): a project's menu, ordering rounds, and each household's order."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Record


class Tier(StrEnum):
    """Stored as ASCII codes (migration 0022; before it the Chinese labels were the values)."""

    BASIC = "basic"
    IMPROVE = "improve"
    BETTER = "better"


TIER_LABELS = {
    Tier.BASIC: ("基础类", "basic"),
    Tier.IMPROVE: ("完善类", "improvement"),
    Tier.BETTER: ("提升类", "enhancement"),
}


class RoundState(StrEnum):
    """Stored as ASCII codes (migration 0022)."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


ROUND_STATE_LABELS = {
    RoundState.DRAFT: ("草稿", "draft"),
    RoundState.OPEN: ("征集中", "open for answers"),
    RoundState.CLOSED: ("已截止", "closed"),
    RoundState.PUBLISHED: ("已公示", "published"),
}


class FilledBy(StrEnum):
    """Who filled in an order; stored as ASCII codes (migration 0022)."""

    OWNER = "owner"
    FAMILY = "family"
    PROXY = "proxy"


FILLED_BY_LABELS = {
    FilledBy.OWNER: ("业主本人", "the owner"),
    FilledBy.FAMILY: ("家庭成员", "a family member"),
    FilledBy.PROXY: ("代理人", "a proxy"),
}


class Channel(StrEnum):
    """How an order came in; stored as ASCII codes (migration 0022)."""

    PAPER = "paper"
    DOOR = "door"
    MEETING = "meeting"
    PHONE = "phone"


CHANNEL_LABELS = {
    Channel.PAPER: ("纸质表", "paper form"),
    Channel.DOOR: ("入户", "door to door"),
    Channel.MEETING: ("会议", "at a meeting"),
    Channel.PHONE: ("电话", "by phone"),
}


class MenuItem(Record, Base):
    """One item of a project's menu; retired items stay (orders keep pointing at them)."""

    __tablename__ = "menu_item"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    tier: Mapped[str] = mapped_column(String(10))
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    consent_scope: Mapped[str] = mapped_column(String(10), default="")  # "" / unit / building / project
    matter: Mapped[str] = mapped_column(String(15), default="")  # consent rule: special / ordinary
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class OrderingRound(Record, Base):
    __tablename__ = "ordering_round"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    notice_days: Mapped[int] = mapped_column(Integer, default=7)  # 公示期
    published_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default=RoundState.DRAFT.value)
    building_ids: Mapped[str] = mapped_column(Text, default="")  # scope: comma-separated ids; "" = whole project
    note: Mapped[str] = mapped_column(Text, default="")


class Order(Record, Base):
    """One household's answer in a round (re-entering edits it, never duplicates)."""

    __tablename__ = "household_order"
    __table_args__ = (UniqueConstraint("round_id", "household_id"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("ordering_round.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    filled_by: Mapped[str] = mapped_column(String(10), default=FilledBy.OWNER.value)
    channel: Mapped[str] = mapped_column(String(10), default=Channel.PAPER.value)
    received_on: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str] = mapped_column(Text, default="")

    choices: Mapped[list[OrderChoice]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                      passive_deletes=True, order_by="OrderChoice.id")


class OrderChoice(Base):
    """An item ticked on an order, with its priority (1 = most wanted) and, for consent items, the vote."""

    __tablename__ = "order_choice"
    __table_args__ = (UniqueConstraint("order_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("household_order.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_item.id", ondelete="RESTRICT"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=2)
    vote: Mapped[str] = mapped_column(String(10), default="yes")  # yes / no / abstain (consent items)

    order: Mapped[Order] = relationship(back_populates="choices")


class OrderingTally(Base):
    """A round's tallies kept up to date by the writes (core.services.ordering_figures): households, answers,
    areas per unit and per item as exact counters, valid as of audit entry `audit_id`. Derived data: any
    audited change to the tables the tallies read after that entry makes it stale (it is then counted again)."""

    __tablename__ = "ordering_tally"

    round_id: Mapped[int] = mapped_column(ForeignKey("ordering_round.id", ondelete="CASCADE"), primary_key=True)
    audit_id: Mapped[int] = mapped_column(Integer, default=0)
    figures: Mapped[str] = mapped_column(Text, default="")  # JSON of the counters
