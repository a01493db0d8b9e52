"""Demand ordering (居民点单) printouts: the households' ordering forms, the results notice and the
follow-up list of households that have not answered. All three use the shared page template
(template.py) and are masked ("已脱敏"): nothing here prints a full name, phone or ID number.

- 居民点单表 `render_ordering_forms`: one form per household, each starting on a new page (the
  page numbering runs over the whole PDF). A form is pre-filled with the household's address and
  the head's masked name ("王*"), the round and its deadline, and lists the menu in two columns,
  grouped by tier, with a tick box and a priority (1/2/3) per item; items that need owners'
  consent (民法典 第278条: 加装电梯 …) carry "□同意 □不同意 □弃权" and their scope; mandatory
  items are marked "（必改项，仅作了解）". Remarks, who filled it in, signature and date close it.
  A 39-item menu fits on one A4 page (a few more items too, in smaller type); a much longer one
  goes on over further pages, each headed with the household, the signature with the last items.
- 居民点单结果公示 `render_ordering_notice`: for posting. Participation (households and area),
  per tier the ranked items with their shares, the owners' consent results per scope (应到, 实到,
  participation, 同意/反对/弃权 by households and area, the rule, passed or not and why), the
  notice period with how to object, and the seal block. No personal data at all.
- 未反馈住户走访清单 `render_followup`: the households that have not answered, by building, with
  empty columns for the visit date, result and note; names and phones masked.

The modules take plain dataclasses; the services fill them from the database. Shares are exact
Fractions, shown rounded half-up to one decimal ("66.7%").
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO, Sequence

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from renewal_desk.core.printing.fonts import PRIMARY, markup
from renewal_desk.core.printing.roster import format_area
from renewal_desk.core.printing.template import (
    figures_grid,
    PageProbe,
    field_grid,
    frame_size,
    ALERT,
    HEADER_FILL,
    INK,
    RULE,
    ZEBRA_FILL,
    DocumentInfo,
    build_pdf,
    column_widths,
    content_width,
    info_line,
    para,
    signature_block,
    styles,
    table,
    title_flowables,
)
from renewal_desk.core.rules.masking import mask_name, mask_phone
from renewal_desk.core.rules.numbers import cn_date, share_text
from renewal_desk.core.rules.sorting import natural_key

FORMS_TITLE = "居民点单表"
NOTICE_TITLE = "居民点单结果公示"
FOLLOWUP_TITLE = "未反馈住户走访清单"

# make_doc_no(prefix, ...): pinyin initials of the document's name
FORMS_PREFIX = "DDB"  # 点单表
NOTICE_PREFIX = "DDGS"  # 点单公示
FOLLOWUP_PREFIX = "DDZF"  # 点单走访

TIERS = ("基础类", "完善类", "提升类")
SCOPE_LABELS = {"": "", "unit": "按单元表决", "building": "按楼栋表决", "project": "全体业主表决"}
MANDATORY_MARK = "（必改项，仅作了解）"
VOTE_BOXES = "□同意　□不同意　□弃权"
FILLED_BY = "填表人：□业主本人　□家庭成员　□代理人"
CELL_SIZE = 9


# ---------------------------------------------------------------------------------------------
# Data


@dataclass
class MenuLine:
    name: str
    tier: str  # 基础类 / 完善类 / 提升类 (or a local tier)
    mandatory: bool
    consent_scope: str  # "" / unit / building / project (or already a label)


@dataclass
class FormHousehold:
    building: str
    unit: str
    room: str
    head_name: str  # full name; printed masked


@dataclass
class FormsDoc:
    project: str
    round_title: str
    closes_on: date | None
    menu: list[MenuLine]
    households: list[FormHousehold]  # in the order to print (the caller sorts them)


@dataclass
class TallyLine:
    tier: str
    rank: int  # within its tier
    name: str
    households: int  # chose it (consent items: voted yes)
    share_all: Fraction  # of all eligible households
    share_answered: Fraction  # of the households that answered
    share_area: Fraction  # their exclusive area / all eligible area


@dataclass
class ConsentLineDoc:
    scope: str  # e.g. "3号楼 2单元"
    item: str  # e.g. "加装电梯"
    eligible_owners: int
    eligible_area: Decimal
    participating_owners: int
    participating_area: Decimal
    participation_owner_share: Fraction
    participation_area_share: Fraction
    yes_owners: int
    no_owners: int
    abstain_owners: int
    yes_area: Decimal
    no_area: Decimal
    abstain_area: Decimal
    rule_name: str
    passed: bool
    reason: str


@dataclass
class NoticeDoc:
    project: str
    round_title: str
    eligible: int
    answered: int
    eligible_area: Decimal
    answered_area: Decimal
    notice_from: date | None
    notice_to: date | None
    contact: str  # e.g. "幸福里社区居委会 0514-87654321"
    tallies: list[TallyLine] = field(default_factory=list)
    consents: list[ConsentLineDoc] = field(default_factory=list)
    org: str = ""  # e.g. "幸福里社区居民委员会"


@dataclass
class FollowupLine:
    building: str
    unit: str
    room: str
    head_name: str  # full name; printed masked
    phone: str | None  # printed masked


@dataclass
class FollowupDoc:
    project: str
    round_title: str
    lines: list[FollowupLine]


# ---------------------------------------------------------------------------------------------
# Text helpers
_THRESHOLDS = (Fraction(1, 2), Fraction(2, 3), Fraction(3, 4))


def _share_near_threshold(f: Fraction) -> str:
    """share_text, with more places while it would read the same as a usual threshold (1/2, 2/3,
    3/4) it differs from: 0.6665 is "66.65%", not "66.7%" (which would look like two thirds)."""
    places = 1
    while places < 6 and any(f != t and share_text(f, places) == share_text(t, places) for t in _THRESHOLDS):
        places += 1
    return share_text(f, places)


def _ratio(part: int | Decimal, whole: int | Decimal) -> Fraction | None:
    return Fraction(part) / Fraction(whole) if whole else None


def building_label(building: str) -> str:
    b = (building or "").strip()
    return f"{b}号楼" if b.isdigit() else b


def unit_label(unit: str) -> str:
    u = (unit or "").strip()
    return f"{u}单元" if u.isdigit() else u


def room_label(room: str) -> str:
    r = (room or "").strip()
    return f"{r}室" if r.isdigit() else r


def address_text(building: str, unit: str, room: str) -> str:
    """"3号楼 2单元 301室" (digits get their 号楼 / 单元 / 室)."""
    return " ".join(x for x in (building_label(building), unit_label(unit), room_label(room)) if x)


def scope_label(scope: str) -> str:
    """按单元表决 / 按楼栋表决 / 全体业主表决 ("" for no consent; other text as it is)."""
    s = (scope or "").strip()
    return SCOPE_LABELS.get(s, s)


def _tier_order(tiers: Sequence[str]) -> list[str]:
    """基础类, 完善类, 提升类 first, then any local tier in the order met."""
    seen = [t for t in TIERS if t in tiers]
    for t in tiers:
        if t not in seen:
            seen.append(t)
    return seen


# ---------------------------------------------------------------------------------------------
# 1. 居民点单表

_BOX_W, _PRIO_W, _GAP = 26.0, 44.0, 10.0
_FRAME_H = frame_size()[1]  # A4 portrait
_SAFETY = 8.0  # points kept free when planning a page


@dataclass(frozen=True)
class FormType:
    """The type of the menu on a form: size and leading of its text, padding of its rows."""

    size: float
    leading: float
    pad_top: float = 1.8
    pad_bottom: float = 2.4

    def row(self, lines: int = 1) -> float:
        """Height of a row of `lines` lines of text."""
        return lines * self.leading + self.pad_top + self.pad_bottom

    @property
    def head(self) -> float:
        """Height of a column's header row (two lines, half a point smaller)."""
        return 2 * (self.leading - 0.5) + self.pad_top + self.pad_bottom


