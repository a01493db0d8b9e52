"""Resident ID numbers (公民身份号码, GB 11643-1999): validation, legacy 15-digit numbers, masking.

An 18-character number is 6 digits of area code, 8 of birth date (YYYYMMDD), 3 of sequence (odd =
male) and a check character (ISO 7064 MOD 11-2). Legacy 15-digit numbers have a 6-digit birth date
(YYMMDD, 19YY) and no check character; they are accepted (callers warn with LEGACY15).

Values that Excel turned into numbers (1.10105E+17) have lost their last digits: they are refused
with ID_SCIENTIFIC and never guessed.
"""

from __future__ import annotations

import operator

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from renewal_desk.core.problems import declare
from renewal_desk.core.rules.text import normalize_name, normalize_text, refuse

ID_EMPTY = declare("id_number.empty", "身份证号为空", "ID number is empty")
ID_LENGTH = declare(
    "id_number.length",
    "身份证号应为 18 位（旧证 15 位），实际为 {length} 位",
    "ID number must have 18 characters (15 for old cards), found {length}",
)
ID_CHARS = declare(
    "id_number.chars",
    "身份证号只能由数字组成，最后一位可以是 X",
    "ID number may contain only digits, with X allowed as the last character",
)
ID_AREA = declare("id_number.area", "身份证号的地区码无效（首位不能为 0）", "ID number has an invalid area code")
ID_BIRTH = declare(
    "id_number.birth_date",
    "身份证号中的出生日期无效：{birth}",
    "ID number contains an invalid birth date: {birth}",
)
ID_CHECKSUM = declare(
    "id_number.checksum",
    "身份证号校验位不符：应为 {expected}，实为 {got}，请核对是否有录错的数字",
    "ID number check character is wrong: expected {expected}, found {got}; a digit is probably mistyped",
)
ID_SCIENTIFIC = declare(
    "id_number.scientific",
    "身份证号被 Excel 转成了数字或科学计数法（{value}），后几位已丢失，请将该列设为文本后重新录入",
    "The ID number was turned into a number by Excel ({value}) and its last digits are lost; "
    "format the column as text and enter it again",
)
ID_LEGACY15 = declare(
    "id_number.legacy15",
    "这是旧版 15 位身份证号，已接受，建议更新为 18 位",
    "This is an old 15-digit ID number; accepted, but the 18-digit number should be recorded",
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MIN_BIRTH_YEAR = 1880

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+\.\d*$")
_SEPARATORS = re.compile(r"[\s\-_—–.·']")  # "." only after the decimal check above


@dataclass(frozen=True)
class IdInfo:
    number: str  # normalised: 18 characters (X upper case) or 15 digits
    legacy: bool  # True for an old 15-digit number
    birth_date: _dt.date
    gender: str  # "男" or "女"
    area_code: str


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_character needs exactly 17 ASCII digits")
    return CHECK_CHARS[sum(map(operator.mul, map(int, first17), WEIGHTS)) % 11]  # C loops: 10,000 rows per import


def _clean(raw: Any) -> str:
    """Text of the number without separators, or InputError for numbers that lost digits."""
    if isinstance(raw, bool):
        raise refuse(ID_CHARS, field="id_number", value=raw)
    if isinstance(raw, float):
        raise refuse(ID_SCIENTIFIC, field="id_number", value=raw)
    if isinstance(raw, Decimal):
        raw = str(raw)  # exponent or fraction -> scientific below
    if isinstance(raw, int):
        text = str(abs(raw))
        # Excel keeps 15 significant digits: a longer integer ending in zeros is what it leaves.
        if len(text) > 15 and set(text[15:]) == {"0"}:
            raise refuse(ID_SCIENTIFIC, field="id_number", value=raw)
        return text
    text = normalize_text(raw)
    compact = text.replace(" ", "")
    if _SCIENTIFIC.match(compact) or _DECIMAL.match(compact):
        raise refuse(ID_SCIENTIFIC, field="id_number", value=raw)
    return _SEPARATORS.sub("", text).upper()


def _birth(text: str, raw: Any, today: _dt.date) -> _dt.date:
    try:
        birth = _dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        birth = None
    if birth is None or birth.year < MIN_BIRTH_YEAR or birth > today:
        raise refuse(ID_BIRTH, field="id_number", value=raw, birth=text)
    return birth


def validate_id_number(raw: Any, *, today: _dt.date | None = None) -> IdInfo:
    """Normalise and check one ID number; raises InputError with one of the ID_* codes."""
    if raw is None or (isinstance(raw, str) and not normalize_text(raw)):
        raise refuse(ID_EMPTY, field="id_number", value=raw)
    number = _clean(raw)
    if not number:
        raise refuse(ID_EMPTY, field="id_number", value=raw)
    if not number.isascii() or not re.fullmatch(r"\d+X?", number) or (number.endswith("X") and len(number) != 18):
        raise refuse(ID_CHARS, field="id_number", value=raw)
    if len(number) not in (15, 18):
        raise refuse(ID_LENGTH, field="id_number", value=raw, length=len(number))
    if number[0] == "0":
        raise refuse(ID_AREA, field="id_number", value=raw)
    today = today or _dt.date.today()
    if len(number) == 15:
        birth = _birth("19" + number[6:12], raw, today)
        gender = "男" if int(number[14]) % 2 else "女"
        return IdInfo(number, True, birth, gender, number[:6])
    birth = _birth(number[6:14], raw, today)
    expected = check_character(number[:17])
    if number[17] != expected:
        raise refuse(ID_CHECKSUM, field="id_number", value=raw, expected=expected, got=number[17])
    gender = "男" if int(number[16]) % 2 else "女"
    return IdInfo(number, False, birth, gender, number[:6])


def legacy_to_18(number15: str) -> str:
    """The 18-character form of a legacy 15-digit number (inserts "19", adds the check character)."""
    if len(number15) != 15 or not number15.isdigit():
        raise ValueError("not a 15-digit ID number")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_character(first17)


def id_variants(number: str) -> set[str]:
    """Both written forms of one person's number: a legacy 15-digit number and its 18-character form."""
    found = {number}
    if len(number) == 15 and number.isdigit():
        found.add(legacy_to_18(number))
    elif len(number) == 18 and number[6:8] == "19":
        found.add(number[:6] + number[8:17])
    return found


def same_person_name(a: str | None, b: str | None) -> bool:
    """Two names registered with one ID number name the same person (after normalisation): one owner of
    several units is registered once per home; another name under that number is a typing error."""
    return normalize_name(a or "") == normalize_name(b or "")


def make_id_number(area_code: str, birth: _dt.date, seq: int) -> str:
    """A valid 18-character number (demo and test data); seq 0-999, odd = male."""
    if len(area_code) != 6 or not (area_code.isascii() and area_code.isdigit()) or area_code[0] == "0":
        raise ValueError("area_code must be 6 digits not starting with 0")
    if not 0 <= seq <= 999:
        raise ValueError("seq must be 0-999")
    first17 = f"{area_code}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def mask_id_number(n: Any) -> str:
    """First 6 and last 4 shown, the rest starred, length kept: "110105********1234".
    Values of 10 characters or fewer are starred entirely; None or "" give ""."""
    text = "" if n is None else str(n).strip()
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]
