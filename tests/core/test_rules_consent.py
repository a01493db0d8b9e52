"""Owners' consent under 民法典 第二百七十八条: quorum, approval, counting persons, per-city rules.

Every number below is computed by hand in the comments; shares are exact Fractions."""

import re
from decimal import Decimal
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

from renewal_desk.core.problems import MESSAGES, InputError
from renewal_desk.core.rules.consent import (
    Ballot, Matter, Rule, Unit, default_rule, evaluate, fraction_zh, percent,
)

D = Decimal
SPECIAL, ORDINARY, CONSULTATIVE = (default_rule(m) for m in Matter)


def flats(*areas, owners=None):
    """Units 1..n, each with its own owner unless owners (a string, one letter per unit) says otherwise."""
    return [Unit(i, owners[i - 1] if owners else f"owner-{i}", D(a)) for i, a in enumerate(areas, 1)]


def votes(**by_unit):
    """votes(u1="yes", u3="no") -> ballots for units 1 and 3."""
    return [Ballot(int(k[1:]), v) for k, v in by_unit.items()]


def codes(exc):
    return [p.code for p in exc.value.problems]


# ---------------------------------------------------------------------------------- rules
def test_default_rules_are_the_law():
    assert (SPECIAL.quorum, SPECIAL.approval, SPECIAL.approval_strict) == (F(2, 3), F(3, 4), False)
    assert (ORDINARY.quorum, ORDINARY.approval, ORDINARY.approval_strict) == (F(2, 3), F(1, 2), True)
    assert (CONSULTATIVE.quorum, CONSULTATIVE.approval, CONSULTATIVE.approval_strict) == (F(0), F(1, 2), True)
    assert SPECIAL.name_zh == ("民法典第二百七十八条：专有部分面积和人数均占比三分之二以上的业主参与表决，"
                               "经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意")
    assert "过半数" in ORDINARY.name_zh and "Art. 278" in ORDINARY.name_en
    assert "协商表决" in CONSULTATIVE.name_zh and "不属于" in CONSULTATIVE.name_zh and "简单多数" in CONSULTATIVE.name_zh
    assert "Consultative vote" in CONSULTATIVE.name_en and "not an owners' joint decision" in CONSULTATIVE.name_en
    assert Rule(Matter.SPECIAL) == SPECIAL and default_rule("ordinary") == ORDINARY
    assert Rule(Matter.ORDINARY, approval=F(1, 2)) == ORDINARY  # the legal value keeps the legal strictness
    assert SPECIAL.statutory and not CONSULTATIVE.statutory


def test_city_override_stricter_is_accepted():
    r = Rule(Matter.SPECIAL, quorum=F(3, 4), approval=F(4, 5))
    assert (r.quorum, r.approval, r.approval_strict) == (F(3, 4), F(4, 5), False)
    assert r.name_zh.startswith("本地规则（严于民法典第二百七十八条）") and "五分之四以上" in r.name_zh
    # "> 3/4" is stricter than "≥ 3/4"; "≥ 2/3" stricter than "> 1/2"; settings stored as text work too
    assert Rule(Matter.SPECIAL, approval_strict=True).approval_strict is True
    assert Rule(Matter.ORDINARY, approval=F(2, 3)).approval_strict is False
    assert Rule("ordinary", quorum="0.7", approval="3/5").quorum == F(7, 10)
    assert Rule(Matter.SPECIAL, quorum=1, approval=1).approval == 1  # unanimity: legal, if harsh


