from hypothesis import given, strategies as st

from renewal_desk.core.rules.search import (SEPARATOR, match_reason, normalize_query, pinyin_keys, place_key,
                                            search_text, variant_forms)


def test_pinyin_keys():
    assert pinyin_keys("张建国") == ("zhangjianguo", "zjg")
    assert pinyin_keys("吕布") == ("lvbu", "lb")
    assert pinyin_keys("单田芳") == ("shantianfang", "stf")
    assert pinyin_keys("单田芳", surname=False) == ("dantianfang", "dtf")
    assert pinyin_keys("尉迟恭") == ("yuchigong", "ycg")
    assert pinyin_keys("李䶮") == ("liyan", "ly")
    assert pinyin_keys("王𠮷") == ("wangji", "wj")  # unknown to pypinyin: read as its common form 吉
    assert pinyin_keys("髙桥") == ("gaoqiao", "gq")
    assert pinyin_keys("John Smith") == ("johnsmith", "johnsmith")
    assert pinyin_keys("张3") == ("zhang3", "z3")
    assert pinyin_keys("") == ("", "")
    assert pinyin_keys("ＺＨＡＮＧ张") == ("zhangzhang", "zhangz")


def test_search_text_finds_by_every_key():
    text = search_text("张建国", "3幢1单元101", "138-1234-5678", None, "")
    for query in ("张建国", "zhangjianguo", "zjg", "jianguo", "13812345678", "1234", "3幢1单元"):
        assert normalize_query(query) in text
    assert text == text.lower()
    assert "zjg" in text.split(SEPARATOR)
    # a query never matches across two keys
    assert "zjg3" not in text


def test_search_text_surname_both_readings():
    text = search_text("单田芳")
    assert "shantianfang" in text and "dantianfang" in text


def test_normalize_query():
    assert normalize_query("  ＺＪＧ　") == "zjg"


@given(st.lists(st.one_of(st.text(max_size=20), st.none(), st.integers()), max_size=5))
def test_search_text_contains_every_part(parts):
    text = search_text(*parts)
    for part in parts:
        q = normalize_query(part)
        if q:
            assert q in text


_NAMEISH = "张王李单曾解尉迟万俟长孙区朴查乐田芳恭建国𠮷䶮 0123abcXY·-"


@given(st.text(alphabet=_NAMEISH, max_size=8))
def test_both_readings_from_one_pass_equal_two_calls(text):
    # search_text takes both surname readings from one pass over the text (_pinyin_both)
    from renewal_desk.core.rules.search import _pinyin_both

    assert _pinyin_both(text) == pinyin_keys(text) + pinyin_keys(text, surname=False)
    assert _pinyin_both(text) == _pinyin_both(text)  # and the memo of search_text changes nothing


def test_search_text_memo_returns_the_same_keys_every_time():
    from renewal_desk.core.rules.search import _part_keys

    parts = ("单田芳", "3号楼1单元101", "101", "幸福路 12 号", 13812345678, None, "")
    first = search_text(*parts)
    assert first.split(SEPARATOR) == ["单田芳", "shantianfang", "stf", "dantianfang", "dtf", "3号楼1单元101",
                                      "3haolou1danyuan101", "3hl1dy101", "31101", "101", "幸福路 12 号", "幸福路12号",
                                      "xingfulu12hao", "xfl12h", "13812345678"]
    assert search_text(*parts) == first  # from the memo
    _part_keys.cache_clear()
    assert search_text(*parts) == first  # computed again


def test_a_name_with_a_variant_character_is_found_as_written_with_the_common_one():
    keys = search_text("王𠮷").split(SEPARATOR)
    assert keys == ["王𠮷", "王吉", "wangji", "wj"]
    assert "吉" not in search_text("王喆")  # only listed variants
    assert variant_forms("王吉") == ["王吉", "王𠮷"] and variant_forms("张三") == ["张三"]


def test_place_key_is_building_unit_room():
    assert place_key("3号楼", "2单元", "602") == "3-2-602"
    assert place_key("12栋", "1", "1101室") == "12-1-1101"
    assert place_key("A座", "东单元", "302") == "a-东-302"
    assert place_key("3号楼", "", "602") == ""
    assert "3-2-602" in search_text("3-2-602")


def test_match_reason_names_what_matched():
    home = dict(name="陶勇", phone="13912343698", address="3号楼 2单元 602", address_parts=("3号楼2单元602", "3-2-602"),
                members=[("陶立新", "13800001111"), ("陶勇", None)], name_reason=("户主", "head of household"))
    assert match_reason("陶勇", **home) == ("户主", "head of household")
    assert match_reason("ty", **home)[0] == "户主"
    assert match_reason("3698", **home) == ("电话 …3698", "phone …3698")
    assert match_reason("3-2-602", **home)[0] == "房号 3号楼 2单元 602"
    assert match_reason("2单元 602", **home)[0] == "房号 3号楼 2单元 602"
    assert match_reason("陶立新", **home) == ("家庭成员 陶立新", "household member 陶立新")
    assert match_reason("tlx", **home)[0] == "家庭成员 陶立新"
    assert match_reason("1111", **home)[0] == "家庭成员电话 …1111"
    assert match_reason("80000", **home)[0] == "家庭成员电话 …80000…"  # typed digits inside the number
    assert match_reason("698", **home)[0] == "电话 …3698"
    assert match_reason("", **home) == ("", "")


