"""Opening, upgrading, checking and backing up a Renewal Desk database (SQLite through SQLAlchemy).

- Every connection runs with WAL, foreign keys on, synchronous=FULL and a busy timeout.
- A new file is created by the Alembic migrations in db/ (never `create_all` on a user's file).
- An older file is backed up, then upgraded in one transaction; a newer one is refused.
- A file that is not SQLite, or damaged, is refused with a clear message and never overwritten.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import re

from sqlalchemy import (Boolean, Engine, Integer, and_, bindparam, create_engine, event, literal_column, select, table,
                        text)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy import inspect

from . import audit, backup, cipher, guard
from .schema import _alembic_config, _revision_graph, head_revision, known_revisions  # noqa: F401 - db's API
from .problems import CodedError, InputError, Problem, declare
from .rules import access

SQLITE_MAGIC = b"SQLite format 3\x00"
# Any error of the database library that explain() did not turn into a DatabaseError: callers outside core
# (the CLI's last net) catch this name rather than importing the library.
EngineError = SQLAlchemyError

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
E_URL = declare("db.url", "不支持这个数据库地址：{url}。街区更新议事台使用本机的数据库文件（例如 /home/用户/desk.sqlite）"
                "或办公室的 PostgreSQL 服务器（postgresql://用户@服务器/数据库）；未创建任何文件。",
                "This database address is not supported: {url}. Renewal Desk uses a database file on this computer "
                "(e.g. /home/user/desk.sqlite) or the office's PostgreSQL server (postgresql://user@host/database). "
                "Nothing was created.")
E_SERVER_UNREACHABLE = declare("db.server_unreachable", "无法连接数据库服务器 {server}：{detail}。请检查网络、服务器地址和端口；"
                               "未作任何修改。",
                               "Cannot reach the database server {server}: {detail}. Check the network, the server's "
                               "address and port; nothing was changed.")
E_SERVER_LOGIN = declare("db.server_login", "数据库服务器 {server} 拒绝登录：用户名或密码不对，或该用户无权使用数据库 {database}。"
                         "未作任何修改。",
                         "The database server {server} refused the login: wrong user name or password, or the user may "
                         "not use the database {database}. Nothing was changed.")
E_SERVER_NO_DB = declare("db.server_no_db", "数据库服务器 {server} 上没有数据库 {database}。请让管理员先建好它（见 README.md"
                         "「Office server」，installers/server-setup.sh）；未作任何修改。",
                         "The database server {server} has no database {database}. Ask the administrator to create it "
                         "(README.md, \"Office server\", installers/server-setup.sh); nothing was changed.")
E_SERVER_FOREIGN = declare("db.server_foreign", "服务器上的数据库 {database} 不是 Renewal Desk 数据库（已有其他表）；未作任何修改。",
                           "The database {database} on the server is not a Renewal Desk database (it holds other "
                           "tables); nothing was changed.")
E_SERVER_RIGHTS = declare("db.server_rights", "数据库服务器不允许本账户执行这项操作：{detail}。请让管理员按说明授予权限；本次修改未保存。",
                          "The database server does not let this account do that: {detail}. Ask the administrator to "
                          "grant the documented rights; this change was not saved.")
E_SERVER_LOST = declare("db.server_lost", "与数据库服务器的连接中断，本次修改未保存：{detail}。请检查网络后重试。",
                        "The connection to the database server was lost; this change was not saved: {detail}. Check the "
                        "network and try again.")
E_CONFLICT = declare("db.conflict", "{what}已被 {who} 于 {when} 修改（在您打开之后）。您的修改未保存，以免覆盖对方的修改；"
                     "请重新打开后再改。",
                     "{what_en} was changed by {who} at {when} (after you opened it). Your change was not saved, so "
                     "theirs is not overwritten; reopen it and edit again.")
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


_SERVER_URL = re.compile(r"^postgres(ql)?(\+psycopg)?://", re.IGNORECASE)


def is_url(text: str) -> bool:
    return bool(_URL.match(text)) or text.lower().startswith(("sqlite:", "postgres:", "postgresql:", "mysql:"))


def is_server_url(text: str | Path) -> bool:
    """A PostgreSQL address (postgresql://user@host:port/database): the office server."""
    return isinstance(text, str) and bool(_SERVER_URL.match(text))


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
    found.append((attachment_folder(db_path), True, "数据库的附件库", "the database's attachment store"))
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


# --- attachments' content, by SHA-256 ------------------------------------------------------------
# Database.blobs keeps the bytes of every attachment once per content: beside a database file in
# `<name>-files/ab/abcdef…` (FileBlobs), on the office server in its attachment_content table (ServerBlobs,
# migration 0024) so every laptop reads them. services.attachments asks it and never looks at the engine.

def attachment_folder(db_path: Path) -> Path:
    """This computer's folder for a database's attachments: the store itself beside a file, the server's local
    cache (in server_home) for the office server."""
    return Path(db_path).parent / f"{Path(db_path).stem}-files"


def private_folder(folder: Path) -> Path:
    """`folder` and every missing parent made owner-only (0700), whatever the umask: the attachment store and
    anything kept in it (photos of problems, scans of signed papers) hold personal data."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(exist_ok=True)
        os.chmod(p, 0o700)
    return folder


def file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


ATTACHMENT_MAX_BYTES = 200 * 1024 * 1024  # one attachment's content at most (services.attachments, bundles)


class FileBlobs:
    """Content in a folder: `<folder>/ab/abcdef…`, written under a .part name of its own (owner-only) and renamed:
    a crash leaves a .part file, never a half file under the hash name, and two threads or copies of the app
    storing the same content at once each write their own part and the last rename wins with the same bytes."""

    def __init__(self, folder: Path):
        self.folder = folder

    def local_path(self, sha256: str) -> Path:
        """Where this computer keeps (or would keep) the content."""
        return self.folder / sha256[:2] / sha256

    def where(self, sha256: str) -> str:
        """Where the content should be, for a message about it."""
        return str(self.local_path(sha256))

    def has(self, sha256: str) -> bool:
        return self.local_path(sha256).is_file()

    def size(self, sha256: str) -> int | None:
        path = self.local_path(sha256)
        return path.stat().st_size if path.is_file() else None

    def put(self, sha256: str, source: Path) -> None:
        """Keep `source`'s content (whose SHA-256 the caller computed) once."""
        target = self.local_path(sha256)
        if target.exists():
            return
        import shutil

        tmp = self._part(target)
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @staticmethod
    def _part(target: Path) -> Path:
        import tempfile

        private_folder(target.parent)
        fd, name = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)  # mode 0600
        os.close(fd)
        return Path(name)

    def put_bytes(self, sha256: str, chunks) -> bool:
        """Keep the content given as byte chunks if it hashes to `sha256` (else nothing is kept: False)."""
        import hashlib

        target = self.local_path(sha256)
        tmp = self._part(target)
        try:
            digest = hashlib.sha256()
            with open(tmp, "wb") as fh:
                for chunk in chunks:
                    digest.update(chunk)
                    fh.write(chunk)
            if digest.hexdigest() != sha256:
                tmp.unlink()
                return False
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return True

    def get(self, sha256: str) -> Path | None:
        """A local file holding the content, checked against its hash; None when it is missing or altered."""
        path = self.local_path(sha256)
        if not path.is_file() or file_sha256(path) != sha256:
            return None
        return path


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


