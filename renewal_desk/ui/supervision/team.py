"""The 监督队与参建单位 tab: the supervisor team (appoint, retire) and the parties (builders, design and
supervision firms)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QVBoxLayout

from renewal_desk.core.models import PARTY_KIND_LABELS
from renewal_desk.core.rules.masking import mask_phone
from renewal_desk.core.services import supervision as svc

from ..i18n import enum_label, fmt
from ..rows_model import RowsModel
from ..widgets.tables import fit_columns, table_view
from .common import SupervisionTab, _boxes
from .dialogs import PartyDialog, SupervisorDialog

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


class TeamTab(SupervisionTab):
    def __init__(self, page):
        super().__init__(page)
        tl = QVBoxLayout(self)
        tl.addLayout(self.buttons(((self.tr("Appoint supervisor…"), self.new_supervisor),
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

    def show_rows(self, team: list[svc.SupervisorView], parties: list[svc.PartyView]) -> None:
        self.team_active = [v.active for v in team]
        retired = self.tr("left %1")
        self.team.set_rows([(v.name, mask_phone(v.phone or ""), v.appointed_on.isoformat(), v.letter_no, v.covers,
                             self.tr("active") if v.active else fmt(retired,
                                                                    v.retired_on.isoformat()
                                                                                  if v.retired_on else ""))
                            for v in team], [v.id for v in team])
        self.parties.set_rows([(p.name, enum_label(PARTY_KIND_LABELS, p.kind), p.contact_name, mask_phone(p.contact_phone or "")) for p in parties],
                              [p.id for p in parties])

    def new_supervisor(self) -> None:
        if self.page._need_project() and SupervisorDialog(self.db, self.project_id, self).exec():
            self.page._after(self.tr("Supervisor appointed"))

    def retire_selected(self) -> None:
        sid = self.team.key_at(self.team_table.currentIndex().row())
        if sid is not None:
            svc.retire_supervisor(self.db, sid, date.today())
            self.page._after(self.tr("Saved"))

    def new_party(self) -> None:
        if PartyDialog(self.db, self).exec():
            self.page._after(self.tr("Saved"))
