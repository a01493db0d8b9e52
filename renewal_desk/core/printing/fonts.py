"""The fonts of every printout, and how text is split between them.

WenQuanYi Micro Hei ("RDSans") is the primary font. It has no CJK Extension A (䶮 U+4DAE) and
nothing outside the Basic Multilingual Plane (𠮷 U+20BB7), which rare surnames and given names
need, so each run of characters it lacks is drawn with a Hanazono fallback: "RDFallbackA" (a subset
of HanaMinA: Extension A, compatibility ideographs, radicals, strokes) or "RDFallbackB" (HanaMinB:
Extensions B and beyond). The choice is made per character from the fonts' cmap tables.

reportlab has no font fallback of its own, so there are two ways to use this module:
- Paragraphs: pass text through `markup()`, which escapes it and wraps fallback runs in
  `<font name="...">` tags;
- canvas drawing: `draw_string()` draws the runs one after another.

WenQuanYi has no bold face. `BOLD` names the same face (so styles can say "bold" and a real bold
face can be dropped in later); `draw_string(..., bold=True)` thickens strokes with text render
mode 2 (fill and stroke).

The Qt side registers the same files with QFontDatabase; `font_paths()` is the list of them. No
Qt here.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


from renewal_desk.core.font_files import (BOLD, FALLBACK_A, FALLBACK_B, FILES as _FILES,  # noqa: F401 - re-exported
                                          PRIMARY, font_paths)

# The order in which fonts are tried for one character.
_ORDER = (PRIMARY, FALLBACK_A, FALLBACK_B)

# Characters that take no room and that no font here draws; dropped from printed text so they do
# not show as empty boxes: zero-width space/joiners, word joiner, BOM, variation selectors.
_IGNORABLE = frozenset(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)

_lock = threading.Lock()
_registered = False


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with code points above U+FFFF written as UTF-16 surrogate
    pairs. reportlab writes them as "<%04X>" (5 hex digits for 𠮷 U+20BB7), which PDF readers
    misread (pdftotext extracts "₻"), so copied or searched names lose their rare characters."""
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname,
        "/Ordering (%s)" % fontname,
        "/Supplement 0",
        ">> def",
        "/CMapName /%s def" % fontname,
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
        "%d beginbfchar" % len(subset),
    ]
    for i, code in enumerate(subset):
        target = chr(code).encode("utf-16-be", "surrogatepass").hex().upper()
        cmap.append("<%02X> <%s>" % (i, target))
    cmap += [
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


def _patch_reportlab_to_unicode() -> None:
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if original is _to_unicode_cmap:
        return
    if "<D842DFB7>" not in original("X", [0x20BB7]):  # still broken in this reportlab: replace
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def register_fonts() -> None:
    """Register RDSans, RDSansBold, RDFallbackA and RDFallbackB with reportlab (idempotent), and
    Chinese line-breaking rules."""
    global _registered
    if _registered:  # chinese_line_breaking() ran with the registration: every later call is a no-op
        return
    chinese_line_breaking()
    with _lock:
        if _registered:
            return
        _patch_reportlab_to_unicode()
        paths = font_paths()
        for name, (_filename, index) in _FILES.items():
            kwargs: dict[str, Any] = {} if index is None else {"subfontIndex": index}
            pdfmetrics.registerFont(TTFont(name, str(paths[name]), **kwargs))
        # No bold face exists: BOLD is another name for the primary face (embedded once, since
        # reportlab embeds per font object and both names point at the same one).
        pdfmetrics._fonts[BOLD] = pdfmetrics.getFont(PRIMARY)  # noqa: SLF001 - alias, see above
        for name in _ORDER:
            bold = BOLD if name == PRIMARY else name
            pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=name, boldItalic=bold)
        pdfmetrics.registerFontFamily(BOLD, normal=BOLD, bold=BOLD, italic=BOLD, boldItalic=BOLD)
        _registered = True


@lru_cache(maxsize=None)
def _cmap(name: str) -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(name).face
    return frozenset(face.charToGlyph)


@lru_cache(maxsize=8192)
def font_for(char: str) -> str | None:
    """The font that draws `char`: the primary font if it can, else a fallback; None if none can
    (the character is then drawn with the primary font, as its 'missing glyph')."""
    code = ord(char)
    for name in _ORDER:
        if code in _cmap(name):
            return name
    return None


def has_glyph(char: str) -> bool:
    return font_for(char) is not None


