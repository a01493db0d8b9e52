"""The audit log: every insert, update and delete, written in the same transaction as the change.

Sessions made by `Database.session()` carry the operator in `session.info["operator"]`; a flush
collects the before/after of every changed record and inserts the audit rows on the same
connection, so a rolled-back change leaves no audit entry and a committed one always has one.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from .models import AuditEntry, Base
from .models.base import utcnow

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
    session.connection().execute(insert(AuditEntry), rows)


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
    session.execute(insert(AuditEntry), [{
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
    _executemany(connection, AuditEntry.__table__,
                 ["at", "operator", "action", "table_name", "record_id", "record_uuid", "before", "after", "note"],
                 [[now, operator, "insert", table.name, row.get("id"), row.get("uuid"), None,
                   _dump({k: _plain(row[k]) for k in keys}), note] for row in rows])


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
    """Log something that is not a row change: a reveal of full personal data, an import, a restore."""
    session.add(AuditEntry(operator=_operator(session), action=action, table_name=table_name,
                           record_id=record_id, record_uuid=record_uuid, note=note, after=_dump(after)))
