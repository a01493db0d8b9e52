"""People (居民) and their roles."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Record


class Role(StrEnum):
    OWNER = "owner"
    TENANT = "tenant"
    REPRESENTATIVE = "representative"
    PARTY_MEMBER = "party_member"
    SUPERVISOR = "supervisor"
    DESIGNER = "designer"
    OPERATOR = "operator"
    STAFF = "staff"


ROLE_LABELS: dict[str, tuple[str, str]] = {
    Role.OWNER: ("业主", "owner"),
    Role.TENANT: ("租户", "tenant"),
    Role.REPRESENTATIVE: ("居民代表", "representative"),
    Role.PARTY_MEMBER: ("党员", "party member"),
    Role.SUPERVISOR: ("监督员", "supervisor"),
    Role.DESIGNER: ("设计师", "designer"),
    Role.OPERATOR: ("经营者", "business operator"),
    Role.STAFF: ("工作人员", "staff"),
}


class Person(Record, Base):
    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_household_head", "household_id", "is_head"),
        Index("ix_person_id_number", "id_number"),
    )

    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)  # 户主
    relation: Mapped[str] = mapped_column(String(20), default="")  # 与户主关系
    id_number: Mapped[str | None] = mapped_column(String(18))  # normalised; legacy 15 allowed
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))  # normalised digits
    note: Mapped[str] = mapped_column(Text, default="")

    household: Mapped["Household | None"] = relationship(back_populates="people")  # noqa: F821
    roles: Mapped[list[PersonRole]] = relationship(back_populates="person", cascade="all, delete-orphan",
                                                   passive_deletes=True)

    @property
    def role_names(self) -> list[str]:
        return sorted(r.role for r in self.roles)


class PersonRole(Base):
    __tablename__ = "person_role"
    __table_args__ = (UniqueConstraint("person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    person: Mapped[Person] = relationship(back_populates="roles")
