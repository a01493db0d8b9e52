"""Printing from any page: lay the document out off the GUI thread, preview it, print it or save it.

What a page's 打印 button calls: `preview_and_print(page, doc, record_id, **options)` — the PDF is made
in the background (progress, Cancel), then the preview opens (ui/print_preview.py) with 打印 (Qt's print
dialog) and 另存为 PDF (a Chinese file name with the record; the folder remembered per database).
`print_in_background(page, doc, record_id, path)` writes straight to `path` (tests, and saving without
looking). `page` needs `db` and a `status_message` signal; results show on the page's feedback banner."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFileDialog, QMessageBox, QProgressDialog, QWidget


from . import tasks
from .i18n import core_lang, fmt
from .widgets.feedback import error_text, tell
from .widgets.forms import ErrorDialog, date_edit, to_date


def _database_of(widget: QWidget | None):
    while widget is not None:
        db = getattr(widget, "db", None)
        if db is not None and hasattr(db, "path"):
            return db
        widget = widget.parentWidget()
    return None


def _folder_key(widget: QWidget | None) -> str:
    """The settings key of the print folder for the database `widget` shows (one folder per database)."""
    db = _database_of(widget)
    if db is None:
        return "printing/folder"
    digest = hashlib.sha1(str(Path(db.path).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"printing/folder-{digest}"


def default_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def ask_pdf_path(parent: QWidget, file_name: str, title: str | None = None) -> str | None:
    """Ask where to save a PDF, starting in the folder last used for this database. A file name that is
    a document code ("rectification-notice.pdf") becomes the document's Chinese title."""
    stem = Path(file_name).stem
    from renewal_desk.core.printing import DOCUMENTS as TITLES

    if stem in TITLES:
        file_name = f"{TITLES[stem][0] if core_lang() == 'zh' else TITLES[stem][1]}.pdf"
    key = _folder_key(parent)
    start = QSettings().value(key) or default_folder()
    path, _ = QFileDialog.getSaveFileName(parent, title or QCoreApplication.translate("Printing", "Save as PDF"),
                                          str(Path(start) / file_name), QCoreApplication.translate("Printing", "PDF files (*.pdf)"))
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    QSettings().setValue(key, str(Path(path).parent))
    return path


def preview_and_print(page: QWidget, doc: str, record_id: int, *, file_name: str | None = None,
                      title: str | None = None, **options) -> tasks.TaskSignals:
    """What every 打印 button does: make the PDF in the background, then open the preview (打印 / 另存为
    PDF). `file_name`: the name offered when saving (default: the document's title and its record, e.g.
    整改通知单-ZG-2026-0047.pdf). The preview dialog is `page.findChild(PrintPreviewDialog)` while open."""
    from renewal_desk.core.services.printouts import suggested_file_name

    name = file_name or suggested_file_name(page.db, doc, record_id, core_lang())
    folder = Path(tempfile.mkdtemp(prefix="renewal-desk-preview-"))
    path = folder / name

    def show(_pages: int) -> None:
        from .print_preview import PrintPreviewDialog

        dialog = PrintPreviewDialog(path, name, page, title=title or Path(name).stem)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal; closing removes the temporary file

    def gone(_exc) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    return print_in_background(page, doc, record_id, str(path), on_done=show, on_failed=gone, **options)


