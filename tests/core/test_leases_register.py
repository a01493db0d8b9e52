"""The lean register (contract_rows: SQL sums of payments, schedules kept as plans) gives exactly the
arrears, ageing, dues and dashboard that the full contract views and rules.account give."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from renewal_desk.core.models import ContractStatus
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import leases as svc
from renewal_desk.core.services.demo_leases import generate_lease_demo

TODAY = date(2026, 11, 22)


@pytest.fixture
def lease_db(demo_db):
    generate_lease_demo(demo_db, seed=5, today=TODAY)
    return demo_db


def _check(db, as_of):
    full = svc.contract_views(db)
    lean = svc.contract_rows(db, as_of)
    assert [c.id for c in lean] == [c.id for c in full]
    for row, view in zip(lean, full):
        account = view.account(as_of)
        assert (row.contract_no, row.status, row.house_id, row.house_address, row.end) == \
               (view.contract_no, view.status, view.house_id, view.house_address, view.end)
        assert row.lessor_names == tuple(name for _p, name, _i, _ph in view.lessors)
        assert row.arrears_fen == account.arrears_fen and row.figures.ageing == account.ageing
        assert row.figures.paid_fen == account.paid_fen
        for start, end in ((as_of.replace(day=1), as_of + timedelta(days=31)), (date(2000, 1, 1), date(2100, 1, 1)),
                           (as_of, as_of), (as_of - timedelta(days=400), as_of - timedelta(days=40))):
            assert row.figures.due_between(start, end) == account.due_between(start, end)
    assert svc.house_rows(db, as_of) == svc.house_rows(db, as_of, full)
    assert svc.dashboard(db, as_of) == svc.dashboard(db, as_of, all_contracts=full)
    rows, contracts, board = svc.register_view(db, as_of)
    assert rows == svc.house_rows(db, as_of, full) and board == svc.dashboard(db, as_of, all_contracts=full)
    return lean, full


def test_register_equals_full_accounts_on_the_demo(lease_db):
    for as_of in (TODAY, TODAY - timedelta(days=45), TODAY - timedelta(days=400), TODAY + timedelta(days=800),
                  date(2015, 1, 1)):
        lean, _full = _check(lease_db, as_of)
    lean, full = _check(lease_db, TODAY)
    assert any(row.arrears_fen for row in lean) and any(not row.arrears_fen for row in lean)
    assert sum(len(v.payments) for v in full) > len(full)


def test_partial_over_voided_and_advance_payments(lease_db):
    """Payments that leave an instalment part-paid, pay beyond the lease, are voided or lie after as_of."""
    contracts = svc.contract_views(lease_db)
    active = [c for c in contracts if c.status == ContractStatus.ACTIVE][:3]
    first, second, third = active
    svc.record_payment(lease_db, svc.PaymentInput(first.id, TODAY - timedelta(days=10), 1234), today=TODAY)
    svc.record_payment(lease_db, svc.PaymentInput(second.id, TODAY, second.total_fen * 2), today=TODAY)
    pid = svc.record_payment(lease_db, svc.PaymentInput(third.id, TODAY - timedelta(days=3), 99_999), today=TODAY)
    svc.void_payment(lease_db, pid, "录错")
    svc.record_payment(lease_db, svc.PaymentInput(third.id, TODAY - timedelta(days=1), 7), today=TODAY)
    for as_of in (TODAY, TODAY - timedelta(days=2), TODAY - timedelta(days=11)):
        _check(lease_db, as_of)


def test_plan_follows_amended_terms_and_a_bad_payment_is_refused_alike(lease_db):
    c = next(c for c in svc.contract_views(lease_db) if c.status == ContractStatus.ACTIVE)
    svc.amend_contract(lease_db, c.id, replace(c.terms, base_annual_rent_fen=c.terms.base_annual_rent_fen + 1,
                                               frequency="quarterly", due_day=15), "协商调整")
    _check(lease_db, TODAY)
    from renewal_desk.core.models import RentPayment

    with lease_db.write(note="test") as s:  # a non-positive amount that an import let through
        s.add(RentPayment(contract_id=c.id, paid_on=TODAY, amount_fen=0))
    with pytest.raises(InputError) as full_err:
        svc.contract_view(lease_db, c.id).account(TODAY)
    with pytest.raises(InputError) as lean_err:
        svc.contract_rows(lease_db, TODAY)
    assert lean_err.value.describe() == full_err.value.describe()
