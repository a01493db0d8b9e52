"""Importing a community's Excel roster into a project: all-or-nothing unless asked otherwise.

The parser (exchange.roster) reports every problem in the file; this service adds the problems
against the database (a room or an ID number already registered), then writes every valid row in
ONE transaction. With problems and without `skip_invalid`, nothing is written at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit import bulk_insert, record_event
from ..db import Database
from ..exchange.roster import RosterParse, RosterRow, column_letter, read_roster
from ..models import Block, Building, Household, Person, PersonRole, Project, Role, Unit, new_uuid, utcnow
from ..problems import InputError, Problem, declare
from ..rules.idcard import id_variants, mask_id_number, same_person_name, validate_id_number
from ..rules.masking import mask_field
from ..rules.search import KeyMaker
from . import events
from .events import Topic
from .households import address_text
from .places import E_NAME_TOO_LONG as E_FIELD_TOO_LONG
from .places import clean_name, natural_key

E_ROOM_IN_DB = declare("roster.room_in_db", "该房屋已在数据库中登记（{where}，户主 {name}）",
                       "This home is already registered ({where}, head {name})")
E_SAME_HOME_HEAD = declare("roster.same_home_two_heads", "与第 {first_row} 行是同一房屋，两行都标为户主",
                            "Same home as row {first_row}, and both rows are marked as head of household")
W_SAME_HOME = declare("roster.same_home_member", "与第 {first_row} 行是同一房屋，作为该户的家庭成员导入",
                      "Same home as row {first_row}; imported as a member of that household")
W_AREA_DIFFERS = declare("roster.area_differs", "与第 {first_row} 行是同一房屋，但面积不同（{area} / {first_area}），以户主行为准",
                         "Same home as row {first_row} but a different area ({area} / {first_area}); the head's row counts")
E_CONFLICT = declare("roster.conflict", "导入时与现有数据冲突，未写入任何数据：{detail}",
                     "The import conflicts with existing data; nothing was written: {detail}")
E_ID_IN_DB = declare("roster.id_in_db", "身份证号已在数据库中登记（{where}，{name}）",
                     "This ID number is already registered ({where}, {name})")
DEFAULT_BLOCK = "默认片区"
HEAD_RELATIONS = {"户主", "本人", "户主本人"}
# Same limits as the editor and the model columns, so an imported record can be edited later.
LIMITS = {"name": 50, "room": 50, "unit": 50, "building": 100, "block": 100}


def home_key(row: RosterRow) -> tuple[str, str, str, str]:
    return (row.block or DEFAULT_BLOCK, row.building, row.unit, row.room)


def _limit_problems(row: RosterRow, parse: RosterParse) -> list[Problem]:
    found = []
    for name, limit in LIMITS.items():
        value = getattr(row, name) or ""
        if len(value) > limit:
            col = column_letter(parse.mapping[name]) if name in parse.mapping else None
            found.append(Problem(E_FIELD_TOO_LONG, {"max": limit}, row=row.excel_row, column=col, field=name,
                                 value=value[:20]))
    return found


def group_homes(rows: list[RosterRow], parse: RosterParse) -> tuple[list[list[RosterRow]], list[Problem]]:
    """Rows of one home (same block/building/unit/room) make one household: the row marked 户主 (else
    the first) is the head, the others are members. Two rows marked 户主 for one home is an error."""
    homes: dict[tuple, list[RosterRow]] = {}
    for row in rows:
        homes.setdefault(home_key(row), []).append(row)
    problems: list[Problem] = []
    groups = []
    room_col = column_letter(parse.mapping["room"]) if "room" in parse.mapping else None
    for members in homes.values():
        heads = [r for r in members if r.relation in HEAD_RELATIONS]
        head = heads[0] if heads else members[0]
        kept = [head]
        for row in members:
            if row is head:
                continue
            if row in heads:
                problems.append(Problem(E_SAME_HOME_HEAD, {"first_row": head.excel_row}, row=row.excel_row,
                                        column=room_col, field="room", value=row.room))
                continue
            problems.append(Problem(W_SAME_HOME, {"first_row": head.excel_row}, row=row.excel_row,
                                    column=room_col, field="room", value=row.room, severity="warning"))
            if row.area is not None and head.area is not None and row.area != head.area:
                problems.append(Problem(W_AREA_DIFFERS, {"first_row": head.excel_row, "area": row.area,
                                                         "first_area": head.area}, row=row.excel_row,
                                        field="area", severity="warning"))
            kept.append(row)
        groups.append(kept)
    return groups, problems


@dataclass
class ImportReport:
    file: str
    project: str
    rows: int = 0  # data rows found (blank rows excluded)
    imported: int = 0
    skipped: int = 0
    households: int = 0  # rows of one home become one household
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    blocked: bool = False  # errors (or a file-level problem) and no permission to skip: nothing written
    written: bool = False
    parse: RosterParse | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def as_dict(self, lang: str = "zh", masked: bool = True) -> dict:
        return {"file": self.file, "project": self.project, "rows": self.rows, "imported": self.imported, "households": self.households,
                "skipped": self.skipped, "dry_run": self.dry_run, "written": self.written, "blocked": self.blocked,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "problems": [p.to_dict(lang, mask_field if masked else None) for p in self.problems]}


def _db_problems(db: Database, project_name: str, rows: list[RosterRow], parse: RosterParse) -> dict[int, list[Problem]]:
    """Problems of valid rows against what the database already holds, keyed by Excel row."""
    found: dict[int, list[Problem]] = {}
    col = {name: column_letter(parse.mapping[name]) if name in parse.mapping else None
           for name in ("room", "id_number")}
    with db.read() as s:
        project_id = s.scalar(select(Project.id).where(Project.name == project_name))
        existing = {}
        if project_id is not None:
            q = (select(Block.name, Building.name, Unit.name, Household.room, Person.name)
                 .select_from(Household).join(Unit).join(Building).join(Block)
                 .outerjoin(Person, (Person.household_id == Household.id) & Person.is_head.is_(True))
                 .where(Block.project_id == project_id))
            existing = {(r[0], r[1], r[2], r[3]): r[4] or "" for r in s.execute(q)}
        ids = sorted({v for r in rows if r.id_number for v in id_variants(r.id_number)})
        known_ids = {}
        for start in range(0, len(ids), 500):
            q = (select(Person.id_number, Person.name, Building.name, Unit.name, Household.room)
                 .join(Household, Household.id == Person.household_id).join(Unit).join(Building)
                 .where(Person.id_number.in_(ids[start:start + 500])))
            for r in s.execute(q):
                for variant in id_variants(r[0]):
                    known_ids.setdefault(variant, []).append((r[1], address_text(r[2], r[3], r[4])))
    for row in rows:
        key = home_key(row)
        if key in existing:
            found.setdefault(row.excel_row, []).append(Problem(
                E_ROOM_IN_DB, {"where": address_text(row.building, row.unit, row.room), "name": existing[key]},
                row=row.excel_row, column=col["room"], field="room", value=row.room))
        # the same number under the same name in another home is that owner's next unit (counts once)
        here = address_text(row.building, row.unit, row.room)
        other = next((hit for hit in known_ids.get(row.id_number or "", ())
                      if not same_person_name(hit[0], row.name) or hit[1] == here), None)
        if other:
            name, where = other
            found.setdefault(row.excel_row, []).append(Problem(
                E_ID_IN_DB, {"where": where, "name": name}, row=row.excel_row, column=col["id_number"],
                field="id_number", value=mask_id_number(row.id_number)))
    return found


def import_roster(db: Database | None, path: str | Path, project_name: str, *, dry_run: bool = False,
                  skip_invalid: bool = False, parse: RosterParse | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Validate a roster and write its households; see the module docstring for the rules.
    `cancelled()` returning true while writing raises ImportCancelled: nothing is written."""
    project_name = clean_name(project_name, 200, field_name="project")
    parse = parse or read_roster(path)
    report = ImportReport(str(path), project_name, rows=len(parse.rows), dry_run=dry_run, parse=parse)
    report.problems = list(parse.problems)
    # No database yet (a dry run before the file exists): nothing to clash with.
    db_found = _db_problems(db, project_name, [r for r in parse.rows if r.valid], parse) if db else {}
    good: list[RosterRow] = []
    for row in parse.rows:
        problems = list(row.problems) + db_found.get(row.excel_row, []) + _limit_problems(row, parse)
        report.problems.extend(problems)
        if not any(p.severity == "error" for p in problems):
            good.append(row)
    homes, home_problems = group_homes(good, parse)
    report.problems.extend(home_problems)
    refused = {p.row for p in home_problems if p.severity == "error"}
    good = [r for r in good if r.excel_row not in refused]
    homes = [[r for r in home if r.excel_row not in refused] for home in homes]
    report.households = len(homes)
    report.problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    file_errors = any(p.severity == "error" for p in parse.problems)
    report.blocked = file_errors or (bool(report.errors) and not skip_invalid)
    if report.blocked:
        report.skipped = len(parse.rows)
        return report
    report.skipped = len(parse.rows) - len(good)
    report.imported = len(good)  # rows that are (or, in a dry run, would be) imported
    if dry_run or db is None:
        return report
    try:
        _write(db, project_name, homes, path, progress, cancelled)
    except IntegrityError as exc:  # a race with another copy of the app; the transaction rolled back
        raise InputError(Problem(E_CONFLICT, {"detail": str(exc.orig)[:120]})) from exc
    report.written = True
    events.announce(Topic.HOUSEHOLDS, [])
    events.announce(Topic.PLACES, [])
    return report


