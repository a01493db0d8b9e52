"""A demo community at sub-district scale (`renewal-desk demo --scale large`): 100,000 households,
250,000 people, 1,000,000 ordering choices, 2,000 meetings with 60,000 sign-ins, 20,000 supervision
problems with 20,000 photos, 5,000 chief-designer opinions and 2,000 leases with 200,000 paid
instalments — or any other counts (`Scale`).

How it is written, and why:
- Rows are built as tuples in the columns' storage format and inserted with `executemany` on the
  transaction's own connection, 10,000 rows a batch, columns checked against the models: no ORM
  objects and no per-value type processing, so the generator stays within 2× of bare sqlite3
  `executemany` of the same rows (the benchmark measures this).
- Everything is one transaction. Cancelling (the `cancelled` callback, checked between batches)
  rolls it all back: nothing of a cancelled generation stays in the database.
- Auditing: generated rows are nobody's edit, so there is no audit row per record; one summary
  audit event (action "demo", table "project") names the counts and the seed — as the small demo.
- Photos: `PHOTO_VARIANTS` small PNG thumbnails (64×48) are drawn and stored through the
  attachment store, which keeps each content once by its SHA-256; the 20,000 attachment rows
  point at these few files (several problems share a picture, as the store deduplicates).
- The rules hold: ID numbers have valid check characters (rules.idcard), phones real mobile
  prefixes, ordering votes only on consent items (the elevator item's votes are evaluated by the
  consent rules at tally time), rent payments are the instalments of each contract's own schedule
  (rules.lease), supervision problems carry their first history step like the service writes.
"""

from __future__ import annotations

import os
import random
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from ..audit import record_event
from ..db import Database, bulk_insert
from ..models import (AppointmentStatus, Base, Category, Channel, ContractStatus, FilledBy, MeetingKind, MeetingStatus,
                      OpinionStatus, Project, ProjectStage, ProjectType, Protection, RoundState, Stage, Stakeholder)
from ..problems import InputError, Problem, declare
from ..rules import lease as lease_rules
from ..rules.idcard import make_id_number
from ..rules.rectification import CATEGORIES, SEVERITIES, Action, State
from ..rules.search import KeyMaker
from ..rules.sorting import address_key, natural_key
from .attachments import store_file
from .demo import AREA_CODES, BLOCK_NAMES, GIVEN, MOBILE_PREFIXES, RELATIONS, SURNAMES
from .ordering import default_menu

# Bump when the rows made for the same scale and seed change: the benchmark caches its large
# database under this version.
# 2: enum codes instead of Chinese labels (migration 0022); 3: the project's type and stage, the houses' protection,
# the contracts' status and the designer opinions' stage, stakeholders and status as codes too (migration 0023): a
# cached database of version 2 holds those as Chinese labels; and each name's search keys whole (search keys v2)
GENERATOR_VERSION = "4"
BATCH = 10_000
PHOTO_VARIANTS = 200

E_SCALE = declare("demo.scale", "演示数据规模不合理：{field} = {value}（{reason}）",
                  "Unreasonable demo scale: {field} = {value} ({reason})")

# who filled in an order and how it came in, in the proportions the demo draws them
FILLERS = (FilledBy.OWNER.value, FilledBy.OWNER.value, FilledBy.FAMILY.value, FilledBy.PROXY.value)
CHANNELS = (Channel.PAPER.value, Channel.PAPER.value, Channel.DOOR.value, Channel.MEETING.value, Channel.PHONE.value)


