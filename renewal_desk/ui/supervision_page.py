"""监督反馈: the supervisor team's inspections and problems, rectification notices, replies and
re-checks with each problem's full history and photos, the team and parties, acceptance, charts.

Everything loads off the GUI thread (ui/operations.py); photo thumbnails are scaled as QImage in a
worker and become QPixmaps here on the GUI thread, cached by content hash.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QGridLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
                               QPlainTextEdit, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import acceptance as acc
from renewal_desk.core.rules import rectification as rules
from renewal_desk.core.rules.masking import mask_phone
from renewal_desk.core.services import supervision as svc
from renewal_desk.core.services.attachments import AttachmentInfo, open_attachment, stored_path

from .operations import QueryOp
from .page import Page, Topic
from .i18n import core_lang, fmt
from .widgets.forms import ErrorDialog, building_list, chosen_buildings, date_edit, to_date
from .widgets.tables import fit_columns, table_view
from .pdf import preview_and_print, print_in_background, print_with_period
from .rows_model import RowsModel
from .widgets.style import RED

OVERDUE = RED
THUMB = 96
PROBLEM_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "No."),
    QT_TRANSLATE_NOOP("SupervisionPage", "Found"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Location"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Category"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Severity"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Problem"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Responsible party"),
    QT_TRANSLATE_NOOP("SupervisionPage", "State"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Notice"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Deadline"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Days overdue"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Photos"),
)
HISTORY_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "Date"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Step"),
    QT_TRANSLATE_NOOP("SupervisionPage", "State"),
    QT_TRANSLATE_NOOP("SupervisionPage", "By"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Notice"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Deadline"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Text"),
)
INSPECTION_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "Date"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Places"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Weather"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Participants"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Problems"),
)
NOTICE_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "Notice"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Responsible party"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Issued"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Deadline"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Problems"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Still owed"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Overdue"),
)
SUPERVISOR_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "Name"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Phone"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Appointed"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Letter no."),
    QT_TRANSLATE_NOOP("SupervisionPage", "Covers"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Status"),
)
PARTY_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "Name"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Kind"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Contact"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Phone"),
)
ACCEPTANCE_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "Record no."),
    QT_TRANSLATE_NOOP("SupervisionPage", "Date"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Scope"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Result"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Satisfied"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Evaluation"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Open problems"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Reasons"),
)


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


class PhotoList(QWidget):
    """Photos chosen for a form: each file is checked to be an image when added, with a clear message."""

    def __init__(self, errors: QLabel, parent=None):
        super().__init__(parent)
        self.errors = errors
        self.files: list[str] = []
        self.list = QListWidget()
        self.list.setMaximumHeight(64)
        add = QPushButton(self.tr("Add photos…"))
        add.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addWidget(add)

    def _choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), str(Path.home()),
                                                self.tr("Images (*.jpg *.jpeg *.png *.gif *.bmp)"))
        self.add_files(files)

    def add_files(self, files) -> int:
        """Keep the files that are images; say clearly which are not (nothing else changes)."""
        problems = []
        for file in files:
            try:
                svc.check_photo(file)
            except InputError as exc:
                problems.append(exc.describe(core_lang()))
                continue
            self.files.append(str(file))
            self.list.addItem(Path(file).name)
        if problems:
            self.errors.setText("\n".join(problems))
            self.errors.show()
        return len(files) - len(problems)


class InspectionDialog(ErrorDialog):
    """Log an inspection: when, where, which supervisors and staff walked, weather and notes."""

    def __init__(self, db: Database, project_id: int, parent=None, amend: int | None = None):
        super().__init__(self.tr("Correct the inspection") if amend else self.tr("Log an inspection"), parent)
        self.db, self.project_id, self.amend = db, project_id, amend
        self.on = date_edit()
        self.places = QLineEdit()
        self.supervisors = QListWidget()
        self.supervisors.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.supervisors.setMaximumHeight(110)
        for v in svc.supervisors(db, active_only=amend is None):  # a correction keeps who walked then
            item = QListWidgetItem(v.name)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            self.supervisors.addItem(item)
        self.staff = QLineEdit()
        self.weather = QComboBox()
        self.weather.setEditable(True)
        self.weather.addItems(svc.WEATHER)
        self.notes = _text_edit(50)
        self.form.addRow(self.tr("Date"), self.on)
        self.form.addRow(self.tr("Places inspected"), self.places)
        self.form.addRow(self.tr("Supervisors"), self.supervisors)
        self.form.addRow(self.tr("Staff"), self.staff)
        self.form.addRow(self.tr("Weather"), self.weather)
        self.form.addRow(self.tr("Notes"), self.notes)
        self.why = QLineEdit()  # correcting: what was wrong (audited)
        if amend is not None:
            self._fill(svc.inspection_input(db, amend))
            self.why.setPlaceholderText(self.tr("What was wrong in the record"))
            self.form.addRow(self.tr("Reason for the correction"), self.why)

    def _fill(self, data: svc.InspectionInput) -> None:
        self.on.setDate(data.inspected_on)
        self.places.setText(data.places)
        self.staff.setText(data.staff)
        self.weather.setCurrentText(data.weather)
        self.notes.setPlainText(data.notes)
        for row in range(self.supervisors.count()):
            item = self.supervisors.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in data.supervisor_ids)

    def select_all_supervisors(self) -> None:
        for row in range(self.supervisors.count()):
            self.supervisors.item(row).setSelected(True)

    def apply(self) -> int:
        chosen = [i.data(Qt.ItemDataRole.UserRole) for i in self.supervisors.selectedItems()]
        data = svc.InspectionInput(self.project_id, to_date(self.on.date()), self.places.text(), chosen,
                                   self.staff.text(), self.weather.currentText(), self.notes.toPlainText())
        if self.amend is not None:
            svc.amend_inspection(self.db, self.amend, data, self.why.text())
            return self.amend
        return svc.log_inspection(self.db, data)


class ProblemDialog(ErrorDialog):
    """Record a problem found: where, what, how serious, on what basis, who must fix it, photos."""

    def __init__(self, db: Database, project_id: int, inspection_id: int | None = None, parent=None,
                 amend: int | None = None):
        super().__init__(self.tr("Correct the problem") if amend else self.tr("Record a problem"), parent)
        self.db, self.project_id, self.amend = db, project_id, amend
        recorded = svc.problem_input(db, amend) if amend is not None else None
        if recorded is not None:
            inspection_id = recorded.inspection_id
        self.inspection = _combo([(self.tr("(not from an inspection)"), None)] + [
            (f"{i.inspected_on.isoformat()} {i.places}", i.id) for i in svc.inspections(db, project_id)[:30]],
            inspection_id)
        self.found_on = date_edit()
        self.inspection.currentIndexChanged.connect(self._inspection_changed)
        self.category = _combo([(c, c) for c in rules.CATEGORIES])
        self.severity = _combo([(s, s) for s in rules.SEVERITIES])
        self.building = _combo([(self.tr("(no building)"), None)] + [(n, i) for i, n in svc.buildings(db, project_id)])
        self.unit = QComboBox()
        self.building.currentIndexChanged.connect(self._building_changed)
        self.location = QLineEdit()
        self.location.setPlaceholderText(self.tr("e.g. east wall, 3rd floor; or a place without a building"))
        self.works = QComboBox()
        self.works.setEditable(True)
        self.works.addItems(["", "雨污分流改造", "外墙及屋面维修", "道路及绿化整治"])
        self.description = _text_edit()
        self.basis = QLineEdit()
        self.basis.setPlaceholderText(self.tr("Standard or contract clause"))
        self.measures = _text_edit(44)
        self.party = _combo([(self.tr("(not yet known)"), None)] + [(p.name, p.id) for p in svc.parties(db)])
        self.photos = PhotoList(self.errors)
        loc = QHBoxLayout()
        loc.addWidget(self.building)
        loc.addWidget(self.unit)
        loc.addWidget(self.location, 1)
        kind = QHBoxLayout()
        kind.addWidget(self.category)
        kind.addWidget(QLabel(self.tr("Severity")))
        kind.addWidget(self.severity)
        kind.addStretch()
        self.form.addRow(self.tr("Inspection"), self.inspection)
        self.form.addRow(self.tr("Found on"), self.found_on)
        self.form.addRow(self.tr("Location"), loc)
        self.form.addRow(self.tr("Category"), kind)
        self.form.addRow(self.tr("Works package"), self.works)
        self.form.addRow(self.tr("Description"), self.description)
        self.form.addRow(self.tr("Basis"), self.basis)
        self.form.addRow(self.tr("Measures required"), self.measures)
        self.form.addRow(self.tr("Responsible party"), self.party)
        self.why = QLineEdit()  # correcting: what was wrong (audited)
        if recorded is None:
            self.form.addRow(self.tr("Photos"), self.photos)
            self._inspection_changed()
        else:  # photos are added with 添加照片…; the state and history stay as they are
            self.photos.hide()
            self._fill(recorded)
            self.why.setPlaceholderText(self.tr("What was wrong in the record"))
            self.form.addRow(self.tr("Reason for the correction"), self.why)
        self.resize(640, self.sizeHint().height())

    def _fill(self, data: svc.ProblemInput) -> None:
        def choose(combo: QComboBox, value) -> None:
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
        self.found_on.setDate(data.found_on)
        choose(self.category, data.category)
        choose(self.severity, data.severity)
        choose(self.building, data.building_id)
        self._building_changed()
        choose(self.unit, data.unit_id)
        self.location.setText(data.location)
        self.works.setCurrentText(data.works)
        self.description.setPlainText(data.description)
        self.basis.setText(data.basis)
        self.measures.setPlainText(data.measures)
        choose(self.party, data.party_id)

    def _inspection_changed(self) -> None:
        inspection_id = self.inspection.currentData()
        found = next((i for i in svc.inspections(self.db, self.project_id) if i.id == inspection_id), None)
        if found:
            self.found_on.setDate(found.inspected_on)

    def _building_changed(self) -> None:
        self.unit.clear()
        building_id = self.building.currentData()
        self.unit.addItem(self.tr("(whole building)"), None)
        for uid, name in svc.units(self.db, building_id) if building_id else []:
            self.unit.addItem(name, uid)

    def apply(self) -> int:
        data = svc.ProblemInput(
            self.project_id, self.category.currentData(), self.description.toPlainText(),
            to_date(self.found_on.date()), self.severity.currentData(), self.party.currentData(),
            self.inspection.currentData(), self.building.currentData(), self.unit.currentData(), self.location.text(),
            self.works.currentText(), self.basis.text(), self.measures.toPlainText(), list(self.photos.files))
        if self.amend is not None:
            svc.amend_problem(self.db, self.amend, data, self.why.text())
            return self.amend
        return svc.add_problem(self.db, data, by=self.db.operator)


class NoticeDialog(ErrorDialog):
    """Issue a rectification notice (整改通知单) for problems of one party, with a deadline."""

    def __init__(self, db: Database, problems: list[svc.ProblemRow], parent=None, reissue: bool = False):
        super().__init__(self.tr("Re-issue the rectification notice") if reissue
                         else self.tr("Issue a rectification notice"), parent)
        self.db, self.problems, self.reissue = db, problems, reissue
        self.issued_on = date_edit()
        self.deadline = date_edit(date.today() + timedelta(days=7))
        self.table = QTableWidget(len(problems), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Problem"), self.tr("Measures required")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.verticalHeader().setVisible(False)
        for row, p in enumerate(problems):
            label = QTableWidgetItem(f"#{p.id} {p.place}：{p.description}")
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(svc.problem_detail(db, p.id).measures))
        self.table.setMinimumHeight(110)
        self.recheck = _text_edit(60, svc.DEFAULT_RECHECK)
        self.objection = QSpinBox()
        self.objection.setRange(0, 30)
        self.objection.setValue(svc.DEFAULT_OBJECTION_DAYS)
        self.objection.setSuffix(self.tr(" days"))
        self.issued_by = QLineEdit(db.operator)
        self.form.addRow(self.tr("Responsible party"), QLabel(problems[0].party if problems else ""))
        self.form.addRow(self.tr("Issued on"), self.issued_on)
        self.form.addRow(self.tr("Deadline"), self.deadline)
        self.form.addRow(self.tr("Problems"), self.table)
        self.form.addRow(self.tr("Re-check method"), self.recheck)
        self.form.addRow(self.tr("Objections within"), self.objection)
        self.form.addRow(self.tr("Issued by"), self.issued_by)
        self.resize(720, self.sizeHint().height())

    def set_measures(self, text: str) -> None:
        for row in range(self.table.rowCount()):
            self.table.item(row, 1).setText(text)

    def apply(self) -> int:
        measures = {p.id: self.table.item(row, 1).text() for row, p in enumerate(self.problems)}
        if self.reissue:
            problem = self.problems[0]
            return svc.reissue_notice(self.db, problem.id, to_date(self.issued_on.date()),
                                      to_date(self.deadline.date()), measures[problem.id], self.issued_by.text())
        return svc.issue_notice(self.db, svc.NoticeInput(
            [p.id for p in self.problems], to_date(self.issued_on.date()), to_date(self.deadline.date()), measures,
            self.recheck.toPlainText(), self.objection.value(), self.issued_by.text()))


class StepDialog(ErrorDialog):
    """One step of a problem after the notice: the builder's reply (with photos), the re-check
    (passed or not), or closing. Refusals (a step the state does not allow) show the reason."""

    def __init__(self, db: Database, problem: svc.ProblemRow, action: str, parent=None):
        titles = {"reply": self.tr("Record the builder's reply"), "recheck": self.tr("Re-check"),
                  "close": self.tr("Close the problem")}
        super().__init__(titles[action], parent)
        self.db, self.problem, self.action = db, problem, action
        self.on = date_edit()
        self.by = QLineEdit()
        self.text = _text_edit(70)
        self.passed = QComboBox()  # no default: the supervisors choose (saving unchosen is refused)
        self.passed.addItem(self.tr("(choose the result)"), None)
        self.passed.addItem(self.tr("Passed: rectified"), True)
        self.passed.addItem(self.tr("Not passed: back to the builder with a new notice"), False)
        self.photos = PhotoList(self.errors)
        self.form.addRow(self.tr("Problem"), QLabel(f"#{problem.id} {problem.place}：{problem.description}"))
        self.form.addRow(self.tr("Date"), self.on)
        if action == "reply":
            self.by.setText(problem.party)
            self.form.addRow(self.tr("Reply from"), self.by)
            self.form.addRow(self.tr("What was done"), self.text)
            self.form.addRow(self.tr("Photos"), self.photos)
        elif action == "recheck":
            self.by.setText("、".join(v.name for v in svc.supervisors(db, active_only=True)[:2]))
            self.form.addRow(self.tr("Result"), self.passed)
            self.form.addRow(self.tr("Re-checked by"), self.by)
            self.form.addRow(self.tr("Findings"), self.text)
        else:
            self.by.setText(db.operator)
            self.form.addRow(self.tr("Closed by"), self.by)
            self.form.addRow(self.tr("Note"), self.text)

    def apply(self) -> int:
        on, text, by = to_date(self.on.date()), self.text.toPlainText(), self.by.text()
        if self.action == "reply":
            return svc.record_reply(self.db, self.problem.id, on, text, by, list(self.photos.files))
        if self.action == "recheck":
            return svc.recheck(self.db, self.problem.id, on, self.passed.currentData(), by, text)
        return svc.close_problem(self.db, self.problem.id, on, by, text)


class SupervisorDialog(ErrorDialog):
    """Appoint a resident to the team: who, the letter of appointment, what they cover."""

    def __init__(self, db: Database, project_id: int, parent=None):
        from renewal_desk.core.services.leases import find_people

        super().__init__(self.tr("Appoint a supervisor"), parent)
        self.db, self.project_id, self._find = db, project_id, find_people
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Type a name to find the resident"))
        self.people = QListWidget()
        self.people.setMaximumHeight(100)
        self.search.textChanged.connect(self._find_people)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("or a new person's name"))
        self.new_phone = QLineEdit()
        self.new_phone.setPlaceholderText(self.tr("mobile"))
        self.appointed_on = date_edit()
        self.letter_no = QLineEdit()
        self.buildings = building_list(None, svc.buildings(db, project_id), max_height=100)
        self.works = QLineEdit()
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_name)
        new_row.addWidget(self.new_phone)
        self.form.addRow(self.tr("Resident"), self.search)
        self.form.addRow("", self.people)
        self.form.addRow("", new_row)
        self.form.addRow(self.tr("Appointed on"), self.appointed_on)
        self.form.addRow(self.tr("Letter no."), self.letter_no)
        self.form.addRow(self.tr("Buildings covered"), self.buildings)
        self.form.addRow(self.tr("Works covered"), self.works)
        self._find_people("")

    def _find_people(self, text: str) -> None:
        self.people.clear()
        for pid, name, masked in self._find(self.db, text):
            item = QListWidgetItem(f"{name}  {masked}")
            item.setData(Qt.ItemDataRole.UserRole, pid)
            self.people.addItem(item)

    def apply(self) -> int:
        item = self.people.currentItem()
        person_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        chosen = chosen_buildings(self.buildings)
        return svc.appoint_supervisor(self.db, svc.SupervisorInput(
            person_id, to_date(self.appointed_on.date()), self.project_id, self.letter_no.text(), chosen,
            self.works.text(), new_name=self.new_name.text(), new_phone=self.new_phone.text()))


class PartyDialog(ErrorDialog):
    def __init__(self, db: Database, parent=None):
        super().__init__(self.tr("Add a party"), parent)
        self.db = db
        self.name = QLineEdit()
        self.kind = _combo([(k, k) for k in svc.PARTY_KINDS])
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Contact"), self.contact)
        self.form.addRow(self.tr("Phone"), self.phone)
        self.form.addRow(self.tr("Address"), self.address)

    def apply(self) -> int:
        return svc.save_party(self.db, svc.PartyInput(self.name.text(), self.kind.currentData(), self.contact.text(),
                                                      self.phone.text(), self.address.text()))


class AcceptanceDialog(ErrorDialog):
    """验收: four parties, checklist, survey counts, third-party evaluation, result and reasons."""

    def __init__(self, db: Database, project_id: int, parent=None):
        super().__init__(self.tr("Record an acceptance"), parent)
        self.db, self.project_id = db, project_id
        self.on = date_edit()
        self.works = QComboBox()
        self.works.setEditable(True)
        self.works.addItems(["", "雨污分流改造", "外墙及屋面维修", "道路及绿化整治"])
        self.works.currentTextChanged.connect(self._scope_changed)
        self.open_label = QLabel()
        self.open_label.setWordWrap(True)
        self.parties = {key: QLineEdit() for key, _zh, _en in acc.PARTIES}
        self.builder = _combo([(self.tr("(none)"), None)] + [(p.name, p.id) for p in svc.parties(db)])
        self.checklist = QTableWidget(len(acc.DEFAULT_CHECKLIST), 3)
        self.checklist.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Result"), self.tr("Note")])
        self.checklist.verticalHeader().setVisible(False)
        self.checklist.setColumnWidth(0, 260)
        self.checklist.horizontalHeader().setStretchLastSection(True)
        for row, item in enumerate(acc.DEFAULT_CHECKLIST):
            self.checklist.setItem(row, 0, QTableWidgetItem(item))
            self.checklist.setCellWidget(row, 1, _combo([(r, r) for r in acc.CHECK_RESULTS]))
            self.checklist.setItem(row, 2, QTableWidgetItem(""))
        self.checklist.setMinimumHeight(150)
        self.survey = {key: QSpinBox() for key, _label in acc.ANSWERS}
        survey_row = QHBoxLayout()
        for key, label in acc.ANSWERS:
            self.survey[key].setRange(0, 100000)
            survey_row.addWidget(QLabel(label))
            survey_row.addWidget(self.survey[key])
        self.evaluator = QLineEdit()
        self.score = QDoubleSpinBox()
        self.score.setRange(0, 100)
        self.score.setDecimals(1)
        self.score.setSpecialValueText(self.tr("(no score)"))
        self.conclusion = QLineEdit()
        self.passed = QComboBox()
        self.passed.addItem(self.tr("Passed"), True)
        self.passed.addItem(self.tr("Not passed"), False)
        self.reasons = _text_edit(44)
        self.override = _text_edit(44)
        self.override.setPlaceholderText(self.tr("Only if problems in scope are still open: why accept now"))
        self.form.addRow(self.tr("Date"), self.on)
        self.form.addRow(self.tr("Works package (empty: whole project)"), self.works)
        self.form.addRow("", self.open_label)
        for key, zh, en in acc.PARTIES:
            self.form.addRow(zh if core_lang() == "zh" else en, self.parties[key])
        self.form.addRow(self.tr("Builder"), self.builder)
        self.form.addRow(self.tr("Checklist"), self.checklist)
        self.form.addRow(self.tr("Satisfaction survey"), survey_row)
        self.form.addRow(self.tr("Third-party evaluator"), self.evaluator)
        self.form.addRow(self.tr("Score"), self.score)
        self.form.addRow(self.tr("Evaluation conclusion"), self.conclusion)
        self.form.addRow(self.tr("Result"), self.passed)
        self.form.addRow(self.tr("Reasons"), self.reasons)
        self.form.addRow(self.tr("Written reason to accept with open problems"), self.override)
        self._scope_changed("")
        self.resize(760, self.sizeHint().height())

    def _scope_changed(self, works: str) -> None:
        found = svc.open_in_scope(self.db, self.project_id, works)
        self.open_label.setStyleSheet(f"color: {OVERDUE};" if found else "")
        names = "、".join(found[:6]) + ("…" if len(found) > 6 else "") if found else self.tr("none")
        self.open_label.setText(fmt(self.tr("Problems still open in this scope: %1"), names))

    def apply(self) -> int:
        checklist = [(self.checklist.item(r, 0).text(), self.checklist.cellWidget(r, 1).currentData(),
                      self.checklist.item(r, 2).text()) for r in range(self.checklist.rowCount())]
        survey = acc.Survey(*(self.survey[k].value() for k, _label in acc.ANSWERS))
        return svc.record_acceptance(self.db, svc.AcceptanceInput(
            self.project_id, to_date(self.on.date()), self.passed.currentData(),
            {k: e.text() for k, e in self.parties.items()}, checklist, survey, self.works.currentText(),
            self.builder.currentData(), self.evaluator.text(), str(self.score.value()) if self.score.value() else None,
            self.conclusion.text(), self.reasons.toPlainText(), self.override.toPlainText()))


class SupervisionPage(Page):
    status_message = Signal(str)
    loaded = Signal()
    detail_loaded = Signal()
    thumbnails_loaded = Signal()
    watches = frozenset({Topic.SUPERVISION})

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.as_of = date.today()
        self._load = QueryOp(self, self._show)
        self._detail = QueryOp(self, self._show_detail)
        self._rows: dict[int, svc.ProblemRow] = {}
        self.detail: svc.ProblemDetail | None = None
        self._thumbs: dict[str, QPixmap] = {}  # sha256 -> thumbnail (GUI thread only)
        self._pending_thumbs = 0
        self._thumb_load = QueryOp(self)  # one batch per problem shown
        self.plots: dict[str, object] = {}
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.project = QComboBox()
        self.project.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(QLabel(self.tr("Project")))
        top.addWidget(self.project, 1)
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdueLabel")
        top.addWidget(self.overdue_label)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._problems_tab()
        self._records_tab()
        self._team_tab()
        self._acceptance_tab()
        self._charts_tab()
        for pid, name in svc.projects(db):
            self.project.blockSignals(True)
            self.project.addItem(name, pid)
            self.project.blockSignals(False)
        self.refresh()

    # --- building the tabs -----------------------------------------------------------------------
    def _buttons(self, actions) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            row.addWidget(button)
        row.addStretch()
        return row

    def _problems_tab(self) -> None:
        tab = QWidget()
        tl = QVBoxLayout(tab)
        filters = QHBoxLayout()
        self.state_filter = _combo([(self.tr("All states"), None)] + [(rules.state_label(s, core_lang()), s.value)
                                                                          for s in rules.State])
        self.overdue_only = QCheckBox(self.tr("Overdue only"))
        self.open_only = QCheckBox(self.tr("Open only"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search description, place, party, notice no."))
        for widget in (self.state_filter, self.overdue_only, self.open_only):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.toggled
            signal.connect(lambda *_a: self.refresh())
        self.search.returnPressed.connect(self.refresh)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.overdue_only)
        filters.addWidget(self.open_only)
        filters.addWidget(self.search, 1)
        tl.addLayout(filters)
        tl.addLayout(self._buttons((
            (self.tr("Log inspection…"), self.new_inspection), (self.tr("Record problem…"), self.new_problem),
            (self.tr("Correct problem…"), self.correct_problem), (self.tr("Issue notice…"), self.new_notice), (self.tr("Reply…"), lambda: self.step("reply")),
            (self.tr("Re-check…"), lambda: self.step("recheck")),
            (self.tr("Re-issue notice…"), self.reissue_notice), (self.tr("Close…"), lambda: self.step("close")),
            (self.tr("Add photos…"), self.add_photos), (self.tr("Print notice…"), self.print_notice_of_problem))))
        self.problems = RowsModel("SupervisionPage", PROBLEM_HEADERS, right_aligned=(10, 11), parent=self)
        self.problems.highlight = lambda row: OVERDUE if self.problems.rows[row][10] else None
        self.problem_table = table_view(self.problems)
        self.problem_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.problem_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.show_problem(self.problems.key_at(cur.row())))
        for col, width in ((0, 48), (1, 88), (2, 130), (3, 70), (4, 48), (5, 230), (6, 160), (7, 80), (8, 110),
                           (9, 88), (10, 64)):
            self.problem_table.setColumnWidth(col, width)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.detail_label = QLabel(self.tr("Select a problem to see its history and photos."))
        self.detail_label.setObjectName("problemDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.photo_strip = QListWidget()
        self.photo_strip.setViewMode(QListWidget.ViewMode.IconMode)
        self.photo_strip.setIconSize(QSize(THUMB, THUMB))
        self.photo_strip.setFixedHeight(THUMB + 40)
        self.photo_strip.setGridSize(QSize(THUMB + 40, THUMB + 30))
        self.photo_strip.setMovement(QListWidget.Movement.Static)
        self.photo_strip.setFlow(QListWidget.Flow.LeftToRight)
        self.photo_strip.setWrapping(False)
        self.photo_strip.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.photo_strip.itemDoubleClicked.connect(self._open_photo)
        self.history = RowsModel("SupervisionPage", HISTORY_HEADERS, parent=self)
        self.history_table = table_view(self.history)
        for col, width in ((0, 82), (1, 90), (2, 84), (3, 100), (4, 100), (5, 82)):  # 复查未通过 whole
            self.history_table.setColumnWidth(col, width)
        rl.addWidget(self.detail_label)
        rl.addWidget(self.photo_strip)
        rl.addStretch()
        history = QGroupBox(self.tr("History"))
        QVBoxLayout(history).addWidget(self.history_table)
        lower = QSplitter()
        lower.addWidget(right)
        lower.addWidget(history)
        lower.setSizes([420, 760])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.problem_table)
        split.addWidget(lower)
        split.setSizes([420, 320])
        tl.addWidget(split, 1)
        self.tabs.addTab(tab, self.tr("Problems"))

    def _records_tab(self) -> None:
        tab = QWidget()
        tl = QVBoxLayout(tab)
        tl.addLayout(self._buttons(((self.tr("Correct inspection…"), self.correct_inspection),
                                    (self.tr("Print inspection log…"), self.print_log),
                                    (self.tr("Print selected notice…"), self.print_selected_notice))))
        self.inspections = RowsModel("SupervisionPage", INSPECTION_HEADERS, right_aligned=(4,), parent=self)
        self.notices = RowsModel("SupervisionPage", NOTICE_HEADERS, right_aligned=(4, 5, 6), parent=self)
        self.notices.highlight = lambda row: OVERDUE if self.notices.rows[row][6] else None
        self.inspection_table = fit_columns(table_view(self.inspections))
        self.notice_table = fit_columns(table_view(self.notices))
        tl.addWidget(_boxes(((self.tr("Inspections"), self.inspection_table),
                             (self.tr("Rectification notices"), self.notice_table))), 1)
        self.tabs.addTab(tab, self.tr("Inspections and notices"))

    def _team_tab(self) -> None:
        tab = QWidget()
        tl = QVBoxLayout(tab)
        tl.addLayout(self._buttons(((self.tr("Appoint supervisor…"), self.new_supervisor),
                                    (self.tr("Retire selected"), self.retire_selected),
                                    (self.tr("Add party…"), self.new_party))))
        self.team = RowsModel("SupervisionPage", SUPERVISOR_HEADERS, parent=self)
        self.team.highlight = lambda row: "#888888" if not self.team_active[row] else None
        self.team_active: list[bool] = []
        self.parties = RowsModel("SupervisionPage", PARTY_HEADERS, parent=self)
        self.team_table = fit_columns(table_view(self.team))
        tl.addWidget(_boxes(((self.tr("Supervisor team"), self.team_table),
                             (self.tr("Parties (builders, design, supervision firms)"), fit_columns(table_view(self.parties))))),
                     1)
        self.tabs.addTab(tab, self.tr("Team and parties"))

    def _acceptance_tab(self) -> None:
        tab = QWidget()
        tl = QVBoxLayout(tab)
        tl.addLayout(self._buttons(((self.tr("Record acceptance…"), self.new_acceptance),
                                    (self.tr("Print acceptance form…"), self.print_acceptance))))
        self.acceptances = RowsModel("SupervisionPage", ACCEPTANCE_HEADERS, parent=self)
        self.acceptances.highlight = lambda row: OVERDUE if not self.acceptance_passed[row] else None
        self.acceptance_passed: list[bool] = []
        self.acceptance_table = fit_columns(table_view(self.acceptances))
        tl.addWidget(self.acceptance_table, 1)
        box = QGroupBox(self.tr("Residents' satisfaction rule (local practice: 群众不满意不通过验收; editable)"))
        grid = QGridLayout(box)
        self.rule_enabled = QCheckBox(self.tr("A passed acceptance needs at least this share satisfied"))
        self.rule_percent = QLineEdit()
        self.rule_percent.setMaximumWidth(80)
        save = QPushButton(self.tr("Save rule"))
        save.clicked.connect(self.save_rule)
        self.rule_status = QLabel()
        grid.addWidget(self.rule_enabled, 0, 0)
        grid.addWidget(self.rule_percent, 0, 1)
        grid.addWidget(QLabel("%"), 0, 2)
        grid.addWidget(save, 0, 3)
        grid.addWidget(self.rule_status, 1, 0, 1, 4)
        tl.addWidget(box)
        self.tabs.addTab(tab, self.tr("Acceptance"))

    def _charts_tab(self) -> None:
        tab = QWidget()
        tl = QVBoxLayout(tab)
        head = QHBoxLayout()
        self.figures = QLabel()
        self.figures.setObjectName("supervisionFigures")
        self.figures.setWordWrap(True)
        self.figures.setStyleSheet("font-size: 12pt;")
        head.addWidget(self.figures, 1)
        report = QPushButton(self.tr("Print report…"))
        report.clicked.connect(self.print_report)
        head.addWidget(report, 0, Qt.AlignmentFlag.AlignTop)
        tl.addLayout(head)
        self.chart_grid = QGridLayout()
        tl.addLayout(self.chart_grid, 1)
        self.tabs.addTab(tab, self.tr("Charts"))

    # --- loading ---------------------------------------------------------------------------------
    @property
    def project_id(self) -> int | None:
        return self.project.currentData()

    def release(self) -> None:
        """Out of sight (another section shown): let go of the problem list (20,000 rows at sub-district
        scale); the main window refreshes the page when it is shown again."""
        self._load.drop()  # results still on their way are dropped
        self._rows = {}
        self.problems.set_rows([])

    def refresh(self) -> None:
        """Reload every list off the GUI thread; a newer refresh makes older results stale."""
        as_of, project_id = self.as_of, self.project_id
        flt = svc.ProblemFilter(project_id=project_id, state=self.state_filter.currentData(),
                                overdue_only=self.overdue_only.isChecked(), open_only=self.open_only.isChecked(),
                                text=self.search.text())

        def load():
            everything = svc.ProblemFilter(project_id=project_id)
            rows = svc.problem_rows(self.db, flt, as_of)
            return (rows, svc.inspections(self.db, project_id),
                    [n for n in svc.notices(self.db, as_of) if project_id in (None, n.project_id)],
                    svc.supervisors(self.db), svc.parties(self.db),
                    [a for a in svc.acceptances(self.db) if project_id in (None, a.project_id)],
                    svc.statistics(self.db, as_of - timedelta(days=180), as_of, project_id, as_of,
                                   rows=rows if flt == everything else None),  # the unfiltered list, read once
                    svc.acceptance_rule(self.db))

        self._load.run(load)

    def _show(self, result) -> None:
        rows, inspections, notices, team, parties, acceptances, stats, rule = result
        self._rows = {r.id: r for r in rows}
        selected = self.detail.row.id if self.detail else None
        self.problems.set_rows([(f"#{r.id}", r.found_on.isoformat(), r.place, r.category, r.severity, r.description,
                                 r.party, rules.state_label(r.state, core_lang()), r.notice_no, r.deadline.isoformat() if r.deadline else "",
                                 r.days_overdue or "", r.photos or "") for r in rows], [r.id for r in rows])
        self.inspections.set_rows([(i.inspected_on.isoformat(), i.places, i.weather, i.participants, i.problems)
                                   for i in inspections], [i.id for i in inspections])
        self.notices.set_rows([(n.notice_no, n.party, n.issued_on.isoformat(), n.deadline.isoformat(), n.problems,
                                n.open_problems, n.overdue or "") for n in notices], [n.id for n in notices])
        self.team_active = [v.active for v in team]
        retired = self.tr("left %1")
        self.team.set_rows([(v.name, mask_phone(v.phone or ""), v.appointed_on.isoformat(), v.letter_no, v.covers,
                             self.tr("active") if v.active else fmt(retired,
                                                                    v.retired_on.isoformat()
                                                                                  if v.retired_on else ""))
                            for v in team], [v.id for v in team])
        self.parties.set_rows([(p.name, p.kind, p.contact_name, mask_phone(p.contact_phone or "")) for p in parties],
                              [p.id for p in parties])
        self.acceptances.set_rows([(a.record_no, a.accepted_on.isoformat(), a.scope, "通过" if a.passed else "不通过",
                                    f"{a.survey.content}/{a.survey.total}"
                                    + (f"（{acc.percent_text(a.survey.share)}）" if a.survey.share is not None else ""),
                                    f"{a.evaluator} {a.score or ''}".strip(), a.open_problems,
                                    a.reasons or a.override_reason) for a in acceptances], [a.id for a in acceptances])
        self.acceptance_passed = [a.passed for a in acceptances]
        self.rule_enabled.setChecked(rule.enabled)
        self.rule_percent.setText(f"{rule.min_percent.normalize():f}")
        self.rule_status.setText(rule.describe())
        self.overdue_label.setText(fmt(self.tr("Overdue: %1"), str(stats.overdue)))
        self.overdue_label.setStyleSheet(f"color: {OVERDUE}; font-weight: bold;" if stats.overdue else "")
        self._show_charts(stats)
        if selected in self._rows:
            self.select_problem(selected)
        self.loaded.emit()

    # --- one problem: detail, history, thumbnails -----------------------------------------------------
    def select_problem(self, problem_id: int) -> None:
        for row in range(self.problems.rowCount()):
            if self.problems.key_at(row) == problem_id:
                self.problem_table.selectRow(row)
                self.show_problem(problem_id)
                return

    def show_problem(self, problem_id: int | None) -> None:
        if problem_id is None:
            return
        as_of = self.as_of
        self._detail.run(lambda: svc.problem_detail(self.db, problem_id, as_of))

    def _show_detail(self, detail: svc.ProblemDetail) -> None:
        self.detail = detail
        r = detail.row
        overdue = (f"　<span style='color:{OVERDUE}'>" + fmt(self.tr("%1 days overdue"), str(r.days_overdue))
                   + "</span>") if r.overdue else ""
        self.detail_label.setText(
            f"<b>#{r.id} {r.place}</b>　{r.category}·{r.severity}　<b>{rules.state_label(r.state, core_lang())}</b>{overdue}<br>{r.description}<br>"
            + fmt(self.tr("Basis: %1"), detail.basis or "—") + "<br>"
            + fmt(self.tr("Measures: %1"), detail.measures or "—") + "<br>"
            + fmt(self.tr("Responsible party: %1"), r.party or "—"))
        self.history.set_rows([(h.on.isoformat(), h.label, rules.state_label(h.to_state, core_lang()), h.by, h.notice_no,
                                h.deadline.isoformat() if h.deadline else "",
                                h.text + (f"（{len(h.photos)} " + self.tr("photos") + "）" if h.photos else ""))
                               for h in detail.history], [h.id for h in detail.history])
        self._show_thumbnails([(a, self.tr("found")) for a in detail.photos]
                              + [(a, h.label) for h in detail.history for a in h.photos])
        self.detail_loaded.emit()

    def _show_thumbnails(self, photos: list[tuple[AttachmentInfo, str]]) -> None:
        self.photo_strip.clear()
        self._thumb_load.drop()  # the strip shows another problem now: the last one's thumbnails are dropped
        self._pending_thumbs = 0
        for info, caption in photos:
            item = QListWidgetItem(caption)
            item.setData(Qt.ItemDataRole.UserRole, info)
            item.setToolTip(info.original_name)
            self.photo_strip.addItem(item)
            if info.sha256 in self._thumbs and stored_path(self.db, info.sha256).exists():  # a stat, not a read
                item.setIcon(QIcon(self._thumbs[info.sha256]))
                continue
            self._thumbs.pop(info.sha256, None)  # the file went away since: load again, to say so
            self._pending_thumbs += 1
            self._thumb_load.run(lambda info=info: _thumbnail(self.db, info),
                                 lambda result, item=item, info=info: self._thumb_ready(item, info, result),
                                 lambda exc, item=item: self._thumb_ready(item, None, exc), join=True)
        if not self._pending_thumbs:
            self.thumbnails_loaded.emit()

    def _thumb_ready(self, item: QListWidgetItem, info: AttachmentInfo | None, result) -> None:
        if isinstance(result, QImage):
            pixmap = QPixmap.fromImage(result)  # QPixmap only here, on the GUI thread
            self._thumbs[info.sha256] = pixmap
        else:
            pixmap = _placeholder(self.tr("missing") if isinstance(result, InputError) else self.tr("unreadable"))
            item.setToolTip(result.describe(core_lang()) if isinstance(result, InputError) else item.toolTip())
        item.setIcon(QIcon(pixmap))
        self._pending_thumbs -= 1
        if self._pending_thumbs <= 0:
            self.thumbnails_loaded.emit()

    def _open_photo(self, item: QListWidgetItem) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        try:
            path = open_attachment(self.db, item.data(Qt.ItemDataRole.UserRole))
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Photo"), exc.describe(core_lang()))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # --- actions -----------------------------------------------------------------------------------
    def _after(self, message: str) -> None:
        self.status_message.emit(message)
        self.refresh()

    def _need_project(self) -> int | None:
        if self.project_id is None:
            QMessageBox.information(self, self.tr("Supervision"), self.tr("Create a project first."))
        return self.project_id

    def selected_problems(self) -> list[svc.ProblemRow]:
        rows = sorted({i.row() for i in self.problem_table.selectionModel().selectedRows()})
        if not rows and self.problem_table.currentIndex().isValid():
            rows = [self.problem_table.currentIndex().row()]
        return [self._rows[k] for k in (self.problems.key_at(r) for r in rows) if k in self._rows]

    def new_inspection(self) -> None:
        if self._need_project() and InspectionDialog(self.db, self.project_id, self).exec():
            self._after(self.tr("Inspection logged"))

    def new_problem(self) -> None:
        if self._need_project() and ProblemDialog(self.db, self.project_id, parent=self).exec():
            self._after(self.tr("Problem recorded"))

    def correct_problem(self) -> None:
        """更正: the selected problem recorded with a wrong place, category, party or text."""
        chosen = self.selected_problems()
        if not chosen:
            QMessageBox.information(self, self.tr("Correct problem"), self.tr("Select a problem first."))
            return
        if ProblemDialog(self.db, chosen[0].project_id, parent=self, amend=chosen[0].id).exec():
            self._after(self.tr("Problem corrected"))

    def correct_inspection(self) -> None:
        inspection_id = self.inspections.key_at(self.inspection_table.currentIndex().row())
        if inspection_id is None:
            QMessageBox.information(self, self.tr("Correct inspection"), self.tr("Select an inspection first."))
            return
        project_id = svc.inspection_input(self.db, inspection_id).project_id
        if InspectionDialog(self.db, project_id, self, amend=inspection_id).exec():
            self._after(self.tr("Inspection corrected"))

    def new_notice(self) -> None:
        chosen = self.selected_problems()
        if not chosen:
            QMessageBox.information(self, self.tr("Issue notice"), self.tr("Select one or more problems of one party."))
            return
        if NoticeDialog(self.db, chosen, self).exec():
            self._after(self.tr("Notice issued"))

    def step(self, action: str) -> None:
        chosen = self.selected_problems()
        if len(chosen) != 1:
            QMessageBox.information(self, self.tr("Problems"), self.tr("Select one problem."))
            return
        dialog = StepDialog(self.db, chosen[0], action, self)
        if not dialog.exec():
            return
        self._after(self.tr("Saved"))
        if action == "recheck" and dialog.passed.currentData() is False:
            answer = QMessageBox.question(
                self, self.tr("Re-check not passed"),
                self.tr("The re-check did not pass. Re-issue the rectification notice now, with a new deadline?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                self.reissue_notice(chosen[0].id)

    def reissue_notice(self, problem_id: int | None = None) -> bool:
        """重新下发整改通知: a new notice with a new deadline for a problem whose re-check failed."""
        if problem_id is None:
            chosen = self.selected_problems()
            if len(chosen) != 1:
                QMessageBox.information(self, self.tr("Problems"), self.tr("Select one problem."))
                return False
            problem_id = chosen[0].id
        rows = svc.problem_rows(self.db, svc.ProblemFilter(ids=[problem_id]), self.as_of)
        if not rows or rows[0].state != rules.State.FAILED.value:
            QMessageBox.information(self, self.tr("Re-issue notice"), self.tr(
                "Only a problem whose re-check did not pass gets a re-issued notice."))
            return False
        if NoticeDialog(self.db, rows, self, reissue=True).exec():
            self._after(self.tr("Notice re-issued"))
            return True
        return False

    def add_photos(self, files: list[str] | None = None) -> int:
        chosen = self.selected_problems()
        if len(chosen) != 1:
            QMessageBox.information(self, self.tr("Problems"), self.tr("Select one problem."))
            return 0
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), str(Path.home()),
                                                    self.tr("Images (*.jpg *.jpeg *.png *.gif *.bmp)"))
        try:
            added = svc.add_problem_photos(self.db, chosen[0].id, files)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Add photos"), exc.describe(core_lang()))
            return 0
        self._after(fmt(self.tr("%1 photos added"), str(added)))
        return added

    def new_supervisor(self) -> None:
        if self._need_project() and SupervisorDialog(self.db, self.project_id, self).exec():
            self._after(self.tr("Supervisor appointed"))

    def retire_selected(self) -> None:
        sid = self.team.key_at(self.team_table.currentIndex().row())
        if sid is not None:
            svc.retire_supervisor(self.db, sid, date.today())
            self._after(self.tr("Saved"))

    def new_party(self) -> None:
        if PartyDialog(self.db, self).exec():
            self._after(self.tr("Saved"))

    def new_acceptance(self) -> None:
        if self._need_project() and AcceptanceDialog(self.db, self.project_id, self).exec():
            self._after(self.tr("Acceptance recorded"))

    def save_rule(self) -> bool:
        try:
            rule = svc.set_acceptance_rule(self.db, self.rule_enabled.isChecked(), self.rule_percent.text())
        except InputError as exc:
            self.rule_status.setText(exc.describe(core_lang()))
            return False
        self.rule_status.setText(rule.describe())
        return True

    # --- charts ------------------------------------------------------------------------------------------
    def _plot(self, key: str, title: str, row: int, col: int):
        import pyqtgraph as pg

        if key not in self.plots:
            pg.setConfigOptions(antialias=True, background="w", foreground="k")
            plot = pg.PlotWidget(title=title)
            plot.showGrid(x=False, y=True, alpha=0.3)
            self.chart_grid.addWidget(plot, row, col)
            self.plots[key] = plot
        self.plots[key].clear()
        return self.plots[key]

    def _show_charts(self, stats: svc.Statistics) -> None:
        import pyqtgraph as pg

        avg = fmt(self.tr("%1 days"), str(stats.avg_days_to_close)) if stats.avg_days_to_close else "—"
        self.figures.setText(
            fmt(self.tr("Last 180 days: %1 inspections, %2 problems found, %3 closed, %4 notices; open now: %5, "
                        "overdue: %6; average days to close: %7"),
                str(stats.inspections), str(stats.found), str(stats.closed), str(stats.notices), str(stats.open_now),
                str(stats.overdue), avg))
        open_pen, closed_pen = pg.mkPen("#c0392b", width=2), pg.mkPen("#2e7d32", width=2)
        line = self._plot("timeline", self.tr("Open and closed problems over time"), 0, 0)
        if line.getPlotItem().legend is None:  # keep no Python reference to the legend (a QGraphicsItem)
            line.addLegend()
        xs = list(range(len(stats.timeline)))
        line.plot(xs, [p[1] for p in stats.timeline], pen=open_pen, symbol="o", symbolSize=4, name=self.tr("open"))
        line.plot(xs, [p[2] for p in stats.timeline], pen=closed_pen, symbol="o", symbolSize=4, name=self.tr("closed"))
        line.getAxis("bottom").setTicks([[(x, p[0].strftime("%m-%d")) for x, p in enumerate(stats.timeline)][::2]])
        for key, title, data, pos in (("category", self.tr("Problems by category"), stats.by_category, (0, 1)),
                                      ("party", self.tr("Problems by party"), stats.by_party, (1, 0))):
            plot = self._plot(key, title, *pos)
            labels = list(reversed(list(data)))
            ys = list(range(len(labels)))
            opened = [data[k][0] for k in labels]
            closed = [data[k][1] for k in labels]
            if labels:  # horizontal stacked bars: long names stay readable
                plot.addItem(pg.BarGraphItem(x0=[0] * len(ys), y=ys, width=opened, height=0.6, brush="#c0392b"))
                plot.addItem(pg.BarGraphItem(x0=opened, y=ys, width=closed, height=0.6, brush="#2e7d32"))
            plot.getAxis("left").setTicks([[(y, k) for y, k in zip(ys, labels)]])
        days = self._plot("days", self.tr("Average days to close, by party"), 1, 1)
        labels = list(reversed(list(stats.avg_days_by_party)))
        if labels:
            days.addItem(pg.BarGraphItem(x0=[0] * len(labels), y=list(range(len(labels))),
                                         width=[float(stats.avg_days_by_party[k]) for k in labels], height=0.6,
                                         brush="#1e88e5"))
        days.getAxis("left").setTicks([[(y, k) for y, k in enumerate(labels)]])

    # --- printing ------------------------------------------------------------------------------------------
    def print_doc(self, doc: str, record_id: int, path: str | None = None, **options):
        if path:
            return print_in_background(self, doc, record_id, path, **options)
        return preview_and_print(self, doc, record_id, **options)

    def print_notice_of_problem(self) -> None:
        chosen = self.selected_problems()
        if chosen and chosen[0].notice_id:
            self.print_doc("rectification-notice", chosen[0].notice_id)
        else:
            QMessageBox.information(self, self.tr("Print notice"), self.tr("The selected problem has no notice yet."))

    def print_selected_notice(self) -> None:
        notice_id = self.notices.key_at(self.notice_table.currentIndex().row())
        if notice_id is not None:
            self.print_doc("rectification-notice", notice_id)

    def print_log(self, path: str | None = None):
        return print_with_period(self, "inspection-log", self.project_id or 0, self.as_of - timedelta(days=89),
                                 self.as_of, path)

    def print_acceptance(self) -> None:
        acceptance_id = self.acceptances.key_at(self.acceptance_table.currentIndex().row())
        if acceptance_id is not None:
            self.print_doc("acceptance-form", acceptance_id)

    def print_report(self, path: str | None = None):
        return print_with_period(self, "supervision-report", self.project_id or 0,
                                 self.as_of - timedelta(days=179), self.as_of, path)


def _thumbnail(db: Database, info: AttachmentInfo) -> QImage:
    """In a worker thread: the stored photo (checked against its hash) scaled to a thumbnail.
    QImage is safe off the GUI thread; a missing or unreadable file raises, for the placeholder."""
    path = open_attachment(db, info)
    image = QImage(str(path))
    if image.isNull():
        raise ValueError(info.original_name)
    return image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def _placeholder(text: str) -> QPixmap:
    pixmap = QPixmap(THUMB, THUMB)
    pixmap.fill(QColor("#eeeeee"))
    painter = QPainter(pixmap)
    painter.setPen(QColor(OVERDUE))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap
