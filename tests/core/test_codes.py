"""Printed codes: what they say and what a scanner typing them back gives (core.printing.codes)."""

import pytest

from renewal_desk.core.printing import codes
from renewal_desk.core.problems import InputError

U1 = "4f0c2b1e-9d3a-4c7e-8a51-0b6f2d9e7c10"
U2 = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


@pytest.mark.parametrize("code", [
    codes.PageCode("HYJL-20261203-0002", "meeting-minutes", U1, 2, 3),
    codes.PageCode("ZG-2026-0047", "rectification-notice", U1, 1, 1),
    codes.PageCode("JDBG-20261203-0001", "supervision-report", None, 4, 9),
    codes.SignInCode(U1, U2),
    codes.BallotCode(U1, U2),
    codes.BallotCode(U1, U2, "yes"),
    codes.BallotCode(U1, U2, "no"),
    codes.BallotCode(U1, U2, "abstain"),
])
def test_round_trip_as_a_scanner_types_it(code):
    text = code.text()
    assert text.isascii() and " " not in text
    assert codes.parse(text) == code
    assert codes.parse(f"  {text}\r\n") == code  # the scanner's Enter
    assert codes.parse(text.swapcase()) == code  # Caps Lock on


def test_page_code_text_is_exact():
    assert codes.PageCode("HMC-20261122-0007", "building-roster", U1, 1, 2).text() == \
        f"RD1:P:HMC-20261122-0007:building-roster:{U1}:1/2"


@pytest.mark.parametrize("text, words", [
    ("", "不是本系统"),
    ("6901234567890", "不是本系统"),  # a shop barcode
    ("https://example.com/x", "不是本系统"),
    ("RD1:X:abc", "不是本系统"),
    (f"RD1:S:{U1}", "不完整"),
    (f"RD1:S:{U1}:{U2[:-1]}", "不完整"),
    (f"RD1:B:{U1}:{U2}:Q", "不完整"),
    (f"RD1:P:HYJL-20261203-0002:meeting-minutes:{U1}:3/2", "3/2"),
    (f"RD1:P:HYJL-20261203-0002:meeting-minutes:{U1}", "不完整"),
])
def test_foreign_or_damaged_text_is_refused_in_words(text, words):
    with pytest.raises(InputError) as caught:
        codes.parse(text)
    assert words in caught.value.problems[0].message("zh")
