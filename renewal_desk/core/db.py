"""Opening, upgrading, checking and backing up a Renewal Desk database (SQLite through SQLAlchemy).

- Every connection runs with WAL, foreign keys on, synchronous=FULL and a busy timeout.
- A new file is created by the Alembic migrations in db/ (never `create_all` on a user's file).
- An older file is backed up, then upgraded in one transaction; a newer one is refused.
- A file that is not SQLite, or damaged, is refused with a clear message and never overwritten.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import re

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import audit, backup, cipher, guard
from .paths import migrations_dir
from .schema import _alembic_config, _revision_graph, head_revision, known_revisions  # noqa: F401 - db's API
from .problems import CodedError, declare
from .rules import access

SQLITE_MAGIC = b"SQLite format 3\x00"

E_NOT_FOUND = declare("db.not_found", "数据库文件不存在：{path}", "Database file not found: {path}")
E_NOT_SQLITE = declare("db.not_sqlite", "该文件不是 Renewal Desk 数据库（不是 SQLite 文件）：{path}",
                       "This file is not a Renewal Desk database (not an SQLite file): {path}")
E_DAMAGED = declare("db.damaged", "数据库文件已损坏，无法打开：{path}（{detail}）。请从备份恢复。",
                    "The database file is damaged and cannot be opened: {path} ({detail}). Restore it from a backup.")
E_NEWER = declare("db.newer", "该数据库由更新版本的街区更新议事台创建（结构版本 {found}），本程序只认识到 {known}。"
                  "请升级程序后再打开；文件未作任何修改。",
                  "This database was written by a newer version of Renewal Desk (schema {found}); this program "
                  "knows up to {known}. Upgrade the program to open it; the file was not changed.")
E_FOREIGN = declare("db.foreign", "该 SQLite 文件不是 Renewal Desk 数据库：{path}",
                    "This SQLite file is not a Renewal Desk database: {path}")
E_READ_ONLY = declare("db.read_only", "数据库文件或所在文件夹只读，无法写入：{path}",
                      "The database file or its folder is read-only: {path}")
E_CANNOT_OPEN = declare("db.cannot_open", "无法打开数据库文件：{path}（文件夹只读或没有权限）。文件未作任何修改。",
                        "Cannot open the database file: {path} (read-only folder or no permission). Nothing was changed.")
E_DISK_FULL = declare("db.disk_full", "磁盘已满，本次修改未保存：{path}", "The disk is full; this change was not saved: {path}")
E_WRITE_FAILED = declare("db.write_failed", "无法写入磁盘（磁盘已满、文件大小受限或存储设备出错），本次修改未保存，"
                         "数据保持修改前的状态：{path}",
                         "Could not write to the disk (disk full, file size limit or a device error); this change was "
                         "not saved and the data is as it was before: {path}")
E_TRUNCATED = declare("db.truncated", "数据库文件不完整（被截断：只有 {size} 字节，应为 {expected} 字节），无法打开：{path}。"
                      "请从备份恢复；文件未作任何修改。",
                      "The database file is incomplete (truncated: {size} of {expected} bytes) and cannot be opened: "
                      "{path}. Restore it from a backup; the file was not changed.")
E_IN_USE = declare("db.in_use", "数据库正被另一个程序占用，请稍后再试：{path}",
                   "The database is in use by another program; try again shortly: {path}")


E_OUT_EXISTS = declare("file.out_exists", "文件已存在：{path}。未写入任何内容；如需替换它，请确认覆盖（命令行加 --force）。",
                       "The file already exists: {path}. Nothing was written; to replace it, confirm the overwrite "
                       "(--force on the command line).")
E_OUT_PROTECTED = declare("file.out_protected", "不能写到这里：{path} 是{what}，写入会毁掉数据。请另选文件名；未写入任何内容。",
                          "Cannot write there: {path} is {what_en}; writing would destroy data. Choose another "
                          "file name; nothing was written.")
E_OUT_FOLDER = declare("file.out_folder", "无法写入文件：{path}（是文件夹，或所在文件夹不存在、只读）。未写入任何内容。",
                       "Cannot write the file: {path} (it is a folder, or its folder is missing or read-only). "
                       "Nothing was written.")
E_URL = declare("db.url", "不支持这个数据库地址：{url}。街区更新议事台只使用本机的数据库文件（例如 /home/用户/desk.sqlite），"
                "尚不支持 PostgreSQL 等数据库服务器；未创建任何文件。",
                "This database address is not supported: {url}. Renewal Desk uses a database file on this computer "
                "(e.g. /home/user/desk.sqlite); database servers such as PostgreSQL are not supported yet. Nothing "
                "was created.")
E_IS_FOLDER = declare("db.is_folder", "这是一个文件夹，不是数据库文件：{path}。请给出数据库文件的路径（例如 {path}/desk.sqlite）；"
                      "未创建任何文件。",
                      "This is a folder, not a database file: {path}. Give the path of the database file (e.g. "
                      "{path}/desk.sqlite); nothing was created.")
E_NO_FOLDER = declare("db.no_folder", "无法在这里新建数据库：{path}（所在文件夹只读、没有权限或路径中有文件挡住）。"
                      "请另选位置；未创建任何文件。",
                      "Cannot create a database here: {path} (its folder is read-only, not permitted, or a file is in "
                      "the way). Choose another place; nothing was created.")
# scheme://… (two letters at least: a Windows drive letter such as C:/ is a path). A Path made from
# "postgresql://u@h/db" reads "postgresql:/u@h/db", so one slash is enough.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:[/\\]")


def is_url(text: str) -> bool:
    return bool(_URL.match(text)) or text.lower().startswith(("sqlite:", "postgres:", "postgresql:", "mysql:"))


def check_database_path(path: str | Path, create: bool = False) -> Path:
    """The absolute database path, or DatabaseError when it is a URL, a folder, or (to create) in a folder
    that cannot be written. Nothing is created here."""
    import os

    if is_url(str(path)):
        raise DatabaseError(E_URL, url=str(path))
    resolved = Path(path).expanduser().resolve()
    if resolved.is_dir():
        raise DatabaseError(E_IS_FOLDER, path=str(resolved))
    if create and not resolved.exists():
        folder = resolved.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise DatabaseError(E_NO_FOLDER, path=str(resolved))
    return resolved


DB_SIDE_FILES = ("-wal", "-shm", "-journal")


def _protected(db_path: Path) -> list[tuple[Path, bool, str, str]]:
    """(path, is_folder, Chinese, English) of everything the database keeps beside itself."""
    db_path = Path(db_path).expanduser().resolve()
    found = [(db_path, False, "数据库文件本身", "the database file itself")]
    found += [(db_path.with_name(db_path.name + s), False, "数据库的日志文件", "the database's journal file")
              for s in DB_SIDE_FILES]
    found.append((backup.backup_dir_for(db_path), True, "数据库的备份文件夹", "the database's backups folder"))
    found.append((db_path.parent / f"{db_path.stem}-files", True, "数据库的附件库", "the database's attachment store"))
    return found


def check_output(db_path: Path, out: str | Path, *, replace: bool = False, folder_ok: bool = False) -> Path:
    """The absolute path `out` may be written at, or InputError: never the database, its -wal/-shm/-journal,
    its backups folder or its attachment store (even with `replace`); an existing file only with `replace`
    (the user confirmed the overwrite)."""
    from .problems import InputError, Problem

    out = Path(out).expanduser()
    target = out.resolve()  # through symlinks: a link to the database is the database
    for path, is_folder, zh, en in _protected(db_path):
        same = out.exists() and path.exists() and out.samefile(path)  # a hard link is the same file
        if same or target == path or (is_folder and path in target.parents):
            raise InputError(Problem(E_OUT_PROTECTED, {"path": str(out), "what": zh, "what_en": en}))
    if target.is_dir() and not folder_ok:
        raise InputError(Problem(E_OUT_FOLDER, {"path": str(out)}))
    if out.exists() or out.is_symlink():
        if not replace or target.is_dir():
            raise InputError(Problem(E_OUT_EXISTS, {"path": str(out)}))
    import os

    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):
        raise InputError(Problem(E_OUT_FOLDER, {"path": str(out)}))
    return target


class DatabaseError(CodedError):
    """A database that cannot be opened or used; `code` is a key of problems.MESSAGES."""


# Extended SQLite codes of a failed write: the transaction rolled back, the file is as it was (EFBIG from a
# file-size limit arrives as SQLITE_IOERR_WRITE, not SQLITE_FULL). They are not damage.
WRITE_FAILURES = {"SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_DIR_FSYNC", "SQLITE_IOERR_TRUNCATE",
                  "SQLITE_IOERR_SHMSIZE", "SQLITE_IOERR_SHMMAP"}


def explain(exc: BaseException, path: Path) -> DatabaseError | None:
    """The user-facing reason for an SQLite failure, or None when it is not a file/disk problem."""
    name = getattr(getattr(exc, "orig", exc), "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return DatabaseError(E_DISK_FULL, path=str(path))
    if name in WRITE_FAILURES:
        return DatabaseError(E_WRITE_FAILED, path=str(path))
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return DatabaseError(E_READ_ONLY, path=str(path))
    if "locked" in text or "busy" in text:
        return DatabaseError(E_IN_USE, path=str(path))
    if "disk is full" in text or "disk full" in text:
        return DatabaseError(E_DISK_FULL, path=str(path))
    if "unable to open" in text:
        return DatabaseError(E_CANNOT_OPEN, path=str(path))
    if any(k in text for k in ("malformed", "not a database", "disk image", "disk i/o", "could not decode")):
        return DatabaseError(E_DAMAGED, path=str(path), detail=str(exc).splitlines()[0][:200])
    return None


def _set_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy issue BEGIN itself so transactions (and DDL in migrations) are real.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 5000")
    cur.execute("PRAGMA foreign_keys = ON")
    # Switching the journal mode takes a lock even when it is already WAL: only switch when needed,
    # so a new connection opens while another one holds a write transaction.
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _begin(conn) -> None:
    # Writers take the write lock at BEGIN, so two copies of the app never deadlock mid-transaction.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False},
                           **cipher.engine_options(path))  # SQLCipher's driver and key for an encrypted file
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def probe_file(path: Path) -> str | None:
    """The Alembic revision stored in an existing file; raises DatabaseError if it isn't ours."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except PermissionError as exc:
        raise DatabaseError(E_READ_ONLY, path=str(path)) from exc
    encrypted = bool(header) and header[:16] != SQLITE_MAGIC and cipher.encrypted_or_refuse(path, DatabaseError)
    if header and header[:16] != SQLITE_MAGIC and not encrypted:
        raise DatabaseError(E_NOT_SQLITE, path=str(path))
    if not header:
        return None  # an empty file: treat as a new database
    if not encrypted:
        _check_length(path, header)
    try:
        con = cipher.connect_any(path, read_only=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise DatabaseError(E_FOREIGN, path=str(path))
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            con.close()
    except backup.DB_ERRORS as exc:
        raise (explain(exc, path) or DatabaseError(E_DAMAGED, path=str(path), detail=str(exc))) from exc


def _check_length(path: Path, header: bytes) -> None:
    """A file shorter than the page count in its own header was cut off: refused (backup.truncation)."""
    cut = backup.truncation(path, header)
    if cut is not None:
        raise DatabaseError(E_TRUNCATED, path=str(path), size=cut[0], expected=cut[1])


@dataclass
class CheckReport:
    ok: bool
    integrity: list[str]
    foreign_key_violations: list[tuple]
    schema_revision: str | None
    head_revision: str
    counts: dict[str, int] = field(default_factory=dict)
    audit: audit.ChainReport | None = None  # the audit log's hash chain (None: not checked, the file failed first)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "integrity": self.integrity,
            "foreign_key_violations": [list(map(str, v)) for v in self.foreign_key_violations],
            "schema_revision": self.schema_revision, "head_revision": self.head_revision, "counts": self.counts,
            "audit": self.audit.as_dict() if self.audit else None,
        }


