"""Attachments: files kept once by content hash, linked to any record.

The content goes to the database's attachment store, `db.blobs` (core.db): beside a database file in
`<name>-files/ab/abcdef…`, so a database and its files move together; on the office server in the database
itself, so every laptop sees every photo and the server's backups carry them (cached in this computer's
folder for the server). Adding the same photo twice stores it once; the database row records who attached it.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import ATTACHMENT_MAX_BYTES, Database, attachment_folder, file_sha256, private_folder  # noqa: F401 - private_folder: this module's API
from ..models import Attachment
from ..problems import InputError, Problem, declare

E_NO_FILE = declare("attachment.no_file", "附件文件不存在：{value}", "Attachment file not found: {value}")
E_TOO_BIG = declare("attachment.too_big", "附件过大（{size} MB），上限 {max} MB", "The attachment is too large ({size} MB, at most {max} MB)")
E_MISSING = declare("attachment.missing", "附件“{name}”的文件已丢失（{path}）", "The file of attachment '{name}' is missing ({path})")
MAX_BYTES = ATTACHMENT_MAX_BYTES  # the same limit as a bundle's attachment file (core.db)


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
    """This computer's attachment folder of `db`: the store itself (a file), its cache (the office server)."""
    return attachment_folder(db.path)


def stored_path(db: Database, sha256: str) -> Path:
    """Where this computer keeps the content (on the server: its cached copy, present once read or added)."""
    return db.blobs.local_path(sha256)


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the store, not yet linked to a record."""

    sha256: str
    original_name: str
    mime_type: str
    size: int


def store_file(db: Database, file: str | Path) -> StoredFile:
    """Copy a file into the store (once per content); link it with `link_file` in a transaction."""
    db.require("write")  # nothing is stored for someone who may not attach it
    file = Path(file)
    if not file.is_file():
        raise InputError(Problem(E_NO_FILE, {"value": file.name}, value=str(file)))
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise InputError(Problem(E_TOO_BIG, {"size": size // (1 << 20), "max": MAX_BYTES // (1 << 20)}))
    sha = file_sha256(file)
    db.blobs.put(sha, file)  # before the row that links it: no attachment is ever committed without its content
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
    """A local file with the attachment's content, checked against its hash (on the server fetched once into this
    computer's cache); missing or altered content is reported, not guessed."""
    path = db.blobs.get(info.sha256)
    if path is None:
        raise InputError(Problem(E_MISSING, {"name": info.original_name, "path": db.blobs.where(info.sha256)}))
    return path
