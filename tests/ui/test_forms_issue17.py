"""Issue 17's broken buttons and silent acceptances, driven as a person does: press the real button,
type into the real fields, and look at what the dialog says and what was (not) saved."""

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from sqlalchemy import func, select

from renewal_desk.core.models import Person, StoredHouse
from renewal_desk.core.services import leases as svc
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.leases_page import ContractDialog, HouseDialog, LeasesPage, PaymentDialog


def _button(widget, text: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text().rstrip("…") == text.rstrip("…")]
    assert found, f"no button {text!r}"
    return found[0]


def _reload(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_add_photos_button_of_the_register_attaches_the_chosen_file(qtbot, db, tmp_path, monkeypatch):
    from renewal_desk.core.services.attachments import attachments_of

    owner = svc.add_person(db, "李䶮", None, None)
    house_id = svc.create_house(db, svc.HouseInput("仁和里", "3号", [owner]))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    page.house_table.selectRow(0)
    photo = tmp_path / "before.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(photo)], "")))
    qtbot.mouseClick(_button(page, "添加照片…"), Qt.MouseButton.LeftButton)  # clicked(bool) used to arrive as files
    assert len(attachments_of(db, "stored_house", house_id)) == 1


def test_duplicate_address_is_refused_and_the_typed_text_stays(qtbot, db):
    owner = svc.add_person(db, "王𠮷", None, None)
    svc.create_house(db, svc.HouseInput("仁和里", "9号", [owner]))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    dialog = HouseDialog(db, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.street.setText("仁和里")
    dialog.number.setText("9号")
    dialog.owner_list.item(0).setSelected(True)
    qtbot.keyClicks(dialog.area, "8x6.5")  # the letter cannot be typed
    assert dialog.area.text() == "86.5"
    dialog.save()
    assert "已登记" in dialog.errors.text() and dialog.isVisible()
    assert dialog.street.text() == "仁和里" and dialog.number.text() == "9号"
    assert _count(db, StoredHouse) == 1
    qtbot.keyClicks(dialog.number, "A")  # fixing the value clears the red line
    assert dialog.errors.isHidden()
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and _count(db, StoredHouse) == 2


def test_new_lease_starts_today_is_not_in_arrears_and_refuses_a_payment_before_its_start(qtbot, db):
    owner = svc.add_person(db, "李䶮", None, None)
    house_id = svc.create_house(db, svc.HouseInput("仁和里", "3号", [owner]))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    dialog = ContractDialog(db, house_id, [owner], parent=page)
    qtbot.addWidget(dialog)
    assert dialog.start.date() == QDate.currentDate()
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    view = svc.contract_view(db, dialog.result_id)
    assert view.account(date.today()).arrears_fen == 0
    pay = PaymentDialog(db, view, page)
    qtbot.addWidget(pay)
    pay.show()
    pay.paid_on.setDate(QDate.currentDate().addDays(-1))
    pay.save()
    assert "早于合同开始日期" in pay.errors.text() and pay.isVisible()
    assert svc.contract_view(db, view.id).payments == []


def test_amount_with_three_decimals_and_works_ending_before_they_start_are_refused(qtbot, db):
    from renewal_desk.core.rules.money import entered_yuan_to_fen
    from renewal_desk.ui.leases_page import BusinessDialog, RestorationDialog

    import pytest
    from renewal_desk.core.problems import InputError

    with pytest.raises(InputError, match="两位小数"):
        entered_yuan_to_fen("1000.005")
    assert entered_yuan_to_fen("1,000.50") == 100050
    owner = svc.add_person(db, "李䶮", None, None)
    house_id = svc.create_house(db, svc.HouseInput("仁和里", "3号", [owner]))
    works = RestorationDialog(db, house_id)
    qtbot.addWidget(works)
    works.show()
    works.works.setPlainText("屋面翻修")
    works.start.setDate(QDate(2026, 10, 1))
    works.finished.setChecked(True)
    works.end.setDate(QDate(2026, 9, 1))
    qtbot.keyClicks(works.cost, "1000.005")
    assert works.cost.text() in ("01000.00", "1000.00")  # the third decimal cannot be typed
    works.save()
    assert "完工日期" in works.errors.text() and works.isVisible()
    business = BusinessDialog(db, house_id)
    qtbot.addWidget(business)
    business.operator.setText("剪" * 5200)
    business.save()
    assert "经营者过长" in business.errors.text()
    from renewal_desk.core.models import BusinessPlacement, Restoration

    assert _count(db, Restoration) == 0 and _count(db, BusinessPlacement) == 0  # nothing saved


def test_refused_appointment_creates_no_person(qtbot, db):
    from renewal_desk.ui.designer_page import AppointDialog

    project = create_place(db, "project", "幸福街区")
    block = create_place(db, "block", "仁和里", project)
    dialog = AppointDialog(db, block)
    qtbot.addWidget(dialog)
    dialog.show()
    before = _count(db, Person)
    dialog.designer.setEditText("周文渊")
    qtbot.keyClicks(dialog.letter, "WH-JZ-09")
    dialog.term_end.setDate(QDate.currentDate().addDays(-30))
    dialog.save()
    dialog.save()  # a retry
    assert dialog.errors.text() and dialog.isVisible()
    assert _count(db, Person) == before
    dialog.term_end.setDate(QDate.currentDate().addDays(365))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and _count(db, Person) == before + 1


def test_household_cancel_asks_before_discarding(qtbot, db, monkeypatch):
    from renewal_desk.ui.household_dialog import HouseholdDialog

    dialog = HouseholdDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.room, "602")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel))
    dialog.reject()
    assert asked and dialog.isVisible() and dialog.room.text() == "602"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    dialog.reject()
    assert not dialog.isVisible()
