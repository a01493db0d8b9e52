"""Demo records of the supervisor team modelled on Huangshi's 居民监督队 (seed 002): six supervisors,
three builders plus a design and a supervision firm, inspections over the past months, about forty
problems in every state of the rectification workflow (some overdue, some re-checked twice), photos,
and two acceptances, one passed and one refused. Everything goes through the services (audited).

The photos are small PNGs drawn here (a wall, a crack, a puddle …): no image library needed.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from ..db import Database
from ..models import Block, Building, Household, Person, Unit
from ..rules import acceptance as acc
from ..rules.rectification import CATEGORIES, PROBLEM_CATEGORY_LABELS, SEVERITIES
from . import supervision as svc
from .attachments import private_folder, store_dir

SUPERVISORS = 6
PARTIES = (
    ("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"),
    ("长江市政工程有限公司", "施工单位", "钱志华", "13905270002"),
    ("楚韵建筑装饰有限公司", "施工单位", "孙立新", "13905270003"),
    ("东楚城市规划设计院", "设计单位", "冯晓梅", "13905270004"),
    ("黄荆工程监理咨询有限公司", "监理单位", "何振华", "13905270005"),
)
WORKS = ("雨污分流改造", "外墙及屋面维修", "道路及绿化整治")
PROBLEMS = {  # category -> (description, basis, measures)
    "质量": [("外墙保温层空鼓，敲击有空响，面积约 2 平方米", "《建筑装饰装修工程质量验收标准》GB 50210-2018",
             "铲除空鼓部位，按设计重新粘贴保温板并做拉拔试验"),
            ("屋面防水卷材搭接不足 80 毫米，雨后顶层渗水", "施工合同第 12 条；GB 50207-2012 第 6.2 节",
             "返工重铺搭接部位，做 24 小时闭水试验并请居民见证"),
            ("雨水管接口错位，污水外溢", "《给水排水管道工程施工及验收规范》GB 50268-2008", "重新安装接口并做通水试验")],
    "安全": [("脚手架未挂安全网，底部无挡脚板", "《建筑施工扣件式钢管脚手架安全技术规范》JGJ 130-2011",
             "立即补挂密目安全网、设挡脚板，整改前停止该处作业"),
            ("沟槽开挖未设围挡和夜间警示灯", "施工合同第 18 条（安全文明施工）", "设置连续硬质围挡和警示灯，专人巡查")],
    "进度": [("管网开挖后停工超过 10 天，路面未恢复", "施工合同第 9 条（工期）", "增加人手，7 日内完成回填和路面恢复")],
    "文明施工": [("建筑垃圾堆放在消防通道，未覆盖", "《建设工程施工现场环境与卫生标准》JGJ 146-2013",
               "当日清运，余料集中堆放并覆盖防尘网")],
    "噪声扰民": [("夜间 22 点后切割作业，居民反映影响休息", "《建筑施工场界环境噪声排放标准》GB 12523-2011",
               "22 点至次日 6 点禁止高噪声作业；确需连续施工的提前公示")],
    "居民投诉": [("施工损坏一楼住户窗台，未修复", "施工合同第 21 条（成品保护）", "与住户约定时间修复，修复后由住户签字确认")],
    "其他": [("施工公示牌信息不全，无监督电话", "《关于推进老旧小区改造的指导意见》公示要求", "补全工程概况、责任人和监督电话")],
}
PROBLEMS = {code: PROBLEMS[words[0]] for code, words in PROBLEM_CATEGORY_LABELS.items()}  # by code (0025)


# ---------------------------------------------------------------------------------------------
# Photos: a tiny PNG writer (zlib only)
# ---------------------------------------------------------------------------------------------
def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 per row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def make_photo(path: str | Path, seed: int = 0, kind: str = "found", width: int = 240, height: int = 180) -> Path:
    """A small site photo: a brick wall with a dark crack ("found") or a clean rendered wall with a
    green tick ("fixed"). Deterministic for a seed."""
    rng = random.Random(seed)
    base = (rng.randint(150, 200), rng.randint(110, 150), rng.randint(80, 110))
    rows = []
    crack = [int(width * (0.3 + 0.4 * rng.random()))]
    for _y in range(1, height):
        crack.append(max(2, min(width - 3, crack[-1] + rng.choice((-2, -1, 0, 1, 2)))))
    for y in range(height):
        row = bytearray()
        for x in range(width):
            if kind == "fixed":
                r, g, b = 222, 218, 205
                if abs(x - y // 2 - width // 3) < 4 and height // 3 < y < 2 * height // 3:
                    r, g, b = 46, 125, 50
            else:
                mortar = y % 20 < 2 or (x + (y // 20) % 2 * 20) % 40 < 2
                r, g, b = (200, 200, 190) if mortar else base
                if abs(x - crack[y]) < 2:
                    r, g, b = 30, 30, 30
            row += bytes((r, g, b))
        rows.append(bytes(row))
    path = Path(path)
    path.write_bytes(_png(width, height, rows))
    return path


# ---------------------------------------------------------------------------------------------
# The demo
# ---------------------------------------------------------------------------------------------
def generate_supervision_demo(db: Database, project_id: int, seed: int = 1, today: date | None = None) -> int:
    """Create the demo team and its records for a project; returns the number of problems."""
    rng = random.Random(seed * 104729)
    today = today or date.today()
    photo_dir = private_folder(store_dir(db) / "demo-photos")  # the store stays owner-only (issue 23)
    with db.read() as s:
        heads = s.scalars(select(Person.id).join(Household).join(Unit).join(Building).join(Block)
                          .where(Block.project_id == project_id, Person.is_head.is_(True))
                          .order_by(Person.id).limit(60)).all()
        building_rows = s.execute(select(Building.id, Building.name).join(Block).where(Block.project_id == project_id)
                                  .order_by(Building.id)).all()
        unit_rows = s.execute(select(Unit.id, Unit.building_id).where(
            Unit.building_id.in_([b for b, _n in building_rows]))).all()
    units_of: dict[int, list[int]] = {}
    for uid, bid in unit_rows:
        units_of.setdefault(bid, []).append(uid)
    start = today - timedelta(days=200)

    # Team: six residents appointed by letter, each covering a few buildings and one works package.
    team = []
    people = rng.sample(list(heads), min(SUPERVISORS, len(heads))) if heads else []
    while len(people) < SUPERVISORS:
        people.append(svc.add_supervisor_person(db, f"监督员{len(people) + 1}"))
    for i, pid in enumerate(people):
        covered = [b for b, _n in building_rows[i % max(1, len(building_rows))::SUPERVISORS]][:3]
        sid = svc.appoint_supervisor(db, svc.SupervisorInput(pid, start, project_id, f"幸福街字〔{start.year}〕{i + 1}号",
                                                             covered, WORKS[i % len(WORKS)]))
        team.append(sid)
    svc.retire_supervisor(db, team[-1], today - timedelta(days=20))  # one left the team recently
    names = [v.name for v in svc.supervisors(db)]
    known = {p.name: p.id for p in svc.parties(db)}  # a second demo project works with the same firms
    parties = [known.get(name) or svc.save_party(db, svc.PartyInput(name, kind, contact, phone, "黄石市下陆区"))
               for name, kind, contact, phone in PARTIES]
    builders = parties[:3]

    # Inspections every two weeks or so, each finding a few problems.
    made = 0
    photo_seed = 0
    day = start + timedelta(days=3)
    plans = []
    # How far each later problem gets (see _advance): every state, some twice re-checked, in a mix.
    cycle = [0.04, 0.15, 0.30, 0.40, 0.78, 0.60, 0.88, 0.97, 0.18, 0.65, 0.36, 0.42]
    rng.shuffle(cycle)
    bands = iter(cycle * 4)
    while day < today - timedelta(days=2) and made < 42:
        building = rng.choice(building_rows) if building_rows else None
        who = rng.sample(team[:-1], 3)
        # The roads and greening were done first and are finished (accepted below); the rest goes on.
        early = day < start + timedelta(days=60)
        works = WORKS[2] if early else rng.choice(WORKS[:2])
        inspection = svc.log_inspection(db, svc.InspectionInput(
            project_id, day, f"{building[1] if building else ''}及周边{works}施工现场", who,
            staff="社区 吴主任、街道 周工", weather=rng.choice(svc.WEATHER[:4]), notes="随机抽查，施工方项目经理陪同"),
            today=today)
        for _k in range(rng.randint(2, 5)):
            if made >= 42:
                break
            category = rng.choices(CATEGORIES, weights=(5, 3, 1, 2, 1, 2, 1))[0]
            text, basis, measures = rng.choice(PROBLEMS[category])
            bid = rng.choice(building_rows)[0] if building_rows and rng.random() < 0.8 else None
            photo_seed += 1
            photo = make_photo(photo_dir / f"found-{photo_seed}.png", photo_seed)
            pid = svc.add_problem(db, svc.ProblemInput(
                project_id, category, text, day, rng.choices(SEVERITIES, weights=(5, 3, 1))[0],
                rng.choice(builders), inspection, bid, rng.choice(units_of.get(bid, [None])) if bid else None,
                "" if bid else "小区主干道", works, basis, measures, [photo]), today=today,
                by=rng.choice(names[:-1]))
            plans.append((pid, day, rng.uniform(0.45, 0.74) if early else next(bands)))
            made += 1
        day += timedelta(days=rng.randint(10, 18))

    # Walk each problem some way along the workflow; older ones further.
    for pid, found_on, target in plans:
        age = (today - found_on).days
        _advance(db, rng, pid, found_on, age, target, today, photo_dir)
    _acceptances(db, project_id, today, builders[0])
    return made


def _advance(db: Database, rng: random.Random, pid: int, found_on: date, age: int, target: float, today: date,
             photo_dir: Path) -> None:
    """Issue, reply, re-check (sometimes failing once or twice) and close, as far as the age allows."""
    if age < 6 or target < 0.08:
        return  # 待发通知
    on = found_on + timedelta(days=rng.randint(1, 3))
    problem = svc.problem_detail(db, pid, today)
    failures = 2 if target > 0.93 else 1 if target > 0.75 else 0
    rounds = 0
    while True:
        deadline = on + timedelta(days=rng.choice((7, 10, 15)))
        svc.issue_notice(db, svc.NoticeInput([pid], on, deadline, issued_by="幸福街道 周工"), today=today)
        if target < 0.22 or deadline + timedelta(days=3) > today:
            return  # 已发通知: past its deadline (overdue) when the age says so
        reply_on = min(today, deadline - timedelta(days=rng.randint(0, 3)) if rng.random() < 0.7
                       else deadline + timedelta(days=rng.randint(1, 6)))
        fixed = make_photo(photo_dir / f"fixed-{pid}-{rounds}.png", pid * 10 + rounds, "fixed")
        svc.record_reply(db, pid, reply_on, f"已按要求整改完成（{PROBLEM_CATEGORY_LABELS[problem.row.category][0]}），附整改后照片。", "项目经理",
                         [fixed], today=today)
        if target < 0.34 or reply_on + timedelta(days=2) > today:
            return  # 已回复
        check_on = reply_on + timedelta(days=rng.randint(1, 2))
        if rounds < failures:
            svc.recheck(db, pid, check_on, False, "王监督员、李监督员", "现场复查仍有问题，整改不到位", today=today)
            rounds += 1
            if target < 0.82 and rounds == failures:
                return  # 复查未通过, waiting for a new notice
            on = check_on + timedelta(days=1)
            if on > today:
                return
            continue
        svc.recheck(db, pid, check_on, True, "王监督员、李监督员", "复查合格", today=today)
        if target < 0.45 or check_on + timedelta(days=1) > today:
            return  # 复查通过
        svc.close_problem(db, pid, check_on + timedelta(days=1), "幸福街道 周工", "整改闭环", today=today)
        return


def _acceptances(db: Database, project_id: int, today: date, builder: int) -> None:
    parties = {"district": "区住建局 周立新", "community": "幸福里社区 吴桂芳", "residents": "居民代表 王建国等 5 人",
               "builder": "幸福建设 项目经理 郑建军"}
    checklist = [(item, "合格", "") for item in acc.DEFAULT_CHECKLIST]
    # The roads and greening (every problem closed) pass; the outer walls and roofs are refused.
    open_roads = svc.open_in_scope(db, project_id, WORKS[2])
    svc.record_acceptance(db, svc.AcceptanceInput(
        project_id, today - timedelta(days=5), True, parties, checklist, acc.Survey(46, 9, 3, 2), works=WORKS[2],
        party_id=builder, evaluator="湖北楚天工程咨询评估有限公司", score="91.5",
        conclusion="工程质量和居民参与情况良好，同意通过。",
        override_reason="剩余问题为居民自家门窗，已另行约定由住户自行维修" if open_roads else ""), today=today)
    svc.record_acceptance(db, svc.AcceptanceInput(
        project_id, today - timedelta(days=2), False, parties, checklist[:3] + [(acc.DEFAULT_CHECKLIST[3], "不合格",
                                                                                "缺隐蔽工程影像资料")],
        acc.Survey(21, 12, 19, 3), works=WORKS[1], party_id=builder,
        reasons="居民满意率 60%，低于 80%；仍有未关闭的问题；竣工资料不全。群众不满意不通过验收，整改后重新组织验收。"),
        today=today)
