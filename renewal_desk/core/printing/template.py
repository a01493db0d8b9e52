"""The one page template of every printout.

A4 (portrait, or landscape for wide tables), 18 mm margins. Every page carries
- a header: the app name and the document title on the left, the document number (文书编号) on
  the right, and before it the personal-information marker: "已脱敏" (masked, may be posted) or a
  red "内部资料 含完整个人信息 不得张贴" (full personal data, internal only);
- a footer: print date and operator on the left, "第 X 页 共 Y 页" in the middle with the page's QR
  code beside it (`codes.PageCode`: document number, kind, record, page; when the document's kind is
  known), the app name and version on the right.
The first page starts with the title (large, centred) and an optional subtitle line.

"共 Y 页" needs the page count before the first page is finished, so the canvas keeps every page
and draws the header and footer when the document is saved (`_NumberedCanvas`).

Text goes through `fonts.markup()` / `fonts.draw_string()`, so rare characters in names (𠮷, 䶮)
are drawn with the fallback fonts and every font is embedded (as a subset).
"""

from __future__ import annotations


import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Sequence

import reportlab
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape as _landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from renewal_desk import __version__
from renewal_desk.core.printing.fonts import (
    PRIMARY,
    draw_string,
    fit_text,
    markup,
    plain_width,
    register_fonts,
    string_width,
)
from renewal_desk.core.printing.codes import PageCode
from renewal_desk.core.problems import InputError, declare

APP_TITLE = "街区更新议事台"
CREATOR = f"Renewal Desk {__version__}"
# The PDF's Producer names the program and the library that wrote it (the default says ReportLab only).
PRODUCER = f"Renewal Desk {__version__} (ReportLab {reportlab.Version})"
MARGIN = 18 * mm
# the bottom margin is wider: the footer holds the page code (PAGE_CODE_SIZE), which must stay readable
# on a phone photo of the page
BOTTOM_MARGIN = 22 * mm
MASKED_MARK = "已脱敏"
UNMASKED_MARK = "内部资料　含完整个人信息　不得张贴"

INK = colors.HexColor("#1A1A1A")
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#808080")
HEADER_FILL = colors.HexColor("#E6E6E6")
ZEBRA_FILL = colors.HexColor("#F4F4F4")
ALERT = colors.HexColor("#C00000")

DOC_NO_PREFIX = declare(
    "printing.doc_no_prefix",
    "文书编号前缀须为 1–8 位大写字母或数字，且以字母开头：{prefix}",
    "A document number prefix is 1-8 capital letters or digits, starting with a letter: {prefix}",
)
DOC_NO_SEQ = declare(
    "printing.doc_no_seq",
    "文书编号序号须为非负整数或字母数字：{seq}",
    "A document number sequence is a non-negative integer or letters and digits: {seq}",
)


@dataclass
class DocumentInfo:
    """What the page template prints around the content."""

    title: str
    doc_no: str
    operator: str
    subtitle: str = ""
    landscape: bool = False
    printed_at: datetime | None = None  # None: now
    masked: bool = True  # False: the document holds full personal data (internal only)
    subject: str = ""  # PDF metadata only
    keywords: list[str] = field(default_factory=list)  # PDF metadata only
    # the page code (QR) of every page: the document kind's name as in services.printouts.DOCUMENTS and the
    # record printed for (None: a list of many). No kind: no code (set by print_document, see page_codes())
    kind: str = ""
    record_uuid: str | None = None
    show_title: bool = True  # False: page 1 does not start with the title (cards that carry their own)


def page_size(landscape: bool = False) -> tuple[float, float]:
    return _landscape(A4) if landscape else A4


def content_width(landscape: bool = False) -> float:
    """Width in points of the text area (the frame) of a page."""
    return page_size(landscape)[0] - 2 * MARGIN


