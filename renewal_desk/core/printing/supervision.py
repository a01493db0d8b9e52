"""Supervisor team printouts, on the shared page template (template.py):

- 整改通知单 `render_notice`: numbered; the project, the responsible party, every problem with its
  location, basis, measures and photos, the deadline, how the re-check is done, the window for
  objections, signature lines and a receipt (回执) for the party to sign and return.
- 巡查记录 `render_inspection_log` (landscape): the inspections of a period and the problems found.
- 验收记录表 `render_acceptance`: four parties, checklist, satisfaction survey, third-party
  evaluation, open problems and the override reason, the result and why.
- 居民监督工作报告 `render_report`: figures of a period, charts (reportlab graphics: no Qt here),
  the problems still open with overdue ones in red.

Contact phones are masked (these sheets are handed out and posted); supervisors' names are not
personal data to hide (they are appointed publicly). A photo whose file is missing or unreadable
prints as a note, never stops the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from renewal_desk.core.printing.fonts import PRIMARY
from renewal_desk.core.printing.lease import cn_date, iso_date
from renewal_desk.core.printing.template import (ALERT, INK, DocumentInfo, build_pdf, column_widths,
                                                 content_width, field_grid, para, signature_block, styles, table)
from renewal_desk.core.rules.acceptance import ANSWERS, PARTIES, Record, percent_text
from renewal_desk.core.rules.masking import mask_phone

NOTICE_TITLE = "整改通知单"
LOG_TITLE = "居民监督队巡查记录"
ACCEPTANCE_TITLE = "工程验收记录表"
REPORT_TITLE = "居民监督工作报告"
NOTICE_PREFIX, LOG_PREFIX, ACCEPTANCE_PREFIX, REPORT_PREFIX = "ZGTZ", "XCJL", "YSJL", "JDBG"
CELL = 9
PHOTO_W, PHOTO_H = 54 * mm, 34 * mm


@dataclass
class Photo:
    name: str
    path: Path | None  # None: the stored file is missing
    caption: str = ""


@dataclass
class NoticeProblem:
    problem_id: int
    place: str
    category: str
    severity: str
    description: str
    basis: str
    measures: str
    found_on: date
    photos: list[Photo] = field(default_factory=list)


@dataclass
class NoticeDoc:
    notice_no: str
    issuer: str  # e.g. 幸福街道幸福里社区居民监督队
    project: str
    party: str
    contact_name: str
    contact_phone: str | None
    issued_on: date
    deadline: date
    issued_by: str
    recheck_method: str
    objection_days: int
    problems: list[NoticeProblem]
    seal: str = ""  # the office's seal text (settings: office profile), on the issuer's line


@dataclass
class LogInspection:
    inspected_on: date
    project: str
    places: str
    weather: str
    participants: str
    problems: int
    notes: str


@dataclass
class LogProblem:
    problem_id: int
    found_on: date
    place: str
    category: str
    severity: str
    description: str
    party: str
    state: str
    overdue_days: int = 0


@dataclass
class InspectionLogDoc:
    scope: str  # project name or 全部项目
    start: date
    end: date
    inspections: list[LogInspection]
    problems: list[LogProblem]


AcceptanceDoc = Record  # rules.acceptance.Record: the acceptance as recorded


@dataclass
class ReportDoc:
    scope: str
    start: date
    end: date
    as_of: date
    figures: list[tuple[str, str]]  # (label, value)
    by_state: dict[str, int]
    timeline: list[tuple[date, int, int]]
    by_category: dict[str, tuple[int, int]]
    by_party: dict[str, tuple[int, int]]
    avg_days_by_party: dict[str, Decimal]
    open_problems: list[LogProblem]


# ---------------------------------------------------------------------------------------------
# Photos


def photo_flowable(photo: Photo, max_w: float = PHOTO_W, max_h: float = PHOTO_H) -> Flowable:
    """The photo scaled into max_w × max_h, or a note saying why it cannot be shown."""
    st = styles(8)
    if photo.path is None:
        return para(f"（照片文件已丢失：{photo.name}）", st.cell_center)
    try:
        width, height = ImageReader(str(photo.path)).getSize()
        scale = min(max_w / width, max_h / height)
        return Image(str(photo.path), width * scale, height * scale)
    except Exception:  # noqa: BLE001 - a damaged file must not stop the notice
        return para(f"（照片无法读取：{photo.name}）", st.cell_center)


def photo_grid(photos: Sequence[Photo], width: float, per_row: int = 3) -> Table:
    st = styles(8)
    cells, captions = [], []
    col_w = width / per_row
    for p in photos:
        cells.append(photo_flowable(p, col_w - 8, PHOTO_H))
        captions.append(para(p.caption or p.name, st.cell_center))
    data = []
    for start in range(0, len(cells), per_row):
        pad = per_row - len(cells[start:start + per_row])
        data.append(cells[start:start + per_row] + [""] * pad)
        data.append(captions[start:start + per_row] + [""] * pad)
    return Table(data, colWidths=[col_w] * per_row, hAlign="LEFT", style=TableStyle([
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))


# ---------------------------------------------------------------------------------------------
# 1. 整改通知单


def _notice_body() -> ParagraphStyle:
    return ParagraphStyle("rd-sv-body", parent=styles().body, firstLineIndent=21, spaceAfter=3)


def notice_story(doc: NoticeDoc) -> list[Flowable]:
    st = styles()
    width = content_width()
    body = _notice_body()
    n = len(doc.problems)
    story: list[Flowable] = [para(f"{doc.party}：", st.body)]
    found = sorted({p.found_on for p in doc.problems})
    when = "、".join(cn_date(d) for d in found[:3]) + ("等" if len(found) > 3 else "")
    story.append(para(
        f"居民监督队于{when}巡查发现，你单位在“{doc.project}”中存在下列 {n} 项问题。请按下列要求于"
        f"{cn_date(doc.deadline)}前整改完毕，并将整改情况书面回复（附整改后照片）。", body))
    phone = mask_phone(doc.contact_phone) if doc.contact_phone else ""
    story.append(field_grid([
        [("通知单编号", doc.notice_no), ("发出日期", cn_date(doc.issued_on))],
        [("项目", doc.project)],
        [("责任单位", doc.party), ("联系人", f"{doc.contact_name} {phone}".strip())],
        [("整改期限", f"{cn_date(doc.deadline)}前"), ("问题数", f"{n} 项")],
    ], width))
    for i, p in enumerate(doc.problems, start=1):
        block: list[Flowable] = [
            para(f"问题 {i}：{p.place}（{p.category}，{p.severity}）", st.heading),
            field_grid([
                [("问题编号", f"#{p.problem_id}"), ("发现日期", iso_date(p.found_on))],
                [("问题描述", p.description)],
                [("依据", p.basis or "—")],
                [("整改措施和要求", p.measures or "—")],
            ], width, label_width=78),
        ]
        if p.photos:
            block += [Spacer(1, 3), photo_grid(p.photos, width)]
        else:
            block.append(para("（无照片）", st.small))
        story.append(KeepTogether(block))
    story.append(CondPageBreak(90))
    story.append(para("复查方式", st.heading))
    story.append(para(doc.recheck_method, body))
    story.append(KeepTogether([  # the signatures never start a page alone
        para("异议", st.heading),
        para(f"你单位对本通知所列问题有异议的，请自收到本通知之日起 {doc.objection_days} 日内向街道（社区）书面提出，"
             "并附相关证明材料；逾期未提出的，视为无异议。提出异议不影响安全类问题的立即整改。", body),
        para(f"签发单位：{doc.issuer}　　{doc.seal}（盖章）　　经办：{doc.issued_by}" if doc.seal.strip() else
             f"签发单位：{doc.issuer}（盖章）　　经办：{doc.issued_by}", st.body),
        signature_block(["签发人（签字）", "监督队代表（签字）", "日期"], per_row=3, min_line=60),
    ]))
    return story


def notice_receipt(doc: NoticeDoc) -> list[Flowable]:
    """The tear-off receipt (回执) the party signs and returns: printed at the foot of page 1."""
    st = styles()
    receipt = ParagraphStyle("rd-sv-receipt-body", parent=_notice_body(), spaceAfter=1)
    return [
        para("- - - - - - - - - - - - - - - - - - - - - - - 沿此线剪下 - - - - - - - - - - - - - - - - - - - - - - -",
             ParagraphStyle("rd-sv-cut", parent=st.small, alignment=1)),
        para("回　执", ParagraphStyle("rd-sv-receipt", parent=st.heading, alignment=1, spaceBefore=2, spaceAfter=2)),
        para(f"我单位已收到编号为 {doc.notice_no} 的整改通知单（共 {len(doc.problems)} 项问题），将于"
             f"{cn_date(doc.deadline)}前整改完毕并书面回复。", receipt),
        para(f"责任单位：{doc.party}（盖章）", st.body),
        signature_block(["签收人（签字）", "签收日期", "联系电话"], per_row=3, row_height=26, min_line=60),
    ]


def render_notice(out: str | Path | BinaryIO, doc: NoticeDoc, *, operator: str, doc_no: str,
                  printed_at: datetime | None = None) -> int:
    # one number: the notice's own (ZG-2026-0047) is its 文书编号 (services.printouts passes it as doc_no)
    info = DocumentInfo(title=NOTICE_TITLE, doc_no=doc_no, operator=operator,
                        printed_at=printed_at, masked=True, subject=f"{NOTICE_TITLE} {doc.notice_no} {doc.party}",
                        keywords=[NOTICE_TITLE, doc.notice_no, doc.party, doc.project])
    return build_pdf(out, info, notice_story(doc), first_page_foot=notice_receipt(doc))


# ---------------------------------------------------------------------------------------------
# 2. 巡查记录


def _problems_table(problems: Sequence[LogProblem], width: float, with_overdue: bool = False) -> Table:
    header = ["编号", "发现日期", "位置", "类别", "程度", "问题描述", "责任单位", "状态"]
    weights = [8, 17, 19, 13, 7, 30, 22, 13]
    if with_overdue:
        header.append("逾期天数")
        weights.append(8)
    rows = []
    for p in problems:
        row = [f"#{p.problem_id}", iso_date(p.found_on), p.place, p.category, p.severity, p.description, p.party,
               p.state]
        if with_overdue:
            row.append(p.overdue_days or "")
        rows.append(row)
    align = ["center", "center", "left", "center", "center", "left", "left", "center"] + (["center"] if with_overdue else [])
    tbl = table(header, rows, column_widths(weights, width), align=align, font_size=CELL)
    red = [("TEXTCOLOR", (0, r), (-1, r), ALERT) for r, p in enumerate(problems, start=1) if p.overdue_days]
    if red:
        tbl.setStyle(TableStyle(red))
    return tbl


def render_inspection_log(out: str | Path | BinaryIO, doc: InspectionLogDoc, *, operator: str, doc_no: str,
                          printed_at: datetime | None = None) -> int:
    st = styles()
    width = content_width(landscape=True)
    period = f"{cn_date(doc.start)}至{cn_date(doc.end)}"
    story: list[Flowable] = [para(
        f"范围：{doc.scope}；期间：{period}；巡查 {len(doc.inspections)} 次，发现问题 {len(doc.problems)} 项。", st.body),
        para("一、巡查情况", st.heading)]
    rows = [[i, iso_date(x.inspected_on), x.project, x.places, x.weather, x.participants, x.problems, x.notes]
            for i, x in enumerate(doc.inspections, start=1)]
    story.append(table(["序号", "日期", "项目", "巡查部位", "天气", "参加人员", "发现问题", "备注"], rows,
                       column_widths([6, 13, 30, 34, 7, 44, 10, 28], width),
                       align=["center", "center", "left", "left", "center", "left", "center", "left"], font_size=CELL))
    if not doc.inspections:
        story.append(para("本期间无巡查记录。", st.small))
    story += [CondPageBreak(120), para("二、发现的问题", st.heading)]
    if doc.problems:
        story.append(_problems_table(doc.problems, width))
    else:
        story.append(para("本期间未发现问题。", st.small))
    story.append(KeepTogether([Spacer(1, 8), signature_block(["记录人（签字）", "监督队队长（签字）", "日期"], per_row=3)]))
    info = DocumentInfo(title=LOG_TITLE, subtitle=period, doc_no=doc_no, operator=operator, printed_at=printed_at,
                        landscape=True, subject=f"{LOG_TITLE} {doc.scope} {period}", keywords=[LOG_TITLE, doc.scope])
    return build_pdf(out, info, story)


# ---------------------------------------------------------------------------------------------
# 3. 验收记录表


def render_acceptance(out: str | Path | BinaryIO, doc: AcceptanceDoc, *, operator: str, doc_no: str,
                      printed_at: datetime | None = None) -> int:
    st = styles()
    width = content_width()
    story: list[Flowable] = [field_grid([
        [("验收编号", doc.record_no), ("验收日期", cn_date(doc.accepted_on))],
        [("项目", doc.project)],
        [("验收范围", doc.scope), ("参建单位", doc.party or "—")],
    ], width), para("一、参加验收的四方", st.heading)]
    story.append(table(["参加方", "参加人员", "签字"], [[zh, doc.parties.get(key, "") or "（未到）", ""]
                                                   for key, zh, _en in PARTIES],
                       column_widths([20, 50, 30], width), align=["center", "left", "left"], font_size=CELL, zebra=False))
    story.append(para("二、检查项目", st.heading))
    check_rows = [[i, item, result, note] for i, (item, result, note) in enumerate(doc.checklist, start=1)]
    tbl = table(["序号", "检查项目", "结果", "说明"], check_rows, column_widths([8, 52, 12, 28], width),
                align=["center", "left", "center", "left"], font_size=CELL, zebra=False)
    bad = [("TEXTCOLOR", (2, r), (2, r), ALERT) for r, (_i, res, _n) in enumerate(doc.checklist, start=1) if res == "不合格"]
    if bad:
        tbl.setStyle(TableStyle(bad))
    story.append(tbl)
    s = doc.survey
    share = percent_text(s.share) if s.share is not None else "—"
    story.append(para("三、居民满意度调查", st.heading))
    story.append(table([label for _k, label in ANSWERS] + ["合计", "满意率"],
                       [[getattr(s, k) for k, _label in ANSWERS] + [s.total, share]],
                       column_widths([1] * 6, width), align=["center"] * 6, font_size=CELL, zebra=False))
    story.append(para(f"满意率＝（满意＋基本满意）÷ 全部答卷。验收规则：{doc.rule_text}。", st.small))
    story.append(para("四、第三方成效评估", st.heading))
    if doc.evaluator:
        story.append(field_grid([[("评估机构", doc.evaluator), ("得分", "" if doc.score is None else f"{doc.score}")],
                                 [("评估结论", doc.conclusion or "—")]], width))
    else:
        story.append(para("未进行第三方评估。", st.body))
    rows = [[("验收时未关闭的问题", f"{doc.open_problems} 项")]]
    if doc.override_reason:
        rows.append([("继续验收的书面理由", doc.override_reason)])
    rows.append([("结论", "通过" if doc.passed else "不通过")])
    if doc.reasons:
        rows.append([("理由", doc.reasons)])
    verdict = ParagraphStyle("rd-sv-verdict", parent=st.heading, textColor=INK if doc.passed else ALERT)
    story.append(KeepTogether([  # the signatures sign the conclusion: never on a page without it
        para("五、验收结论", st.heading), field_grid(rows, width, label_width=96),
        para(f"验收结论：{'通过' if doc.passed else '不通过'}", verdict), Spacer(1, 6), signature_block(
            ["区政府代表（签字）", "社区代表（签字）", "居民代表（签字）", "参建单位代表（签字）", "日期"], per_row=2)]))
    info = DocumentInfo(title=ACCEPTANCE_TITLE, subtitle=f"{doc.project}　{doc.scope}", doc_no=doc_no,
                        operator=operator, printed_at=printed_at,
                        subject=f"{ACCEPTANCE_TITLE} {doc.record_no}", keywords=[ACCEPTANCE_TITLE, doc.record_no])
    return build_pdf(out, info, story)


# ---------------------------------------------------------------------------------------------
# 4. 居民监督工作报告, with charts drawn by reportlab (no Qt in core)

OPEN_COLOR, CLOSED_COLOR = colors.HexColor("#C0392B"), colors.HexColor("#2E7D32")


def _legend(x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = PRIMARY, 8
    legend.alignment = "left"
    legend.columnMaximum = 1  # one row: the two entries side by side
    legend.deltax = 56
    legend.colorNamePairs = [(OPEN_COLOR, "未关闭"), (CLOSED_COLOR, "已关闭")]
    return legend


def _title(drawing: Drawing, text: str, width: float, height: float) -> None:
    drawing.add(String(width / 2, height - 12, text, fontName=PRIMARY, fontSize=10, textAnchor="middle"))


def timeline_chart(points: Sequence[tuple[date, int, int]], width: float, height: float = 62 * mm) -> Drawing:
    d = Drawing(width, height)
    _title(d, "未关闭与已关闭问题数（随时间）", width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 36, 30, width - 60, height - 60
    chart.data = [[p[1] for p in points] or [0], [p[2] for p in points] or [0]]
    chart.categoryAxis.categoryNames = [p[0].strftime("%m-%d") for p in points] or [""]
    chart.categoryAxis.labels.fontName = PRIMARY
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = PRIMARY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([max(p[1], p[2]) for p in points] or [1])
    chart.valueAxis.valueMax = max(5, top + 1)
    chart.valueAxis.valueStep = max(1, -(-chart.valueAxis.valueMax // 5))
    for i, color in enumerate((OPEN_COLOR, CLOSED_COLOR)):
        chart.lines[i].strokeColor = color
        chart.lines[i].strokeWidth = 1.6
    d.add(chart)
    d.add(_legend(width - 120, height - 20))
    return d


def bars_chart(title: str, data: dict[str, tuple[int, int]], width: float, height: float | None = None) -> Drawing:
    """Horizontal stacked bars (open, closed) per label: long labels stay readable."""
    labels = list(data)[:10]
    height = height or max(46 * mm, (len(labels) * 16 + 60))
    d = Drawing(width, height)
    _title(d, title, width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 130, 24, width - 170, height - 56
    chart.data = [[data[k][0] for k in reversed(labels)] or [0], [data[k][1] for k in reversed(labels)] or [0]]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = PRIMARY
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = PRIMARY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([sum(v) for v in data.values()] or [1])
    chart.valueAxis.valueMax = max(5, top + 1)
    chart.valueAxis.valueStep = max(1, -(-chart.valueAxis.valueMax // 5))
    chart.bars[0].fillColor, chart.bars[1].fillColor = OPEN_COLOR, CLOSED_COLOR
    chart.bars.strokeColor = None
    d.add(chart)
    d.add(_legend(width - 120, height - 20))
    return d


def days_chart(data: dict[str, Decimal], width: float) -> Drawing:
    labels = list(data)[:10]
    height = max(40 * mm, len(labels) * 16 + 56)
    d = Drawing(width, height)
    _title(d, "平均整改天数（发现至关闭，按责任单位）", width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 130, 24, width - 170, height - 50
    chart.data = [[float(data[k]) for k in reversed(labels)] or [0]]  # drawing only; the table prints exact values
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    chart.categoryAxis.labels.fontName = PRIMARY
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = PRIMARY
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#1E88E5")
    chart.bars.strokeColor = None
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = PRIMARY
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def render_report(out: str | Path | BinaryIO, doc: ReportDoc, *, operator: str, doc_no: str,
                  printed_at: datetime | None = None) -> int:
    st = styles()
    width = content_width()
    period = f"{cn_date(doc.start)}至{cn_date(doc.end)}"
    story: list[Flowable] = [para(f"范围：{doc.scope}；统计期间：{period}；状态截至{cn_date(doc.as_of)}。", st.body),
                             para("一、主要数据", st.heading)]
    half = -(-len(doc.figures) // 2)
    pairs = [[doc.figures[i], doc.figures[i + half]] if i + half < len(doc.figures) else [doc.figures[i]]
             for i in range(half)]
    story.append(field_grid(pairs, width, label_width=96))
    story.append(para("二、问题状态（全部问题）", st.heading))
    states = list(doc.by_state)
    story.append(table(states + ["合计"], [[doc.by_state[s] for s in states] + [sum(doc.by_state.values())]],
                       column_widths([1] * (len(states) + 1), width), align=["center"] * (len(states) + 1),
                       font_size=CELL, zebra=False))
    story += [para("三、图表", st.heading), timeline_chart(doc.timeline, width), Spacer(1, 6),
              bars_chart("本期发现问题按类别", doc.by_category, width), Spacer(1, 6),
              bars_chart("本期发现问题按责任单位", doc.by_party, width)]
    if doc.avg_days_by_party:
        story += [Spacer(1, 6), days_chart(doc.avg_days_by_party, width)]
    story += [CondPageBreak(120), para(f"四、未关闭问题清单（{len(doc.open_problems)} 项，红色为逾期）", st.heading)]
    if doc.open_problems:
        story.append(_problems_table(doc.open_problems, width, with_overdue=True))
    else:
        story.append(para("无未关闭的问题。", st.body))
    story.append(KeepTogether([Spacer(1, 8), signature_block(["报告人（签字）", "审核人（签字）", "日期"], per_row=3)]))
    info = DocumentInfo(title=REPORT_TITLE, subtitle=period, doc_no=doc_no, operator=operator, printed_at=printed_at,
                        subject=f"{REPORT_TITLE} {doc.scope} {period}", keywords=[REPORT_TITLE, doc.scope])
    return build_pdf(out, info, story)


__all__ = [
    "AcceptanceDoc", "InspectionLogDoc", "LogInspection", "LogProblem", "NoticeDoc", "NoticeProblem", "Photo",
    "ReportDoc", "photo_flowable", "render_acceptance", "render_inspection_log", "render_notice", "render_report",
]
