"""Exchange bookkeeping: the log of bundles exported and imported, the version of each record last
agreed with another laptop (for conflict detection), and the conflicts waiting for a decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Record, UtcDateTime, utcnow


class ExchangeLog(Record, Base):
    """One bundle written (direction "export") or merged (direction "import")."""

    __tablename__ = "exchange_log"
    __table_args__ = (Index("ix_exchange_log_direction_recipient", "direction", "recipient"),)

    direction: Mapped[str] = mapped_column(String(10))  # export / import
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    operator: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(200), default="")  # export: to whom; import: producing office
    purpose: Mapped[str] = mapped_column(Text, default="")
    full_personal_data: Mapped[bool] = mapped_column(Boolean, default=False)
    since: Mapped[datetime | None] = mapped_column(UtcDateTime)  # incremental from (None = everything)
    until: Mapped[datetime] = mapped_column(UtcDateTime)  # the moment the data was read
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON {record type: n} (import: the report)
    bundle_sha256: Mapped[str] = mapped_column(String(64))  # SHA-256 of the bundle's manifest.json
    path: Mapped[str] = mapped_column(Text, default="")
    peer_instance: Mapped[str] = mapped_column(String(36), default="")  # import: the producing database


class SyncState(Base):
    """The version (updated_at) of a record both this database and a peer last had in common."""

    __tablename__ = "exchange_sync_state"

    record_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(50))
    base_updated_at: Mapped[str] = mapped_column(String(40))  # ISO text exactly as exchanged
    peer: Mapped[str] = mapped_column(String(200), default="")
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ExchangeConflict(Record, Base):
    """A record changed on both laptops since they last agreed; nothing was overwritten."""

    __tablename__ = "exchange_conflict"
    __table_args__ = (Index("ix_exchange_conflict_open", "resolved_at", "record_uuid"),)

    record_type: Mapped[str] = mapped_column(String(50))  # bundle record type, e.g. "households"
    record_uuid: Mapped[str] = mapped_column(String(36))
    peer: Mapped[str] = mapped_column(String(200), default="")
    bundle_sha256: Mapped[str] = mapped_column(String(64), default="")
    local_json: Mapped[str | None] = mapped_column(Text)  # None: deleted here
    incoming_json: Mapped[str | None] = mapped_column(Text)  # None: deleted on the other laptop
    incoming_personal_masked: Mapped[bool] = mapped_column(Boolean, default=False)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str] = mapped_column(String(10), default="")  # local / incoming
    resolved_by: Mapped[str] = mapped_column(String(100), default="")
