"""Hostile rosters: a merge over every column of the sheet is clipped to the used range; workbooks are
parsed through defusedxml."""

import tracemalloc
import zipfile

from renewal_desk.core.exchange.roster import read_roster
from tests.fixtures.make_rosters import clean_roster


def _with_merge(src, out, ref):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/>'
                                    f"</mergeCells>".encode(), 1)
            zout.writestr(item, data)


def test_a_merge_bomb_is_clipped_to_the_used_range(tmp_path):
    plain = tmp_path / "plain.xlsx"
    clean_roster(plain, 200)
    bomb = tmp_path / "bomb.xlsx"
    _with_merge(plain, bomb, "H2:XFD201")  # 备注 down 200 rows and across every column of the sheet
    tracemalloc.start()
    try:
        parsed = read_roster(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024
    assert len(parsed.rows) == len(read_roster(plain).rows)


def test_openpyxl_parses_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_fill_merged_never_widens_rows_beyond_the_used_range():
    from renewal_desk.core.exchange.roster import fill_merged

    rows = [["楼栋", "备注"], ["1", "x"], ["1", None], ["1", None]]
    filled = fill_merged(rows, [(1, 1, 3, 16383)])  # B2:XFD4
    assert filled == {(2, 1), (3, 1)}
    assert all(len(r) == 2 for r in rows) and rows[3][1] == "x"
