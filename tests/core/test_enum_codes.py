"""Stored enum values are ASCII codes, shown through one zh/en label table per enum (issue 21); migrations
0020, 0022 and 0023 rewrote the Chinese labels stored before them to the codes, and their downgrades write them
back."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import text

from renewal_desk.core.db import _alembic_config
from renewal_desk.core.models import (APPOINTMENT_STATUS_LABELS, CATEGORY_LABELS, CHANNEL_LABELS, FILLED_BY_LABELS,
                                     MEETING_KIND_LABELS, MEETING_STATUS_LABELS, MOTION_STATE_LABELS,
                                     ROUND_STATE_LABELS, TASK_STATUS_LABELS, TIER_LABELS, AppointmentStatus, Category,
                                     Channel, FilledBy, MeetingKind, MeetingStatus, MotionState, RoundState,
                                     TaskStatus, Tier)
from renewal_desk.core.models import (CONTRACT_STATUS_LABELS, OPINION_STATUS_LABELS, PROJECT_STAGE_LABELS,  # 0023
                                     PROJECT_TYPE_LABELS, PROTECTION_LABELS, STAGE_LABELS, STAKEHOLDER_LABELS,
                                     ContractStatus, OpinionStatus, ProjectStage, ProjectType, Protection, Stage,
                                     Stakeholder)
from renewal_desk.core.models import PARTY_KIND_LABELS, PartyKind  # 0025
from renewal_desk.core.rules.rectification import (PROBLEM_CATEGORY_LABELS, SEVERITY_LABELS, STATE_LABELS,
                                                   ProblemCategory, Severity, State)
from renewal_desk.core.services import designer as svc
from renewal_desk.core.services.places import create_place, update_place

MIGRATED = {AppointmentStatus: APPOINTMENT_STATUS_LABELS, MotionState: MOTION_STATE_LABELS,
            # 0022 (enum21b)
            MeetingKind: MEETING_KIND_LABELS, MeetingStatus: MEETING_STATUS_LABELS, Category: CATEGORY_LABELS,
            TaskStatus: TASK_STATUS_LABELS, State: STATE_LABELS, Tier: TIER_LABELS, RoundState: ROUND_STATE_LABELS,
            FilledBy: FILLED_BY_LABELS, Channel: CHANNEL_LABELS,
            # 0023 (enum21c)
            ProjectType: PROJECT_TYPE_LABELS, ProjectStage: PROJECT_STAGE_LABELS, Protection: PROTECTION_LABELS,
            ContractStatus: CONTRACT_STATUS_LABELS, Stage: STAGE_LABELS, Stakeholder: STAKEHOLDER_LABELS,
            OpinionStatus: OPINION_STATUS_LABELS,
            # 0025
            PartyKind: PARTY_KIND_LABELS, ProblemCategory: PROBLEM_CATEGORY_LABELS, Severity: SEVERITY_LABELS}
# the columns migration 0022 rewrote: (table, column) -> enum
MIGRATED_0022 = {("meeting", "kind"): MeetingKind, ("meeting", "status"): MeetingStatus,
                 ("meeting_attendee", "category"): Category, ("followup_task", "status"): TaskStatus,
                 ("supervision_problem", "state"): State, ("problem_transition", "to_state"): State,
                 ("menu_item", "tier"): Tier, ("ordering_round", "state"): RoundState,
                 ("household_order", "filled_by"): FilledBy, ("household_order", "channel"): Channel}
# the columns migration 0023 rewrote (designer_opinion.stakeholders, a comma-joined list, is tested on its own)
MIGRATED_0023 = {("project", "project_type"): ProjectType, ("project", "stage"): ProjectStage,
                 ("stored_house", "protection"): Protection, ("lease_contract", "status"): ContractStatus,
                 ("designer_opinion", "stage"): Stage, ("designer_opinion", "status"): OpinionStatus,
                 ("designer_response", "status"): OpinionStatus}
# the columns migration 0025 rewrote
MIGRATED_0025 = {("construction_party", "kind"): PartyKind, ("supervision_problem", "category"): ProblemCategory,
                 ("supervision_problem", "severity"): Severity}


@pytest.mark.parametrize("enum", list(MIGRATED), ids=lambda e: e.__name__)
def test_codes_are_ascii_and_every_member_has_both_labels(enum):
    labels = MIGRATED[enum]
    assert set(labels) == set(enum)
    for member in enum:
        assert member.value.isascii() and member.value.isidentifier()
        zh, en = labels[member]
        assert zh and en.isascii() and not zh.isascii()


def _statuses(db) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(text("SELECT status FROM designer_appointment ORDER BY letter_no")).scalars())


def test_the_migration_rewrites_stored_labels_both_ways(db):
    block = create_place(db, "block", "仁和里", create_place(db, "project", "仁和里街区更新"))
    first = svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "林若溪"), block, "A-1", date(2026, 1, 1)))
    svc.end_appointment(db, first, date(2026, 2, 28), "工作调动")
    svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "宋怀瑾"), block, "A-2", date(2026, 3, 1)))
    assert _statuses(db) == ["ended", "active"]
    with db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0017")
    assert _statuses(db) == ["已离任", "在任"]  # what the version before stored
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    assert _statuses(db) == ["ended", "active"]
    assert [a.status for a in svc.appointments(db, block)] == [AppointmentStatus.ACTIVE, AppointmentStatus.ENDED]


def test_the_migration_rewrites_motion_states(records_db):
    demo_db = records_db
    def states():
        with demo_db.engine.connect() as conn:
            return sorted(set(conn.execute(text("SELECT state FROM motion")).scalars()))

    before = states()
    assert before and set(before) <= {m.value for m in MotionState}
    with demo_db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0017")
    assert states() == sorted(MOTION_STATE_LABELS[MotionState(s)][0] for s in before)
    with demo_db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    assert states() == before


def test_0022_rewrites_the_stored_labels_both_ways_and_none_stays_chinese(records_db):
    def stored():
        with records_db.engine.connect() as conn:
            return {tc: sorted(set(conn.execute(text(f"SELECT {tc[1]} FROM {tc[0]}")).scalars()))
                    for tc in MIGRATED_0022}

    before = stored()
    for (table, column), enum in MIGRATED_0022.items():  # the demo has every one of them, all codes
        assert before[table, column] and set(before[table, column]) <= {m.value for m in enum}, (table, column)
    with records_db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0021")  # 0023's downgrade first, then 0022's
    older = stored()  # what the version before stored: the Chinese labels
    for (table, column), enum in MIGRATED_0022.items():
        assert older[table, column] == sorted(MIGRATED[enum][enum(v)][0] for v in before[table, column])
    with records_db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    after = stored()
    assert after == before
    assert all(v.isascii() for values in after.values() for v in values)


def _stored(db, columns) -> dict[tuple[str, str], list[str]]:
    with db.engine.connect() as conn:
        return {tc: sorted(set(conn.execute(text(f"SELECT {tc[1]} FROM {tc[0]}")).scalars())) for tc in columns}


def _stakeholders(db) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(set(conn.execute(text("SELECT stakeholders FROM designer_opinion")).scalars()))


def _to_labels(value: str) -> str:
    return ",".join(STAKEHOLDER_LABELS[Stakeholder(p)][0] for p in value.split(","))


def test_0023_rewrites_the_stored_labels_both_ways_and_none_stays_chinese(records_db):
    before, holders = _stored(records_db, MIGRATED_0023), _stakeholders(records_db)
    for (table, column), enum in MIGRATED_0023.items():  # the demo has every one of them, all codes
        assert before[table, column] and set(before[table, column]) <= {m.value for m in enum}, (table, column)
    assert holders and all(set(h.split(",")) <= {m.value for m in Stakeholder} for h in holders)
    assert any("," in h for h in holders)  # lists of several too
    with records_db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0022")
    older = _stored(records_db, MIGRATED_0023)  # what the version before stored: the Chinese labels
    for (table, column), enum in MIGRATED_0023.items():
        assert older[table, column] == sorted(MIGRATED[enum][enum(v)][0] for v in before[table, column])
    assert _stakeholders(records_db) == sorted(_to_labels(h) for h in holders)  # each part, in its order
    # 0022's columns are left as they are by 0023's downgrade: still codes
    assert all(values and all(v.isascii() for v in values) for values in _stored(records_db, MIGRATED_0022).values())
    with records_db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    after = _stored(records_db, MIGRATED_0023)
    assert after == before and _stakeholders(records_db) == holders
    assert all(v.isascii() for values in after.values() for v in values)


def _every_value_stored(db) -> tuple[list[int], list[int], int]:
    """Through the services: every project type and stage, protection class, contract status, opinion stage,
    stakeholder and opinion status (responses too) stored at least once."""
    from renewal_desk.core.services import leases

    stages = list(ProjectStage)
    for n, kind in enumerate(ProjectType):
        create_place(db, "project", f"项目{n}", project_type=kind, stage=stages[n % len(stages)])
    block = create_place(db, "block", "仁和里", create_place(db, "project", "仁和里街区更新"))
    owner = leases.add_person(db, "王杰")
    houses = [leases.create_house(db, leases.HouseInput("仁和里", f"{n}号", [owner], protection=p))
              for n, p in enumerate(Protection)]
    contracts = [leases.create_contract(db, h, [owner], leases.TermsInput(date(2025, 1, 1), 120, 1_200_000))
                 for h in houses[:3]]
    leases.terminate_contract(db, contracts[1], date(2025, 6, 30), "产权人收回")
    leases.renew_contract(db, contracts[2], leases.TermsInput(date(2035, 1, 1), 120, 1_200_000))
    svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "林若溪"), block, "A-1", date(2026, 1, 1)))
    holders = ((Stakeholder.MERCHANTS,), tuple(Stakeholder), (Stakeholder.VISITORS, Stakeholder.RESIDENTS),
               (Stakeholder.IMPLEMENTER,))
    svc.record_visit(db, svc.VisitInput(block, date(2026, 2, 1), [
        *(svc.OpinionInput(stage, who, f"意见{n}", "实施主体") for n, (stage, who) in enumerate(zip(Stage, holders))),
        svc.OpinionInput(Stage.DESIGN, (Stakeholder.RESIDENTS,), "意见4", "实施主体")]), today=date(2026, 2, 2))
    ids = [o.id for o in svc.opinions(db, block, date(2026, 2, 2))]
    assert len(ids) == 5
    svc.respond(db, ids[0], svc.ResponseInput(OpinionStatus.ANSWERED, date(2026, 2, 5), "王工", "研究中"),
                today=date(2026, 2, 10))  # ids[4] stays raised
    for oid, outcome in zip(ids[1:], (OpinionStatus.ADOPTED, OpinionStatus.PARTLY, OpinionStatus.NOT_ADOPTED)):
        svc.respond(db, oid, svc.ResponseInput(OpinionStatus.ANSWERED, date(2026, 2, 5), "王工", "研究中"),
                    today=date(2026, 2, 10))
        svc.respond(db, oid, svc.ResponseInput(outcome, date(2026, 2, 8), "王工", "答复", "理由"),
                    today=date(2026, 2, 10))
    return contracts, ids, block


def test_a_database_at_0022_is_upgraded_with_its_chinese_values_converted(db):
    """A database as the version before 0023 left it (every label of these enums stored, some rows written
    straight in SQL as that version wrote them) reads as codes after the upgrade."""
    from renewal_desk.core.services import leases

    contracts, ids, block = _every_value_stored(db)
    before, holders = _stored(db, MIGRATED_0023), _stakeholders(db)
    for (table, column), enum in MIGRATED_0023.items():  # every member of every enum is stored (a response
        expected = {m.value for m in enum} - ({OpinionStatus.RAISED.value}  # never leaves one raised)
                                              if table == "designer_response" else set())
        assert set(before[table, column]) == expected, (table, column)
    assert "merchants,residents,visitors,implementer" in holders  # canonical order
    with db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0022")
    at_0022 = _stored(db, MIGRATED_0023)
    for (table, column), enum in MIGRATED_0023.items():
        assert at_0022[table, column] == sorted(MIGRATED[enum][enum(v)][0] for v in before[table, column])
    assert _stakeholders(db) == sorted(_to_labels(h) for h in holders)
    assert "商户,居民,游客,实施主体" in _stakeholders(db)
    with db.engine.begin() as conn:  # and a project as the version before wrote it, by hand
        conn.execute(text("INSERT INTO project (uuid, name, project_type, stage, district, description, created_at, "
                          "updated_at) VALUES ('00000000-0000-4000-8000-000000000023', '旧项目', '文化传承及特色风貌塑造类',"
                          " '运营', '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        command.upgrade(_alembic_config(conn), "head")
    assert _stored(db, MIGRATED_0023) == before and _stakeholders(db) == holders
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT project_type, stage FROM project WHERE name = '旧项目'")).one() == \
            (ProjectType.HERITAGE.value, ProjectStage.OPERATING.value)
    view = svc.opinion_view(db, ids[1], date(2026, 2, 10))  # the services read members again
    assert (view.stage, view.stakeholders, view.status) == (Stage.CONSTRUCTION, tuple(Stakeholder), OpinionStatus.ADOPTED)
    assert [leases.contract_view(db, c).status for c in contracts] == [
        ContractStatus.ACTIVE, ContractStatus.TERMINATED, ContractStatus.RENEWED]
    assert svc.timeline(db, block, today=date(2026, 2, 10)).figures.adopted == 2


def test_the_journal_shows_the_0023_codes_in_words(db):
    """The audit log viewer shows a stored code by its label in the reader's language (stakeholder lists part by
    part); a value it has no label for (an old row's Chinese label) is shown as it is."""
    from renewal_desk.core.services import audit_log

    project = create_place(db, "project", "仁和里街区更新", project_type=ProjectType.HERITAGE)
    update_place(db, "project", project, stage=ProjectStage.STARTED)
    block = create_place(db, "block", "仁和里", project)
    svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "林若溪"), block, "A-1", date(2026, 1, 1)))
    svc.record_visit(db, svc.VisitInput(block, date(2026, 2, 1), [
        svc.OpinionInput(Stage.BUSINESS, (Stakeholder.MERCHANTS, Stakeholder.VISITORS), "控制连锁店", "运营方")]),
        today=date(2026, 2, 2))
    rows = audit_log.audit_rows(db, audit_log.audit_ids(db))
    summaries = {(r.table, r.action): (r.summary(), r.summary("en")) for r in rows.values()}
    zh, en = summaries["project", "update"]
    assert "储备 → 开工" in zh and "reserve → started" in en
    zh, en = summaries["project", "insert"]
    assert "文化传承及特色风貌塑造类" in zh and "heritage and townscape" in en
    zh, en = summaries["designer_opinion", "insert"]
    assert "业态引入" in zh and "商户、游客" in zh and "提出" in zh
    assert "bringing in businesses" in en and "merchants, visitors" in en and "merchants,visitors" not in en
    assert audit_log.show_value("商户,居民", "designer_opinion", "stakeholders") == "商户、居民"  # an old row
    assert audit_log.show_value("生效", "lease_contract", "status") == "生效"
    assert audit_log.show_value("renewed", "lease_contract", "status", "en") == "renewed"
    assert audit_log.show_value("tradition", "stored_house", "protection") == "传统风貌"


