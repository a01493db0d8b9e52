"""Merging a bundle from another laptop of the same office, in one transaction.

Each incoming record is matched by its UUID and compared with the local one through the version both
laptops last had in common (the "base": `exchange_sync_state` here, `base_updated_at` in the bundle):

- not here: added (unless it was deleted here and not changed there since);
- same `updated_at`: unchanged;
- local version is the common base, incoming newer: updated (fast-forward);
- incoming version is the common base: the local one is newer, skipped;
- otherwise both changed (or no common version is known) and they differ: a conflict, listed in
  `exchange_conflict` with both versions for the user to decide, never overwritten.

Tombstones delete a local record only if it was not changed here since. References are resolved by
UUID to local ids; derived columns (sort and search keys) are rebuilt. A masked bundle never
overwrites personal data here, and brings none (names stay masked, ID numbers and phones empty).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import record_event
from ..db import upsert
from ..models import Attendee, ExchangeConflict, ExchangeLog, Household, SyncState, Unit, utcnow
from ..models.base import Base
from ..problems import InputError, Problem, declare
from ..rules.search import search_text
from ..rules.sorting import natural_key
from . import bundle, spec
from .export import TypeReader

E_MISSING_REF = declare("exchange.missing_ref", "{file} 第 {row} 行：字段 {field} 引用的记录 {uuid} 既不在数据包中也不在本机，"
                        "请先导入包含它的完整数据包（未写入任何数据）",
                        "{file} line {row}: field {field} refers to {uuid}, which is neither in the bundle nor here; "
                        "import a full bundle first (nothing was written)")
E_CONSTRAINT = declare("exchange.constraint", "{file}：与本机数据冲突，无法写入（{detail}）；未写入任何数据",
                       "{file}: clashes with the data here and cannot be written ({detail}); nothing was written")

E_FUTURE = declare("exchange.future_time", "数据包中有 {count} 个时间晚于现在（如 {file} 第 {row} 行的 {field}：{value}）："
                   "可能是伪造的数据包，或对方电脑的时钟有误。请核对后重新导出；未导入任何内容。",
                   "The bundle has {count} times later than now (e.g. {file} line {row}, {field}: {value}): a forged "
                   "bundle, or the other computer's clock is wrong. Check and export again; nothing was imported.")
E_UUID_CLASH = declare("exchange.uuid_clash", "{file} 第 {row} 行：这条{kind}记录的标识（UUID {uuid}）已被{other}记录使用。"
                       "一个标识只能属于一条记录，该数据包可能是伪造的；未导入任何内容。",
                       "{file} line {row}: this {kind_en} record's identity (UUID {uuid}) already belongs to a "
                       "{other_en} record. An identity belongs to one record only; the bundle may be forged. Nothing "
                       "was imported.")
E_DELETIONS = declare("exchange.deletions", "此数据包将删除本机 {count} 条记录（本机共 {local} 条），超过无需确认的数量。请先预演"
                      "核对；确认要删除时，命令行加 --allow-deletions {count}（界面中会询问）。未导入任何内容。",
                      "This bundle would delete {count} records here (of {local}), more than may go unconfirmed. Check "
                      "with a dry run first; to confirm, add --allow-deletions {count} (the window asks). Nothing "
                      "was imported.")

CHUNK = 500
CLOCK_SKEW = timedelta(minutes=10)  # a peer's clock may run this much ahead
DELETIONS_FREE = 20  # an import deleting more records than this needs a confirmation
DELETIONS_HANDFUL, DELETIONS_SHARE = 5, 0.05  # ... and so does one deleting more than a handful and 5 % of them


class DeletionsNeedConfirmation(InputError):
    """An import would delete more records than may go unconfirmed; `count` is the number to confirm."""

    def __init__(self, count: int, local: int):
        super().__init__(Problem(E_DELETIONS, {"count": count, "local": local}))
        self.count = count


def deletions_need_confirmation(deleted: int, local: int) -> bool:
    return deleted > DELETIONS_FREE or (deleted > DELETIONS_HANDFUL and deleted > DELETIONS_SHARE * local)
Progress = Callable[[int, int], None]


@dataclass
class TypeCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # the local version is newer
    conflicts: int = 0
    deleted: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ImportReport:
    path: str
    bundle_sha256: str
    office: str
    peer: str
    personal_data: str
    dry_run: bool
    counts: dict[str, TypeCounts] = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)  # record_type, uuid, fields
    notes: list[str] = field(default_factory=list)
    signer: str = ""  # the fingerprint of the key that signed the bundle
    contents_stored: int = 0  # attachments' contents this database did not have, stored from the bundle

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.counts.values())

    def as_dict(self) -> dict:
        return {"path": self.path, "bundle_sha256": self.bundle_sha256, "office": self.office, "peer": self.peer,
                "personal_data": self.personal_data, "dry_run": self.dry_run, "signer": self.signer,
                "totals": {k: self.total(k) for k in ("added", "updated", "unchanged", "skipped", "conflicts",
                                                       "deleted")},
                "counts": {k: v.as_dict() for k, v in self.counts.items() if any(v.as_dict().values())},
                "attachment_files_stored": self.contents_stored, "conflicts": self.conflicts, "notes": self.notes}


class _DryRun(Exception):
    pass


def _parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _model_for(table: str) -> type:
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table:
            return mapper.class_
    raise KeyError(table)


ORDER = {rt.table.name: i for i, rt in enumerate(spec.RECORD_TYPES)}


class Merger:
    """Applies incoming records to one open write session."""

    def __init__(self, session: Session, masked: bool, peer: str):
        self.s, self.masked, self.peer = session, masked, peer
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)  # table -> uuid -> local id
        self.deferred: list[tuple] = []  # (obj, column, target table, uuid, record type, field, record)
        self.keep_time: dict[tuple[type, int], datetime] = {}  # records whose updated_at must not move
        self.touched_households: set[int] = set()
        self.touched_attendees: set[int] = set()
        self.bases: dict[str, str] = {}  # record uuid -> new base
        self.where: dict[str, tuple[str, int]] = {}  # uuid -> (file, line) for messages

    # --- references ------------------------------------------------------------------------
    def prefetch(self, table: str, uuids: set[str]) -> None:
        known = self.ids[table]
        missing = [u for u in uuids if u not in known]
        model = _model_for(table)
        for i in range(0, len(missing), CHUNK):
            part = missing[i:i + CHUNK]
            for rid, u in self.s.execute(select(model.id, model.uuid).where(model.uuid.in_(part))):
                known[u] = rid

    def resolve(self, rt: spec.RecordType, f: spec.Field, value: str, rec: dict) -> int:
        rid = self.ids[f.target].get(value)
        if rid is None:
            file, row = self.where.get(rec["uuid"], (bundle.data_path(rt.name), 0))
            raise InputError(Problem(E_MISSING_REF, {"file": file, "row": row, "field": f.name, "uuid": value}))
        return rid

    def _refs_of(self, rt: spec.RecordType, records: list[dict]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for f in spec.fields(rt):
            if f.kind == "ref":
                wanted[f.target].update(r[f.name] for r in records if r[f.name])
            elif f.kind == "owner":  # the owner's table is the record's own owner_table
                for r in records:
                    wanted[r[rt.owner[0]]].add(r[f.name])
            elif f.kind == "reflist":
                for r in records:
                    wanted[f.target].update(r[f.name])
            elif f.kind == "objects":
                for r in records:
                    wanted["menu_item"].update(o["item_uuid"] for o in r[f.name])
        for table, uuids in wanted.items():
            self.prefetch(table, uuids)

    # --- values ----------------------------------------------------------------------------
    def column_values(self, rt: spec.RecordType, rec: dict, obj: Any, personal: bool) -> dict[str, Any]:
        """Column values for the model from an incoming record (links and deferred refs handled apart)."""
        values: dict[str, Any] = {}
        for f in spec.fields(rt):
            if not f.column or f.kind == "uuid":
                continue
            if f.personal and not personal:
                continue
            v = rec[f.name]
            if f.kind == "ref":
                if v is None:
                    values[f.column] = None
                elif ORDER.get(f.target, -1) >= ORDER[rt.table.name] and v not in self.ids[f.target]:
                    values[f.column] = None
                    self.deferred.append((obj, f.column, f.target, v, rt, f, rec))
                else:
                    values[f.column] = self.resolve(rt, f, v, rec)
            elif f.kind == "owner":  # every owner type comes before the attachments: read already
                values[f.column] = self.resolve(rt, spec.Field(f.name, "ref", f.column, rec[rt.owner[0]]), v, rec)
            elif f.kind == "reflist":
                values[f.column] = ",".join(str(self.resolve(rt, f, u, rec)) for u in v)
            elif v is None:
                values[f.column] = None
            elif f.kind == "utc":
                values[f.column] = _parse_utc(v)
            elif f.kind == "datetime":
                values[f.column] = datetime.fromisoformat(v)
            elif f.kind == "date":
                values[f.column] = date.fromisoformat(v)
            elif f.kind == "decimal":
                values[f.column] = Decimal(v)
            elif self.masked and f.personal in (spec.MASK_ID, spec.MASK_PHONE):
                values[f.column] = None  # a masked value is no value
            else:
                values[f.column] = v
        if "sort_key" in rt.exclude and "name" in values:
            values["sort_key"] = natural_key(values["name"])
        return values

    def set_links(self, rt: spec.RecordType, rec: dict, parent_id: int, fresh: bool = False) -> None:
        for f in spec.fields(rt):
            link = f.link
            if link is None:
                continue
            model = _model_for(link.table)
            if not fresh:  # a new record has no link rows yet
                for old in self.s.scalars(select(model).where(getattr(model, link.parent_column) == parent_id)):
                    self.s.delete(old)
                self.s.flush()
            for value in rec[f.name]:
                row = {link.parent_column: parent_id}
                if link.columns:
                    for name, column in link.columns:
                        targets = dict(link.object_targets)
                        if column in targets:
                            tf = spec.Field(name, "ref", column, targets[column])
                            row[column] = self.resolve(rt, tf, value[name], rec)
                        else:
                            row[column] = value[name]
                elif link.target:
                    row[link.column] = self.resolve(rt, spec.Field(f.name, "ref", link.column, link.target), value, rec)
                else:
                    row[link.column] = value
                self.s.add(model(**row))

    # --- applying --------------------------------------------------------------------------
    def add(self, rt: spec.RecordType, rec: dict) -> Any:
        model = rt.model
        obj = model()
        values = self.column_values(rt, rec, obj, personal=True)
        for key, value in values.items():
            setattr(obj, key, value)
        obj.uuid = rec["uuid"]
        self.s.add(obj)
        return obj

    def update(self, rt: spec.RecordType, rec: dict, rid: int) -> Any:
        obj = self.s.get(rt.model, rid)
        values = self.column_values(rt, rec, obj, personal=not self.masked)
        for key, value in values.items():
            setattr(obj, key, value)
        return obj

    def links_differ(self, local: dict | None, rec: dict, rt: spec.RecordType) -> bool:
        return any(f.link is not None and (local is None or local.get(f.name) != rec[f.name])
                   for f in spec.fields(rt))

    def after_write(self, rt: spec.RecordType, obj: Any) -> None:
        if rt.name == "households":
            self.touched_households.add(obj.id)
        elif rt.name == "people" and obj.household_id:
            self.touched_households.add(obj.household_id)
        elif rt.name == "meeting_attendees":
            self.touched_attendees.add(obj.id)

    def _deferred_by_id(self) -> None:
        self.deferred = [(type(obj), obj.id, *rest) if not isinstance(obj, type) else (obj, *rest)
                         for obj, *rest in self.deferred]

    def detach(self) -> None:
        """Forget the ORM objects written so far (all flushed); late references keep (model, id)."""
        self._deferred_by_id()
        self.s.expunge_all()

    def keep(self, obj: Any) -> None:
        self.keep_time.setdefault((type(obj), obj.id), obj.updated_at)

    def finish(self) -> None:
        self.s.flush()
        self._deferred_by_id()
        for model, rid, column, target, value, rt, f, rec in self.deferred:
            obj = self.s.get(model, rid)
            self.prefetch(target, {value})
            self.keep(obj)
            setattr(obj, column, self.resolve(rt, f, value, rec))
        self.deferred.clear()
        self.s.flush()
        if self.touched_households:
            self.refresh_households(self.touched_households)
        if self.touched_attendees:
            ids = list(self.touched_attendees)
            for i in range(0, len(ids), CHUNK):
                for a in self.s.scalars(select(Attendee).where(Attendee.id.in_(ids[i:i + CHUNK]))):
                    self.keep(a)
                    text = self.s.scalar(select(Household.search_text).where(Household.id == a.household_id)) \
                        if a.household_id else ""
                    a.search_text = search_text(a.name, a.phone) + "\x1f" + (text or "")
        self.s.flush()

    def refresh_households(self, ids: set[int]) -> None:
        from sqlalchemy.orm import joinedload, selectinload

        from ..rules.search import derived_for

        ordered = sorted(ids)
        for i in range(0, len(ordered), CHUNK):
            query = (select(Household).where(Household.id.in_(ordered[i:i + CHUNK]))
                     .options(selectinload(Household.people), joinedload(Household.unit).joinedload(Unit.building)))
            for h in self.s.scalars(query):
                self.keep(h)
                unit = h.unit
                h.sort_key, h.search_text = derived_for(unit.building.name, unit.name, h.room,
                                                        [(p.name, p.phone) for p in h.people], unit.building.address)

    def restore_times(self) -> None:
        """Rebuilt keys and late references must not make a record look changed here: its updated_at
        stays the exchanged one."""
        from sqlalchemy import update

        self.s.flush()
        for (model, rid), when in self.keep_time.items():
            self.s.execute(update(model).where(model.id == rid).values(updated_at=when)
                           .execution_options(synchronize_session=False))
        self.keep_time.clear()

    def set_bases(self) -> None:
        if not self.bases:
            return
        now = utcnow()
        rows = [{"record_uuid": u, "table_name": t, "base_updated_at": b, "peer": self.peer, "synced_at": now}
                for u, (t, b) in self.bases.items()]
        for i in range(0, len(rows), CHUNK):
            upsert(self.s, SyncState, rows[i:i + CHUNK], "record_uuid",
                   ("base_updated_at", "peer", "synced_at", "table_name"))
        self.bases.clear()


def _local_state(s: Session, rt: spec.RecordType, uuids: list[str]) -> dict[str, tuple[int, str, str | None]]:
    """uuid -> (id, updated_at as exchanged, base) for the local records among `uuids`."""
    model = rt.model
    out = {}
    for i in range(0, len(uuids), CHUNK):
        part = uuids[i:i + CHUNK]
        rows = s.execute(select(model.id, model.uuid, model.updated_at, SyncState.base_updated_at)
                         .outerjoin(SyncState, SyncState.record_uuid == model.uuid).where(model.uuid.in_(part)))
        for rid, u, updated, base in rows:
            out[u] = (rid, exchange_time(updated), base)
    return out


def exchange_time(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _normalise_time(text: str | None) -> str | None:
    return None if text is None else exchange_time(_parse_utc(text))


def _deleted_here(s: Session, table: str, uuids: list[str]) -> dict[str, str]:
    from ..models import AuditEntry
    from sqlalchemy import func

    out = {}
    for i in range(0, len(uuids), CHUNK):
        part = uuids[i:i + CHUNK]
        for u, at in s.execute(select(AuditEntry.record_uuid, func.max(AuditEntry.at))
                               .where(AuditEntry.action == "delete", AuditEntry.table_name == table,
                                      AuditEntry.record_uuid.in_(part)).group_by(AuditEntry.record_uuid)):
            out[u] = exchange_time(at)
    return out


def _comparable(rt: spec.RecordType, rec: dict | None, masked: bool) -> dict | None:
    if rec is None:
        return None
    skip = {"created_at", "updated_at", "base_updated_at"}
    if masked:
        skip |= {f.name for f in spec.fields(rt) if f.personal}
    return {k: v for k, v in rec.items() if k not in skip}


def _fixed_changed(rt: spec.RecordType, local: dict | None, incoming: dict) -> list[str]:
    """The fields of a type with only some editable fields (spec.RecordType.editable) that a newer version changes
    but may not."""
    if rt.editable is None or local is None:
        return []
    free = {"created_at", "updated_at", "base_updated_at", *rt.editable}
    return [k for k in incoming if k not in free and local.get(k) != incoming[k]]


def _local_record(s: Session, rt: spec.RecordType, uuid: str) -> dict | None:
    return TypeReader(rt, full=True).one(s.connection(), uuid)


def _save_conflict(s: Session, rt: spec.RecordType, uuid: str, local: dict | None, incoming: dict | None,
                   peer: str, sha: str, masked: bool) -> None:
    c = s.scalar(select(ExchangeConflict).where(ExchangeConflict.record_uuid == uuid,
                                                ExchangeConflict.resolved_at.is_(None)))
    if c is None:
        c = ExchangeConflict(record_type=rt.name, record_uuid=uuid)
        s.add(c)
    c.peer, c.bundle_sha256, c.incoming_personal_masked, c.detected_at = peer, sha, masked, utcnow()
    c.local_json = json.dumps(local, ensure_ascii=False) if local is not None else None
    c.incoming_json = json.dumps(incoming, ensure_ascii=False) if incoming is not None else None


def check_times(loaded: bundle.LoadedBundle, now: datetime | None = None) -> None:
    """No time later than now (a little skew allowed): a record dated 9999 would beat every later edit here."""
    limit = (now or utcnow()) + CLOCK_SKEW
    found, first = 0, None
    for name, records in loaded.records.items():
        for row, rec in enumerate(records, start=1):
            for key in ("updated_at", "created_at", "base_updated_at"):
                value = rec.get(key)
                if value and _later(value, limit):
                    found += 1
                    first = first or (bundle.data_path(name), row, key, value)
    for row, t in enumerate(loaded.tombstones, start=1):
        if t.get("deleted_at") and _later(t["deleted_at"], limit):
            found += 1
            first = first or (bundle.data_path("tombstones"), row, "deleted_at", t["deleted_at"])
    if found:
        file, row, key, value = first
        raise InputError(Problem(E_FUTURE, {"count": found, "file": file, "row": row, "field": key,
                                            "value": str(value)[:40]}))


def _later(value: str, limit: datetime) -> bool:
    try:
        return _parse_utc(str(value)) > limit
    except (ValueError, OverflowError):
        return False  # not a time: the schema check has already refused what it must


def _check_uuids(s: Session, loaded: bundle.LoadedBundle) -> None:
    """A UUID names one record: not two types in the bundle, nor a record here of another type."""
    owner: dict[str, tuple[spec.RecordType, int]] = {}
    for rt in spec.RECORD_TYPES:
        for row, rec in enumerate(loaded.records[rt.name], start=1):
            u = rec["uuid"]
            if u in owner and owner[u][0] is not rt:
                raise _clash(rt, row, u, owner[u][0])
            owner.setdefault(u, (rt, row))
    if not owner:
        return
    uuids = list(owner)
    for other in spec.RECORD_TYPES:
        column = other.model.uuid
        for i in range(0, len(uuids), CHUNK):
            for (u,) in s.execute(select(column).where(column.in_(uuids[i:i + CHUNK]))):
                rt, row = owner[u]
                if rt.table.name != other.table.name:
                    raise _clash(rt, row, u, other)


def _clash(rt: spec.RecordType, row: int, uuid: str, other: spec.RecordType) -> InputError:
    return InputError(Problem(E_UUID_CLASH, {"file": bundle.data_path(rt.name), "row": row, "kind": rt.zh,
                                             "kind_en": rt.en, "uuid": uuid, "other": other.zh, "other_en": other.en}))


def _local_total(s: Session) -> int:
    from sqlalchemy import func

    return sum(s.scalar(select(func.count()).select_from(rt.table)) or 0 for rt in spec.RECORD_TYPES)


def import_bundle(db, path: Path, dry_run: bool = False, progress: Progress | None = None,
                  allow_deletions: int | None = None, trusted: Callable[[str], bool] | None = None,
                  on_trusted: Callable[[Session, str, str], Any] | None = None) -> ImportReport:
    """Verify the bundle (refused with the reason if it fails), then merge it in one transaction.

    Refused with nothing written: a signer `trusted(fingerprint)` does not accept (signing.UntrustedKey), times
    later than now, a UUID another record type uses, and more deletions than may go unconfirmed unless
    `allow_deletions` covers them (DeletionsNeedConfirmation says how many; a dry run only notes it).
    `on_trusted(session, fingerprint, label)` runs in the import's transaction (the key trusted with it)."""
    loaded = bundle.load_bundle(path, trusted, db.blobs.has)  # every attachment's content checked, nothing written yet
    try:
        return _import_loaded(db, path, loaded, dry_run, progress, allow_deletions, on_trusted)
    finally:
        loaded.close()


