"""Form pieces shared by every page's dialogs: the Save/Cancel dialog with its red problem list, date fields."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout)

from renewal_desk.core.problems import InputError

from ..i18n import core_lang
from .style import ERROR_STYLE


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = value or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


MONEY_PATTERN = r"^[0-9,]{0,15}(\.[0-9]{0,2})?$"
AREA_PATTERN = r"^[0-9]{0,7}(\.[0-9]{0,2})?$"


def numeric(edit: QLineEdit, pattern: str = MONEY_PATTERN) -> QLineEdit:
    """Only digits and at most two decimals can be typed (no letters, no ¥1000.005)."""
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), edit))
    return edit


class ErrorDialog(QDialog):
    """Base for the small forms here: a red problem list and Save/Cancel; subclasses implement `apply`."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(ERROR_STYLE)
        self.errors.hide()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.errors)
        self.layout_.addWidget(box)
        self.result_id = None

    def apply(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def showEvent(self, event) -> None:  # noqa: N802 - Qt
        super().showEvent(event)
        if getattr(self, "_watching", False):
            return
        self._watching = True
        for widget in self.findChildren(QLineEdit):
            widget.textEdited.connect(self.clear_errors)
        for widget in self.findChildren(QPlainTextEdit):
            widget.textChanged.connect(self.clear_errors)
        for widget in self.findChildren(QAbstractSpinBox):
            widget.editingFinished.connect(self.clear_errors)
        for widget in self.findChildren(QComboBox):
            widget.currentIndexChanged.connect(self.clear_errors)
        for widget in self.findChildren(QCheckBox):
            widget.toggled.connect(self.clear_errors)

    def clear_errors(self, *_args) -> None:
        """The red problem line goes as soon as the user changes something; Save checks again."""
        self.errors.clear()
        self.errors.hide()

    def save(self) -> None:
        try:
            self.result_id = self.apply()
        except InputError as exc:
            self.errors.setText("\n".join(p.describe(core_lang()) for p in exc.problems))
            self.errors.show()
            return
        self.accept()
