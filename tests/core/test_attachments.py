"""Attachments on both engines: content kept once by SHA-256 in the database's store (db.blobs) — files beside
a database file, the attachment_content table on the office server (migration 0024), read by every laptop."""

import hashlib

import pytest
from sqlalchemy import select

from renewal_desk.core.db import open_database
from renewal_desk.core.models import AuditEntry
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import attachments
from renewal_desk.core.services.attachments import (StoredFile, add_attachment, attachments_of, link_file,
                                                    open_attachment, stored_path)
from tests.core.raw_sql import connect, damage_content


def _content_rows(db) -> int:
    raw = connect(db)
    try:
        return raw.execute("SELECT count(*) FROM attachment_content")[0][0]
    finally:
        raw.close()


def test_same_content_stored_once_and_audited(db, tmp_path):
    photo = tmp_path / "问题照片.jpg"
    photo.write_bytes(b"\xff\xd8 fake jpeg " * 100)
    first = add_attachment(db, "household", 1, photo, "楼道杂物")
    second = add_attachment(db, "household", 2, photo)
    assert first != second
    infos = attachments_of(db, "household", 1)
    assert [i.original_name for i in infos] == ["问题照片.jpg"] and infos[0].mime_type == "image/jpeg"
    sha = infos[0].sha256
    assert sha == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert db.blobs.has(sha) and db.blobs.size(sha) == len(photo.read_bytes())
    assert open_attachment(db, infos[0]).read_bytes() == photo.read_bytes()
    stored = stored_path(db, sha)  # the file here, or this laptop's cached copy of the server's content
    assert len(list(stored.parent.iterdir())) == 1
    if db.url is not None:
        assert _content_rows(db) == 1  # one row for both attachments
    with db.read() as s:
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.table_name == "attachment")).all()) == 2


def test_missing_or_altered_content_reported(db, tmp_path):
    photo = tmp_path / "a.png"
    photo.write_bytes(b"png")
    add_attachment(db, "household", 1, photo)
    info = attachments_of(db, "household", 1)[0]
    assert open_attachment(db, info).exists()
    damage_content(db, info.sha256, b"tampered")
    with pytest.raises(InputError) as err:
        open_attachment(db, info)
    assert err.value.problems[0].code == "attachment.missing"
    assert db.blobs.where(info.sha256) in err.value.problems[0].message()
    damage_content(db, info.sha256, None)
    with pytest.raises(InputError) as err:
        open_attachment(db, info)
    assert err.value.problems[0].code == "attachment.missing" and not db.blobs.has(info.sha256)
    with pytest.raises(InputError):
        add_attachment(db, "household", 1, tmp_path / "nope.png")


def test_too_big_is_refused_and_nothing_stored(db, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 3 << 20)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF" + b"x" * (4 << 20))
    with pytest.raises(InputError) as err:
        add_attachment(db, "household", 1, scan)
    assert err.value.problems[0].code == "attachment.too_big" and "4 MB" in err.value.problems[0].message()
    assert not db.blobs.has(hashlib.sha256(scan.read_bytes()).hexdigest())
    assert attachments_of(db, "household", 1) == []


def test_a_large_scan_reads_back_whole_on_both(db, tmp_path):
    """More than one chunk of the server's reads (core.db.BLOB_CHUNK), the same bytes back."""
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(bytes(range(256)) * (40 << 10))  # 10 MiB
    add_attachment(db, "household", 1, scan)
    info = attachments_of(db, "household", 1)[0]
    if db.url is not None:
        stored_path(db, info.sha256).unlink()  # only this laptop's cache: read from the server in chunks
    assert open_attachment(db, info).read_bytes() == scan.read_bytes()


@pytest.fixture
def server_db(db):
    if db.url is None:
        pytest.skip("the office server's attachment store (PostgreSQL)")
    return db


def _laptop(db, data_folder, monkeypatch):
    """Another laptop on the same server database: its own data folder, so its own (empty) cache."""
    monkeypatch.setenv("RENEWAL_DESK_DATA", str(data_folder))
    return open_database(db.address, operator="另一台电脑")


def test_a_photo_added_on_one_laptop_opens_on_another(server_db, tmp_path, monkeypatch):
    photo = tmp_path / "外墙空鼓.jpg"
    photo.write_bytes(b"\xff\xd8 a photo of a wall " * 500)
    add_attachment(server_db, "supervision_problem", 7, photo, "发现问题")
    other = _laptop(server_db, tmp_path / "laptop-b", monkeypatch)
    try:
        info = attachments_of(other, "supervision_problem", 7)[0]
        assert not stored_path(other, info.sha256).exists()  # nothing of it on this laptop yet
        opened = open_attachment(other, info)
        assert opened.read_bytes() == photo.read_bytes() and tmp_path / "laptop-b" in opened.parents
        assert opened.parent.stat().st_mode & 0o077 == 0  # owner-only, as the store beside a file
        again = tmp_path / "same.jpg"
        again.write_bytes(photo.read_bytes())
        add_attachment(other, "supervision_problem", 8, again)  # the same photo from the second laptop
        assert _content_rows(other) == 1
        stored_path(other, info.sha256).write_bytes(b"a damaged cache")  # the server has the truth
        assert open_attachment(other, info).read_bytes() == photo.read_bytes()
    finally:
        other.close()


