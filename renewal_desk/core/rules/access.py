"""Who may do what: the one table of roles and permissions (pure; enforced by core.db and the services).

Roles: 管理员 (admin), 工作人员 (staff), 只读 (read-only). A database without any account that has a
password is an "open" database (fresh, demo, CI): its session acts as an administrator, as before
accounts existed. A database with accounts grants nothing but logging in until someone logs in.

Permissions:
- write     change data (every `db.write()` asks for it unless it names a narrower need)
- print     print documents with personal data masked (writes only the audit entry and document number)
- reveal    see or print full ID numbers and phones, export full personal data (audited each time)
- backup    take a manual backup (a full copy of the data)
- export    write an export bundle (masked; full personal data needs reveal too) or merge one in
- restore   replace the data with a backup
- accounts  add and disable accounts, reset passwords, change roles, set the auto-lock time
- encrypt   encrypt the database and its backups with a passphrase (SQLCipher)
- trust     trust or untrust the signing key of another office or laptop (whose bundles may be imported)
- login     log in or unlock (everyone; writes only the account's own login counters and the audit entry)
- password  change one's own password, proven first (everyone; only that account's password columns)
- event     append an audit entry only, for what already happened (a restore done by an administrator)
"""

from __future__ import annotations

from ..problems import InputError, Problem, declare

ADMIN, STAFF, READ_ONLY = "admin", "staff", "readonly"
ROLES: dict[str, tuple[str, str]] = {ADMIN: ("管理员", "administrator"), STAFF: ("工作人员", "staff"),
                                     READ_ONLY: ("只读", "read-only")}
PERMISSIONS: dict[str, frozenset[str]] = {
    ADMIN: frozenset({"write", "print", "reveal", "backup", "export", "restore", "accounts", "trust", "encrypt",
                       "reopen", "login"}),
    STAFF: frozenset({"write", "print", "reveal", "backup", "export", "login"}),
    READ_ONLY: frozenset({"print", "login"}),
}
NEEDS = ("write", "print", "reveal", "backup", "export", "restore", "accounts", "trust", "encrypt", "reopen",
         "login", "password", "event")
EVERYONE = frozenset({"login", "password", "event"})
# A transaction opened for a narrower need may touch only these tables (the audit log always).
LIMITED_TABLES: dict[str, frozenset[str]] = {
    # the document number sequence, and the register of printed documents (what a signed copy is filed to)
    "print": frozenset({"setting", "issued_document"}),
    "reveal": frozenset({"setting", "issued_document"}),
    "login": frozenset({"operator"}),  # the caller's own failed-login counter, lock, last login (core.guard)
    "password": frozenset({"operator"}),  # the caller's own password (core.guard)
    "backup": frozenset(),  # a manual backup records itself, nothing else
    "event": frozenset(),
}

E_DENIED = declare("access.denied", "当前账户“{account}”（{role}）无权{what}。请用有权限的账户登录。",
                   "The account “{account}” ({role}) may not {what_en}. Log in with an account that may.")
E_NOT_LOGGED_IN = declare("access.not_logged_in",
                          "此数据库已启用账户，{what}需要先登录（命令行：--user 账户名，密码由环境变量 "
                          "RENEWAL_DESK_PASSWORD 或提示输入）。",
                          "This database has accounts: log in before you {what_en} (command line: --user NAME, "
                          "the password from RENEWAL_DESK_PASSWORD or a prompt).")
E_LIMITED = declare("access.limited", "内部错误：只允许记录审计的操作试图修改“{table}”，已撤销。",
                    "Internal error: an audit-only action tried to change “{table}”; it was undone.")

WHAT: dict[str, tuple[str, str]] = {
    "write": ("修改数据", "change data"), "print": ("打印文书", "print documents"),
    "reveal": ("查看或导出完整身份证号和电话", "see or export full ID numbers and phones"),
    "backup": ("手动备份", "take a backup"), "export": ("导出或导入数据包", "export or import a bundle"), "restore": ("从备份恢复数据", "restore a backup"),
    "accounts": ("管理账户", "manage accounts"),
    "trust": ("信任或撤销数据包签名密钥", "trust or untrust a bundle signing key"),
    "encrypt": ("加密数据库", "encrypt the database"),
    "reopen": ("重新打开已结束的会议", "reopen an ended meeting"), "login": ("登录", "log in"),
    "password": ("修改本人密码", "change one's own password"), "event": ("记录事件", "log an event"),
}


def role_label(role: str | None, lang: str = "zh") -> str:
    if role is None:
        return "未登录" if not lang.startswith("en") else "not logged in"
    zh, en = ROLES.get(role, (role, role))
    return en if lang.startswith("en") else zh


def allows(role: str | None, need: str) -> bool:
    """Whether a role may do `need`; None (not logged in on a database with accounts) may only log in."""
    if need not in NEEDS:
        raise ValueError(f"unknown permission {need!r}")
    if need in EVERYONE:
        return True
    if role is None:
        return False
    return need in PERMISSIONS.get(role, frozenset())


def denied(account: str | None, role: str | None, need: str) -> InputError:
    what_zh, what_en = WHAT[need]
    if role is None:
        return AccessDenied(Problem(E_NOT_LOGGED_IN, {"what": what_zh, "what_en": what_en}))
    return AccessDenied(Problem(E_DENIED, {"account": account or "", "role": role_label(role), "what": what_zh,
                                           "what_en": what_en}))


class AccessDenied(InputError):
    """Refused by role: nothing was written. An InputError, so every front shows its Chinese message."""


def check(account: str | None, role: str | None, need: str) -> None:
    if not allows(role, need):
        raise denied(account, role, need)
