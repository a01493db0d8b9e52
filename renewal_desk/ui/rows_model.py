"""A read-only table model over a short list of display rows (registers, schedules, payments), and the
same with some columns the user fills in place (EditableRowsModel: a form's short list, such as a
notice's measures per problem or an acceptance checklist).

For lists of tens to a few thousand rows that a service returns whole; the household table, which
can hold 100,000 rows, has its own lazy model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor


_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGNMENT, _USER, _EDIT = (
    Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.ForegroundRole.value,
    Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.UserRole.value, Qt.ItemDataRole.EditRole.value)
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_BRUSHES: dict[str, QBrush] = {}


@dataclass(frozen=True)
class Column:
    """One column of a RowsModel: its header (English source text, translated in the model's context) and
    whether its figures are right-aligned; in an EditableRowsModel, whether the user edits it and, if its
    value is one of a few, which (shown as a combo: widgets/tables.edit_table)."""

    header: str
    right: bool = False
    editable: bool = False
    choices: tuple[str, ...] = ()


class RowsModel(QAbstractTableModel):
    """Rows are tuples of display values; `keys[i]` is the id behind row i (UserRole)."""

    def __init__(self, context: str, headers: Sequence[str], right_aligned: Sequence[int] = (), parent=None):
        super().__init__(parent)
        self.context, self.headers = context, list(headers)
        self.right_aligned = set(right_aligned)
        self.rows: list[tuple] = []
        self.keys: list[Any] = []
        self._texts: list[tuple[str, ...]] = []  # each row's display strings, made once when the rows are set
        self._tips: list[str] | None = None  # each row's tooltip, when set_rows was given them
        self._colours: dict[int, str | None] = {}  # each painted row's colour, asked of `highlight` once per row
        self._highlight: Callable[[int], str | None] = lambda _row: None

    @property
    def highlight(self) -> Callable[[int], str | None]:
        return self._highlight

    @highlight.setter
    def highlight(self, fn: Callable[[int], str | None]) -> None:
        self._highlight = fn
        self._colours.clear()

    def _colour(self, r: int) -> str | None:
        try:
            return self._colours[r]
        except KeyError:
            colour = self._colours[r] = self._highlight(r)
            return colour

    @classmethod
    def of(cls, context: str, columns: Sequence[Column], parent=None) -> "RowsModel":
        """The model for a column spec: RowsModel.of("LeasesPage", [Column("Address"), Column("Area", right=True)])."""
        return cls(context, [c.header for c in columns], [i for i, c in enumerate(columns) if c.right], parent)

    def set_rows(self, rows: Sequence[tuple], keys: Sequence[Any] | None = None,
                 tips: Sequence[str] | None = None) -> None:
        """The rows, the id behind each (default: its position) and, if given, each row's tooltip (else a cell's
        tooltip is its text, whole where the column cuts it)."""
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        self._texts = [tuple("" if v is None else str(v) for v in r) for r in self.rows]
        self._colours.clear()
        self.keys = list(keys) if keys is not None else list(range(len(self.rows)))
        self._tips = list(tips) if tips is not None else None
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.headers):
            return QCoreApplication.translate(self.context, self.headers[section])
        return None

    def data(self, index, role=_DISPLAY):
        # Called for every visible cell and role at each repaint: roles compared as plain ints (PySide's
        # enum members cost microseconds per comparison), brushes made once per colour.
        if role == _DISPLAY or role == _TOOLTIP:
            r = index.row()
            if 0 <= r < len(self._texts):
                if role == _TOOLTIP and self._tips is not None:
                    return self._tips[r]
                return self._texts[r][index.column()]
            return None
        if role == _FOREGROUND:
            r = index.row()
            if 0 <= r < len(self.rows):
                color = self._colour(r)
                if color:
                    brush = _BRUSHES.get(color)
                    if brush is None:
                        brush = _BRUSHES[color] = QBrush(QColor(color))
                    return brush
            return None
        if role == _ALIGNMENT:
            return _RIGHT if index.column() in self.right_aligned else None
        if role == _USER:
            r = index.row()
            return self.keys[r] if 0 <= r < len(self.keys) else None
        return None

    def cell(self, row: int, column: int) -> tuple[str, str | None, bool] | None:
        """What the rows delegate paints: the text, its colour (None: the palette's) and whether it is
        right-aligned — the same as data()'s display, foreground and alignment roles, in one call."""
        if not 0 <= row < len(self._texts):
            return None
        return self._texts[row][column], self._colour(row), column in self.right_aligned

    def key_at(self, row: int) -> Any:
        return self.keys[row] if 0 <= row < len(self.keys) else None


class EditableRowsModel(RowsModel):
    """Rows of text some of whose columns the user edits in place (the spec's `editable` columns; a column
    with `choices` takes only one of them). Read-only columns are shown, not selected or edited. `rows`
    holds the rows as edited: a form reads its values from there when it is saved."""

    def __init__(self, context: str, columns: Sequence[Column], parent=None):
        super().__init__(context, [c.header for c in columns], [i for i, c in enumerate(columns) if c.right], parent)
        self.columns = list(columns)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.columns[index.column()].editable:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        return Qt.ItemFlag.ItemIsEnabled

    def data(self, index, role=_DISPLAY):
        if role == _EDIT:
            r = index.row()
            return self._texts[r][index.column()] if 0 <= r < len(self._texts) else None
        return super().data(index, role)

    def setData(self, index, value, role=_EDIT) -> bool:  # noqa: N802 - Qt's name
        role = getattr(role, "value", role)
        if role != _EDIT or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return False
        column = self.columns[index.column()]
        text = "" if value is None else str(value)
        if not column.editable or (column.choices and text not in column.choices):
            return False
        self._set(index.row(), index.column(), text)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def set_column(self, column: int, text: str) -> None:
        """Every row's value in one column (a notice's measures for all its problems at once)."""
        if not self.rows:
            return
        for r in range(len(self.rows)):
            self._set(r, column, text)
        self.dataChanged.emit(self.index(0, column), self.index(len(self.rows) - 1, column),
                              [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])

    def _set(self, r: int, column: int, text: str) -> None:
        row = list(self.rows[r])
        row[column] = text
        self.rows[r] = tuple(row)
        texts = list(self._texts[r])
        texts[column] = text
        self._texts[r] = tuple(texts)
