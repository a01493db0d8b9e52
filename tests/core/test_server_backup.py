"""`backup` of the office server's database: one consistent pg_dump, verified, with the audit head beside it."""

import json

import pytest

from renewal_desk.core import audit
from renewal_desk.core.services.backups import backup_now


@pytest.fixture
def server_db(db):
    if db.url is None:
        pytest.skip("the office server's backup (PostgreSQL)")
    return db


def test_a_server_backup_is_a_verified_dump_with_its_audit_head(server_db, tmp_path):
    from renewal_desk.core import settings

    settings.save(server_db, {"office.name": "和平街道办事处"})
    with server_db.engine.connect() as conn:
        head_id, head_chain = audit.tail(conn)
    out = backup_now(server_db, "manual", tmp_path / "office.dump")
    assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    meta = json.loads((tmp_path / "office.dump.json").read_text(encoding="utf-8"))
    assert meta["audit_head"] == {"id": head_id, "sha256": head_chain}  # the dump's head, before its own entry
    assert out.stat().st_mode & 0o077 == 0
    with server_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").scalar() == "backup"
    with pytest.raises(Exception):
        backup_now(server_db, "manual", out)  # never over an existing file
    default = backup_now(server_db)  # into this computer's backups folder for that server
    assert default.exists() and default.suffix == ".dump"
