"""Export to municipal systems and exchange between laptops: the renewal-desk-export v1 bundle."""

from __future__ import annotations

import hashlib
import os
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select, text

from renewal_desk.core.db import open_database
from renewal_desk.core.exchange import bundle, docs, signing, spec, workbook
from renewal_desk.core.exchange.export import ExportCancelled
from renewal_desk.core.models import (AuditEntry, ExchangeConflict, ExchangeLog, Household, Person, Project,
                                      ProjectStage, StoredHouse)
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import exchange
from renewal_desk.core.services.demo import generate_demo
from renewal_desk.core.services.households import delete_household

REPO = Path(__file__).resolve().parents[2]
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def _make_demo(path: Path) -> None:
    db = open_database(path, create=True, operator="演示")
    try:
        generate_demo(db, households=12, seed=5, with_records=True)
    finally:
        db.close()


@pytest.fixture(scope="module")
def demo_file(made_once) -> Path:
    """The office's demo (every record type), generated once per session though four modules import this."""
    return made_once("exchange-demo", _make_demo)


def copy_demo(demo_file: Path, path: Path) -> None:
    """A copy of the demo database with its attachment store beside it (a full bundle carries the photos)."""
    from tests.conftest import _copy_database

    _copy_database(demo_file, path)


@pytest.fixture
def demo(tmp_path, demo_file):
    path = tmp_path / "office.sqlite"
    copy_demo(demo_file, path)
    database = open_database(path, operator="办公室")
    yield database
    database.close()


@pytest.fixture
def empty(tmp_path, template_db):
    path = tmp_path / "laptop.sqlite"
    shutil.copy(template_db, path)
    database = open_database(path, operator="社区笔记本")
    yield database
    database.close()


def records(folder: Path, drop=("base_updated_at", "computed_at")) -> dict[str, set[str]]:
    out = {}
    for rt in (*spec.RECORD_TYPES, *spec.DERIVED_TYPES):
        lines = (folder / bundle.data_path(rt.name)).read_text(encoding="utf-8").splitlines()
        out[rt.name] = {json.dumps({k: v for k, v in json.loads(line).items() if k not in drop},
                                   ensure_ascii=False, sort_keys=True) for line in lines}
    return out


