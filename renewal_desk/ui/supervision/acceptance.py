"""The 验收 tab: the acceptances recorded (record one, print its form) and the residents' satisfaction rule."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import acceptance as acc
from renewal_desk.core.services import supervision as svc

from ..i18n import core_lang
from ..rows_model import RowsModel
from ..widgets.tables import fit_columns, table_view
from .common import OVERDUE, SupervisionTab
from .dialogs import AcceptanceDialog

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


class AcceptanceTab(SupervisionTab):
    def __init__(self, page):
        super().__init__(page)
        tl = QVBoxLayout(self)
        tl.addLayout(self.buttons(((self.tr("Record acceptance…"), self.new_acceptance),
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

    def show_rows(self, acceptances: list[svc.AcceptanceView], rule: acc.Rule) -> None:
        self.acceptances.set_rows([(a.record_no, a.accepted_on.isoformat(), a.scope, "通过" if a.passed else "不通过",
                                    f"{a.survey.content}/{a.survey.total}"
                                    + (f"（{acc.percent_text(a.survey.share)}）" if a.survey.share is not None else ""),
                                    f"{a.evaluator} {a.score or ''}".strip(), a.open_problems,
                                    a.reasons or a.override_reason) for a in acceptances], [a.id for a in acceptances])
        self.acceptance_passed = [a.passed for a in acceptances]
        self.rule_enabled.setChecked(rule.enabled)
        self.rule_percent.setText(f"{rule.min_percent.normalize():f}")
        self.rule_status.setText(rule.describe())

    def new_acceptance(self) -> None:
        if self.page._need_project() and AcceptanceDialog(self.db, self.project_id, self).exec():
            self.page._after(self.tr("Acceptance recorded"))

    def save_rule(self) -> bool:
        try:
            rule = svc.set_acceptance_rule(self.db, self.rule_enabled.isChecked(), self.rule_percent.text())
        except InputError as exc:
            self.rule_status.setText(exc.describe(core_lang()))
            return False
        self.rule_status.setText(rule.describe())
        return True

    def print_acceptance(self) -> None:
        acceptance_id = self.acceptances.key_at(self.acceptance_table.currentIndex().row())
        if acceptance_id is not None:
            self.page.print_doc("acceptance-form", acceptance_id)
