"""What one transaction may change, below every front (issue 23): the flush hook of every write session.

`db.write(need=…)` names why the transaction is open. A narrow need touches only its own tables, columns
and rows; whatever the need, the account columns and the account settings move only for a role that may
manage accounts. A breach raises access.AccessDenied and the transaction rolls back (nothing written).

- print / reveal: the audit log and the document-number settings ("docseq:…") only
- login: the audit log and the caller's own failed-login counter, lock and last-login time
- password: the audit log and the caller's own password hash, its time and the must-change flag
- backup / event: the audit log only
- any need, any role without "accounts": no operator's role, password, activity or lock; no
  "accounts.…" setting (the auto-lock time); no "keys.…" setting (trusted signing keys) without "trust"
"""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from .problems import Problem, declare
from .rules import access
from .settings import ACCOUNT_PREFIX, DOC_SEQ_PREFIX, TRUST_PREFIX

OWN_COLUMNS = {
    "login": frozenset({"failed_logins", "locked_until", "last_login_at", "updated_at"}),
    "password": frozenset({"password_hash", "password_set_at", "must_change_password", "updated_at"}),
}
SETTING_PREFIXES = {"print": (DOC_SEQ_PREFIX,), "reveal": (DOC_SEQ_PREFIX,)}
ACCOUNT_COLUMNS = frozenset({"role", "password_hash", "password_set_at", "must_change_password", "active",
                             "failed_logins", "locked_until"})
ACCOUNT_SETTING_PREFIX = ACCOUNT_PREFIX
TRUST_SETTING_PREFIX = TRUST_PREFIX  # the signing keys whose bundles this database accepts (services.keys)

COLUMN_WORDS = {"role": ("角色", "role"), "password_hash": ("密码", "password"),
                "password_set_at": ("密码设置时间", "password time"), "must_change_password": ("须改密码", "must-change flag"),
                "active": ("启用状态", "active flag"), "failed_logins": ("登录失败次数", "failed logins"),
                "locked_until": ("锁定时间", "lock"), "last_login_at": ("最近登录时间", "last login"),
                "name": ("账户名", "name"), "person_id": ("关联人员", "linked person"), "updated_at": ("修改时间", "time")}

E_GUARD = declare("access.guarded", "当前操作不能修改{what}，已撤销，未写入任何内容。",
                  "This action may not change {what_en}; it was undone and nothing was written.")


def _refuse(what: str, what_en: str) -> None:
    raise access.AccessDenied(Problem(E_GUARD, {"what": what, "what_en": what_en}))


def _refuse_columns(columns: set[str]) -> None:
    words = [COLUMN_WORDS.get(c, (c, c)) for c in sorted(columns)]
    _refuse("账户的" + "、".join(w[0] for w in words), "the account's " + ", ".join(w[1] for w in words))


def _changed(obj) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()}


def limit_to_need(session: Session, _flush_context, _instances) -> None:
    need = session.info.get("need", "write")
    may_manage = access.allows(session.info.get("role"), "accounts")
    allowed = access.LIMITED_TABLES.get(need)
    operator = session.info.get("operator")
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = obj.__table__.name
        if table == "audit_log":
            continue
        if allowed is not None and table not in allowed:
            raise access.AccessDenied(access.Problem(access.E_LIMITED, {"table": table}))
        if table == "setting":
            key = str(obj.key or "")
            prefixes = SETTING_PREFIXES.get(need)
            if prefixes is not None and not key.startswith(prefixes):
                _refuse(f"设置“{key}”", f"the setting “{key}”")
            if key.startswith(ACCOUNT_SETTING_PREFIX) and not may_manage:
                _refuse(f"设置“{key}”", f"the setting “{key}”")
            if key.startswith(TRUST_SETTING_PREFIX) and not access.allows(session.info.get("role"), "trust"):
                _refuse(f"设置“{key}”", f"the setting “{key}”")
        elif table == "operator":
            if need in OWN_COLUMNS:
                if obj in session.new or obj in session.deleted or obj.name != operator:
                    _refuse("其他账户", "another account")
                extra = _changed(obj) - OWN_COLUMNS[need]
                if extra:
                    _refuse_columns(extra)
            elif not may_manage:
                if obj in session.deleted:
                    _refuse("账户", "accounts")
                touched = _changed(obj) & ACCOUNT_COLUMNS
                if obj in session.new:  # a plain name (operators.remember): no password, default role
                    touched = {c for c in touched if not (c == "role" and obj.role in (None, access.STAFF))
                               and not (c in ("active", "failed_logins", "must_change_password"))}
                    if obj.password_hash is not None:
                        touched.add("password_hash")
                if touched:
                    _refuse_columns(touched)
