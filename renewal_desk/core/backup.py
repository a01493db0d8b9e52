"""Backups: SQLite's online backup API, verified, rotated, restorable.

Backups are taken without being asked: before every schema upgrade, when the app closes, once a
day while it runs, and before a restore. Each copy is checked with `PRAGMA integrity_check`
before it counts; old copies are pruned per reason, newest kept.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import cipher
from .problems import CodedError, declare
from .schema import known_revisions

SQL_ERRORS = (sqlite3.Error, cipher.Error)  # a plain file's driver, an encrypted one's (core.cipher)
DB_ERRORS = (sqlite3.DatabaseError, cipher.DatabaseError)

E_BACKUP_BAD = declare("backup.bad", "备份文件未通过完整性检查：{path}（{detail}）",
                       "The backup file failed its integrity check: {path} ({detail})")
E_BACKUP_FAILED = declare("backup.failed", "备份失败：{detail}", "Backup failed: {detail}")
E_BACKUP_FOREIGN = declare("backup.foreign", "该文件不是街区更新议事台的备份：{path}；未作任何修改",
                           "This file is not a Renewal Desk backup: {path}; nothing was changed")
E_BACKUP_NEWER = declare("backup.newer", "该备份来自更新版本的程序（结构版本 {found}），请先升级程序；未作任何修改",
                         "This backup comes from a newer version of the program (schema {found}); upgrade first. "
                         "Nothing was changed")
E_OUT_EXISTS = declare("backup.out_exists", "目标文件已存在：{path}；为免覆盖其他数据，请换一个文件名",
                       "The target file exists: {path}; choose another name so no other data is overwritten")
E_TARGET = declare("backup.target", "恢复目标不是数据库文件：{path}", "The restore target is not a database file: {path}")

KEEP = {"close": 10, "daily": 14, "manual": 50}
DEFAULT_KEEP = 10
STAMP = "%Y%m%d-%H%M%S-%f"


class BackupError(CodedError):
    """A backup that could not be taken, or a file that is not a sound backup."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_dir_for(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-backups"


def verify(path: Path, restorable: bool = False) -> None:
    """Integrity ok; with `restorable`, also our tables and a schema this program knows."""
    if not Path(path).is_file():
        raise BackupError(E_BACKUP_BAD, path=str(path), detail="不是文件 not a file")
    try:
        con = cipher.connect_any(path, read_only=True)
        try:
            result = [r[0] for r in con.execute("PRAGMA integrity_check")]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = (con.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0] \
                if "alembic_version" in tables else None
        finally:
            con.close()
    except DB_ERRORS as exc:
        raise BackupError(E_BACKUP_BAD, path=str(path), detail=str(exc)) from exc
    except cipher.CipherError as exc:
        raise BackupError(E_BACKUP_BAD, path=str(path), detail=exc.message()) from exc
    if result != ["ok"]:
        raise BackupError(E_BACKUP_BAD, path=str(path), detail="; ".join(result[:3]))
    if not restorable:
        return
    if not {"household", "person", "audit_log"} <= tables:
        raise BackupError(E_BACKUP_FOREIGN, path=str(path))
    if revision not in known_revisions():
        raise BackupError(E_BACKUP_NEWER, path=str(path), found=str(revision))


def truncation(path: Path, header: bytes) -> tuple[int, int] | None:
    """(size, expected size) when a file is shorter than the page count in its own header says: it was cut
    off (a copy that stopped half-way); None when it is whole or the header is not one SQLite would trust.

    SQLite trusts that count only when the header says it is current ("version-valid-for" equals the change
    counter); checkpoints write header and pages together, so a sound file is never shorter.
    """
    if len(header) < 100:
        return len(header), 100
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1) or header[24:28] != header[92:96] or not pages:
        return None  # not a header SQLite would trust either: its own checks say "damaged"
    size, expected = path.stat().st_size, pages * page_size
    return (size, expected) if size < expected else None


