"""决议公示: the public resolution notice."""

from __future__ import annotations
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer
from renewal_desk.core.printing.ordering import cn_date
from renewal_desk.core.printing.template import build_pdf, content_width, info_line, para, styles
from .docs import RESOLUTION_TITLE, ResolutionNoticeDoc
from .blocks import _cn_section, _info, _motion_blocks, _numbered, _para_style, _seal, _task_table, meeting_time_text


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
    seal = h.seal.strip() or h.organiser.strip()
    story.append(KeepTogether([heading("公示期"), para(objection, body), para("特此公示。", body)]
                              + _seal(seal + "（盖章）" if seal else "", doc.notice_from)))
    info = _info(RESOLUTION_TITLE, h, operator=operator, doc_no=doc_no, printed_at=printed_at, masked=True)
    return build_pdf(out, info, story)
