"""Cleaning of text typed by people or pasted from Excel/WPS: width, spaces, invisible characters;
dates and areas as staff write them.

normalize_text() is NFKC (full-width digits, letters and punctuation become half-width) except for
characters NFKC would change in meaning: CJK compatibility ideographs (a name written with one must
stay as written) and the area/volume signs ㎡ ² ³ ㎥ (NFKC would turn "85.6㎡" into "85.6m2").
Invisible format characters (zero-width, BOM, bidi marks) are removed, not turned into spaces:
nobody saw a space there. Every run of real whitespace becomes one space.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from renewal_desk.core.problems import InputError, Problem, declare

DATE_INVALID = declare("date.invalid", "日期无法识别：{value}", "Unrecognised date: {value}")
DATE_IMPOSSIBLE = declare("date.impossible", "日期不存在：{value}", "No such date: {value}")
DATE_SERIAL_RANGE = declare(
    "date.serial_out_of_range",
    "Excel 日期序号超出范围（应为 1 至 2958465）：{value}",
    "Excel date serial out of range (1 to 2958465): {value}",
)
AREA_INVALID = declare("area.invalid", "面积无法识别：{value}", "Unrecognised area: {value}")
AREA_RANGE = declare(
    "area.out_of_range",
    "面积应大于 0 且不超过 100000 平方米：{value}",
    "Area must be more than 0 and at most 100000 m²: {value}",
)

# Characters NFKC must not touch (see module docstring).
_KEEP = re.compile(
    "([\uf900-\ufaff\U0002f800-\U0002fa1f\u33a1\u33a5\u00b2\u00b3]+)"
)
_SPACES = re.compile(r"\s+")


def _nfkc(s: str) -> str:
    if s.isascii():
        return s
    parts = _KEEP.split(s)
    # split() with a capture group alternates: plain, kept, plain, kept, ...
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


def normalize_text(s: Any) -> str:
    """Clean one cell or field: half-width, no invisible characters, single spaces, trimmed.

    None becomes ""; other non-strings are formatted with str() first."""
    if s is None:
        return ""
    if not isinstance(s, str):
        s = str(s)
    if s.isascii() and s.isprintable():
        return " ".join(s.split())
    s = _nfkc(s)
    if s.isprintable():  # the usual case (Chinese text): no control, format or surrogate characters, and
        return " ".join(s.split())  # no whitespace but " " (other spaces are not printable), so nothing to drop
    out = []
    for ch in s:
        if ch.isspace():
            out.append(" ")
        elif ch.isascii() and ch.isprintable():
            out.append(ch)
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs"):
            out.append(ch)
    return _SPACES.sub(" ", "".join(out)).strip()


def clean_prose(s: Any) -> str:
    """Clean free text written by staff (titles, minutes, resolutions): invisible and control
    characters dropped, runs of spaces single, trimmed; line breaks and Chinese punctuation kept
    (normalize_text would turn “，” into “,”)."""
    if s is None:
        return ""
    if not isinstance(s, str):
        s = str(s)
    lines = []
    for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        kept = "".join(" " if ch.isspace() else ch for ch in line
                       if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
        lines.append(_SPACES.sub(" ", kept).strip())
    return "\n".join(lines).strip()


HAN = "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"  # Han characters, incl. rare
_NAME_GAP = re.compile(f"(?<={HAN}) +(?={HAN})")
_NAME_DOT = re.compile(f"(?<={HAN})[.・•‧∙⋅･]+(?={HAN})")


def normalize_name(s: Any) -> str:
    """normalize_text for a person's name, plus: spaces typed between Han characters to align
    two-character names ("张  三") are removed, and the dot in names such as 阿卜杜·热合曼 typed
    as . ・ • becomes the middle dot ·."""
    return _NAME_DOT.sub("·", _NAME_GAP.sub("", normalize_text(s)))


def digits_only(s: Any) -> str:
    """The decimal digits of a value after normalisation, as ASCII ("１３８-12" -> "13812")."""
    return "".join(
        str(unicodedata.decimal(ch)) for ch in normalize_text(s) if unicodedata.decimal(ch, None) is not None
    )


def shorten(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refuse(code: str, field: str | None = None, value: Any = None, **params: Any) -> InputError:
    """An InputError whose message can show the offending value as {value}."""
    shown = "" if value is None else shorten(value)
    return InputError(
        Problem(code, {"value": shown, **params}, field=field, value=None if value is None else shorten(value, 200))
    )


# ---------------------------------------------------------------------------------------- dates
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME + "$"),
    re.compile(r"^(\d{4})\s*(年)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?" + _TIME + "$"),
    re.compile(r"^(\d{4})()(\d{2})(\d{2})$"),
)


def excel_serial_to_date(serial: Any) -> _dt.date:
    """Excel 1900 date system: 1 = 1900-01-01; 60 is Excel's non-existent 1900-02-29."""
    if isinstance(serial, bool):
        raise refuse(DATE_INVALID, value=serial)
    try:
        number = float(serial)
    except (TypeError, ValueError):
        raise refuse(DATE_INVALID, value=serial) from None
    if math.isnan(number) or math.isinf(number):
        raise refuse(DATE_INVALID, value=serial)
    if number < 1 or number >= _EXCEL_MAX_SERIAL + 1:
        raise refuse(DATE_SERIAL_RANGE, value=serial)
    days = int(number)  # a fractional part is the time of day
    if days == 60:
        raise refuse(DATE_IMPOSSIBLE, value="1900-02-29")
    base = _dt.date(1899, 12, 31) if days < 60 else _dt.date(1899, 12, 30)
    return base + _dt.timedelta(days=days)


