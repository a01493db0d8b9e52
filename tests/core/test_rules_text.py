import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.text import digits_only, normalize_name, normalize_text, parse_area, parse_date

FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,-/()",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ．，－／（）",
)


def codes(exc_info):
    return [p.code for p in exc_info.value.problems]


@pytest.mark.parametrize("name", ["王𠮷", "李䶮", "𠮷野家", "豈", "﨑", "\U0002f800", "葛\U000e0100"])
def test_rare_characters_survive(name):
    assert normalize_text(f"  {name}\u200b ") == name


def test_cleanup():
    assert normalize_text(" ２０２３年\u3000５月\xa0１日 ") == "2023年 5月 1日"
    assert normalize_text("a\u200b\u200c\u200d\ufeffb") == "ab"
    assert normalize_text("\u202eabc\u202c\u200e\u200f") == "abc"
    assert normalize_text("a\x00b\x07c") == "abc"
    assert normalize_text("a\t\n\r  b") == "a b"
    assert normalize_text("85.6㎡") == "85.6㎡"
    assert normalize_text("85.6 m²") == "85.6 m²"
    assert normalize_text("（０５１４）") == "(0514)"
    assert normalize_text(None) == ""
    assert normalize_text(12) == "12"


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,-/() ", max_size=30))
def test_full_width_equals_half_width(s):
    assert normalize_text(s.translate(FULL_WIDTH)) == normalize_text(s)


@given(st.text())
def test_normalize_is_idempotent_and_clean(s):
    once = normalize_text(s)
    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any(ord(c) < 32 or c in "\u200b\u200e\u200f\u202e\ufeff" for c in once)


def test_normalize_name():
    assert normalize_name(" 张  三 ") == "张三"
    assert normalize_name("王\u3000𠮷") == "王𠮷"
    assert normalize_name("阿卜杜.热合曼") == normalize_name("阿卜杜・热合曼") == "阿卜杜·热合曼"
    assert normalize_name("John  Smith") == "John Smith"
    assert normalize_name("张 John") == "张 John"


def test_digits_only():
    assert digits_only("１３８-1234 ５６７８") == "13812345678"
    assert digits_only("no digits") == ""


@pytest.mark.parametrize(
    "value",
    [
        "2023-05-01", "2023/5/1", "2023.5.1", "20230501", "2023年5月1日", "２０２３年５月１日",
        "2023 年 5 月 1 日", "2023-05-01 00:00:00", 45047, 45047.75, dt.date(2023, 5, 1),
        dt.datetime(2023, 5, 1, 14, 30),
    ],
)
def test_parse_date_formats(value):
    assert parse_date(value) == dt.date(2023, 5, 1)


def test_excel_serial_edges():
    assert parse_date(1) == dt.date(1900, 1, 1)
    assert parse_date(59) == dt.date(1900, 2, 28)
    assert parse_date(61) == dt.date(1900, 3, 1)
    assert parse_date(2958465) == dt.date(9999, 12, 31)
    for bad in (0, -1, 0.5, 2958466):
        with pytest.raises(InputError) as e:
            parse_date(bad)
        assert codes(e) == ["date.serial_out_of_range"]
    with pytest.raises(InputError) as e:
        parse_date(60)  # Excel's 1900-02-29
    assert codes(e) == ["date.impossible"]


@pytest.mark.parametrize("value", ["2023-02-30", "2023年13月1日", "20230230", "2023/4/31"])
def test_parse_date_impossible(value):
    with pytest.raises(InputError) as e:
        parse_date(value)
    assert codes(e) == ["date.impossible"]
    assert value in e.value.problems[0].message()


@pytest.mark.parametrize("value", ["", "yesterday", "2023-5/1", "23-5-1", "2023年5月", None, True, float("nan")])
def test_parse_date_invalid(value):
    with pytest.raises(InputError) as e:
        parse_date(value)
    assert codes(e)[0] in ("date.invalid", "date.serial_out_of_range")


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_date_formats_round_trip(d):
    serial = (d - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d
    assert parse_date(d.strftime("%Y%m%d")) == d
    assert parse_date(f"{d.year}/{d.month}/{d.day}".translate(FULL_WIDTH)) == d


@pytest.mark.parametrize(
    "value, expected",
    [
        (85.6, "85.60"), (85.60000000000001, "85.60"), (85, "85.00"), ("85.6", "85.60"), ("85.6㎡", "85.60"),
        ("85.6 m²", "85.60"), ("85.6m2", "85.60"), ("85.6平方米", "85.60"), ("85.6平米", "85.60"),
        ("８５．６", "85.60"), ("1,085.5", "1085.50"), (" 85.555 ", "85.56"), ("85.545", "85.55"),
        (Decimal("0.005"), "0.01"), ("100000", "100000.00"), (0.1 + 0.2, "0.30"),
    ],
)
def test_parse_area(value, expected):
    result = parse_area(value)
    assert result == Decimal(expected) and str(result) == expected


@pytest.mark.parametrize("value", [0, "0", "-5", -0.001, "0.004", 100000.01, "100000.006", Decimal("-1")])
def test_parse_area_out_of_range(value):
    with pytest.raises(InputError) as e:
        parse_area(value)
    assert codes(e) == ["area.out_of_range"]


@pytest.mark.parametrize("value", ["abc", "", "85.6.1", "八十五", None, True, float("nan"), float("inf"), "1e9"])
def test_parse_area_invalid(value):
    with pytest.raises(InputError) as e:
        parse_area(value)
    assert codes(e) == ["area.invalid"]
    assert e.value.problems[0].field == "area"


import pytest as _pytest


@_pytest.mark.parametrize("text", ["85,6", "85，6", "8,56", "1,2345.6"])
def test_area_comma_that_is_not_a_thousands_separator_is_refused(text):
    from renewal_desk.core.problems import InputError
    from renewal_desk.core.rules.text import parse_area

    with _pytest.raises(InputError):
        parse_area(text)


def test_money_comma_only_as_thousands_separator():
    from renewal_desk.core.problems import InputError
    from renewal_desk.core.rules.money import yuan_to_fen

    assert yuan_to_fen("1,234.5") == 123450
    with _pytest.raises(InputError):
        yuan_to_fen("12,34")


def test_clean_prose_keeps_chinese_punctuation_and_lines_drops_invisibles():
    from renewal_desk.core.rules.text import clean_prose

    assert clean_prose("  同意加装电梯，由社区牵头。\u200b\r\n  第二行\t 内容 ") == "同意加装电梯，由社区牵头。\n第二行 内容"
    assert clean_prose(None) == "" and clean_prose(12) == "12"


def _normalize_char_by_char(s):
    """normalize_text as specified, one character at a time (the reference for its fast paths)."""
    import re
    import unicodedata

    from renewal_desk.core.rules.text import _nfkc

    if s is None:
        return ""
    out = []
    for ch in _nfkc(str(s)):
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs"):
            out.append(ch)
    return re.sub(r"\s+", " ", "".join(out)).strip()


@given(st.text(alphabet=st.sampled_from(
    list("张三 a1　\t\n\r\x00\x1c\x1f\x7f\x85\xa0\u2028\u2029\u200b\u200e\u202e\ufeff\ue000\u0378㎡²豈﨑") + ["𠮷", "䶮", "\U000e0100", "\ud800", "Ａ", "１"]),
    max_size=12))
def test_normalize_text_equals_the_char_by_char_definition(s):
    assert normalize_text(s) == _normalize_char_by_char(s)