@dataclass(frozen=True)
class Scale:
    households: int = 100_000
    people: int = 250_000
    choices: int = 1_000_000
    meetings: int = 2_000
    sign_ins: int = 60_000
    problems: int = 20_000
    photos: int = 20_000
    designer_notes: int = 5_000
    leases: int = 2_000
    instalments: int = 200_000

    def divided(self, by: int) -> Scale:
        return Scale(**{k: max(1, v // by) if v else 0 for k, v in asdict(self).items()})

    def check(self) -> None:
        problems = []
        for f in fields(self):
            if getattr(self, f.name) < 0:
                problems.append(Problem(E_SCALE, {"field": f.name, "value": getattr(self, f.name), "reason": "不能为负"}))
        if self.households < 10 or self.households > 1_000_000:
            problems.append(Problem(E_SCALE, {"field": "households", "value": self.households,
                                              "reason": "须在 10 到 1,000,000 之间"}))
        if not self.households <= self.people <= self.households * 6:
            problems.append(Problem(E_SCALE, {"field": "people", "value": self.people,
                                              "reason": "每户 1 到 6 人"}))
        menu_size = len(default_menu())
        if self.choices > self.households * menu_size:
            problems.append(Problem(E_SCALE, {"field": "choices", "value": self.choices,
                                              "reason": f"每户最多 {menu_size} 项"}))
        if self.meetings and self.sign_ins > self.meetings * 500:
            problems.append(Problem(E_SCALE, {"field": "sign_ins", "value": self.sign_ins, "reason": "每次会议最多 500 人签到"}))
        if self.sign_ins and not self.meetings:
            problems.append(Problem(E_SCALE, {"field": "sign_ins", "value": self.sign_ins, "reason": "没有会议"}))
        if self.photos > self.problems * 5:
            problems.append(Problem(E_SCALE, {"field": "photos", "value": self.photos, "reason": "每个问题最多 5 张照片"}))
        if self.leases and not 1 <= self.instalments / self.leases <= 240:
            problems.append(Problem(E_SCALE, {"field": "instalments", "value": self.instalments,
                                              "reason": "每份合同 1 到 240 期"}))
        if self.leases > self.households:
            problems.append(Problem(E_SCALE, {"field": "leases", "value": self.leases, "reason": "不能多于住户数"}))
        if problems:
            raise InputError(problems)


LARGE = Scale()


class Cancelled(Exception):
    """Raised inside the transaction when the caller cancels; the transaction is rolled back."""


@dataclass
class LargeSummary:
    project_id: int
    counts: dict[str, int]
    seconds: float = 0.0


# --------------------------------------------------------------------------------------- formats
def _ts(value: datetime) -> str:
    """SQLAlchemy's SQLite DATETIME storage format (UTC for the Record timestamps)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def thumbnail(variant: int) -> bytes:
    """A 64×48 picture of a wall with a crack: colours and crack position vary by variant."""
    rng = random.Random(variant)
    base = (rng.randint(150, 220), rng.randint(140, 210), rng.randint(120, 200))
    crack, slope = rng.randint(8, 56), variant % 5 - 2
    shades = [bytes((base[0] - k * 3, base[1] - k * 3, base[2] - k * 2)) for k in range(7)]
    dark = bytes((60, 50, 45))
    stripes = b"".join(shades) * 20  # pixel x of row y is shade (x + y) % 7: a slice of the repeating stripes
    rows = []
    for y in range(48):
        at = crack + (y * slope) // 6
        row = bytearray(stripes[3 * (y % 7):3 * (y % 7) + 3 * 64])
        for x in range(max(0, at - 1), min(64, at + 2)):
            row[3 * x:3 * x + 3] = dark
        rows.append(b"\x00" + bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


# ----------------------------------------------------------------------------------------- rows
Batch = tuple[str, tuple[str, ...], list[tuple]]
# rng.choices with cum_weights: the same draws as with the weights they add up (random.choices adds them per call)


class _Builder:
    """Makes the batches of rows, table by table, in foreign-key order."""

    def __init__(self, scale: Scale, seed: int, base: dict[str, int], photo_shas: list[tuple[str, int]],
                 today: date, now: datetime):
        self.scale, self.rng, self.base, self.today = scale, random.Random(seed), base, today
        self.photo_shas = photo_shas
        self.stamp = _ts(now)
        self.counts: dict[str, int] = {}
        self.keys = KeyMaker()  # the search keys as the household service makes them, each part once
        self.project_id = base["project"] + 1
        self.heads: list[tuple[int, int, str]] = []  # (person id, household id, name) of each head
        self.household_areas: list[tuple[int, str]] = []
        self.building_ids: list[int] = []
        self.block_ids: list[int] = []
        self.menu: list[tuple[int, dict]] = []
        self._random: memoryview | None = None
        self._offset = 0

    def _uuid(self) -> str:
        """A random (version 4) UUID, as new_uuid makes them, from urandom taken in bulk."""
        if not self._random:
            self._random = memoryview(os.urandom(16 * 4096))
            self._offset = 0
        raw = bytearray(self._random[self._offset:self._offset + 16])
        self._offset += 16
        if self._offset >= len(self._random):
            self._random = None
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _next(self, table: str) -> int:
        self.base[table] += 1
        return self.base[table]

    def _count(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n

    def _flush(self, table: str, cols: tuple[str, ...], rows: list[tuple]) -> Iterator[Batch]:
        for start in range(0, len(rows), BATCH):
            part = rows[start:start + BATCH]
            self._count(table, len(part))
            yield table, cols, part

    # -------------------------------------------------------------- places, households, people
    def places(self, name: str) -> Iterator[Batch]:
        rng, st = self.rng, self.stamp
        yield from self._flush("project", ("id", "uuid", "name", "project_type", "stage", "district", "description",
                                           "created_at", "updated_at"),
                               [(self.project_id, self._uuid(), name, ProjectType.RESIDENTIAL.value, ProjectStage.LISTED.value, "幸福街道",
                                 "演示数据（大规模）：虚构街道，用于熟悉软件和性能测试。", st, st)])
        per_building = 36  # 3 units × 6 floors × 2 rooms
        n_buildings = -(-self.scale.households // per_building)
        n_blocks = min(len(BLOCK_NAMES), max(1, n_buildings // 12 + 1))
        blocks, buildings, units = [], [], []
        for b in range(n_blocks):
            self.block_ids.append(self._next("block"))
            blocks.append((self.block_ids[-1], self._uuid(), self.project_id, BLOCK_NAMES[b], natural_key(f"{b:02d}"),
                           "", st, st))
        self.unit_slots: list[tuple[int, str, str, str]] = []  # (unit id, building, unit, street)
        for g in range(n_buildings):
            building_id = self._next("building")
            self.building_ids.append(building_id)
            bname, street = f"{g + 1}号楼", f"幸福路{100 + g * 2}号"
            buildings.append((building_id, self._uuid(), self.block_ids[g % n_blocks], bname, natural_key(bname),
                              street, 6, rng.choice((1986, 1990, 1994, 1998, 2001)), "", st, st))
            for u in range(3):
                unit_id = self._next("unit")
                uname = f"{u + 1}单元"
                units.append((unit_id, self._uuid(), building_id, uname, natural_key(uname), st, st))
                self.unit_slots.append((unit_id, bname, uname, street))
        yield from self._flush("block", ("id", "uuid", "project_id", "name", "sort_key", "note", "created_at",
                                         "updated_at"), blocks)
        yield from self._flush("building", ("id", "uuid", "block_id", "name", "sort_key", "address", "floors",
                                            "built_year", "note", "created_at", "updated_at"), buildings)
        yield from self._flush("unit", ("id", "uuid", "building_id", "name", "sort_key", "created_at", "updated_at"),
                               units)

    def households(self) -> Iterator[Batch]:
        rng, st, scale = self.rng, self.stamp, self.scale
        hcols = ("id", "uuid", "unit_id", "room", "area", "area_source", "is_vacant", "note", "sort_key",
                 "search_text", "created_at", "updated_at")
        pcols = ("id", "uuid", "household_id", "name", "is_head", "relation", "id_number", "gender", "birth_date",
                 "phone", "note", "created_at", "updated_at")
        rcols = ("person_id", "role")
        extra = scale.people - scale.households  # members beyond the heads, spread at random
        homes, people, roles = [], [], []
        made = 0
        for unit_id, bname, uname, street in self.unit_slots:
            for floor in range(1, 7):
                for r in range(1, 3):
                    if made >= scale.households:
                        break
                    remaining = scale.households - made
                    made += 1
                    household_id = self._next("household")
                    room = f"{floor}{r:02d}"
                    # members: 1 + a share of what is left, so the total comes out exact
                    share = extra / remaining
                    more = int(share) + (rng.random() < share - int(share))
                    if rng.random() < 0.5:
                        more += rng.choice((-1, 1))
                    more = max(0, min(5, extra, more if remaining > 1 else extra))
                    extra -= more
                    head_name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                    members: list[tuple[str, str | None]] = []
                    for m in range(1 + more):
                        person_id = self._next("person")
                        name = head_name if m == 0 else (head_name[0] + rng.choice(GIVEN) if rng.random() < 0.6
                                                         else rng.choice(SURNAMES) + rng.choice(GIVEN))
                        birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 62))
                        seq = rng.randint(0, 999)
                        mobile = (rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
                                  if m == 0 or rng.random() < 0.5 else None)
                        members.append((name, mobile))
                        people.append((person_id, self._uuid(), household_id, name, m == 0,
                                       "户主" if m == 0 else rng.choice(RELATIONS),
                                       make_id_number(rng.choice(AREA_CODES), birth, seq), "男" if seq % 2 else "女",
                                       birth.isoformat(), mobile, "", st, st))
                        if m == 0:
                            roles.append((person_id, "owner"))
                            self.heads.append((person_id, household_id, name))
                            if rng.random() < 0.04:
                                roles.append((person_id, "representative"))
                            if rng.random() < 0.06:
                                roles.append((person_id, "party_member"))
                        elif rng.random() < 0.05:
                            roles.append((person_id, "tenant"))
                    area = f"{rng.randint(4200, 13500) / 100:.2f}"
                    self.household_areas.append((household_id, area))
                    _sort, search = self.keys.household(bname, uname, room, members, street)
                    homes.append((household_id, self._uuid(), unit_id, room, area,
                                  rng.choices(("registered", "surveyed", "contract"), cum_weights=(85, 95, 100))[0], False, "",
                                  address_key(bname, uname, room), search, st, st))
                    if len(people) >= BATCH:
                        yield from self._flush("household", hcols, homes)
                        yield from self._flush("person", pcols, people)
                        homes, people = [], []
        yield from self._flush("household", hcols, homes)
        yield from self._flush("person", pcols, people)
        yield from self._flush("person_role", rcols, roles)

    # ------------------------------------------------------------------------------- ordering
    def ordering(self) -> Iterator[Batch]:
        rng, st, scale = self.rng, self.stamp, self.scale
        menu_rows = []
        for position, item in enumerate(default_menu()):
            item_id = self._next("menu_item")
            self.menu.append((item_id, item))
            menu_rows.append((item_id, self._uuid(), self.project_id, item["name"], item["tier"], item["mandatory"],
                              item.get("description", ""), item.get("consent_scope", ""), item.get("matter", ""),
                              position, False, st, st))
        yield from self._flush("menu_item", ("id", "uuid", "project_id", "name", "tier", "mandatory", "description",
                                             "consent_scope", "matter", "position", "retired", "created_at",
                                             "updated_at"), menu_rows)
        if not scale.choices:
            return
        round_id = self._next("ordering_round")
        yield from self._flush("ordering_round", ("id", "uuid", "project_id", "title", "opens_on", "closes_on",
                                                  "notice_days", "state", "building_ids", "note", "created_at",
                                                  "updated_at"),
                               [(round_id, self._uuid(), self.project_id, f"{self.today.year}年改造内容居民点单（全街道）",
                                 _d(self.today - timedelta(days=30)), _d(self.today + timedelta(days=10)), 7, RoundState.OPEN.value,
                                 "", "", st, st)])
        answering = min(len(self.household_areas), max(1, -(-scale.choices // 14)))
        answered = rng.sample(range(len(self.household_areas)), answering)
        answered.sort()
        ocols = ("id", "uuid", "round_id", "household_id", "filled_by", "channel", "received_on", "remarks",
                 "created_at", "updated_at")
        ccols = ("order_id", "item_id", "priority", "vote")
        orders, choices = [], []
        left = scale.choices
        for n, index in enumerate(answered):
            household_id = self.household_areas[index][0]
            order_id = self._next("household_order")
            orders.append((order_id, self._uuid(), round_id, household_id,
                           rng.choice(FILLERS),
                           rng.choice(CHANNELS),
                           _d(self.today - timedelta(days=rng.randint(0, 29))), "", st, st))
            share = left / (answering - n)
            take = int(share) + (rng.random() < share - int(share)) + rng.choice((-2, -1, 0, 1, 2))
            take = max(0, min(len(self.menu), left, take if n < answering - 1 else left))
            left -= take
            for item_id, item in rng.sample(self.menu, take):
                vote = (rng.choices(("yes", "no", "abstain"), cum_weights=(75, 93, 100))[0] if item.get("consent_scope")
                        else "yes")
                choices.append((item_id, rng.choices((1, 2, 3), cum_weights=(3, 7, 10))[0], vote, order_id))
            if len(choices) >= BATCH * 4:
                yield from self._flush("household_order", ocols, orders)
                yield from self._flush("order_choice", ccols, [(c[3], c[0], c[1], c[2]) for c in choices])
                orders, choices = [], []
        yield from self._flush("household_order", ocols, orders)
        yield from self._flush("order_choice", ccols, [(c[3], c[0], c[1], c[2]) for c in choices])

    # ------------------------------------------------------------------------------- meetings
    def meetings(self) -> Iterator[Batch]:
        rng, st, scale = self.rng, self.stamp, self.scale
        if not scale.meetings:
            return
        mcols = ("id", "uuid", "project_id", "title", "kind", "starts_at", "ends_at", "place", "chair", "recorder",
                 "scrutineers", "purpose", "building_ids", "status", "note", "created_at", "updated_at")
        acols = ("id", "uuid", "meeting_id", "position", "category", "person_id", "household_id", "name",
                 "organisation", "phone", "expected", "signed_in_at", "left_at", "proxy_name", "proxy_authority",
                 "search_text", "created_at", "updated_at")
        icols = ("id", "uuid", "meeting_id", "position", "title", "presenter", "planned_minutes", "started_at",
                 "summary", "created_at", "updated_at")
        meetings, attendees, items = [], [], []
        left = scale.sign_ins
        topics = ("雨污分流改造", "屋面防水", "加装电梯", "停车管理", "绿化整治", "适老化改造", "充电设施", "施工协调")
        for n in range(scale.meetings):
            meeting_id = self._next("meeting")
            start = datetime.combine(self.today - timedelta(days=scale.meetings - n), datetime.min.time()) + \
                timedelta(hours=rng.choice((9, 14, 19)))
            topic = topics[n % len(topics)]
            meetings.append((meeting_id, self._uuid(), self.project_id, f"{topic}居民议事会（第{n + 1}次）", MeetingKind.COUNCIL.value,
                             _ts(start), _ts(start + timedelta(hours=2)), "社区党群服务中心", "社区党委书记 陈静",
                             "社区工作者 张敏", "", f"协商{topic}有关事项。", "", MeetingStatus.ENDED.value, "", st, st))
            signing = left // (scale.meetings - n)
            left -= signing
            invited = signing + signing // 5
            for pos, (person_id, household_id, name) in enumerate(rng.sample(self.heads, min(invited, len(self.heads)))):
                signed = _ts(start - timedelta(minutes=rng.randint(0, 30))) if pos < signing else None
                attendees.append((self._next("meeting_attendee"), self._uuid(), meeting_id, pos, Category.RESIDENT.value, person_id,
                                  household_id, name, "", None, True, signed, None, "", "", self.keys.text(name), st, st))
            for pos, title in enumerate(("通报情况", f"{topic}方案介绍", "居民发言与协商")):
                items.append((self._next("agenda_item"), self._uuid(), meeting_id, pos, title, "", 20,
                              _ts(start + timedelta(minutes=25 * pos)), "", st, st))
            if len(attendees) >= BATCH:
                yield from self._flush("meeting", mcols, meetings)
                yield from self._flush("meeting_attendee", acols, attendees)
                yield from self._flush("agenda_item", icols, items)
                meetings, attendees, items = [], [], []
        yield from self._flush("meeting", mcols, meetings)
        yield from self._flush("meeting_attendee", acols, attendees)
        yield from self._flush("agenda_item", icols, items)

    # ---------------------------------------------------------------------------- supervision
    def supervision(self) -> Iterator[Batch]:
        rng, st, scale = self.rng, self.stamp, self.scale
        if not scale.problems:
            return
        parties = []
        for name, kind in (("建工集团第三分公司", "builder"), ("城市更新设计院", "designer"), ("诚信工程监理公司", "supervisor"),
                           ("润泽物业服务有限公司", "other")):  # PartyKind codes (migration 0025)
            parties.append(self._next("construction_party"))
            yield from self._flush("construction_party", ("id", "uuid", "name", "kind", "contact_name", "contact_phone",
                                                          "address", "active", "note", "created_at", "updated_at"),
                                   [(parties[-1], self._uuid(), f"{name}（演示{self.project_id}）", kind, "王工",
                                     rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}", "", True, "",
                                     st, st)])
        n_inspections = max(1, scale.problems // 10)
        inspections = []
        first = self.today - timedelta(days=n_inspections)
        for n in range(n_inspections):
            inspections.append((self._next("inspection"), self._uuid(), self.project_id,
                                _d(first + timedelta(days=n)), "施工现场", "晴", "社区工作者 张敏", "", st, st))
        yield from self._flush("inspection", ("id", "uuid", "project_id", "inspected_on", "places", "weather", "staff",
                                              "notes", "created_at", "updated_at"), inspections)
        pcols = ("id", "uuid", "project_id", "inspection_id", "building_id", "unit_id", "location", "works",
                 "category", "severity", "description", "basis", "party_id", "found_on", "state", "measures",
                 "notice_id", "deadline", "replied_on", "closed_on", "recheck_failures", "created_at", "updated_at")
        tcols = ("id", "uuid", "problem_id", "action", "from_state", "to_state", "on_date", "by", "text", "notice_id",
                 "deadline", "created_at", "updated_at")
        fcols = ("id", "uuid", "sha256", "original_name", "mime_type", "size", "owner_table", "owner_id", "caption",
                 "created_at", "updated_at")
        problems, steps, photos = [], [], []
        defects = ("外墙空鼓，敲击有声", "雨水管接口渗漏", "楼道扶手松动", "脚手架未设安全网", "材料占用消防通道",
                   "夜间施工噪声扰民", "屋面防水卷材搭接不足", "窗台抹灰开裂")
        photos_left = scale.photos
        for n in range(scale.problems):
            problem_id = self._next("supervision_problem")
            inspection = inspections[n * len(inspections) // scale.problems]
            found = date.fromisoformat(inspection[3])
            description = rng.choice(defects)
            building_id = rng.choice(self.building_ids)
            problems.append((problem_id, self._uuid(), self.project_id, inspection[0], building_id, None,
                             "", "综合改造", rng.choice(CATEGORIES), rng.choice(SEVERITIES), description, "",
                             rng.choice(parties), _d(found), State.PENDING.value, "", None, None, None, None, 0, st, st))
            steps.append((self._next("problem_transition"), self._uuid(), problem_id, Action.FOUND.value, "",
                          State.PENDING.value, _d(found), "居民监督员", description, None, None, st, st))
            share = photos_left // (scale.problems - n)
            photos_left -= share
            for k in range(share):
                sha, size = self.photo_shas[(n * 7 + k) % len(self.photo_shas)]
                photos.append((self._next("attachment"), self._uuid(), sha, f"IMG_{problem_id:06d}_{k + 1}.png",
                               "image/png", size, "supervision_problem", problem_id, "发现问题", st, st))
            if len(problems) >= BATCH:
                yield from self._flush("supervision_problem", pcols, problems)
                yield from self._flush("problem_transition", tcols, steps)
                yield from self._flush("attachment", fcols, photos)
                problems, steps, photos = [], [], []
        yield from self._flush("supervision_problem", pcols, problems)
        yield from self._flush("problem_transition", tcols, steps)
        yield from self._flush("attachment", fcols, photos)

    # ------------------------------------------------------------------------------- designer
    def designer(self) -> Iterator[Batch]:
        rng, st, scale = self.rng, self.stamp, self.scale
        if not scale.designer_notes:
            return
        appointments = {}
        rows = []
        term_start = self.today - timedelta(days=3 * 365)
        for n, block_id in enumerate(self.block_ids):
            person_id, _household, name = self.heads[n * 97 % len(self.heads)]
            appointments[block_id] = self._next("designer_appointment")
            rows.append((appointments[block_id], self._uuid(), person_id, block_id,
                         f"JZPS-{self.project_id}-{n + 1:03d}", _d(term_start), _d(term_start),
                         _d(term_start + timedelta(days=5 * 365)), AppointmentStatus.ACTIVE.value, None, "", "", st, st))
        yield from self._flush("designer_appointment", ("id", "uuid", "person_id", "block_id", "letter_no",
                                                        "appointed_on", "term_start", "term_end", "status",
                                                        "ended_on", "end_reason", "note", "created_at", "updated_at"),
                               rows)
        visits, opinions = [], []
        raised, answered = OpinionStatus.RAISED.value, OpinionStatus.ANSWERED.value
        n_visits = max(1, scale.designer_notes // 5)
        stages = tuple(s.value for s in Stage)
        texts = ("沿街立面保留原有青砖，不宜整体粉刷", "增设无障碍坡道并与人行道顺接", "店招尺寸统一，避免遮挡木构件",
                 "广场增加遮阴座椅", "夜间照明色温不高于 3000K")
        for n in range(n_visits):
            block_id = self.block_ids[n % len(self.block_ids)]
            visit_id = self._next("designer_visit")
            visited = term_start + timedelta(days=1 + n * (3 * 365 - 2) // n_visits)
            visits.append((visit_id, self._uuid(), appointments[block_id], block_id, _d(visited), "社区、实施主体",
                           "现场踏勘", st, st))
            per = scale.designer_notes // n_visits + (1 if n < scale.designer_notes % n_visits else 0)
            for k in range(per):
                opinion_id = self._next("designer_opinion")
                opinions.append((opinion_id, self._uuid(), visit_id, block_id,
                                 f"JZ{self.project_id}-{visited.year}-{opinion_id:06d}", rng.choice(stages),
                                 Stakeholder.RESIDENTS.value, "", rng.choice(texts), "实施主体",
                                 _d(visited + timedelta(days=15)),
                                 raised if visited + timedelta(days=15) > self.today
                                 else rng.choice((raised, raised, answered)),
                                 "", None, st, st))
        # an opinion marked answered (已回复) needs its response: the status follows the latest response
        responses = [(self._next("designer_response"), self._uuid(), o[0], _d(date.fromisoformat(o[10]) - timedelta(days=3)),
                      "实施主体 王工", answered, "已按意见调整方案。", "", st, st) for o in opinions if o[11] == answered]
        yield from self._flush("designer_visit", ("id", "uuid", "appointment_id", "block_id", "visited_on",
                                                  "participants", "observation", "created_at", "updated_at"), visits)
        yield from self._flush("designer_opinion", ("id", "uuid", "visit_id", "block_id", "opinion_no", "stage",
                                                    "stakeholders", "observation", "opinion", "addressee",
                                                    "respond_by", "status", "cites_kind", "cites_uuid", "created_at",
                                                    "updated_at"), opinions)
        yield from self._flush("designer_response", ("id", "uuid", "opinion_id", "responded_on", "responder", "status",
                                                     "text", "reason", "created_at", "updated_at"), responses)

    # --------------------------------------------------------------------------------- leases
    def leases(self) -> Iterator[Batch]:
        rng, st, scale = self.rng, self.stamp, self.scale
        if not scale.leases:
            return
        houses, owners, contracts, terms, lessors, payments = [], [], [], [], [], []
        protections = (Protection.TRADITIONAL.value, Protection.HISTORIC.value, Protection.NONE.value)
        per = scale.instalments // scale.leases
        extra = scale.instalments % scale.leases
        pay_cols = ("id", "uuid", "contract_id", "paid_on", "amount_fen", "method", "reference", "paid_by",
                    "received_by", "note", "voided", "void_reason", "created_at", "updated_at")
        for n in range(scale.leases):
            paid = per + (1 if n < extra else 0)
            person_id, _household, name = self.heads[(n * 31) % len(self.heads)]
            house_id = self._next("stored_house")
            # monthly instalments; the lease began `paid` months ago (+ up to 2 unpaid: arrears)
            behind = rng.choice((0, 0, 0, 1, 2))
            start = lease_rules.add_months(self.today.replace(day=1), -(paid + behind))
            term = max(120, (paid + behind + 11) // 12 * 12 + 12)
            base = rng.randint(60, 300) * 10_000
            houses.append((house_id, self._uuid(), self.block_ids[n % len(self.block_ids)], "仁和里", f"{n + 1}号",
                           f"{rng.randint(3500, 16000) / 100:.2f}", rng.choice(("砖木", "木结构", "砖混")),
                           rng.choice((1928, 1950, 1962, 1978)), rng.choice(protections), "一般", "",
                           _d(start), "沿街商铺", "", st, st))
            owners.append((self._next("house_owner"), house_id, person_id))
            contract_id = self._next("lease_contract")
            contracts.append((contract_id, self._uuid(), f"SCZ-{self.project_id}-{n + 1:05d}", house_id, ContractStatus.ACTIVE.value, None,
                              None, "", "幸福街道办事处", "周主任", "幸福路1号", st, st))
            terms.append((self._next("lease_terms"), self._uuid(), contract_id, 1, "", _d(start), _d(start), term, base,
                          "10", 3, True, "monthly", 1, base // 4, True, True, "非遗展示、文创经营", "", "", st, st))
            lessors.append((self._next("lease_lessor"), contract_id, person_id))
            schedule = lease_rules.schedule(lease_rules.LeaseTerms(start, term, base, frequency="monthly", due_day=1))
            for inst in schedule[:paid]:
                payments.append((self._next("rent_payment"), self._uuid(), contract_id,
                                 _d(inst.due_date + timedelta(days=rng.randint(0, 10))), inst.amount_fen, "银行转账",
                                 f"ZZ{contract_id}-{inst.seq:03d}", "街道财务", name, "", False, "", st, st))
            if len(payments) >= BATCH * 2:
                yield from self._leases_flush(houses, owners, contracts, terms, lessors)
                yield from self._flush("rent_payment", pay_cols, payments)
                houses, owners, contracts, terms, lessors, payments = [], [], [], [], [], []
        protections = (Protection.TRADITIONAL.value, Protection.HISTORIC.value, Protection.NONE.value)
        yield from self._leases_flush(houses, owners, contracts, terms, lessors)
        yield from self._flush("rent_payment", pay_cols, payments)

    def _leases_flush(self, houses, owners, contracts, terms, lessors) -> Iterator[Batch]:
        yield from self._flush("stored_house", ("id", "uuid", "block_id", "street", "number", "area", "structure",
                                                "built_year", "protection", "condition", "fixtures", "storage_date",
                                                "current_use", "note", "created_at", "updated_at"), houses)
        yield from self._flush("house_owner", ("id", "house_id", "person_id"), owners)
        yield from self._flush("lease_contract", ("id", "uuid", "contract_no", "house_id", "status", "renewed_from_id",
                                                  "terminated_on", "termination_reason", "lessee_name",
                                                  "lessee_representative", "lessee_address", "created_at",
                                                  "updated_at"), contracts)
        yield from self._flush("lease_terms", ("id", "uuid", "contract_id", "version", "reason", "signed_on", "start",
                                               "term_months", "base_annual_rent_fen", "step_percent",
                                               "step_interval_years", "compounding", "frequency", "due_day",
                                               "deposit_fen", "sublet_consent", "improvement_consent", "uses",
                                               "renewal_terms", "early_termination", "created_at", "updated_at"), terms)
        yield from self._flush("lease_lessor", ("id", "contract_id", "person_id"), lessors)


TABLES = ("project", "block", "building", "unit", "household", "person", "person_role", "menu_item", "ordering_round",
          "household_order", "order_choice", "meeting", "meeting_attendee", "agenda_item", "construction_party",
          "inspection", "supervision_problem", "problem_transition", "attachment", "designer_appointment",
          "designer_visit", "designer_opinion", "designer_response", "stored_house", "house_owner", "lease_contract",
          "lease_terms", "lease_lessor", "rent_payment")


def insert_sql(table: str, cols: tuple[str, ...]) -> str:
    """The INSERT for these columns of a model's table, parameters in the order given (a compiled
    core insert() orders them by the table's columns). Unknown columns are refused."""
    known = Base.metadata.tables[table].c
    unknown = [c for c in cols if c not in known]
    if unknown:
        raise KeyError(f"{table}: no column {unknown}")
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def store_thumbnails(db: Database, variants: int = PHOTO_VARIANTS) -> list[tuple[str, int]]:
    """Draw the thumbnails and put them in the attachment store; (sha256, size) of each."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for v in range(variants):
            path = Path(tmp) / f"thumb{v:03d}.png"
            path.write_bytes(thumbnail(v))
            stored = store_file(db, path)
            out.append((stored.sha256, stored.size))
    return out


def generate_large_demo(db: Database, scale: Scale = LARGE, seed: int = 1,
                        progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None,
                        record: list[Batch] | None = None, today: date | None = None) -> LargeSummary:
    """Generate `scale` in one transaction; `progress(rows done, rows planned)`; `cancelled()` true
    rolls back and raises Cancelled. `record`, when given, receives every batch (the benchmark
    replays them through bare sqlite3)."""
    import time

    scale.check()
    started = time.perf_counter()
    today = today or date.today()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    photo_shas = store_thumbnails(db, min(PHOTO_VARIANTS, max(1, scale.photos))) if scale.photos else []
    planned = (scale.households * 2 + scale.people + scale.choices * 15 // 14 + scale.meetings * 4
               + scale.sign_ins * 6 // 5 + scale.problems * 2 + scale.photos + scale.designer_notes * 5 // 4
               + scale.leases * 5 + scale.instalments)
    done = 0
    sql_cache: dict[tuple[str, tuple[str, ...]], str] = {}
    with db.write(note="demo-large") as s:
        base = {t: s.connection().exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {t}").scalar() for t in TABLES}
        name = "幸福街道城市更新（大规模演示）"
        suffix = 1
        while s.scalar(select(Project.id).where(Project.name == name)) is not None:
            suffix += 1
            name = f"幸福街道城市更新（大规模演示 {suffix}）"
        builder = _Builder(scale, seed, base, photo_shas, today, now)
        conn = s.connection()
        steps = (lambda: builder.places(name), builder.households, builder.ordering, builder.meetings,
                 builder.supervision, builder.designer, builder.leases)
        for step in steps:
            for table, cols, rows in step():
                if cancelled and cancelled():
                    raise Cancelled()
                key = (table, cols)
                sql = sql_cache.get(key) or sql_cache.setdefault(key, insert_sql(table, cols))
                bulk_insert(conn, sql, table, cols, rows)
                if record is not None:
                    record.append((table, cols, rows))
                done += len(rows)
                if progress:
                    progress(min(done, planned), planned)
        counts = builder.counts
        record_event(s, "demo", "project", builder.project_id,
                     note="生成大规模演示数据（随机种子 {}）：{}".format(
                         seed, "，".join(f"{t} {n}" for t, n in counts.items())))
        from .ordering_figures import rebuild_all

        s.flush()
        rebuild_all(s)  # the rounds' tallies, kept from here on by the order writes
        from .households import keys_are_current

        keys_are_current(s)  # the search keys were made as the app makes them
    if progress:
        progress(planned, planned)
    return LargeSummary(builder.project_id, counts, time.perf_counter() - started)


__all__ = ["Cancelled", "GENERATOR_VERSION", "LARGE", "LargeSummary", "Scale", "generate_large_demo", "insert_sql",
           "store_thumbnails", "thumbnail"]
