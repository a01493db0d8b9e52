"""Consultation meeting (议事协商) printouts: the meeting notice, the sign-in sheet, the minutes and
the resolution notice. All four use the shared page template (template.py), A4 portrait.

- 会议通知 `render_meeting_notice`: for posting and handing out. Time with the weekday, place, who
  is invited (categories and counts), the agenda with presenters and minutes, the purpose, what
  to bring, the contact, and the organiser with the date at the bottom right. No personal data.
- 签到表 `render_sign_in_sheet`: the invited list pre-filled (序号, 姓名, 身份/单位, 楼栋房号,
  联系电话, 签名, 签到时间), proxies as "张三（代理：李四）" with their authority, walk-ins marked
  列席, then `blank_rows` numbered empty rows for further walk-ins; the header row repeats on every
  page and rows are tall enough to sign in. Names are printed in full (people sign next to their
  own name); phones are masked ("138****1234") unless masked=False, which marks every page
  "内部资料 含完整个人信息 不得张贴". The 应到 / 实到 totals close it (blank lines to fill in by
  hand when printed before the meeting).
- 会议记录 `render_meeting_minutes`: the head fields, attendance (应到 / 实到 / 迟到 / 早退 / 代理,
  participation, by category), per agenda item its summary, speeches and motions; a voted motion
  gets the full figures of domain.md: 应到, 实到, participation by headcount and by area,
  赞成 / 反对 / 弃权 by headcount and by area, the rule, 通过 / 未通过 and why. A show-of-hands
  consultative vote has no areas: its area cells read "—" and the motion's figures_note says why.
  Then the resolutions, the follow-up tasks (overdue ones in red), the earlier tasks reviewed, and
  the signature lines of the chair, the recorder, each scrutineer and three residents'
  representatives.
- 决议公示 `render_resolution_notice`: for posting. The meeting, the resolutions, each voted
  motion with its figures and rule, the tasks with their owners, the notice period and where to
  object, the organiser (seal) and date. Names of residents, phones and ID numbers are never
  printed; a correction is only mentioned (its text names staff and stays in the minutes).

Figures are formatted as in ordering.py: exact shares rounded half-up to one decimal, with more
places while a share would read the same as the threshold it differs from (74.99%, not 75.0%);
areas with thousands separators and two decimals ("3,210.50").

The modules take plain frozen dataclasses; the services fill them from the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO, Sequence

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from renewal_desk.core.printing.fonts import PRIMARY, markup
from renewal_desk.core.printing.ordering import cn_date, share_text
from renewal_desk.core.printing.roster import format_area
from renewal_desk.core.printing.template import (
    figures_grid,
    ALERT,
    GREY,
    HEADER_FILL,
    INK,
    DocumentInfo,
    PageProbe,
    build_pdf,
    column_widths,
    content_width,
    field_grid,
    info_line,
    para,
    signature_block,
    styles,
    table,
)
from renewal_desk.core.rules.consent import ConsentResult
from renewal_desk.core.rules.masking import mask_name, mask_phone

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


# ---------------------------------------------------------------------------------------------
# Data


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


# ---------------------------------------------------------------------------------------------
# Text helpers


def weekday_text(d: date) -> str:
    """星期三."""
    return f"星期{WEEKDAYS[d.weekday()]}"


def meeting_time_text(starts_at: datetime, ends_at: datetime | None = None) -> str:
    """"2026年11月25日（星期三）14:30", with "—16:30" (or the whole end on another day)."""
    text = f"{cn_date(starts_at.date())}（{weekday_text(starts_at.date())}）{starts_at:%H:%M}"
    if ends_at is not None and ends_at > starts_at:
        if ends_at.date() == starts_at.date():
            text += f"—{ends_at:%H:%M}"
        else:
            text += f"至{cn_date(ends_at.date())} {ends_at:%H:%M}"
    return text


def _cn_section(n: int) -> str:
    return _CN_NUMBERS[n - 1] if 1 <= n <= 10 else str(n)


def _shown(f: Fraction, threshold: Fraction | None) -> str:
    """share_text(f), with more places while it would read the same as `threshold` (which it is
    not): the table then agrees with the result's reasons (consent.py does the same)."""
    places = 1
    if threshold is not None:
        while places < 6 and f != threshold and share_text(f, places) == share_text(threshold, places):
            places += 1
    return share_text(f, places)


