"""The rectification workflow as pure rules: every allowed and refused step, the re-check loop,
and overdue across dates for every state."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import acceptance as acc
from renewal_desk.core.rules import rectification as r
from renewal_desk.core.rules.rectification import Action, State, Step

ALLOWED = {
    (State.PENDING, Action.ISSUE): State.NOTIFIED,
    (State.NOTIFIED, Action.REPLY): State.REPLIED,
    (State.REPLIED, Action.RECHECK_PASS): State.PASSED,
    (State.REPLIED, Action.RECHECK_FAIL): State.FAILED,
    (State.FAILED, Action.ISSUE): State.NOTIFIED,
    (State.PASSED, Action.CLOSE): State.CLOSED,
}
STEPS = [a for a in Action if a is not Action.FOUND]


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", STEPS)
def test_every_state_and_step_is_allowed_or_refused_with_a_chinese_reason(state, action):
    if (state, action) in ALLOWED:
        assert r.next_state(state, action) is ALLOWED[(state, action)]
        return
    with pytest.raises(InputError) as err:
        r.next_state(state, action)
    problem = err.value.problems[0]
    assert problem.code == "rectification.illegal"
    text = problem.message("zh")
    assert f"“{r.STATE_LABELS[state][0]}”" in text and r.ACTION_LABELS[action][0] in text and "：" in text
    assert "cannot" in problem.message("en")


def test_specific_refusals_say_why():
    with pytest.raises(InputError) as err:
        r.next_state(State.PENDING, Action.REPLY)
    assert "尚未发出整改通知" in err.value.describe()
    with pytest.raises(InputError) as err:
        r.next_state(State.FAILED, Action.CLOSE)
    assert "须重新发出整改通知并确定新的整改期限" in err.value.describe()
    with pytest.raises(InputError) as err:
        r.next_state(State.CLOSED, Action.ISSUE)
    assert "问题已关闭" in err.value.describe()
    with pytest.raises(InputError):
        r.next_state("处理中", Action.ISSUE)


def test_recheck_failure_loops_until_it_passes():
    state = State.PENDING
    day = date(2026, 3, 1)
    last = day
    for loop in range(3):  # fail twice, pass the third time
        state = r.check_step(state, Step(Action.ISSUE, day, "街道", "整改", day + timedelta(days=7)), last, date(2027, 1, 1))
        last = day
        day += timedelta(days=5)
        state = r.check_step(state, Step(Action.REPLY, day, "施工方", "已整改"), last, date(2027, 1, 1))
        last = day
        day += timedelta(days=2)
        passed = loop == 2
        action = Action.RECHECK_PASS if passed else Action.RECHECK_FAIL
        state = r.check_step(state, Step(action, day, "王监督", "" if passed else "仍有渗水"), last, date(2027, 1, 1))
        last = day
        assert state is (State.PASSED if passed else State.FAILED)
    assert r.check_step(state, Step(Action.CLOSE, day, "街道"), last, date(2027, 1, 1)) is State.CLOSED


def test_step_checks_dates_deadline_and_text_all_at_once():
    today = date(2026, 5, 10)
    with pytest.raises(InputError) as err:
        r.check_step(State.PENDING, Step(Action.ISSUE, date(2026, 5, 11), "街道", "", None), date(2026, 5, 12), today)
    codes = {p.code for p in err.value.problems}
    assert codes == {"rectification.future", "rectification.before_last", "rectification.deadline_missing",
                     "rectification.text_required"}
    with pytest.raises(InputError) as err:
        r.check_step(State.PENDING, Step(Action.ISSUE, today, "街道", "返工", today), None, today)
    assert [p.code for p in err.value.problems] == ["rectification.deadline_early"]
    with pytest.raises(InputError) as err:
        r.check_step(State.REPLIED, Step(Action.RECHECK_PASS, today, ""), None, today)
    assert "复查人" in err.value.describe()
    with pytest.raises(InputError) as err:
        r.check_step(State.REPLIED, Step(Action.RECHECK_FAIL, today, "李监督", " "), None, today)
    assert "复查未通过的原因" in err.value.describe()
    # same day as the previous step is fine
    assert r.check_step(State.NOTIFIED, Step(Action.REPLY, today, "施工方", "已修复"), today, today) is State.REPLIED


DEADLINE = date(2026, 6, 30)


@pytest.mark.parametrize("state,overdue_after_deadline", [
    (State.PENDING, False), (State.NOTIFIED, True), (State.REPLIED, False), (State.PASSED, False),
    (State.FAILED, True), (State.CLOSED, False)])
def test_overdue_across_dates_per_state(state, overdue_after_deadline):
    for as_of, days in ((DEADLINE - timedelta(days=10), 0), (DEADLINE, 0), (DEADLINE + timedelta(days=1), 1),
                        (DEADLINE + timedelta(days=40), 40)):
        expected = overdue_after_deadline and days > 0
        assert r.is_overdue(state, DEADLINE, as_of) is expected, (state, as_of)
        assert r.days_overdue(state, DEADLINE, as_of) == (days if expected else 0)
    assert not r.is_overdue(state, None, date(2030, 1, 1))


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
       st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), st.sampled_from(list(State)))
def test_overdue_only_past_the_deadline_and_only_while_the_builder_owes(deadline, as_of, state):
    overdue = r.is_overdue(state, deadline, as_of)
    assert overdue == (as_of > deadline and state in (State.NOTIFIED, State.FAILED))
    assert r.days_overdue(state, deadline, as_of) == ((as_of - deadline).days if overdue else 0)


def test_allowed_actions_and_days_to_close():
    assert r.allowed_actions(State.REPLIED) == [Action.RECHECK_PASS, Action.RECHECK_FAIL]
    assert r.allowed_actions(State.CLOSED) == []
    assert r.days_to_close(date(2026, 1, 1), date(2026, 1, 31)) == 30
    assert r.days_to_close(date(2026, 1, 1), None) is None


# --- acceptance --------------------------------------------------------------------------------------
PARTIES = {"district": "区住建局 周某", "community": "幸福里社区 吴某", "residents": "居民代表 3 人", "builder": "项目经理 郑某"}
CHECKS = [("工程质量", "合格", ""), ("竣工资料", "合格", "")]


def _proposal(**over):
    data = dict(passed=True, parties=dict(PARTIES), checklist=list(CHECKS), survey=acc.Survey(80, 10, 8, 2))
    data.update(over)
    return acc.Proposal(**data)


def test_acceptance_passes_with_four_parties_satisfied_residents_and_nothing_open():
    assert acc.check(_proposal(), acc.Rule()) == []
    assert acc.Survey(80, 10, 8, 2).share == Fraction(9, 10)


def test_residents_dissatisfied_no_acceptance_unless_the_city_turns_the_rule_off():
    survey = acc.Survey(50, 20, 25, 5)  # 70%
    problems = acc.check(_proposal(survey=survey), acc.Rule())
    assert [p.code for p in problems] == ["acceptance.dissatisfied"]
    assert "70%" in problems[0].message() and "80%" in problems[0].message()
    assert acc.check(_proposal(survey=survey), acc.Rule(min_percent=acc.parse_percent("70"))) == []
    assert acc.check(_proposal(survey=survey), acc.Rule(enabled=False)) == []
    assert [p.code for p in acc.check(_proposal(survey=acc.Survey()), acc.Rule())] == ["acceptance.no_survey"]
    with pytest.raises(InputError):
        acc.parse_percent("120")


def test_open_problems_need_a_written_reason_and_failed_checks_and_absent_parties_refuse():
    problems = acc.check(_proposal(open_problems=["#3 1号楼", "#4 2号楼"]), acc.Rule())
    assert [p.code for p in problems] == ["acceptance.open_problems"] and "2 个问题" in problems[0].message()
    assert acc.check(_proposal(open_problems=["#3"], override_reason="剩余问题为居民自家窗户，不属本工程"),
                     acc.Rule()) == []
    problems = acc.check(_proposal(parties={"district": "x"}, checklist=[("工程质量", "不合格", "")]), acc.Rule())
    assert {p.code for p in problems} == {"acceptance.party_missing", "acceptance.check_failed"}
    assert any("居民代表" in p.message() for p in problems)
    # a refusal needs reasons, and nothing else
    assert [p.code for p in acc.check(_proposal(passed=False, open_problems=["#3"]), acc.Rule())] == ["acceptance.reasons"]
    assert acc.check(_proposal(passed=False, reasons="满意率不足"), acc.Rule()) == []
