"""Export and exchange (导出与备份 section): export history, the export and import dialogs with progress
and cancel (work off the GUI thread), and the conflicts an import left for the user to decide."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
                               QProgressBar, QPushButton, QRadioButton, QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.exchange import spec
from renewal_desk.core.services import exchange

from . import tasks
from .operations import QueryOp
from .rows_model import Column, RowsModel
from .widgets.feedback import error_text as _error_text
from .widgets.tables import fit_columns, table_view
from .i18n import core_lang, fmt


class _Cancelled(Exception):
    """Raised inside a running import when the user pressed Cancel (the transaction rolls back)."""


class _RunningDialog(QDialog):
    """Shared: a progress bar, a cancel flag, and the buttons' state while work runs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cancel_flag = threading.Event()
        self.running = False
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def reject(self) -> None:  # Esc / window close while running = cancel
        if self.running:
            self.cancel_flag.set()
            self.status.setText(self.tr("Cancelling…"))
            return
        super().reject()


class ExportDialog(_RunningDialog):
    """Export a bundle: where to, which period, to whom, and whether full personal data."""

    exported = Signal(object)

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Export bundle"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Writes a renewal-desk-export bundle: the records as JSON Lines files with their "
                               "schemas and the same tables as an Excel workbook. Personal data is masked unless "
                               "you include it for a named recipient and purpose."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        target_row = QHBoxLayout()
        self.target = QLineEdit()
        self.target.setPlaceholderText(self.tr("A new .zip file or a new folder"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self.choose_target)
        target_row.addWidget(self.target, 1)
        target_row.addWidget(browse)
        form.addRow(self.tr("Save as"), target_row)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText(self.tr("e.g. the city's renewal project library"))
        form.addRow(self.tr("Recipient"), self.recipient)
        layout.addLayout(form)

        period = QGroupBox(self.tr("Period"))
        pl = QVBoxLayout(period)
        self.all_radio = QRadioButton(self.tr("Everything"))
        self.last_radio = QRadioButton(self.tr("Changes since the last export to this recipient"))
        since_row = QHBoxLayout()
        self.since_radio = QRadioButton(self.tr("Changes since"))
        self.since_date = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since_date.setCalendarPopup(True)
        self.since_date.setDisplayFormat("yyyy-MM-dd")
        since_row.addWidget(self.since_radio)
        since_row.addWidget(self.since_date)
        since_row.addStretch()
        self.period_group = QButtonGroup(self)
        for b in (self.all_radio, self.last_radio, self.since_radio):
            self.period_group.addButton(b)
        self.all_radio.setChecked(True)
        pl.addWidget(self.all_radio)
        pl.addWidget(self.last_radio)
        pl.addLayout(since_row)
        layout.addWidget(period)

        personal = QGroupBox(self.tr("Personal data"))
        fl = QFormLayout(personal)
        self.full = QCheckBox(self.tr("Include full names, ID numbers and phones (audited)"))
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText(self.tr("Why the recipient needs them"))
        self.purpose.setEnabled(False)
        self.full.toggled.connect(self.purpose.setEnabled)
        fl.addRow(self.full)
        fl.addRow(self.tr("Purpose"), self.purpose)
        layout.addWidget(personal)

        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def choose_target(self) -> None:
        name = f"renewal-desk-export-{date.today():%Y%m%d}.zip"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save bundle as"), str(Path.home() / name),
                                              self.tr("Zip bundle (*.zip)"))
        if path:
            self.target.setText(path if path.lower().endswith(".zip") else path + ".zip")

    def options(self) -> dict:
        since: date | None = None
        since_last = self.last_radio.isChecked()
        if self.since_radio.isChecked():
            since = self.since_date.date().toPython()
        return {"since": since, "since_last": since_last, "recipient": self.recipient.text().strip(),
                "full_personal_data": self.full.isChecked(), "purpose": self.purpose.text().strip()}

    def confirm_full(self, recipient: str, purpose: str) -> bool:
        text = self.tr("The bundle will hold full names, ID numbers and phone numbers.\n\nRecipient: %1\n"
                       "Purpose: %2\n\nThe export is recorded in the audit log under your name. Continue?")
        text = fmt(text, recipient or self.tr("(none)"), purpose or self.tr("(none)"))
        answer = QMessageBox.question(self, self.tr("Export full personal data"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def start(self) -> None:
        target = self.target.text().strip()
        if not target:
            self.status.setText(self.tr("Choose where to save the bundle."))
            return
        opts = self.options()
        if opts["since_last"] and not opts["recipient"]:
            self.status.setText(self.tr("Name the recipient to export the changes since the last export to it."))
            return
        if opts["full_personal_data"]:
            if not opts["recipient"] or not opts["purpose"]:
                self.status.setText(self.tr("Full personal data needs the recipient and the purpose."))
                return
            if not self.confirm_full(opts["recipient"], opts["purpose"]):
                return
        self.running = True
        self.cancel_flag.clear()
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))
        flag = self.cancel_flag

        def work(progress):
            return exchange.export_bundle(self.db, Path(target), cancelled=flag.is_set, progress=progress, **opts)

        tasks.submit(work, self._done, self._failed, self._on_progress, owner=self)

    def _done(self, result) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        total = sum(result.counts.values())
        text = fmt(self.tr("Exported %1 records to %2"), str(total), str(result.path))
        if result.content_files:
            text += "\n" + fmt(self.tr("With %1 attachment files (photos, scans)"), str(result.content_files))
        self.status.setText("\n".join([text, *result.warnings]))  # a photo lost here: its record travels alone
        self.exported.emit(result)
        self.cancel_button.setText(self.tr("Close"))

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        self.progress.setValue(0)
        if isinstance(exc, exchange.ExportCancelled):
            self.status.setText(self.tr("Cancelled. Nothing was written."))
            return
        self.status.setText(fmt(self.tr("Export failed, nothing was written: %1"), _error_text(exc)))


