from hypothesis import given, strategies as st

from renewal_desk.core.rules.search import SEPARATOR, normalize_query, pinyin_keys, search_text


def test_pinyin_keys():
    assert pinyin_keys("张建国") == ("zhangjianguo", "zjg")
    assert pinyin_keys("吕布") == ("lvbu", "lb")
    assert pinyin_keys("单田芳") == ("shantianfang", "stf")
    assert pinyin_keys("单田芳", surname=False) == ("dantianfang", "dtf")
    assert pinyin_keys("尉迟恭") == ("yuchigong", "ycg")
    assert pinyin_keys("李䶮") == ("liyan", "ly")
    assert pinyin_keys("王𠮷") == ("wang𠮷", "w𠮷")  # unknown to pypinyin: kept as it is
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