def test_check_on_the_server_finds_missing_and_altered_content(server_db, tmp_path):
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(name.encode() * 100)
        add_attachment(server_db, "household", 1, tmp_path / name)
    assert server_db.check().ok
    a, b = attachments_of(server_db, "household", 1)
    damage_content(server_db, a.sha256, b"other bytes")
    damage_content(server_db, b.sha256, None)
    report = server_db.check()
    assert not report.ok
    assert f"attachment {b.id} (b.jpg): content missing" in report.integrity
    assert f"attachment content {a.sha256[:12]}…: does not match its hash" in report.integrity


def test_photos_kept_on_a_laptop_before_0024_move_into_the_server(server_db, tmp_path, monkeypatch):
    """A server database of schema 0023 whose photos were files in this laptop's folder for it: after the upgrade
    they are in the database (another laptop opens them); a file that does not match its hash is not taken."""
    from alembic import command

    from renewal_desk.core.db import _alembic_config, private_folder

    photos = {}
    for name in ("旧照片.jpg", "坏照片.jpg"):
        data = name.encode() * 300
        sha = hashlib.sha256(data).hexdigest()
        photos[name] = sha
        with server_db.write() as s:  # the row as the old program wrote it: its file only on this laptop
            link_file(s, "household", 3, StoredFile(sha, name, "image/jpeg", len(data)))
    old_store = private_folder(stored_path(server_db, photos["旧照片.jpg"]).parent)
    (old_store / photos["旧照片.jpg"]).write_bytes("旧照片.jpg".encode() * 300)
    bad = private_folder(stored_path(server_db, photos["坏照片.jpg"]).parent) / photos["坏照片.jpg"]
    bad.write_bytes(b"truncated")
    address = server_db.address
    server_db.close()
    with server_db.engine.connect() as conn:
        with conn.begin():
            command.downgrade(_alembic_config(conn), "0023")
    server_db.engine.dispose()

    db = open_database(address, operator="测试员")  # upgrades to 0024 and stores this laptop's files
    try:
        assert db.blobs.has(photos["旧照片.jpg"]) and not db.blobs.has(photos["坏照片.jpg"])
        assert bad.read_bytes() == b"truncated"  # left as it was, for a person to look at
        report = db.check()
        assert report.integrity == [f"attachment {attachments_of(db, 'household', 3)[1].id} (坏照片.jpg): "
                                    "content missing"]
    finally:
        db.close()
    other = _laptop(server_db, tmp_path / "laptop-b", monkeypatch)
    try:
        info = attachments_of(other, "household", 3)[0]
        assert open_attachment(other, info).read_bytes() == "旧照片.jpg".encode() * 300
    finally:
        other.close()


def test_a_server_backup_carries_the_photos(server_db, tmp_path, monkeypatch):
    from renewal_desk.core.db import restore_server
    from renewal_desk.core.services.backups import backup_now

    photo = tmp_path / "验收.jpg"
    photo.write_bytes(b"\xff\xd8 accepted " * 200)
    add_attachment(server_db, "household", 1, photo)
    info = attachments_of(server_db, "household", 1)[0]
    dump = backup_now(server_db, "manual", tmp_path / "office.dump")
    damage_content(server_db, info.sha256, None)  # lost on the server after the backup
    restore_server(server_db, dump)
    assert server_db.check().ok
    other = _laptop(server_db, tmp_path / "laptop-b", monkeypatch)  # a laptop that never had it
    try:
        assert open_attachment(other, info).read_bytes() == photo.read_bytes()
    finally:
        other.close()


def test_a_photo_read_by_several_threads_at_once_on_a_new_laptop(server_db, tmp_path, monkeypatch):
    """The supervision page loads thumbnails in worker threads: the same photo fetched by several at once into
    an empty cache (each writes its own part file) is read whole by all of them."""
    from concurrent.futures import ThreadPoolExecutor

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(bytes(range(256)) * (24 << 10))  # 6 MiB: two chunks of the server's reads
    add_attachment(server_db, "household", 1, scan)
    other = _laptop(server_db, tmp_path / "laptop-b", monkeypatch)
    try:
        info = attachments_of(other, "household", 1)[0]
        with ThreadPoolExecutor(4) as pool:
            read = list(pool.map(lambda _n: open_attachment(other, info).read_bytes(), range(4)))
        assert read == [scan.read_bytes()] * 4
        assert [p.name for p in stored_path(other, info.sha256).parent.iterdir()] == [info.sha256]  # no part left
    finally:
        other.close()
