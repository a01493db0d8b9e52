"""Form pieces shared by every page's dialogs: the Save/Cancel dialog with its red problem list, date fields,
the project/building pickers (one order everywhere: core.services.places.project_choices)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QAbstractItemView, QAbstractSpinBox, QCheckBox, QComboBox, QDateEdit, QDialog,
                               QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QVBoxLayout)

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


def project_combo(projects, current: int | None = None, none_label: str | None = None) -> QComboBox:
    """A project picker (places.project_choices order); `none_label` adds a first "no project" entry."""
    box = QComboBox()
    if none_label is not None:
        box.addItem(none_label, None)
    for p in projects:
        box.addItem(p.name, p.id)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


def building_list(listing: QListWidget | None, buildings, chosen=(), checkable: bool = False,
                  max_height: int | None = None) -> QListWidget:
    """Fill (or make) a list of buildings, (id, name) in places.project_choices order: selectable several at
    once, or with a tick box each (`checkable`, all ticked unless `chosen` names some)."""
    if listing is None:
        listing = QListWidget()
        if not checkable:
            listing.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        if max_height:
            listing.setMaximumHeight(max_height)
    listing.clear()
    for building_id, name in buildings:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, building_id)
        listing.addItem(item)
        if checkable:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = not chosen or building_id in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        else:
            item.setSelected(building_id in chosen)
    return listing


def chosen_buildings(listing: QListWidget) -> list[int]:
    """The ids of the selected (or, in a list with tick boxes, ticked) buildings."""
    items = [listing.item(i) for i in range(listing.count())]
    if items and items[0].data(Qt.ItemDataRole.CheckStateRole) is not None:  # made with checkable=True
        items = [i for i in items if i.checkState() == Qt.CheckState.Checked]
    else:
        items = listing.selectedItems()
    return [i.data(Qt.ItemDataRole.UserRole) for i in items]


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
