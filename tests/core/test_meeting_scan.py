"""Counting by scanner (issue 20): the text a USB scanner types from a notice's sign-in code or a ballot's code
signs in and records ballots through the same services (and audit) as typed entry; every code that is not for
this place is refused in words and writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from renewal_desk.core.models import Attendee, AuditEntry, Category, Meeting, MeetingKind, Motion
from renewal_desk.core.printing.codes import BallotCode, PageCode, SignInCode
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import meetings as svc
from test_meetings import START, estate, meeting  # noqa: F401  (fixtures)


def _uuid(db, model, record_id):
    with db.read() as s:
        return s.get(model, record_id).uuid


def _audit_tail(db):
    with db.read() as s:
        return s.scalar(select(func.max(AuditEntry.id)))


def _people(db, mid):
    return {r.name: r for r in svc.attendees(db, mid)}  # 王𠮷, 业主02 … 业主12


def _sign_code(db, mid, attendee_id):
    return SignInCode(_uuid(db, Meeting, mid), _uuid(db, Attendee, attendee_id)).text()


def _ballot_code(db, motion, attendee_id, choice=None):
    return BallotCode(_uuid(db, Motion, motion), _uuid(db, Attendee, attendee_id), choice).text()


def test_a_scanned_notice_signs_in_once_and_is_audited_like_typed(db, meeting):
    people = _people(db, meeting)
    first, second = people["业主02"], people["业主03"]
    svc.sign_in(db, first.id, START)  # typed at the door
    typed = _audit_tail(db)
    scanned = svc.scan_sign_in(db, meeting, f"  {_sign_code(db, meeting, second.id).upper()}\r\n", START)
    assert (scanned.attendee_id, scanned.outcome, scanned.at) == (second.id, svc.SIGNED_IN, START)
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.id >= typed).order_by(AuditEntry.id)).all()
    assert [(e.action, e.table_name) for e in entries] == [("update", "meeting_attendee")] * 2  # the same entry as typed
    assert entries[1].record_id == second.id and entries[1].operator == "测试员"
    assert {r.id: r.signed_in_at for r in svc.attendees(db, meeting)}[second.id] == START

    before = _audit_tail(db)
    for row in (second, first):  # scanned or typed before: the code says since when
        with pytest.raises(InputError) as caught:
            svc.scan_sign_in(db, meeting, _sign_code(db, meeting, row.id), START + timedelta(minutes=3))
        assert caught.value.describe() == f"{row.name}已签到（14:30），这张签到码扫过了"
    assert _audit_tail(db) == before


@pytest.mark.parametrize("kind, words", [
    ("other meeting", "这张签到码属于另一次会议：楼组长会议（2026-11-26）"),
    ("unknown meeting", "这张签到码属于另一次会议（本系统中没有这次会议）"),
    ("attendee of another meeting", "条码上的人不在本次会议的参会名单中"),
    ("ballot", "这是表决票上的条码，不是签到码"),
    ("page", "这是文书“HYJL-20261125-0001”第 1 页的页码，不是签到码"),
    ("shop barcode", "这不是本系统打印的条码：6901234567890"),
])
def test_the_door_refuses_codes_not_for_this_meeting(db, estate, meeting, kind, words):
    project, _ = estate
    other = svc.create_meeting(db, svc.MeetingInput("楼组长会议", START + timedelta(days=1), MeetingKind.COUNCIL, project))
    svc.invite_households(db, other)
    theirs = _people(db, other)["业主02"]
    ours = _people(db, meeting)["业主02"]
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    meeting_uuid = _uuid(db, Meeting, meeting)
    text = {"other meeting": lambda: _sign_code(db, other, theirs.id),
            "unknown meeting": lambda: SignInCode("0" * 8 + "-0000-4000-8000-" + "0" * 12,
                                                  _uuid(db, Attendee, ours.id)).text(),
            "attendee of another meeting": lambda: SignInCode(meeting_uuid, _uuid(db, Attendee, theirs.id)).text(),
            "ballot": lambda: _ballot_code(db, motion, ours.id, "yes"),
            "page": lambda: PageCode("HYJL-20261125-0001", "meeting-minutes", meeting_uuid, 1, 2).text(),
            "shop barcode": lambda: "6901234567890"}[kind]()
    before = _audit_tail(db)
    with pytest.raises(InputError) as caught:
        svc.scan_sign_in(db, meeting, text, START)
    assert words in caught.value.describe(), caught.value.describe()
    assert _audit_tail(db) == before
    assert all(r.signed_in_at is None for r in svc.attendees(db, meeting))


@pytest.fixture
def vote(db, meeting):
    """A named Art. 278 vote open with everyone of the meeting signed in."""
    people = _people(db, meeting)
    for r in people.values():
        svc.sign_in(db, r.id, START)
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    svc.start_vote(db, motion, START + timedelta(minutes=10))
    return motion, people


def test_ballots_by_per_choice_code_or_by_code_and_key(db, meeting, vote):
    motion, people = vote
    typed_start = _audit_tail(db)
    svc.cast_ballot(db, motion, people["业主02"].id, "yes")  # typed, for the audit comparison
    typed = _audit_tail(db)
    got = svc.scan_ballot(db, motion, _ballot_code(db, motion, people["业主03"].id, "no").lower() + "\n")
    assert (got.outcome, got.choice, got.name) == (svc.RECORDED, "no", "业主03")
    with db.read() as s:
        typed_entries = s.scalars(select(AuditEntry.table_name).where(AuditEntry.id > typed_start,
                                                                     AuditEntry.id <= typed)).all()
        scanned_entries = s.scalars(select(AuditEntry.table_name).where(AuditEntry.id > typed)).all()
    assert scanned_entries == typed_entries == ["motion_ballot"]  # audited like typed entry

    plain = _ballot_code(db, motion, people["业主04"].id)
    before = _audit_tail(db)
    got = svc.scan_ballot(db, motion, plain)  # the ballot's own code: its voter is found, nothing written yet
    assert (got.outcome, got.choice, got.attendee_id) == (svc.SELECTED, None, people["业主04"].id)
    assert _audit_tail(db) == before
    got = svc.scan_ballot(db, motion, plain, "abstain")  # … and the key pressed next records the choice
    assert (got.outcome, got.choice) == (svc.RECORDED, "abstain")
    ballots = svc.motion_result(db, motion).motion.ballots
    assert ballots == {people["业主02"].id: "yes", people["业主03"].id: "no", people["业主04"].id: "abstain"}
    assert svc.scan_ballot(db, motion, plain).choice == "abstain"  # scanned again: says what is recorded


def test_a_ballot_scanned_twice_is_a_duplicate_and_another_choice_is_refused(db, meeting, vote):
    motion, people = vote
    who = people["业主03"].id
    svc.scan_ballot(db, motion, _ballot_code(db, motion, who, "yes"))
    before = _audit_tail(db)
    again = svc.scan_ballot(db, motion, _ballot_code(db, motion, who, "yes"))
    assert (again.outcome, again.choice) == (svc.DUPLICATE, "yes")
    assert svc.scan_ballot(db, motion, _ballot_code(db, motion, who), "yes").outcome == svc.DUPLICATE
    for text, key in ((_ballot_code(db, motion, who, "no"), None), (_ballot_code(db, motion, who), "abstain")):
        with pytest.raises(InputError) as caught:
            svc.scan_ballot(db, motion, text, key)
        assert caught.value.describe().startswith("业主03的票已记录为“赞成”，这次是“")
        assert "如需更正，请在名单中选中该行按键更正" in caught.value.describe()
    assert _audit_tail(db) == before and svc.motion_result(db, motion).motion.ballots == {who: "yes"}
    # the correction path: typed in the list (once declared, with its reason)
    svc.close_vote(db, motion)
    with pytest.raises(InputError, match="更正结果须填写原因"):
        svc.cast_ballot(db, motion, who, "no")
    svc.cast_ballot(db, motion, who, "no", reason="唱票时看错")
    assert svc.motion_result(db, motion).motion.ballots == {who: "no"}


def test_ballot_codes_not_for_this_motion_are_refused(db, estate, meeting, vote):
    from renewal_desk.core.models import Household
    from renewal_desk.core.services.households import HouseholdInput, PersonInput, create_household
    from renewal_desk.core.services.places import create_place

    motion, people = vote
    project, ids = estate
    other_motion = svc.add_motion(db, meeting, svc.MotionInput("更换门禁", method="named"))
    elsewhere = svc.create_meeting(db, svc.MeetingInput("楼组长会议", START, MeetingKind.COUNCIL, project))
    svc.invite_households(db, elsewhere)
    far_motion = svc.add_motion(db, elsewhere, svc.MotionInput("绿化调整", method="named"))
    stranger = _people(db, elsewhere)["业主02"].id
    with db.read() as s:
        block = s.get(Household, ids[0]).unit.building.block_id
    unit2 = create_place(db, "unit", "1单元", create_place(db, "building", "2号楼", block))
    create_household(db, HouseholdInput(unit2, "201", Decimal(80), people=[PersonInput("周某", is_head=True)]))
    svc.invite_households(db, meeting)
    newcomer = next(r for r in svc.attendees(db, meeting) if r.name == "周某")
    svc.sign_in(db, newcomer.id, START)
    scoped = svc.add_motion(db, meeting, svc.MotionInput("2号楼加装电梯", matter="special", method="named",
                                                         scope="buildings", scope_ids=[create_place_id(db, "2号楼")]))
    svc.start_vote(db, scoped, START + timedelta(minutes=20))
    walk_in = svc.add_attendee(db, meeting, svc.AttendeeInput("记者甲", Category.OTHER, expected=False))
    svc.sign_in(db, walk_in, START)
    late = people["业主05"].id
    svc.sign_out(db, late, START + timedelta(minutes=5))
    meeting_uuid = _uuid(db, Meeting, meeting)
    cases = [
        (motion, _ballot_code(db, other_motion, people["业主02"].id, "yes"), "这张选票属于另一项表决：“更换门禁”（加装电梯业主大会）"),
        (motion, _ballot_code(db, far_motion, stranger, "yes"), "这张选票属于另一项表决：“绿化调整”（楼组长会议）"),
        (motion, BallotCode("0" * 8 + "-0000-4000-8000-" + "0" * 12, _uuid(db, Attendee, people["业主02"].id)).text(),
         "这张选票属于另一项表决（本系统中没有这项表决）"),
        (motion, BallotCode(_uuid(db, Motion, motion), _uuid(db, Attendee, stranger), "yes").text(),
         "条码上的人不在本次会议的参会名单中"),
        (motion, _sign_code(db, meeting, people["业主02"].id), "这是会议通知上的签到码，不是表决票"),
        (motion, PageCode("HYJL-20261125-0001", "meeting-minutes", meeting_uuid, 2, 3).text(),
         "这是文书“HYJL-20261125-0001”第 2 页的页码，不是表决票"),
        (motion, "RD1:B:" + _uuid(db, Motion, motion), "条码内容不完整或已损坏"),
        (scoped, _ballot_code(db, scoped, people["业主02"].id, "yes"), "业主02不是本项表决范围（2号楼）内的业主"),
        (motion, _ballot_code(db, motion, walk_in, "yes"), "记者甲为列席人员，列席会议，不参加表决"),
        (motion, _ballot_code(db, motion, late, "yes"), "已于 14:35 离场"),
        (other_motion, _ballot_code(db, other_motion, people["业主02"].id, "yes"), "请先开始表决"),
        (motion, _ballot_code(db, motion, people["业主02"].id, "yes"), "条码上的意见是“赞成”，按键是“反对”"),
    ]
    before = _audit_tail(db)
    for n, (target, text, words) in enumerate(cases):
        with pytest.raises(InputError) as caught:
            svc.scan_ballot(db, target, text, "no" if n == len(cases) - 1 else None)
        assert words in caught.value.describe(), (n, caught.value.describe())
    assert _audit_tail(db) == before
    assert svc.motion_result(db, motion).motion.ballots == {}
    assert svc.scan_ballot(db, scoped, _ballot_code(db, scoped, newcomer.id, "yes")).outcome == svc.RECORDED


def create_place_id(db, name):
    from renewal_desk.core.models import Building

    with db.read() as s:
        return s.scalar(select(Building.id).where(Building.name == name))


def test_the_code_is_found_in_what_was_typed_into_a_search():
    code = SignInCode("4f0c2b1e-9d3a-4c7e-8a51-0b6f2d9e7c10", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d").text()
    assert svc.scanned_code(code + "\r\n") == code
    assert svc.scanned_code("10" + code.lower()) == code.lower()  # a half-typed room before the scan
    assert svc.scanned_code("1号楼 101") is None and svc.scanned_code("") is None
