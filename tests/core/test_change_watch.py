"""Views refresh when another copy of the app commits (issue 18): core.db.ChangeWatch reads others' commits
from the audit log, woken by NOTIFY on PostgreSQL and by the log's last id on SQLite; a copy's own saves and
entries that change nothing (a reveal, a print) are left out."""

from __future__ import annotations

import time

from renewal_desk.core.db import open_database
from renewal_desk.core.services import events, households as hh, places


def _wait_for(watch, seconds: float = 10.0) -> set[str]:
    """What the window's poller would see within `seconds` (the notification travels after the commit)."""
    deadline = time.monotonic() + seconds
    while True:
        found = watch.changed_tables()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_another_copys_commits_are_seen_and_own_saves_are_not(db):
    project = places.create_place(db, "project", "老街项目")
    other = open_database(db.address, operator="乙")
    watch = db.watch()
    try:
        assert watch.changed_tables() == set() and watch.listening == (db.url is not None)
        places.create_place(db, "block", "一号院", parent_id=project)  # this copy's own save
        assert _wait_for(watch, 0.5) == set()

        block = places.create_place(other, "block", "二号院", parent_id=project)
        building = places.create_place(other, "building", "3号楼", parent_id=block)
        seen = _wait_for(watch)
        assert seen == {"block", "building"} and events.topics_of(seen) == ["places"]
        assert watch.changed_tables() == set()  # told once

        unit = places.create_place(other, "unit", "1单元", parent_id=building)
        places.create_place(db, "block", "三号院", parent_id=project)  # own and other's in one look
        household = hh.create_household(other, hh.HouseholdInput(unit, "101", people=[hh.PersonInput("王秀英", is_head=True)]))
        seen = _wait_for(watch)
        while "household" not in seen:
            more = _wait_for(watch)
            assert more, seen
            seen |= more
        assert "block" not in seen and events.topics_of(seen) == ["households", "places"]

        hh.household_rows(other, [household], full="核对身份证")  # a reveal changes nothing shown
        assert _wait_for(watch, 0.5) == set()
    finally:
        watch.close()
        other.close()
