import datetime as dt
import re
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for tests.fixtures

from renewal_desk.core.exchange.roster import (  # noqa: E402
    FIELDS,
    column_letter,
    guess_header,
    header_key,
    match_header,
    parse_table,
    preview_rows,
    read_roster,
)
from renewal_desk.core.problems import InputError  # noqa: E402
from renewal_desk.core.rules.text import normalize_text  # noqa: E402
from renewal_desk.core.rules.idcard import legacy_to_18, make_id_number, validate_id_number  # noqa: E402
from tests.fixtures.make_rosters import clean_roster, ugly_roster, unknown_header_roster  # noqa: E402


@pytest.fixture(scope="module")
def ugly(tmp_path_factory):
    path = tmp_path_factory.mktemp("rosters") / "花名册.xlsx"
    expected = ugly_roster(path)
    return read_roster(path), expected


def by_row(parse):
    return {r.excel_row: r for r in parse.rows}


def test_ugly_header_found_under_title_rows(ugly):
    parse, expected = ugly
    assert parse.sheet == expected["sheet"]
    assert parse.header_row == expected["header_row"]
    assert parse.mapping == expected["mapping"]
    assert parse.unmapped_headers == expected["unmapped_headers"]
    assert parse.headers[5] == "身份证号码" and parse.headers[6] == "联系 电话"
    assert parse.problems == []
    assert parse.blank_rows == expected["blank_rows"]


def test_ugly_rows_are_exactly_the_data_rows(ugly):
    parse, expected = ugly
    rows = by_row(parse)
    assert set(rows) == set(expected["good"]) | set(expected["bad"])
    assert [r.excel_row for r in parse.valid_rows] == sorted(expected["good"])
    assert [r.excel_row for r in parse.invalid_rows] == sorted(expected["bad"])


def test_ugly_good_rows_are_normalised(ugly):
    parse, expected = ugly
    rows = by_row(parse)
    for n, want in expected["good"].items():
        row = rows[n]
        got = {k: getattr(row, k) for k in want}
        assert got == want, n
        assert row.valid
        if row.id_number:
            assert validate_id_number(row.id_number).number == row.id_number


def test_rare_names_survive(ugly):
    parse, _ = ugly
    names = [r.name for r in parse.valid_rows]
    assert "王𠮷" in names and "李䶮" in names
    assert any(len("王𠮷") == 2 and n == "\u738b\U00020bb7" for n in names)


def test_ugly_every_expected_problem_with_row_and_column(ugly):
    parse, expected = ugly
    rows = by_row(parse)
    for n, wanted in expected["bad"].items():
        errors = [(p.code, p.column) for p in rows[n].problems if p.severity == "error"]
        assert errors == wanted, n
        for p in rows[n].problems:
            assert p.row == n
            assert p.message() and "{" not in p.message()
            assert p.describe().startswith(f"第 {n} 行")
    for n, wanted in expected["warnings"].items():
        assert [(p.code, p.column) for p in rows[n].problems] == wanted
        assert all(p.severity == "warning" for p in rows[n].problems) and rows[n].valid


def test_ugly_problem_details(ugly):
    parse, expected = ugly
    rows = by_row(parse)
    dup = rows[14].problems[0]
    assert dup.params == {"first_row": 4} and dup.message() == "与第 4 行重复"
    assert rows[9].problems[0].params["expected"] == expected["checksum"][9]["expected"]
    assert rows[9].problems[0].params["got"] == expected["checksum"][9]["got"]
    sci = rows[8].problems[0]
    assert sci.field == "id_number" and sci.value == "1.10105199001011e+17"
    assert rows[8].area == Decimal("60.00")  # the other cells of the row are still read
    too_long = rows[15].problems[0]
    assert too_long.params["length"] == 5000 and too_long.field == "note"
    assert len(too_long.value) <= 200
    assert rows[13].problems[0].field == "name"
    assert rows[16].problems[0].value == "12345"
    all_problems = parse.all_problems()
    assert [p.row for p in all_problems] == sorted(p.row for p in all_problems)
    assert parse.error_count == sum(len(v) for v in expected["bad"].values())
    assert parse.warning_count == 1


def test_merged_cells_filled_down(ugly):
    parse, _ = ugly
    rows = by_row(parse)
    assert [rows[n].building for n in (4, 5, 6, 7, 8)] == ["3"] * 5
    assert [rows[n].unit for n in (4, 5, 6, 7, 8)] == ["1", "1", "1", "2", "2"]
    assert [rows[n].building for n in (9, 10, 11)] == ["4号楼"] * 3
    assert 12 not in rows  # only the merged building reaches row 12: blank


