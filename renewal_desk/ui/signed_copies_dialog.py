"""文件 → 归档签字件…: signed paper back into the records. Scans or phone photos (images, PDFs) chosen or dropped
here are filed by the page code in their footer (core.services.signed_copies), off the GUI thread; pages
without a readable code are listed with the reason and can be matched by hand. The second tab lists the
printed documents still waiting for a signed copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget)

from renewal_desk.core.services import signed_copies

from .operations import QueryOp, WriteOp
from .rows_model import RowsModel
from .widgets.feedback import FeedbackBanner, error_text
from .widgets.tables import fit_columns, table_view
from .i18n import fmt

CONTEXT = "SignedCopiesDialog"
FILED_HEADERS = [
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "File"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Document no."),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Document"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Page"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Version"),
]
UNMATCHED_HEADERS = [
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "File"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Page in file"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Reason"),
]
MISSING_HEADERS = [
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Document no."),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Document"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Record"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Printed"),
    QT_TRANSLATE_NOOP("SignedCopiesDialog", "Missing pages"),
]
SCAN_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".pdf"}


class SignedCopiesDialog(QDialog):
    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setObjectName("signedCopiesDialog")
        self.setWindowTitle(self.tr("File signed copies"))
        self.setAcceptDrops(True)
        self.resize(860, 520)
        self.unmatched: list[signed_copies.Unmatched] = []
        layout = QVBoxLayout(self)
        self.feedback = FeedbackBanner(self)
        layout.addWidget(self.feedback)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        filing = QWidget()
        col = QVBoxLayout(filing)
        top = QHBoxLayout()
        hint = QLabel(self.tr("Drop scans or photos of signed pages here (images or PDF), or choose the files. "
                              "Each page is filed to its record by the code in its footer."))
        hint.setWordWrap(True)
        top.addWidget(hint, 1)
        self.choose_button = QPushButton(self.tr("Choose files…"))
        self.choose_button.setObjectName("chooseScans")
        self.choose_button.clicked.connect(self.choose_files)
        top.addWidget(self.choose_button)
        col.addLayout(top)
        self.status = QLabel()
        self.status.setObjectName("scanStatus")
        col.addWidget(self.status)
        col.addWidget(QLabel(self.tr("Filed")))
        self.filed_model = RowsModel(CONTEXT, FILED_HEADERS, right_aligned=(3, 4), parent=self)
        self.filed_view = fit_columns(table_view(self.filed_model), stretch=2)
        self.filed_view.setObjectName("filedTable")
        col.addWidget(self.filed_view, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Not filed")), 1)
        self.match_button = QPushButton(self.tr("Match by hand…"))
        self.match_button.setObjectName("matchByHand")
        self.match_button.setEnabled(False)
        self.match_button.clicked.connect(self.match_by_hand)
        row.addWidget(self.match_button)
        col.addLayout(row)
        self.unmatched_model = RowsModel(CONTEXT, UNMATCHED_HEADERS, right_aligned=(1,), parent=self)
        self.unmatched_view = fit_columns(table_view(self.unmatched_model))
        self.unmatched_view.setObjectName("unmatchedTable")
        self.unmatched_view.selectionModel().selectionChanged.connect(
            lambda *_: self.match_button.setEnabled(self._selected() is not None))
        self.unmatched_view.doubleClicked.connect(lambda _i: self.match_by_hand())
        col.addWidget(self.unmatched_view, 1)
        self.tabs.addTab(filing, self.tr("Filing"))

        self.missing_model = RowsModel(CONTEXT, MISSING_HEADERS, parent=self)
        self.missing_view = fit_columns(table_view(self.missing_model), stretch=2)
        self.missing_view.setObjectName("missingTable")
        self.tabs.addTab(self.missing_view, self.tr("Missing signed copies"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._missing = QueryOp(self, self._show_missing)
        self.refresh_missing()

    # --- missing ---------------------------------------------------------------------------------------
    def refresh_missing(self) -> None:
        self._missing.run(lambda: signed_copies.missing_signed_copies(self.db))

    def _show_missing(self, missing: list[signed_copies.MissingCopy]) -> None:
        self.missing_model.set_rows([
            (m.doc_no, m.title, m.record_label, f"{m.printed_at:%Y-%m-%d %H:%M}", "、".join(map(str, m.missing_pages)))
            for m in missing], [m.doc_no for m in missing])
        self.tabs.setTabText(1, fmt(self.tr("Missing signed copies (%1)"), str(len(missing))))

    # --- filing ----------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Choose scans or photos"), "",
            self.tr("Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pdf);;All files (*)"))
        if paths:
            self.add_files(paths)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._dropped(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        paths = self._dropped(event)
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    @staticmethod
    def _dropped(event) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return [u.toLocalFile() for u in urls
                if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in SCAN_SUFFIXES]

    def add_files(self, paths: list[str]) -> None:
        """Read and file `paths` in a worker; the results are added to the lists when done."""
        self.status.setText(fmt(self.tr("Reading %1 file(s)…"), str(len(paths))))
        self.choose_button.setEnabled(False)
        WriteOp(self, lambda: signed_copies.file_scans(self.db, paths), success=self._scanned,
                failure=self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(True)
        self.status.setText("")
        self.feedback.error(error_text(exc))

    def _scanned(self, result: signed_copies.ScanResult) -> None:
        self.choose_button.setEnabled(True)
        for filed in result.filed:
            self._add_filed(filed)
        self.unmatched.extend(result.unmatched)
        self._show_unmatched()
        self.status.setText(fmt(self.tr("%1 page(s) filed, %2 not filed."),
                                str(len(result.filed)), str(len(result.unmatched))))
        self.refresh_missing()

    def _add_filed(self, filed: signed_copies.Filed) -> None:
        version = str(filed.version) if not filed.already else \
            fmt(self.tr("%1 (already filed)"), str(filed.version))
        self.filed_model.set_rows(self.filed_model.rows + [
            (filed.source, filed.doc_no, f"{filed.title}（{filed.record_label}）", f"{filed.page}/{filed.pages}",
             version)])

    def _show_unmatched(self) -> None:
        self.unmatched_model.set_rows([(u.source, u.page_in_file, u.reason) for u in self.unmatched])
        self.match_button.setEnabled(self._selected() is not None)

    def _selected(self) -> int | None:
        rows = self.unmatched_view.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return 0 if len(self.unmatched) == 1 else None

    def match_by_hand(self) -> None:
        """The selected unmatched page filed as the page a person names (文书编号 and page)."""
        row = self._selected()
        if row is None:
            return
        page_of = self.unmatched[row]
        title = self.tr("Match by hand")
        doc_no, ok = QInputDialog.getText(
            self, title, self.tr("Document number printed on the page:"), QLineEdit.EchoMode.Normal)
        doc_no = doc_no.strip().upper()
        if not ok or not doc_no:
            return
        page, ok = QInputDialog.getInt(self, title, self.tr("Which page of the document is it?"), 1, 1, 9999)
        if not ok:
            return

        def done(filed: signed_copies.Filed) -> None:
            if page_of in self.unmatched:
                self.unmatched.remove(page_of)
            self._add_filed(filed)
            self._show_unmatched()
            self.feedback.success(fmt(self.tr("Filed as page %1 of %2."), str(filed.page), filed.doc_no))
            self.refresh_missing()

        WriteOp(self, lambda: signed_copies.file_page_manually(self.db, page_of.path, doc_no, page,
                                                               page_in_file=page_of.page_in_file),
                success=done, failure=lambda exc: self.feedback.error(error_text(exc))).run()
