"""打印 as a person uses it: the preview (pages, zoom, page through), then to a printer or saved as PDF."""

import re
import subprocess
from pathlib import Path

import pypdfium2
from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from sqlalchemy import func, select

from renewal_desk.core.models import Building
from renewal_desk.ui import print_preview, tasks
from renewal_desk.ui.pdf import preview_and_print
from renewal_desk.ui.print_preview import PrintPreviewDialog


class Page(QWidget):
    status_message = Signal(str)

    def __init__(self, db):
        super().__init__()
        self.db = db


def _open_preview(qtbot, db, doc="building-roster"):
    page = Page(db)
    qtbot.addWidget(page)
    with db.read() as s:
        building = s.scalar(select(func.min(Building.id)))
    preview_and_print(page, doc, building)
    qtbot.waitUntil(lambda: page.findChild(PrintPreviewDialog) is not None, timeout=30000)
    return page, page.findChild(PrintPreviewDialog)


def test_preview_pages_through_and_prints_to_a_pdf_printer(qtbot, demo_db, tmp_path, monkeypatch):
    page, preview = _open_preview(qtbot, demo_db)
    assert preview.page_count >= 2 and preview.isVisible()
    assert preview.windowTitle().startswith("打印预览") and "花名册" in preview.file_name
    assert preview.page_box.suffix() == f" / {preview.page_count}"
    first = preview.image.pixmap().toImage()
    assert not first.isNull() and first.width() > 300
    assert not preview.prev_button.isEnabled()
    preview.next_button.click()
    assert preview.page_box.value() == 2 and preview.prev_button.isEnabled()
    preview.zoom_box.setCurrentIndex(preview.zoom_box.findData(200))
    assert preview.image.pixmap().width() > preview.zoom_box.findData(50)  # re-rendered larger
    big = preview.image.pixmap().deviceIndependentSize().width()
    preview.zoom_box.setCurrentIndex(preview.zoom_box.findData(50))
    assert preview.image.pixmap().deviceIndependentSize().width() < big / 3

    out = tmp_path / "printed.pdf"
    seen = {}

    class PdfPrintDialog:  # the user picks "print to file" in Qt's dialog and presses 打印
        def __init__(self, printer, parent):
            self.printer = printer
            seen["range"] = (printer.fromPage(), printer.toPage())

        def setWindowTitle(self, _t):
            pass

        def setOption(self, *_a):
            pass

        def setMinMax(self, low, high):
            seen["minmax"] = (low, high)

        def exec(self):
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(out))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_preview, "QPrintDialog", PdfPrintDialog)
    messages = []
    page.status_message.connect(messages.append)
    preview.print_button.click()
    assert seen["minmax"] == (1, preview.page_count)
    assert out.exists()
    printed = pypdfium2.PdfDocument(str(out))
    assert len(printed) == preview.page_count
    printed.close()
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{preview.page_count}$", info, re.M), info
    assert messages and str(out) in messages[-1]
    temp = preview.pdf_path
    preview.reject()
    assert not temp.exists()  # the preview's temporary file goes with it
    tasks.wait_all(5000)


def test_preview_saves_as_pdf_with_chinese_name_in_this_databases_folder(qtbot, demo_db, tmp_path, monkeypatch):
    page, preview = _open_preview(qtbot, demo_db)
    asked = {}

    def save_name(parent, title, start, filters):
        asked["start"], asked["filters"] = start, filters
        return str(tmp_path / "saved" / Path(start).name), filters

    (tmp_path / "saved").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    opened = []
    monkeypatch.setattr(print_preview.QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))

    def press_open(box):
        box.clickedButton = lambda: box.buttons()[0]  # 打开文件
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_open)
    saved = preview.save_as_pdf()
    assert Path(asked["start"]).name == "楼栋住户花名册-1号楼.pdf" and asked["filters"].startswith("PDF")
    assert saved and Path(saved).exists()
    copy = pypdfium2.PdfDocument(saved)
    assert len(copy) == preview.page_count
    copy.close()
    assert opened == [saved]
    preview.reject()
    # The next print from this database starts in that folder.
    page2, preview2 = _open_preview(qtbot, demo_db)
    preview2.save_as_pdf()
    assert Path(asked["start"]).parent == tmp_path / "saved"
    preview2.reject()
    tasks.wait_all(5000)


def test_standard_dialogs_speak_chinese():
    """Qt's own dialogs (save file, print) use Qt's Chinese translations (qtbase_zh_CN.qm)."""
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
    assert QCoreApplication.translate("QFileDialog", "Files of type:") != "Files of type:"
    assert QCoreApplication.translate("QPrintDialog", "Print") == "打印"
