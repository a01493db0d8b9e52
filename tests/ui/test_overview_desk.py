"""概览 as today's desk: every kind of item from the demo data is listed, and a click opens the record."""

from PySide6.QtCore import Qt

import pytest

from renewal_desk.core.services import overview
from renewal_desk.ui.overview_page import ITEM_ROLE


@pytest.fixture
def demo_db(records_db):
    """The demo with every record type (as the first run's demo offers it)."""
    return records_db


def _overview(window, qtbot):
    page = window.show_section("overview")
    qtbot.waitUntil(lambda: page.desk is not None, timeout=20000)
    return page


def test_overview_lists_each_kind_and_counts_agree(window, qtbot, demo_db):
    page = _overview(window, qtbot)
    desk = overview.today_desk(demo_db)
    for kind in overview.DESK_KINDS:
        lines = page.lines(kind)
        assert lines, f"nothing listed for {kind}"
        assert len(lines) == desk.count(kind)  # the heading's count is the list's length
        head = lines[0].parent().text(0)
        assert f"（{len(lines)}）" in head
    found = overview.counts(demo_db)
    assert f"住户：{found['household']}" in page.counts.text().replace(": ", "：")
    assert f"{found['person']}" in page.counts.text()
    # a problem's state in words (its stored code since migration 0022 once showed: "notified", "failed")
    from renewal_desk.core.rules.rectification import STATE_LABELS

    problems = [line.text(0) for line in page.lines("rectification")]
    assert problems and all(any(f"（{zh}，" in t for zh, _en in STATE_LABELS.values()) for t in problems), problems
    # audit rows in words, never table names or codes
    model = page.recent.model()
    texts = [model.index(r, c).data() for r in range(model.rowCount()) for c in (2, 3)]
    assert texts and not any("_" in t or t in ("insert", "update", "demo") for t in texts), texts
    assert page.ageing_plot is not None and page.return_plot.isVisible()


def test_clicking_a_line_opens_that_record_in_its_section(window, qtbot):
    page = _overview(window, qtbot)
    checks = {
        "rectification": lambda p, i: p.problems.key_at(p.problem_table.currentIndex().row()) == i.record_id,
        "arrears": lambda p, i: p.contracts.key_at(p.contract_table.currentIndex().row()) == i.record_id,
        "expiring": lambda p, i: p.contracts.key_at(p.contract_table.currentIndex().row()) == i.record_id,
        "due": lambda p, i: p.contracts.key_at(p.contract_table.currentIndex().row()) == i.record_id,
        "opinion": lambda p, i: p.selected_opinion_id() == i.record_id,
        "meeting": lambda p, i: p.meeting_box.currentData() == i.record_id,
        "task": lambda p, i: p.meeting_box.currentData() == i.record_id,
        "ordering": lambda p, i: p.round_box.currentData() == i.record_id,
    }
    assert set(checks) == set(overview.DESK_KINDS)  # every kind of item is clicked (a new kind needs its check)
    for kind, selected in checks.items():
        window.show_section("overview")
        line = page.lines(kind)[-1]
        item = line.data(0, ITEM_ROLE)
        rect = page.todo.visualItemRect(line)
        page.todo.scrollToItem(line)
        rect = page.todo.visualItemRect(line)
        qtbot.mouseClick(page.todo.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        target = window.pages[item.section]
        qtbot.waitUntil(lambda: window.stack.currentWidget() is target, timeout=5000)
        from renewal_desk.ui.main_window import SECTIONS

        assert window.nav.currentRow() == SECTIONS.index(item.section)
        qtbot.waitUntil(lambda: selected(target, item), timeout=15000)


def test_opening_the_overview_loads_it_once_and_coming_back_loads_it_again(window, qtbot, monkeypatch):
    """The page built on first opening starts its own load; the window used to start a second one beside
    it (two loads of today's desk racing on the two cores: 概览 took over a second on the large database)."""
    from renewal_desk.ui.main_window import SECTIONS
    from renewal_desk.ui.overview_page import OverviewPage

    loads = []
    real = OverviewPage._load
    monkeypatch.setattr(OverviewPage, "_load", lambda self: loads.append(1) or real(self))
    window.nav.setCurrentRow(SECTIONS.index("overview"))  # as a click on 概览 in the section list does
    page = window.pages["overview"]
    qtbot.waitUntil(lambda: page.desk is not None, timeout=20000)
    qtbot.wait(200)
    assert len(loads) == 1
    window.nav.setCurrentRow(SECTIONS.index("households"))
    with qtbot.waitSignal(page.loaded, timeout=20000):
        window.nav.setCurrentRow(SECTIONS.index("overview"))  # back: what changed meanwhile shows
    assert len(loads) == 2
