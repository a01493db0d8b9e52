"""签到表: the sign-in sheet used at the door."""

from __future__ import annotations
import io
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Sequence
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from renewal_desk.core.printing.template import (
    PageProbe,
    build_pdf,
    column_widths,
    content_width,
    field_grid,
    para,
    signature_block,
    styles,
    table,
)
from renewal_desk.core.rules.masking import mask_phone
from .docs import CELL_SIZE, SIGN_IN_TITLE, SignInDoc
from .blocks import _count, _info, _write, attendee_role, meeting_time_text, sign_in_time, totals_line


SIGN_IN_HEADER = ["序号", "姓名", "身份/单位", "楼栋房号", "联系电话", "签名", "代理人", "签到时间"]
# the address column holds "12号楼 3单元 1502" on one line (a second line made every row taller: 112 pages for
# 2,000 people instead of 75), 身份/单位 keeps its room for 代理凭证：委托书, the phone for 0514-****1234; the
# signature keeps 22 mm, names and proxies 5 characters a line
_SIGN_IN_WEIGHTS = [30, 56, 84, 84, 70, 64, 52, 50]
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
