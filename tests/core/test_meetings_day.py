"""Meeting day rules (issue 22): the lifecycle 筹备中 → 进行中 → 已结束 with an ended meeting read-only
and reopened only by an administrator with a reason; declaring needs something cast; walk-ins never
vote; task deadlines and deletion."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from renewal_desk.core.models import AuditEntry, Category, MeetingStatus, MotionState, TaskStatus
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import accounts
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.db import open_database
from test_meetings import START, estate, meeting  # noqa: F401  (fixtures)


def _rows(db, mid):
    return {r.household_id: r for r in svc.attendees(db, mid)}


def test_start_before_the_day_warns_and_on_the_day_does_not(db, meeting):
    notice = svc.start_meeting(db, meeting, at=START - timedelta(days=5))
    assert notice.warnings == ("会议原定于 2026-11-25 召开，今天是 2026-11-20（提前 5 天开始）",)
    assert svc.meeting_view(db, meeting).status == svc.MeetingStatus.RUNNING
    assert svc.start_meeting(db, meeting, at=START).warnings == ()


def test_open_business_lists_undeclared_votes_and_items_without_minutes(db, meeting):
    first = svc.add_item(db, meeting, "加装电梯方案")
    second = svc.add_item(db, meeting, "楼道堆物清理")
    svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named", item_id=first))
    svc.set_item_summary(db, second, "同意月底前清理。")
    business = svc.open_business(db, meeting)
    assert business.undeclared == ("同意加装电梯",) and business.without_minutes == ("加装电梯方案",)
    assert business.lines() == ["尚未宣布结果的表决：同意加装电梯", "没有记录的议程：加装电梯方案"]
    svc.add_speech(db, first, "王𠮷", "赞成。")
    assert svc.open_business(db, meeting).without_minutes == ()


def test_an_ended_meeting_is_a_record(db, estate, meeting):
    _, ids = estate
    item = svc.add_item(db, meeting, "加装电梯方案")
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named", item_id=item))
    speech = svc.add_speech(db, item, "王𠮷", "赞成")
    resolution = svc.add_resolution(db, meeting, "同意加装电梯。")
    task = svc.add_task(db, meeting, svc.TaskInput("报送方案", "李主任", START.date() + timedelta(days=7)))
    rows = _rows(db, meeting)
    svc.sign_in(db, rows[ids[0]].id, START)
    svc.start_meeting(db, meeting, at=START)
    svc.end_meeting(db, meeting, at=START + timedelta(hours=1))
    assert svc.meeting_view(db, meeting).status == svc.MeetingStatus.ENDED
    refused = [
        lambda: svc.sign_in(db, rows[ids[1]].id, START),
        lambda: svc.undo_sign_in(db, rows[ids[0]].id),
        lambda: svc.sign_out(db, rows[ids[0]].id, START + timedelta(minutes=50)),
        lambda: svc.add_attendee(db, meeting, svc.AttendeeInput("列席者", expected=False)),
        lambda: svc.remove_attendee(db, rows[ids[2]].id),
        lambda: svc.add_item(db, meeting, "议题 6"),
        lambda: svc.delete_item(db, item),
        lambda: svc.update_item(db, item, "改名"),
        lambda: svc.set_item_summary(db, item, "补记"),
        lambda: svc.add_speech(db, item, "某人", "补记"),
        lambda: svc.save_speech(db, speech, "王𠮷", "改过"),
        lambda: svc.delete_speech(db, speech),
        lambda: svc.add_motion(db, meeting, svc.MotionInput("新议题")),
        lambda: svc.start_vote(db, motion, START),
        lambda: svc.cast_ballot(db, motion, rows[ids[0]].id, "赞成"),
        lambda: svc.add_resolution(db, meeting, "新决议"),
        lambda: svc.delete_resolution(db, resolution),
        lambda: svc.add_task(db, meeting, svc.TaskInput("新任务")),
        lambda: svc.update_task(db, task, title="改任务"),
        lambda: svc.delete_task(db, task),
        lambda: svc.start_meeting(db, meeting),
        lambda: svc.update_meeting(db, meeting, svc.meeting_view(db, meeting).as_input()),
        lambda: svc.delete_meeting(db, meeting),
    ]
    with db.read() as s:
        before = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    for action in refused:
        with pytest.raises(InputError) as err:
            action()
        assert "已结束" in err.value.describe(), err.value.describe()
    with db.read() as s:
        assert s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) == before  # nothing written
    assert [i.title for i in svc.items(db, meeting)] == ["加装电梯方案"]
    # progress on a follow-up task is still recorded after the meeting
    svc.update_task(db, task, status=TaskStatus.DONE, today=START.date() + timedelta(days=3))
    assert svc.tasks(db, meeting)[0].status == TaskStatus.DONE


def test_reopening_needs_an_administrator_and_a_reason(db, meeting):
    svc.end_meeting(db, meeting, at=START + timedelta(hours=1))
    accounts.setup_admin(db, "管理员甲", "admin-pass-1", "admin-pass-1")
    accounts.add_account(db, "工作人员乙", "工作人员", "staff-pass-1")
    staff = open_database(db.address, operator="x")
    accounts.login(staff, "工作人员乙", "staff-pass-1")
    try:
        with pytest.raises(InputError, match="无权重新打开已结束的会议"):
            svc.reopen_meeting(staff, meeting, "补录发言")
    finally:
        staff.close()
    with pytest.raises(InputError, match="须写明原因"):
        svc.reopen_meeting(db, meeting, "  ")
    assert svc.meeting_view(db, meeting).status == svc.MeetingStatus.ENDED
    svc.reopen_meeting(db, meeting, "补录遗漏的发言")
    assert svc.meeting_view(db, meeting).status == svc.MeetingStatus.RUNNING
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
    assert "补录遗漏的发言" in entry.note and entry.operator == "管理员甲"
    with pytest.raises(InputError, match="尚未结束"):
        svc.reopen_meeting(db, meeting, "再来")


def test_declaring_needs_a_ballot_or_a_count(db, estate, meeting):
    _, ids = estate
    rows = _rows(db, meeting)
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    named = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    hands = svc.add_motion(db, meeting, svc.MotionInput("同意清理楼道"))
    for motion in (named, hands):
        svc.start_vote(db, motion, START + timedelta(minutes=10))
        with pytest.raises(InputError, match="还没有任何选票或票数，不能宣布结果"):
            svc.declaration(db, motion)
        with pytest.raises(InputError, match="还没有任何选票或票数"):
            svc.close_vote(db, motion)
        assert svc.motion_result(db, motion).motion.state == MotionState.VOTING
    for hid in ids[:9]:
        svc.cast_ballot(db, named, rows[hid].id, "赞成")
    preview = svc.declaration(db, named)
    assert preview.result.passed and preview.motion.state == MotionState.VOTING  # a preview writes nothing
    assert svc.close_vote(db, named).result.passed


def test_walk_ins_are_not_counted_present_for_a_show_of_hands(db, estate, meeting):
    _, ids = estate
    rows = _rows(db, meeting)
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    walk_in = svc.add_attendee(db, meeting, svc.AttendeeInput("街道城建科 刘工", Category.DEPARTMENT, "城建科", expected=False))
    svc.sign_in(db, walk_in, START)
    hands = svc.add_motion(db, meeting, svc.MotionInput("同意清理楼道"))
    svc.start_vote(db, hands, START + timedelta(minutes=10))
    assert svc.motion_result(db, hands).motion.counts["present"] == 10 == svc.attendance(db, meeting).present


def test_task_deadline_not_before_the_meeting_and_delete_is_audited(db, meeting):
    with pytest.raises(InputError) as err:
        svc.add_task(db, meeting, svc.TaskInput("报送方案", deadline=date(2016, 11, 25)))
    assert "完成期限 2016-11-25 早于会议日期 2026-11-25" in err.value.describe()
    assert err.value.problems[0].field == "deadline"
    task = svc.add_task(db, meeting, svc.TaskInput("报送方案", deadline=START.date()))
    with pytest.raises(InputError, match="早于会议日期"):
        svc.update_task(db, task, deadline=date(2026, 11, 24))
    svc.update_task(db, task, title="报送加装电梯方案", owner="李主任", deadline=date(2026, 12, 5))
    row = svc.tasks(db, meeting)[0]
    assert (row.title, row.owner, row.deadline) == ("报送加装电梯方案", "李主任", date(2026, 12, 5))
    svc.delete_task(db, task)
    assert svc.tasks(db, meeting) == []
    with db.read() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.table_name == "followup_task",
                                                  AuditEntry.action == "delete")).all()


def _pdf_text(path) -> str:
    import subprocess

    return "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


def _passed_named_vote(db, estate, meeting, title="同意加装电梯", text="1号楼加装电梯一部，费用按面积分摊"):
    _, ids = estate
    rows = _rows(db, meeting)
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    motion = svc.add_motion(db, meeting, svc.MotionInput(title, text, matter="special", method="named"))
    svc.start_vote(db, motion, START + timedelta(minutes=10))
    for n, hid in enumerate(ids[:10]):
        svc.cast_ballot(db, motion, rows[hid].id, "赞成" if n < 9 else "反对")
    svc.close_vote(db, motion)
    return motion, rows


def test_a_passed_motion_proposes_its_resolution_and_the_notice_lists_it(db, estate, meeting, tmp_path):
    from renewal_desk.core.services.printouts import print_document

    motion, _ = _passed_named_vote(db, estate, meeting)
    proposal = svc.proposed_resolution(db, motion)
    assert proposal == "经表决，通过“同意加装电梯”：1号楼加装电梯一部，费用按面积分摊"
    assert svc.notice_warnings(db, meeting) == ["议题“同意加装电梯”已通过，但没有录入决议：公示将列出建议的决议文字"]
    out = tmp_path / "notice.pdf"
    print_document(db, "resolution-notice", meeting, out, as_of=START.date())
    text = _pdf_text(out)
    assert "未形成决议" not in text and "经表决，通过“同意加装电梯”" in text
    svc.add_resolution(db, meeting, proposal, motion_id=motion)
    assert svc.notice_warnings(db, meeting) == []
    assert [r.typed for r in svc.notice_resolutions(db, meeting)] == [True]  # not listed twice
    failed = svc.add_motion(db, meeting, svc.MotionInput("同意拆除车棚"))
    assert svc.proposed_resolution(db, failed) == ""
    assert svc.notice_warnings(db, meeting) == ["议题“同意拆除车棚”尚未宣布结果，不列入公示"]


def test_minutes_of_a_named_vote_list_every_ballot_masked_and_full(db, estate, meeting, tmp_path):
    from renewal_desk.core.services.printouts import print_document

    _passed_named_vote(db, estate, meeting)
    masked, full = tmp_path / "minutes.pdf", tmp_path / "minutes-full.pdf"
    print_document(db, "meeting-minutes", meeting, masked, as_of=START.date())
    print_document(db, "meeting-minutes", meeting, full, masked=False, as_of=START.date())
    public, internal = _pdf_text(masked), _pdf_text(full)
    assert "记名投票明细（共10票，姓名已脱敏）" in public and "记名投票明细（共10票）" in internal
    # every owner's ballot: name, room, area, choice (room 101 … from the estate fixture, 100 m² each)
    for n, hid in enumerate(estate[1][:10], start=1):
        row = _rows(db, meeting)[hid]
        owner = row.name
        room = row.address.replace(" ", "")
        choice = "赞成" if n < 10 else "反对"
        assert f"{owner}{room}100.00{choice}" in internal, (owner, room)
        assert f"{owner[0]}{'*' * (len(owner) - 1)}{room}100.00{choice}" in public, (owner, room)
        assert owner not in public or len(owner) == 1
    # no phone, no ID number, in either copy
    import re
    for text in (public, internal):
        assert not re.search(r"1[3-9]\d{9}", text) and "110105" not in text


def test_the_door_search_says_why_each_row_matched(db, estate, meeting):
    from renewal_desk.core.models import Household
    from renewal_desk.core.services.households import HouseholdInput, create_household

    _, ids = estate
    with db.read() as s:
        unit_id = s.get(Household, ids[0]).unit_id
    tao = create_household(db, HouseholdInput(unit_id, "501", None, people=[
        svc_person("陶勇", "13900003698", True), svc_person("陶立新", None, False)]))
    svc.invite_households(db, meeting)
    rows = svc.door_search(db, meeting, "陶立新")
    assert [(m.attendee.name, m.reason) for m in rows] == [("陶勇", "家庭成员 陶立新")]
    assert [(m.attendee.name, m.reason) for m in svc.door_search(db, meeting, "3698")] == [("陶勇", "电话 …3698")]
    assert svc.door_search(db, meeting, "陶勇")[0].reason == "户主"
    # stable order: not yet signed in before signed in, then list order
    rows = svc.door_search(db, meeting, "业主0")
    names = [m.attendee.name for m in rows]
    assert names == sorted(names)
    svc.sign_in(db, rows[0].attendee.id, START)
    again = [m.attendee.name for m in svc.door_search(db, meeting, "业主0")]
    assert again == names[1:] + names[:1]
    with pytest.raises(InputError, match=f"{names[0]}已于 14:30 签到"):
        svc.sign_in(db, rows[0].attendee.id, START)
    assert tao


def svc_person(name, phone, head):
    from renewal_desk.core.services.households import PersonInput

    return PersonInput(name, phone=phone, is_head=head)


def test_the_wall_slide_shows_no_verdict_before_it_is_declared(db, estate, meeting):
    _, ids = estate
    rows = _rows(db, meeting)
    elevator = svc.add_item(db, meeting, "加装电梯方案")
    corridor = svc.add_item(db, meeting, "楼道堆物清理")
    assert svc.wall_slide(db, meeting).kind == "title"
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    walk_in = svc.add_attendee(db, meeting, svc.AttendeeInput("列席者", expected=False))
    svc.sign_in(db, walk_in, START)
    svc.set_current_item(db, meeting, elevator, START)
    slide = svc.wall_slide(db, meeting)
    assert (slide.kind, slide.current_item.title, slide.present, slide.expected) == ("agenda", "加装电梯方案", 10, 12)
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", "加装一部", matter="special", method="named",
                                                         item_id=elevator))
    svc.start_vote(db, motion, START + timedelta(minutes=10))
    slide = svc.wall_slide(db, meeting)
    assert slide.kind == "motion" and slide.motion.verdict is None and slide.motion.reasons == ()
    assert (slide.motion.title, slide.motion.text, slide.motion.method) == ("同意加装电梯", "加装一部", "记名投票")
    assert "四分之三" in slide.motion.rule, slide.motion.rule
    for hid in ids[:9]:
        svc.cast_ballot(db, motion, rows[hid].id, "赞成")
    slide = svc.wall_slide(db, meeting)
    bars = {b.label: b for b in slide.motion.bars}
    assert set(bars) == {"参与（人数）", "参与（面积）", "赞成（人数）", "赞成（面积）"}
    assert bars["参与（人数）"].value == "9 / 12 人" and bars["参与（人数）"].share == Fraction(3, 4)
    assert bars["赞成（面积）"].share == 1 and bars["赞成（面积）"].threshold == Fraction(3, 4)
    assert slide.motion.verdict is None  # figures live, still no verdict
    svc.close_vote(db, motion)
    slide = svc.wall_slide(db, meeting)
    assert slide.motion.verdict is True and slide.motion.reasons
    svc.set_current_item(db, meeting, corridor, START + timedelta(minutes=30))
    slide = svc.wall_slide(db, meeting)
    assert slide.kind == "agenda" and slide.motion is None  # the previous result is not left on the wall
    svc.set_current_item(db, meeting, elevator, START + timedelta(minutes=40))
    assert svc.wall_slide(db, meeting).motion.verdict is True


def test_a_motion_has_its_own_scope_counted_under_art_278(db, estate, meeting, tmp_path):
    from renewal_desk.core.models import Household
    from renewal_desk.core.services.households import HouseholdInput, create_household
    from renewal_desk.core.services.places import create_place
    from renewal_desk.core.services.printouts import print_document

    project, ids = estate
    with db.read() as s:
        first_unit = s.get(Household, ids[0]).unit_id
        block = s.get(Household, ids[0]).unit.building.block_id
    second = create_place(db, "building", "2号楼", block)
    unit2 = create_place(db, "unit", "1单元", second)
    # 2号楼: three flats of 80 m² (the roster refuses one ID number in two homes; owners are counted by
    # rules.consent.owner_key, tested with the consent rules)
    for room, owner, idn in (("101", "周某", None), ("102", "郑某", None), ("103", "吴某", None)):
        create_household(db, HouseholdInput(unit2, room, Decimal(80), people=[svc_person_id(owner, idn)]))
    svc.invite_households(db, meeting)
    other = create_place(db, "project", "别的项目")
    foreign = create_place(db, "building", "9号楼", create_place(db, "block", "别处", other))
    with pytest.raises(InputError, match="不属于本次会议的项目"):
        svc.add_motion(db, meeting, svc.MotionInput("加装电梯", matter="special", method="named",
                                                    scope="buildings", scope_ids=[foreign]))
    with pytest.raises(InputError, match="没有选定任何楼栋"):
        svc.add_motion(db, meeting, svc.MotionInput("加装电梯", matter="special", method="named", scope="buildings"))
    motion = svc.add_motion(db, meeting, svc.MotionInput("2号楼加装电梯", matter="special", method="named",
                                                         scope="buildings", scope_ids=[second]))
    rows = {r.address: r for r in svc.attendees(db, meeting)}
    for r in rows.values():
        svc.sign_in(db, r.id, START)
    svc.start_vote(db, motion, START + timedelta(minutes=5))
    with pytest.raises(InputError):  # an owner of 1号楼 is not in this motion's scope
        svc.cast_ballot(db, motion, rows["1号楼 1单元 102"].id, "赞成")
    for room in ("101", "102", "103"):
        svc.cast_ballot(db, motion, rows[f"2号楼 1单元 {room}"].id, "赞成")
    result = svc.motion_result(db, motion)
    assert result.scope_text == "2号楼" and result.motion.scope == "buildings" and result.motion.scope_ids == (second,)
    assert (result.result.eligible_owners, result.result.eligible_area) == (3, Decimal(240))  # 2号楼's owners only, not 15
    totals = svc.scope_totals(db, motion)
    assert (totals.owners, totals.area, totals.text) == (3, Decimal(240), "2号楼")
    assert [v.address for v in svc.voters(db, motion)] == ["2号楼 1单元 101", "2号楼 1单元 102", "2号楼 1单元 103"]
    whole = svc.add_motion(db, meeting, svc.MotionInput("全项目事项", matter="ordinary", method="named"))
    assert svc.motion_result(db, whole).scope_text == "全项目（幸福里改造）"
    units = svc.add_motion(db, meeting, svc.MotionInput("1单元事项", matter="ordinary", method="named",
                                                        scope="units", scope_ids=[first_unit]))
    assert svc.motion_result(db, units).scope_text == "1号楼 1单元"
    svc.close_vote(db, motion)
    with pytest.raises(InputError, match="更改表决范围"):
        svc.update_motion(db, motion, svc.MotionInput("2号楼加装电梯", matter="special", method="named"))
    svc.set_current_item(db, meeting, None)
    assert svc.wall_slide(db, meeting).motion.scope == "2号楼"
    out = tmp_path / "minutes.pdf"
    print_document(db, "meeting-minutes", meeting, out, as_of=START.date())
    assert "表决范围：2号楼" in _pdf_text(out)


def svc_person_id(name, id_number):
    from renewal_desk.core.services.households import PersonInput

    return PersonInput(name, id_number=id_number, is_head=True)


def test_walk_ins_and_staff_never_vote(db, estate, meeting):
    """列席 walk-ins and staff (部门 / 工作人员) are not counted in a vote's 应到 or 在场 and cannot cast a ballot."""
    _, ids = estate
    rows = _rows(db, meeting)
    for hid in ids[:6]:
        svc.sign_in(db, rows[hid].id, START)
    staff = svc.add_attendee(db, meeting, svc.AttendeeInput("社区工作者 张敏", Category.DEPARTMENT, "社区居委会"))  # invited staff
    walk_in = svc.add_attendee(db, meeting, svc.AttendeeInput("路过居民", Category.RESIDENT, "", expected=False))
    for a in (staff, walk_in):
        svc.sign_in(db, a, START)
    att = svc.attendance(db, meeting)  # 应到 / 实到 are the voters; staff and walk-ins present are 列席
    assert (att.expected, att.present, att.walk_ins) == (12, 6, 2)
    assert [(r.expected, r.present) for r in svc.meetings(db) if r.id == meeting] == [(12, 6)]
    hands = svc.add_motion(db, meeting, svc.MotionInput("同意清理楼道"))
    svc.start_vote(db, hands, START + timedelta(minutes=10))
    svc.set_counts(db, hands, {"yes_owners": 5, "no_owners": 1})
    result = svc.motion_result(db, hands).result
    assert svc.motion_result(db, hands).motion.counts["present"] == 6
    assert result.eligible_owners == 12  # the 12 invited owners; staff not 应到
    named = svc.add_motion(db, meeting, svc.MotionInput("议事规则", method="named"))
    svc.start_vote(db, named, START + timedelta(minutes=20))
    listed = {v.attendee_id for v in svc.voters(db, named)}
    assert staff not in listed and walk_in not in listed and len(listed) == 6
    for who, word in ((staff, "工作人员"), (walk_in, "列席人员")):
        with pytest.raises(InputError, match=word):
            svc.cast_ballot(db, named, who, "赞成")
    svc.cast_ballot(db, named, rows[ids[0]].id, "赞成")
    assert svc.motion_result(db, named).result.eligible_owners == 12


