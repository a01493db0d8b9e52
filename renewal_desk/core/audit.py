"""The audit log: every insert, update and delete, written in the same transaction as the change.

Sessions made by `Database.session()` carry the operator in `session.info["operator"]`; a flush
collects the before/after of every changed record and inserts the audit rows on the same
connection, so a rolled-back change leaves no audit entry and a committed one always has one.

Tamper evidence: every entry carries `chain`, the SHA-256 of a canonical encoding of its own fields and the
previous entry's `chain` (ids are given here, contiguous from 1). Every row is appended by `append()` inside
the writer's transaction (BEGIN IMMEDIATE: one writer at a time, so the tail read there is the real tail);
`verify_chain()` walks the log and names the first missing, changed or foreign entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select, text
from sqlalchemy.orm import Session

from .models import AuditEntry, Base
from .models.base import utcnow
from .problems import declare, render

NOT_AUDITED = {"audit_log", "setting"}


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Base) -> list[str]:
    exclude = set(getattr(obj, "__audit_exclude__", ()))
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in exclude]


def snapshot(obj: Base) -> dict[str, Any]:
    return {key: _plain(getattr(obj, key)) for key in _columns(obj)}


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # json.dumps with options builds one per call


def _dump(data: dict[str, Any] | None) -> str | None:
    return None if data is None else _ENCODER.encode(data)


def _operator(session: Session) -> str:
    return session.info.get("operator") or "system"


def _before_flush(session: Session, flush_context, instances) -> None:
    # Before values of dirty objects must be taken before the flush overwrites the history.
    pending = session.info.setdefault("_audit_pending", [])
    for obj in session.dirty:
        if obj.__table__.name in NOT_AUDITED or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        before, after = {}, {}
        for key in _columns(obj):
            hist = state.attrs[key].history
            if hist.has_changes():
                before[key] = _plain(hist.deleted[0]) if hist.deleted else None
                after[key] = _plain(hist.added[0]) if hist.added else None
        if after:
            pending.append(("update", obj, before, after))
    for obj in session.deleted:
        if obj.__table__.name not in NOT_AUDITED:
            pending.append(("delete", obj, snapshot(obj), None))
    for obj in session.new:
        if obj.__table__.name not in NOT_AUDITED:
            pending.append(("insert", obj, None, None))


def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.pop("_audit_pending", [])
    if not pending:
        return
    now, operator = utcnow(), _operator(session)
    rows = []
    for action, obj, before, after in pending:
        if action == "insert":
            after = snapshot(obj)  # keys are assigned now
        rows.append({
            "at": now, "operator": operator, "action": action, "table_name": obj.__table__.name,
            "record_id": getattr(obj, "id", None), "record_uuid": getattr(obj, "uuid", None),
            "before": _dump(before), "after": _dump(after), "note": session.info.get("audit_note", ""),
        })
    append(session.connection(), rows)


def _after_rollback(session: Session) -> None:
    session.info.pop("_audit_pending", None)


def bulk_delete(session: Session, model, where) -> int:
    """Delete many rows in one statement, each audited with its full before-image (same transaction).

    For cascades too large for the ORM (a block with 10,000 households): one SELECT, one executemany
    of audit rows, one DELETE.
    """
    table = model.__table__
    exclude = set(getattr(model, "__audit_exclude__", ()))
    rows = session.execute(select(table).where(where)).mappings().all()
    if not rows:
        return 0
    now, operator = utcnow(), _operator(session)
    append(session.connection(), [{
        "at": now, "operator": operator, "action": "delete", "table_name": table.name, "record_id": row.get("id"),
        "record_uuid": row.get("uuid"), "before": _dump({k: _plain(v) for k, v in row.items() if k not in exclude}),
        "after": None, "note": session.info.get("audit_note", ""),
    } for row in rows])
    session.execute(delete(table).where(where))
    return len(rows)


def bulk_insert(session: Session, model, rows: list[dict[str, Any]]) -> None:
    """Insert many rows in one executemany, each audited as the flush would audit it: one insert
    entry per row with its after-image (same columns, same JSON), in the same transaction.

    For imports too large for the ORM (a roster of 10,000 rows). Every row must carry every column,
    its `id` included (the audit entry names it)."""
    if not rows:
        return
    table = model.__table__
    exclude = set(getattr(model, "__audit_exclude__", ()))
    attrs = inspect(model).column_attrs
    keys = [c.key for c in attrs if c.key not in exclude]
    columns = {c.key: c.columns[0].name for c in attrs}
    connection = session.connection()
    given = list(rows[0])
    _executemany(connection, table, [columns[k] for k in given], [[row[k] for k in given] for row in rows])
    now, operator, note = utcnow(), _operator(session), session.info.get("audit_note", "")
    entries = _chained(connection, [{
        "at": now, "operator": operator, "action": "insert", "table_name": table.name, "record_id": row.get("id"),
        "record_uuid": row.get("uuid"), "before": None, "after": _dump({k: _plain(row[k]) for k in keys}),
        "note": note} for row in rows])
    _executemany(connection, AuditEntry.__table__, list(ENTRY_FIELDS) + ["chain"],
                 [[e[k] for k in ENTRY_FIELDS] + [e["chain"]] for e in entries])


def _executemany(connection, table, names: list[str], rows: list[list[Any]]) -> None:
    """INSERT rows (values in the order of `names`) with one DB-API executemany on the session's
    connection, each value converted by its column type's bind processor, as Core's executemany
    converts it, without Core's per-row parameter bookkeeping (a third of a 10,000-row import).
    Falls back to Core when a column left out has a Python-side default or the driver is not qmark."""
    dialect = connection.dialect
    cols = [table.c[name] for name in names]
    left_out = [c for c in table.c if c.name not in names and c.default is not None]
    if dialect.paramstyle != "qmark" or left_out or len(set(names)) != len(names):
        connection.execute(insert(table), [dict(zip(names, row)) for row in rows])
        return
    for i, col in enumerate(cols):
        process = col.type._cached_bind_processor(dialect)
        if process is not None:
            for row in rows:
                row[i] = process(row[i])
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    connection.exec_driver_sql(sql, [tuple(row) for row in rows])


def install(session_factory) -> None:
    event.listen(session_factory, "before_flush", _before_flush)
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "after_soft_rollback", lambda s, t: _after_rollback(s))


def record_event(session: Session, action: str, table_name: str, record_id: int | None = None,
                 record_uuid: str | None = None, note: str = "", after: dict[str, Any] | None = None) -> None:
    """Log something that is not a row change: a reveal of full personal data, an import, a restore.

    Appended at once (chained after the entries flushed so far) on the session's transaction."""
    append(session.connection(), [{"at": utcnow(), "operator": _operator(session), "action": action,
                                   "table_name": table_name, "record_id": record_id, "record_uuid": record_uuid,
                                   "before": None, "after": _dump(after), "note": note}])


