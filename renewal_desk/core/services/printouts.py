"""Printouts: gather a document's data from the database and render it with core.printing.

`print_document(db, "building-roster", building_id, out)` is what both the CLI and the UI call.
Printing full (unmasked) personal data is a staff action and is written to the audit log.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import record_event
from ..db import Database
from ..models import Household, Person, Setting
from ..printing.roster import BuildingRoster, RosterHousehold, render_building_roster
from ..printing.template import make_doc_no
from ..problems import InputError, Problem, declare
from .places import get

E_UNKNOWN_DOC = declare("print.unknown", "未知的文书类型：{name}", "Unknown document type: {name}")

DOCUMENTS: dict[str, tuple[str, str, str]] = {
    # name -> (Chinese title, English title, kind of id it takes)
    "building-roster": ("楼栋住户花名册", "Building roster", "building"),
}


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


def print_document(db: Database, name: str, record_id: int, out: str | Path, *, masked: bool = True,
                   printed_at: datetime | None = None) -> int:
    """Render a document to a PDF file; returns its page count."""
    if name not in DOCUMENTS:
        raise InputError(Problem(E_UNKNOWN_DOC, {"name": name}, value=name))
    printed_at = printed_at or datetime.now()
    with db.read() as s:
        building = get(s, "building", record_id)
        uuid = building.uuid
    data = building_roster_data(db, record_id)
    out = Path(out)
    part = out.with_name(out.name + ".part")
    # One transaction: the number is taken and the printing logged only if the PDF is really written.
    with db.write() as s:
        doc_no = make_doc_no("HMC", printed_at, next_doc_seq(s, "HMC", printed_at))
        record_event(s, "print" if masked else "print-full", "building", record_id, uuid,
                     note=f"打印{DOCUMENTS[name][0]}（{'脱敏' if masked else '含完整个人信息'}）{doc_no}")
        try:
            pages = render_building_roster(part, data, operator=db.operator, doc_no=doc_no, masked=masked,
                                           printed_at=printed_at)
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
    return pages


def next_doc_seq(session: Session, prefix: str, when: datetime) -> int:
    """The next document number of the day for a prefix (HMC-20261122-0001, -0002, ...)."""
    key = f"docseq:{prefix}:{when:%Y%m%d}"
    setting = session.get(Setting, key)
    seq = (json.loads(setting.value) if setting else 0) + 1
    if setting is None:
        session.add(Setting(key=key, value=json.dumps(seq)))
    else:
        setting.value = json.dumps(seq)
    return seq