def make_doc_no(prefix: str, when: datetime, seq: int | str) -> str:
    """A document number: PREFIX-YYYYMMDD-NNNN, e.g. "HMC-20261122-0007".

    The prefix names the kind of document (pinyin initials: HMC 花名册), the date is the day of
    issue, and the sequence counts that kind's documents of the day (zero-padded to 4 digits).
    """
    clean = (prefix or "").strip().upper()
    if not re.fullmatch(r"[A-Z][A-Z0-9]{0,7}", clean):
        raise InputError.of(DOC_NO_PREFIX, field="doc_no", value=prefix, prefix=prefix)
    if isinstance(seq, bool):
        raise InputError.of(DOC_NO_SEQ, field="doc_no", value=seq, seq=seq)
    if isinstance(seq, int):
        if seq < 0:
            raise InputError.of(DOC_NO_SEQ, field="doc_no", value=seq, seq=seq)
        number = f"{seq:04d}"
    else:
        number = str(seq).strip()
        if not re.fullmatch(r"[0-9A-Za-z]+", number):
            raise InputError.of(DOC_NO_SEQ, field="doc_no", value=seq, seq=seq)
        number = number.zfill(4) if number.isdigit() else number.upper()
    return f"{clean}-{when:%Y%m%d}-{number}"


# ---------------------------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    cell_header: ParagraphStyle


def _style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
    base = dict(fontName=PRIMARY, fontSize=size, leading=leading, wordWrap="CJK", textColor=INK)
    base.update(kw)
    return ParagraphStyle(name, **base)


def styles(cell_size: float = 9) -> Styles:
    """Paragraph styles in RDSans; `cell_size` sets the size of table text."""
    register_fonts()
    cell_leading = round(cell_size * 1.35, 1)
    return Styles(
        title=_style("rd-title", 18, 26, alignment=TA_CENTER, spaceAfter=4),
        subtitle=_style("rd-subtitle", 10.5, 15, alignment=TA_CENTER, textColor=GREY, spaceAfter=4),
        heading=_style("rd-heading", 12, 18, spaceBefore=8, spaceAfter=4),
        body=_style("rd-body", 10.5, 16),
        small=_style("rd-small", 9, 13, textColor=GREY),
        cell=_style("rd-cell", cell_size, cell_leading),
        cell_center=_style("rd-cell-c", cell_size, cell_leading, alignment=TA_CENTER),
        cell_right=_style("rd-cell-r", cell_size, cell_leading, alignment=TA_RIGHT),
        cell_header=_style("rd-cell-h", cell_size, cell_leading, alignment=TA_CENTER),
    )