@pytest.mark.parametrize("kw, code", [
    (dict(matter=Matter.SPECIAL, approval=F(2, 3)), "consent.rule_approval_weaker"),
    (dict(matter=Matter.SPECIAL, quorum=F(1, 2)), "consent.rule_quorum_weaker"),
    (dict(matter=Matter.ORDINARY, quorum=F(13, 20)), "consent.rule_quorum_weaker"),  # 65% < 2/3
    # "二分之一以上" (≥ 1/2) lets exactly half pass: weaker than "过半数"
    (dict(matter=Matter.ORDINARY, approval=F(1, 2), approval_strict=False), "consent.rule_approval_weaker"),
    (dict(matter=Matter.ORDINARY, approval=F(2, 5)), "consent.rule_approval_weaker"),
    (dict(matter=Matter.SPECIAL, approval=0.75), "consent.rule_approval_invalid"),  # float: never
    (dict(matter=Matter.SPECIAL, quorum=F(4, 3)), "consent.rule_quorum_invalid"),
    (dict(matter=Matter.SPECIAL, approval=1, approval_strict=True), "consent.rule_impossible"),
    (dict(matter="elevator"), "consent.rule_matter_unknown"),
])
def test_city_override_weaker_or_invalid_is_refused(kw, code):
    with pytest.raises(InputError) as exc:
        Rule(**kw)
    assert code in codes(exc)
    assert exc.value.describe("en") != exc.value.describe("zh")


def test_weaker_refusal_explains_the_law():
    with pytest.raises(InputError) as exc:
        Rule(Matter.SPECIAL, quorum=F(1, 2), approval=F(2, 3))
    assert codes(exc) == ["consent.rule_quorum_weaker", "consent.rule_approval_weaker"]  # both at once
    zh, en = exc.value.describe("zh"), exc.value.describe("en")
    assert "二分之一以上" in zh and "三分之二以上" in zh and "第二百七十八条" in zh and "只能更严格" in zh
    assert "四分之三以上" in zh
    assert "at least two thirds" in en and "Art. 278" in en and "at least three quarters" in en


def test_consultative_rule_is_free():
    r = Rule(Matter.CONSULTATIVE, approval=F(1, 3))
    assert r.approval == F(1, 3) and "三分之一以上" in r.name_zh
    assert "须占应到人数三分之一以上" in Rule(Matter.CONSULTATIVE, quorum=F(1, 3)).name_zh


# -------------------------------------------------------------------------------- quorum
def test_exactly_two_thirds_participation_meets_quorum():
    # 6 owners, areas 50+50+100+100+150+150 = 600 m². Units 1, 3, 4, 5 vote:
    # headcount 4/6 = 2/3; area 50+100+100+150 = 400, 400/600 = 2/3. "三分之二以上" includes 2/3.
    units = flats("50", "50", "100", "100", "150", "150")
    r = evaluate(units, votes(u1="yes", u3="yes", u4="yes", u5="yes"), SPECIAL)
    assert r.participation_owner_share == F(2, 3) and r.participation_area_share == F(2, 3)
    assert r.quorum_met and r.approved and r.passed
    assert (r.eligible_owners, r.eligible_area, r.participating_owners, r.participating_area) == (6, D(600), 4, D(400))


def test_one_owner_short_of_two_thirds_headcount_fails_though_area_is_above():
    # 12 owners: units 1-7 of 120.00 m² (840.00), units 8-12 of 60.00 (300.00); 1,140.00 m² in all.
    # Units 1-7 vote yes: headcount 7/12 = 58.3% < 2/3; area 840/1140 = 73.7% ≥ 2/3.
    units = flats(*["120.00"] * 7, *["60.00"] * 5)
    r = evaluate(units, votes(**{f"u{i}": "yes" for i in range(1, 8)}), SPECIAL)
    assert r.participation_owner_share == F(7, 12) and r.participation_area_share == F(840, 1140)
    assert not r.quorum_met and r.approved and not r.passed
    assert r.reasons == ["参与表决的业主人数占 58.3%（7/12 人），未达到三分之二"]
    assert r.reasons_en == ["participating owners are 58.3% of the owners (7/12), short of two thirds"]
    # one more owner (unit 8): 8/12 = 2/3, area 900/1140 = 78.9%: met
    r = evaluate(units, votes(**{f"u{i}": "yes" for i in range(1, 9)}), SPECIAL)
    assert r.quorum_met and r.passed


def test_area_short_of_two_thirds_names_the_area():
    # 4 owners: 40 + 40 + 40 + 140 = 260 m²; the three small ones vote: 3/4 of owners, 120/260 = 46.2% of area
    r = evaluate(flats("40", "40", "40", "140"), votes(u1="yes", u2="yes", u3="yes"), SPECIAL)
    assert not r.quorum_met and not r.passed
    assert r.reasons == ["参与表决的专有部分面积占 46.2%（120/260 ㎡），未达到三分之二"]