# --- the hash chain ----------------------------------------------------------------------------------
ENTRY_FIELDS = ("id", "at", "operator", "action", "table_name", "record_id", "record_uuid", "before", "after", "note")
GENESIS = "0" * 64  # the "previous hash" of entry 1
_CHAIN_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _canonical_at(at: datetime | str | None) -> str | None:
    if isinstance(at, datetime):
        at = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)
        return at.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return at


def entry_hash(entry: Mapping[str, Any], previous: str) -> str:
    """SHA-256 (hex) of one entry's fields in a fixed order, as JSON, followed by the previous entry's hash."""
    values = [entry["id"], _canonical_at(entry["at"]), *(entry[k] for k in ENTRY_FIELDS[2:]), previous]
    return hashlib.sha256(_CHAIN_ENCODER.encode(values).encode("utf-8")).hexdigest()


def tail(connection) -> tuple[int, str]:
    """(id, chain) of the newest entry, (0, GENESIS) for an empty log."""
    row = connection.execute(text("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1")).first()
    return (0, GENESIS) if row is None else (row[0], row[1] or "")


def _chained(connection, entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    last_id, previous = tail(connection)
    out = []
    for entry in entries:
        last_id += 1
        entry["id"] = last_id
        entry["chain"] = previous = entry_hash(entry, previous)
        out.append(entry)
    return out


def append(connection, entries: Iterable[dict[str, Any]]) -> int:
    """Insert audit entries (dicts of ENTRY_FIELDS without id) after the current tail, chained; returns the
    last id. Must run inside the writer's transaction."""
    rows = _chained(connection, entries)
    if rows:
        connection.execute(insert(AuditEntry), rows)
    return rows[-1]["id"] if rows else tail(connection)[0]


E_CHAIN_GAP = declare("audit.chain_gap", "审计日志缺少第 {first}–{last} 条记录（被删除）。",
                      "The audit log is missing entries {first}–{last} (deleted).")
E_CHAIN_BROKEN = declare("audit.chain_broken", "审计日志第 {id} 条记录与哈希链不符（被改动，或在程序之外写入）。",
                         "Audit entry {id} does not match the hash chain (changed, or written outside the program).")
E_CHAIN_TRIGGERS = declare("audit.chain_triggers", "审计日志的只追加保护（数据库触发器 {names}）已被删除。",
                           "The audit log's append-only protection (database triggers {names}) was removed.")


@dataclass
class ChainReport:
    ok: bool
    entries: int
    first_broken: int | None = None  # id of the first entry that is missing or does not match
    code: str = ""
    params: dict[str, Any] | None = None

    def message(self, lang: str = "zh") -> str:
        if self.ok:
            return (f"审计日志完整（{self.entries} 条，哈希链一致）" if not lang.startswith("en") else
                    f"audit log intact ({self.entries} entries, hash chain consistent)")
        return render(self.code, self.params or {}, lang)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "first_broken": self.first_broken,
                "problem": None if self.ok else self.message("zh"),
                "problem_en": None if self.ok else self.message("en")}


