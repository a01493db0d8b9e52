"""Staff accounts: passwords (scrypt), roles, first-run administrator, login, lockout, unlock.

- Passwords are hashed with hashlib.scrypt (memory-hard, in the standard library); the stored text
  carries its own salt and n/r/p parameters, so the cost can be raised later without breaking old
  hashes. Comparison is constant-time (hmac.compare_digest).
- Five wrong passwords in a row lock the account for five minutes; the message says how many tries
  remain and, when locked, until when. Logins, failed logins, unlocks and account changes go into
  the audit log; the operator of every later audit entry is the logged-in account.
- Names from before accounts existed stay as 工作人员 accounts without a password: they cannot log in
  until an administrator sets one (and then must choose their own at the next login).
- Permissions are the one table in core.rules.access; `require_role(db, need)` is the check every
  service and front calls before showing or exporting full personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..audit import record_event
from ..db import Database
from .. import settings
from ..models import Operator
from ..models.base import utcnow
from ..problems import FIELD_LABELS, InputError, Problem, declare
from ..rules import access
from ..rules.access import ADMIN, READ_ONLY, ROLES, STAFF, AccessDenied, role_label
from .places import clean_name

__all__ = [
    "ADMIN", "READ_ONLY", "ROLES", "STAFF", "AccessDenied", "AccountView", "LoginError", "add_account",
    "auto_lock_minutes", "change_password", "hash_password", "list_accounts", "login", "logout", "needs_setup",
    "require_role", "role_label", "set_active", "set_auto_lock_minutes", "set_password", "set_role", "setup_admin",
    "unlock", "verify_password",
]

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 17, 8, 1  # 128 MiB and about 0.4 s per try on a laptop (issue 23)
SCRYPT_MAXMEM = 256 * 1024 * 1024
MIN_PASSWORD = 8
MAX_PASSWORD = 200
MAX_FAILED = 5
LOCK_MINUTES = 5
AUTO_LOCK_KEY = settings.AUTO_LOCK.key
AUTO_LOCK_DEFAULT = settings.AUTO_LOCK_DEFAULT
AUTO_LOCK_MAX = settings.AUTO_LOCK_MAX

# One message for every refused login whatever the reason (no such account, wrong password, locked, no password
# yet): it never tells whether an account name exists (issue 23). The reason goes into the audit log.
E_BAD_LOGIN = declare("account.bad_login", "账户名或密码不正确（也可能是账户已锁定或尚未设置密码）。同一账户连续输错 {count} 次将锁定 "
                      "{minutes} 分钟；如需帮助，请联系管理员。",
                      "Wrong account name or password (or the account is locked or has no password yet). {count} "
                      "wrong passwords in a row lock an account for {minutes} minutes; ask an administrator for help.")
E_UNKNOWN = E_BAD_LOGIN
E_DISABLED = declare("account.disabled", "账户“{name}”已停用，请联系管理员。",
                     "The account “{name}” is disabled; ask an administrator.")
E_SHORT = declare("account.password_short", "至少 {min} 个字符。", "The password needs at least {min} characters.")
E_LONG = declare("account.password_long", "最多 {max} 个字符。", "The password may have at most {max} characters.")
E_MISMATCH = declare("account.password_mismatch", "两次输入的密码不一致。", "The two passwords differ.")
E_SAME_AS_NAME = declare("account.password_is_name", "不能与账户名相同。", "The password must not be the account name.")
E_EXISTS = declare("account.exists", "账户“{name}”已存在。", "The account “{name}” already exists.")
E_NOT_FOUND = declare("account.not_found", "没有名为“{name}”的账户。", "There is no account named “{name}”.")
E_BAD_ROLE = declare("account.bad_role", "未知角色“{role}”，可选：管理员、工作人员、只读。",
                     "Unknown role “{role}”; choose administrator, staff or read-only.")
E_LAST_ADMIN = declare("account.last_admin", "“{name}”是唯一启用的管理员，不能停用或降级；请先指定另一位管理员。",
                       "“{name}” is the only active administrator and cannot be disabled or demoted; appoint "
                       "another administrator first.")
E_SET_UP = declare("account.already_set_up", "此数据库已有管理员账户，请登录后在“设置 → 账户管理”中添加账户。",
                   "This database already has an administrator; log in and add accounts in Settings → Accounts.")
E_AUTO_LOCK = settings.E_AUTO_LOCK
E_WRONG_PASSWORD = declare("account.wrong_password", "密码不正确。", "Wrong password.")

for _name, _labels in {"password": ("密码", "password"), "role": ("角色", "role"),
                       "auto_lock": ("自动锁定时间", "auto-lock time")}.items():
    FIELD_LABELS.setdefault(_name, _labels)

# Accepted spellings of the roles (CLI, imports): code, Chinese and English labels.
ROLE_ALIASES = {**{code: code for code in ROLES}, **{zh: code for code, (zh, _en) in ROLES.items()},
                **{en: code for code, (_zh, en) in ROLES.items()}}


_DUMMY_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$" + "00" * 16 + "$" + "00" * 32  # verified for unknown names: same cost

ACTION_LABELS = {"login": "登录", "unlock": "解锁", "verify": "核对密码"}


class LoginError(InputError):
    """A refused login or unlock (wrong password, locked, disabled, no password yet)."""


@dataclass(frozen=True)
class AccountView:
    id: int
    name: str
    role: str
    active: bool
    has_password: bool
    must_change_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None

    def role_label(self, lang: str = "zh") -> str:
        return role_label(self.role, lang)


def _view(op: Operator) -> AccountView:
    return AccountView(op.id, op.name, op.role, op.active, op.password_hash is not None, op.must_change_password,
                       op.locked_until, op.last_login_at)


# --- passwords ------------------------------------------------------------------------------------
def check_password(password: str, name: str = "", repeat: str | None = None) -> str:
    if repeat is not None and password != repeat:
        raise InputError(Problem(E_MISMATCH, field="password"))
    if len(password) < MIN_PASSWORD:
        raise InputError(Problem(E_SHORT, {"min": MIN_PASSWORD}, field="password"))
    if len(password) > MAX_PASSWORD:
        raise InputError(Problem(E_LONG, {"max": MAX_PASSWORD}, field="password"))
    if name and password.strip() == name.strip():
        raise InputError(Problem(E_SAME_AS_NAME, field="password"))
    return password


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """"scrypt$n$r$p$salt$hash" (hex): the parameters travel with the hash."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check of a password against a stored hash; False for anything malformed."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               maxmem=SCRYPT_MAXMEM, dklen=len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(found, expected)


