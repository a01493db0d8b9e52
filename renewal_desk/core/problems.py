"""Problems found in user input, with a stable code and a message in Chinese (default) or English.

Core code has no Qt, so it cannot use Qt's translation system; every message a rule or a service
can produce is declared once here, in both languages, and rendered by `Problem.message(lang)`.
The UI passes its current language; the CLI uses Chinese unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

# code -> (Chinese, English); placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {}


def declare(code: str, zh: str, en: str) -> str:
    """Declare a message once; returns the code so modules can keep it as a constant."""
    existing = MESSAGES.get(code)
    if existing is not None and existing != (zh, en):
        raise ValueError(f"message code {code!r} declared twice with different texts")
    MESSAGES[code] = (zh, en)
    return code


def render(code: str, params: dict[str, Any] | None = None, lang: str = "zh") -> str:
    zh, en = MESSAGES.get(code, (code, code))
    template = en if lang.startswith("en") else zh
    try:
        return template.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value: where (row/column/field), what (code), and the value."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None  # 1-based row number as Excel shows it
    column: str | None = None  # Excel column letter(s), e.g. "C"
    field: str | None = None  # canonical field name, e.g. "id_number"
    value: str | None = None  # the raw value as found
    severity: str = "error"  # "error" blocks the row; "warning" is reported but accepted

    def message(self, lang: str = "zh") -> str:
        return render(self.code, self.params, lang)

    def field_words(self, lang: str = "zh") -> str:
        """The field named in words ("联系电话"), or "" when it has no label or the message names it
        already: a person never reads an internal name like `proxy_name`."""
        label = FIELD_LABELS.get(self.field or "")
        if label is None:
            return ""
        words = label[1] if lang.startswith("en") else label[0]
        message = self.message(lang)
        return "" if words.lower() in message.lower() else words

    def where(self, lang: str = "zh") -> str:
        parts = []
        words = self.field_words(lang) if self.field else ""
        if lang.startswith("en"):
            if self.row is not None:
                parts.append(f"row {self.row}")
            if self.column:
                parts.append(f"column {self.column}")
            if words:
                parts.append(words)
            return ", ".join(parts)
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"{self.column} 列")
        if words:
            parts.append(words)
        return "，".join(parts)

    def describe(self, lang: str = "zh") -> str:
        where = self.where(lang)
        sep = ": " if lang.startswith("en") else "："
        return f"{where}{sep}{self.message(lang)}" if where else self.message(lang)

    def to_dict(self, lang: str = "zh", mask: Callable[[str | None, str], str] | None = None) -> dict[str, Any]:
        """Plain data for JSON reports; `mask(field, value)` (rules.masking.mask_field) hides personal data
        in the value (this module is below the rules, so it takes the masking from its caller)."""
        data = asdict(self)
        data["message"] = self.message(lang)
        data["params"] = {k: str(v) for k, v in self.params.items()}
        if mask is not None:
            if data["value"]:
                data["value"] = mask(self.field, data["value"])
            if data["params"].get("value"):
                data["params"]["value"] = mask(self.field, data["params"]["value"])
        return data


class UserError(Exception):
    """A refusal written for the person who caused it: `text(lang)` is all of it in that language ("zh", "en").
    Its two kinds: InputError (an input refused: its problems, each saying where) and CodedError (a file, a
    database, a connection: one message). The UI shows any of them through widgets.feedback.error_text."""

    def text(self, lang: str = "zh") -> str:
        raise NotImplementedError


class InputError(UserError, ValueError):
    """Raised by rules and services when input is refused; carries one or more problems."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(p.describe() for p in self.problems))

    @classmethod
    def of(cls, code: str, field: str | None = None, value: Any = None, **params: Any) -> "InputError":
        return cls(Problem(code, params, field=field, value=None if value is None else str(value)))

    def describe(self, lang: str = "zh") -> str:
        """The problems on one line (a command's output, a log)."""
        sep = "; " if lang.startswith("en") else "；"
        return sep.join(p.describe(lang) for p in self.problems)

    def text(self, lang: str = "zh") -> str:
        """The problems one to a line (a dialog, a banner)."""
        return "\n".join(p.describe(lang) for p in self.problems)