def _clean(text: str) -> str:
    """Printable text: tabs become spaces; other control characters, ignorable characters and
    lone surrogates are dropped."""
    if text.isprintable() and not any(ord(c) in _IGNORABLE for c in text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t":
            out.append(" ")
        elif ch == "\n" or (code >= 0x20 and code != 0x7F and code not in _IGNORABLE
                            and not 0x80 <= code < 0xA0 and not 0xD800 <= code < 0xE000):
            out.append(ch)
    return "".join(out)


def runs(text: str, font: str = PRIMARY) -> list[tuple[str, str]]:
    """Split `text` into (font name, substring) runs; `font` is used where the primary font is.

    Characters no font has stay with the run around them. Control characters are dropped (a
    newline is kept as a character of the current run)."""
    text = _clean(text)
    result: list[tuple[str, str]] = []
    primary = _cmap(PRIMARY)
    current = font
    start = 0
    for i, ch in enumerate(text):
        code = ord(ch)
        if code in primary or ch == "\n":
            chosen = font
        else:
            chosen = font_for(ch) or current
        if chosen != current:
            if i > start:
                result.append((current, text[start:i]))
            current = chosen
            start = i
    if start < len(text):
        result.append((current, text[start:]))
    return result


def plain_width(text: str, size: float) -> float | None:
    """string_width(text, size) when every character of `text` is in the primary font (not
    needs_fallback(text)), else None. For table cells, most of which are one run of the primary
    font: set operations in C instead of the per-character loops of needs_fallback() and runs()."""
    codes = set(map(ord, text))
    if not codes <= _cmap(PRIMARY):
        return None
    if text.isprintable() and _IGNORABLE.isdisjoint(codes):  # nothing for _clean() to change: one run
        return pdfmetrics.stringWidth(text, PRIMARY, size)
    return string_width(text, size)


def needs_fallback(text: str) -> bool:
    """True if some character of `text` is not in the primary font."""
    primary = _cmap(PRIMARY)
    return any(ord(c) not in primary for c in text)


def markup(text: str | None, font: str | None = None) -> str:
    """`text` as reportlab Paragraph markup: XML-escaped, newlines as <br/>, and every run of
    characters the primary font lacks wrapped in <font name="RDFallbackA|B">."""
    if not text:
        return ""
    register_fonts()
    base = font or PRIMARY
    parts = []
    for name, chunk in runs(str(text), base):
        escaped = escape(chunk).replace("\n", "<br/>")
        if name == base:
            parts.append(escaped)
        else:
            parts.append(f'<font name="{name}">{escaped}</font>')
    return "".join(parts)


def string_width(text: str, size: float, font: str = PRIMARY) -> float:
    """Width in points of `text` drawn as `draw_string` draws it."""
    register_fonts()
    return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in runs(text, font))


def draw_string(canvas: Any, x: float, y: float, text: str, size: float, *, font: str = PRIMARY,
                bold: bool = False, align: str = "left") -> float:
    """Draw one line of `text` at baseline `y`, switching fonts for the characters the primary
    font lacks. `align` is left (x is the start), center or right (x is the end). Returns the
    width drawn. The canvas's fill colour is used; its font is left changed."""
    register_fonts()
    text = text.replace("\n", " ")
    pieces = runs(text, font)
    widths = [pdfmetrics.stringWidth(chunk, name, size) for name, chunk in pieces]
    total = sum(widths)
    if align in ("center", "centre"):
        x -= total / 2
    elif align == "right":
        x -= total
    t = canvas.beginText(x, y)
    if bold:
        canvas.saveState()
        t.setTextRenderMode(2)
        canvas.setLineWidth(size * 0.035)
        canvas.setStrokeColor(canvas._fillColorObj)  # noqa: SLF001 - stroke in the text colour
    for name, chunk in pieces:
        t.setFont(name, size)
        t.textOut(chunk)
    canvas.drawText(t)
    if bold:
        canvas.restoreState()
    return total


def fit_text(text: str, size: float, width: float, font: str = PRIMARY) -> str:
    """`text` shortened with "…" so that it fits in `width` points."""
    if string_width(text, size, font) <= width:
        return text
    ellipsis = "…"
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits together with the ellipsis
        mid = (lo + hi + 1) // 2
        if string_width(text[:mid] + ellipsis, size, font) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + ellipsis


# Chinese punctuation that must not begin a line (reportlab only knows the Japanese list).
CANNOT_START_LINE = "，。、；：？！）》〉」』】〕｝”’…‥％·"


def chinese_line_breaking() -> None:
    """Teach reportlab's CJK wrapping the Chinese no-line-start punctuation (idempotent; affects
    every Paragraph in the process, which only gains by it)."""
    from reportlab.lib import textsplit  # one-font paragraphs (wordSplit)
    from reportlab.platypus import paragraph  # several fonts, e.g. with rare characters (cjkFragSplit)

    for module in (textsplit, paragraph):
        missing = "".join(c for c in CANNOT_START_LINE if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing
