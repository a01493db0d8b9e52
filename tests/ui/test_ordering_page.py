"""居民点单 as staff key paper forms: keyboard only, 100 forms, tallies update, projector shows them."""

from datetime import date

from PySide6.QtCore import Qt

from renewal_desk.core.models import RoundState, Tier
from renewal_desk.core.services import ordering as svc
from renewal_desk.core.services.households import household_ids, household_rows
from renewal_desk.ui.ordering_page import OrderingPage


def _wait(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


def test_one_hundred_forms_by_keyboard_alone(qtbot, demo_db):
    round_id = svc.create_round(demo_db, 1, "2026年居民点单", date(2026, 11, 1))
    svc.set_round_state(demo_db, round_id, RoundState.OPEN)
    page = OrderingPage(demo_db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.round is not None and page.item_table.model().rowCount() == 39, timeout=5000)
    menu_names = [m.name for m in page.item_table.items]
    green_row, elevator_row = menu_names.index("绿化整治"), menu_names.index("加装电梯")
    ids = household_ids(demo_db)[:100]
    rows = household_rows(demo_db, ids, full="测试：纸质表上的电话")  # the phones as written on the forms
    for n, hid in enumerate(ids):
        row = rows[hid]
        page.search.setFocus()
        # typed as staff do without switching to a Chinese input method: the phone on the form
        qtbot.keyClicks(page.search, row.phone[-8:])
        qtbot.keyClick(page.search, Qt.Key.Key_Return)  # picks the first match
        assert page.household_id == hid, (n, page.picked.text())
        table = page.item_table
        assert page.focusWidget() is table  # focus moved to the menu, ready for keys
        for _ in range(green_row):
            qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Space)  # tick 绿化整治
        qtbot.keyClick(table, Qt.Key.Key_1)  # priority 1
        for _ in range(elevator_row - green_row):
            qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_N if n % 4 == 0 else Qt.Key.Key_Y)  # vote on the elevator
        qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save and next
        assert page.focusWidget() is page.search and page.household_id is None
    _wait(page, qtbot)
    tally = page.tally
    assert tally.answered == 100
    green = next(t for t in tally.items if t.item.name == "绿化整治")
    elevator = next(t for t in tally.items if t.item.name == "加装电梯")
    assert green.households == 100 and green.priorities[1] == 100 and elevator.households == 75
    assert page.tally_model.rowCount() == 39 and "100" in page.tally_summary.text()
    assert page.followup_model.rowCount() == 20 and "*" in page.followup_model.rows[0][3]

    # Re-entering a household edits its order instead of adding another one.
    first = rows[ids[0]]
    qtbot.keyClicks(page.search, first.phone[-8:])
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert "已答" in page.picked.text() or "editing" in page.picked.text()
    for _ in range(green_row):
        qtbot.keyClick(page.item_table, Qt.Key.Key_Down)
    qtbot.keyClick(page.item_table, Qt.Key.Key_Space)  # untick
    qtbot.keyClick(page.item_table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _wait(page, qtbot)
    assert page.tally.answered == 100
    assert next(t for t in page.tally.items if t.item.name == "绿化整治").households == 99

    page.show_projector()
    qtbot.addWidget(page.projector)
    assert "100" in page.projector.summary.text() and "绿化整治" in page.projector.body.text()


def test_consent_tab_lists_unit_results(qtbot, demo_db):
    from renewal_desk.core.services.demo_ordering import generate_ordering_demo

    generate_ordering_demo(demo_db, 1, seed=3, today=date(2026, 11, 22))
    page = OrderingPage(demo_db)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.tally_model.rowCount() > 0, timeout=10000)
    assert page.consent_model.rowCount() == 0  # counted when the tab is shown, not on every open
    with qtbot.waitSignal(page.consents_loaded, timeout=10000):
        page.tabs.setCurrentWidget(page.consent_tab)
    results = {row[6] for row in page.consent_model.rows}
    assert results <= {"通过", "未通过"} and "未通过" in results
    elevator_rows = [row for row in page.consent_model.rows if row[1] == "加装电梯"]
    assert elevator_rows and all(row[7] for row in elevator_rows if row[6] == "未通过")  # the reason is given


