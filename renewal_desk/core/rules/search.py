"""Search keys: a name is found by its characters, its full pinyin ("zhangjianguo") and its
initials ("zjg"); phone numbers by their digits. The keys go into one lowercase text column that
the database searches with LIKE.

Variants: a name written with a variant character (王𠮷, 髙桥) is also found as written with the
common one (王吉, "wangji", "wj"): VARIANTS maps the variant to it for the keys; READINGS gives the
pinyin of rare characters pypinyin does not know.

Addresses: a household is also found as "building-unit-room" ("3-2-602" for 3号楼 2单元 602,
place_key()); such a query matches that key whole, never 13-2-602.

Heteronyms: pypinyin reads phrases with its phrase dictionary; the first character of a name is
read as a surname where that reading differs, when the text looks like a name (at most five
Han characters) (单 shan, 曾 zeng, 解 xie, ...). Characters neither pypinyin nor READINGS knows are
kept as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterable, Mapping
from typing import Any

from renewal_desk.core.rules.sorting import address_key
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

# Variant characters met in names and place names -> the common character they are searched as.
VARIANTS = {"𠮷": "吉", "髙": "高", "﨑": "崎", "㟢": "崎", "栁": "柳", "淸": "清", "𡈽": "土", "邨": "村", "姸": "妍"}
_VARIANT_TABLE = str.maketrans(VARIANTS)
# Readings of rare characters pypinyin does not know (it knows 䶮 yan, 𬌗 he, 𫖮 yi ...).
READINGS = {"𠮷": "ji"}

_HAN = re.compile(HAN + "+")
_PLACE_SUFFIX = re.compile(r"(号楼|号院|栋|幢|号|楼|座|单元|门|室)$")
_PLACE_QUERY = re.compile(r"[^\s\-]+-[^\s\-]+-[^\s\-]+")


def common_form(text: str) -> str:
    """The text with variant characters replaced by the common ones (王𠮷 -> 王吉)."""
    return text.translate(_VARIANT_TABLE)


_WRITTEN_AS: dict[str, list[str]] = {}
for _variant, _common in VARIANTS.items():
    _WRITTEN_AS.setdefault(_common, []).append(_variant)


def variant_forms(text: str, limit: int = 8) -> list[str]:
    """The text and the ways it may be written with variant characters ("王吉" -> ["王吉", "王𠮷"]), for
    searching raw names that have no search keys; at most `limit` forms."""
    forms = [text]
    for i, ch in enumerate(text):
        for variant in _WRITTEN_AS.get(ch, ()):
            forms.extend(f[:i] + variant + f[i + 1:] for f in list(forms) if len(forms) < limit)
    return forms[:limit]


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
    for item in lazy_pinyin(common_form(run), style=Style.NORMAL):
        is_pinyin = item.isascii() and item.isalpha()
        if not is_pinyin and item in READINGS:
            item, is_pinyin = READINGS[item], True
        elif not is_pinyin and len(item) > 1 and all(ch in READINGS for ch in item):  # pypinyin kept a run
            out.extend((READINGS[ch], True) for ch in item)
            continue
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
    text = common_form(normalize_text(name))
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
def _part_keys(part: str, pinyin: bool = True) -> tuple[str, ...]:
    """The keys of one part of search_text (without its pinyin keys: pinyin=False). Memoised: names, rooms
    and street names repeat (a roster of 10,000 rows has a few thousand distinct names), and pinyin keys
    cost tens of microseconds each."""
    text = normalize_query(part)
    if not text:
        return ()
    keys = [text]
    common = common_form(text)
    if common != text:  # 王𠮷 is also found as 王吉
        keys.append(common)
    if " " in text:  # "幸福路 12 号" is also found as "幸福路12号"
        keys.append(text.replace(" ", ""))
    if pinyin and _HAN.search(text):
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
    return SEPARATOR.join(_unique(keys))


def place_key(building: str, unit: str, room: str) -> str:
    """"3-2-602" for 3号楼 2单元 602 (building-unit-room, as people write it on forms and in chats);
    "" when a part is missing."""
    parts = [_place_part(p) for p in (building, unit, room)]
    return "-".join(parts) if all(parts) else ""


@lru_cache(maxsize=8_192)
def _place_part(part: Any) -> str:
    # Memoised: building, unit and room names repeat across households (a search explains up to 200 rows per
    # keystroke, and normalising each part was a third of that work).
    return _PLACE_SUFFIX.sub("", normalize_query(part).replace(" ", ""))


def is_place_query(term: str) -> bool:
    """Whether a search term is written building-unit-room ("3-2-602"): it then matches a place key whole."""
    return _PLACE_QUERY.fullmatch(term) is not None


def has_place_key(text: str, term: str) -> bool:
    """Whether search_text `text` holds `term` as one whole key."""
    return (SEPARATOR + term + SEPARATOR) in (SEPARATOR + text + SEPARATOR)


# ------------------------------------------------------------------------------- why a row matched
_LETTER = re.compile("[a-z]")


def _plain_text(*parts: Any) -> str:
    """search_text(*parts) without the pinyin keys."""
    return SEPARATOR.join(k for part in parts if part is not None for k in _part_keys(str(part), False))


def _all_terms(terms: list[str], *parts: Any, known: Mapping[str, str] | None = None) -> bool:
    # Pinyin keys hold Latin letters for the Han characters they read and every other character as it is, so
    # a term without Latin letters (Chinese, digits) is in them only where it is in the part itself: such
    # terms are looked for without making pinyin (pypinyin, ~55 MB, is not loaded to explain a match). A Latin
    # term is looked for in the part's stored keys (`known`, read back by name_keys) where they are given.
    if not any(_LETTER.search(t) for t in terms):
        text = _plain_text(*parts)
    elif known is not None and len(parts) == 1 and parts[0] in known:
        text = known[parts[0]]
    else:
        text = search_text(*parts)
    return all(t in text for t in terms)


def _tail(phone: str, digits: str) -> str:
    """The part of a phone to show beside a match: its last four digits when the typed digits end it
    ("…3698"), else just the digits typed ("…3698…"): never more of the number than helps."""
    own = digits_only(phone)
    return f"…{own[-4:]}" if own.endswith(digits) else f"…{digits}…"


def _phone_has(phone: str | None, digits: str) -> bool:
    return bool(phone) and len(digits) >= 3 and digits in digits_only(phone)


def match_reason(query: str, *, name: str, phone: str | None = None, address: str = "",
                 address_parts: Iterable[str] = (), members: Iterable[tuple[str, str | None]] = (),
                 organisation: str = "", name_reason: tuple[str, str] = ("姓名", "name"),
                 keys: Mapping[str, str] | None = None, address_keys: str | None = None) -> tuple[str, str]:
    """Why a record matched a search, in Chinese and English, to show beside it: its own name
    (`name_reason`, e.g. 户主), its phone ("电话 …3698"), its address ("房号 3号楼 2单元 602"; `address_parts`
    are further texts of the address, e.g. the street), a household member ("家庭成员 陶立新") or a
    member's phone, its organisation; "住户信息" when none of these alone holds every word.

    `keys` ({name: its search keys}) and `address_keys` (the address's), read back from the stored search
    keys by name_keys, answer Latin terms ("zjg") without making pinyin; what they lack is made here."""
    terms = normalize_query(query).split()
    if not terms:
        return "", ""
    whole = "".join(terms)
    digits = digits_only(whole) if not _HAN.search(whole) else ""
    if _all_terms(terms, name, known=keys):
        return name_reason
    if _phone_has(phone, digits):
        return f"电话 {_tail(phone, digits)}", f"phone {_tail(phone, digits)}"
    parts = [p for p in (address, *address_parts) if p]

    def address_text(latin: bool) -> str:  # the address's keys: with their pinyin for a Latin term
        if not latin:
            return _plain_text(*parts, address.replace(" ", ""))
        return address_keys if address_keys is not None else search_text(*parts, address.replace(" ", ""))

    in_address = False
    if parts:
        text = address_text(any(_LETTER.search(t) for t in terms))
        in_address = all(t in text for t in terms) or any(
            is_place_query(t) and has_place_key(address_text(bool(_LETTER.search(t))), t) for t in terms)
    if in_address:
        return f"房号 {address}", f"address {address}"
    members = [(n, p) for n, p in members if n != name]
    member = next((n for n, _p in members if _all_terms(terms, n, known=keys)), None)
    if member:
        return f"家庭成员 {member}", f"household member {member}"
    member_phone = next((p for _n, p in members if _phone_has(p, digits)), None)
    if member_phone:
        tail = _tail(member_phone, digits)
        return f"家庭成员电话 {tail}", f"household member's phone {tail}"
    if organisation and _all_terms(terms, organisation, known=keys):
        return f"单位 {organisation}", f"organisation {organisation}"
    return "住户信息", "household details"


def derived_for(building: str, unit: str, room: str, people: list[tuple[str, str | None]],
                street: str = "") -> tuple[str, str]:
    """(sort_key, search_text) for a household from its address (building/unit/room and the building's
    street address) and its people's names and phones.

    Each name's keys are written whole, beginning with the name itself (张伟's initials "zw" stay beside 张伟
    even when 张文 came first), so name_keys() can read back which name a Latin term matched without making
    pinyin again; the address, street and phone keys follow, each once."""
    address = f"{building}{unit}{room}"
    keys: list[str] = []
    for name, _phone in people:
        keys.extend(_unique(_part_keys(name if isinstance(name, str) else str(name))))
    seen = set(keys)
    digits = [p.replace("-", "") for _, p in people if p]
    rest = search_text(address, room, place_key(building, unit, room), street, *digits)
    keys.extend(k for k in rest.split(SEPARATOR) if k and k not in seen)
    return address_key(building, unit, room), SEPARATOR.join(keys)


class KeyMaker:
    """derived_for and search_text for many rows at once (a roster import, the demo generator), with the same
    results: each distinct part's keys are made once (names, streets and phones repeat), and the keys of an
    address ending in a room number once per building and unit, the room's digits put into them (1号楼1单元101
    and 1号楼1单元102 differ only there: in the text, its pinyin, its initials and its digits).
    tests/core/test_search_keys.py compares it with derived_for and search_text."""

    def __init__(self) -> None:
        self._parts: dict[str, list[str]] = {}
        self._templates: dict[tuple[str, int], list[str]] = {}

    def part(self, part: str) -> list[str]:
        """The keys of one part, each once (what search_text(part) splits into)."""
        got = self._parts.get(part)
        if got is None:
            got = self._parts[part] = [part] if part.isascii() and part.isdigit() else _unique(_part_keys(part))
        return got

    def _address(self, prefix: str, room: str) -> list[str]:
        if not (room.isascii() and room.isdigit()) or not prefix:
            return self.part(prefix + room)
        marker = "9" * len(room)
        template = self._templates.get((prefix, len(room)))
        if template is None:
            template = self._templates[prefix, len(room)] = self.part(prefix + marker)
        return [k[:-len(marker)] + room if k.endswith(marker) else k for k in template]

    def text(self, *parts: Any) -> str:
        """search_text(*parts)."""
        keys: list[str] = []
        for part in parts:
            if part is not None and part != "":
                keys.extend(self.part(part if isinstance(part, str) else str(part)))
        return SEPARATOR.join(_unique(keys))

    def household(self, building: str, unit: str, room: str, people: list[tuple[str, str | None]],
                  street: str = "") -> tuple[str, str]:
        """derived_for(building, unit, room, people, street)."""
        keys: list[str] = []
        for name, _phone in people:
            keys.extend(self.part(name if isinstance(name, str) else str(name)))
        seen = set(keys)
        rest: list[str] = list(self._address(f"{building}{unit}", room))
        rest.extend(self.part(room) if room else ())
        if room.isascii() and room.isdigit():  # the place key "3-2-602" ends in the room as typed, as the address
            whole = place_key(building, unit, "1")
            rest.extend(self._address(whole[:-1], room) if whole else ())
        else:
            rest.extend(self.part(place) if (place := place_key(building, unit, room)) else ())
        for part in (street, *(p.replace("-", "") for _n, p in people if p)):
            if part:
                rest.extend(self.part(part))
        keys.extend(k for k in rest if k and not (k in seen or seen.add(k)))
        return address_key(building, unit, room), SEPARATOR.join(keys)


def _unique(keys: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [k for k in keys if not (k in seen or seen.add(k))]


def name_keys(text: str, names: Iterable[str], address: str) -> tuple[dict[str, str], str | None]:
    """Read a household's stored search_text (made by derived_for) back into the keys of each of its people's
    `names` ({name: its keys}) and the keys of the rest (address, street, phones): what match_reason needs to
    say why a Latin term ("zjg") matched, without pypinyin (~0.5 s and ~55 MB) in the window's process.
    `address` is building + unit + room, as derived_for joins them: its key is the first after the names.

    A name's keys begin at the name itself and run to the next name's or the address (a name in Latin letters
    that is also another's pinyin, "Li" beside 李, takes the keys after it: the reason may name the wrong one of
    the two, the search itself is unaffected); a name not found
    (keys made before a rename, not yet made again) is left out, and match_reason makes its keys; so is the
    rest (None) when the address is not found."""
    starts: dict[str, str] = {}
    for name in names:
        own = _part_keys(name, False)
        if own:
            starts.setdefault(own[0], name)
    stop = next(iter(_part_keys(address, False)), None)
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    keys = text.split(SEPARATOR) if text else []
    for n, key in enumerate(keys):
        if key == stop:
            return {name: SEPARATOR.join(own) for name, own in found.items()}, SEPARATOR.join(keys[n:])
        name = starts.get(key)
        if name is not None:  # a name's keys begin (a name met again: the same keys again, set aside)
            current = [] if name in found else found.setdefault(name, [key])
        elif current is not None:
            current.append(key)
    return {name: SEPARATOR.join(own) for name, own in found.items()}, None


def stored_keys(text: str, names: Iterable[str], address: str,
                phones: Iterable[str | None] = ()) -> tuple[dict[str, str], str | None]:
    """name_keys() as match_reason takes them for a row found by its stored `text`: a name not in that text
    (nor its pinyin) cannot be why the row matched, so it keeps its plain keys (no pinyin made for it), and the
    address's keys come without the `phones`' digits that follow them."""
    names = [n for n in names if n]
    own, rest = name_keys(text, names, address)
    for name in names:
        if name not in own:
            own[name] = _plain_text(name)
    if rest is not None:
        digits = {p.replace("-", "") for p in phones if p}
        rest = SEPARATOR.join(k for k in rest.split(SEPARATOR) if k not in digits)
    return own, rest