class ImportDialog(_RunningDialog):
    """Check, then merge a bundle from another laptop; conflicts are listed on the page afterwards."""

    imported = Signal(object)

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.dry_run, self.trust = True, None
        self.setWindowTitle(self.tr("Import bundle"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Merges a bundle exported on another laptop of the office. It is checked first "
                               "(signature, checksums and schemas); records changed on both laptops are listed as "
                               "conflicts for you to decide, never overwritten."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("A bundle .zip file or folder"))
        pick_file = QPushButton(self.tr("Zip file…"))
        pick_file.clicked.connect(self.choose_file)
        pick_dir = QPushButton(self.tr("Folder…"))
        pick_dir.clicked.connect(self.choose_folder)
        row.addWidget(self.source, 1)
        row.addWidget(pick_file)
        row.addWidget(pick_dir)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        layout.addWidget(self.report_view, 1)
        buttons = QDialogButtonBox()
        self.check_button = buttons.addButton(self.tr("Check only"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.check_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open bundle"), str(Path.home()),
                                              self.tr("Zip bundle (*.zip)"))
        if path:
            self.source.setText(path)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Open bundle folder"), str(Path.home()))
        if path:
            self.source.setText(path)

    def start(self, dry_run: bool, allow_deletions: int | None = None, trust: str | None = None) -> None:
        source = self.source.text().strip()
        if not source:
            self.status.setText(self.tr("Choose the bundle first."))
            return
        self.running = True
        self.cancel_flag.clear()
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.status.setText(self.tr("Checking…") if dry_run else self.tr("Importing…"))
        flag = self.cancel_flag

        def work(progress):
            def guarded(done, total):
                if flag.is_set():
                    raise _Cancelled()
                progress(done, total)
            return exchange.import_bundle(self.db, Path(source), dry_run=dry_run, progress=guarded,
                                          allow_deletions=allow_deletions, trust=trust)

        self.dry_run, self.trust = dry_run, trust
        tasks.submit(work, self._done, self._failed, self._on_progress, owner=self)

    def describe(self, report) -> str:
        t = report.as_dict()["totals"]
        lines = [fmt(self.tr("From: %1"), report.peer),
                 fmt(self.tr("Signed by the key %1"), report.signer),
                 fmt(self.tr("Added %1, updated %2, unchanged %3, kept (newer here) %4, deleted %5, conflicts %6"),
                     str(t["added"]), str(t["updated"]), str(t["unchanged"]), str(t["skipped"]), str(t["deleted"]),
                     str(t["conflicts"]))]
        for name, counts in report.counts.items():
            c = counts.as_dict()
            if c["added"] or c["updated"] or c["conflicts"] or c["deleted"]:
                lines.append(f"  {spec.BY_NAME[name].zh}: +{c['added']} ~{c['updated']} −{c['deleted']} "
                             f"!{c['conflicts']}")
        if report.contents_stored:
            lines.append(fmt(self.tr("Attachment files stored: %1"), str(report.contents_stored)))
        lines += report.notes
        return "\n".join(lines)

    def _done(self, report) -> None:
        self.running = False
        self.check_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.report_view.setPlainText(self.describe(report))
        if report.dry_run:
            self.status.setText(self.tr("Checked: the bundle is sound. Nothing was written yet."))
        else:
            self.import_button.setEnabled(False)
            self.cancel_button.setText(self.tr("Close"))
            self.status.setText(self.tr("Imported.") + (" " + self.tr("Conflicts are listed on the page: decide "
                                                                       "each one.") if report.conflicts else ""))
            self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.check_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.progress.setValue(0)
        if isinstance(exc, _Cancelled):
            self.status.setText(self.tr("Cancelled. Nothing was written."))
            return
        if isinstance(exc, exchange.DeletionsNeedConfirmation) and self.confirm_deletions(exc.count):
            self.start(False, allow_deletions=exc.count, trust=self.trust)
            return
        if isinstance(exc, exchange.UntrustedKey) and self.db.allows("trust") and self.confirm_trust(exc):
            self.start(self.dry_run, trust=exc.fingerprint)
            return
        self.status.setText(fmt(self.tr("Refused, nothing was written: %1"), _error_text(exc)))

    def confirm_trust(self, exc) -> bool:
        """A bundle signed by a key not trusted yet (as SSH's first connection): the administrator compares
        the fingerprint with the sender's (by phone, in person) before trusting it; trusting is audited."""
        answer = QMessageBox.question(
            self, self.tr("Unknown signing key"),
            fmt(self.tr("This bundle was signed by a key this database does not trust yet.\n\nFingerprint: %1\n"
                        "The bundle says it comes from: %2\n\nCompare the fingerprint with the sender's (by phone or "
                        "in person; the sender sees it with renewal-desk keys show). Trust this key and import? Only "
                        "if they match: a forged bundle can delete or change your records."),
                exc.fingerprint, exc.office or "?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def confirm_deletions(self, count: int) -> bool:
        """Many deletions at once (perhaps a forged bundle) are made only when the user says so."""
        answer = QMessageBox.question(
            self, self.tr("Delete records"),
            fmt(self.tr("This bundle would delete %1 records on this laptop. Check the dry run's report first. "
                        "Delete them?"), str(count)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


class ConflictDialog(QDialog):
    """Both versions of one record side by side; the user keeps the local one or takes the incoming one."""

    def __init__(self, conflict: exchange.ConflictView, parent=None):
        super().__init__(parent)
        self.conflict = conflict
        self.choice = ""
        self.setWindowTitle(fmt(self.tr("Conflict: %1"), conflict.type_label))
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        head = QLabel(fmt(self.tr("This record was changed on this laptop and on %1. Differences are marked."),
                          conflict.peer))
        head.setWordWrap(True)
        layout.addWidget(head)
        keys = list((conflict.incoming or conflict.local or {}).keys())
        differing = set(conflict.differing_fields())

        lang = core_lang()

        def shown(record, key):  # a code in words, a flag as 是/否: what the person reads elsewhere
            if record is None:
                return self.tr("(deleted)")
            return spec.value_words(conflict.record_type, key, record.get(key), lang)

        self.model = RowsModel.of("ConflictDialog", FIELD_COLUMNS, self)
        self.model.strong = lambda row: keys[row] in differing  # the fields that differ, in bold
        self.model.set_rows([(spec.label(conflict.record_type, key)[0 if lang == "zh" else 1],
                              shown(conflict.local, key), shown(conflict.incoming, key)) for key in keys], keys=keys)
        self.table = table_view(self.model)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.keep_button = buttons.addButton(self.tr("Keep this laptop's version"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.take_button = buttons.addButton(self.tr("Take the incoming version"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        later = buttons.addButton(self.tr("Decide later"), QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.clicked.connect(lambda: self._choose("local"))
        self.take_button.clicked.connect(lambda: self._choose("incoming"))
        later.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


FIELD_COLUMNS = (Column(QT_TRANSLATE_NOOP("ConflictDialog", "Field")),
                 Column(QT_TRANSLATE_NOOP("ConflictDialog", "On this laptop")),
                 Column(QT_TRANSLATE_NOOP("ConflictDialog", "Incoming")))
CONFLICT_HEADERS = (QT_TRANSLATE_NOOP("ExchangePanel", "Record"),
                    QT_TRANSLATE_NOOP("ExchangePanel", "Fields that differ"),
                    QT_TRANSLATE_NOOP("ExchangePanel", "From"), QT_TRANSLATE_NOOP("ExchangePanel", "Detected"))
HISTORY_HEADERS = (QT_TRANSLATE_NOOP("ExchangePanel", "When"), QT_TRANSLATE_NOOP("ExchangePanel", "Kind"),
                   QT_TRANSLATE_NOOP("ExchangePanel", "Operator"),
                   QT_TRANSLATE_NOOP("ExchangePanel", "Recipient / source"),
                   QT_TRANSLATE_NOOP("ExchangePanel", "Records"), QT_TRANSLATE_NOOP("ExchangePanel", "Personal data"))


class ExchangePanel(QWidget):
    """Export / import buttons, open conflicts and the export history (embedded in the backup page)."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self._load = QueryOp(self, self._show)
        self.history_rows: list = []
        self.conflicts: list[exchange.ConflictView] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export bundle…"))
        self.export_button.clicked.connect(self.open_export)
        self.import_button = QPushButton(self.tr("Import bundle…"))
        self.import_button.clicked.connect(self.open_import)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        hint = QLabel(self.tr("Format description: resources/docs/export-format.md"))
        hint.setStyleSheet("color: #666;")
        row.addWidget(hint)
        row.addStretch()
        layout.addLayout(row)

        self.conflict_box = QGroupBox(self.tr("Conflicts to decide"))
        cl = QVBoxLayout(self.conflict_box)
        self.conflict_model = RowsModel("ExchangePanel", CONFLICT_HEADERS, parent=self)
        self.conflict_table = fit_columns(table_view(self.conflict_model))
        self.conflict_table.doubleClicked.connect(lambda _i: self.resolve_selected())
        cl.addWidget(self.conflict_table)
        self.resolve_button = QPushButton(self.tr("Compare and decide…"))
        self.resolve_button.clicked.connect(self.resolve_selected)
        cl.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.conflict_box)

        layout.addWidget(QLabel(self.tr("Export and import history")))
        self.history_model = RowsModel("ExchangePanel", HISTORY_HEADERS, right_aligned=(4,), parent=self)
        self.history = fit_columns(table_view(self.history_model))
        layout.addWidget(self.history, 1)
        self.refresh()

    def refresh(self) -> None:
        db = self.db
        self._load.run(lambda: (exchange.export_history(db), exchange.open_conflicts(db)))  # a failure shows

    def _show(self, result) -> None:
        self.history_rows, self.conflicts = result
        kinds = {"export": self.tr("export"), "import": self.tr("import")}
        rows, tips = [], []
        for h in self.history_rows:
            since = h.since.strftime("%Y-%m-%d") if h.since else ""
            kind = kinds.get(h.direction, h.direction) + (f" ({self.tr('since')} {since})" if since else "")
            personal = self.tr("full (audited)") if h.full_personal_data else self.tr("masked")
            rows.append((h.at.astimezone().strftime("%Y-%m-%d %H:%M"), kind, h.operator, h.recipient, str(h.records),
                         personal))
            tips.append(f"{h.path}\nSHA-256 {h.bundle_sha256}\n{h.purpose}")
        self.history_model.set_rows(rows, tips=tips)
        self.conflict_box.setVisible(bool(self.conflicts))
        rows = []
        for c in self.conflicts:
            fields = [spec.label(c.record_type, f)[0] for f in c.differing_fields()] or [
                self.tr("deleted on one side")]
            rows.append((f"{c.type_label} {c.record_uuid[:8]}", "、".join(fields), c.peer,
                         c.detected_at.astimezone().strftime("%Y-%m-%d %H:%M")))
        self.conflict_model.set_rows(rows)
        if self.conflicts:
            self.conflict_table.selectRow(0)

    def open_export(self) -> ExportDialog:
        dialog = ExportDialog(self.db, self)
        dialog.exported.connect(lambda _r: self.refresh())
        dialog.open()
        return dialog

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.db, self)
        dialog.imported.connect(lambda _r: self.refresh())
        dialog.open()
        return dialog

    def conflict_dialog(self, conflict: exchange.ConflictView) -> ConflictDialog:
        return ConflictDialog(conflict, self)

    def resolve_selected(self) -> None:
        row = self.conflict_table.currentIndex().row()
        if row < 0 or row >= len(self.conflicts):
            return
        conflict = self.conflicts[row]
        dialog = self.conflict_dialog(conflict)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.choice:
            return
        self.resolve(conflict.id, dialog.choice)

    def resolve(self, conflict_id: int, choice: str) -> None:
        self.resolve_button.setEnabled(False)

        def failed(exc):
            self.resolve_button.setEnabled(True)
            QMessageBox.warning(self, self.tr("Conflict"), _error_text(exc))

        def done(_r):
            self.resolve_button.setEnabled(True)
            self.refresh()

        tasks.submit(lambda: exchange.resolve_conflict(self.db, conflict_id, choice), done, failed, owner=self)