def _role(role: str) -> str:
    code = ROLE_ALIASES.get((role or "").strip())
    if code is None:
        raise InputError(Problem(E_BAD_ROLE, {"role": role}, field="role"))
    return code


# --- reading --------------------------------------------------------------------------------------
def list_accounts(db: Database) -> list[AccountView]:
    with db.read() as s:
        return [_view(op) for op in s.scalars(select(Operator).order_by(Operator.active.desc(), Operator.name))]


def needs_setup(db: Database) -> bool:
    """True when no active account has a password: the first administrator must be set up."""
    db.refresh_access()
    return not db.accounts_enabled


def require_role(db: Database, need: str) -> None:
    """Raise AccessDenied (Chinese message) unless the logged-in role allows `need` (see core.rules.access)."""
    db.require(need)


def _get(s, name: str) -> Operator:
    op = s.scalar(select(Operator).where(Operator.name == name))
    if op is None:
        raise InputError(Problem(E_NOT_FOUND, {"name": name}, field="name"))
    return op


def _active_admins(s) -> list[str]:
    return list(s.scalars(select(Operator.name).where(Operator.role == ADMIN, Operator.active.is_(True),
                                                      Operator.password_hash.is_not(None))))


# --- first run, login, unlock ---------------------------------------------------------------------
def setup_admin(db: Database, name: str, password: str, repeat: str | None = None) -> AccountView:
    """Make the first administrator (an existing name keeps its history) and log in as it.

    Only while no account has a password; other names already in the database stay 工作人员 accounts
    without a password until the administrator gives them one.
    """
    name = clean_name(name, 100, field_name="name")
    check_password(password, name, repeat)
    if not needs_setup(db):
        raise InputError(Problem(E_SET_UP))
    hashed = hash_password(password)
    db.operator = name
    with db.write(note="设置首位管理员") as s:
        op = s.scalar(select(Operator).where(Operator.name == name))
        if op is None:
            op = Operator(name=name)
            s.add(op)
        op.role, op.active, op.password_hash, op.password_set_at = ADMIN, True, hashed, utcnow()
        op.must_change_password, op.failed_logins, op.locked_until, op.last_login_at = False, 0, None, utcnow()
        s.flush()
        record_event(s, "account-setup", "operator", op.id, op.uuid, note=f"设置首位管理员：{name}")
        view = _view(op)
    db.refresh_access()
    db.account, db.account_role = name, ADMIN
    return view


