"""收储租: the register of stored houses, contracts with their exact schedules and payments, a dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
                               QPlainTextEdit, QPushButton, QSpinBox, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.models import CONTRACT_STATUS_LABELS, PROTECTION_LABELS, Protection
from renewal_desk.core.problems import InputError, Problem
from renewal_desk.core.rules import lease as rules
from renewal_desk.core.rules.money import entered_yuan_to_fen as yuan_to_fen
from renewal_desk.core.rules.money import format_fen
from renewal_desk.core.services import leases as svc

from .operations import QueryOp
from .page import Page, Topic
from .i18n import core_lang, enum_label, fmt
from .pdf import preview_and_print, print_in_background, print_with_period
from .rows_model import RowsModel
from .widgets.forms import AREA_PATTERN, ErrorDialog, date_edit, numeric, to_date
from .widgets.tables import fit_columns, table_view
from .widgets.style import ERROR_STYLE, RED

HOUSE_HEADERS = (
    QT_TRANSLATE_NOOP("LeasesPage", "Address"),
    QT_TRANSLATE_NOOP("LeasesPage", "Owners"),
    QT_TRANSLATE_NOOP("LeasesPage", "Area (m²)"),
    QT_TRANSLATE_NOOP("LeasesPage", "Protection"),
    QT_TRANSLATE_NOOP("LeasesPage", "Condition"),
    QT_TRANSLATE_NOOP("LeasesPage", "Restoration"),
    QT_TRANSLATE_NOOP("LeasesPage", "Business"),
    QT_TRANSLATE_NOOP("LeasesPage", "Contract"),
    QT_TRANSLATE_NOOP("LeasesPage", "Lease ends"),
    QT_TRANSLATE_NOOP("LeasesPage", "Arrears (yuan)"),
)
CONTRACT_HEADERS = (
    QT_TRANSLATE_NOOP("LeasesPage", "Contract"),
    QT_TRANSLATE_NOOP("LeasesPage", "House"),
    QT_TRANSLATE_NOOP("LeasesPage", "Lessors"),
    QT_TRANSLATE_NOOP("LeasesPage", "Status"),
    QT_TRANSLATE_NOOP("LeasesPage", "Ends"),
    QT_TRANSLATE_NOOP("LeasesPage", "Arrears (yuan)"),
)
SCHEDULE_HEADERS = (
    QT_TRANSLATE_NOOP("LeasesPage", "No."),
    QT_TRANSLATE_NOOP("LeasesPage", "Lease year"),
    QT_TRANSLATE_NOOP("LeasesPage", "Period"),
    QT_TRANSLATE_NOOP("LeasesPage", "Due"),
    QT_TRANSLATE_NOOP("LeasesPage", "Amount"),
    QT_TRANSLATE_NOOP("LeasesPage", "Paid"),
    QT_TRANSLATE_NOOP("LeasesPage", "Unpaid"),
    QT_TRANSLATE_NOOP("LeasesPage", "Days overdue"),
)
PAYMENT_HEADERS = (
    QT_TRANSLATE_NOOP("LeasesPage", "Paid on"),
    QT_TRANSLATE_NOOP("LeasesPage", "Amount"),
    QT_TRANSLATE_NOOP("LeasesPage", "Method"),
    QT_TRANSLATE_NOOP("LeasesPage", "Reference"),
    QT_TRANSLATE_NOOP("LeasesPage", "Received by"),
    QT_TRANSLATE_NOOP("LeasesPage", "Note"),
)

AGEING_LABELS = {"le30": "≤30", "31to90": "31–90", "gt90": ">90"}


class HouseDialog(ErrorDialog):
    def __init__(self, db: Database, parent=None, house_id: int | None = None):
        super().__init__(self.tr("Correct the stored house") if house_id else self.tr("Register a stored house"),
                         parent)
        self.db, self.house_id = db, house_id
        self.street = QLineEdit()
        self.number = QLineEdit()
        self.owner_search = QLineEdit()
        self.owner_search.setPlaceholderText(self.tr("Type a name to find the owner"))
        self.owner_list = QListWidget()
        self.owner_list.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.owner_list.setMaximumHeight(110)
        self.owner_search.textChanged.connect(self._find_owners)
        self.new_owner = QPushButton(self.tr("New owner…"))
        self.new_owner.clicked.connect(self._add_owner)
        self.area = numeric(QLineEdit(), AREA_PATTERN)
        self.structure = QComboBox()
        self.structure.setEditable(True)
        self.structure.addItems(["砖木", "木结构", "砖混", "其他"])
        self.built_year = QSpinBox()
        self.built_year.setRange(1600, date.today().year)
        self.built_year.setValue(1950)
        self.protection = QComboBox()
        for p in Protection:  # the code as the item's data, its label as the text
            self.protection.addItem(enum_label(PROTECTION_LABELS, p), p)
        self.condition = QLineEdit()
        self.storage_date = date_edit()
        self.current_use = QLineEdit()
        owner_row = QHBoxLayout()
        owner_row.addWidget(self.owner_search, 1)
        owner_row.addWidget(self.new_owner)
        self.form.addRow(self.tr("Street"), self.street)
        self.form.addRow(self.tr("Number"), self.number)
        self.form.addRow(self.tr("Owners"), owner_row)
        self.form.addRow("", self.owner_list)
        self.form.addRow(self.tr("Area (m²)"), self.area)
        self.form.addRow(self.tr("Structure"), self.structure)
        self.form.addRow(self.tr("Built in"), self.built_year)
        self.form.addRow(self.tr("Protection"), self.protection)
        self.form.addRow(self.tr("Condition"), self.condition)
        self.form.addRow(self.tr("Stored on"), self.storage_date)
        self.form.addRow(self.tr("Current use"), self.current_use)
        self._find_owners("")
        if house_id:
            self._load(svc.house_input(db, house_id))

    def _load(self, h: svc.HouseInput) -> None:
        """Editing: the form shows the house as registered (the owners ticked)."""
        self.street.setText(h.street)
        self.number.setText(h.number)
        self.area.setText(h.area or "")
        self.structure.setCurrentText(h.structure)
        if h.built_year:
            self.built_year.setValue(h.built_year)
        self.protection.setCurrentIndex(max(0, self.protection.findData(h.protection)))
        self.condition.setText(h.condition)
        if h.storage_date:
            self.storage_date.setDate(QDate(h.storage_date.year, h.storage_date.month, h.storage_date.day))
        self.current_use.setText(h.current_use)
        self._fixtures, self._note, self._block = h.fixtures, h.note, h.block_id
        for row in range(self.owner_list.count()):
            item = self.owner_list.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in h.owner_ids)

    def _find_owners(self, text: str) -> None:
        chosen = set(self.selected_owners())
        self.owner_list.clear()
        for pid, name, masked in svc.find_people(self.db, text):
            item = QListWidgetItem(f"{name}  {masked}")
            item.setData(Qt.ItemDataRole.UserRole, pid)
            self.owner_list.addItem(item)
            item.setSelected(pid in chosen)

    def _add_owner(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New owner"), self.tr("Name"))
        if not ok:
            return
        id_number, ok = QInputDialog.getText(self, self.tr("New owner"), self.tr("ID number"))
        if not ok:
            return
        self.add_owner(name, id_number)

    def add_owner(self, name: str, id_number: str = "", phone: str = "") -> int | None:
        try:
            pid = svc.add_person(self.db, name, id_number or None, phone or None)
        except InputError as exc:
            self.errors.setText(exc.describe(core_lang()))
            self.errors.show()
            return None
        self.owner_search.setText(name)
        for row in range(self.owner_list.count()):
            if self.owner_list.item(row).data(Qt.ItemDataRole.UserRole) == pid:
                self.owner_list.item(row).setSelected(True)
        return pid

    def selected_owners(self) -> list[int]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.owner_list.selectedItems()]

    def apply(self) -> int:
        data = svc.HouseInput(
            self.street.text(), self.number.text(), self.selected_owners(), self.area.text().strip() or None,
            self.structure.currentText(), self.built_year.value(), self.protection.currentData(),
            self.condition.text(), storage_date=to_date(self.storage_date.date()), current_use=self.current_use.text())
        if self.house_id:
            data.fixtures, data.note, data.block_id = self._fixtures, self._note, self._block  # not on the form
            svc.update_house(self.db, self.house_id, data)
            return self.house_id
        return svc.create_house(self.db, data)


class ContractDialog(ErrorDialog):
    """Sign (or amend, or renew) a contract; the yearly rents and the total update as you type."""

    def __init__(self, db: Database, house_id: int, lessor_ids: list[int], mode: str = "new",
                 contract_id: int | None = None, terms: svc.TermsInput | None = None, parent=None):
        titles = {"new": self.tr("Sign a lease contract"), "amend": self.tr("Amend the contract"),
                  "renew": self.tr("Renew the contract")}
        super().__init__(titles[mode], parent)
        self.db, self.house_id, self.lessor_ids, self.mode, self.contract_id = db, house_id, lessor_ids, mode, contract_id
        t = terms or svc.TermsInput(date.today(), 240, 1_200_000, due_day=min(date.today().day, 28))
        self.start = date_edit(t.start)
        self.term = QSpinBox()
        self.term.setRange(1, 999)  # the law's 240 is enforced by the service, with the article cited
        self.term.setSuffix(self.tr(" months"))
        self.term.setValue(t.term_months)
        self.rent = numeric(QLineEdit(str(Decimal(t.base_annual_rent_fen) / 100)))
        self.step = QLineEdit(str(t.step_percent))
        self.interval = QSpinBox()
        self.interval.setRange(1, 20)
        self.interval.setValue(t.step_interval_years)
        self.compounding = QCheckBox(self.tr("Compound on the previous step"))
        self.compounding.setChecked(t.compounding)
        self.frequency = QComboBox()
        lang = 1 if core_lang() == "en" else 0
        for code, labels in rules.FREQUENCY_LABELS.items():
            self.frequency.addItem(labels[lang], str(code))
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(t.frequency)))
        self.due_day = QSpinBox()
        self.due_day.setRange(1, 28)
        self.due_day.setValue(t.due_day)
        self.deposit = numeric(QLineEdit(str(Decimal(t.deposit_fen) / 100)))
        self.sublet = QCheckBox(self.tr("The lessor consents to subletting (Civil Code art. 716)"))
        self.sublet.setChecked(t.sublet_consent)
        self.improve = QCheckBox(self.tr("The lessor consents to improvements (Civil Code art. 715)"))
        self.improve.setChecked(t.improvement_consent)
        self.uses = QLineEdit(t.uses)
        self.renewal = QLineEdit(t.renewal_terms)
        self.early = QLineEdit(t.early_termination)
        self.reason = QLineEdit()
        self.preview = QLabel()
        self.preview.setObjectName("rentPreview")
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(self.preview.fontMetrics().lineSpacing() * 4)
        for label, widget in ((self.tr("Start"), self.start), (self.tr("Term"), self.term),
                              (self.tr("Base annual rent (yuan)"), self.rent), (self.tr("Step-up (%)"), self.step),
                              (self.tr("Every N lease years"), self.interval), ("", self.compounding),
                              (self.tr("Payment"), self.frequency), (self.tr("Due day of month"), self.due_day),
                              (self.tr("Deposit (yuan)"), self.deposit), ("", self.sublet), ("", self.improve),
                              (self.tr("Permitted uses"), self.uses), (self.tr("Renewal"), self.renewal),
                              (self.tr("Early termination"), self.early)):
            self.form.addRow(label, widget)
        if mode == "amend":
            self.form.addRow(self.tr("Reason for the amendment"), self.reason)
        self.form.addRow(self.tr("Rent by lease year"), self.preview)
        for widget in (self.rent, self.step, self.deposit):
            widget.textChanged.connect(self.update_preview)
        for widget in (self.term, self.interval, self.due_day):
            widget.valueChanged.connect(self.update_preview)
        self.compounding.toggled.connect(self.update_preview)
        self.start.dateChanged.connect(self.update_preview)
        self.update_preview()

    def terms(self) -> svc.TermsInput:
        try:
            step = Decimal(self.step.text().strip() or "0")
        except ArithmeticError:
            raise InputError(Problem(svc.E_STEP_TEXT, {"value": self.step.text()}, field="step_percent")) from None
        return svc.TermsInput(
            to_date(self.start.date()), self.term.value(), yuan_to_fen(self.rent.text()), step,
            self.interval.value(), self.compounding.isChecked(), self.frequency.currentData(), self.due_day.value(),
            yuan_to_fen(self.deposit.text() or "0"), self.sublet.isChecked(), self.improve.isChecked(),
            self.uses.text(), self.renewal.text(), self.early.text(), to_date(self.start.date()))

    def update_preview(self) -> None:
        try:
            terms = self.terms()
            rules.validate_terms(terms.rule_terms())
        except InputError as exc:
            self.preview.setText(exc.describe(core_lang()))
            self.preview.setStyleSheet(ERROR_STYLE)
            return
        except Exception:  # noqa: BLE001 - half-typed numbers while editing
            return
        years = rules.annual_rents(terms.rule_terms())
        groups: list[str] = []
        for year in years:
            groups.append(f"{year.index}: {format_fen(year.rent_fen)}")
        self.preview.setStyleSheet("")
        self.preview.setText("；".join(groups) + "\n" + fmt(self.tr("Total: %1 yuan"),
                                                           format_fen(rules.total_rent_fen(terms.rule_terms()))))

    def apply(self) -> int:
        terms = self.terms()
        if self.mode == "amend":
            svc.amend_contract(self.db, self.contract_id, terms, self.reason.text())
            return self.contract_id
        if self.mode == "renew":
            return svc.renew_contract(self.db, self.contract_id, terms)
        return svc.create_contract(self.db, self.house_id, self.lessor_ids, terms)  # lessee: the office profile


class PartiesDialog(ErrorDialog):
    """更正合同当事人: which owners sign as lessors, and the lessee's name, representative and address."""

    def __init__(self, db: Database, contract: svc.ContractView, parent=None):
        super().__init__(self.tr("Correct the contract's parties"), parent)
        self.db, self.contract = db, contract
        self.lessors = QListWidget()
        self.lessors.setMaximumHeight(120)
        signed = {pid for pid, _n, _i, _p in contract.lessors}
        candidates = dict.fromkeys([*svc.house_owner_ids(db, contract.house_id), *signed])
        names = {pid: name for pid, name, _i, _p in contract.lessors}
        for pid in candidates:
            item = QListWidgetItem(names.get(pid) or svc.person_name(db, pid))
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if pid in signed else Qt.CheckState.Unchecked)
            self.lessors.addItem(item)
        self.lessee = QLineEdit(contract.lessee_name)
        self.representative = QLineEdit(contract.lessee_representative)
        self.address = QLineEdit(contract.lessee_address)
        self.why = QLineEdit()
        self.why.setPlaceholderText(self.tr("What was wrong in the record"))
        self.form.addRow(self.tr("Contract"), QLabel(f"{contract.contract_no} {contract.house_address}"))
        self.form.addRow(self.tr("Lessors (owners who sign)"), self.lessors)
        self.form.addRow(self.tr("Lessee"), self.lessee)
        self.form.addRow(self.tr("Lessee's representative"), self.representative)
        self.form.addRow(self.tr("Lessee's address"), self.address)
        self.form.addRow(self.tr("Reason for the correction"), self.why)

    def chosen(self) -> list[int]:
        return [self.lessors.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.lessors.count())
                if self.lessors.item(r).checkState() == Qt.CheckState.Checked]

    def apply(self) -> int:
        svc.amend_parties(self.db, self.contract.id, self.chosen(), self.lessee.text(), self.representative.text(),
                          self.address.text(), self.why.text())
        return self.contract.id


