"""The one registry of data-level settings (stored in the database's `setting` table, as JSON).

Each setting is declared once here: key, type, default, validator, and its name in words. Window
geometry and other per-computer preferences stay in QSettings (the UI); what travels with the data —
the office's profile printed on every document — lives here.

    value(db, "office.name")                 # the stored value, or the default
    office_profile(db) -> OfficeProfile      # the office block every printout uses
    save(db, {"office.name": "…", …})        # validated together, one transaction, audited
    read(session, key) / write(session, key, value)   # inside a service's own transaction

Every data-level setting is here: the office profile, the auto-lock time, this database's identity in
bundles, the trusted signing keys, the acceptance rule, the city's consent rules, the version of the
household search keys, and the day's document-number counters
("docseq:…", a family of keys). No other module reads or writes the `setting` table or spells a key
(tests/test_structure.py greps for strays).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .audit import record_event
from .problems import FIELD_LABELS, InputError, Problem, declare
from .rules.text import normalize_text

if TYPE_CHECKING:  # db's guard imports this module's key prefixes
    from .db import Database

E_TOO_LONG = declare("setting.too_long", "{label}不能超过 {max} 个字", "{label_en} must be at most {max} characters")
E_PHONE = declare("setting.phone", "联系电话只能包含数字、空格、“-”和“转”，例如 0514-87654321",
                  "The phone may hold digits, spaces and '-' only, e.g. 0514-87654321")
E_UNKNOWN = declare("setting.unknown", "没有这项设置：{key}", "There is no such setting: {key}")
E_REQUIRED = declare("setting.required", "{label}不能为空", "{label_en} cannot be empty")
E_AUTO_LOCK = declare("account.auto_lock", "自动锁定时间须为 0（不自动锁定）到 {max} 分钟的整数。",
                      "The auto-lock time must be a whole number of minutes from 0 (never) to {max}.")


@dataclass(frozen=True)
class SettingSpec:
    key: str
    type: type
    default: Any
    label_zh: str
    label_en: str
    validator: Callable[[Any, "SettingSpec"], Any]  # returns the clean value or raises InputError


def text(limit: int, required: bool = False) -> Callable[[Any, SettingSpec], str]:
    def check(value: Any, spec: SettingSpec) -> str:
        clean = normalize_text("" if value is None else str(value))
        params = {"label": spec.label_zh, "label_en": spec.label_en, "max": limit}
        if required and not clean:
            raise InputError(Problem(E_REQUIRED, params, field=spec.key))
        if len(clean) > limit:
            raise InputError(Problem(E_TOO_LONG, params, field=spec.key, value=clean[:40]))
        return clean
    return check


def phone_text(value: Any, spec: SettingSpec) -> str:
    clean = text(30)(value, spec)
    if clean and not re.fullmatch(r"[0-9 ()\-转+]+", clean):
        raise InputError(Problem(E_PHONE, field=spec.key, value=clean))
    return clean


REGISTRY: dict[str, SettingSpec] = {}


def declare_setting(key: str, type_: type, default: Any, label_zh: str, label_en: str,
                    validator: Callable[[Any, SettingSpec], Any]) -> SettingSpec:
    spec = SettingSpec(key, type_, default, label_zh, label_en, validator)
    if key in REGISTRY and REGISTRY[key] != spec:
        raise ValueError(f"setting {key!r} declared twice")
    REGISTRY[key] = spec
    FIELD_LABELS.setdefault(key, (label_zh, label_en))  # a refusal names it in words
    return spec


# The office (the sub-district's 街道办事处) as printouts name it: the lessee block of the lease
# contract, the heads of registers and notices.
OFFICE_NAME = declare_setting("office.name", str, "", "单位名称", "Office name", text(100, required=True))
OFFICE_ADDRESS = declare_setting("office.address", str, "", "单位地址", "Address", text(200))
OFFICE_HEAD = declare_setting("office.head", str, "", "负责人", "Responsible person", text(50))
OFFICE_PHONE = declare_setting("office.phone", str, "", "联系电话", "Phone", phone_text)
OFFICE_SEAL = declare_setting("office.seal_text", str, "", "印章文字", "Seal text", text(60))
OFFICE_KEYS = ("office.name", "office.address", "office.head", "office.phone", "office.seal_text")
LEGACY_LESSEE = declare_setting("lease.lessee_org", str, "", "出租方名称（旧）", "Lessee (old)", text(100))
LEGACY_LESSEE_KEY = LEGACY_LESSEE.key  # before the profile: the lessee's name alone, read when office.name is empty

AUTO_LOCK_DEFAULT, AUTO_LOCK_MAX = 15, 240


def minutes(value: Any, spec: SettingSpec) -> int:
    try:
        clean = int(str(value).strip())
    except ValueError:
        clean = -1
    if not 0 <= clean <= AUTO_LOCK_MAX:
        raise InputError(Problem(E_AUTO_LOCK, {"max": AUTO_LOCK_MAX}, field="auto_lock", value=str(value)))
    return clean


def stored_as(type_: type) -> Callable[[Any, SettingSpec], Any]:
    """For settings whose service checks the value in its own words first (rules, identities): the shape."""
    def check(value: Any, spec: SettingSpec) -> Any:
        if not isinstance(value, type_):
            raise TypeError(f"setting {spec.key!r} takes {type_.__name__}, not {value!r}")
        return value
    return check


ACCOUNT_PREFIX = "accounts."  # settings only an administrator may change (core.guard)
AUTO_LOCK = declare_setting("accounts.auto_lock_minutes", int, AUTO_LOCK_DEFAULT, "自动锁定时间", "Auto-lock time",
                            minutes)
INSTANCE_ID = declare_setting("exchange.instance_id", str, "", "本库标识", "This database's identity", stored_as(str))
ACCEPTANCE_RULE = declare_setting("supervision.acceptance_rule", dict, {}, "验收满意率规则", "Acceptance rule",
                                  stored_as(dict))
CONSENT_RULES = declare_setting("consent.rules", dict, {}, "本地表决规则", "Local consent rules", stored_as(dict))
TRUSTED_KEYS = declare_setting("keys.trusted", list, [], "已信任的签名密钥", "Trusted signing keys",
                               stored_as(list))  # services.keys: fingerprint, label, when, by whom
SEARCH_KEYS_VERSION = declare_setting("search.keys_version", int, 0, "搜索键版本", "Search keys version",
                                      stored_as(int))  # services.households: how the stored search keys were made

TRUST_PREFIX = "keys."  # the signing keys whose bundles this database accepts (core.guard: 'trust' permission)

# The day's document numbers (HMC-20261122-0001): one counter per prefix and day, "docseq:<prefix>:<yyyymmdd>".
DOC_SEQ_PREFIX = "docseq:"
DOC_SEQ = SettingSpec(DOC_SEQ_PREFIX, int, 0, "文书编号", "Document numbers", stored_as(int))


def spec_for(key: str) -> SettingSpec:
    spec = REGISTRY.get(key) or (DOC_SEQ if key.startswith(DOC_SEQ_PREFIX) else None)
    if spec is None:
        raise InputError(Problem(E_UNKNOWN, {"key": key}))
    return spec


def doc_seq_key(prefix: str, day: Any) -> str:
    return f"{DOC_SEQ_PREFIX}{prefix}:{day:%Y%m%d}"


def read(session: Any, key: str) -> Any:
    """The stored value of `key` inside an open session, or its default (also for an unreadable value)."""
    from .models import Setting

    spec = spec_for(key)
    row = session.get(Setting, key)
    if row is None:
        return spec.default
    try:
        found = json.loads(row.value)
    except ValueError:
        return spec.default
    if spec.type is int:
        try:
            return int(found)
        except (TypeError, ValueError):
            return spec.default
    return found


def write(session: Any, key: str, new: Any) -> bool:
    """Store `new` (checked by the setting's validator) inside an open write session; False when unchanged.
    The caller records the audit event in its own words."""
    from .models import Setting

    spec = spec_for(key)
    new = spec.validator(new, spec)
    row = session.get(Setting, key)
    stored = json.dumps(new, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=stored))
        return True
    if row.value == stored:
        return False
    row.value = stored
    return True


def value(db: Database, key: str) -> Any:
    spec_for(key)
    with db.read() as s:
        return read(s, key)


def save(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    """Validate every value (all problems at once), then store them in one transaction, audited."""
    db.require("write")
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, raw in values.items():
        spec = REGISTRY.get(key)
        if spec is None:
            problems.append(Problem(E_UNKNOWN, {"key": key}))
            continue
        try:
            clean[key] = spec.validator(raw, spec)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    with db.write(note="修改设置") as s:
        changed = []
        for key, new in clean.items():
            if read(s, key) == new:
                continue
            write(s, key, new)
            changed.append(f"{REGISTRY[key].label_zh}：{new}")
        if changed:
            record_event(s, "setting", "setting", note="；".join(changed))
    return clean


@dataclass(frozen=True)
class OfficeProfile:
    name: str
    address: str
    head: str
    phone: str
    seal_text: str

    @property
    def complete(self) -> bool:
        return bool(self.name and self.address and self.head and self.phone)

    @property
    def seal(self) -> str:
        """What the printouts write where the office seals (落款 …（盖章）): the text on its seal, else its
        name; "" when neither is set (the printout then names whoever it did before)."""
        return self.seal_text or self.name


def office_profile(db: Database) -> OfficeProfile:
    with db.read() as s:
        found = {k: read(s, k) for k in OFFICE_KEYS}
        if not found["office.name"]:
            found["office.name"] = read(s, LEGACY_LESSEE_KEY)
    return OfficeProfile(found["office.name"], found["office.address"], found["office.head"], found["office.phone"],
                         found["office.seal_text"])
