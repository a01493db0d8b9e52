"""The household table: a QAbstractTableModel over an ordered list of ids.

Ids come from SQL (filtering and sorting with indexes) in a background task; rows are fetched for
the visible range in blocks and cached, so 100,000 households cost one id list, not 100,000 ORM
objects. Personal data is masked unless a household was revealed by a (logged) staff action.
"""

from __future__ import annotations

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt,
                            Signal)
from PySide6.QtGui import QColor

from renewal_desk.core.db import Database
from renewal_desk.core.models import AREA_SOURCE_LABELS
from renewal_desk.core.services.households import (HouseholdFilter, HouseholdRow, household_ids, household_rows,
                                                    match_reasons, needs_scan, warm_scan_index)

from . import tasks

FIRST_PAGE = 200  # rows shown before the rest of a scanned list arrives
_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGNMENT, _USER = (
    Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.ForegroundRole.value,
    Qt.ItemDataRole.TextAlignmentRole.value, Qt.ItemDataRole.UserRole.value)
from .i18n import core_lang
from .widgets.style import RED

REVEALED = RED  # full ID numbers and phones are painted in red: a reminder they are sensitive
BLOCK = 64  # rows fetched at a time (about two screens: a jump of the scroll bar reads little)
SCAN_INDEX_FROM = 5_000  # households from which one- and two-character searches use the in-memory ScanIndex
# (key, sort key or None, header source text); headers are translated in headerData.
COLUMNS = (
    ("building", "address", QT_TRANSLATE_NOOP("HouseholdTableModel", "Building")),
    ("unit", "address", QT_TRANSLATE_NOOP("HouseholdTableModel", "Unit")),
    ("room", "address", QT_TRANSLATE_NOOP("HouseholdTableModel", "Room")),
    ("head_name", "head", QT_TRANSLATE_NOOP("HouseholdTableModel", "Head of household")),
    ("id_number", None, QT_TRANSLATE_NOOP("HouseholdTableModel", "ID number")),
    ("phone", None, QT_TRANSLATE_NOOP("HouseholdTableModel", "Phone")),
    ("area", "area", QT_TRANSLATE_NOOP("HouseholdTableModel", "Area (m²)")),
    ("area_source", None, QT_TRANSLATE_NOOP("HouseholdTableModel", "Area source")),
    ("members", "members", QT_TRANSLATE_NOOP("HouseholdTableModel", "Members")),
    ("note", None, QT_TRANSLATE_NOOP("HouseholdTableModel", "Note")),
    # why a row matched the search (户主 / 家庭成员 郑某某 / 电话 …3698); the page shows it while searching
    ("reason", None, QT_TRANSLATE_NOOP("HouseholdTableModel", "Matched by")),
)
REASON_COLUMN = len(COLUMNS) - 1
_COLUMN_ALIGNMENT = tuple(
    (Qt.AlignmentFlag.AlignRight if key in ("area", "members") else Qt.AlignmentFlag.AlignLeft).value
    | Qt.AlignmentFlag.AlignVCenter.value for key, _sort, _label in COLUMNS)


