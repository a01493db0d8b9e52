"""Attachments: files kept once by content hash in the data folder, linked to any record.

The store lives next to the database (`<name>-files/ab/abcdef…`), so a database and its files move
together. Adding the same photo twice stores it once; the database row records who attached it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..models import Attachment
from ..problems import InputError, Problem, declare

E_NO_FILE = declare("attachment.no_file", "附件文件不存在：{value}", "Attachment file not found: {value}")
E_TOO_BIG = declare("attachment.too_big", "附件过大（{size} MB），上限 {max} MB", "The attachment is too large ({size} MB, at most {max} MB)")
E_MISSING = declare("attachment.missing", "附件“{name}”的文件已丢失（{path}）", "The file of attachment '{name}' is missing ({path})")
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    uuid: str
    sha256: str
    original_name: str
    mime_type: str
    size: int
    caption: str


def store_dir(db: Database) -> Path:
    return db.path.parent / f"{db.path.stem}-files"


def private_folder(folder: Path) -> Path:
    """`folder` and every missing parent made owner-only (0700), whatever the umask: the attachment store and
    anything kept in it (photos of problems, scans of signed papers) hold personal data."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(exist_ok=True)
        os.chmod(p, 0o700)
    return folder


def stored_path(db: Database, sha256: str) -> Path:
    return store_dir(db) / sha256[:2] / sha256


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the store, not yet linked to a record."""

    sha256: str
    original_name: str
    mime_type: str
    size: int


def store_file(db: Database, file: str | Path) -> StoredFile:
    """Copy a file into the store (once per content); link it with `link_file` in a transaction."""
    file = Path(file)
    if not file.is_file():
        raise InputError(Problem(E_NO_FILE, {"value": file.name}, value=str(file)))
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise InputError(Problem(E_TOO_BIG, {"size": size // (1 << 20), "max": MAX_BYTES // (1 << 20)}))
    sha = _hash(file)
    target = stored_path(db, sha)
    if not target.exists():
        private_folder(target.parent)
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(file, tmp)
        os.replace(tmp, target)  # a crash leaves a .part file, never a half file under the hash name
    mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return StoredFile(sha, file.name[:255], mime, size)


def link_file(session: Session, owner_table: str, owner_id: int, stored: StoredFile, caption: str = "") -> int:
    """The attachment row for a stored file, in the caller's transaction; returns its id."""
    row = Attachment(sha256=stored.sha256, original_name=stored.original_name, mime_type=stored.mime_type,
                     size=stored.size, owner_table=owner_table, owner_id=owner_id, caption=caption.strip())
    session.add(row)
    session.flush()
    return row.id


def add_attachment(db: Database, owner_table: str, owner_id: int, file: str | Path, caption: str = "") -> int:
    """Copy a file into the store (once per content) and link it to a record; returns the attachment id."""
    stored = store_file(db, file)
    with db.write() as s:
        return link_file(s, owner_table, owner_id, stored, caption)


def attachments_of(db: Database, owner_table: str, owner_id: int) -> list[AttachmentInfo]:
    with db.read() as s:
        rows = s.scalars(select(Attachment).where(Attachment.owner_table == owner_table,
                                                  Attachment.owner_id == owner_id).order_by(Attachment.id))
        return [AttachmentInfo(a.id, a.uuid, a.sha256, a.original_name, a.mime_type, a.size, a.caption) for a in rows]


def open_attachment(db: Database, info: AttachmentInfo) -> Path:
    """The stored file, checked against its hash; a missing or altered file is reported, not guessed."""
    path = stored_path(db, info.sha256)
    if not path.exists() or _hash(path) != info.sha256:
        raise InputError(Problem(E_MISSING, {"name": info.original_name, "path": str(path)}))
    return path
