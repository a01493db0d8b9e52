"""Chief street designer (首席街长) printouts, on the shared page template (template.py):

- 首席街长意见书 `render_opinion`: one opinion as a letter to its addressee — block, stage,
  stakeholders, what was seen, the opinion, the requested response date; the responses so far, and
  while the outcome is open a blank response box with the outcome to tick; signature lines for the
  designer and the addressee.
- 首席街长工作记录 `render_journal` (landscape): a block's appointments, visits and every opinion of
  a period with its status and response, then the figures by stage and status, the adoption rate
  and the average response time.

Neither carries ID numbers or phones: the designer and the addressees act in a public role, so the
pages are marked as masked. The modules take plain dataclasses; services.designer fills them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from renewal_desk.core.printing.lease import cn_date, iso_date
from renewal_desk.core.printing.template import (
    ALERT,
    PRIMARY,
    INK,
    DocumentInfo,
    build_pdf,
    column_widths,
    content_width,
    field_grid,
    keep_heading,
    para,
    signature_block,
    styles,
    table,
)
from renewal_desk.core.rules.designer import OPINION_STATUS_LABELS, OUTCOMES, STAGE_LABELS, STAGES, STATUSES, label

OPINION_TITLE = "首席街长意见书"
JOURNAL_TITLE = "首席街长工作记录"
OPINION_PREFIX = "JZYJ"  # 街长意见
JOURNAL_PREFIX = "JZJL"  # 街长记录
CELL_SIZE = 9


@dataclass
class ResponseLine:
    responded_on: date
    responder: str
    status: str  # in words ("已回复", "已回复（已作废）")
    text: str
    reason: str = ""


@dataclass
class OpinionDoc:
    opinion_no: str
    project: str
    block: str
    designer: str
    letter_no: str
    raised_on: date
    participants: str
    stage: str  # the stored code (rules.designer.Stage); printed as its Chinese label
    stakeholders: str  # in words: "商户、居民"
    observation: str
    opinion: str
    addressee: str
    respond_by: date | None
    status: str  # the stored code (rules.designer.OpinionStatus); printed as its Chinese label
    cites: str = ""  # what the opinion cites, as text
    responses: list[ResponseLine] = field(default_factory=list)
    attachments: int = 0


@dataclass
class JournalAppointment:
    designer: str
    letter_no: str
    appointed_on: date
    term_start: date
    term_end: date | None
    status: str
    ended_on: date | None


@dataclass
class JournalVisit:
    visited_on: date
    designer: str
    participants: str
    observation: str
    opinions: int


@dataclass
class JournalOpinion:
    opinion_no: str
    raised_on: date
    stage: str  # code, printed as its label (as the status)
    stakeholders: str  # in words
    opinion: str
    addressee: str
    respond_by: date | None
    status: str
    answered_on: date | None
    response: str
    overdue: bool = False


@dataclass
class JournalDoc:
    project: str
    block: str
    since: date
    until: date
    appointments: list[JournalAppointment]
    visits: list[JournalVisit]
    opinions: list[JournalOpinion]
    by_stage: dict[str, dict[str, int]]  # stage code -> status code -> count
    total: int
    answered: int
    adopted: int  # 已采纳 + 部分采纳
    adoption_rate: str  # "60.0%" or "—"
    average_days: Decimal | None
    overdue: int


def _text_box(text: str, width: float, min_height: float = 0) -> Table:
    """A ruled box holding a block of text (empty: room to write by hand)."""
    st = styles()
    box = Table([[para(text, st.body)]], colWidths=[width], rowHeights=None if text else [min_height or 60])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))
    return box


def _answer_box(width: float) -> Table:
    """The blank part the addressee fills in: the answer, and the outcome to tick."""
    st = styles()
    ticks = "　　".join(f"□ {label(OPINION_STATUS_LABELS, s)}" for s in OUTCOMES) + "（未采纳的请说明理由）"
    box = Table([[para("答复意见：", st.body)], [""], [para(ticks, st.body)]], colWidths=[width],
                rowHeights=[None, 110, None])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("FONT", (0, 0), (-1, -1), PRIMARY, 10.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def _responses_table(responses: list[ResponseLine], width: float) -> Table:
    rows = [[iso_date(r.responded_on), r.responder, r.status, r.text, r.reason] for r in responses]
    return table(["答复日期", "答复人", "结果", "答复内容", "理由"], rows, column_widths([16, 18, 12, 54, 30], width),
                 align=["center", "center", "center", "left", "left"], font_size=CELL_SIZE, zebra=False)


def render_opinion(out: str | Path | BinaryIO, doc: OpinionDoc, *, operator: str, doc_no: str,
                   printed_at: datetime | None = None) -> int:
    """Write the 意见书 PDF to `out`; returns the page count."""
    st = styles()
    width = content_width()
    section = st.heading
    stage = label(STAGE_LABELS, doc.stage)
    grid = [
        [("项目", doc.project), ("街区", doc.block)],
        [("首席街长", doc.designer), ("聘书编号", doc.letter_no)],
        [("走访日期", cn_date(doc.raised_on)), ("所处阶段", stage)],
        [("关注方", doc.stakeholders), ("当前状态", label(OPINION_STATUS_LABELS, doc.status))],
        [("致送", doc.addressee), ("答复期限", f"请于{cn_date(doc.respond_by)}前答复" if doc.respond_by else "—")],
    ]
    if doc.participants:
        grid.append([("参加人员", doc.participants)])
    if doc.cites:
        grid.append([("引用记录", doc.cites)])
    if doc.attachments:
        grid.append([("附件", f"草图、照片共 {doc.attachments} 件（存于系统，可另行打印）")])
    story: list[Flowable] = [
        para(f"{doc.addressee}：", st.body), Spacer(1, 3),
        para(f"首席街长于{cn_date(doc.raised_on)}走访{doc.block}，就{stage}阶段提出以下意见，请研究并于答复期限前"
             "书面答复。", st.body), Spacer(1, 6),
        field_grid(grid, width),
        para("一、现场情况", section), _text_box(doc.observation or "（无）", width),
        para("二、意见和建议", section), _text_box(doc.opinion, width),
    ]
    answer: list[Flowable] = [para("三、答复情况", section)]
    if doc.responses:
        answer.append(_responses_table(doc.responses, width))
    if doc.status not in OUTCOMES:
        if doc.responses:
            answer.append(Spacer(1, 6))
        answer.append(_answer_box(width))
    story.append(KeepTogether(answer))
    story.append(KeepTogether([
        Spacer(1, 6),
        signature_block(["首席街长（签字）", "日期", "接收单位（签章）", "日期", "答复人（签字）", "日期"], per_row=2),
    ]))
    info = DocumentInfo(
        title=OPINION_TITLE,
        subtitle=f"编号：{doc.opinion_no}",
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=True,
        subject=f"{OPINION_TITLE} {doc.opinion_no} {doc.block}",
        keywords=[k for k in (OPINION_TITLE, doc.opinion_no, doc.block, stage) if k],
    )
    return build_pdf(out, info, story)


def _stage_table(by_stage: dict[str, dict[str, int]], width: float) -> Table:
    stages = [s for s in STAGES] + [s for s in by_stage if s not in STAGES]
    rows = []
    for stage in stages:
        counts = by_stage.get(stage, {})
        rows.append([label(STAGE_LABELS, stage)] + [counts.get(s, 0) for s in STATUSES] + [sum(counts.values())])
    rows.append(["合计"] + [sum(by_stage.get(st, {}).get(s, 0) for st in stages) for s in STATUSES]
                + [sum(sum(c.values()) for c in by_stage.values())])
    tbl = table(["阶段"] + [label(OPINION_STATUS_LABELS, s) for s in STATUSES] + ["合计"], rows, column_widths([20] + [12] * len(STATUSES) + [12], width),
                align=["center"] * (len(STATUSES) + 2), font_size=CELL_SIZE, zebra=False)
    tbl.setStyle(TableStyle([("LINEABOVE", (0, len(rows)), (-1, len(rows)), 0.9, INK)]))
    return tbl


def render_journal(out: str | Path | BinaryIO, doc: JournalDoc, *, operator: str, doc_no: str,
                   printed_at: datetime | None = None) -> int:
    """Write the block's journal PDF to `out` (landscape); returns the page count."""
    st = styles()
    width = content_width(landscape=True)
    section = st.heading
    story: list[Flowable] = []
    if doc.appointments:
        first: Flowable = (table(
            ["姓名", "聘书编号", "聘任日期", "任期", "状态"],
            [[a.designer, a.letter_no, iso_date(a.appointed_on),
              f"{iso_date(a.term_start)} 至 {iso_date(a.term_end) or '—'}",
              a.status + (f"（{iso_date(a.ended_on)}）" if a.ended_on else "")] for a in doc.appointments],
            column_widths([16, 22, 16, 30, 16], width), align=["center"] * 5, font_size=CELL_SIZE, zebra=False))
    else:
        first = para("本期间无首席街长聘任记录。", st.body)
    story += keep_heading(para("一、首席街长", section), first, width)

    # each heading stays with the header and first rows of its table (keep_heading): never alone at a page's foot
    if doc.visits:
        visits: Flowable = (table(
            ["序号", "走访日期", "首席街长", "参加人员", "现场情况", "意见数"],
            [[i, iso_date(v.visited_on), v.designer, v.participants, v.observation, v.opinions]
             for i, v in enumerate(doc.visits, start=1)],
            column_widths([6, 12, 12, 26, 52, 8], width),
            align=["center", "center", "center", "left", "left", "center"], font_size=CELL_SIZE))
    else:
        visits = para("本期间无走访记录。", st.body)
    story += keep_heading(para(f"二、走访记录（共 {len(doc.visits)} 次）", section), visits, width)

    heading = para(f"三、意见及答复（共 {len(doc.opinions)} 条）", section)
    if doc.opinions:
        rows = [[o.opinion_no, iso_date(o.raised_on), label(STAGE_LABELS, o.stage), o.stakeholders, o.opinion,
                 o.addressee, iso_date(o.respond_by),
                 label(OPINION_STATUS_LABELS, o.status) + ("（逾期）" if o.overdue else ""), iso_date(o.answered_on),
                 o.response] for o in doc.opinions]
        tbl = table(["编号", "提出日期", "阶段", "关注方", "意见", "致送", "答复期限", "状态", "答复日期", "答复情况"],
                    rows, column_widths([17, 14, 11, 13, 39, 13, 14, 15, 14, 30], width),
                    align=["center", "center", "center", "center", "left", "center", "center", "center", "center",
                           "left"], font_size=CELL_SIZE)
        overdue = [("TEXTCOLOR", (6, r), (7, r), ALERT) for r, o in enumerate(doc.opinions, start=1) if o.overdue]
        if overdue:
            tbl.setStyle(TableStyle(overdue))
        story += keep_heading(heading, tbl, width)
    else:
        story += keep_heading(heading, para("本期间无意见。", st.body), width)

    days = f"{doc.average_days} 天" if doc.average_days is not None else "—"
    summary = (f"本期间共提出意见 {doc.total} 条，已答复 {doc.answered} 条，其中采纳（含部分采纳）{doc.adopted} 条，"
               f"采纳率 {doc.adoption_rate}；平均答复用时 {days}；逾期未答复 {doc.overdue} 条。")
    note = ("采纳率 =（已采纳 + 部分采纳）÷ 已答复；已答复指已收到答复的意见（已回复、已采纳、部分采纳、未采纳）。"
            "答复用时为意见提出至首次答复的天数。逾期指超过答复期限仍未答复。")
    story.append(KeepTogether([
        para("四、统计", section), _stage_table(doc.by_stage, width * 0.7), Spacer(1, 6),
        para(summary, st.body), para(note, st.small),
        signature_block(["首席街长（签字）", "街道经办人（签字）", "日期"], per_row=3),
    ]))
    info = DocumentInfo(
        title=JOURNAL_TITLE,
        subtitle=f"{doc.project}　{doc.block}　{cn_date(doc.since)}至{cn_date(doc.until)}",
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=True,
        landscape=True,
        subject=f"{JOURNAL_TITLE} {doc.block} {doc.since.isoformat()}–{doc.until.isoformat()}",
        keywords=[k for k in (JOURNAL_TITLE, doc.project, doc.block) if k],
    )
    return build_pdf(out, info, story)


__all__ = [
    "JournalAppointment", "JournalDoc", "JournalOpinion", "JournalVisit", "OpinionDoc", "ResponseLine",
    "render_journal", "render_opinion",
]
