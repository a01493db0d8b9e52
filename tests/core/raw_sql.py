"""Plain SQL for a test's own checks, on either engine (the app's ? placeholders work on both): each
statement is its own short transaction and its rows are read at once, like sqlite3's autocommit reads."""

from __future__ import annotations


class Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


class RawSql:
    def __init__(self, db):
        self._conn = db.engine.connect()

    def execute(self, sql: str, params=()) -> Rows:
        try:
            result = self._conn.exec_driver_sql(sql, tuple(params)) if params else self._conn.exec_driver_sql(sql)
            rows = Rows(tuple(r) for r in result) if result.returns_rows else Rows()
            self._conn.commit()
            return rows
        except BaseException:
            self._conn.rollback()
            raise

    def close(self) -> None:
        self._conn.close()


def connect(db) -> RawSql:
    return RawSql(db)


def damage_content(db, sha256: str, data: bytes | None) -> None:
    """An attachment's stored content replaced by `data` (None: removed) behind the app's back, on either engine:
    the file beside a database file, or the server's attachment_content row (and this laptop's cached copy)."""
    from renewal_desk.core.services.attachments import stored_path

    if db.url is None:
        path = stored_path(db, sha256)
        path.unlink() if data is None else path.write_bytes(data)
        return
    raw = connect(db)
    try:
        if data is None:
            raw.execute("DELETE FROM attachment_content WHERE sha256 = ?", (sha256,))
        else:
            raw.execute("UPDATE attachment_content SET content = ?, size = ? WHERE sha256 = ?",
                        (data, len(data), sha256))
    finally:
        raw.close()
    stored_path(db, sha256).unlink(missing_ok=True)
