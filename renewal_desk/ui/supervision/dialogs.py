"""The supervision page's dialogs: log or correct an inspection, record or correct a problem (with its photos),
issue or re-issue a rectification notice, one step of a problem (reply, re-check, close), appoint a
supervisor, add a party, record an acceptance."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSpinBox, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.models import PARTY_KIND_LABELS
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import acceptance as acc
from renewal_desk.core.rules import rectification as rules
from renewal_desk.core.services import supervision as svc

from ..i18n import core_lang, enum_label, fmt
from ..rows_model import Column, EditableRowsModel
from ..widgets.forms import ErrorDialog, building_list, chosen_buildings, date_edit, to_date
from ..widgets.tables import edit_table
from .common import OVERDUE, _combo, _text_edit

NOTICE_COLUMNS = (Column(QT_TRANSLATE_NOOP("NoticeDialog", "Problem")),
                  Column(QT_TRANSLATE_NOOP("NoticeDialog", "Measures required"), editable=True))
CHECKLIST_COLUMNS = (Column(QT_TRANSLATE_NOOP("AcceptanceDialog", "Item"), editable=True),
                     Column(QT_TRANSLATE_NOOP("AcceptanceDialog", "Result"), editable=True, choices=acc.CHECK_RESULTS),
                     Column(QT_TRANSLATE_NOOP("AcceptanceDialog", "Note"), editable=True))


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
        self.category = _combo([(enum_label(rules.PROBLEM_CATEGORY_LABELS, c), c) for c in rules.CATEGORIES])
        self.severity = _combo([(enum_label(rules.SEVERITY_LABELS, s), s) for s in rules.SEVERITIES])
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
        self.measures = EditableRowsModel("NoticeDialog", NOTICE_COLUMNS, self)  # each problem's measures, edited here
        self.measures.set_rows([(f"#{p.id} {p.place}：{p.description}", svc.problem_detail(db, p.id).measures)
                                for p in problems], [p.id for p in problems])
        self.table = edit_table(self.measures)
        self.table.setColumnWidth(0, 260)
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
        self.measures.set_column(1, text)

    def apply(self) -> int:
        measures = {p.id: self.measures.rows[row][1] for row, p in enumerate(self.problems)}
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
        self.kind = _combo([(enum_label(PARTY_KIND_LABELS, k), k) for k in svc.PARTY_KINDS])
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
        self.checklist_model = EditableRowsModel("AcceptanceDialog", CHECKLIST_COLUMNS, self)  # item, result, note
        self.checklist_model.set_rows([(item, acc.CHECK_RESULTS[0], "") for item in acc.DEFAULT_CHECKLIST])
        self.checklist = edit_table(self.checklist_model)
        self.checklist.setColumnWidth(0, 260)
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
        checklist = [tuple(row) for row in self.checklist_model.rows]
        survey = acc.Survey(*(self.survey[k].value() for k, _label in acc.ANSWERS))
        return svc.record_acceptance(self.db, svc.AcceptanceInput(
            self.project_id, to_date(self.on.date()), self.passed.currentData(),
            {k: e.text() for k, e in self.parties.items()}, checklist, survey, self.works.currentText(),
            self.builder.currentData(), self.evaluator.text(), str(self.score.value()) if self.score.value() else None,
            self.conclusion.text(), self.reasons.toPlainText(), self.override.toPlainText()))
