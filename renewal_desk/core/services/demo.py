"""A coherent fictional community for demos, tests and benchmarks (10 to 200,000 households), and
with `with_records` the rent-storage register of demo_leases.

Names are plausible but invented, ID numbers are fictional with valid check characters, phones use
real mobile prefixes. Rows go in with bulk inserts in one transaction; one audit entry records the
generation (the individual rows are generated data, not anyone's edit).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from ..audit import record_event
from ..db import Database
from ..models import (AreaSource, Block, Building, Household, Person, PersonRole, Project, ProjectStage, ProjectType,
                      Role, Unit, new_uuid, utcnow)
from ..problems import InputError, Problem, declare
from ..rules.idcard import make_id_number
from ..rules.sorting import natural_key
from .demo_names import (AREA_CODES, BLOCK_NAMES, GIVEN, MOBILE_PREFIXES, RARE_NAMES,  # noqa: F401 - demo's API
                         RELATIONS, SURNAMES)
from .households import derived_for

E_DEMO_RANGE = declare("demo.range", "住户数须在 {min} 到 {max} 之间", "The number of households must be between {min} and {max}")
MIN_HOUSEHOLDS, MAX_HOUSEHOLDS = 10, 200_000


@dataclass
class DemoSummary:
    project_id: int
    blocks: int
    buildings: int
    units: int
    households: int
    people: int
    stored_houses: int = 0


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def check_household_count(households: int) -> None:
    if not MIN_HOUSEHOLDS <= households <= MAX_HOUSEHOLDS:
        raise InputError(Problem(E_DEMO_RANGE, {"min": MIN_HOUSEHOLDS, "max": MAX_HOUSEHOLDS}, value=str(households)))


class DemoCancelled(Exception):
    """Raised by a progress callback to stop the demo; generate_demo then leaves the database as it was."""


RECORD_STEPS = 5  # ordering, meetings, rent-storage, designer, supervision


def generate_demo(db: Database, households: int = 500, seed: int = 1,
                  project_name: str = "幸福里社区老旧小区综合改造",
                  progress: Callable[[int, int], None] | None = None, with_records: bool = False) -> DemoSummary:
    """A fictional community (and with_records, every record type on it) in ONE transaction: a failure, or a
    progress callback raising DemoCancelled, leaves nothing behind. progress(done, total) is called between
    steps; total is `households`, plus one share per record type with_records."""
    check_household_count(households)
    with db.batch(note="demo"):
        return _generate_demo(db, households, seed, project_name, progress, with_records)


def _generate_demo(db: Database, households: int, seed: int, project_name: str,
                   progress: Callable[[int, int], None] | None, with_records: bool) -> DemoSummary:
    share = max(1, households // RECORD_STEPS)
    total = households + (share * RECORD_STEPS if with_records else 0)
    rng = random.Random(seed)
    now = utcnow()
    stamp = {"created_at": now, "updated_at": now}
    floors_per_building, rooms_per_floor, units_per_building = 6, 2, 3
    per_building = floors_per_building * rooms_per_floor * units_per_building  # 36 households
    n_buildings = max(1, -(-households // per_building))
    n_blocks = min(len(BLOCK_NAMES), max(1, n_buildings // 12 + 1))

    with db.write(note="demo") as s:
        base = {t: (s.scalar(select(func.max(t.id))) or 0) for t in (Project, Block, Building, Unit, Household, Person)}
        suffix = 1
        name = project_name
        while s.scalar(select(Project.id).where(Project.name == name)) is not None:
            suffix += 1
            name = f"{project_name}（{suffix}）"
        project_id = base[Project] + 1
        s.execute(insert(Project), [{"id": project_id, "uuid": new_uuid(), "name": name, "district": "幸福街道幸福里社区",
                                     "project_type": ProjectType.RESIDENTIAL.value, "stage": ProjectStage.LISTED.value,
                                     "description": "演示数据：虚构社区，仅供熟悉软件使用。", **stamp}])
        blocks, buildings, units, homes, people, roles = [], [], [], [], [], []
        block_ids = []
        for b in range(n_blocks):
            block_ids.append(base[Block] + b + 1)
            blocks.append({"id": block_ids[-1], "uuid": new_uuid(), "project_id": project_id, "name": BLOCK_NAMES[b],
                           "sort_key": natural_key(f"{b:02d}"), "note": "", **stamp})
        person_id = base[Person]
        rare = list(RARE_NAMES)
        made = 0
        for g in range(n_buildings):
            building_id = base[Building] + g + 1
            bname = f"{g + 1}号楼"
            street = f"幸福路{100 + g * 2}号"
            buildings.append({"id": building_id, "uuid": new_uuid(), "block_id": block_ids[g % n_blocks],
                              "name": bname, "sort_key": natural_key(bname), "address": street,
                              "floors": floors_per_building, "built_year": rng.choice((1986, 1990, 1994, 1998, 2001)),
                              "note": "", **stamp})
            for u in range(units_per_building):
                unit_id = base[Unit] + g * units_per_building + u + 1
                uname = f"{u + 1}单元"
                units.append({"id": unit_id, "uuid": new_uuid(), "building_id": building_id, "name": uname,
                              "sort_key": natural_key(uname), **stamp})
                for floor in range(1, floors_per_building + 1):
                    for r in range(1, rooms_per_floor + 1):
                        if made >= households:
                            break
                        made += 1
                        household_id = base[Household] + made
                        room = f"{floor}{r:02d}"
                        size = rng.randint(1, 4)
                        members = []
                        head_name = rare.pop(0) if rare and rng.random() < 0.3 else _person_name(rng)
                        surname = head_name[0]
                        for m in range(size):
                            person_id += 1
                            pname = head_name if m == 0 else (surname + rng.choice(GIVEN) if rng.random() < 0.6
                                                              else _person_name(rng))
                            birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 62))
                            seq = rng.randint(0, 999)
                            mobile = (rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
                                      if m == 0 or rng.random() < 0.5 else None)
                            pid = make_id_number(rng.choice(AREA_CODES), birth, seq)
                            members.append((pname, mobile))
                            people.append({"id": person_id, "uuid": new_uuid(), "household_id": household_id,
                                           "name": pname, "is_head": m == 0, "relation": "户主" if m == 0 else
                                           rng.choice(RELATIONS), "id_number": pid, "gender": "男" if seq % 2 else "女",
                                           "birth_date": birth, "phone": mobile, "note": "", **stamp})
                            role = Role.OWNER.value if m == 0 else Role.TENANT.value if rng.random() < 0.05 else None
                            if role:
                                roles.append({"person_id": person_id, "role": role})
                            if m == 0 and rng.random() < 0.04:
                                roles.append({"person_id": person_id, "role": Role.REPRESENTATIVE.value})
                            if m == 0 and rng.random() < 0.06:
                                roles.append({"person_id": person_id, "role": Role.PARTY_MEMBER.value})
                        sort_key, search_text = derived_for(bname, uname, room, members, street)
                        area = Decimal(rng.randint(4200, 13500)) / 100
                        homes.append({"id": household_id, "uuid": new_uuid(), "unit_id": unit_id, "room": room,
                                      "area": str(area), "area_source": rng.choices(
                                          [a.value for a in AreaSource], weights=(85, 10, 5))[0],
                                      "is_vacant": False, "note": "", "sort_key": sort_key,
                                      "search_text": search_text, **stamp})
                        if progress and made % 200 == 0:
                            progress(made, total)
        conn = s.connection()
        for model, rows in ((Block, blocks), (Building, buildings), (Unit, units), (Household, homes),
                            (Person, people), (PersonRole, roles)):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(model.__table__), rows[start:start + 20_000])
        record_event(s, "demo", "project", project_id, note=f"生成演示数据：{made} 户，{len(people)} 人（随机种子 {seed}）")
    stored = 0
    if with_records:  # the record types built so far: ordering, rent-storage, chief street designer
        from .demo_designer import generate_designer_demo
        from .demo_leases import generate_lease_demo
        from .demo_meetings import generate_meeting_demo
        from .demo_ordering import generate_ordering_demo

        from .demo_supervision import generate_supervision_demo

        def step(k: int) -> None:
            if progress:
                progress(made + share * k, total)

        step(0)
        round_id = generate_ordering_demo(db, project_id, seed)
        step(1)
        generate_meeting_demo(db, project_id, seed)
        step(2)
        stored = generate_lease_demo(db, seed)
        step(3)
        generate_designer_demo(db, project_id, seed, ordering_round_id=round_id)
        step(4)
        generate_supervision_demo(db, project_id, seed)
    if progress:
        progress(total, total)
    return DemoSummary(project_id, len(blocks), len(buildings), len(units), len(homes), len(people), stored)