def para(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (escaped, rare characters in fallback fonts)."""
    return Paragraph(markup(text or ""), style)


def info_line(left: str, right: str = "", style: ParagraphStyle | None = None) -> Table:
    """A borderless line under the title: `left` flush left, `right` flush right (each wraps)."""
    st = style or styles().body
    right_style = ParagraphStyle(st.name + "-r", parent=st, alignment=TA_RIGHT)
    t = Table([[para(left, st), para(right, right_style)]], colWidths=["55%", "45%"])
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), PRIMARY, st.fontSize, st.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]))
    return t


# ---------------------------------------------------------------------------------------------
# Tables

_ALIGN = {"left": ("LEFT", TA_LEFT), "center": ("CENTER", TA_CENTER), "right": ("RIGHT", TA_RIGHT)}
_PAD_X = 3.0
_PAD_Y = 2.5


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], col_widths: Sequence[float], *,
          repeat_header: bool = True, zebra: bool = True, align: Sequence[str] | None = None,
          font_size: float = 9, row_padding: tuple[float, float] | None = None) -> Table:
    """A ruled table: grey header row (repeated on every page), optional zebra rows.

    `col_widths` are in points (see `content_width()`); `align` is per column: left, center or
    right. Values are shown with str() (None as empty). A cell is a plain string when it fits on
    one line in the primary font, which keeps long tables fast; otherwise it becomes a Paragraph
    through `markup()`, so long text wraps and rare characters use the fallback fonts. Rows taller
    than a page are split across pages. `row_padding` (top, bottom) replaces the padding of the rows
    below the header (e.g. room to sign in).
    """
    if len(header) != len(col_widths):
        raise ValueError("header and col_widths differ in length")
    aligns = list(align) if align else ["left"] * len(header)
    if len(aligns) != len(header):
        raise ValueError("header and align differ in length")
    st = styles(font_size)
    para_style = {
        "left": st.cell, "center": st.cell_center, "right": st.cell_right,
    }
    inner = [w - 2 * _PAD_X for w in col_widths]
    leading = st.cell.leading

    def cell(value: Any, col: int) -> Any:
        text = "" if value is None else str(value)
        if not text:
            return ""
        if "\n" not in text:
            width = plain_width(text, font_size)  # None: a character the primary font lacks
            if width is not None:
                if width <= inner[col]:
                    return text
                if " " in text and (lines := _lines_at_spaces(text, font_size, inner[col])):
                    return "\n".join(lines)  # the table draws a string's lines itself: no Paragraph to lay out
        return Paragraph(markup(text), para_style[aligns[col]])

    data: list[list[Any]] = [[Paragraph(markup(h), st.cell_header) for h in header]]
    for row in rows:
        if len(row) != len(header):
            raise ValueError("a row and the header differ in length")
        data.append([cell(v, c) for c, v in enumerate(row)])

    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), PRIMARY, font_size, leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1 if row_padding is None else 0), _PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1 if row_padding is None else 0), _PAD_Y + 0.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, INK),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
    ]
    if row_padding is not None and len(data) > 1:
        commands += [("TOPPADDING", (0, 1), (-1, -1), row_padding[0]),
                     ("BOTTOMPADDING", (0, 1), (-1, -1), row_padding[1])]
    for c, a in enumerate(aligns):
        commands.append(("ALIGN", (c, 0), (c, -1), _ALIGN[a][0]))
    commands.append(("ALIGN", (0, 0), (-1, 0), "CENTER"))
    if zebra and len(data) > 2:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_FILL]))
    return Table(data, colWidths=list(col_widths), repeatRows=1 if repeat_header else 0,
                 style=TableStyle(commands), splitInRow=1, hAlign="CENTER")


def _lines_at_spaces(text: str, size: float, width: float) -> list[str] | None:
    """`text` (all in the primary font) broken at its spaces into lines of at most `width` points, or None
    when a word alone is wider (a Paragraph breaks that one). An address such as 1号楼 1单元 101 in a
    narrow column: the table draws the lines of a string as cheaply as one line, where a Paragraph per
    cell was most of a long sheet's layout."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if plain_width(candidate, size) <= width:
            line = candidate
        elif plain_width(word, size) <= width:
            lines.append(line)
            line = word
        else:
            return None
    lines.append(line)
    return lines


def figures_grid(size: float, leading: float) -> list[tuple[Any, ...]]:
    """Table style of a vote's figures: a header row and a label column shaded, a ruled grid."""
    return [
        ("FONT", (0, 0), (-1, -1), PRIMARY, size, leading),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("BACKGROUND", (0, 1), (0, -1), HEADER_FILL),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, INK),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
    ]


def wrap_lines(text: str, width: float, size: float) -> list[str]:
    """`text` broken into lines of at most `width` points, character by character (as CJK text
    wraps); an estimate of what a Paragraph does, for deciding what fits in a cell."""
    lines: list[str] = []
    for part in (text or "").split("\n"):
        line, used = "", 0.0
        for ch in part:
            w = string_width(ch, size)
            if line and used + w > width:
                lines.append(line)
                line, used = "", 0.0
            line += ch
            used += w
        lines.append(line)
    return lines