def _import_loaded(db, path: Path, loaded: bundle.LoadedBundle, dry_run: bool, progress: Progress | None,
                   allow_deletions: int | None, on_trusted) -> ImportReport:
    check_times(loaded)
    m = loaded.manifest
    peer = f"{m['office'] or m['operator']}（{m['instance_id'][:8]}）"
    report = ImportReport(str(path), loaded.manifest_sha256, m["office"], peer, m["personal_data"], dry_run,
                          signer=loaded.signer.fingerprint if loaded.signer else "")
    if loaded.masked:
        report.notes.append("数据包中的个人信息已遮蔽：本机已有的姓名、证件号和电话保持不变，新增人员不带证件号和电话。")
    total = sum(len(v) for v in loaded.records.values()) + len(loaded.tombstones)
    try:
        with db.write(note=f"导入数据包 {Path(path).name}") as s:
            if on_trusted is not None and loaded.signer is not None:
                on_trusted(s, loaded.signer.fingerprint, peer)
            _check_uuids(s, loaded)
            local_before = _local_total(s) if loaded.tombstones else 0
            _merge(s, loaded, report, peer, total, progress)
            deleted = report.total("deleted")
            if deletions_need_confirmation(deleted, local_before):
                if dry_run:
                    report.notes.append(f"将删除本机 {deleted} 条记录：正式导入时需要确认（命令行 --allow-deletions {deleted}）。")
                elif allow_deletions is None or allow_deletions < deleted:
                    raise DeletionsNeedConfirmation(deleted, local_before)
            s.add(ExchangeLog(direction="import", operator=db.operator, recipient=m["office"],
                              purpose=m["purpose"], full_personal_data=not loaded.masked,
                              since=_parse_utc(m["period"]["since"]) if m["period"]["since"] else None,
                              until=_parse_utc(m["period"]["until"]),
                              counts=json.dumps(report.as_dict()["totals"], ensure_ascii=False),
                              bundle_sha256=loaded.manifest_sha256, path=str(path), peer_instance=m["instance_id"]))
            record_event(s, "import", "exchange_log", note=f"导入数据包 {Path(path).name}（来自 {peer}）",
                         after={**report.as_dict()["totals"], "signer": report.signer})
            if dry_run:
                raise _DryRun()
            # the contents last, before the commit: nothing of them is kept for an import refused above, and no
            # attachment row is committed without its content (stored once per SHA-256, as when attached here)
            report.contents_stored = _store_contents(db, loaded)
    except _DryRun:
        pass
    return report


