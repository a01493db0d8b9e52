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

from sqlalchemy import select

from ..audit import record_event
from ..db import Database
from ..exchange.roster import RosterParse, RosterRow, column_letter, read_roster
from ..models import Block, Building, Household, Person, PersonRole, Project, Role, Unit
from ..problems import Problem, declare
from ..rules.idcard import mask_id_number, validate_id_number
from . import events
from .households import derived_for
from .places import clean_name, find_or_create_path

E_ROOM_IN_DB = declare("roster.room_in_db", "该房屋已在数据库中登记（{where}，户主 {name}）",
                       "This home is already registered ({where}, head {name})")
E_ID_IN_DB = declare("roster.id_in_db", "身份证号已在数据库中登记（{where}，{name}）",
                     "This ID number is already registered ({where}, {name})")
DEFAULT_BLOCK = "默认片区"


@dataclass
class ImportReport:
    file: str
    project: str
    rows: int = 0  # data rows found (blank rows excluded)
    imported: int = 0
    skipped: int = 0
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

    def as_dict(self, lang: str = "zh") -> dict:
        return {"file": self.file, "project": self.project, "rows": self.rows, "imported": self.imported,
                "skipped": self.skipped, "dry_run": self.dry_run, "written": self.written, "blocked": self.blocked,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "problems": [p.to_dict(lang) for p in self.problems]}


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
        ids = [r.id_number for r in rows if r.id_number]
        known_ids = {}
        for start in range(0, len(ids), 500):
            q = (select(Person.id_number, Person.name, Building.name, Unit.name, Household.room)
                 .join(Household, Household.id == Person.household_id).join(Unit).join(Building)
                 .where(Person.id_number.in_(ids[start:start + 500])))
            for r in s.execute(q):
                known_ids[r[0]] = (r[1], f"{r[2]}{r[3]}{r[4]}")
    for row in rows:
        key = (row.block or DEFAULT_BLOCK, row.building, row.unit, row.room)
        if key in existing:
            found.setdefault(row.excel_row, []).append(Problem(
                E_ROOM_IN_DB, {"where": f"{row.building}{row.unit}{row.room}", "name": existing[key]},
                row=row.excel_row, column=col["room"], field="room", value=row.room))
        if row.id_number and row.id_number in known_ids:
            name, where = known_ids[row.id_number]
            found.setdefault(row.excel_row, []).append(Problem(
                E_ID_IN_DB, {"where": where, "name": name}, row=row.excel_row, column=col["id_number"],
                field="id_number", value=mask_id_number(row.id_number)))
    return found


def import_roster(db: Database, path: str | Path, project_name: str, *, dry_run: bool = False,
                  skip_invalid: bool = False, parse: RosterParse | None = None,
                  progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Validate a roster and write its households; see the module docstring for the rules."""
    project_name = clean_name(project_name, 200, field_name="project")
    parse = parse or read_roster(path)
    report = ImportReport(str(path), project_name, rows=len(parse.rows), dry_run=dry_run, parse=parse)
    report.problems = list(parse.problems)
    db_found = _db_problems(db, project_name, [r for r in parse.rows if r.valid], parse)
    good: list[RosterRow] = []
    for row in parse.rows:
        problems = list(row.problems) + db_found.get(row.excel_row, [])
        report.problems.extend(problems)
        if not any(p.severity == "error" for p in problems):
            good.append(row)
    report.problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    file_errors = any(p.severity == "error" for p in parse.problems)
    report.blocked = file_errors or (bool(report.errors) and not skip_invalid)
    if report.blocked:
        report.skipped = len(parse.rows)
        return report
    report.skipped = len(parse.rows) - len(good)
    report.imported = len(good)  # for a dry run: what would be imported
    if dry_run:
        return report
    _write(db, project_name, good, path, progress)
    report.written = True
    events.announce("households", [])
    events.announce("places", [])
    return report


def _write(db: Database, project_name: str, rows: list[RosterRow], path: str | Path,
           progress: Callable[[int, int], None] | None) -> None:
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).exists() else ""
    with db.write(note=f"导入花名册 {Path(path).name}") as s:
        project = s.scalar(select(Project).where(Project.name == project_name))
        if project is None:
            project = Project(name=project_name)
            s.add(project)
            s.flush()
        cache: dict = {}
        for done, row in enumerate(rows, start=1):
            unit = find_or_create_path(s, project.id, row.block or DEFAULT_BLOCK, row.building, row.unit, cache)
            household = Household(unit=unit, room=row.room, area=row.area, area_source=row.area_source,
                                  note=row.note)
            info = validate_id_number(row.id_number) if row.id_number else None
            head = Person(household=household, name=row.name, is_head=True, relation=row.relation or "户主",
                          id_number=row.id_number, phone=row.phone, gender=info.gender if info else "",
                          birth_date=info.birth_date if info else None, roles=[PersonRole(role=Role.OWNER.value)])
            s.add_all([household, head])
            household.sort_key, household.search_text = derived_for(unit.building.name, unit.name, row.room,
                                                                    [(row.name, row.phone)], unit.building.address)
            if done % 500 == 0:
                s.flush()
                if progress:
                    progress(done, len(rows))
        record_event(s, "import", "project", None, project.uuid,
                     note=f"导入花名册 {Path(path).name}：{len(rows)} 户", after={"file": str(path), "sha256": digest,
                                                                               "rows": len(rows)})
    if progress:
        progress(len(rows), len(rows))


__all__ = ["ImportReport", "import_roster"]
