"""The "still needed" gauge (issue 20): exact remaining owners and area for the motion's rule, from the same
counted figures as the verdict, on the boundary cases; and the meeting service's gauge during sign-in and
the vote, gone once the result is declared."""

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from renewal_desk.core.rules import consent
from renewal_desk.core.rules.gauge import area_shown, still_needed
from renewal_desk.core.services import meetings as svc
from test_meetings import START, estate, meeting  # noqa: F401  (fixtures)

SPECIAL = consent.Rule(consent.Matter.SPECIAL)
ORDINARY = consent.Rule(consent.Matter.ORDINARY)


def _gauge(areas, owners, ballots, rule=SPECIAL):
    units = [consent.Unit(n, owners[n], Decimal(a)) for n, a in enumerate(areas)]
    return still_needed(consent.evaluate(units, [consent.Ballot(n, c) for n, c in ballots.items()], rule), True)


def test_participation_reached_by_headcount_but_not_by_area():
    # six owners; the four small flats (4/6 = 2/3 of owners, 40 of 240 ㎡) take part and say yes
    g = _gauge([10, 10, 10, 10, 100, 100], "abcdef", {0: "yes", 1: "yes", 2: "yes", 3: "yes"})
    assert (g.owners_to_take_part, g.area_to_take_part) == (0, Fraction(120))
    # approval is of the least participation that meets the quorum: 3/4 of 160 ㎡ = 120, 40 said yes
    assert (g.owners_to_agree, g.area_to_agree) == (0, Fraction(80))
    assert g.text() == "参与表决（三分之二）还差 0 人 / 120.00 ㎡；同意（四分之三）还差 0 人 / 80.00 ㎡"


def test_exactly_three_quarters_counts_as_reached():
    g = _gauge([100] * 8, "abcdefgh", {n: ("yes" if n < 6 else "no") for n in range(8)})
    assert (g.owners_to_take_part, g.area_to_take_part, g.owners_to_agree, g.area_to_agree) == (0, 0, 0, 0)
    one_short = _gauge([100] * 8, "abcdefgh", {n: ("yes" if n < 5 else "no") for n in range(8)})
    assert (one_short.owners_to_agree, one_short.area_to_agree) == (1, Fraction(100))
    assert one_short.text().endswith("同意（四分之三）还差 1 人 / 100.00 ㎡")


def test_one_owner_of_several_units_counts_once_with_both_areas():
    # owner a holds units 0 and 1: 3 owners, 300 ㎡; a alone takes part: 1 of 3 owners, 200 of 300 ㎡
    g = _gauge([100, 100, 100], "aab", {0: "yes", 1: "yes"})
    assert (g.owners_to_take_part, g.area_to_take_part) == (1, Fraction(0))
    g = _gauge([100, 100, 50, 50], "aabc", {0: "yes", 1: "yes"})  # 3 owners: 2 needed; 200 ㎡ of 300: reached
    assert (g.owners_to_take_part, g.area_to_take_part) == (1, Fraction(0))


def test_more_than_half_and_areas_that_do_not_divide():
    # ordinary matter: more than half. 1000 ㎡ in three flats: 2/3 is 666.66…, shown rounded up
    g = _gauge([Decimal("333.33"), Decimal("333.33"), Decimal("333.34")], "abc", {0: "yes"}, ORDINARY)
    assert g.area_to_take_part == Fraction(2000, 3) - Fraction(33333, 100)
    assert area_shown(Fraction(118344875, 1000)) == "118,344.88"  # grouped like the slide's other areas
    assert area_shown(g.area_to_take_part) == "333.34" and g.owners_to_take_part == 1
    # basis: 2 owners and 666.66… ㎡; more than half: 2 owners, more than 333.33… ㎡ (333.33 said yes)
    assert g.owners_to_agree == 1 and g.area_to_agree_more_than
    assert g.text() == "参与表决（三分之二）还差 1 人 / 333.34 ㎡；同意（过半数）还差 1 人 / 多于 0.01 ㎡"
    # exactly half is not more than half
    even = _gauge([100] * 4, "abcd", {0: "yes", 1: "yes", 2: "no", 3: "no"}, ORDINARY)
    assert (even.owners_to_agree, even.area_to_agree, even.area_to_agree_more_than) == (1, 0, True)


def test_the_meeting_gauge_follows_sign_in_and_ballots_and_ends_at_the_declaration(db, estate, meeting):
    _, ids = estate  # 12 owners of 100 ㎡
    rows = {r.household_id: r for r in svc.attendees(db, meeting)}
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    assert svc.motion_gauge(db, motion).owners_to_take_part == 8
    for hid in ids[:7]:
        svc.sign_in(db, rows[hid].id, START)
    g = svc.motion_gauge(db, motion)
    assert (g.owners_to_take_part, g.area_to_take_part) == (1, Fraction(100))
    svc.sign_in(db, rows[ids[7]].id, START)
    svc.start_vote(db, motion, START + timedelta(minutes=10))
    assert svc.motion_gauge(db, motion).owners_to_take_part == 8  # now counted from the ballots
    for hid in ids[:6]:
        svc.cast_ballot(db, motion, rows[hid].id, "赞成")
    g = svc.motion_gauge(db, motion)
    assert g.text() == "参与表决（三分之二）还差 2 人 / 200.00 ㎡；同意（四分之三）还差 0 人 / 0.00 ㎡"
    svc.cast_ballot(db, motion, rows[ids[6]].id, "反对")
    svc.cast_ballot(db, motion, rows[ids[7]].id, "反对")
    assert svc.motion_gauge(db, motion).text() == \
        "参与表决（三分之二）还差 0 人 / 0.00 ㎡；同意（四分之三）还差 0 人 / 0.00 ㎡"
    svc.close_vote(db, motion)
    assert svc.motion_gauge(db, motion) is None


def test_a_vote_without_a_participation_threshold_names_only_agreement():
    from renewal_desk.core.rules.gauge import Gauge

    hands = Gauge(False, Fraction(0), Fraction(1, 2), True, 0, Fraction(0), 3, Fraction(0), False)
    assert hands.text() == "同意（过半数）还差 3 人"  # not "参与表决（零）还差 0 人；…"
    assert hands.text("en") == "To agree (more than one half): 3 owners more"
    double = Gauge(False, Fraction(2, 3), Fraction(3, 4), False, 2, Fraction(0), 1, Fraction(0), False)
    assert double.text().startswith("参与表决（三分之二）还差 2 人；")
