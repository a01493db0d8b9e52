"""会议记录: the minutes, with every vote figure and a named vote's ballots."""

from __future__ import annotations
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO, Sequence
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from renewal_desk.core.printing.fonts import markup
from renewal_desk.core.printing.ordering import share_text
from renewal_desk.core.printing.template import (
    ALERT,
    GREY,
    HEADER_FILL,
    build_pdf,
    column_widths,
    content_width,
    field_grid,
    para,
    signature_block,
    styles,
    table,
)
from .docs import CELL_SIZE, MINUTES_TITLE, MinutesDoc, SpeechLine
from .blocks import _cn_section, _info, _motion_blocks, _numbered, _para_style, _task_table, meeting_time_text


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