# Tried in order: a form takes the first type whose menu fits in two columns on its first page,
# so that a somewhat longer local menu still gives one page per household.
FORM_TYPES = (FormType(9, 11.5), FormType(8.5, 10.8, 1.6, 2.2), FormType(8, 10, 1.4, 2.0))
MAX_COL_HEIGHT = FORM_TYPES[0].head + FORM_TYPES[0].row() * 28  # default; a form uses the room it has


@dataclass
class _Entry:
    kind: str  # "tier" or "item"
    tier: str
    line: MenuLine | None = None
    continued: bool = False  # a tier header repeated at the top of a column
    lines: int = 1  # lines of text (an item: its name wrapped, plus the vote boxes)
    height: float = 0.0  # of its row in the column's table


def column_height(entries: Sequence[_Entry], ty: FormType = FORM_TYPES[0]) -> float:
    """Of a column's table: the header row and the entries' rows."""
    return ty.head + sum(e.height for e in entries)


def _cell_style(ty: FormType) -> ParagraphStyle:
    return ParagraphStyle(f"rd-order-cell-{ty.size}", parent=styles(ty.size).cell, fontSize=ty.size,
                          leading=ty.leading)


def _column_width(width: float) -> float:
    return (width - _GAP) / 2


class _Rows:
    """Makes the entries of the menu, measured: an item's lines are its name as wrapped in a
    column `col_w` points wide (a consent item has a second line for its boxes)."""

    def __init__(self, col_w: float, ty: FormType) -> None:
        self.ty = ty
        self.name_w = col_w - _BOX_W - _PRIO_W - 6
        self.style = _cell_style(ty)
        self._lines: dict[int, int] = {}

    def item(self, tier: str, m: MenuLine) -> _Entry:
        if id(m) not in self._lines:
            _w, h = Paragraph(_item_markup(m, self.ty), self.style).wrap(self.name_w, 10_000)
            self._lines[id(m)] = max(1, round(h / self.ty.leading))
        n = self._lines[id(m)]
        return _Entry("item", tier, m, lines=n, height=self.ty.row(n))

    def tier(self, tier: str, continued: bool = False) -> _Entry:
        return _Entry("tier", tier, continued=continued, height=self.ty.row())