def invited_text(invited: Sequence[tuple[str, int]]) -> str:
    """"居民 30 人、党员 5 人、企业代表 2 人，共 37 人"."""
    parts = [f"{_DELEGATES.get(c.strip(), c.strip())} {n} 人" for c, n in invited if n]
    if not parts:
        return "（见邀请名单）"
    total = sum(n for _c, n in invited)
    return "、".join(parts) + (f"，共 {total} 人" if len(parts) > 1 else "")


def attendee_name(a: AttendeeLine) -> str:
    """"张三" or, when a proxy signed for them, "张三\n（代理：李四）" (the minutes' attendance list)."""
    name = a.name.strip()
    return f"{name}\n（代理：{a.proxy_name.strip()}）" if a.proxy_name.strip() else name


def attendee_role(a: AttendeeLine) -> str:
    """身份/单位: the organisation (with the category when it does not say it), 列席 for walk-ins,
    and a proxy's authority."""
    cat, org = a.category.strip(), a.organisation.strip()
    if org and cat and cat not in org:
        text = f"{cat}·{org}"
    else:
        text = org or cat
    if not a.expected:
        text = f"{text}（列席）" if text else "列席"
    if a.proxy_name.strip() and a.proxy_authority.strip():
        text += f"\n代理凭证：{a.proxy_authority.strip()}"
    return text


def sign_in_time(a: AttendeeLine) -> str:
    if a.signed_in_at is None:
        return ""
    text = f"{a.signed_in_at:%H:%M}"
    if a.left_at is not None:
        text += f"\n离场 {a.left_at:%H:%M}"
    return text


def _count(n: int | None, unit: str = "人") -> str:
    """"40 人", or a blank to fill in by hand."""
    return f"{n} {unit}" if n else f"\u3000\u3000\u3000{unit}"