def is_damaged(path: Path) -> bool:
    """True when SQLite itself says the file is not a database or is corrupt (not: locked, read-only)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        if header[:16] == b"SQLite format 3\x00" and truncation(Path(path), header) is not None:
            return True  # cut off
    except OSError:
        pass
    try:
        con = cipher.connect_any(path, read_only=True)
        try:
            return [r[0] for r in con.execute("PRAGMA quick_check")] != ["ok"]
        finally:
            con.close()
    except cipher.CipherError:
        return False  # encrypted under another passphrase: not known to be damaged, never moved aside
    except DB_ERRORS as exc:
        return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) \
            or "malformed" in str(exc) or "not a database" in str(exc)


BACKUP_STEP_PAGES = 4096  # pages copied between progress reports (16 MB at SQLite's default page size)


META_SUFFIX = ".json"  # beside each backup of the rotation: when, size, and the audit log's head in the copy


def meta_path(backup_file: Path) -> Path:
    return Path(f"{backup_file}{META_SUFFIX}")


def read_meta(backup_file: Path) -> dict:
    """The metadata written beside a backup of the rotation ({} when there is none)."""
    import json

    try:
        found = json.loads(meta_path(backup_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _audit_head(con) -> dict | None:
    """{"id", "sha256"} of the newest audit entry of a copy (None: no chained log in it)."""
    try:
        row = con.execute("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    except SQL_ERRORS:
        return None
    return {"id": row[0], "sha256": row[1]} if row and row[1] else None


def online_backup(src: Path, out: Path, progress: Callable[[int, int], None] | None = None,
                  meta: bool = False) -> Path:
    """Copy a live database consistently (other connections may keep working), then verify the copy.

    progress(pages_done, pages_total) is called as the copy goes; an exception raised by it (a cancel) stops
    the copy and leaves no file behind. With `meta`, `<out>.json` records the copy's audit head (the id and
    chain hash of its newest entry: a later check of the live log shows whether it was cut back since)."""
    out = Path(out)
    if not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(out.parent, 0o700)  # a new backups folder: owner-only, whatever the umask
    tmp = out.with_name(out.name + ".part")
    os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    os.chmod(tmp, 0o600)  # a full clear copy of the data: owner-only
    try:
        source = cipher.connect_any(src, read_only=True)
        try:  # a copy of an encrypted database is encrypted under the same passphrase
            target = sqlite3.connect(tmp) if cipher.is_plain(src) else cipher.connect(tmp, cipher.passphrase(src))
            try:
                if progress is None:
                    source.backup(target)
                else:
                    source.backup(target, pages=BACKUP_STEP_PAGES,
                                  progress=lambda _status, remaining, total: progress(total - remaining, total))
                target.execute("PRAGMA journal_mode = DELETE")
                head = _audit_head(target)
            finally:
                target.close()
        finally:
            source.close()
        verify(tmp)
        os.replace(tmp, out)
        if meta:
            _write_meta(out, head)
    except SQL_ERRORS as exc:
        _remove_partial(tmp)
        raise BackupError(E_BACKUP_FAILED, detail=_reason(exc)) from exc
    except OSError as exc:  # e.g. the file-size limit or a full disk while SQLite was not writing
        _remove_partial(tmp)
        raise BackupError(E_BACKUP_FAILED, detail=f"无法写入 {out.parent}（{exc.strerror or exc}）") from exc
    except BaseException:
        _remove_partial(tmp)
        raise
    return out


def _write_meta(out: Path, head: dict | None) -> None:
    import json

    body = {"taken_at": datetime.now().astimezone().isoformat(timespec="seconds"), "bytes": out.stat().st_size,
            "audit_head": head}
    target = meta_path(out)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh)
    os.chmod(target, 0o600)


def _remove_partial(tmp: Path) -> None:
    """A failed copy leaves nothing behind: the file and its journal (a failed write leaves a hot one)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _reason(exc) -> str:
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR_WRITE") or name == "SQLITE_IOERR_FSYNC":
        return f"磁盘已满或无法写入，备份未完成 disk full or not writable ({exc})"
    return str(exc)


SERVER_DUMP = ".dump"  # an office server's pg_dump (services.backups), named as a file's copies


