"""Gather the supervisor team's printouts from the database (services.printouts numbers, audits and
writes them): `rectification-notice` (--id notice), `inspection-log` and `supervision-report`
(--id project, 0 = all, for a period), `acceptance-form` (--id acceptance)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ..printing import supervision as sp
from ..printing.registry import Request, register
from ..problems import InputError, Problem
from ..rules import rectification as rules
from ..rules.text import code_label
from ..settings import office_profile
from . import supervision as svc
from .attachments import open_attachment

DEFAULT_DAYS = 90  # a period not given: the 90 days up to the as-of date


def _photo(db, info) -> sp.Photo:
    try:
        path = open_attachment(db, info)
    except InputError:
        path = None  # the file left the store: the notice says so instead of failing
    return sp.Photo(info.original_name, path, info.caption)


def _scope(db, project_id: int) -> str:
    if not project_id:
        return "全部项目"
    names = dict(svc.projects(db))
    if project_id not in names:
        raise InputError(Problem(svc.E_NOT_FOUND, {"kind": "项目", "id": project_id}))
    return names[project_id]


def notice_doc(db, notice_id: int, as_of: date) -> sp.NoticeDoc:
    found = svc.notices(db, as_of, [notice_id])
    if not found:
        raise InputError(Problem(svc.E_NOT_FOUND, {"kind": "整改通知单", "id": notice_id}))
    notice = found[0]
    measures = svc.notice_measures(db, notice_id)
    party = next(p for p in svc.parties(db) if p.id == notice.party_id)
    problems = []
    for pid in svc.notice_problem_ids(db, notice_id):
        detail = svc.problem_detail(db, pid, as_of)
        r = detail.row
        problems.append(sp.NoticeProblem(r.id, r.place, _category(r.category), _severity(r.severity), r.description,
                                         detail.basis,
                                         measures.get(pid, detail.measures), r.found_on,
                                         [_photo(db, a) for a in detail.photos]))
    from ..models import Project

    with db.read() as s:
        district = s.get(Project, notice.project_id).district
    return sp.NoticeDoc(notice.notice_no, f"{district}居民监督队", notice.project, notice.party, party.contact_name,
                        party.contact_phone, notice.issued_on, notice.deadline, notice.issued_by,
                        notice.recheck_method, notice.objection_days, problems, seal=office_profile(db).seal)


def _category(code: str) -> str:  # printed in Chinese, from the stored code (migration 0025)
    return code_label(rules.PROBLEM_CATEGORY_LABELS, code)


def _severity(code: str) -> str:
    return code_label(rules.SEVERITY_LABELS, code)


def _log_problem(r: svc.ProblemRow) -> sp.LogProblem:
    return sp.LogProblem(r.id, r.found_on, r.place, _category(r.category), _severity(r.severity), r.description, r.party,
                         rules.state_label(r.state),
                         r.days_overdue)


def inspection_log_doc(db, project_id: int, start: date, end: date, as_of: date) -> sp.InspectionLogDoc:
    scope = _scope(db, project_id)
    found = svc.inspections(db, project_id or None, start, end)
    rows = svc.problem_rows(db, svc.ProblemFilter(project_id=project_id or None, found_from=start, found_to=end), as_of)
    return sp.InspectionLogDoc(scope, start, end, [
        sp.LogInspection(x.inspected_on, x.project, x.places, x.weather, x.participants, x.problems, x.notes)
        for x in reversed(found)], [_log_problem(r) for r in reversed(rows)])


def acceptance_doc(db, acceptance_id: int) -> sp.AcceptanceDoc:
    found = svc.acceptances(db, [acceptance_id])
    if not found:
        raise InputError(Problem(svc.E_NOT_FOUND, {"kind": "验收记录", "id": acceptance_id}))
    return found[0]


def report_doc(db, project_id: int, start: date, end: date, as_of: date) -> sp.ReportDoc:
    scope = _scope(db, project_id)
    stats = svc.statistics(db, start, end, project_id or None, as_of)
    avg = f"{stats.avg_days_to_close} 天" if stats.avg_days_to_close is not None else "—"
    figures = [("巡查次数", f"{stats.inspections} 次"), ("发现问题", f"{stats.found} 项"),
               ("已关闭（本期）", f"{stats.closed} 项"), ("整改通知单", f"{stats.notices} 份"),
               ("未关闭（全部）", f"{stats.open_now} 项"), ("逾期未整改", f"{stats.overdue} 项"),
               ("平均整改天数", avg)]
    open_rows = svc.problem_rows(db, svc.ProblemFilter(project_id=project_id or None, open_only=True), as_of)
    open_rows.sort(key=lambda r: (-r.days_overdue, r.found_on))
    return sp.ReportDoc(scope, start, end, as_of, figures,
                        {rules.state_label(k): v for k, v in stats.by_state.items()}, stats.timeline,
                        {_category(k): v for k, v in stats.by_category.items()},
                        stats.by_party, stats.avg_days_by_party, [_log_problem(r) for r in open_rows])


def render(db, name: str, record_id: int, out: Path, common: dict, as_of: date, start: date | None = None,
           end: date | None = None) -> int:
    end = end or as_of
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if name == "rectification-notice":
        return sp.render_notice(out, notice_doc(db, record_id, as_of), **common)
    if name == "inspection-log":
        return sp.render_inspection_log(out, inspection_log_doc(db, record_id, start, end, as_of), **common)
    if name == "acceptance-form":
        return sp.render_acceptance(out, acceptance_doc(db, record_id), **common)
    return sp.render_report(out, report_doc(db, record_id, start, end, as_of), **common)


def _render_request(req: Request) -> int:
    return render(req.db, req.name, req.record_id, req.out, req.common, req.as_of, req.start, req.end)


# the notice is numbered when issued (ZG-2026-0047): that number is its 文书编号, the one the party quotes back
register("rectification-notice", "notice", "ZGTZ", "rectification_notice", _render_request, own_number=True)
register("inspection-log", "project", "XCJL", "inspection", _render_request, period="range")  # --id 0: every project
register("acceptance-form", "acceptance", "YSJL", "acceptance", _render_request)
register("supervision-report", "project", "JDBG", "supervision_problem", _render_request, period="range")