def verify_chain(connection, missing_triggers: Iterable[str] = ()) -> ChainReport:
    """Walk the log in id order: ids contiguous from 1, each hash over its own fields and the previous hash;
    `missing_triggers` are the append-only triggers the engine does not have (core.db asks the engine, which
    keeps its triggers in its own catalogue). The first failure is reported."""
    count = 0
    missing = list(missing_triggers)
    table = AuditEntry.__table__
    columns = [table.c[k] for k in ENTRY_FIELDS] + [table.c.chain]
    expected_id, previous = 1, GENESIS
    result = connection.execution_options(stream_results=True, yield_per=5000).execute(
        select(*columns).order_by(table.c.id))
    broken: ChainReport | None = None
    for row in result:
        count += 1
        if broken is not None:
            continue
        entry = row._mapping
        if entry["id"] != expected_id:
            broken = ChainReport(False, 0, expected_id, E_CHAIN_GAP, {"first": expected_id, "last": entry["id"] - 1})
        elif entry["chain"] != entry_hash(entry, previous):
            broken = ChainReport(False, 0, entry["id"], E_CHAIN_BROKEN, {"id": entry["id"]})
        expected_id, previous = entry["id"] + 1, entry["chain"] or ""
    result.close()
    if broken is not None:
        broken.entries = count
        return broken
    if missing:
        return ChainReport(False, count, None, E_CHAIN_TRIGGERS, {"names": "、".join(missing)})
    return ChainReport(True, count)


def carry_forward(connection, source: Path) -> tuple[int, int | None]:
    """Append to this log the entries of `source` (the database a restore replaced) it does not have.

    The restored log is usually a prefix of the replaced one (the backup was taken from it): then the
    entries after it are appended with their own ids and hashes unchanged. Otherwise the entries from where
    the two logs first differ are appended after this log's tail, re-chained. Returns (entries carried,
    the first carried entry's id in `source`). A source whose log cannot be read carries nothing."""
    import sqlite3

    from . import cipher

    try:
        con = cipher.connect_any(source, read_only=True)  # an encrypted database's copy is encrypted too
        names = {r[1] for r in con.execute("PRAGMA table_info(audit_log)")}
    except (sqlite3.Error, cipher.Error, cipher.CipherError):
        return 0, None
    try:
        if not set(ENTRY_FIELDS) <= names:
            return 0, None
        chain = "chain" if "chain" in names else "NULL"
        here_id, here_chain = tail(connection)
        start = 1  # the first source id not known to be in this log
        if here_id:
            row = con.execute(f"SELECT {chain} FROM audit_log WHERE id = ?", (here_id,)).fetchone()
            if row is not None and row[0] and row[0] == here_chain:
                start = here_id + 1  # a prefix: carry the rest as it is
            else:
                start = _first_difference(connection, con, chain)
        carried, first = 0, None
        cursor = con.execute(f"SELECT {', '.join(ENTRY_FIELDS)} FROM audit_log WHERE id >= ? ORDER BY id", (start,))
        while True:
            rows = cursor.fetchmany(5000)
            if not rows:
                break
            first = rows[0][0] if first is None else first
            entries = []
            for row in rows:
                entry = dict(zip(ENTRY_FIELDS, row))
                del entry["id"]
                if isinstance(entry["at"], str):  # SQLite's text, read as UtcDateTime reads it
                    entry["at"] = datetime.fromisoformat(entry["at"]).replace(tzinfo=timezone.utc)
                entries.append(entry)
            append(connection, entries)
            carried += len(rows)
        return carried, first
    except sqlite3.Error:
        return 0, None
    finally:
        con.close()


def _first_difference(connection, source, chain: str) -> int:
    """The first id at which `source`'s log differs from this one (compared by hash, else by content)."""
    here = connection.execute(text(f"SELECT {', '.join(ENTRY_FIELDS)}, chain FROM audit_log ORDER BY id"))
    there = source.execute(f"SELECT {', '.join(ENTRY_FIELDS)}, {chain} FROM audit_log ORDER BY id")
    expected = 1
    for mine, theirs in zip(here, there):
        if mine[0] != expected or theirs[0] != expected:
            break
        if (mine[-1] and theirs[-1] and mine[-1] != theirs[-1]) or tuple(mine[1:-1]) != tuple(theirs[1:-1]):
            break
        expected += 1
    here.close()
    return expected