def list_backups(db_path: Path, backup_dir: Path | None = None, suffix: str = ".sqlite") -> list[BackupInfo]:
    """The copies of a database file, newest first; with suffix=SERVER_DUMP, the dumps of a server database
    taken on this computer (db_path: its Database.path)."""
    folder = backup_dir or backup_dir_for(db_path)
    found = []
    # Names are "<stem>.<YYYYmmdd-HHMMSS-micro>.<reason>.sqlite" (or .dump).
    for file in folder.glob(f"{db_path.stem}.*{suffix}") if folder.exists() else []:
        parts = file.name[len(db_path.stem) + 1:].split(".")
        try:
            taken = datetime.strptime(parts[0], STAMP)
        except (ValueError, IndexError):
            continue
        reason = parts[1] if len(parts) > 2 else "manual"
        found.append(BackupInfo(file, taken, reason, file.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def latest_backup(db_path: Path, backup_dir: Path | None = None, suffix: str = ".sqlite") -> BackupInfo | None:
    backups = list_backups(db_path, backup_dir, suffix)
    return backups[0] if backups else None


def latest_good_backup(db_path: Path, backup_dir: Path | None = None) -> BackupInfo | None:
    """The newest backup that passes its integrity check and can be restored (a damaged newest one is skipped)."""
    for info in list_backups(db_path, backup_dir):
        try:
            verify(info.path, restorable=True)
        except BackupError:
            continue
        return info
    return None


def rotate_backup(db_path: Path, reason: str, backup_dir: Path | None = None,
                  now: datetime | None = None, progress: Callable[[int, int], None] | None = None) -> Path:
    """Take a backup named by time and reason into the backup folder, then prune that reason's old ones."""
    folder = backup_dir or backup_dir_for(db_path)
    now = now or datetime.now()
    out = folder / f"{db_path.stem}.{now.strftime(STAMP)}.{reason}.sqlite"
    online_backup(db_path, out, progress, meta=True)
    keep = KEEP.get(reason, DEFAULT_KEEP)
    same = [b for b in list_backups(db_path, folder) if b.reason == reason]
    for old in same[keep:]:
        old.path.unlink(missing_ok=True)
        meta_path(old.path).unlink(missing_ok=True)
    return out


def daily_backup_due(db_path: Path, backup_dir: Path | None = None, now: datetime | None = None) -> bool:
    """Daily copies are their own series: backups on close (kept 10) never stand in for them."""
    latest = next((b for b in list_backups(db_path, backup_dir) if b.reason == "daily"), None)
    now = now or datetime.now()
    return latest is None or (now - latest.taken_at).total_seconds() >= 24 * 3600


def restore(db_path: Path, backup_file: Path, backup_dir: Path | None = None) -> Path | None:
    """Replace the database's contents with a verified backup; the current state is backed up first.

    The caller must have closed its own engine. Returns the safety backup of the replaced state. A
    current file that SQLite calls damaged is moved aside with its -wal/-shm (never deleted); any
    other failure to take the safety backup stops the restore before anything is replaced.
    """
    backup_file = Path(backup_file)
    verify(backup_file, restorable=True)
    if db_path.exists() and not db_path.is_file():
        raise BackupError(E_TARGET, path=str(db_path))
    safety = None
    damaged = db_path.exists() and db_path.stat().st_size > 0 and is_damaged(db_path)
    if damaged:
        stamp = datetime.now().strftime(STAMP)
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{db_path}{suffix}")
            if part.exists():
                os.replace(part, part.with_name(f"{part.name}.damaged-{stamp}"))
    elif db_path.exists() and db_path.stat().st_size > 0:
        safety = rotate_backup(db_path, "before-restore", backup_dir)  # raises: nothing replaced
    _copy_into(backup_file, db_path)
    return safety


def _copy_into(backup_file: Path, db_path: Path) -> None:
    source = cipher.connect_any(backup_file, read_only=True)
    try:
        if not (cipher.is_plain(backup_file) and cipher.is_plain(db_path)):
            # encrypted (either side; the replaced state is in its safety copy): the file is made anew, an
            # encrypted backup restoring as an encrypted database under the same passphrase
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            os.close(os.open(db_path, os.O_CREAT | os.O_WRONLY, 0o600))
        if cipher.is_plain(backup_file):
            target = sqlite3.connect(db_path)
        else:
            target = cipher.connect(db_path, cipher.passphrase(backup_file))
        try:
            source.backup(target)
        finally:
            target.close()
    except SQL_ERRORS as exc:
        raise BackupError(E_BACKUP_FAILED, detail=str(exc)) from exc
    finally:
        source.close()