# ------------------------------------------------------------------------------ approval
def test_exactly_three_quarters_in_both_passes():
    # 8 owners of 100.00 m² all vote: 6 yes, 2 no. Headcount 6/8 = 3/4; area 600/800 = 3/4: "以上" includes it.
    r = evaluate(flats(*["100.00"] * 8), votes(u1="yes", u2="yes", u3="yes", u4="yes", u5="yes", u6="yes",
                                                  u7="no", u8="no"), SPECIAL)
    assert r.approval_owner_share == F(3, 4) and r.approval_area_share == F(3, 4)
    assert r.quorum_met and r.approved and r.passed
    assert len(r.reasons) == 4 and all("达到" in s and "未达到" not in s for s in r.reasons)  # why it passed


def test_three_quarters_by_headcount_but_not_by_area_fails():
    # 6 owners. Units 1-3 vote yes: 75.00 + 75.00 + 74.97 = 224.97 m²; unit 4 votes no: 75.03; units 5, 6
    # (60.00 each) do not vote. Quorum: 4/6 = 2/3, area 300.00/420.00 = 71.4%: met.
    # Approval: headcount 3/4 = 75%, met; area 224.97/300.00 = 0.7499 < 3/4: not passed.
    units = flats("75.00", "75.00", "74.97", "75.03", "60.00", "60.00")
    r = evaluate(units, votes(u1="yes", u2="yes", u3="yes", u4="no"), SPECIAL)
    assert r.approval_owner_share == F(3, 4) and r.approval_area_share == F(7499, 10000)
    assert r.quorum_met and not r.approved and not r.passed
    # 74.99%, not "75.0%", so that the reason does not contradict itself
    assert r.reasons == ["赞成的专有部分面积占参与表决面积的 74.99%（224.97/300.00 ㎡），未达到四分之三"]


def test_ordinary_matter_exactly_half_is_not_passed():
    # 4 owners of 80.00 m², all vote: 2 yes, 2 no: 1/2 by headcount and by area; "过半数" means more than half
    r = evaluate(flats(*["80.00"] * 4), votes(u1="yes", u2="yes", u3="no", u4="no"), ORDINARY)
    assert r.approval_owner_share == F(1, 2) == r.approval_area_share
    assert r.quorum_met and not r.approved and not r.passed
    assert r.reasons == ["赞成的业主人数占参与表决人数的 50.0%（2/4 人），未过半数",
                         "赞成的专有部分面积占参与表决面积的 50.0%（160.00/320.00 ㎡），未过半数"]


def test_ordinary_matter_half_plus_one_owner_passes():
    # 8 owners of 80.00 m², all vote. 4 yes = 1/2: not passed; 5 yes = 5/8 = 62.5% and 400/640: passed
    units = flats(*["80.00"] * 8)
    four = {f"u{i}": "yes" if i <= 4 else "no" for i in range(1, 9)}
    five = {f"u{i}": "yes" if i <= 5 else "no" for i in range(1, 9)}
    assert not evaluate(units, votes(**four), ORDINARY).passed
    r = evaluate(units, votes(**five), ORDINARY)
    assert r.approval_owner_share == F(5, 8) and r.approval_area_share == F(5, 8) and r.passed
    assert "赞成的业主人数占参与表决人数的 62.5%（5/8 人），过半数" in r.reasons


def test_ordinary_matter_headcount_half_area_above_still_fails():
    # 4 owners, all vote. Yes: units 1, 2 (100 + 100 = 200 of 300 m² = 66.7%); no: units 3, 4 (50 + 50).
    # Headcount exactly 2/4 = 1/2: not more than half, so not passed although the area is.
    r = evaluate(flats("100", "100", "50", "50"), votes(u1="yes", u2="yes", u3="no", u4="no"), ORDINARY)
    assert not r.passed and r.reasons == ["赞成的业主人数占参与表决人数的 50.0%（2/4 人），未过半数"]