def test_a_bundle_value_reads_in_words():
    """What the conflict dialog shows for a field: codes in words (lists part by part), flags as 是/否."""
    from renewal_desk.core.exchange.spec import value_words

    assert value_words("supervision_problems", "state", "notified") == "已发通知"
    assert value_words("supervision_problems", "state", "notified", "en") != "notified"
    assert value_words("designer_opinions", "stakeholders", "merchants,residents") .count("、") == 1
    assert "merchants" not in value_words("designer_opinions", "stakeholders", "merchants,residents")
    assert value_words("households", "area_source", "surveyed") == "测绘"
    assert value_words("households", "is_vacant", True) == "是" and value_words("households", "is_vacant", False, "en") == "no"
    assert value_words("households", "note", None) == "" and value_words("households", "room", "101") == "101"


def test_0025_rewrites_the_supervision_teams_labels_both_ways(records_db):
    """The party kinds, problem categories and severities the demo stores (all codes) go back to their Chinese
    labels with 0025's downgrade, and come back as the same codes."""
    before = _stored(records_db, MIGRATED_0025)
    for (table, column), enum in MIGRATED_0025.items():
        assert before[table, column] and set(before[table, column]) <= {m.value for m in enum}, (table, column)
    assert len(before["supervision_problem", "category"]) >= 3 and len(before["construction_party", "kind"]) >= 2
    with records_db.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0024")
    older = _stored(records_db, MIGRATED_0025)
    for (table, column), enum in MIGRATED_0025.items():
        assert older[table, column] == sorted(MIGRATED[enum][enum(v)][0] for v in before[table, column])
    with records_db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    assert _stored(records_db, MIGRATED_0025) == before


def test_the_supervision_services_take_a_code_or_its_words_and_store_the_code(db):
    from renewal_desk.core.services import supervision as sup
    from renewal_desk.core.problems import InputError

    party = sup.save_party(db, sup.PartyInput("仁和建设工程有限公司", "监理单位"))
    assert [p.kind for p in sup.parties(db) if p.id == party] == ["supervisor"]
    project = create_place(db, "project", "仁和里街区更新")
    problem = sup.add_problem(db, sup.ProblemInput(project, "安全", "围挡缺口", date(2026, 12, 1), "较重", party,
                                                   location="南门"), today=date(2026, 12, 2))
    row = sup.problem_rows(db, sup.ProblemFilter(ids=[problem]))[0]
    assert (row.category, row.severity) == ("safety", "major")
    assert [r.id for r in sup.problem_rows(db, sup.ProblemFilter(category="安全"))] == [problem]
    with pytest.raises(InputError) as refused:
        sup.save_party(db, sup.PartyInput("某公司", "包工头"))
    assert "施工单位 / 设计单位 / 监理单位 / 其他" in refused.value.text("zh")
    assert "builder / design firm" in refused.value.text("en")
