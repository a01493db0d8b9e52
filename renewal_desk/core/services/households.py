"""Households and their people: list, search, read, create, edit, delete, reveal full data.

Lists are served as ordered id lists plus rows fetched for the visible range, so a table over
100,000 households never loads them all. Searching covers names, full pinyin, pinyin initials,
building/unit/room and phone digits through a precomputed `search_text` column.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import Float, Select, and_, bindparam, func, literal, select, text
from sqlalchemy.orm import Session, aliased, joinedload, object_session, selectinload

from .. import settings
from ..audit import record_event
from ..db import Database, IndexedSearch
from ..models import AreaSource, AuditEntry, Block, Building, Household, Person, PersonRole, Role, Unit
from ..problems import InputError, Problem, collect, declare
from ..rules import idcard, phone as phones, search
from ..rules.masking import mask_phone
from ..rules.search import derived_for  # noqa: F401 - callers import it from here too
from ..rules.text import normalize_text, parse_area
from . import events
from .events import Topic
from ._common import get_or_refuse, refuse_if_held

E_ROOM_EMPTY = declare("household.room_empty", "房号不能为空", "The room number must not be empty")
E_ROOM_TAKEN = declare("household.room_taken", "该单元已有房号 {room} 的住户", "This unit already has a household in room {room}")
E_NO_HEAD = declare("household.no_head", "请指定一位户主", "Choose one head of household")
E_TWO_HEADS = declare("household.two_heads", "一户只能有一位户主", "A household has exactly one head")
E_PERSON_NAME = declare("person.name_empty", "第 {index} 位成员的姓名不能为空", "Member {index}: the name must not be empty")
E_NAME_LONG = declare("person.name_too_long", "姓名过长（最多 50 个字符）", "The name is too long (at most 50 characters)")
E_ID_DUPLICATE = declare("person.id_duplicate", "身份证号已登记在 {where}（{name}）", "This ID number is already registered at {where} ({name})")
E_AREA_SOURCE = declare("household.area_source", "面积来源须为 登记 / 测绘 / 合同", "Area source must be registered, surveyed or contract")


@dataclass
class PersonInput:
    name: str
    id_number: str | None = None
    phone: str | None = None
    relation: str = ""
    is_head: bool = False
    roles: tuple[str, ...] = (Role.OWNER.value,)
    note: str = ""
    id: int | None = None  # an existing person when editing


@dataclass
class HouseholdInput:
    unit_id: int
    room: str
    area: str | Decimal | None = None
    area_source: str = AreaSource.REGISTERED.value
    note: str = ""
    is_vacant: bool = False
    people: list[PersonInput] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    """One line of the household table: plain values, personal data still full (mask when showing)."""

    id: int
    building: str
    unit: str
    room: str
    head_name: str
    id_number: str | None
    phone: str | None
    area: Decimal | None
    area_source: str
    members: int
    note: str


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    is_head: bool
    relation: str
    id_number: str | None
    phone: str | None
    gender: str
    roles: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class HouseholdDetail:
    id: int
    uuid: str
    project: str
    block: str
    building: str
    unit_id: int
    unit: str
    room: str
    area: Decimal | None
    area_source: str
    is_vacant: bool
    note: str
    people: tuple[PersonView, ...]


@dataclass(frozen=True)
class HouseholdFilter:
    project_id: int | None = None
    block_id: int | None = None
    building_id: int | None = None
    unit_id: int | None = None
    query: str = ""


SORTS = ("address", "head", "area", "members")


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def _filtered(query: Select, flt: HouseholdFilter) -> Select:
    if flt.unit_id is not None:
        query = query.where(Household.unit_id == flt.unit_id)
    elif flt.building_id is not None:
        query = query.join(Unit, Unit.id == Household.unit_id).where(Unit.building_id == flt.building_id)
    elif flt.block_id is not None:
        query = (query.join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                 .where(Building.block_id == flt.block_id))
    elif flt.project_id is not None:
        query = (query.join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
                 .join(Block, Block.id == Building.block_id).where(Block.project_id == flt.project_id))
    terms = search.normalize_query(flt.query).split()
    indexed = [t for t in terms if len(t) >= search.INDEXED_TERM]
    if indexed:  # the trigram index (migration 0010) finds these in about a millisecond
        query = query.where(IndexedSearch(Household.id, Household.search_text, indexed))
    for term in terms:
        if len(term) < search.INDEXED_TERM:  # one or two characters: scan (first page first, see household_ids)
            query = query.where(Household.search_text.contains(term, autoescape=True))
        elif search.is_place_query(term):  # "3-2-602": that key whole (not 13-2-602), among the index's few hits
            query = query.where((literal(search.SEPARATOR) + Household.search_text + literal(search.SEPARATOR))
                                .contains(search.SEPARATOR + term + search.SEPARATOR, autoescape=True))
    return query


def needs_scan(flt: HouseholdFilter) -> bool:
    """Whether the query has a term the index cannot serve (or none at all): the list then costs a
    scan of every household, and a view should ask for the first page first."""
    terms = search.normalize_query(flt.query).split()
    return not terms or any(len(t) < search.INDEXED_TERM for t in terms)


class ScanIndex:
    """Every household's search keys, in address order, in one lowercase UTF-8 buffer.

    A term of one or two characters cannot use the trigram index, and SQLite's LIKE over all 100,000
    rows costs 40-80 ms per keystroke; bytes.find over this buffer (~19 MB at 100,000 households) finds
    the same households in a few milliseconds. Matching is LIKE's: a literal substring, ASCII letters
    in either case. The buffer is valid for one state of the database (`stamp`: the newest audit entry;
    every change writes one), so an edit makes it stale and the search falls back to SQL until rebuilt.
    """

    SEPARATOR = b"\x00"  # between households: no match spans two of them (normalize_query drops controls)

    def __init__(self, stamp: int, ids: array, offsets: array, blob: bytes | bytearray):
        self.stamp, self.ids, self.offsets, self.blob = stamp, ids, offsets, blob

    @classmethod
    def build(cls, db: Database) -> ScanIndex:
        """Read every household's keys once, into the buffer as they come: the rows stream (the office server
        sends them in batches, not the whole ~19 MB at once) and no list of 100,000 parts is joined into a
        second copy — the peak is the buffer itself."""
        ids, offsets, blob = array("q"), array("q"), bytearray()
        separator = cls.SEPARATOR
        with db.read() as s:
            conn = s.connection()
            stamp = _change_stamp(conn)
            rows = conn.execution_options(stream_results=True, max_row_buffer=2_000).exec_driver_sql(
                "SELECT id, search_text FROM household ORDER BY sort_key, id")
            for household_id, keys in rows:
                ids.append(household_id)
                offsets.append(len(blob))
                blob += (keys or "").encode("utf-8").lower()
                blob += separator
        if blob:
            del blob[-1:]  # separators between households only, as before
        return cls(stamp, ids, offsets, blob)

    def find(self, terms: list[str], descending: bool = False, limit: int | None = None) -> list[int]:
        """Ids of the households whose keys contain every term, in address order (or its reverse)."""
        needles = [t.encode("utf-8").lower() for t in terms]
        first, rest = needles[0], needles[1:]
        blob, offsets, ids = self.blob, self.offsets, self.ids
        count, found = len(offsets), []
        want = None if descending else limit
        at = blob.find(first)
        while at != -1:
            row = bisect_right(offsets, at) - 1
            end = offsets[row + 1] - 1 if row + 1 < count else len(blob)
            if all(blob.find(n, offsets[row], end) != -1 for n in rest):
                found.append(ids[row])
                if want is not None and len(found) >= want:
                    break
            at = blob.find(first, end + 1)
        if descending:
            found.reverse()
            if limit is not None:
                del found[limit:]
        return found


def _change_stamp(conn) -> int:
    return conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM audit_log").scalar() or 0


_scan_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_scan_lock = threading.Lock()


def _scannable(flt: HouseholdFilter, sort: str) -> list[str] | None:
    """The terms, when the query is one the ScanIndex answers exactly: short terms only, address order, no
    place filter (a place narrows the SQL scan enough; a three-character term uses the trigram index)."""
    if sort != "address" or any(x is not None for x in (flt.unit_id, flt.building_id, flt.block_id, flt.project_id)):
        return None
    terms = search.normalize_query(flt.query).split()
    if not terms or any(len(t) >= search.INDEXED_TERM or "\x00" in t for t in terms):
        return None
    return terms


def warm_scan_index(db: Database) -> bool:
    """Build the short-term search index if it is missing or stale (a background task of the household
    list calls this after each load, so typing finds it ready). Returns whether a build was needed."""
    with _scan_lock:
        if _fresh_scan_index(db) is not None:
            return False
        _scan_indexes[db] = ScanIndex.build(db)
        return True


def _fresh_scan_index(db: Database) -> ScanIndex | None:
    current = _scan_indexes.get(db)
    if current is None:
        return None
    with db.read() as s:
        return current if _change_stamp(s.connection()) == current.stamp else None


WHOLE_FROM_INDEX = 5_000  # a short term's whole list, up to this many households, comes from the ScanIndex


def household_ids(db: Database, flt: HouseholdFilter = HouseholdFilter(), sort: str = "address",
                  descending: bool = False, limit: int | None = None) -> list[int]:
    """Ids of matching households in display order (sorting and filtering done by SQL); with `limit`, only
    the first ones (a scan stops as soon as it has them), found by the ScanIndex for one- and two-character
    terms when it is built and current, as is the whole list of such a term up to WHOLE_FROM_INDEX households.
    The whole list of a common short term (tens of thousands) is left to SQL, which runs without holding
    Python's lock: the window stays fluid while it loads."""
    terms = _scannable(flt, sort)
    if terms is not None and (limit is not None or not descending):
        index = _fresh_scan_index(db)
        if index is not None:
            if limit is not None:  # the first page: what a person waits for at each keystroke
                return index.find(terms, descending, limit)
            # the whole list, while it is short (赵: 1,662 of 100,000): bytes.find over the buffer costs a few
            # ms where SQL's scan of every household cost ~80 ms, racing the next keystroke's query for the
            # cores; a common term (z: 39,000) stops at the limit and is left to SQL
            found = index.find(terms, False, WHOLE_FROM_INDEX + 1)
            if len(found) <= WHOLE_FROM_INDEX:
                return found
    query = _filtered(select(Household.id), flt)
    if sort == "head":
        head = aliased(Person)
        query = query.outerjoin(head, and_(head.household_id == Household.id, head.is_head.is_(True)))
        order = [head.name, Household.sort_key]
    elif sort == "area":
        order = [Household.area.cast(Float), Household.sort_key]
    elif sort == "members":
        members = select(func.count(Person.id)).where(Person.household_id == Household.id).scalar_subquery()
        order = [members, Household.sort_key]
    else:
        order = [Household.sort_key]
    query = query.order_by(*[o.desc() if descending else o for o in order[:1]], *order[1:], Household.id)
    if limit is not None:
        query = query.limit(limit)
    with db.read() as s:
        return list(s.scalars(query))


