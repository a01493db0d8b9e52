"""Encryption at rest (issue 23, scope 5): an SQLite database, and its backups, encrypted with SQLCipher 4
(the `sqlcipher3` binding) under a key derived from the administrator's passphrase.

Optional, per database. An encrypted file has no readable header (its first 16 bytes are the salt), so
nothing in it can be read without the passphrase — not the ID numbers, names or password hashes that roles
protect only inside the app. The passphrase is asked once per start (the window's dialog, the command line's
prompt, or RENEWAL_DESK_PASSPHRASE for scripts) and kept in this process only. Lost passphrase = lost data:
there is no way back, and the app says so before it encrypts.

Key: SQLCipher 4's own derivation (PBKDF2-HMAC-SHA512, 256 000 iterations, the file's random salt), done
once per file and process here and handed to SQLCipher as the raw key, so the connections of a pool open
at once.

    passphrase(path)            the passphrase known for this run (given or from the environment), or None
    connect(path, passphrase)   an sqlcipher3 connection, keyed and checked (WrongPassphrase if not)
    encrypt(path, passphrase)   turn a plain database (and its backups) into encrypted ones, in place
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from .problems import CodedError, declare

PASSPHRASE_ENV = "RENEWAL_DESK_PASSPHRASE"
SQLITE_MAGIC = b"SQLite format 3\x00"
KDF_ITERATIONS = 256_000  # SQLCipher 4's default
SALT_BYTES = 16
MIN_PASSPHRASE = 8
Error = sqlcipher.Error
DatabaseError = sqlcipher.DatabaseError

E_NEEDS_PASSPHRASE = declare(
    "db.needs_passphrase",
    "数据库 {path} 已加密或不是 Renewal Desk 数据库：加密的数据库须给出口令（启动时输入，命令行提示输入或设置环境变量 "
    "RENEWAL_DESK_PASSPHRASE）。文件未作任何修改。",
    "The database {path} is encrypted, or is not a Renewal Desk database: an encrypted one needs its passphrase "
    "(asked at start, at the command line's prompt, or RENEWAL_DESK_PASSPHRASE). The file was not changed.")
E_WRONG_PASSPHRASE = declare(
    "db.wrong_passphrase",
    "口令不正确，或 {path} 不是 Renewal Desk 数据库（也可能已损坏）：无法打开。文件未作任何修改。",
    "Wrong passphrase, or {path} is not a Renewal Desk database (or it is damaged): it cannot be opened. The "
    "file was not changed.")
E_ALREADY = declare("db.already_encrypted", "数据库 {path} 已经加密；未作任何修改。",
                    "The database {path} is already encrypted; nothing was changed.")
E_SHORT = declare("db.passphrase_short", "口令至少 {min} 个字符。", "The passphrase must have at least {min} characters.")
E_MISMATCH = declare("db.passphrase_mismatch", "两次输入的口令不一致；未作任何修改。",
                     "The two passphrases differ; nothing was changed.")
E_ENCRYPT_FAILED = declare("db.encrypt_failed", "加密失败：{detail}；原数据库未作任何修改。",
                           "Encryption failed: {detail}; the database was not changed.")


class CipherError(CodedError):
    """A database that needs a passphrase, or whose passphrase is wrong: nothing was changed."""


_given: dict[str, str] = {}  # resolved path -> the passphrase given in this run (the dialog, the prompt)
_keys: dict[tuple[str, bytes], bytes] = {}  # (passphrase, salt) -> SQLCipher's raw key, derived once


def _key(path: Path) -> str:
    return str(Path(path).expanduser().absolute())


def give(path: Path, passphrase: str) -> None:
    """Remember the passphrase of a database (and of its backups) for the rest of this run."""
    _given[_key(path)] = passphrase


def forget(path: Path | None = None) -> None:
    if path is None:
        _given.clear()
    else:
        _given.pop(_key(path), None)


def passphrase(path: Path | None = None) -> str | None:
    """The passphrase for `path` in this run: given for it (or for the database whose backup it is), else from
    RENEWAL_DESK_PASSPHRASE, else the only one given so far (a backup copied elsewhere)."""
    if path is not None:
        found = _given.get(_key(path))
        if found:
            return found
        for known, value in _given.items():  # <folder>/<stem>-backups/<stem>.<stamp>.<reason>.sqlite
            db = Path(known)
            if Path(path).absolute().parent == db.parent / f"{db.stem}-backups":
                return value
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env
    values = set(_given.values())
    return values.pop() if len(values) == 1 else None


def is_plain(path: Path) -> bool:
    """An empty file, or one with SQLite's header (plain SQLite, or damaged): not encrypted."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return True
    return not head or head == SQLITE_MAGIC


def is_encrypted(path: Path) -> bool:
    """A file that opens with this run's passphrase (False without one: it cannot be told from noise)."""
    path = Path(path)
    if not path.is_file() or is_plain(path):
        return False
    secret = passphrase(path)
    if not secret:
        return False
    try:
        connect(path, secret, read_only=True).close()
    except CipherError:
        return False
    return True


