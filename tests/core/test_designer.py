"""Chief street designer services: appointments (one active per block, history), visits and opinions,
responses and their audit, the timeline figures, reminders, citations, CLI and demo."""

import io
from contextlib import redirect_stdout
from datetime import date

import pytest
from sqlalchemy import select

from renewal_desk.core.models import AppointmentStatus, AuditEntry, MeetingKind, Person, PersonRole
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.designer import OpinionStatus as S, Stage as G, Stakeholder as H
from renewal_desk.core.services import designer as svc
from renewal_desk.core.services.places import create_place

TODAY = date(2026, 6, 30)


@pytest.fixture
def block(db):
    project = create_place(db, "project", "仁和里街区更新")
    return create_place(db, "block", "仁和里", project)


@pytest.fixture
def designer(db, block):
    person = svc.add_designer(db, "林若溪")
    appointment = svc.appoint(db, svc.AppointmentInput(person, block, "WH-JZ-2026-01", date(2026, 1, 1),
                                                       term_end=date(2028, 12, 31)))
    return person, appointment


def _opinion(text="建议保留老槐树下的空地作口袋公园", stage=G.DESIGN, addressee="实施主体", **kw):
    return svc.OpinionInput(stage, kw.pop("stakeholders", (H.RESIDENTS,)), text, addressee, **kw)


def _visit(db, block, day=date(2026, 6, 1), *opinions):
    return svc.record_visit(db, svc.VisitInput(block, day, list(opinions) or [_opinion()], "社区书记、居民代表",
                                               "巷口现场查看"), today=TODAY)


def test_one_active_designer_per_block_and_history_kept(db, block, designer):
    person, first = designer
    other = svc.add_designer(db, "宋怀瑾")
    with pytest.raises(InputError) as err:
        svc.appoint(db, svc.AppointmentInput(other, block, "WH-JZ-2026-02", date(2026, 3, 1)))
    text = err.value.describe()
    assert "已有在任首席街长 林若溪" in text and "WH-JZ-2026-01" in text and "请先为其办理离任" in text
    with pytest.raises(InputError, match="离任原因不能为空"):
        svc.end_appointment(db, first, date(2026, 2, 28), " ")
    svc.end_appointment(db, first, date(2026, 2, 28), "工作调动")
    with pytest.raises(InputError, match="已于 2026-02-28 离任"):
        svc.end_appointment(db, first, date(2026, 3, 1), "再次")
    with pytest.raises(InputError, match="聘书编号 WH-JZ-2026-01 已被使用"):
        svc.appoint(db, svc.AppointmentInput(other, block, "WH-JZ-2026-01", date(2026, 3, 1)))
    second = svc.appoint(db, svc.AppointmentInput(other, block, "WH-JZ-2026-02", date(2026, 3, 1)))
    history = svc.appointments(db, block)
    assert [(a.id, a.designer, a.status) for a in history] == [(second, "宋怀瑾", AppointmentStatus.ACTIVE),
                                                                        (first, "林若溪", AppointmentStatus.ENDED)]
    assert history[1].end_reason == "工作调动" and history[1].ended_on == date(2026, 2, 28)
    assert [c.designer for c in svc.block_choices(db)] == ["宋怀瑾"]
    with db.read() as s:  # both carry the role designer
        roles = set(s.scalars(select(PersonRole.person_id).where(PersonRole.role == "designer")))
    assert {person, other} <= roles


def test_appointment_input_is_checked(db, block):
    person = svc.add_designer(db, "顾明远")
    with pytest.raises(InputError) as err:
        svc.appoint(db, svc.AppointmentInput(person, block, " ", date(2026, 1, 1), term_end=date(2025, 1, 1)))
    text = err.value.describe()
    assert "聘书编号不能为空" in text and "任期结束日期 2025-01-01 早于开始日期 2026-01-01" in text
    with pytest.raises(InputError, match="找不到该片区"):
        svc.appoint(db, svc.AppointmentInput(person, 999, "X-1", date(2026, 1, 1)))
    # a resident can be appointed too, and gets the role designer
    with db.write() as s:
        resident = Person(name="王𠮷")
        s.add(resident)
        s.flush()
        rid = resident.id
    svc.appoint(db, svc.AppointmentInput(rid, block, "X-2", date(2026, 1, 1)))
    assert (rid, "王𠮷") in svc.designers(db)


