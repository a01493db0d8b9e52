"""Opening, migrations, refusal of foreign/damaged/newer files, audit log, backups and restore."""

import json
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from renewal_desk.core import backup
from renewal_desk.core.db import DatabaseError, open_database
from renewal_desk.core.models import AuditEntry, Base, Project, ProjectStage
from renewal_desk.core.services import places


@pytest.mark.sqlite_only("WAL and foreign_keys are SQLite pragmas")
def test_new_database_is_migrated_wal_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    report = db.check()
    assert report.ok and report.schema_revision == report.head_revision


def test_migrations_match_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    # the trigram index of migration 0010 is SQL-only (FTS5 virtual table and its shadow tables)
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("household_fts"))]
    # on PostgreSQL it is a pg_trgm GIN index over household.search_text
    diff = [d for d in diff if not (d[0] == "remove_index" and d[1].name == "ix_household_search_trgm")]
    # and attachments' content is a table of its own there (migration 0024; beside a file it is files)
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name == "attachment_content")]
    assert diff == []


def test_missing_file_not_created_unless_asked(tmp_path):
    with pytest.raises(DatabaseError) as err:
        open_database(tmp_path / "nope.sqlite")
    assert err.value.code == "db.not_found"
    assert not (tmp_path / "nope.sqlite").exists()


def test_non_sqlite_file_refused_and_untouched(tmp_path):
    path = tmp_path / "roster.sqlite"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as err:
        open_database(path, create=True)
    assert err.value.code == "db.not_sqlite"
    assert "不是" in err.value.message("zh")
    assert path.read_bytes() == before


def test_truncated_database_refused(db_path):
    data = db_path.read_bytes()
    db_path.write_bytes(data[:1500])
    with pytest.raises(DatabaseError) as err:
        open_database(db_path)
    assert err.value.code == "db.truncated"  # said precisely since the header's page count is checked
    assert "截断" in err.value.message("zh") and db_path.read_bytes() == data[:1500]


def test_foreign_sqlite_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert err.value.code == "db.foreign"


def test_newer_schema_refused_without_change(db_path):
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError) as err:
        open_database(db_path)
    assert err.value.code == "db.newer"
    assert "更新版本" in err.value.message("zh") and "newer" in err.value.message("en")
    assert db_path.read_bytes() == before


def test_older_schema_is_backed_up_then_upgraded(tmp_path):
    from alembic import command

    from renewal_desk.core.db import _alembic_config, make_engine

    path = tmp_path / "old.sqlite"
    open_database(path, create=True).close()
    engine = make_engine(path)
    with engine.begin() as conn:  # take the file back to the oldest schema (before revision 0001)
        command.downgrade(_alembic_config(conn), "base")
    engine.dispose()
    db = open_database(path)
    try:
        assert db.check().ok
    finally:
        db.close()
    found = backup.list_backups(path)
    assert found and found[0].reason.startswith("upgrade")


def test_audit_log_same_transaction_with_before_and_after(db):
    project_id = places.create_place(db, "project", "老街改造")
    places.update_place(db, "project", project_id, stage=ProjectStage.LISTED)
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "project")).all()
    assert [e.action for e in entries] == ["insert", "update"]
    assert all(e.operator == "测试员" for e in entries)
    assert json.loads(entries[1].before) == {"stage": "reserve"}  # the stored codes (migration 0023)
    assert json.loads(entries[1].after) == {"stage": "listed"}


