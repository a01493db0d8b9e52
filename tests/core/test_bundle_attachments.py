"""Photos travel in full bundles (issue 18, laptop <-> office): the attachment rows of the records a bundle carries
and their contents as `attachments/<sha256>`, checked against hash and size before anything is written, stored
through `db.blobs` (on the server in attachment_content), once per content. A masked bundle has none; a bundle
written before attachments travelled is still read.

The office is the `db` fixture, so everything here runs with the office on each engine (on PostgreSQL: the server)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from renewal_desk.core.db import open_database
from renewal_desk.core.exchange import bundle, spec
from renewal_desk.core.models import Attachment, AuditEntry, Household, SupervisionProblem
from renewal_desk.core.problems import InputError
from renewal_desk.core import db as core_db
from renewal_desk.core.services import exchange
from renewal_desk.core.services.attachments import add_attachment, attachments_of, open_attachment
from renewal_desk.core.exchange import signing
from tests.core.test_exchange import copy_demo, demo_file  # noqa: F401 - fixture

BEFORE = Path(__file__).resolve().parents[1] / "fixtures" / "bundle_before_attachments"


def rehash(folder: Path) -> None:
    """The manifest made to agree with the files present (a listed file that is gone stays listed), re-signed with
    this computer's trusted key: what remains is the checks below the signature."""
    manifest = json.loads((folder / bundle.MANIFEST).read_text(encoding="utf-8"))
    for f in manifest["files"]:
        if (folder / f["path"]).exists():
            data = (folder / f["path"]).read_bytes()
            f["sha256"], f["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
    (folder / bundle.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    signing.sign_folder(folder)


def _photo(folder: Path, name: str, seed: str) -> Path:
    path = folder / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + hashlib.sha256(seed.encode()).digest() * 200)
    return path


def _laptop(tmp_path, template_db, name="laptop.sqlite"):
    path = tmp_path / name
    shutil.copy(template_db, path)
    return open_database(path, operator="社区笔记本")


def _full(db, out, recipient="办公室"):
    return exchange.export_bundle(db, out, recipient=recipient, purpose="同步", full_personal_data=True)


def _other_laptop(office, folder, monkeypatch):
    """A second Database on the office's database (on the server: another laptop with its own, empty cache)."""
    monkeypatch.setenv("RENEWAL_DESK_DATA", str(folder))
    return open_database(office.address, operator="另一台笔记本")


def _state(db) -> tuple:
    """What an import writes: attachment rows, audit entries, imports logged."""
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Attachment)), s.scalar(select(func.max(AuditEntry.id))))


