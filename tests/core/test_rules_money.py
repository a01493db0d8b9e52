from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.money import fen_to_chinese_upper, fen_to_yuan, format_fen, round_half_up, yuan_to_fen


@pytest.mark.parametrize(
    "value, fen",
    [
        ("1,234.5", 123450), ("１２３４.５０元", 123450), ("¥1234.56", 123456), ("￥1,234.56", 123456),
        ("1234.565", 123457), ("1234.564", 123456), ("-0.005", -1), (0.1 + 0.2, 30), (1.005, 101), (19.99, 1999),
        (1234, 123400), (Decimal("12.345"), 1235), ("人民币100元整", 10000), ("3.5万元", 3500000), (" 0 ", 0),
        ("RMB 12", 1200),
    ],
)
def test_yuan_to_fen(value, fen):
    assert yuan_to_fen(value) == fen


@pytest.mark.parametrize(
    "value", ["abc", "", "1.2.3", float("nan"), float("inf"), Decimal("NaN"), Decimal("sNaN"), None, True, "12元5角"]
)
def test_yuan_to_fen_invalid(value):
    with pytest.raises(InputError) as e:
        yuan_to_fen(value)
    assert e.value.problems[0].code == "money.invalid"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fen_yuan_round_trip(fen):
    yuan = fen_to_yuan(fen)
    assert yuan.as_tuple().exponent == -2
    assert yuan_to_fen(yuan) == fen
    assert yuan_to_fen(str(yuan)) == fen
    assert yuan_to_fen(format_fen(fen)) == fen


def test_format_and_round():
    assert format_fen(123456) == "1,234.56"
    assert format_fen(5) == "0.05"
    assert format_fen(-100000000) == "-1,000,000.00"
    assert round_half_up(Decimal("2.345")) == Decimal("2.35")
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert round_half_up(Decimal("-2.5"), 0) == Decimal("-3")


@pytest.mark.parametrize(
    "fen, text",
    [
        (123456, "壹仟贰佰叁拾肆元伍角陆分"), (100, "壹元整"), (0, "零元整"), (100010000, "壹佰万零壹佰元整"),
        (1001, "壹拾元零壹分"), (150, "壹元伍角整"), (56, "伍角陆分"), (6, "陆分"), (1000000, "壹万元整"),
        (10010000, "壹拾万零壹佰元整"), (10000000000, "壹亿元整"), (10100000000, "壹亿零壹佰万元整"),
        (100000000100, "壹拾亿零壹元整"), (100500, "壹仟零伍元整"), (10000100, "壹拾万零壹元整"),
        (200000000000000, "贰万亿元整"), (100010000000000, "壹万零壹亿元整"), (-100, "负壹元整"),
        (12000000, "壹拾贰万元整"), (10203040506, "壹亿零贰佰零叁万零肆佰零伍元零陆分"),
    ],
)
def test_chinese_upper(fen, text):
    assert fen_to_chinese_upper(fen) == text


@given(st.integers(min_value=0, max_value=10**16))
def test_chinese_upper_is_well_formed(fen):
    text = fen_to_chinese_upper(fen)
    assert "零零" not in text
    assert not text.startswith("零") or fen == 0
    assert text.endswith(("整", "分"))
