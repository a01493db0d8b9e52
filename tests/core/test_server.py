"""The office server (issue 18): opening, creating, upgrading, refusing and checking a PostgreSQL database.

These run on the session's throw-away cluster (tests/pg_cluster.py) whatever --engine says: the server's
own behaviour is tested on every run; the rest of the core suite runs on it with --engine=postgresql/both.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from renewal_desk.core.db import DatabaseError, head_revision, open_database
from renewal_desk.core.models import Project
from renewal_desk.core.services import households as hh, places
from renewal_desk.core.services.demo import generate_demo
from tests.core.test_cli_accounts import run


@pytest.fixture
def empty_url(pg_server):
    name = pg_server.create_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


def test_an_empty_server_database_is_built_only_when_asked_then_checks(empty_url):
    with pytest.raises(DatabaseError) as refused:
        open_database(empty_url)
    assert refused.value.code == "db.server_empty" and "server init" in refused.value.message()
    db = open_database(empty_url, create=True)
    try:
        report = db.check()
        assert report.ok and report.schema_revision == report.head_revision == head_revision(), report.as_dict()
        assert report.integrity == ["ok"] and report.foreign_key_violations == []
        with db.engine.connect() as conn:  # the app's account is no superuser: migrations do not need one
            assert conn.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar() is False
            assert conn.exec_driver_sql("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'").scalar()
        assert db.location.endswith(empty_url.split("/")[3].split("?")[0]) and "@" in db.location
    finally:
        db.close()


def test_check_names_a_missing_audit_trigger_and_an_unvalidated_constraint(pg_server, pg_url):
    database = pg_url.split("/")[3].split("?")[0]
    pg_server.admin("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete",
                    "ALTER TABLE person DROP CONSTRAINT fk_person_household_id_household",
                    "ALTER TABLE person ADD CONSTRAINT fk_person_household_id_household FOREIGN KEY (household_id) "
                    "REFERENCES household (id) NOT VALID", database=database)
    db = open_database(pg_url)
    try:
        report = db.check()
        assert not report.ok
        assert report.audit is not None and "audit_log_no_delete" in report.audit.message()  # as on SQLite
        assert ("person", "fk_person_household_id_household", "f") in report.foreign_key_violations
    finally:
        db.close()


def test_a_newer_schema_is_refused_and_left_as_it_is(pg_server, pg_url):
    database = pg_url.split("/")[3].split("?")[0]
    pg_server.admin("UPDATE alembic_version SET version_num = '0099'", database=database)
    with pytest.raises(DatabaseError) as refused:
        open_database(pg_url, create=True)
    assert refused.value.code == "db.newer" and "0099" in refused.value.message()
    pg_server.admin(f"UPDATE alembic_version SET version_num = '{head_revision()}'", database=database)  # untouched otherwise
    open_database(pg_url).close()


def test_an_older_schema_is_upgraded_in_one_go_keeping_its_data(empty_url):
    from alembic import command
    from sqlalchemy import create_engine

    from renewal_desk.core.db import _alembic_config, server_url

    engine = create_engine(server_url(empty_url))
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0011")
        conn.exec_driver_sql("INSERT INTO project (uuid, name, project_type, stage, district, description, created_at, "
                             "updated_at) VALUES ('u-1', '旧项目', '居住区综合改善类', '储备', '', '', now(), now())")
    engine.dispose()
    db = open_database(empty_url)
    try:
        assert db.check().schema_revision == head_revision()
        with db.read() as s:
            assert s.scalars(select(Project.name)).all() == ["旧项目"]
            # its type and stage, stored as their Chinese labels then, are codes now (migration 0023)
            assert s.execute(select(Project.project_type, Project.stage)).one() == ("residential", "reserve")
        places.create_place(db, "project", "新项目")  # the id sequence is past the old row
    finally:
        db.close()


def test_a_database_of_another_program_is_refused(pg_server, empty_url):
    pg_server.admin("CREATE TABLE invoices (id int)", database=empty_url.split("/")[3].split("?")[0])
    with pytest.raises(DatabaseError) as refused:
        open_database(empty_url, create=True)
    assert refused.value.code == "db.server_foreign"


def test_no_such_database_or_role_is_refused_in_words(pg_server):
    with pytest.raises(DatabaseError) as refused:
        open_database(pg_server.url("no_such_database"), create=True)
    assert refused.value.code == "db.server_no_db" and "no_such_database" in refused.value.message()
    with pytest.raises(DatabaseError) as refused:
        open_database(pg_server.url("postgres", user="nobody_here"), create=True)
    assert refused.value.code == "db.server_login"


def test_hand_written_sql_with_placeholders_and_percent_signs_runs_on_both(db):
    with db.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("SELECT ? || '%' || ?", ("5", "x")).scalar() == "5%x"
        assert conn.exec_driver_sql("SELECT 'a?b' || ?", ("!",)).scalar() == "a?b!"


def test_search_through_the_trigram_index_on_both(db):
    generate_demo(db, households=30, seed=2)
    detail = hh.household_detail(db, hh.household_ids(db)[5])
    name = detail.people[0].name
    wanted = name if len(name) >= 3 else detail.building + detail.unit
    found = hh.household_ids(db, hh.HouseholdFilter(query=wanted))
    assert detail.id in found
    assert hh.household_ids(db, hh.HouseholdFilter(query="没有这样的人%_")) == []


def test_the_command_line_on_the_server(pg_url):
    out = run("--db", pg_url, "demo", "--households", 10, code=0)
    assert "Traceback" not in out.stderr
    checked = run("--db", pg_url, "check", code=0).stdout
    assert head_revision() in checked
    listed = run("--db", pg_url, "list", "households", "--limit", 3, code=0).stdout
    assert listed.strip()


def test_file_backups_on_this_computer_are_refused_for_the_server_in_words(pg_url, tmp_path):
    """No daily file copy of a server database on a laptop, and no file copy of it at all: a manual backup is a
    pg_dump (test_server_backup); restoring one here is still refused in words."""
    from renewal_desk.core.services.backups import backup_if_due

    db = open_database(pg_url)
    try:
        assert backup_if_due(db) is None
        with pytest.raises(DatabaseError) as refused:
            db.backup_to(tmp_path / "copy.sqlite")
        assert refused.value.code == "db.server_backup" and "在服务器上备份" in refused.value.message()
        assert list(tmp_path.iterdir()) == []
    finally:
        db.close()


def test_server_init_builds_an_empty_database_and_can_be_repeated(empty_url):
    first = run("server", "init", empty_url, code=0).stdout
    assert "服务器数据库已就绪" in first and head_revision() in first and "account add" in first
    assert "服务器数据库已就绪" in run("server", "init", empty_url, code=0).stdout
    assert "不支持这个数据库地址" in run("server", "init", "/tmp/x.sqlite", code=2).stderr


def test_the_one_command_server_set_up_creates_an_account_and_database_the_app_can_use(pg_server, tmp_path):
    import os
    import subprocess
    from pathlib import Path

    script = Path(__file__).parents[2] / "installers" / "server-setup.sh"
    env = dict(os.environ, PGHOST=str(pg_server.folder), PGPORT=str(pg_server.port), PGUSER="postgres",
               RUN_AS=pg_server.run_as or os.environ.get("USER", ""), PATH=f"{os.environ['PATH']}:/usr/lib/postgresql/15/bin")
    args = ["bash", str(script), "--database", "office_desk", "--role", "office_app"]
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    host, port, database, role, password = line.split(":")
    assert (database, role) == ("office_desk", "office_app") and len(password) >= 20
    again = subprocess.run(args, env=env, capture_output=True, text=True)  # safe to repeat, password kept
    assert again.returncode == 0 and password not in again.stdout
    # the account is no superuser, and the app builds its schema with it (password through ~/.pgpass style)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:office_desk:office_app:{password}\n")
    pgpass.chmod(0o600)
    os.environ["PGPASSFILE"] = str(pgpass)
    try:
        db = open_database(pg_server.url("office_desk", user="office_app"), create=True)
        try:
            assert db.check().ok
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles "
                                            "WHERE rolname = current_user").scalar() is False
        finally:
            db.close()
    finally:
        del os.environ["PGPASSFILE"]
        pg_server.drop_database("office_desk")


def test_backup_command_dumps_the_server_and_restore_is_refused_in_words(pg_url, tmp_path):
    backup_file = tmp_path / "b.sqlite"
    backup_file.write_bytes(b"x")
    made = run("--db", pg_url, "backup", "--out", tmp_path / "office.dump", code=0)
    assert "已备份到" in made.stdout and (tmp_path / "office.dump").read_bytes()[:5] == b"PGDMP"
    out = run("--db", pg_url, "restore", backup_file, code=2)  # not a dump: refused, nothing replaced
    assert "不是街区更新议事台服务器数据库的备份" in out.stderr, out.stderr
    restored = run("--db", pg_url, "restore", tmp_path / "office.dump", code=0)
    assert "已从备份恢复" in restored.stdout


def test_the_app_window_opens_on_a_server_database(pg_url, tmp_path):
    """`renewal-desk --db postgresql://…` opens the window on the server (the installers' smoke hook:
    pages loaded, a picture saved, no unexpected error)."""
    import os
    import subprocess
    import sys

    run("--db", pg_url, "demo", "--households", 10, code=0)
    shot = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RENEWAL_DESK_SMOKE": str(shot),
           "RENEWAL_DESK_DATA": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-m", "renewal_desk", "--db", pg_url], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke: main window shown: " in result.stdout and "unexpected errors: 0" in result.stdout
    assert shot.stat().st_size > 10_000
