"""The four meeting printouts' data, read through the meeting services: notice, sign-in sheet,
minutes (with every vote figure) and the public resolution notice."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ..db import Database
from ..models import CATEGORY_LABELS, MEETING_KIND_LABELS, TASK_STATUS_LABELS, MeetingKind, MotionState
from ..printing import meetings as mp
from ..printing.registry import Request, register
from ..rules import votes
from ..rules.sorting import natural_key
from ..rules.text import code_label  # printouts are in Chinese: a stored code as its Chinese label
from ..settings import office_profile
from ..models import Motion
from . import meetings as svc
from .meetings import papers

PREFIXES = {"meeting-notice": mp.NOTICE_PREFIX, "sign-in-sheet": mp.SIGN_IN_PREFIX,
            "meeting-minutes": mp.MINUTES_PREFIX, "resolution-notice": mp.RESOLUTION_PREFIX,
            "ballot": mp.BALLOT_PREFIX, "personal-notice": mp.PERSONAL_NOTICE_PREFIX}
NOTICE_DAYS = 7  # 公示期 of a resolution notice (local practice, as for ordering results)


def _head(db: Database, view: svc.MeetingView) -> mp.MeetingHead:
    return mp.MeetingHead(view.title, code_label(MEETING_KIND_LABELS, view.kind), view.project, svc.project_org(db, view.project_id), view.starts_at,
                          view.ends_at, view.place, view.chair, view.recorder, view.scrutineers,
                          seal=office_profile(db).seal)




def _agenda(rows: list[svc.ItemRow]) -> tuple[mp.AgendaLine, ...]:
    return tuple(mp.AgendaLine(r.position, r.title, r.presenter, r.planned_minutes) for r in rows)


CHOICE_ZH = {"yes": "赞成", "no": "反对", "abstain": "弃权"}


def motion_line(m: svc.MotionResult, people: dict[int, svc.AttendeeRow] | None = None) -> mp.MotionLine:
    """A motion as printed; with `people` (attendee id → row) a named vote lists every ballot."""
    method = votes.METHOD_LABELS[votes.Method(m.motion.method)][0]
    note = "举手表决按在场人数计票，面积不适用" if not m.with_area else ""
    if m.result is None and m.problem and m.motion.state != MotionState.DRAFT:
        note = f"无法计算结果：{m.problem}"
    ballots: tuple[mp.BallotLine, ...] = ()
    if people is not None and m.motion.method == votes.Method.NAMED.value:
        cast = sorted(((people[aid], choice) for aid, choice in m.motion.ballots.items() if aid in people),
                      key=lambda pc: (natural_key(pc[0].address), pc[0].name))
        ballots = tuple(mp.BallotLine(a.name, a.address, a.area, CHOICE_ZH.get(c, c), a.proxy_name) for a, c in cast)
    return mp.MotionLine(m.motion.title, m.motion.text, method, m.rule.name_zh, m.result, note,
                         "\n".join(m.motion.corrections), show_area=m.with_area, ballots=ballots,
                         scope=m.scope_text)


def _tasks(rows: list[svc.TaskRow]) -> tuple[mp.TaskLine, ...]:
    return tuple(mp.TaskLine(t.title, t.owner, t.deadline, code_label(TASK_STATUS_LABELS, t.status), t.review_note or t.note, t.overdue) for t in rows)


def _requirements(view: svc.MeetingView) -> str:
    return ("请携带身份证或不动产权证明；业主不能到会的，可书面委托代理人参加并出具委托书。"
            if view.kind == MeetingKind.OWNERS else "请准时参加；不能到会的请提前告知社区居委会。")


def prepare_papers(db: Database, name: str, record_id: int) -> None:
    """Before ballots or personal notices are printed: every household of the meeting's scope has an
    attendee (its code names it), and there is someone to print for (refused in words otherwise)."""
    if name == "ballot":
        meeting_id = svc.motion_result(db, record_id).motion.meeting_id
        papers.invite_missing_households(db, meeting_id)
        papers.ballot_people(db, record_id)
    else:
        papers.invite_missing_households(db, record_id)
        papers.notice_people(db, record_id)


def _lines(people: list[papers.PaperPerson]) -> tuple[mp.PaperLine, ...]:
    return tuple(mp.PaperLine(p.attendee_uuid, p.name, p.address, p.area, p.organisation) for p in people)


def render_ballots(db: Database, motion_id: int, out: Path, common: dict, large: bool) -> int:
    m = svc.motion_result(db, motion_id)
    view = svc.meeting_view(db, m.motion.meeting_id)
    with db.read() as s:
        motion_uuid = s.get(Motion, motion_id).uuid
    return mp.render_ballots(out, mp.BallotsDoc(
        _head(db, view), motion_uuid, m.motion.title, m.motion.text, m.rule.name_zh, m.scope_text, m.with_area,
        _lines(papers.ballot_people(db, motion_id))), large=large, **common)


def render(db: Database, name: str, meeting_id: int, out: Path, common: dict, masked: bool, as_of: date,
           large: bool = False) -> int:
    """Write a meeting's printout (`meeting_id` names the motion for "ballot")."""
    if name == "ballot":
        return render_ballots(db, meeting_id, out, common, large)
    view = svc.meeting_view(db, meeting_id)
    head = _head(db, view)
    agenda = svc.items(db, meeting_id)
    if name == "personal-notice":
        return mp.render_personal_notices(out, mp.PersonalNoticesDoc(
            head, view.uuid, view.purpose, _agenda(agenda), _requirements(view), as_of,
            _lines(papers.notice_people(db, meeting_id))), **common)
    if name == "meeting-notice":
        invited: dict[str, int] = {}
        for a in svc.attendees(db, meeting_id):
            if a.expected:
                invited[code_label(CATEGORY_LABELS, a.category)] = invited.get(code_label(CATEGORY_LABELS, a.category), 0) + 1
        requirements = _requirements(view)
        return mp.render_meeting_notice(out, mp.NoticeDoc(
            head, view.purpose, _agenda(agenda), tuple(invited.items()), "社区居委会办公室", as_of, requirements),
            masked=masked, **common)
    if name == "sign-in-sheet":
        rows = svc.attendees(db, meeting_id)
        lines = tuple(mp.AttendeeLine(a.name, code_label(CATEGORY_LABELS, a.category), a.organisation, a.address, a.phone, a.expected,
                                      a.signed_in_at, a.left_at, a.proxy_name, a.proxy_authority) for a in rows)
        voters = [a for a in rows if svc.is_voter(a.expected, a.category)]  # 应到/实到 as the minutes count them
        present = sum(1 for a in voters if a.signed_in_at)
        return mp.render_sign_in_sheet(out, mp.SignInDoc(head, lines, 10, len(voters), present),
                                       masked=masked, **common)
    motions = svc.motions(db, meeting_id)
    tasks = svc.tasks(db, meeting_id, as_of)
    if name == "meeting-minutes":
        att = svc.attendance(db, meeting_id, view.ends_at) if view.ends_at else svc.attendance(db, meeting_id)
        by_item: dict[int | None, list[mp.MotionLine]] = {}
        people = {a.id: a for a in svc.attendees(db, meeting_id)}
        for m in motions:
            by_item.setdefault(m.motion.item_id, []).append(motion_line(m, people))
        items = [mp.ItemMinutes(mp.AgendaLine(r.position, r.title, r.presenter, r.planned_minutes), r.summary,
                                tuple(mp.SpeechLine(sp.speaker, sp.content, sp.spoken_at) for sp in svc.speeches(db, r.id)
                                      if sp.content.strip()),
                                tuple(by_item.pop(r.id, []))) for r in agenda]
        loose = [line for lines in by_item.values() for line in lines]
        if loose:  # motions not tied to an agenda item
            items.append(mp.ItemMinutes(mp.AgendaLine(len(items) + 1, "其他表决事项", "", None), "", (), tuple(loose)))
        return mp.render_meeting_minutes(out, mp.MinutesDoc(
            head, att.expected, att.signed_in, att.late, att.left_early, att.proxies, att.text(),
            tuple((code_label(CATEGORY_LABELS, c), e, p) for c, e, p in att.by_category), tuple(items),
            tuple(r.text for r in svc.resolutions(db, meeting_id)), _tasks(tasks),
            _tasks(svc.tasks_to_review(db, meeting_id, as_of))), masked=masked, **common)
    voted = tuple(motion_line(m) for m in motions if m.result is not None and m.motion.state == MotionState.DECIDED)
    return mp.render_resolution_notice(out, mp.ResolutionNoticeDoc(
        head, tuple(r.text for r in svc.notice_resolutions(db, meeting_id)), voted, _tasks(tasks), as_of,
        as_of + timedelta(days=NOTICE_DAYS), "社区居委会办公室"), masked=True, **common)


def _render_request(req: Request) -> int:
    return render(req.db, req.name, req.record_id, req.out, req.common, req.masked, req.as_of, large=req.large)


def _papers_of(name: str):
    return lambda db, record_id: prepare_papers(db, name, record_id)


register("meeting-notice", "meeting", "HYTZ", "meeting", _render_request)
register("sign-in-sheet", "meeting", "QDB", "meeting", _render_request)  # phones masked unless --full
register("meeting-minutes", "meeting", "HYJL", "meeting", _render_request)
register("resolution-notice", "meeting", "JYGS", "meeting", _render_request)  # posted publicly: always masked
# one named ballot per voter (--large: 大字版); one notice per invitee, with a sign-in code: the households of
# the meeting's scope not invited yet are invited first (their codes name attendees)
register("ballot", "motion", "BJP", "motion", _render_request, prepare=_papers_of("ballot"))
register("personal-notice", "meeting", "GRTZ", "meeting", _render_request, prepare=_papers_of("personal-notice"))
