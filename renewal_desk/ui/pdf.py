"""Printing from any page: ask where to save (remembering the folder), render off the GUI thread,
report in the page's status line. One place for what every page's print button does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


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


def print_in_background(page: QWidget, doc: str, record_id: int, path: str, **options) -> tasks.TaskSignals:
    """Render `doc` to `path` via the printouts service; `page` must have a `db` and `status_message`."""
    page.status_message.emit(QCoreApplication.translate("Printing", "Printing…"))

    def failed(exc) -> None:
        text = exc.describe(core_lang()) if hasattr(exc, "describe") else str(exc)
        QMessageBox.warning(page, QCoreApplication.translate("Printing", "Printing failed"), text)

    def run():
        from renewal_desk.core.services.printouts import print_document  # reportlab loads on the first print

        return print_document(page.db, doc, record_id, path, **options)

    return tasks.submit(run,
                        lambda pages: page.status_message.emit(
                            QCoreApplication.translate("Printing", "Saved %1 (%2 pages)")
                            .replace("%1", path).replace("%2", str(pages))),
                        failed, owner=page)