def count_households(db: Database, flt: HouseholdFilter = HouseholdFilter()) -> int:
    with db.read() as s:
        return s.scalar(_filtered(select(func.count(Household.id)), flt)) or 0


# The household table calls this at every scroll step over 100,000 households: plain SQL with the
# ids as one JSON parameter, so neither SQLAlchemy's compiler nor SQLite's parser runs per call.
def _by_ids(sql: str):
    """Hand-written SQL whose `IN :ids` takes a list (expanded into one placeholder per id, on either engine)."""
    return text(sql).bindparams(bindparam("ids", expanding=True))


_ROWS_SQL = (
    "SELECT h.id, b.name, u.name, h.room, p.name, p.id_number, p.phone, h.area, h.area_source, h.note, "
    "(SELECT count(*) FROM person m WHERE m.household_id = h.id) "
    "FROM household h JOIN unit u ON u.id = h.unit_id JOIN building b ON b.id = u.building_id "
    "LEFT JOIN person p ON p.household_id = h.id AND p.is_head "
    "WHERE h.id IN :ids")


def household_rows(db: Database, ids: list[int], *, full: str = "") -> dict[int, HouseholdRow]:
    """Rows for the given ids (with the head of household and the number of members).

    The head's ID number and phone come masked unless `full` says why they are needed in full: then the role
    must allow "reveal" and the reveal is written to the audit log (issue 23: no full IDs below the fronts)."""
    found: dict[int, HouseholdRow] = {}
    if not ids:
        return found
    if full:
        db.require("reveal")
    with db.read() as s:
        for r in s.execute(_by_ids(_ROWS_SQL), {"ids": list(ids)}):
            id_number, phone = (r[5], r[6]) if full else (masked_id(r[5]), masked_phone(r[6]))
            found[r[0]] = HouseholdRow(r[0], r[1], r[2], r[3], r[4] or "", id_number, phone,
                                       None if r[7] is None else Decimal(r[7]), r[8], r[10], r[9])
    if full:
        with db.write(need="reveal") as s:
            record_event(s, "reveal", "household", note=full, after={"households": sorted(found)})
    return found


