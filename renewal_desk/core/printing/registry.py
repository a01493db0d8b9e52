"""The printable documents, one registration each: what a document is (title, what its record is, its number's
prefix, what the audit log files it under, whether it carries full personal data, its period) and who loads and
writes it.

Each family registers its own documents in its docs module (services/meeting_docs.py, supervision_docs.py,
designer_docs.py, lease_docs.py, ordering_docs.py, printouts.py for the building roster); services.printouts
numbers, audits and files every printout the same way, whatever the document. Titles come from
printing.DOCUMENTS, the one table of them (the page template prints them without a database).

No database here: a registration only names the loader, which the services write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import DOCUMENTS as TITLES


@dataclass(frozen=True)
class Request:
    """One printout being made: what its loader gets (the document's own options among them)."""

    db: Any  # core.db.Database
    name: str
    record_id: int
    out: Path
    common: dict  # operator, doc_no, printed_at: passed on to the renderer
    masked: bool
    as_of: date
    round_id: int | None = None
    since: date | None = None
    start: date | None = None
    end: date | None = None
    large: bool = False


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title_zh: str
    title_en: str
    id_kind: str  # what --id names ("meeting", "building", "all" for --id 0 …)
    prefix: str  # document number prefix (HYJL-20261204-0001)
    audit_table: str
    render: Callable[[Request], int] = field(repr=False, compare=False)  # loads the data, writes the PDF: pages
    full_data: bool = False  # the document itself carries full personal data (signed by the parties)
    period: str | None = None  # "range": for a period (--from/--to); "since": (--since/--as-of); "as_of": one date
    own_number: bool = False  # the record has its own number, printed as the 文书编号 (ZG-2026-0047)
    prepare: Callable[[Any, int], None] | None = field(default=None, repr=False, compare=False)  # before numbering


REGISTRY: dict[str, DocumentKind] = {}


def register(name: str, id_kind: str, prefix: str, audit_table: str, render: Callable[[Request], int],
             **options) -> DocumentKind:
    """Register a document under `name` (a key of printing.DOCUMENTS, where its titles are)."""
    if name in REGISTRY:
        raise ValueError(f"document {name!r} registered twice")
    zh, en = TITLES[name]
    kind = REGISTRY[name] = DocumentKind(name, zh, en, id_kind, prefix, audit_table, render, **options)
    return kind


__all__ = ["DocumentKind", "REGISTRY", "Request", "register"]
