"""监督反馈: the page shell — the project picker, the overdue count, loading, and the tabs, one module
each: problems.py (问题: the list, a problem's history and photos, every step of 整改), records.py
(巡查与通知), team.py (监督队与参建单位), acceptance.py (验收 and the satisfaction rule), charts.py
(统计图表); the dialogs are dialogs.py.

Everything loads off the GUI thread (ui/operations.py), in one query batch the tabs are handed rows from.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QTabWidget, QVBoxLayout

from renewal_desk.core.db import Database
from renewal_desk.core.services import supervision as svc

from ..i18n import fmt
from ..operations import QueryOp
from ..page import Page, Topic
from ..pdf import preview_and_print, print_in_background
from .acceptance import AcceptanceTab
from .charts import ChartsTab
from .common import OVERDUE
from .problems import ProblemsTab
from .records import RecordsTab
from .team import TeamTab


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
        self.problems_tab = ProblemsTab(self)
        self.records_tab = RecordsTab(self)
        self.team_tab = TeamTab(self)
        self.acceptance_tab = AcceptanceTab(self)
        self.charts_tab = ChartsTab(self)
        self.tabs.addTab(self.problems_tab, self.tr("Problems"))
        self.tabs.addTab(self.records_tab, self.tr("Inspections and notices"))
        self.tabs.addTab(self.team_tab, self.tr("Team and parties"))
        self.tabs.addTab(self.acceptance_tab, self.tr("Acceptance"))
        self.tabs.addTab(self.charts_tab, self.tr("Charts"))
        for pid, name in svc.projects(db):
            self.project.blockSignals(True)
            self.project.addItem(name, pid)
            self.project.blockSignals(False)
        self.refresh()

    # --- loading ---------------------------------------------------------------------------------
    @property
    def project_id(self) -> int | None:
        return self.project.currentData()

    @property
    def detail(self) -> svc.ProblemDetail | None:
        """The problem shown on the 问题 tab (None before one is chosen)."""
        return self.problems_tab.detail

    def select_problem(self, problem_id: int) -> None:
        """Show this problem on the 问题 tab (the overview and other pages open a problem this way)."""
        self.problems_tab.select_problem(problem_id)

    @property
    def problems(self):
        """The 问题 tab's list model (the main window reads it to check a record it opened is selected)."""
        return self.problems_tab.problems

    @property
    def problem_table(self):
        """The 问题 tab's table (with `problems`, what the main window reads after select_problem)."""
        return self.problems_tab.problem_table

    def release(self) -> None:
        """Out of sight (another section shown): let go of the problem list (20,000 rows at sub-district
        scale); the main window refreshes the page when it is shown again."""
        self._load.drop()  # results still on their way are dropped
        self.problems_tab.release()

    def refresh(self) -> None:
        """Reload every list off the GUI thread; a newer refresh makes older results stale."""
        as_of, project_id = self.as_of, self.project_id
        flt = self.problems_tab.filter(project_id)

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
        selected = self.detail.row.id if self.detail else None
        self.problems_tab.show_rows(rows)
        self.records_tab.show_rows(inspections, notices)
        self.team_tab.show_rows(team, parties)
        self.acceptance_tab.show_rows(acceptances, rule)
        self.overdue_label.setText(fmt(self.tr("Overdue: %1"), str(stats.overdue)))
        self.overdue_label.setStyleSheet(f"color: {OVERDUE}; font-weight: bold;" if stats.overdue else "")
        self.charts_tab.show_stats(stats)
        if selected in self.problems_tab._rows:
            self.select_problem(selected)
        self.loaded.emit()

    # --- what the tabs share -----------------------------------------------------------------------
    def _after(self, message: str) -> None:
        self.status_message.emit(message)
        self.refresh()

    def _need_project(self) -> int | None:
        if self.project_id is None:
            QMessageBox.information(self, self.tr("Supervision"), self.tr("Create a project first."))
        return self.project_id

    def print_doc(self, doc: str, record_id: int, path: str | None = None, **options):
        if path:
            return print_in_background(self, doc, record_id, path, **options)
        return preview_and_print(self, doc, record_id, **options)
