"""Projects, blocks (片区), buildings (楼栋), units (单元) and households (住户)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, DecimalText, Record


class ProjectType(StrEnum):
    """The eight renewal project types (seeds 000 and 003); stored as ASCII codes (migration 0023; before it
    the Chinese labels were the values)."""

    RESIDENTIAL = "residential"
    INDUSTRIAL = "industrial"
    FACILITIES = "facilities"
    PUBLIC_SPACE = "public_space"
    HERITAGE = "heritage"
    COMPOSITE = "composite"
    DIGITAL = "digital"
    OTHER = "other"


PROJECT_TYPE_LABELS = {
    ProjectType.RESIDENTIAL: ("居住区综合改善类", "residential area improvement"),
    ProjectType.INDUSTRIAL: ("产业区聚能增效类", "industrial area upgrading"),
    ProjectType.FACILITIES: ("城市设施提档升级类", "urban facilities upgrading"),
    ProjectType.PUBLIC_SPACE: ("公共空间品质提升类", "public space quality"),
    ProjectType.HERITAGE: ("文化传承及特色风貌塑造类", "heritage and townscape"),
    ProjectType.COMPOSITE: ("复合空间统筹优化类", "composite space optimisation"),
    ProjectType.DIGITAL: ("数字化智慧赋能类", "digital and smart"),
    ProjectType.OTHER: ("其他", "other"),
}


class ProjectStage(StrEnum):
    """Stored as ASCII codes (migration 0023)."""

    RESERVE = "reserve"
    LISTED = "listed"
    STARTED = "started"
    COMPLETED = "completed"
    ACCEPTED = "accepted"
    OPERATING = "operating"


PROJECT_STAGE_LABELS = {
    ProjectStage.RESERVE: ("储备", "reserve"),
    ProjectStage.LISTED: ("入库", "listed"),
    ProjectStage.STARTED: ("开工", "started"),
    ProjectStage.COMPLETED: ("完工", "completed"),
    ProjectStage.ACCEPTED: ("验收", "accepted"),
    ProjectStage.OPERATING: ("运营", "operating"),
}


class AreaSource(StrEnum):
    """Where an exclusive area comes from; counting for votes prefers registered > surveyed > contract."""

    REGISTERED = "registered"
    SURVEYED = "surveyed"
    CONTRACT = "contract"


AREA_SOURCE_LABELS = {
    AreaSource.REGISTERED: ("登记", "registered"),
    AreaSource.SURVEYED: ("测绘", "surveyed"),
    AreaSource.CONTRACT: ("合同", "contract"),
}


class Project(Record, Base):
    __tablename__ = "project"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    project_type: Mapped[str] = mapped_column(String(40), default=ProjectType.RESIDENTIAL.value)
    stage: Mapped[str] = mapped_column(String(10), default=ProjectStage.RESERVE.value)
    district: Mapped[str] = mapped_column(String(100), default="")  # 街道/社区
    description: Mapped[str] = mapped_column(Text, default="")

    blocks: Mapped[list[Block]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                               passive_deletes=True, order_by="Block.sort_key")


class Block(Record, Base):
    __tablename__ = "block"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    sort_key: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship(back_populates="blocks")
    buildings: Mapped[list[Building]] = relationship(back_populates="block", cascade="all, delete-orphan",
                                                     passive_deletes=True, order_by="Building.sort_key")


class Building(Record, Base):
    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("block_id", "name"),)

    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # e.g. "3号楼", "5幢"
    sort_key: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    floors: Mapped[int | None] = mapped_column(Integer)
    built_year: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")

    block: Mapped[Block] = relationship(back_populates="buildings")
    units: Mapped[list[Unit]] = relationship(back_populates="building", cascade="all, delete-orphan",
                                             passive_deletes=True, order_by="Unit.sort_key")


class Unit(Record, Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("building_id", "name"),)

    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))  # "1单元"; "" for buildings without units
    sort_key: Mapped[str] = mapped_column(String(100), default="")

    building: Mapped[Building] = relationship(back_populates="units")
    households: Mapped[list[Household]] = relationship(back_populates="unit", cascade="all, delete-orphan",
                                                       passive_deletes=True)


class Household(Record, Base):
    __tablename__ = "household"
    __table_args__ = (
        UniqueConstraint("unit_id", "room"),
        Index("ix_household_sort", "sort_key"),
    )
    __audit_exclude__ = ("created_at", "updated_at", "search_text", "sort_key")

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    room: Mapped[str] = mapped_column(String(50))  # 房号 "301"
    area: Mapped[Decimal | None] = mapped_column(DecimalText)  # exclusive area, m²
    area_source: Mapped[str] = mapped_column(String(12), default=AreaSource.REGISTERED.value)
    is_vacant: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    # Derived, maintained by the household service: building/unit/room ordering and search text
    # (names, pinyin, initials, address, phone digits) so lists sort and filter in SQL.
    sort_key: Mapped[str] = mapped_column(String(200), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship(back_populates="households")
    people: Mapped[list["Person"]] = relationship(  # noqa: F821
        back_populates="household", order_by="(Person.is_head.desc(), Person.id)", passive_deletes=True)