class _Places:
    """The project's blocks, buildings and units by name, read in three queries, and the missing ones
    made as pending ORM objects (flushed, and so audited, with the next batch) — what
    places.find_or_create_path does per call, without its three SELECTs and flushes per new unit."""

    def __init__(self, s, project: Project) -> None:
        self.session, self.project = s, project
        self.blocks: dict[str, Block] = {}
        self.buildings: dict[tuple[str, str], Building] = {}
        self.units: dict[tuple[str, str, str], Unit] = {}
        if project.id is None:
            return
        for blk in s.scalars(select(Block).where(Block.project_id == project.id).order_by(Block.id)):
            self.blocks.setdefault(blk.name, blk)
        for bld, block in s.execute(select(Building, Block.name).select_from(Building).join(Block)
                                    .where(Block.project_id == project.id).order_by(Building.id)):
            self.buildings.setdefault((block, bld.name), bld)
        for unt, block, building in s.execute(select(Unit, Block.name, Building.name).select_from(Unit)
                                              .join(Building).join(Block)
                                              .where(Block.project_id == project.id).order_by(Unit.id)):
            self.units.setdefault((block, building, unt.name), unt)

    def unit(self, block: str, building: str, unit: str) -> Unit:
        found = self.units.get((block, building, unit))
        if found is not None:
            return found
        blk = self.blocks.get(block)
        if blk is None:
            blk = self.blocks[block] = Block(project_id=self.project.id, name=block, sort_key=natural_key(block))
            self.session.add(blk)
        bld = self.buildings.get((block, building))
        if bld is None:
            bld = self.buildings[block, building] = Building(block=blk, name=building, sort_key=natural_key(building))
            self.session.add(bld)
        unt = self.units[block, building, unit] = Unit(building=bld, name=unit, sort_key=natural_key(unit))
        self.session.add(unt)
        return unt