def clip_text(text: str, width: float, size: float, max_lines: int, suffix: str) -> str | None:
    """None if `text` takes at most `max_lines` lines of `width` points; else the longest start of
    it that, followed by `suffix`, does (with a little room for the Paragraph's punctuation rules)."""
    width *= 0.94
    if len(wrap_lines(text, width, size)) <= max_lines:
        return None
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(wrap_lines(text[:mid].rstrip() + suffix, width, size)) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + suffix


def cell_text_width(col_width: float) -> float:
    """The width text has inside a table cell of `col_width` points."""
    return col_width - 2 * _PAD_X


def column_widths(weights: Sequence[float], total: float) -> list[float]:
    """Split `total` points in proportion to `weights`."""
    s = float(sum(weights))
    return [total * w / s for w in weights]


# ---------------------------------------------------------------------------------------------
# Signature lines


class SignatureBlock(Flowable):
    """Signature lines: "label：________", several to a row (as many as leave every line at least
    `min_line` points long, unless `per_row` is given). A label starting with 日期 gets
    "年 月 日" marks on its line."""

    def __init__(self, labels: Sequence[str], per_row: int | None = None, size: float = 10.5,
                 row_height: float = 32, min_line: float = 100):
        super().__init__()
        self.labels = [lab if lab.endswith(("：", ":")) else lab + "：" for lab in labels]
        self.fixed_per_row = per_row
        self.per_row = 1
        self.size = size
        self.row_height = row_height
        self.min_line = min_line
        self.spaceBefore = 14
        self._width = 0.0

    def _rows(self) -> int:
        return -(-len(self.labels) // self.per_row)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        if self.fixed_per_row:
            self.per_row = max(1, self.fixed_per_row)
        else:
            widest = max((string_width(lab, self.size) for lab in self.labels), default=0)
            n = max(1, min(len(self.labels), 3))
            while n > 1 and availWidth / n < widest + self.min_line + 16:
                n -= 1
            self.per_row = n
        return availWidth, self._rows() * self.row_height

    def draw(self) -> None:
        canv = self.canv
        cell_w = self._width / self.per_row
        rows = self._rows()
        canv.setFillColor(INK)
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.6)
        for i, label in enumerate(self.labels):
            r, c = divmod(i, self.per_row)
            x0 = c * cell_w
            y = (rows - r - 1) * self.row_height + 8
            w = draw_string(canv, x0, y, label, self.size)
            line_x0, line_x1 = x0 + w + 2, x0 + cell_w - 14
            canv.line(line_x0, y - 2.5, line_x1, y - 2.5)
            if label.startswith("日期"):
                span = line_x1 - line_x0
                for frac, mark in ((0.42, "年"), (0.68, "月"), (0.94, "日")):
                    draw_string(canv, line_x0 + span * frac, y, mark, self.size, align="right")


def keep_heading(heading: Flowable, following: Flowable, width: float, rows: int = 2) -> list[Flowable]:
    """[CondPageBreak, heading, following]: the heading moves to the next page unless it fits at the
    bottom of this one together with the start of what follows (a table's header row and its first
    `rows` rows, or up to 120 points of anything else), so a heading never ends a page alone. A long
    table still starts on this page and continues on the next."""
    need = heading.wrap(width, 10_000)[1] + heading.getSpaceBefore() + heading.getSpaceAfter()
    if isinstance(following, Table):
        following.wrap(width, 10_000)
        need += sum(following._rowHeights[:rows + 1])  # noqa: SLF001 - known after wrap
    else:
        need += min(following.wrap(width, 10_000)[1] + following.getSpaceBefore(), 120)
    return [CondPageBreak(need + 2), heading, following]


def signature_block(labels: Sequence[str], per_row: int | None = None, **options: float) -> Flowable:
    """Signature lines, e.g. ["主持人（签字）", "日期"] → "主持人（签字）：____  日期：__年__月__日"
    (options: SignatureBlock's size, row_height, min_line)."""
    register_fonts()
    return SignatureBlock(labels, per_row, **options)


# ---------------------------------------------------------------------------------------------
# The document


