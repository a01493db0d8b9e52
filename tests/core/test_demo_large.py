"""The large-scale demo generator: exact counts, data the rules accept, one audit event, cancel rolls back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import lease as lease_rules
from renewal_desk.core.rules.idcard import validate_id_number
from renewal_desk.core.rules.phone import is_mobile, normalize_phone
from renewal_desk.core.services.demo_large import LARGE, Cancelled, Scale, generate_large_demo, thumbnail



class _Reader:
    """Plain SQL (? placeholders) on the test database, either engine: execute(...).fetchone() as sqlite3's."""

    def __init__(self, db):
        self._read = db.read()
        self._conn = self._read.__enter__().connection()

    def execute(self, sql: str, params: tuple = ()):
        return self._conn.exec_driver_sql(sql, params)

    def close(self) -> None:
        self._read.__exit__(None, None, None)

SMALL = LARGE.divided(200)  # 500 households, 1,250 people, 5,000 choices, 10 meetings …


def test_counts_are_exact_and_the_database_checks(db):
    summary = generate_large_demo(db, SMALL, seed=3, today=date(2026, 6, 1))
    c = summary.counts
    assert (c["household"], c["person"], c["order_choice"]) == (SMALL.households, SMALL.people, SMALL.choices)
    assert (c["meeting"], c["supervision_problem"], c["attachment"]) == (SMALL.meetings, SMALL.problems, SMALL.photos)
    assert (c["designer_opinion"], c["lease_contract"], c["rent_payment"]) == (
        SMALL.designer_notes, SMALL.leases, SMALL.instalments)
    report = db.check()
    assert report.ok, report.as_dict()
    con = _Reader(db)
    try:
        assert con.execute("SELECT count(*) FROM meeting_attendee WHERE signed_in_at IS NOT NULL").fetchone()[0] \
            == SMALL.sign_ins
        # one summary audit event, not one per row
        audits = con.execute("SELECT action, table_name, note FROM audit_log").fetchall()
        assert [(a, t) for a, t, _ in audits] == [("demo", "project")]
        assert "household 500" in audits[0][2]
    finally:
        con.close()


def test_rows_obey_the_rules(db):
    generate_large_demo(db, SMALL, seed=4, today=date(2026, 6, 1))
    con = _Reader(db)
    try:
        for number, phone in con.execute("SELECT id_number, phone FROM person"):
            validate_id_number(number)  # raises on a bad check character or date
            if phone:
                assert normalize_phone(phone) == phone and is_mobile(phone)
        # each household has exactly one head; votes only on consent items
        assert con.execute("SELECT count(*) FROM household h WHERE (SELECT count(*) FROM person p WHERE "
                           "p.household_id = h.id AND p.is_head) != 1").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM order_choice c JOIN menu_item m ON m.id = c.item_id "
                           "WHERE m.consent_scope = '' AND c.vote != 'yes'").fetchone()[0] == 0
        # rent payments are the contract's own instalments, in order
        cid, start, months, base = con.execute("SELECT contract_id, start, term_months, base_annual_rent_fen "
                                               "FROM lease_terms ORDER BY contract_id LIMIT 1").fetchone()
        paid = [r[0] for r in con.execute("SELECT amount_fen FROM rent_payment WHERE contract_id = ? ORDER BY id", (cid,))]
        plan = lease_rules.schedule(lease_rules.LeaseTerms(start if isinstance(start, date) else date.fromisoformat(start), months, base, frequency="monthly"))
        assert paid == [i.amount_fen for i in plan[:len(paid)]] and paid
        # every photo row points at a file in the attachment store
        from renewal_desk.core.services.attachments import stored_path

        shas = {r[0] for r in con.execute("SELECT sha256 FROM attachment")}
        assert shas and all(stored_path(db, sha).exists() for sha in shas)
    finally:
        con.close()


def test_the_services_read_what_was_generated(db):
    from renewal_desk.core.services import designer, households, leases, meetings, supervision

    generate_large_demo(db, SMALL, seed=5, today=date(2026, 6, 1))
    assert len(households.household_ids(db)) == SMALL.households
    assert len(meetings.meetings(db)) == SMALL.meetings
    assert len(supervision.problem_rows(db)) == SMALL.problems
    assert len(designer.opinions(db)) == SMALL.designer_notes
    views = leases.contract_views(db)
    assert len(views) == SMALL.leases
    assert all(v.account(date(2026, 6, 1)).arrears_fen >= 0 for v in views)


def test_cancel_rolls_everything_back(db):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(Cancelled):
        generate_large_demo(db, SMALL, cancelled=cancelled)
    con = _Reader(db)
    try:
        assert con.execute("SELECT count(*) FROM household").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM project").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    finally:
        con.close()


def test_progress_reaches_the_end_and_a_second_run_adds_a_second_project(db):
    seen = []
    generate_large_demo(db, LARGE.divided(1000), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and all(a <= b for a, b in seen)
    second = generate_large_demo(db, LARGE.divided(1000))
    assert second.project_id == 2 and db.check().ok


@pytest.mark.parametrize("change", [{"people": 5}, {"households": 3}, {"choices": 10**9}, {"sign_ins": 10**7},
                                    {"instalments": 10**7}])
def test_unreasonable_scales_are_refused_in_chinese(db, change):
    with pytest.raises(InputError) as err:
        generate_large_demo(db, replace(SMALL, **change))
    assert "演示数据规模不合理" in err.value.describe("zh")


def test_thumbnails_are_png_and_differ():
    a, b = thumbnail(1), thumbnail(2)
    assert a.startswith(b"\x89PNG") and a != b and len(a) < 4000
    assert isinstance(Scale().households, int)

