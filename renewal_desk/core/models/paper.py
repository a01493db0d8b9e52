"""Paper the app printed, and the signed copies filed back: the register that makes a scan traceable.

Every printout is registered under its 文书编号 (`IssuedDocument`), in the transaction that takes the
number. A scanned or photographed signed page is kept as a `SignedCopy` of one page of one issued
document; a second scan of the same page is a new version, never a replacement.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Record, UtcDateTime, utcnow


class IssuedDocument(Record, Base):
    """One printout: its number, document kind, the record it was printed for and its page count."""

    __tablename__ = "issued_document"

    doc_no: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # services.printouts.DOCUMENTS key
    record_table: Mapped[str] = mapped_column(String(50))
    record_id: Mapped[int | None] = mapped_column(Integer)
    record_uuid: Mapped[str | None] = mapped_column(String(36))
    pages: Mapped[int] = mapped_column(Integer)
    masked: Mapped[bool] = mapped_column(Boolean, default=True)
    printed_at: Mapped[datetime] = mapped_column(DateTime)  # local time, as printed on the sheet
    operator: Mapped[str] = mapped_column(String(100))


class SignedCopy(Record, Base):
    """A scan or photo of one signed page of an issued document, kept as an attachment of its record."""

    __tablename__ = "signed_copy"
    __table_args__ = (UniqueConstraint("document_id", "page", "version"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("issued_document.id", ondelete="CASCADE"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)  # 1 for the first copy of the page, then 2, 3, ...
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id", ondelete="RESTRICT"))
    sha256: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    operator: Mapped[str] = mapped_column(String(100))
    source_name: Mapped[str] = mapped_column(String(255), default="")
    how: Mapped[str] = mapped_column(String(20), default="code")  # "code" (read from the page) or "by hand"
