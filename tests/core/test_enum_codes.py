"""Stored enum values are ASCII codes, shown through one zh/en label table per enum (issue 21); migrations
0020 and 0022 rewrote the Chinese labels stored before them to the codes, and their downgrades write them back."""

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
from renewal_desk.core.rules.rectification import STATE_LABELS, State
from renewal_desk.core.services import designer as svc
from renewal_desk.core.services.places import create_place

MIGRATED = {AppointmentStatus: APPOINTMENT_STATUS_LABELS, MotionState: MOTION_STATE_LABELS,
            # 0022 (enum21b)
            MeetingKind: MEETING_KIND_LABELS, MeetingStatus: MEETING_STATUS_LABELS, Category: CATEGORY_LABELS,
            TaskStatus: TASK_STATUS_LABELS, State: STATE_LABELS, Tier: TIER_LABELS, RoundState: ROUND_STATE_LABELS,
            FilledBy: FILLED_BY_LABELS, Channel: CHANNEL_LABELS}
# the columns migration 0022 rewrote: (table, column) -> enum
MIGRATED_0022 = {("meeting", "kind"): MeetingKind, ("meeting", "status"): MeetingStatus,
                 ("meeting_attendee", "category"): Category, ("followup_task", "status"): TaskStatus,
                 ("supervision_problem", "state"): State, ("problem_transition", "to_state"): State,
                 ("menu_item", "tier"): Tier, ("ordering_round", "state"): RoundState,
                 ("household_order", "filled_by"): FilledBy, ("household_order", "channel"): Channel}


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
        command.downgrade(_alembic_config(conn), "0021")
    older = stored()  # what the version before stored: the Chinese labels
    for (table, column), enum in MIGRATED_0022.items():
        assert older[table, column] == sorted(MIGRATED[enum][enum(v)][0] for v in before[table, column])
    with records_db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    after = stored()
    assert after == before
    assert all(v.isascii() for values in after.values() for v in values)