def _format_time(when: datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M}"


# the footer's QR, its quiet zone included: a code of ~80 characters is a 33-module symbol, and a phone photo
# of a page (150 dpi downscaled to ~90) reads it only with modules of about 0.5 mm (15 mm did not read at all)
PAGE_CODE_SIZE = 20 * mm
QUIET = 4  # modules of white around a QR code (the standard's quiet zone)


def qr_modules(text: str, level: str = "M", mask: int | None = None) -> tuple[list[list[bool]], int]:
    """The modules of a QR code of `text` and the mask pattern they were drawn with.

    Without `mask` the encoder tries all eight and keeps the one the standard's penalty rules score best
    (nine encodings: most of a page code's cost); with one it encodes once. Every mask reads the same."""
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(text.upper() if text.startswith("RD1:") else text)
    qr.version = qr.calculate_version()
    if mask is None:
        mask = qr.getBestMaskPattern()
    qr.makeImpl(False, mask)
    return qr.modules, mask


def draw_qr(canv: Canvas, text: str, x: float, y: float, size: float, level: str = "M") -> None:
    """A QR code of `text`, `size` points square with its quiet zone, lower left corner at (x, y).

    Our codes (core.printing.codes) are encoded in capitals: QR's alphanumeric mode holds them in a
    smaller symbol (larger modules at the same size), and codes.parse() reads either case.
    On a document's canvas (`qr_masks`, see _canvas_class) the best mask found for the first code of a
    length serves the later codes of that length: a document's page codes, or its ballots' codes, differ
    only in a page number or a person, and the search is nine of a code's ten encodings."""
    masks = getattr(canv, "qr_masks", None)
    key = (len(text), level)
    modules, mask = qr_modules(text, level, None if masks is None else masks.get(key))
    if masks is not None:
        masks[key] = mask
    count = len(modules)
    box = size / (count + 2 * QUIET)
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.rect(x, y, size, size, stroke=0, fill=1)
    canv.setFillColor(colors.black)
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                # a hair taller than a module: no white seams between rows in a viewer
                canv.rect(x + (start + QUIET) * box, y + size - (r + QUIET + 1) * box, (c - start) * box,
                          box * 1.04, stroke=0, fill=1)
            else:
                c += 1
    canv.restoreState()


def _decorate(canv: Canvas, info: DocumentInfo, printed_at: datetime, page: int, total: int) -> None:
    """Header and footer of one page."""
    width, height = canv._pagesize  # noqa: SLF001 - the page size of this page
    left, right = MARGIN, width - MARGIN
    canv.saveState()
    canv.setFillColor(GREY)
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)

    # header
    y = height - 12 * mm
    size = 8
    doc_no = f"文书编号：{info.doc_no}"
    x = right - draw_string(canv, right, y, doc_no, size, align="right") - 10
    mark = MASKED_MARK if info.masked else UNMASKED_MARK
    mark_size = 8 if info.masked else 9
    mark_w = string_width(mark, mark_size)
    if info.masked:
        draw_string(canv, x, y, mark, mark_size, align="right")
    else:
        canv.saveState()
        canv.setFillColor(ALERT)
        canv.setStrokeColor(ALERT)
        canv.setLineWidth(0.8)
        canv.rect(x - mark_w - 3, y - 2.6, mark_w + 6, mark_size + 3.8, stroke=1, fill=0)
        draw_string(canv, x, y, mark, mark_size, align="right", bold=True)
        canv.restoreState()
    room = (x - mark_w - 16) - left
    head_left = fit_text(f"{APP_TITLE}　{info.title}", size, room)
    draw_string(canv, left, y, head_left, size)
    canv.line(left, height - 14 * mm, right, height - 14 * mm)

    # footer
    # en spaces (U+2002): ordinary spaces are so narrow that text extraction drops them
    numbering = f"第\u2002{page}\u2002页\u2002共\u2002{total}\u2002页"
    centre_w = string_width(numbering, 9)
    if info.kind:
        # the page code right of the page numbers, between the page's edge and the text area (BOTTOM_MARGIN);
        # the footer rule stops at its quiet zone
        qr_x = width / 2 + centre_w / 2 + 1 * mm
        draw_qr(canv, PageCode(info.doc_no, info.kind, info.record_uuid, page, total).text(), qr_x,
                BOTTOM_MARGIN - PAGE_CODE_SIZE, PAGE_CODE_SIZE)
        canv.line(left, 14 * mm, qr_x, 14 * mm)
        canv.line(qr_x + PAGE_CODE_SIZE, 14 * mm, right, 14 * mm)
    else:
        canv.line(left, 14 * mm, right, 14 * mm)
    y = 10 * mm
    canv.setFillColor(INK)
    draw_string(canv, width / 2, y, numbering, 9, align="center")
    canv.setFillColor(GREY)
    right_text = f"{APP_TITLE} Renewal Desk {__version__}"
    draw_string(canv, right, y, right_text, 7.5, align="right")
    room = (width / 2 - centre_w / 2 - 12) - left
    left_text = f"打印日期：{_format_time(printed_at)}　操作人：{info.operator}"
    draw_string(canv, left, y, fit_text(left_text, 7.5, room), 7.5)
    canv.restoreState()


