"""Encryption at rest (issue 23, scope 5): an encrypted database opens with its passphrase, is refused
without it or with a wrong one (a clear message, the file untouched), holds no readable ID number or name,
and its backups are encrypted too; the kill harness and the damaged-file cases also run on it."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess

import pytest
from sqlalchemy import func, select

from renewal_desk.core import backup, cipher
from renewal_desk.core.db import DatabaseError, open_database
from renewal_desk.core.models import Household, Person
from renewal_desk.core.services.backups import restore_backup
from renewal_desk.core.services.demo import generate_demo

from tests.core.test_damaged_files import cli, refused

SECRET = "正确的马 battery staple"


@pytest.fixture(scope="module")
def plain_demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("cipher") / "demo.sqlite"
    db = open_database(path, create=True, operator="演示")
    try:
        generate_demo(db, households=10, seed=8)
        with db.read() as s:
            people = [(p.name, p.id_number) for p in s.scalars(select(Person).where(Person.id_number.is_not(None)))]
    finally:
        db.close()
    return path, people


@pytest.fixture
def encrypted(tmp_path, plain_demo, monkeypatch):
    source, people = plain_demo
    path = tmp_path / "desk.sqlite"
    shutil.copy(source, path)
    plain_backup = backup.rotate_backup(path, "manual")  # a clear copy taken before: encrypted with it
    monkeypatch.delenv(cipher.PASSPHRASE_ENV, raising=False)
    cipher.forget()
    assert cipher.encrypt(path, SECRET, [plain_backup]) == 1
    cipher.forget()
    yield path, people, plain_backup
    cipher.forget()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_opens_with_the_passphrase_refuses_without_it_and_leaves_the_file_untouched(encrypted, monkeypatch):
    path, people, _ = encrypted
    before = digest(path)
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert err.value.code == "db.needs_passphrase" and "须给出口令" in err.value.message()
    refused(cli("check", "--db", path), 2, "已加密", "RENEWAL_DESK_PASSPHRASE")
    monkeypatch.setenv(cipher.PASSPHRASE_ENV, "not the passphrase")
    refused(cli("list", "households", "--db", path), 2, "口令不正确")
    with pytest.raises(DatabaseError, match="口令不正确"):
        open_database(path)
    assert digest(path) == before
    monkeypatch.setenv(cipher.PASSPHRASE_ENV, SECRET)
    result = cli("check", "--db", path)
    assert result.returncode == 0 and "检查通过" in result.stdout
    monkeypatch.delenv(cipher.PASSPHRASE_ENV)
    cipher.give(path, SECRET)  # as the window's dialog does, once per start
    db = open_database(path, operator="办公室")
    try:
        with db.read() as s:
            assert s.scalar(select(func.count(Household.id))) == 10
        with db.write() as s:
            s.scalar(select(Household).order_by(Household.id)).note = "加密后修改"
    finally:
        db.close()


def _printable(path) -> str:
    if shutil.which("strings"):
        return subprocess.run(["strings", "-n", "4", str(path)], capture_output=True, text=True).stdout
    return "".join(chr(b) if 32 <= b < 127 else "\n" for b in path.read_bytes())


def test_strings_finds_no_id_number_or_name_in_the_file_or_its_backups(encrypted):
    path, people, plain_backup = encrypted
    assert people
    cipher.give(path, SECRET)
    made = backup.rotate_backup(path, "daily")
    for file in (path, plain_backup, made):
        assert not cipher.is_plain(file)
        text = _printable(file)
        raw = file.read_bytes()
        for name, id_number in people:
            assert id_number not in text and id_number[-8:] not in text
            assert name.encode("utf-8") not in raw
        assert b"SQLite format 3" not in raw[:100] and "audit_log" not in text and "CREATE TABLE" not in text
    backup.verify(made, restorable=True)  # opens under the same passphrase
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(made).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_the_strings_check_can_fail_on_a_plain_file(plain_demo):
    path, people = plain_demo
    name, id_number = people[0]
    assert id_number in _printable(path) or id_number.encode() in path.read_bytes()


def test_an_encrypted_backup_restores_encrypted_and_keeps_the_audit_log(encrypted):
    path, _people, plain_backup = encrypted
    cipher.give(path, SECRET)
    db = open_database(path, operator="办公室")
    try:
        with db.write() as s:
            s.scalar(select(Household).order_by(Household.id)).note = "恢复前的修改"
    finally:
        db.close()
    safety = restore_backup(path, plain_backup, "管理员")
    assert safety is not None and not cipher.is_plain(safety) and not cipher.is_plain(path)
    db = open_database(path, operator="办公室")
    try:
        report = db.check()
        assert report.ok, report
        with db.read() as s:
            assert s.scalar(select(Household.note).order_by(Household.id).limit(1)) != "恢复前的修改"
    finally:
        db.close()


def test_damaged_encrypted_files_are_refused_clearly_and_left_as_they_are(encrypted, monkeypatch):
    path, _people, _ = encrypted
    monkeypatch.setenv(cipher.PASSPHRASE_ENV, SECRET)
    cut = path.with_name("cut.sqlite")
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    flipped = path.with_name("flipped.sqlite")
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 4096 * 3, 997):
        data[i] ^= 0xFF
    flipped.write_bytes(bytes(data))
    odd = path.with_name("odd.sqlite")
    odd.write_bytes(path.read_bytes()[:-100])  # not whole pages: not even possibly encrypted
    for file in (cut, flipped, odd):
        before = digest(file)
        result = cli("check", "--db", file)
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr + result.stdout, result
        assert any(w in result.stderr + result.stdout for w in ("损坏", "口令不正确", "不是", "截断", "检查未通过")), result
        listed = cli("list", "households", "--db", file)
        assert listed.returncode in (0, 1, 2) and "Traceback" not in listed.stderr + listed.stdout, listed
        assert digest(file) == before


def test_the_cli_encrypts_after_the_warning_and_audits_it(tmp_path, plain_demo, monkeypatch):
    source, _people = plain_demo
    path = tmp_path / "desk.sqlite"
    shutil.copy(source, path)
    monkeypatch.delenv(cipher.PASSPHRASE_ENV, raising=False)
    cipher.forget()
    result = cli("encrypt", "--db", path)  # no terminal: refused until --yes
    assert result.returncode == 2 and "口令丢失＝数据丢失" in result.stderr and cipher.is_plain(path)
    monkeypatch.setenv("RENEWAL_DESK_NEW_PASSPHRASE", "short")
    refused(cli("encrypt", "--db", path, "--yes"), 2, "口令至少 8 个字符")
    monkeypatch.setenv("RENEWAL_DESK_NEW_PASSPHRASE", SECRET)
    result = cli("encrypt", "--db", path, "--yes")
    assert result.returncode == 0, result.stderr
    assert not cipher.is_plain(path) and not os.path.exists(f"{path}-wal.plain")
    refused(cli("encrypt", "--db", path, "--yes"), 2, "已经加密")
    cipher.forget()
    monkeypatch.setenv(cipher.PASSPHRASE_ENV, SECRET)
    con = cipher.connect(path, SECRET)
    try:
        assert con.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "encrypt"
    finally:
        con.close()


@pytest.mark.parametrize("op", ["edits", "backup"])
def test_kill_at_a_random_moment_on_an_encrypted_database(tmp_path_factory, monkeypatch, op):
    import random

    from tests.crash_harness import Harness

    monkeypatch.setenv(cipher.PASSPHRASE_ENV, SECRET)
    harness = _encrypted_harness(tmp_path_factory)
    seed = random.SystemRandom().randrange(1_000_000)
    outcome = harness.trial(op, seed)
    assert not outcome.problems, outcome.describe()
    assert not cipher.is_plain(harness.base(op))
    assert isinstance(harness, Harness)


_HARNESS = {}


def _encrypted_harness(tmp_path_factory):
    from tests.crash_harness import Harness

    if "h" not in _HARNESS:
        _HARNESS["h"] = Harness(tmp_path_factory.mktemp("crash-encrypted"), passphrase=SECRET)
    return _HARNESS["h"]