def totals_line(expected: int | None, present: int | None, extra: str = "") -> Table:
    """"应到 __ 人　实到 __ 人": the numbers on lines to write on (blank when unknown: 0 or None)."""
    st = styles()
    cells = ["应到", str(expected) if expected else "", "人", "实到", str(present) if present else "", "人", extra]
    widths = [24, 48, 22, 30, 48, 18, None]
    centred = _para_style("rd-mtg-total-n", st.body, alignment=TA_CENTER)
    data = [[para(c, centred if k in (1, 4) else st.body) if c else "" for k, c in enumerate(cells)]]
    t = Table(data, colWidths=widths, hAlign="LEFT", style=TableStyle([
        ("FONT", (0, 0), (-1, -1), PRIMARY, st.body.fontSize, st.body.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("ALIGN", (4, 0), (4, 0), "CENTER"),
        ("LINEBELOW", (1, 0), (1, 0), 0.6, INK),
        ("LINEBELOW", (4, 0), (4, 0), 0.6, INK),
    ]))
    return t


def _areas_shown(m: MotionLine) -> bool:
    if m.show_area is not None:
        return m.show_area
    statutory = m.result.rule.statutory if m.result is not None else True
    return statutory or SHOW_OF_HANDS not in m.method


# ---------------------------------------------------------------------------------------------
# Shared blocks


def _para_style(name: str, parent: ParagraphStyle, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, parent=parent, **kw)


def figures_table(m: MotionLine, width: float) -> Table:
    """The full figures of a voted motion: 应到 / 实到 / 参与率 / 赞成 / 反对 / 弃权 / 赞成率 by
    headcount and by area, then the rule, the result and why, each over the whole line."""
    r = m.result
    assert r is not None
    st = styles(CELL_SIZE)
    widths = column_widths([19, 14, 14, 15, 14, 14, 14, 15], width)
    rule = r.rule
    areas = _areas_shown(m)
    a = format_area
    result_style = _para_style("rd-mtg-result", st.cell, textColor=INK if r.passed else ALERT)

    def row(label: str, values: Sequence[Any]) -> list[Any]:
        return [para(label, st.cell_center)] + [para(str(v), st.cell_center) for v in values]

    def wide(label: str, text: str, style: ParagraphStyle = st.cell) -> list[Any]:
        return [para(label, st.cell_center), para(text, style)] + [""] * 6

    dash = "—"
    data = [
        row("", ["应到", "实到", "参与率", "赞成", "反对", "弃权", "赞成率"]),
        row("人数（人）", [r.eligible_owners, r.participating_owners, _shown(r.participation_owner_share, rule.quorum),
                         r.yes_owners, r.no_owners, r.abstain_owners, _shown(r.approval_owner_share, rule.approval)]),
        row("面积（㎡）", [a(r.eligible_area), a(r.participating_area),
                         _shown(r.participation_area_share, rule.quorum), a(r.yes_area), a(r.no_area),
                         a(r.abstain_area), _shown(r.approval_area_share, rule.approval)] if areas else [dash] * 7),
        wide("适用规则", m.rule_name.strip() or rule.name_zh),
        wide("表决结果", "通过" if r.passed else "未通过", result_style),
        wide("依据" if r.passed else "原因", "；".join(r.reasons) + ("。" if r.reasons else "")),
    ]
    if m.figures_note.strip():
        data.append(wide("说明", m.figures_note.strip()))
    commands: list[tuple[Any, ...]] = figures_grid(CELL_SIZE, st.cell.leading)
    for k in range(3, len(data)):
        commands.append(("SPAN", (1, k), (-1, k)))
    return Table(data, colWidths=widths, style=TableStyle(commands), hAlign="CENTER")


BALLOT_HEADER = ["序号", "姓名", "楼栋房号", "面积（㎡）", "表决意见"]
_BALLOT_WEIGHTS = [30, 110, 150, 70, 60]
_BALLOT_ALIGN = ["center", "center", "left", "right", "center"]


def ballot_rows(ballots: Sequence[BallotLine], *, masked: bool) -> list[list[Any]]:
    """The named-vote list: each owner's ballot; names masked ("张*") on a masked copy."""
    rows = []
    for i, b in enumerate(ballots, start=1):
        name = mask_name(b.name) if masked else b.name.strip()
        if b.proxy_name.strip():
            name += f"（代理：{mask_name(b.proxy_name) if masked else b.proxy_name.strip()}）"
        rows.append([i, name, b.address, format_area(b.area) if b.area is not None else "—", b.choice])
    return rows


def _ballot_table(ballots: Sequence[BallotLine], width: float, *, masked: bool) -> list[Flowable]:
    st = styles()
    return [para(f"记名投票明细（共 {len(ballots)} 票" + ("，姓名已脱敏）" if masked else "）"),
                 _para_style("rd-mtg-blabel", st.small, spaceBefore=4, spaceAfter=2)),
            table(BALLOT_HEADER, ballot_rows(ballots, masked=masked), column_widths(_BALLOT_WEIGHTS, width),
                  align=_BALLOT_ALIGN, font_size=CELL_SIZE)]


def _motion_blocks(m: MotionLine, n: int, width: float, *, public: bool, masked: bool = True) -> list[Flowable]:
    """A motion: its title, text, method and, once voted, the figures table (kept together)."""
    st = styles()
    sub = _para_style("rd-mtg-motion", st.body, spaceBefore=6, spaceAfter=2)
    small = st.small
    head: list[Flowable] = [para(f"表决事项 {n}：{m.title.strip()}", sub)]
    if m.text.strip():
        head.append(para(f"表决内容：{m.text.strip()}", _para_style("rd-mtg-mtext", st.body, spaceAfter=2)))
    head.append(para(f"表决方式：{m.method.strip() or '—'}", small))
    if m.scope.strip():
        head.append(para(f"表决范围：{m.scope.strip()}", small))
    if m.result is None:
        head.append(para(f"适用规则：{m.rule_name.strip() or '—'}", small))
        head.append(para("本项尚未表决。", _para_style("rd-mtg-novote", st.body, textColor=GREY)))
        return [KeepTogether(head)]
    block: list[Flowable] = [KeepTogether(head + [Spacer(1, 3), figures_table(m, width)])]
    if m.ballots and not public:
        block += _ballot_table(m.ballots, width, masked=masked)
    if m.correction.strip():
        alert = _para_style("rd-mtg-corr", st.small, textColor=ALERT, spaceBefore=2)
        if public:
            block.append(para("注：本项表决结果经依程序更正，上表为更正后的结果，更正记录存档备查。", alert))
        else:
            block.append(para(f"更正记录：{m.correction.strip()}", alert))
    return block


TASK_HEADER = ["序号", "事项", "责任人/单位", "期限", "状态", "备注"]
_TASK_WEIGHTS = [26, 130, 92, 80, 74, 90]  # points of a portrait page (scaled to fit)
_TASK_ALIGN = ["center", "left", "left", "center", "center", "left"]


def _task_table(tasks: Sequence[TaskLine], width: float, *, note: bool = True) -> Table:
    header = TASK_HEADER if note else TASK_HEADER[:-1]
    weights = _TASK_WEIGHTS if note else _TASK_WEIGHTS[:-1]
    rows = []
    for i, t in enumerate(tasks, start=1):
        status = t.status.strip() or "—"
        if t.overdue:
            status += "（逾期）"
        row: list[Any] = [i, t.title, t.owner, cn_date(t.deadline) or "未定", status]
        if note:
            row.append(t.note)
        rows.append(row)
    tbl = table(header, rows, column_widths(weights, width), align=_TASK_ALIGN[: len(header)],
                font_size=CELL_SIZE, zebra=False)
    red = [("TEXTCOLOR", (4, r), (4, r), ALERT) for r, t in enumerate(tasks, start=1) if t.overdue]
    if red:
        tbl.setStyle(TableStyle(red))
    return tbl


def _numbered(lines: Sequence[str], style: ParagraphStyle) -> list[Flowable]:
    hanging = _para_style(style.name + "-num", style, leftIndent=18, firstLineIndent=-18, spaceAfter=2)
    return [para(f"{i}. {text.strip()}", hanging) for i, text in enumerate(lines, start=1)]


def _seal(org: str, when: date | None) -> list[Flowable]:
    st = styles()
    right = _para_style("rd-mtg-right", st.body, alignment=TA_RIGHT)
    date_line = cn_date(when) if when else "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
    return [Spacer(1, 22), para(org.strip() or "社区居民委员会", right), Spacer(1, 6), para(date_line, right)]


def _info(title: str, head: MeetingHead, *, operator: str, doc_no: str, printed_at: datetime | None,
          masked: bool) -> DocumentInfo:
    return DocumentInfo(
        title=title,
        subtitle=head.title,
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=masked,
        subject=f"{head.project} {head.title} {title}".strip(),
        keywords=[k for k in (title, head.project, head.title, head.kind) if k],
    )


def _write(out: str | Path | BinaryIO, data: bytes) -> None:
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)