def test_failed_transaction_leaves_no_row_and_no_audit(db):
    with pytest.raises(RuntimeError):
        with db.write() as s:
            s.add(Project(name="半途而废"))
            s.flush()
            raise RuntimeError("power cut")
    with db.read() as s:
        assert s.scalar(select(Project).where(Project.name == "半途而废")) is None
        assert s.scalars(select(AuditEntry)).all() == []


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_backup_rotation_and_restore(db):
    places.create_place(db, "project", "第一版")
    first = backup.rotate_backup(db.path, "manual")
    places.create_place(db, "project", "第二版")
    for _ in range(12):
        backup.rotate_backup(db.path, "close")
    assert len([b for b in backup.list_backups(db.path) if b.reason == "close"]) == backup.KEEP["close"]
    db.close()
    safety = backup.restore(db.path, first)
    assert safety is not None and safety.exists()
    reopened = open_database(db.path)
    try:
        assert [n.name for n in places.tree(reopened)] == ["第一版"]
    finally:
        reopened.close()


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_restore_refuses_damaged_backup(db, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 2000)
    with pytest.raises(backup.BackupError):
        backup.restore(db.path, bad)
    assert db.check().ok


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_restore_over_damaged_database_keeps_damaged_copy(db):
    good = backup.rotate_backup(db.path, "manual")
    db.close()
    db.path.write_bytes(b"garbage" * 1000)
    backup.restore(db.path, good)
    assert list(db.path.parent.glob("*.damaged-*"))
    reopened = open_database(db.path)
    try:
        assert reopened.check().ok
    finally:
        reopened.close()


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_daily_backup_due(db):
    from datetime import datetime, timedelta

    assert backup.daily_backup_due(db.path)
    backup.rotate_backup(db.path, "daily")
    assert not backup.daily_backup_due(db.path)
    assert backup.daily_backup_due(db.path, now=datetime.now() + timedelta(days=1, minutes=1))


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_restore_refuses_newer_or_foreign_backup_and_changes_nothing(db, tmp_path):
    places.create_place(db, "project", "现在的数据")
    db.close()
    before = db.path.read_bytes()
    newer = tmp_path / "newer.sqlite"
    backup.online_backup(db.path, newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    foreign = tmp_path / "foreign.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE alembic_version (version_num TEXT)")
    con.execute("INSERT INTO alembic_version VALUES ('0001')")
    con.commit()
    con.close()
    for bad, code in ((newer, "backup.newer"), (foreign, "backup.foreign"), (tmp_path, "backup.bad")):
        with pytest.raises(backup.BackupError) as err:
            backup.restore(db.path, bad)
        assert err.value.code == code
    assert db.path.read_bytes() == before


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_restore_into_a_folder_refused(db, tmp_path):
    good = backup.rotate_backup(db.path, "manual")
    folder = tmp_path / "adir"
    folder.mkdir()
    with pytest.raises(backup.BackupError) as err:
        backup.restore(folder, good)
    assert err.value.code == "backup.target" and folder.is_dir()


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_backup_out_never_overwrites(db, tmp_path):
    from renewal_desk.core.services.backups import backup_now

    other = tmp_path / "other.sqlite"
    other.write_bytes(b"precious")
    for target in (other, db.path):
        with pytest.raises(backup.BackupError) as err:
            backup_now(db, out=target)
        assert err.value.code == "backup.out_exists"
    assert other.read_bytes() == b"precious"


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_close_backups_do_not_replace_daily_ones(db):
    backup.rotate_backup(db.path, "close")
    assert backup.daily_backup_due(db.path)


def test_database_of_the_previous_version_is_backed_up_and_upgraded_keeping_its_data(tmp_path):
    from alembic import command

    from renewal_desk.core.db import _alembic_config, make_engine

    path = tmp_path / "v1.sqlite"
    db = open_database(path, create=True)
    places.create_place(db, "project", "老数据")
    db.close()
    engine = make_engine(path)
    with engine.begin() as conn:  # as written by the first release (schema 0001, no rent-storage tables)
        command.downgrade(_alembic_config(conn), "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    assert "stored_house" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    db = open_database(path)
    try:
        report = db.check()
        assert report.ok and report.schema_revision == report.head_revision != "0001"
        assert [n.name for n in places.tree(db)] == ["老数据"]
    finally:
        db.close()
    assert [b.reason for b in backup.list_backups(path)] == ["upgrade-0001"]


@pytest.mark.sqlite_only("backups of the database file; the office server is backed up with pg_dump")
def test_backup_reports_progress_and_a_cancel_leaves_no_file(demo_db, tmp_path, monkeypatch):
    from renewal_desk.core.services.backups import backup_now

    monkeypatch.setattr(backup, "BACKUP_STEP_PAGES", 8)  # many steps on a small database
    seen = []
    done = backup_now(demo_db, out=tmp_path / "full.sqlite", progress=lambda d, t: seen.append((d, t)))
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1] > 0
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert backup.list_backups(demo_db.path, tmp_path) == [] and done.exists()  # a chosen file, verified
    with sqlite3.connect(done) as con:
        assert con.execute("SELECT count(*) FROM household").fetchone()[0] == 120

    class Stop(Exception):
        pass

    calls = []

    def cancel_on_second(d, t):
        calls.append(d)
        if len(calls) == 2:
            raise Stop()

    before = sorted(p.name for p in backup.backup_dir_for(demo_db.path).glob("*"))
    with pytest.raises(Stop):
        backup_now(demo_db, "manual", progress=cancel_on_second)
    assert len(calls) == 2
    after = sorted(p.name for p in backup.backup_dir_for(demo_db.path).glob("*"))
    assert after == before  # no backup, no .part, no journal