def _menu_groups(menu: Sequence[MenuLine]) -> list[tuple[str, list[MenuLine]]]:
    by_tier: dict[str, list[MenuLine]] = {}
    for m in menu:
        by_tier.setdefault((m.tier or "").strip() or "其他", []).append(m)
    return [(t, by_tier[t]) for t in _tier_order(list(by_tier))]


def _split_columns(groups: list[tuple[str, list[MenuLine]]], cap: float, rows: _Rows,
                   first_continued: bool = False) -> list[list[_Entry]]:
    """The menu in columns of at most `cap` points (see column_height). A tier header is never
    the last row of a column; a tier that goes on in the next column gets its header again,
    marked （续） (so does the first tier if `first_continued`)."""
    cols: list[list[_Entry]] = []
    cur: list[_Entry] = []
    used = rows.ty.head
    for g, (tier, items) in enumerate(groups):
        header = rows.tier(tier, continued=first_continued and g == 0)
        header_due = True
        for m in items:
            e = rows.item(tier, m)
            if cur and used + e.height + (header.height if header_due else 0) > cap:
                cols.append(cur)
                cur, used = [], rows.ty.head
                header_due = True
            if header_due:
                cur.append(header)
                used += header.height
                header_due = False
                header = rows.tier(tier, continued=True)  # for the next column, if any
            cur.append(e)
            used += e.height
    if cur:
        cols.append(cur)
    return cols


def _two_columns(groups: list[tuple[str, list[MenuLine]]], cap: float, rows: _Rows,
                 first_continued: bool = False) -> list[list[_Entry]] | None:
    """The most even split of `groups` into at most two columns of `cap` points; None if they do
    not fit in two."""
    total = sum(rows.tier(t).height + sum(rows.item(t, m).height for m in items) for t, items in groups)
    target = rows.ty.head + total / 2
    while target <= cap + 0.5:
        cols = _split_columns(groups, min(target, cap), rows, first_continued)
        if len(cols) <= 2:
            return cols
        target += 2
    return None


def menu_columns(menu: Sequence[MenuLine], cap: float = MAX_COL_HEIGHT, width: float | None = None,
                 ty: FormType = FORM_TYPES[0]) -> list[list[_Entry]]:
    """The menu split into columns (printed two by two, each half of `width`, the page's text
    width by default) of at most `cap` points, as evenly as two columns allow; a menu that needs
    more fills pairs of full columns, and a last pair of two columns is evened out (a last single
    column stays one)."""
    rows = _Rows(_column_width(content_width() if width is None else width), ty)
    groups = _menu_groups(menu)
    cols = _two_columns(groups, cap, rows)
    if cols is not None:
        return cols
    cols = _split_columns(groups, cap, rows)
    if len(cols) % 2:
        return cols
    keep = len(cols) - 2  # the columns of the full pairs before the last pair
    rest = [e for col in cols[keep:] for e in col]
    rest_groups: list[tuple[str, list[MenuLine]]] = []
    for e in rest:
        if e.kind == "tier":
            if not (rest_groups and rest_groups[-1][0] == e.tier):
                rest_groups.append((e.tier, []))
        elif e.line is not None:
            rest_groups[-1][1].append(e.line)
    tail = _two_columns(rest_groups, cap, rows, first_continued=rest[0].continued)
    return cols[:keep] + (tail if tail is not None else cols[keep:])


