"""The shared rows model answers a cell from what it made when the rows were set: display strings once per
row, a row's colour asked of the page once per row (not per cell per paint)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from renewal_desk.ui.rows_model import RowsModel


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