def test_a_problem_with_two_photos_goes_laptop_to_office_and_office_to_a_new_laptop(records_db, tmp_path,
                                                                                    template_db, monkeypatch):
    office = records_db
    with office.read() as s:
        problem_id, problem_uuid = s.execute(
            select(SupervisionProblem.id, SupervisionProblem.uuid)
            .where(SupervisionProblem.id.in_(select(Attachment.owner_id).where(
                Attachment.owner_table == "supervision_problem"))).order_by(SupervisionProblem.id)).first()
    before = attachments_of(office, "supervision_problem", problem_id)
    before_bytes = [open_attachment(office, p).read_bytes() for p in before]
    assert before and all(before_bytes)

    # the office -> a new SQLite laptop: the records with their photos, and the photos open there
    result = _full(office, tmp_path / "new-laptop.zip")
    assert result.counts[spec.ATTACHMENTS] > 0 and result.content_files > 0
    laptop = _laptop(tmp_path, template_db)
    try:
        report = exchange.import_bundle(laptop, tmp_path / "new-laptop.zip")
        assert report.total("conflicts") == 0 and report.contents_stored == result.content_files
        assert report.counts[spec.ATTACHMENTS].added == result.counts[spec.ATTACHMENTS]
        with laptop.read() as s:
            laptop_id = s.scalar(select(SupervisionProblem.id).where(SupervisionProblem.uuid == problem_uuid))
        on_laptop = attachments_of(laptop, "supervision_problem", laptop_id)
        assert [(p.uuid, p.sha256, p.caption) for p in on_laptop] == [(p.uuid, p.sha256, p.caption) for p in before]
        assert [open_attachment(laptop, p).read_bytes() for p in on_laptop] == before_bytes

        # offline at the site: two new photos of the problem
        for n in (1, 2):
            add_attachment(laptop, "supervision_problem", laptop_id, _photo(tmp_path, f"复查{n}.jpg", f"site {n}"),
                           f"复查照片{n}")
        new = attachments_of(laptop, "supervision_problem", laptop_id)[len(before):]
        assert len(new) == 2
        back = _full(laptop, tmp_path / "from-site")
        assert {p.name for p in (tmp_path / "from-site" / bundle.CONTENT_DIR).iterdir()} >= {p.sha256 for p in new}
        listed = {f["path"]: f for f in back.manifest["files"]}
        for p in new:  # each content listed in the manifest with its size and hash
            assert listed[bundle.content_path(p.sha256)] == {"path": bundle.content_path(p.sha256),
                                                             "sha256": p.sha256, "bytes": p.size}
    finally:
        laptop.close()

    audit_before = _state(office)[1]
    report = exchange.import_bundle(office, tmp_path / "from-site")
    assert report.total("conflicts") == 0
    assert report.counts[spec.ATTACHMENTS].added == 2 and report.contents_stored == 2  # the office's own: not again
    assert report.as_dict()["attachment_files_stored"] == 2
    with office.read() as s:
        audited = s.scalars(select(AuditEntry.record_uuid).where(AuditEntry.id > audit_before,
                                                                 AuditEntry.table_name == "attachment")).all()
    assert set(audited) == {p.uuid for p in new}  # audited as every merged record
    # another laptop on the office database (on the server: nothing of these photos in its cache) opens them
    other = _other_laptop(office, tmp_path / "other-laptop", monkeypatch)
    try:
        seen = attachments_of(other, "supervision_problem", problem_id)
        assert [p.uuid for p in seen] == [p.uuid for p in before] + [p.uuid for p in new]
        assert [open_attachment(other, p).read_bytes() for p in seen[len(before):]] == [
            (tmp_path / f"复查{n}.jpg").read_bytes() for n in (1, 2)]
    finally:
        other.close()


@pytest.fixture
def photos_bundle(demo_db, tmp_path):
    """A full bundle (folder) of the demo with two photos of one household: (db, bundle, household uuid, shas)."""
    with demo_db.read() as s:
        hid, huuid = s.execute(select(Household.id, Household.uuid).order_by(Household.id)).first()
    for n in (1, 2):
        add_attachment(demo_db, "household", hid, _photo(tmp_path, f"门牌{n}.jpg", f"door {n}"))
    shas = [p.sha256 for p in attachments_of(demo_db, "household", hid)]
    _full(demo_db, tmp_path / "bundle")
    return demo_db, tmp_path / "bundle", huuid, shas


def _refused(target, path, *words) -> str:
    before = _state(target)
    with pytest.raises(InputError) as err:
        exchange.import_bundle(target, path)
    message = err.value.problems[0].message()
    for word in words:
        assert word in message
    assert _state(target) == before  # nothing written
    return message


def test_an_altered_or_missing_content_file_refuses_the_whole_import(photos_bundle, tmp_path, template_db):
    _db, out, _huuid, shas = photos_bundle
    laptop = _laptop(tmp_path, template_db)
    try:
        content = out / bundle.content_path(shas[1])
        original = content.read_bytes()
        damaged = bytearray(original)
        damaged[20] ^= 0xFF
        content.write_bytes(bytes(damaged))  # same size, other bytes
        _refused(laptop, out, bundle.content_path(shas[1]), "门牌2.jpg", "住户", "被改动", "未导入任何内容")
        assert not laptop.blobs.has(shas[0]) and not laptop.blobs.has(shas[1])  # not even the good one
        rehash(out)  # the manifest made to agree: the file is still not the content it is named by
        _refused(laptop, out, bundle.content_path(shas[1]), "被改动")
        content.unlink()
        rehash(out)
        _refused(laptop, out, bundle.content_path(shas[1]), "缺失")
        with laptop.read() as s:
            assert s.scalar(select(func.count()).select_from(Household)) == 0
    finally:
        laptop.close()


