"""What every part of the supervision service shares: the change topic, the refusals, the checks of a
form's fields, document numbers, photos (checked to be images before anything is stored) and a
problem's place in words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ... import settings
from ...db import Database
from ...models import PARTY_KIND_LABELS, Attachment, PartyKind
from ...problems import InputError, Problem, declare
from ...rules.text import clean_prose
from .._common import E_NOT_FOUND, get_or_refuse as _get  # noqa: F401 - one not-found refusal for every service
from ..attachments import AttachmentInfo, StoredFile, store_file
from ..events import Topic


TOPIC = Topic.SUPERVISION
PROBLEM_TABLE, STEP_TABLE = "supervision_problem", "problem_transition"
PARTY_KINDS = tuple(k.value for k in PartyKind)  # codes (migration 0025), in words by PARTY_KIND_LABELS
WEATHER = ("晴", "多云", "阴", "小雨", "大雨", "雪")
IMAGE_MAGIC = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
               (b"BM", "BMP"))
DEFAULT_RECHECK = ("责任单位整改完成后书面回复（附整改后照片），由居民监督队会同社区和监理单位到现场逐项复查，"
                   "复查结果记入问题台账；复查未通过的，重新发出整改通知。")
DEFAULT_OBJECTION_DAYS = 3
RULE_SETTING = settings.ACCEPTANCE_RULE.key

E_REQUIRED = declare("supervision.required", "{label}不能为空", "{label_en} must not be empty")
E_CHOICE = declare("supervision.choice", "{label}须为：{choices}", "{label_en} must be one of: {choices_en}")
E_FUTURE = declare("supervision.future", "{label}不能晚于今天（{today}）", "{label_en} cannot be after today ({today})")
E_NOT_PHOTO = declare("supervision.not_photo", "文件“{name}”不是可识别的图片（支持 JPG、PNG、GIF、BMP），未保存",
                      "The file '{name}' is not an image this app can read (JPG, PNG, GIF, BMP); nothing was saved")
E_NO_PHOTO_FILE = declare("supervision.no_photo_file", "照片文件不存在：{name}，未保存",
                          "The photo file does not exist: {name}; nothing was saved")
E_NO_PARTY = declare("supervision.no_party", "问题 #{id} 未指定责任单位，不能发出整改通知",
                     "Problem #{id} has no responsible party; a notice cannot be issued")
E_MIXED = declare("supervision.mixed", "一张整改通知单只能发给同一项目的同一责任单位", "One notice goes to one party of one project")
E_NO_PROBLEMS = declare("supervision.no_problems", "请选择要整改的问题", "Choose the problems to rectify")
E_DUPLICATE_NO = declare("supervision.duplicate_no", "编号 {no} 已被使用", "The number {no} is already used")
E_PARTY_TAKEN = declare("supervision.party_taken", "已有名为“{name}”的参建单位", "A party named '{name}' already exists")
E_CLOSED = declare("supervision.closed", "问题 #{id} 已关闭，不能再修改", "Problem #{id} is closed; it cannot change")
E_NO_PERSON = declare("supervision.no_person", "监督员：请在名单中选择居民，或填写新监督员的姓名",
                      "Supervisor: choose a resident in the list or type a new supervisor's name")
E_NO_CONCLUSION = declare("supervision.no_conclusion", "复查结论：请选择“通过”或“未通过”",
                          "Re-check result: choose passed or not passed")
E_NOT_FAILED = declare("supervision.not_failed", "问题 #{id} 当前为“{state}”，只有复查未通过的问题才能重新下发整改通知",
                       "Problem #{id} is '{state_en}'; only a problem whose re-check failed gets a re-issued notice")
E_RETIRED = declare("supervision.retired", "{name}已于 {on} 退出监督队", "{name} left the team on {on}")

def _required(value: str | None, field_name: str, label: str, label_en: str, problems: list[Problem]) -> str:
    text = clean_prose(value)  # keeps Chinese punctuation (normalize_text would make “，” a “,”)
    if not text:
        problems.append(Problem(E_REQUIRED, {"label": label, "label_en": label_en}, field=field_name))
    return text


def _choice(value: str, labels: dict[str, tuple[str, str]], field_name: str, label: str, label_en: str,
            problems: list[Problem]) -> str:
    """The code of a choice: a code of `labels` ({code: (zh, en)}), or one of its words (施工单位, as a command
    line or an older script gives it); else a refusal naming the choices in words."""
    if value in labels:
        return str(value)
    code = next((c for c, words in labels.items() if value in words), None)
    if code is None:
        problems.append(Problem(E_CHOICE, {"label": label, "label_en": label_en,
                                           "choices": " / ".join(zh for zh, _en in labels.values()),
                                           "choices_en": " / ".join(en for _zh, en in labels.values())},
                                field=field_name, value=str(value)))
        return str(value)
    return str(code)


def _not_future(on: date, today: date, label: str, label_en: str, problems: list[Problem]) -> None:
    if on > today:
        problems.append(Problem(E_FUTURE, {"label": label, "label_en": label_en, "today": today.isoformat()},
                                field="date"))


def _next_no(session: Session, column, prefix: str, when: date) -> str:
    """PREFIX-YYYY-NNNN, counting that year's numbers (ZG-2026-0007)."""
    head = f"{prefix}-{when.year}-"
    last = session.scalar(select(func.max(column)).where(column.like(head + "%")))
    return f"{head}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def _ids(text: str) -> list[int]:
    return [int(x) for x in (text or "").split(",") if x.strip().isdigit()]


def check_photo(file: str | Path) -> Path:
    """The file, if it is there and is an image; else a clear refusal naming it."""
    path = Path(file)
    if not path.is_file():
        raise InputError(Problem(E_NO_PHOTO_FILE, {"name": path.name or str(file)}, field="photo", value=str(file)))
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not any(head.startswith(magic) for magic, _kind in IMAGE_MAGIC):
        raise InputError(Problem(E_NOT_PHOTO, {"name": path.name}, field="photo", value=str(file)))
    try:
        from reportlab.lib.utils import ImageReader  # reads the header: the size must be sensible

        width, height = ImageReader(str(path)).getSize()
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image we can use"
        raise InputError(Problem(E_NOT_PHOTO, {"name": path.name}, field="photo", value=str(file))) from None
    if width <= 0 or height <= 0:
        raise InputError(Problem(E_NOT_PHOTO, {"name": path.name}, field="photo", value=str(file)))
    return path


def _store_photos(db: Database, files) -> list[StoredFile]:
    """Check every photo first (nothing is stored if one is bad), then copy them into the store."""
    checked = [check_photo(f) for f in files or ()]
    return [store_file(db, f) for f in checked]


def _attachments(session: Session, owner_table: str, owner_ids: list[int]) -> dict[int, list[AttachmentInfo]]:
    found: dict[int, list[AttachmentInfo]] = {}
    if not owner_ids:
        return found
    for a in session.scalars(select(Attachment).where(Attachment.owner_table == owner_table,
                                                      Attachment.owner_id.in_(owner_ids)).order_by(Attachment.id)):
        found.setdefault(a.owner_id, []).append(
            AttachmentInfo(a.id, a.uuid, a.sha256, a.original_name, a.mime_type, a.size, a.caption))
    return found

def _amend_reason(reason: str) -> str:
    reason = clean_prose(reason or "")
    if not reason:
        raise InputError(Problem(E_REQUIRED, {"label": "更正的原因", "label_en": "The reason for the correction"}))
    return reason


def _place(building: str | None, unit: str | None, location: str) -> str:
    where = f"{building or ''}{unit or ''}"
    return f"{where} {location}".strip() if where else location
