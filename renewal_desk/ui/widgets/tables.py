"""The table view every list uses (whole rows selected, not editable, fixed row height) and the one
delegate that paints the cells of every list, the household table included; and `edit_table`, the view
of a short list a form fills in (an EditableRowsModel: cells edited in place, a combo in a column of choices).

Painting, not data, is what a frame of a list costs: Qt's default delegate asks the model for about ten
roles per cell (ten calls into Python) and lays the text out again (shaping CJK text) every time it is
painted. `RowsDelegate` asks the model once per cell (`cell(row, column)`: text, colour, alignment) and
draws each text from a prepared QStaticText kept in a bounded cache, so a scrolled frame repaints from
laid-out glyphs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHeaderView, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QTableView)

from ..rows_model import EditableRowsModel, RowsModel

PADDING = 4  # pixels left and right of a cell's text, as the default delegate leaves
CACHE_LIMIT = 1_500  # prepared texts kept per view: five screens of distinct cells (each holds its laid-out glyphs;
# a view out of sight keeps none)
_SELECTED = QStyle.StateFlag.State_Selected.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_RESET_ON = (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange, QEvent.Type.LanguageChange)


class RowsDelegate(QStyledItemDelegate):
    """Paints a cell from its model's `cell(row, column) -> (text, colour or None, right-aligned)`;
    models without `cell`, and cells it answers None for (tick boxes, bold rows), are painted by Qt's
    delegate. Per cell it does one call into the model and one drawStaticText; what depends on the view
    (font, palette) is read when the view changes."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._texts: dict[tuple[str, int], tuple[QStaticText, float, float]] = {}
        self._widths: dict[str, int] = {}  # a text's width with the padding (sizeHint)
        self._pens: dict[str, QColor] = {}
        self._reset()
        view.installEventFilter(self)

    def _reset(self) -> None:
        view = self._view
        self._texts.clear()
        self._widths.clear()
        self._font = view.font()
        self._metrics = QFontMetrics(self._font)
        self._line = self._metrics.height() + 2 * PADDING
        palette = view.palette()
        self._colours = {active: (palette.brush(group, QPalette.ColorRole.Highlight),
                                  palette.color(group, QPalette.ColorRole.HighlightedText),
                                  palette.color(group, QPalette.ColorRole.Text))
                         for active, group in ((True, QPalette.ColorGroup.Active),
                                               (False, QPalette.ColorGroup.Inactive))}

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _RESET_ON:
            self._reset()
        elif event.type() == QEvent.Type.Hide:  # out of sight (another tab or section): its laid-out texts go
            self._texts.clear()
            self._widths.clear()
        return False

    def _prepared(self, text: str, width: int) -> tuple[QStaticText, float, float]:
        shown = text.replace("\n", " ")
        if self._metrics.horizontalAdvance(shown) > width:
            shown = self._metrics.elidedText(shown, Qt.TextElideMode.ElideRight, max(0, width))
        static = QStaticText(shown)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(font=self._font)
        if len(self._texts) >= CACHE_LIMIT:
            self._texts.clear()
        size = static.size()
        found = self._texts[(text, width)] = (static, size.width(), size.height())
        return found

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex):  # noqa: N802
        """Wide enough for the text with this delegate's padding (Qt's hint leaves the style's smaller
        margin, so a column sized to its contents cut every value by a pixel or two: "2026-10…"), as high as
        a line. A column sized to its contents asks this of up to 1,000 rows each time its list changes:
        one call into the model per cell, the width of each distinct text measured once."""
        cell = getattr(index.model(), "cell", None)
        found = cell(index.row(), index.column()) if cell is not None else None
        if found is None:
            return super().sizeHint(option, index)
        text = found[0]
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= CACHE_LIMIT:
                self._widths.clear()
            width = self._widths[text] = self._metrics.horizontalAdvance(text.replace("\n", " ")) + 2 * PADDING + 1
        return QSize(width, self._line)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        cell = getattr(index.model(), "cell", None)
        if cell is None:
            super().paint(painter, option, index)
            return
        found = cell(index.row(), index.column())
        if found is None:  # a tick box or a bold row: Qt's delegate paints it (check mark, font)
            super().paint(painter, option, index)
            return
        text, colour, right = found
        rect = option.rect
        state = option.state.value
        highlight, highlighted_text, plain = self._colours[bool(state & _ACTIVE)]
        selected = state & _SELECTED
        if selected:
            painter.fillRect(rect, highlight)
        if not text:
            return
        x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
        width = w - 2 * PADDING
        prepared = self._texts.get((text, width))
        if prepared is None:
            prepared = self._prepared(text, width)
        static, text_width, text_height = prepared
        if selected:
            painter.setPen(highlighted_text)
        elif colour:
            pen = self._pens.get(colour)
            if pen is None:
                pen = self._pens[colour] = QColor(colour)
            painter.setPen(pen)
        else:
            painter.setPen(plain)
        painter.drawStaticText(QPointF(x + w - PADDING - text_width if right else x + PADDING,
                                       y + (h - text_height) / 2), static)


