"""The table model over a short list of display rows (registers, schedules, payments, the fields of a conflict),
and the lists a form fills in (EditableRowsModel: a notice's measures per problem, an acceptance checklist).

For lists of tens to a few thousand rows that a service returns whole; the household table, which
can hold 100,000 rows, has its own lazy model. Read-only unless its column spec says otherwise: a column
may be typed into (`editable`: a household's members) or be a tick box (`check`: the ordering form's menu);
such grids add and remove rows one at a time (`insert_row`, `remove_row`) and the page sets a cell with
`set_value` (or a whole column, `set_column`). A column of `choices` takes only one of them (widgets/tables.edit_table
shows it as a combo).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont


_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGNMENT, _USER, _EDIT, _CHECK, _FONT = (
    Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.ForegroundRole.value,
    Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.UserRole.value, Qt.ItemDataRole.EditRole.value,
    Qt.ItemDataRole.CheckStateRole.value, Qt.ItemDataRole.FontRole.value)
_CHECKED, _UNCHECKED = Qt.CheckState.Checked.value, Qt.CheckState.Unchecked.value
_READ = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_BRUSHES: dict[str, QBrush] = {}


@dataclass(frozen=True)
class Column:
    """One column of a RowsModel: its header (English source text, translated in the model's context),
    whether its figures are right-aligned, whether the user types into it (`editable`; the view's edit
    triggers say when), whether it is a tick box (`check`: its value is a bool, shown as a box the user
    can tick, without text) and, for a typed column whose value is one of a few, which (`choices`)."""

    header: str
    right: bool = False
    editable: bool = False
    check: bool = False
    choices: tuple[str, ...] = ()


class RowsModel(QAbstractTableModel):
    """Rows are tuples of display values; `keys[i]` is the id behind row i (UserRole)."""

    def __init__(self, context: str, headers: Sequence[str], right_aligned: Sequence[int] = (), parent=None, *,
                 editable: Sequence[int] = (), checks: Sequence[int] = (), columns: Sequence[Column] = ()):
        super().__init__(parent)
        self.context, self.headers = context, list(headers)
        self.right_aligned = set(right_aligned)
        self.editable, self.checks = frozenset(editable), frozenset(checks)
        self.columns = list(columns)  # the spec it was made of (RowsModel.of), if any
        self.choices = {i: c.choices for i, c in enumerate(self.columns) if c.choices}
        self.rows: list[tuple] = []
        self.keys: list[Any] = []
        self._texts: list[tuple[str, ...]] = []  # each row's display strings, made once when the rows are set
        self._tips: list[str] | None = None  # each row's tooltip, when set_rows was given them
        self._colours: dict[int, str | None] = {}  # each painted row's colour, asked of `highlight` once per row
        self._highlight: Callable[[int], str | None] = lambda _row: None
        self._strong: Callable[[int], bool] | None = None  # rows set in bold (the fields that differ)

    @property
    def highlight(self) -> Callable[[int], str | None]:
        return self._highlight

    @highlight.setter
    def highlight(self, fn: Callable[[int], str | None]) -> None:
        self._highlight = fn
        self._colours.clear()

    @property
    def strong(self) -> Callable[[int], bool] | None:
        return self._strong

    @strong.setter
    def strong(self, fn: Callable[[int], bool] | None) -> None:
        """Rows shown in bold: `fn(row)` is asked when a row is painted; None: none (the default)."""
        self.beginResetModel()
        self._strong = fn
        self.endResetModel()

    def _colour(self, r: int) -> str | None:
        try:
            return self._colours[r]
        except KeyError:
            colour = self._colours[r] = self._highlight(r)
            return colour

    @classmethod
    def of(cls, context: str, columns: Sequence[Column], parent=None) -> "RowsModel":
        """The model for a column spec: RowsModel.of("LeasesPage", [Column("Address"), Column("Area", right=True)])."""
        return cls(context, [c.header for c in columns], [i for i, c in enumerate(columns) if c.right], parent,
                   editable=[i for i, c in enumerate(columns) if c.editable],
                   checks=[i for i, c in enumerate(columns) if c.check], columns=columns)

    def _text(self, column: int, value: Any) -> str:
        return "" if value is None or column in self.checks else str(value)

    def set_rows(self, rows: Sequence[tuple], keys: Sequence[Any] | None = None,
                 tips: Sequence[str] | None = None) -> None:
        """The rows, the id behind each (default: its position) and, if given, each row's tooltip (else a cell's
        tooltip is its text, whole where the column cuts it)."""
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        checks = self.checks
        self._texts = [tuple("" if v is None or c in checks else str(v) for c, v in enumerate(r)) for r in self.rows]
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
        if role == _EDIT:
            r = index.row()
            return self._texts[r][index.column()] if 0 <= r < len(self._texts) else None
        if role == _CHECK:
            r = index.row()
            if index.column() in self.checks and 0 <= r < len(self.rows):
                return Qt.CheckState.Checked if self.rows[r][index.column()] else Qt.CheckState.Unchecked
            return None
        if role == _FONT:
            r = index.row()
            if self._strong is not None and 0 <= r < len(self.rows) and self._strong(r):
                font = QFont()
                font.setBold(True)
                return font
            return None
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        column = index.column()
        if column in self.checks:
            return _READ | Qt.ItemFlag.ItemIsUserCheckable
        if column in self.editable:
            return _READ | Qt.ItemFlag.ItemIsEditable
        return _READ

    def setData(self, index, value, role=_EDIT) -> bool:  # noqa: N802 - Qt's name
        """What the user typed into an editable cell or ticked in a tick box (a read-only cell refuses)."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return False
        role = role.value if hasattr(role, "value") else role
        column = index.column()
        if role == _CHECK and column in self.checks:
            state = value.value if hasattr(value, "value") else value
            self.set_value(index.row(), column, state == _CHECKED)
            return True
        if role == _EDIT and column in self.editable:
            text = "" if value is None else str(value)
            if column in self.choices and text not in self.choices[column]:
                return False  # not one of the column's choices
            self.set_value(index.row(), column, text)
            return True
        return False

    def set_value(self, row: int, column: int, value: Any) -> None:
        """Put one value in a cell (the page filling a grid: a ticked item, a revealed ID number)."""
        values = list(self.rows[row])
        values[column] = value
        self.rows[row] = tuple(values)
        texts = list(self._texts[row])
        texts[column] = self._text(column, value)
        self._texts[row] = tuple(texts)
        self._colours.pop(row, None)
        index = self.index(row, column)
        self.dataChanged.emit(index, index)

    def set_column(self, column: int, value: Any) -> None:
        """Every row's value in one column (a notice's measures for all its problems at once)."""
        if not self.rows:
            return
        for r in range(len(self.rows)):
            values = list(self.rows[r])
            values[column] = value
            self.rows[r] = tuple(values)
            texts = list(self._texts[r])
            texts[column] = self._text(column, value)
            self._texts[r] = tuple(texts)
        self._colours.clear()
        self.dataChanged.emit(self.index(0, column), self.index(len(self.rows) - 1, column))

    def value(self, row: int, column: int) -> Any:
        return self.rows[row][column]

    def insert_row(self, values: Sequence[Any], key: Any = None, row: int | None = None) -> int:
        """Add one row (at the end unless `row` says where), with the id behind it; returns its position."""
        row = len(self.rows) if row is None else row
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, tuple(values))
        self._texts.insert(row, tuple(self._text(c, v) for c, v in enumerate(values)))
        self.keys.insert(row, key)
        if self._tips is not None:
            self._tips.insert(row, "")
        self._colours.clear()
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        for rows in (self.rows, self._texts, self.keys) + ((self._tips,) if self._tips is not None else ()):
            del rows[row]
        self._colours.clear()
        self.endRemoveRows()

    def cell(self, row: int, column: int) -> tuple[str, str | None, bool] | None:
        """What the rows delegate paints: the text, its colour (None: the palette's) and whether it is
        right-aligned — the same as data()'s display, foreground and alignment roles, in one call. None for
        a cell Qt's own delegate paints: a tick box, a bold row (and a row out of range, which it leaves blank)."""
        if not 0 <= row < len(self._texts) or column in self.checks or (self._strong is not None
                                                                        and self._strong(row)):
            return None
        return self._texts[row][column], self._colour(row), column in self.right_aligned

    def key_at(self, row: int) -> Any:
        return self.keys[row] if 0 <= row < len(self.keys) else None


class EditableRowsModel(RowsModel):
    """A form's list (RowsModel.of its columns) whose read-only columns are shown only, not selected: the
    cursor goes from one cell to fill in to the next."""

    def __init__(self, context: str, columns: Sequence[Column], parent=None):
        spec = list(columns)
        super().__init__(context, [c.header for c in spec], [i for i, c in enumerate(spec) if c.right], parent,
                         editable=[i for i, c in enumerate(spec) if c.editable],
                         checks=[i for i, c in enumerate(spec) if c.check], columns=spec)

    def flags(self, index):
        if index.isValid() and index.column() not in self.editable and index.column() not in self.checks:
            return Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)
