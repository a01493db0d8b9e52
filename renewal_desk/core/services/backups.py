"""Backups a user never has to ask for: on close, daily, before upgrades and restores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .. import audit, backup, cipher
from ..audit import record_event
from ..problems import declare
from ..db import Database, open_database


def backup_now(db: Database, reason: str = "manual", out: Path | None = None,
               progress: Callable[[int, int], None] | None = None) -> Path:
    """A backup into the rotation, or to a chosen file that must not exist yet (never overwrite data).

    Asked for by a person (not the automatic ones): a full copy of the data, so the role must allow it.
    progress(pages_done, pages_total); an exception raised by it cancels the backup (no file is left).
    """
    db.require("backup")
    if not db.backs_up_here:  # the office server: a pg_dump, taken and verified through core.db
        return _dump_server(db, reason, out, progress)
    if out is None:
        made = backup.rotate_backup(db.backup_file, reason, progress=progress)
    else:
        out = Path(out).expanduser().resolve()
        if out.exists() or out == db.backup_file:
            raise backup.BackupError(backup.E_OUT_EXISTS, path=str(out))
        db.check_output(out)  # nor the database's journal, backups folder or attachment store
        made = backup.online_backup(db.backup_file, out, progress)
    head = backup.read_meta(made).get("audit_head") if out is None else _copy_head(made)
    with db.write(note="手动备份", need="backup") as s:  # a full clear copy of the data: who, when, where
        record_event(s, "backup", "database", note=f"手动备份到 {made}",
                     after={"path": str(made), "bytes": made.stat().st_size, "audit_head": head})
    return made


def _dump_server(db: Database, reason: str, out: Path | None,
                 progress: Callable[[int, int], None] | None = None) -> Path:
    """The server database as one consistent pg_dump file, with `<file>.json` (when, size, audit head) as the
    rotation writes beside a file's copies; by default into this computer's backups folder for that server,
    named as the rotation names a file's copies (backup.list_backups finds them). progress(tables_dumped,
    tables); an exception it raises stops the dump (no file is left)."""
    from ..db import dump_server

    if out is None:
        folder = backup.backup_dir_for(db.path)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        out = folder / f"{db.path.stem}.{datetime.now().strftime(backup.STAMP)}.{reason}{backup.SERVER_DUMP}"
    else:
        out = Path(out).expanduser().resolve()
        if out.exists():
            raise backup.BackupError(backup.E_OUT_EXISTS, path=str(out))
        db.check_output(out)
    head = dump_server(db, out, progress)
    backup._write_meta(out, head)
    with db.write(note="手动备份", need="backup") as s:
        record_event(s, "backup", "database", note=f"手动备份到 {out}",
                     after={"path": str(out), "bytes": out.stat().st_size, "audit_head": head})
    return out


def restore_server_backup(db: Database, dump: Path) -> Path:
    """Replace the office server's data with a dump of backup_now (administrators only; a newer schema's dump is
    refused before anything changes); first a safety dump of what is replaced, returned. The restore is audited
    in the restored data. Unlike a file's restore, the replaced data's later audit entries stay in the safety
    dump only (not carried forward)."""
    from ..db import restore_server

    db.require("restore")
    safety = _dump_server(db, "before-restore", None)
    restore_server(db, Path(dump))
    db.forget_versions()
    db.refresh_access()
    with db.write(need="event") as s:
        record_event(s, "restore", "database", note=f"从备份恢复：{Path(dump).name}",
                     after={"backup": str(dump), "safety_copy": str(safety)})
    return safety


def _copy_head(path: Path) -> dict | None:
    con = cipher.connect_any(path, read_only=True)
    try:
        return backup._audit_head(con)
    finally:
        con.close()


def backup_if_due(db: Database, now: datetime | None = None) -> Path | None:
    if db.daily_backup_due(now=now):
        return backup.rotate_backup(db.path, "daily", now=now)
    return None


def last_backup_time(db_path: Path, suffix: str = ".sqlite") -> datetime | None:
    """When the newest copy of a database file was taken (suffix=backup.SERVER_DUMP: a server's dump here)."""
    latest = backup.latest_backup(db_path, suffix=suffix)
    return latest.taken_at if latest else None


def restore_backup(db_path: Path, backup_file: Path, operator: str) -> Path | None:
    """Replace the database with a backup (the caller has closed it and checked the role: see
    authorize_restore); the replaced database's audit entries the backup lacks are carried forward into
    the restored one (an old backup restored again and again never loses a later entry), then the restore
    itself is audited."""
    if has_accounts(db_path) and not has_accounts(backup_file):
        raise backup.BackupError(E_NO_ACCOUNTS, path=str(backup_file))
    safety = backup.restore(db_path, backup_file)
    db = open_database(db_path, operator=operator)
    try:
        with db.write(need="event") as s:
            carried, first = audit.carry_forward(s.connection(), safety) if safety else (0, None)
            note = f"从备份恢复：{Path(backup_file).name}"
            if carried:
                note += f"；带入恢复前的审计记录 {carried} 条（原第 {first} 条起）"
            record_event(s, "restore", "database", note=note,
                         after={"backup": str(backup_file), "safety_copy": str(safety) if safety else None,
                                "audit_carried": carried, "audit_carried_from": first})
    finally:
        db.close()
    return safety


E_NO_ACCOUNTS = declare("backup.no_accounts", "该备份没有任何账户，而当前数据库已启用账户：恢复它会去掉所有登录和权限保护。"
                        "请选择启用账户之后的备份；未作任何修改。（{path}）",
                        "This backup has no accounts but the current database has: restoring it would remove every "
                        "login and permission. Choose a backup taken after accounts were set up; nothing was changed. "
                        "({path})")
E_RESTORE_LOGIN = declare("backup.restore_login", "当前数据库无法打开（{reason}），无法核对权限：恢复需要管理员账户和密码"
                          "（命令行：--user 管理员账户名，密码取自 RENEWAL_DESK_PASSWORD）。未作任何修改。",
                          "The current database cannot be opened ({reason}), so permissions cannot be checked: a "
                          "restore needs an administrator's name and password (--user NAME, the password from "
                          "RENEWAL_DESK_PASSWORD). Nothing was changed.")
E_RESTORE_DENIED = declare("backup.restore_denied", "账户名或密码不正确，或该账户不是启用的管理员；未作任何修改。",
                           "Wrong account name or password, or the account is not an active administrator; nothing "
                           "was changed.")


def has_accounts(path: Path) -> bool | None:
    """Whether the file has an active account with a password, read without opening it as the app does
    (a file of a newer schema too); None when it cannot be read at all."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        con = cipher.connect_any(path, read_only=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "operator" not in tables:
                return False
            columns = {r[1] for r in con.execute("PRAGMA table_info(operator)")}
            if "password_hash" not in columns:
                return False
            return con.execute("SELECT 1 FROM operator WHERE password_hash IS NOT NULL AND active LIMIT 1"
                               ).fetchone() is not None
        finally:
            con.close()
    except (*backup.SQL_ERRORS, cipher.CipherError):
        return None


def _offline_admin(path: Path, name: str, password: str) -> bool:
    """True when `name` is an active administrator of the file and `password` is theirs (read-only)."""
    from .accounts import ADMIN, verify_password

    try:
        con = cipher.connect_any(path, read_only=True)
        try:
            row = con.execute("SELECT password_hash, role, active FROM operator WHERE name = ?", (name,)).fetchone()
        finally:
            con.close()
    except (*backup.SQL_ERRORS, cipher.CipherError):
        return False
    found = row is not None and bool(row[2]) and row[1] == ADMIN
    ok = verify_password(password, row[0] if found else "scrypt$16384$8$1$00$00")  # same work either way
    return found and ok


def authorize_restore(db_path: Path, backup_file: Path, reason: str, name: str | None,
                      password: str | None) -> str | None:
    """The check for a restore over a database that cannot be opened (a newer schema, damage): an
    administrator of that file (when it can still be read and has accounts), else of the backup (when it has
    accounts), must give their password. Returns the administrator's name for the audit log, None when
    neither file has accounts (an open database, as before accounts). Raises BackupError otherwise."""
    current = has_accounts(db_path)
    if current:
        authority = db_path
    elif current is None and has_accounts(backup_file):
        authority = Path(backup_file)
    else:
        return None
    if not name or not password:
        raise backup.BackupError(E_RESTORE_LOGIN, reason=reason)
    attempts = _RestoreAttempts(authority)
    attempts.refuse_if_locked()
    if not _offline_admin(authority, name, password):
        attempts.failed()
        raise backup.BackupError(E_RESTORE_DENIED)
    attempts.succeeded()
    return name


E_RESTORE_LOCKED = declare("backup.restore_locked", "恢复时管理员密码连续输错 {count} 次，已锁定 {minutes} 分钟，请稍后再试；"
                           "未作任何修改。",
                           "The administrator's password was wrong {count} times in a row for this restore: locked "
                           "for {minutes} minutes, try again later. Nothing was changed.")


class _RestoreAttempts:
    """Wrong administrator passwords given to a restore over a database that cannot be opened (so its own
    failed-login counter cannot be written): counted per file in the data folder, owner-only, surviving
    restarts; after accounts.MAX_FAILED in a row the check is refused for accounts.LOCK_MINUTES."""

    FILE = "restore-attempts.json"

    def __init__(self, authority: Path):
        from ..paths import data_dir

        self.path = data_dir() / self.FILE
        self.key = str(Path(authority).resolve())

    def _load(self) -> dict:
        import json

        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
            return found if isinstance(found, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save(self, state: dict) -> None:
        import json
        import os

        tmp = self.path.with_name(f".{self.FILE}.{os.getpid()}.part")
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def refuse_if_locked(self) -> None:
        from .accounts import LOCK_MINUTES, MAX_FAILED

        entry = self._load().get(self.key) or {}
        until = entry.get("locked_until")
        if isinstance(until, (int, float)) and until > datetime.now().timestamp():
            raise backup.BackupError(E_RESTORE_LOCKED, count=str(MAX_FAILED), minutes=str(LOCK_MINUTES))

    def failed(self) -> None:
        from .accounts import LOCK_MINUTES, MAX_FAILED

        state = self._load()
        entry = state.get(self.key) if isinstance(state.get(self.key), dict) else {}
        count = int(entry.get("failed", 0) or 0) + 1
        entry = {"failed": count}
        if count >= MAX_FAILED:
            entry = {"failed": 0, "locked_until": datetime.now().timestamp() + LOCK_MINUTES * 60}
        state[self.key] = entry
        self._save(state)

    def succeeded(self) -> None:
        state = self._load()
        if state.pop(self.key, None) is not None:
            self._save(state)