_REASON_SQL = (
    "SELECT h.id, b.name, u.name, h.room, b.address, p.name, p.phone, p.is_head, h.search_text "
    "FROM household h JOIN unit u ON u.id = h.unit_id JOIN building b ON b.id = u.building_id "
    "LEFT JOIN person p ON p.household_id = h.id "
    "WHERE h.id IN :ids ORDER BY h.id, p.is_head DESC, p.id")


def match_reasons(db: Database, ids: list[int], query: str, lang: str = "zh") -> dict[int, str]:
    """Why each of these households matched `query` ("户主", "家庭成员 郑某某", "电话 …3698", "房号 …"):
    for the rows on screen only (one query for the given ids; the list itself never computes them)."""
    if not ids or not search.normalize_query(query):
        return {}
    homes: dict[int, tuple[str, tuple[str, ...], list[tuple[str, str | None, bool]], str]] = {}
    with db.read() as s:
        for hid, building, unit, room, street, name, phone, head, keys in s.execute(
                _by_ids(_REASON_SQL), {"ids": list(ids)}):
            home = homes.setdefault(hid, (address_text(building, unit, room),
                                          (f"{building}{unit}{room}", room, search.place_key(building, unit, room),
                                           street or ""), [], keys or ""))
            if name is not None:
                home[2].append((name, phone, bool(head)))
    found = {}
    for hid, (address, parts, people, keys) in homes.items():
        head = next(((n, p) for n, p, is_head in people if is_head), ("", None))
        # a Latin term ("zjg") is explained from the stored keys: pypinyin stays unloaded in the window's process
        own, rest = search.stored_keys(keys, [n for n, _p, _h in people], parts[0], [p for _n, p, _h in people])
        zh, en = search.match_reason(query, name=head[0], phone=head[1], address=address, address_parts=parts,
                                     members=[(n, p) for n, p, is_head in people if not is_head],
                                     name_reason=("户主", "head of household"), keys=own, address_keys=rest)
        found[hid] = en if lang == "en" else zh
    return found


