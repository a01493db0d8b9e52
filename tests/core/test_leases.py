"""Rent-storage services: register, contract versions and renewal, payments, arrears, dashboard, printouts."""

import subprocess
from datetime import date
from shutil import which

import pytest
from sqlalchemy import select

from renewal_desk.core.models import AuditEntry, ContractStatus, LeaseTerms, Protection
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import leases as svc
from renewal_desk.core.services.printouts import print_document

TODAY = date(2026, 11, 22)


@pytest.fixture
def house(db):
    owner = svc.add_person(db, "王𠮷", make_id_number("321002", date(1950, 5, 1), 11), "13800001111")
    house_id = svc.create_house(db, svc.HouseInput("仁和里", "7号", [owner], area="86.5㎡", protection=Protection.HISTORIC))
    return house_id, owner


def _terms(**over):
    data = dict(start=date(2020, 1, 1), term_months=240, base_annual_rent_fen=1_200_000)
    data.update(over)
    return svc.TermsInput(**data)


def test_contract_schedule_is_exact_and_term_capped(db, house):
    house_id, owner = house
    cid = svc.create_contract(db, house_id, [owner], _terms())
    view = svc.contract_view(db, cid)
    assert view.total_fen == 32_027_942
    assert [y.rent_fen for y in view.years][::3] == [1_200_000, 1_320_000, 1_452_000, 1_597_200, 1_756_920,
                                                     1_932_612, 2_125_873]
    assert view.contract_no == "SCZ-2020-0001" and view.end == date(2039, 12, 31)
    with pytest.raises(InputError) as err:
        svc.create_contract(db, house_id, [owner], _terms(term_months=241))
    assert err.value.problems[0].code == "lease.term_too_long" and "第七百零五条" in err.value.describe()


def test_one_active_contract_per_house_amend_keeps_versions_renew_links(db, house):
    house_id, owner = house
    cid = svc.create_contract(db, house_id, [owner], _terms(term_months=120))
    with pytest.raises(InputError) as err:
        svc.create_contract(db, house_id, [owner], _terms())
    assert err.value.problems[0].code == "lease.active_exists"
    with pytest.raises(InputError):
        svc.amend_contract(db, cid, _terms(term_months=120, base_annual_rent_fen=1_300_000), "")
    assert svc.amend_contract(db, cid, _terms(term_months=120, base_annual_rent_fen=1_300_000), "协商调整") == 2
    view = svc.contract_view(db, cid)
    assert view.version == 2 and view.years[0].rent_fen == 1_300_000
    with db.read() as s:
        versions = s.scalars(select(LeaseTerms).where(LeaseTerms.contract_id == cid).order_by(LeaseTerms.version)).all()
    assert [v.base_annual_rent_fen for v in versions] == [1_200_000, 1_300_000]  # never overwritten
    new_id = svc.renew_contract(db, cid, _terms(start=date(2030, 1, 1), term_months=120))
    assert svc.contract_view(db, cid).status == ContractStatus.RENEWED
    renewed = svc.contract_view(db, new_id)
    assert renewed.renewed_from_id == cid and renewed.status == ContractStatus.ACTIVE
    with pytest.raises(InputError) as err:  # the stored code is named by its label
        svc.amend_contract(db, cid, _terms(term_months=120), "再改")
    assert "“已续签”" in err.value.describe() and "renewed" in err.value.describe("en")
    assert "renewed" not in err.value.describe()


def test_payments_allocate_oldest_first_and_arrears_change(db, house):
    house_id, owner = house
    cid = svc.create_contract(db, house_id, [owner], _terms(start=date(2025, 1, 1), frequency="quarterly"))
    view = svc.contract_view(db, cid)
    acc = view.account(TODAY)
    assert acc.arrears_fen == 8 * 300_000  # 2025 Q1..Q4 and 2026 Q1..Q4 (due 10-01) overdue
    svc.record_payment(db, svc.PaymentInput(cid, date(2025, 1, 5), 600_000), today=TODAY)
    assert svc.contract_view(db, cid).account(TODAY).arrears_fen == 6 * 300_000
    back = svc.record_payment(db, svc.PaymentInput(cid, date(2025, 6, 1), 300_000, reference="补录"), today=TODAY)
    assert svc.contract_view(db, cid).account(TODAY).arrears_fen == 5 * 300_000
    assert svc.contract_view(db, cid).account(date(2025, 5, 1)).arrears_fen == 0  # as of then: Q1+Q2 paid early
    svc.void_payment(db, back, "重复录入")
    assert svc.contract_view(db, cid).account(TODAY).arrears_fen == 6 * 300_000
    with pytest.raises(InputError) as err:
        svc.record_payment(db, svc.PaymentInput(cid, date(2027, 1, 1), 0), today=TODAY)
    assert {p.code for p in err.value.problems} == {"lease.amount", "lease.future_date"}
    with db.read() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.table_name == "rent_payment",
                                                  AuditEntry.action == "update")).first() is not None


def test_register_and_dashboard(db, house):
    house_id, owner = house
    cid = svc.create_contract(db, house_id, [owner], _terms(start=date(2016, 12, 1), term_months=120))
    svc.place_business(db, house_id, "剪纸工作室", "非遗", date(2017, 1, 1), 1_500_000, "扬州剪纸")
    svc.add_restoration(db, house_id, "屋面翻修", date(2026, 10, 1), None, 2_000_000, "区级资金")
    row = svc.house_rows(db, TODAY)[0]
    assert row.owners_masked == "王*" and row.business == "非遗·剪纸工作室" and row.restoration == "修缮中"
    assert row.contract_id == cid and row.arrears_fen > 0
    board = svc.dashboard(db, TODAY)
    assert (board.houses, board.occupied, board.restoring, board.active_contracts) == (1, 1, 1, 1)
    assert board.expiring == [("SCZ-2016-0001", "仁和里7号", date(2026, 11, 30))]
    assert sum(board.rent_by_year.values()) == svc.contract_view(db, cid).total_fen


def test_house_validation(db):
    with pytest.raises(InputError) as err:
        svc.create_house(db, svc.HouseInput("", "", [], area="85,6", protection="古迹"))
    assert {p.code for p in err.value.problems} >= {"lease.required", "lease.no_lessor", "lease.protection",
                                                    "area.invalid"}


@pytest.mark.skipif(which("pdftotext") is None, reason="poppler-utils not installed")
def test_printouts_from_the_database(db, house, tmp_path):
    house_id, owner = house
    cid = svc.create_contract(db, house_id, [owner], _terms())
    svc.record_payment(db, svc.PaymentInput(cid, date(2020, 1, 3), 1_200_000), today=TODAY)

    def text(doc, record_id):
        out = tmp_path / f"{doc}.pdf"
        print_document(db, doc, record_id, out, as_of=TODAY)
        return subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout

    schedule = text("rent-schedule", cid)
    for amount in ("12,000.00", "13,200.00", "14,520.00", "15,972.00", "17,569.20", "19,326.12", "21,258.73",
                   "320,279.42"):
        assert amount in schedule
    contract = text("lease-contract", cid)
    full_id = make_id_number("321002", date(1950, 5, 1), 11)
    assert "王𠮷" in contract and full_id in contract and "第七百零五条" in contract
    assert "保护类别：历史建筑" in "".join(contract.split()) and "historic" not in contract  # the label, not the code
    statement = text("rent-statement", cid)
    assert "12,000.00" in statement and full_id not in statement
    register = text("storage-register", 0)
    assert "仁和里7号" in register and "王*" in register and "王𠮷" not in register
    assert "历史建筑" in register and "historic" not in register