_page_hooks = threading.local()


@contextmanager
def page_codes(kind: str, record_uuid: str | None) -> Iterator[None]:
    """While rendering in this thread, documents that do not name their kind get page codes of `kind` and
    `record_uuid` (services.printouts.print_document says what it prints, the renderers need not)."""
    previous = getattr(_page_hooks, "code", None)
    _page_hooks.code = (kind, record_uuid)
    try:
        yield
    finally:
        _page_hooks.code = previous


@contextmanager
def page_progress(callback: Callable[[int], None] | None) -> Iterator[None]:
    """While rendering in this thread, call `callback(pages laid out so far)` after every page. The
    callback may raise to stop the rendering (a cancel): the caller discards the half-written file."""
    previous = getattr(_page_hooks, "callback", None)
    _page_hooks.callback = callback
    try:
        yield
    finally:
        _page_hooks.callback = previous


def _canvas_class(info: DocumentInfo, printed_at: datetime, result: dict[str, int]) -> type:
    class _NumberedCanvas(Canvas):
        """Keeps each finished page and draws headers and footers at save, when the page count
        is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.qr_masks: dict[tuple[int, str], int] = {}  # draw_qr's choices, by code length and level

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()
            callback = getattr(_page_hooks, "callback", None)
            if callback is not None:
                callback(len(self._pages))

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _decorate(self, info, printed_at, number, total)
                Canvas.showPage(self)
            result["pages"] = total
            Canvas.save(self)

    return _NumberedCanvas


def title_flowables(info: DocumentInfo) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [para(info.title, st.title)]
    if info.subtitle:
        out.append(para(info.subtitle, st.subtitle))
    out.append(Spacer(1, 4))
    return out


def _stack_height(flowables: Sequence[Flowable], width: float) -> float:
    """The height of flowables laid one under the other (with their spaceBefore/After)."""
    total = 0.0
    for i, f in enumerate(flowables):
        total += f.wrap(width, 10_000)[1] + (f.getSpaceBefore() if i else 0) + f.getSpaceAfter()
    return total


def frame_size(landscape: bool = False) -> tuple[float, float]:
    """Width and height in points of a page's text area."""
    width, height = page_size(landscape)
    return width - 2 * MARGIN, height - MARGIN - BOTTOM_MARGIN


def _draw_stack(canv: Canvas, flowables: Sequence[Flowable], x: float, top: float, width: float) -> None:
    y = top
    for i, f in enumerate(flowables):
        _w, h = f.wrap(width, 10_000)
        y -= h + (f.getSpaceBefore() if i else 0)
        f.drawOn(canv, x, y)
        y -= f.getSpaceAfter()


