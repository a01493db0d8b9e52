"""The print preview: the document's pages as they will come out, then 打印 (Qt's print dialog: printer,
copies, pages, duplex) or 另存为 PDF (and offer to open it).

Pages are rendered with pypdfium2, lazily: only the page on screen, at the zoom shown (cached), so a
75-page sign-in sheet opens as fast as a one-page notice. Pages come from ui/pdf.py's
`preview_and_print`, which lays the document out in the background first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QScrollArea, QSpinBox, QVBoxLayout, QWidget)
from .i18n import fmt

ZOOMS = (50, 75, 100, 125, 150, 200)
FIT_WIDTH = 0  # the zoom combo's first entry: the page as wide as the view
PRINT_DPI = 300  # pages go to the printer as images this sharp (a 1200 dpi A4 image would be 500 MB)


def render_page(pdf, index: int, scale: float) -> QImage:
    """Page `index` of a pypdfium2 document as a QImage, `scale` pixels per PDF point."""
    import pypdfium2.raw as pdfium_c

    bitmap = pdf[index].render(scale=scale, rev_byteorder=True, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx)
    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
    return image.copy()  # own the pixels: the bitmap's buffer goes with it


class PrintPreviewDialog(QDialog):
    """Preview of one PDF file (a temporary one, removed when the dialog closes unless `keep`)."""

    def __init__(self, pdf_path: str | Path, file_name: str, parent: QWidget | None = None, *,
                 title: str = "", keep: bool = False):
        super().__init__(parent)
        import pypdfium2 as pdfium

        self.setObjectName("printPreview")
        self.pdf_path = Path(pdf_path)
        self.file_name = file_name
        self.keep = keep
        self.saved_to: str | None = None
        self.pdf = pdfium.PdfDocument(str(self.pdf_path))
        self.page_count = len(self.pdf)
        self._cache: dict[tuple[int, float], QPixmap] = {}
        self.setWindowTitle(fmt(self.tr("Print preview — %1"), title or Path(file_name).stem))

        self.prev_button = QPushButton(self.tr("◀ Previous"))
        self.prev_button.setObjectName("previewPrev")
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setObjectName("previewNext")
        self.page_box = QSpinBox()
        self.page_box.setObjectName("previewPage")
        self.page_box.setRange(1, max(self.page_count, 1))
        self.page_box.setSuffix(fmt(self.tr(" / %1"), str(self.page_count)))
        self.zoom_box = QComboBox()
        self.zoom_box.setObjectName("previewZoom")
        self.zoom_box.addItem(self.tr("Fit width"), FIT_WIDTH)
        for zoom in ZOOMS:
            self.zoom_box.addItem(f"{zoom}%", zoom)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("previewPrint")
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.setObjectName("previewSave")
        close = QPushButton(self.tr("Close"))
        close.setObjectName("previewClose")

        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(QLabel(self.tr("Page")))
        bar.addWidget(self.page_box)
        bar.addWidget(self.next_button)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Zoom")))
        bar.addWidget(self.zoom_box)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(close)

        self.image = QLabel()
        self.image.setObjectName("previewImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setStyleSheet("QScrollArea { background: #8a8a8a; }")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)

        self.prev_button.clicked.connect(lambda: self.page_box.setValue(self.page_box.value() - 1))
        self.next_button.clicked.connect(lambda: self.page_box.setValue(self.page_box.value() + 1))
        self.page_box.valueChanged.connect(lambda _v: self.show_page())
        self.zoom_box.currentIndexChanged.connect(lambda _i: self.show_page())
        self.print_button.clicked.connect(self.print_to_printer)
        self.save_button.clicked.connect(self.save_as_pdf)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.MoveToNextPage), self, self.next_button.click)
        QShortcut(QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage), self, self.prev_button.click)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_button.click)

        screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)
        self.resize(min(900, area.width() - 40), area.height() - 60)  # within a 1366×768 laptop's screen
        self.show_page()

    # --- looking ------------------------------------------------------------------------------------
    @property
    def current_index(self) -> int:
        return self.page_box.value() - 1

    def scale(self) -> float:
        """Pixels per PDF point for the zoom chosen (fit width: the page as wide as the view)."""
        zoom = self.zoom_box.currentData()
        if zoom == FIT_WIDTH and self.page_count:
            width_pt = self.pdf[self.current_index].get_width()
            return max(0.2, (self.scroll.viewport().width() - 24) / width_pt)
        return (zoom or 100) / 100 * self.logicalDpiX() / 72

    def show_page(self) -> None:
        if self.pdf is None:  # closed
            return
        index = self.current_index
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.page_count - 1)
        if not self.page_count:
            self.image.setText(self.tr("The document has no pages."))
            return
        ratio = self.devicePixelRatioF()
        scale = round(self.scale(), 3)
        key = (index, scale)
        pixmap = self._cache.get(key)
        if pixmap is None:
            pixmap = QPixmap.fromImage(render_page(self.pdf, index, scale * ratio))
            pixmap.setDevicePixelRatio(ratio)
            if len(self._cache) > 12:  # a few pages at a few zooms; the rest re-render on demand
                self._cache.clear()
            self._cache[key] = pixmap
        self.image.setPixmap(pixmap)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.zoom_box.currentData() == FIT_WIDTH:
            self.show_page()

    # --- printing -----------------------------------------------------------------------------------
    def print_to_printer(self) -> bool:
        """Qt's print dialog (printer, copies, page range, duplex), then the pages to that printer."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(self.file_name).stem)
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print"))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies, True)
        dialog.setMinMax(1, self.page_count)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        pages = self.pages_to_print(printer)
        sent = self.send_to(printer, pages)
        if sent:
            self._tell(fmt(self.tr("Sent %1 pages to %2"),
                           str(sent), printer.outputFileName() or printer.printerName()), "success")
        return bool(sent)

    def pages_to_print(self, printer: QPrinter) -> list[int]:
        """The page indexes the print dialog chose, in order, copies included when the printer cannot
        make copies itself."""
        mode = printer.printRange()
        if mode == QPrinter.PrintRange.CurrentPage:
            pages = [self.current_index]
        elif mode == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage(), min(printer.toPage() or self.page_count, self.page_count)
            pages = list(range(first - 1, last))
        else:
            pages = list(range(self.page_count))
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if copies == 1:
            return pages
        if printer.collateCopies():
            return pages * copies
        return [page for page in pages for _ in range(copies)]

    def send_to(self, printer: QPrinter, pages: list[int]) -> int:
        """Paint `pages` onto `printer`; the number of pages sent (0 if the printer refused)."""
        painter = QPainter()
        if not pages or not painter.begin(printer):
            QMessageBox.warning(self, self.tr("Printing failed"),
                                fmt(self.tr("The printer could not be opened: %1"), printer.printerName()))
            return 0
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            for n, index in enumerate(pages):
                if n:
                    printer.newPage()
                image = render_page(self.pdf, index, dpi / 72)
                target = printer.pageLayout().paintRectPixels(printer.resolution())
                target.moveTo(0, 0)
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), size), image)
                QApplication.processEvents()
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()
        return len(pages)

    def save_as_pdf(self) -> str | None:
        """Ask where (the folder remembered for this database), copy the PDF there, offer to open it."""
        from .pdf import ask_pdf_path

        path = ask_pdf_path(self.parentWidget() or self, self.file_name)
        if not path:
            return None
        try:
            if Path(path).resolve() != self.pdf_path.resolve():
                shutil.copyfile(self.pdf_path, path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Saving failed"),
                                fmt(self.tr("Could not save %1: %2"), path, exc.strerror or str(exc)))
            return None
        self.saved_to = path
        text = fmt(self.tr("Saved %1 (%2 pages)"), path, str(self.page_count))
        self._tell(text, "success")
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Saved"), text, parent=self)
        open_button = box.addButton(self.tr("Open the file"), QMessageBox.ButtonRole.AcceptRole)
        folder_button = box.addButton(self.tr("Open the folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(self.tr("Close"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        elif box.clickedButton() is folder_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
        return path

    def _tell(self, text: str, kind: str) -> None:
        from .widgets.feedback import tell

        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "status_message"):
            parent.status_message.emit(text)  # the page's banner and the status bar
        else:
            tell(parent, text, kind)

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name: closing, by any button or Esc
        self.image.clear()
        self._cache.clear()
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None
            if not self.keep:
                self.pdf_path.unlink(missing_ok=True)
                try:
                    self.pdf_path.parent.rmdir()  # its own temporary folder
                except OSError:
                    pass
        super().done(result)
