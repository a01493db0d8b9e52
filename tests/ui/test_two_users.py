"""Two people on one database (issue 18): what another copy of the app saves shows in this window within
seconds (the page in sight refreshes, and one out of sight too, without reopening anything); a household
someone else saved while it was open here is refused on Save with their name, nothing overwritten."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from renewal_desk.core.db import open_database
from renewal_desk.core.models import Unit
from renewal_desk.core.services import households as hs
from renewal_desk.ui.household_dialog import HouseholdDialog
from tests.core.test_edit_conflicts import _input

pytestmark = pytest.mark.both_engines


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


def test_saving_a_household_someone_else_saved_meanwhile_is_refused_naming_them(window, qtbot, demo_db,
                                                                                 monkeypatch):
    page = window.show_section("households")
    page.table.selectRow(0)
    household = page.model.id_at(0)
    other = open_database(demo_db.address, operator="李四")
    shown = {}

    def meanwhile_then_save(dialog):  # the dialog is open here while 李四 saves the same household
        hs.update_household(other, household, _input(hs.household_detail(other, household), "李四改的"))
        dialog.note.setPlainText("我改的")
        dialog.save()
        shown["errors"] = dialog.errors.text() if dialog.errors.isVisibleTo(dialog) else ""
        return dialog.result()

    monkeypatch.setattr(HouseholdDialog, "exec", meanwhile_then_save)
    try:
        page.act_edit.trigger()
        assert "李四" in shown["errors"] and "未保存" in shown["errors"], shown
        assert hs.household_detail(demo_db, household).note == "李四改的"  # nothing overwritten
        monkeypatch.setattr(HouseholdDialog, "exec", lambda dialog: (dialog.note.setPlainText("重新打开后改的"),
                                                                     dialog.save(), dialog.result())[-1])
        page.act_edit.trigger()  # opened again: it shows what 李四 saved, and saves
        assert hs.household_detail(demo_db, household).note == "重新打开后改的"
    finally:
        other.close()