def test_abstentions_participate_but_are_not_yes():
    # 5 owners of 100 m², all vote: 2 yes, 1 no, 2 abstain. Participation 5/5. Yes 2/5 = 40% (were the
    # abstentions left out it would be 2/3): an ordinary matter is not passed.
    r = evaluate(flats(*["100"] * 5), votes(u1="yes", u2="yes", u3="no", u4="abstain", u5="abstain"), ORDINARY)
    assert (r.participating_owners, r.yes_owners, r.no_owners, r.abstain_owners) == (5, 2, 1, 2)
    assert (r.participating_area, r.yes_area, r.no_area, r.abstain_area) == (D(500), D(200), D(100), D(200))
    assert r.participation_owner_share == 1 and r.approval_owner_share == F(2, 5) and not r.passed
    # 3 yes + 1 abstain of 4 owners: 3/4 both ways: a special matter passes
    r = evaluate(flats(*["100"] * 4), votes(u1="yes", u2="yes", u3="yes", u4="abstain"), SPECIAL)
    assert r.passed and r.abstain_owners == 1


# ------------------------------------------------------------------------------ persons
def test_one_owner_of_three_units_counts_once_with_full_area():
    # Owner A has units 1-3 (60.00 m² each); B, C, D have units 4, 5, 6 (60.00 each): 6 units, 4 owners,
    # 360.00 m². A (all three units) and B vote yes: headcount 2/4 = 1/2 < 2/3 (counting units it would
    # be 4/6 = 2/3); area 240/360 = 2/3. Quorum not met.
    units = flats(*["60.00"] * 6, owners="AAABCD")
    r = evaluate(units, votes(u1="yes", u2="yes", u3="yes", u4="yes"), SPECIAL)
    assert (r.eligible_units, r.eligible_owners, r.eligible_area) == (6, 4, D("360.00"))
    assert (r.participating_units, r.participating_owners, r.participating_area) == (4, 2, D("240.00"))
    assert (r.yes_owners, r.yes_area) == (2, D("240.00"))
    assert not r.quorum_met and r.reasons == ["参与表决的业主人数占 50.0%（2/4 人），未达到三分之二"]
    # A's ballot on one unit is A's vote for all three: A, C, D yes: 3/4 owners, 300/360 = 83.3% of area
    r = evaluate(units, votes(u1="yes", u5="yes", u6="yes"), SPECIAL)
    assert (r.participating_units, r.participating_owners, r.participating_area) == (5, 3, D("300.00"))
    assert r.yes_area == D("300.00") and r.passed


def test_one_owner_voting_differently_on_two_units_is_refused():
    key = "110105199001011234"  # an owner key may be an ID number: it must not show in the message
    units = [Unit(1, key, D("60")), Unit(2, key, D("70")), Unit(3, "other", D("80"))]
    with pytest.raises(InputError) as exc:
        evaluate(units, votes(u1="yes", u2="no", u3="yes"), SPECIAL)
    assert codes(exc) == ["consent.owner_inconsistent"]
    zh, en = exc.value.describe("zh"), exc.value.describe("en")
    assert "同一业主的多个专有部分表决意见不一致" in zh and "1 赞成、2 反对" in zh
    assert "voted differently" in en and "1 yes, 2 no" in en
    assert key not in zh and key not in en
    # the same choice on both is fine
    assert evaluate(units, votes(u1="no", u2="no", u3="yes"), SPECIAL).no_owners == 1


