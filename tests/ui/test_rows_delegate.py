"""The delegate that paints every list (widgets/tables.py): what it paints is what the model's roles
say — the text (elided when it does not fit), the highlight colour, right alignment, the selection."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette

from renewal_desk.ui.rows_model import RowsModel
from renewal_desk.ui.widgets.tables import RowsDelegate, table_view

RED = "#b03a2e"


def _view(qtbot, rows, right=(), highlight=None):
    model = RowsModel("T", ["名称", "面积"], right_aligned=right)
    model.set_rows(rows)
    if highlight:
        model.highlight = highlight
    view = table_view(model)
    qtbot.addWidget(view)
    view.resize(420, 200)
    view.setColumnWidth(0, 200)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(30)  # the view lays its items out from the event loop
    return model, view


def _cell_image(view, row, column) -> QImage:
    rect = view.visualRect(view.model().index(row, column))
    return view.viewport().grab(rect).toImage()


def _has_colour(image: QImage, colour: QColor, tolerance: int = 40) -> bool:
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < tolerance:
                return True
    return False


def _ink_columns(image: QImage, background: QColor) -> list[int]:
    """x positions where something other than the background is painted."""
    found = []
    for x in range(image.width()):
        for y in range(image.height()):
            c = image.pixelColor(x, y)
            if abs(c.red() - background.red()) + abs(c.green() - background.green()) + abs(c.blue() - background.blue()) > 60:
                found.append(x)
                break
    return found


def test_every_list_paints_through_the_rows_delegate(qtbot):
    _model, view = _view(qtbot, [("甲", "1.00")])
    assert isinstance(view.itemDelegate(), RowsDelegate)


def test_cells_agree_with_the_model_roles(qtbot):
    model, _view_ = _view(qtbot, [("王𠮷", "12.50"), ("李四", None)], right=(1,),
                          highlight=lambda r: RED if r == 0 else None)
    for r in range(2):
        for c in range(2):
            index = model.index(r, c)
            text, colour, right = model.cell(r, c)
            assert text == index.data(Qt.ItemDataRole.DisplayRole)
            brush = index.data(Qt.ItemDataRole.ForegroundRole)
            assert (brush.color().name() if brush else None) == colour
            assert right == (index.data(Qt.ItemDataRole.TextAlignmentRole) is not None)


def test_highlight_colour_and_alignment_are_painted(qtbot):
    _model, view = _view(qtbot, [("陈建国", "88.00"), ("赵敏", "9.00")], right=(1,),
                         highlight=lambda r: RED if r == 0 else None)
    assert _has_colour(_cell_image(view, 0, 0), QColor(RED))
    assert not _has_colour(_cell_image(view, 1, 0), QColor(RED))
    base = view.palette().color(QPalette.ColorRole.Base)
    right_cell = _cell_image(view, 0, 1)
    left_cell = _cell_image(view, 0, 0)
    inked_right, inked_left = _ink_columns(right_cell, base), _ink_columns(left_cell, base)
    assert inked_right and inked_left
    assert min(inked_right) > right_cell.width() // 2  # right-aligned text sits in the right half
    assert max(inked_left) < left_cell.width() // 2


def test_selected_row_is_painted_selected(qtbot):
    _model, view = _view(qtbot, [("甲", "1.00"), ("乙", "2.00")])
    view.selectRow(1)
    view.setFocus()
    qtbot.wait(20)
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    assert _has_colour(_cell_image(view, 1, 0), highlight, 30)
    assert not _has_colour(_cell_image(view, 0, 0), highlight, 30)


def test_long_text_is_elided_within_its_cell(qtbot):
    long = "材料堆放占用消防通道需要尽快清理" * 4
    _model, view = _view(qtbot, [(long, "1.00")])
    delegate = view.itemDelegate()
    width = view.columnWidth(0) - 8
    static, text_width, _h = delegate._prepared(long, width)
    assert static.text().endswith("…") and text_width <= width
    short_static, _w, _h = delegate._prepared("短", width)
    assert short_static.text() == "短"


def test_a_font_change_drops_prepared_texts(qtbot):
    _model, view = _view(qtbot, [("甲", "1.00")])
    delegate = view.itemDelegate()
    view.viewport().repaint()
    assert delegate._texts
    font = view.font()
    font.setPointSize(font.pointSize() + 6)
    view.setFont(font)
    assert not delegate._texts and delegate._font.pointSize() == font.pointSize()


def test_household_table_cells_agree_with_its_roles(window):
    """The household table (its own lazy model) paints through the same delegate; a revealed row's
    ID number and phone are red, as its foreground role says."""
    page = window.pages["households"]
    model = page.model
    assert isinstance(page.table.itemDelegate(), RowsDelegate)
    model.revealed.add(model._ids[0])
    model.invalidate_rows()
    for r in range(3):
        for c in range(model.columnCount()):
            index = model.index(r, c)
            text, colour, right = model.cell(r, c)
            assert text == index.data(Qt.ItemDataRole.DisplayRole)
            brush = index.data(Qt.ItemDataRole.ForegroundRole)
            assert (QColor(brush).name() if brush is not None else None) == colour
            assert right == bool(index.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight.value)
    assert model.cell(0, 4)[1] == RED and model.cell(1, 4)[1] is None


def test_a_column_sized_to_its_contents_shows_them_whole(qtbot):
    """Seen at 1366×768: dates and notice numbers in 内容宽度 columns were cut to "2026-10…" (Qt's size hint
    left the style's margin, smaller than the delegate's padding)."""
    from PySide6.QtWidgets import QHeaderView

    from renewal_desk.ui.widgets.tables import PADDING

    model, view = _view(qtbot, [("ZG-2026-0042", "2026-10-09"), ("ZG-2026-0041", "2026-11-14")])
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    qtbot.wait(30)
    widest = max(view.fontMetrics().horizontalAdvance(r[0]) for r in model.rows)
    assert view.columnWidth(0) >= widest + 2 * PADDING
    delegate = view.itemDelegate()
    static, width, _h = delegate._prepared(model.rows[0][0], view.columnWidth(0) - 2 * PADDING)
    assert static.text() == "ZG-2026-0042"  # painted whole, not elided