def could_be_encrypted(path: Path) -> bool:
    """No SQLite header, and whole pages (SQLCipher's files are): perhaps encrypted, perhaps noise."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return False
    return not is_plain(path) and size >= 1024 and size % 512 == 0


def encrypted_or_refuse(path: Path, error: type) -> bool:
    """For opening a file without SQLite's header: True when it opens with this run's passphrase; False when
    it cannot be encrypted (the caller says "not a database"); `error(code, path=…)` raised when it needs a
    passphrase none was given for, or when the one given does not open it."""
    if not could_be_encrypted(path):
        return False
    secret = passphrase(path)
    if not secret:
        raise error(E_NEEDS_PASSPHRASE, path=str(path))
    try:
        connect(path, secret, read_only=True).close()
    except CipherError as exc:
        raise error(exc.code, **exc.params) from exc
    return True


def engine_options(path: Path) -> dict:
    """create_engine() arguments for a database file: none for a plain one; for an encrypted one the
    sqlcipher3 driver, each connection keyed (the raw key derived once) before SQLAlchemy uses it."""
    path = Path(path)
    if is_plain(path) or not passphrase(path):
        return {}
    secret = passphrase(path)

    def creator():
        return connect(path, secret, check_same_thread=False)
    return {"module": sqlcipher, "creator": creator}


def raw_key(secret: str, salt: bytes) -> bytes:
    found = _keys.get((secret, salt))
    if found is None:
        found = _keys[(secret, salt)] = hashlib.pbkdf2_hmac("sha512", secret.encode("utf-8"), salt, KDF_ITERATIONS, 32)
    return found


def _salt(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            salt = fh.read(SALT_BYTES)
    except OSError:
        return None
    return salt if len(salt) == SALT_BYTES else None


def key_pragma(path: Path, secret: str) -> str:
    """PRAGMA key for this file: the raw key with the file's salt; a new (empty) file gets the passphrase,
    SQLCipher then makes its salt."""
    salt = _salt(path)
    if salt is None:
        return "PRAGMA key = '" + secret.replace("'", "''") + "'"
    return f"PRAGMA key = \"x'{raw_key(secret, salt).hex()}{salt.hex()}'\""


def apply_key(con, path: Path, secret: str) -> None:
    """Key a new connection and check the key (SQLCipher only finds out at the first read)."""
    con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not SQLCipher's log lines
    con.execute(key_pragma(path, secret))
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        raise CipherError(E_WRONG_PASSPHRASE, path=str(path)) from exc


def connect(path: Path, secret: str, read_only: bool = False, **kwargs):
    """An sqlcipher3 connection to an encrypted file, keyed and checked."""
    path = Path(path)
    target = f"file:{path}?mode=ro" if read_only else str(path)
    con = sqlcipher.connect(target, uri=read_only, **kwargs)
    try:
        apply_key(con, path, secret)
    except BaseException:
        con.close()
        raise
    return con


def connect_any(path: Path, read_only: bool = False):
    """A DB-API connection to a database file, plain (sqlite3) or encrypted (sqlcipher3, this run's passphrase)."""
    import sqlite3

    path = Path(path)
    if is_plain(path) or not passphrase(path):
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True) if read_only else sqlite3.connect(path)
    return connect(path, passphrase(path), read_only=read_only)


def check_passphrase(secret: str, again: str | None = None) -> None:
    from .problems import InputError, Problem

    if len(secret or "") < MIN_PASSPHRASE:
        raise InputError(Problem(E_SHORT, {"min": MIN_PASSPHRASE}, field="passphrase"))
    if again is not None and again != secret:
        raise InputError(Problem(E_MISMATCH, field="passphrase"))


def encrypt_file(path: Path, secret: str) -> None:
    """Encrypt one plain database file in place: an encrypted copy is written beside it, checked, then put
    in its place in one rename (a failure leaves the plain file as it was)."""
    import sqlite3

    path = Path(path)
    part = path.with_name(f".{path.name}.encrypting")
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{part}{suffix}").unlink(missing_ok=True)
    os.close(os.open(part, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    os.chmod(part, 0o600)
    try:
        plain = sqlite3.connect(path)
        try:
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            version = plain.execute("PRAGMA user_version").fetchone()[0]
        finally:
            plain.close()
        con = sqlcipher.connect(str(path))  # plain: no key on the main database
        try:
            con.execute("PRAGMA cipher_log_level = NONE")
            con.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(part), secret))
            con.execute("SELECT sqlcipher_export('encrypted')")
            con.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            con.execute("DETACH DATABASE encrypted")
        finally:
            con.close()
        check = connect(part, secret)
        try:
            if [r[0] for r in check.execute("PRAGMA integrity_check")] != ["ok"]:
                raise CipherError(E_ENCRYPT_FAILED, detail="integrity_check")
            check.execute("PRAGMA journal_mode = WAL")
        finally:
            check.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(part, path)
    except (sqlite3.Error, sqlcipher.Error) as exc:
        raise CipherError(E_ENCRYPT_FAILED, detail=str(exc)) from exc
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)


def encrypt(path: Path, secret: str, backups: list[Path] = ()) -> int:
    """Encrypt a closed plain database and the given backups of it (no clear copy is left in its backup
    folder); the passphrase is then known for the rest of this run. Returns the number of backups encrypted."""
    path = Path(path)
    check_passphrase(secret)
    if not is_plain(path):
        raise CipherError(E_ALREADY, path=str(path))
    encrypt_file(path, secret)
    give(path, secret)
    done = 0
    for copy in backups:
        if Path(copy).is_file() and is_plain(copy):
            encrypt_file(copy, secret)
            done += 1
    return done
