"""Two people changing the same record never silently overwrite each other (issue 18, scope 3).

Each copy of the app remembers the version of every record it read; saving a record that someone else
saved since is refused with their name and time, and nothing of the refused save is written. On
PostgreSQL the test also runs with two separate processes on one database (tests/core/edit_worker.py).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from renewal_desk.core.db import EditConflict, open_database
from renewal_desk.core.services import households as hh
from renewal_desk.core.services.demo import generate_demo
from tests.core.test_meetings import estate, meeting  # noqa: F401 - fixtures of the ballot test

WORKER = Path(__file__).with_name("edit_worker.py")


def _input(detail: hh.HouseholdDetail, note: str) -> hh.HouseholdInput:
    people = [hh.PersonInput(p.name, p.id_number, p.phone, p.relation, p.is_head, p.roles, p.note, p.id)
              for p in detail.people]
    return hh.HouseholdInput(detail.unit_id, detail.room, detail.area, detail.area_source, note, detail.is_vacant,
                             people)


def _address(db):
    return db.address


def test_the_second_save_of_one_household_is_refused_with_the_first_ones_name_and_time(db):
    generate_demo(db, households=10, seed=3)
    first, second = hh.household_ids(db)[:2]
    other = open_database(_address(db), operator="李四")  # a second copy of the app on the same database
    try:
        mine, theirs = hh.household_detail(db, first), hh.household_detail(other, first)  # both open it
        hh.household_detail(other, second)
        hh.update_household(other, first, _input(theirs, "李四改的"))
        hh.update_household(other, second, _input(hh.household_detail(other, second), "李四也改了这户"))
        with pytest.raises(EditConflict) as refused:
            hh.update_household(db, first, _input(mine, "测试员改的"))
        message = str(refused.value)
        assert "李四" in message and "修改" in message and "未保存" in message
        assert refused.value.who == "李四" and refused.value.when is not None
        assert refused.value.when.astimezone().strftime("%Y-%m-%d %H:%M:%S") in message
        assert hh.household_detail(other, first).note == "李四改的"  # nothing of the refused save
        # a household only the other copy changed, and one nobody else touched, save as usual
        hh.update_household(db, hh.household_ids(db)[2], _input(hh.household_detail(db, hh.household_ids(db)[2]), "x"))
        # after reopening, the change goes through; the other copy now is the one behind
        hh.update_household(db, first, _input(hh.household_detail(db, first), "测试员重新打开后改的"))
        assert hh.household_detail(db, first).note == "测试员重新打开后改的"
        with pytest.raises(EditConflict, match="测试员"):
            hh.update_household(other, first, _input(theirs, "李四的旧窗口"))
    finally:
        other.close()


def test_own_saves_one_after_another_are_never_a_conflict(db):
    generate_demo(db, households=10, seed=4)
    household = hh.household_ids(db)[0]
    for n in range(3):
        hh.update_household(db, household, _input(hh.household_detail(db, household), f"第{n}次"))
    detail = hh.household_detail(db, household)
    hh.update_household(db, household, _input(detail, "再一次"))
    hh.update_household(db, household, _input(detail, "同一个窗口再保存"))  # the version it wrote is known
    assert hh.household_detail(db, household).note == "同一个窗口再保存"


def _worker(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), url, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])


def _talk(proc: subprocess.Popen, command: str) -> dict:
    proc.stdin.write(command + "\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return json.loads(line)


def test_two_processes_on_one_server_database(pg_url):
    """Two app processes on one PostgreSQL database: different households at once are both saved; the
    same household: the second is refused with the first's name and time, and nothing is lost."""
    setup = open_database(pg_url, operator="准备", create=True)
    generate_demo(setup, households=10, seed=5)
    first, second = hh.household_ids(setup)[:2]
    setup.close()
    a, b = _worker(pg_url, "张三"), _worker(pg_url, "李四")
    try:
        for proc in (a, b):
            assert _talk(proc, f"open {first}")["ok"] and _talk(proc, f"open {second}")["ok"]
        # at once, different households: both saved
        a.stdin.write(f"save {first} 张三改第一户\n"), b.stdin.write(f"save {second} 李四改第二户\n")
        a.stdin.flush(), b.stdin.flush()
        assert json.loads(a.stdout.readline())["ok"] and json.loads(b.stdout.readline())["ok"]
        # the same household, both opened before either saved: the second save is refused
        assert _talk(a, f"open {first}")["ok"] and _talk(b, f"open {first}")["ok"]
        assert _talk(a, f"save {first} 张三再改第一户")["ok"]
        refused = _talk(b, f"save {first} 李四也改第一户")
        assert not refused["ok"] and refused["who"] == "张三" and "张三" in refused["message"]
        assert refused["when"] in refused["message"]
        _talk(a, "quit"), _talk(b, "quit")
    finally:
        for proc in (a, b):
            proc.kill() if proc.poll() is None else None
            proc.wait()
    check = open_database(pg_url, operator="检查")
    try:
        assert hh.household_detail(check, first).note == "张三再改第一户"
        assert hh.household_detail(check, second).note == "李四改第二户"
    finally:
        check.close()