APPEND_ONLY_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")  # migration 0008 (and TRUNCATE on PostgreSQL)


def missing_append_only_triggers(conn) -> list[str]:
    """The audit log's append-only triggers this database does not have (each engine keeps its own catalogue)."""
    if conn.dialect.name == "postgresql":
        present = {r[0] for r in conn.exec_driver_sql(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass('audit_log') AND tgenabled <> 'D'")}
        names = (*APPEND_ONLY_TRIGGERS, "audit_log_no_truncate")
    else:
        present = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        names = APPEND_ONLY_TRIGGERS
    return [t for t in names if t not in present]


class Database:
    """An open database: engine, session factory, the operator recorded in the audit log, and who is logged in.

    Access (core.rules.access): a database where no account has a password is "open" and its session
    acts as an administrator under `operator` (fresh and demo databases, scripts, tests). Once an
    account has a password, nothing but logging in is allowed until core.services.accounts.login()
    sets `account` and `role`; `operator` then is the account's name, so every audit entry names it.
    """

    def __init__(self, path: Path, engine: Engine, operator: str, url=None):
        self.path = path  # the file; on a server, this computer's folder for it (server_home) / database name
        self.url = url  # the server's SQLAlchemy URL (None: an SQLite file); for set-up and messages only
        self.location = server_label(url) if url is not None else str(path)  # what to show the user
        # what open_database() takes to open it again (another window, a worker process, a test)
        self.address = url.render_as_string(hide_password=False).replace("+psycopg", "") if url is not None \
            else str(path)
        self.engine = engine
        # attachments' content (see FileBlobs): on the server in the database, cached in this computer's folder
        self.blobs = ServerBlobs(engine, attachment_folder(path), self.location) if url is not None \
            else FileBlobs(attachment_folder(path))
        self.operator = operator
        self.account: str | None = None  # the logged-in account's name
        self.account_role: str | None = None
        self.accounts_enabled = False
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(engine.execution_options(immediate=True), expire_on_commit=False)
        self._batch = threading.local()  # the open batch() transaction of each thread, if any
        self._seen: dict[tuple[str, int], object] = {}  # (table, id) -> updated_at this copy of the app last read
        event.listen(self._sessions, "loaded_as_persistent", self._remember_read)
        event.listen(self._write_sessions, "before_flush", self._refuse_stale)
        event.listen(self._write_sessions, "after_flush", self._note_written)
        event.listen(self._write_sessions, "do_orm_execute", self._note_bulk_change)
        event.listen(self._write_sessions, "before_commit", self._read_written_versions)
        event.listen(self._write_sessions, "after_commit", self._remember_written)
        audit.install(self._write_sessions)
        event.listen(self._write_sessions, "before_flush", guard.limit_to_need)
        self._watches: weakref.WeakSet[ChangeWatch] = weakref.WeakSet()  # see watch()
        event.listen(self._write_sessions, "after_begin", self._note_audit_start)
        event.listen(self._write_sessions, "before_commit", self._note_audit_end)
        self.refresh_access()

    def explain(self, exc: BaseException) -> DatabaseError | None:
        """The user-facing reason for a failure of this database's engine (None: not a storage problem)."""
        if self.url is not None:
            return explain_server(exc, self.url)
        return explain(exc, self.path)

    # --- edit conflicts ---------------------------------------------------------------------
    # Two people (two copies of the app, on a server or one shared file) never silently overwrite each
    # other: this copy remembers the version (updated_at) of every record it read; a save that changes or
    # deletes a record someone else has saved since is refused with their name and time (EditConflict).
    def _remember_read(self, _session, obj) -> None:
        at = inspect(obj).dict.get("updated_at")
        if at is not None:
            self._seen[(obj.__table__.name, inspect(obj).identity[0])] = at

    def _refuse_stale(self, session: Session, _flush_context, _instances) -> None:
        if session.info.get("need", "write") != "write":
            return  # a login, a print or a reveal only keeps its own counters: not an edit of what was read
        changed = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
        written = session.info.get("_written", ())  # flushed earlier in this transaction: checked then
        for obj in (*changed, *session.deleted):
            state = inspect(obj)
            if state.identity is None or "updated_at" not in state.mapper.columns:
                continue
            key = (obj.__table__.name, state.identity[0])
            if key in written or key[0] in NO_EDIT_CONFLICTS:
                continue
            seen = self._seen.get(key)
            loaded = state.committed_state.get("updated_at", state.dict.get("updated_at"))
            if seen is not None and loaded is not None and seen != loaded:
                raise EditConflict.about(session, *key)

    def _note_written(self, session: Session, _flush_context) -> None:
        written = session.info.setdefault("_written", set())
        for obj in (*session.new, *session.dirty):
            record_id = inspect(obj).dict.get("id")
            if record_id is not None and "updated_at" in inspect(obj).mapper.columns:
                written.add((obj.__table__.name, record_id))

    def _read_written_versions(self, session: Session) -> None:
        """Before COMMIT (the write lock still held): the versions of the records this transaction wrote, as
        stored (a service may have let go of the object, or changed the row with plain SQL after the flush)."""
        from .models import Base

        session.flush()  # what COMMIT would flush next is written too
        written = session.info.get("_written")
        if not written:
            return
        by_table: dict[str, list[int]] = {}
        for name, record_id in written:
            by_table.setdefault(name, []).append(record_id)
        versions = session.info["_versions"] = {}
        conn = session.connection()
        for name, ids in by_table.items():
            column = Base.metadata.tables[name].c
            for i in range(0, len(ids), 500):
                for record_id, at in conn.execute(select(column.id, column.updated_at)
                                                  .where(column.id.in_(ids[i:i + 500]))):
                    versions[(name, record_id)] = at

    @staticmethod
    def _note_bulk_change(orm_execute_state) -> None:
        if orm_execute_state.is_update or orm_execute_state.is_delete:
            target = getattr(orm_execute_state.statement, "table", None)
            if target is not None:
                orm_execute_state.session.info.setdefault("_bulk_tables", set()).add(target.name)

    def _remember_written(self, session: Session) -> None:
        """After a commit: what this copy wrote is the version it knows (records it only read while
        writing keep the version it read before, which is what the user saw). A bulk UPDATE/DELETE of
        this copy's own (renaming a building re-keys its households) changes rows it cannot name: their
        versions are forgotten, so this copy's own change is never taken for someone else's."""
        bulk = session.info.pop("_bulk_tables", set())
        if bulk:
            for key in [k for k in self._seen if k[0] in bulk]:
                self._seen.pop(key, None)
        session.info.pop("_written", None)
        self._seen.update(session.info.pop("_versions", {}))

    def forget_versions(self) -> None:
        """Take what is in the database as read (after the user chose to reload)."""
        self._seen.clear()

    # --- others' commits -----------------------------------------------------------------------
    def watch(self) -> ChangeWatch:
        """Start watching for what other copies of the app commit (see ChangeWatch); close it when done."""
        watch = ChangeWatch(self)
        self._watches.add(watch)
        return watch

    def _note_audit_start(self, session: Session, _transaction, connection) -> None:
        if self._watches:  # the write lock is held from BEGIN: the log's tail now is where this transaction starts
            session.info["_audit_start"] = audit.tail(connection)[0]

    def _note_audit_end(self, session: Session) -> None:
        start = session.info.pop("_audit_start", None)
        if start is not None and self._watches:
            end = audit.tail(session.connection())[0]
            if end > start:
                for watch in list(self._watches):
                    watch.own.append((start, end))

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
            raise (self.explain(exc) or exc) from exc
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
            raise (self.explain(exc) or exc) from exc
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
            raise (self.explain(exc) or exc) from exc

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
            if self.url is not None:
                integrity, fks = _check_server(conn)
            else:
                integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                fks = [tuple(r) for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            counts = {}
            for table in ("project", "block", "building", "unit", "household", "person", "audit_log"):
                counts[table] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            chain = audit.verify_chain(conn, missing_append_only_triggers(conn)) \
                if integrity == ["ok"] and revision == head_revision() else None
        head = head_revision()
        ok = integrity == ["ok"] and not fks and revision == head and chain is not None and chain.ok
        return CheckReport(ok, integrity, fks, revision, head, counts, chain)

    def check_output(self, out: str | Path, *, replace: bool = False, folder_ok: bool = False) -> Path:
        """Where a file the user asked for may be written (see check_output)."""
        return check_output(self.path, out, replace=replace, folder_ok=folder_ok)

    @property
    def backup_file(self) -> Path:
        """The file this computer's backups copy; refused on the office server (backed up there, pg_dump)."""
        if self.url is not None:
            raise DatabaseError(E_SERVER_BACKUP)
        return self.path

    @property
    def backs_up_here(self) -> bool:
        """Whether this computer keeps the backups (a database file; not the office server's database)."""
        return self.url is None

    def daily_backup_due(self, now=None) -> bool:
        """Whether the automatic daily copy is due here (never for a server database: the server's job)."""
        return self.backs_up_here and backup.daily_backup_due(self.path, now=now)

    def backup_to(self, out: Path) -> Path:
        return backup.online_backup(self.backup_file, out)


# Audit entries that change nothing another copy shows (something was read, printed, copied out, or logged in).
NOT_CHANGES = {"reveal", "print", "print-full", "export", "export-audit-full", "backup", "login", "login-failed",
               "logout"}
AUDIT_CHANNEL = "renewal_desk_audit"  # PostgreSQL: the audit log's inserts NOTIFY it (migration 0017)


class ChangeWatch:
    """What other copies of the app (another laptop on the office server, another window on a shared file) have
    committed since the last look, read from the audit log, which every write appends to in its transaction.

    changed_tables() never waits: on PostgreSQL it reads the log only after a NOTIFY from its inserts arrived
    (one LISTEN connection of its own); on SQLite, which has no notifications, it compares the log's last id.
    Entries this copy wrote itself are left out (its own views refreshed when it saved)."""

    def __init__(self, db: Database):
        self.db = db
        self.own: list[tuple[int, int]] = []  # (after, through] id ranges of this copy's own commits
        with db.engine.connect() as conn:
            self.last_id = audit.tail(conn)[0]
        self._listener = None
        if db.url is not None:
            self._listen()

    @property
    def listening(self) -> bool:
        """Woken by the server's notifications (PostgreSQL), rather than looking at the log's last id."""
        return self._listener is not None

    def _listen(self) -> None:
        """A connection of its own, out of the pool, in autocommit, listening to the audit channel."""
        try:
            raw = self.db.engine.raw_connection()
            conn = raw.driver_connection
            raw.detach()  # closed by close(), never handed back to the pool
            conn.rollback()
            conn.autocommit = True
            conn.execute(f"LISTEN {AUDIT_CHANNEL}")
            self._listener = conn
        except Exception:  # noqa: BLE001 - the server is unreachable now: look at the log's last id instead
            self._listener = None

    def _notified(self) -> bool:
        try:
            return any(True for _ in self._listener.notifies(timeout=0))
        except Exception:  # noqa: BLE001 - the connection was lost: read the log now, listen again later
            self._drop_listener()
            return True

    def _drop_listener(self) -> None:
        try:
            self._listener.close()
        except Exception:  # noqa: BLE001
            pass
        self._listener = None

    def changed_tables(self) -> set[str]:
        """Tables others changed since the last call (empty: nothing new)."""
        if self.db.url is not None:
            if self._listener is None:
                self._listen()
            elif not self._notified():
                return set()
        with self.db.engine.connect() as conn:
            if self.db.url is None and audit.tail(conn)[0] == self.last_id:
                return set()
            rows = conn.execute(text("SELECT id, table_name, action FROM audit_log WHERE id > :last ORDER BY id"),
                                {"last": self.last_id}).all()
        if not rows:
            return set()
        own = self.own
        found = {name for record_id, name, action in rows
                 if action not in NOT_CHANGES and not any(a < record_id <= b for a, b in own)}
        self.last_id = rows[-1][0]
        self.own = [(a, b) for a, b in own if b > self.last_id]
        return found

    def close(self) -> None:
        self.db._watches.discard(self)
        if self._listener is not None:
            self._drop_listener()


# Bookkeeping written by logins, syncs and settings (one field per command, never a form a person filled in
# from what they read): no edit conflict there (an administrator's password reset lifts a lockout that
# failed logins on another laptop just wrote).
NO_EDIT_CONFLICTS = {"operator", "setting", "audit_log", "exchange_sync_state", "exchange_log"}


class EditConflict(InputError):
    """A save refused because someone else saved the same record since it was read: `who` and `when`
    (the audit log's latest entry for it); the caller offers to reload (Database.forget_versions)."""

    def __init__(self, problem: Problem, table: str, record_id: int, who: str, when):
        super().__init__(problem)
        self.table, self.record_id, self.who, self.when = table, record_id, who, when

    @classmethod
    def about(cls, session: Session, table_name: str, record_id: int) -> EditConflict:
        from .models import AuditEntry
        from .table_words import table_label

        row = session.connection().execute(
            select(AuditEntry.operator, AuditEntry.at)
            .where(AuditEntry.table_name == table_name, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.id.desc()).limit(1)).first()
        who, when = (row[0], row[1]) if row else ("另一位用户", None)
        shown = when.astimezone().strftime("%Y-%m-%d %H:%M:%S") if when else "刚才"
        problem = Problem(E_CONFLICT, {"what": "这条" + table_label(table_name), "what_en": "This "
                                       + table_label(table_name, "en"), "who": who, "when": shown})
        return cls(problem, table_name, record_id, who, when)


def open_database(path: str | Path, *, operator: str = "system", create: bool = False,
                  backup_dir: Path | None = None) -> Database:
    """Open (creating if asked), upgrading an older schema after a backup; refuse newer or foreign files.
    A postgresql://… address connects to the office server instead (open_server)."""
    if is_server_url(path):
        return open_server(str(path), operator=operator, create=create)
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



class IndexedSearch(ColumnElement):
    """A WHERE clause: `text_column` contains every term (three characters or more, literal substrings,
    ASCII letters in either case), answered by the trigram index of migration 0010: FTS5 on SQLite
    (the external-content table <table>_fts over `id_column`), pg_trgm GIN with ILIKE on PostgreSQL.

    The terms are bound parameters, part of the statement's structure, so SQLAlchemy compiles a search once
    per number of terms and reuses it at every keystroke (compiling it each time was ~10 ms of a keystroke)."""

    inherit_cache = True
    # no Boolean type: SQLite has no native booleans, and a Boolean clause in WHERE is written "(…) = 1", which
    # kept SQLite from looking the ids up (it scanned every household in sort order: 16 ms against 0.2 ms)
    type = NullType()
    _traverse_internals = [("id_column", InternalTraversal.dp_clauseelement),
                           ("text_column", InternalTraversal.dp_clauseelement),
                           ("match", InternalTraversal.dp_clauseelement),
                           ("patterns", InternalTraversal.dp_clauseelement_tuple)]

    def __init__(self, id_column, text_column, terms: list[str]):
        self.id_column, self.text_column = id_column, text_column
        # FTS5: every term as a phrase ("3-2-602" and 王𠮷 searched literally), all of them required
        self.match = bindparam("indexed_match", " AND ".join('"' + t.replace('"', '""') + '"' for t in terms),
                               unique=True)
        self.patterns = tuple(bindparam("indexed_like", "%" + t.replace("\\", "\\\\").replace("%", "\\%")
                                        .replace("_", "\\_") + "%", unique=True, type_=text_column.type) for t in terms)


@compiles(IndexedSearch)
def _indexed_search_fts5(element: IndexedSearch, compiler, **kw) -> str:
    fts = f"{element.id_column.table.name}_fts"
    found = select(literal_column("rowid")).select_from(table(fts)).where(literal_column(fts).op("MATCH")(element.match))
    return compiler.process(element.id_column.in_(found), **kw)


@compiles(IndexedSearch, "postgresql")
def _indexed_search_trgm(element: IndexedSearch, compiler, **kw) -> str:
    return compiler.process(and_(*[element.text_column.ilike(p, escape="\\") for p in element.patterns]), **kw)


def upsert(session: Session, model, rows: list[dict], key: str, columns: tuple[str, ...]) -> None:
    """INSERT rows, or on a clash of unique column `key` UPDATE `columns` with the new values (both engines
    spell it ON CONFLICT … DO UPDATE; SQLAlchemy builds it per dialect)."""
    from sqlalchemy.dialects import postgresql, sqlite

    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = make(model).values(rows)
    session.execute(stmt.on_conflict_do_update(index_elements=[key], set_={c: stmt.excluded[c] for c in columns}))


def bulk_insert(conn, sql: str, table_name: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows given in SQLite's storage format (ISO text dates and times, 0/1 booleans, ids given)
    on the transaction's connection `conn`: sqlite3's executemany of `sql` on SQLite, COPY on PostgreSQL
    (whose text input reads those formats), the table's id sequence moved past the rows."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        raw.executemany(sql, rows)
        return
    cursor = raw.cursor()
    try:
        with cursor.copy(f'COPY "{table_name}" ({", ".join(cols)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        if "id" in cols:
            cursor.execute(f'SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST((SELECT max(id) FROM "{table_name}"), 1))',
                           (table_name, "id"))
    finally:
        cursor.close()


class DecimalPlaces(ColumnElement):
    """The number of digits after the point of a decimal stored as text (DecimalText), 0 without a point."""

    inherit_cache = True
    type = Integer()

    def __init__(self, text_column):
        self.text_column = text_column


class NotPlainDecimal(ColumnElement):
    """True when a decimal stored as text is not plain digits with at most one point ('' and '.' included)."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, text_column):
        self.text_column = text_column


@compiles(DecimalPlaces)
def _decimal_places_sqlite(element: DecimalPlaces, compiler, **kw) -> str:
    x = compiler.process(element.text_column, **kw)
    return f"CASE WHEN instr({x}, '.') > 0 THEN length({x}) - instr({x}, '.') ELSE 0 END"


@compiles(NotPlainDecimal)
def _not_plain_decimal_sqlite(element: NotPlainDecimal, compiler, **kw) -> str:
    x = compiler.process(element.text_column, **kw)
    return f"({x} GLOB '*[^0-9.]*' OR {x} GLOB '*.*.*' OR {x} = '' OR {x} = '.')"


@compiles(DecimalPlaces, "postgresql")
def _decimal_places_pg(element: DecimalPlaces, compiler, **kw) -> str:
    x = compiler.process(element.text_column, **kw)
    return f"CASE WHEN strpos({x}, '.') > 0 THEN length({x}) - strpos({x}, '.') ELSE 0 END"


@compiles(NotPlainDecimal, "postgresql")
def _not_plain_decimal_pg(element: NotPlainDecimal, compiler, **kw) -> str:
    x = compiler.process(element.text_column, **kw)
    return rf"({x} !~ '^[0-9]*\.?[0-9]*$' OR {x} = '' OR {x} = '.')"


# =============================================================================================
# PostgreSQL: the office server. Everything that differs from SQLite is below this line (and in the
# dialect-conditional steps of the migrations); services, rules, printing and exchange do not know
# which engine they run on.
# =============================================================================================
PG_BIN = Path("/usr/lib/postgresql/15/bin")
# Every write transaction takes this transaction-level advisory lock first, so writers run one at a time
# as they do on SQLite (BEGIN IMMEDIATE): document numbers stay gapless, read-modify-write stays safe.
# Readers never wait (READ COMMITTED, MVCC). An office has a handful of writers; a save takes milliseconds.
PG_WRITE_LOCK = 0x52445745  # "RDWE"
PG_LOCK_TIMEOUT_MS = 20000  # a writer waiting longer is told the database is busy (E_IN_USE)
E_SERVER_EMPTY = declare("db.server_empty", "服务器上的数据库 {database} 还是空的：请先运行 renewal-desk server init {server_url}；"
                         "未作任何修改。",
                         "The database {database} on the server is empty: run renewal-desk server init {server_url} "
                         "first; nothing was changed.")
E_SERVER_BACKUP = declare("db.server_backup", "办公室服务器的数据库在服务器上备份和恢复（见 README.md「Office server」）；"
                          "本机备份只用于本机数据库文件。未作任何修改。",
                          "The office server's database is backed up and restored on the server (see README.md, "
                          "\"Office server\"); backups on this computer are for database files. Nothing was changed.")


def server_url(text: str):
    """The SQLAlchemy URL of a postgresql://… address (driver psycopg 3). A password may come in the URL
    (scripts), from PGPASSWORD or from libpq's ~/.pgpass; settings never store it."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(text)
    except Exception as exc:  # noqa: BLE001 - sqlalchemy.exc.ArgumentError and friends
        raise DatabaseError(E_URL, url=text) from exc
    if not url.database:
        raise DatabaseError(E_URL, url=text)
    return url.set(drivername="postgresql+psycopg")


def server_label(url) -> str:
    """user@host:port/database, never the password (for messages, titles and logs)."""
    host = url.host or url.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = host[0]
    port = url.port or url.query.get("port") or 5432
    return f"{url.username + '@' if url.username else ''}{host}:{port}/{url.database}"


def server_home(url) -> Path:
    """This computer's folder for one server database (attachment cache, print previews, its lock)."""
    from .paths import data_dir

    name = re.sub(r"[^\w.-]+", "_", server_label(url).split("@")[-1]).strip("_")
    return data_dir() / "servers" / name


def local_path_for(target: str | Path) -> Path:
    """Database.path of what open_database(target) opens: the file, or a server database's folder here."""
    if is_server_url(target):
        url = server_url(str(target))
        return server_home(url) / url.database
    return Path(target)


E_BLOB_CHANGED = declare("attachment.changed", "附件文件“{name}”在保存过程中被改动，未保存；请等它写完后重新添加。",
                         "The attachment file '{name}' changed while it was being stored; nothing was saved. Add it "
                         "again once it is complete.")
ATTACHMENT_CONTENT = "attachment_content"  # migration 0024: (sha256 primary key, size, content bytea)
BLOB_CHUNK = 4 << 20  # bytes fetched per round trip when a laptop reads an attachment from the server


class ServerBlobs:
    """The office server's attachment store: every attachment's content once in the attachment_content table
    (in every pg_dump, seen by every laptop). A laptop reads it in chunks into its own folder for the server
    (`cache`, a FileBlobs in server_home), so a photo is fetched once and then opened or printed from the file;
    the cache is checked against the hash at each read and fetched again when it does not match. Writing
    content is a short transaction of its own, outside the write lock (INSERT … ON CONFLICT DO NOTHING: two
    laptops storing the same photo at once keep it once); the attachment row is written after it, so no row
    is ever committed without its content."""

    def __init__(self, engine: Engine, folder: Path, label: str):
        self.engine = engine
        self.cache = FileBlobs(folder)
        self.folder = folder
        self.label = label

    def local_path(self, sha256: str) -> Path:
        return self.cache.local_path(sha256)

    def where(self, sha256: str) -> str:
        return f"服务器数据库 {self.label}"

    def _scalar(self, sql: str, **params):
        try:
            with self.engine.connect() as conn:
                return conn.execute(text(sql), params).scalar()
        except SQLAlchemyError as exc:
            raise (explain_server(exc, self.engine.url) or exc) from exc

    def has(self, sha256: str) -> bool:
        return self._scalar(f"SELECT 1 FROM {ATTACHMENT_CONTENT} WHERE sha256 = :sha", sha=sha256) is not None

    def size(self, sha256: str) -> int | None:
        return self._scalar(f"SELECT size FROM {ATTACHMENT_CONTENT} WHERE sha256 = :sha", sha=sha256)

    def put(self, sha256: str, source: Path) -> None:
        """Keep `source`'s content (its SHA-256 computed by the caller) in the server database once, and in the
        cache. The bytes sent are hashed again: a file that changed since it was hashed is refused (InputError)."""
        import hashlib

        if not self.has(sha256):
            data = Path(source).read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                raise InputError(Problem(E_BLOB_CHANGED, {"name": Path(source).name}))
            try:
                with self.engine.begin() as conn:
                    conn.execute(text(f"INSERT INTO {ATTACHMENT_CONTENT} (sha256, size, content) "
                                      "VALUES (:sha, :size, :content) ON CONFLICT (sha256) DO NOTHING"),
                                 {"sha": sha256, "size": len(data), "content": data})
            except SQLAlchemyError as exc:
                raise (explain_server(exc, self.engine.url) or exc) from exc
        self.cache.put(sha256, source)

    def _chunks(self, conn, sha256: str, size: int):
        for start in range(0, size, BLOB_CHUNK):  # substring of an uncompressed (EXTERNAL) bytea reads only that part
            yield bytes(conn.execute(text(f"SELECT substring(content FROM :start FOR :n) FROM {ATTACHMENT_CONTENT} "
                                          "WHERE sha256 = :sha"), {"start": start + 1, "n": BLOB_CHUNK,
                                                                   "sha": sha256}).scalar() or b"")

    def get(self, sha256: str) -> Path | None:
        """A local file holding the content: the cache when it matches the hash, else fetched from the server
        (None when the server has no such content, or its bytes do not match the hash)."""
        cached = self.cache.get(sha256)
        if cached is not None:
            return cached
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot for every chunk
                with conn.begin():
                    size = conn.execute(text(f"SELECT size FROM {ATTACHMENT_CONTENT} WHERE sha256 = :sha"),
                                        {"sha": sha256}).scalar()
                    if size is None or not self.cache.put_bytes(sha256, self._chunks(conn, sha256, size)):
                        return None
        except SQLAlchemyError as exc:
            raise (explain_server(exc, self.engine.url) or exc) from exc
        return self.cache.local_path(sha256)

    def adopt_local_files(self) -> int:
        """Attachments whose content the server lacks but this computer's folder holds (kept here before
        migration 0024, or by a laptop that restored an older dump): stored in the server database now, so every
        laptop sees them. The local files stay (they are the cache). Returns how many were stored."""
        if not self.folder.is_dir():
            return 0
        try:
            with self.engine.connect() as conn:
                wanted = [r[0] for r in conn.execute(text(
                    f"SELECT DISTINCT a.sha256 FROM attachment a WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {ATTACHMENT_CONTENT} c WHERE c.sha256 = a.sha256)"))]
        except SQLAlchemyError as exc:
            raise (explain_server(exc, self.engine.url) or exc) from exc
        stored = 0
        for sha256 in wanted:
            local = self.cache.get(sha256)  # a file under its hash's name whose content has that hash
            if local is not None:
                self.put(sha256, local)
                stored += 1
        return stored


def _server_error_text(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:200]


def explain_server(exc: BaseException, url, connecting: bool = False) -> DatabaseError | None:
    """The user-facing reason for a PostgreSQL failure, or None when it is not a server/connection problem."""
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or ""
    text = str(orig).lower()
    label = server_label(url)
    if state.startswith("28") or "password authentication failed" in text or "no password supplied" in text \
            or ("role" in text and "does not exist" in text):
        return DatabaseError(E_SERVER_LOGIN, server=label, database=url.database)
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return DatabaseError(E_SERVER_NO_DB, server=label, database=url.database)
    if state == "42501":
        return DatabaseError(E_SERVER_RIGHTS, detail=_server_error_text(exc))
    if state in ("55P03", "57014"):  # lock_not_available (lock_timeout), query_canceled
        return DatabaseError(E_IN_USE, path=label)
    if state == "53100":
        return DatabaseError(E_DISK_FULL, path=label)
    if connecting and not state:
        detail = _server_error_text(exc)
        if "timeout expired" in text:  # a host that is off or behind a firewall, a server that hangs
            detail = "服务器在限定时间内没有应答 no answer in time (connection timeout expired)"
        return DatabaseError(E_SERVER_UNREACHABLE, server=label, detail=detail)
    if state.startswith("08") or "server closed the connection" in text or "connection" in text and "lost" in text:
        return DatabaseError(E_SERVER_LOST, detail=_server_error_text(exc))
    return None


_QMARK_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")


def _qmark_to_format(conn, cursor, statement, parameters, context, executemany):
    """Hand-written SQL (exec_driver_sql) is written with SQLite's ? placeholders; psycopg takes %s.
    SQL compiled by SQLAlchemy is already in the driver's style and passes untouched."""
    if parameters and (context is None or context.compiled is None) and ("?" in statement or "%" in statement):
        def swap(match):
            token = match.group(0)
            if token == "?":
                return "%s"
            return token.replace("%", "%%")

        statement = _QMARK_TOKENS.sub(swap, statement)
    return statement, parameters


def driver_statement(conn, sql: str) -> str:
    """Hand-written SQL with SQLite's ? placeholders, in the style of `conn`'s own driver (for a cursor taken
    from conn.connection.driver_connection, which no SQLAlchemy hook sees); always execute it with a tuple."""
    if conn.dialect.paramstyle == "qmark":
        return sql
    return _QMARK_TOKENS.sub(lambda m: "%s" if m.group(0) == "?" else m.group(0).replace("%", "%%"), sql)


_INSERT_COLUMNS = re.compile(r'^\s*INSERT INTO "?(\w+)"?\s*\(([^)]*)\)', re.IGNORECASE)


def _advance_sequence(conn, cursor, statement, parameters, context, executemany) -> None:
    """Rows inserted with their ids given (bulk imports and demo data number their rows themselves, as on
    SQLite) leave a PostgreSQL sequence behind: move it past them, so the next ORM insert gets a free id."""
    found = _INSERT_COLUMNS.match(statement)
    if found and "id" in {c.strip().strip('"') for c in found.group(2).split(",")}:
        table_name = found.group(1)
        cursor.connection.execute(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST((SELECT max(id) FROM "{table_name}"), 1))',
            (table_name, "id"))


def _server_begin(conn) -> None:
    if conn.get_execution_options().get("immediate"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


SERVER_CONNECT_TIMEOUT = 10  # seconds libpq waits for a server to answer (connect_timeout) when the app opens it


def make_server_engine(url, connect_timeout: int = SERVER_CONNECT_TIMEOUT) -> Engine:
    engine = create_engine(url, isolation_level="READ COMMITTED", pool_pre_ping=True, pool_size=4,
                           connect_args={"connect_timeout": connect_timeout, "application_name": "renewal-desk",
                                         "options": f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} -c TimeZone=UTC"})
    event.listen(engine, "begin", _server_begin)
    event.listen(engine, "before_cursor_execute", _qmark_to_format, retval=True)
    event.listen(engine, "after_cursor_execute", _advance_sequence)
    return engine


def _probe_server(conn, url) -> str | None:
    """The Alembic revision stored in the server database; None when it is empty; refuses a foreign one."""
    if conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar() is None:
        if conn.exec_driver_sql("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").scalar():
            raise DatabaseError(E_SERVER_FOREIGN, database=url.database)
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


E_SERVER_NOT_READY = declare("db.server_not_ready", "已连上服务器，但数据库 {database} 还是空的：请先运行 renewal-desk server init；"
                             "未作任何修改。",
                             "Connected, but the database {database} is empty: run renewal-desk server init first; "
                             "nothing was changed.")


def probe_server(text: str, connect_timeout: int = SERVER_CONNECT_TIMEOUT) -> str:
    """Connect to a server database once and read its schema version (设置 → 数据库 → 测试连接): the revision,
    or DatabaseError in the words open_server would use. Nothing is created, upgraded or changed. A server that
    does not answer within `connect_timeout` seconds is unreachable."""
    url = server_url(text)
    engine = make_server_engine(url, connect_timeout)
    try:
        with engine.connect() as conn:
            revision = _probe_server(conn, url)
    except SQLAlchemyError as exc:
        raise (explain_server(exc, url, connecting=True) or exc) from exc
    finally:
        engine.dispose()
    if revision is None:
        raise DatabaseError(E_SERVER_NOT_READY, database=url.database)
    if revision not in known_revisions():
        raise DatabaseError(E_NEWER, found=revision, known=head_revision())
    return revision


def open_server(text: str, *, operator: str = "system", create: bool = False) -> Database:
    """Connect to a PostgreSQL database; `create` builds the schema in an empty one (server init, first
    start). An older schema is upgraded in one transaction under the write lock (so two laptops starting
    at once upgrade it once); a newer or foreign one is refused and left as it is."""
    url = server_url(text)
    engine = make_server_engine(url)
    try:
        try:
            with engine.connect() as conn:
                revision = _probe_server(conn, url)
        except SQLAlchemyError as exc:
            raise (explain_server(exc, url, connecting=True) or exc) from exc
        head = head_revision()
        if revision is not None and revision not in known_revisions():
            raise DatabaseError(E_NEWER, found=revision, known=head)
        if revision is None and not create:
            raise DatabaseError(E_SERVER_EMPTY, database=url.database,
                                server_url=url.render_as_string(hide_password=True).replace("+psycopg", ""))
        if revision != head:
            from alembic import command

            try:
                with engine.connect() as conn:
                    conn.execution_options(immediate=True)
                    with conn.begin():
                        command.upgrade(_alembic_config(conn), "head")
            except SQLAlchemyError as exc:
                raise (explain_server(exc, url) or exc) from exc
    except BaseException:
        engine.dispose()
        raise
    home = server_home(url)
    home.mkdir(parents=True, exist_ok=True)
    db = Database(home / url.database, engine, operator, url=url)
    try:
        db.blobs.adopt_local_files()  # photos this laptop kept before the server held attachments
    except BaseException:
        db.close()
        raise
    return db


def _check_server(conn) -> tuple[list[str], list[tuple]]:
    """PostgreSQL's side of `check`: constraints not validated, and the trigram search index the app relies on
    (the append-only audit triggers are the audit chain's check, as on SQLite)."""
    problems: list[str] = []
    invalid = [tuple(r) for r in conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, conname, contype FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND NOT c.convalidated")]
    if conn.exec_driver_sql("SELECT to_regclass('ix_household_search_trgm')").scalar() is None:
        problems.append("index ix_household_search_trgm missing")
    broken = conn.exec_driver_sql("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                  "WHERE n.nspname = current_schema() AND NOT i.indisvalid").scalar()
    if broken:
        problems.append(f"{broken} invalid index(es)")
    problems += _check_attachment_content(conn)
    return problems or ["ok"], invalid


def _check_attachment_content(conn, shown: int = 10) -> list[str]:
    """Every attachment row has its content in attachment_content, and every content there hashes to its key
    (all of them, hashed by the server itself: sha256() reads each content once, nothing crosses the network)."""
    problems = []
    missing = conn.execute(text(f"SELECT a.id, a.original_name FROM attachment a WHERE NOT EXISTS "
                                f"(SELECT 1 FROM {ATTACHMENT_CONTENT} c WHERE c.sha256 = a.sha256) "
                                "ORDER BY a.id")).all()
    problems += [f"attachment {i} ({name}): content missing" for i, name in missing[:shown]]
    if len(missing) > shown:
        problems.append(f"{len(missing) - shown} more attachments without content")
    altered = conn.execute(text(f"SELECT sha256 FROM {ATTACHMENT_CONTENT} "
                                "WHERE encode(sha256(content), 'hex') <> sha256 OR length(content) <> size "
                                "ORDER BY sha256")).scalars().all()
    problems += [f"attachment content {sha[:12]}…: does not match its hash" for sha in altered[:shown]]
    if len(altered) > shown:
        problems.append(f"{len(altered) - shown} more attachment contents not matching their hash")
    return problems


E_SERVER_DUMP = declare("db.server_dump", "服务器数据库备份失败：{detail}。未留下备份文件。",
                        "The server database's backup failed: {detail}. No backup file was left.")


E_NOT_A_DUMP = declare("db.not_a_dump", "该文件不是街区更新议事台服务器数据库的备份（renewal-desk backup 生成的服务器备份文件）："
                       "{path}；未作任何修改。",
                       "This file is not a backup of a Renewal Desk server database (a server dump made by "
                       "renewal-desk backup): {path}; nothing was changed.")
E_SERVER_RESTORE = declare("db.server_restore", "服务器数据库恢复失败：{detail}。数据保持恢复前的状态（恢复在一个事务中完成或不做）。",
                           "Restoring the server database failed: {detail}. The data is as it was before (the restore "
                           "is one transaction: all or nothing).")


def pg_program(name: str, conn) -> Path:
    """The PostgreSQL client program `name` of the server's major version (Debian: /usr/lib/postgresql/N/bin)."""
    major = int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
    for folder in (Path(f"/usr/lib/postgresql/{major}/bin"), PG_BIN):
        if (folder / name).exists():
            return folder / name
    raise DatabaseError(E_SERVER_DUMP, detail=f"{name} {major} not installed")


def _libpq_env(url) -> dict[str, str]:
    """The server's address for pg_dump/pg_restore as libpq environment variables (never on the command line)."""
    env = dict(os.environ)
    host = url.host or url.query.get("host")
    port = url.port or url.query.get("port")
    for key, value in (("PGHOST", host), ("PGPORT", port), ("PGUSER", url.username), ("PGPASSWORD", url.password),
                       ("PGDATABASE", url.database)):
        if value:
            env[key] = str(value[0] if isinstance(value, tuple) else value)
    return env


_DUMPING_TABLE = "dumping contents of table "


def dump_server(db: Database, out: Path, progress: Callable[[int, int], None] | None = None) -> dict | None:
    """A consistent custom-format dump (pg_dump -Fc --no-owner) of a server database into `out` (which must
    not exist), verified with pg_restore --list; returns the audit head in the dump ({"id", "sha256"}), read
    in the same snapshot the dump was taken from. progress(tables_dumped, tables): an exception it raises stops
    pg_dump (a cancel). A failure leaves no file."""
    import subprocess

    tmp = out.with_name(out.name + ".partial")
    try:
        with db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
                last_id, chain = audit.tail(conn)
                tables = conn.exec_driver_sql(  # the tables whose rows pg_dump copies (not an extension's)
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                    "AND NOT EXISTS (SELECT 1 FROM pg_depend d "
                    "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')").scalar()
                env = _libpq_env(db.url)
                _run_dump([str(pg_program("pg_dump", conn)), "-Fc", "--no-owner", "--verbose", "--snapshot",
                           snapshot, "-f", str(tmp)], env, tables, progress)
                listed = subprocess.run([str(pg_program("pg_restore", conn)), "--list", str(tmp)], env=env,
                                        capture_output=True, text=True)
                if listed.returncode or "TABLE DATA" not in listed.stdout or " audit_log " not in listed.stdout:
                    raise DatabaseError(E_SERVER_DUMP, detail="pg_restore --list: " + (listed.stderr.strip() or
                                                                                      "no tables")[:200])
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"id": last_id, "sha256": chain} if last_id else None


def _run_dump(command: list[str], env: dict, tables: int, progress: Callable[[int, int], None] | None) -> None:
    """pg_dump --verbose, its "dumping contents of table" lines counted into progress(done, tables); stopped
    (and waited for) when progress raises; DatabaseError with its error line when it fails."""
    import subprocess

    if progress is not None:
        progress(0, tables)
    done, lines = 0, []
    with subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace") as dump:
        try:
            for line in dump.stderr:
                lines = (lines + [line.strip()])[-20:]
                if _DUMPING_TABLE in line and progress is not None:
                    done = min(done + 1, tables)
                    progress(done, tables)
        except BaseException:
            dump.kill()
            raise
        code = dump.wait()
    if code:
        errors = [line for line in lines if "error" in line.lower()] or lines or ["?"]
        raise DatabaseError(E_SERVER_DUMP, detail=errors[-1][:200])
    if progress is not None:
        progress(tables, tables)


def _dump_revision(pg_restore: Path, dump: Path, env: dict) -> str | None:
    """The schema version stored in a dump (its alembic_version row), read without restoring anything."""
    import subprocess

    done = subprocess.run([str(pg_restore), "--data-only", "--table", "alembic_version", "-f", "-", str(dump)],
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise DatabaseError(E_SERVER_DUMP, detail=(done.stderr.strip().splitlines() or ["?"])[-1][:200])
    lines = done.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines) and lines[i + 1] != "\\.":
            return lines[i + 1].strip()
    return None


def restore_server(db: Database, dump: Path) -> None:
    """Replace the server database's contents with a dump of dump_server (pg_restore --clean --single-transaction:
    all or nothing). A dump of a newer schema, or not ours, is refused before anything changes. Extensions stay
    as the server's administrator installed them (the app's account may not drop or create them)."""
    import subprocess
    import tempfile

    env = _libpq_env(db.url)
    with db.engine.connect() as conn:
        pg_restore = pg_program("pg_restore", conn)
    listed = subprocess.run([str(pg_restore), "--list", str(dump)], env=env, capture_output=True, text=True)
    if listed.returncode or " audit_log " not in listed.stdout:
        raise DatabaseError(E_NOT_A_DUMP, path=str(dump))
    revision = _dump_revision(pg_restore, dump, env)
    if revision is None:
        raise DatabaseError(E_NOT_A_DUMP, path=str(dump))
    if revision not in known_revisions():
        raise DatabaseError(E_NEWER, found=revision, known=head_revision())
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as plan:
        plan.write("\n".join((";" + line) if " EXTENSION " in line else line for line in listed.stdout.splitlines()))
    try:
        db.engine.dispose()  # this copy's pooled connections hold no locks the restore waits for
        done = subprocess.run([str(pg_restore), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                               "--exit-on-error", "-L", plan.name, "-d", env.get("PGDATABASE", db.url.database),
                               str(dump)], env=env, capture_output=True, text=True)
    finally:
        os.unlink(plan.name)
    if done.returncode:
        raise DatabaseError(E_SERVER_RESTORE, detail=(done.stderr.strip().splitlines() or ["?"])[-1][:200])
