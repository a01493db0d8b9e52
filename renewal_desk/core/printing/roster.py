"""楼栋住户花名册: the roster of one building's households, for resident representatives to check
and sign, and to post.

Names are printed in full (the representatives check them), ID numbers and phone numbers are
masked unless `masked=False`, which marks every page "内部资料 含完整个人信息 不得张贴".
Households are printed in the order given (the caller sorts them). A note longer than four lines
is cut short in the table ("…见附注1") and printed in full under 附注 after the table, so that
rows stay short enough to check and sign.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import KeepTogether, Spacer

from renewal_desk.core.printing.template import (
    DocumentInfo,
    build_pdf,
    info_line,
    cell_text_width,
    clip_text,
    column_widths,
    content_width,
    para,
    signature_block,
    styles,
    table,
)
from renewal_desk.core.rules.masking import mask_id_number, mask_phone
from renewal_desk.core.rules.numbers import area_register as format_area
from renewal_desk.core.rules.sorting import natural_key

TITLE = "楼栋住户花名册"
DOC_PREFIX = "HMC"  # make_doc_no(DOC_PREFIX, ...): HMC-20261122-0001

AREA_SOURCES = {"registered": "登记", "surveyed": "测绘", "contract": "合同"}

HEADER = ["序号", "单元", "房号", "户主", "身份证号", "联系电话", "面积（㎡）", "面积来源", "人数", "备注"]
_WEIGHTS = [24, 42, 34, 50, 100, 62, 46, 30, 26, 79]  # 单元 fits "12单元" on one line
_ALIGN = ["center", "center", "center", "center", "center", "center", "right", "center", "center",
          "left"]
SIGNATURES = ["制表人（签字）", "日期", "楼栋长/居民代表（签字）", "日期"]
_CENT = Decimal("0.01")
CELL_SIZE = 9
NOTE_MAX_LINES = 4  # a longer note is cut in its cell and printed in full under 附注


@dataclass
class RosterHousehold:
    unit: str
    room: str
    head_name: str
    id_number: str | None
    phone: str | None
    area: Decimal | None
    area_source: str  # registered / surveyed / contract (or already a Chinese label)
    members: int
    note: str = ""


@dataclass
class BuildingRoster:
    project: str
    block: str
    building: str
    address: str
    households: list[RosterHousehold] = field(default_factory=list)


def _unit_label(unit: str) -> str:
    unit = (unit or "").strip()
    if not unit:
        return "未分单元"
    return f"{unit} 单元" if unit.isdigit() else unit


def summary_text(roster: BuildingRoster) -> str:
    """One paragraph: households, people, total area by source, households per unit."""
    hh = roster.households
    areas = [h.area for h in hh if h.area is not None]
    total = sum((Decimal(a) for a in areas), Decimal(0))
    people = sum(h.members or 0 for h in hh)
    sources = Counter(AREA_SOURCES.get(h.area_source, h.area_source) for h in hh if h.area is not None)
    parts = [f"合计 {len(hh)} 户，{people} 人；面积合计 {format_area(total)} ㎡"]
    if sources:
        parts[-1] += "（" + "，".join(f"{k or '未注明来源'} {v} 户" for k, v in sources.items()) + "）"
    missing = len(hh) - len(areas)
    if missing:
        parts.append(f"未填面积 {missing} 户")
    units = Counter((h.unit or "").strip() for h in hh)
    if units:
        ordered = sorted(units.items(), key=lambda kv: natural_key(kv[0]))
        parts.append("各单元户数：" + "，".join(f"{_unit_label(u)} {n} 户" for u, n in ordered))
    return "；".join(parts) + "。"


def render_building_roster(out: str | Path | BinaryIO, roster: BuildingRoster, *, operator: str,
                           doc_no: str, masked: bool = True, printed_at: datetime | None = None) -> int:
    """Write the roster PDF to `out`; returns the page count."""
    st = styles()
    width = content_width()
    widths = column_widths(_WEIGHTS, width)
    note_width = cell_text_width(widths[-1])
    rows = []
    appendix = []
    for i, h in enumerate(roster.households, start=1):
        id_number = h.id_number or ""
        phone = h.phone or ""
        if masked:
            id_number = mask_id_number(id_number) if id_number else ""
            phone = mask_phone(phone) if phone else ""
        note = (h.note or "").strip()
        short = clip_text(note, note_width, CELL_SIZE, NOTE_MAX_LINES,
                          f"…（见附注{len(appendix) + 1}）")
        if short is not None:
            appendix.append((i, h, note))
            note = short
        rows.append([
            i, h.unit, h.room, h.head_name, id_number, phone, format_area(h.area),
            AREA_SOURCES.get(h.area_source, h.area_source or ""),
            "" if h.members is None else h.members, note,
        ])
    where = "　".join(x for x in (roster.block, roster.building) if x)
    info = DocumentInfo(
        title=TITLE,
        subtitle=where,
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=masked,
        subject=f"{roster.project} {where}".strip(),
        keywords=[k for k in (TITLE, roster.project, roster.building) if k],
    )
    story: list = []
    if roster.project or roster.address:
        story.append(info_line(
            f"项目名称：{roster.project}" if roster.project else "",
            f"地址：{roster.address}" if roster.address else "",
        ))
        story.append(Spacer(1, 6))
    story.append(table(HEADER, rows, widths, align=_ALIGN, font_size=CELL_SIZE))
    # Notes, summary and signatures stay together on one page where they fit.
    closing: list = [Spacer(1, 8)]
    if appendix:
        closing.append(para("附注", st.heading))
        for n, (i, h, note) in enumerate(appendix, start=1):
            place = " ".join(x for x in (_unit_label(h.unit), h.room, h.head_name) if x)
            closing.append(para(f"附注{n}（序号 {i}，{place}）：{note}", st.body))
            closing.append(Spacer(1, 3))
        closing.append(Spacer(1, 6))
    closing.append(para(summary_text(roster), st.body))
    closing.append(para("请住户代表核对户主姓名、房号和面积，如有错漏请在备注栏注明并签字。", st.small))
    closing.append(signature_block(SIGNATURES, per_row=2))
    story.append(KeepTogether(closing))
    return build_pdf(out, info, story)
