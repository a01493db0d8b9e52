"""Demo chief street designer records modelled on Weihai's 首席街长制 (seed 002): two street blocks,
each with its appointed designer (in the first, an earlier designer was replaced and stays in the
history), a year of monthly visits whose opinions move from design through construction and
business introduction to operation, and opinions in every status, some past their response date.
Runs through the services, so every row is audited like a staff member's entry. All names are
fictional."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..db import Database
from ..models import STAGE_LABELS, Block, OpinionStatus, OrderingRound, Stage, Stakeholder
from . import designer as svc
from .places import create_place

STREET_BLOCK = "仁和里历史街区"

# (stage, stakeholders, observation, opinion, addressee)
OPINIONS = (
    (Stage.DESIGN, (Stakeholder.RESIDENTS, Stakeholder.VISITORS), "沿街立面方案中新增铝合金门窗，与青砖灰瓦的传统风貌不协调。",
     "建议门窗改用木质或仿木材料，分格参照街区现存老门窗，保留原有门楣石刻。", "设计单位"),
    (Stage.DESIGN, (Stakeholder.RESIDENTS,), "方案将巷口的老槐树下空地设计为停车位。",
     "老槐树是居民的聚会点，建议保留为口袋公园，停车位移至北侧边角地块。", "实施主体"),
    (Stage.DESIGN, (Stakeholder.MERCHANTS, Stakeholder.VISITORS), "导视系统的字体和色彩各段不统一。",
     "建议统一导视设计，采用街区名称题字，中英文对照，并标注公厕和无障碍通道。", "设计单位"),
    (Stage.CONSTRUCTION, (Stakeholder.RESIDENTS, Stakeholder.MERCHANTS), "管线入地施工期间沟槽未设围挡，夜间照明不足。",
     "请立即补设围挡和警示灯，施工时间避开早晚出行高峰，并提前张贴施工告示。", "施工单位"),
    (Stage.CONSTRUCTION, (Stakeholder.IMPLEMENTER,), "拆下的老石板随意堆放，部分已破损。",
     "老石板应编号保护，统一堆放，铺装时优先回用于主街。", "施工单位"),
    (Stage.CONSTRUCTION, (Stakeholder.RESIDENTS,), "外墙修缮采用的水泥砂浆与原有石灰砌筑不兼容。",
     "建议改用传统石灰砂浆勾缝，先做样板段，经居民代表和设计师确认后再大面积施工。", "施工单位"),
    (Stage.BUSINESS, (Stakeholder.MERCHANTS, Stakeholder.VISITORS), "拟引入的业态中连锁奶茶店占比偏高。",
     "建议控制同类连锁店数量，优先引入本地老字号、非遗工坊和社区便民业态。", "运营方"),
    (Stage.BUSINESS, (Stakeholder.RESIDENTS, Stakeholder.MERCHANTS), "原有理发店、修鞋摊等便民服务在招商中被清退。",
     "建议保留并集中安置便民服务点，租金给予优惠，满足老年居民日常需要。", "街道办事处"),
    (Stage.BUSINESS, (Stakeholder.MERCHANTS,), "新入驻商户的招牌大小、材质不一。",
     "建议制定街区招牌导则，统一尺寸上限和材质，由运营方审核后安装。", "运营方"),
    (Stage.OPERATION, (Stakeholder.RESIDENTS, Stakeholder.VISITORS), "周末夜间游客较多，外摆占道和噪声影响居民休息。",
     "建议划定外摆区域和时段，22点后停止外放音乐，设立居民投诉快速响应电话。", "运营方"),
    (Stage.OPERATION, (Stakeholder.VISITORS, Stakeholder.MERCHANTS), "街区垃圾清运频次不足，节假日垃圾桶满溢。",
     "建议节假日增加清运频次，增设分类垃圾桶，商户实行门前三包。", "社区居委会"),
    (Stage.OPERATION, (Stakeholder.RESIDENTS, Stakeholder.IMPLEMENTER), "街区公共空间缺少居民参与的日常活动。",
     "建议每月组织一次街区议事和文化活动，邀请居民、商户共同商定公共空间使用规则。", "街道办事处"),
)
CITING_OPINION = (Stage.DESIGN, (Stakeholder.RESIDENTS,), "居民点单结果显示，加装电梯、停车和适老化设施的需求最集中。",
                  "建议设计方案按点单排序优先安排加装电梯和适老化改造，停车位结合北侧边角地块布置。", "设计单位")
STAGE_ORDER = (Stage.DESIGN, Stage.CONSTRUCTION, Stage.BUSINESS, Stage.OPERATION)
PARTICIPANTS = ("社区书记、设计单位代表、居民代表2名", "施工单位项目经理、监理、居民代表3名",
                "运营方招商负责人、商户代表2名", "街道城建科、社区主任、居民代表")
RESPONDERS = {"设计单位": "设计单位 项目负责人", "实施主体": "实施主体 项目经理", "施工单位": "施工单位 项目经理",
              "运营方": "运营方 招商部", "街道办事处": "街道办事处 城建科", "社区居委会": "社区居委会 主任"}


def _letter(day: date, project_id: int, n: int) -> str:
    """A letter number, unique also when the demo runs again on the same database (another project)."""
    return f"WH-JZ-{day.year}-{project_id:02d}{n:02d}"


def _blocks(db: Database, project_id: int) -> list[int]:
    """The project's first block and the historic street block (created if missing)."""
    with db.read() as s:
        ids = list(s.scalars(select(Block.id).where(Block.project_id == project_id, Block.name != STREET_BLOCK)
                             .order_by(Block.sort_key, Block.id)))
        street = s.scalar(select(Block.id).where(Block.project_id == project_id, Block.name == STREET_BLOCK))
    if street is None:
        street = create_place(db, "block", STREET_BLOCK, project_id, note="首席街长陪伴式更新示范街区（演示）")
    return ids[:1] + [street]


