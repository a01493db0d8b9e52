"""A designer response with the wrong outcome can be amended (更正) or voided (作废), with a reason,
audited; the voided response stays in the history (issue 17)."""

from datetime import date

import pytest
from sqlalchemy import select

from renewal_desk.core.models import AuditEntry, OpinionResponse
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.designer import OpinionStatus as S, Stage as G, Stakeholder as H
from renewal_desk.core.services import designer as svc
from renewal_desk.core.services.places import create_place

TODAY = date(2026, 6, 30)


@pytest.fixture
def opinion(db):
    project = create_place(db, "project", "仁和里街区更新")
    block = create_place(db, "block", "仁和里", project)
    svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "林若溪"), block, "WH-JZ-2026-01", date(2026, 1, 1)))
    visit = svc.record_visit(db, svc.VisitInput(block, date(2026, 6, 1), [svc.OpinionInput(
        G.DESIGN, (H.RESIDENTS,), "建议保留老槐树下的空地作口袋公园", "实施主体")]), today=TODAY)
    opinion_id = svc.opinions(db, block)[0].id
    return db, block, opinion_id, visit


def _responses(db):
    with db.read() as s:
        return s.scalars(select(OpinionResponse).order_by(OpinionResponse.id)).all()


def test_amend_a_wrong_outcome_keeps_the_history_and_is_audited(opinion):
    db, block, oid, _visit = opinion
    wrong = svc.respond(db, oid, svc.ResponseInput(S.ADOPTED, date(2026, 6, 10), "实施主体 王工", "同意保留"),
                        today=TODAY)
    with pytest.raises(InputError) as err:  # a final outcome cannot simply be answered again
        svc.respond(db, oid, svc.ResponseInput(S.NOT_ADOPTED, date(2026, 6, 11), "王工", "不保留", "占地"), today=TODAY)
    assert "结果已定" in err.value.describe()
    with pytest.raises(InputError) as err:  # amending needs a reason; nothing changes
        svc.amend_response(db, wrong, svc.ResponseInput(S.PARTLY, date(2026, 6, 10), "实施主体 王工",
                                                        "保留一半", "场地有限"), "  ", today=TODAY)
    assert "更正的原因" in err.value.describe()
    assert [r.voided for r in _responses(db)] == [False]
    with pytest.raises(InputError) as err:  # the corrected response is checked like any other
        svc.amend_response(db, wrong, svc.ResponseInput(S.NOT_ADOPTED, date(2026, 6, 10), "王工", "不保留"),
                           "结果记错了", today=TODAY)
    assert "未采纳须填写理由" in err.value.describe() and [r.voided for r in _responses(db)] == [False]
    new = svc.amend_response(db, wrong, svc.ResponseInput(S.PARTLY, date(2026, 6, 10), "实施主体 王工",
                                                          "保留一半作口袋公园", "另一半为消防通道"),
                             "结果记错了：实为部分采纳", today=TODAY)
    view = svc.opinion_view(db, oid, TODAY)
    assert view.status == S.PARTLY and view.latest_response.id == new
    assert [(r.status, r.voided, r.void_reason) for r in view.responses] == [
        (S.ADOPTED, True, "结果记错了：实为部分采纳"), (S.PARTLY, False, "")]
    tl = svc.timeline(db, block, today=TODAY)
    texts = [e.text for e in tl.entries if e.kind == "response"]
    assert any(t.startswith("【已作废：结果记错了") for t in texts)  # the history stays visible
    assert tl.figures.adopted == 1
    with db.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.table_name == "designer_response",
                                                            AuditEntry.record_id == wrong)).all()
    assert "amend" in actions and "update" in actions


def test_void_goes_back_to_the_previous_status_only_from_the_latest(opinion):
    db, _block, oid, _visit = opinion
    first = svc.respond(db, oid, svc.ResponseInput(S.ANSWERED, date(2026, 6, 5), "王工", "正在研究"), today=TODAY)
    second = svc.respond(db, oid, svc.ResponseInput(S.NOT_ADOPTED, date(2026, 6, 9), "王工", "不保留", "占地"),
                         today=TODAY)
    with pytest.raises(InputError) as err:
        svc.void_response(db, first, "记错")
    assert "最近一次有效的答复" in err.value.describe()
    with pytest.raises(InputError) as err:
        svc.void_response(db, second, "")
    assert "原因" in err.value.describe()
    svc.void_response(db, second, "记到了别的意见上")
    assert svc.opinion_view(db, oid, TODAY).status == S.ANSWERED
    with pytest.raises(InputError) as err:
        svc.void_response(db, second, "again")
    assert "已作废" in err.value.describe()
    svc.void_response(db, first, "也是记错")
    view = svc.opinion_view(db, oid, TODAY)
    assert view.status == S.RAISED and view.first_response_on is None and len(view.responses) == 2
    # answering again after voiding: the dates are checked against the valid responses only
    svc.respond(db, oid, svc.ResponseInput(S.ADOPTED, date(2026, 6, 2), "王工", "同意"), today=TODAY)
    assert svc.opinion_view(db, oid, TODAY).status == S.ADOPTED
