"""The ordering page's background loads keep only table rows and the projector's lines: they are the
same as formatting every consent line and picking the projector's five from all of them."""

from datetime import date

from renewal_desk.core.rules.consent import percent
from renewal_desk.core.services import ordering as svc
from renewal_desk.core.services.demo_ordering import generate_ordering_demo
from renewal_desk.ui import ordering_page


def test_background_load_matches_all_consent_lines(demo_db):
    rid = generate_ordering_demo(demo_db, 1, seed=3, today=date(2026, 11, 22))
    tally, missing, _citing, followup = ordering_page._load_results(demo_db, rid)
    projected, rows = ordering_page._load_consents(demo_db, rid)
    lines = svc.consent_results(demo_db, rid)
    assert len(rows) == len(lines) and [r[:2] for r in rows] == [(c.scope_label, c.item.name) for c in lines]
    for row, line in zip(rows, lines):
        if line.result is None:
            assert row[6] == "无法计算" and row[7] == line.problem
        else:
            assert row[3] == f"{percent(line.result.participation_owner_share)} / " \
                             f"{percent(line.result.participation_area_share)}"
            assert row[7] == "；".join(line.result.reasons)
    voted = sorted((c for c in lines if c.result and c.result.participating_owners),
                   key=lambda c: -c.result.participation_owner_share)[:ordering_page.PROJECTED_CONSENTS]
    assert projected == voted and len(voted) == ordering_page.PROJECTED_CONSENTS
    assert missing == [m.household_id for m in svc.non_respondents(demo_db, rid)] and len(followup) == len(missing)
    assert tally == svc.tallies(demo_db, rid)


def test_projector_gets_the_consent_lines_when_shown(qtbot, demo_db):
    generate_ordering_demo(demo_db, 1, seed=3, today=date(2026, 11, 22))
    page = ordering_page.OrderingPage(demo_db)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.tally_model.rowCount() > 0, timeout=10000)
    assert page.consents == []
    with qtbot.waitSignal(page.consents_loaded, timeout=10000):
        page.show_projector()
    qtbot.addWidget(page.projector)
    assert len(page.consents) == ordering_page.PROJECTED_CONSENTS and "▶" in page.projector.body.text()
    with qtbot.waitSignal(page.consents_loaded, timeout=10000):  # a refresh recounts while the projector is up
        page.refresh()
