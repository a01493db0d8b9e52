"""The `renewal-desk` command line (calibredb-style), built on core only.

    renewal-desk [--db PATH]                      open the app
    renewal-desk --version
    renewal-desk demo --db PATH [--households N] [--seed S] [--scale large] [--people N …]
    renewal-desk bench [--quick] [--out FILE.json] [--db PATH] [--server postgresql://… | --no-server]
    renewal-desk check --db PATH [--json]
    renewal-desk backup --db PATH [--out FILE]
    renewal-desk restore --db PATH FILE
    renewal-desk import-roster --db PATH --project NAME [--dry-run] [--skip-invalid] [--json] FILE.xlsx
    renewal-desk list KIND --db PATH [--json]
    renewal-desk print DOC --db PATH --id ID --out FILE.pdf [--full] [--as-of D] [--from D --to D]
    renewal-desk print --list
    renewal-desk account add|list|passwd|disable|enable|role --db PATH [--user ADMIN] ...
    renewal-desk export --db PATH --out DIR_OR_ZIP [--since DATE] [--recipient NAME] [--full-personal-data]
                        [--purpose TEXT] [--json]
    renewal-desk import-bundle --db PATH [--dry-run] [--json] [--allow-deletions N] [--trust FINGERPRINT] BUNDLE
    renewal-desk encrypt --db PATH [--yes]         (passphrase: RENEWAL_DESK_NEW_PASSPHRASE or typed twice)
    renewal-desk keys [list|show|trust|untrust] [FINGERPRINT_OR_BUNDLE] --db PATH [--label TEXT]

On a database with accounts, commands that write or reveal need `--user NAME`; the password comes
from RENEWAL_DESK_PASSWORD or a prompt (a new account's from RENEWAL_DESK_NEW_PASSWORD or a prompt).
An encrypted database's passphrase comes from RENEWAL_DESK_PASSPHRASE or a prompt, once.

Exit codes: 0 done, 1 failed, 2 bad input or usage (nothing written).
"""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import date
import json
import sys
from collections.abc import Callable
from pathlib import Path

from renewal_desk import __version__

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
# Refusals of what the user gave us (nothing was written): exit 2.
INPUT_CODES = {"db.url", "db.server_unreachable", "db.server_login", "db.server_no_db", "db.server_foreign",
               "db.server_empty", "db.server_backup", "db.not_a_dump", "db.is_folder", "db.no_folder", "db.not_found", "db.not_sqlite",
               "db.foreign", "db.newer", "backup.bad", "backup.foreign", "backup.newer", "backup.out_exists",
               "backup.target", "backup.no_accounts", "backup.restore_login", "backup.restore_denied",
               "backup.restore_locked", "db.needs_passphrase", "db.wrong_passphrase",
               "db.already_encrypted", "db.encrypt_failed", "db.encrypt_server"}
