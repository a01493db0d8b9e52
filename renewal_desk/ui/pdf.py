"""Printing from any page: ask where to save (remembering the folder), render off the GUI thread,
report in the page's status line. One place for what every page's print button does."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget


from . import tasks
from .i18n import core_lang


def ask_pdf_path(parent: QWidget, file_name: str, title: str | None = None) -> str | None:
    start = QSettings().value("lastPrintDir", str(Path.home()))
    path, _ = QFileDialog.getSaveFileName(parent, title or QCoreApplication.translate("Printing", "Save as PDF"),
                                          str(Path(start) / file_name), "PDF (*.pdf)")
    if not path:
        return None
    QSettings().setValue("lastPrintDir", str(Path(path).parent))
    return path


def print_in_background(page: QWidget, doc: str, record_id: int, path: str, cancel: threading.Event | None = None,
                        **options) -> tasks.TaskSignals:
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
        page.status_message.emit(QCoreApplication.translate("Printing", "Saved %1 (%2 pages)").replace("%1", path).replace("%2", str(pages)))

    def failed(exc) -> None:
        finish()
        from renewal_desk.core.services.printouts import PrintCancelled

        if isinstance(exc, PrintCancelled):
            page.status_message.emit(QCoreApplication.translate("Printing", "Printing cancelled; nothing was saved."))
            return
        text = exc.describe(core_lang()) if hasattr(exc, "describe") else str(exc)
        QMessageBox.warning(page, QCoreApplication.translate("Printing", "Printing failed"), text)

    def progress(pages: int, _total: int) -> None:
        if not cancel.is_set():
            dialog.setLabelText(QCoreApplication.translate("Printing", "Making the PDF… %1 pages laid out").replace("%1", str(pages)))

    def run(report):
        from renewal_desk.core.services.printouts import PrintCancelled, print_document  # reportlab loads on first use

        def on_page(pages: int) -> None:
            if cancel.is_set():
                raise PrintCancelled()
            report(pages, 0)

        return print_document(page.db, doc, record_id, path, progress=on_page, replace=True,  # the save dialog confirmed
                              **options)

    return tasks.submit(run, done, failed, progress, owner=page)