def test_unmerged_empty_building_is_not_guessed():
    rows = [["楼栋", "房号", "姓名"], ["1", "101", "张三"], [None, "102", "李四"]]
    parse = parse_table(rows)
    assert [p.code for p in parse.rows[1].problems] == ["roster.building_empty"]
    assert parse.rows[1].problems[0].column == "A" and parse.rows[1].problems[0].row == 3
    filled = parse_table(rows, merges=[(1, 0, 2, 0)])
    assert filled.rows[1].building == "1" and filled.rows[1].valid


def test_mapping_override(ugly, tmp_path):
    path = tmp_path / "u.xlsx"
    ugly_roster(path)
    mapping = {"name": 4, "building": 1, "room": 3, "note": 0}  # note <- 序号
    parse = read_roster(path, mapping=mapping)
    assert parse.mapping == mapping and parse.header_row == 3
    rows = by_row(parse)
    assert rows[4].note == "1" and rows[4].id_number is None and rows[4].unit == ""
    assert rows[8].valid  # the float ID column is not read any more
    assert "身份证号码" in parse.unmapped_headers


def test_unknown_headers_need_manual_mapping(tmp_path):
    path = tmp_path / "unknown.xlsx"
    expected = unknown_header_roster(path)
    parse = read_roster(path)
    assert [p.code for p in parse.problems] == ["roster.no_header"] and parse.rows == []
    assert "30" in parse.problems[0].message()
    for header_row in (None, 1):
        parse = read_roster(path, mapping=expected["mapping"], header_row=header_row)
        assert parse.problems == [] and parse.header_row == 1
        assert len(parse.valid_rows) == 3
        for row in parse.rows:
            name, id_number, phone, building, room = expected["rows"][row.excel_row]
            assert (row.name, row.id_number, row.phone, row.building, row.room) == (
                name, id_number, phone, building, room
            )
        assert parse.unmapped_headers == []


def test_preview_rows(tmp_path):
    path = tmp_path / "u.xlsx"
    ugly_roster(path)
    rows = preview_rows(path, 5)
    assert len(rows) == 5
    assert rows[0][0] == "XX社区老旧小区改造住户花名册"
    assert rows[2][:5] == ["序号", "幢", "单元", "门牌号", "户主姓名"]
    assert [r[1] for r in rows[3:5]] == ["3", "3"]  # merged building filled down, full width normalised


def test_read_roster_keeps_the_preview_of_the_same_read(tmp_path):
    # the import dialog shows parse.preview instead of opening the file a second time
    from openpyxl import Workbook

    ugly, clean, merged = tmp_path / "u.xlsx", tmp_path / "c.xlsx", tmp_path / "m.xlsx"
    ugly_roster(ugly)
    clean_roster(clean, 50)
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "楼栋", "房号"])
    for i in range(40):
        ws.append([f"住户{i}", "1号楼" if i == 0 else None, f"{101 + i}"])
    ws.merge_cells("B2:B41")  # a merge running past the preview's last row
    wb.save(merged)
    for path in (ugly, clean, merged):
        parse = read_roster(path)
        assert parse.preview == preview_rows(path) and len(parse.preview) <= 30
        assert parse.preview
    assert [r[1] for r in read_roster(merged).preview[1:30]] == ["1号楼"] * 29
    assert read_roster(ugly, header_row=3).preview == preview_rows(ugly)


def test_header_row_without_required_column(tmp_path):
    path = tmp_path / "unknown.xlsx"
    unknown_header_roster(path)
    parse = read_roster(path, header_row=1, mapping={"name": 0, "room": 4})
    assert [(p.code, p.field) for p in parse.problems] == [("roster.missing_column", "building")]
    assert "楼栋" in parse.problems[0].message() and parse.rows == []
    parse = read_roster(path, header_row=9)
    assert [p.code for p in parse.problems] == ["roster.header_row_out_of_range"]
    with pytest.raises(ValueError):
        read_roster(path, mapping={"nickname": 0})


def test_header_matching():
    assert header_key("产权面积（㎡）") == "产权面积"
    assert header_key(" 户主\n姓名 *") == "户主姓名"
    for text, field in [
        ("姓名", "name"), ("户主", "name"), ("居民姓名", "name"), ("公民身份号码", "id_number"), ("证件号码", "id_number"),
        ("联系方式", "phone"), ("手机号码", "phone"), ("楼号", "building"), ("幢号", "building"), ("单元号", "unit"),
        ("室", "room"), ("户号", "room"), ("房间号", "room"), ("建筑面积(m²)", "area"), ("专有面积（平方米）", "area"),
        ("面积 (㎡)", "area"), ("说明", "note"), ("与户主关系", "relation"), ("片区", "block"), ("面积来源", "area_source"),
        ("ＲＯＯＭ", None), ("户主名字", None), ("楼", None), (None, None),
    ]:
        assert match_header(text) == field, text


