"""Money as integer fen (分): parsing, formatting and the upper-case Chinese amount (大写金额).
Never float: floats are converted through repr(), rounding is half-up to the fen."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from renewal_desk.core.problems import declare
from renewal_desk.core.rules.text import decimal_from, normalize_text, refuse, strip_thousands

MONEY_INVALID = declare("money.invalid", "金额无法识别：{value}", "Unrecognised amount: {value}")

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_CURRENCY = re.compile(r"^(人民币|rmb|cny|¥)|(元整|元|整)$", re.IGNORECASE)


def round_half_up(d: Decimal, places: int = 2) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def yuan_to_fen(value: Any) -> int:
    """Fen from yuan given as int, Decimal, float (via repr) or text: "1,234.5", "１２３４.５０元",
    "¥1234.56", "3.5万元". Raises InputError("money.invalid") for NaN, infinities and non-numbers."""
    number = decimal_from(value)
    if number is None:
        if not isinstance(value, str):
            raise refuse(MONEY_INVALID, field="money", value=value)
        text = _CURRENCY.sub("", normalize_text(value).replace(" ", ""))  # currency prefix and suffix
        text = strip_thousands(text)
        if text is None:
            raise refuse(MONEY_INVALID, field="money", value=value)
        factor = 1
        if text.endswith("万"):
            text, factor = text[:-1], 10000
        if not _NUMBER.match(text):
            raise refuse(MONEY_INVALID, field="money", value=value)
        try:
            number = Decimal(text) * factor
        except InvalidOperation:  # pragma: no cover - the regex already checked
            raise refuse(MONEY_INVALID, field="money", value=value) from None
    try:
        return int(round_half_up(number, 2).scaleb(2))
    except InvalidOperation:  # absurdly large values
        raise refuse(MONEY_INVALID, field="money", value=value) from None


MONEY_PLACES = declare("money.places", "金额最多两位小数：{value}", "An amount has at most two decimals: {value}")


def entered_yuan_to_fen(value: str, label: str = "金额") -> int:
    """Fen from an amount a person typed into a form: like yuan_to_fen, but more than two decimals are
    refused (not rounded), because ¥1000.005 is a typing mistake, not an amount."""
    text = normalize_text(str(value)).replace(" ", "")
    match = re.search(r"\.(\d+)", text)
    if match and len(match.group(1).rstrip("0")) > 2 and not text.endswith("万") and "万" not in text:
        raise refuse(MONEY_PLACES, field="money", value=value)
    return yuan_to_fen(value)


def fen_to_yuan(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2).quantize(Decimal("0.01"))


def format_fen(fen: int) -> str:
    """"1,234.56" (negative amounts "-1,234.56")."""
    return f"{fen_to_yuan(fen):,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")


def _four(n: int) -> str:
    """0 < n < 10000 with inner zeros read once: 1001 -> 壹仟零壹."""
    out, zero = [], False
    for place in range(3, -1, -1):
        d = n // 10**place % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGITS[d] + _PLACES[place])
    return "".join(out)


def _integer_upper(n: int) -> str:
    if n >= 10**8:
        hi, lo = divmod(n, 10**8)
        return _integer_upper(hi) + "亿" + (("零" if lo < 10**7 else "") + _integer_upper(lo) if lo else "")
    if n >= 10**4:
        hi, lo = divmod(n, 10**4)
        return _four(hi) + "万" + (("零" if lo < 1000 else "") + _four(lo) if lo else "")
    return _four(n)


def fen_to_chinese_upper(fen: int) -> str:
    """壹仟贰佰叁拾肆元伍角陆分; 壹元整; 零元整; 壹佰万零壹佰元整; 伍角陆分; negative: 负..."""
    fen = int(fen)
    if fen < 0:
        return "负" + fen_to_chinese_upper(-fen)
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    if fen == 0:
        return "零元整"
    text = _integer_upper(yuan) + "元" if yuan else ""
    if jiao == 0 and cents == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    return text + (_DIGITS[cents] + "分" if cents else "整")
