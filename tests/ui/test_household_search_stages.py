"""A household list that needs a scan arrives in two steps (the first page at once, then the rest
appended without a reset); the latest query wins while one is running."""

from __future__ import annotations

from renewal_desk.core.services.demo import generate_demo
from renewal_desk.core.services.households import HouseholdFilter, household_ids
from renewal_desk.ui.household_model import FIRST_PAGE, REASON_COLUMN, HouseholdTableModel


def test_first_page_then_the_rest_appended(qtbot, qtmodeltester, db):
    generate_demo(db, households=FIRST_PAGE + 130, seed=3)
    model = HouseholdTableModel(db)
    seen = []
    model.first_page.connect(lambda n: seen.append(("first", n, model.rowCount())))
    model.loaded.connect(lambda n: seen.append(("all", n, model.rowCount())))
    resets, inserts = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserts.append((a, b)))
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.reload()
    assert seen == [("first", FIRST_PAGE, FIRST_PAGE), ("all", FIRST_PAGE + 130, FIRST_PAGE + 130)]
    assert resets == [] and inserts == [(0, FIRST_PAGE - 1), (FIRST_PAGE, FIRST_PAGE + 129)]
    assert [model.id_at(r) for r in range(model.rowCount())] == household_ids(db)
    qtmodeltester.check(model)


def test_a_new_search_swaps_the_rows_without_a_reset(qtbot, qtmodeltester, db):
    """Typing changes the rows in place (rows removed or added at the end, the rest repainted): the view keeps
    its header and sizes instead of asking for them again per keystroke."""
    generate_demo(db, households=FIRST_PAGE + 130, seed=3)
    model = HouseholdTableModel(db)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.reload()
    resets, removed, changed = [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    model.dataChanged.connect(lambda a, b, _r=(): changed.append((a.row(), b.row())))
    query = "王"
    expected = household_ids(db, HouseholdFilter(query=query))
    assert 0 < len(expected) < FIRST_PAGE + 130
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.set_filter(HouseholdFilter(query=query))
    assert resets == [] and removed == [(len(expected), FIRST_PAGE + 129)]
    assert changed == [(0, len(expected) - 1)]
    assert [model.id_at(r) for r in range(model.rowCount())] == expected
    assert model.data(model.index(0, REASON_COLUMN))  # the rows shown are the new ones, with why they matched
    qtmodeltester.check(model)


def test_indexed_queries_and_small_results_come_in_one_step(qtbot, db):
    generate_demo(db, households=FIRST_PAGE + 130, seed=3)
    model = HouseholdTableModel(db)
    firsts = []
    model.first_page.connect(firsts.append)
    for query in ("1号楼", "王"):  # indexed (3 characters); a scan with fewer matches than a page
        with qtbot.waitSignal(model.loaded, timeout=10000) as blocker:
            model.set_filter(HouseholdFilter(query=query))
        assert blocker.args == [len(household_ids(db, HouseholdFilter(query=query)))]
    assert firsts == []


def test_typing_fast_runs_the_latest_query(qtbot, db):
    generate_demo(db, households=150, seed=3)
    model = HouseholdTableModel(db)
    counts = []
    model.loaded.connect(counts.append)
    for text in ("1", "1号", "1号楼", "1号楼1", "1号楼1单元"):
        model.set_filter(HouseholdFilter(query=text))
    qtbot.waitUntil(lambda: model._loading is False and bool(counts), timeout=10000)
    qtbot.wait(50)
    assert counts[-1] == len(household_ids(db, HouseholdFilter(query="1号楼1单元")))
    assert model.rowCount() == counts[-1] and len(counts) <= 3  # not one query per keystroke
