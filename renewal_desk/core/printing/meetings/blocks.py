"""Text helpers and shared blocks of the meeting printouts (figures table, tasks, seal, document info)."""

from __future__ import annotations
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO, Sequence
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from renewal_desk.core.printing.fonts import PRIMARY
from renewal_desk.core.printing.ordering import cn_date, share_text
from renewal_desk.core.printing.roster import format_area
from renewal_desk.core.printing.template import (
    figures_grid,
    ALERT,
    GREY,
    INK,
    DocumentInfo,
    column_widths,
    para,
    styles,
    table,
)
from renewal_desk.core.rules.masking import mask_name
from renewal_desk.core.rules.numbers import shown as _shown
from .docs import (
    AttendeeLine,
    BallotLine,
    CELL_SIZE,
    MeetingHead,
    MotionLine,
    SHOW_OF_HANDS,
    TaskLine,
    WEEKDAYS,
    _CN_NUMBERS,
    _DELEGATES,
)


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
