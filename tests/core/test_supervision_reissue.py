"""A failed re-check leads to a re-issued notice with a new deadline (重新下发整改通知), audited and in
the problem's 处理经过; a re-check without a chosen conclusion is refused (issue 17)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from renewal_desk.core.rules.rectification import State
from renewal_desk.core.models import AuditEntry, ProblemTransition, ProjectType, RectificationNotice
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import supervision as svc
from renewal_desk.core.services.places import create_place

TODAY = date(2026, 11, 22)


@pytest.fixture
def replied(db):
    project = create_place(db, "project", "幸福街区", project_type=ProjectType.RESIDENTIAL)
    party = svc.save_party(db, svc.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"))
    pid = svc.add_problem(db, svc.ProblemInput(project, "质量", "外墙保温层空鼓", date(2026, 9, 1), "较重", party,
                                               location="东立面三层", measures="铲除空鼓部位重新粘贴"), today=TODAY)
    first = svc.issue_notice(db, svc.NoticeInput([pid], date(2026, 9, 2), date(2026, 9, 9), objection_days=5),
                             today=TODAY)
    svc.record_reply(db, pid, date(2026, 9, 8), "已重新粘贴", "郑建军", today=TODAY)
    return db, pid, first


def test_recheck_without_a_conclusion_is_refused_and_writes_nothing(replied):
    db, pid, _first = replied
    with db.read() as s:
        steps = len(s.scalars(select(ProblemTransition)).all())
    with pytest.raises(InputError) as err:
        svc.recheck(db, pid, date(2026, 9, 10), None, "王监督员", "看过了", today=TODAY)
    assert "复查结论" in err.value.describe() and "通过" in err.value.describe()
    with db.read() as s:
        assert len(s.scalars(select(ProblemTransition)).all()) == steps
    assert svc.problem_detail(db, pid, TODAY).row.state == State.REPLIED


def test_failed_recheck_then_reissued_notice_with_new_deadline(replied):
    db, pid, first = replied
    with pytest.raises(InputError) as err:  # not failed yet: nothing to re-issue
        svc.reissue_notice(db, pid, date(2026, 9, 10), date(2026, 9, 20), today=TODAY)
    assert "只有复查未通过的问题" in err.value.describe()
    svc.recheck(db, pid, date(2026, 9, 11), False, "王监督员", "拉拔试验不合格", today=TODAY)
    with pytest.raises(InputError) as err:  # the new deadline must be after the day of issue
        svc.reissue_notice(db, pid, date(2026, 9, 12), date(2026, 9, 12), today=TODAY)
    assert "整改期限" in err.value.describe()
    with db.read() as s:
        assert len(s.scalars(select(RectificationNotice)).all()) == 1  # the refusal wrote nothing
    second = svc.reissue_notice(db, pid, date(2026, 9, 12), date(2026, 9, 26), "", "街道 周工", today=TODAY)
    assert second != first
    detail = svc.problem_detail(db, pid, TODAY)
    assert detail.row.state == State.NOTIFIED and detail.row.deadline == date(2026, 9, 26)
    last = detail.history[-1]
    assert last.label == "重新下发整改通知" and last.deadline == date(2026, 9, 26) and last.notice_no
    assert last.text == "铲除空鼓部位重新粘贴"  # the problem's measures, as before
    assert [h.label for h in detail.history].count("发出整改通知") == 1
    with db.read() as s:
        notice = s.get(RectificationNotice, second)
        assert notice.objection_days == 5  # follows the previous notice
        notes = s.scalars(select(AuditEntry.note).where(AuditEntry.table_name == "rectification_notice",
                                                        AuditEntry.record_id == second)).all()
    assert "重新下发整改通知" in notes
    assert svc.problem_detail(db, pid, date(2026, 9, 27)).row.days_overdue == 1  # the new clock runs