PRINTER = """
import sys
from pathlib import Path
from renewal_desk.core.db import open_database
from renewal_desk.core.services.printouts import print_document
url, name, building, count, folder = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
db = open_database(url, operator=name)
for k in range(count):
    print_document(db, "building-roster", building, folder / f"{name}-{k}.pdf")
db.close()
print("done", flush=True)
"""


def test_document_numbers_printed_from_two_processes_at_once_are_unique_and_gapless(pg_url, tmp_path):
    import os
    import re

    from tests.core import raw_sql

    setup = open_database(pg_url, operator="准备", create=True)
    generate_demo(setup, households=10, seed=6)
    con = raw_sql.connect(setup)
    building = con.execute("SELECT min(id) FROM building").fetchone()[0]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    printers = [subprocess.Popen([sys.executable, "-c", PRINTER, pg_url, name, str(building), "4", str(tmp_path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for name in ("张三", "李四")]
    for proc in printers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and out.strip() == "done", err
    notes = [r[0] for r in con.execute("SELECT note FROM audit_log WHERE action = 'print' ORDER BY id")]
    con.close()
    setup.close()
    numbers = [re.search(r"-(\d{4})$", n).group(1) for n in notes]
    assert sorted(numbers) == [f"{k:04d}" for k in range(1, 9)]  # 8 prints: 0001 … 0008, none twice, none missing
    assert len(list(tmp_path.glob("*.pdf"))) == 8


VOTER = """
import sys
from renewal_desk.core.db import open_database
from renewal_desk.core.services import meetings as svc
url, name, motion, attendees = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(a) for a in sys.argv[4].split(",")]
db = open_database(url, operator=name)
for k, attendee in enumerate(attendees):
    svc.cast_ballot(db, motion, attendee, "no" if k == 0 else "yes")
db.close()
print("done", flush=True)
"""


def test_ballots_cast_from_two_laptops_at_once_are_all_counted_once(db, estate, meeting):
    """Two copies of the app (processes) on one database record the ballots of one named vote at once,
    each its half of the room: every ballot counted, none twice (on the server and on a shared file)."""
    import os

    from renewal_desk.core.services import meetings as svc
    from tests.core.test_meetings import START

    _, ids = estate
    rows = svc.attendees(db, meeting)
    for row in rows:
        svc.sign_in(db, row.id, START)
    motion = svc.add_motion(db, meeting, svc.MotionInput("1单元加装电梯", matter="special", method="named"))
    svc.start_vote(db, motion, START + timedelta(minutes=45))
    halves = [",".join(str(r.id) for r in rows[:6]), ",".join(str(r.id) for r in rows[6:])]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    voters = [subprocess.Popen([sys.executable, "-c", VOTER, db.address, name, str(motion), half],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
              for name, half in (("唱票甲", halves[0]), ("唱票乙", halves[1]))]
    for proc in voters:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and out.strip() == "done", err
    result = svc.motion_result(db, motion).result
    assert (result.eligible_owners, result.participating_owners, result.yes_owners) == (12, 12, 10)
    assert len(svc.voters(db, motion)) == 12


def test_own_bulk_changes_are_not_taken_for_someone_elses(db):
    """Renaming a building re-keys its households with one UPDATE: the household opened before is still
    this copy's to save."""
    generate_demo(db, households=10, seed=8)
    household = hh.household_ids(db)[0]
    opened = hh.household_detail(db, household)
    with db.write() as s:  # a bulk UPDATE through the ORM, as services do for derived columns
        from sqlalchemy import update

        from renewal_desk.core.models import Household

        s.execute(update(Household).where(Household.id == household).values(note="批量"))
    hh.update_household(db, household, _input(opened, "之后保存"))
    assert hh.household_detail(db, household).note == "之后保存"
