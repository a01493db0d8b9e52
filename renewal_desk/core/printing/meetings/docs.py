"""The plain frozen dataclasses the four meeting printouts take (filled by services.meeting_docs)."""

from __future__ import annotations
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from renewal_desk.core.rules.consent import ConsentResult


NOTICE_TITLE = "会议通知"
SIGN_IN_TITLE = "签到表"
MINUTES_TITLE = "会议记录"
RESOLUTION_TITLE = "决议公示"

# make_doc_no(prefix, ...): pinyin initials of the document's name
NOTICE_PREFIX = "HYTZ"  # 会议通知
SIGN_IN_PREFIX = "QDB"  # 签到表
MINUTES_PREFIX = "HYJL"  # 会议记录
RESOLUTION_PREFIX = "JYGS"  # 决议公示

CELL_SIZE = 9
SHOW_OF_HANDS = "举手表决"
WEEKDAYS = "一二三四五六日"
_CN_NUMBERS = "一二三四五六七八九十"
# invited categories that are organisations: "企业代表 2 人" reads better than "企业 2 人"
_DELEGATES = {"企业": "企业代表", "物业": "物业服务企业代表", "部门": "相关部门代表", "施工单位": "施工单位代表",
              "设计师": "设计师"}


@dataclass(frozen=True)
class MeetingHead:
    title: str
    kind: str  # 居民议事会 / 业主大会 / 听证会 / 协调会 / 评议会 / 其他
    project: str
    organiser: str  # e.g. "东关街道办事处 仁丰里社区居民委员会"
    starts_at: datetime
    ends_at: datetime | None
    place: str
    chair: str
    recorder: str
    scrutineers: tuple[str, ...]
    seal: str = ""  # the office's seal text (settings: office profile): the notices' 落款; "" = the organiser


@dataclass(frozen=True)
class AgendaLine:
    position: int
    title: str
    presenter: str
    planned_minutes: int | None


@dataclass(frozen=True)
class AttendeeLine:
    name: str
    category: str  # 居民 / 党员 / 企业 / 物业 / 部门 / 设计师 / 施工单位 / 其他
    organisation: str  # 身份/单位 text
    address: str  # 楼栋房号, e.g. "3幢2单元402室" or ""
    phone: str | None  # full digits; masked on the sheet unless masked=False
    expected: bool  # 应到 (invited) vs 列席 walk-in
    signed_in_at: datetime | None
    left_at: datetime | None
    proxy_name: str = ""  # 代理人 who signed for this invitee
    proxy_authority: str = ""  # e.g. "委托书 2026-11-18"


@dataclass(frozen=True)
class SpeechLine:
    speaker: str
    content: str
    at: datetime | None


@dataclass(frozen=True)
class BallotLine:
    """One owner's named ballot, for the minutes' evidence list."""

    name: str
    address: str  # 楼栋房号
    area: Decimal | None
    choice: str  # 赞成 / 反对 / 弃权
    proxy_name: str = ""


@dataclass(frozen=True)
class MotionLine:
    title: str
    text: str
    method: str  # 举手表决 / 记名投票 / 纸质票
    rule_name: str  # Rule.name_zh
    result: ConsentResult | None  # None = not voted yet
    figures_note: str = ""  # e.g. for show of hands: "举手表决按人数计，面积不适用"
    correction: str = ""  # "" or the text of an audited correction (who, when, why)
    # Whether the area figures mean anything: None = all but a show-of-hands consultative vote
    show_area: bool | None = None
    ballots: tuple[BallotLine, ...] = ()  # a named vote's ballots (printed in the minutes only)
    scope: str = ""  # who votes: "全项目" / "1号楼" / "1号楼 1单元" …


@dataclass(frozen=True)
class ItemMinutes:
    item: AgendaLine
    summary: str
    speeches: tuple[SpeechLine, ...]
    motions: tuple[MotionLine, ...]


@dataclass(frozen=True)
class TaskLine:
    title: str
    owner: str
    deadline: date | None
    status: str
    note: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class NoticeDoc:
    head: MeetingHead
    purpose: str
    agenda: tuple[AgendaLine, ...]
    invited: tuple[tuple[str, int], ...]  # (category, count)
    contact: str
    notice_date: date
    requirements: str = ""  # e.g. 请携带身份证；不能到会的可书面委托代理人


@dataclass(frozen=True)
class SignInDoc:
    head: MeetingHead
    rows: tuple[AttendeeLine, ...]
    blank_rows: int = 10
    expected: int = 0  # 应到 (0: counted from the rows' `expected`, or left blank)
    present: int = 0  # 实到 (0: left blank, to fill in by hand)


@dataclass(frozen=True)
class MinutesDoc:
    head: MeetingHead
    expected: int
    present: int
    late: int
    left_early: int
    proxies: int
    participation_text: str  # e.g. "按人数 40/52（76.9%）；按面积 3,210.5/4,100.2 ㎡（78.3%）"
    by_category: tuple[tuple[str, int, int], ...]  # (category, 应到, 实到)
    items: tuple[ItemMinutes, ...]
    resolutions: tuple[str, ...]
    tasks: tuple[TaskLine, ...]
    reviewed_tasks: tuple[TaskLine, ...] = ()  # earlier meetings' tasks reviewed at this one


@dataclass(frozen=True)
class ResolutionNoticeDoc:
    head: MeetingHead
    resolutions: tuple[str, ...]
    motions: tuple[MotionLine, ...]
    tasks: tuple[TaskLine, ...]
    notice_from: date
    notice_to: date
    contact: str
