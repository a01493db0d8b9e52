"""审计日志: the audit log, filtered by person, table, record and dates; a record's history; export.

The table is a model over ids fetched in pages by SQL (newest first; more as the view scrolls), rows
read for the visible range and cached. Filtering and loading run off the GUI thread. Nothing here
changes the log: it is append-only (core.services.audit_log, triggers in the database).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QSplitter, QTableView,
                               QTextEdit, QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import audit_log
from renewal_desk.core.services.audit_log import AuditFilter, AuditRow

from . import tasks
from .operations import QueryOp
from .page import Page
from .i18n import core_lang, fmt
from .widgets.feedback import error_text
from .widgets.style import ERROR_STYLE

COLUMNS = ("time", "operator", "action", "table", "record", "note", "changes")


class AuditModel(QAbstractTableModel):
    """Ids in SQL pages (keyset: below the last id seen); rows fetched for what is shown, cached."""

    loaded = Signal(int)
    failed = Signal(object)

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.ids: list[int] = []
        self.rows: dict[int, AuditRow] = {}
        self.filter = AuditFilter()
        self.complete = True
        self._load = QueryOp(self, self._first_page, self.failed.emit)
        self.headers = [self.tr("Time"), self.tr("Operator"), self.tr("Action"), self.tr("Table"), self.tr("Record"),
                        self.tr("Note"), self.tr("Changes")]

    # --- loading ---------------------------------------------------------------------------------
    def load(self, flt: AuditFilter) -> None:
        """Replace the filter; the first page is read in the background."""
        self.filter = flt
        self._load.run(lambda: audit_log.audit_ids(self.db, flt))  # a newer filter drops this one's result

    def _first_page(self, ids: list[int]) -> None:
        self.beginResetModel()
        self.ids, self.rows = list(ids), {}
        self.complete = len(ids) < audit_log.PAGE
        self.endResetModel()
        self.loaded.emit(len(self.ids))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 - Qt's names
        return not parent.isValid() and not self.complete

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if parent.isValid() or self.complete or not self.ids:
            return
        more = audit_log.audit_ids(self.db, self.filter, before_id=self.ids[-1])  # indexed: milliseconds
        self.complete = len(more) < audit_log.PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(more) - 1)
            self.ids.extend(more)
            self.endInsertRows()
            self.loaded.emit(len(self.ids))

    def row_at(self, row: int) -> AuditRow | None:
        if not 0 <= row < len(self.ids):
            return None
        key = self.ids[row]
        if key not in self.rows:
            # Read this row and its neighbours in one query: a screenful per round trip.
            window = self.ids[max(0, row - 20):row + 80]
            self.rows.update(audit_log.audit_rows(self.db, [i for i in window if i not in self.rows]))
        return self.rows.get(key)

    # --- the model -------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and \
                0 <= section < len(COLUMNS):
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        lang = core_lang()
        key = COLUMNS[index.column()]
        if key == "time":
            return row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if key == "operator":
            return row.operator
        if key == "action":
            return audit_log.action_label(row.action, lang)
        if key == "table":
            return audit_log.table_label(row.table, lang)
        if key == "record":
            return "" if row.record_id is None else str(row.record_id)
        if key == "note":
            return row.note
        return row.summary(lang)


class AuditPage(Page):
    status_message = Signal(str)
    watches = frozenset()
    refresh_when_shown = True  # what was done since it was last in sight

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Audit log"))
        heading.setStyleSheet("font-size: 20pt; font-weight: bold;")
        layout.addWidget(heading)
        note = QLabel(self.tr("Every change, reveal, print, login and export, newest first. The log can only grow: "
                              "nobody can edit or delete it. ID numbers and phones are masked."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout.addWidget(note)

        bar = QHBoxLayout()
        self.operator = QComboBox()
        self.operator.setObjectName("auditOperator")
        self.table_name = QComboBox()
        self.table_name.setObjectName("auditTable")
        self.record = QLineEdit()
        self.record.setPlaceholderText(self.tr("record id or UUID"))
        self.use_dates = QCheckBox(self.tr("From"))
        today = QDate.currentDate()
        self.start, self.end = QDateEdit(today.addDays(-30)), QDateEdit(today)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.apply_button = QPushButton(self.tr("Filter"))
        self.apply_button.clicked.connect(self.apply_filter)
        self.record.returnPressed.connect(self.apply_filter)
        for label, widget in ((self.tr("Person"), self.operator), (self.tr("Table"), self.table_name),
                              (self.tr("Record"), self.record)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.use_dates)
        bar.addWidget(self.start)
        bar.addWidget(QLabel(self.tr("to")))
        bar.addWidget(self.end)
        bar.addWidget(self.apply_button)
        bar.addStretch()
        layout.addLayout(bar)

        export_row = QHBoxLayout()
        self.count = QLabel()
        export_row.addWidget(self.count)
        export_row.addStretch()
        self.full_data = QCheckBox(self.tr("Export with full ID numbers and phones (recorded)"))
        self.full_data.setObjectName("auditFullData")
        self.export_button = QPushButton(self.tr("Export filtered log…"))
        self.export_button.clicked.connect(lambda: self.export())
        export_row.addWidget(self.full_data)
        export_row.addWidget(self.export_button)
        layout.addLayout(export_row)

        self.model = AuditModel(db, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.view = QTableView()
        self.view.setObjectName("auditView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((150, 100, 110, 130, 70, 220)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_history(current.row()))
        self.history_title = QLabel(self.tr("Select an entry to see the full history of its record."))
        self.history = QTextEdit()
        self.history.setObjectName("auditHistory")
        self.history.setReadOnly(True)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.history_title)
        ll.addWidget(self.history)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(lower)
        split.setSizes([500, 220])
        layout.addWidget(split, 1)
        self.apply_role()
        self.refresh()

    def apply_role(self) -> None:
        self.full_data.setEnabled(self.db.allows("reveal"))
        if not self.db.allows("reveal"):
            self.full_data.setChecked(False)

    def refresh(self) -> None:
        """Reload the choice lists (off the GUI thread), then the entries."""
        tasks.submit(lambda: (audit_log.operators(self.db), audit_log.tables(self.db)), self._choices,
                     self._failed, owner=self)
        self.apply_filter()

    def _choices(self, found) -> None:
        operators, tables = found
        for box, values in ((self.operator, operators), (self.table_name, tables)):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("all"), "")
            for value in values:
                box.addItem(audit_log.table_label(value, core_lang()) if box is self.table_name else value, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        start = end = None
        if self.use_dates.isChecked():
            start, end = self.start.date().toPython(), self.end.date().toPython()
        return AuditFilter(operator=self.operator.currentData() or "", table=self.table_name.currentData() or "",
                           record=self.record.text().strip(), start=start, end=end)

    def apply_filter(self) -> bool:
        try:
            flt = self.current_filter()
            flt.conditions()  # a bad record or date range is refused here, with its reason
        except InputError as exc:
            self.count.setText(exc.describe(core_lang()))
            self.count.setStyleSheet(ERROR_STYLE)
            return False
        self.count.setStyleSheet("")
        self.model.load(flt)
        return True

    def _loaded(self, n: int) -> None:
        more = "" if self.model.complete else "+"
        self.count.setText(fmt(self.tr("%1 entries"), f"{n}{more}"))

    def _failed(self, exc) -> None:
        self.count.setText(error_text(exc))

    def show_history(self, row: int) -> None:
        entry = self.model.row_at(row)
        if entry is None or (entry.record_id is None and not entry.record_uuid):
            self.history_title.setText(self.tr("This entry is not about one record."))
            self.history.clear()
            return
        history = audit_log.record_history(self.db, entry.table, entry.record_id, entry.record_uuid)
        lang = core_lang()
        self.history_title.setText(fmt(self.tr("History of %1 %2 (%3 entries)"),
                                       audit_log.table_label(entry.table, lang),
                                       str(entry.record_id if entry.record_id is not None else entry.record_uuid),
                                       str(len(history))))
        lines = []
        for h in history:
            when = h.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            lines.append(f"{when}  {h.operator}  {audit_log.action_label(h.action, lang)}"
                         + (f"  （{h.note}）" if h.note else ""))
            for change in h.changes:
                label = audit_log.field_label(change.field, lang, h.table)
                if h.action == "update":
                    lines.append(f"    {label}：{audit_log.show_value(change.before, h.table, change.field, lang)} → "
                                 f"{audit_log.show_value(change.after, h.table, change.field, lang)}")
                else:
                    value = change.after if change.after is not None else change.before
                    lines.append(f"    {label}：{audit_log.show_value(value, h.table, change.field, lang)}")
        self.history.setPlainText("\n".join(lines))

    def export(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the audit log"), "审计日志.xlsx",
                                                  self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
            if not path:
                return
        full = self.full_data.isChecked()
        if full and not self.db.allows("reveal"):
            QMessageBox.warning(self, self.tr("Export"), self.tr("Your role may not export full personal data."))
            return
        flt = self.current_filter()
        self.export_button.setEnabled(False)
        tasks.submit(lambda: audit_log.export_log(self.db, flt, path, full=full, lang=core_lang(),
                                                          replace=True),  # the save dialog confirmed
                     self._exported, self._export_failed, owner=self)

    def _exported(self, n: int) -> None:
        self.export_button.setEnabled(True)
        self.status_message.emit(fmt(self.tr("Exported %1 entries; the export was recorded in the log."), str(n)))
        self.refresh()

    def _export_failed(self, exc) -> None:
        self.export_button.setEnabled(True)
        text = error_text(exc)
        QMessageBox.warning(self, self.tr("Export failed"), text)


__all__ = ["AuditModel", "AuditPage"]