def masked_id(value: str | None) -> str | None:
    return value if not value else idcard.mask_id_number(value)


def masked_phone(value: str | None) -> str | None:
    return value if not value else mask_phone(value)


def people_rows(db: Database, search_name: str = "", limit: int | None = None) -> list[tuple[int, int, str, str, str]]:
    """People as (id, household id, name, masked ID number, masked phone), in the order they were entered;
    `search_name` keeps those whose name contains it (masked numbers are not searchable: a search must
    not confirm them); at most `limit`, counted by the database (`renewal-desk list people`)."""
    query = select(Person.id, Person.household_id, Person.name, Person.id_number, Person.phone).order_by(Person.id)
    if search_name.strip():
        query = query.where(Person.name.contains(search_name.strip(), autoescape=True))
    with db.read() as s:
        return [(pid, hid, name, idcard.mask_id_number(number or ""), mask_phone(phone or ""))
                for pid, hid, name, number, phone in s.execute(query.limit(limit))]


def household_detail(db: Database, household_id: int) -> HouseholdDetail:
    with db.read() as s:
        h = get_household_obj(s, household_id)
        unit = h.unit
        building = unit.building
        block = building.block
        people = tuple(
            PersonView(p.id, p.name, p.is_head, p.relation, p.id_number, p.phone, p.gender, tuple(p.role_names), p.note)
            for p in h.people)
        return HouseholdDetail(h.id, h.uuid, block.project.name, block.name, building.name, unit.id, unit.name, h.room,
                               h.area, h.area_source, h.is_vacant, h.note, people)


