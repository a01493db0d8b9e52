"""Export to municipal systems and exchange between laptops: what users do with bundles.

- `export_bundle`: write a `renewal-desk-export` v1 bundle (everything, since a date, or since the last
  export to the same recipient), log it, and audit a full-personal-data export with its purpose;
- `import_bundle`: verify and merge a bundle from another laptop in one transaction (exchange.merge);
- `export_history`, `open_conflicts`, `resolve_conflict`: the UI's history and conflict list.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import select

from .. import audit
from ..audit import record_event
from ..db import Database, driver_statement
from ..exchange import merge, signing
from ..exchange.export import (Cancelled, ExportCancelled, ExportPlan, ExportResult, Progress, check_target,
                               write_bundle)
from .. import settings
from ..models import ExchangeConflict, ExchangeLog, utcnow
from ..problems import InputError, Problem, declare
from . import events, keys
from .events import Topic

DeletionsNeedConfirmation = merge.DeletionsNeedConfirmation
UntrustedKey = signing.UntrustedKey

__all__ = ["DeletionsNeedConfirmation", "UntrustedKey", "ExportCancelled", "ExportResult", "export_bundle", "import_bundle", "export_history", "open_conflicts",
           "resolve_conflict", "last_export_to", "ConflictView", "HistoryRow"]

INSTANCE_SETTING = settings.INSTANCE_ID.key
E_FULL_NEEDS = declare("exchange.full_needs", "导出完整个人信息必须写明接收方和用途",
                       "Exporting full personal data needs the recipient and the purpose")
E_CONFLICT_GONE = declare("exchange.conflict_gone", "冲突记录 {id} 不存在或已处理", "Conflict {id} does not exist or was settled")
E_CHOICE = declare("exchange.choice", "请选择保留本机版本或采用导入版本", "Choose to keep the local version or take the incoming one")


def instance_id(db: Database) -> str:
    """This database's identity in bundles (created on first use)."""
    with db.read() as s:
        found = settings.read(s, INSTANCE_SETTING)
    if found:
        return found
    with db.write() as s:
        found = settings.read(s, INSTANCE_SETTING)
        if not found:
            found = str(uuidlib.uuid4())
            settings.write(s, INSTANCE_SETTING, found)
        return found


def since_from_date(day: date) -> datetime:
    """A --since DATE means from the start of that day (UTC)."""
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def last_export_to(db: Database, recipient: str) -> datetime | None:
    """When the data of the last export to this recipient was read (the next one starts there)."""
    if not recipient:
        return None
    with db.read() as s:
        return s.scalar(select(ExchangeLog.until).where(ExchangeLog.direction == "export",
                                                        ExchangeLog.recipient == recipient)
                        .order_by(ExchangeLog.until.desc()).limit(1))


def export_bundle(db: Database, out: Path, *, since: date | datetime | None = None, recipient: str = "",
                  full_personal_data: bool = False, purpose: str = "", since_last: bool = True,
                  progress: Progress | None = None, cancelled: Cancelled | None = None) -> ExportResult:
    """Write a bundle to `out` (a new folder, or a .zip file). Without `since`, and with a recipient
    exported to before (and `since_last`), only the changes since that export are written."""
    recipient, purpose = recipient.strip(), purpose.strip()
    db.require("export")  # before anything is written: a bundle is a copy of the data
    if full_personal_data:
        db.require("reveal")
    if full_personal_data and (not recipient or not purpose):
        raise InputError(Problem(E_FULL_NEEDS))
    db.check_output(out, folder_ok=True)  # never onto the database's own files, backups or attachments
    out = check_target(out)
    if isinstance(since, datetime):
        start = since
    elif isinstance(since, date):
        start = since_from_date(since)
    else:
        start = last_export_to(db, recipient) if since_last else None
    from .leases import lessee_org

    plan = ExportPlan(since=start, recipient=recipient, purpose=purpose, full_personal_data=full_personal_data,
                      operator=db.operator, office=lessee_org(db), instance_id=instance_id(db),
                      content=db.blobs.get)  # a full bundle carries its attachments' contents
    with db.engine.connect() as conn:
        with conn.begin():  # one snapshot for every table, the figures included
            head_id, head_hash = audit.tail(conn)
            plan.audit_head = {"id": head_id, "sha256": head_hash} if head_id and head_hash else None
            plan.derived["ordering_results"] = lambda: ordering_results(db, conn)
            result = write_bundle(conn, out, plan, progress, cancelled)
    try:
        with db.write(note=f"导出数据包 {out.name}") as s:
            s.add(ExchangeLog(direction="export", operator=db.operator, recipient=recipient, purpose=purpose,
                              full_personal_data=full_personal_data, since=start,
                              until=datetime.fromisoformat(result.manifest["period"]["until"]),
                              counts=json.dumps({**result.counts, "tombstones": result.tombstones,
                                                 "attachment_files": result.content_files}, ensure_ascii=False),
                              bundle_sha256=result.bundle_sha256, path=str(result.path)))
            record_event(s, "export", "exchange_log", note=f"导出数据包至 {recipient or '（未写接收方）'}",
                         after={"path": str(result.path), "recipient": recipient, "purpose": purpose,
                                "full_personal_data": full_personal_data, "bundle_sha256": result.bundle_sha256,
                                "records": sum(result.counts.values()), "signer": signing.own_fingerprint()})
    except BaseException:
        _remove(result.path)  # no bundle without its log entry
        raise
    events.announce(Topic.EXCHANGE, [])
    return result


