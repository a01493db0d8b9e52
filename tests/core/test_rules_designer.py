"""Chief street designer status rules and figures, on hand-made cases."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import designer as rules
from renewal_desk.core.rules.designer import OpinionFacts, OpinionStatus as S, Stage as G, Stakeholder as H

TODAY = date(2026, 6, 30)
RAISED = date(2026, 6, 1)


@pytest.mark.parametrize("current,new", [
    (S.RAISED, S.ANSWERED), (S.RAISED, S.ADOPTED), (S.RAISED, S.PARTLY), (S.ANSWERED, S.ADOPTED),
    (S.ANSWERED, S.PARTLY),
])
def test_forward_transitions_are_allowed(current, new):
    rules.check_transition(current, new)


@pytest.mark.parametrize("current,new,words", [
    (S.ANSWERED, S.RAISED, "不能从“已回复”改为“提出”"),  # codes given, the labels said
    (S.RAISED, S.RAISED, "不能从“提出”改为“提出”"),
    (S.ANSWERED, S.ANSWERED, "不能从“已回复”改为“已回复”"),
    (S.ADOPTED, S.NOT_ADOPTED, "结果已定"),
    (S.NOT_ADOPTED, S.ADOPTED, "结果已定"),
    (S.PARTLY, S.ANSWERED, "结果已定"),
])
def test_illegal_transitions_are_refused_with_a_reason(current, new, words):
    with pytest.raises(InputError) as err:
        rules.check_transition(current, new, reason="有理由")
    assert words in err.value.describe()
    assert err.value.problems[0].field == "status"
    assert err.value.describe("en") and not any(code in err.value.describe() for code in (current, new))
    assert "'" + rules.OPINION_STATUS_LABELS[current][1] + "'" in err.value.describe("en")  # English labels


def test_not_adopted_needs_a_reason_other_outcomes_do_not():
    with pytest.raises(InputError) as err:
        rules.check_transition(S.ANSWERED, S.NOT_ADOPTED, reason="  ")
    assert "未采纳须填写理由" in err.value.describe()
    assert err.value.problems[0].field == "reason"
    rules.check_transition(S.ANSWERED, S.NOT_ADOPTED, reason="与规划条件冲突")
    rules.check_transition(S.RAISED, S.PARTLY)


def test_unknown_status_stage_and_stakeholders_are_refused():
    with pytest.raises(InputError, match="状态须为"):
        rules.check_transition(S.RAISED, "同意")
    with pytest.raises(InputError, match="阶段须为"):
        rules.check_stage("验收")
    with pytest.raises(InputError, match="关注方须为"):
        rules.clean_stakeholders([H.RESIDENTS, "开发商"])
    with pytest.raises(InputError, match="至少选择一个关注方"):
        rules.clean_stakeholders([" "])
    # canonical order, once
    assert rules.clean_stakeholders([H.VISITORS, H.MERCHANTS, H.VISITORS]) == (H.MERCHANTS, H.VISITORS)


def test_overdue_boundary():
    due = date(2026, 6, 15)
    assert not rules.is_overdue(S.RAISED, due, date(2026, 6, 15))  # on the day itself: not yet
    assert rules.is_overdue(S.RAISED, due, date(2026, 6, 16))
    assert not rules.is_overdue(S.ANSWERED, due, date(2026, 7, 1))  # answered: never overdue
    assert not rules.is_overdue(S.RAISED, None, date(2030, 1, 1))  # no date asked: never overdue


def _facts(status, first=None, respond_by=None, stage=G.DESIGN, raised=RAISED):
    return OpinionFacts(status, raised, first, respond_by, stage)


def test_adoption_rate_counts_every_answered_opinion():
    """7 opinions: 2 adopted, 1 partly, 1 not adopted, 1 replied (no decision yet), 2 raised.
    answered = 5 (everything but 提出), adopted = 3, rate = 3/5."""
    opinions = [
        _facts(S.ADOPTED, date(2026, 6, 5)),  # 4 days
        _facts(S.ADOPTED, date(2026, 6, 11)),  # 10 days
        _facts(S.PARTLY, date(2026, 6, 3)),  # 2 days
        _facts(S.NOT_ADOPTED, date(2026, 6, 21)),  # 20 days
        _facts(S.ANSWERED, date(2026, 6, 8)),  # 7 days
        _facts(S.RAISED, respond_by=date(2026, 6, 20)),  # overdue on 30 June
        _facts(S.RAISED, respond_by=date(2026, 7, 10)),  # not yet due
    ]
    f = rules.figures(opinions, TODAY)
    assert f.total == 7 and f.answered == 5 and f.adopted == 3
    assert f.adoption_rate == Fraction(3, 5) and rules.rate_text(f.adoption_rate) == "60.0%"
    assert f.average_response_days == Decimal("8.6")  # (4 + 10 + 2 + 20 + 7) / 5 = 8.6
    assert f.overdue == 1
    assert f.by_status == {S.RAISED: 2, S.ANSWERED: 1, S.ADOPTED: 2, S.PARTLY: 1, S.NOT_ADOPTED: 1}


def test_figures_with_nothing_answered_and_rounding():
    f = rules.figures([_facts(S.RAISED), _facts(S.RAISED)], TODAY)
    assert f.answered == 0 and f.adoption_rate is None and f.average_response_days is None
    assert rules.rate_text(f.adoption_rate) == "—"
    empty = rules.figures([], TODAY)
    assert empty.total == 0 and empty.adoption_rate is None
    # 2/3 shown half-up as 66.7%; days 1, 2, 2 -> 1.666… -> 1.7
    f = rules.figures([_facts(S.ADOPTED, date(2026, 6, 2)), _facts(S.PARTLY, date(2026, 6, 3)),
                       _facts(S.NOT_ADOPTED, date(2026, 6, 3), stage=G.CONSTRUCTION)], TODAY)
    assert rules.rate_text(f.adoption_rate) == "66.7%" and f.average_response_days == Decimal("1.7")


def test_by_stage_and_status_has_every_cell():
    table = rules.by_stage_and_status([_facts(S.ADOPTED, stage=G.CONSTRUCTION),
                                       _facts(S.RAISED, stage=G.CONSTRUCTION),
                                       _facts(S.NOT_ADOPTED, stage=G.OPERATION)])
    assert list(table) == [G.DESIGN, G.CONSTRUCTION, G.BUSINESS, G.OPERATION]
    assert table[G.CONSTRUCTION] == {S.RAISED: 1, S.ANSWERED: 0, S.ADOPTED: 1, S.PARTLY: 0, S.NOT_ADOPTED: 0}
    assert sum(table[G.DESIGN].values()) == 0 and table[G.OPERATION][S.NOT_ADOPTED] == 1


def test_allowed_next():
    assert rules.allowed_next(S.RAISED) == (S.ANSWERED, S.ADOPTED, S.PARTLY, S.NOT_ADOPTED)
    assert rules.allowed_next(S.ANSWERED) == (S.ADOPTED, S.PARTLY, S.NOT_ADOPTED)
    assert rules.allowed_next(S.ADOPTED) == ()