def test_one_owner_of_several_units_counts_once(db, estate, meeting):
    """An owner of two flats (the same ID number and name on both heads, registered through the households
    service) is one owner in 应到, in the ballots and in a paper vote's bounds; the area of both flats counts."""
    from renewal_desk.core.services.households import HouseholdInput, PersonInput, household_detail, update_household

    _, ids = estate
    first, second = household_detail(db, ids[0]), household_detail(db, ids[1])
    owner = first.people[0]
    update_household(db, ids[1], HouseholdInput(second.unit_id, second.room, second.area, people=[
        PersonInput(owner.name, owner.id_number, None, is_head=True, id=second.people[0].id)]))
    assert household_detail(db, ids[1]).area == Decimal(100)
    rows = _rows(db, meeting)
    for hid in ids[:9]:
        svc.sign_in(db, rows[hid].id, START)
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    totals = svc.scope_totals(db, motion)
    assert (totals.owners, totals.area) == (11, Decimal(1200))
    svc.start_vote(db, motion, START + timedelta(minutes=10))
    for hid in ids[:9]:
        svc.cast_ballot(db, motion, rows[hid].id, "赞成")
    r = svc.motion_result(db, motion).result
    assert (r.eligible_owners, r.participating_owners, r.yes_owners) == (11, 8, 8)
    assert (r.participating_area, r.yes_area) == (Decimal(900), Decimal(900))
    paper = svc.add_motion(db, meeting, svc.MotionInput("筹集维修资金", matter="special", method="paper"))
    with pytest.raises(InputError):  # 12 owners cannot take part when there are 11
        svc.set_counts(db, paper, {"yes_owners": 12, "no_owners": 0, "abstain_owners": 0,
                                   "yes_area": Decimal(1200), "no_area": Decimal(0), "abstain_area": Decimal(0)})
    svc.set_counts(db, paper, {"yes_owners": 11, "no_owners": 0, "abstain_owners": 0,
                               "yes_area": Decimal(1200), "no_area": Decimal(0), "abstain_area": Decimal(0)})
    assert svc.motion_result(db, paper).result.eligible_owners == 11