def test_visit_goes_to_the_appointment_in_force_and_is_checked(db, block, designer):
    _person, first = designer
    with pytest.raises(InputError, match="在 2025-12-31 没有在任的首席街长"):
        _visit(db, block, date(2025, 12, 31))
    with pytest.raises(InputError) as err:
        svc.record_visit(db, svc.VisitInput(block, date(2026, 7, 1), [
            svc.OpinionInput("验收", (), "", " ", respond_by=date(2026, 6, 1)),
        ]), today=TODAY)
    text = err.value.describe()
    for words in ("走访日期不能晚于今天（2026-06-30）", "阶段须为", "至少选择一个关注方", "第 1 条意见的意见内容不能为空",
                  "第 1 条意见的致送对象不能为空", "第 1 条意见的答复期限 2026-06-01 早于走访日期 2026-07-01"):
        assert words in text
    with pytest.raises(InputError, match="至少记录一条意见"):
        svc.record_visit(db, svc.VisitInput(block, date(2026, 6, 1), []), today=TODAY)
    visit = _visit(db, block, date(2026, 2, 1), _opinion(), _opinion("施工围挡不足", G.CONSTRUCTION, "施工单位",
                                                                      stakeholders=(H.MERCHANTS, H.RESIDENTS)))
    opinions = svc.opinions(db, block, TODAY)
    assert [o.opinion_no for o in opinions] == ["JZ-2026-0001", "JZ-2026-0002"]
    assert opinions[1].stakeholders == (H.MERCHANTS, H.RESIDENTS) and opinions[1].designer == "林若溪"
    assert all(o.visit_id == visit and o.status == S.RAISED for o in opinions)
    with pytest.raises(InputError, match="之后还有该首席街长的走访记录"):
        svc.end_appointment(db, first, date(2026, 1, 31), "提前离任")
    extra = svc.add_opinion(db, visit, _opinion("补充：导视统一", stage=G.DESIGN))
    assert svc.opinion_view(db, extra, TODAY).opinion_no == "JZ-2026-0003"


def test_responses_move_the_status_forward_and_are_audited(db, block, designer):
    _visit(db, block, date(2026, 6, 1), _opinion(respond_by=date(2026, 6, 15)), _opinion("二", respond_by=None))
    first, second = (o.id for o in svc.opinions(db, block, TODAY))
    assert svc.overdue_count(db, TODAY) == 1 and svc.overdue_count(db, date(2026, 6, 15)) == 0
    assert [o.id for o in svc.overdue_opinions(db, TODAY)] == [first]

    with pytest.raises(InputError) as err:
        svc.respond(db, first, svc.ResponseInput(S.ANSWERED, date(2026, 5, 30), " ", ""), today=TODAY)
    text = err.value.describe()
    assert "答复人不能为空" in text and "答复内容不能为空" in text and "早于意见提出日期 2026-06-01" in text
    svc.respond(db, first, svc.ResponseInput(S.ANSWERED, date(2026, 6, 10), "实施主体 王工", "收到，研究中"), today=TODAY)
    with pytest.raises(InputError, match="早于上一次答复"):
        svc.respond(db, first, svc.ResponseInput(S.ADOPTED, date(2026, 6, 9), "实施主体 王工", "采纳"), today=TODAY)
    with pytest.raises(InputError, match="未采纳须填写理由"):
        svc.respond(db, first, svc.ResponseInput(S.NOT_ADOPTED, date(2026, 6, 20), "实施主体 王工", "不采纳"), today=TODAY)
    with pytest.raises(InputError, match="不能晚于今天"):
        svc.respond(db, first, svc.ResponseInput(S.ADOPTED, date(2026, 7, 20), "实施主体 王工", "采纳"), today=TODAY)
    svc.respond(db, first, svc.ResponseInput(S.ADOPTED, date(2026, 6, 20), "实施主体 王工", "已调整方案"), today=TODAY)
    with pytest.raises(InputError, match="结果已定"):
        svc.respond(db, first, svc.ResponseInput(S.NOT_ADOPTED, date(2026, 6, 21), "实施主体", "改主意", "预算"), today=TODAY)
    svc.respond(db, second, svc.ResponseInput(S.NOT_ADOPTED, date(2026, 6, 5), "街道", "暂不采纳", "与规划条件冲突"),
                today=TODAY)
    view = svc.opinion_view(db, first, TODAY)
    assert view.status == S.ADOPTED and [r.status for r in view.responses] == [S.ANSWERED, S.ADOPTED]
    assert view.response_days == 9 and not view.overdue
    with db.read() as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.table_name.in_(("designer_opinion", "designer_response")),
                                                    AuditEntry.action.in_(("insert", "update")))).all()
    changes = [(a.table_name, a.action, a.operator) for a in audits]
    assert changes.count(("designer_response", "insert", "测试员")) == 3
    status_updates = [a for a in audits if a.table_name == "designer_opinion" and a.action == "update"]
    assert len(status_updates) == 3 and all(a.at is not None for a in status_updates)
    assert '"adopted"' in status_updates[1].after and '"answered"' in status_updates[1].before  # codes

    tl = svc.timeline(db, block, today=TODAY)
    assert tl.figures.answered == 2 and tl.figures.adopted == 1 and svc.rules.rate_text(tl.figures.adoption_rate) == "50.0%"
    assert str(tl.figures.average_response_days) == "6.5"  # 9 and 4 days
    assert [e.kind for e in tl.entries] == ["visit", "opinion", "opinion", "response", "response", "response"]
    assert tl.chart[G.DESIGN][S.ADOPTED] == 1 and tl.chart[G.DESIGN][S.NOT_ADOPTED] == 1
    assert tl.active is not None and tl.active.designer == "林若溪"


