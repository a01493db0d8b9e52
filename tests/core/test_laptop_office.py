"""Laptop ↔ office (issue 18): a community exported from the office database (the server, on PostgreSQL),
worked on offline in a SQLite copy and merged back with import-bundle; another laptop connected to the
office database sees the merged records. And the reverse: a new laptop made from the office's bundle.

The office is the `db` fixture, so this runs with the office on each engine (on PostgreSQL: the office server)."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from renewal_desk.core.db import open_database
from renewal_desk.core.models import Attendee, AuditEntry, ExchangeLog, Household
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import exchange
from renewal_desk.core.services import households as hh
from renewal_desk.core.services.meetings.signin import sign_in


def _laptop(tmp_path, template_db, name="laptop.sqlite"):
    path = tmp_path / name
    shutil.copy(template_db, path)
    return open_database(path, operator="社区笔记本")


def _note(db, uuid, note):
    with db.write() as s:
        s.scalar(select(Household).where(Household.uuid == uuid)).note = note


def _sign_in_someone(db) -> str:
    """Sign in the first attendee of an open meeting who has not signed in; their uuid."""
    with db.read() as s:
        waiting = [(a.id, a.uuid) for a in s.scalars(select(Attendee).where(Attendee.signed_in_at.is_(None))
                                                      .order_by(Attendee.id))]
    for attendee_id, uuid in waiting:
        try:
            sign_in(db, attendee_id)
        except InputError:  # its meeting has ended
            continue
        return uuid
    raise AssertionError("no attendee left to sign in")


def test_a_meetings_laptop_merges_into_the_office_and_another_laptop_sees_it(records_db, tmp_path, template_db):
    office = records_db
    exchange.export_bundle(office, tmp_path / "to-meeting", recipient="社区笔记本", purpose="议事会",
                           full_personal_data=True)
    laptop = _laptop(tmp_path, template_db)
    try:
        assert exchange.import_bundle(laptop, tmp_path / "to-meeting").total("conflicts") == 0
        with laptop.read() as s:
            first, second = [h.uuid for h in s.scalars(select(Household).order_by(Household.sort_key).limit(2))]
            unit_id = s.scalar(select(Household.unit_id).where(Household.uuid == first))
        # at the meeting, offline: a sign-in, a new household, an edited household, and one the office edits too
        signed = _sign_in_someone(laptop)
        new_id = hh.create_household(laptop, hh.HouseholdInput(unit_id, "9901", "58.30", note="会上新登记",
                                                               people=[hh.PersonInput("会上新户", is_head=True)]))
        with laptop.read() as s:
            new_uuid = s.get(Household, new_id).uuid
        _note(laptop, first, "会上：户主同意加装电梯")
        _note(laptop, second, "会上：门牌有误")
        _note(office, second, "办公室：门牌已更换")  # meanwhile at the office: a conflict
        exchange.export_bundle(laptop, tmp_path / "from-meeting.zip", recipient="办公室", purpose="合并",
                               full_personal_data=True)
    finally:
        laptop.close()

    with office.read() as s:
        audit_before = s.scalar(select(func.max(AuditEntry.id)))
    transactions = []  # every write transaction the merge opens on the office database
    for name in ("write", "batch"):
        def counted(*args, _original=getattr(office, name), **kwargs):
            transactions.append(1)
            return _original(*args, **kwargs)
        setattr(office, name, counted)
    try:
        report = exchange.import_bundle(office, tmp_path / "from-meeting.zip")
    finally:
        del office.write, office.batch
    assert len(transactions) == 1  # the merge, its audit and its conflicts: one transaction on the server
    assert report.conflicts == [{"record_type": "households", "uuid": second, "fields": ["note"]}]
    assert report.total("conflicts") == 1 and report.total("added") >= 2  # the household and its head
    with office.read() as s:
        assert s.scalar(select(Household.note).where(Household.uuid == second)) == "办公室：门牌已更换"  # not overwritten
        written = s.scalars(select(AuditEntry).where(AuditEntry.id > audit_before)).all()
        assert any(e.action == "import" for e in written)
        assert {e.record_uuid for e in written if e.table_name == "household"} >= {first, new_uuid}
        assert sum(e.action == "import" for e in written) == 1
        assert s.scalar(select(func.count()).select_from(ExchangeLog).where(ExchangeLog.direction == "import")) == 1
    assert [c.record_uuid for c in exchange.open_conflicts(office)] == [second]

    # another laptop connected to the office database sees the merged records
    other = open_database(office.address, operator="另一台笔记本")
    try:
        with other.read() as s:
            assert s.scalar(select(Household.note).where(Household.uuid == first)) == "会上：户主同意加装电梯"
            assert s.scalar(select(Household.note).where(Household.uuid == new_uuid)) == "会上新登记"
            assert s.scalar(select(Attendee.signed_in_at).where(Attendee.uuid == signed)) is not None
            assert s.scalar(select(Household.note).where(Household.uuid == second)) == "办公室：门牌已更换"
    finally:
        other.close()


def test_a_new_laptop_from_the_office(records_db, tmp_path, template_db):
    office = records_db
    exchange.export_bundle(office, tmp_path / "new-laptop.zip", recipient="新笔记本", purpose="入户走访",
                           full_personal_data=True)
    laptop = _laptop(tmp_path, template_db, "new.sqlite")
    try:
        report = exchange.import_bundle(laptop, tmp_path / "new-laptop.zip")
        assert report.total("conflicts") == 0 and report.total("added") > 0
        with office.read() as s:
            office_homes = {(h.uuid, h.room, h.note) for h in s.scalars(select(Household))}
        with laptop.read() as s:
            assert {(h.uuid, h.room, h.note) for h in s.scalars(select(Household))} == office_homes
            assert s.scalars(select(Household)).first().search_text  # derived keys made on the laptop
    finally:
        laptop.close()


def test_a_problem_with_photos_goes_to_a_laptop_and_back_and_its_photos_stay_readable(records_db, tmp_path,
                                                                                      template_db, monkeypatch):
    """The office's photos are in its attachment store (on the server: its database, migration 0024). A problem
    with photos goes to a laptop and comes back edited: the office, and another laptop connected to it, still
    open every photo of it. A full bundle carries the attachments with their contents: the laptop's copy has the
    problem with its photos, and they open there."""
    from renewal_desk.core.models import Attachment, SupervisionProblem
    from renewal_desk.core.services.attachments import attachments_of, open_attachment

    office = records_db
    with office.read() as s:
        problem_id, problem_uuid = s.execute(
            select(SupervisionProblem.id, SupervisionProblem.uuid)
            .where(SupervisionProblem.id.in_(select(Attachment.owner_id).where(
                Attachment.owner_table == "supervision_problem"))).order_by(SupervisionProblem.id)).first()
    photos = attachments_of(office, "supervision_problem", problem_id)
    contents = [open_attachment(office, p).read_bytes() for p in photos]
    assert photos and all(contents)
    exchange.export_bundle(office, tmp_path / "to-site.zip", recipient="社区笔记本", purpose="复查",
                           full_personal_data=True)
    laptop = _laptop(tmp_path, template_db)
    try:
        assert exchange.import_bundle(laptop, tmp_path / "to-site.zip").total("conflicts") == 0
        with laptop.write() as s:
            problem = s.scalar(select(SupervisionProblem).where(SupervisionProblem.uuid == problem_uuid))
            problem.measures = "现场复查：已铲除空鼓部位"
            laptop_id = problem.id
        on_laptop = attachments_of(laptop, "supervision_problem", laptop_id)
        assert [p.uuid for p in on_laptop] == [p.uuid for p in photos]
        assert [open_attachment(laptop, p).read_bytes() for p in on_laptop] == contents
        exchange.export_bundle(laptop, tmp_path / "from-site.zip", recipient="办公室", purpose="合并",
                               full_personal_data=True)
    finally:
        laptop.close()
    assert exchange.import_bundle(office, tmp_path / "from-site.zip").total("conflicts") == 0
    with office.read() as s:
        assert s.scalar(select(SupervisionProblem.measures).where(SupervisionProblem.id == problem_id)) \
            == "现场复查：已铲除空鼓部位"
    assert attachments_of(office, "supervision_problem", problem_id) == photos
    assert [open_attachment(office, p).read_bytes() for p in photos] == contents
    if office.url is not None:  # a laptop on the office server that never had these photos opens them
        monkeypatch.setenv("RENEWAL_DESK_DATA", str(tmp_path / "other-laptop"))
        other = open_database(office.address, operator="另一台笔记本")
        try:
            assert [open_attachment(other, p).read_bytes() for p in attachments_of(
                other, "supervision_problem", problem_id)] == contents
        finally:
            other.close()