def test_a_meeting_in_preparation_is_deleted_with_its_records_each_audited(db, estate, meeting):
    svc.invite_households(db, meeting)
    item = svc.add_item(db, meeting, "加装电梯方案")
    svc.add_speech(db, item, "王𠮷", "赞成")
    svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named", item_id=item))
    svc.add_task(db, meeting, svc.TaskInput("报送方案", deadline=START.date()))
    invited = len(svc.attendees(db, meeting))
    assert invited > 0
    svc.delete_meeting(db, meeting)
    assert meeting not in [m.id for m in svc.meetings(db)]
    with db.read() as s:
        deleted = {t: len(s.scalars(select(AuditEntry).where(AuditEntry.table_name == t,
                                                             AuditEntry.action == "delete")).all())
                   for t in ("meeting", "meeting_attendee", "agenda_item", "meeting_speech", "motion", "followup_task")}
    assert deleted == {"meeting": 1, "meeting_attendee": invited, "agenda_item": 1, "meeting_speech": 1, "motion": 1,
                       "followup_task": 1}


def test_a_started_meeting_is_not_deleted_and_a_signed_in_or_voting_attendee_stays(db, estate, meeting):
    _, ids = estate
    rows = _rows(db, meeting)
    svc.sign_in(db, rows[ids[0]].id, START)
    with pytest.raises(InputError) as err:
        svc.remove_attendee(db, rows[ids[0]].id)
    assert "已于" in err.value.describe() and "请先撤销签到" in err.value.describe()
    svc.remove_attendee(db, rows[ids[2]].id)  # invited by mistake, not here: taken off the list
    assert ids[2] not in _rows(db, meeting)
    svc.start_meeting(db, meeting, at=START)
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    svc.start_vote(db, motion, START)
    svc.cast_ballot(db, motion, rows[ids[0]].id, "yes")
    with pytest.raises(InputError) as err:
        svc.delete_meeting(db, meeting)
    assert "已经开始，不能删除" in err.value.describe()
    assert meeting in [m.id for m in svc.meetings(db)]
