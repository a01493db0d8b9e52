"""Create or edit a household and its people. Validation is the service's; problems show in Chinese."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (QAbstractItemView, QMessageBox, QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.models import AREA_SOURCE_LABELS, ROLE_LABELS, AreaSource, Role
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import places
from renewal_desk.core.rules.masking import mask_id_number, mask_phone
from renewal_desk.core.services.households import (HouseholdDetail, HouseholdInput, PersonInput, create_household,
                                                   reveal_personal_data, update_household)

from .i18n import core_lang
from .rows_model import Column, RowsModel
from .widgets.forms import AREA_PATTERN, numeric
from .widgets.style import ERROR_STYLE
from .widgets.tables import table_view

# The members grid: typed into, the head a tick box; the id behind each row is the person's (None: new).
PEOPLE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("HouseholdDialog", "Full name"), editable=True),
    Column(QT_TRANSLATE_NOOP("HouseholdDialog", "Head"), check=True),
    Column(QT_TRANSLATE_NOOP("HouseholdDialog", "Relation"), editable=True),
    Column(QT_TRANSLATE_NOOP("HouseholdDialog", "ID number"), editable=True),
    Column(QT_TRANSLATE_NOOP("HouseholdDialog", "Phone"), editable=True),
    Column(QT_TRANSLATE_NOOP("HouseholdDialog", "Roles"), editable=True),
)
NAME, HEAD, RELATION, ID_NUMBER, PHONE, ROLES = range(len(PEOPLE_COLUMNS))


def unit_choices(db: Database) -> list[tuple[str, int]]:
    """Every unit as ("项目 / 片区 / 楼栋 / 单元", id), in tree order."""
    return places.unit_labels(db)


class HouseholdDialog(QDialog):
    def __init__(self, db: Database, detail: HouseholdDetail | None = None, unit_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.detail = db, detail
        self.saved_id: int | None = detail.id if detail else None
        self.setWindowTitle(self.tr("Edit household") if detail else self.tr("New household"))
        self.setMinimumSize(820, 560)
        lang = core_lang()

        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for label, uid in unit_choices(db):
            self.unit.addItem(label, uid)
        completer = self.unit.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        wanted = detail.unit_id if detail else unit_id
        self.unit.setCurrentIndex(self.unit.findData(wanted) if wanted is not None else -1)
        self.unit.lineEdit().setPlaceholderText(self.tr("Type to find a unit: building, unit…"))
        self.room = QLineEdit(detail.room if detail else "")
        self.room.setPlaceholderText(self.tr("e.g. 301"))
        self.area = QLineEdit("" if not detail or detail.area is None else str(detail.area))
        self.area.setPlaceholderText(self.tr("m², e.g. 85.6"))
        numeric(self.area, AREA_PATTERN)
        self.area_source = QComboBox()
        for source in AreaSource:
            self.area_source.addItem(AREA_SOURCE_LABELS[source][1 if lang == "en" else 0], source.value)
        if detail:
            self.area_source.setCurrentIndex(self.area_source.findData(detail.area_source))
        self.vacant = QCheckBox(self.tr("Vacant"))
        self.vacant.setChecked(bool(detail and detail.is_vacant))
        self.note = QPlainTextEdit(detail.note if detail else "")
        self.note.setFixedHeight(60)

        form = QFormLayout()
        form.addRow(self.tr("Unit"), self.unit)
        form.addRow(self.tr("Room"), self.room)
        area_row = QHBoxLayout()
        area_row.addWidget(self.area)
        area_row.addWidget(self.area_source)
        area_row.addWidget(self.vacant)
        form.addRow(self.tr("Exclusive area"), area_row)
        form.addRow(self.tr("Note"), self.note)

        self.people_model = RowsModel.of("HouseholdDialog", PEOPLE_COLUMNS, self)
        self.people = table_view(self.people_model)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                    | QAbstractItemView.EditTrigger.EditKeyPressed
                                    | QAbstractItemView.EditTrigger.AnyKeyPressed)  # a spreadsheet's: type to edit
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.people.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.people.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((110, 50, 80, 190, 130)):
            self.people.setColumnWidth(col, width)
        # Existing ID numbers and phones show masked; the full values stay here until a logged reveal.
        self._originals: dict[int, tuple[str, str]] = {}
        self.revealed = False
        for person in (detail.people if detail else ()):
            self._originals[person.id] = (person.id_number or "", person.phone or "")
            self._add_person_row(person.name, person.is_head, person.relation, mask_id_number(person.id_number or ""),
                                 mask_phone(person.phone or ""), person.roles, person.id)
        if not detail:
            self._add_person_row("", True, "户主", "", "", (Role.OWNER.value,), None)

        add = QPushButton(self.tr("Add member"))
        add.clicked.connect(lambda: self._add_person_row("", False, "", "", "", (), None))
        remove = QPushButton(self.tr("Remove member"))
        remove.clicked.connect(self._remove_person)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        buttons_row.addStretch()
        if detail and detail.people:
            self.reveal_button = QPushButton(self.tr("Show full ID and phone"))
            self.reveal_button.clicked.connect(self.reveal)
            buttons_row.addWidget(self.reveal_button)
        hint = QLabel(self.tr("Roles: owner, tenant, representative, party member, supervisor, designer, operator, "
                              "staff (separate with commas)"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        self.errors = QLabel()
        self.errors.setObjectName("errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(ERROR_STYLE)
        self.errors.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors.hide()

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Members")))
        layout.addWidget(self.people, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(hint)
        layout.addWidget(self.errors)
        layout.addWidget(box)
        self.room.setFocus()
        self._snapshot = self._state()

    def _state(self):
        return (self.unit.currentText(), repr(self.collect()))

    def reject(self) -> None:
        """取消 with unsaved changes asks first; nothing typed is thrown away by one click."""
        if self._state() != getattr(self, "_snapshot", None) and QMessageBox.question(
                self, self.windowTitle(), self.tr("Discard the changes to this household?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel) != QMessageBox.StandardButton.Discard:
            return
        super().reject()

    # --- people table ---------------------------------------------------------------------------
    def _add_person_row(self, name, is_head, relation, id_number, phone, roles, person_id) -> None:
        lang = 1 if core_lang() == "en" else 0
        self.people_model.insert_row((name, bool(is_head), relation, id_number, phone,
                                      "，".join(ROLE_LABELS.get(r, (r, r))[lang] for r in roles)), key=person_id)

    @property
    def _person_ids(self) -> list[int | None]:
        return self.people_model.keys

    def person_text(self, row: int, column: int) -> str:
        """What a member cell shows (an ID number masked until revealed)."""
        return self.people_model.index(row, column).data() or ""

    def reveal(self) -> None:
        """Show full ID numbers and phones for editing; the reveal is written to the audit log."""
        reveal_personal_data(self.db, self.detail.id, reason="编辑住户时查看完整证件号和电话")
        for row, person_id in enumerate(self._person_ids):
            if person_id in self._originals:
                full_id, full_phone = self._originals[person_id]
                if self.person_text(row, ID_NUMBER) == mask_id_number(full_id):
                    self.people_model.set_value(row, ID_NUMBER, full_id)
                if self.person_text(row, PHONE) == mask_phone(full_phone):
                    self.people_model.set_value(row, PHONE, full_phone)
        self.revealed = True
        self.reveal_button.setEnabled(False)

    def _unmasked(self, row: int, column: int, text: str) -> str:
        """A cell still showing the masked original means "unchanged": keep the stored full value."""
        person_id = self._person_ids[row]
        if person_id in self._originals and text:
            original = self._originals[person_id][0 if column == ID_NUMBER else 1]
            masked = mask_id_number(original) if column == ID_NUMBER else mask_phone(original)
            if text == masked:
                return original
        return text

    def _remove_person(self) -> None:
        row = self.people.currentIndex().row()
        if row >= 0:
            self.people_model.remove_row(row)

    def set_person(self, row: int, column: int, text: str) -> None:
        """Type into a member cell (used by keyboard users through the table and by tests)."""
        self.people_model.setData(self.people_model.index(row, column), text)

    @staticmethod
    def _parse_roles(text: str) -> tuple[str, ...]:
        lookup = {}
        for code, (zh, en) in ROLE_LABELS.items():
            lookup[zh], lookup[en], lookup[str(code)] = code, code, code
        parts = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        return tuple(str(lookup.get(p, lookup.get(p.lower(), p))) for p in parts)

    def collect(self) -> HouseholdInput:
        people = []
        for row in range(self.people_model.rowCount()):
            def cell(col: int, r: int = row) -> str:
                return self.person_text(r, col).strip()
            if not any(cell(c) for c in (NAME, RELATION, ID_NUMBER, PHONE)):
                continue  # an untouched empty line
            people.append(PersonInput(
                name=cell(NAME), is_head=bool(self.people_model.value(row, HEAD)),
                relation=cell(RELATION), id_number=self._unmasked(row, ID_NUMBER, cell(ID_NUMBER)) or None,
                phone=self._unmasked(row, PHONE, cell(PHONE)) or None,
                roles=self._parse_roles(cell(ROLES)), id=self._person_ids[row]))
        return HouseholdInput(unit_id=self.unit.currentData(), room=self.room.text(), area=self.area.text().strip(),
                              area_source=self.area_source.currentData(), note=self.note.toPlainText(),
                              is_vacant=self.vacant.isChecked(), people=people)

    def save(self) -> None:
        data = self.collect()
        index = self.unit.findText(self.unit.currentText().strip())  # a typed unit label counts as chosen
        data.unit_id = self.unit.itemData(index) if index >= 0 else None  # never fall back to another unit
        if data.unit_id is None:
            self.show_errors([self.tr("Choose the unit this household belongs to.")])
            return
        try:
            if self.detail:
                update_household(self.db, self.detail.id, data)
            else:
                self.saved_id = create_household(self.db, data)
        except InputError as exc:
            self.show_errors([p.describe(core_lang()) for p in exc.problems])
            return
        self.accept()

    def show_errors(self, lines: list[str]) -> None:
        self.errors.setText("\n".join(lines))
        self.errors.show()
