"""设置 → 单位信息 as a person uses it; the lease contract's lessee block comes from it."""

import subprocess

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from renewal_desk.core import settings
from renewal_desk.ui.office_dialog import OfficeProfileDialog


def _in_dialog(qtbot, act):
    done = []

    def run():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, OfficeProfileDialog):
            QTimer.singleShot(20, run)
            return
        act(dialog)
        done.append(dialog)

    QTimer.singleShot(0, run)
    return done


def _type(qtbot, edit, text):
    """Replace the field's text as a person does: select all, delete, type (Chinese arrives through the
    input method, as one insertion)."""
    edit.setFocus()
    edit.selectAll()
    edit.del_()
    edit.insert(text)


def test_office_profile_from_settings_fills_the_lease_contract(window, qtbot, demo_db, tmp_path):
    page = window.show_section("settings")
    button = page.findChild(QPushButton, "officeProfileButton")
    seen = {}

    def refuse_then_fix(dialog):
        _type(qtbot, dialog.edits["office.name"], "")
        _type(qtbot, dialog.edits["office.phone"], "电话abc")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        seen["errors"] = dialog.errors.text()
        seen["kept"] = dialog.edits["office.phone"].text()
        _type(qtbot, dialog.edits["office.name"], "和平街道办事处")
        _type(qtbot, dialog.edits["office.address"], "扬州市和平路8号")
        _type(qtbot, dialog.edits["office.head"], "李建国")
        _type(qtbot, dialog.edits["office.phone"], "0514-86660000")
        _type(qtbot, dialog.edits["office.seal_text"], "扬州市和平街道办事处")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    done = _in_dialog(qtbot, refuse_then_fix)
    button.click()
    assert done
    assert "单位名称不能为空" in seen["errors"] and "联系电话" in seen["errors"] and "office" not in seen["errors"]
    assert seen["kept"] == "电话abc"
    profile = settings.office_profile(demo_db)
    assert (profile.name, profile.head, profile.phone) == ("和平街道办事处", "李建国", "0514-86660000")
    assert "和平街道办事处" in window.feedback.label.text()

    # a new lease, signed from the page's own form path: its contract names the office
    from datetime import date

    from renewal_desk.core.services import leases as svc
    from renewal_desk.core.services.printouts import print_document

    house = svc.create_house(demo_db, svc.HouseInput("和平路", "99号", [svc.add_person(demo_db, "钱某某")]))
    contract = svc.create_contract(demo_db, house, svc.house_owner_ids(demo_db, house),
                                   svc.TermsInput(date(2026, 1, 1), 120, 1_000_000))
    out = tmp_path / "contract.pdf"
    print_document(demo_db, "lease-contract", contract, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "负责人" in text and "联系电话" in text and "住所" in text
    assert "李建国" in text and "0514-86660000" in text and "扬州市和平路8号" in text


def test_office_profile_from_the_file_menu_cancel_keeps_it(window, qtbot, demo_db):
    before = settings.office_profile(demo_db)
    done = _in_dialog(qtbot, lambda d: (_type(qtbot, d.edits["office.head"], "改了"), d.reject()))
    assert not window.edit_office_profile()
    assert done and settings.office_profile(demo_db) == before