def test_developer_unsold_units_count_as_one_person():
    # Units 1-4 are owners' (90.00 m² each); units 5-9 are unsold developer units (90.00 each), whatever
    # their keys: 9 units, 5 persons, 810.00 m².
    units = flats(*["90.00"] * 4) + [Unit(i, f"dev-{i}", D("90.00"), developer_unsold=True) for i in range(5, 10)]
    # Owners 1-4 yes, the developer silent: headcount 4/5 = 80%, but area 360/810 = 44.4%: no quorum.
    r = evaluate(units, votes(u1="yes", u2="yes", u3="yes", u4="yes"), SPECIAL)
    assert (r.eligible_units, r.eligible_owners, r.eligible_area) == (9, 5, D("810.00"))
    assert not r.quorum_met and r.reasons == ["参与表决的专有部分面积占 44.4%（360.00/810.00 ㎡），未达到三分之二"]
    # The developer votes on one unit (for all five) with owners 1-3: 4/5 persons, (450 + 270)/810 = 88.9%
    r = evaluate(units, votes(u1="yes", u2="yes", u3="yes", u7="yes"), SPECIAL)
    assert (r.participating_owners, r.participating_units, r.participating_area) == (4, 8, D("720.00"))
    assert r.yes_owners == 4 and r.passed
    with pytest.raises(InputError) as exc:
        evaluate(units, votes(u5="yes", u6="no"), SPECIAL)
    assert codes(exc) == ["consent.developer_inconsistent"] and "未售出部分合计按一人计算" in exc.value.describe()


# ------------------------------------------------------------------------------ elevator
def test_elevator_in_one_stairwell_just_misses_on_area():
    # 加装电梯, unit 2 of building 3: 12 flats, 12 owners (default: double 2/3 quorum, double 3/4 approval).
    # Yes: flats 1-5 of 124.80 m² and flat 6 of 125.00 = 624.00 + 125.00 = 749.00 m² (6 owners)
    # No: flat 7, 125.50; abstain: flat 8, 125.50. Silent: flats 9-12 of 100.00 = 400.00.
    # 应到 12 owners, 1,400.00 m²; 实到 8 owners (8/12 = 2/3, met), 1,000.00 m² (1000/1400 = 71.4%, met).
    # Yes 6/8 = 3/4 by headcount (met); 749.00/1,000.00 = 74.9% by area (< 75%): not passed.
    units = flats(*["124.80"] * 5, "125.00", "125.50", "125.50", *["100.00"] * 4)
    ballots = votes(u1="yes", u2="yes", u3="yes", u4="yes", u5="yes", u6="yes", u7="no", u8="abstain")
    r = evaluate(units, ballots, SPECIAL)
    assert (r.eligible_owners, r.eligible_area, r.participating_owners, r.participating_area) == \
        (12, D("1400.00"), 8, D("1000.00"))
    assert (r.yes_owners, r.no_owners, r.abstain_owners) == (6, 1, 1)
    assert (r.yes_area, r.no_area, r.abstain_area) == (D("749.00"), D("125.50"), D("125.50"))
    assert r.participation_owner_share == F(2, 3) and r.participation_area_share == F(5, 7)
    assert r.approval_owner_share == F(3, 4) and r.approval_area_share == F(749, 1000)
    assert r.quorum_met and not r.approved and not r.passed
    assert r.reasons == ["赞成的专有部分面积占参与表决面积的 74.9%（749.00/1,000.00 ㎡），未达到四分之三"]
    assert r.reasons_en == ["the area voting yes is 74.9% of the participating area (749.00/1,000.00 m²), "
                            "short of three quarters"]
    zh = r.summary()
    for part in ("应到业主 12 人（专有部分 12 套，面积 1,400.00 ㎡）", "实到业主 8 人", "参与表决人数占 66.7%、面积占 71.4%",
                 "赞成 6 人、面积 749.00 ㎡", "反对 1 人、面积 125.50 ㎡", "弃权 1 人、面积 125.50 ㎡",
                 "赞成占参与表决人数的 75.0%、参与表决面积的 74.9%", SPECIAL.name_zh, "结果：未通过，原因：赞成的专有部分面积"):
        assert part in zh, part
    en = r.summary("en")
    assert "Eligible: 12 owners (12 units, 1,400.00 m²)" in en and "Result: not passed, because the area" in en
    assert re.search(r"[\u4e00-\u9fff]", en) is None
    # one flat of the silent four (100.00 m²) also says yes: 7/9 owners, 849/1100 = 77.2%: passed
    r = evaluate(units, ballots + votes(u9="yes"), SPECIAL)
    assert r.passed and "结果：通过，依据：" in r.summary()


