"""No way back to full ID numbers: every masked output a 只读 account can make (audit view and its
CSV/XLSX export, the list commands' rows, printouts) holds no stored ID number and never a masked ID
beside the birth date that completes it (the mask hides exactly the 8 birth-date digits)."""

import subprocess

import openpyxl
from sqlalchemy import select

from renewal_desk.core.models import Person
from renewal_desk.core.rules.masking import mask_id_number
from renewal_desk.core.services import accounts, audit_log
from tests.core.test_accounts import ADMIN_PW, RO_PW, session_as


def _birth_forms(d):
    return {d.isoformat(), d.strftime("%Y%m%d"), f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y/%m/%d")}


def test_no_masked_output_of_a_read_only_account_gives_back_an_id_number(demo_db, tmp_path):
    from renewal_desk.core.services.printouts import print_document
    from renewal_desk.core.services.roster_import import import_roster
    from tests.fixtures.make_rosters import clean_roster

    roster = tmp_path / "roster.xlsx"
    clean_roster(roster, 40)
    import_roster(demo_db, roster, "名册导入项目")  # audited: every person's before/after values logged
    accounts.setup_admin(demo_db, "管理员甲", ADMIN_PW, ADMIN_PW)
    accounts.add_account(demo_db, "只读丙", "只读", RO_PW)
    with demo_db.read() as s:
        people = [(p.id_number, p.birth_date) for p in s.scalars(select(Person)) if p.id_number and p.birth_date]
    assert len(people) >= 40
    ro = session_as(demo_db, "只读丙", RO_PW)
    try:
        units: list[str] = []  # one entry, row or page: a masked ID and a birth date must not meet in one
        ids = audit_log.audit_ids(ro, limit=100_000)
        rows = audit_log.audit_rows(ro, ids)
        units += [f"{r.note} {r.summary('zh')} {r.summary('en')}" for r in rows.values()]
        for suffix in (".csv", ".xlsx"):
            out = tmp_path / f"audit{suffix}"
            audit_log.export_log(ro, audit_log.AuditFilter(), out)
            if suffix == ".csv":
                units += out.read_text(encoding="utf-8-sig").splitlines()
            else:
                wb = openpyxl.load_workbook(out, read_only=True)
                units += [" ".join(str(v) for v in row if v is not None) for row in wb.active.iter_rows(values_only=True)]
                wb.close()
        for building in (1, 2):
            pdf = tmp_path / f"roster-{building}.pdf"
            print_document(ro, "building-roster", building, pdf)
            units.append(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                        check=True).stdout)
    finally:
        ro.close()
    everything = "\n".join(units)
    assert any(mask_id_number(n) in everything for n, _ in people)  # the outputs do show masked IDs
    rebuilt = []
    for number, birth in people:
        assert number not in everything and number.lower() not in everything.lower()
        masked = mask_id_number(number)
        for unit in units:
            if masked in unit and any(form in unit for form in _birth_forms(birth)):
                rebuilt.append(number)
    assert rebuilt == []
