"""The demand-ordering printouts' data (居民点单表, 点单结果公示, 未反馈住户走访清单), read through the ordering services."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..models import TIER_LABELS
from ..printing.registry import Request, register
from ..rules.text import code_label
from ..settings import office_profile
from . import ordering
from .roster_docs import building_roster_data


def _forms(req: Request) -> int:
    """One form per household of a building, for the building's latest round (or --round)."""
    from ..printing import ordering as op

    db = req.db
    round_id = req.round_id if req.round_id is not None else ordering.latest_round_of_building(db, req.record_id)
    view = ordering.round_view(db, round_id)
    menu = [op.MenuLine(m.name, code_label(TIER_LABELS, m.tier), m.mandatory, m.consent_scope) for m in ordering.menu(db, view.project_id)]
    roster = building_roster_data(db, req.record_id)
    homes = [op.FormHousehold(roster.building, h.unit, h.room, h.head_name) for h in roster.households]
    return op.render_ordering_forms(req.out, op.FormsDoc(view.project, view.title, view.closes_on, menu, homes),
                                    **req.common)


def _followup(req: Request) -> int:
    from ..printing import ordering as op

    view = ordering.round_view(req.db, req.record_id)
    lines = [op.FollowupLine(m.building, m.unit, m.room, m.head_name, m.phone)
             for m in ordering.non_respondents(req.db, req.record_id)]
    return op.render_followup(req.out, op.FollowupDoc(view.project, view.title, lines), **req.common)


def _notice(req: Request) -> int:
    from ..printing import ordering as op

    db, record_id = req.db, req.record_id
    view = ordering.round_view(db, record_id)
    tally = ordering.tallies(db, record_id)
    tallies = [op.TallyLine(code_label(TIER_LABELS, t.item.tier), t.rank_in_tier, t.item.name, t.households, t.share_all,
                            t.share_answered, t.share_area) for t in tally.items]
    consents = []
    for line in ordering.consent_results(db, record_id):
        r = line.result
        if r is None:  # could not be counted (e.g. one owner's units voted differently): shown, not dropped
            zero, none = Decimal(0), Fraction(0)
            consents.append(op.ConsentLineDoc(line.scope_label, line.item.name, 0, zero, 0, zero, none, none, 0, 0, 0,
                                              zero, zero, zero, "", False, line.problem))
            continue
        consents.append(op.ConsentLineDoc(
            line.scope_label, line.item.name, r.eligible_owners, r.eligible_area, r.participating_owners,
            r.participating_area, r.participation_owner_share, r.participation_area_share, r.yes_owners,
            r.no_owners, r.abstain_owners, r.yes_area, r.no_area, r.abstain_area, r.rule.name_zh, r.passed,
            "；".join(r.reasons)))
    start, end = ordering.notice_period(view)
    return op.render_ordering_notice(req.out, op.NoticeDoc(
        view.project, view.title, tally.eligible, tally.answered, tally.eligible_area, tally.answered_area, start,
        end, "社区居委会办公室", tallies, consents,
        office_profile(db).seal or ordering.project_org(db, view.project_id)), **req.common)


register("ordering-form", "building", "DDB", "building", _forms)  # the building's latest round, or --round
register("ordering-notice", "round", "DDGS", "ordering_round", _notice)
register("ordering-followup", "round", "DDZF", "ordering_round", _followup)