def _store_contents(db, loaded: bundle.LoadedBundle) -> int:
    """The bundle's checked attachment contents that this database lacks, into its store (db.blobs); how many."""
    stored = 0
    for sha in dict.fromkeys(r["sha256"] for r in loaded.records.get(spec.ATTACHMENTS, ())):
        source = loaded.contents.get(sha)
        if source is not None and not db.blobs.has(sha):
            db.blobs.put(sha, source)
            stored += 1
    return stored


def _merge(s: Session, loaded: bundle.LoadedBundle, report: ImportReport, peer: str, total: int,
           progress: Progress | None) -> None:
    merger = Merger(s, loaded.masked, peer)
    done = 0
    for rt in spec.RECORD_TYPES:
        records = loaded.records[rt.name]
        counts = report.counts.setdefault(rt.name, TypeCounts())
        if not records:
            continue
        file = bundle.data_path(rt.name)
        for line, rec in enumerate(records, start=1):
            merger.where[rec["uuid"]] = (file, line)
        uuids = [r["uuid"] for r in records]
        local = _local_state(s, rt, uuids)
        for u, (rid, _t, _b) in local.items():
            merger.ids[rt.table.name][u] = rid
        deleted = _deleted_here(s, rt.table.name, [u for u in uuids if u not in local])
        merger._refs_of(rt, records)
        written = []
        autoflush, s.autoflush = s.autoflush, False  # one flush per record type, not one per query
        for rec in records:
            u, incoming_ts = rec["uuid"], _normalise_time(rec["updated_at"])
            state = local.get(u)
            if state is None:
                gone = deleted.get(u)
                if gone is not None:
                    base = s.scalar(select(SyncState.base_updated_at).where(SyncState.record_uuid == u))
                    agreed = (_normalise_time(base), _normalise_time(rec["base_updated_at"]))
                if gone is not None and (incoming_ts <= gone or incoming_ts in agreed):
                    counts.skipped += 1
                    continue
                if gone is not None:
                    counts.conflicts += 1
                    report.conflicts.append({"record_type": rt.name, "uuid": u, "fields": ["(本机已删除)"]})
                    _save_conflict(s, rt, u, None, rec, peer, report.bundle_sha256, loaded.masked)
                    continue
                obj = merger.add(rt, rec)
                written.append((rec, obj))
                counts.added += 1
                merger.bases[u] = (rt.table.name, incoming_ts)
                continue
            rid, local_ts, local_base = state
            bases = {b for b in (_normalise_time(local_base), _normalise_time(rec["base_updated_at"])) if b}
            if incoming_ts == local_ts:
                counts.unchanged += 1
                merger.bases[u] = (rt.table.name, incoming_ts)
            elif local_ts in bases:
                fixed = _fixed_changed(rt, _local_record(s, rt, u), rec) if incoming_ts > local_ts else []
                if fixed:  # an attachment's file or owner "changed": never applied, listed for the user
                    counts.conflicts += 1
                    report.conflicts.append({"record_type": rt.name, "uuid": u, "fields": fixed})
                    _save_conflict(s, rt, u, _local_record(s, rt, u), rec, peer, report.bundle_sha256, loaded.masked)
                elif incoming_ts > local_ts:
                    local_rec = _local_record(s, rt, u)
                    obj = merger.update(rt, rec, rid)
                    written.append((rec, obj, local_rec))
                    counts.updated += 1
                    merger.bases[u] = (rt.table.name, incoming_ts)
                else:
                    counts.skipped += 1
            elif incoming_ts in bases:
                counts.skipped += 1  # only this laptop changed it
            else:
                local_rec = _local_record(s, rt, u)
                if _comparable(rt, local_rec, loaded.masked) == _comparable(rt, rec, loaded.masked):
                    counts.unchanged += 1
                    merger.bases[u] = (rt.table.name, max(incoming_ts, local_ts))
                else:
                    counts.conflicts += 1
                    a, b = _comparable(rt, local_rec, loaded.masked), _comparable(rt, rec, loaded.masked)
                    report.conflicts.append({"record_type": rt.name, "uuid": u,
                                             "fields": [k for k in b if a.get(k) != b.get(k)]})
                    _save_conflict(s, rt, u, local_rec, rec, peer, report.bundle_sha256, loaded.masked)
        s.autoflush = autoflush
        try:
            s.flush()
        except IntegrityError as exc:
            raise InputError(Problem(E_CONSTRAINT, {"file": file, "detail": str(exc.orig)[:200]})) from exc
        with s.no_autoflush:
            for item in written:
                rec, obj = item[0], item[1]
                merger.ids[rt.table.name][rec["uuid"]] = obj.id
                fresh = len(item) == 2
                local_rec = None if fresh else item[2]
                if merger.links_differ(local_rec, rec, rt):
                    merger.set_links(rt, rec, obj.id, fresh=fresh)
                merger.after_write(rt, obj)
        try:
            s.flush()
        except IntegrityError as exc:
            raise InputError(Problem(E_CONSTRAINT, {"file": file, "detail": str(exc.orig)[:200]})) from exc
        merger.detach()  # keep the session small: a 200,000-record import must not slow down as it goes
        done += len(records)
        if progress is not None:
            progress(done, total)
    try:
        merger.finish()
        _apply_tombstones(s, loaded, report, merger, peer)
        merger.set_bases()
        merger.restore_times()
    except IntegrityError as exc:
        raise InputError(Problem(E_CONSTRAINT, {"file": "data", "detail": str(exc.orig)[:200]})) from exc
    if progress is not None:
        progress(total, total)