# ---------------------------------------------------------------------------------------------
# 1. 会议通知

AGENDA_HEADER = ["序号", "议题", "汇报人/主持人", "时长"]
_AGENDA_WEIGHTS = [9, 58, 22, 11]
_AGENDA_ALIGN = ["center", "left", "left", "center"]


def agenda_table(agenda: Sequence[AgendaLine], width: float) -> Table:
    lines = sorted(agenda, key=lambda x: x.position)
    rows = [[i, a.title, a.presenter, f"{a.planned_minutes} 分钟" if a.planned_minutes else ""]
            for i, a in enumerate(lines, start=1)]
    return table(AGENDA_HEADER, rows, column_widths(_AGENDA_WEIGHTS, width), align=_AGENDA_ALIGN,
                 font_size=CELL_SIZE, zebra=False)


def render_meeting_notice(out: str | Path | BinaryIO, doc: NoticeDoc, *, operator: str, doc_no: str,
                          printed_at: datetime | None = None, masked: bool = True) -> int:
    """Write the meeting notice (public: no personal data) to `out`; returns the page count.

    `masked` is accepted like the other meeting printouts take it; the notice holds no personal
    data, so it is always marked 已脱敏."""
    del masked  # a public notice: nothing to unmask
    st = styles()
    width = content_width()
    h = doc.head
    body = _para_style("rd-mtg-body", st.body, firstLineIndent=21, spaceAfter=2)
    label = _para_style("rd-mtg-label", st.body, leftIndent=21, spaceAfter=3)
    section = iter(range(1, 20))

    def heading(text: str) -> Flowable:
        return para(f"{_cn_section(next(section))}、{text}", st.heading)

    when = meeting_time_text(h.starts_at, h.ends_at)
    story: list[Flowable] = [
        info_line(f"项目名称：{h.project}", f"会议类型：{h.kind}" if h.kind.strip() else ""),
        Spacer(1, 8),
        para("各位居民、各有关单位：", _para_style("rd-mtg-salute", st.body, spaceAfter=4)),
        para(f"经研究，定于{when}在{h.place.strip()}召开{h.title.strip()}。现将有关事项通知如下：", body),
        heading("会议时间"),
        para(when, label),
        heading("会议地点"),
        para(h.place, label),
    ]
    if doc.purpose.strip():
        story += [heading("会议主题"), para(doc.purpose, body)]
    story += [heading("参会人员"), para(invited_text(doc.invited), label)]
    if h.chair.strip():
        story.append(para(f"会议主持：{h.chair.strip()}", label))
    story.append(CondPageBreak(80))
    story.append(heading("会议议程"))
    if doc.agenda:
        story.append(agenda_table(doc.agenda, width))
        total = sum(a.planned_minutes or 0 for a in doc.agenda)
        if total:
            story.append(para(f"议程计划用时约 {total} 分钟。", _para_style("rd-mtg-total", st.small, spaceBefore=3)))
    else:
        story.append(para("议程另行通知。", label))
    if doc.requirements.strip():
        story += [heading("参会要求"), para(doc.requirements, body)]
    closing: list[Flowable] = [heading("联系方式"), para(doc.contact.strip() or "请与社区居委会联系。", label),
                               Spacer(1, 4), para("特此通知。", body)]
    story.append(KeepTogether(closing + _seal(h.organiser, doc.notice_date)))
    info = _info(NOTICE_TITLE, h, operator=operator, doc_no=doc_no, printed_at=printed_at, masked=True)
    return build_pdf(out, info, story)