def test_table_chart_and_notice_agree_on_the_demo_data(qtbot, demo_db, tmp_path):
    """The tally table, the chart and the printed notice come from the same numbers."""
    import re
    import shutil
    import subprocess

    import pytest

    from renewal_desk.core.services.demo_ordering import generate_ordering_demo
    from renewal_desk.core.services.printouts import print_document

    round_id = generate_ordering_demo(demo_db, 1, seed=5, today=date(2026, 11, 22))
    page = OrderingPage(demo_db)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.tally_model.rowCount() > 0, timeout=10000)
    table = {row[2]: int(row[3]) for row in page.tally_model.rows}
    service = {t.item.name: t.households for t in svc.tallies(demo_db, round_id).items}
    assert table == service
    heights = sorted((float(b.opts["width"][0]) for b in page.plot.getPlotItem().items
                      if hasattr(b, "opts") and "x0" in b.opts), reverse=True)  # horizontal bars: width
    optional = sorted((t.households for t in page.tally.items if not t.item.mandatory), reverse=True)[:15]
    assert heights == [float(h) for h in optional]
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    out = tmp_path / "notice.pdf"
    print_document(demo_db, "ordering-notice", round_id, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    for name, count in service.items():
        line = next((ln for ln in text.splitlines() if re.search(rf"\s{re.escape(name)}\s+{count}\s", ln)), None)
        assert line, f"{name} {count} not in the notice"
    assert "通过" in text and "%" in text
    assert not re.search(r"\d{17}[\dX]", text) and not re.search(r"1[3-9]\d{9}", text)  # no ID, no phone
    names = {r.head_name for r in household_rows(demo_db, household_ids(demo_db)).values()}
    assert not any(n in text for n in names if len(n) >= 2)


def test_menu_dialog_adds_retires_and_reorders(qtbot, demo_db):
    from renewal_desk.ui.ordering_page import MenuDialog

    svc.create_round(demo_db, 1, "点单", date(2026, 11, 1))
    dialog = MenuDialog(demo_db, 1)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 39
    new_id = dialog.add("口袋公园", Tier.BETTER)
    assert new_id and dialog.current_id() == new_id
    dialog.toggle()
    assert "口袋公园" not in [m.name for m in svc.menu(demo_db, 1)]
    dialog.toggle()
    dialog.move(-1)
    names = [m.name for m in svc.menu(demo_db, 1) if m.tier == Tier.BETTER]
    assert names.index("口袋公园") == len(names) - 2


def test_breakdown_by_building_and_unit_and_round_scope(qtbot, demo_db):
    from renewal_desk.core.services import places

    building = places.tree(demo_db)[0].children[0].children[1]  # 2号楼
    page = OrderingPage(demo_db)
    qtbot.addWidget(page)
    round_id = page.create_round(1, "二号楼点单", [building.id])
    assert len(svc.scope_household_ids(demo_db, round_id)) == building.households
    svc.set_round_state(demo_db, round_id, RoundState.OPEN)
    green = next(m for m in svc.menu(demo_db, 1) if m.name == "绿化整治")
    for hid in svc.scope_household_ids(demo_db, round_id)[:5]:
        svc.record_order(demo_db, round_id, svc.OrderInput(hid, {green.id: (1, "yes")}))
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    row = next(r for r in range(page.tally_model.rowCount()) if page.tally_model.rows[r][2] == "绿化整治")
    with qtbot.waitSignal(page.breakdown_loaded, timeout=10000):
        page.tally_table.selectRow(row)
    assert page.breakdown.rows[0] == ("2号楼", 5) and page.breakdown.rows[1][0].strip().startswith("2号楼")
    assert sum(n for name, n in page.breakdown.rows[1:]) == 5


def test_no_on_an_unticked_consent_item_is_a_vote_not_an_order(qtbot, demo_db, qtmodeltester):
    round_id = svc.create_round(demo_db, 1, "2026年居民点单", date(2026, 11, 1))
    svc.set_round_state(demo_db, round_id, RoundState.OPEN)
    page = OrderingPage(demo_db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.round is not None and page.item_table.model().rowCount() == 39, timeout=5000)
    table = page.item_table
    elevator_row = [m.name for m in table.items].index("加装电梯")
    hid = household_ids(demo_db)[0]
    page.search.setFocus()
    qtbot.keyClicks(page.search, household_rows(demo_db, [hid], full="测试：按电话搜索")[hid].phone[-8:])
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.household_id == hid
    for _ in range(elevator_row):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_N)
    menu = table.model()
    qtmodeltester.check(menu)
    assert menu.index(elevator_row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked  # not ordered
    assert menu.index(elevator_row, 2).data() == ""  # no priority
    assert menu.index(elevator_row, 3).data() == "不同意"
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _wait(page, qtbot)
    elevator = next(t for t in svc.tallies(demo_db, round_id).items if t.item.name == "加装电梯")
    assert elevator.households == 0 and sum(elevator.priorities.values()) == 0
    assert [v for _p, v in svc.order_of(demo_db, round_id, hid).choices.values()] == ["no"]
