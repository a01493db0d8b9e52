import pytest
from hypothesis import given, strategies as st

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import masking
from renewal_desk.core.rules.masking import mask_id_number, mask_name, mask_phone, name_characters
from renewal_desk.core.rules.phone import is_mobile, normalize_phone

mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"),
        ("1381 234 5678", "13812345678"), ("+86 138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"), ("0086-138-1234-5678", "13812345678"), ("(138)12345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"), ("138.1234.5678", "13812345678"), (13812345678, "13812345678"),
        (13812345678.0, "13812345678"), ("0514-87654321", "0514-87654321"), ("(0514)87654321", "0514-87654321"),
        ("（0514）87654321", "0514-87654321"), ("0514 8765 4321", "0514-87654321"), ("051487654321", "0514-87654321"),
        ("010-62345678", "010-62345678"), ("01062345678", "010-62345678"), ("02187654321", "021-87654321"),
        ("87654321", "87654321"), ("8765432", "8765432"),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["12345", "12812345678", "1381234567", "138123456789", "abc", "138****5678", 13812345678.5, float("nan"), True,
     "0514-123", "1381234567x"],
)
def test_phone_invalid(raw):
    with pytest.raises(InputError) as e:
        normalize_phone(raw)
    assert [p.code for p in e.value.problems] == ["phone.invalid"]
    assert e.value.problems[0].field == "phone"


def test_phone_empty_and_multiple():
    with pytest.raises(InputError) as e:
        normalize_phone("  ")
    assert e.value.problems[0].code == "phone.empty"
    with pytest.raises(InputError) as e:
        normalize_phone("13812345678/13912345678")
    assert e.value.problems[0].code == "phone.multiple"


@given(mobiles, st.sampled_from(["", "+86", "86", "0086", "+86 "]), st.sampled_from(["", " ", "-"]))
def test_mobile_variants(number, prefix, sep):
    typed = prefix + sep.join([number[:3], number[3:7], number[7:]])
    assert normalize_phone(typed) == number
    full_width = typed.translate(str.maketrans("0123456789+-", "０１２３４５６７８９＋－"))
    assert normalize_phone(full_width) == number
    assert is_mobile(number)


@given(mobiles)
def test_mask_phone_hides_middle(number):
    masked = mask_phone(number)
    assert masked == number[:3] + "****" + number[-4:]
    assert len(masked) == len(number)


def test_mask_phone_other_forms():
    assert mask_phone("0514-87654321") == "0514-****4321"
    assert mask_phone("87654321") == "****4321"
    assert mask_phone("138-1234-5678") == "138****5678"  # not yet normalised: still masked properly
    assert mask_phone("") == "" and mask_phone(None) == ""
    assert mask_phone("123") == "***"


@pytest.mark.parametrize("number", ["15863383683", "0514-87654321", "87654321", "123", "138-1234-5678"])
def test_masking_twice_keeps_the_first_mask(number):
    # the household list masks what the service already masked: the prefix must survive
    once = mask_phone(number)
    assert mask_phone(once) == once
    assert mask_id_number(mask_id_number("110105194912310025")) == "110105********0025"
    assert not is_mobile("12812345678") and not is_mobile(None)


@pytest.mark.parametrize(
    "name, star, middle",
    [
        ("张三", "张*", "张○"), ("张建国", "张**", "张○国"), ("李小明", "李**", "李○明"), ("王𠮷", "王*", "王○"),
        ("𠮷野家", "𠮷**", "𠮷○家"), ("李䶮", "李*", "李○"), ("欧阳娜娜", "欧***", "欧○○娜"), ("张", "*", "○"),
        ("", "", ""), (None, "", ""), ("葛\U000e0100明", "葛\U000e0100*", "葛\U000e0100○"),
    ],
)
def test_mask_name(name, star, middle):
    assert mask_name(name) == star
    assert mask_name(name, style="middle") == middle


@given(st.text(alphabet=st.characters(categories=["Lo"]), min_size=2, max_size=6))
def test_mask_name_keeps_length_and_hides_the_rest(name):
    chars = name_characters(name)
    masked = mask_name(name)
    assert len(name_characters(masked)) == len(chars)
    assert masked == chars[0] + "*" * (len(chars) - 1)
    middle = name_characters(mask_name(name, style="middle"))
    assert len(middle) == len(chars)
    assert all(c == "○" for c in middle[1:-1])
    assert all(c not in masked[len(chars[0]):] for c in chars[1:] if c != "*")


def test_masking_reexports():
    assert masking.mask_id_number is mask_id_number and masking.mask_phone is mask_phone
    with pytest.raises(ValueError):
        mask_name("张三", style="dots")
