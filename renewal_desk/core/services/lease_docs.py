"""The rent-storage printouts' data (合同, 租金支付计划表, 租金对账单, 收储房屋登记表), read through the lease services."""

from __future__ import annotations

from ..models import PROTECTION_LABELS
from ..printing import lease as lp
from ..printing.registry import Request, register
from ..rules.text import code_label
from ..settings import office_profile
from . import leases


def _lessor_names(view) -> str:
    return "、".join(name for _pid, name, _idn, _phone in view.lessors)


def _storage_register(req: Request) -> int:
    db = req.db
    rows = [lp.RegisterRow(h.address, list(h.owners), h.area, code_label(PROTECTION_LABELS, h.protection), h.condition, h.restoration,
                           h.business, h.lease_end, h.contract_no) for h in leases.house_rows(db, req.as_of)]
    return lp.render_storage_register(req.out, lp.RegisterDoc(leases.lessee_org(db), rows), **req.common)


def _contract(req: Request) -> int:
    """The lease contract, the rent schedule or the rent statement of one contract."""
    db, name, out, common, as_of = req.db, req.name, req.out, req.common, req.as_of
    office = office_profile(db)  # the lessee's details and seal, where the contract did not record them
    # A lease contract is signed by its lessors: printed with their full ID numbers (its print-full entry is
    # written by print_document); other lease documents show none.
    view = leases.contract_view(db, req.record_id, full=name == "lease-contract")
    t = view.terms
    if name == "lease-contract":
        house = leases.house_detail(db, view.house_id)
        lessors = [lp.Party(n, idn, phone, leases.person_address(db, pid)) for pid, n, idn, phone in view.lessors]
        lessee = lp.Party(view.lessee_name or office.name or leases.lessee_org(db), None, office.phone or None,
                          view.lessee_address or office.address, view.lessee_representative or office.head)
        doc = lp.ContractDoc(view.contract_no, view.version, lessors, lessee, view.house_address, house.area,
                             house.structure, house.fixtures, code_label(PROTECTION_LABELS, house.protection), t.uses, t.start, view.end,
                             t.term_months, t.base_annual_rent_fen, t.step_percent, t.step_interval_years,
                             t.compounding, t.frequency, t.due_day, t.deposit_fen, t.sublet_consent,
                             t.improvement_consent, t.renewal_terms, t.early_termination, years=view.years,
                             lessee_seal=office.seal if lessee.name in (office.name, office.seal) else "")
        return lp.render_lease_contract(out, doc, **common)
    if name == "rent-schedule":
        doc = lp.ScheduleDoc(view.contract_no, view.house_address, _lessor_names(view), t.start, view.end,
                             t.term_months, lp.step_rule_text(t.step_percent, t.step_interval_years, t.compounding),
                             view.years, view.instalments, view.total_fen, seal=office.seal)
        return lp.render_rent_schedule(out, doc, **common)
    account = view.account(as_of)
    lines = [lp.StatementLine(st.instalment.due_date, st.instalment.amount_fen, st.paid_fen, st.open_fen,
                              st.days_overdue) for st in account.states if st.instalment.due_date <= as_of]
    payments = [lp.PaymentLine(p.paid_on, p.amount_fen, p.method, p.reference) for p in view.payments
                if not p.voided and p.paid_on <= as_of]
    doc = lp.StatementDoc(view.contract_no, view.house_address, _lessor_names(view), as_of, lines, payments,
                          account.due_fen, account.paid_fen, account.arrears_fen, account.credit_fen, account.ageing,
                          seal=office.seal)
    return lp.render_rent_statement(out, doc, **common)


register("lease-contract", "contract", lp.CONTRACT_PREFIX, "lease_contract", _contract, full_data=True)  # signed
register("rent-schedule", "contract", lp.SCHEDULE_PREFIX, "lease_contract", _contract)
register("rent-statement", "contract", lp.STATEMENT_PREFIX, "lease_contract", _contract, period="as_of")
register("storage-register", "all", lp.REGISTER_PREFIX, "stored_house", _storage_register)  # --id 0