class RestorationDialog(ErrorDialog):
    """恢复性修缮: works, dates, cost and who paid for it, how residents took part; with `amend` the
    recorded works, to correct with a reason."""

    def __init__(self, db: Database, house_id: int, parent=None, amend: svc.RestorationView | None = None):
        super().__init__(self.tr("Correct the restoration record") if amend else self.tr("Record restoration works"),
                         parent)
        self.db, self.house_id, self.amend = db, house_id, amend
        self.works = QPlainTextEdit(amend.works if amend else "")
        self.works.setFixedHeight(60)
        self.start = date_edit(amend.start_date if amend else None)
        self.finished = QCheckBox(self.tr("Finished on"))
        self.end = date_edit(amend.end_date if amend else None)
        self.finished.setChecked(bool(amend and amend.end_date))
        self.cost = numeric(QLineEdit(str(Decimal(amend.cost_fen) / 100) if amend else "0"))
        self.funding = QComboBox()
        self.funding.setEditable(True)
        self.funding.addItems(svc.FUNDING_SOURCES)
        if amend:
            self.funding.setCurrentText(amend.funding_source)
        self.participation = QLineEdit(amend.resident_participation if amend else "")
        self.why = QLineEdit()
        finished_row = QHBoxLayout()
        finished_row.addWidget(self.finished)
        finished_row.addWidget(self.end, 1)
        self.form.addRow(self.tr("Works"), self.works)
        self.form.addRow(self.tr("Started on"), self.start)
        self.form.addRow("", finished_row)
        self.form.addRow(self.tr("Cost (yuan)"), self.cost)
        self.form.addRow(self.tr("Funding source"), self.funding)
        self.form.addRow(self.tr("Residents' participation"), self.participation)
        if amend:
            self.why.setPlaceholderText(self.tr("What was wrong in the record"))
            self.form.addRow(self.tr("Reason for the correction"), self.why)

    def apply(self) -> int:
        values = (self.works.toPlainText(), to_date(self.start.date()),
                  to_date(self.end.date()) if self.finished.isChecked() else None,
                  yuan_to_fen(self.cost.text() or "0"), self.funding.currentText(), self.participation.text())
        if self.amend:
            svc.amend_restoration(self.db, self.amend.id, *values, self.why.text(), self.amend.note)
            return self.amend.id
        return svc.add_restoration(self.db, self.house_id, *values)