class HouseholdTableModel(QAbstractTableModel):
    loaded = Signal(int)  # emitted on the GUI thread after new ids are in place; carries the row count
    # A list that needs a scan of every household comes in two steps: its first FIRST_PAGE rows
    # (first_page, what a person sees at once), then all of it (loaded, rows appended below).
    first_page = Signal(int)
    failed = Signal(object)

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self._ids: list[int] = []
        self._cache: dict[int, HouseholdRow] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # each row's cells, formatted once
        self._reasons: dict[int, str] = {}  # why each fetched row matched the current search
        self._filter = HouseholdFilter()
        self._sort, self._descending = "address", False
        self._generation = 0  # not a QueryOp: a stale result here means "run the latest request now", not "drop"
        self._loading = self._pending = self._partial = False
        self.revealed: set[int] = set()
        self._full: dict[int, tuple[str | None, str | None]] = {}  # revealed: (ID number, phone) in full
        self._lang = core_lang()
        self._headers: tuple[str, ...] | None = None
        self._unfiltered = 0  # households in the last list without a search
        # (generation, top rows, their match reasons) from a worker
        self._prefetched: tuple[int, dict[int, HouseholdRow], dict[int, str]] | None = None

    # --- loading ------------------------------------------------------------------------------
    def set_filter(self, flt: HouseholdFilter) -> None:
        self._filter = flt
        self.reload()

    def current_filter(self) -> HouseholdFilter:
        return self._filter

    def reload(self) -> None:
        """Recompute the id list off the GUI thread. While one query runs, newer requests wait and
        only the latest runs next (typing fast never queues a query per keystroke)."""
        self._generation += 1
        if self._loading:
            self._pending = True
            return
        self._start()

    def _start(self) -> None:
        self._loading, self._pending = True, False
        generation, flt, sort, desc = self._generation, self._filter, self._sort, self._descending
        if needs_scan(flt):  # a scan of every household: show the first page as soon as it is found
            tasks.submit(lambda: self._ids_and_top_rows(generation, lambda: household_ids(
                         self.db, flt, sort, desc, limit=FIRST_PAGE), flt.query),
                         lambda ids: self._first_page(generation, ids), self._load_failed, owner=self)
        else:
            self._load_all(generation)

    def _load_all(self, generation: int) -> None:
        flt, sort, desc = self._filter, self._sort, self._descending
        tasks.submit(lambda: self._ids_and_top_rows(generation, lambda: household_ids(self.db, flt, sort, desc),
                                                    flt.query),
                     lambda ids: self._finished(generation, ids), self._load_failed, owner=self)

    def _ids_and_top_rows(self, generation: int, fetch, query: str) -> list[int]:
        """In the worker: the ids, and the rows of the top of the list, so the first repaint after a keystroke
        only paints (the rows would otherwise be read on the GUI thread, from data())."""
        ids = fetch()
        if ids and generation == self._generation:
            self._prefetched = (generation, household_rows(self.db, ids[:BLOCK]), self._reasons_for(ids[:BLOCK], query))
        return ids

    def _reasons_for(self, ids: list[int], query: str) -> dict[int, str]:
        """Why these rows matched (a block at a time, like the rows: never the whole list)."""
        return match_reasons(self.db, ids, query, self._lang) if query.strip() else {}

    def _first_page(self, generation: int, ids: list[int]) -> None:
        self._loading = False
        if self._pending or generation != self._generation:
            self._start()  # the filter changed meanwhile: run the latest one
            return
        if len(ids) < FIRST_PAGE:  # that was all of them
            self._finished(generation, ids)
            return
        self._apply(generation, ids, complete=False)
        # The rest of the list loads on a thread of its own: the next keystroke's first page does not wait
        # for it, and a rest nobody will see any more (the filter changed) is skipped before it starts.
        flt, sort, desc = self._filter, self._sort, self._descending

        def rest() -> list[int] | None:
            return household_ids(self.db, flt, sort, desc) if generation == self._generation else None

        tasks.submit(rest, lambda ids: self._rest(generation, ids), self.failed.emit, owner=self,
                     pool=tasks.background_pool())

    def _rest(self, generation: int, ids: list[int] | None) -> None:
        if ids is None or generation != self._generation:
            return  # a newer list is on its way or shown
        self._finished(generation, ids, rest=True)

    def _finished(self, generation: int, ids: list[int], rest: bool = False) -> None:
        if not rest:
            self._loading = False
        if not self._filter.query:
            self._unfiltered = len(ids)
        if self._unfiltered >= SCAN_INDEX_FROM:
            # the whole list is in: (re)build the short-term search index now, off the GUI thread, so
            # the first keystrokes find it current (a no-op when nothing changed since it was built)
            tasks.submit(lambda: warm_scan_index(self.db))
        if self._pending or generation != self._generation:
            if not self._loading:
                self._start()  # the filter changed meanwhile: run the latest one
            return
        if self._partial and ids[:len(self._ids)] == self._ids:  # the first page stays; the rest is added
            self._partial = False
            if len(ids) > len(self._ids):
                self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
            self.loaded.emit(len(ids))
            return
        self._apply(generation, ids)

    def _load_failed(self, exc) -> None:
        self._loading = False
        if self._pending:
            self._start()
        self.failed.emit(exc)

    def _apply(self, generation: int, ids: list[int], complete: bool = True) -> None:
        if generation != self._generation:
            return
        # The new list replaces the old one in place (rows removed or added at the end, the rest changed):
        # no model reset, so the view keeps its header and section sizes and repaints only what is on screen.
        old = len(self._ids)
        prefetched, self._prefetched = self._prefetched, None

        def swap() -> None:
            self._ids = ids
            self._cache.clear()
            self._texts.clear()
            self._reasons.clear()
            if prefetched is not None and prefetched[0] == generation:
                self._cache.update(prefetched[1])
                self._reasons.update(prefetched[2])

        if len(ids) < old:
            self.beginRemoveRows(QModelIndex(), len(ids), old - 1)
            swap()
            self.endRemoveRows()
        elif len(ids) > old:
            self.beginInsertRows(QModelIndex(), old, len(ids) - 1)
            swap()
            self.endInsertRows()
        else:
            swap()
        kept = min(old, len(ids))
        if kept:
            self.dataChanged.emit(self.index(0, 0), self.index(kept - 1, len(COLUMNS) - 1))
        self._partial = not complete
        if complete:
            self.loaded.emit(len(ids))
        else:
            self.first_page.emit(len(ids))

    def invalidate_rows(self) -> None:
        """Drop cached row contents (after edits) and repaint."""
        self._cache.clear()
        self._texts.clear()
        self._reasons.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def _row(self, row: int) -> HouseholdRow | None:
        household_id = self._ids[row]
        found = self._cache.get(household_id)
        if found is None:
            start = (row // BLOCK) * BLOCK
            block = self._ids[start:start + BLOCK]
            if len(self._cache) > 60 * BLOCK:
                self._cache.clear()
                self._texts.clear()
                self._reasons.clear()
            self._cache.update(household_rows(self.db, block))
            self._reasons.update(self._reasons_for(block, self._filter.query))
            found = self._cache.get(household_id)
        return found

    # --- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            headers = self._headers
            if headers is None:  # translated once (the view asks for them at every layout)
                headers = self._headers = tuple(self.tr(c[2]) for c in COLUMNS)
            return headers[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every cell and role at each repaint: roles compared as ints, cells formatted
        # once per row, nothing else (scrolling 100,000 rows stays under a frame).
        if role == _DISPLAY or role == _TOOLTIP or role == _FOREGROUND:
            r = index.row()
            if not 0 <= r < len(self._ids):
                return None
            column = index.column()
            key = COLUMNS[column][0]
            if role == _FOREGROUND:
                if key in ("id_number", "phone") and self._ids[r] in self.revealed:
                    return QColor(REVEALED)  # full data shows in red: a reminder it is sensitive
                return None
            if role == _TOOLTIP and key not in ("note", "head_name", "reason"):
                return None
            texts = self._row_texts(r)
            return None if texts is None else texts[column]
        if role == _ALIGNMENT:
            return _COLUMN_ALIGNMENT[index.column()] if 0 <= index.column() < len(COLUMNS) else None
        if role == _USER and 0 <= index.row() < len(self._ids):
            return self._ids[index.row()]
        return None

    def _row_texts(self, r: int) -> tuple[str, ...] | None:
        texts = self._texts.get(self._ids[r])
        if texts is None:
            row = self._row(r)
            if row is None:
                return None
            texts = self._texts[row.id] = tuple(self._format(row, c[0]) for c in COLUMNS)
        return texts

    def cell(self, r: int, column: int) -> tuple[str, str | None, bool] | None:
        """What the rows delegate paints (widgets/tables.py): data()'s display, foreground and alignment
        roles in one call."""
        if not 0 <= r < len(self._ids):
            return None
        texts = self._row_texts(r)
        if texts is None:
            return None
        key = COLUMNS[column][0]
        colour = REVEALED if key in ("id_number", "phone") and self._ids[r] in self.revealed else None
        return texts[column], colour, key in ("area", "members")

    def _format(self, row: HouseholdRow, key: str) -> str:
        full = self._full.get(row.id) if row.id in self.revealed else None
        # the rows come masked from the service (households.household_rows without `full`); the revealed
        # ones in full from the audited reveal
        if key == "id_number":
            return (full[0] or "") if full else (row.id_number or "")
        if key == "phone":
            return (full[1] or "") if full else (row.phone or "")
        if key == "area":
            return "" if row.area is None else f"{row.area:.2f}"
        if key == "area_source":
            labels = AREA_SOURCE_LABELS.get(row.area_source)
            return labels[1 if self._lang == "en" else 0] if labels else row.area_source
        if key == "members":
            return str(row.members)
        if key == "reason":
            return self._reasons.get(row.id, "")
        return str(getattr(row, key) or "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][1] is None:
            return
        self._sort = COLUMNS[column][1]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # --- helpers for the page --------------------------------------------------------------------
    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, household_id: int) -> int:
        try:
            return self._ids.index(household_id)
        except ValueError:
            return -1

    def reveal(self, household_id: int, detail=None) -> None:
        """Show a household's head's full ID number and phone, from the (audited) reveal's detail: the rows
        core gives the table are masked."""
        head = next((p for p in detail.people if p.is_head), None) if detail is not None else None
        if head is not None:
            self._full[household_id] = (head.id_number, head.phone)
        self.revealed.add(household_id)
        self._texts.pop(household_id, None)
        row = self.row_of(household_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def hide_revealed(self) -> None:
        self.revealed.clear()
        self._full.clear()
        self.invalidate_rows()
