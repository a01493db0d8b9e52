"""What the supervision page, its tabs and its dialogs share: the overdue colour, small form helpers and the
tab base (the page's database, project and reload)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout,
                               QWidget)

from ..widgets.style import RED

OVERDUE = RED


def _combo(items, current=None, editable: bool = False) -> QComboBox:
    """A combo of (label, data) pairs."""
    box = QComboBox()
    box.setEditable(editable)
    for label, data in items:
        box.addItem(label, data)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    return box


def _boxes(pairs) -> QSplitter:
    """Titled boxes, one above the other, the user can resize."""
    split = QSplitter(Qt.Orientation.Vertical)
    for title, view in pairs:
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(view)
        split.addWidget(box)
    return split


def _text_edit(height: int = 56, text: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setFixedHeight(height)
    return edit


class SupervisionTab(QWidget):
    """One tab of the supervision page: reads the page's database, project and date, asks the page to reload."""

    def __init__(self, page):
        super().__init__()
        self.page = page

    @property
    def db(self):
        return self.page.db

    @property
    def project_id(self) -> int | None:
        return self.page.project_id

    @property
    def as_of(self):
        return self.page.as_of

    def buttons(self, actions) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            row.addWidget(button)
        row.addStretch()
        return row

    def refresh(self) -> None:
        self.page.refresh()
