"""Rectification (整改), every step through rules.rectification with one history row: the notice (整改通知单)
and its re-issue after a failed re-check, the builder's reply, the re-check, closing; the notices as listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...db import Database
from ...models import ConstructionParty, ProblemTransition, Project, RectificationNotice, SupervisionProblem
from ...problems import InputError, Problem
from ...rules import rectification as rules
from ...rules.rectification import Action, State, Step
from ...rules.text import normalize_text
from ..attachments import link_file
from .. import events
from ._common import (DEFAULT_OBJECTION_DAYS, DEFAULT_RECHECK, E_DUPLICATE_NO, E_MIXED, E_NO_CONCLUSION, E_NO_PARTY,
                      E_NO_PROBLEMS, E_NOT_FAILED, E_NOT_FOUND, STEP_TABLE, TOPIC, _get, _next_no, _store_photos)


def _last_on(problem: SupervisionProblem) -> date | None:
    return problem.history[-1].on_date if problem.history else problem.found_on


def _step(s: Session, problem: SupervisionProblem, step: Step, today: date, **extra) -> ProblemTransition:
    """Apply one step to a loaded problem: validate, move the state, add the history row."""
    before = problem.state
    after = rules.check_step(before, step, _last_on(problem), today)
    problem.state = after.value
    row = ProblemTransition(action=step.action.value, from_state=before, to_state=after.value, on_date=step.on,
                            by=normalize_text(step.by), text=(step.text or "").strip(), deadline=step.deadline, **extra)
    problem.history.append(row)
    s.flush()
    return row


@dataclass
class NoticeInput:
    problem_ids: list[int]
    issued_on: date
    deadline: date
    measures: dict[int, str] = field(default_factory=dict)  # problem id -> measures; empty: the problem's own
    recheck_method: str = DEFAULT_RECHECK
    objection_days: int = DEFAULT_OBJECTION_DAYS
    issued_by: str = ""
    notice_no: str | None = None


def issue_notice(db: Database, data: NoticeInput, today: date | None = None) -> int:
    """整改通知单 for problems of one party: each goes 待发通知 (or 复查未通过) → 已发通知 with the
    notice's deadline. All problems are checked first; any refusal writes nothing."""
    today = today or date.today()
    ids = list(dict.fromkeys(data.problem_ids))
    if not ids:
        raise InputError(Problem(E_NO_PROBLEMS, field="problems"))
    with db.write(note="发出整改通知") as s:
        notice_id = _issue(db, s, ids, data, today)
    events.announce(TOPIC, ids)
    return notice_id


def reissue_notice(db: Database, problem_id: int, issued_on: date, deadline: date, measures: str = "",
                   issued_by: str = "", today: date | None = None) -> int:
    """After a failed re-check (复查未通过): a new notice for the problem with a new deadline
    (重新下发整改通知), in the problem's 处理经过. The re-check method and objection days follow the
    previous notice; measures default to the problem's own."""
    today = today or date.today()
    with db.write(note="重新下发整改通知") as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        if problem.state != rules.State.FAILED.value:
            raise InputError(Problem(E_NOT_FAILED, {"id": problem_id, "state": rules.state_label(problem.state),
                                                     "state_en": rules.state_label(problem.state, "en")},
                                     field="state"))
        previous = s.get(RectificationNotice, problem.notice_id) if problem.notice_id else None
        data = NoticeInput([problem_id], issued_on, deadline, {problem_id: measures} if measures.strip() else {},
                           previous.recheck_method if previous else DEFAULT_RECHECK,
                           previous.objection_days if previous else DEFAULT_OBJECTION_DAYS, issued_by)
        notice_id = _issue(db, s, [problem_id], data, today)
    events.announce(TOPIC, [problem_id])
    return notice_id


def _issue(db: Database, s: Session, ids: list[int], data: NoticeInput, today: date) -> int:
    """The notice and each problem's step, in the caller's transaction; any refusal raises (nothing kept)."""
    by = normalize_text(data.issued_by)
    found = s.scalars(select(SupervisionProblem).where(SupervisionProblem.id.in_(ids))
                      .options(selectinload(SupervisionProblem.history))).all()
    by_id = {p.id: p for p in found}
    missing = [pid for pid in ids if pid not in by_id]
    if missing:
        raise InputError(Problem(E_NOT_FOUND, {"kind": "问题", "id": missing[0]}))
    problems = [by_id[pid] for pid in ids]
    for p in problems:
        if p.party_id is None:
            raise InputError(Problem(E_NO_PARTY, {"id": p.id}, field="party"))
    if len({(p.project_id, p.party_id) for p in problems}) > 1:
        raise InputError(Problem(E_MIXED, field="problems"))
    notice_no = normalize_text(data.notice_no or "") or _next_no(s, RectificationNotice.notice_no, "ZG",
                                                                    data.issued_on)
    if s.scalar(select(RectificationNotice.id).where(RectificationNotice.notice_no == notice_no)):
        raise InputError(Problem(E_DUPLICATE_NO, {"no": notice_no}, field="notice_no"))
    notice = RectificationNotice(notice_no=notice_no, project_id=problems[0].project_id,
                                 party_id=problems[0].party_id, issued_on=data.issued_on, deadline=data.deadline,
                                 recheck_method=(data.recheck_method or DEFAULT_RECHECK).strip(),
                                 objection_days=max(0, int(data.objection_days)), issued_by=by or db.operator)
    s.add(notice)
    s.flush()
    errors: list[Problem] = []
    for p in problems:
        measures = (data.measures.get(p.id) or p.measures or "").strip()
        try:
            _step(s, p, Step(Action.ISSUE, data.issued_on, by or db.operator, measures, data.deadline), today,
                  notice_id=notice.id)
        except InputError as exc:
            errors.extend(Problem(e.code, e.params, field=e.field, value=f"#{p.id}") for e in exc.problems)
            continue
        p.measures, p.notice_id, p.deadline = measures, notice.id, data.deadline
    if errors:
        raise InputError(errors)
    return notice.id


