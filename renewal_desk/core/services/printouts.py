"""Printouts: gather a document's data from the database and render it with core.printing.

`print_document(db, "building-roster", building_id, out)` is what both the CLI and the UI call.
Printing full (unmasked) personal data is a staff action and is written to the audit log.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import record_event
from ..db import Database
from .. import settings
from ..models import PROTECTION_LABELS, Household, Person
from ..printing import DOCUMENTS as TITLES
from ..printing import lease as lp
from ..printing.roster import BuildingRoster, RosterHousehold, render_building_roster
from ..printing.template import make_doc_no, page_codes, page_progress
from ..problems import InputError, Problem, declare
from ..settings import office_profile
from .places import get

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

@dataclass(frozen=True)
class DocumentKind:
    title_zh: str
    title_en: str
    id_kind: str  # what --id names
    prefix: str  # document number prefix
    audit_table: str
    full_data: bool  # the document itself carries full personal data (signed by the parties)


# name -> (what --id names, document number prefix, audited table, carries full personal data)
_KINDS = {
    "building-roster": ("building", "HMC", "building", False),
    "lease-contract": ("contract", lp.CONTRACT_PREFIX, "lease_contract", True),  # the parties sign it
    "rent-schedule": ("contract", lp.SCHEDULE_PREFIX, "lease_contract", False),
    "rent-statement": ("contract", lp.STATEMENT_PREFIX, "lease_contract", False),
    "storage-register": ("all", lp.REGISTER_PREFIX, "stored_house", False),  # --id 0
    "ordering-form": ("building", "DDB", "building", False),  # the building's latest round, or --round
    "ordering-notice": ("round", "DDGS", "ordering_round", False),
    "ordering-followup": ("round", "DDZF", "ordering_round", False),
    "meeting-notice": ("meeting", "HYTZ", "meeting", False),
    "sign-in-sheet": ("meeting", "QDB", "meeting", False),  # phones masked unless --full
    "meeting-minutes": ("meeting", "HYJL", "meeting", False),
    "resolution-notice": ("meeting", "JYGS", "meeting", False),  # posted publicly: always masked
    "ballot": ("motion", "BJP", "motion", False),  # one named ballot per voter; --large: 大字版
    "personal-notice": ("meeting", "GRTZ", "meeting", False),  # one per invitee, with a sign-in code
    "designer-opinion": ("opinion", "JZYJ", "designer_opinion", False),
    "designer-journal": ("block", "JZJL", "block", False),  # --as-of: period end; --since: its start
    "rectification-notice": ("notice", "ZGTZ", "rectification_notice", False),
    "inspection-log": ("project", "XCJL", "inspection", False),  # --id 0: every project; --from/--to
    "acceptance-form": ("acceptance", "YSJL", "acceptance", False),
    "supervision-report": ("project", "JDBG", "supervision_problem", False),  # --id 0: every project
}
DOCUMENTS: dict[str, DocumentKind] = {name: DocumentKind(*TITLES[name], *kind) for name, kind in _KINDS.items()}
# Documents whose record has its own number, printed as their 文书编号 (one number on the sheet, the one
# the party quotes back): the rectification notice is numbered when issued (ZG-2026-0047).
OWN_NUMBER = {"rectification-notice"}


def building_roster_data(db: Database, building_id: int) -> BuildingRoster:
    with db.read() as s:
        building = get(s, "building", building_id)
        block = building.block
        counts = dict(s.execute(select(Person.household_id, func.count()).join(Household)
                                .where(Household.unit_id.in_([u.id for u in building.units]))
                                .group_by(Person.household_id)).all())
        households = []
        for h in s.scalars(select(Household).where(Household.unit_id.in_([u.id for u in building.units]))
                           .order_by(Household.sort_key)):
            head = next((p for p in h.people if p.is_head), None)
            households.append(RosterHousehold(h.unit.name, h.room, head.name if head else "",
                                              head.id_number if head else None, head.phone if head else None,
                                              h.area, h.area_source, counts.get(h.id, 0), h.note))
        return BuildingRoster(block.project.name, block.name, building.name, building.address, households)


def _protection(code: str) -> str:
    """A house's protection class as printed: its Chinese label (stored as a code since 0023)."""
    return PROTECTION_LABELS.get(code, (code,))[0]