class ImportCancelled(Exception):
    """The user cancelled while the import was writing; its transaction was rolled back."""


def _write(db: Database, project_name: str, homes: list[list[RosterRow]], path: str | Path,
           progress: Callable[[int, int], None] | None,
           cancelled: Callable[[], bool] | None = None) -> None:
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).exists() else ""
    rows = sum(len(h) for h in homes)
    with db.write(note=f"导入花名册 {Path(path).name}") as s:
        project = s.scalar(select(Project).where(Project.name == project_name))
        if project is None:
            project = Project(name=project_name)
            s.add(project)
            s.flush()
        place = _Places(s, project)
        # Households, people and roles go in with one executemany per 2,000 homes, each row audited
        # as the ORM flush would (audit.bulk_insert); the places (few) go through the ORM, created as
        # pending objects and flushed with the batch (their ids are needed only then).
        next_id = {m: (s.scalar(select(func.max(m.id))) or 0) + 1 for m in (Household, Person, PersonRole)}
        now = utcnow()
        keys = KeyMaker()  # derived_for, each name, street and building's address keys made once
        homes_rows, home_units, people_rows, role_rows = [], [], [], []
        for done, home in enumerate(homes, start=1):
            head = home[0]
            unit = place.unit(*home_key(head)[:3])
            building = unit.building
            household_id = next_id[Household]
            next_id[Household] += 1
            sort_key, search_text = keys.household(building.name, unit.name, head.room,
                                                   [(r.name, r.phone) for r in home], building.address or "")
            homes_rows.append({"id": household_id, "uuid": new_uuid(), "unit_id": None, "room": head.room,
                               "area": head.area, "area_source": head.area_source, "is_vacant": False,
                               "note": head.note, "sort_key": sort_key, "search_text": search_text,
                               "created_at": now, "updated_at": now})
            home_units.append(unit)
            for index, row in enumerate(home):
                info = row.id_info if row.id_info is not None and row.id_info.number == row.id_number else (
                    validate_id_number(row.id_number) if row.id_number else None)
                person_id = next_id[Person]
                next_id[Person] += 1
                people_rows.append({"id": person_id, "uuid": new_uuid(), "household_id": household_id,
                                    "name": row.name, "is_head": index == 0,
                                    "relation": row.relation or ("户主" if index == 0 else ""),
                                    "id_number": row.id_number, "gender": info.gender if info else "",
                                    "birth_date": info.birth_date if info else None, "phone": row.phone,
                                    "note": row.note if index else "", "created_at": now, "updated_at": now})
                if index == 0:
                    role_rows.append({"id": next_id[PersonRole], "person_id": person_id, "role": Role.OWNER.value})
                    next_id[PersonRole] += 1
            if done % 2000 == 0 or done == len(homes):
                s.flush()  # the places made so far: their ids
                for home_row, unit in zip(homes_rows, home_units):
                    home_row["unit_id"] = unit.id
                bulk_insert(s, Household, homes_rows)
                bulk_insert(s, Person, people_rows)
                bulk_insert(s, PersonRole, role_rows)
                homes_rows, home_units, people_rows, role_rows = [], [], [], []
            if done % 500 == 0:
                if cancelled and cancelled():
                    raise ImportCancelled()  # inside the transaction: everything rolls back
                if progress:
                    progress(done, len(homes))
        record_event(s, "import", "project", None, project.uuid,
                     note=f"导入花名册 {Path(path).name}：{len(homes)} 户 {rows} 人",
                     after={"file": str(path), "sha256": digest, "rows": rows, "households": len(homes)})
    if progress:
        progress(len(homes), len(homes))


__all__ = ["ImportCancelled", "ImportReport", "group_homes", "import_roster"]