def _fraction(value) -> str:
    """A share as a decimal string, 4 places, half up."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def ordering_results(db: Database, conn=None) -> list[dict]:
    """The published figures of every ordering round, per menu item (the bundle's ordering_results):
    the figures ordering.tallies shows (a test compares them on every round), computed here with plain
    SQL from the export's own snapshot `conn` (one read transaction for records and figures) and
    without the per-building and per-unit breakdowns the bundle does not carry."""
    if conn is None:
        with db.engine.connect() as own:
            with own.begin():
                return ordering_results(db, own)
    from ..models import Tier
    from . import ordering

    driver = conn.connection.driver_connection

    class raw:  # the driver's own cursor (fast for a million choices), hand-written SQL in its placeholder style
        @staticmethod
        def execute(sql: str, params=()):
            return driver.execute(driver_statement(conn, sql), tuple(params))

    tier_order = {t.value: i for i, t in enumerate(Tier)}
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    rows = []
    for round_id, round_uuid, project_id, building_ids in raw.execute(
            "SELECT id, uuid, project_id, building_ids FROM ordering_round ORDER BY id").fetchall():
        # the households in scope (ordering._scope_query) with their areas (ordering._household_lines)
        sql = ("SELECT h.id, h.area FROM household h JOIN unit u ON u.id = h.unit_id "
               "JOIN building b ON b.id = u.building_id JOIN block k ON k.id = b.block_id "
               "WHERE k.project_id = ? AND h.is_vacant = ?")
        params: list = [project_id, False]
        ids = [int(x) for x in (building_ids or "").split(",") if x]
        if ids:
            sql += f" AND b.id IN ({', '.join('?' * len(ids))})"
            params += ids
        area_of = {hid: Decimal(area) if area is not None else Decimal(0) for hid, area in raw.execute(sql, params)}
        eligible_area = sum(area_of.values(), Decimal(0))
        answered = {hid for (hid,) in raw.execute("SELECT household_id FROM household_order WHERE round_id = ?",
                                                  (round_id,)) if hid in area_of}
        chosen: dict[int, list] = defaultdict(list)  # item -> (household, priority) of the yes choices in scope
        cursor = raw.execute("SELECT c.item_id, o.household_id, c.priority FROM order_choice c "
                             "JOIN household_order o ON o.id = c.order_id WHERE o.round_id = ? AND c.vote = 'yes' "
                             "ORDER BY c.id", (round_id,))
        while batch := cursor.fetchmany(20000):
            for item_id, household_id, priority in batch:
                if household_id in area_of:
                    chosen[item_id].append((household_id, priority))
        items = raw.execute("SELECT id, uuid, name, tier, position, retired FROM menu_item WHERE project_id = ?",
                            (project_id,)).fetchall()
        items.sort(key=lambda m: (tier_order.get(m[3], 9), m[4], m[0]))  # ordering.menu's order
        result = []
        for item_id, item_uuid, name, tier, position, retired in items:
            pairs = chosen.get(item_id, [])
            if retired and not pairs:
                continue
            households = {h for h, _p in pairs}
            area = sum((area_of[h] for h in households), Decimal(0))
            counts = Counter(p for _h, p in pairs)
            result.append({"item_uuid": item_uuid, "item_name": name, "tier": tier, "position": position,
                           "households": len(households), "area": area,
                           "priorities": [counts.get(1, 0), counts.get(2, 0), counts.get(3, 0)]})
        for tier in {r["tier"] for r in result}:  # ordering.tallies' rank within the tier
            ranked = sorted((r for r in result if r["tier"] == tier), key=lambda r: (-r["households"], r["position"]))
            for rank, r in enumerate(ranked, start=1):
                r["rank"] = rank
        eligible, n_answered = len(area_of), len(answered)
        for r in result:
            n = r["households"]
            rows.append({
                "round_uuid": round_uuid, "item_uuid": r["item_uuid"], "item_name": r["item_name"],
                "tier": r["tier"], "eligible_households": eligible, "answered_households": n_answered,
                "households": n, "share_of_all": _fraction(ordering.share(n, eligible)),
                "share_of_answered": _fraction(ordering.share(n, n_answered)), "area": format(r["area"], "f"),
                "share_of_area": _fraction(ordering.share(r["area"], eligible_area)),
                "priority_1": r["priorities"][0], "priority_2": r["priorities"][1], "priority_3": r["priorities"][2],
                "rank_in_tier": r["rank"], "computed_at": now})
    return rows


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


def import_bundle(db: Database, path: Path, *, dry_run: bool = False, progress: Progress | None = None,
                  allow_deletions: int | None = None, trust: str | None = None) -> merge.ImportReport:
    """Merge a bundle signed by a key this database trusts (or by this computer's own key). `trust` names
    the fingerprint the administrator has checked with the sender: that key is trusted with this import
    (audited), in its transaction; a bundle signed by any other key is still refused (UntrustedKey)."""
    if not dry_run:
        db.require("export")  # merging another laptop's records changes data in bulk
    if trust:
        db.require("trust")
        trust = keys.fingerprint_of(trust)

    def trusted(fingerprint: str) -> bool:
        return fingerprint == trust or keys.is_trusted(db, fingerprint)

    def on_trusted(s, fingerprint: str, label: str) -> None:
        if fingerprint == trust and not keys.is_trusted(db, fingerprint):
            keys.trust_in(s, db.operator, fingerprint, label)

    report = merge.import_bundle(db, Path(path), dry_run=dry_run, progress=progress, allow_deletions=allow_deletions,
                                 trusted=trusted, on_trusted=on_trusted if trust else None)
    if not dry_run:
        events.announce(Topic.EXCHANGE, [])
        events.announce(Topic.HOUSEHOLDS, [])
    return report


@dataclass(frozen=True)
class HistoryRow:
    id: int
    direction: str
    at: datetime
    operator: str
    recipient: str
    purpose: str
    full_personal_data: bool
    since: datetime | None
    records: int
    counts: dict
    bundle_sha256: str
    path: str


def export_history(db: Database, limit: int = 200) -> list[HistoryRow]:
    with db.read() as s:
        rows = s.scalars(select(ExchangeLog).order_by(ExchangeLog.at.desc(), ExchangeLog.id.desc()).limit(limit))
        out = []
        for r in rows:
            counts = json.loads(r.counts or "{}")
            records = sum(v for k, v in counts.items() if isinstance(v, int) and k != "tombstones")
            out.append(HistoryRow(r.id, r.direction, r.at, r.operator, r.recipient, r.purpose, r.full_personal_data,
                                  r.since, records, counts, r.bundle_sha256, r.path))
        return out


@dataclass(frozen=True)
class ConflictView:
    id: int
    record_type: str
    type_label: str
    record_uuid: str
    peer: str
    detected_at: datetime
    local: dict | None
    incoming: dict | None

    def differing_fields(self) -> list[str]:
        if self.local is None or self.incoming is None:
            return []
        return [k for k in self.incoming if k not in ("created_at", "updated_at", "base_updated_at")
                and self.local.get(k) != self.incoming.get(k)]


def open_conflicts(db: Database) -> list[ConflictView]:
    from ..exchange import spec

    with db.read() as s:
        rows = s.scalars(select(ExchangeConflict).where(ExchangeConflict.resolved_at.is_(None))
                         .order_by(ExchangeConflict.id))
        return [ConflictView(c.id, c.record_type, spec.BY_NAME[c.record_type].zh, c.record_uuid, c.peer,
                             c.detected_at, json.loads(c.local_json) if c.local_json else None,
                             json.loads(c.incoming_json) if c.incoming_json else None) for c in rows]


def resolve_conflict(db: Database, conflict_id: int, choice: str) -> None:
    """Settle one conflict: "local" keeps this laptop's version (and makes it the newer one, so it travels
    back), "incoming" takes the other laptop's version (or its deletion). Audited."""
    if choice not in ("local", "incoming"):
        raise InputError(Problem(E_CHOICE))
    with db.write(note="处理数据包冲突") as s:
        c = s.get(ExchangeConflict, conflict_id)
        if c is None or c.resolved_at is not None:
            raise InputError(Problem(E_CONFLICT_GONE, {"id": conflict_id}))
        merge.settle(s, c, choice)
        c.resolved_at, c.resolution, c.resolved_by = utcnow(), choice, db.operator
        record_event(s, "resolve_conflict", c.record_type, record_uuid=c.record_uuid,
                     note=f"冲突处理：{'保留本机版本' if choice == 'local' else '采用导入版本'}",
                     after={"conflict_id": c.id, "choice": choice, "peer": c.peer})
    events.announce(Topic.EXCHANGE, [])
    events.announce(Topic.HOUSEHOLDS, [])
