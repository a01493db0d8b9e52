"""The household list as a person searches it: 王吉 / wangji / wj find 王𠮷, "3-2-602" finds that room,
and while searching each row says why it matched (户主 / 家庭成员 … / 电话 …xxxx / 房号 …)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from renewal_desk.core.models import Person
from renewal_desk.core.services import households as hs
from renewal_desk.ui.household_model import REASON_COLUMN


def _search(page, qtbot, text):
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        page.search.setText(text)
    return [page.model.id_at(r) for r in range(page.model.rowCount())]


def _reasons(page):
    return [page.model.index(r, REASON_COLUMN).data() for r in range(page.model.rowCount())]


def test_variant_pinyin_place_and_reasons(window, qtbot, demo_db):
    page = window.show_section("households")
    assert page.table.isColumnHidden(REASON_COLUMN)
    assert page.model.headerData(REASON_COLUMN, Qt.Orientation.Horizontal) == "匹配依据"
    header = page.table.horizontalHeader()  # shown beside the head of household, not scrolled out of sight
    assert header.visualIndex(REASON_COLUMN) == header.visualIndex(3) + 1
    with demo_db.read() as s:
        wang = s.scalar(select(Person.household_id).where(Person.name == "王𠮷", Person.is_head.is_(True)))
        member = s.execute(select(Person.name, Person.household_id).where(Person.is_head.is_(False))
                           .order_by(Person.id)).first()
    assert wang is not None  # the demo has the rare name
    for query in ("王吉", "wangji", "wj"):
        found = _search(page, qtbot, query)
        assert wang in found, query
        assert not page.table.isColumnHidden(REASON_COLUMN)
        assert _reasons(page)[found.index(wang)] == "户主"
    found = _search(page, qtbot, member.name)
    assert member.household_id in found
    row = found.index(member.household_id)
    assert page.model.index(row, REASON_COLUMN).data() == f"家庭成员 {member.name}"
    assert page.model.index(row, REASON_COLUMN).data(Qt.ItemDataRole.ToolTipRole) == f"家庭成员 {member.name}"

    detail = hs.household_detail(demo_db, wang)
    place = f"{detail.building.removesuffix('号楼')}-{detail.unit.removesuffix('单元')}-{detail.room}"
    assert _search(page, qtbot, place) == [wang]
    assert _reasons(page) == [f"房号 {detail.building} {detail.unit} {detail.room}"]

    _search(page, qtbot, "")
    assert page.table.isColumnHidden(REASON_COLUMN)
    assert _reasons(page)[0] == ""


def test_opening_an_older_database_makes_its_search_keys_again(qtbot, demo_db):
    from renewal_desk.ui.main_window import MainWindow

    with demo_db.write() as s:  # keys as an older version made them: no building-unit-room key
        conn = s.connection()
        for hid, text in conn.exec_driver_sql("SELECT id, search_text FROM household").all():
            conn.exec_driver_sql("UPDATE household SET search_text = ? WHERE id = ?",
                                 ("\x1f".join(k for k in text.split("\x1f") if k.count("-") != 2), hid))
        conn.exec_driver_sql("DELETE FROM setting WHERE key = ?", (hs.SEARCH_KEYS_SETTING,))  # not noted by it
    assert hs.search_keys_stale(demo_db)
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not hs.search_keys_stale(demo_db), timeout=10000)
    page = win.show_section("households")
    first = hs.household_ids(demo_db)[0]
    detail = hs.household_detail(demo_db, first)
    place = f"{detail.building.removesuffix('号楼')}-{detail.unit.removesuffix('单元')}-{detail.room}"
    page.search.setText(place)  # the list reloads after the refresh too: wait for this search's rows
    qtbot.waitUntil(lambda: [page.model.id_at(r) for r in range(page.model.rowCount())] == [first], timeout=10000)
    assert page.model.index(0, REASON_COLUMN).data().startswith("房号")
