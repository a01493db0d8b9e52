"""The shared rows model: built from a column spec it passes Qt's model checks (qtmodeltester); it answers a cell
from what it made when the rows were set (display strings once per row, a row's colour asked once per row)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from renewal_desk.ui.rows_model import Column, RowsModel


def test_cells_come_from_rows_prepared_once(qtmodeltester):
    model = RowsModel("Test", ["a", "b", "c"], right_aligned=[2])
    asked = []

    def colour(row: int) -> str | None:
        asked.append(row)
        return "#ff0000" if model.rows[row][2] > 1 else None

    model.highlight = colour
    model.set_rows([("x", None, 1), ("y", "z", 2)], keys=[10, 20])
    for _paint in range(3):
        for r in range(2):
            for c in range(3):
                model.cell(r, c)
    assert asked == [0, 1]  # once per row, not per cell and paint
    assert model.cell(0, 1) == ("", None, False) and model.cell(1, 2) == ("2", "#ff0000", True)
    assert model.cell(2, 0) is None and model.cell(-1, 0) is None
    assert model.data(model.index(1, 1)) == "z" and model.data(model.index(1, 0), Qt.ItemDataRole.UserRole) == 20
    assert model.rows[1][2] == 2  # the page still reads its own values
    model.set_rows([("w", "v", 5)])
    assert model.cell(0, 0) == ("w", "#ff0000", False) and asked == [0, 1, 0]  # new rows: asked again
    model.highlight = lambda _row: "#00ff00"
    assert model.cell(0, 0)[1] == "#00ff00"  # a new colour rule takes effect
    qtmodeltester.check(model)


def test_rows_model_passes_the_model_tester(qtmodeltester):
    model = RowsModel.of("LeasesPage", [Column("Address"), Column("Area", right=True), Column("Note")])
    qtmodeltester.check(model)
    model.set_rows([("幸福街1号", "30.50", None), ("幸福街2号", "12.00", "空置")], [11, 12])
    model.highlight = lambda row: "#b03a2e" if row == 1 else None
    qtmodeltester.check(model)
    assert model.columnCount() == 3 and model.rowCount() == 2
    assert model.data(model.index(0, 2)) == ""
    assert model.data(model.index(1, 1), Qt.ItemDataRole.TextAlignmentRole) is not None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.key_at(1) == 12 and model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == 11
    model.set_rows([("幸福街3号", "8", "")])
    qtmodeltester.check(model)
    assert model.key_at(0) == 0


def test_editable_rows_model_edits_only_its_editable_columns_and_keeps_choices(qtmodeltester):
    from renewal_desk.ui.rows_model import EditableRowsModel

    model = EditableRowsModel("AcceptanceDialog", [Column("Item"),
                                                   Column("Result", editable=True, choices=("合格", "不合格")),
                                                   Column("Note", editable=True)])
    qtmodeltester.check(model)
    model.set_rows([("竣工资料齐全", "合格", ""), ("居民反映问题已整改", "合格", "")])
    changed = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), top.column(), bottom.row())))
    qtmodeltester.check(model)
    assert model.flags(model.index(0, 0)) == Qt.ItemFlag.ItemIsEnabled  # shown, not selected or edited
    assert model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 0), "改名")
    assert not model.setData(model.index(0, 1), "差不多")  # not one of the choices
    assert model.setData(model.index(1, 1), "不合格") and model.setData(model.index(1, 2), "2 处未整改")
    assert model.rows == [("竣工资料齐全", "合格", ""), ("居民反映问题已整改", "不合格", "2 处未整改")]
    assert model.data(model.index(1, 2), Qt.ItemDataRole.EditRole) == "2 处未整改" == model.cell(1, 2)[0]
    model.set_column(2, "已复核")
    assert [r[2] for r in model.rows] == ["已复核", "已复核"]
    assert changed == [(1, 1, 1), (1, 2, 1), (0, 2, 1)]
    qtmodeltester.check(model)


def test_editable_and_tick_box_columns_take_what_the_user_gives(qtmodeltester):
    model = RowsModel.of("HouseholdDialog", [Column("Full name", editable=True), Column("Head", check=True),
                                             Column("Relation")])
    model.set_rows([("王𠮷", True, "户主")], keys=[7])
    qtmodeltester.check(model)
    name, head, relation = (model.index(0, c) for c in range(3))
    assert model.flags(name) & Qt.ItemFlag.ItemIsEditable and not model.flags(relation) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(head) & Qt.ItemFlag.ItemIsUserCheckable and not model.flags(head) & Qt.ItemFlag.ItemIsEditable
    assert head.data() == "" and head.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.cell(0, 1) is None and model.cell(0, 0) == ("王𠮷", None, False)  # Qt paints the tick box
    changed = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append((top.row(), top.column())))
    assert model.setData(name, "王吉") and name.data() == "王吉" and name.data(Qt.ItemDataRole.EditRole) == "王吉"
    assert model.setData(head, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.value(0, 1) is False and head.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert not model.setData(relation, "子") and relation.data() == "户主"  # a read-only cell refuses
    assert changed == [(0, 0), (0, 1)]
    assert model.insert_row(("李四", False, "子"), key=None) == 1 and model.keys == [7, None]
    assert model.insert_row(("", False, ""), key=9, row=0) == 0 and model.keys == [9, 7, None]
    qtmodeltester.check(model)
    model.remove_row(1)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["", "李四"] and model.keys == [9, None]
    qtmodeltester.check(model)


def test_strong_rows_are_bold_and_painted_by_qt(qtmodeltester):
    model = RowsModel.of("ConflictDialog", [Column("Field"), Column("On this laptop"), Column("Incoming")])
    model.set_rows([("备注", "甲", "乙"), ("房号", "101", "101")])
    model.strong = lambda row: model.rows[row][1] != model.rows[row][2]
    qtmodeltester.check(model)
    bold = model.index(0, 2).data(Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold() and model.index(1, 2).data(Qt.ItemDataRole.FontRole) is None
    assert model.cell(0, 0) is None and model.cell(1, 0) == ("房号", None, False)