def test_content_already_here_needs_no_file(photos_bundle, tmp_path):
    """The receiving database has the content (same SHA-256): a missing or damaged file does not matter."""
    db, out, _huuid, shas = photos_bundle
    (out / bundle.content_path(shas[0])).unlink()
    rehash(out)
    report = exchange.import_bundle(db, out)  # the database it came from: every row unchanged, content here
    assert report.total("conflicts") == 0 and report.contents_stored == 0
    assert report.counts[spec.ATTACHMENTS].unchanged == 2


def test_a_masked_export_carries_no_attachments(photos_bundle, tmp_path):
    db, _out, _huuid, _shas = photos_bundle
    result = exchange.export_bundle(db, tmp_path / "masked")
    assert result.counts[spec.ATTACHMENTS] == 0 and result.content_files == 0
    assert not (tmp_path / "masked" / bundle.CONTENT_DIR).exists()
    assert (tmp_path / "masked" / bundle.data_path(spec.ATTACHMENTS)).read_bytes() == b""
    assert not [f for f in result.manifest["files"] if f["path"].startswith(bundle.CONTENT_DIR)]


def test_the_same_photo_twice_travels_and_is_stored_once(demo_db, tmp_path, template_db):
    with demo_db.read() as s:
        a, b = s.scalars(select(Household.id).order_by(Household.id).limit(2)).all()
    photo = _photo(tmp_path, "同一张.jpg", "same")
    add_attachment(demo_db, "household", a, photo)
    add_attachment(demo_db, "household", b, photo)
    result = _full(demo_db, tmp_path / "twice.zip")
    assert result.counts[spec.ATTACHMENTS] == 2 and result.content_files == 1
    assert result.content_bytes == photo.stat().st_size
    laptop = _laptop(tmp_path, template_db)
    try:
        report = exchange.import_bundle(laptop, tmp_path / "twice.zip")
        assert report.counts[spec.ATTACHMENTS].added == 2 and report.contents_stored == 1
        sha = hashlib.sha256(photo.read_bytes()).hexdigest()
        assert [p.name for p in laptop.blobs.local_path(sha).parent.iterdir()] == [sha]
        with laptop.read() as s:
            rows = s.scalars(select(Attachment)).all()
        assert len(rows) == 2 and {r.sha256 for r in rows} == {sha}
    finally:
        laptop.close()


