"""Files the app writes (PDFs, audit exports, bundles, backups) never replace an existing file unless the
user asked to, and never the database, its journal files, its backups folder or its attachment store."""

import hashlib

import pytest

from renewal_desk.core.problems import InputError
from tests.core.test_cli_accounts import ADMIN_PW, RO_PW, run


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def staffed(tmp_path_factory):
    path = tmp_path_factory.mktemp("out-files") / "po.db"
    run("demo", "--db", path, "--households", 10, code=0)
    run("account", "add", "管理员甲", "--role", "管理员", "--db", path, new_password=ADMIN_PW, code=0)
    run("account", "add", "只读丙", "--role", "只读", "--db", path, "--user", "管理员甲", password=ADMIN_PW,
        new_password=RO_PW, code=0)
    # the administrator-set password must be changed before anything else (here: to itself)
    run("account", "passwd", "只读丙", "--db", path, "--user", "只读丙", password=RO_PW, new_password=RO_PW, code=0)
    return path


def test_print_onto_the_database_is_refused_even_forced_and_the_file_is_unchanged(staffed):
    before = digest(staffed)
    for extra in ((), ("--force",)):
        out = run("print", "building-roster", "--id", 1, "--db", staffed, "--out", staffed, *extra,
                  "--user", "只读丙", password=RO_PW, code=2)
        assert "数据库文件本身" in out.stderr and "未写入任何内容" in out.stderr
    assert digest(staffed) == before
    for name, what in ((staffed.name + "-wal", "日志文件"), (staffed.name + "-journal", "日志文件"),
                       ("po-backups/x.pdf", "备份文件夹"), ("po-files/ab/x.pdf", "附件库")):
        out = run("print", "building-roster", "--id", 1, "--db", staffed, "--out", staffed.parent / name,
                  "--force", "--user", "只读丙", password=RO_PW, code=2)
        assert what in out.stderr, name
    assert digest(staffed) == before


def test_print_refuses_an_existing_file_unless_forced(staffed, tmp_path):
    target = tmp_path / "roster.pdf"
    target.write_bytes(b"someone's letter")
    out = run("print", "building-roster", "--id", 1, "--db", staffed, "--out", target, "--user", "只读丙",
              password=RO_PW, code=2)
    assert "文件已存在" in out.stderr and "--force" in out.stderr
    assert target.read_bytes() == b"someone's letter"
    run("print", "building-roster", "--id", 1, "--db", staffed, "--out", target, "--force", "--user", "只读丙",
        password=RO_PW, code=0)
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.sqlite_only("links to the database file")
def test_a_link_to_the_database_is_the_database(demo_db, tmp_path):
    from renewal_desk.core.services.printouts import print_document

    link = tmp_path / "innocent.pdf"
    link.symlink_to(demo_db.path)
    hard = tmp_path / "hard.pdf"
    hard.hardlink_to(demo_db.path)
    before = digest(demo_db.path)
    for target in (link, hard):
        with pytest.raises(InputError, match="数据库文件本身"):
            print_document(demo_db, "building-roster", 1, target, replace=True)
    assert digest(demo_db.path) == before


@pytest.mark.sqlite_only("the files beside a database file (journal, backups folder); test_server covers the server")
def test_audit_export_bundle_and_backup_refuse_the_database_files(demo_db, tmp_path):
    from renewal_desk.core.backup import BackupError
    from renewal_desk.core.services import audit_log
    from renewal_desk.core.services.backups import backup_now
    from renewal_desk.core.services.exchange import export_bundle

    db_file = demo_db.path
    for target in (db_file.with_suffix(".csv"),):
        target.write_text("kept", encoding="utf-8")
        with pytest.raises(InputError, match="文件已存在"):
            audit_log.export_log(demo_db, audit_log.AuditFilter(), target)
        assert target.read_text(encoding="utf-8") == "kept"
        assert audit_log.export_log(demo_db, audit_log.AuditFilter(), target, replace=True) > 0
    with pytest.raises(InputError, match="附件库"):
        audit_log.export_log(demo_db, audit_log.AuditFilter(), db_file.parent / f"{db_file.stem}-files" / "a.xlsx",
                             replace=True)
    with pytest.raises(InputError, match="日志文件"):
        backup_now(demo_db, out=db_file.with_name(db_file.name + "-journal"))
    with pytest.raises(InputError, match="备份文件夹"):
        export_bundle(demo_db, db_file.parent / f"{db_file.stem}-backups" / "b.zip")
    with pytest.raises(InputError, match="附件库"):
        backup_now(demo_db, out=db_file.parent / f"{db_file.stem}-files" / "copy.sqlite")
    with pytest.raises((InputError, BackupError)):
        backup_now(demo_db, out=db_file)