def get_household_obj(session: Session, household_id: int) -> Household:
    return get_or_refuse(session, Household, household_id, "住户")


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------
@dataclass
class CleanPerson:
    name: str
    id_number: str | None
    phone: str | None
    gender: str
    birth_date: object
    relation: str
    is_head: bool
    roles: tuple[str, ...]
    note: str
    id: int | None
    warnings: list[Problem]


def clean_person(p: PersonInput, index: int = 1) -> CleanPerson:
    """Validate and normalise one person; raises InputError with every problem found."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    name = normalize_text(p.name or "")
    if not name:
        problems.append(Problem(E_PERSON_NAME, {"index": index}, field="name"))
    elif len(name) > 50:
        problems.append(Problem(E_NAME_LONG, field="name", value=name[:20]))
    id_number = gender = birth = None
    if p.id_number not in (None, ""):
        try:
            info = idcard.validate_id_number(p.id_number)
            id_number, gender, birth = info.number, info.gender, info.birth_date
            if info.legacy:
                warnings.append(Problem(idcard.ID_LEGACY15, field="id_number", value=info.number, severity="warning"))
        except InputError as exc:
            problems.extend(exc.problems)
    phone = None
    if p.phone not in (None, ""):
        try:
            phone = phones.normalize_phone(p.phone)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return CleanPerson(name, id_number, phone, gender or "", birth, normalize_text(p.relation or ""), p.is_head,
                       tuple(sorted(set(p.roles))), (p.note or "").strip(), p.id, warnings)


def clean_household(data: HouseholdInput) -> tuple[str, Decimal | None, list[CleanPerson]]:
    problems: list[Problem] = []
    room = normalize_text(data.room or "")
    if not room:
        problems.append(Problem(E_ROOM_EMPTY, field="room"))
    area = collect(problems, parse_area, data.area)
    if data.area_source not in {s.value for s in AreaSource}:
        problems.append(Problem(E_AREA_SOURCE, field="area_source", value=str(data.area_source)))
    people: list[CleanPerson] = []
    for index, person in enumerate(data.people, start=1):
        try:
            people.append(clean_person(person, index))
        except InputError as exc:  # row = the member's line in the members table
            problems.extend(replace(p, row=index) for p in exc.problems)
    heads = sum(1 for p in data.people if p.is_head)
    if data.people and heads == 0:
        problems.append(Problem(E_NO_HEAD, field="head_name"))
    elif heads > 1:
        problems.append(Problem(E_TWO_HEADS, field="head_name"))
    if problems:
        raise InputError(problems)
    return room, area, people


def address_text(building: str, unit: str, room: str) -> str:
    """"3号楼 2单元 301": parts kept apart so building "1", unit "3", room "502" never read as 13502."""
    return " ".join(p for p in (building, unit, room) if p)


# ---------------------------------------------------------------------------------------------
# Derived columns
# ---------------------------------------------------------------------------------------------
def _refresh(session: Session, household: Household) -> None:
    unit = household.unit
    household.sort_key, household.search_text = derived_for(
        unit.building.name, unit.name, household.room, [(p.name, p.phone) for p in household.people],
        unit.building.address)


_KEYS_SQL = (
    "SELECT h.id, b.name, u.name, h.room, b.address, h.search_text FROM household h "
    "JOIN unit u ON u.id = h.unit_id JOIN building b ON b.id = u.building_id")
_PEOPLE_SQL = "SELECT household_id, name, phone FROM person WHERE household_id IN :ids ORDER BY household_id, id"


def _derived_keys(conn, rows) -> list[tuple[str, int]]:
    """(search_text as derived_for makes it now, id) for household rows of _KEYS_SQL whose stored keys differ."""
    people: dict[int, list[tuple[str, str | None]]] = {}
    for hid, name, phone in conn.execute(_by_ids(_PEOPLE_SQL), {"ids": [r[0] for r in rows]}):
        people.setdefault(hid, []).append((name, phone))
    changed = []
    for hid, building, unit, room, street, stored in rows:
        keys = derived_for(building, unit, room, people.get(hid, []), street or "")[1]
        if keys != stored:
            changed.append((keys, hid))
    return changed


# How search keys are made (derived_for): raise it when that changes, so databases keyed before are made again.
SEARCH_KEYS_VERSION = 2  # 2: each name's keys whole (name_keys reads them back to explain a match)
SEARCH_KEYS_SETTING = settings.SEARCH_KEYS_VERSION.key


def keys_are_current(session: Session) -> None:
    """Note in the database that its search keys are made as derived_for makes them now (inside a write)."""
    settings.write(session, SEARCH_KEYS_SETTING, SEARCH_KEYS_VERSION)


def search_keys_stale(db: Database, sample: int = 3) -> bool:
    """Whether the stored search keys predate how they are made now (a database from an older version:
    no "3-2-602" key, no 王吉 for 王𠮷). A database noted as keyed by this version is current without
    making a key (pypinyin, ~55 MB, stays unloaded); else the first households' keys are made again and
    compared, and a database found current is noted so."""
    with db.read() as s:
        if settings.read(s, SEARCH_KEYS_SETTING) == SEARCH_KEYS_VERSION:
            return False
        conn = s.connection()
        rows = conn.exec_driver_sql(_KEYS_SQL + " ORDER BY h.id LIMIT ?", (sample,)).all()
        stale = bool(rows) and bool(_derived_keys(conn, rows))
    if not stale and rows and db.allows("write"):
        with db.write() as s:
            keys_are_current(s)
    return stale


def refresh_search_keys(db: Database, batch: int = 2_000) -> int:
    """Make every household's search keys again (after search_keys_stale), a batch per transaction;
    returns how many changed. Derived data, not a change anyone made: not audited (as search_text never is),
    and the short-term search index is dropped so the next search rebuilds it."""
    changed, last = 0, 0
    while True:
        with db.write() as s:
            conn = s.connection()
            rows = conn.exec_driver_sql(_KEYS_SQL + " WHERE h.id > ? ORDER BY h.id LIMIT ?", (last, batch)).all()
            if not rows:
                break
            last = rows[-1][0]
            updates = _derived_keys(conn, rows)
            if updates:
                conn.exec_driver_sql("UPDATE household SET search_text = ? WHERE id = ?", updates)
            changed += len(updates)
    with db.write() as s:
        keys_are_current(s)
    with _scan_lock:
        _scan_indexes.pop(db, None)
    if changed:
        events.announce(Topic.HOUSEHOLDS, [])
    return changed


def refresh_derived(db: Database, building_id: int | None = None, unit_id: int | None = None,
                    block_id: int | None = None) -> None:
    """Recompute sort and search keys after a building or unit was renamed."""
    flt = HouseholdFilter(block_id=block_id, building_id=building_id, unit_id=unit_id)
    with db.write() as s:
        query = _filtered(select(Household), flt).options(
            selectinload(Household.people), joinedload(Household.unit).joinedload(Unit.building))
        for h in s.scalars(query):
            _refresh(s, h)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def _check_duplicates(session: Session, unit_id: int, room: str, people: list[CleanPerson],
                      household_id: int | None) -> None:
    problems = []
    taken = select(Household.id).where(Household.unit_id == unit_id, Household.room == room)
    if household_id is not None:
        taken = taken.where(Household.id != household_id)
    if session.scalar(taken) is not None:
        problems.append(Problem(E_ROOM_TAKEN, {"room": room}, field="room", value=room))
    for p in people:
        if not p.id_number:
            continue
        query = (select(Person.name, Building.name, Unit.name, Household.room)
                 .join(Household, Household.id == Person.household_id).join(Unit).join(Building)
                 .where(Person.id_number.in_(idcard.id_variants(p.id_number))))
        if household_id is not None:
            query = query.where(Person.household_id != household_id)
        # One owner of several units (domain: counts once) is the same person in each home: the same
        # number with the same name is that person again; with another name it is a typing error.
        hit = next((r for r in session.execute(query) if not idcard.same_person_name(r[0], p.name)), None)
        if hit:
            problems.append(Problem(E_ID_DUPLICATE, {"where": address_text(hit[1], hit[2], hit[3]), "name": hit[0]},
                                    field="id_number", value=idcard.mask_id_number(p.id_number)))
    if problems:
        raise InputError(problems)


def _apply_person(person: Person, p: CleanPerson) -> None:
    person.name, person.id_number, person.phone = p.name, p.id_number, p.phone
    person.gender, person.birth_date, person.relation = p.gender, p.birth_date, p.relation
    person.is_head, person.note = p.is_head, p.note
    have = {r.role: r for r in person.roles}
    session = object_session(person)
    for role in set(have) - set(p.roles):
        person.roles.remove(have[role])
        if session is not None:
            session.delete(have[role])  # explicit, so the audit log sees the removed role
    for role in set(p.roles) - set(have):
        person.roles.append(PersonRole(role=role))


def create_household(db: Database, data: HouseholdInput) -> int:
    room, area, people = clean_household(data)
    with db.write() as s:
        unit = get_or_refuse(s, Unit, data.unit_id, "单元")
        _check_duplicates(s, unit.id, room, people, None)
        h = Household(unit=unit, room=room, area=area, area_source=data.area_source, note=(data.note or "").strip(),
                      is_vacant=data.is_vacant)
        s.add(h)
        for p in people:
            person = Person(household=h, name=p.name)
            _apply_person(person, p)
            s.add(person)
        _refresh(s, h)
        s.flush()
        new_id = h.id
    events.announce(Topic.HOUSEHOLDS, [new_id])
    return new_id


def update_household(db: Database, household_id: int, data: HouseholdInput) -> None:
    room, area, people = clean_household(data)
    with db.write() as s:
        h = get_household_obj(s, household_id)
        unit = get_or_refuse(s, Unit, data.unit_id, "单元")
        _check_duplicates(s, unit.id, room, people, household_id)
        h.unit, h.room, h.area, h.area_source = unit, room, area, data.area_source
        h.note, h.is_vacant = (data.note or "").strip(), data.is_vacant
        existing = {p.id: p for p in h.people}
        kept = set()
        for p in people:
            person = existing.get(p.id) if p.id is not None else None
            if person is None:
                person = Person(household=h, name=p.name)
                s.add(person)
            else:
                kept.add(person.id)
            _apply_person(person, p)
        removed = [pid for pid in existing if pid not in kept]
        if removed:
            refuse_if_held(s, None, removed)
        for pid in removed:
            s.delete(existing[pid])
        s.flush()
        s.expire(h, ["people"])
        _refresh(s, h)
    events.announce(Topic.HOUSEHOLDS, [household_id])


def delete_household(db: Database, household_id: int) -> None:
    with db.write() as s:
        h = get_household_obj(s, household_id)
        refuse_if_held(s, None, [p.id for p in h.people])
        for person in list(h.people):
            s.delete(person)
        s.delete(h)
    events.announce(Topic.HOUSEHOLDS, [household_id])


def reveal_personal_data(db: Database, household_id: int, reason: str = "") -> HouseholdDetail:
    """Full ID numbers and phones of a household, for a staff action allowed by role; the reveal is audited."""
    db.require("reveal")
    detail = household_detail(db, household_id)
    with db.write(need="reveal") as s:
        record_event(s, "reveal", "household", household_id, detail.uuid, note=reason or "查看完整个人信息",
                     after={"people": [p.id for p in detail.people]})
    return detail


def audit_trail(db: Database, table: str, record_id: int, limit: int = 200) -> list[dict]:
    with db.read() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.table_name == table, AuditEntry.record_id == record_id)
                         .order_by(AuditEntry.id.desc()).limit(limit))
        return [{"at": a.at, "operator": a.operator, "action": a.action, "before": a.before, "after": a.after,
                 "note": a.note} for a in rows]


__all__ = [
    "HouseholdDetail", "HouseholdFilter", "HouseholdInput", "HouseholdRow", "PersonInput", "PersonView", "SORTS",
    "address_text", "clean_household", "clean_person", "count_households", "create_household", "delete_household", "derived_for",
    "household_detail", "household_ids", "household_rows", "match_reasons", "refresh_derived", "refresh_search_keys",
    "search_keys_stale", "reveal_personal_data",
    "update_household",
]
