"""Phone numbers: mobiles (11 digits, 1[3-9]) and landlines ("0514-87654321" or a local "87654321").

Spaces, dashes, dots, parentheses, full-width digits and a +86 / 86 / 0086 prefix are removed from
mobiles. A landline keeps its area code, separated by a dash. An integral float (a phone typed into
a numeric Excel cell, 13812345678.0) is fine: 11 or 12 digits fit a double exactly.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from renewal_desk.core.problems import InputError, declare
from renewal_desk.core.rules.text import normalize_text, refuse

PHONE_EMPTY = declare("phone.empty", "电话为空", "Phone number is empty")
PHONE_INVALID = declare(
    "phone.invalid",
    "电话号码无法识别：{value}（手机应为 1 开头的 11 位数字，座机如 0514-87654321）",
    "Unrecognised phone number: {value} (mobile: 11 digits starting with 1; landline e.g. 0514-87654321)",
)
PHONE_MULTIPLE = declare(
    "phone.multiple",
    "一个单元格里有多个电话：{value}，请只保留一个（其余可写在备注中）",
    "Several phone numbers in one cell: {value}; keep one (put the others in the note)",
)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_MOBILE_PREFIXED = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
_ALLOWED = re.compile(r"^\+?[\d\s\-.()]+$")
_AREA_TYPED = re.compile(r"^\(?(0\d+)(?:\)|\s*[\-.\s])")
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")
_LIST_SEPARATORS = re.compile(r"[/,;、|]|\s{2,}|或")
_STRIP = re.compile(r"[\s\-.()]")


def _area_code_length(digits: str) -> int:
    """010 and 02x are 3-digit area codes; every other area code has 4 digits."""
    return 3 if digits.startswith(("010", "02")) else 4


def normalize_phone(raw: Any) -> str:
    """"13812345678", "0514-87654321" or "87654321"; raises InputError (phone.*) otherwise."""
    if isinstance(raw, bool):
        raise refuse(PHONE_INVALID, field="phone", value=raw)
    if isinstance(raw, (float, Decimal)):
        finite = raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)
        if not (finite and raw == int(raw) and raw > 0):
            raise refuse(PHONE_INVALID, field="phone", value=raw)
        raw = int(raw)
    text = normalize_text(raw)
    if not text:
        raise refuse(PHONE_EMPTY, field="phone", value=raw)
    parts = [p for p in _LIST_SEPARATORS.split(text) if sum(c.isdigit() for c in p) >= 7]
    if len(parts) > 1:
        raise refuse(PHONE_MULTIPLE, field="phone", value=raw)
    if not _ALLOWED.match(text):
        raise refuse(PHONE_INVALID, field="phone", value=raw)
    compact = _STRIP.sub("", text)
    m = _MOBILE_PREFIXED.match(compact)
    if m:
        return m.group(1)
    if compact.startswith("0"):
        typed = _AREA_TYPED.match(text)  # "0514-8765...", "(0514)8765...", "0514 8765..."
        cut = len(typed.group(1)) if typed else _area_code_length(compact)
        area, local = compact[:cut], compact[cut:]
        if 3 <= len(area) <= 4 and _LOCAL.match(local):
            return f"{area}-{local}"
    elif _LOCAL.match(compact):
        return compact
    raise refuse(PHONE_INVALID, field="phone", value=raw)


# what mask_phone gives: a mobile's "138****1234", a landline's "0514-****4321", or stars and up to 4 digits
_MASKED = re.compile(r"1[3-9][0-9]\*{4}[0-9]{4}|(?:[0-9]{3,4}-)?\*+[0-9]{0,4}")


def is_mobile(s: Any) -> bool:
    return isinstance(s, str) and bool(_MOBILE.match(s))


def mask_phone(s: Any) -> str:
    """"138****1234" for a mobile; a landline keeps its area code and last 4 digits
    ("0514-****4321"); anything else keeps its last 4 characters; "" for empty.

    Masking a masked value gives it back unchanged (the household list gets phones the service masked
    already; masking them again turned "158****3683" into "*******3683")."""
    text = "" if s is None else str(s).strip()
    if not text:
        return ""
    if _MASKED.fullmatch(text):
        return text
    try:
        text = normalize_phone(text)
    except InputError:
        pass
    if is_mobile(text):
        return text[:3] + "****" + text[-4:]
    area, sep, local = text.partition("-")
    if sep and area.isdigit() and local.isdigit():
        return f"{area}-{mask_phone(local)}"
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]
