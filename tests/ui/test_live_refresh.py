"""What another copy of the app saves shows in this window within seconds (issue 18: live refresh): the page in
sight refreshes, and one out of sight too, without reopening anything."""

from __future__ import annotations

from sqlalchemy import select

from renewal_desk.core.db import open_database
from renewal_desk.core.models import Unit
from renewal_desk.core.services import households as hs


def _ids(page):
    return [page.model.id_at(r) for r in range(page.model.rowCount())]


def test_a_household_another_copy_adds_appears_in_the_open_list(window, qtbot, demo_db):
    page = window.show_section("households")
    assert page.model.rowCount() == 120
    with demo_db.read() as s:
        unit = s.scalar(select(Unit.id).order_by(Unit.id))
    other = open_database(demo_db.address, operator="乙")
    try:
        new = hs.create_household(other, hs.HouseholdInput(unit, "909", people=[hs.PersonInput("钱多多", is_head=True)]))
        qtbot.waitUntil(lambda: new in _ids(page), timeout=10000)  # no reload asked for
        assert page.count_label.text().startswith("121")
        overview = window.show_section("overview")
        qtbot.waitUntil(lambda: "121" in overview.counts.text(), timeout=10000)
        hs.delete_household(other, new)  # seen on the overview, the page now in sight
        qtbot.waitUntil(lambda: "120" in overview.counts.text(), timeout=10000)
    finally:
        other.close()
