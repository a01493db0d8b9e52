"""The household dialog's members grid (an editable RowsModel): typed into from the keyboard, the head ticked
with Space, members added and removed with the buttons under it, and what it holds is what is saved."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton

from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import households as hs
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.household_dialog import HEAD, ID_NUMBER, NAME, RELATION, HouseholdDialog


def _type(qtbot, dialog, row, column, text):
    view, model = dialog.people, dialog.people_model
    view.setCurrentIndex(model.index(row, column))
    qtbot.keyClick(view, Qt.Key.Key_F2)  # the edit key opens the cell's editor, as a double-click does
    [editor] = [e for e in view.findChildren(QLineEdit) if e.isVisible()]  # the one open editor
    editor.selectAll()
    editor.insert(text)  # what a Chinese input method commits (QTest types ASCII only)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _button(dialog, text):
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_members_are_typed_ticked_added_and_removed_in_the_grid(qtbot, db, qtmodeltester, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)  # on close
    project = create_place(db, "project", "幸福里改造")
    unit = create_place(db, "unit", "1单元", create_place(db, "building", "1号楼",
                                                         create_place(db, "block", "幸福里", project)))
    dialog = HouseholdDialog(db, unit_id=unit)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.people_model
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.value(0, HEAD) is True  # a new household starts with its head
    assert model.index(0, HEAD).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not model.flags(model.index(0, HEAD)) & Qt.ItemFlag.ItemIsEditable  # ticked, not typed into
    _type(qtbot, dialog, 0, NAME, "王𠮷")
    _type(qtbot, dialog, 0, ID_NUMBER, make_id_number("110105", date(1950, 1, 1), 1))
    assert dialog.person_text(0, NAME) == "王𠮷"

    _button(dialog, "添加成员").click()
    _button(dialog, "添加成员").click()
    assert model.rowCount() == 3 and model.value(1, HEAD) is False
    _type(qtbot, dialog, 1, NAME, "王小明")
    _type(qtbot, dialog, 1, RELATION, "子")
    _type(qtbot, dialog, 2, NAME, "李四")
    dialog.people.setCurrentIndex(model.index(1, HEAD))
    qtbot.keyClick(dialog.people, Qt.Key.Key_Space)  # tick: two heads
    assert model.value(1, HEAD) is True
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.errors.isVisibleTo(dialog)
    qtbot.keyClick(dialog.people, Qt.Key.Key_Space)  # untick again
    assert model.value(1, HEAD) is False
    dialog.people.selectRow(2)
    _button(dialog, "删除成员").click()
    assert model.rowCount() == 2 and [dialog.person_text(r, NAME) for r in range(2)] == ["王𠮷", "王小明"]
    qtmodeltester.check(model)
    dialog.room.setText("101")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = hs.household_detail(db, dialog.saved_id)
    assert [(p.name, p.is_head, p.relation) for p in saved.people] == [("王𠮷", True, "户主"), ("王小明", False, "子")]
    edit = HouseholdDialog(db, saved)
    qtbot.addWidget(edit)
    assert edit.people_model.keys == [p.id for p in saved.people]  # each row keeps its person behind it
