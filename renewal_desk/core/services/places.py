"""Projects, blocks, buildings and units: the tree a user walks, and the verbs that change it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import Database
from .. import audit
from ..models import (Block, Building, Household, Person, PersonRole, Project,
                      ProjectStage, ProjectType, Unit)
from ..problems import InputError, Problem, declare
from ..rules.sorting import natural_key
from ..rules.text import normalize_text
from . import events
from .events import Topic
from .households import refresh_derived
from ._common import E_NOT_FOUND, get_or_refuse, refuse_if_held  # noqa: F401 - E_NOT_FOUND: callers'

E_NAME_EMPTY = declare("place.name_empty", "名称不能为空", "The name must not be empty")
E_NAME_TOO_LONG = declare("place.name_too_long", "名称过长（最多 {max} 个字符）", "The name is too long (at most {max} characters)")
E_NAME_TAKEN = declare("place.name_taken", "同一级下已有名为“{name}”的{kind}", "A {kind} named '{name}' already exists here")
E_BAD_CHOICE = declare("place.bad_choice", "“{value}”不是有效的{kind}", "'{value}' is not a valid {kind}")

KINDS = {"project": (Project, "项目"), "block": (Block, "片区"), "building": (Building, "楼栋"), "unit": (Unit, "单元")}
PARENT = {"block": ("project_id", "project"), "building": ("block_id", "block"), "unit": ("building_id", "building")}


@dataclass
class TreeNode:
    kind: str  # project / block / building / unit
    id: int
    name: str
    households: int = 0
    children: list[TreeNode] = field(default_factory=list)


def clean_name(value: str | None, max_len: int = 100, field_name: str = "name", allow_empty: bool = False) -> str:
    name = normalize_text(value or "")
    if not name and not allow_empty:
        raise InputError(Problem(E_NAME_EMPTY, field=field_name))
    if len(name) > max_len:
        raise InputError(Problem(E_NAME_TOO_LONG, {"max": max_len}, field=field_name, value=name[:40]))
    return name


def get(session: Session, kind: str, record_id: int):
    model, label = KINDS[kind]
    return get_or_refuse(session, model, record_id, label)


def unit_labels(db: Database) -> list[tuple[str, int]]:
    """Every unit as ("项目 / 片区 / 楼栋 / 单元", id), in tree order: one query, no household counts
    (the household dialog's unit list; at 100,000 households the tree with counts takes ~150 ms)."""
    with db.read() as s:
        rows = s.execute(
            select(Unit.id, Project.name, Block.name, Building.name, Unit.name)
            .join(Building, Building.id == Unit.building_id).join(Block, Block.id == Building.block_id)
            .join(Project, Project.id == Block.project_id)
            .order_by(Project.name, Project.id, Block.sort_key, Block.id, Building.sort_key, Building.id,
                      Unit.sort_key, Unit.id)).all()
    return [(f"{p} / {b} / {g} / {u or '（无单元）'}", uid) for uid, p, b, g, u in rows]


def tree(db: Database) -> list[TreeNode]:
    """The whole project → block → building → unit tree with household counts.

    Plain column queries (no ORM objects): at 100,000 households the tree has ~10,000 nodes.
    """
    with db.read() as s:
        counts = dict(s.execute(select(Household.unit_id, func.count()).group_by(Household.unit_id)).all())
        projects = {pid: TreeNode("project", pid, name)
                    for pid, name in s.execute(select(Project.id, Project.name).order_by(Project.name))}
        blocks = {}
        for bid, parent, name in s.execute(select(Block.id, Block.project_id, Block.name).order_by(Block.sort_key)):
            blocks[bid] = TreeNode("block", bid, name)
            projects[parent].children.append(blocks[bid])
        buildings = {}
        for gid, parent, name in s.execute(select(Building.id, Building.block_id, Building.name)
                                           .order_by(Building.sort_key)):
            buildings[gid] = TreeNode("building", gid, name)
            blocks[parent].children.append(buildings[gid])
        for uid, parent, name in s.execute(select(Unit.id, Unit.building_id, Unit.name).order_by(Unit.sort_key)):
            buildings[parent].children.append(TreeNode("unit", uid, name or "（无单元）", counts.get(uid, 0)))
    for project in projects.values():
        for block in project.children:
            for building in block.children:
                building.households = sum(u.households for u in building.children)
            block.households = sum(b.households for b in block.children)
        project.households = sum(b.households for b in project.children)
    return list(projects.values())


def _check_unique(session: Session, kind: str, name: str, parent_id: int | None, exclude_id: int | None) -> None:
    model, label = KINDS[kind]
    query = select(model.id).where(model.name == name)
    if kind in PARENT:
        query = query.where(getattr(model, PARENT[kind][0]) == parent_id)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if session.scalar(query) is not None:
        raise InputError(Problem(E_NAME_TAKEN, {"name": name, "kind": label}, field="name", value=name))


def create_place(db: Database, kind: str, name: str, parent_id: int | None = None, **fields) -> int:
    """Create a project, block, building or unit under its parent; returns the new id."""
    model, _label = KINDS[kind]
    name = clean_name(name, 200 if kind == "project" else 100, allow_empty=(kind == "unit"))
    with db.write() as s:
        if kind in PARENT:
            get(s, PARENT[kind][1], parent_id)
        _check_unique(s, kind, name, parent_id, None)
        obj = model(name=name, **_validated_fields(kind, fields))
        if kind in PARENT:
            setattr(obj, PARENT[kind][0], parent_id)
        if hasattr(obj, "sort_key"):
            obj.sort_key = natural_key(name)
        s.add(obj)
        s.flush()
        new_id = obj.id
    events.announce(Topic.PLACES, [new_id])
    return new_id


def update_place(db: Database, kind: str, record_id: int, name: str | None = None, **fields) -> None:
    with db.write() as s:
        obj = get(s, kind, record_id)
        if name is not None:
            name = clean_name(name, 200 if kind == "project" else 100, allow_empty=(kind == "unit"))
            parent_id = getattr(obj, PARENT[kind][0]) if kind in PARENT else None
            _check_unique(s, kind, name, parent_id, record_id)
            obj.name = name
            if hasattr(obj, "sort_key"):
                obj.sort_key = natural_key(name)
        for key, value in _validated_fields(kind, fields).items():
            setattr(obj, key, value)
    if kind in ("building", "unit") and (name is not None or "address" in fields):  # in search text
        refresh_derived(db, **{f"{kind}_id": record_id})
    events.announce(Topic.PLACES, [record_id])


def delete_place(db: Database, kind: str, record_id: int) -> int:
    """Delete a place and everything below it, every row audited; returns the households removed."""
    with db.write(note=f"删除{KINDS[kind][1]}") as s:
        get(s, kind, record_id)
        blocks = select(Block.id).where(Block.project_id == record_id) if kind == "project" else None
        if kind == "block":
            blocks = select(Block.id).where(Block.id == record_id)
        buildings = (select(Building.id).where(Building.block_id.in_(blocks)) if blocks is not None
                     else select(Building.id).where(Building.id == record_id))
        units = (select(Unit.id).where(Unit.building_id.in_(buildings)) if kind != "unit"
                 else select(Unit.id).where(Unit.id == record_id))
        households = select(Household.id).where(Household.unit_id.in_(units))
        people = select(Person.id).where(Person.household_id.in_(households))
        refuse_if_held(s, blocks, people)
        audit.bulk_delete(s, PersonRole, PersonRole.person_id.in_(people))
        audit.bulk_delete(s, Person, Person.id.in_(people))
        removed = audit.bulk_delete(s, Household, Household.id.in_(households))
        audit.bulk_delete(s, Unit, Unit.id.in_(units))
        if kind != "unit":
            audit.bulk_delete(s, Building, Building.id.in_(buildings))
        if blocks is not None:
            audit.bulk_delete(s, Block, Block.id.in_(blocks))
        if kind == "project":
            audit.bulk_delete(s, Project, Project.id == record_id)
    events.announce(Topic.PLACES, [record_id])
    events.announce(Topic.HOUSEHOLDS, [])
    return removed


def _validated_fields(kind: str, fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if key == "project_type" and value not in {t.value for t in ProjectType}:
            raise InputError(Problem(E_BAD_CHOICE, {"value": value, "kind": "项目类型"}, field=key))
        if key == "stage" and value not in {t.value for t in ProjectStage}:
            raise InputError(Problem(E_BAD_CHOICE, {"value": value, "kind": "项目阶段"}, field=key))
        if isinstance(value, str):
            value = normalize_text(value) if key not in ("description", "note") else value.strip()
        out[key] = value
    return out


def find_or_create_path(session: Session, project_id: int, block: str, building: str, unit: str,
                        cache: dict | None = None) -> Unit:
    """The unit at block/building/unit under a project, creating missing levels (used by import)."""
    cache = {} if cache is None else cache
    key = (project_id, block, building, unit)
    if key in cache:
        return cache[key]
    blk = session.scalar(select(Block).where(Block.project_id == project_id, Block.name == block))
    if blk is None:
        blk = Block(project_id=project_id, name=block, sort_key=natural_key(block))
        session.add(blk)
        session.flush()
    bld = session.scalar(select(Building).where(Building.block_id == blk.id, Building.name == building))
    if bld is None:
        bld = Building(block_id=blk.id, name=building, sort_key=natural_key(building))
        session.add(bld)
        session.flush()
    unt = session.scalar(select(Unit).where(Unit.building_id == bld.id, Unit.name == unit))
    if unt is None:
        unt = Unit(building_id=bld.id, name=unit, sort_key=natural_key(unit))
        session.add(unt)
        session.flush()
    cache[key] = unt
    return unt


# --------------------------------------------------------------------------------------- pickers
@dataclass(frozen=True)
class ProjectChoice:
    id: int
    name: str
    buildings: tuple[tuple[int, str], ...]  # (building id, name)


def project_choices(db: Database) -> list[ProjectChoice]:
    """Projects and their buildings for every picker (ui/widgets/forms.py): projects by name, each project's
    buildings by name in natural order (2号楼 before 10号楼) across its blocks. One order on every page."""
    with db.read() as s:
        projects = {pid: (name, []) for pid, name in s.execute(select(Project.id, Project.name))}
        for bid, name, pid in s.execute(select(Building.id, Building.name, Block.project_id)
                                        .join(Block, Block.id == Building.block_id)
                                        .order_by(Building.sort_key, Building.id)):
            projects[pid][1].append((bid, name))
    return sorted((ProjectChoice(pid, name, tuple(b)) for pid, (name, b) in projects.items()),
                  key=lambda p: (natural_key(p.name), p.id))


def building_choices(db: Database, project_id: int) -> list[tuple[int, str]]:
    """One project's buildings (id, name), in the pickers' order."""
    with db.read() as s:
        return [(i, n) for i, n in s.execute(select(Building.id, Building.name).join(Block)
                                             .where(Block.project_id == project_id)
                                             .order_by(Building.sort_key, Building.id))]


# --------------------------------------------------------------------------------------- listings
def project_rows(db: Database, limit: int | None = None) -> list[tuple[int, str, str, str, str]]:
    """Projects as (id, uuid, name, type, stage), in the order they were made; at most `limit`,
    counted by the database (`renewal-desk list projects`)."""
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(Project.id, Project.uuid, Project.name, Project.project_type,
                                                   Project.stage).order_by(Project.id).limit(limit))]


def block_rows(db: Database, limit: int | None = None) -> list[tuple[int, int, str]]:
    """Blocks as (id, project id, name), each project's in tree order; at most `limit`."""
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(Block.id, Block.project_id, Block.name)
                                            .order_by(Block.project_id, Block.sort_key, Block.id).limit(limit))]


def building_rows(db: Database, limit: int | None = None) -> list[tuple[int, int, str, str | None]]:
    """Buildings as (id, block id, name, address), each block's in tree order; at most `limit`."""
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(Building.id, Building.block_id, Building.name, Building.address)
                                            .order_by(Building.block_id, Building.sort_key, Building.id)
                                            .limit(limit))]


def unit_rows(db: Database, limit: int | None = None) -> list[tuple[int, int, str]]:
    """Units as (id, building id, name), each building's in tree order; at most `limit`."""
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(Unit.id, Unit.building_id, Unit.name)
                                            .order_by(Unit.building_id, Unit.sort_key, Unit.id).limit(limit))]
