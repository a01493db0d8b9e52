"""Encrypting an open database and its backups (issue 23, scope 5): one service for `renewal-desk encrypt`
and the window's 文件 → 加密数据库… (core.cipher does the file work)."""

from __future__ import annotations

from .. import backup, cipher
from ..audit import record_event
from ..db import Database, make_engine

WARNING_ZH = ("加密后，没有口令就无法打开这个数据库和它的备份：口令丢失＝数据丢失，任何人（包括本程序的开发者）都无法找回。"
              "请把口令写下来，交给单位负责人妥善保管。")
WARNING_EN = ("After encryption this database and its backups cannot be opened without the passphrase: a lost "
              "passphrase means lost data, and nobody can recover it. Write it down and give it to the office's head.")


def encrypt_database(db: Database, secret: str, again: str | None = None) -> int:
    """Encrypt `db`'s file in place and every backup in its backups folder (administrator), then go on with the
    same Database on the encrypted file; audited. The caller has let running work finish. Returns the number
    of backups encrypted."""
    db.require("encrypt")
    cipher.check_passphrase(secret, again)
    if not cipher.is_plain(db.path):
        raise cipher.CipherError(cipher.E_ALREADY, path=str(db.path))
    copies = [b.path for b in backup.list_backups(db.path)]
    db.engine.dispose()  # every connection closed: the plain file is replaced by one rename
    done = cipher.encrypt(db.path, secret, copies)
    engine = make_engine(db.path)  # keyed now (cipher.give was called)
    db.engine = engine
    db._sessions.configure(bind=engine)
    db._write_sessions.configure(bind=engine.execution_options(immediate=True))
    with db.write(note="加密数据库", need="event") as s:
        record_event(s, "encrypt", "database", note=f"数据库已加密（SQLCipher），备份 {done} 份一并加密",
                     after={"backups": done})
    return done
