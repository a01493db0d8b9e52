"""收储租 page as staff use it: register a house, sign a contract, record payments, watch the arrears."""

from datetime import date

from PySide6.QtCore import QDate

from renewal_desk.core.models import ContractStatus, Protection
from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import leases as svc
from renewal_desk.ui.leases_page import ContractDialog, HouseDialog, LeasesPage, PaymentDialog

AS_OF = date(2026, 11, 22)


def _reload(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


def test_house_contract_two_payments_change_the_arrears(qtbot, db):
    page = LeasesPage(db)
    qtbot.addWidget(page)
    page.as_of = AS_OF
    _reload(page, qtbot)
    assert page.houses.rowCount() == 0

    house = HouseDialog(db, page)
    qtbot.addWidget(house)
    house.street.setText("仁和里")
    house.number.setText("9号")
    house.area.setText("96.5㎡")
    house.save()
    assert "产权人" in house.errors.text() or "出租人" in house.errors.text()  # no owner chosen yet
    assert house.add_owner("王𠮷", make_id_number("321002", date(1952, 4, 4), 21))
    # the protection classes: their labels shown, their codes kept as the items' data
    assert [house.protection.itemText(i) for i in range(house.protection.count())] == \
        ["文物", "历史建筑", "传统风貌", "无"]
    house.protection.setCurrentIndex(house.protection.findData(Protection.HISTORIC))
    house.save()
    assert house.result() == house.DialogCode.Accepted
    _reload(page, qtbot)
    assert page.houses.rows[0][0] == "仁和里9号" and page.houses.rows[0][1] == "王*"  # masked in the register
    assert page.houses.rows[0][3] == "历史建筑"
    assert svc.house_detail(db, page.houses.key_at(0)).protection == Protection.HISTORIC  # stored as the code
    again = HouseDialog(db, page, house_id=page.houses.key_at(0))  # editing shows the stored class
    qtbot.addWidget(again)
    assert again.protection.currentData() == Protection.HISTORIC and again.protection.currentText() == "历史建筑"

    page.house_table.selectRow(0)
    house_id = page.houses.key_at(0)
    contract = ContractDialog(db, house_id, house.selected_owners(), parent=page)
    qtbot.addWidget(contract)
    contract.start.setDate(QDate(2025, 1, 1))
    contract.term.setValue(241)
    assert "第七百零五条" in contract.preview.text()  # the law, cited while typing
    contract.term.setValue(120)
    contract.rent.setText("12,000")
    contract.frequency.setCurrentIndex(contract.frequency.findData("quarterly"))
    assert "12,000.00" in contract.preview.text()
    contract.save()
    assert contract.result() == contract.DialogCode.Accepted
    _reload(page, qtbot)
    page.tabs.setCurrentIndex(1)
    page.select_contract(contract.result_id)
    assert "24,000.00" in page.arrears.text()  # eight quarters of 3,000.00 are overdue
    assert page.contracts.rows[0][3] == "生效" and "生效" in page.detail.text()

    for paid_on, amount, expected in ((QDate(2025, 1, 10), "6000", "18,000.00"),
                                      (QDate(2025, 4, 3), "3,000.00", "15,000.00")):
        payment = PaymentDialog(db, page.current, page)
        qtbot.addWidget(payment)
        payment.paid_on.setDate(paid_on)
        payment.amount.setText(amount)
        payment.save()
        assert payment.result() == payment.DialogCode.Accepted, payment.errors.text()
        _reload(page, qtbot)
        assert expected in page.arrears.text()
    assert page.payments.rowCount() == 2
    assert [r[6] for r in page.schedule.rows[:4]] == ["0.00", "0.00", "0.00", "3,000.00"]  # oldest first


def test_dashboard_and_register_on_demo_data(qtbot, db):
    from renewal_desk.core.services.demo_leases import generate_lease_demo

    generate_lease_demo(db, 3, AS_OF)
    page = LeasesPage(db)
    qtbot.addWidget(page)
    page.as_of = AS_OF
    _reload(page, qtbot)
    assert page.houses.rowCount() == 42 and page.contracts.rowCount() == 42
    assert "42" in page.dashboard_text.text() and "21" in page.dashboard_text.text()
    assert page.plot is not None and len(page.plot.listDataItems()) == 2


def test_restoration_business_and_photos_show_in_the_register(qtbot, db, tmp_path):
    from renewal_desk.core.services import leases as svc
    from renewal_desk.core.services.attachments import attachments_of
    from renewal_desk.ui.leases_page import BusinessDialog, RestorationDialog

    owner = svc.add_person(db, "李䶮", None, None)
    house_id = svc.create_house(db, svc.HouseInput("仁和里", "3号", [owner]))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    page.as_of = AS_OF
    _reload(page, qtbot)
    page.house_table.selectRow(0)
    works = RestorationDialog(db, house_id, page)
    qtbot.addWidget(works)
    works.save()
    assert "修缮内容" in works.errors.text()
    works.works.setPlainText("屋面翻修")
    works.start.setDate(QDate(2026, 10, 1))
    works.cost.setText("80,000")
    works.save()
    business = BusinessDialog(db, house_id, page)
    qtbot.addWidget(business)
    business.operator.setText("剪纸工作室")
    business.start.setDate(QDate(2026, 1, 1))
    business.save()
    photo = tmp_path / "before.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    assert page.add_photos([str(photo)]) == 1
    assert len(attachments_of(db, "stored_house", house_id)) == 1
    _reload(page, qtbot)
    row = page.houses.rows[0]
    assert row[5] == "修缮中" and row[6] == "非遗·剪纸工作室" and row[1] == "李*"


def test_the_english_page_shows_english_protection_classes_and_contract_statuses(qtbot, db, english_ui):
    """Stored codes are shown through the label tables in the user's language (issue 21, migration 0023)."""
    owner = svc.add_person(db, "Wang Jie", make_id_number("321002", date(1952, 4, 4), 21))
    house_id = svc.create_house(db, svc.HouseInput("Renhe Lane", "9", [owner], area="86.5",
                                                   protection=Protection.TRADITIONAL))
    cid = svc.create_contract(db, house_id, [owner], svc.TermsInput(date(2025, 1, 1), 120, 1_200_000))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    page.as_of = AS_OF
    _reload(page, qtbot)
    assert page.houses.rows[0][3] == "traditional character"
    assert page.contracts.rows[0][3] == "in force"
    page.select_contract(cid)
    assert "in force" in page.detail.text() and svc.contract_view(db, cid).status == ContractStatus.ACTIVE
    dialog = HouseDialog(db, page, house_id=house_id)
    qtbot.addWidget(dialog)
    assert [dialog.protection.itemText(i) for i in range(dialog.protection.count())] == \
        ["cultural relic", "historic building", "traditional character", "none"]
    assert dialog.protection.currentData() == Protection.TRADITIONAL