class CodedError(UserError):
    """A refusal that is not about one input value (a file, a database): a code and its params."""

    def __init__(self, code: str, **params: Any):
        self.code, self.params = code, params
        super().__init__(render(code, params))

    def message(self, lang: str = "zh") -> str:
        return render(self.code, self.params, lang)

    def text(self, lang: str = "zh") -> str:
        return self.message(lang)


def collect(problems: list[Problem], parse: Any, value: Any) -> Any:
    """`parse(value)` for an optional field: None when empty; a refusal adds its problems, gives None."""
    if value in (None, ""):
        return None
    try:
        return parse(value)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


# Field labels shared by forms, import reports and printouts: canonical name -> (Chinese, English).
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("标题", "title"), "starts_at": ("开始时间", "start"), "ends_at": ("结束时间", "end"),
    "kind": ("会议类型", "kind"), "reason": ("原因", "reason"), "deadline": ("完成期限", "deadline"),
    "project": ("项目", "project"),
    "block": ("片区", "block"),
    "building": ("楼栋", "building"),
    "unit": ("单元", "unit"),
    "room": ("房号", "room"),
    "name": ("姓名", "name"),
    "head_name": ("户主姓名", "head of household"),
    "id_number": ("身份证号", "ID number"),
    "phone": ("联系电话", "phone"),
    "area": ("面积", "area"),
    "area_source": ("面积来源", "area source"),
    "note": ("备注", "note"),
    "gender": ("性别", "gender"),
    "birth_date": ("出生日期", "birth date"),
    "date": ("日期", "date"),
    "relation": ("与户主关系", "relation to head"),
    "roles": ("身份", "roles"),
    "money": ("金额", "amount"),
    "title": ("名称", "title"),
    "reason": ("理由", "reason"),
    "ballot": ("表决票", "ballot"),
    "status": ("状态", "status"),
    "photo": ("照片", "photo"),
    "password": ("密码", "password"),
    "doc_no": ("文书编号", "document number"),
    "survey": ("调查", "survey"),
    "method": ("方式", "method"),
    "approval": ("通过标准", "approval rule"),
    "unit_id": ("单元", "unit"),
    "state": ("状态", "state"),
    "stakeholders": ("利害关系人", "stakeholders"),
    "score": ("评分", "score"),
    "quorum": ("到会人数", "quorum"),
    "proxy_name": ("代理人姓名", "proxy's name"),
    "problems": ("问题", "problems"),
    "matter": ("议题", "matter"),
    "deadline": ("整改期限", "deadline"),
    "choice": ("选项", "choice"),
    "checklist": ("检查项目", "checklist"),
    "auto_lock": ("自动锁定", "auto-lock"),
    "vote": ("表决", "vote"),
    "tier": ("层级", "tier"),
    "starts_at": ("开始时间", "start time"),
    "ends_at": ("结束时间", "end time"),
    "stage": ("阶段", "stage"),
    "role": ("角色", "role"),
    "record": ("记录", "record"),
    "reasons": ("理由", "reasons"),
    "protection": ("保护类别", "protection class"),
    "priority": ("优先级", "priority"),
    "present": ("到会", "present"),
    "planned_minutes": ("计划时长", "planned duration"),
    "percent": ("比例", "percentage"),
    "party": ("参建单位", "party"),
    "parties": ("参建单位", "parties"),
    "participants": ("参加人员", "participants"),
    "owners": ("产权人", "owners"),
    "owner_key": ("产权人", "owner"),
    "override_reason": ("改判理由", "override reason"),
    "notice_no": ("通知单编号", "notice number"),
    "location": ("地点", "location"),
    "lessors": ("出租人", "lessors"),
    "left_at": ("离场时间", "time left"),
    "kind": ("类别", "kind"),
    "household": ("住户", "household"),
    "file": ("文件", "file"),
    "eligible_owners": ("业主总人数", "owners in total"),
    "eligible_area": ("专有部分总面积", "total exclusive area"),
    "developer_unsold": ("开发商未售房屋", "developer's unsold homes"),
    "deposit": ("押金", "deposit"),
    "consent_scope": ("同意范围", "consent scope"),
    "category": ("类别", "category"),
    "approval_strict": ("通过标准", "approval rule"),
    "address": ("地址", "address"),
    "agenda": ("议程", "agenda"),
    "start": ("开始日期", "start date"),
    "end": ("结束日期", "end date"),
    "rent": ("租金", "rent"),
}