LIST_KINDS = ("projects", "blocks", "buildings", "units", "households", "people", "houses", "contracts", "meetings",
              "tasks", "designers", "opinions", "supervisors", "parties", "inspections", "problems", "notices",
              "acceptances", "backups", "audit")


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("必须是 0 或正整数 must be 0 or more")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2 with a short message, like argparse, in Chinese
        self.print_usage(sys.stderr)
        print(f"{self.prog}: 用法错误 usage error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def _database_arg(text: str) -> Path | str:
    """--db: a file path, or the office server's postgresql://… address (kept as text: a Path would fold
    the //); any other URL is refused here."""
    from renewal_desk.core.db import DatabaseError, is_server_url, is_url, server_url

    if is_server_url(text):
        try:
            server_url(text)  # refuses an address without a database name
        except DatabaseError as exc:
            raise _Refused(exc) from exc
        return text
    if is_url(text):
        raise _Refused(DatabaseError("db.url", url=text))
    return Path(text)


class _Refused(Exception):
    """A refusal found while parsing the command line: reported like any other, exit 2."""


def _common(before_command: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after the command's name. After it they have no
    defaults (argparse.SUPPRESS), so `renewal-desk --db X demo` keeps X instead of the command's default."""
    def default(value):
        return value if before_command else argparse.SUPPRESS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=_database_arg, default=default(None), help="数据库文件 database file (默认: 用户数据文件夹)")
    common.add_argument("--operator", default=default(None), help="操作人姓名，写入审计日志 operator name for the audit log")
    common.add_argument("--user", default=default(None),
                        help="账户名（数据库启用账户后，写入或查看完整信息时必填；密码取自环境变量 "
                             "RENEWAL_DESK_PASSWORD 或提示输入） account to log in as")
    common.add_argument("--lang", default=default("zh"), choices=("zh", "en"), help="消息语言 message language")
    return common


def _build_parser() -> argparse.ArgumentParser:
    common = _common(before_command=False)

    parser = _Parser(prog="renewal-desk", description="街区更新议事台 Renewal Desk", parents=[_common(True)],
                     epilog="退出码 exit codes: 0 完成 done, 1 失败 failed, 2 输入或用法错误、未写入 bad input or "
                            "usage, nothing written")
    parser.add_argument("--version", action="version", version=f"renewal-desk {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("demo", parents=[common], help="创建演示社区 create a fictional demo community")
    p.add_argument("--households", type=int, default=None, help="住户数 households (默认 500；--scale large 为 100000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", choices=("small", "large"), default="small",
                   help="large: 街道规模（10 万户、25 万人、100 万项点单选择、2000 次会议…）sub-district scale")
    for option, what in (("people", "居民人数"), ("choices", "点单选择数"), ("meetings", "会议数"), ("sign-ins", "签到人次"),
                         ("problems", "监督问题数"), ("photos", "问题照片数"), ("designer-notes", "首席街长意见数"),
                         ("leases", "租赁合同数"), ("instalments", "已付租金期数")):
        p.add_argument(f"--{option}", type=_non_negative, default=None,
                       help=f"{what}（给出任一数量即按大规模方式生成）large-scale count")

    p = sub.add_parser("check", parents=[common], help="检查数据库 integrity, schema version, foreign keys")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backup", parents=[common], help="备份数据库 back up the database")
    p.add_argument("--out", type=Path)

    p = sub.add_parser("restore", parents=[common], help="从备份恢复 restore from a backup")
    p.add_argument("file", type=Path)

    p = sub.add_parser("import-roster", parents=[common], help="导入 Excel 花名册 import an XLSX roster")
    p.add_argument("--project", required=True)
    p.add_argument("--dry-run", action="store_true", help="只检查不写入 validate only")
    p.add_argument("--skip-invalid", action="store_true", help="导入有效行，报告其余 import valid rows only")
    p.add_argument("--json", action="store_true")
    p.add_argument("--full", action="store_true", help="报告中显示完整证件号和电话 unmasked values in the report")
    p.add_argument("file", type=Path)

    p = sub.add_parser("list", parents=[common], help="列出记录 list records with their ids")
    p.add_argument("kind", choices=LIST_KINDS)
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_non_negative, default=0, help="最多显示条数 (0 = 全部)")
    p.add_argument("--search", default="", help="搜索文字：住户（地址、姓名、电话）、人员姓名、监督问题 search text for households, people, problems")

    p = sub.add_parser("print", parents=[common], help="打印文书为 PDF print a document")
    p.add_argument("doc", nargs="?")
    p.add_argument("--id", type=int)
    p.add_argument("--out", type=Path)
    p.add_argument("--force", action="store_true", help="替换已存在的输出文件 replace an existing output file")
    p.add_argument("--full", action="store_true", help="含完整个人信息（内部使用，记入审计） unmasked, audited")
    p.add_argument("--as-of", type=date.fromisoformat, default=None, help="对账日期 statement date (YYYY-MM-DD)")
    p.add_argument("--round", type=int, default=None, help="点单轮次（点单表用）ordering round for ordering-form")
    p.add_argument("--since", type=date.fromisoformat, default=None,
                   help="起始日期（首席街长工作记录用，截止日期为 --as-of）period start for designer-journal")
    p.add_argument("--from", type=date.fromisoformat, default=None, dest="start",
                   help="期间开始（巡查记录、监督报告）period start (YYYY-MM-DD)")
    p.add_argument("--to", type=date.fromisoformat, default=None, dest="end", help="期间结束 period end (YYYY-MM-DD)")
    p.add_argument("--large", action="store_true", help="大字版（表决票）large print (ballots)")
    p.add_argument("--list", action="store_true", dest="list_docs")

    p = sub.add_parser("bench", parents=[common], help="性能基准 performance benchmark against floors measured in the same run")
    p.add_argument("--quick", action="store_true", help="小数据库，只检查能运行 small database, checks that it runs")
    p.add_argument("--out", type=Path, help="JSON 报告文件 write the report as JSON")
    p.add_argument("--only", action="append", default=None,
                   help="只测这些 only these steps: cold_start interactive roster_import sign_in_pdf export demo_generation "
                        "(interactive, roster_import and export on both engines), postgresql (the server's steps)")
    p.add_argument("--server", type=_database_arg, metavar="postgresql://ACCOUNT@HOST/DATABASE",
                   help="服务器数字在此服务器上测（账户须可建库，或给一个空库，测完清空） the server figures on this PostgreSQL "
                        "server: a database of its own when the account may create one, else this empty one, emptied "
                        "afterwards (default: a throw-away cluster on this machine when PostgreSQL is installed)")
    p.add_argument("--no-server", action="store_true", help="不测服务器数字 leave out the PostgreSQL figures")
    p.add_argument("--tables", nargs="+", type=Path, metavar="FILE.json",
                   help="不测量，打印已保存报告的表格 measure nothing: print the tables of saved JSON reports")
    p.add_argument("--readme", type=Path, help="把 --tables 的表格写入 README write the --tables tables into this README")

    p = sub.add_parser("account", parents=[common], help="账户管理（管理员） staff accounts (administrator)")
    p.add_argument("action", choices=("add", "list", "passwd", "disable", "enable", "role"))
    p.add_argument("name", nargs="?", help="账户名 account name")
    p.add_argument("new_role", nargs="?", help="角色（role 用）：管理员 / 工作人员 / 只读")
    p.add_argument("--role", default="staff", help="新账户角色 role of a new account: 管理员 / 工作人员 / 只读")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", parents=[common],
                       help="导出数据包（renewal-desk-export 第 1 版）write a renewal-desk-export v1 bundle")
    p.add_argument("--out", type=Path, required=True, help="新文件夹或 .zip 文件 a new folder or .zip file")
    p.add_argument("--since", type=date.fromisoformat, default=None,
                   help="只导出此日期（含）以来的变更 changes since this date (YYYY-MM-DD); "
                        "默认：上次导出给同一接收方以来 default: since the last export to the recipient")
    p.add_argument("--recipient", default="", help="接收方 recipient")
    p.add_argument("--full-personal-data", action="store_true",
                   help="含完整姓名、证件号和电话（须写 --recipient 和 --purpose，记入审计）unmasked, audited")
    p.add_argument("--purpose", default="", help="用途 purpose (required with --full-personal-data)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("server", parents=[common], help="办公室服务器 the office's PostgreSQL server")
    p.add_argument("action", choices=("init",), help="init: 在空数据库中建好结构（可重复运行） build the schema in an empty "
                                                    "database (safe to repeat)")
    p.add_argument("url", type=_database_arg, help="postgresql://账户@服务器/数据库")

    p = sub.add_parser("import-bundle", parents=[common], help="导入并合并数据包 verify and merge a bundle")
    p.add_argument("--dry-run", action="store_true", help="只检查和预演，不写入 check and rehearse, write nothing")
    p.add_argument("--json", action="store_true")
    p.add_argument("--allow-deletions", type=_non_negative, default=None, metavar="N",
                   help="确认删除本机至多 N 条记录（删除较多时必须给出） confirm up to N deletions")
    p.add_argument("--trust", metavar="FINGERPRINT", default=None,
                   help="信任此签名密钥并导入（管理员；须先向对方核实指纹，记入审计） trust this signer and import")
    p.add_argument("bundle", type=Path)

    p = sub.add_parser("encrypt", parents=[common],
                       help="加密数据库及其备份（SQLCipher，管理员；口令丢失＝数据丢失） encrypt the database")
    p.add_argument("--yes", action="store_true", help="不再询问：已知口令丢失即数据丢失 confirm without asking")

    p = sub.add_parser("keys", parents=[common],
                       help="数据包签名密钥：本机指纹、信任和撤销（管理员） bundle signing keys")
    p.add_argument("action", nargs="?", default="list", choices=("list", "show", "trust", "untrust"))
    p.add_argument("key", nargs="?", help="指纹 SHA256:…，或数据包文件 a fingerprint, or a bundle")
    p.add_argument("--label", default="", help="备注，如对方单位 a label, e.g. the sending office")
    p.add_argument("--json", action="store_true")
    return parser


def _db_path(args) -> Path | str:
    if args.db:
        return args.db
    from renewal_desk.core.paths import default_database_path

    return default_database_path()


def _local_path(args) -> Path:
    """The database file, or for a server database this computer's place for it (where its outputs must
    not go, and which never exists as a file: a server database is checked when it is opened)."""
    from renewal_desk.core.db import local_path_for

    return local_path_for(_db_path(args))


def _operator(args) -> str:
    if args.operator:
        return args.operator
    try:
        return f"命令行:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "命令行"


PASSWORD_ENV, NEW_PASSWORD_ENV = "RENEWAL_DESK_PASSWORD", "RENEWAL_DESK_NEW_PASSWORD"


class _NoPassword(Exception):
    """No password in the environment and no terminal to ask on: exit 2 with a message."""


def _password(env: str, prompt: str, repeat: bool = False) -> str:
    found = os.environ.get(env)
    if found:
        return found
    if not sys.stdin.isatty():
        raise _NoPassword(env)
    first = getpass.getpass(prompt)
    if repeat and getpass.getpass("再输入一次 again: ") != first:
        from renewal_desk.core.problems import InputError, Problem
        from renewal_desk.core.services.accounts import E_MISMATCH

        raise InputError(Problem(E_MISMATCH, field="password"))
    return first


def _open(args, create: bool = False):
    """Open the database; when it has accounts and --user is given, log in (password from env or prompt).

    Without --user on a database with accounts, nothing is logged in: reading works, every write or
    reveal is refused by core (the --operator name is never used there, so it cannot get round roles).
    """
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.accounts import login

    db = open_database(_db_path(args), operator=_operator(args), create=create)
    try:
        if db.accounts_enabled and args.user:
            args.password = _password(PASSWORD_ENV, f"“{args.user}”的密码 password: ")
            view = login(db, args.user, args.password)
            own_passwd = getattr(args, "action", None) == "passwd" and getattr(args, "name", None) == view.name
            if view.must_change_password and not own_passwd:  # as the window asks at login: nothing else first
                from renewal_desk.core.problems import InputError, Problem, declare

                raise InputError(Problem(declare(
                    "cli.must_change_password",
                    "账户“{name}”的密码由管理员设置，使用前须改为自己的密码：renewal-desk account passwd {name} "
                    "--user {name}（当前密码取自 RENEWAL_DESK_PASSWORD，新密码取自 RENEWAL_DESK_NEW_PASSWORD 或提示输入）。"
                    "未做任何修改。",
                    "The password of “{name}” was set by an administrator: choose your own first with renewal-desk "
                    "account passwd {name} --user {name} (current password from RENEWAL_DESK_PASSWORD, the new one "
                    "from RENEWAL_DESK_NEW_PASSWORD or a prompt). Nothing was changed."), {"name": view.name}))
        elif args.user:
            db.operator = args.user  # an open database (no accounts): the name goes into the audit log
    except BaseException:
        db.close()
        raise
    return db


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


LARGE_OPTIONS = ("people", "choices", "meetings", "sign_ins", "problems", "photos", "designer_notes", "leases",
                 "instalments")


def cmd_demo_large(args) -> int:
    """The large-scale generator: counts from --scale large, each overridable; progress on stderr;
    Ctrl-C cancels and rolls everything back."""
    import time
    from dataclasses import replace

    from renewal_desk.core.services.demo_large import LARGE, generate_large_demo

    if args.scale == "large":
        scale = LARGE
    else:  # counts given without --scale large: start from the large proportions at this many households
        households = args.households or 10_000
        scale = LARGE.divided(max(1, LARGE.households // households))
    given = {k: getattr(args, k) for k in LARGE_OPTIONS if getattr(args, k) is not None}
    if args.households is not None:
        given["households"] = args.households
    scale = replace(scale, **given)
    scale.check()  # before any file is created
    db = _open(args, create=True)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 1 or done >= total:
            last[0] = now
            print(f"\r{done * 100 // max(total, 1):3d}%  {done:,} / {total:,}", end="", file=sys.stderr, flush=True)

    try:
        summary = generate_large_demo(db, scale, seed=args.seed, progress=progress)
    except KeyboardInterrupt:
        print(("\n已取消，未写入任何演示数据" if args.lang == "zh" else "\nCancelled, no demo data written"), file=sys.stderr)
        return EXIT_FAILED
    finally:
        db.close()
    print(file=sys.stderr)
    counts = "，".join(f"{t} {n:,}" for t, n in summary.counts.items())
    print((f"已生成大规模演示数据（项目编号 {summary.project_id}，用时 {summary.seconds:.0f} 秒）：{counts}" if args.lang == "zh"
           else f"Large demo created (project id {summary.project_id}, {summary.seconds:.0f} s): {counts}"))
    return EXIT_OK


def cmd_demo(args) -> int:
    from renewal_desk.core.services.demo import check_household_count, generate_demo

    if args.scale == "large" or any(getattr(args, k) is not None for k in LARGE_OPTIONS):
        return cmd_demo_large(args)
    args.households = 500 if args.households is None else args.households
    check_household_count(args.households)  # before any file is created
    db = _open(args, create=True)
    try:
        summary = generate_demo(db, households=args.households, seed=args.seed, with_records=True)
    finally:
        db.close()
    msg = {"zh": f"已生成演示社区：{summary.blocks} 个片区，{summary.buildings} 栋楼，{summary.units} 个单元，"
                 f"{summary.households} 户，{summary.people} 人（项目编号 {summary.project_id}）；"
                 f"收储房屋 {summary.stored_houses} 处及其租赁合同",
           "en": f"Demo community created: {summary.blocks} blocks, {summary.buildings} buildings, {summary.units} "
                 f"units, {summary.households} households, {summary.people} people (project id {summary.project_id}); "
                 f"{summary.stored_houses} stored houses with their leases"}
    print(msg[args.lang])
    return EXIT_OK


def cmd_check(args) -> int:
    db = _open(args)
    try:
        report = db.check()
    finally:
        db.close()
    if args.json:
        _print_json(report.as_dict())
    else:
        zh = args.lang == "zh"
        print(("完整性：" if zh else "integrity: ") + "; ".join(report.integrity))
        print(("外键问题：" if zh else "foreign key violations: ") + str(len(report.foreign_key_violations)))
        print(("结构版本：" if zh else "schema: ") + f"{report.schema_revision} / {report.head_revision}")
        print(("记录数：" if zh else "counts: ") + ", ".join(f"{k}={v}" for k, v in report.counts.items()))
        if report.audit is not None:
            print(("审计日志：" if zh else "audit log: ") + report.audit.message(args.lang))
        print(("检查通过" if zh else "check passed") if report.ok else ("检查未通过" if zh else "check FAILED"))
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_backup(args) -> int:
    from renewal_desk.core.services.backups import backup_now

    if args.out is not None:
        from renewal_desk.core.db import check_output

        check_output(_local_path(args), args.out)  # before the database is opened or logged into
    db = _open(args)
    try:
        out = backup_now(db, "manual", args.out)  # refused by role inside
    finally:
        db.close()
    print(("已备份到 " if args.lang == "zh" else "Backed up to ") + str(out))
    return EXIT_OK


def cmd_restore(args) -> int:
    from renewal_desk.core.services.backups import restore_backup

    if not args.file.exists():
        print(("备份文件不存在：" if args.lang == "zh" else "Backup file not found: ") + str(args.file), file=sys.stderr)
        return EXIT_INPUT
    operator = _operator(args)
    from renewal_desk.core.db import is_server_url

    if is_server_url(_db_path(args)):  # a dump of `backup` restored with pg_restore (administrators)
        from renewal_desk.core.services.backups import restore_server_backup

        db = _open(args)
        try:
            safety = restore_server_backup(db, args.file)
        finally:
            db.close()
        print(("已从备份恢复：" if args.lang == "zh" else "Restored from: ") + str(args.file))
        print(("恢复前的数据已另存为 " if args.lang == "zh" else "The replaced data was saved as ") + str(safety))
        return EXIT_OK
    path = _local_path(args)
    if path.exists() and path.stat().st_size > 0:
        from renewal_desk.core.db import DatabaseError
        from renewal_desk.core.services.backups import authorize_restore

        try:
            db = _open(args)
        except DatabaseError as exc:
            # A damaged file or one of a newer schema: restoring is the way out (it is kept as a safety copy),
            # but never round the role check: an administrator of that file (or of the backup) signs it.
            password = os.environ.get(PASSWORD_ENV) if args.user else None
            if args.user and not password and sys.stdin.isatty():
                password = getpass.getpass(f"“{args.user}”的密码 password: ")
            operator = authorize_restore(path, args.file, exc.message(args.lang), args.user, password) or operator
            db = None
        if db is not None:
            try:
                db.require("restore")
                operator = db.operator
            finally:
                db.close()
    safety = restore_backup(path.resolve(), args.file, operator)
    print(("已从备份恢复：" if args.lang == "zh" else "Restored from: ") + str(args.file))
    if safety:
        print(("恢复前的数据已另存为 " if args.lang == "zh" else "The replaced data was saved as ") + str(safety))
    return EXIT_OK


def cmd_import(args) -> int:
    from renewal_desk.core.exchange.roster import read_roster
    from renewal_desk.core.services.roster_import import import_roster

    if not args.file.exists():
        print(("文件不存在：" if args.lang == "zh" else "File not found: ") + str(args.file), file=sys.stderr)
        return EXIT_INPUT
    parse = read_roster(args.file)  # a file that cannot be read: exit 2 before any database is touched
    path = _local_path(args)
    if not (path.exists() and path.stat().st_size > 0):
        # No database yet: check first, so a refused import or a dry run creates no file.
        report = import_roster(None, args.file, args.project, dry_run=True, skip_invalid=args.skip_invalid,
                               parse=parse)
        if args.dry_run or report.blocked:
            return _import_result(args, report)
    db = _open(args, create=True)
    try:
        if args.full:
            db.require("reveal")  # the report would show full ID numbers and phones
        report = import_roster(db, args.file, args.project, dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                               parse=parse)
    finally:
        db.close()
    return _import_result(args, report)


def _import_result(args, report) -> int:
    if args.json:
        _print_json(report.as_dict(args.lang, masked=not args.full))
    else:
        for problem in report.problems:
            tag = {"zh": "错误" if problem.severity == "error" else "提示",
                   "en": "error" if problem.severity == "error" else "warning"}[args.lang]
            print(f"[{tag}] {problem.describe(args.lang)}", file=sys.stderr)
        if args.lang == "zh":
            state = "已写入" if report.written else ("仅检查，未写入" if report.dry_run and not report.blocked
                                                  else "未写入任何数据")
            print(f"共 {report.rows} 行：{'导入' if report.written else '可导入'} {report.imported} 行"
                  f"（{report.households} 户），跳过 {report.skipped} 行，错误 {len(report.errors)} 处，"
                  f"提示 {len(report.warnings)} 处；{state}")
        else:
            state = "written" if report.written else ("dry run, nothing written" if report.dry_run and
                                                      not report.blocked else "nothing written")
            print(f"{report.rows} rows: {report.imported} rows ({report.households} households) importable, "
                  f"{report.skipped} skipped, {len(report.errors)} errors, {len(report.warnings)} warnings; {state}")
    return EXIT_INPUT if report.blocked else EXIT_OK


def _list_rows(db, kind: str, args) -> tuple[list[str], list[list]]:
    from renewal_desk.core import backup as backups
    from renewal_desk.core.rules.masking import mask_id_number, mask_phone
    from renewal_desk.core.services.households import HouseholdFilter, household_ids, household_rows

    limit = args.limit or None
    if kind == "households":
        ids = household_ids(db, HouseholdFilter(query=args.search), limit=limit)
        rows = household_rows(db, ids)
        head = ["id", "楼栋", "单元", "房号", "户主", "身份证号", "电话", "面积", "人数"]
        table = [[r.id, r.building, r.unit, r.room, r.head_name, mask_id_number(r.id_number or ""),
                  mask_phone(r.phone or ""), r.area, r.members] for r in (rows[i] for i in ids)]
        if args.search.strip():  # why each row matched, as the window's 匹配依据 column says
            from renewal_desk.core.services.households import match_reasons

            why = match_reasons(db, ids, args.search)
            head.insert(5, "匹配依据")
            for row in table:
                row.insert(5, why.get(row[0], ""))
        return head, table
    if kind in ("houses", "contracts"):
        from renewal_desk.core.models import CONTRACT_STATUS_LABELS, PROTECTION_LABELS
        from renewal_desk.core.rules.money import format_fen
        from renewal_desk.core.services import leases

        if kind == "houses":
            return (["id", "地址", "产权人", "面积", "保护类别", "修缮", "业态", "合同", "到期", "欠付"],
                    [[h.id, h.address, h.owners_masked, h.area, PROTECTION_LABELS[h.protection][0], h.restoration, h.business, h.contract_no,
                      h.lease_end, format_fen(h.arrears_fen)] for h in leases.house_rows(db)][:limit])
        today = date.today()
        return (["id", "合同号", "房屋", "状态", "开始", "到期", "租金总额", "欠付"],
                [[c.id, c.contract_no, c.house_address, CONTRACT_STATUS_LABELS[c.status][0], c.terms.start, c.end, format_fen(c.total_fen),
                  format_fen(c.account(today).arrears_fen)] for c in leases.contract_views(db)][:limit])
    if kind in ("meetings", "tasks"):
        from renewal_desk.core.models import MEETING_KIND_LABELS, MEETING_STATUS_LABELS, TASK_STATUS_LABELS
        from renewal_desk.core.services import meetings

        if kind == "meetings":
            return (["id", "时间", "会议", "类型", "项目", "状态", "应到", "实到"],
                    [[m.id, f"{m.starts_at:%Y-%m-%d %H:%M}", m.title, MEETING_KIND_LABELS[m.kind][0], m.project,
                      MEETING_STATUS_LABELS[m.status][0], m.expected, m.present]
                     for m in meetings.meetings(db, limit=limit)])
        return (["id", "会议", "任务", "责任人", "期限", "状态", "逾期"],
                [[t.id, t.meeting_title, t.title, t.owner, t.deadline, TASK_STATUS_LABELS[t.status][0],
                  "是" if t.overdue else ""]
                 for t in meetings.all_tasks(db, limit)])
    if kind in ("designers", "opinions"):
        from renewal_desk.core.models import APPOINTMENT_STATUS_LABELS, OPINION_STATUS_LABELS, STAGE_LABELS
        from renewal_desk.core.services import designer

        if kind == "designers":
            return (["id", "首席街长", "片区", "聘书编号", "聘任日期", "任期至", "状态", "离任日期"],
                    [[a.id, a.designer, a.block, a.letter_no, a.appointed_on, a.term_end,
                      APPOINTMENT_STATUS_LABELS[a.status][0], a.ended_on]
                     for a in designer.appointments(db)][:limit])
        return (["id", "编号", "片区", "提出日期", "阶段", "致送", "答复期限", "状态", "逾期", "意见"],
                [[o.id, o.opinion_no, o.block_id, o.raised_on, STAGE_LABELS[o.stage][0], o.addressee, o.respond_by,
                  OPINION_STATUS_LABELS[o.status][0],
                  "是" if o.overdue else "", o.opinion] for o in designer.opinions(db)][:limit])
    if kind in SUPERVISION_KINDS:
        return _supervision_rows(db, kind, args)
    if kind == "backups":
        return (["文件", "时间", "原因", "大小"],
                [[str(b.path), b.taken_at, b.reason, b.size] for b in backups.list_backups(db.path)][:limit])
    if kind in ("projects", "blocks", "buildings", "units"):
        from renewal_desk.core.services import places

        verb, head = {"projects": (places.project_rows, ["id", "uuid", "名称", "类型", "阶段"]),
                      "blocks": (places.block_rows, ["id", "项目", "名称"]),
                      "buildings": (places.building_rows, ["id", "片区", "名称", "地址"]),
                      "units": (places.unit_rows, ["id", "楼栋", "名称"])}[kind]
        rows = [list(r) for r in verb(db, limit)]
        if kind == "projects":  # the type and stage in words, as the other lists show their codes
            from renewal_desk.core.models import PROJECT_STAGE_LABELS, PROJECT_TYPE_LABELS

            for row in rows:
                row[3], row[4] = PROJECT_TYPE_LABELS[row[3]][0], PROJECT_STAGE_LABELS[row[4]][0]
        return head, rows
    if kind == "people":  # by name (masked numbers are not searchable: a search must not confirm them)
        from renewal_desk.core.services.households import people_rows

        return ["id", "住户", "姓名", "身份证号", "电话"], [list(r) for r in people_rows(db, args.search, limit)]
    from renewal_desk.core.services.audit_log import recent_entries

    return ["id", "时间", "操作人", "动作", "表", "记录", "说明"], [list(r) for r in recent_entries(db, limit)]


SUPERVISION_KINDS = ("supervisors", "parties", "inspections", "problems", "notices", "acceptances")


def _supervision_rows(db, kind: str, args) -> tuple[list[str], list[list]]:
    """The supervisor team's records; phones masked, overdue problems and notices say by how many days."""
    from renewal_desk.core.rules.masking import mask_phone
    from renewal_desk.core.models import PARTY_KIND_LABELS
    from renewal_desk.core.rules.rectification import PROBLEM_CATEGORY_LABELS, SEVERITY_LABELS, state_label
    from renewal_desk.core.rules.text import code_label
    from renewal_desk.core.services import supervision as sv

    limit = args.limit or None
    if kind == "supervisors":
        return (["id", "姓名", "电话", "聘任日期", "文号", "负责范围", "在队"],
                [[v.id, v.name, mask_phone(v.phone or ""), v.appointed_on, v.letter_no, v.covers,
                  "是" if v.active else f"退出 {v.retired_on}"] for v in sv.supervisors(db)][:limit])
    if kind == "parties":
        return (["id", "名称", "类别", "联系人", "电话"],
                [[p.id, p.name, code_label(PARTY_KIND_LABELS, p.kind), p.contact_name, mask_phone(p.contact_phone or "")]
                 for p in sv.parties(db)][:limit])
    if kind == "inspections":
        return (["id", "日期", "项目", "部位", "参加人员", "发现问题"],
                [[i.id, i.inspected_on, i.project, i.places, i.participants, i.problems]
                 for i in sv.inspections(db)][:limit])
    if kind == "problems":
        return (["id", "发现日期", "位置", "类别", "程度", "问题描述", "责任单位", "状态", "通知单", "整改期限", "逾期天数"],
                [[r.id, r.found_on, r.place, code_label(PROBLEM_CATEGORY_LABELS, r.category),
                  code_label(SEVERITY_LABELS, r.severity), r.description, r.party, state_label(r.state), r.notice_no,
                  r.deadline, r.days_overdue or ""] for r in sv.problem_rows(db, sv.ProblemFilter(text=args.search))][:limit])
    if kind == "notices":
        return (["id", "编号", "项目", "责任单位", "发出日期", "整改期限", "问题数", "未完成", "逾期"],
                [[n.id, n.notice_no, n.project, n.party, n.issued_on, n.deadline, n.problems, n.open_problems, n.overdue]
                 for n in sv.notices(db)][:limit])
    return (["id", "编号", "项目", "范围", "日期", "结论", "满意率", "未关闭问题"],
            [[a.id, a.record_no, a.project, a.scope, a.accepted_on, "通过" if a.passed else "不通过",
              f"{a.survey.content}/{a.survey.total}", a.open_problems] for a in sv.acceptances(db)][:limit])


def cmd_list(args) -> int:
    db = _open(args)
    try:
        head, rows = _list_rows(db, args.kind, args)
    finally:
        db.close()
    if args.json:
        _print_json([dict(zip(head, r)) for r in rows])
    else:
        print("\t".join(head))
        for r in rows:
            print("\t".join("" if v is None else str(v) for v in r))
    return EXIT_OK


def cmd_print(args) -> int:
    from renewal_desk.core.services.printouts import DOCUMENTS, print_document

    if args.list_docs or not args.doc:
        for name, kind in DOCUMENTS.items():
            id_hint = "--id 0" if kind.id_kind == "all" else f"--id <{kind.id_kind} id>"
            print(f"{name}\t{kind.title_zh if args.lang == 'zh' else kind.title_en}\t{id_hint}")
        return EXIT_OK if args.list_docs else EXIT_INPUT
    if args.id is None or args.out is None:
        print("print 需要 --id 和 --out (print needs --id and --out)", file=sys.stderr)
        return EXIT_INPUT
    from renewal_desk.core.db import check_output

    check_output(_local_path(args), args.out, replace=args.force)  # before the database is opened or logged into
    db = _open(args)
    try:
        pages = print_document(db, args.doc, args.id, args.out, masked=not args.full, as_of=args.as_of,
                               round_id=args.round, since=args.since, start=args.start, end=args.end,
                               replace=args.force, large=args.large)
    finally:
        db.close()
    print((f"已生成 {args.out}，共 {pages} 页" if args.lang == "zh" else f"Wrote {args.out}, {pages} pages"))
    return EXIT_OK


def cmd_bench(args) -> int:
    """Measure; --db PATH benchmarks that database (default: the cached large demo database)."""
    from renewal_desk.core import bench

    if args.tables:
        try:
            reports = [bench.Report.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in args.tables]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"无法读取基准报告 cannot read the report: {exc}", file=sys.stderr)
            return EXIT_INPUT
        print(bench.readme_section(reports))
        if args.readme:
            try:
                bench.update_readme(args.readme, reports)
            except (OSError, ValueError) as exc:
                print(f"无法写入 README cannot write the README: {exc}", file=sys.stderr)
                return EXIT_INPUT
        return EXIT_OK
    from renewal_desk.core.db import is_server_url

    if args.server and not is_server_url(str(args.server)):
        print(f"--server 须为 postgresql://… 地址 --server takes a postgresql://… address: {args.server}", file=sys.stderr)
        return EXIT_INPUT
    report = bench.run(quick=args.quick, db=args.db, log=lambda m: print(m, file=sys.stderr, flush=True),
                       only=set(args.only) if args.only else None, server=args.server, no_server=args.no_server)
    print(report.table())
    print(report.summary())
    if args.out:
        args.out.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    errors = [f for f in report.figures if f.skipped.startswith("error")]
    return EXIT_FAILED if errors else EXIT_OK


def cmd_account(args) -> int:
    """Accounts: the first `add` on a database without accounts makes the administrator; then admin only."""
    from renewal_desk.core.problems import InputError, Problem, declare
    from renewal_desk.core.services import accounts

    zh = args.lang == "zh"
    db = _open(args)
    try:
        if args.action == "list":
            if db.accounts_enabled:
                db.require("accounts")
            rows = [{"账户": a.name, "角色": a.role_label(args.lang), "启用": a.active, "有密码": a.has_password,
                     "须改密码": a.must_change_password, "最近登录": a.last_login_at}
                    for a in accounts.list_accounts(db)]
            if args.json:
                _print_json(rows)
            else:
                print("\t".join(["账户", "角色", "启用", "有密码", "须改密码", "最近登录"] if zh else
                                ["account", "role", "active", "password", "must change", "last login"]))
                for r in rows:
                    print("\t".join("" if v is None else ("是" if v is True else "否" if v is False else str(v))
                                    for v in r.values()))
            return EXIT_OK
        if not args.name:
            raise InputError(Problem(declare("cli.account_name", "请给出账户名。", "Give an account name."),
                                     field="name"))
        if args.action == "add":
            password = _password(NEW_PASSWORD_ENV, f"新账户“{args.name}”的密码 password: ", repeat=True)
            if not db.accounts_enabled:
                if accounts.ROLE_ALIASES.get(args.role.strip()) != accounts.ADMIN:
                    raise InputError(Problem(declare(
                        "cli.first_admin", "此数据库还没有账户：第一个账户必须是管理员（--role 管理员）。",
                        "This database has no accounts yet: the first one must be an administrator (--role admin)."),
                        field="role"))
                view = accounts.setup_admin(db, args.name, password)
            else:
                view = accounts.add_account(db, args.name, args.role, password)
            print((f"已添加账户“{view.name}”（{view.role_label()}）" if zh else
                   f"Added the account “{view.name}” ({view.role_label('en')})"))
        elif args.action == "passwd":
            password = _password(NEW_PASSWORD_ENV, f"“{args.name}”的新密码 new password: ", repeat=True)
            if db.account == args.name and not db.allows("accounts"):
                accounts.change_password(db, args.password, password)  # proven again: the login's password
            else:
                accounts.set_password(db, args.name, password)
            print(f"已设置“{args.name}”的密码" if zh else f"Password set for “{args.name}”")
        elif args.action in ("disable", "enable"):
            accounts.set_active(db, args.name, args.action == "enable")
            print((f"已{'启用' if args.action == 'enable' else '停用'}账户“{args.name}”" if zh else
                   f"Account “{args.name}” {args.action}d"))
        else:  # role
            view = accounts.set_role(db, args.name, args.new_role or "")
            print(f"“{view.name}”的角色：{view.role_label()}" if zh else f"“{view.name}” is now {view.role_label('en')}")
    finally:
        db.close()
    return EXIT_OK


def cmd_export(args) -> int:
    from renewal_desk.core.services.exchange import export_bundle

    from renewal_desk.core.db import check_output

    check_output(_local_path(args), args.out)  # before the database is opened or logged into
    db = _open(args)
    try:
        result = export_bundle(db, args.out, since=args.since, recipient=args.recipient,
                               full_personal_data=args.full_personal_data, purpose=args.purpose)
    finally:
        db.close()
    if args.json:
        _print_json(result.as_dict())
        return EXIT_OK
    total = sum(result.counts.values())
    since = result.manifest["period"]["since"]
    for warning in result.warnings:  # an attachment whose file is lost here: its record travels without it
        print(f"[{'提示' if args.lang == 'zh' else 'warning'}] {warning}", file=sys.stderr)
    if args.lang == "zh":
        print(f"已导出 {result.path}：{total} 条记录（附件 {result.counts.get('attachments', 0)} 条，附件文件 "
              f"{result.content_files} 个、{result.content_bytes} 字节），{result.tombstones} 条删除记录"
              f"{'，自 ' + since if since else '（全部数据）'}；个人信息"
              f"{'完整（已记入审计）' if args.full_personal_data else '已遮蔽'}；SHA-256 {result.bundle_sha256}")
    else:
        print(f"Exported {result.path}: {total} records ({result.counts.get('attachments', 0)} attachments, "
              f"{result.content_files} attachment files of {result.content_bytes} bytes), {result.tombstones} deletions"
              f"{', since ' + since if since else ' (everything)'}; personal data "
              f"{'full (audited)' if args.full_personal_data else 'masked'}; SHA-256 {result.bundle_sha256}")
    return EXIT_OK


def cmd_import_bundle(args) -> int:
    from renewal_desk.core.services.exchange import import_bundle

    new = not _local_path(args).exists()
    if new:  # a new laptop: the database is created only for a bundle that passes its checks
        from renewal_desk.core.exchange import signing
        from renewal_desk.core.exchange.bundle import load_bundle
        from renewal_desk.core.exchange.merge import check_times
        from renewal_desk.core.services.keys import fingerprint_of

        trust = fingerprint_of(args.trust) if args.trust else None
        loaded = load_bundle(args.bundle, lambda fp: fp in (trust, signing.own_fingerprint()))
        try:
            check_times(loaded)
        finally:
            loaded.close()  # the attachments' checked copies
        if args.dry_run:
            print("数据包完好；目标数据库尚不存在，导入时将新建。" if args.lang == "zh" else
                  "The bundle is sound; the database does not exist yet and will be created on import.")
            return EXIT_OK
    db = _open(args, create=new)
    try:
        report = import_bundle(db, args.bundle, dry_run=args.dry_run, allow_deletions=args.allow_deletions,
                               trust=args.trust)
    finally:
        db.close()
    if args.json:
        _print_json(report.as_dict())
        return EXIT_OK
    t = report.as_dict()["totals"]
    if args.lang == "zh":
        print(f"{'预演（未写入）' if report.dry_run else '已导入'} {args.bundle}（来自 {report.peer}）："
              f"新增 {t['added']}，更新 {t['updated']}，未变 {t['unchanged']}，跳过（本机较新）{t['skipped']}，"
              f"删除 {t['deleted']}，冲突 {t['conflicts']}；附件文件新存入 {report.contents_stored} 个")
    else:
        print(f"{'Dry run (nothing written)' if report.dry_run else 'Imported'} {args.bundle} (from {report.peer}): "
              f"added {t['added']}, updated {t['updated']}, unchanged {t['unchanged']}, skipped (newer here) "
              f"{t['skipped']}, deleted {t['deleted']}, conflicts {t['conflicts']}; attachment files stored "
              f"{report.contents_stored}")
    for c in report.conflicts:
        print(f"  冲突 conflict: {c['record_type']} {c['uuid']} {', '.join(c['fields'])}")
    for note in report.notes:
        print(f"  {note}")
    return EXIT_OK


NEW_PASSPHRASE_ENV = "RENEWAL_DESK_NEW_PASSPHRASE"


def cmd_encrypt(args) -> int:
    """Encrypt the database and its backups (administrator); the passphrase from RENEWAL_DESK_NEW_PASSPHRASE or
    typed twice; the warning first, confirmed by typing YES (or --yes)."""
    from renewal_desk.core import cipher
    from renewal_desk.core.problems import InputError, Problem, declare
    from renewal_desk.core.services.encryption import WARNING_EN, WARNING_ZH, encrypt_database

    db = _open(args)
    try:
        db.require("encrypt")
        if getattr(db, "url", None) is not None:
            raise cipher.CipherError(cipher.E_SERVER)
        if not cipher.is_plain(db.path):
            raise cipher.CipherError(cipher.E_ALREADY, path=str(db.path))
        print(f"{WARNING_ZH}\n{WARNING_EN}", file=sys.stderr)
        if not args.yes:
            if not sys.stdin.isatty():
                raise InputError(Problem(declare(
                    "cli.encrypt_yes", "没有终端可以确认：读过上面的警告后，请加 --yes 再运行；未作任何修改。",
                    "No terminal to confirm on: after reading the warning above, run again with --yes; nothing "
                    "was changed.")))
            if input("输入 YES 继续 type YES to go on: ").strip() != "YES":
                print("未加密，未作任何修改。" if args.lang == "zh" else "Not encrypted; nothing was changed.")
                return EXIT_INPUT
        secret = _password(NEW_PASSPHRASE_ENV, "新口令 new passphrase: ", repeat=True)
        done = encrypt_database(db, secret)
    finally:
        db.close()
    print(f"已加密 {db.path}，备份 {done} 份一并加密。以后打开时须给出口令（提示输入或环境变量 {cipher.PASSPHRASE_ENV}）。"
          if args.lang == "zh" else
          f"Encrypted {db.path} and {done} backups. Opening it now needs the passphrase (prompt or "
          f"{cipher.PASSPHRASE_ENV}).")
    return EXIT_OK


def _ask_passphrase(args) -> None:
    """An encrypted database asks for its passphrase once (RENEWAL_DESK_PASSPHRASE, else a prompt on a terminal)."""
    from renewal_desk.core import cipher

    path = getattr(args, "db", None) or (_db_path(args) if args.command not in ("bench", "demo") else None)
    if path is None or not cipher.could_be_encrypted(path) or cipher.passphrase(path) or not sys.stdin.isatty():
        return
    cipher.give(path, getpass.getpass(f"数据库“{Path(path).name}”的口令 passphrase: "))


def cmd_keys(args) -> int:
    """This computer's signing key, and the keys whose bundles this database accepts (administrator)."""
    from renewal_desk.core.exchange import signing
    from renewal_desk.core.problems import InputError, Problem, declare
    from renewal_desk.core.services import keys

    zh = args.lang == "zh"
    own = signing.own_fingerprint()
    if args.action == "show":
        print(own if not args.json else json.dumps({"fingerprint": own, "key_file": str(signing.key_path())}))
        return EXIT_OK
    db = _open(args)
    try:
        if args.action == "list":
            rows = keys.trusted_keys(db)
            if args.json:
                _print_json({"own": own, "trusted": [r.__dict__ for r in rows]})
                return EXIT_OK
            print(f"本机签名密钥 own key: {own}")
            print("已信任 trusted:" if rows else "尚未信任其他密钥 no other key trusted yet")
            for r in rows:
                print(f"  {r.fingerprint}\t{r.label}\t{r.trusted_at}\t{r.by}")
            return EXIT_OK
        if not args.key:
            raise InputError(Problem(declare("cli.keys_key", "请给出密钥指纹（SHA256:…）或数据包文件。",
                                             "Give a key fingerprint (SHA256:…) or a bundle file."), field="key"))
        if args.action == "trust":
            fingerprint = keys.fingerprint_of(args.key)
            added = keys.trust(db, fingerprint, args.label)
            print((f"已信任 {fingerprint}" if added else f"已经信任过 {fingerprint}") if zh else
                  (f"Trusted {fingerprint}" if added else f"Already trusted: {fingerprint}"))
        else:
            fingerprint = keys.fingerprint_of(args.key)
            keys.untrust(db, fingerprint)
            print(f"已撤销信任 {fingerprint}" if zh else f"No longer trusted: {fingerprint}")
    finally:
        db.close()
    return EXIT_OK


def cmd_server(args) -> int:
    """server init URL: the schema (extensions, tables, triggers, indexes) in the server's database; then the
    first administrator is added as on any new database (`account add`)."""
    from renewal_desk.core.db import DatabaseError, is_server_url, open_database

    if not is_server_url(str(args.url)):
        raise DatabaseError("db.url", url=str(args.url))
    db = open_database(args.url, operator=_operator(args), create=True)
    try:
        report = db.check()
        zh = args.lang == "zh"
        print((f"服务器数据库已就绪：{db.location}，结构版本 {report.schema_revision}" if zh else
               f"Server database ready: {db.location}, schema {report.schema_revision}"))
        if not db.accounts_enabled:
            print((f"下一步：renewal-desk --db {args.url} account add 管理员姓名 --role 管理员（设置首位管理员）" if zh else
                   f"Next: renewal-desk --db {args.url} account add NAME --role 管理员 (the first administrator)"))
    finally:
        db.close()
    return EXIT_OK if report.ok else EXIT_FAILED


COMMANDS: dict[str, Callable] = {"server": cmd_server, "bench": cmd_bench, "demo": cmd_demo, "check": cmd_check, "backup": cmd_backup,
                                 "restore": cmd_restore, "import-roster": cmd_import, "list": cmd_list,
                                 "print": cmd_print, "account": cmd_account, "export": cmd_export,
                                 "import-bundle": cmd_import_bundle, "keys": cmd_keys, "encrypt": cmd_encrypt}


def main(argv: list[str] | None = None) -> int:
    try:
        args = _build_parser().parse_args(argv)
    except _Refused as exc:
        words = list(sys.argv[1:] if argv is None else argv)
        english = "--lang=en" in words or any(a == "--lang" and b == "en" for a, b in zip(words, words[1:]))
        print(exc.args[0].message("en" if english else "zh"), file=sys.stderr)
        return EXIT_INPUT
    if args.command is None:
        from renewal_desk.ui.app import run_app

        return run_app(db_path=args.db, lang=None if "--lang" not in (argv or sys.argv) else args.lang)
    from renewal_desk.core.backup import BackupError
    from renewal_desk.core.db import DatabaseError, EngineError

    from renewal_desk.core.problems import InputError

    from renewal_desk.core.cipher import CipherError

    try:
        _ask_passphrase(args)
        return COMMANDS[args.command](args)
    except _NoPassword as exc:
        print(f"需要密码：请设置环境变量 {exc.args[0]}，或在终端中运行以便输入密码；未做任何修改。" if args.lang == "zh" else
              f"A password is needed: set {exc.args[0]} or run in a terminal to type it; nothing was changed.",
              file=sys.stderr)
        return EXIT_INPUT
    except InputError as exc:
        for problem in exc.problems:
            print(problem.describe(args.lang), file=sys.stderr)
        return EXIT_INPUT
    except (DatabaseError, BackupError, CipherError) as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_INPUT if getattr(exc, "code", "") in INPUT_CODES else EXIT_FAILED
    except OSError as exc:
        print(("文件操作失败：" if args.lang == "zh" else "File error: ") + str(exc), file=sys.stderr)
        return EXIT_FAILED
    except EngineError as exc:  # anything explain() did not recognise: still no traceback
        print(("数据库读写出错，操作未完成：" if args.lang == "zh" else "Database error, nothing done: ")
              + str(getattr(exc, "orig", exc)).splitlines()[0], file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