def test_an_older_bundle_without_attachments_still_imports(photos_bundle, tmp_path, template_db):
    _db, out, huuid, _shas = photos_bundle
    shutil.rmtree(out / bundle.CONTENT_DIR)
    (out / bundle.data_path(spec.ATTACHMENTS)).unlink()
    (out / bundle.schema_path(spec.ATTACHMENTS)).unlink()
    for schema in BEFORE.glob("*.schema.json"):  # the schema files of the version before attachments travelled
        shutil.copy(schema, out / bundle.schema_path(schema.name.removesuffix(".schema.json")))
    manifest = json.loads((out / bundle.MANIFEST).read_text(encoding="utf-8"))
    del manifest["counts"][spec.ATTACHMENTS]
    manifest["files"] = [f for f in manifest["files"] if (out / f["path"]).exists()]
    (out / bundle.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    rehash(out)
    for name in ("manifest", "tombstones"):
        assert (out / bundle.schema_path(name)).read_bytes() != bundle.shipped_schema_bytes(name)
    laptop = _laptop(tmp_path, template_db)
    try:
        report = exchange.import_bundle(laptop, out)
        assert report.total("added") > 0 and report.counts[spec.ATTACHMENTS].added == 0
        with laptop.read() as s:
            assert s.scalar(select(Household.id).where(Household.uuid == huuid)) is not None
            assert s.scalar(select(func.count()).select_from(Attachment)) == 0
    finally:
        laptop.close()


def test_a_content_over_the_attachment_limit_is_refused(photos_bundle, tmp_path, template_db, monkeypatch):
    _db, out, _huuid, shas = photos_bundle
    laptop = _laptop(tmp_path, template_db)
    try:
        monkeypatch.setattr(core_db, "ATTACHMENT_MAX_BYTES", 1000)  # smaller than the photos
        _refused(laptop, out, bundle.content_path(shas[0]), "超过上限")
        with laptop.read() as s:
            assert s.scalar(select(func.count()).select_from(Household)) == 0
    finally:
        laptop.close()


def test_an_export_over_the_bundle_limits_is_refused_and_leaves_nothing(photos_bundle, tmp_path, monkeypatch):
    db, _out, _huuid, _shas = photos_bundle
    monkeypatch.setattr(bundle, "MAX_FILES", 101)  # room for the records' files, not for two photos
    with pytest.raises(InputError) as err:
        _full(db, tmp_path / "too-many", "另一处")  # everything (not only the changes since the fixture's export)
    assert "附件共 2 个文件" in err.value.problems[0].message()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".too-many", "too-many"))]


def test_a_photo_lost_here_travels_as_its_record_only(photos_bundle, tmp_path, template_db):
    """The export warns and leaves the content out; a receiver that has the content imports the bundle, one that
    does not refuses it whole."""
    from tests.core.raw_sql import damage_content

    db, _out, _huuid, shas = photos_bundle
    good = db.blobs.get(shas[0]).read_bytes()
    damage_content(db, shas[0], None)
    result = _full(db, tmp_path / "lost", "另一处")
    assert result.counts[spec.ATTACHMENTS] >= 2 and len(result.warnings) == 1
    assert "门牌1.jpg" in result.warnings[0] and "丢失或被改动" in result.warnings[0]
    assert not (tmp_path / "lost" / bundle.content_path(shas[0])).exists()
    assert (tmp_path / "lost" / bundle.content_path(shas[1])).exists()
    laptop = _laptop(tmp_path, template_db)
    try:
        _refused(laptop, tmp_path / "lost", bundle.content_path(shas[0]), "门牌1.jpg", "缺失")
        photo = tmp_path / "again.jpg"
        photo.write_bytes(good)
        add_attachment(laptop, "household", 1, photo)  # the same content, kept here another way
        report = exchange.import_bundle(laptop, tmp_path / "lost")
        assert report.counts[spec.ATTACHMENTS].added >= 2
    finally:
        laptop.close()


def test_a_signed_copy_scan_of_an_issued_document_stays_home(demo_db, tmp_path):
    """Only owners that are record types of the bundle: an attachment of another table does not travel."""
    with demo_db.read() as s:
        hid = s.scalar(select(Household.id).order_by(Household.id))
    add_attachment(demo_db, "issued_document", 1, _photo(tmp_path, "签字件.pdf", "signed"))
    add_attachment(demo_db, "household", hid, _photo(tmp_path, "门牌.jpg", "door"))
    add_attachment(demo_db, "household", 10 ** 8, _photo(tmp_path, "无主.jpg", "nobody"))  # owner gone
    result = _full(demo_db, tmp_path / "b")
    rows = [json.loads(line) for line in (tmp_path / "b" / bundle.data_path(spec.ATTACHMENTS)).read_text(
        encoding="utf-8").splitlines()]
    assert [r["original_name"] for r in rows] == ["门牌.jpg"] and result.content_files == 1
    assert rows[0]["owner_table"] == "household" and rows[0]["owner_uuid"]