def box_markup(text: str, size: float) -> str:
    """`text` as Paragraph markup with each "□" drawn at `size` points, larger than the text around
    it (the font's box is only 0.6 em) and lowered onto its line, so that there is room to tick it."""
    box = f'<sub rise="{size * 0.125:.2f}" size="{size}">□</sub>'
    return "".join(box if ch == "□" else markup(ch) for ch in text)


class _TickBox(Flowable):
    """An empty square to tick, `side` points, centred in its cell."""

    def __init__(self, side: float = 8.5) -> None:
        super().__init__()
        self.side = side
        self._avail = side

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        return availWidth, self.side

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.7)
        self.canv.rect((self._avail - self.side) / 2, 0, self.side, self.side, stroke=1, fill=0)
        self.canv.restoreState()


def _item_markup(m: MenuLine, ty: FormType) -> str:
    note = []
    if m.mandatory:
        note.append(MANDATORY_MARK)
    scope = scope_label(m.consent_scope)
    if scope:
        note.append(f"〔{scope}〕")
    text = markup(m.name)
    if note:
        text += f'<font size="{ty.size - 1.5}" color="#555555">{markup("".join(note))}</font>'
    if scope:
        text += "<br/>" + markup("业主表决：") + box_markup(VOTE_BOXES, ty.size + 3)
    return text


def _menu_column_table(entries: list[_Entry], width: float, ty: FormType) -> Table:
    st = styles(ty.size)
    cell = _cell_style(ty)
    head = ParagraphStyle("rd-order-head", parent=st.cell_header, fontSize=ty.size - 0.5, leading=ty.leading - 0.5)
    name_w = width - _BOX_W - _PRIO_W
    data: list[list[Any]] = [[para("选择", head), para("改造项目", head), para("优先级\n填1/2/3", head)]]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), PRIMARY, ty.size, ty.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), ty.pad_top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), ty.pad_bottom),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, INK),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
    ]
    box = min(8.5, ty.leading - 1)
    for r, e in enumerate(entries, start=1):
        if e.kind == "tier":
            label = e.tier + ("（续）" if e.continued else "")
            data.append([para(label, cell), "", ""])
            commands += [("SPAN", (0, r), (2, r)), ("BACKGROUND", (0, r), (-1, r), ZEBRA_FILL)]
        else:
            assert e.line is not None
            data.append([_TickBox(box), Paragraph(_item_markup(e.line, ty), cell), ""])
    return Table(data, colWidths=[_BOX_W, name_w, _PRIO_W], style=TableStyle(commands), hAlign="LEFT")


def _menu_blocks(cols: list[list[_Entry]], width: float, ty: FormType) -> list[Table]:
    """The menu columns side by side, two by two: one table per pair."""
    col_w = _column_width(width)
    blocks: list[Table] = []
    for i in range(0, len(cols), 2):
        left = _menu_column_table(cols[i], col_w, ty)
        right: Any = _menu_column_table(cols[i + 1], col_w, ty) if i + 1 < len(cols) else ""
        outer = Table([[left, "", right]], colWidths=[col_w, _GAP, col_w], hAlign="CENTER")
        outer.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), PRIMARY, ty.size, ty.leading),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        blocks.append(outer)
    return blocks


def _stack_height(flowables: Sequence[Flowable], width: float) -> float:
    """The height `flowables` take one after another at the top of a frame."""
    total = 0.0
    for i, f in enumerate(flowables):
        _w, h = f.wrap(width, _FRAME_H)
        total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
    return total


class _RuledLines(Flowable):
    """`n` ruled lines to write on, `gap` points apart."""

    def __init__(self, n: int, gap: float = 19) -> None:
        super().__init__()
        self.n, self.gap = n, gap
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._width = availWidth
        return availWidth, self.n * self.gap

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.5)
        for i in range(self.n):
            y = (self.n - i - 1) * self.gap + 2
            self.canv.line(0, y, self._width, y)
        self.canv.restoreState()


