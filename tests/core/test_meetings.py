"""Meeting services: invitations, sign-in with proxies and early leavers, agenda, minutes, votes by
every method with hand-computed results, audited corrections, resolutions and tasks."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from renewal_desk.core.models import AuditEntry, Category, MeetingKind, MeetingStatus, MotionState, TaskStatus
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.households import HouseholdInput, PersonInput, create_household
from renewal_desk.core.services.places import create_place

START = datetime(2026, 11, 25, 14, 30)


@pytest.fixture
def estate(db):
    """One building, one unit, 12 flats of 100 m², 12 owners (王𠮷 in the first)."""
    project = create_place(db, "project", "幸福里改造")
    block = create_place(db, "block", "幸福里", project)
    building = create_place(db, "building", "1号楼", block)
    unit = create_place(db, "unit", "1单元", building)
    ids = []
    for n in range(1, 13):
        owner = "王𠮷" if n == 1 else f"业主{n:02d}"
        id_number = make_id_number("110105", date(1950, 1, n), n) if n == 1 else None
        ids.append(create_household(db, HouseholdInput(unit, f"{n // 4 + 1}{n % 4 + 1:02d}", Decimal(100), people=[
            PersonInput(owner, id_number=id_number, phone=f"138000000{n:02d}", is_head=True)])))
    return project, ids


@pytest.fixture
def meeting(db, estate):
    project, _ids = estate
    mid = svc.create_meeting(db, svc.MeetingInput("加装电梯业主大会", START, MeetingKind.OWNERS, project, place="社区活动室",
                                                  chair="李主任", recorder="张敏", scrutineers=["赵一", "钱二"]))
    assert svc.invite_households(db, mid) == 12
    assert svc.invite_households(db, mid) == 0  # not twice
    return mid


def _by_name(db, mid):
    rows = svc.attendees(db, mid)
    return {r.household_id: r for r in rows}


def test_meeting_is_validated_and_listed(db, estate):
    project, _ = estate
    with pytest.raises(InputError) as err:
        svc.create_meeting(db, svc.MeetingInput("  ", START, "茶话会", project, ends_at=START - timedelta(hours=1)))
    assert {p.field for p in err.value.problems} == {"title", "kind", "ends_at"}
    mid = svc.create_meeting(db, svc.MeetingInput("议事会", START, project_id=project, scrutineers=["赵一", " ", "钱二"]))
    view = svc.meeting_view(db, mid)
    assert view.scrutineers == ("赵一", "钱二") and view.project == "幸福里改造" and view.status == MeetingStatus.PLANNED
    assert [m.title for m in svc.meetings(db)] == ["议事会"]


def test_sign_in_counts_proxies_late_and_early_leavers(db, estate, meeting):
    _, ids = estate
    rows = _by_name(db, meeting)
    for hid in ids[:8]:
        svc.sign_in(db, rows[hid].id, START - timedelta(minutes=10))
    svc.sign_in(db, rows[ids[8]].id, START + timedelta(minutes=20), proxy_name="王小明", proxy_authority="委托书")
    with pytest.raises(InputError) as err:
        svc.sign_in(db, rows[ids[8]].id)
    assert err.value.problems[0].code == "meeting.already_signed_in"
    with pytest.raises(InputError) as err:
        svc.sign_in(db, rows[ids[9]].id, proxy=True)
    assert err.value.problems[0].code == "meeting.proxy_name"
    svc.sign_out(db, rows[ids[0]].id, START + timedelta(minutes=40))
    walk_in = svc.add_attendee(db, meeting, svc.AttendeeInput("街道城建科 刘工", Category.DEPARTMENT, "城建科", expected=False))
    svc.sign_in(db, walk_in, START)
    a = svc.attendance(db, meeting)
    assert (a.expected, a.present, a.signed_in, a.walk_ins) == (12, 8, 9, 1)
    assert (a.late, a.left_early, a.proxies) == (1, 1, 1)
    assert a.expected_area == Decimal(1200) and a.present_area == Decimal(800)
    assert a.text() == "按人数 8/12（66.7%）；按面积 800/1,200 ㎡（66.7%）"
    assert (Category.RESIDENT, 12, 8) in a.by_category
    # at a moment before the early leaver left, they count
    assert svc.attendance(db, meeting, START + timedelta(minutes=30)).present == 9
    # search by pinyin initials, room and phone tail
    assert [r.name for r in svc.attendees(db, meeting, "wang")][0] == "王𠮷"
    assert len(svc.attendees(db, meeting, "0005")) == 1


def test_agenda_order_current_item_and_minutes_autosave(db, meeting):
    first = svc.add_item(db, meeting, "加装电梯方案介绍", "设计单位", 20)
    second = svc.add_item(db, meeting, "业主提问", "", 30)
    third = svc.add_item(db, meeting, "表决", "李主任", 15)
    with pytest.raises(InputError):
        svc.add_item(db, meeting, "超长", planned_minutes=900)
    svc.move_item(db, third, -1)
    assert [i.id for i in svc.items(db, meeting)] == [first, third, second]
    svc.reorder_items(db, meeting, [first, second, third])
    assert svc.step_item(db, meeting, 1, START) == first
    assert svc.step_item(db, meeting, 1, START + timedelta(minutes=20)) == second
    rows = svc.items(db, meeting)
    assert [r.current for r in rows] == [False, True, False] and rows[1].started_at == START + timedelta(minutes=20)
    assert svc.meeting_view(db, meeting).status == MeetingStatus.RUNNING
    speech = svc.add_speech(db, second, "3号楼 王阿姨", "")
    svc.save_speech(db, speech, "3号楼 王阿姨", "一楼住户担心采光")
    svc.save_speech(db, speech, "3号楼 王阿姨", "一楼住户担心采光，希望补偿")
    assert svc.speeches(db, second)[0].content == "一楼住户担心采光，希望补偿"
    svc.set_item_summary(db, second, "主要关注采光与补偿")
    assert svc.items(db, meeting)[1].summary == "主要关注采光与补偿"


def test_named_art_278_vote_with_proxy_and_person_who_left(db, estate, meeting):
    """12 owners; at the vote 10 are present (one by proxy); one signed in but left before the vote
    and cannot vote."""
    _, ids = estate
    rows = _by_name(db, meeting)
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    svc.sign_in(db, rows[ids[11]].id, START, proxy_name="王小明")  # by proxy
    svc.sign_out(db, rows[ids[9]].id, START + timedelta(minutes=30))  # left before the vote
    motion = svc.add_motion(db, meeting, svc.MotionInput("1单元加装电梯", matter="special", method="named"))
    with pytest.raises(InputError):
        svc.cast_ballot(db, motion, rows[ids[0]].id, "yes")  # vote not open yet
    svc.start_vote(db, motion, START + timedelta(minutes=45))
    with pytest.raises(InputError) as err:
        svc.cast_ballot(db, motion, rows[ids[9]].id, "yes")
    assert "在表决时不在场（已于 15:00 离场）" in err.value.describe()
    choices = ["yes"] * 7 + ["no", "abstain"]  # ids[0..8]
    for hid, choice in zip(ids[:9], choices):
        svc.cast_ballot(db, motion, rows[hid].id, choice)
    svc.cast_ballot(db, motion, rows[ids[11]].id, "yes")  # the proxy votes for the owner
    result = svc.motion_result(db, motion).result
    assert (result.eligible_owners, result.participating_owners, result.yes_owners) == (12, 10, 8)
    assert result.participating_area == Decimal(1000) and result.yes_area == Decimal(800)
    assert result.participation_owner_share == Fraction(10, 12) and result.approval_owner_share == Fraction(8, 10)
    assert result.passed  # 8/10 = 80% ≥ 3/4 by headcount and by area
    decided = svc.close_vote(db, motion)
    assert decided.motion.state == MotionState.DECIDED
    voters = {v.attendee_id: v for v in svc.voters(db, motion)}
    assert not voters[rows[ids[9]].id].present and voters[rows[ids[9]].id].why_not == "已于 15:00 离场"

    # a correction after the result needs a reason and is audited
    with pytest.raises(InputError) as err:
        svc.cast_ballot(db, motion, rows[ids[6]].id, "no")
    assert err.value.problems[0].code == "meeting.correction_reason"
    svc.cast_ballot(db, motion, rows[ids[6]].id, "no", reason="计票人核对纸质票，7号楼业主实为反对")
    after = svc.motion_result(db, motion)
    assert after.result.yes_owners == 7 and not after.result.passed  # 7/10 = 70% < 3/4
    assert "计票人核对纸质票" in after.motion.corrections[0]
    with db.read() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "correct"))
    assert entry and "计票人核对纸质票" in entry.note


def test_non_owner_cannot_vote_on_art_278_and_hands_refused(db, meeting):
    other = svc.add_attendee(db, meeting, svc.AttendeeInput("物业经理", Category.PROPERTY, "某物业公司"))
    svc.sign_in(db, other, START)
    motion = svc.add_motion(db, meeting, svc.MotionInput("筹集维修资金", matter="special", method="named"))
    svc.start_vote(db, motion, START + timedelta(minutes=5))
    with pytest.raises(InputError) as err:
        svc.cast_ballot(db, motion, other, "yes")
    assert err.value.problems[0].code == "meeting.not_owner"
    with pytest.raises(InputError) as err:
        svc.add_motion(db, meeting, svc.MotionInput("加装电梯", matter="special", method="hands"))
    assert err.value.problems[0].code == "vote.hands_statutory"


def test_show_of_hands_uses_who_is_present_at_the_vote(db, estate, meeting):
    _, ids = estate
    rows = _by_name(db, meeting)
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    svc.sign_out(db, rows[ids[0]].id, START + timedelta(minutes=10))
    motion = svc.add_motion(db, meeting, svc.MotionInput("停车管理办法（征求意见）"))
    svc.start_vote(db, motion, START + timedelta(minutes=20))
    assert svc.motion_result(db, motion).motion.counts["present"] == 9
    with pytest.raises(InputError) as err:
        svc.set_counts(db, motion, {"yes_owners": 8, "no_owners": 3})
    assert err.value.problems[0].code == "vote.more_than_present"
    svc.set_counts(db, motion, {"yes_owners": 5, "no_owners": 3})
    result = svc.close_vote(db, motion).result
    assert (result.eligible_owners, result.participating_owners, result.abstain_owners) == (12, 9, 1)
    assert result.passed and result.approval_owner_share == Fraction(5, 9)


def test_paper_results_typed_in_afterwards(db, meeting):
    motion = svc.add_motion(db, meeting, svc.MotionInput("外墙改造方案", matter="special", method="paper"))
    with pytest.raises(InputError) as err:
        svc.set_counts(db, motion, {"yes_owners": 8, "yes_area": Decimal(0)})
    assert err.value.problems[0].field == "yes_area"
    assert svc.motion_result(db, motion).motion.counts["yes_owners"] is None  # nothing saved
    svc.set_counts(db, motion, {"yes_owners": 6, "yes_area": Decimal(600), "no_owners": 2, "no_area": Decimal(200)})
    r = svc.close_vote(db, motion).result
    # 12 owners, 1200 m²: 8/12 take part (exactly 2/3), 6/8 yes (exactly 3/4)
    assert (r.eligible_owners, r.eligible_area, r.participating_owners) == (12, Decimal(1200), 8)
    assert r.approval_owner_share == Fraction(3, 4) and r.passed


def test_tasks_overdue_and_reviewed_at_the_next_meeting(db, estate, meeting):
    project, _ = estate
    resolution = svc.add_resolution(db, meeting, "同意1单元加装电梯，由社区牵头报批")
    late = svc.add_task(db, meeting, svc.TaskInput("报送加装电梯方案", "社区居委会", date(2026, 12, 1), resolution))
    done = svc.add_task(db, meeting, svc.TaskInput("公示表决结果", "社区居委会", date(2026, 11, 30)))
    svc.update_task(db, done, status=TaskStatus.DONE, today=date(2026, 11, 28))
    today = date(2026, 12, 10)
    assert [t.id for t in svc.overdue_tasks(db, today)] == [late]
    assert svc.tasks(db, meeting, today)[0].overdue and not svc.tasks(db, meeting, date(2026, 12, 1))[0].overdue
    nxt = svc.create_meeting(db, svc.MeetingInput("第二次议事会", START + timedelta(days=20), project_id=project))
    assert {t.id for t in svc.tasks_to_review(db, nxt, today)} == {late, done}
    svc.review_task(db, late, nxt, "已报街道，待区住建局批复")
    reviewed = {t.id: t for t in svc.tasks_to_review(db, nxt, today)}
    assert reviewed[late].review_note == "已报街道，待区住建局批复" and reviewed[late].reviewed_meeting_id == nxt
    with pytest.raises(InputError):
        svc.update_task(db, late, status="搁置")
    assert svc.tasks_to_review(db, meeting, today) == []  # nothing earlier than the first meeting


def test_wall_view_shows_no_personal_data(db, estate, meeting):
    _, ids = estate
    svc.add_item(db, meeting, "方案介绍")
    motion = svc.add_motion(db, meeting, svc.MotionInput("加装电梯", matter="special", method="named"))
    svc.start_vote(db, motion)
    wall = svc.wall_view(db, meeting)
    assert wall.motion.motion.id == motion and wall.attendance.expected == 12
    text = repr(wall)
    assert "13800000" not in text and "110105" not in text and "王𠮷" not in text


def test_all_four_printouts_from_a_held_meeting(db, estate, meeting, tmp_path):
    import subprocess

    from renewal_desk.core.services.printouts import print_document

    _, ids = estate
    rows = _by_name(db, meeting)
    item = svc.add_item(db, meeting, "表决加装电梯", "李主任", 20)
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    motion = svc.add_motion(db, meeting, svc.MotionInput("1单元加装电梯", matter="special", method="named", item_id=item))
    svc.start_vote(db, motion, START + timedelta(minutes=30))
    for n, hid in enumerate(ids[:10]):
        svc.cast_ballot(db, motion, rows[hid].id, "yes" if n < 8 else "no")
    svc.close_vote(db, motion)
    svc.add_resolution(db, meeting, "同意1单元加装电梯。", motion)
    svc.add_task(db, meeting, svc.TaskInput("报送加装电梯申请", "社区居委会", date(2026, 12, 20)))
    texts = {}
    for name in ("meeting-notice", "sign-in-sheet", "meeting-minutes", "resolution-notice"):
        out = tmp_path / f"{name}.pdf"
        assert print_document(db, name, meeting, out, printed_at=datetime(2026, 11, 26, 9, 0)) >= 1
        texts[name] = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                     check=True).stdout
    assert "加装电梯业主大会" in texts["meeting-notice"] and "社区活动室" in texts["meeting-notice"]
    assert "王𠮷" in texts["sign-in-sheet"] and "138****0001" in texts["sign-in-sheet"]
    assert "13800000001" not in texts["sign-in-sheet"]
    minutes = " ".join(texts["meeting-minutes"].split())
    assert "记名投票" in minutes and "民法典第二百七十八条" in minutes and "通过" in minutes
    assert "应到 12 人" in minutes and "80.0%" in minutes  # 8/10 yes
    notice = texts["resolution-notice"]
    assert "同意1单元加装电梯" in notice and "王𠮷" not in notice and "138" not in notice


def test_demo_meetings_overview_and_cli_lists(db, capsys):
    from renewal_desk.cli import main
    from renewal_desk.core.services import overview
    from renewal_desk.core.services.demo import generate_demo

    generate_demo(db, households=60, seed=3, with_records=True)
    rows = svc.meetings(db)
    assert [r.status for r in rows] == [MeetingStatus.PLANNED, MeetingStatus.ENDED, MeetingStatus.ENDED]
    owners = svc.motions(db, rows[1].id)[0]
    assert owners.motion.matter == "special" and owners.result is not None and owners.motion.state == MotionState.DECIDED
    assert any(a.left_at for a in svc.attendees(db, rows[1].id))  # one left before the vote
    assert any(a.proxy_name for a in svc.attendees(db, rows[1].id))
    overdue = svc.overdue_tasks(db)
    assert overdue and [a.count for a in overview.attention(db) if a.section == "meetings"] == [len(overdue)]
    assert svc.tasks_to_review(db, rows[0].id)  # the prepared meeting reviews the earlier tasks
    assert main(["list", "meetings", "--db", db.address]) == 0
    out = capsys.readouterr().out
    assert "加装电梯业主大会" in out and "筹备中" in out