def _apply_tombstones(s: Session, loaded: bundle.LoadedBundle, report: ImportReport, merger: Merger,
                      peer: str) -> None:
    for t in loaded.tombstones:
        rt = spec.BY_NAME[t["record_type"]]
        counts = report.counts.setdefault(rt.name, TypeCounts())
        state = _local_state(s, rt, [t["uuid"]]).get(t["uuid"])
        if state is None:
            continue
        rid, local_ts, base = state
        deleted_at = _normalise_time(t["deleted_at"])
        if local_ts <= deleted_at or local_ts == _normalise_time(base):
            obj = s.get(rt.model, rid)
            try:
                with s.begin_nested():
                    s.delete(obj)
                    s.flush()
            except IntegrityError:
                counts.skipped += 1
                report.notes.append(f"{rt.zh} {t['uuid']}：对方已删除，但本机仍有记录引用它，未删除。")
                continue
            counts.deleted += 1
            s.execute(delete(SyncState).where(SyncState.record_uuid == t["uuid"]))
        else:
            counts.conflicts += 1
            local_rec = _local_record(s, rt, t["uuid"])
            report.conflicts.append({"record_type": rt.name, "uuid": t["uuid"], "fields": ["(对方已删除)"]})
            _save_conflict(s, rt, t["uuid"], local_rec, None, peer, report.bundle_sha256, loaded.masked)