def build_pdf(out_path: str | Path | BinaryIO, info: DocumentInfo, story: list[Flowable],
              first_page_foot: Sequence[Flowable] = ()) -> int:
    """Lay `story` out on the shared page template (title first) and write the PDF to `out_path`
    (a path or a binary file object). Fonts are embedded as subsets. Returns the page count.

    `first_page_foot` is printed at the bottom of page 1 whatever the story's length (a tear-off
    receipt, 回执): page 1's text area ends above it, so it is never pushed to a page of its own."""
    register_fonts()
    printed_at = info.printed_at or datetime.now()
    code = getattr(_page_hooks, "code", None)
    if code is not None and not info.kind:
        info = replace(info, kind=code[0], record_uuid=code[1])
    size = page_size(info.landscape)
    target: Any = str(out_path) if isinstance(out_path, Path) else out_path
    keywords = list(info.keywords) + [info.doc_no]
    doc = BaseDocTemplate(
        target,
        pagesize=size,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=BOTTOM_MARGIN,
        title=info.title,
        author=info.operator,
        subject=info.subject or info.subtitle or info.title,
        creator=CREATOR,
        producer=PRODUCER,
        keywords=keywords,
        lang="zh-CN",
        displayDocTitle=True,
        initialFontName=PRIMARY,
        initialFontSize=10.5,
    )
    width, height = size[0] - 2 * MARGIN, size[1] - MARGIN - BOTTOM_MARGIN
    frame = Frame(MARGIN, BOTTOM_MARGIN, width, height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    page = PageTemplate(id="page", frames=[frame], pagesize=size)
    if first_page_foot:
        foot = list(first_page_foot)
        foot_h = _stack_height(foot, width) + 6
        first_frame = Frame(MARGIN, BOTTOM_MARGIN + foot_h, width, height - foot_h, id="first",
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        first = PageTemplate(id="first", frames=[first_frame], pagesize=size, autoNextPageTemplate="page",
                             onPage=lambda canv, _doc: _draw_stack(canv, foot, MARGIN, BOTTOM_MARGIN + foot_h - 6, width))
        doc.addPageTemplates([first, page])
    else:
        doc.addPageTemplates([page])
    result: dict[str, int] = {}
    doc.build((title_flowables(info) if info.show_title else []) + list(story), canvasmaker=_canvas_class(info, printed_at, result))
    return result.get("pages", 0)


def field_grid(rows: Sequence[Sequence[tuple[str, str]]], width: float, label_width: float = 62,
               padding: tuple[float, float] = (3, 3.5)) -> Table:
    """A ruled block of "label | value" fields, one or two pairs per line (one pair spans the
    line), as on the header of a form."""
    st = styles(9)
    label_style = st.cell_center
    value_w = (width - 2 * label_width) / 2
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), PRIMARY, 9, st.cell.leading),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), padding[0]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding[1]),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, INK),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
    ]
    for r, pairs in enumerate(rows):
        if len(pairs) == 1:
            (label, value), = pairs
            data.append([para(label, label_style), para(value, st.cell), "", ""])
            commands.append(("SPAN", (1, r), (3, r)))
        else:
            (l1, v1), (l2, v2) = pairs
            data.append([para(l1, label_style), para(v1, st.cell), para(l2, label_style), para(v2, st.cell)])
            commands.append(("BACKGROUND", (2, r), (2, r), HEADER_FILL))
        commands.append(("BACKGROUND", (0, r), (0, r), HEADER_FILL))
    return Table(data, colWidths=[label_width, value_w, label_width, value_w], style=TableStyle(commands),
                 hAlign="CENTER")


class PageProbe(Flowable):
    """Takes no room; remembers the page it was drawn on (to keep blocks together across pages)."""

    def __init__(self) -> None:
        super().__init__()
        self.page = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.page = self.canv.getPageNumber()