def parse_date(value: Any) -> _dt.date:
    """A date from a date/datetime, an Excel serial number, or text such as "2023-05-01",
    "2023/5/1", "2023.5.1", "20230501", "2023年5月1日" (full-width digits too)."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return excel_serial_to_date(value)
    if not isinstance(value, str):
        raise refuse(DATE_INVALID, value=value)
    text = normalize_text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
            try:
                return _dt.date(y, mo, d)
            except ValueError:
                raise refuse(DATE_IMPOSSIBLE, value=value) from None
    raise refuse(DATE_INVALID, value=value)


# ---------------------------------------------------------------------------------------- areas
_AREA_UNITS = re.compile(r"(㎡|m²|m2|平方米|平方|平米|sqm)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
AREA_MAX = Decimal("100000")
CENT = Decimal("0.01")


def decimal_from(value: Any) -> Decimal | None:
    """An exact Decimal for int/float/Decimal (floats through repr, never Decimal(float)),
    or None for anything else, including bool, NaN and infinities."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def strip_thousands(text: str) -> str | None:
    """Remove thousands separators ("1,085.5" -> "1085.5"); None when a comma is anything else
    ("85,6" could be 85.6 or 856 — refused, never guessed)."""
    if "," not in text:
        return text
    return text.replace(",", "") if _THOUSANDS.fullmatch(text) else None


def parse_area(value: Any) -> Decimal:
    """Area in m² as Decimal to 0.01 (half-up): 85.6, "85.6㎡", "85.6 m²", "85.6平方米",
    "８５．６", "1,085.5平米". Refuses zero, negative and more than 100000."""
    number = _area_number(value)
    if number <= 0 or number > AREA_MAX:
        raise refuse(AREA_RANGE, field="area", value=value)
    area = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if area <= 0:
        raise refuse(AREA_RANGE, field="area", value=value)
    return area


AREA_NEGATIVE = declare("area.negative", "面积不能为负数：{value}", "An area cannot be negative: {value}")


def parse_area_total(value: Any) -> Decimal:
    """A sum of areas, such as the exclusive area that voted yes: read like parse_area, but 0 is allowed
    and there is no upper bound of its own (a vote's areas are checked against its scope's total area)."""
    number = _area_number(value)
    if number < 0:
        raise refuse(AREA_NEGATIVE, field="area", value=value)
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _area_number(value: Any) -> Decimal:
    number = decimal_from(value)
    if number is None:
        if not isinstance(value, str):
            raise refuse(AREA_INVALID, field="area", value=value)
        text = normalize_text(value)
        text = strip_thousands(_AREA_UNITS.sub("", text).replace(" ", ""))
        if text is None or not _NUMBER.match(text):
            raise refuse(AREA_INVALID, field="area", value=value)
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex already checked
            raise refuse(AREA_INVALID, field="area", value=value) from None
    return number


def code_label(labels: dict, code: str, lang: str = "zh") -> str:
    """A stored code in words from its {code: (zh, en)} table (models' and rules' *_LABELS): printouts and
    core messages take the Chinese, lang "en" the English; an unknown value as it is."""
    zh, en = labels.get(code, (code, code))
    return en if lang.startswith("en") else zh