def _lessor_names(view) -> str:
    return "、".join(name for _pid, name, _idn, _phone in view.lessors)


def _render_ordering(db: Database, name: str, record_id: int, out: Path, common: dict, round_id: int | None) -> int:
    from ..models import TIER_LABELS
    from ..printing import ordering as op
    from . import ordering

    def tier(code: str) -> str:  # printed in Chinese
        return TIER_LABELS[code][0] if code in TIER_LABELS else code

    if name == "ordering-form":
        if round_id is None:
            round_id = ordering.latest_round_of_building(db, record_id)
        view = ordering.round_view(db, round_id)
        menu = [op.MenuLine(m.name, tier(m.tier), m.mandatory, m.consent_scope) for m in ordering.menu(db, view.project_id)]
        roster = building_roster_data(db, record_id)
        homes = [op.FormHousehold(roster.building, h.unit, h.room, h.head_name) for h in roster.households]
        return op.render_ordering_forms(out, op.FormsDoc(view.project, view.title, view.closes_on, menu, homes), **common)
    view = ordering.round_view(db, record_id)
    if name == "ordering-followup":
        lines = [op.FollowupLine(m.building, m.unit, m.room, m.head_name, m.phone)
                 for m in ordering.non_respondents(db, record_id)]
        return op.render_followup(out, op.FollowupDoc(view.project, view.title, lines), **common)
    tally = ordering.tallies(db, record_id)
    tallies = [op.TallyLine(tier(t.item.tier), t.rank_in_tier, t.item.name, t.households, t.share_all, t.share_answered,
                            t.share_area) for t in tally.items]
    consents = []
    for line in ordering.consent_results(db, record_id):
        r = line.result
        if r is None:  # could not be counted (e.g. one owner's units voted differently): shown, not dropped
            zero, none = Decimal(0), Fraction(0)
            consents.append(op.ConsentLineDoc(line.scope_label, line.item.name, 0, zero, 0, zero, none, none, 0, 0, 0,
                                              zero, zero, zero, "", False, line.problem))
            continue
        consents.append(op.ConsentLineDoc(
            line.scope_label, line.item.name, r.eligible_owners, r.eligible_area, r.participating_owners,
            r.participating_area, r.participation_owner_share, r.participation_area_share, r.yes_owners,
            r.no_owners, r.abstain_owners, r.yes_area, r.no_area, r.abstain_area, r.rule.name_zh, r.passed,
            "；".join(r.reasons)))
    start, end = ordering.notice_period(view)
    return op.render_ordering_notice(out, op.NoticeDoc(
        view.project, view.title, tally.eligible, tally.answered, tally.eligible_area, tally.answered_area, start,
        end, "社区居委会办公室", tallies, consents,
        office_profile(db).seal or ordering.project_org(db, view.project_id)), **common)


