"""The command line on a database with accounts: --user and a password, roles, exit codes, no way round."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ADMIN_PW, RO_PW = "admin-pass-1", "readonly-pass"


def run(*args, password=None, new_password=None, code=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_DESK_") or k == "RENEWAL_DESK_DATA"}
    env["PYTHONPATH"] = str(REPO)
    if password is not None:
        env["RENEWAL_DESK_PASSWORD"] = password
    if new_password is not None:
        env["RENEWAL_DESK_NEW_PASSWORD"] = new_password
    result = subprocess.run([sys.executable, "-m", "renewal_desk", *map(str, args)], capture_output=True, text=True,
                            env=env, timeout=300, stdin=subprocess.DEVNULL)
    if code is not None:
        assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def counts(path):
    con = sqlite3.connect(path)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("project", "household", "operator"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def staffed(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-accounts") / "desk.sqlite"
    run("demo", "--db", path, "--households", 10, code=0)  # a new database: no accounts, --operator as before
    out = run("account", "add", "管理员甲", "--role", "工作人员", "--db", path, new_password=ADMIN_PW, code=2)
    assert "第一个账户必须是管理员" in out.stderr
    run("account", "add", "管理员甲", "--role", "管理员", "--db", path, new_password=ADMIN_PW, code=0)
    out = run("account", "add", "只读丙", "--role", "只读", "--db", path, new_password=RO_PW, code=2)
    assert "需要先登录" in out.stderr  # once accounts exist, only an administrator adds more
    run("account", "add", "只读丙", "--role", "只读", "--db", path, "--user", "管理员甲", password=ADMIN_PW,
        new_password=RO_PW, code=0)
    out = run("list", "projects", "--db", path, "--user", "只读丙", password=RO_PW, code=2)
    assert "密码由管理员设置，使用前须改为自己的密码" in out.stderr  # nothing before the own password
    run("account", "passwd", "只读丙", "--db", path, "--user", "只读丙", password=RO_PW, new_password=RO_PW, code=0)
    return path


def test_account_list_shows_roles_to_administrators_only(staffed):
    out = run("account", "list", "--db", staffed, "--user", "管理员甲", password=ADMIN_PW, code=0).stdout
    assert "管理员甲\t管理员\t是\t是" in out and "只读丙\t只读" in out
    assert "scrypt" not in out
    assert "无权管理账户" in run("account", "list", "--db", staffed, "--user", "只读丙", password=RO_PW, code=2).stderr


def test_anyone_changes_their_own_password_proving_the_current_one(tmp_path):
    path = tmp_path / "own.sqlite"
    run("account", "add", "管理员甲", "--role", "管理员", "--db", path, new_password=ADMIN_PW, code=2)  # no file yet
    run("check", "--db", path, code=2)
    run("demo", "--db", path, "--households", 10, code=0)
    run("account", "add", "管理员甲", "--role", "管理员", "--db", path, new_password=ADMIN_PW, code=0)
    run("account", "add", "员工", "--role", "工作人员", "--db", path, "--user", "管理员甲", password=ADMIN_PW,
        new_password="first-pass-1", code=0)
    run("account", "passwd", "员工", "--db", path, "--user", "员工", password="first-pass-1",
        new_password="my-own-pass-1", code=0)
    out = run("account", "passwd", "管理员甲", "--db", path, "--user", "员工", password="my-own-pass-1",
              new_password="hijack-pass-1", code=2)
    assert "无权管理账户" in out.stderr
    run("list", "projects", "--db", path, "--user", "员工", password="my-own-pass-1", code=0)


def test_read_only_account_cannot_change_data(staffed, tmp_path):
    before = counts(staffed)
    out = run("demo", "--db", staffed, "--households", 10, "--user", "只读丙", password=RO_PW, code=2)
    assert "“只读丙”（只读）无权修改数据" in out.stderr
    out = run("account", "add", "新人", "--role", "管理员", "--db", staffed, "--user", "只读丙", password=RO_PW,
              new_password="new-person-1", code=2)
    assert "无权管理账户" in out.stderr
    backup = run("backup", "--db", staffed, "--user", "只读丙", "--out", tmp_path / "b.sqlite", password=RO_PW, code=2)
    assert "无权手动备份" in backup.stderr and not (tmp_path / "b.sqlite").exists()
    assert counts(staffed) == before


def test_read_only_account_cannot_print_full_data_but_may_print_masked(staffed, tmp_path):
    out = run("print", "building-roster", "--id", 1, "--out", tmp_path / "full.pdf", "--full", "--db", staffed,
              "--user", "只读丙", password=RO_PW, code=2)
    assert "无权查看或导出完整身份证号和电话" in out.stderr and not (tmp_path / "full.pdf").exists()
    run("print", "building-roster", "--id", 1, "--out", tmp_path / "masked.pdf", "--db", staffed, "--user", "只读丙",
        password=RO_PW, code=0)
    run("print", "building-roster", "--id", 1, "--out", tmp_path / "admin.pdf", "--full", "--db", staffed,
        "--user", "管理员甲", password=ADMIN_PW, code=0)


def test_operator_flag_does_not_get_round_accounts(staffed, tmp_path):
    before = counts(staffed)
    out = run("demo", "--db", staffed, "--households", 10, "--operator", "管理员甲", code=2)
    assert "此数据库已启用账户" in out.stderr and "--user" in out.stderr
    out = run("print", "building-roster", "--id", 1, "--out", tmp_path / "x.pdf", "--full", "--db", staffed,
              "--operator", "管理员甲", code=2)
    assert "需要先登录" in out.stderr
    assert counts(staffed) == before
    # Reading stays open (masked), as with any copy of the file.
    assert "*" in run("list", "households", "--db", staffed, "--limit", 1, code=0).stdout


def test_no_password_and_no_terminal_exits_2(staffed):
    out = run("demo", "--db", staffed, "--households", 10, "--user", "管理员甲", code=2)
    assert "RENEWAL_DESK_PASSWORD" in out.stderr and "未做任何修改" in out.stderr


def test_wrong_password_exits_2_and_is_logged(staffed):
    out = run("demo", "--db", staffed, "--households", 10, "--user", "管理员甲", password="not-the-one", code=2)
    assert "账户名或密码不正确" in out.stderr
    audit = run("list", "audit", "--db", staffed, "--limit", 3, code=0).stdout
    assert "login-failed" in audit


def audit_rows(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()


def test_audit_log_cannot_be_edited_from_the_cli(staffed, tmp_path):
    from renewal_desk.cli import COMMANDS

    # No command edits the log: a new one must be added here knowingly.
    # bench writes only to its own copies and its cache, never to the given database; export and
    # import-bundle add entries (an import's inserts are audited like any other) and never edit one; keys
    # appends its trust/untrust entries; encrypt appends its own
    assert set(COMMANDS) == {"server", "demo", "check", "backup", "restore", "import-roster", "list", "print", "account", "bench",
                             "export", "import-bundle", "keys", "encrypt"}
    before = audit_rows(staffed)
    run("list", "audit", "--db", staffed, code=0)
    run("account", "disable", "只读丙", "--db", staffed, "--user", "只读丙", password=RO_PW, code=2)
    run("restore", "--db", staffed, tmp_path / "missing.sqlite", "--user", "管理员甲", password=ADMIN_PW, code=2)
    out = run("export", "--db", staffed, "--out", tmp_path / "ro.zip", "--user", "只读丙", password=RO_PW, code=2)
    assert "无权导出或导入数据包" in out.stderr and not (tmp_path / "ro.zip").exists()
    out = run("restore", "--db", staffed, staffed, "--user", "只读丙", password=RO_PW, code=2)  # restore: admin only
    assert "无权从备份恢复数据" in out.stderr
    out = run("keys", "trust", "SHA256:" + "A" * 43, "--db", staffed, "--user", "只读丙", password=RO_PW, code=2)
    assert "无权信任或撤销数据包签名密钥" in out.stderr  # trusting a sender: the administrator's
    after = audit_rows(staffed)
    assert after[:len(before)] == before and len(after) > len(before)  # only appended (the logins)
    con = sqlite3.connect(staffed)
    with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
        con.execute("DELETE FROM audit_log WHERE id = 1")
    con.close()


def test_admin_disables_enables_and_changes_roles(staffed):
    admin = dict(password=ADMIN_PW)
    run("account", "disable", "只读丙", "--db", staffed, "--user", "管理员甲", code=0, **admin)
    out = run("print", "building-roster", "--id", 1, "--out", staffed.parent / "x.pdf", "--db", staffed,
              "--user", "只读丙", password=RO_PW, code=2)
    assert "已停用" in out.stderr
    run("account", "enable", "只读丙", "--db", staffed, "--user", "管理员甲", code=0, **admin)
    out = run("account", "role", "只读丙", "老板", "--db", staffed, "--user", "管理员甲", code=2, **admin)
    assert "未知角色" in out.stderr
    out = run("account", "role", "管理员甲", "只读", "--db", staffed, "--user", "管理员甲", code=2, **admin)
    assert "唯一启用的管理员" in out.stderr
    assert "工作人员" in run("account", "role", "只读丙", "工作人员", "--db", staffed, "--user", "管理员甲", code=0,
                         **admin).stdout
    run("account", "role", "只读丙", "只读", "--db", staffed, "--user", "管理员甲", code=0, **admin)