def test_guess_header_and_subheader():
    rows = [
        ["标题"], [], ["序号", "姓名", "房屋信息", None, None, "身份证号"],
        [None, None, "楼栋", "单元", "房号", None], [1, "张三", "1", "2", "101", None],
    ]
    index, mapping = guess_header(rows)
    assert index == 2
    assert mapping == {"name": 1, "id_number": 5, "building": 2, "unit": 3, "room": 4}
    parse = parse_table(rows)
    assert [r.excel_row for r in parse.rows] == [5] and parse.rows[0].valid
    assert parse.headers[2:5] == ["楼栋", "单元", "房号"]
    assert guess_header([["姓名"], ["张三"]]) == (None, {})  # one column is not a header


def test_column_letter():
    assert [column_letter(i) for i in (0, 7, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "H", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"
    ]


def test_duplicates():
    id1 = make_id_number("110105", dt.date(1950, 1, 1), 11)
    legacy = "110105500101021"
    rows = [
        ["楼栋", "单元", "房号", "姓名", "身份证号"],
        ["1", "1", "101", "张三", id1],  # 2
        ["1", "1", "102", "张三丰", id1],  # 3: same ID
        ["1", "1", "101", "张三", None],  # 4: same house and name
        ["2", "1", "101", "李四", legacy],  # 5
        ["2", "1", "102", "李四", legacy_to_18(legacy)],  # 6: row 5's owner (18-digit form) in a second flat
        [None, None, None, None, "garbage"],  # 7
        [None, None, None, None, "garbage"],  # 8: exact copy of row 7
        ["3", "1", "101", "王五", "garbage"],  # 9: refused IDs are not compared
        ["3", "1", "102", "赵六", "garbage"],  # 10
        ["2", "1", "103", "李 四", legacy],  # 11: the same owner again (name normalised), a third flat
        ["2", "1", "104", "李思", legacy],  # 12: the same number under another name
        ["2", "1", "102", "李四", legacy],  # 13: the same owner twice in one home
    ]
    parse = parse_table(rows)
    dup = {
        r.excel_row: p.params["first_row"]
        for r in parse.rows
        for p in r.problems
        if p.code == "roster.duplicate_in_file"
    }
    assert dup == {3: 2, 4: 2, 8: 7, 12: 5, 13: 6}
    assert [p.column for p in parse.rows[1].problems] == ["E"]
    assert [p.column for p in parse.rows[2].problems] == [None]


def test_area_source():
    rows = [
        ["姓名", "楼栋", "房号", "测绘面积", "面积来源"],
        ["甲", "1", "101", 50, None],
        ["乙", "1", "102", 50, "合同面积"],
        ["丙", "1", "103", 50, "不动产登记"],
        ["丁", "1", "104", 50, "估计"],
    ]
    parse = parse_table(rows)
    assert [r.area_source for r in parse.rows] == ["surveyed", "contract", "registered", "surveyed"]
    assert [p.code for p in parse.rows[3].problems] == ["roster.area_source_unknown"] and parse.rows[3].valid
    plain = parse_table([["姓名", "楼栋", "房号", "建筑面积"], ["甲", "1", "101", "50"]])
    assert plain.rows[0].area_source == "registered"


def test_cell_types_from_excel():
    rows = [
        ["姓名", "楼栋", "单元", "房号", "电话", "备注", "面积"],
        ["甲", 3.0, 1, 101.0, 13812345678.0, dt.datetime(2023, 5, 1), 85.60000000000001],
        ["乙", "3", None, "101-1", " 0514 - 8765 4321 ", dt.date(2023, 5, 2), "  "],
        ["王  芳", "3", None, "102", None, None, None],
    ]
    a, b, c = parse_table(rows).rows
    assert c.name == "王芳"
    assert (a.building, a.unit, a.room, a.phone, a.note, a.area) == (
        "3", "1", "101", "13812345678", "2023-05-01", Decimal("85.60")
    )
    assert (b.unit, b.room, b.phone, b.note, b.area) == ("", "101-1", "0514-87654321", "2023-05-02", None)
    assert a.valid and b.valid


def test_empty_sheet_and_no_rows(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    parse = read_roster(path)
    assert [p.code for p in parse.problems] == ["roster.empty"]
    only_header = parse_table([["姓名", "楼栋", "房号"], [None, None], []])
    assert [p.code for p in only_header.problems] == ["roster.no_rows"]


def test_sheet_choice(tmp_path):
    path = tmp_path / "two.xlsx"
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["请按模板填写"])
    ws = wb.create_sheet("名单")
    ws.append(["姓名", "楼栋", "房号"])
    ws.append(["张三", "1", "101"])
    wb.save(path)
    parse = read_roster(path)
    assert parse.sheet == "名单" and len(parse.valid_rows) == 1
    assert read_roster(path, sheet="说明").problems[0].code == "roster.no_header"
    with pytest.raises(InputError) as e:
        read_roster(path, sheet="Sheet9")
    assert e.value.problems[0].code == "roster.no_sheet" and "名单" in e.value.problems[0].message()


def test_unreadable_files(tmp_path):
    missing = tmp_path / "missing.xlsx"
    csv = tmp_path / "a.xlsx"
    csv.write_text("姓名,楼栋\n张三,1\n", encoding="utf-8")
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    truncated = tmp_path / "truncated.xlsx"
    clean_roster(tmp_path / "ok.xlsx", 5)
    truncated.write_bytes((tmp_path / "ok.xlsx").read_bytes()[:300])
    for path, code in [
        (missing, "roster.not_found"), (csv, "roster.not_xlsx"), (xls, "roster.not_xlsx"),
        (broken, "roster.unreadable"), (truncated, "roster.unreadable"),
    ]:
        with pytest.raises(InputError) as e:
            read_roster(path)
        assert [p.code for p in e.value.problems] == [code], path
        assert path.name in e.value.problems[0].message()


def test_other_extension_with_xlsx_content(tmp_path):
    path = tmp_path / "roster.et"
    clean_roster(path, 3)
    assert len(read_roster(path).valid_rows) == 3


def test_wrong_dimensions_do_not_cut_data(tmp_path):
    src = tmp_path / "ok.xlsx"
    expected = clean_roster(src, 30)
    bad = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="A1:H31"\s*/>', b'<dimension ref="A1:B2"/>', data)
                assert n == 1
            zout.writestr(item, data)
    parse = read_roster(bad)
    assert len(parse.valid_rows) == 30 and parse.rows[-1].name == expected["rows"][-1]["name"]


def test_clean_roster_10000_rows_fast(tmp_path):
    path = tmp_path / "big.xlsx"
    expected = clean_roster(path, 10000, seed=7)
    start = time.perf_counter()
    parse = read_roster(path)
    elapsed = time.perf_counter() - start
    assert parse.error_count == 0 and len(parse.valid_rows) == 10000
    for row, want in zip(parse.rows, expected["rows"]):
        assert {k: getattr(row, k) for k in want} == want
    assert elapsed < 8, f"10,000 rows took {elapsed:.1f}s"


garbage = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(
        alphabet=st.sampled_from("\x00\x01\x1f\u200b\u200e\u202e\ufeff \u3000张𠮷䶮1２xX-.㎡😀\U0001f468\u200d"),
        max_size=12,
    ),
    st.text(min_size=190, max_size=400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.decimals(allow_nan=True),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(garbage, min_size=0, max_size=len(FIELDS) + 2), min_size=1, max_size=8))