def _render(db: Database, name: str, record_id: int, out: Path, doc_no: str, masked: bool, printed_at: datetime,
            as_of: date, round_id: int | None = None, since: date | None = None,
            period: tuple[date | None, date | None] = (None, None), large: bool = False) -> int:
    """Load one document's data and write it; every loader reads through the services."""
    from . import leases, supervision_docs

    common = {"operator": db.operator, "doc_no": doc_no, "printed_at": printed_at}
    if name.startswith("designer-"):
        from . import designer

        return designer.render_printout(db, name, record_id, out, common, since=since, until=as_of)
    if name in supervision_docs.DOCS:
        return supervision_docs.render(db, name, record_id, out, common, as_of, *period)
    if name.startswith("ordering-"):
        return _render_ordering(db, name, record_id, out, common, round_id)
    if DOCUMENTS[name].id_kind in ("meeting", "motion"):
        from . import meeting_docs

        return meeting_docs.render(db, name, record_id, out, common, masked, as_of, large=large)
    if name == "building-roster":
        return render_building_roster(out, building_roster_data(db, record_id), masked=masked, **common)
    if name == "storage-register":
        rows = [lp.RegisterRow(h.address, list(h.owners), h.area, _protection(h.protection), h.condition, h.restoration,
                               h.business, h.lease_end, h.contract_no) for h in leases.house_rows(db, as_of)]
        return lp.render_storage_register(out, lp.RegisterDoc(leases.lessee_org(db), rows), **common)
    office = office_profile(db)  # the lessee's details and seal, where the contract did not record them
    # A lease contract is signed by its lessors: printed with their full ID numbers (its print-full entry is
    # written by print_document); other lease documents show none.
    view = leases.contract_view(db, record_id, full=name == "lease-contract")
    t = view.terms
    if name == "lease-contract":
        house = leases.house_detail(db, view.house_id)
        lessors = [lp.Party(n, idn, phone, leases.person_address(db, pid)) for pid, n, idn, phone in view.lessors]
        lessee = lp.Party(view.lessee_name or office.name or leases.lessee_org(db), None, office.phone or None,
                          view.lessee_address or office.address, view.lessee_representative or office.head)
        doc = lp.ContractDoc(view.contract_no, view.version, lessors, lessee, view.house_address, house.area,
                             house.structure, house.fixtures, _protection(house.protection), t.uses, t.start, view.end,
                             t.term_months, t.base_annual_rent_fen, t.step_percent, t.step_interval_years,
                             t.compounding, t.frequency, t.due_day, t.deposit_fen, t.sublet_consent,
                             t.improvement_consent, t.renewal_terms, t.early_termination, years=view.years,
                             lessee_seal=office.seal if lessee.name in (office.name, office.seal) else "")
        return lp.render_lease_contract(out, doc, **common)
    if name == "rent-schedule":
        doc = lp.ScheduleDoc(view.contract_no, view.house_address, _lessor_names(view), t.start, view.end,
                             t.term_months, lp.step_rule_text(t.step_percent, t.step_interval_years, t.compounding),
                             view.years, view.instalments, view.total_fen, seal=office.seal)
        return lp.render_rent_schedule(out, doc, **common)
    account = view.account(as_of)
    lines = [lp.StatementLine(st.instalment.due_date, st.instalment.amount_fen, st.paid_fen, st.open_fen,
                              st.days_overdue) for st in account.states if st.instalment.due_date <= as_of]
    payments = [lp.PaymentLine(p.paid_on, p.amount_fen, p.method, p.reference) for p in view.payments
                if not p.voided and p.paid_on <= as_of]
    doc = lp.StatementDoc(view.contract_no, view.house_address, _lessor_names(view), as_of, lines, payments,
                          account.due_fen, account.paid_fen, account.arrears_fen, account.credit_fen, account.ageing,
                          seal=office.seal)
    return lp.render_rent_statement(out, doc, **common)


# Printouts with a period (the CLI's --from/--to, --since/--as-of): how a chosen (start, end) is passed.
# "range": a period from start to end; "as_of": one date (the statement date), the period's end.
PERIODS = {"inspection-log": "range", "supervision-report": "range", "designer-journal": "range",
           "rent-statement": "as_of"}
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
    if name == "designer-journal":
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
    if name in ("ballot", "personal-notice"):
        from . import meeting_docs

        meeting_docs.prepare_papers(db, name, record_id)
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
        doc_no = (_record_label(s, kind, record_id) if name in OWN_NUMBER else "") or \
            make_doc_no(kind.prefix, printed_at, next_doc_seq(s, kind.prefix, printed_at))
        record_event(s, "print-full" if full else "print", kind.audit_table, record_id or None, uuid,
                     note=f"打印{kind.title_zh}（{'含完整个人信息' if full else '脱敏'}）{doc_no}")
        code_uuid = uuid or _record_uuid(s, kind, record_id)
        try:
            with page_progress(progress), page_codes(name, code_uuid):
                pages = _render(db, name, record_id, part, doc_no, masked, printed_at, as_of, round_id, since,
                                (start, end), large)
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