def test_timeline_filters(db, block, designer):
    _visit(db, block, date(2026, 5, 1), _opinion(respond_by=date(2026, 5, 10)),
           _opinion("围挡", G.CONSTRUCTION, "施工单位", respond_by=date(2026, 7, 10)))
    _visit(db, block, date(2026, 6, 1), _opinion("招商", G.BUSINESS, "运营方"))
    ops = {o.stage: o.id for o in svc.opinions(db, block, TODAY)}
    svc.respond(db, ops[G.CONSTRUCTION], svc.ResponseInput(S.PARTLY, date(2026, 5, 20), "施工单位", "部分落实"), today=TODAY)

    def kinds(**flt):
        tl = svc.timeline(db, block, svc.TimelineFilter(**flt), today=TODAY)
        return [(e.kind, e.stage) for e in tl.entries], tl

    entries, tl = kinds(stage=G.CONSTRUCTION)
    assert entries == [("visit", ""), ("opinion", G.CONSTRUCTION), ("response", G.CONSTRUCTION)]
    assert tl.figures.total == 1 and svc.rules.rate_text(tl.figures.adoption_rate) == "100.0%"
    entries, tl = kinds(overdue_only=True)
    assert entries == [("visit", ""), ("opinion", G.DESIGN)] and tl.entries[1].overdue
    entries, tl = kinds(status=S.RAISED)
    assert [e for e in entries if e[0] == "opinion"] == [("opinion", G.DESIGN), ("opinion", G.BUSINESS)]
    entries, tl = kinds(since=date(2026, 5, 15))
    assert entries == [("visit", ""), ("opinion", G.BUSINESS)]
    assert len(kinds()[0]) == 6  # 2 visits, 3 opinions, 1 response


def test_citations_show_on_the_cited_record(db, block, designer):
    from renewal_desk.core.models import Block, OrderingRound
    from renewal_desk.core.services import ordering

    with db.read() as s:
        project_id = s.get(Block, block).project_id
    round_id = ordering.create_round(db, project_id, "2026年居民点单", date(2026, 5, 1))
    with db.read() as s:
        uuid = s.get(OrderingRound, round_id).uuid
    assert ("ordering_round", uuid, "居民点单：2026年居民点单") in svc.citation_choices(db)
    with pytest.raises(InputError, match="不能引用这类记录"):
        _visit(db, block, date(2026, 6, 1), _opinion(cites_kind="nonsense", cites_uuid=uuid))
    with pytest.raises(InputError, match="找不到所引用的记录"):
        _visit(db, block, date(2026, 6, 1), _opinion(cites_kind="ordering_round", cites_uuid="no-such-uuid"))
    _visit(db, block, date(2026, 6, 1), _opinion("按点单结果优先加装电梯", cites_kind="ordering_round", cites_uuid=uuid),
           _opinion("不引用"))
    citing = svc.opinions_citing(db, "ordering_round", uuid, TODAY)
    assert [o.opinion for o in citing] == ["按点单结果优先加装电梯"]
    assert citing[0].cites_label == "居民点单：2026年居民点单"
    # a kind registered later (meetings, supervision) works the same way
    svc.register_citation_kind("test_kind", lambda _db, u: "测试记录" if u == "t-1" else None)
    try:
        _visit(db, block, date(2026, 6, 2), _opinion("引用测试", cites_kind="test_kind", cites_uuid="t-1"))
        assert svc.opinions_citing(db, "test_kind", "t-1", TODAY)[0].cites_label == "测试记录"
    finally:
        svc._CITATIONS.pop("test_kind")
    assert svc.citation_label(db, "test_kind", "t-1").endswith("（未找到）")  # never hidden