class BusinessDialog(ErrorDialog):
    """A business placed in the house (sublet with the owner's consent) and the rent it pays."""

    def __init__(self, db: Database, house_id: int, parent=None):
        super().__init__(self.tr("Place a business"), parent)
        self.db, self.house_id = db, house_id
        self.operator = QLineEdit()
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(svc.BUSINESS_TYPES)
        self.heritage = QLineEdit()
        self.start = date_edit()
        self.rent = numeric(QLineEdit("0"))
        self.form.addRow(self.tr("Operator"), self.operator)
        self.form.addRow(self.tr("Business type"), self.kind)
        self.form.addRow(self.tr("Heritage project"), self.heritage)
        self.form.addRow(self.tr("From"), self.start)
        self.form.addRow(self.tr("Annual rent from the operator (yuan)"), self.rent)

    def apply(self) -> int:
        return svc.place_business(self.db, self.house_id, self.operator.text(), self.kind.currentText(),
                                  to_date(self.start.date()), yuan_to_fen(self.rent.text() or "0"),
                                  self.heritage.text())


class PaymentDialog(ErrorDialog):
    """A rent payment to the owner; with `amend` the recorded one, to correct (voided and recorded again)."""

    def __init__(self, db: Database, contract: svc.ContractView, parent=None, amend: svc.PaymentView | None = None):
        super().__init__(self.tr("Correct the rent payment") if amend else self.tr("Record a rent payment to the owner"),
                         parent)
        self.db, self.contract, self.amend = db, contract, amend
        account = contract.account(date.today())
        next_open = next((s for s in account.states if s.open_fen > 0), None)
        amount = amend.amount_fen if amend else (next_open.open_fen if next_open else None)
        self.paid_on = date_edit(amend.paid_on if amend else None)
        self.amount = numeric(QLineEdit(str(Decimal(amount) / 100) if amount is not None else ""))
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(["银行转账", "现金", "支票"])
        self.reference = QLineEdit(amend.reference if amend else "")
        self.received_by = QLineEdit(amend.received_by if amend else (contract.lessors[0][1] if contract.lessors else ""))
        self.why = QLineEdit()  # correcting: what was wrong (the old payment is voided with it)
        if amend:
            self.method.setCurrentText(amend.method)
            self.form.addRow(self.tr("Recorded"), QLabel(f"{amend.paid_on.isoformat()} ¥{format_fen(amend.amount_fen)} "
                                                         f"{amend.method} {amend.reference}"))
        self.form.addRow(self.tr("Paid on"), self.paid_on)
        self.form.addRow(self.tr("Amount (yuan)"), self.amount)
        self.form.addRow(self.tr("Method"), self.method)
        self.form.addRow(self.tr("Reference"), self.reference)
        self.form.addRow(self.tr("Received by"), self.received_by)
        if amend:
            self.why.setPlaceholderText(self.tr("e.g. amount typed wrong"))
            self.form.addRow(self.tr("Reason for the correction"), self.why)

    def apply(self) -> int:
        data = svc.PaymentInput(
            self.contract.id, to_date(self.paid_on.date()), yuan_to_fen(self.amount.text()), self.method.currentText(),
            self.reference.text(), self.db.operator, self.received_by.text())
        if self.amend:
            return svc.amend_payment(self.db, self.amend.id, data, self.why.text())
        return svc.record_payment(self.db, data)


