"""RowsModel passes Qt's model checks (pytest-qt's qtmodeltester) built from a column spec, empty, filled,
refilled and with colours."""

from PySide6.QtCore import Qt

from renewal_desk.ui.rows_model import Column, RowsModel


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
