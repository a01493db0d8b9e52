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