# ---------------------------------------------------------------------------------------------
# 2. 签到表

SIGN_IN_HEADER = ["序号", "姓名", "身份/单位", "楼栋房号", "联系电话", "签名", "代理人", "签到时间"]
_SIGN_IN_WEIGHTS = [30, 62, 84, 70, 70, 74, 62, 50]
_SIGN_IN_ALIGN = ["center", "center", "left", "center", "center", "center", "center", "center"]
SIGN_IN_TAIL_ROWS = 3  # rows of a long sheet that go with the totals to the next page


def _sign_in_table(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    """The template's table, with rows tall enough to sign in (about 9 mm)."""
    return table(SIGN_IN_HEADER, rows, widths, align=_SIGN_IN_ALIGN, font_size=CELL_SIZE, zebra=False,
                 row_padding=(7, 7.5))


def sign_in_rows(doc: SignInDoc, masked: bool = True) -> list[list[Any]]:
    """The rows of the sheet: the attendees (invited first, then walk-ins, as given within each),
    then the blank numbered rows."""
    ordered = [a for a in doc.rows if a.expected] + [a for a in doc.rows if not a.expected]
    rows: list[list[Any]] = []
    for i, a in enumerate(ordered, start=1):
        phone = (a.phone or "").strip()
        rows.append([i, a.name.strip(), attendee_role(a), a.address, mask_phone(phone) if masked else phone, "",
                     a.proxy_name.strip(), sign_in_time(a)])
    n = len(rows)
    rows += [[n + k] + [""] * (len(SIGN_IN_HEADER) - 1) for k in range(1, max(0, doc.blank_rows) + 1)]
    return rows


def render_sign_in_sheet(out: str | Path | BinaryIO, doc: SignInDoc, *, operator: str, doc_no: str,
                         printed_at: datetime | None = None, masked: bool = True) -> int:
    """Write the sign-in sheet to `out`; returns the page count. Names in full, phones masked
    unless masked=False (then every page is marked internal)."""
    st = styles()
    h = doc.head
    width = content_width()
    widths = column_widths(_SIGN_IN_WEIGHTS, width)
    expected = doc.expected or sum(1 for a in doc.rows if a.expected)
    present = doc.present
    before: list[Flowable] = [
        field_grid([
            [("会议名称", h.title)],
            [("会议时间", meeting_time_text(h.starts_at, h.ends_at)), ("会议地点", h.place)],
            [("组织单位", h.organiser), ("主持人", h.chair)],
            [("应到人数", _count(expected)), ("实到人数", _count(present))],
        ], width),
        Spacer(1, 8),
    ]
    proxies = sum(1 for a in doc.rows if a.proxy_name.strip() and a.signed_in_at is not None)
    rows = sign_in_rows(doc, masked)
    note = ("请本人在姓名对应行签名；代理人代为签到的，请在“代理人”栏签代理人姓名并出示委托书；未列入名单的参会人员请在空白行登记。"
            + ("联系电话已脱敏。" if masked else ""))
    closing: list[Flowable] = [
        Spacer(1, 8),
        totals_line(expected, present, f"（其中代理 {proxies} 人）" if proxies and present else ""),
        Spacer(1, 4),
        para(note, st.small),
        signature_block(["统计人（签字）", "日期"], per_row=2),
    ]
    info = _info(SIGN_IN_TITLE, h, operator=operator, doc_no=doc_no, printed_at=printed_at, masked=masked)
    buf = io.BytesIO()
    probe_table, probe_closing = PageProbe(), PageProbe()
    pages = build_pdf(buf, info, before + [_sign_in_table(rows, widths), probe_table,
                                           KeepTogether(closing + [probe_closing])])
    if len(rows) > SIGN_IN_TAIL_ROWS + 1 and probe_closing.page != probe_table.page:
        # the totals never stand alone on the last page: the last rows go with them
        cut = len(rows) - SIGN_IN_TAIL_ROWS
        buf = io.BytesIO()
        pages = build_pdf(buf, info, before + [
            _sign_in_table(rows[:cut], widths),
            KeepTogether([_sign_in_table(rows[cut:], widths)] + closing),
        ])
    _write(out, buf.getvalue())
    return pages


# ---------------------------------------------------------------------------------------------
# 3. 会议记录

CATEGORY_HEADER = ["类别", "应到（人）", "实到（人）", "到会率"]


def _category_table(by_category: Sequence[tuple[str, int, int]], width: float) -> Table:
    rows: list[list[Any]] = [[c, e, p, share_text(Fraction(p, e)) if e else "—"] for c, e, p in by_category]
    te, tp = sum(e for _c, e, _p in by_category), sum(p for _c, _e, p in by_category)
    rows.append(["合计", te, tp, share_text(Fraction(tp, te)) if te else "—"])
    tbl = table(CATEGORY_HEADER, rows, column_widths([34, 22, 22, 22], width * 0.7),
                align=["left", "center", "center", "center"], font_size=CELL_SIZE, zebra=False)
    tbl.hAlign = "LEFT"
    tbl.setStyle(TableStyle([("BACKGROUND", (0, len(rows)), (-1, len(rows)), HEADER_FILL)]))
    return tbl


def speech_paragraph(s: SpeechLine, style: ParagraphStyle) -> Paragraph:
    """"14:55　王𠮷：content", the time in grey; a long speech wraps and goes on over pages."""
    when = f'<font color="#555555">{s.at:%H:%M}</font>\u3000' if s.at else ""
    speaker = markup(s.speaker.strip() or "（未记录发言人）")
    return Paragraph(f"{when}{speaker}：{markup(s.content.strip())}", style)


def attendance_text(doc: MinutesDoc) -> str:
    """"应到 52 人，实到 40 人（其中迟到 3 人、早退 1 人、委托代理 2 人）。"."""
    parts = [f"迟到 {doc.late} 人", f"早退 {doc.left_early} 人", f"委托代理 {doc.proxies} 人"]
    rate = f"，到会率 {share_text(Fraction(doc.present, doc.expected))}" if doc.expected else ""
    return f"应到 {doc.expected} 人，实到 {doc.present} 人{rate}（其中{'、'.join(parts)}）。"


def render_meeting_minutes(out: str | Path | BinaryIO, doc: MinutesDoc, *, operator: str, doc_no: str,
                           printed_at: datetime | None = None, masked: bool = True) -> int:
    """Write the minutes to `out`; returns the page count. The minutes print no phones or ID
    numbers; `masked` sets the page marker (已脱敏, or internal for masked=False)."""
    st = styles()
    width = content_width()
    h = doc.head
    body = _para_style("rd-mtg-body", st.body, firstLineIndent=21, spaceAfter=2)
    plain = _para_style("rd-mtg-plain", st.body, spaceAfter=2)
    item_style = _para_style("rd-mtg-item", st.body, fontSize=11, leading=16, spaceBefore=8, spaceAfter=2)
    label = _para_style("rd-mtg-lbl", st.body, spaceBefore=3, spaceAfter=2, textColor=GREY)
    speech = _para_style("rd-mtg-speech", st.body, leftIndent=21, spaceAfter=3)
    section = iter(range(1, 20))

    def heading(text: str) -> Flowable:
        return para(f"{_cn_section(next(section))}、{text}", st.heading)

    scrutineers = "、".join(s.strip() for s in h.scrutineers if s.strip()) or "—"
    story: list[Flowable] = [
        field_grid([
            [("会议名称", h.title)],
            [("会议类型", h.kind), ("所属项目", h.project)],
            [("会议时间", meeting_time_text(h.starts_at, h.ends_at)), ("会议地点", h.place)],
            [("组织单位", h.organiser)],
            [("主持人", h.chair), ("记录人", h.recorder)],
            [("监票人/计票人", scrutineers)],
        ], width, label_width=70),
        heading("出席情况"),
        para(attendance_text(doc), body),
    ]
    if doc.participation_text.strip():
        story.append(para(f"参与情况：{doc.participation_text.strip()}", body))
    if doc.by_category:
        story += [Spacer(1, 3), _category_table(doc.by_category, width)]

    story.append(CondPageBreak(90))
    story.append(heading("议题及讨论情况"))
    if not doc.items:
        story.append(para("本次会议未记录议题。", plain))
    motion_no = 0
    for k, im in enumerate(sorted(doc.items, key=lambda x: x.item.position), start=1):
        a = im.item
        meta = [f"汇报人：{a.presenter.strip()}" if a.presenter.strip() else "",
                f"计划 {a.planned_minutes} 分钟" if a.planned_minutes else ""]
        meta_text = "\u3000".join(x for x in meta if x)
        head: list[Flowable] = [para(f"（{_cn_section(k)}）议题 {k}：{a.title.strip()}", item_style)]
        if meta_text:
            head.append(para(meta_text, st.small))
        head.append(para(f"内容摘要：{im.summary.strip() or '—'}", _para_style("rd-mtg-sum", st.body,
                                                                             spaceBefore=3, spaceAfter=2)))
        story.append(CondPageBreak(70))
        story.append(KeepTogether(head))
        if im.speeches:
            story.append(para("发言记录：", label))
            story += [speech_paragraph(sp, speech) for sp in im.speeches]
        for m in im.motions:
            motion_no += 1
            story += _motion_blocks(m, motion_no, width, public=False, masked=masked)

    story.append(CondPageBreak(80))
    story.append(heading("会议决议"))
    story += _numbered(doc.resolutions, plain) if doc.resolutions else [para("本次会议未形成决议。", plain)]

    story.append(CondPageBreak(80))
    story.append(heading("跟进任务"))
    story.append(_task_table(doc.tasks, width) if doc.tasks else para("本次会议未布置跟进任务。", plain))
    if doc.reviewed_tasks:
        story.append(CondPageBreak(80))
        story.append(heading("前次会议任务落实情况"))
        story.append(_task_table(doc.reviewed_tasks, width))
        overdue = sum(1 for t in doc.reviewed_tasks if t.overdue)
        if overdue:
            story.append(para(f"其中逾期未完成 {overdue} 项，已在上表中标注。",
                              _para_style("rd-mtg-over", st.small, textColor=ALERT, spaceBefore=3)))

    labels = ["主持人（签字）", "日期", "记录人（签字）", "日期"]
    for _s in [s for s in h.scrutineers if s.strip()] or ["监票人"]:
        labels += ["监票人（签字）", "日期"]
    story.append(KeepTogether([
        heading("签字确认"),
        para("以上记录经核对无误。", plain),
        signature_block(labels, per_row=2),
        signature_block(["居民代表（签字）"] * 3 + ["日期"], per_row=2),
    ]))
    info = _info(MINUTES_TITLE, h, operator=operator, doc_no=doc_no, printed_at=printed_at, masked=masked)
    return build_pdf(out, info, story)


# ---------------------------------------------------------------------------------------------
# 4. 决议公示


def render_resolution_notice(out: str | Path | BinaryIO, doc: ResolutionNoticeDoc, *, operator: str, doc_no: str,
                             printed_at: datetime | None = None, masked: bool = True) -> int:
    """Write the resolution notice (for posting) to `out`; returns the page count. It names only
    the meeting's chair and organiser; `masked` is accepted like the other meeting printouts take
    it and changes nothing (always 已脱敏)."""
    del masked  # a public notice: nothing to unmask
    st = styles()
    width = content_width()
    h = doc.head
    body = _para_style("rd-mtg-body", st.body, firstLineIndent=21, spaceAfter=2)
    plain = _para_style("rd-mtg-plain", st.body, spaceAfter=2)
    section = iter(range(1, 20))

    def heading(text: str) -> Flowable:
        return para(f"{_cn_section(next(section))}、{text}", st.heading)

    period = f"{cn_date(doc.notice_from)}至{cn_date(doc.notice_to)}"
    chair = f"，由{h.chair.strip()}主持" if h.chair.strip() else ""
    story: list[Flowable] = [
        info_line(f"项目名称：{h.project}", f"公示期：{period}"),
        Spacer(1, 8),
        para(f"{meeting_time_text(h.starts_at, h.ends_at)}，{h.organiser.strip() or '社区居民委员会'}在{h.place.strip()}"
             f"召开{h.title.strip()}{chair}。现将会议决议及表决结果公示如下。", body),
        heading("会议决议"),
    ]
    story += _numbered(doc.resolutions, plain) if doc.resolutions else [para("本次会议未形成决议。", plain)]
    voted = [m for m in doc.motions if m.result is not None]
    if voted:
        story.append(CondPageBreak(160))
        story.append(heading("表决结果"))
        story.append(para("表决结果按适用规则计算；人数按参与表决人员计，面积为专有部分面积。比例四舍五入保留一位小数"
                          "（接近规则门槛时保留更多位）。", st.small))
        for n, m in enumerate(voted, start=1):
            story += _motion_blocks(m, n, width, public=True)
    if doc.tasks:
        story.append(CondPageBreak(90))
        story.append(heading("后续工作安排"))
        story.append(_task_table(doc.tasks, width, note=False))
    objection = f"公示期为{period}。如对上述决议或表决结果有异议，请于公示期内书面或当面向社区反映"
    objection += f"，联系方式：{doc.contact.strip()}。" if doc.contact.strip() else "。"
    story.append(KeepTogether([heading("公示期"), para(objection, body), para("特此公示。", body)]
                              + _seal(h.organiser + "（盖章）" if h.organiser.strip() else "", doc.notice_from)))
    info = _info(RESOLUTION_TITLE, h, operator=operator, doc_no=doc_no, printed_at=printed_at, masked=True)
    return build_pdf(out, info, story)


__all__ = [
    "AgendaLine", "AttendeeLine", "ItemMinutes", "MeetingHead", "MinutesDoc", "MotionLine", "NoticeDoc",
    "ResolutionNoticeDoc", "SignInDoc", "SpeechLine", "TaskLine", "attendance_text", "figures_table",
    "invited_text", "meeting_time_text", "speech_paragraph", "render_meeting_minutes", "render_meeting_notice",
    "render_resolution_notice", "render_sign_in_sheet", "sign_in_rows", "totals_line",
]
