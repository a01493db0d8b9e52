"""Roster import: preview every row with its problems, map unknown headers, then import in one go."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt,
                            Signal)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QMessageBox, QProgressBar, QPushButton, QSpinBox, QSplitter, QTableView, QVBoxLayout,
                               QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.exchange.roster import FIELDS, RosterParse, column_letter, read_roster
from renewal_desk.core.problems import FIELD_LABELS
from renewal_desk.core.rules.masking import mask_id_number, mask_phone
from renewal_desk.core.services.places import project_choices
from renewal_desk.core.services.roster_import import ImportCancelled, ImportReport, import_roster

from . import tasks
from .i18n import core_lang, fmt
from .widgets.feedback import error_text
from .widgets.style import ERROR_STYLE, RED

PREVIEW_COLUMNS = (
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Row"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Block"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Building"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Unit"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Room"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Full name"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "ID number"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Phone"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Area (m²)"),
    QT_TRANSLATE_NOOP("RosterPreviewModel", "Problems"),
)
ERROR_BG, WARNING_BG = QColor("#f8d7d3"), QColor("#fff3c4")


class RosterPreviewModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.parse: RosterParse | None = None
        self.lang = core_lang()

    def set_parse(self, parse: RosterParse | None) -> None:
        self.beginResetModel()
        self.parse = parse
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.parse is None else len(self.parse.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(PREVIEW_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(PREVIEW_COLUMNS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.parse is None:
            return None
        row = self.parse.rows[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            if not row.valid:
                return ERROR_BG
            return WARNING_BG if row.problems else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        values = (str(row.excel_row), row.block, row.building, row.unit, row.room, row.name,
                  mask_id_number(row.id_number or ""), mask_phone(row.phone or ""),
                  "" if row.area is None else f"{row.area:.2f}",
                  "；".join(p.message(self.lang) for p in row.problems))
        return values[index.column()]

    def row_of_excel(self, excel_row: int) -> int:
        if self.parse:
            for i, row in enumerate(self.parse.rows):
                if row.excel_row == excel_row:
                    return i
        return -1


class ImportDialog(QDialog):
    parsed = Signal()
    finished_import = Signal(object)

    def __init__(self, db: Database, path: str, project: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.path = db, path
        self.report: ImportReport | None = None
        self.lang = core_lang()
        self.setWindowTitle(fmt(self.tr("Import roster — %1"), Path(path).name))
        self.resize(1100, 720)

        self.project = QComboBox()
        self.project.setEditable(True)
        names = [p.name for p in project_choices(db)]
        self.project.addItems(names)
        self.project.setCurrentText(project or (names[0] if names else Path(path).stem))
        top = QFormLayout()
        top.addRow(self.tr("File"), QLabel(path))
        top.addRow(self.tr("Import into project"), self.project)

        # Column mapping (shown when the header is not recognised, or on request).
        self.mapping_box = QGroupBox(self.tr("Columns: which column holds what"))
        grid = QGridLayout(self.mapping_box)
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 30)
        grid.addWidget(QLabel(self.tr("Header row")), 0, 0)
        grid.addWidget(self.header_row, 0, 1)
        self.field_boxes: dict[str, QComboBox] = {}
        for i, field in enumerate(FIELDS):
            box = QComboBox()
            self.field_boxes[field] = box
            label = FIELD_LABELS.get(field, (field, field))[1 if self.lang == "en" else 0]
            grid.addWidget(QLabel(label), 1 + i // 4, (i % 4) * 2)
            grid.addWidget(box, 1 + i // 4, (i % 4) * 2 + 1)
        self.header_row.valueChanged.connect(self._fill_column_choices)
        apply = QPushButton(self.tr("Apply columns"))
        apply.clicked.connect(self.apply_mapping)
        grid.addWidget(apply, 0, 3)
        self.mapping_box.hide()
        self.show_mapping = QPushButton(self.tr("Adjust columns…"))
        self.show_mapping.clicked.connect(lambda: self.mapping_box.setVisible(not self.mapping_box.isVisible()))

        self.model = RosterPreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((50, 80, 70, 60, 60, 90, 160, 110, 80)):
            self.table.setColumnWidth(col, width)
        self.problems = QListWidget()
        self.problems.setObjectName("importProblems")
        self.problems.itemActivated.connect(self._jump)
        self.problems.itemClicked.connect(self._jump)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.problems)
        splitter.setSizes([450, 180])

        self.summary = QLabel(self.tr("Reading the file…"))
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.skip_invalid = QCheckBox(self.tr("Import the valid rows and skip rows with errors"))
        self.progress = QProgressBar()  # shown while writing: 10,000 rows take seconds
        self.progress.setObjectName("importProgress")
        self.progress.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        self.skip_invalid.toggled.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.show_mapping)
        layout.addLayout(row)
        layout.addWidget(self.mapping_box)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

        self._raw = []
        self.importing = False
        self.parse: RosterParse | None = None
        self.start_parse()

    # --- parsing ---------------------------------------------------------------------------------
    def start_parse(self, mapping: dict[str, int] | None = None, header_row: int | None = None) -> None:
        self.import_button.setEnabled(False)
        self.summary.setText(self.tr("Reading the file…"))
        path = self.path

        def read() -> tuple[RosterParse, list[list[str]]]:
            parse = read_roster(path, mapping=mapping, header_row=header_row)
            return parse, parse.preview  # the sheet's first rows from the same read: the file is opened once

        tasks.submit(read, self._parsed, self._parse_failed, owner=self)

    def _parse_failed(self, exc) -> None:
        self.summary.setText(error_text(exc))
        self.summary.setStyleSheet(ERROR_STYLE)
        self.parsed.emit()

    def _parsed(self, result) -> None:
        parse, raw = result
        self.parse, self._raw = parse, raw
        self.model.set_parse(parse)
        self.problems.clear()
        for problem in parse.all_problems():
            item = QListWidgetItem(("⚠ " if problem.severity != "error" else "✖ ") + problem.describe(self.lang))
            item.setData(Qt.ItemDataRole.UserRole, problem.row)
            item.setForeground(QColor("#8a6d00") if problem.severity != "error" else QColor(RED))
            self.problems.addItem(item)
        self.header_row.blockSignals(True)
        self.header_row.setValue(parse.header_row or 1)
        self.header_row.blockSignals(False)
        self._fill_column_choices()
        if parse.header_row is None or any(p.code in ("roster.no_header", "roster.missing_column")
                                           for p in parse.problems):
            self.mapping_box.show()
        errors = sum(1 for p in parse.all_problems() if p.severity == "error")
        warnings = sum(1 for p in parse.all_problems() if p.severity != "error")
        self.summary.setStyleSheet("")
        self.summary.setText(fmt(self.tr("%1 rows: %2 valid, %3 with errors; %4 errors, %5 warnings."),
                                 str(len(parse.rows)), str(len(parse.valid_rows)), str(len(parse.invalid_rows)),
                                 str(errors), str(warnings))
                             + ("" if not errors else " " + self.tr("With errors nothing is imported unless you choose "
                                                                    "to skip the rows with errors.")))
        self._update_buttons()
        self.parsed.emit()

    def _fill_column_choices(self) -> None:
        header_index = self.header_row.value() - 1
        header = self._raw[header_index] if 0 <= header_index < len(self._raw) else []
        mapping = self.parse.mapping if self.parse else {}
        for field, box in self.field_boxes.items():
            box.clear()
            box.addItem(self.tr("(none)"), -1)
            for col, text in enumerate(header):
                box.addItem(f"{column_letter(col)}: {text}" if text not in (None, "") else column_letter(col), col)
            box.setCurrentIndex(max(0, box.findData(mapping.get(field, -1))))

    def set_column(self, field: str, column: int) -> None:
        box = self.field_boxes[field]
        box.setCurrentIndex(max(0, box.findData(column)))

    def apply_mapping(self) -> None:
        mapping = {f: box.currentData() for f, box in self.field_boxes.items() if box.currentData() not in (None, -1)}
        self.start_parse(mapping=mapping, header_row=self.header_row.value())

    def _jump(self, item: QListWidgetItem) -> None:
        excel_row = item.data(Qt.ItemDataRole.UserRole)
        if excel_row is None:
            return
        row = self.model.row_of_excel(excel_row)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        parse = self.parse
        file_errors = parse is None or any(p.severity == "error" for p in parse.problems)
        has_errors = parse is not None and bool(parse.invalid_rows)
        can = not file_errors and bool(parse and parse.valid_rows) and (not has_errors or self.skip_invalid.isChecked())
        self.import_button.setEnabled(can)

    # --- import ----------------------------------------------------------------------------------
    def run_import(self) -> None:
        if self.parse is None:
            return
        self.importing = True
        self.cancel_requested = False
        self.import_button.setEnabled(False)  # Cancel stays: the import is one transaction, cancelling rolls it back
        self.skip_invalid.setEnabled(False)
        self.summary.setText(self.tr("Importing…"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        parse, project, skip = self.parse, self.project.currentText(), self.skip_invalid.isChecked()
        tasks.submit(lambda report: import_roster(self.db, self.path, project, skip_invalid=skip, parse=parse,
                                                  progress=report, cancelled=lambda: self.cancel_requested),
                     self._imported, self._import_failed, self._progress, owner=self)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def reject(self) -> None:
        if self.importing:  # Cancel, Esc or the window's close button while the import runs
            self.cancel_requested = True
            self.summary.setText(self.tr("Cancelling… nothing will be written."))
            return
        super().reject()

    def _finished(self) -> None:
        self.importing = False
        self.progress.setVisible(False)
        self.buttons.setEnabled(True)
        self.skip_invalid.setEnabled(True)

    def _imported(self, report: ImportReport) -> None:
        self._finished()
        self.report = report
        self.finished_import.emit(report)
        if report.written:
            QMessageBox.information(self, self.tr("Import finished"),
                                    fmt(self.tr("%1 households imported, %2 rows skipped."),
                                        str(report.imported), str(report.skipped)))
            self.accept()
            return
        self.problems.clear()
        for problem in report.problems:
            self.problems.addItem(problem.describe(self.lang))
        self.summary.setText(fmt(self.tr("Nothing was imported: %1 errors. Correct the file or skip the rows with errors."),
                                 str(len(report.errors))))
        self.summary.setStyleSheet(ERROR_STYLE)
        self._update_buttons()

    def _import_failed(self, exc) -> None:
        self._finished()
        if isinstance(exc, ImportCancelled):
            self.finished_import.emit(exc)
            self.summary.setText(self.tr("Import cancelled; nothing was written."))
            self._update_buttons()
            return
        self.finished_import.emit(exc)
        QMessageBox.critical(self, self.tr("Import failed; nothing was written"), error_text(exc))
        self._update_buttons()
