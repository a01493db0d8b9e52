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


def test_backup_change_restore_gives_the_data_as_at_backup_with_the_audit_chain_intact(server_db, tmp_path):
    from renewal_desk.core import settings
    from renewal_desk.core.db import restore_server

    settings.save(server_db, {"office.name": "和平街道办事处"})
    dump = backup_now(server_db, "manual", tmp_path / "office.dump")
    settings.save(server_db, {"office.name": "改过的名字"})
    restore_server(server_db, dump)
    assert settings.office_profile(server_db).name == "和平街道办事处"
    report = server_db.check()
    assert report.ok, report.as_dict()


def test_restore_on_the_server_is_for_administrators_and_refuses_a_newer_dump(server_db, tmp_path, monkeypatch):
    from renewal_desk.core import settings
    from renewal_desk.core.db import DatabaseError
    from renewal_desk.core.rules.access import AccessDenied
    from renewal_desk.core.services.backups import restore_server_backup

    settings.save(server_db, {"office.name": "和平街道办事处"})
    dump = backup_now(server_db, "manual", tmp_path / "office.dump")
    settings.save(server_db, {"office.name": "改过的名字"})
    monkeypatch.setattr(type(server_db), "role", property(lambda self: "staff"))
    with pytest.raises(AccessDenied):
        restore_server_backup(server_db, dump)
    monkeypatch.undo()
    monkeypatch.setattr("renewal_desk.core.db.known_revisions", lambda: {"0001"})
    with pytest.raises(DatabaseError) as refused:
        restore_server_backup(server_db, dump)
    assert refused.value.code == "db.newer"
    monkeypatch.undo()
    assert settings.office_profile(server_db).name == "改过的名字"  # nothing replaced by either refusal
    safety = restore_server_backup(server_db, dump)
    assert settings.office_profile(server_db).name == "和平街道办事处" and safety.exists()
    assert server_db.check().ok
    with server_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").scalar() == "restore"


def test_a_server_backup_reports_its_tables_and_stops_when_cancelled(server_db, tmp_path):
    """progress(tables dumped, tables) from pg_dump's own account as it goes; an exception raised by progress
    (立即备份's 取消) stops pg_dump and leaves no file, and the backups list shows the dumps taken here."""
    from renewal_desk.core import backup

    seen = []
    made = backup_now(server_db, progress=lambda done, total: seen.append((done, total)))
    tables = seen[0][1]
    with server_db.engine.connect() as conn:
        ours = conn.exec_driver_sql("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").scalar()
    assert tables == ours > 10 and seen[0] == (0, tables) and seen[-1] == (tables, tables)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > tables  # one step per table
    listed = backup.list_backups(server_db.path, suffix=backup.SERVER_DUMP)
    assert [(b.path, b.reason) for b in listed] == [(made, "manual")]

    class Stop(Exception):
        pass

    def stop(done, _total):
        if done == 3:
            raise Stop()

    out = tmp_path / "cancelled.dump"
    with pytest.raises(Stop):
        backup_now(server_db, "manual", out, progress=stop)
    assert list(tmp_path.iterdir()) == []  # neither the dump nor its .partial
    with server_db.engine.connect() as conn:  # not recorded as a backup either
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_log WHERE action = 'backup'").scalar() == 1
