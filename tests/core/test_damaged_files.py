"""Damaged and foreign files through the command line: a clear Chinese message, the right exit code, no
traceback, and nothing overwritten (file hashes before and after). The same cases in the app's start-up are
in tests/ui/test_damaged_files_ui.py."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
import io
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from renewal_desk.cli import main
raise SystemExit(main(sys.argv[2:]))
"""


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def cli(*args) -> Result:
    """The command in this process (quick); an uncaught exception would fail the test with its traceback."""
    from renewal_desk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


def run(*args, fsize: int | None = None):
    """The command in a child process (for a file-size limit, or to see exactly what a user sees)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    head = [sys.executable, "-c", LIMITED, str(fsize)] if fsize else [sys.executable, "-m", "renewal_desk"]
    return subprocess.run([*head, *map(str, args)], capture_output=True, text=True, env=env, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every file's hash, except SQLite's own bookkeeping a reader may create: the -shm index and an empty -wal."""
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and not p.stat().st_size)}


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("household", "person", "audit_log", "attachment")}
    finally:
        con.close()


def refused(result, code: int, *words: str) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("damaged") / "demo.sqlite"
    assert run("demo", "--db", path, "--households", 40, "--seed", 2).returncode == 0
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


@pytest.fixture
def desk(tmp_path, demo_file) -> Path:
    folder = tmp_path / "desk"
    folder.mkdir()
    path = folder / "desk.sqlite"
    shutil.copy(demo_file, path)
    return path


