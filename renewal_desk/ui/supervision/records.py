"""The 巡查与通知 tab: the inspections (巡查记录, correct one, print the log) and the rectification notices."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QMessageBox, QVBoxLayout

from renewal_desk.core.services import supervision as svc

from ..pdf import print_with_period
from ..rows_model import RowsModel
from ..widgets.tables import fit_columns, table_view
from .common import OVERDUE, SupervisionTab, _boxes
from .dialogs import InspectionDialog

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


class RecordsTab(SupervisionTab):
    def __init__(self, page):
        super().__init__(page)
        tl = QVBoxLayout(self)
        tl.addLayout(self.buttons(((self.tr("Correct inspection…"), self.correct_inspection),
                                   (self.tr("Print inspection log…"), self.print_log),
                                   (self.tr("Print selected notice…"), self.print_selected_notice))))
        self.inspections = RowsModel("SupervisionPage", INSPECTION_HEADERS, right_aligned=(4,), parent=self)
        self.notices = RowsModel("SupervisionPage", NOTICE_HEADERS, right_aligned=(4, 5, 6), parent=self)
        self.notices.highlight = lambda row: OVERDUE if self.notices.rows[row][6] else None
        self.inspection_table = fit_columns(table_view(self.inspections))
        self.notice_table = fit_columns(table_view(self.notices))
        tl.addWidget(_boxes(((self.tr("Inspections"), self.inspection_table),
                             (self.tr("Rectification notices"), self.notice_table))), 1)

    def show_rows(self, inspections: list[svc.InspectionView], notices: list[svc.NoticeRow]) -> None:
        self.inspections.set_rows([(i.inspected_on.isoformat(), i.places, i.weather, i.participants, i.problems)
                                   for i in inspections], [i.id for i in inspections])
        self.notices.set_rows([(n.notice_no, n.party, n.issued_on.isoformat(), n.deadline.isoformat(), n.problems,
                                n.open_problems, n.overdue or "") for n in notices], [n.id for n in notices])

    def correct_inspection(self) -> None:
        inspection_id = self.inspections.key_at(self.inspection_table.currentIndex().row())
        if inspection_id is None:
            QMessageBox.information(self, self.tr("Correct inspection"), self.tr("Select an inspection first."))
            return
        project_id = svc.inspection_input(self.db, inspection_id).project_id
        if InspectionDialog(self.db, project_id, self, amend=inspection_id).exec():
            self.page._after(self.tr("Inspection corrected"))

    def print_selected_notice(self) -> None:
        notice_id = self.notices.key_at(self.notice_table.currentIndex().row())
        if notice_id is not None:
            self.page.print_doc("rectification-notice", notice_id)

    def print_log(self, path: str | None = None):
        return print_with_period(self.page, "inspection-log", self.project_id or 0, self.as_of - timedelta(days=89),
                                 self.as_of, path)