class RowNumbers(QHeaderView):
    """The vertical header of a long list: row numbers in rows of one height. Qt works out a header's width from
    200 of its sections, asking the model five roles for each (a thousand calls into Python, ~10 ms, whenever the
    row count changes: at every keystroke of a search); the numbers' width depends only on how many digits the
    last one has."""

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._hint: tuple[int, QSize] | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        digits = len(str(max(self.count(), 1)))
        if self._hint is None or self._hint[0] != digits:
            width = self.fontMetrics().horizontalAdvance("9" * digits) + 2 * self.style().pixelMetric(
                QStyle.PixelMetric.PM_HeaderMargin, None, self) + 4
            self._hint = (digits, QSize(width, self.defaultSectionSize()))
        return self._hint[1]

    def sectionSizeFromContents(self, logical_index: int) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()


def use_rows_delegate(view: QAbstractItemView) -> RowsDelegate:
    delegate = RowsDelegate(view)
    view.setItemDelegate(delegate)
    return delegate


def table_view(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    use_rows_delegate(view)
    return view


def fit_columns(view: QTableView, stretch: int | None = None) -> QTableView:
    """Every column as wide as its contents (dates, numbers, names whole), one column taking the rest (the
    last unless `stretch` names another): nothing cut off at the right."""
    header = view.horizontalHeader()
    last = view.model().columnCount() - 1
    if stretch is None or stretch == last:
        for col in range(last):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        return view
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class ChoiceDelegate(QStyledItemDelegate):
    """A combo of a column's choices, kept open in every row (edit_table opens it): choosing writes the
    choice to the model at once."""

    def __init__(self, choices: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt's name
        box = QComboBox(parent)
        box.addItems(list(self.choices))
        box.currentIndexChanged.connect(lambda _i, b=box: self.commitData.emit(b))
        return box

    def setEditorData(self, editor, index) -> None:  # noqa: N802
        found = editor.findText(index.data(Qt.ItemDataRole.EditRole) or "")
        if found >= 0 and found != editor.currentIndex():
            editor.blockSignals(True)
            editor.setCurrentIndex(found)
            editor.blockSignals(False)

    def setModelData(self, editor, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index) -> None:  # noqa: N802
        editor.setGeometry(option.rect)


def edit_table(model: EditableRowsModel) -> QTableView:
    """The view of a list a form fills in: Qt's editing (double-click, F2 or typing in a cell), each column
    with choices a combo open in every row; no row numbers, the last column takes the rest of the width."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    choice_columns = [col for col, c in enumerate(model.columns) if c.choices]
    for col in choice_columns:
        view.setItemDelegateForColumn(col, ChoiceDelegate(model.columns[col].choices, view))

    def open_combos() -> None:
        for col in choice_columns:
            for row in range(model.rowCount()):
                view.openPersistentEditor(model.index(row, col))

    model.modelReset.connect(open_combos)
    open_combos()
    return view
