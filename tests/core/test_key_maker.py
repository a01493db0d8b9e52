"""rules.search.KeyMaker makes for many households what derived_for and search_text make for one (the roster
import and the demo generator write their keys with it): the same keys, in the same order."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_desk.core.rules.search import KeyMaker, derived_for, search_text
from renewal_desk.core.services.demo import GIVEN, SURNAMES

BUILDINGS = ["1号楼", "12号楼", "3幢", "甲栋", "A座", "1", "幸福里 3 号", "", "東樓"]
UNITS = ["1单元", "2", "", "东单元", "B"]
ROOMS = ["101", "1502", "0101", "12", "9", "A101", "101室", "地下室", "", "1-101", "101 "]
NAMES = ["王𠮷", "单田芳", "欧阳建国", "Li", "李", "阿卜杜·热合曼", "张  三", ""]
PHONES = [None, "", "13812341234", "0514-87651234", "138-1234-1234"]
STREETS = ["", "仁丰里 12 号", "东关街", "Dongguan Rd 5"]


def _households(rng: random.Random, n: int):
    for _ in range(n):
        people = [(rng.choice(NAMES + [rng.choice(SURNAMES) + rng.choice(GIVEN)] * 4), rng.choice(PHONES))
                  for _ in range(rng.randint(1, 4))]
        yield rng.choice(BUILDINGS), rng.choice(UNITS), rng.choice(ROOMS), people, rng.choice(STREETS)


def test_a_key_maker_writes_what_derived_for_writes():
    keys = KeyMaker()  # one maker for all: its memos and address templates are what is tested
    for building, unit, room, people, street in _households(random.Random(20261204), 3000):
        assert keys.household(building, unit, room, people, street) == derived_for(building, unit, room, people, street)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789号楼单元幢甲乙 -Aa王", max_size=8), st.text(alphabet="0123456789单元 B", max_size=4),
       st.text(alphabet="0123456789", min_size=1, max_size=5), st.text(alphabet="0123456789-", max_size=12))
def test_any_address_ending_in_a_number_gets_the_keys_derived_for_gives_it(building, unit, room, phone):
    keys = KeyMaker()
    other = "9" * len(room) if room != "9" * len(room) else "1" * len(room)
    keys.household(building, unit, other, [("张伟", None)])  # the template of this building and unit made first
    assert keys.household(building, unit, room, [("张伟", phone)]) == derived_for(building, unit, room, [("张伟", phone)])


def test_a_key_maker_writes_what_search_text_writes():
    keys = KeyMaker()
    for parts in (("王𠮷",), ("单田芳", None, "13812341234"), ("", "仁丰里 12 号", 12), ("Li", "李", "Li")):
        assert keys.text(*parts) == search_text(*parts)