def record_reply(db: Database, problem_id: int, on: date, reply: str, by: str = "", photos=(),
                 today: date | None = None) -> int:
    """The builder's reply (整改回复), with photos of the work done: 已发通知 → 已回复."""
    today = today or date.today()
    stored = _store_photos(db, photos)
    with db.write(note="整改回复") as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        step = _step(s, problem, Step(Action.REPLY, on, by or db.operator, reply), today, notice_id=problem.notice_id)
        problem.replied_on = on
        for photo in stored:
            link_file(s, STEP_TABLE, step.id, photo, "整改回复")
        step_id = step.id
    events.announce(TOPIC, [problem_id])
    return step_id


def recheck(db: Database, problem_id: int, on: date, passed: bool | None, by: str, note: str = "",
            today: date | None = None) -> int:
    """The supervisors' re-check: 已回复 → 复查通过, or → 复查未通过 (then a new notice is due:
    reissue_notice). The conclusion has no default: None (not chosen) is refused."""
    today = today or date.today()
    if passed is None:
        raise InputError(Problem(E_NO_CONCLUSION, field="conclusion"))
    action = Action.RECHECK_PASS if passed else Action.RECHECK_FAIL
    with db.write(note=rules.ACTION_LABELS[action][0]) as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        step = _step(s, problem, Step(action, on, by, note), today, notice_id=problem.notice_id)
        if not passed:
            problem.recheck_failures += 1
        step_id = step.id
    events.announce(TOPIC, [problem_id])
    return step_id


def close_problem(db: Database, problem_id: int, on: date, by: str = "", note: str = "",
                  today: date | None = None) -> int:
    """复查通过 → 已关闭."""
    today = today or date.today()
    with db.write(note="关闭监督问题") as s:
        problem = _get(s, SupervisionProblem, problem_id, "问题")
        step = _step(s, problem, Step(Action.CLOSE, on, by or db.operator, note), today, notice_id=problem.notice_id)
        problem.closed_on = on
        step_id = step.id
    events.announce(TOPIC, [problem_id])
    return step_id


# ---------------------------------------------------------------------------------------------
# Notices
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoticeRow:
    id: int
    notice_no: str
    project_id: int
    project: str
    party_id: int
    party: str
    issued_on: date
    deadline: date
    problems: int
    open_problems: int  # still owed by the builder under this notice (已发通知 / 复查未通过)
    overdue: int
    issued_by: str
    recheck_method: str
    objection_days: int


def notices(db: Database, as_of: date | None = None, notice_ids: list[int] | None = None) -> list[NoticeRow]:
    as_of = as_of or date.today()
    with db.read() as s:
        query = (select(RectificationNotice, Project.name, ConstructionParty.name).join(Project)
                 .join(ConstructionParty).order_by(RectificationNotice.issued_on.desc(), RectificationNotice.id.desc()))
        if notice_ids is not None:
            query = query.where(RectificationNotice.id.in_(notice_ids))
        found = s.execute(query).all()
        steps = s.execute(select(ProblemTransition.notice_id, ProblemTransition.problem_id).where(
            ProblemTransition.action == Action.ISSUE.value,
            ProblemTransition.notice_id.in_([n.id for n, *_ in found]))).all()
        current = dict(s.execute(select(SupervisionProblem.id, SupervisionProblem.notice_id)).all()) if steps else {}
        states = dict(s.execute(select(SupervisionProblem.id, SupervisionProblem.state)).all()) if steps else {}
    listed: dict[int, list[int]] = {}
    for notice_id, problem_id in steps:
        listed.setdefault(notice_id, []).append(problem_id)
    out = []
    for n, project, party in found:
        mine = listed.get(n.id, [])
        owed = [pid for pid in mine if current.get(pid) == n.id and State(states[pid]) in rules.CLOCK_RUNNING]
        late = sum(1 for pid in owed if rules.is_overdue(states[pid], n.deadline, as_of))
        out.append(NoticeRow(n.id, n.notice_no, n.project_id, project, n.party_id, party, n.issued_on, n.deadline,
                             len(mine), len(owed), late, n.issued_by, n.recheck_method, n.objection_days))
    return out


def notice_problem_ids(db: Database, notice_id: int) -> list[int]:
    """The problems a notice listed (in the order they were issued)."""
    with db.read() as s:
        _get(s, RectificationNotice, notice_id, "整改通知单")
        return list(s.scalars(select(ProblemTransition.problem_id).where(
            ProblemTransition.notice_id == notice_id, ProblemTransition.action == Action.ISSUE.value)
            .order_by(ProblemTransition.id)))


def notice_measures(db: Database, notice_id: int) -> dict[int, str]:
    """Per problem, the measures as the notice gave them (the history row of the issue step)."""
    with db.read() as s:
        return dict(s.execute(select(ProblemTransition.problem_id, ProblemTransition.text).where(
            ProblemTransition.notice_id == notice_id, ProblemTransition.action == Action.ISSUE.value)).all())