class LeasesPage(Page):
    status_message = Signal(str)
    loaded = Signal()
    watches = frozenset({Topic.LEASES})

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self._load = QueryOp(self, self._show)
        self.as_of = date.today()
        self.current: svc.ContractView | None = None
        self.tabs = QTabWidget()

        # --- register ---
        self.houses = RowsModel("LeasesPage", HOUSE_HEADERS,
                                right_aligned=(2, 9), parent=self)
        self.houses.highlight = lambda row: RED if self.houses.rows[row][9] not in ("", "0.00") else None
        self.house_table = fit_columns(table_view(self.houses))  # 业态/经营者 whole, not "非遗·扬州剪…"
        self.house_table.doubleClicked.connect(lambda _i: self.open_contract_of_house())
        register = QWidget()
        rl = QVBoxLayout(register)
        row = QHBoxLayout()
        for text, slot in ((self.tr("Register a house…"), self.new_house), (self.tr("Correct house…"), self.edit_house),
                           (self.tr("Sign a contract…"), self.new_contract),
                           (self.tr("Restoration…"), lambda: self._house_dialog(RestorationDialog)),
                           (self.tr("Correct restoration…"), self.amend_restoration),
                           (self.tr("Business…"), lambda: self._house_dialog(BusinessDialog)),
                           (self.tr("Add photos…"), self.add_photos),
                           (self.tr("Print register…"), lambda: self.print_doc("storage-register", 0))):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            row.addWidget(button)
        row.addStretch()
        self.register_summary = QLabel()
        row.addWidget(self.register_summary)
        rl.addLayout(row)
        rl.addWidget(self.house_table)
        self.tabs.addTab(register, self.tr("Stored houses"))

        # --- contracts ---
        self.contracts = RowsModel("LeasesPage", CONTRACT_HEADERS,
                                   right_aligned=(5,), parent=self)
        self.contracts.highlight = lambda row: RED if self.contracts.rows[row][5] not in ("", "0.00") else None
        self.contract_table = fit_columns(table_view(self.contracts))  # 到期 and 欠付 in sight, not scrolled off
        self.contract_table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_contract(
            self.contracts.key_at(cur.row())))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.arrears = QLabel()
        self.arrears.setObjectName("arrearsLabel")
        self.arrears.setStyleSheet("font-size: 13pt;")
        self.schedule = RowsModel("LeasesPage", SCHEDULE_HEADERS, right_aligned=(4, 5, 6, 7), parent=self)
        self.schedule.highlight = lambda row: RED if self.schedule.rows[row][7] not in ("", "0") else None
        self.payments = RowsModel("LeasesPage", PAYMENT_HEADERS,
                                  right_aligned=(1,), parent=self)
        self.payments.highlight = lambda row: "#999999" if self.payment_voided[row] else None
        self.payment_voided: list[bool] = []
        buttons = QGridLayout()
        actions = ((self.tr("Record payment…"), self.record_payment), (self.tr("Correct payment…"), self.amend_payment),
                   (self.tr("Void payment…"), self.void_payment),
                   (self.tr("Amend…"), lambda: self.edit_contract("amend")),
                   (self.tr("Correct parties…"), self.amend_parties),
                   (self.tr("Renew…"), lambda: self.edit_contract("renew")), (self.tr("Terminate…"), self.terminate),
                   (self.tr("Print contract…"), lambda: self.print_current("lease-contract")),
                   (self.tr("Print schedule…"), lambda: self.print_current("rent-schedule")),
                   (self.tr("Print statement…"), lambda: self.print_current("rent-statement")))
        for i, (text, slot) in enumerate(actions):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button, i // 5, i % 5)
        right = QWidget()
        rr = QVBoxLayout(right)
        rr.addWidget(self.detail)
        rr.addWidget(self.arrears)
        rr.addLayout(buttons)
        inner = QSplitter(Qt.Orientation.Vertical)
        inner.addWidget(fit_columns(table_view(self.schedule)))  # the period whole, 未付/逾期天数 in sight
        self.payment_table = table_view(self.payments)
        inner.addWidget(self.payment_table)
        rr.addWidget(inner, 1)
        split = QSplitter()
        split.addWidget(self.contract_table)
        split.addWidget(right)
        split.setSizes([480, 700])
        self.tabs.addTab(split, self.tr("Contracts and rent"))

        # --- dashboard ---
        self.dashboard_text = QLabel()
        self.dashboard_text.setObjectName("leaseDashboard")
        self.dashboard_text.setWordWrap(True)
        self.dashboard_text.setStyleSheet("font-size: 12pt;")
        dash = QWidget()
        dl = QVBoxLayout(dash)
        dl.addWidget(self.dashboard_text)
        self.chart_box = QGroupBox(self.tr("Rent paid to owners and income from operators, by year"))
        self.chart_layout = QVBoxLayout(self.chart_box)
        dl.addWidget(self.chart_box, 1)
        self.tabs.addTab(dash, self.tr("Dashboard"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.plot = None
        self.refresh()

    # --- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload everything off the GUI thread; a newer refresh makes older results stale."""
        as_of = self.as_of
        self._load.run(lambda: svc.register_view(self.db, as_of))

    def _show(self, result) -> None:
        houses, contracts, board = result
        self.houses.set_rows([(h.address, h.owners_masked, "" if h.area is None else f"{h.area:.2f}",
                               enum_label(PROTECTION_LABELS, h.protection),
                               h.condition, h.restoration, h.business, h.contract_no,
                               h.lease_end.isoformat() if h.lease_end else "", format_fen(h.arrears_fen))
                              for h in houses], [h.id for h in houses])
        self._house_info = {h.id: h for h in houses}
        self.register_summary.setText(fmt(self.tr("%1 houses, %2 with a business, %3 under restoration"),
                                          str(board.houses), str(board.occupied), str(board.restoring)))
        rows = []
        for c in contracts:  # lean rows: the schedule and payments of one contract load when it is opened
            rows.append((c.contract_no, c.house_address, "、".join(c.lessor_names), enum_label(CONTRACT_STATUS_LABELS, c.status),
                         c.end.isoformat(), format_fen(c.arrears_fen)))
        selected = self.current.id if self.current else None
        self.contracts.set_rows(rows, [c.id for c in contracts])
        self._contracts = {c.id: c for c in contracts}
        if selected in self._contracts:
            self.select_contract(selected)
        self._show_dashboard(board)
        self.loaded.emit()

    def _show_dashboard(self, board: svc.Dashboard) -> None:
        days = self.tr("days")
        ageing = "，".join(f"{AGEING_LABELS[k]} {days}: {format_fen(v)}" for k, v in board.ageing.items())
        expiring = "；".join(f"{no} {addr} {end.isoformat()}" for no, addr, end in board.expiring) or self.tr("none")
        self.dashboard_text.setText(
            fmt(self.tr("Stored houses: %1; with a business: %2; under restoration: %3; active contracts: %4"),
                str(board.houses), str(board.occupied), str(board.restoring), str(board.active_contracts)) + "\n"
            + fmt(self.tr("Arrears: %1 yuan in %2 contracts (%3)"),
                  format_fen(board.arrears_fen), str(board.arrears_contracts), ageing) + "\n"
            + fmt(self.tr("Due this month: %1 yuan; this quarter: %2 yuan"),
                  format_fen(board.due_this_month_fen), format_fen(board.due_this_quarter_fen)) + "\n"
            + fmt(self.tr("Expiring within 6 months: %1"), expiring))
        self._plot(board)

    def _plot(self, board: svc.Dashboard) -> None:
        import pyqtgraph as pg

        if self.plot is None:
            pg.setConfigOptions(antialias=True, background="w", foreground="k")
            self.plot = pg.PlotWidget()
            self.plot.addLegend()
            self.plot.showGrid(x=True, y=True, alpha=0.3)
            self.plot.setLabel("left", self.tr("10,000 yuan"))
            self.chart_layout.addWidget(self.plot)
        self.plot.clear()
        years = sorted(set(board.rent_by_year) | set(board.income_by_year))
        if not years:
            return
        rent = [board.rent_by_year.get(y, 0) / 1_000_000 for y in years]  # fen -> 万元, display only
        # Income is what was received: plot it only up to the last year with receipts, not as future zeros.
        income_years = [y for y in years if y <= max(board.income_by_year, default=years[0] - 1)]
        income = [board.income_by_year.get(y, 0) / 1_000_000 for y in income_years]
        self.plot.plot(years + [years[-1] + 1], rent, stepMode="center", pen=pg.mkPen(RED, width=2),
                       name=self.tr("Rent to owners"))
        self.plot.plot(income_years, income, pen=pg.mkPen("#2e7d32", width=2), symbol="o", symbolSize=5,
                       name=self.tr("Income from operators"))

    # --- contracts -----------------------------------------------------------------------------------
    def select_contract(self, contract_id: int) -> None:
        for row in range(self.contracts.rowCount()):
            if self.contracts.key_at(row) == contract_id:
                self.contract_table.selectRow(row)
                self.show_contract(contract_id)
                return

    def show_contract(self, contract_id: int | None) -> None:
        if contract_id is None or contract_id not in getattr(self, "_contracts", {}):
            return
        c = svc.contract_view(self.db, contract_id)  # one contract: its schedule and ~100 payments, a few ms
        self.current = c
        t = c.terms
        rule = fmt(self.tr("+%1% every %2 lease years, compounding") if t.compounding
                    else self.tr("+%1% every %2 lease years, on the base"),
                   str(t.step_percent), str(t.step_interval_years))
        lang = 1 if core_lang() == "en" else 0
        version = fmt(self.tr("version %1"), str(c.version))
        months, base = self.tr("months"), self.tr("base")
        self.detail.setText(
            f"<b>{c.contract_no}</b>（{version}，{enum_label(CONTRACT_STATUS_LABELS, c.status)}）　"
            f"{c.house_address}<br>"
            + fmt(self.tr("Lessors: %1"), "、".join(n for _p, n, _i, _ph in c.lessors)) + "<br>"
            + f"{t.start.isoformat()} – {c.end.isoformat()}（{t.term_months} {months}），"
            + f"{base} {format_fen(t.base_annual_rent_fen)}，{rule}，"
            + rules.FREQUENCY_LABELS[t.frequency][lang] + "<br>"
            + fmt(self.tr("Total rent over the term: %1 yuan"), format_fen(c.total_fen)))
        account = c.account(self.as_of)
        self.arrears.setText(fmt(self.tr("Arrears as of %1: %2 yuan · paid %3 yuan · paid in advance %4 yuan"),
                                 self.as_of.isoformat(), format_fen(account.arrears_fen), format_fen(account.paid_fen),
                                 format_fen(account.credit_fen)))
        self.arrears.setStyleSheet("font-size: 13pt; color: %s;" % (RED if account.arrears_fen else "#2e7d32"))
        self.schedule.set_rows([(st.instalment.seq, st.instalment.lease_year,
                                 f"{st.instalment.period_start.isoformat()} – {st.instalment.period_end.isoformat()}",
                                 st.instalment.due_date.isoformat(), format_fen(st.instalment.amount_fen),
                                 format_fen(st.paid_fen), format_fen(st.open_fen), st.days_overdue or "")
                                for st in account.states])
        self.payments.set_rows([(p.paid_on.isoformat(), format_fen(p.amount_fen), p.method, p.reference, p.received_by,
                                 ("作废：" + p.void_reason) if p.voided else p.note) for p in c.payments],
                               [p.id for p in c.payments])
        self.payment_voided = [p.voided for p in c.payments]

    def open_contract_of_house(self) -> None:
        house_id = self.houses.key_at(self.house_table.currentIndex().row())
        info = getattr(self, "_house_info", {}).get(house_id)
        if info and info.contract_id:
            self.tabs.setCurrentIndex(1)
            self.select_contract(info.contract_id)

    def _after(self, message: str) -> None:
        self.status_message.emit(message)
        self.refresh()

    def new_house(self) -> None:
        dialog = HouseDialog(self.db, self)
        if dialog.exec():
            self._after(self.tr("House registered"))

    def edit_house(self) -> None:
        house_id = self.selected_house()
        if house_id is not None and HouseDialog(self.db, self, house_id).exec():
            self._after(self.tr("House corrected"))

    def selected_house(self) -> int | None:
        house_id = self.houses.key_at(self.house_table.currentIndex().row())
        if house_id is None:
            QMessageBox.information(self, self.tr("Stored houses"), self.tr("Select a house in the register first."))
        return house_id

    def _house_dialog(self, dialog_class) -> None:
        house_id = self.selected_house()
        if house_id is not None and dialog_class(self.db, house_id, self).exec():
            self._after(self.tr("Saved"))

    def amend_restoration(self) -> None:
        house_id = self.selected_house()
        if house_id is None:
            return
        latest = svc.latest_restoration(self.db, house_id)
        if latest is None:
            QMessageBox.information(self, self.tr("Stored houses"), self.tr("This house has no restoration works recorded."))
        elif RestorationDialog(self.db, house_id, self, amend=latest).exec():
            self._after(self.tr("Restoration record corrected"))

    def add_photos(self, files: list[str] | None = None) -> int:
        """Attach photos (before/after restoration, the house today) to the selected house."""
        from renewal_desk.core.services.attachments import add_attachment

        house_id = self.selected_house()
        if house_id is None:
            return 0
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), str(Path.home()),
                                                    self.tr("Images (*.jpg *.jpeg *.png *.heic *.bmp)"))
        added = 0
        for file in files:
            try:
                add_attachment(self.db, "stored_house", house_id, file)
                added += 1
            except InputError as exc:
                QMessageBox.warning(self, self.tr("Add photos"), exc.describe(core_lang()))
        self.status_message.emit(fmt(self.tr("%1 photos added"), str(added)))
        return added

    def new_contract(self) -> None:
        house_id = self.houses.key_at(self.house_table.currentIndex().row())
        if house_id is None:
            QMessageBox.information(self, self.tr("Sign a contract"), self.tr("Select a house in the register first."))
            return
        owners = svc.house_owner_ids(self.db, house_id)
        dialog = ContractDialog(self.db, house_id, owners, parent=self)
        if dialog.exec():
            self._after(self.tr("Contract signed"))

    def edit_contract(self, mode: str) -> None:
        if self.current is None:
            return
        terms = self.current.terms
        if mode == "renew":
            terms = svc.TermsInput(**{**terms.__dict__, "start": self.current.end + timedelta(days=1)})
        dialog = ContractDialog(self.db, self.current.house_id, [], mode, self.current.id, terms, self)
        if dialog.exec():
            self._after(self.tr("Contract saved"))

    def amend_parties(self) -> None:
        if self.current is not None and PartiesDialog(self.db, self.current, self).exec():
            self._after(self.tr("Contract parties corrected"))

    def terminate(self) -> None:
        if self.current is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Terminate"), self.tr("Reason (e.g. arrears after demand, "
                                                                               "Civil Code art. 722)"))
        if not ok:
            return
        try:
            svc.terminate_contract(self.db, self.current.id, date.today(), reason)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Terminate"), exc.describe(core_lang()))
            return
        self._after(self.tr("Contract terminated"))

    def record_payment(self) -> None:
        if self.current is None:
            return
        dialog = PaymentDialog(self.db, self.current, self)
        if dialog.exec():
            self._after(self.tr("Payment recorded"))

    def selected_payment(self) -> svc.PaymentView | None:
        payment_id = self.payments.key_at(self.payment_table.currentIndex().row())
        payment = next((p for p in self.current.payments if p.id == payment_id), None) if self.current else None
        if payment is None or payment.voided:
            QMessageBox.information(self, self.tr("Contracts and rent"),
                                    self.tr("Select a payment (not a voided one) in the list first."))
            return None
        return payment

    def amend_payment(self) -> None:
        """更正付款: the selected payment is voided with the reason and the corrected one recorded."""
        payment = self.selected_payment()
        if payment is not None and PaymentDialog(self.db, self.current, self, amend=payment).exec():
            self._after(self.tr("Payment corrected"))

    def void_payment(self) -> None:
        payment_id = self.payments.key_at(self.payment_table.currentIndex().row())
        if payment_id is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Void payment"), self.tr("Reason"))
        if not ok:
            return
        try:
            svc.void_payment(self.db, payment_id, reason)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Void payment"), exc.describe(core_lang()))
            return
        self._after(self.tr("Payment voided"))

    # --- printing ---------------------------------------------------------------------------------------
    def print_current(self, doc: str) -> None:
        if self.current is not None:
            from renewal_desk.core.services.printouts import PERIODS  # reportlab (~15 MB) loads when printing

            if doc in PERIODS:  # the statement: as of which date
                print_with_period(self, doc, self.current.id, self.current.terms.start, date.today())
            else:
                self.print_doc(doc, self.current.id)

    def print_doc(self, doc: str, record_id: int, path: str | None = None):
        if path:
            return print_in_background(self, doc, record_id, path)
        return preview_and_print(self, doc, record_id)