def test_a_reason_for_a_term_without_latin_letters_is_found_without_pinyin(demo_db, monkeypatch):
    """Chinese and digit terms are looked for in the parts themselves (pinyin keys add nothing for them):
    the reasons equal those found with every pinyin key made, on the demo's households."""
    import re

    from renewal_desk.core.rules import search as rules_search
    from renewal_desk.core.services.households import household_ids, household_rows, match_reasons

    ids = household_ids(demo_db)[:120]
    rows = household_rows(demo_db, ids, full="测试：比较匹配原因")
    queries = {"王", "李", "张", "𠮷", "吉", "3", "60", "1-1", "号楼", "单元"}
    for row in list(rows.values())[:30]:
        queries.update({row.head_name[:1], row.head_name[:2], (row.phone or "")[-4:], (row.phone or "")[-2:]})
    queries.discard("")
    plain = {q: match_reasons(demo_db, ids, q) for q in sorted(queries)}
    monkeypatch.setattr(rules_search, "_LETTER", re.compile(""))  # every term: with pinyin keys made
    assert plain == {q: match_reasons(demo_db, ids, q) for q in sorted(queries)}


_HAN_NAMES = st.text(alphabet="张王李周单曾田芳文伟建国𠮷䶮 a·3", min_size=1, max_size=5).filter(
    lambda n: any("\u3400" <= ch for ch in n))


@given(st.lists(_HAN_NAMES, min_size=1, max_size=5), st.sampled_from(["", "幸福路12号", "xingfu road"]),
       st.lists(st.sampled_from(["13812345678", "139-1234-0000", None]), min_size=5, max_size=5))
def test_each_name_s_keys_are_read_back_whole_from_the_stored_keys(names, street, phones):
    """derived_for writes every name's keys whole (张伟's "zw" beside 张伟 though 张文 came first); name_keys reads
    back exactly the keys search_text makes for each name, and the rest (address, street, phones)."""
    from renewal_desk.core.rules.search import derived_for, name_keys

    people = list(zip(names, phones))
    phones = phones[:len(names)]
    _sort, stored = derived_for("3号楼", "2单元", "602", people, street)
    own, rest = name_keys(stored, names, "3号楼2单元602")
    assert set(own) == set(names)
    for name in names:  # (a name twice in the household: its keys under the first)
        assert own[name].split(SEPARATOR)[:len(search_text(name).split(SEPARATOR))] == search_text(name).split(SEPARATOR)
        assert set(own[name].split(SEPARATOR)) <= {k for n in names for k in search_text(n).split(SEPARATOR)}
    made = search_text("3号楼2单元602", "602", "3-2-602", street, *[p.replace("-", "") for p in phones if p])
    assert rest is not None and set(rest.split(SEPARATOR)) - set(stored.split(SEPARATOR)) == set()
    assert set(made.split(SEPARATOR)) - set(rest.split(SEPARATOR)) <= {k for n in names for k in search_text(n).split(SEPARATOR)}


def test_name_keys_leave_out_what_they_do_not_find():
    from renewal_desk.core.rules.search import name_keys

    own, rest = name_keys(search_text("张伟", "3号楼2单元602"), ["张伟", "李䶮"], "3号楼2单元602")
    assert own == {"张伟": search_text("张伟")} and rest == search_text("3号楼2单元602")
    assert name_keys("", ["张伟"], "1号楼") == ({}, None)  # keys not made yet: match_reason makes them


def test_a_latin_term_is_explained_from_the_given_keys_alone():
    """With the stored keys given, match_reason makes no pinyin: keys it is told are what it matches against."""
    keys = {"周文": "周文\x1fzhouwen\x1fzw", "张伟": "张伟\x1fzhangwei\x1fzw"}
    home = dict(phone=None, address="3号楼 2单元 602", address_parts=("3号楼2单元602",),
                name_reason=("户主", "head of household"), keys=keys, address_keys="3号楼2单元602\x1f3haolou")
    assert match_reason("zw", name="张伟", members=[("周文", None)], **home)[0] == "户主"
    assert match_reason("zhou", name="张伟", members=[("周文", None)], **home)[0] == "家庭成员 周文"
    assert match_reason("haolou", name="张伟", members=[("周文", None)], **home)[0] == "房号 3号楼 2单元 602"
    assert match_reason("zhang", name="张伟", members=[], **{**home, "keys": {"张伟": "张伟"}})[0] == "住户信息"


def test_latin_reasons_from_stored_keys_equal_those_made_with_pinyin(demo_db, monkeypatch):
    """The demo's households explained for pinyin and initials typed (a head's, a member's, a street's): the
    same reasons from the stored keys as with every key made again by pypinyin."""
    from renewal_desk.core.rules import search as rules_search
    from renewal_desk.core.services.households import household_ids, match_reasons

    ids = household_ids(demo_db)[:120]
    with demo_db.read() as s:
        names = [r[0] for r in s.connection().exec_driver_sql("SELECT name FROM person ORDER BY id LIMIT 40")]
    queries = {"zh", "w", "li", "lu", "hao", "xingfu", "lou"}
    for name in names:
        full, initials = pinyin_keys(name)
        queries.update({initials, initials[:2], full[:4], full})
    stored = {q: match_reasons(demo_db, ids, q) for q in sorted(queries)}
    monkeypatch.setattr(rules_search, "stored_keys", lambda *_a: ({}, None))  # every key made again
    assert stored == {q: match_reasons(demo_db, ids, q) for q in sorted(queries)}
    assert {r for found in stored.values() for r in found.values()} >= {"户主", "住户信息"}