def settle(s: Session, conflict: ExchangeConflict, choice: str) -> None:
    """Apply a user's decision on one conflict inside the caller's transaction."""
    rt = spec.BY_NAME[conflict.record_type]
    incoming = json.loads(conflict.incoming_json) if conflict.incoming_json else None
    state = _local_state(s, rt, [conflict.record_uuid]).get(conflict.record_uuid)
    merger = Merger(s, conflict.incoming_personal_masked, conflict.peer)
    if choice == "local":
        if state is not None:
            obj = s.get(rt.model, state[0])
            obj.updated_at = utcnow()  # this version is now the newer one and travels back
        if incoming is not None:
            merger.bases[conflict.record_uuid] = (rt.table.name, _normalise_time(incoming["updated_at"]))
            merger.set_bases()
        return
    if incoming is None:
        if state is not None:
            s.delete(s.get(rt.model, state[0]))
            s.flush()
        s.execute(delete(SyncState).where(SyncState.record_uuid == conflict.record_uuid))
        return
    merger._refs_of(rt, [incoming])
    if state is None:
        obj = merger.add(rt, incoming)
        local_rec = None
    else:
        local_rec = _local_record(s, rt, conflict.record_uuid)
        obj = merger.update(rt, incoming, state[0])
    s.flush()
    merger.ids[rt.table.name][incoming["uuid"]] = obj.id
    if merger.links_differ(local_rec, incoming, rt):
        merger.set_links(rt, incoming, obj.id)
    merger.after_write(rt, obj)
    ts = _normalise_time(incoming["updated_at"])
    merger.bases[conflict.record_uuid] = (rt.table.name, ts)
    merger.finish()
    merger.set_bases()
    merger.restore_times()