def form_instructions(doc: FormsDoc) -> str:
    deadline = f"请于{cn_date(doc.closes_on)}前" if doc.closes_on else "请在规定时间内"
    return (
        "尊敬的居民：为了解您对本次改造的需求，请在希望实施的项目前的“□”内打“√”，并在“优先级”栏填写"
        "1、2 或 3（1 为最迫切）。基础类中的必改项按规定实施，仅作了解，也可勾选以表示您最关心的问题。"
        "标注“业主表决”的项目依照《民法典》第二百七十八条须由业主共同决定，请在“同意 / 不同意 / 弃权”"
        f"中勾选一项。{deadline}将本表交回社区居委会或楼栋长。"
    )


def form_story(doc: FormsDoc, household: FormHousehold | None, title: Sequence[Flowable],
               with_title: bool = True) -> list[Flowable]:
    """One household's form; `household` None gives a blank form. It starts with `title`, unless
    `with_title` is False (the first form: build_pdf sets the title), and is planned with it.

    The menu's columns are as long as the first page leaves room for, together with the remarks
    and signature part, so a form of a usual menu (39 items) is one page. A longer menu goes on
    over further pages (each headed with the household, as pages get separated); its last part
    and the signature part stay on one page."""
    st = styles()
    width = content_width()
    small = ParagraphStyle("rd-order-small", parent=st.small, fontSize=8.5, leading=12, textColor=INK)
    if household is None:
        address, head = "", ""
    else:
        address = address_text(household.building, household.unit, household.room)
        head = mask_name(household.head_name, "star")
    top: list[Flowable] = [
        para(form_instructions(doc), small),
        Spacer(1, 5),
        field_grid([
            [("项目名称", doc.project)],
            [("点单轮次", doc.round_title), ("交表截止", cn_date(doc.closes_on) or "见通知")],
            [("房屋地址", address), ("户　　主", head)],
        ], width, 58, (2.5, 3)),
        Spacer(1, 6),
    ]
    label = ParagraphStyle("rd-order-label", parent=st.body, fontSize=10, leading=14)
    closing: list[Flowable] = [
        Spacer(1, 6),
        para("其他意见和建议：", label),
        _RuledLines(3),
        Spacer(1, 6),
        Paragraph(box_markup(FILLED_BY, 14), label),
        signature_block(["填表人（签字）", "日期"], per_row=2),
    ]
    room = _FRAME_H - _stack_height(list(title) + top, width) - _stack_height(closing, width) - _SAFETY
    for ty in FORM_TYPES:  # the largest type that keeps the form to one page
        cols = menu_columns(doc.menu, max(room, ty.head + ty.row(6)), width, ty)
        if len(cols) <= 2:
            break
    else:  # more than one page anyway: the largest type
        ty = FORM_TYPES[0]
        cols = menu_columns(doc.menu, max(room, ty.head + ty.row(6)), width, ty)
    blocks = _menu_blocks(cols, width, ty)
    story: list[Flowable] = (list(title) if with_title else []) + top + blocks[:1]
    where = "　".join(x for x in (address, f"户主：{head}" if head else "") if x)
    note = ParagraphStyle("rd-order-cont", parent=st.small, spaceAfter=4)
    for block in blocks[1:]:
        story += [PageBreak(), KeepTogether([para(f"{FORMS_TITLE}（续）　{where}".rstrip(), note), block])]
    story.append(KeepTogether(closing))
    return story


def render_ordering_forms(out: str | Path | BinaryIO, doc: FormsDoc, *, operator: str, doc_no: str,
                          printed_at: datetime | None = None) -> int:
    """Write the forms of all `doc.households` (one blank form if there are none) to `out`, each
    starting on a new page; returns the page count."""
    info = DocumentInfo(
        title=FORMS_TITLE,
        subtitle=doc.round_title,
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=True,
        subject=f"{doc.project} {doc.round_title} {FORMS_TITLE}".strip(),
        keywords=[k for k in (FORMS_TITLE, doc.project, doc.round_title) if k],
    )
    households: list[FormHousehold | None] = list(doc.households) or [None]
    story: list[Flowable] = []
    for i, h in enumerate(households):
        if i:
            story.append(PageBreak())
        story += form_story(doc, h, title_flowables(info), with_title=i > 0)
    return build_pdf(out, info, story)


# ---------------------------------------------------------------------------------------------
# 2. 居民点单结果公示

TALLY_HEADER = ["排名", "项目", "选择户数", "占全部户数", "占反馈户数", "按面积占比"]
_TALLY_WEIGHTS = [10, 36, 14, 14, 14, 14]
_TALLY_ALIGN = ["center", "left", "center", "center", "center", "center"]
_CN_SECTIONS = "一二三四五六七八九十"


