"""Rent-storage (收储租): stored houses, lease contracts (with versioned terms), payments to owners,
restoration works and the businesses placed in the houses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, DecimalText, Record


class Protection(StrEnum):
    """A stored house's protection class; stored as ASCII codes (migration 0023; before it the Chinese labels
    were the values)."""

    RELIC = "relic"
    HISTORIC = "historic"
    TRADITIONAL = "tradition"  # the column holds 10 characters
    NONE = "none"


PROTECTION_LABELS = {
    Protection.RELIC: ("文物", "cultural relic"),
    Protection.HISTORIC: ("历史建筑", "historic building"),
    Protection.TRADITIONAL: ("传统风貌", "traditional character"),
    Protection.NONE: ("无", "none"),
}


class ContractStatus(StrEnum):
    """Stored as ASCII codes (migration 0023)."""

    ACTIVE = "active"
    TERMINATED = "terminated"
    RENEWED = "renewed"


CONTRACT_STATUS_LABELS = {
    ContractStatus.ACTIVE: ("生效", "in force"),
    ContractStatus.TERMINATED: ("已解除", "terminated"),
    ContractStatus.RENEWED: ("已续签", "renewed"),
}


class StoredHouse(Record, Base):
    __tablename__ = "stored_house"

    block_id: Mapped[int | None] = mapped_column(ForeignKey("block.id", ondelete="SET NULL"), index=True)
    street: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(50))  # 门牌号
    area: Mapped[Decimal | None] = mapped_column(DecimalText)
    structure: Mapped[str] = mapped_column(String(50), default="")  # 砖木 / 木结构 / 砖混 …
    built_year: Mapped[int | None] = mapped_column(Integer)
    protection: Mapped[str] = mapped_column(String(10), default=Protection.NONE.value)
    condition: Mapped[str] = mapped_column(String(50), default="")  # 现状
    fixtures: Mapped[str] = mapped_column(Text, default="")  # 附属设施
    storage_date: Mapped[date | None] = mapped_column(Date)
    current_use: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    owners: Mapped[list[HouseOwner]] = relationship(back_populates="house", cascade="all, delete-orphan",
                                                    passive_deletes=True, order_by="HouseOwner.id")

    @property
    def address(self) -> str:
        return f"{self.street}{self.number}"


class HouseOwner(Base):
    __tablename__ = "house_owner"
    __table_args__ = (UniqueConstraint("house_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("stored_house.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)

    house: Mapped[StoredHouse] = relationship(back_populates="owners")
    person: Mapped["Person"] = relationship()  # noqa: F821


class LeaseContract(Record, Base):
    """The agreement; its terms live in versions (amendments never overwrite), payments attach here."""

    __tablename__ = "lease_contract"

    contract_no: Mapped[str] = mapped_column(String(50), unique=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("stored_house.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ContractStatus.ACTIVE.value)
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("lease_contract.id", ondelete="SET NULL"))
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str] = mapped_column(Text, default="")
    lessee_name: Mapped[str] = mapped_column(String(100), default="")  # the sub-district
    lessee_representative: Mapped[str] = mapped_column(String(50), default="")
    lessee_address: Mapped[str] = mapped_column(String(200), default="")

    house: Mapped[StoredHouse] = relationship()
    lessors: Mapped[list[LeaseLessor]] = relationship(back_populates="contract", cascade="all, delete-orphan",
                                                      passive_deletes=True, order_by="LeaseLessor.id")
    versions: Mapped[list[LeaseTerms]] = relationship(back_populates="contract", cascade="all, delete-orphan",
                                                      passive_deletes=True, order_by="LeaseTerms.version")


class LeaseLessor(Base):
    __tablename__ = "lease_lessor"
    __table_args__ = (UniqueConstraint("contract_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("lease_contract.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)

    contract: Mapped[LeaseContract] = relationship(back_populates="lessors")
    person: Mapped["Person"] = relationship()  # noqa: F821


class LeaseTerms(Record, Base):
    """One version of a contract's terms. Version 1 is the signed contract; each amendment adds one."""

    __tablename__ = "lease_terms"
    __table_args__ = (UniqueConstraint("contract_id", "version"),)

    contract_id: Mapped[int] = mapped_column(ForeignKey("lease_contract.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")  # why this amendment
    signed_on: Mapped[date | None] = mapped_column(Date)
    start: Mapped[date] = mapped_column(Date)
    term_months: Mapped[int] = mapped_column(Integer)
    base_annual_rent_fen: Mapped[int] = mapped_column(Integer)
    step_percent: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal("10"))
    step_interval_years: Mapped[int] = mapped_column(Integer, default=3)
    compounding: Mapped[bool] = mapped_column(Boolean, default=True)
    frequency: Mapped[str] = mapped_column(String(12), default="annual")
    due_day: Mapped[int] = mapped_column(Integer, default=1)
    deposit_fen: Mapped[int] = mapped_column(Integer, default=0)
    sublet_consent: Mapped[bool] = mapped_column(Boolean, default=True)  # 第716条
    improvement_consent: Mapped[bool] = mapped_column(Boolean, default=True)  # 第715条
    uses: Mapped[str] = mapped_column(Text, default="")
    renewal_terms: Mapped[str] = mapped_column(Text, default="")
    early_termination: Mapped[str] = mapped_column(Text, default="")

    contract: Mapped[LeaseContract] = relationship(back_populates="versions")


class RentPayment(Record, Base):
    """Rent paid by the sub-district to the owner(s). Wrong entries are voided, never deleted."""

    __tablename__ = "rent_payment"
    __table_args__ = (Index("ix_rent_payment_contract_date", "contract_id", "paid_on"),)

    contract_id: Mapped[int] = mapped_column(ForeignKey("lease_contract.id", ondelete="RESTRICT"))
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20), default="银行转账")
    reference: Mapped[str] = mapped_column(String(100), default="")
    paid_by: Mapped[str] = mapped_column(String(50), default="")  # staff who paid
    received_by: Mapped[str] = mapped_column(String(50), default="")  # owner who received
    note: Mapped[str] = mapped_column(Text, default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")


class Restoration(Record, Base):
    """恢复性修缮 of a stored house."""

    __tablename__ = "restoration"

    house_id: Mapped[int] = mapped_column(ForeignKey("stored_house.id", ondelete="CASCADE"), index=True)
    works: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    cost_fen: Mapped[int] = mapped_column(Integer, default=0)
    funding_source: Mapped[str] = mapped_column(String(50), default="")  # 中央/市级/区级/社会资本/居民自筹
    resident_participation: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class BusinessPlacement(Record, Base):
    """A business placed in a stored house (the sub-district sublets with the owner's consent)."""

    __tablename__ = "business_placement"

    house_id: Mapped[int] = mapped_column(ForeignKey("stored_house.id", ondelete="CASCADE"), index=True)
    operator_name: Mapped[str] = mapped_column(String(100))
    business_type: Mapped[str] = mapped_column(String(20))  # 非遗 / 文创 / 民宿 / 餐饮 / 工作室 …
    heritage_project: Mapped[str] = mapped_column(String(100), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    annual_rent_fen: Mapped[int] = mapped_column(Integer, default=0)  # sublease rent from the operator
    note: Mapped[str] = mapped_column(Text, default="")


class OperatorReceipt(Record, Base):
    """Rent received from a business operator."""

    __tablename__ = "operator_receipt"

    placement_id: Mapped[int] = mapped_column(ForeignKey("business_placement.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(100), default="")