def table_snapshot(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# Schemas and documentation
# ---------------------------------------------------------------------------------------------
def test_shipped_schemas_are_the_generated_ones_and_valid():
    shipped = {p.name for p in bundle.schemas_dir().glob("*.schema.json")}
    generated = bundle.generated_schemas()
    assert shipped == {f"{n}.schema.json" for n in generated}
    for name, schema in generated.items():
        assert bundle.shipped_schema_bytes(name).decode("utf-8") == bundle.schema_text(schema), (
            f"resources/schemas/{name}.schema.json is stale: run python -m renewal_desk.core.exchange.docs "
            f"--write-schemas")
        Draft202012Validator.check_schema(schema)


def test_docs_describe_every_field_of_the_schemas():
    text = docs.docs_path().read_text(encoding="utf-8")
    assert docs.render(text) == text, "resources/docs/export-format.md is stale: regenerate its field tables"
    for rt in spec.RECORD_TYPES:
        assert f"`data/{rt.name}.jsonl`" in text
        for f in spec.fields(rt):
            zh, _en = spec.label(rt.name, f.name)
            assert f"| `{f.name}` | {zh} |" in text
    for code in ("居住区综合改善类", "文化传承及特色风貌塑造类", "储备", "运营", "fen", "ISO 8601", "㎡"):
        assert code in text
    # the codes with their Chinese labels (migrations 0022 and 0023 made them codes)
    for words in ("residential（居住区综合改善类）", "reserve（储备）", "council（居民议事会）", "rejected（未采纳）",
                  "tradition（传统风貌）", "renewed（已续签）", "construct（施工）"):
        assert words in text, words


def test_every_field_has_chinese_and_english_labels():
    for rt in spec.RECORD_TYPES:
        for f in spec.fields(rt):
            zh, en = spec.label(rt.name, f.name)
            assert zh != f.name and en != f.name, (rt.name, f.name)
            assert re.search(r"[\u4e00-\u9fff]", zh), (rt.name, f.name)
        heads = workbook.headers(rt)
        assert len(heads) == len(set(heads)), rt.name


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------
def test_every_file_of_a_bundle_validates_against_its_own_schema(demo, tmp_path):
    out = tmp_path / "bundle"
    result = exchange.export_bundle(demo, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    schemas = {name: json.loads((out / bundle.schema_path(name)).read_text(encoding="utf-8"))
               for name in bundle.schema_names()}
    Draft202012Validator(schemas["manifest"]).validate(manifest)
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json", "manifest.sig"}
    assert set(listed) == on_disk
    for path, entry in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == entry["sha256"]
    assert result.bundle_sha256 == hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    for rt in spec.RECORD_TYPES:
        validator = Draft202012Validator(schemas[rt.name])
        lines = (out / bundle.data_path(rt.name)).read_text(encoding="utf-8").splitlines()
        assert len(lines) == manifest["counts"][rt.name]
        for line in lines:
            validator.validate(json.loads(line))
    # every record type of the demo is present, and references are UUIDs, never integer ids
    # (a masked bundle has no attachments: photos may show people)
    assert all(manifest["counts"][rt.name] > 0 for rt in spec.RECORD_TYPES
               if not rt.full_only or manifest["personal_data"] == "full"), manifest["counts"]
    results = [json.loads(line) for line in (out / "data/ordering_results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert results and manifest["counts"]["ordering_results"] == len(results)
    Draft202012Validator(schemas["ordering_results"]).validate(results[0])
    assert any(r["households"] > 0 and r["rank_in_tier"] == 1 for r in results)
    assert all(re.fullmatch(r"[01]\.\d{4}", r["share_of_all"]) for r in results)
    person = json.loads((out / "data/people.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert re.fullmatch(bundle.UUID_PATTERN[1:-1], person["household_uuid"]) and "id" not in person
    term = json.loads((out / "data/lease_terms.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(term["base_annual_rent_fen"], int) and isinstance(term["step_percent"], str)
    house = json.loads((out / "data/households.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert re.fullmatch(r"\d+(\.\d+)?", house["area"])


def _bundle_texts(folder: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in folder.rglob("*.json*")]
    book = openpyxl.load_workbook(folder / bundle.WORKBOOK, read_only=True)
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            texts.append("\t".join("" if v is None else str(v) for v in row))
    book.close()
    return texts


def test_default_bundles_hold_no_full_id_number_or_phone(demo, tmp_path):
    with demo.read() as s:
        ids = {i for i in s.scalars(select(Person.id_number)) if i}
        phones = {p for p in s.scalars(select(Person.phone)) if p}
    assert ids and phones
    masked = tmp_path / "masked"
    exchange.export_bundle(demo, masked)
    zipped = tmp_path / "masked.zip"
    exchange.export_bundle(demo, zipped, recipient="区住建局")
    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(zipped) as zf:
        zf.extractall(unzipped)
    for folder in (masked, unzipped):
        for text in _bundle_texts(folder):
            assert not ID_RE.search(text), ID_RE.search(text).group()
            assert not MOBILE_RE.search(text), MOBILE_RE.search(text).group()
            assert not any(i in text for i in ids) and not any(p in text for p in phones)
    people = [json.loads(line) for line in (masked / "data/people.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any("*" in p["name"] for p in people)
    assert all(p["birth_date"] is None for p in people)
    assert any(p["id_number"] and "********" in p["id_number"] for p in people)

    # the scan can fail: a full bundle holds them, names the recipient and purpose, and is audited
    full = tmp_path / "full"
    exchange.export_bundle(demo, full, recipient="市城市更新项目库", purpose="城市更新项目库年度报送",
                           full_personal_data=True)
    assert any(ID_RE.search(t) for t in _bundle_texts(full)) and any(MOBILE_RE.search(t) for t in _bundle_texts(full))
    manifest = json.loads((full / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["personal_data"] == "full" and manifest["purpose"] == "城市更新项目库年度报送"
    with demo.read() as s:
        event = s.scalars(select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id.desc())).first()
        log = s.scalars(select(ExchangeLog).order_by(ExchangeLog.id.desc())).first()
    assert json.loads(event.after)["full_personal_data"] is True and event.operator == "办公室"
    assert "城市更新项目库年度报送" in event.after
    assert log.full_personal_data and log.recipient == "市城市更新项目库" and log.bundle_sha256 == hashlib.sha256(
        (full / "manifest.json").read_bytes()).hexdigest()


def test_full_personal_data_needs_recipient_and_purpose(demo, tmp_path):
    for kwargs in ({}, {"recipient": "区住建局"}, {"purpose": "报送"}, {"recipient": " ", "purpose": "报送"}):
        with pytest.raises(InputError) as err:
            exchange.export_bundle(demo, tmp_path / "x", full_personal_data=True, **kwargs)
        assert "接收方和用途" in err.value.problems[0].message()
    assert not (tmp_path / "x").exists()


def test_export_refuses_an_existing_target(demo, tmp_path):
    (tmp_path / "there").mkdir()
    with pytest.raises(InputError) as err:
        exchange.export_bundle(demo, tmp_path / "there")
    assert "已存在" in err.value.problems[0].message()


@pytest.mark.parametrize("target", ["bundle", "bundle.zip"])
def test_cancel_or_failure_leaves_nothing_half_written(demo, tmp_path, monkeypatch, target):
    seen = []

    def cancel() -> bool:
        return len(seen) > 0

    with pytest.raises(ExportCancelled):
        exchange.export_bundle(demo, tmp_path / target, progress=lambda d, t: seen.append((d, t)), cancelled=cancel)
    assert seen
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".") or p.name.startswith("bundle")]
    assert leftovers == []

    from renewal_desk.core.exchange import workbook as wb

    def broken(self, rt):
        raise OSError("disk full")

    monkeypatch.setattr(wb.Writer, "sheet", broken)
    with pytest.raises(OSError):
        exchange.export_bundle(demo, tmp_path / target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") or p.name.startswith("bundle")] == []
    with demo.read() as s:
        assert s.scalar(select(ExchangeLog.id)) is None  # nothing logged for what was not written


def test_progress_reaches_the_total(demo, tmp_path):
    seen = []
    exchange.export_bundle(demo, tmp_path / "b.zip", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and all(d <= t for d, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_libreoffice_opens_the_workbook_with_chinese_headers(demo, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (libreoffice-calc-nogui) missing: run installers/bootstrap.sh"
    out = tmp_path / "bundle"
    exchange.export_bundle(demo, out)
    csv_dir = tmp_path / "csv"
    profile = (tmp_path / "lo-profile").as_uri()
    # filter options: comma, quote, UTF-8, from line 1 …, last token -1 = every sheet to its own file
    env = dict(os.environ, HOME=str(tmp_path), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    result = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                             "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                             "--outdir", str(csv_dir), str(out / bundle.WORKBOOK)],
                            capture_output=True, text=True, timeout=240, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    sheets = {}
    for path in csv_dir.glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines()
        sheets[lines[0]] = lines[1:]
    assert len(sheets) == len(spec.RECORD_TYPES) + len(spec.DERIVED_TYPES) + 2, sorted(sheets)
    assert any(h.startswith("工作表,数据文件,字段,中文名") for h in sheets)
    for rt in spec.RECORD_TYPES:
        header = ",".join(workbook.headers(rt))
        assert header in sheets, rt.name
        assert sheets[header] or rt.full_only, f"{rt.zh}: no rows"  # a masked bundle has no attachments
    people = sheets[",".join(workbook.headers(spec.BY_NAME["people"]))]
    assert "*" in people[0] and not MOBILE_RE.search("\n".join(people))


# ---------------------------------------------------------------------------------------------
# Import and merge
# ---------------------------------------------------------------------------------------------
def test_round_trip_demo_to_empty_database_and_back(demo, empty, tmp_path):
    first = tmp_path / "first"
    exchange.export_bundle(demo, first, recipient="社区笔记本", purpose="入户走访", full_personal_data=True)
    report = exchange.import_bundle(empty, first)
    counts = json.loads((first / "manifest.json").read_text(encoding="utf-8"))["counts"]
    total = sum(counts[rt.name] for rt in spec.RECORD_TYPES)  # ordering_results are figures, not records
    assert report.total("added") == total and report.total("conflicts") == 0
    second = tmp_path / "second.zip"
    exchange.export_bundle(empty, second, recipient="办公室", purpose="合并", full_personal_data=True)
    unzipped = tmp_path / "second"
    with zipfile.ZipFile(second) as zf:
        zf.extractall(unzipped)
    assert records(unzipped) == records(first)
    # derived keys were rebuilt: the household search finds people by name on the new laptop
    with empty.read() as s:
        h = s.scalars(select(Household)).first()
        assert h.sort_key and h.search_text
    # importing the same bundle again changes nothing
    again = exchange.import_bundle(empty, first)
    assert again.total("unchanged") == total and again.total("added") == again.total("updated") == 0
    # the import is logged and audited
    with empty.read() as s:
        assert s.scalar(select(ExchangeLog.direction).where(ExchangeLog.direction == "import")) == "import"
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "import")) is not None


def _edit_note(db, model, uuid, note):
    with db.write() as s:
        obj = s.scalar(select(model).where(model.uuid == uuid))
        obj.note = note


def test_changes_on_one_laptop_update_the_other(demo, empty, tmp_path):
    exchange.export_bundle(demo, tmp_path / "a", recipient="笔记本", purpose="走访", full_personal_data=True)
    exchange.import_bundle(empty, tmp_path / "a")
    with empty.read() as s:
        house_uuid = s.scalar(select(StoredHouse.uuid).order_by(StoredHouse.id))
    _edit_note(empty, StoredHouse, house_uuid, "屋面漏雨，已报修")
    exchange.export_bundle(empty, tmp_path / "b", recipient="办公室", purpose="合并", full_personal_data=True)
    report = exchange.import_bundle(demo, tmp_path / "b")
    assert report.counts["stored_houses"].updated == 1 and report.total("conflicts") == 0
    assert report.total("updated") == 1
    with demo.read() as s:
        assert s.scalar(select(StoredHouse.note).where(StoredHouse.uuid == house_uuid)) == "屋面漏雨，已报修"
    # and back: the office changes it again, the laptop takes it (it did not change it since)
    _edit_note(demo, StoredHouse, house_uuid, "已修好")
    exchange.export_bundle(demo, tmp_path / "c", recipient="笔记本")
    back = exchange.import_bundle(empty, tmp_path / "c")
    assert back.counts["stored_houses"].updated == 1 and back.total("conflicts") == 0
    with empty.read() as s:
        assert s.scalar(select(StoredHouse.note).where(StoredHouse.uuid == house_uuid)) == "已修好"


def test_the_same_record_edited_on_two_copies_is_a_conflict_not_an_overwrite(demo, tmp_path):
    copy_path = tmp_path / "copy.sqlite"
    demo.backup_to(copy_path)
    other = open_database(copy_path, operator="社区笔记本")
    try:
        with demo.read() as s:
            house = s.scalars(select(Household).order_by(Household.id)).first()
            uuid, room = house.uuid, house.room
        _edit_note(demo, Household, uuid, "办公室：门牌已更换")
        _edit_note(other, Household, uuid, "社区：户主已搬走")
        exchange.export_bundle(other, tmp_path / "from-laptop.zip", recipient="办公室", purpose="合并",
                               full_personal_data=True)
    finally:
        other.close()
    before = table_snapshot(demo.path)
    report = exchange.import_bundle(demo, tmp_path / "from-laptop.zip")
    assert report.total("conflicts") == 1 and report.total("updated") == 0
    assert report.conflicts == [{"record_type": "households", "uuid": uuid, "fields": ["note"]}]
    with demo.read() as s:
        assert s.scalar(select(Household.note).where(Household.uuid == uuid)) == "办公室：门牌已更换"
    assert table_snapshot(demo.path)["household"] == before["household"]

    conflicts = exchange.open_conflicts(demo)
    assert len(conflicts) == 1
    c = conflicts[0]
    assert c.local["note"] == "办公室：门牌已更换" and c.incoming["note"] == "社区：户主已搬走"
    assert c.differing_fields() == ["note"] and c.type_label == "住户" and c.local["room"] == room

    # importing it again lists the same conflict once
    exchange.import_bundle(demo, tmp_path / "from-laptop.zip")
    assert len(exchange.open_conflicts(demo)) == 1

    exchange.resolve_conflict(demo, c.id, "incoming")
    with demo.read() as s:
        assert s.scalar(select(Household.note).where(Household.uuid == uuid)) == "社区：户主已搬走"
        resolved = s.get(ExchangeConflict, c.id)
        assert resolved.resolution == "incoming" and resolved.resolved_by == "办公室"
        event = s.scalar(select(AuditEntry).where(AuditEntry.action == "resolve_conflict"))
        assert event.record_uuid == uuid and json.loads(event.after)["choice"] == "incoming"
        assert s.scalar(select(Household.search_text).where(Household.uuid == uuid))
    assert exchange.open_conflicts(demo) == []
    # the same bundle once more: nothing left to decide
    assert exchange.import_bundle(demo, tmp_path / "from-laptop.zip").total("conflicts") == 0
    with pytest.raises(InputError):
        exchange.resolve_conflict(demo, c.id, "local")


def test_keeping_the_local_version_makes_it_travel_back(demo, tmp_path):
    copy_path = tmp_path / "copy.sqlite"
    demo.backup_to(copy_path)
    other = open_database(copy_path, operator="社区笔记本")
    try:
        with demo.read() as s:
            uuid = s.scalar(select(Project.uuid))
        with demo.write() as s:
            s.scalar(select(Project)).description = "办公室版本"
        with other.write() as s:
            s.scalar(select(Project)).description = "社区版本"
        exchange.export_bundle(other, tmp_path / "in", recipient="办公室")
        assert exchange.import_bundle(demo, tmp_path / "in").total("conflicts") == 1
        exchange.resolve_conflict(demo, exchange.open_conflicts(demo)[0].id, "local")
        with demo.read() as s:
            assert s.scalar(select(Project.description)) == "办公室版本"
        exchange.export_bundle(demo, tmp_path / "out", recipient="社区")
        report = exchange.import_bundle(other, tmp_path / "out")
        assert report.counts["projects"].updated == 1 and report.total("conflicts") == 0
        with other.read() as s:
            assert s.scalar(select(Project.description).where(Project.uuid == uuid)) == "办公室版本"
    finally:
        other.close()


def test_dry_run_writes_nothing(demo, empty, tmp_path):
    exchange.export_bundle(demo, tmp_path / "b")
    before = table_snapshot(empty.path)
    report = exchange.import_bundle(empty, tmp_path / "b", dry_run=True)
    assert report.dry_run and report.total("added") > 0 and report.notes  # masked bundle: said so
    assert table_snapshot(empty.path) == before


def test_masked_bundle_never_overwrites_personal_data(demo, empty, tmp_path):
    exchange.export_bundle(demo, tmp_path / "full", recipient="社区笔记本", purpose="走访", full_personal_data=True)
    exchange.import_bundle(empty, tmp_path / "full")
    with empty.write() as s:
        p = s.scalars(select(Person).where(Person.id_number.is_not(None)).order_by(Person.id)).first()
        p.note, uuid = "已核实", p.uuid
    exchange.export_bundle(empty, tmp_path / "masked")
    with demo.read() as s:
        before = s.scalar(select(Person).where(Person.uuid == uuid))
    report = exchange.import_bundle(demo, tmp_path / "masked")
    assert report.counts["people"].updated == 1 and report.total("conflicts") == 0
    with demo.read() as s:
        after = s.scalar(select(Person).where(Person.uuid == uuid))
    assert after.note == "已核实"
    assert (after.name, after.id_number, after.phone, after.birth_date) == (
        before.name, before.id_number, before.phone, before.birth_date)
    assert before.id_number and before.phone


def test_copies_made_by_file_copy_list_differences_as_conflicts(demo, tmp_path):
    """Without a common version on record (a copied file), a record changed on one side only cannot
    be told apart from one changed on both: it is listed, never overwritten."""
    copy_path = tmp_path / "copy.sqlite"
    demo.backup_to(copy_path)
    other = open_database(copy_path, operator="社区笔记本")
    try:
        with other.read() as s:
            uuid = s.scalar(select(StoredHouse.uuid).order_by(StoredHouse.id))
        _edit_note(other, StoredHouse, uuid, "只在笔记本上改过")
        exchange.export_bundle(other, tmp_path / "b")
    finally:
        other.close()
    report = exchange.import_bundle(demo, tmp_path / "b")
    assert report.total("conflicts") == 1 and report.total("updated") == 0
    assert report.total("unchanged") == report.total("unchanged") and report.conflicts[0]["uuid"] == uuid


def test_incremental_export_since_the_last_one_with_tombstones(demo, tmp_path, empty):
    exchange.export_bundle(demo, tmp_path / "full", recipient="市平台", purpose="月报", full_personal_data=True)
    exchange.import_bundle(empty, tmp_path / "full")
    with demo.read() as s:  # a household none of whose people is an owner, lessor, supervisor or designer
        held = s.execute(text("SELECT person_id FROM house_owner UNION SELECT person_id FROM lease_lessor UNION "
                              "SELECT person_id FROM supervisor UNION SELECT person_id FROM designer_appointment"))
        busy = select(Person.household_id).where(Person.id.in_([r[0] for r in held]), Person.household_id.is_not(None))
        victim_id, victim_uuid = s.execute(select(Household.id, Household.uuid).where(Household.id.not_in(busy))
                                           .order_by(Household.id.desc())).first()
    with demo.write() as s:
        s.scalar(select(Project)).stage = ProjectStage.STARTED
    delete_household(demo, victim_id)
    inc = exchange.export_bundle(demo, tmp_path / "inc", recipient="市平台", purpose="月报", full_personal_data=True)
    assert inc.manifest["period"]["since"] is not None
    assert inc.counts["projects"] == 1 and inc.counts["households"] == 0
    assert sum(inc.counts[rt.name] for rt in spec.RECORD_TYPES) < 10
    assert inc.counts["ordering_results"] > 0  # figures are always the current ones
    tombs = [json.loads(line) for line in (tmp_path / "inc/data/tombstones.jsonl").read_text().splitlines()]
    assert {"record_type": "households", "uuid": victim_uuid} in [
        {k: t[k] for k in ("record_type", "uuid")} for t in tombs]
    report = exchange.import_bundle(empty, tmp_path / "inc")
    assert report.counts["households"].deleted == 1 and report.counts["projects"].updated == 1
    with empty.read() as s:
        assert s.scalar(select(Household.id).where(Household.uuid == victim_uuid)) is None
        assert s.scalar(select(Project.stage)) == ProjectStage.STARTED
    # --since a date: everything changed that day; the history lists both exports
    today = exchange.export_bundle(demo, tmp_path / "today", since=datetime.now(timezone.utc).date())
    assert today.counts["households"] > 0
    history = exchange.export_history(demo)
    assert [h.recipient for h in history if h.direction == "export"][:3] == ["", "市平台", "市平台"]
    assert history[1].since is not None and history[2].since is None


# ---------------------------------------------------------------------------------------------
# Tampered bundles
# ---------------------------------------------------------------------------------------------
def _rehash(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for f in manifest["files"]:
        data = (folder / f["path"]).read_bytes()
        f["sha256"], f["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    signing.sign_folder(folder)  # re-signed with this computer's (trusted) key: the checks below the signature


def _edit_byte(folder: Path) -> None:
    path = folder / "data/households.jsonl"
    data = bytearray(path.read_bytes())
    i = data.index(b'"room":"') + 8
    data[i] = ord("9") if data[i] != ord("9") else ord("8")
    path.write_bytes(bytes(data))


def _bad_record(folder: Path) -> None:
    path = folder / "data/lease_terms.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[0])
    rec["base_annual_rent_fen"] = "12000.50"  # money must be integer fen
    lines[0] = json.dumps(rec, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _rehash(folder)


def _loose_schema(folder: Path) -> None:
    path = folder / "schemas/lease_terms.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["base_annual_rent_fen"] = {}
    path.write_text(json.dumps(schema), encoding="utf-8")
    _rehash(folder)


def _extra_file(folder: Path) -> None:
    (folder / "data/extra.jsonl").write_text("{}\n", encoding="utf-8")


@pytest.mark.parametrize("tamper, reason", [
    (_edit_byte, "校验值"),
    (lambda f: (f / "data/people.jsonl").unlink(), "缺少文件：data/people.jsonl"),
    (lambda f: (f / "manifest.json").unlink(), "找不到 manifest.json"),
    (_bad_record, "lease_terms.jsonl 第 1 行不符合结构定义"),
    (_loose_schema, "结构定义 schemas/lease_terms.schema.json 与本程序"),
    (_extra_file, "清单之外的文件：data/extra.jsonl"),
])
def test_a_tampered_bundle_is_refused_with_the_reason_and_nothing_written(demo, empty, tmp_path, tamper, reason):
    folder = tmp_path / "b"
    exchange.export_bundle(demo, folder)
    tamper(folder)
    before = table_snapshot(empty.path)
    with pytest.raises(InputError) as err:
        exchange.import_bundle(empty, folder)
    assert reason in err.value.problems[0].message()
    assert table_snapshot(empty.path) == before


def test_a_tampered_zip_is_refused(demo, empty, tmp_path):
    path = tmp_path / "b.zip"
    exchange.export_bundle(demo, path)
    with zipfile.ZipFile(path) as zf:
        items = {n: zf.read(n) for n in zf.namelist()}
    items["data/projects.jsonl"] = items["data/projects.jsonl"].replace("项目".encode(), "工程".encode(), 1) \
        if "项目".encode() in items["data/projects.jsonl"] else items["data/projects.jsonl"] + b" "
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in items.items():
            zf.writestr(n, data)
    with pytest.raises(InputError) as err:
        exchange.import_bundle(empty, path)
    assert "data/projects.jsonl" in err.value.problems[0].message()


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------
class Run:
    def __init__(self, capsys):
        self.capsys = capsys

    def __call__(self, *args):
        from renewal_desk.cli import main

        self.capsys.readouterr()
        code = main([str(a) for a in args])
        out = self.capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)


def test_cli_export_and_import_bundle(demo_file, tmp_path, template_db, capsys):
    run = Run(capsys)
    db = tmp_path / "office.sqlite"
    copy_demo(demo_file, db)
    laptop = tmp_path / "laptop.sqlite"
    shutil.copy(template_db, laptop)
    r = run("export", "--db", db, "--out", tmp_path / "b.zip", "--recipient", "区住建局", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["personal_data"] == "masked" and out["counts"]["projects"] == 1 and out["since"] is None
    r = run("export", "--db", db, "--out", tmp_path / "b.zip")
    assert r.returncode == 2 and "已存在" in r.stderr
    r = run("export", "--db", db, "--out", tmp_path / "full", "--full-personal-data", "--recipient", "区住建局")
    assert r.returncode == 2 and "用途" in r.stderr and not (tmp_path / "full").exists()
    r = run("export", "--db", db, "--out", tmp_path / "full", "--full-personal-data", "--recipient", "社区笔记本",
            "--purpose", "入户核对")
    assert r.returncode == 0 and "已记入审计" in r.stdout
    before = table_snapshot(laptop)
    r = run("import-bundle", "--db", laptop, "--dry-run", "--json", tmp_path / "full")
    assert r.returncode == 0 and json.loads(r.stdout)["totals"]["added"] > 0
    assert table_snapshot(laptop) == before
    r = run("import-bundle", "--db", laptop, tmp_path / "full")
    assert r.returncode == 0 and "新增" in r.stdout
    fresh = tmp_path / "new-laptop.sqlite"  # a new laptop: created from a sound bundle only
    r = run("import-bundle", "--db", fresh, "--json", tmp_path / "b.zip")
    assert r.returncode == 0 and json.loads(r.stdout)["totals"]["added"] > 0 and fresh.exists()
    (tmp_path / "full/data/units.jsonl").write_text("{}\n", encoding="utf-8")
    r = run("import-bundle", "--db", laptop, tmp_path / "full")
    assert r.returncode == 2 and "校验值" in r.stderr
    r = run("import-bundle", "--db", tmp_path / "never.sqlite", tmp_path / "full")
    assert r.returncode == 2 and not (tmp_path / "never.sqlite").exists()


def _mutations(record: dict, schema: dict):
    """The record with one thing wrong (or right) at a time: every field set to values of other types,
    to null, too long, off-pattern, off the code list; a field missing; an unknown field."""
    yield dict(record)
    for key in record:
        broken = dict(record)
        del broken[key]
        yield broken
        for value in (None, 7, -1, True, "x", "", "é" * 300, [], ["x"], {}, 1.5, "2026-13-45", "00000000-0000-0000"):
            changed = dict(record)
            changed[key] = value
            yield changed
        prop = schema["properties"][key]
        for allowed in prop.get("enum", ())[:2]:
            yield {**record, key: allowed}
        if isinstance(record[key], list) and record[key] and isinstance(record[key][0], dict):
            for sub in record[key][0]:
                for value in (None, "x", 0, 3):
                    items = [dict(record[key][0], **{sub: value})] + record[key][1:]
                    yield {**record, key: items}
    yield {**record, "extra": 1}


def test_the_exporters_compiled_check_agrees_with_jsonschema(demo, tmp_path):
    """The exporter runs every record through a compiled check of its schema (jsonschema is too slow for
    hundreds of thousands of rows): on real records and thousands of broken ones it must say exactly
    what the jsonschema package says."""
    out = tmp_path / "b"
    exchange.export_bundle(demo, out, recipient="x", purpose="y", full_personal_data=True)
    checked = 0
    for name in bundle.schema_names():
        if name == "manifest":
            samples = [json.loads((out / "manifest.json").read_text(encoding="utf-8"))]
        else:
            lines = (out / bundle.data_path(name)).read_text(encoding="utf-8").splitlines()
            samples = [json.loads(line) for line in lines[:3]]
        schema = json.loads(bundle.shipped_schema_bytes(name))
        validator = Draft202012Validator(schema)
        fast = bundle.fast_check(name)
        for record in samples:
            for candidate in _mutations(record, schema):
                assert fast(candidate) == validator.is_valid(candidate), (name, candidate)
                checked += 1
    assert checked > 5000


def test_export_records_the_first_jsonschema_error_and_writes_nothing(demo, tmp_path, monkeypatch):
    from renewal_desk.core.exchange import export as export_module

    real = export_module.TypeReader.records

    def with_a_bad_area(self, conn, since):
        for record in real(self, conn, since):
            if self.rt.name == "households":
                record = dict(record, area="八十五平方")
            yield record

    monkeypatch.setattr(export_module.TypeReader, "records", with_a_bad_area)
    with pytest.raises(InputError) as err:
        exchange.export_bundle(demo, tmp_path / "b.zip")
    message = err.value.problems[0].message()
    assert "data/households.jsonl 第 1 行" in message and "area" in message and "未写出任何文件" in message
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".b", "b"))] == []


def test_the_workbook_field_sheet_says_what_each_code_means(demo, tmp_path):
    """The cells hold the codes (as the JSON Lines do); the field sheet's 代码表 gives each its Chinese label."""
    out = tmp_path / "words"
    exchange.export_bundle(demo, out)
    book = openpyxl.load_workbook(out / bundle.WORKBOOK, read_only=True)
    rows = {(r[1], r[2]): r[7] for r in book[workbook.FIELDS_SHEET].iter_rows(min_row=2, values_only=True)}
    book.close()
    assert rows[("data/meetings.jsonl", "status")] == "planned（筹备中）、running（进行中）、ended（已结束）"
    assert "failed（复查未通过）" in rows[("data/supervision_problems.jsonl", "state")]
    assert rows[("data/menu_items.jsonl", "tier")] == "basic（基础类）、improve（完善类）、better（提升类）"
    assert rows[("data/motions.jsonl", "scope")] == "project、buildings、units"  # no label table: the codes alone
    # 0023 (enum21c)
    assert rows[("data/lease_contracts.jsonl", "status")] == "active（生效）、terminated（已解除）、renewed（已续签）"
    assert "tradition（传统风貌）" in rows[("data/stored_houses.jsonl", "protection")]
    assert "heritage（文化传承及特色风貌塑造类）" in rows[("data/projects.jsonl", "project_type")]
    assert "operating（运营）" in rows[("data/projects.jsonl", "stage")]
    assert "business（业态引入）" in rows[("data/designer_opinions.jsonl", "stage")]
    assert "rejected（未采纳）" in rows[("data/designer_responses.jsonl", "status")]