def test_attachments_are_counted_on_the_opinion(db, block, designer, tmp_path):
    from renewal_desk.core.services.attachments import add_attachment

    _visit(db, block)
    opinion = svc.opinions(db, block, TODAY)[0]
    sketch = tmp_path / "草图.png"
    sketch.write_bytes(b"\x89PNG fake sketch")
    add_attachment(db, "designer_opinion", opinion.id, sketch, "立面草图")
    assert svc.opinion_view(db, opinion.id, TODAY).attachments == 1


def test_block_with_designer_history_cannot_be_deleted(db, block, designer):
    from renewal_desk.core.problems import InputError
    from renewal_desk.core.services.places import delete_place

    _visit(db, block)
    from renewal_desk.core.models import Block

    with db.read() as s:
        project = s.get(Block, block).project_id
    for kind, target in (("block", block), ("project", project)):
        with pytest.raises(InputError) as err:
            delete_place(db, kind, target)
        assert "首席街长" in err.value.describe() and "不能删除" in err.value.describe()
    assert len(svc.opinions(db, block, TODAY)) == 1


def test_demo_has_two_blocks_a_replaced_designer_and_every_status(db):
    from collections import Counter

    from renewal_desk.core.services.demo import generate_demo
    from renewal_desk.core.services.demo_designer import generate_designer_demo

    summary = generate_demo(db, households=40, seed=3)
    made = generate_designer_demo(db, summary.project_id, seed=3, today=TODAY)
    history = svc.appointments(db)
    assert len({a.block_id for a in history}) == 2
    assert [a.status for a in history].count(AppointmentStatus.ENDED) == 1 \
        and [a.status for a in history].count(AppointmentStatus.ACTIVE) == 2
    ops = svc.opinions(db, today=TODAY)
    assert len(ops) == made >= 30
    assert set(Counter(o.status for o in ops)) == {S.RAISED, S.ANSWERED, S.ADOPTED, S.PARTLY, S.NOT_ADOPTED}
    assert svc.overdue_count(db, TODAY) > 0
    assert {o.stage for o in ops} == {G.DESIGN, G.CONSTRUCTION, G.BUSINESS, G.OPERATION}
    first_visit = min(o.raised_on for o in ops if o.block_id == history[-1].block_id)
    assert (TODAY - first_visit).days >= 365


def test_cli_lists_and_prints(tmp_path):
    from renewal_desk.cli import main

    db = str(tmp_path / "d.sqlite")
    assert main(["demo", "--db", db, "--households", "12"]) == 0
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["list", "designers", "--db", db]) == 0
        assert main(["list", "opinions", "--db", db, "--limit", "2"]) == 0
    text = out.getvalue()
    assert "聘书编号" in text and "已离任" in text and "JZ-" in text
    pdf = tmp_path / "o.pdf"
    assert main(["print", "designer-opinion", "--db", db, "--id", "1", "--out", str(pdf)]) == 0 and pdf.exists()
    pdf = tmp_path / "j.pdf"
    assert main(["print", "designer-journal", "--db", db, "--id", "1", "--since", "2020-01-01", "--out",
                 str(pdf)]) == 0 and pdf.exists()
    assert main(["print", "designer-opinion", "--db", db, "--id", "9999", "--out", str(tmp_path / "x.pdf")]) == 2


def test_an_opinion_can_cite_a_meeting_resolution_and_is_shown_there(db):
    from datetime import datetime

    from renewal_desk.core.services import designer, meetings
    from renewal_desk.core.services.places import create_place

    project = create_place(db, "project", "仁丰里更新")
    mid = meetings.create_meeting(db, meetings.MeetingInput("业态引入协调会", datetime(2026, 11, 2, 14, 0),
                                                            MeetingKind.COORDINATION, project))
    res = meetings.add_resolution(db, mid, "沿街一层优先引入非遗工坊")
    uuid = meetings.resolutions(db, mid)[0].uuid
    assert "meeting_resolution" in designer.citation_kinds()
    assert designer.citation_label(db, "meeting_resolution", uuid).startswith("会议决议：业态引入协调会")
    assert any(u == uuid for u, _label in designer._CITATIONS["meeting_resolution"].choices(db))
    assert res and designer.opinions_citing(db, "meeting_resolution", uuid) == []


def test_an_opinion_can_cite_a_supervision_problem(db):
    from renewal_desk.core.services import designer
    from renewal_desk.core.services.demo import generate_demo
    from renewal_desk.core.services import supervision

    generate_demo(db, households=40, seed=2, with_records=True)
    uuid, label = supervision.find_problems(db, limit=1)[0]
    assert "supervision_problem" in designer.citation_kinds()
    assert designer.citation_label(db, "supervision_problem", uuid) == label
    assert designer.citation_label(db, "supervision_problem", "no-such-uuid") != label
