"""Reading the audit log: filters done in SQL (indexed), pages of ids, a record's history, export.

The log is append-only: nothing here (or anywhere in the app) updates or deletes its rows, and the
database refuses it too (triggers from migration 0008 abort any UPDATE or DELETE of audit_log).
ID numbers and phones inside the logged before/after values are masked unless the role allows a
reveal and the caller asks; an export with full data is itself written to the log.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, or_, select

from ..audit import record_event
from ..db import Database
from ..models import AuditEntry
from ..exchange import spec  # record types and fields in words, shared with the export bundle
from ..table_words import OTHER_TABLES, table_label  # noqa: F401 - this module's API
from ..problems import FIELD_LABELS, InputError, Problem, declare
from ..rules.masking import mask_id_number, mask_phone

PAGE = 2000
E_BAD_RANGE = declare("audit.bad_range", "日期范围有误：开始日期 {start} 晚于结束日期 {end}。",
                      "The date range is wrong: the start {start} is after the end {end}.")
E_BAD_RECORD = declare("audit.bad_record", "记录须是数字编号或 UUID：{value}", "A record is a number or a UUID: {value}")
FIELD_LABELS.setdefault("record", ("记录", "record"))
FIELD_LABELS.setdefault("file", ("文件", "file"))
E_BAD_FORMAT = declare("audit.bad_format", "导出格式只能是 CSV 或 XLSX：{value}", "Export as CSV or XLSX only: {value}")

ACTION_LABELS = {
    "insert": ("新增", "added"), "update": ("修改", "changed"), "delete": ("删除", "deleted"),
    "reveal": ("查看完整信息", "viewed full data"), "import": ("导入", "imported"), "demo": ("演示数据", "demo data"),
    "print": ("打印", "printed"), "print-full": ("打印（含完整信息）", "printed with full data"),
    "restore": ("恢复备份", "restored a backup"), "login": ("登录", "logged in"),
    "login-failed": ("登录失败", "failed login"), "logout": ("退出登录", "logged out"), "unlock": ("解锁", "unlocked"),
    "unlock-failed": ("解锁失败", "failed unlock"), "verify": ("核对密码", "password checked"),
    "verify-failed": ("核对密码失败", "wrong password"), "account-setup": ("设置管理员账户", "set up the administrator account"),
    "account-add": ("添加账户", "added an account"), "account-password": ("设置密码", "set a password"),
    "export-audit": ("导出审计日志", "exported the audit log"),
    "export-audit-full": ("导出审计日志（含完整信息）", "exported the audit log with full data"),
    "setting": ("修改设置", "changed a setting"),
    "export": ("导出数据包", "exported a bundle"), "correct": ("更正", "corrected"), "override": ("改判", "overrode"),
    "reopen": ("重新打开", "reopened"), "void": ("作废", "voided"), "amend": ("更正", "amended"), "resolve_conflict": ("处理导入冲突", "decided an import conflict"),
}
HEADERS = {"zh": ["编号", "时间", "操作人", "动作", "表", "记录编号", "记录 UUID", "说明", "变更"],
           "en": ["id", "time", "operator", "action", "table", "record id", "record uuid", "note", "changes"]}


def action_label(action: str, lang: str = "zh") -> str:
    zh, en = ACTION_LABELS.get(action, (action, action))
    return en if lang.startswith("en") else zh


# Columns that many tables share, and the account columns, in words (others: problems.FIELD_LABELS, else the key).
COLUMN_LABELS = {
    "active": ("启用", "active"), "role": ("角色", "role"), "password_set_at": ("密码设置时间", "password set at"),
    "must_change_password": ("须修改密码", "must change password"), "failed_logins": ("连续输错次数", "failed logins"),
    "locked_until": ("锁定至", "locked until"), "last_login_at": ("最近登录", "last login"),
    "status": ("状态", "status"), "title": ("标题", "title"), "description": ("描述", "description"),
    "address": ("地址", "address"), "household_id": ("住户编号", "household id"), "is_head": ("户主", "head"),
    "id_number": ("身份证号", "ID number"), "value": ("值", "value"), "key": ("键", "key"),
    "project_type": ("项目类型", "project type"), "stage": ("阶段", "stage"), "sort_key": ("排序", "sort order"),
    "project_id": ("项目编号", "project id"), "block_id": ("片区编号", "block id"),
    "building_id": ("楼栋编号", "building id"), "unit_id": ("单元编号", "unit id"), "person_id": ("人员编号", "person id"),
    "notice_id": ("整改通知编号", "notice id"), "caption": ("说明", "caption"), "mime_type": ("文件类型", "file type"),
    "original_name": ("原文件名", "file name"), "size": ("大小（字节）", "size (bytes)"), "sha256": ("SHA-256", "SHA-256"),
    "at": ("时间", "time"), "bundle_sha256": ("数据包 SHA-256", "bundle SHA-256"), "recipient": ("接收方", "recipient"),
    "purpose": ("用途", "purpose"), "direction": ("方向", "direction"), "counts": ("记录数", "counts"),
    "owner_table": ("所属表", "owner table"), "owner_id": ("所属记录", "owner record"),
    "before": ("更正前", "before the correction"), "replaced_by": ("更正后的记录", "replaced by record"),
    "lessors": ("出租人", "lessors"),
}


PEOPLE_TABLES = {"person", "operator", "supervisor", "attendee", "designer"}


def field_label(key: str, lang: str = "zh", table: str = "") -> str:
    rt = spec.BY_TABLE.get(table)
    if key == "name" and table and table not in PEOPLE_TABLES:
        zh, en = "名称", "name"  # a project's or a building's name, not a person's 姓名
    elif rt is not None and f"{rt.name}.{key}" in spec.TYPE_FIELD_LABELS:
        zh, en = spec.TYPE_FIELD_LABELS[f"{rt.name}.{key}"]
    else:
        zh, en = FIELD_LABELS.get(key) or COLUMN_LABELS.get(key) or spec.FIELD_LABELS.get(key) or (key, key)
    return en if lang.startswith("en") else zh


# An ID number's mask keeps its first 6 and last 4 digits: the 8 it hides are the birth date, so a
# masked output never shows a birth date beside it (the log's before/after values of a person do).
BIRTH_KEYS = ("birth_date", "birthday", "birth")
BIRTH_MASK = "****-**-**"


def is_personal(key: str) -> bool:
    """Keys whose values are ID numbers, phone numbers or birth dates (person.id_number, attendee.phone,
    contact_phone, person.birth_date...)."""
    return "id_number" in key or "phone" in key or key in BIRTH_KEYS


def mask_value(key: str, value: Any) -> Any:
    if value in (None, "") or not is_personal(key):
        return value
    if key in BIRTH_KEYS:
        return BIRTH_MASK
    return mask_id_number(value) if "id_number" in key else mask_phone(value)


@dataclass(frozen=True)
class AuditFilter:
    operator: str = ""  # exact account name
    table: str = ""
    record: str = ""  # a record id (with table) or a record uuid
    action: str = ""
    start: date | None = None  # inclusive, local dates
    end: date | None = None

    def conditions(self) -> list:
        where = []
        if self.operator:
            where.append(AuditEntry.operator == self.operator)
        if self.table:
            where.append(AuditEntry.table_name == self.table)
        if self.action:
            where.append(AuditEntry.action == self.action)
        record = self.record.strip()
        if record:
            if record.isdigit():
                where.append(AuditEntry.record_id == int(record))
            elif len(record) == 36 and record.count("-") == 4:
                where.append(AuditEntry.record_uuid == record.lower())
            else:
                raise InputError(Problem(E_BAD_RECORD, {"value": record[:40]}, field="record"))
        if self.start and self.end and self.start > self.end:
            raise InputError(Problem(E_BAD_RANGE, {"start": self.start, "end": self.end}))
        if self.start:
            where.append(AuditEntry.at >= _utc(self.start))
        if self.end:
            where.append(AuditEntry.at < _utc(self.end + timedelta(days=1)))
        return where


def _utc(day: date) -> datetime:
    """Local midnight of a day, in UTC (the log stores UTC)."""
    return datetime.combine(day, time.min).astimezone().astimezone(timezone.utc)


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    operator: str
    action: str
    table: str
    record_id: int | None
    record_uuid: str | None
    note: str
    changes: list[Change] = field(default_factory=list)

    def summary(self, lang: str = "zh") -> str:
        """The changes in words: "姓名：张三 → 李四；电话：138****0000 → 139****1111"."""
        sep = "; " if lang.startswith("en") else "；"
        colon = ": " if lang.startswith("en") else "："
        parts = []
        for c in self.changes:
            label = field_label(c.field, lang, self.table)
            if self.action == "update":
                parts.append(f"{label}{colon}{show_value(c.before, self.table, c.field, lang)} → "
                             f"{show_value(c.after, self.table, c.field, lang)}")
            else:
                parts.append(f"{label}{colon}"
                             f"{show_value(c.after if c.after is not None else c.before, self.table, c.field, lang)}")
        return sep.join(parts)


def _code_labels() -> dict[tuple[str, str], dict[str, tuple[str, str]]]:
    from ..models import (CATEGORY_LABELS, CHANNEL_LABELS, FILLED_BY_LABELS, MEETING_KIND_LABELS,
                          MEETING_STATUS_LABELS, ROUND_STATE_LABELS, TASK_STATUS_LABELS, TIER_LABELS)
    from ..models import (CONTRACT_STATUS_LABELS, OPINION_STATUS_LABELS, PROJECT_STAGE_LABELS, PROJECT_TYPE_LABELS,
                          PROTECTION_LABELS, STAGE_LABELS)
    from ..models import PARTY_KIND_LABELS
    from ..rules.rectification import ACTION_LABELS as STEP_LABELS, PROBLEM_CATEGORY_LABELS, SEVERITY_LABELS, STATE_LABELS

    def words(labels) -> dict[str, tuple[str, str]]:
        return {str(k): v for k, v in labels.items()}

    # stored codes since 0022 (older rows keep the Chinese labels they were written with, shown as they are)
    return {("problem_transition", "action"): words(STEP_LABELS),
            ("problem_transition", "from_state"): words(STATE_LABELS),
            ("problem_transition", "to_state"): words(STATE_LABELS),
            ("supervision_problem", "state"): words(STATE_LABELS),
            ("meeting", "kind"): words(MEETING_KIND_LABELS), ("meeting", "status"): words(MEETING_STATUS_LABELS),
            ("meeting_attendee", "category"): words(CATEGORY_LABELS),
            ("followup_task", "status"): words(TASK_STATUS_LABELS),
            ("menu_item", "tier"): words(TIER_LABELS), ("ordering_round", "state"): words(ROUND_STATE_LABELS),
            ("household_order", "filled_by"): words(FILLED_BY_LABELS),
            ("household_order", "channel"): words(CHANNEL_LABELS),
            # since 0023 (enum21c)
            ("project", "project_type"): words(PROJECT_TYPE_LABELS), ("project", "stage"): words(PROJECT_STAGE_LABELS),
            ("stored_house", "protection"): words(PROTECTION_LABELS),
            ("lease_contract", "status"): words(CONTRACT_STATUS_LABELS),
            ("designer_opinion", "stage"): words(STAGE_LABELS),
            ("designer_opinion", "status"): words(OPINION_STATUS_LABELS),
            ("designer_response", "status"): words(OPINION_STATUS_LABELS),
            # since 0025
            ("construction_party", "kind"): words(PARTY_KIND_LABELS),
            ("supervision_problem", "category"): words(PROBLEM_CATEGORY_LABELS),
            ("supervision_problem", "severity"): words(SEVERITY_LABELS)}


def _code_list_labels() -> dict[tuple[str, str], dict[str, tuple[str, str]]]:
    from ..models import STAKEHOLDER_LABELS

    return {("designer_opinion", "stakeholders"): {str(k): v for k, v in STAKEHOLDER_LABELS.items()}}


# Codes stored in a column, in words ("操作：关闭", not "操作：close")
CODE_LABELS = _code_labels()
# Comma-joined lists of codes stored in a column, each in words ("涉及主体：商户、居民", not "merchants,residents")
CODE_LIST_LABELS = _code_list_labels()


def show_value(value: Any, table: str = "", key: str = "", lang: str = "zh") -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dict):  # an amendment's "before": the fields as they were, in words
        return "（" + "，".join(f"{field_label(k, lang, table)} {show_value(v, table, k, lang)}"
                               for k, v in value.items()) + "）"
    words = CODE_LABELS.get((table, key), {}).get(str(value))
    if words:
        return words[1] if lang.startswith("en") else words[0]
    parts = CODE_LIST_LABELS.get((table, key))
    if parts and isinstance(value, str):
        shown = [parts[p][1 if lang.startswith("en") else 0] if p in parts else p for p in value.split(",")]
        return (", " if lang.startswith("en") else "、").join(shown)
    return str(value)


def _changes(action: str, before: str | None, after: str | None, full: bool) -> list[Change]:
    try:
        b = json.loads(before) if before else {}
        a = json.loads(after) if after else {}
    except ValueError:
        return []
    if not isinstance(b, dict) or not isinstance(a, dict):
        return []
    keys = list(dict.fromkeys([*a.keys(), *b.keys()]))
    skip = {"id", "uuid", "created_at", "updated_at"} if action in ("insert", "delete", "update") else set()
    out = []
    for key in keys:
        if key in skip:
            continue
        old, new = b.get(key), a.get(key)
        if action == "update" and old == new:
            continue
        if action in ("insert", "delete") and (old if action == "delete" else new) in (None, ""):
            continue
        if not full:
            old, new = mask_value(key, old), mask_value(key, new)
        out.append(Change(key, old, new))
    return out


def _query(flt: AuditFilter) -> Select:
    where = flt.conditions()
    return select(AuditEntry.id).where(and_(*where)) if where else select(AuditEntry.id)


def audit_ids(db: Database, flt: AuditFilter = AuditFilter(), *, before_id: int | None = None,
              limit: int | None = None) -> list[int]:
    """One page (PAGE) of matching ids, newest first; pass the last id seen as `before_id` for the next page."""
    limit = PAGE if limit is None else limit
    q = _query(flt)
    if before_id is not None:
        q = q.where(AuditEntry.id < before_id)
    with db.read() as s:
        return list(s.scalars(q.order_by(AuditEntry.id.desc()).limit(limit)))


def audit_rows(db: Database, ids: list[int], *, full: bool = False) -> dict[int, AuditRow]:
    """The entries for some ids (a visible range), personal values masked unless `full` (checked by role)."""
    if full:
        db.require("reveal")
    if not ids:
        return {}
    with db.read() as s:
        found = s.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids)))
        return {a.id: _row(a, full) for a in found}


def _row(a: AuditEntry, full: bool) -> AuditRow:
    return AuditRow(a.id, a.at, a.operator, a.action, a.table_name, a.record_id, a.record_uuid, a.note or "",
                    _changes(a.action, a.before, a.after, full))


def recent_entries(db: Database, limit: int | None = None) -> list[tuple]:
    """The newest log entries first as (id, at, operator, action, table, record id, note); at most `limit`,
    counted by the database (`renewal-desk list audit`)."""
    with db.read() as s:
        return [tuple(r) for r in s.execute(
            select(AuditEntry.id, AuditEntry.at, AuditEntry.operator, AuditEntry.action, AuditEntry.table_name,
                   AuditEntry.record_id, AuditEntry.note).order_by(AuditEntry.id.desc()).limit(limit))]


def operators(db: Database) -> list[str]:
    """Everyone named in the log (from the operator index, not a scan of all rows' values)."""
    with db.read() as s:
        return list(s.scalars(select(AuditEntry.operator).distinct().order_by(AuditEntry.operator)))


def tables(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(AuditEntry.table_name).distinct().order_by(AuditEntry.table_name)))


