"""The one registry of data-level settings (stored in the database's `setting` table, as JSON).

Each setting is declared once here: key, type, default, validator, and its name in words. Window
geometry and other per-computer preferences stay in QSettings (the UI); what travels with the data —
the office's profile printed on every document — lives here.

    value(db, "office.name")                 # the stored value, or the default
    office_profile(db) -> OfficeProfile      # the office block every printout uses
    save(db, {"office.name": "…", …})        # validated together, one transaction, audited
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .audit import record_event
from .db import Database
from .problems import FIELD_LABELS, InputError, Problem, declare
from .rules.text import normalize_text

E_TOO_LONG = declare("setting.too_long", "{label}不能超过 {max} 个字", "{label_en} must be at most {max} characters")
E_PHONE = declare("setting.phone", "联系电话只能包含数字、空格、“-”和“转”，例如 0514-87654321",
                  "The phone may hold digits, spaces and '-' only, e.g. 0514-87654321")
E_UNKNOWN = declare("setting.unknown", "没有这项设置：{key}", "There is no such setting: {key}")
E_REQUIRED = declare("setting.required", "{label}不能为空", "{label_en} cannot be empty")


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
LEGACY_LESSEE_KEY = "lease.lessee_org"  # before the profile: the lessee's name alone


def value(db: Database, key: str) -> Any:
    from .models import Setting

    spec = REGISTRY.get(key)
    if spec is None:
        raise InputError(Problem(E_UNKNOWN, {"key": key}))
    with db.read() as s:
        row = s.get(Setting, key)
    if row is None:
        return spec.default
    try:
        return json.loads(row.value)
    except ValueError:
        return spec.default


def save(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    """Validate every value (all problems at once), then store them in one transaction, audited."""
    from .models import Setting

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
            row = s.get(Setting, key)
            old = json.loads(row.value) if row else REGISTRY[key].default
            if old == new:
                continue
            if row is None:
                s.add(Setting(key=key, value=json.dumps(new, ensure_ascii=False)))
            else:
                row.value = json.dumps(new, ensure_ascii=False)
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
    from .models import Setting

    found = {k: value(db, k) for k in OFFICE_KEYS}
    if not found["office.name"]:
        with db.read() as s:
            legacy = s.get(Setting, LEGACY_LESSEE_KEY)
        found["office.name"] = json.loads(legacy.value) if legacy else ""
    return OfficeProfile(found["office.name"], found["office.address"], found["office.head"], found["office.phone"],
                         found["office.seal_text"])
