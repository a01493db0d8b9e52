"""Acceptance (验收): the residents' satisfaction rule in force, the problems still open in a scope, recording
an acceptance (an override of open problems audited on its own) and the records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ... import settings
from ...audit import record_event
from ...db import Database
from ...models import Acceptance, Building, ConstructionParty, Project, SupervisionProblem, Unit
from ...problems import InputError, Problem
from ...rules import acceptance as acc
from ...rules.rectification import State
from ...rules.text import clean_prose, normalize_text
from .. import events
from ._common import RULE_SETTING, TOPIC, _get, _next_no, _not_future, _place


@dataclass
class AcceptanceInput:
    project_id: int
    accepted_on: date
    passed: bool
    parties: dict[str, str]  # district / community / residents / builder -> who attended
    checklist: list[tuple[str, str, str]]
    survey: acc.Survey
    works: str = ""
    party_id: int | None = None
    evaluator: str = ""
    score: str | Decimal | None = None
    conclusion: str = ""
    reasons: str = ""
    override_reason: str = ""


AcceptanceView = acc.Record


def acceptance_rule(db: Database) -> acc.Rule:
    with db.read() as s:
        data = settings.read(s, RULE_SETTING)
    if not data:
        return acc.Rule()
    return acc.Rule(bool(data.get("enabled", True)), Decimal(data.get("min_percent", acc.DEFAULT_MIN_PERCENT)))


def set_acceptance_rule(db: Database, enabled: bool, min_percent: str | Decimal) -> acc.Rule:
    rule = acc.Rule(enabled, acc.parse_percent(min_percent))
    with db.write(note="验收满意率规则") as s:
        settings.write(s, RULE_SETTING, {"enabled": rule.enabled, "min_percent": str(rule.min_percent)})
        record_event(s, "update", "setting", None, note=f"验收规则：{rule.describe()}")
    events.announce(TOPIC, [])
    return rule


def open_in_scope(db: Database, project_id: int, works: str = "") -> list[str]:
    """Labels of the problems of a project (or of one works package) that are not closed."""
    with db.read() as s:
        query = (select(SupervisionProblem, Building.name, Unit.name)
                 .outerjoin(Building, Building.id == SupervisionProblem.building_id)
                 .outerjoin(Unit, Unit.id == SupervisionProblem.unit_id)
                 .where(SupervisionProblem.project_id == project_id, SupervisionProblem.state != State.CLOSED.value)
                 .order_by(SupervisionProblem.id))
        if normalize_text(works):
            query = query.where(SupervisionProblem.works == normalize_text(works))
        return [f"#{p.id} {_place(b, u, p.location)}" for p, b, u in s.execute(query)]


def record_acceptance(db: Database, data: AcceptanceInput, today: date | None = None) -> int:
    """Record an acceptance. Passing is refused while problems in scope are open, unless a written
    override reason is given (then the override is audited on its own), and when the residents'
    satisfaction is below the rule in force (群众不满意不通过验收)."""
    today = today or date.today()
    problems: list[Problem] = []
    _not_future(data.accepted_on, today, "验收日期", "The acceptance date", problems)
    score = None
    if data.score not in (None, ""):
        try:
            score = Decimal(str(data.score).strip())
        except ArithmeticError:
            problems.append(Problem(acc.E_SCORE, {"value": data.score}, field="score", value=str(data.score)))
    rule = acceptance_rule(db)
    open_now = open_in_scope(db, data.project_id, data.works)
    checklist = [(clean_prose(i), r, clean_prose(n)) for i, r, n in data.checklist if clean_prose(i)]
    parties = {k: normalize_text(v) for k, v in data.parties.items()}
    proposal = acc.Proposal(data.passed, parties, checklist, data.survey, data.reasons, open_now,
                            data.override_reason, score)
    problems += acc.check(proposal, rule)
    if problems:
        raise InputError(problems)
    override = clean_prose(data.override_reason) if data.passed and open_now else ""
    with db.write(note="验收") as s:
        _get(s, Project, data.project_id, "项目")
        if data.party_id is not None:
            _get(s, ConstructionParty, data.party_id, "参建单位")
        row = Acceptance(record_no=_next_no(s, Acceptance.record_no, "YS", data.accepted_on), project_id=data.project_id,
                         works=normalize_text(data.works), accepted_on=data.accepted_on,
                         district_rep=parties.get("district", ""), community_rep=parties.get("community", ""),
                         resident_reps=parties.get("residents", ""), builder_rep=parties.get("builder", ""),
                         party_id=data.party_id, checklist=json.dumps(checklist, ensure_ascii=False),
                         survey_satisfied=data.survey.satisfied, survey_basic=data.survey.basic,
                         survey_dissatisfied=data.survey.dissatisfied, survey_unknown=data.survey.unknown,
                         evaluator=normalize_text(data.evaluator), evaluation_score=score,
                         evaluation_conclusion=(data.conclusion or "").strip(), passed=data.passed,
                         reasons=(data.reasons or "").strip(), open_problems=len(open_now), override_reason=override,
                         rule_text=rule.describe())
        s.add(row)
        s.flush()
        if override:
            record_event(s, "override", "acceptance", row.id, row.uuid,
                         note=f"验收时仍有 {len(open_now)} 个问题未关闭，书面理由：{override}",
                         after={"open_problems": open_now})
        new_id = row.id
    events.announce(TOPIC, [new_id])
    return new_id


def acceptances(db: Database, acceptance_ids: list[int] | None = None) -> list[AcceptanceView]:
    with db.read() as s:
        query = (select(Acceptance, Project.name, ConstructionParty.name).join(Project)
                 .outerjoin(ConstructionParty, ConstructionParty.id == Acceptance.party_id)
                 .order_by(Acceptance.accepted_on.desc(), Acceptance.id.desc()))
        if acceptance_ids is not None:
            query = query.where(Acceptance.id.in_(acceptance_ids))
        found = s.execute(query).all()
    return [acc.Record(a.id, a.record_no, a.project_id, project, a.works, a.accepted_on,
                           {"district": a.district_rep, "community": a.community_rep, "residents": a.resident_reps,
                            "builder": a.builder_rep}, party or "", [tuple(x) for x in json.loads(a.checklist)],
                           acc.Survey(a.survey_satisfied, a.survey_basic, a.survey_dissatisfied, a.survey_unknown),
                           a.evaluator, a.evaluation_score, a.evaluation_conclusion, a.passed, a.reasons,
                           a.open_problems, a.override_reason, a.rule_text) for a, project, party in found]
