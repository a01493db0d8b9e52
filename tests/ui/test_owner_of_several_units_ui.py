"""One owner of several units (domain: counts once) registered from the household dialog: the second
flat under the same ID number and name is saved, another name under it is refused in Chinese, and a
meeting vote then counts that owner once by headcount and with both flats' areas."""

from datetime import date, datetime
from decimal import Decimal

from renewal_desk.core.models import MeetingKind
from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import households as hs
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.household_dialog import HouseholdDialog


def _register(qtbot, db, unit, room, area, name, id_number):
    dialog = HouseholdDialog(db, unit_id=unit)
    qtbot.addWidget(dialog)
    dialog.room.setText(room)
    dialog.area.setText(area)
    dialog.set_person(0, 0, name)
    dialog.set_person(0, 3, id_number)
    dialog.save()
    return dialog


def test_an_owner_of_two_flats_is_registered_from_the_dialog_and_votes_once(qtbot, db):
    project = create_place(db, "project", "幸福里改造")
    building = create_place(db, "building", "1号楼", create_place(db, "block", "幸福里", project))
    unit = create_place(db, "unit", "1单元", building)
    owner = make_id_number("110105", date(1950, 1, 1), 1)
    first = _register(qtbot, db, unit, "101", "80", "王𠮷", owner)
    assert first.result() == first.DialogCode.Accepted
    wrong = _register(qtbot, db, unit, "102", "60", "王吉", owner)
    assert wrong.result() != wrong.DialogCode.Accepted and "已登记在 1号楼 1单元 101（王𠮷）" in wrong.errors.text()
    second = _register(qtbot, db, unit, "102", "60", "王𠮷", owner)
    assert second.result() == second.DialogCode.Accepted
    other = _register(qtbot, db, unit, "103", "100", "李四", make_id_number("110105", date(1960, 2, 2), 3))
    assert other.result() == other.DialogCode.Accepted
    # searching finds both flats; the list still masks the number
    found = hs.household_ids(db, hs.HouseholdFilter(query="王𠮷"))
    assert sorted(found) == sorted([first.saved_id, second.saved_id])
    assert all(owner not in (r.id_number or "") for r in hs.household_rows(db, found).values())

    mid = svc.create_meeting(db, svc.MeetingInput("业主大会", datetime(2026, 11, 25, 14, 30), MeetingKind.OWNERS, project))
    svc.invite_households(db, mid)
    rows = {r.household_id: r for r in svc.attendees(db, mid)}
    motion = svc.add_motion(db, mid, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    totals = svc.scope_totals(db, motion)
    assert (totals.owners, totals.area) == (2, Decimal(240))
    for hid in (first.saved_id, second.saved_id):
        svc.sign_in(db, rows[hid].id, datetime(2026, 11, 25, 14, 30))
    svc.start_vote(db, motion, datetime(2026, 11, 25, 14, 40))
    for hid in (first.saved_id, second.saved_id):
        svc.cast_ballot(db, motion, rows[hid].id, "赞成")
    r = svc.motion_result(db, motion).result
    assert (r.eligible_owners, r.participating_owners, r.yes_owners) == (2, 1, 1)
    assert (r.participating_area, r.yes_area) == (Decimal(140), Decimal(140))