# Outcomes dealt in turn, so that every status occurs and some opinions stay unanswered (overdue
# once their response date has passed); recent opinions are at most replied to.
_S = OpinionStatus
SETTLED = (_S.ADOPTED, _S.PARTLY, _S.ADOPTED, _S.NOT_ADOPTED, _S.ANSWERED, None, _S.ADOPTED, _S.PARTLY, None, _S.ADOPTED,
           _S.NOT_ADOPTED)
RECENT = (None, _S.ANSWERED)
TEXTS = {_S.ANSWERED: "已收到意见，将在下次协调会上研究。", _S.ADOPTED: "采纳，已调整方案并落实。",
         _S.PARTLY: "部分采纳，已落实主要内容。", _S.NOT_ADOPTED: "经研究暂不采纳。"}
REASONS = {_S.PARTLY: "受工期和预算限制，其余内容纳入下一阶段。", _S.NOT_ADOPTED: "与已批复的规划条件冲突，且产权单位意见不一致。"}


def _answer(db: Database, rng: random.Random, view: svc.OpinionView, outcome: str | None, today: date) -> None:
    if outcome is None:
        return
    responder = RESPONDERS.get(view.addressee, view.addressee)
    answered = min(today, view.raised_on + timedelta(days=rng.randint(3, 25)))
    if outcome != OpinionStatus.ANSWERED and rng.random() < 0.5:  # replied first, decided later
        svc.respond(db, view.id, svc.ResponseInput(_S.ANSWERED, answered, responder, "已收到，正在研究。"), today=today)
        answered = min(today, answered + timedelta(days=rng.randint(5, 20)))
    svc.respond(db, view.id, svc.ResponseInput(outcome, answered, responder, TEXTS[outcome], REASONS.get(outcome, "")),
                today=today)


def generate_designer_demo(db: Database, project_id: int, seed: int = 1, today: date | None = None,
                           ordering_round_id: int | None = None) -> int:
    """Create the appointments, visits, opinions and responses; returns the number of opinions. The
    second visit of each block cites the ordering round, if one is given."""
    rng = random.Random(seed * 31337)
    today = today or date.today()
    ordering_round_uuid = None
    if ordering_round_id is not None:
        with db.read() as s:
            ordering_round_uuid = s.scalar(select(OrderingRound.uuid).where(OrderingRound.id == ordering_round_id))
    blocks = _blocks(db, project_id)
    year_ago = today - timedelta(days=365)
    handover = today - timedelta(days=240)  # the first block's designer changed then
    first_start = today - timedelta(days=610)
    old = svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "林若溪"), blocks[0],
                                               _letter(first_start, project_id, 1), first_start,
                                               term_end=first_start + timedelta(days=3 * 365)))
    plan = [(blocks[0], today - timedelta(days=420))]
    if len(blocks) > 1:
        start = year_ago - timedelta(days=30)
        svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "顾明远"), blocks[1], _letter(start, project_id, 2),
                                             start, term_end=start + timedelta(days=3 * 365)))
        plan.append((blocks[1], year_ago))
    successor = svc.add_designer(db, "宋怀瑾")
    made = settled = 0
    for block_id, start in plan:
        day, index, replace = start, 0, block_id == blocks[0]
        span = max(1, (today - start).days)
        while day <= today:
            if replace and day > handover:
                svc.end_appointment(db, old, handover, "工作调动，经街道与本人协商解聘")
                svc.appoint(db, svc.AppointmentInput(successor, blocks[0], _letter(handover, project_id, 3),
                                                     handover + timedelta(days=1),
                                                     term_end=handover + timedelta(days=3 * 365)))
                replace = False
            stage = STAGE_ORDER[min(3, 4 * (day - start).days // span)]
            chosen = rng.sample([o for o in OPINIONS if o[0] == stage], rng.choice((1, 2, 2, 3)))
            cite = ordering_round_uuid if ordering_round_uuid and index == 1 else None
            if cite:
                chosen = [CITING_OPINION] + chosen[1:]
            inputs = [svc.OpinionInput(st, holders, text, addressee, observation,
                                       day + timedelta(days=rng.choice((10, 15, 15, 30))),
                                       "ordering_round" if cite and i == 0 else "", cite if i == 0 else None)
                      for i, (st, holders, observation, text, addressee) in enumerate(chosen)]
            visit = svc.record_visit(db, svc.VisitInput(block_id, day, inputs, rng.choice(PARTICIPANTS),
                                                        f"第 {index + 1} 次走访，{STAGE_LABELS[stage][0]}阶段现场查看。"), today=today)
            for view in svc.opinions(db, block_id, today):
                if view.visit_id != visit:
                    continue
                made += 1
                if (today - day).days < 20:
                    outcome = RECENT[made % len(RECENT)]
                else:
                    outcome, settled = SETTLED[settled % len(SETTLED)], settled + 1
                _answer(db, rng, view, outcome, today)
            day += timedelta(days=rng.randint(24, 36))
            index += 1
    return made


__all__ = ["generate_designer_demo"]
