"""Meeting votes: hand-computed cases for every rule and method, quorum, boundaries, presence."""

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import consent, votes

SPECIAL = consent.default_rule("special")
ORDINARY = consent.default_rule("ordinary")
CONSULT = consent.default_rule("consultative")
D = Decimal


def paper(rule, eligible=12, area=D(1200), **counts):
    base = dict(yes_owners=0, no_owners=0, abstain_owners=0, yes_area=D(0), no_area=D(0), abstain_area=D(0))
    base.update(counts)
    return votes.paper_result(rule, eligible_owners=eligible, eligible_area=area, **base)


# ---------------------------------------------------------------- consultative, show of hands
def test_hands_simple_majority_of_those_present_abstentions_filled_in():
    r = votes.hands_result(CONSULT, expected=30, present=25, yes=13, no=10)
    assert (r.eligible_owners, r.participating_owners, r.abstain_owners) == (30, 25, 2)
    assert r.approval_owner_share == Fraction(13, 25) and r.passed
    assert "简单多数" in r.rule.name_zh


def test_hands_exactly_half_is_not_a_majority():
    r = votes.hands_result(CONSULT, expected=30, present=24, yes=12, no=12)
    assert r.approval_owner_share == Fraction(1, 2) and not r.passed
    assert "未过半数" in r.reasons[0]
    assert votes.hands_result(CONSULT, expected=30, present=24, yes=13, no=11).passed


def test_hands_refused_for_art_278_matters_and_for_more_votes_than_people():
    for rule in (SPECIAL, ORDINARY):
        with pytest.raises(InputError) as err:
            votes.hands_result(rule, expected=30, present=25, yes=20, no=1)
        assert err.value.problems[0].code == "vote.hands_statutory"
        assert "面积" in err.value.describe()
    with pytest.raises(InputError) as err:
        votes.hands_result(CONSULT, expected=30, present=20, yes=15, no=6)
    assert err.value.problems[0].code == "vote.more_than_present" and "21" in err.value.describe()
    with pytest.raises(InputError) as err:
        votes.hands_result(CONSULT, expected=30, present=20, yes=-1, no="三")
    assert {p.field for p in err.value.problems} == {"yes_owners", "no_owners"}


# ---------------------------------------------------------------- Art. 278, paper counts
def test_special_boundaries_two_thirds_turnout_and_three_quarters_yes_pass():
    # 12 owners, 100 m² each. 8 take part (exactly 2/3), 6 yes (exactly 3/4): ≥ includes the boundary.
    r = paper(SPECIAL, yes_owners=6, yes_area=D(600), no_owners=2, no_area=D(200))
    assert r.quorum_met and r.approved and r.passed
    assert r.participation_owner_share == Fraction(2, 3) == r.participation_area_share
    assert r.approval_owner_share == Fraction(3, 4) == r.approval_area_share
    assert len(r.reasons) == 4 and all("达到" in x for x in r.reasons)


def test_special_one_short_of_three_quarters_fails_with_reason():
    r = paper(SPECIAL, yes_owners=5, yes_area=D(500), no_owners=3, no_area=D(300))
    assert r.quorum_met and not r.passed
    assert r.approval_owner_share == Fraction(5, 8)
    assert any("62.5%" in x and "未达到四分之三" in x for x in r.reasons)


def test_quorum_not_reached_fails_whatever_the_yes_share():
    r = paper(ORDINARY, yes_owners=7, yes_area=D(700))  # 7/12 = 58.3% < 2/3, all yes
    assert not r.quorum_met and r.approved and not r.passed
    assert any("58.3%" in x and "未达到三分之二" in x for x in r.reasons)
    summary = r.summary()
    assert "应到业主 12 人" in summary and "未通过" in summary


def test_ordinary_needs_strictly_more_than_half():
    r = paper(ORDINARY, yes_owners=4, yes_area=D(400), no_owners=4, no_area=D(400))
    assert r.quorum_met and not r.passed and any("未过半数" in x for x in r.reasons)
    r = paper(ORDINARY, yes_owners=5, yes_area=D(500), no_owners=3, no_area=D(300))
    assert r.passed


def test_area_and_headcount_must_both_hold():
    # 6 of 8 owners say yes (3/4) but they hold only 500 of 800 m² (62.5%)
    r = paper(SPECIAL, eligible=12, area=D(1200), yes_owners=6, yes_area=D(500), no_owners=2, no_area=D(300))
    assert not r.passed
    assert [x for x in r.reasons if "面积" in x and "62.5%" in x]
    assert not [x for x in r.reasons if "人数占参与表决人数" in x]  # only the failed condition is given as why


