"""Three demo meetings of the demo project: a residents' council that consulted on the plan (show
of hands), an owners' meeting of one building that voted on adding elevators under 民法典第278条
(named ballots, proxies, one early leaver), and the next council, prepared but not yet held, which
reviews the tasks of the first two. Built through the meeting services, like a user would."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..db import Database
from ..models import Block, Building, Category, MeetingKind, TaskStatus
from . import meetings as svc


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def generate_meeting_demo(db: Database, project_id: int, seed: int = 1, today: date | None = None) -> list[int]:
    rng = random.Random(seed * 7919)
    today = today or date.today()
    with db.read() as s:
        building_id = s.scalar(select(Building.id).join(Block, Block.id == Building.block_id)
                               .where(Block.project_id == project_id).order_by(Building.sort_key, Building.id))
        building_name = s.get(Building, building_id).name if building_id else ""
    created = []

    # 1. The residents' council that consulted on the plan, five weeks ago
    day1 = today - timedelta(days=35)
    m1 = svc.create_meeting(db, svc.MeetingInput(
        "老旧小区改造方案居民议事会", _at(day1, 14, 30), MeetingKind.COUNCIL, project_id, _at(day1, 16, 30), "社区党群服务中心二楼会议室",
        "社区党委书记 陈静", "社区工作者 张敏", ["居民代表 刘建华", "居民代表 孙丽"],
        "就老旧小区改造初步方案和点单结果听取居民、党员、物业、设计和施工单位意见，协商改造内容的先后次序。"))
    svc.invite_role(db, m1, "representative")
    svc.invite_role(db, m1, "party_member")
    for name, category, org in (("周经理", Category.PROPERTY, "润泽物业服务有限公司"), ("王工", Category.DESIGNER, "城市更新设计院"),
                                ("街道城建科 李科长", Category.DEPARTMENT, "街道城建科"), ("施工单位项目经理 赵工", Category.BUILDER, "建工集团第三分公司")):
        svc.add_attendee(db, m1, svc.AttendeeInput(name, category, org))
    items1 = [svc.add_item(db, m1, title, presenter, minutes) for title, presenter, minutes in (
        ("通报居民点单结果", "社区工作者 张敏", 15), ("改造方案介绍", "设计师 王工", 30),
        ("居民代表、党员发言", "", 40), ("协商改造内容先后次序", "社区党委书记 陈静", 20))]
    rows = svc.attendees(db, m1)
    for n, a in enumerate(rows):
        if rng.random() < 0.85:
            svc.sign_in(db, a.id, _at(day1, 14, 10 + rng.randint(0, 25)))
    svc.start_meeting(db, m1, _at(day1, 14, 30))
    speakers = [("居民代表 刘建华", "希望先解决雨污分流和屋面漏水，这是大家最着急的。"),
                ("党员 何桂英", "老人多，适老化扶手和楼道照明请一并考虑。"),
                ("润泽物业 周经理", "改造后新增的充电设施需要明确管理方式和收费标准。")]
    for item_id, minutes in zip(items1, (0, 15, 45, 85)):
        svc.set_current_item(db, m1, item_id, _at(day1, 14, 30) + timedelta(minutes=minutes))
    for speaker, words in speakers:
        svc.add_speech(db, items1[2], speaker, words, _at(day1, 15, 20))
    svc.set_item_summary(db, items1[2], "与会人员普遍支持改造方案，重点关注排水、屋面防水、适老化和充电设施管理。")
    motion1 = svc.add_motion(db, m1, svc.MotionInput("改造内容按“基础类优先、完善类其次”的次序实施", item_id=items1[3]))
    svc.start_vote(db, motion1, _at(day1, 16, 10))
    present = svc.motion_result(db, motion1).motion.counts["present"] or 0
    svc.set_counts(db, motion1, {"yes_owners": max(present - 3, 0), "no_owners": min(1, present)})
    svc.close_vote(db, motion1)
    r1 = svc.add_resolution(db, m1, "改造内容按“基础类优先、完善类其次”的次序实施；雨污分流和屋面防水列入第一批。", motion1)
    t1 = svc.add_task(db, m1, svc.TaskInput("按议事结果修改改造方案并报街道审核", "城市更新设计院", day1 + timedelta(days=14), r1))
    svc.update_task(db, t1, status=TaskStatus.DONE, today=day1 + timedelta(days=12))
    svc.add_task(db, m1, svc.TaskInput("制定充电设施管理办法（征求意见稿）", "润泽物业服务有限公司", day1 + timedelta(days=21), r1))
    svc.end_meeting(db, m1, _at(day1, 16, 35))
    created.append(m1)

    # 2. The owners' meeting of one building: adding elevators (特别事项, named ballots), ten days ago
    if building_id:
        day2 = today - timedelta(days=10)
        start = _at(day2, 19, 0)
        m2 = svc.create_meeting(db, svc.MeetingInput(
            f"{building_name}加装电梯业主大会", start, MeetingKind.OWNERS, project_id, _at(day2, 20, 45), "小区北门活动室",
            "社区居委会主任 李红", "社区工作者 张敏", ["业主代表 吴强", "业主代表 郑芳"],
            f"依照《民法典》第二百七十八条，由{building_name}业主共同决定是否加装电梯及费用分摊方案。",
            [building_id]))
        svc.invite_households(db, m2)
        items2 = [svc.add_item(db, m2, title, presenter, minutes) for title, presenter, minutes in (
            ("加装电梯方案与费用分摊说明", "设计师 王工", 20), ("低层业主意见", "", 30), ("表决", "社区居委会主任 李红", 20))]
        rows = svc.attendees(db, m2)
        for n, a in enumerate(rows):
            roll = rng.random()
            if roll < 0.62:
                svc.sign_in(db, a.id, start - timedelta(minutes=rng.randint(0, 20)))
            elif roll < 0.71:
                svc.sign_in(db, a.id, start - timedelta(minutes=5), proxy_name=rng.choice(["王小明", "刘晓燕", "陈涛"]),
                            proxy_authority="书面委托书（已核验）")
        signed = [a for a in svc.attendees(db, m2) if a.signed_in_at]
        if signed:
            svc.sign_out(db, signed[-1].id, start + timedelta(minutes=40))  # left before the vote
        svc.start_meeting(db, m2, start)
        for item_id, minutes in zip(items2, (0, 20, 55)):
            svc.set_current_item(db, m2, item_id, start + timedelta(minutes=minutes))
        svc.add_speech(db, items2[1], "一楼业主代表", "担心采光和噪声，希望方案对一楼给予补偿并避开卧室窗户。", start + timedelta(minutes=25))
        svc.add_speech(db, items2[1], "设计师 王工", "井道外挑，离一楼卧室窗户 2.4 米；一楼不分摊费用。", start + timedelta(minutes=32))
        motion2 = svc.add_motion(db, m2, svc.MotionInput(
            f"{building_name}加装电梯及费用分摊方案", "按楼层系数分摊建设费用，一楼不分摊；由社区委托有资质单位施工。",
            "special", "named", items2[2]))
        svc.start_vote(db, motion2, start + timedelta(minutes=60))
        for voter in svc.voters(db, motion2):
            if voter.present:
                roll = rng.random()
                svc.cast_ballot(db, motion2, voter.attendee_id, "yes" if roll < 0.84 else "no" if roll < 0.94 else "abstain")
        result = svc.close_vote(db, motion2)
        verdict = "通过" if result.result and result.result.passed else "未通过"
        r2 = svc.add_resolution(db, m2, f"{building_name}加装电梯及费用分摊方案经业主表决{verdict}。", motion2)
        svc.add_task(db, m2, svc.TaskInput("公示表决结果（公示期 7 天）", "社区居委会", day2 + timedelta(days=3), r2))
        svc.add_task(db, m2, svc.TaskInput("向区住建局报送加装电梯申请材料", "社区居委会", day2 + timedelta(days=30), r2))
        svc.end_meeting(db, m2, _at(day2, 20, 50))
        created.append(m2)

    # 3. The next council, prepared: notice, agenda and invitations, not yet held
    day3 = today + timedelta(days=5)
    m3 = svc.create_meeting(db, svc.MeetingInput(
        "改造施工协调议事会", _at(day3, 14, 30), MeetingKind.COORDINATION, project_id, None, "社区党群服务中心二楼会议室",
        "社区党委书记 陈静", "社区工作者 张敏", ["居民代表 刘建华"],
        "通报第一批改造施工安排，协调施工时间、材料堆放和临时停车，检查上次议事会任务落实情况。"))
    svc.invite_role(db, m3, "representative")
    for name, category, org in (("施工单位项目经理 赵工", Category.BUILDER, "建工集团第三分公司"), ("周经理", Category.PROPERTY, "润泽物业服务有限公司")):
        svc.add_attendee(db, m3, svc.AttendeeInput(name, category, org))
    for title, presenter, minutes in (("上次议事会任务落实情况", "社区工作者 张敏", 15),
                                      ("第一批施工安排", "施工单位项目经理 赵工", 25),
                                      ("施工期间临时停车与材料堆放", "", 30)):
        svc.add_item(db, m3, title, presenter, minutes)
    created.append(m3)
    return created
