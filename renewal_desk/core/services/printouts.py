"""Printouts: gather a document's data from the database and render it with core.printing.

`print_document(db, "building-roster", building_id, out)` is what both the CLI and the UI call.
Printing full (unmasked) personal data is a staff action and is written to the audit log.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import record_event
from ..db import Database
from .. import settings
from ..printing import DOCUMENTS as TITLES
from ..printing.registry import REGISTRY, DocumentKind, Request
from ..printing.template import make_doc_no, page_codes, page_progress
from ..problems import InputError, Problem, declare
from .places import get
# each registers its documents (printing.registry.register)
from . import designer_docs, lease_docs, meeting_docs, ordering_docs, roster_docs, supervision_docs  # noqa: F401

E_NOT_ROUND = declare("print.no_round", "找不到点单轮次（编号 {id}）", "Ordering round {id} was not found")
E_UNKNOWN_DOC = declare("print.unknown", "未知的文书类型：{name}", "Unknown document type: {name}")
E_PERIOD = declare("print.period", "期间：开始日期 {start} 晚于结束日期 {end}",
                   "Period: the start {start} is after the end {end}")
E_CANCELLED = declare("print.cancelled", "已取消打印，未生成文件，也未占用文书编号。",
                      "Printing was cancelled: no file was written and no document number was used.")


class PrintCancelled(InputError):
    """Raised by a progress callback to stop a printout; nothing is written or numbered."""

    def __init__(self) -> None:
        super().__init__(Problem(E_CANCELLED))


# Every printable document is registered by its family's docs module (core/printing/registry.py), imported above;
# DOCUMENTS keeps printing.DOCUMENTS' order (the CLI lists them so).
DOCUMENTS: dict[str, DocumentKind] = {name: REGISTRY[name] for name in TITLES}


# Printouts with a period (the CLI's --from/--to, --since/--as-of): how a chosen (start, end) is passed.
# "range": a period from start to end; "since": the same, given as --since/--as-of (a journal up to a date);
# "as_of": one date (the statement date), the period's end.
PERIODS = {name: kind.period for name, kind in DOCUMENTS.items() if kind.period}
PRESETS = ("this_month", "last_month", "last_90", "last_180", "this_year", "last_year")
PRESET_LABELS = {"this_month": ("本月", "This month"), "last_month": ("上月", "Last month"),
                 "last_90": ("近 90 天", "Last 90 days"), "last_180": ("近 180 天", "Last 180 days"),
                 "this_year": ("今年", "This year"), "last_year": ("去年", "Last year")}


def preset_period(key: str, today: date | None = None) -> tuple[date, date]:
    """A named period ending at most today: 本月 is the 1st to today, 上月 the whole last month."""
    from datetime import timedelta

    today = today or date.today()
    first = today.replace(day=1)
    if key == "this_month":
        return first, today
    if key == "last_month":
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    if key in ("last_90", "last_180"):
        return today - timedelta(days=int(key[5:]) - 1), today
    if key == "this_year":
        return today.replace(month=1, day=1), today
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    raise ValueError(key)


def check_period(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    if start is not None and end is not None and start > end:
        raise InputError(Problem(E_PERIOD, {"start": start.isoformat(), "end": end.isoformat()}, field="period"))
    return start, end


def period_options(name: str, start: date, end: date) -> dict:
    """print_document's keyword arguments for a period chosen in the UI (as the CLI's options)."""
    check_period(start, end)
    kind = PERIODS.get(name)
    if kind == "as_of":
        return {"as_of": end}
    if kind == "since":
        return {"since": start, "as_of": end}
    if kind == "range":
        return {"start": start, "end": end}
    return {}


def print_document(db: Database, name: str, record_id: int, out: str | Path, *, masked: bool = True,
                   printed_at: datetime | None = None, as_of: date | None = None, round_id: int | None = None,
                   since: date | None = None, start: date | None = None, end: date | None = None,
                   progress: Callable[[int], None] | None = None, replace: bool = False, large: bool = False) -> int:
    """Render a document to a PDF file; returns its page count.

    An existing `out` is replaced only with `replace` (the user confirmed it); the database's own files,
    backups and attachments never (core.db.check_output).

    `progress(pages so far)` is called after every page laid out; it may raise PrintCancelled (or any
    error) to stop: the half-written file is removed and the transaction below rolls back.

    The document number is taken and the printing audited in one transaction with the rendering, so
    a PDF that could not be written leaves no number used and no audit entry.

    `large`: the 大字版 of named ballots (one to a page, no text under 16 pt). Ballots and personal notices
    name attendees in their codes: households of the meeting's scope not invited yet are invited first.
    """
    kind = DOCUMENTS.get(name)
    if kind is None:
        raise InputError(Problem(E_UNKNOWN_DOC, {"name": name}, value=name))
    db.require("reveal" if kind.full_data or not masked else "print")  # by role (core.rules.access)
    out = db.check_output(out, replace=replace)
    printed_at = printed_at or datetime.now()
    as_of = as_of or printed_at.date()
    check_period(start, end)
    check_period(since, as_of)
    uuid = None
    if kind.id_kind == "meeting":
        from .meetings import meeting_view

        uuid = meeting_view(db, record_id).uuid  # a clear error for a meeting that does not exist
    if kind.prepare is not None:
        kind.prepare(db, record_id)
    if kind.id_kind in ("building", "round"):
        from ..models import OrderingRound

        with db.read() as s:
            if kind.id_kind == "building":
                uuid = get(s, "building", record_id).uuid
            else:
                found = s.get(OrderingRound, record_id)
                if found is None:
                    raise InputError(Problem(E_NOT_ROUND, {"id": record_id}))
                uuid = found.uuid
    full = kind.full_data or not masked
    out = Path(out)
    part = out.with_name(out.name + ".part")
    with db.write(need="reveal" if full else "print") as s:
        doc_no = (_record_label(s, kind, record_id) if kind.own_number else "") or \
            make_doc_no(kind.prefix, printed_at, next_doc_seq(s, kind.prefix, printed_at))
        record_event(s, "print-full" if full else "print", kind.audit_table, record_id or None, uuid,
                     note=f"打印{kind.title_zh}（{'含完整个人信息' if full else '脱敏'}）{doc_no}")
        code_uuid = uuid or _record_uuid(s, kind, record_id)
        try:
            with page_progress(progress), page_codes(name, code_uuid):
                common = {"operator": db.operator, "doc_no": doc_no, "printed_at": printed_at}
                pages = kind.render(Request(db, name, record_id, part, common, masked, as_of, round_id, since, start,
                                            end, large))
            register_issued(s, name, kind, record_id, code_uuid, doc_no, pages, masked, printed_at, db.operator)
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
    return pages


def register_issued(session: Session, name: str, kind: DocumentKind, record_id: int | None, uuid: str | None,
                    doc_no: str, pages: int, masked: bool, printed_at: datetime, operator: str) -> None:
    """The printout in the register of printed documents, so a signed copy scanned later finds its record.

    A number printed again (a rectification notice carries its own) keeps one entry, updated to the latest print."""
    from ..models import Base, IssuedDocument

    table = _NAME_FIELDS.get(kind.id_kind, (kind.audit_table,))[0]
    if record_id and uuid is None and table in Base.metadata.tables:
        t = Base.metadata.tables[table]
        uuid = session.execute(select(t.c.uuid).where(t.c.id == record_id)).scalar()
    row = session.scalars(select(IssuedDocument).where(IssuedDocument.doc_no == doc_no)).first()
    if row is None:
        row = IssuedDocument(doc_no=doc_no)
        session.add(row)
    row.kind, row.record_table, row.record_id, row.record_uuid = name, table, record_id or None, uuid
    row.pages, row.masked, row.printed_at, row.operator = pages, masked and not kind.full_data, printed_at, operator
    session.flush()


def next_doc_seq(session: Session, prefix: str, when: datetime) -> int:
    """The next document number of the day for a prefix (HMC-20261122-0001, -0002, ...)."""
    key = settings.doc_seq_key(prefix, when)
    seq = settings.read(session, key) + 1
    settings.write(session, key, seq)
    return seq




# what names a record in a file name, by the kind of record a document is printed for
_NAME_FIELDS = {"notice": ("rectification_notice", "notice_no"), "contract": ("lease_contract", "contract_no"),
                "opinion": ("designer_opinion", "opinion_no"), "meeting": ("meeting", "title"),
                "motion": ("motion", "title"),
                "building": ("building", "name"), "round": ("ordering_round", "title"), "block": ("block", "name"),
                "project": ("project", "name"), "acceptance": ("acceptance", "record_no")}
_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|\n\r\t'})


def _record_value(session: Session, kind: DocumentKind, record_id: int | None, column: str | None = None):
    """A column (`column`, else the one that names it) of the record a document is printed for; None if the
    document is not printed for one record (a list of many, --id 0) or the record is not there."""
    field = _NAME_FIELDS.get(kind.id_kind)
    if not field or not record_id:
        return None
    from ..models import Base

    table = Base.metadata.tables[field[0]]
    return session.execute(select(table.c[column or field[1]]).where(table.c.id == record_id)).scalar()


def _record_label(session: Session, kind: DocumentKind, record_id: int | None) -> str:
    """What names the record a document is printed for (its number, title or name); "" if none."""
    return _record_value(session, kind, record_id) or ""


def _record_uuid(session: Session, kind: DocumentKind, record_id: int | None) -> str | None:
    """The uuid of the one record a document is printed for (its page codes name it)."""
    return _record_value(session, kind, record_id, "uuid")


def suggested_file_name(db: Database, name: str, record_id: int | None, lang: str = "zh") -> str:
    """A file name a person recognises: the document's title and its record, e.g. 整改通知单-ZG-2026-0047.pdf."""
    kind = DOCUMENTS.get(name)
    if kind is None:
        return f"{name}.pdf"
    title = kind.title_zh if lang == "zh" else kind.title_en
    label = ""
    if kind.id_kind in _NAME_FIELDS and record_id:
        with db.read() as s:
            label = _record_label(s, kind, record_id)
    elif not record_id:
        label = "全部" if lang == "zh" else "all"
    stem = f"{title}-{label}" if label else title
    return stem.translate(_UNSAFE)[:120].strip() + ".pdf"