def test_paper_counts_are_checked_with_the_field_named():
    with pytest.raises(InputError) as err:
        paper(SPECIAL, yes_owners=3, yes_area=D(0))
    assert err.value.problems[0].field == "yes_area" and "面积" in err.value.describe()
    with pytest.raises(InputError) as err:
        paper(SPECIAL, yes_owners=10, yes_area=D(1000), no_owners=3, no_area=D(100))
    assert err.value.problems[0].code == "vote.more_than_eligible"
    with pytest.raises(InputError) as err:
        paper(SPECIAL, yes_owners=2, yes_area=2.5)  # a float area is never accepted
    assert err.value.problems[0].code == "vote.area_invalid"
    with pytest.raises(InputError) as err:
        paper(SPECIAL, yes_owners=2, yes_area=D(1300))
    assert err.value.problems[0].code == "vote.area_more_than_eligible"


# ---------------------------------------------------------------- named ballots
def test_named_art_278_counts_an_owner_of_two_flats_once_and_a_proxy_like_the_owner():
    units = [consent.Unit(i, f"owner{i}", D(100)) for i in range(1, 10)] + [consent.Unit(10, "owner1", D(50))]
    # owner1 holds flats 1 and 10 (150 m²) and is represented by a proxy: the ballot is theirs
    ballots = [consent.Ballot(1, "yes"), consent.Ballot(10, "yes")] + [consent.Ballot(i, "yes") for i in (2, 3, 4, 5)] \
        + [consent.Ballot(6, "no")]
    r = consent.evaluate(units, ballots, SPECIAL)
    assert (r.eligible_owners, r.participating_owners, r.yes_owners) == (9, 6, 5)
    assert r.eligible_area == D(950) and r.participating_area == D(650) and r.yes_area == D(550)
    assert r.participation_owner_share == Fraction(2, 3) and r.approval_owner_share == Fraction(5, 6)
    assert r.passed


def test_named_consultative_counts_people():
    r = votes.named_consultative_result(CONSULT, expected=10, choices=["yes"] * 6 + ["no"] * 3)
    assert (r.participating_owners, r.yes_owners, r.no_owners) == (9, 6, 3) and r.passed


def test_presence_at_the_moment_of_the_vote():
    signed, left = datetime(2026, 11, 25, 14, 0), datetime(2026, 11, 25, 15, 0)
    assert votes.is_present(signed, None, datetime(2026, 11, 25, 15, 30))
    assert votes.is_present(signed, left, datetime(2026, 11, 25, 14, 30))
    assert votes.presence_problem(signed, left, datetime(2026, 11, 25, 15, 30))[0] == "已于 15:00 离场"
    assert votes.presence_problem(signed, left, left)[0] == "已于 15:00 离场"  # left at the moment: gone
    assert votes.presence_problem(datetime(2026, 11, 25, 15, 40), None, datetime(2026, 11, 25, 15, 30))[0] \
        == "15:40 才签到"
    assert votes.presence_problem(None, None, left)[0] == "未签到"
    with pytest.raises(InputError) as err:
        votes.may_vote("王𠮷", signed, left, datetime(2026, 11, 25, 15, 30))
    assert "王𠮷在表决时不在场（已于 15:00 离场）" in err.value.describe()


def test_figures_show_every_number_and_dash_where_hands_have_no_area():
    r = paper(SPECIAL, yes_owners=6, yes_area=D("600.50"), no_owners=2, no_area=D(200))
    shown = {f.label: f.value for f in votes.figures(r, with_area=True)}
    assert shown["应到"] == "12 人 / 1,200 ㎡" and shown["赞成"] == "6 人 / 600.5 ㎡"
    assert shown["结果"] == "通过" and "民法典第二百七十八条" in shown["适用规则"]
    hands = votes.hands_result(CONSULT, expected=30, present=25, yes=13, no=10)
    shown = {f.label: f.value for f in votes.figures(hands, with_area=False)}
    assert shown["赞成"] == "13 人 / —" and shown["参与率（人数 / 面积）"] == "83.3% / —"
    en = {f.label: f.value for f in votes.figures(hands, with_area=False, lang="en")}
    assert en["Result"] == "passed" and "simple majority" in en["Rule"]