def test_garbage_cells_never_crash(body):
    header = ["楼栋", "单元", "房号", "姓名", "身份证号", "电话", "面积", "备注", "关系", "面积来源", "片区"]
    parse = parse_table([header] + body)
    assert parse.header_row == 1
    seen = {r.excel_row for r in parse.rows}
    for i, row in enumerate(body, start=2):
        if i not in seen:  # skipped rows must really be blank
            assert all(v is None or (isinstance(v, str) and not normalize_text(v)) for v in row[: len(header)])
    for row in parse.rows:
        assert row.valid == (not any(p.severity == "error" for p in row.problems))
        if not row.valid:
            assert all(p.row == row.excel_row and p.message() for p in row.problems)
        else:
            assert row.name and row.building and row.room
            assert len(row.name) <= 200 and len(row.note) <= 200
            if row.id_number is not None:
                validate_id_number(row.id_number)
            assert row.area is None or Decimal("0") < row.area <= Decimal("100000")
    assert len(seen) == len(parse.rows)
    assert len(parse.rows) + parse.blank_rows <= len(body)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(garbage, min_size=3, max_size=6), min_size=1, max_size=5))
def test_garbage_through_a_real_file(tmp_path, body):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def legal(v):
        if isinstance(v, str):
            return ILLEGAL_CHARACTERS_RE.sub("", v).replace("\r", "")
        if isinstance(v, float) and v != v:
            return None  # NaN cannot be stored in a cell
        return v

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "楼栋", "房号", "身份证号", "电话", "面积"])
    for row in body:
        ws.append([legal(v) for v in row])
    path = tmp_path / "garbage.xlsx"
    try:
        wb.save(path)
    except (ValueError, TypeError, OverflowError):
        return  # openpyxl cannot write this value; nothing to read
    parse = read_roster(path)
    for row in parse.rows:
        assert row.valid or any(p.severity == "error" for p in row.problems)
        if row.valid:
            assert row.name and row.building and row.room
