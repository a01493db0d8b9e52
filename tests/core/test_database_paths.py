"""A database address the app does not support, or a path it cannot use, is refused in Chinese (exit 2)
and nothing is created (issue 18: `--db postgresql://…` used to make a folder named `postgresql:`)."""

import pytest

from renewal_desk.core.db import DatabaseError, open_database
from tests.core.test_cli_accounts import run


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("url", ["sqlite:///x.db", "mysql://h/db", "postgresql:///"])
def test_a_database_url_is_refused_and_nothing_is_created(tmp_path, monkeypatch, url, where):
    monkeypatch.chdir(tmp_path)
    args = ["--db", url, "demo", "--households", 10] if where == "before" else ["demo", "--db", url, "--households", 10]
    out = run(*args, code=2)
    assert f"不支持这个数据库地址：{url}" in out.stderr and "未创建任何文件" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_db_given_before_the_command_is_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("--db", tmp_path / "here.sqlite", "demo", "--households", 10, code=0)
    assert (tmp_path / "here.sqlite").stat().st_size > 0
    assert "检查通过" in run("--db", tmp_path / "here.sqlite", "check", code=0).stdout


def test_a_folder_or_a_path_through_a_file_is_refused(tmp_path):
    out = run("demo", "--db", tmp_path, "--households", 10, code=2)
    assert "这是一个文件夹，不是数据库文件" in out.stderr
    (tmp_path / "afile").write_text("x")
    out = run("demo", "--db", tmp_path / "afile" / "sub" / "x.sqlite", "--households", 10, code=2)
    assert "无法在这里新建数据库" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
    with pytest.raises(DatabaseError, match="不支持这个数据库地址"):
        open_database("mysql://user@host/db", create=True)


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_unreachable_server_is_refused_and_nothing_is_created(tmp_path, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    url = "postgresql://user@127.0.0.1:1/db"  # port 1: nothing listens, refused at once
    args = ["--db", url, "demo", "--households", 10] if where == "before" else ["demo", "--db", url, "--households", 10]
    out = run(*args, code=2)
    assert "无法连接数据库服务器 user@127.0.0.1:1/db" in out.stderr and "未作任何修改" in out.stderr
    assert "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_refused(tmp_path, monkeypatch):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access
    # as root, chmod does not stop writing: make the folder unwritable to the check the way it is for staff
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == str(folder) else real_access(p, mode, **kw))
    with pytest.raises(DatabaseError, match="无法在这里新建数据库"):
        open_database(folder / "new" / "x.sqlite", create=True)
    assert list(folder.iterdir()) == []