def print_in_background(page: QWidget, doc: str, record_id: int, path: str, cancel: threading.Event | None = None,
                        on_done=None, on_failed=None, **options) -> tasks.TaskSignals:
    """Render `doc` to `path` via the printouts service; `page` must have a `db` and `status_message`.

    A printout that takes more than a second (a 75-page sign-in sheet) shows the pages laid out so far
    and a Cancel button; cancelling leaves no file and uses no document number."""
    page.status_message.emit(QCoreApplication.translate("Printing", "Printing…"))
    cancel = cancel or threading.Event()  # set: the same as pressing Cancel
    dialog = QProgressDialog(QCoreApplication.translate("Printing", "Making the PDF…"), QCoreApplication.translate("Printing", "Cancel"), 0, 0, page)
    dialog.setWindowTitle(QCoreApplication.translate("Printing", "Printing"))
    dialog.setObjectName("printProgress")
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(1000)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def cancelled() -> None:
        cancel.set()
        dialog.setLabelText(QCoreApplication.translate("Printing", "Cancelling…"))

    dialog.canceled.connect(cancelled)

    def finish() -> None:
        dialog.canceled.disconnect(cancelled)
        dialog.close()
        dialog.deleteLater()

    def done(pages) -> None:
        finish()
        if on_done is not None:
            page.status_message.emit(fmt(QCoreApplication.translate("Printing", "Laid out %1 pages"), str(pages)))
            on_done(pages)
            return
        page.status_message.emit(fmt(QCoreApplication.translate("Printing", "Saved %1 (%2 pages)"), path, str(pages)))

    def failed(exc) -> None:
        finish()
        if on_failed is not None:
            on_failed(exc)
        from renewal_desk.core.services.printouts import PrintCancelled

        if isinstance(exc, PrintCancelled):
            page.status_message.emit(QCoreApplication.translate("Printing", "Printing cancelled; nothing was saved."))
            return
        text = error_text(exc)
        tell(page, fmt(QCoreApplication.translate("Printing", "Printing failed: %1"), text), "error")
        QMessageBox.warning(page, QCoreApplication.translate("Printing", "Printing failed"), text)

    def progress(pages: int, _total: int) -> None:
        if not cancel.is_set():
            dialog.setLabelText(fmt(QCoreApplication.translate("Printing", "Making the PDF… %1 pages laid out"),
                                    str(pages)))

    def run(report):
        from renewal_desk.core.services.printouts import PrintCancelled, print_document  # reportlab loads on first use

        def on_page(pages: int) -> None:
            if cancel.is_set():
                raise PrintCancelled()
            report(pages, 0)

        return print_document(page.db, doc, record_id, path, progress=on_page, replace=True,  # the save dialog confirmed
                              **options)

    return tasks.submit(run, done, failed, progress, owner=page)


class PeriodDialog(ErrorDialog):
    """Before the preview of a printout with a period (as the CLI's --from/--to, --since/--as-of): a month
    or another named period, or any two dates; a statement asks one date (对账日期)."""

    def __init__(self, doc: str, start: date, end: date, parent: QWidget | None = None):
        from renewal_desk.core.printing import DOCUMENTS as TITLES
        from renewal_desk.core.services import printouts

        super().__init__(fmt(QCoreApplication.translate("Printing", "Print %1"),
                             TITLES[doc][0] if core_lang() == "zh" else TITLES[doc][1]), parent)
        self.doc, self.period = doc, (start, end)
        self.single = printouts.PERIODS.get(doc) == "as_of"
        lang = 1 if core_lang() == "en" else 0
        self.preset = QComboBox()
        self.preset.addItem(QCoreApplication.translate("Printing", "(dates below)"), None)
        for key in printouts.PRESETS:
            self.preset.addItem(printouts.PRESET_LABELS[key][lang], key)
        self.start, self.end = date_edit(start), date_edit(end)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        if self.single:
            self.form.addRow(QCoreApplication.translate("Printing", "Statement date"), self.end)
        else:
            self.form.addRow(QCoreApplication.translate("Printing", "Period"), self.preset)
            self.form.addRow(QCoreApplication.translate("Printing", "From"), self.start)
            self.form.addRow(QCoreApplication.translate("Printing", "To"), self.end)
        save = self.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        save.setText(QCoreApplication.translate("Printing", "Preview"))

    def _preset_chosen(self) -> None:
        from renewal_desk.core.services.printouts import preset_period

        key = self.preset.currentData()
        if key:
            start, end = preset_period(key)
            self.start.setDate(QDate(start.year, start.month, start.day))
            self.end.setDate(QDate(end.year, end.month, end.day))

    def apply(self) -> int:
        from renewal_desk.core.services.printouts import check_period

        start, end = to_date(self.start.date()), to_date(self.end.date())
        check_period(None if self.single else start, end)
        self.period = (start, end)
        return 0


def print_with_period(page: QWidget, doc: str, record_id: int, start: date, end: date, path: str | None = None):
    """打印 for a printout with a period: ask the period (PeriodDialog), then the preview; with `path`,
    straight to the file for that period (tests, saving without looking)."""
    from renewal_desk.core.services.printouts import period_options

    if path:
        return print_in_background(page, doc, record_id, path, **period_options(doc, start, end))
    dialog = PeriodDialog(doc, start, end, page)
    if not dialog.exec():
        return None
    return preview_and_print(page, doc, record_id, **period_options(doc, *dialog.period))
