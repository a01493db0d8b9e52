"""Where a line of text on a screen may break, and text set into lines that never break a word.

Chinese has no spaces between words, and breaking between any two characters splits words
("材料堆/放"). Lines here break only where a reader expects it: after a space, after closing or
pausing punctuation (，。、；：？！ and closing brackets/quotes), before an opening bracket or quote,
before 暨 and before a building or unit number ("幸福里|1号楼"), and at a newline; a figure keeps
its unit ("9 人", "1,200 ㎡"). A run with no such place stays on one line: the caller shrinks the
font, or, at its smallest font, the line is cut with "…" (visibly shortened, never silently split).

`measure` is any callable giving the width of a string (a Qt QFontMetrics.horizontalAdvance, or
len for tests); the module knows nothing of fonts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

ELLIPSIS = "…"
# a line may break after these (and the next line may not start with them)
CLOSING = "，。、；：？！）》〉」』】〕｝”’…‥％,.;:?!)]}%"
# units never begin a line ("1,200 ㎡" stays together)
UNITS = "㎡²"
# units after a figure and a space, kept with it
COUNTED = "人户项票条张个次"
# a line may break before these
OPENING = "（《〈「『【〔｛“‘([{"
# words that begin a new phrase inside an unpunctuated title: 暨 ("and also"), a building or unit
# number ("幸福里|1号楼加装电梯")
_PHRASE_START = re.compile(r"暨|\d+(?:号楼|栋|幢|单元|号院)")

Measure = Callable[[str], float]


def break_allowed(text: str, i: int) -> bool:
    """May a line start at text[i] (0 < i < len(text))? Newlines are forced breaks, handled apart."""
    if not 0 < i < len(text):
        return False
    before, here = text[i - 1], text[i]
    if here.isspace() or here in CLOSING or here in UNITS:
        return False
    if before.isspace():  # but a figure keeps its unit: "9 人", "1,200 ㎡"
        return not (i >= 2 and text[i - 2].isdigit() and here in COUNTED)
    if before in CLOSING:
        return before not in ".," or not (here.isascii() and here.isalnum())  # "1,200" / "3.5" stay whole
    if here in OPENING:
        return before not in OPENING
    return _is_han(before) and before not in "第约共近" and _PHRASE_START.match(text, i) is not None


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _segments(paragraph: str) -> list[str]:
    """The paragraph cut at every allowed break (each piece keeps its trailing spaces)."""
    cuts = [0] + [i for i in range(1, len(paragraph)) if break_allowed(paragraph, i)] + [len(paragraph)]
    return [paragraph[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _greedy(text: str, width: float, measure: Measure) -> list[str]:
    """Lines broken only where allowed; an unbreakable run wider than `width` makes a line too wide."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for seg in _segments(paragraph.strip()):
            if not line or measure((line + seg).rstrip()) <= width:
                line += seg
            else:
                lines.append(line.rstrip())
                line = seg
        lines.append(line.rstrip())
    return lines


def wrap(text: str, width: float, measure: Measure) -> list[str] | None:
    """`text` in lines of at most `width`, broken only where allowed; None when some unbreakable run
    is wider than `width` by itself (shrink the font, or use fit())."""
    lines = _greedy(text, width, measure)
    return None if any(measure(line) > width for line in lines) else lines


def elide(text: str, width: float, measure: Measure) -> str:
    """The longest start of `text` that fits in `width` followed by "…"."""
    if measure(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + ELLIPSIS) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Fit:
    lines: tuple[str, ...]
    elided: bool  # the last line ends with "…": the text did not fit whole


def fit(text: str, width: float, measure: Measure, max_lines: int) -> Fit:
    """`text` in at most `max_lines` lines of `width`: wrapped where allowed when it fits, else the
    lines that fit and, at the first line too wide or the last line allowed, the rest cut with "…"."""
    lines = _greedy(text, width, measure)
    out: list[str] = []
    pos = 0
    for n, line in enumerate(lines):
        pos = text.find(line, pos) if line else pos
        too_wide = measure(line) > width
        if too_wide or (len(out) + 1 == max_lines and n + 1 < len(lines)):
            rest = " ".join(text[pos:].split("\n"))
            out.append(elide(rest if measure(rest) > width else rest + ELLIPSIS, width, measure))
            return Fit(tuple(out), True)
        out.append(line)
        pos += len(line)
    return Fit(tuple(out), False)


def broken_words(source: str, lines: list[str] | tuple[str, ...]) -> list[str]:
    """Lines that do not start where a line may start in `source` (a word split across lines), or
    that are not `source` itself in order; [] when every break is allowed. A last line ending in "…"
    may stop anywhere."""
    problems: list[str] = []
    pos = 0
    for n, line in enumerate(lines):
        while pos < len(source) and source[pos].isspace():
            pos += 1
        last = n == len(lines) - 1
        body = line[:-1].rstrip() if last and line.endswith(ELLIPSIS) else line
        if not source.startswith(body, pos):
            problems.append(f"line {n + 1} {line!r} is not the text at {pos}")
            return problems
        if n and pos > 0 and source[pos - 1] != "\n" and not break_allowed(source, pos):
            around = f"{source[max(0, pos - 3):pos]}|{source[pos:pos + 3]}"
            problems.append(f"line {n + 1} {line!r} starts inside a word: …{around}…")
        pos += len(body)
    return problems
