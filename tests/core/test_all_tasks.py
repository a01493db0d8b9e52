"""`renewal-desk list tasks` reads every meeting's tasks in one query with --limit in SQL (not one query per
meeting and a cut after loading all): the same rows, in the same order, as meeting by meeting."""

from datetime import date

from renewal_desk.core.models import MeetingStatus
from renewal_desk.core.services import meetings


def test_all_tasks_is_every_meetings_tasks_in_deadline_order(records_db):
    open_meetings = [m for m in meetings.meetings(records_db) if m.status != MeetingStatus.ENDED][:2]
    far = date(2099, 1, 1)
    for m in open_meetings:
        for title, deadline in (("无期限", None), ("较晚", far), ("较早", date(2098, 1, 1)), ("同日", far)):
            meetings.add_task(records_db, m.id, meetings.TaskInput(title, "张敏", deadline))
    old = sorted((t for m in meetings.meetings(records_db) for t in meetings.tasks(records_db, m.id)),
                 key=lambda t: (t.deadline is None, t.deadline or date.max))
    assert old, "the demo has follow-up tasks"
    assert [t.id for t in meetings.all_tasks(records_db)] == [t.id for t in old]
    assert [t.id for t in meetings.all_tasks(records_db, limit=2)] == [t.id for t in old[:2]]
