"""会议通知: the meeting notice, for posting and handing out."""

from __future__ import annotations
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Sequence
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table
from renewal_desk.core.printing.template import (
    build_pdf,
    column_widths,
    content_width,
    info_line,
    para,
    styles,
    table,
)
from .docs import AgendaLine, CELL_SIZE, NOTICE_TITLE, NoticeDoc
from .blocks import _cn_section, _info, _para_style, _seal, invited_text, meeting_time_text


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
    story.append(KeepTogether(closing + _seal(h.seal.strip() or h.organiser, doc.notice_date)))
    info = _info(NOTICE_TITLE, h, operator=operator, doc_no=doc_no, printed_at=printed_at, masked=True)
    return build_pdf(out, info, story)