# ------------------------------------------------------------------------ consultative
def test_consultative_vote_simple_majority_by_headcount_no_quorum():
    # 10 owners; 3 vote: 2 yes (10 m² each), 1 no (200 m²). No quorum; 2/3 > 1/2 by headcount: passed,
    # although the yes area is only 20/220.
    units = flats("10", "10", "200", *["80"] * 7)
    r = evaluate(units, votes(u1="yes", u2="yes", u3="no"), CONSULTATIVE)
    assert r.quorum_met and r.passed and r.yes_area == D(20) and r.participation_owner_share == F(3, 10)
    assert r.reasons == ["协商表决按人数计：赞成 2 人，占参与表决 3 人的 66.7%，过半数"]
    # 1 yes, 1 abstain: 1/2 of the ballots, not more: not passed
    r = evaluate(units, votes(u1="yes", u2="abstain"), CONSULTATIVE)
    assert not r.passed and r.reasons == ["协商表决按人数计：赞成 1 人，占参与表决 2 人的 50.0%，未过半数"]
    assert "协商表决" in r.summary() and "Consultative vote" in r.summary("en")


# ------------------------------------------------------------------------------ edges
def test_zero_eligible_and_zero_participants_are_not_passed():
    for rule in (SPECIAL, ORDINARY, CONSULTATIVE):
        r = evaluate([], [], rule)
        assert not r.passed and not r.quorum_met and r.eligible_owners == 0 and r.eligible_area == 0
        assert r.participation_owner_share == 0 == r.approval_area_share
        assert r.reasons == ["应到业主为 0 人（没有专有部分），无法表决"] and "no eligible owners" in r.reasons_en[0]
        assert "应到业主 0 人" in r.summary()
    r = evaluate(flats("50", "60"), [], SPECIAL)
    assert not r.passed and "无人参与表决" in r.reasons and len(r.reasons) == 3
    r = evaluate(flats("50", "60"), [], CONSULTATIVE)
    assert not r.passed and r.reasons == ["无人参与表决"]


def test_bad_input_is_refused_with_every_problem():
    units = [Unit(1, "a", D("50")), Unit(2, "b", 50.5), Unit(3, "c", D("0")), Unit(4, " ", D("60")),
             Unit(5, "e", D("60")), Unit(5, "f", D("70")), Unit(6, "g", D("NaN"))]
    ballots = [Ballot(1, "yes"), Ballot(1, "no"), Ballot(9, "yes"), Ballot(2, "maybe")]
    with pytest.raises(InputError) as exc:
        evaluate(units, ballots, SPECIAL)
    assert codes(exc) == [
        "consent.unit_area_invalid", "consent.unit_area_invalid", "consent.unit_owner_missing",
        "consent.unit_duplicate", "consent.unit_area_invalid",
        "consent.ballot_duplicate", "consent.ballot_unknown_unit", "consent.ballot_choice_invalid"]
    zh = exc.value.describe()
    assert "专有部分 1 有 2 张表决票" in zh and "专有部分 9 不在应到名单中" in zh and "maybe" in zh
    assert "不能是浮点数" in zh and "专有部分 5 在应到名单中出现了 2 次" in zh
    assert "Unit 1 has 2 ballots" in exc.value.describe("en")


def test_chinese_choices_and_integer_areas_are_read():
    r = evaluate([Unit(1, "a", 100), Unit(2, "b", D("50.5"))], [Ballot(1, "赞成"), Ballot(2, " Abstain ")], SPECIAL)
    assert (r.yes_owners, r.abstain_owners, r.eligible_area) == (1, 1, D("150.5"))


def test_percent_half_up_and_fraction_words():
    assert percent(F(2, 3)) == "66.7%" and percent(F(1, 16)) == "6.3%"  # 6.25 -> 6.3, half-up
    assert percent(F(1, 3), 0) == "33%" and percent(F(1)) == "100.0%" and percent(F(0)) == "0.0%"
    assert percent(F(7499, 10000), 2) == "74.99%" and percent(F(1, 8), 2) == "12.50%"
    assert [fraction_zh(x) for x in (F(2, 3), F(3, 4), F(1, 2), F(4, 5), F(67, 100), F(11, 12))] == \
        ["三分之二", "四分之三", "二分之一", "五分之四", "百分之六十七", "十二分之十一"]