def participation_text(doc: NoticeDoc) -> str:
    """应参与 N 户，已反馈 M 户，参与率 x%；按专有面积计 …"""
    text = (f"本轮点单应参与 {doc.eligible} 户，已反馈 {doc.answered} 户，"
            f"参与率 {share_text(_ratio(doc.answered, doc.eligible))}")
    if doc.eligible_area:
        text += (f"；按专有面积计，应参与 {format_area(doc.eligible_area)} ㎡，已反馈 "
                 f"{format_area(doc.answered_area)} ㎡，参与率 {share_text(_ratio(doc.answered_area, doc.eligible_area))}")
    return text + "。"


def period_text(doc: NoticeDoc) -> str:
    if doc.notice_from and doc.notice_to:
        return f"{cn_date(doc.notice_from)}至{cn_date(doc.notice_to)}"
    if doc.notice_from:
        return f"自{cn_date(doc.notice_from)}起"
    return "自张贴之日起"


def _consent_table(c: ConsentLineDoc, width: float) -> Table:
    """应到 / 实到 / 参与率 / 同意 / 反对 / 弃权 by households and by area, then the rule, the result
    and the reason, each over the whole line."""
    st = styles(CELL_SIZE)
    widths = column_widths([18, 16, 16, 18, 16, 16, 16], width)
    a = format_area
    result_style = ParagraphStyle("rd-order-result", parent=st.cell, textColor=INK if c.passed else ALERT)

    def row(label: str, values: Sequence[Any]) -> list[Any]:
        return [para(label, st.cell_center)] + [para(str(v), st.cell_center) for v in values]

    def wide(label: str, text: str, style: ParagraphStyle = st.cell) -> list[Any]:
        return [para(label, st.cell_center), para(text, style)] + [""] * 5

    data = [
        row("", ["应到", "实到", "参与率", "同意", "反对", "弃权"]),
        row("户数（户）", [c.eligible_owners, c.participating_owners,
                         _share_near_threshold(Fraction(c.participation_owner_share)),
                         c.yes_owners, c.no_owners, c.abstain_owners]),
        row("面积（㎡）", [a(c.eligible_area), a(c.participating_area),
                         _share_near_threshold(Fraction(c.participation_area_share)),
                         a(c.yes_area), a(c.no_area), a(c.abstain_area)]),
        wide("适用规则", c.rule_name),
        wide("表决结果", "通过" if c.passed else "未通过", result_style),
        wide("说明", c.reason),
    ]
    commands: list[tuple[Any, ...]] = figures_grid(CELL_SIZE, st.cell.leading)
    for r in (3, 4, 5):
        commands.append(("SPAN", (1, r), (-1, r)))
    return Table(data, colWidths=widths, style=TableStyle(commands), hAlign="CENTER")


