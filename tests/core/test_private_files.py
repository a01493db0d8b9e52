"""The database, its journal, backups and the attachment store are owner-only whatever the umask (Linux)."""

import os
import stat

from renewal_desk.core.db import open_database
from renewal_desk.core.services.attachments import store_dir, store_file
from renewal_desk.core.services.backups import backup_now


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_backup_and_attachments_are_owner_only_under_umask_022(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "desk.sqlite"
        db = open_database(path, create=True, operator="测试")
        try:
            photo = tmp_path / "photo.jpg"
            photo.write_bytes(b"\xff\xd8 not really a photo")
            store_file(db, photo)
            rotated = backup_now(db, "manual")
            chosen = backup_now(db, out=tmp_path / "copy.sqlite")
            wal = path.with_name(path.name + "-wal")
            assert mode(path) == 0o600 and (not wal.exists() or mode(wal) == 0o600)
            assert mode(rotated) == 0o600 and mode(rotated.parent) == 0o700 and mode(chosen) == 0o600
            assert mode(store_dir(db)) == 0o700
            assert all(mode(p) == 0o700 for p in store_dir(db).rglob("*") if p.is_dir())
        finally:
            db.close()
    finally:
        os.umask(old)


def test_the_demo_community_keeps_its_photo_store_owner_only(tmp_path):
    from renewal_desk.core.services.demo import generate_demo

    old = os.umask(0o022)
    try:
        db = open_database(tmp_path / "demo.sqlite", create=True, operator="测试")
        try:
            generate_demo(db, households=20, with_records=True)
            folders = [store_dir(db), *(p for p in store_dir(db).rglob("*") if p.is_dir())]
            assert len(folders) > 2  # the demo's photos are stored
            assert {oct(mode(p)) for p in folders} == {oct(0o700)}
        finally:
            db.close()
    finally:
        os.umask(old)