def _attempt(db: Database, name: str, password: str, action: str) -> Operator:
    """Check a password for `name`; count failures and lock after MAX_FAILED; audit both outcomes."""
    saved = db.operator
    db.operator = name[:100] or "?"
    try:
        with db.write(note=action, need="login") as s:
            op = s.scalar(select(Operator).where(Operator.name == name))
            now = utcnow()
            refused = LoginError(Problem(E_BAD_LOGIN, {"count": MAX_FAILED, "minutes": LOCK_MINUTES}, field="name"))
            if op is None:
                verify_password(password, _DUMMY_HASH)  # the same work as for a real account
                record_event(s, f"{action}-failed", "operator", note=f"未知账户：{name[:100]}")
                failure = refused
            elif not op.active:
                # Disabled: said only to someone who knows the password (others learn nothing).
                known = verify_password(password, op.password_hash)
                record_event(s, f"{action}-failed", "operator", op.id, op.uuid, note="账户已停用")
                failure = LoginError(Problem(E_DISABLED, {"name": name})) if known else refused
            elif op.password_hash is None:
                verify_password(password, _DUMMY_HASH)
                record_event(s, f"{action}-failed", "operator", op.id, op.uuid, note="尚未设置密码")
                failure = refused
            elif op.locked_until is not None and op.locked_until > now:
                record_event(s, f"{action}-failed", "operator", op.id, op.uuid, note="账户锁定中")
                failure = refused
            elif not verify_password(password, op.password_hash):
                op.failed_logins = (op.failed_logins or 0) + 1
                if op.failed_logins >= MAX_FAILED:
                    op.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                    op.failed_logins = 0
                    record_event(s, f"{action}-failed", "operator", op.id, op.uuid,
                                 note=f"密码错误，连续 {MAX_FAILED} 次，锁定 {LOCK_MINUTES} 分钟")
                else:
                    record_event(s, f"{action}-failed", "operator", op.id, op.uuid,
                                 note=f"密码错误（第 {op.failed_logins} 次）")
                failure = refused
            else:
                op.failed_logins, op.locked_until, op.last_login_at = 0, None, now
                record_event(s, action, "operator", op.id, op.uuid, note=f"{ACTION_LABELS[action]}："
                                                                         f"{role_label(op.role)}")
                failure = None
    finally:
        db.operator = saved
    if failure is not None:
        raise failure
    return op


def login(db: Database, name: str, password: str) -> AccountView:
    """Log in: on success the database acts with this account's role and names it in the audit log."""
    name = clean_name(name, 100, field_name="name")  # spelled as when the account was made
    op = _attempt(db, name, password, "login")
    db.refresh_access()
    db.account, db.account_role, db.operator = op.name, op.role, op.name
    if outdated_hash(op.password_hash):  # made at a lower cost (scrypt N=2^15 before issue 23): redone now
        with db.write(note="密码哈希升级", need="password") as s:
            own = _get(s, op.name)
            own.password_hash = hash_password(password)
            record_event(s, "account-rehash", "operator", own.id, own.uuid, note=f"密码哈希升级为 scrypt N={SCRYPT_N}")
            op = own
    return _view(op)


def outdated_hash(stored: str | None) -> bool:
    """True for a stored hash whose scrypt parameters are below the current ones."""
    try:
        scheme, n, r, p, _salt, _digest = (stored or "").split("$")
        return scheme == "scrypt" and (int(n), int(r), int(p)) < (SCRYPT_N, SCRYPT_R, SCRYPT_P)
    except ValueError:
        return False


def unlock(db: Database, password: str, name: str | None = None) -> AccountView:
    """Unlock the screen: the logged-in account's password, or an administrator's (then named)."""
    name = clean_name(name or db.account or "", 100, field_name="name")
    if name != db.account:
        op = _attempt(db, name, password, "unlock")
        if op.role != ADMIN:
            raise LoginError(Problem(access.E_DENIED, {"account": name, "role": role_label(op.role),
                                                       "what": "解锁他人的会话", "what_en": "unlock another session"}))
        return _view(op)
    return _view(_attempt(db, name, password, "unlock"))


