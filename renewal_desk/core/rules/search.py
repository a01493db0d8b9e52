"""Search keys: a name is found by its characters, its full pinyin ("zhangjianguo") and its
initials ("zjg"); phone numbers by their digits. The keys go into one lowercase text column that
the database searches with LIKE.

Heteronyms: pypinyin reads phrases with its phrase dictionary; the first character of a name is
read as a surname where that reading differs, when the text looks like a name (at most five
Han characters) (单 shan, 曾 zeng, 解 xie, ...). Characters pypinyin
does not know (𠮷) are kept as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from renewal_desk.core.rules.text import HAN, digits_only, normalize_text

INDEXED_TERM = 3  # terms this long are found through the trigram index (household_fts)
SEPARATOR = "\x1f"  # between keys, so a LIKE pattern never matches across two keys

# Surname readings that differ from a character's most common reading.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
    "乐": "yue", "缪": "miao", "覃": "qin", "盖": "ge", "翟": "zhai", "折": "she", "种": "chong",
    "员": "yun", "秘": "bi", "召": "shao", "繁": "po", "句": "gou", "长": "chang", "沈": "shen",
    "尉": "wei", "宓": "mi", "贲": "ben", "能": "nai", "万": "wan", "祭": "zhai", "隗": "wei",
}
COMPOUND_SURNAMES = {"尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "长孙": ("zhang", "sun"), "单于": ("chan", "yu")}

_HAN = re.compile(HAN + "+")


def _syllables(text: str) -> list[tuple[str, bool]]:
    """(reading, is_pinyin) for each piece of text: pinyin syllables for Han characters pypinyin
    knows, the text itself (lowercase, no spaces) for anything else."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _HAN.finditer(text):
        other = text[pos : m.start()].replace(" ", "").lower()
        if other:
            out.append((other, False))
        out.extend(_han_run(m.group()))
        pos = m.end()
    rest = text[pos:].replace(" ", "").lower()
    if rest:
        out.append((rest, False))
    return out


@lru_cache(maxsize=50_000)
def _han_run(run: str) -> tuple[tuple[str, bool], ...]:
    """The readings of one run of Han characters. Runs repeat (names, 号楼, 单元, street names):
    a roster of 10,000 rows has a few thousand distinct ones, so pypinyin runs once per run."""
    from pypinyin import Style, lazy_pinyin  # ~0.5 s to load its dictionaries: only when a key is made

    out = []
    for item in lazy_pinyin(run, style=Style.NORMAL):
        is_pinyin = item.isascii() and item.isalpha()
        out.append((item if is_pinyin else item.lower(), is_pinyin))
    return tuple(out)


def pinyin_keys(name: Any, *, surname: bool = True) -> tuple[str, str]:
    """("zhangjianguo", "zjg") for 张建国; ("shantianfang", "stf") for 单田芳 (with surname=False:
    ("dantianfang", "dtf"))."""
    both = _pinyin_both(name)
    return both[:2] if surname else both[2:]


def _pinyin_both(name: Any) -> tuple[str, str, str, str]:
    """pinyin_keys(name) + pinyin_keys(name, surname=False), reading the text once: the two differ only
    in the first syllables of what looks like a name."""
    text = normalize_text(name)
    if not text:
        return "", "", "", ""
    pieces = _syllables(text)
    plain = _joined(pieces)
    looks_like_name = len(text) <= 5 and _HAN.fullmatch(text) is not None
    if not looks_like_name:
        return plain + plain
    head = text[:2] if text[:2] in COMPOUND_SURNAMES else ""
    if head:
        pieces[:2] = [(s, True) for s in COMPOUND_SURNAMES[head]]
    elif pieces[0][1] and text[0] in SURNAME_READINGS:
        pieces[0] = (SURNAME_READINGS[text[0]], True)
    else:
        return plain + plain
    return _joined(pieces) + plain


def _joined(pieces: list[tuple[str, bool]]) -> tuple[str, str]:
    full = "".join(p for p, _ in pieces)
    initials = "".join(p[0] if is_pinyin else p for p, is_pinyin in pieces)
    return full, initials


def normalize_query(q: Any) -> str:
    return normalize_text(q).lower()


@lru_cache(maxsize=100_000)
def _part_keys(part: str) -> tuple[str, ...]:
    """The keys of one part of search_text. Memoised: names, rooms and street names repeat (a roster of
    10,000 rows has a few thousand distinct names), and pinyin keys cost tens of microseconds each."""
    text = normalize_query(part)
    if not text:
        return ()
    keys = [text]
    if " " in text:  # "幸福路 12 号" is also found as "幸福路12号"
        keys.append(text.replace(" ", ""))
    if _HAN.search(text):
        keys.extend(k for k in _pinyin_both(text) if k)
    digits = digits_only(text)
    if len(digits) >= 3 and digits != text:
        keys.append(digits)
    return tuple(keys)


def search_text(*parts: Any) -> str:
    """One lowercase string holding every key of every part: the part itself; its full pinyin and
    initials when it has Han characters (with and without the surname reading); its digits when it
    holds a number written with separators. None and empty parts are skipped; keys are separated by SEPARATOR."""
    keys: list[str] = []
    for part in parts:
        if isinstance(part, str):
            keys.extend(_part_keys(part))
        elif part is not None:
            keys.extend(_part_keys(str(part)))
    seen: set[str] = set()
    unique = [k for k in keys if not (k in seen or seen.add(k))]
    return SEPARATOR.join(unique)