def test_every_consent_message_is_bilingual():
    consent = {k: v for k, v in MESSAGES.items() if k.startswith("consent.")}
    assert len(consent) >= 15
    for code, (zh, en) in consent.items():
        assert re.search(r"[\u4e00-\u9fff]", zh), code
        assert re.search(r"[\u4e00-\u9fff]", en) is None, code


# --------------------------------------------------------------------------- properties
RULES = [SPECIAL, ORDINARY, CONSULTATIVE, Rule(Matter.SPECIAL, quorum=F(4, 5), approval=F(9, 10)),
         Rule(Matter.ORDINARY, approval=F(2, 3)), Rule(Matter.CONSULTATIVE, quorum=F(1, 2))]


@st.composite
def scenarios(draw):
    n = draw(st.integers(0, 14))
    units = [Unit(i, draw(st.sampled_from("ABCDEFG")), D(draw(st.integers(1, 30000))).scaleb(-2),
                  draw(st.integers(0, 4)) == 0) for i in range(1, n + 1)]
    person = {u.unit_id: "DEV" if u.developer_unsold else u.owner_key for u in units}
    choice = {p: draw(st.sampled_from([None, "yes", "no", "abstain"])) for p in sorted(set(person.values()))}
    ballots = [Ballot(u.unit_id, choice[person[u.unit_id]]) for u in units
               if choice[person[u.unit_id]] and draw(st.booleans())]
    return units, ballots, draw(st.sampled_from(RULES)), person


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_order_of_units_and_ballots_does_not_matter(sc, rnd):
    units, ballots, rule, _ = sc
    r = evaluate(units, ballots, rule)
    u2, b2 = list(units), list(ballots)
    rnd.shuffle(u2)
    rnd.shuffle(b2)
    r2 = evaluate(u2, b2, rule)
    assert r2 == r and r2.summary() == r.summary() and r2.summary("en") == r.summary("en")


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_adding_a_yes_from_a_silent_owner_never_unpasses(sc, data):
    units, ballots, rule, person = sc
    voted = {person[b.unit_id] for b in ballots}
    silent = [u.unit_id for u in units if person[u.unit_id] not in voted]
    if not silent:
        return
    before = evaluate(units, ballots, rule)
    after = evaluate(units, ballots + [Ballot(data.draw(st.sampled_from(silent)), "yes")], rule)
    assert after.participating_owners == before.participating_owners + 1
    assert after.quorum_met >= before.quorum_met and after.approved >= before.approved
    assert after.passed >= before.passed


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_shares_and_totals_are_consistent(sc):
    units, ballots, rule, person = sc
    r = evaluate(units, ballots, rule)
    for share in (r.participation_owner_share, r.participation_area_share, r.approval_owner_share,
                  r.approval_area_share):
        assert isinstance(share, F) and 0 <= share <= 1
    assert r.participating_owners == r.yes_owners + r.no_owners + r.abstain_owners
    assert r.participating_area == r.yes_area + r.no_area + r.abstain_area
    assert all(isinstance(a, Decimal) for a in (r.eligible_area, r.participating_area, r.yes_area))
    # a naive recount: persons are owner keys, all developer units one person
    persons = set(person.values())
    voting = {person[b.unit_id] for b in ballots}
    area = {p: sum((u.area for u in units if person[u.unit_id] == p), D(0)) for p in persons}
    assert (r.eligible_units, r.eligible_owners, r.participating_owners) == (len(units), len(persons), len(voting))
    assert r.participating_area == sum((area[p] for p in voting), D(0))
    if persons:
        assert r.participation_owner_share == F(len(voting), len(persons))
        assert r.participation_area_share == F(r.participating_area) / F(r.eligible_area)
    if rule.statutory and persons:
        assert r.quorum_met == (r.participation_owner_share >= rule.quorum
                                and r.participation_area_share >= rule.quorum)
    assert r.passed == (r.quorum_met and r.approved)
    assert bool(r.reasons) and len(r.reasons) == len(r.reasons_en)
