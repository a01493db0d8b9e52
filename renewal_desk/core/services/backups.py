"""Backups a user never has to ask for: on close, daily, before upgrades and restores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .. import backup
from ..audit import record_event
from ..db import Database, open_database


def backup_now(db: Database, reason: str = "manual", out: Path | None = None,
               progress: Callable[[int, int], None] | None = None) -> Path:
    """A backup into the rotation, or to a chosen file that must not exist yet (never overwrite data).

    Asked for by a person (not the automatic ones): a full copy of the data, so the role must allow it.
    progress(pages_done, pages_total); an exception raised by it cancels the backup (no file is left).
    """
    db.require("backup")
    if out is None:
        return backup.rotate_backup(db.backup_file, reason, progress=progress)
    out = Path(out).expanduser().resolve()
    if out.exists() or out == db.backup_file:
        raise backup.BackupError(backup.E_OUT_EXISTS, path=str(out))
    db.check_output(out)  # nor the database's journal, backups folder or attachment store
    return backup.online_backup(db.path, out, progress)


def backup_if_due(db: Database, now: datetime | None = None) -> Path | None:
    if db.daily_backup_due(now=now):
        return backup.rotate_backup(db.path, "daily", now=now)
    return None


def last_backup_time(db_path: Path) -> datetime | None:
    latest = backup.latest_backup(db_path)
    return latest.taken_at if latest else None


def restore_backup(db_path: Path, backup_file: Path, operator: str) -> Path | None:
    """Replace the database with a backup (the caller has closed it); the restore is audited."""
    safety = backup.restore(db_path, backup_file)
    db = open_database(db_path, operator=operator)
    try:
        with db.write(need="event") as s:  # the caller checked the role before the file was replaced
            record_event(s, "restore", "database", note=f"从备份恢复：{Path(backup_file).name}",
                         after={"backup": str(backup_file), "safety_copy": str(safety) if safety else None})
    finally:
        db.close()
    return safety