class Database:
    """An open database: engine, session factory, the operator recorded in the audit log, and who is logged in.

    Access (core.rules.access): a database where no account has a password is "open" and its session
    acts as an administrator under `operator` (fresh and demo databases, scripts, tests). Once an
    account has a password, nothing but logging in is allowed until core.services.accounts.login()
    sets `account` and `role`; `operator` then is the account's name, so every audit entry names it.
    """

    def __init__(self, path: Path, engine: Engine, operator: str):
        self.path = path
        self.engine = engine
        self.operator = operator
        self.account: str | None = None  # the logged-in account's name
        self.account_role: str | None = None
        self.accounts_enabled = False
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(engine.execution_options(immediate=True), expire_on_commit=False)
        self._batch = threading.local()  # the open batch() transaction of each thread, if any
        audit.install(self._write_sessions)
        event.listen(self._write_sessions, "before_flush", guard.limit_to_need)
        self.refresh_access()

    # --- access -----------------------------------------------------------------------------
    def refresh_access(self) -> None:
        """Read whether accounts are in use (some active account has a password)."""
        with self.engine.connect() as conn:
            self.accounts_enabled = bool(conn.exec_driver_sql(
                "SELECT 1 FROM operator WHERE password_hash IS NOT NULL AND active LIMIT 1").first())

    @property
    def role(self) -> str | None:
        """The session's role: administrator on an open database, else the logged-in account's (None: nobody)."""
        if not self.accounts_enabled:
            return access.ADMIN
        return self.account_role if self.account else None

    def allows(self, need: str) -> bool:
        return access.allows(self.role, need)

    def require(self, need: str) -> None:
        """Raise access.AccessDenied (an InputError with a Chinese message) unless the role allows `need`."""
        access.check(self.account or self.operator, self.role, need)

    # --- sessions -------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session for one user action (inside a batch(): the batch's own session, which sees
        what the batch has written so far)."""
        outer = getattr(self._batch, "session", None)
        if outer is not None:
            yield outer
            return
        session = self._sessions()
        try:
            yield session
        except SQLAlchemyError as exc:
            raise (explain(exc, self.path) or exc) from exc
        finally:
            session.close()  # ends the read transaction; loaded objects stay readable (detached)

    @contextmanager
    def write(self, note: str = "", need: str = "write") -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back on any exception.

        Refused before anything starts unless the role allows `need` ("write" by default; "print",
        "reveal" and "login" transactions may only add audit entries and touch their own tables).
        """
        self.require(need)
        outer = getattr(self._batch, "session", None)
        if outer is not None:  # a step of a batch(): flushed here, committed or rolled back with the whole batch
            saved = outer.info.get("audit_note", ""), outer.info.get("need", "write")
            outer.info["audit_note"], outer.info["need"] = note, need
            try:
                yield outer
                outer.flush()
            finally:
                outer.info["audit_note"], outer.info["need"] = saved
            return
        session = self._write_sessions()
        session.info["operator"] = self.operator
        session.info["audit_note"] = note
        session.info["need"] = need
        session.info["role"] = self.role
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise (explain(exc, self.path) or exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def batch(self, note: str = "", need: str = "write") -> Iterator[Session]:
        """One transaction for a job made of many service calls (the first-run demo with every record type):
        each db.write() and db.read() of this thread inside the block shares it. Committed when the block ends,
        rolled back whole on any exception, a cancel included, so a cancelled job leaves the database as it was.
        """
        if getattr(self._batch, "session", None) is not None:
            raise RuntimeError("batch() does not nest")
        with self.write(note=note, need=need) as session:
            self._batch.session = session
            try:
                yield session
            finally:
                self._batch.session = None

    def close(self) -> None:
        self.engine.dispose()

    def check_writable(self) -> None:
        """Refuse a file SQLite could open only for reading (read-only file or folder) before any work is typed.

        A no-op update, rolled back: SQLite refuses it at once on a read-only file; nothing reaches the disk.
        """
        try:
            with self.engine.connect() as conn:
                with conn.begin() as tx:
                    conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
                    tx.rollback()
        except SQLAlchemyError as exc:
            raise (explain(exc, self.path) or exc) from exc

    # --- health -----------------------------------------------------------------------------
    def check(self) -> CheckReport:
        """Integrity, foreign keys and schema version; a damaged file is a failed check, not a crash."""
        try:
            return self._check()
        except SQLAlchemyError as exc:
            return CheckReport(False, [str(exc.orig if hasattr(exc, "orig") else exc).splitlines()[0]], [], None,
                               head_revision())

    def _check(self) -> CheckReport:
        with self.engine.connect() as conn:
            integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            fks = [tuple(r) for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            counts = {}
            for table in ("project", "block", "building", "unit", "household", "person", "audit_log"):
                counts[table] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            chain = audit.verify_chain(conn) if integrity == ["ok"] and revision == head_revision() else None
        head = head_revision()
        ok = integrity == ["ok"] and not fks and revision == head and chain is not None and chain.ok
        return CheckReport(ok, integrity, fks, revision, head, counts, chain)

    def check_output(self, out: str | Path, *, replace: bool = False, folder_ok: bool = False) -> Path:
        """Where a file the user asked for may be written (see check_output)."""
        return check_output(self.path, out, replace=replace, folder_ok=folder_ok)

    def backup_to(self, out: Path) -> Path:
        return backup.online_backup(self.path, out)


def open_database(path: str | Path, *, operator: str = "system", create: bool = False,
                  backup_dir: Path | None = None) -> Database:
    """Open (creating if asked), upgrading an older schema after a backup; refuse newer or foreign files."""
    path = check_database_path(path, create)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DatabaseError(E_NOT_FOUND, path=str(path))
    revision = probe_file(path) if exists else None
    head = head_revision()
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(E_NEWER, found=revision, known=head)
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # owner-only whatever the umask;
            os.chmod(path, 0o600)  # SQLite gives the -wal/-shm/-journal files the database's mode
        except OSError as exc:
            raise DatabaseError(E_READ_ONLY, path=str(path)) from exc
    elif revision != head:
        backup.rotate_backup(path, reason=f"upgrade-{revision or 'empty'}", backup_dir=backup_dir)

    engine = make_engine(path)
    if revision is not None and revision == head:
        return Database(path, engine, operator)  # up to date: no migration to run
    try:
        from alembic import command

        with engine.connect() as conn:
            conn.execution_options(immediate=True)  # this connection only (info would stick to the pool)
            with conn.begin():
                cfg = _alembic_config(conn)
                command.upgrade(cfg, "head")
    except Exception as exc:
        engine.dispose()
        raise (explain(exc, path) or exc) from exc
    return Database(path, engine, operator)