def test_the_command_line_reports_the_attachments(demo_file, tmp_path, template_db, capsys):
    from tests.core.test_exchange import Run

    run = Run(capsys)
    office = tmp_path / "office.sqlite"
    copy_demo(demo_file, office)
    db = open_database(office, operator="办公室")
    try:
        with db.read() as s:
            hid = s.scalar(select(Household.id).order_by(Household.id))
        photo = _photo(tmp_path, "门牌.jpg", "door")
        add_attachment(db, "household", hid, photo)
        add_attachment(db, "household", hid, photo)
    finally:
        db.close()
    r = run("export", "--db", office, "--out", tmp_path / "full.json", "--full-personal-data", "--recipient", "另一处",
            "--purpose", "同步", "--json")
    out = json.loads(r.stdout)
    files, size = out["attachment_files"], out["attachment_bytes"]
    assert out["counts"][spec.ATTACHMENTS] >= 2 and files >= 1 and size >= photo.stat().st_size
    r = run("export", "--db", office, "--out", tmp_path / "full", "--full-personal-data", "--recipient", "社区笔记本",
            "--purpose", "同步")
    assert r.returncode == 0, r.stderr
    assert f"附件 {out['counts'][spec.ATTACHMENTS]} 条，附件文件 {files} 个、{size} 字节" in r.stdout
    laptop = tmp_path / "laptop.sqlite"
    shutil.copy(template_db, laptop)
    r = run("import-bundle", "--db", laptop, "--dry-run", "--json", tmp_path / "full")
    assert r.returncode == 0 and json.loads(r.stdout)["attachment_files_stored"] == 0  # a dry run stores nothing
    r = run("import-bundle", "--db", laptop, tmp_path / "full")
    assert r.returncode == 0 and f"附件文件新存入 {files} 个" in r.stdout
    fresh = tmp_path / "new-laptop.sqlite"  # a new laptop made by the import
    r = run("import-bundle", "--db", fresh, "--json", tmp_path / "full")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["attachment_files_stored"] == files and json.loads(r.stdout)["counts"][
        spec.ATTACHMENTS]["added"] == out["counts"][spec.ATTACHMENTS]


def test_a_newer_attachment_may_change_its_caption_only(photos_bundle, tmp_path, template_db):
    """Merged by uuid as every record; an attachment's file and owner never change: such a version is a conflict."""
    db, out, _huuid, shas = photos_bundle
    laptop = _laptop(tmp_path, template_db)
    try:
        exchange.import_bundle(laptop, out)
        rows = [json.loads(x) for x in (out / bundle.data_path(spec.ATTACHMENTS)).read_text(
            encoding="utf-8").splitlines()]
        mine = {r["sha256"]: r for r in rows}
        first, second = mine[shas[0]], mine[shas[1]]
        from datetime import datetime, timezone

        later = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # newer than either, not in the future
        edited = tmp_path / "edited"
        shutil.copytree(out, edited)
        changed = []
        for r in rows:
            if r["uuid"] in (first["uuid"], second["uuid"]):
                r = {**r, "base_updated_at": r["updated_at"], "updated_at": later}
                if r["uuid"] == first["uuid"]:
                    r["caption"] = "门牌（已核对）"
                else:
                    r["original_name"] = "换了.jpg"
            changed.append(r)
        (edited / bundle.data_path(spec.ATTACHMENTS)).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in changed), encoding="utf-8")
        rehash(edited)
        report = exchange.import_bundle(laptop, edited)
        assert report.counts[spec.ATTACHMENTS].updated == 1
        assert report.conflicts == [{"record_type": spec.ATTACHMENTS, "uuid": second["uuid"],
                                     "fields": ["original_name"]}]
        with laptop.read() as s:
            got = {a.uuid: (a.caption, a.original_name) for a in s.scalars(select(Attachment))}
        assert got[first["uuid"]] == ("门牌（已核对）", first["original_name"])
        assert got[second["uuid"]] == (second["caption"], second["original_name"])  # not overwritten
    finally:
        laptop.close()