@contextmanager
def read_only(path: Path):
    """A read-only file or folder, also for root (who ignores permission bits): the immutable attribute."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode != 0:
            pytest.skip("running as root and the file system has no immutable attribute")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_truncated_database(desk):
    desk.write_bytes(desk.read_bytes()[: desk.stat().st_size // 2])
    before = folder_state(desk.parent)
    refused(run("check", "--db", desk), 1, "截断", "请从备份恢复")  # once as a user sees it
    for args in (["list", "households"], ["demo", "--households", 10], ["backup"]):
        refused(cli(*args, "--db", desk), 1, "截断", "请从备份恢复")
    assert folder_state(desk.parent) == before


def test_random_bytes_and_other_files(tmp_path):
    cases = {
        "random.sqlite": os.urandom(64 * 1024),
        "notes.sqlite": "这是一份会议记录，不是数据库".encode(),
        "workbook.sqlite": None,  # an .xlsx renamed
        "header-only.sqlite": b"SQLite format 3\x00" + os.urandom(4000),
    }
    for name, data in cases.items():
        path = tmp_path / name
        if data is None:
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("xl/workbook.xml", "<workbook/>")
        else:
            path.write_bytes(data)
    before = folder_state(tmp_path)
    for name in cases:
        for args in (["check"], ["list", "projects"], ["demo", "--households", 10]):
            result = cli(*args, "--db", tmp_path / name)
            assert result.returncode in (1, 2) and "Traceback" not in result.stderr, (name, result.stderr)
            assert ("不是" in result.stderr or "损坏" in result.stderr or "截断" in result.stderr), (name, result.stderr)
        if not name.startswith("header"):
            refused(cli("check", "--db", tmp_path / name), 2, "不是 Renewal Desk 数据库")
    assert folder_state(tmp_path) == before


def test_foreign_sqlite_database(tmp_path):
    path = tmp_path / "wechat.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO message (body) VALUES ('你好')")
    con.commit()
    con.close()
    before = digest(path)
    refused(cli("demo", "--db", path, "--households", 10), 2, "不是 Renewal Desk 数据库")
    assert digest(path) == before


def test_database_from_a_newer_version(desk):
    con = sqlite3.connect(desk)
    con.execute("UPDATE alembic_version SET version_num = '0042_future'")
    con.commit()
    con.close()
    before = folder_state(desk.parent)
    for args in (["check"], ["list", "households"], ["demo", "--households", 10]):
        refused(cli(*args, "--db", desk), 2, "更新版本", "0042_future", "文件未作任何修改")
    assert folder_state(desk.parent) == before
    assert not (desk.parent / "desk-backups").exists()  # not even an upgrade backup: nothing to upgrade


def test_read_only_file(desk):
    before = folder_state(desk.parent)
    with read_only(desk):
        listing = cli("list", "households", "--db", desk, "--limit", 3)
        assert listing.returncode == 0 and "号楼" in listing.stdout  # reading still works
        refused(cli("demo", "--db", desk, "--households", 10), 1, "只读")
        roster = desk.parent.parent / "r.xlsx"
        from tests.fixtures.make_rosters import clean_roster

        clean_roster(roster, 5)
        refused(cli("import-roster", "--db", desk, "--project", "新项目", roster), 1, "只读")
    assert folder_state(desk.parent) == before


def test_read_only_folder(desk):
    before = folder_state(desk.parent)
    with read_only(desk.parent):
        for args in (["list", "households"], ["demo", "--households", 10], ["check"]):
            refused(cli(*args, "--db", desk), 1, "无法打开数据库文件", "文件夹只读")
    assert folder_state(desk.parent) == before


def test_disk_fills_up_mid_write(desk, tmp_path):
    """RLIMIT_FSIZE stands in for a full disk: the write fails part-way, the transaction rolls back."""
    from tests.fixtures.make_rosters import clean_roster

    roster = tmp_path / "big.xlsx"
    clean_roster(roster, 2000, seed=3)
    rows = counts(desk)
    before = folder_state(desk.parent)
    limit = desk.stat().st_size  # the database may not grow, and its WAL gets as far as that
    refused(run("demo", "--db", desk, "--households", 3000, fsize=limit), 1, "无法写入磁盘", "本次修改未保存")
    refused(run("import-roster", "--db", desk, "--project", "满盘", roster, fsize=limit), 1, "无法写入磁盘")
    assert digest(desk) == before["desk.sqlite"] and counts(desk) == rows
    assert cli("check", "--db", desk).returncode == 0

    out = tmp_path / "copy.sqlite"
    refused(run("backup", "--db", desk, "--out", out, fsize=100_000), 1, "备份失败", "磁盘已满")
    assert not list(tmp_path.glob("copy.sqlite*"))  # no half backup, no leftover journal
    assert counts(desk) == rows and cli("check", "--db", desk).returncode == 0


def test_missing_attachment_file(desk, demo_file, tmp_path):
    """Supervision photos whose stored files vanished: reported by name; printouts still work; nothing changes."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.problems import InputError
    from renewal_desk.core.services.attachments import attachments_of, open_attachment, stored_path

    con = sqlite3.connect(desk)
    owner_table, owner_id, notice = con.execute(
        "SELECT a.owner_table, a.owner_id, (SELECT min(id) FROM rectification_notice) FROM attachment a "
        "ORDER BY a.id LIMIT 1").fetchone()
    con.close()
    files = desk.parent / "desk-files"
    shutil.copytree(demo_file.parent / "demo-files", files)  # the photo store travels with the database
    db = open_database(desk)
    try:
        info = attachments_of(db, owner_table, owner_id)[0]
        assert open_attachment(db, info).exists()
        shutil.rmtree(files)  # every stored photo gone (a folder not copied along with the database)
        rows = counts(desk)
        with pytest.raises(InputError) as err:
            open_attachment(db, info)
        message = err.value.problems[0].message()
        assert "已丢失" in message and info.original_name in message and str(stored_path(db, info.sha256)) in message
    finally:
        db.close()
    for doc, record in (("rectification-notice", notice), ("supervision-report", 0)):
        out = tmp_path / f"{doc}.pdf"
        result = cli("print", doc, "--db", desk, "--id", record, "--out", out)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert out.read_bytes().startswith(b"%PDF")
    # printing writes its audit entry (on purpose); the attachment rows stay, no file is invented
    assert counts(desk)["attachment"] == rows["attachment"] and not files.exists()


def test_backup_that_fails_its_own_integrity_check(desk, tmp_path):
    good = tmp_path / "good.sqlite"
    assert cli("backup", "--db", desk, "--out", good).returncode == 0
    bad = tmp_path / "bad.sqlite"
    data = bytearray(good.read_bytes())
    for offset in range(8192, len(data), 16384):  # damage pages in the middle, keep the header
        data[offset:offset + 600] = b"\x5a" * 600
    bad.write_bytes(bytes(data))
    before = folder_state(desk.parent)
    refused(run("restore", "--db", desk, bad), 2, "备份文件未通过完整性检查")  # as a user sees it
    assert folder_state(desk.parent) == before  # no safety copy either: refused before anything
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(good.read_bytes()[:50_000])
    refused(cli("restore", "--db", desk, cut), 2, "备份文件未通过完整性检查")
    assert folder_state(desk.parent) == before
