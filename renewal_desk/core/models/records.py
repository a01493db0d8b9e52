"""Bookkeeping records: the audit log, attachments, operators and database-level settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Record, UtcDateTime, utcnow


class AuditEntry(Base):
    """One insert, update, delete or sensitive view; written in the same transaction as the change."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_record", "table_name", "record_id"),
                      Index("ix_audit_operator", "operator", "id"),
                      Index("ix_audit_record_uuid", "record_uuid"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    operator: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # insert / update / delete / reveal / import / restore ...
    table_name: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[int | None] = mapped_column(Integer)
    record_uuid: Mapped[str | None] = mapped_column(String(36))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    note: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 over this entry's fields and the previous entry's chain (core.audit.entry_hash): tamper evidence.
    chain: Mapped[str | None] = mapped_column(String(64))


class Attachment(Record, Base):
    """A file kept by content hash in the data folder, linked to any record by table and id."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_table", "owner_id"),)

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    owner_table: Mapped[str] = mapped_column(String(50))
    owner_id: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text, default="")


class Operator(Record, Base):
    """A staff account: logs in with a password (scrypt hash), has a role, is named in every audit entry.

    A name without a password (from before accounts existed) cannot log in until an administrator
    sets one; `role` is a key of core.services.accounts.ROLES.
    """

    __tablename__ = "operator"
    # The hash never goes into the audit log; a password change shows as a change of `password_set_at`.
    __audit_exclude__ = ("password_hash",)

    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(20), default="staff", server_default="staff")
    password_hash: Mapped[str | None] = mapped_column(Text)  # "scrypt$n$r$p$salt_hex$hash_hex"
    password_set_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Setting(Base):
    """Data-level preferences that travel with the database (window geometry stays in QSettings)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