def logout(db: Database) -> None:
    if db.account:
        with db.write(note="logout", need="login") as s:
            record_event(s, "logout", "operator", note=f"退出登录：{db.account}")
    db.account, db.account_role = None, None


# --- managing accounts (administrator) ------------------------------------------------------------
def add_account(db: Database, name: str, role: str, password: str, repeat: str | None = None) -> AccountView:
    """A new account with a first password the person must change at their first login."""
    db.require("accounts")
    name = clean_name(name, 100, field_name="name")
    role = _role(role)
    check_password(password, name, repeat)
    hashed = hash_password(password)
    with db.write(note="添加账户") as s:
        op = s.scalar(select(Operator).where(Operator.name == name))
        if op is not None and op.password_hash is not None:
            raise InputError(Problem(E_EXISTS, {"name": name}, field="name"))
        if op is None:
            op = Operator(name=name)
            s.add(op)
        op.role, op.active, op.password_hash, op.password_set_at = role, True, hashed, utcnow()
        op.must_change_password, op.failed_logins, op.locked_until = True, 0, None
        s.flush()
        record_event(s, "account-add", "operator", op.id, op.uuid, note=f"添加账户：{name}（{role_label(role)}）")
        view = _view(op)
    db.refresh_access()
    return view


def set_password(db: Database, name: str, password: str, repeat: str | None = None) -> AccountView:
    """An administrator sets (resets) a password; the person must choose their own at the next login."""
    db.require("accounts")
    check_password(password, name, repeat)
    hashed = hash_password(password)
    with db.write(note="重设密码") as s:
        op = _get(s, name)
        op.password_hash, op.password_set_at = hashed, utcnow()
        op.must_change_password = name != db.account
        op.failed_logins, op.locked_until = 0, None
        record_event(s, "account-password", "operator", op.id, op.uuid, note=f"管理员重设密码：{name}")
        view = _view(op)
    db.refresh_access()
    return view


def change_password(db: Database, current: str, password: str, repeat: str | None = None) -> AccountView:
    """The logged-in account changes its own password (any role), proving the current one."""
    name = db.account
    if not name:
        db.require("accounts")  # nobody logged in: refused with the "log in first" message
        raise AssertionError("unreachable: open databases have no own password")
    check_password(password, name, repeat)
    _attempt(db, name, current, "verify")
    hashed = hash_password(password)
    with db.write(note="修改密码", need="password") as s:
        op = _get(s, name)
        op.password_hash, op.password_set_at, op.must_change_password = hashed, utcnow(), False
        record_event(s, "account-password", "operator", op.id, op.uuid, note=f"本人修改密码：{name}")
        return _view(op)


def set_role(db: Database, name: str, role: str) -> AccountView:
    db.require("accounts")
    role = _role(role)
    with db.write(note="修改角色") as s:
        op = _get(s, name)
        if op.role == ADMIN and role != ADMIN and _active_admins(s) == [name]:
            raise InputError(Problem(E_LAST_ADMIN, {"name": name}))
        op.role = role
        view = _view(op)
    if name == db.account:
        db.account_role = role
    return view


def set_active(db: Database, name: str, active: bool) -> AccountView:
    db.require("accounts")
    with db.write(note="启用账户" if active else "停用账户") as s:
        op = _get(s, name)
        if not active and op.role == ADMIN and _active_admins(s) == [name]:
            raise InputError(Problem(E_LAST_ADMIN, {"name": name}))
        op.active = active
        view = _view(op)
    db.refresh_access()
    return view


# --- auto-lock ------------------------------------------------------------------------------------
def auto_lock_minutes(db: Database) -> int:
    """Minutes without keyboard or mouse before the window locks (0 = never); a data-level setting."""
    return settings.value(db, AUTO_LOCK_KEY)


def set_auto_lock_minutes(db: Database, minutes: int | str) -> int:
    db.require("accounts")
    value = settings.AUTO_LOCK.validator(minutes, settings.AUTO_LOCK)
    with db.write(note="设置自动锁定时间") as s:
        settings.write(s, AUTO_LOCK_KEY, value)
        record_event(s, "setting", "setting", note=f"自动锁定：{value} 分钟")
    return value