def render_ordering_notice(out: str | Path | BinaryIO, doc: NoticeDoc, *, operator: str, doc_no: str,
                           printed_at: datetime | None = None) -> int:
    """Write the results notice (for posting, no personal data) to `out`; returns the page count."""
    st = styles()
    width = content_width()
    # No keepWithNext: it would push a whole tier's table to the next page; CondPageBreak keeps a
    # heading from ending a page instead.
    sub = ParagraphStyle("rd-order-sub", parent=st.body, fontSize=10.5, leading=15, spaceBefore=6,
                         spaceAfter=3)
    body = ParagraphStyle("rd-order-body", parent=st.body, firstLineIndent=21)
    section = iter(_CN_SECTIONS)
    story: list[Flowable] = [
        info_line(f"项目名称：{doc.project}", f"公示期：{period_text(doc)}"),
        Spacer(1, 6),
        para(f"{doc.round_title}已结束收集，现将居民点单结果公示如下。", body),
        para(f"{next(section)}、参与情况", st.heading),
        para(participation_text(doc), body),
    ]

    story.append(CondPageBreak(110))
    story.append(para(f"{next(section)}、点单结果（按类别排名）", st.heading))
    by_tier: dict[str, list[TallyLine]] = {}
    for t in doc.tallies:
        by_tier.setdefault((t.tier or "").strip() or "其他", []).append(t)
    widths = column_widths(_TALLY_WEIGHTS, width)
    if not by_tier:
        story.append(para("本轮暂无点单结果。", st.body))
    for k, tier in enumerate(_tier_order(list(by_tier)), start=1):
        lines = sorted(by_tier[tier], key=lambda t: (t.rank, natural_key(t.name)))
        rows = [[t.rank, t.name, t.households, share_text(t.share_all), share_text(t.share_answered),
                 share_text(t.share_area)] for t in lines]
        story.append(CondPageBreak(90))
        story.append(para(f"（{_CN_SECTIONS[k - 1] if k <= 10 else k}）{tier}", sub))
        story.append(table(TALLY_HEADER, rows, widths, align=_TALLY_ALIGN, font_size=CELL_SIZE))
    story.append(Spacer(1, 3))
    last: list[Flowable] = []  # what goes with the seal block, so that it never stands alone
    last.append(para("说明：占全部户数＝选择户数÷应参与户数；占反馈户数＝选择户数÷已反馈户数；按面积占比＝选择该项"
                      "住户的专有面积之和÷应参与住户的专有面积之和。需业主表决的项目，选择户数为表示同意的户数。"
                      "比例四舍五入保留一位小数。", st.small))

    if doc.consents:
        story += last
        last = []
        story.append(CondPageBreak(160))
        story.append(para(f"{next(section)}、业主表决结果", st.heading))
        story.append(para("以下项目涉及业主共同决定（《民法典》第二百七十八条），按表决范围分别统计；户数按业主人数计，"
                          "面积为专有部分面积。", st.small))
        blocks = []
        for n, c in enumerate(doc.consents, start=1):
            title = "　".join(x for x in (c.scope, c.item) if x)
            blocks.append([para(f"{n}. {title}", sub), _consent_table(c, width)])
        story += [KeepTogether(block) for block in blocks[:-1]]
        last = blocks[-1]

    org = doc.org.strip() or "社区居民委员会"
    right = ParagraphStyle("rd-order-right", parent=st.body, alignment=TA_RIGHT)
    objection = f"公示期为{period_text(doc)}。如有异议请于公示期内向社区反映。"
    if doc.contact.strip():
        objection += f"联系方式：{doc.contact.strip()}。"
    date_line = f"日期：{cn_date(doc.notice_from)}" if doc.notice_from else "日期：　　　　年　　月　　日"
    story.append(KeepTogether(last + [
        para(f"{next(section)}、公示期", st.heading),
        para(objection, body),
        para("特此公示。", body),
        Spacer(1, 26),
        para(f"{org}（盖章）", right),
        Spacer(1, 8),
        para(date_line, right),
    ]))
    info = DocumentInfo(
        title=NOTICE_TITLE,
        subtitle=doc.round_title,
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=True,
        subject=f"{doc.project} {doc.round_title} {NOTICE_TITLE}".strip(),
        keywords=[k for k in (NOTICE_TITLE, doc.project, doc.round_title) if k],
    )
    return build_pdf(out, info, story)


# ---------------------------------------------------------------------------------------------
# 3. 未反馈住户走访清单

FOLLOWUP_HEADER = ["序号", "楼栋", "单元", "房号", "户主", "联系电话", "走访日期", "走访结果", "备注"]
_FOLLOWUP_WEIGHTS = [26, 44, 36, 36, 40, 74, 56, 90, 91]
_FOLLOWUP_ALIGN = ["center"] * 6 + ["center", "left", "left"]
TAIL_ROWS = 3  # rows of a long list that go with the signatures to the next page


def _sorted_lines(lines: Sequence[FollowupLine]) -> list[FollowupLine]:
    return sorted(lines, key=lambda x: (natural_key(x.building or ""), natural_key(x.unit or ""),
                                        natural_key(x.room or "")))


def followup_counts(lines: Sequence[FollowupLine]) -> list[tuple[str, int]]:
    """(building label, households) in building order."""
    counts: dict[str, int] = {}
    for x in _sorted_lines(lines):
        b = building_label(x.building) or "未注明楼栋"
        counts[b] = counts.get(b, 0) + 1
    return list(counts.items())