def record_history(db: Database, table: str, record_id: int | None = None, record_uuid: str | None = None, *,
                   full: bool = False) -> list[AuditRow]:
    """Every entry about one record, oldest first: by id within its table, or by uuid (events logged by uuid)."""
    if full:
        db.require("reveal")
    conds = []
    if record_id is not None:
        conds.append(and_(AuditEntry.table_name == table, AuditEntry.record_id == record_id))
    if record_uuid:
        conds.append(AuditEntry.record_uuid == record_uuid)
    if not conds:
        return []
    with db.read() as s:
        found = s.scalars(select(AuditEntry).where(or_(*conds)).order_by(AuditEntry.id))
        return [_row(a, full) for a in found]


def iter_rows(db: Database, flt: AuditFilter, full: bool = False) -> Iterator[AuditRow]:
    last = None
    while True:
        ids = audit_ids(db, flt, before_id=last)
        if not ids:
            return
        rows = audit_rows(db, ids, full=full)
        for i in ids:
            yield rows[i]
        last = ids[-1]


def export_log(db: Database, flt: AuditFilter, out: str | Path, *, full: bool = False, lang: str = "zh",
               progress: Callable[[int, int], None] | None = None, replace: bool = False) -> int:
    """Write the filtered log to CSV or XLSX (by suffix); returns the rows written. Audited (before writing).

    Personal values are masked unless `full`, which the role must allow (a reveal).
    """
    out = Path(out)
    kind = out.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise InputError(Problem(E_BAD_FORMAT, {"value": out.name}, field="file"))
    db.require("reveal" if full else "print")
    out = db.check_output(out, replace=replace)
    flt.conditions()  # refuse a bad filter before anything is logged
    with db.write(need="reveal" if full else "print") as s:
        record_event(s, "export-audit-full" if full else "export-audit", "audit_log",
                     note=f"导出审计日志到 {out.name}（{'含完整个人信息' if full else '脱敏'}）",
                     after={k: str(v) for k, v in vars(flt).items() if v})
    with db.read() as s:
        from sqlalchemy import func

        where = flt.conditions()
        total = s.scalar(select(func.count()).select_from(AuditEntry).where(and_(*where)) if where
                         else select(func.count()).select_from(AuditEntry))
    part = out.with_name(out.name + ".part")
    head = HEADERS["en" if lang.startswith("en") else "zh"]
    written = 0

    def lines() -> Iterator[list]:
        nonlocal written
        for r in iter_rows(db, flt, full):
            written += 1
            if progress and written % 1000 == 0:
                progress(written, total)
            yield [r.id, r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), r.operator, action_label(r.action, lang),
                   r.table, r.record_id, r.record_uuid, r.note, r.summary(lang)]

    try:
        if kind == ".csv":
            with open(part, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens it as UTF-8
                writer = csv.writer(fh)
                writer.writerow(head)
                writer.writerows(_safe(line) for line in lines())
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("审计日志" if lang == "zh" else "audit log")
            ws.append(head)
            for line in lines():
                ws.append(_safe(line))
            wb.save(part)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    if progress:
        progress(written, total)
    return written


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def _safe(line: list) -> list:
    """Cells a spreadsheet would run as a formula (=, +, -, @, also after leading spaces, tabs or line breaks,
    which spreadsheets skip, as in a tab or carriage return before "=") get an apostrophe; other control
    characters go."""
    out = []
    for v in line:
        if isinstance(v, str):
            v = _CONTROL.sub("", v)
            if v.lstrip(" \t\r\n\u3000")[:1] in FORMULA_STARTS:
                v = "'" + v
        out.append(v)
    return out
