import datetime as dt

import pytest
from hypothesis import assume, given, strategies as st

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.idcard import (
    check_character,
    legacy_to_18,
    make_id_number,
    mask_id_number,
    validate_id_number,
)

TODAY = dt.date(2024, 6, 1)
areas = st.from_regex(r"\A[1-9][0-9]{5}\Z")
births = st.dates(min_value=dt.date(1880, 1, 1), max_value=TODAY)
seqs = st.integers(min_value=0, max_value=999)


def code_of(raw):
    with pytest.raises(InputError) as e:
        validate_id_number(raw, today=TODAY)
    assert len(e.value.problems) == 1
    return e.value.problems[0]


def test_known_check_characters():
    # GB 11643 example number and a well-known X case
    assert check_character("11010519491231002") == "X"
    assert check_character("44052418800101001") == "4"
    with pytest.raises(ValueError):
        check_character("123")


@given(st.from_regex(r"\A[0-9]{17}\Z"))
def test_check_character_matches_iso_7064_definition(first17):
    # ISO 7064 MOD 11-2 written independently: weight of position i (from the right, the check
    # character being position 1) is 2^(i-1) mod 11; check value = (12 - sum mod 11) mod 11.
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    assert check_character(first17) == ("X" if value == 10 else str(value))


@given(areas, births, seqs)
def test_generated_ids_round_trip(area, birth, seq):
    number = make_id_number(area, birth, seq)
    info = validate_id_number(number, today=TODAY)
    assert info.number == number and not info.legacy
    assert info.birth_date == birth and info.area_code == area
    assert info.gender == ("男" if seq % 2 else "女")
    assert validate_id_number(number.lower(), today=TODAY).number == number
    spaced = f" {number[:6]} {number[6:14]}-{number[14:]} "
    assert validate_id_number(spaced, today=TODAY).number == number


@given(areas, births, seqs, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_is_caught(area, birth, seq, pos, delta):
    number = make_id_number(area, birth, seq)
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    old = alphabet.index(number[pos])
    new = alphabet[(old + delta) % len(alphabet)]
    assume(new != number[pos])
    changed = number[:pos] + new + number[pos + 1 :]
    with pytest.raises(InputError) as e:
        validate_id_number(changed, today=TODAY)
    assert e.value.problems[0].code in ("id_number.checksum", "id_number.birth_date", "id_number.area")


@given(areas, births, seqs, st.integers(min_value=0, max_value=16))
def test_adjacent_transposition_is_caught(area, birth, seq, pos):
    number = make_id_number(area, birth, seq)
    assume(number[pos] != number[pos + 1] and pos + 1 < 17)
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    with pytest.raises(InputError):
        validate_id_number(swapped, today=TODAY)


def test_lowercase_x_and_full_width():
    number = "11010519491231002X"
    assert validate_id_number("11010519491231002x", today=TODAY).number == number
    assert validate_id_number("１１０１０５１９４９１２３１００２ｘ", today=TODAY).number == number


def test_legacy_15_digits():
    info = validate_id_number("110105491231002", today=TODAY)
    assert info.legacy and info.number == "110105491231002"
    assert info.birth_date == dt.date(1949, 12, 31) and info.gender == "女"
    assert validate_id_number(110105491231003, today=TODAY).gender == "男"  # int from a numeric cell
    assert legacy_to_18("110105491231002") == "11010519491231002X"
    assert code_of("110105490231002").code == "id_number.birth_date"


@pytest.mark.parametrize(
    "raw",
    [
        1.10105199001011e17, 110105199001011234.0, "1.10105E+17", "1.10105e17", "110105199001011234.0",
        110105199001011000,
    ],
)
def test_numbers_from_excel_are_refused_not_guessed(raw):
    p = code_of(raw)
    assert p.code == "id_number.scientific"
    assert p.field == "id_number" and p.value == str(raw)
    assert "科学计数法" in p.message() and str(raw) in p.message()


def test_errors():
    assert code_of("").code == "id_number.empty"
    assert code_of(None).code == "id_number.empty"
    assert code_of("   ").code == "id_number.empty"
    p = code_of("1101051949123100")
    assert p.code == "id_number.length" and p.params["length"] == 16 and "16" in p.message()
    assert code_of("11010519491231002A").code == "id_number.chars"
    assert code_of("1101051949123100X2").code == "id_number.chars"
    assert code_of("01010519491231002X").code == "id_number.area"
    p = code_of("110105194912310021")
    assert p.code == "id_number.checksum" and p.params == {"value": "110105194912310021", "expected": "X", "got": "1"}
    assert code_of(make_id_number("110105", dt.date(1879, 12, 31), 1)).code == "id_number.birth_date"
    assert code_of(make_id_number("110105", dt.date(2024, 6, 2), 1)).code == "id_number.birth_date"
    first17 = "11010519900230123"
    assert code_of(first17 + check_character(first17)).code == "id_number.birth_date"


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.none(), st.booleans()))
def test_garbage_never_crashes(raw):
    try:
        info = validate_id_number(raw, today=TODAY)
    except InputError as e:
        assert e.problems and e.problems[0].code.startswith("id_number.")
    else:
        assert len(info.number) in (15, 18)


def test_make_id_number_rejects_bad_input():
    with pytest.raises(ValueError):
        make_id_number("010105", dt.date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id_number("110105", dt.date(1990, 1, 1), 1000)


@given(areas, births, seqs)
def test_masking_hides_the_middle(area, birth, seq):
    number = make_id_number(area, birth, seq)
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked == number[:6] + "*" * 8 + number[-4:]
    assert birth.strftime("%Y%m%d") not in masked


def test_mask_short_values():
    assert mask_id_number("110105194912310021") == "110105********0021"
    assert mask_id_number("110105491231002") == "110105*****1002"
    assert mask_id_number("12345") == "*****"
    assert mask_id_number("") == "" and mask_id_number(None) == ""