def _followup_table(rows: list[list[Any]], kinds: list[str], widths: list[float]) -> Table:
    """Rows of the list under the repeated header; a "group" row (the building and its count) spans
    the line, is shaded and stays with the row after it. Rows are tall enough to write in by hand."""
    st = styles(CELL_SIZE)
    by_align = {"left": st.cell, "center": st.cell_center, "right": st.cell_right}
    data: list[list[Any]] = [[para(h, st.cell_header) for h in FOLLOWUP_HEADER]]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), PRIMARY, CELL_SIZE, st.cell.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
        ("TOPPADDING", (0, 1), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, INK),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
    ]
    for r, (row, kind) in enumerate(zip(rows, kinds), start=1):
        if kind == "group":
            data.append([para(row[0], st.cell)] + [""] * (len(FOLLOWUP_HEADER) - 1))
            commands += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), ZEBRA_FILL),
                ("TOPPADDING", (0, r), (-1, r), 2.5),
                ("BOTTOMPADDING", (0, r), (-1, r), 3),
            ]
            if r < len(rows):
                commands.append(("NOSPLIT", (0, r), (-1, r + 1)))
        else:
            data.append([para(str(v), by_align[a]) if v != "" else "" for v, a in zip(row, _FOLLOWUP_ALIGN)])
    return Table(data, colWidths=list(widths), repeatRows=1, style=TableStyle(commands), splitInRow=1,
                 hAlign="CENTER")


def render_followup(out: str | Path | BinaryIO, doc: FollowupDoc, *, operator: str, doc_no: str,
                    printed_at: datetime | None = None) -> int:
    """Write the follow-up list (masked names and phones) to `out`; returns the page count."""
    st = styles()
    width = content_width()
    widths = column_widths(_FOLLOWUP_WEIGHTS, width)
    counts = dict(followup_counts(doc.lines))
    rows: list[list[Any]] = []
    kinds: list[str] = []
    current = None
    for i, x in enumerate(_sorted_lines(doc.lines), start=1):
        b = building_label(x.building) or "未注明楼栋"
        if b != current:
            current = b
            rows.append([f"{b}　未反馈 {counts[b]} 户"] + [""] * (len(FOLLOWUP_HEADER) - 1))
            kinds.append("group")
        rows.append([i, building_label(x.building), unit_label(x.unit), x.room, mask_name(x.head_name, "star"),
                     mask_phone(x.phone) if x.phone else "", "", "", ""])
        kinds.append("")
    total = len(doc.lines)
    if total:
        summary = f"合计未反馈 {total} 户（" + "，".join(f"{b} {n} 户" for b, n in counts.items()) + "）。"
    else:
        summary = "合计未反馈 0 户：本轮范围内的住户均已反馈。"
    closing: list[Flowable] = [
        Spacer(1, 8),
        para(summary, st.body),
        para("走访结果可填：已填表、当面口述（已代填）、拒绝填写、无人在家、空置、联系不上等。户主姓名和电话已脱敏，"
             "完整信息请在系统中查看。", st.small),
        signature_block(["走访人签字", "日期", "复核人（签字）", "日期"], per_row=2),
    ]
    info = DocumentInfo(
        title=FOLLOWUP_TITLE,
        subtitle=doc.round_title,
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=True,
        subject=f"{doc.project} {doc.round_title} {FOLLOWUP_TITLE}".strip(),
        keywords=[k for k in (FOLLOWUP_TITLE, doc.project, doc.round_title) if k],
    )
    before: list[Flowable] = [info_line(f"项目名称：{doc.project}", f"未反馈 {total} 户"), Spacer(1, 6)]
    buf = io.BytesIO()
    if not rows:
        pages = build_pdf(buf, info, before + [_followup_table([], [], widths), KeepTogether(closing)])
    else:
        # The signatures never stand alone on the last page: if they do not fit under the end of
        # the list, its last rows go with them (as a table of their own, with its header row).
        probe_table, probe_closing = PageProbe(), PageProbe()
        pages = build_pdf(buf, info, before + [_followup_table(rows, kinds, widths), probe_table,
                                               KeepTogether(closing + [probe_closing])])
        if len(rows) > TAIL_ROWS + 1 and probe_closing.page != probe_table.page:
            cut = len(rows) - TAIL_ROWS
            if kinds[cut - 1] == "group":  # a building's heading stays with its first row
                cut -= 1
            buf = io.BytesIO()
            pages = build_pdf(buf, info, before + [
                _followup_table(rows[:cut], kinds[:cut], widths),
                KeepTogether([_followup_table(rows[cut:], kinds[cut:], widths)] + closing),
            ])
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(buf.getvalue())
    else:
        out.write(buf.getvalue())
    return pages


__all__ = [
    "ConsentLineDoc", "FollowupDoc", "FollowupLine", "FormHousehold", "FormsDoc", "MenuLine", "NoticeDoc",
    "TallyLine", "address_text", "followup_counts", "menu_columns", "participation_text", "render_followup",
    "render_ordering_forms", "render_ordering_notice", "share_text",
]
