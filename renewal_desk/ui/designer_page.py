"""首席街长: a block's chief street designer, the visits and opinions, each response, the timeline with
its adoption rate and average response time, a chart by stage and status, and the printouts."""

from __future__ import annotations

import html
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QPushButton, QScrollArea, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.models import APPOINTMENT_STATUS_LABELS, AppointmentStatus
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import designer as rules
from renewal_desk.core.services import designer as svc

from .operations import QueryOp
from .page import Page, Topic
from .i18n import core_lang, enum_label, fmt
from .widgets.forms import ErrorDialog, date_edit, to_date
from .widgets.tables import table_view
from .pdf import preview_and_print, print_in_background, print_with_period
from .rows_model import RowsModel
from .widgets.style import RED

TIMELINE_HEADERS = (
    QT_TRANSLATE_NOOP("DesignerPage", "Date"),
    QT_TRANSLATE_NOOP("DesignerPage", "Entry"),
    QT_TRANSLATE_NOOP("DesignerPage", "No."),
    QT_TRANSLATE_NOOP("DesignerPage", "Stage"),
    QT_TRANSLATE_NOOP("DesignerPage", "Status"),
    QT_TRANSLATE_NOOP("DesignerPage", "Respond by"),
    QT_TRANSLATE_NOOP("DesignerPage", "Addressee / who"),
    QT_TRANSLATE_NOOP("DesignerPage", "What"),
)
HISTORY_HEADERS = (
    QT_TRANSLATE_NOOP("DesignerPage", "Designer"),
    QT_TRANSLATE_NOOP("DesignerPage", "Letter no."),
    QT_TRANSLATE_NOOP("DesignerPage", "Term"),
    QT_TRANSLATE_NOOP("DesignerPage", "Status"),
    QT_TRANSLATE_NOOP("DesignerPage", "Ended because"),
)
STATUS_COLORS = {rules.OpinionStatus.RAISED: "#9e9e9e", rules.OpinionStatus.ANSWERED: "#1e88e5",
                 rules.OpinionStatus.ADOPTED: "#2e7d32", rules.OpinionStatus.PARTLY: "#9ccc65",
                 rules.OpinionStatus.NOT_ADOPTED: RED}
OVERDUE_COLOR = RED
VISIT_COLOR = "#1e5aa8"


def stage_text(code: str) -> str:
    return enum_label(rules.STAGE_LABELS, code)


def status_text(code: str) -> str:
    return enum_label(rules.OPINION_STATUS_LABELS, code)


def stakeholders_text(codes) -> str:
    return rules.stakeholders_text(codes, core_lang())


class AppointDialog(ErrorDialog):
    """Appoint a chief street designer to a block (letter of appointment, term)."""

    def __init__(self, db: Database, block_id: int, parent=None):
        super().__init__(self.tr("Appoint a chief street designer"), parent)
        self.db, self.block_id = db, block_id
        self.designer = QComboBox()
        self.designer.setEditable(True)
        for pid, name in svc.designers(db):
            self.designer.addItem(name, pid)
        self.designer.setCurrentIndex(-1)
        self.designer.lineEdit().setPlaceholderText(self.tr("Choose, or type a new designer's name"))
        self.letter = QLineEdit()
        self.appointed_on = date_edit()
        self.has_end = QCheckBox(self.tr("Term ends on"))
        self.has_end.setChecked(True)
        self.term_end = date_edit(date.today() + timedelta(days=3 * 365))
        self.note = QLineEdit()
        end_row = QHBoxLayout()
        end_row.addWidget(self.has_end)
        end_row.addWidget(self.term_end, 1)
        self.form.addRow(self.tr("Designer"), self.designer)
        self.form.addRow(self.tr("Letter no."), self.letter)
        self.form.addRow(self.tr("Appointed on"), self.appointed_on)
        self.form.addRow("", end_row)
        self.form.addRow(self.tr("Note"), self.note)

    def person_id(self) -> int | None:
        """The chosen designer, or None when a new name is typed (created with the appointment)."""
        index = self.designer.findText(self.designer.currentText().strip())
        return self.designer.itemData(index) if index >= 0 else None

    def apply(self) -> int:
        day = to_date(self.appointed_on.date())
        pid = self.person_id()
        return svc.appoint(self.db, svc.AppointmentInput(
            pid or 0, self.block_id, self.letter.text(), day, day,
            to_date(self.term_end.date()) if self.has_end.isChecked() else None, self.note.text()),
            new_designer=None if pid is not None else self.designer.currentText())


class EndAppointmentDialog(ErrorDialog):
    def __init__(self, db: Database, appointment: svc.AppointmentView, parent=None):
        super().__init__(self.tr("End the appointment"), parent)
        self.db, self.appointment = db, appointment
        self.ended_on = date_edit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. term over, replaced, resigned"))
        self.form.addRow(self.tr("Designer"), QLabel(f"{appointment.designer}（{appointment.letter_no}）"))
        self.form.addRow(self.tr("Ended on"), self.ended_on)
        self.form.addRow(self.tr("Reason"), self.reason)

    def apply(self) -> int:
        svc.end_appointment(self.db, self.appointment.id, to_date(self.ended_on.date()), self.reason.text())
        return self.appointment.id


class OpinionEditor(QGroupBox):
    """One opinion of a visit: stage, stakeholders, what was seen, the opinion, to whom, by when."""

    def __init__(self, number: int, citations: list[tuple[str, str, str]], visit_day: date, parent=None):
        super().__init__(parent)
        self.setTitle(fmt(self.tr("Opinion %1"), str(number)))
        form = QFormLayout(self)
        self.stage = QComboBox()
        for stage in rules.STAGES:
            self.stage.addItem(stage_text(stage), stage)
        self.stakeholders = {code: QCheckBox(enum_label(rules.STAKEHOLDER_LABELS, code))
                             for code in rules.STAKEHOLDERS}
        holders = QHBoxLayout()
        for box in self.stakeholders.values():
            holders.addWidget(box)
        holders.addStretch()
        self.observation = QPlainTextEdit()
        self.observation.setFixedHeight(48)
        self.opinion = QPlainTextEdit()
        self.opinion.setFixedHeight(64)
        self.addressee = QComboBox()
        self.addressee.setEditable(True)
        self.addressee.addItems(svc.ADDRESSEES)
        self.respond_by = date_edit(visit_day + timedelta(days=svc.RESPONSE_DAYS))
        self.cites = QComboBox()
        self.cites.addItem(self.tr("(none)"), None)
        for kind, uuid, label in citations:
            self.cites.addItem(label, (kind, uuid))
        form.addRow(self.tr("Stage"), self.stage)
        form.addRow(self.tr("Concerns"), holders)
        form.addRow(self.tr("Observed"), self.observation)
        form.addRow(self.tr("Opinion"), self.opinion)
        form.addRow(self.tr("Addressed to"), self.addressee)
        form.addRow(self.tr("Respond by"), self.respond_by)
        form.addRow(self.tr("Cites"), self.cites)

    def fill(self, o: svc.OpinionView) -> None:
        """The opinion as recorded (to correct it)."""
        self.stage.setCurrentIndex(max(0, self.stage.findData(o.stage)))
        for code, box in self.stakeholders.items():
            box.setChecked(code in o.stakeholders)
        self.observation.setPlainText(o.observation)
        self.opinion.setPlainText(o.opinion)
        self.addressee.setCurrentText(o.addressee)
        if o.respond_by is not None:
            self.respond_by.setDate(o.respond_by)
        if o.cites_kind:
            index = self.cites.findData((o.cites_kind, o.cites_uuid))
            self.cites.setCurrentIndex(max(0, index))

    def value(self) -> svc.OpinionInput:
        kind, uuid = self.cites.currentData() or ("", None)
        return svc.OpinionInput(self.stage.currentData(), [c for c, box in self.stakeholders.items() if box.isChecked()],
                                self.opinion.toPlainText(), self.addressee.currentText(),
                                self.observation.toPlainText(), to_date(self.respond_by.date()), kind, uuid)


class VisitDialog(ErrorDialog):
    """A site visit with its opinions (one or more), saved together."""

    def __init__(self, db: Database, block_id: int, parent=None):
        super().__init__(self.tr("Record a visit"), parent)
        self.db, self.block_id = db, block_id
        self.resize(640, 720)
        self.visited_on = date_edit()
        self.participants = QLineEdit()
        self.participants.setPlaceholderText(self.tr("Who came along (staff, residents' representatives, builder …)"))
        self.observation = QPlainTextEdit()
        self.observation.setFixedHeight(48)
        self.form.addRow(self.tr("Visited on"), self.visited_on)
        self.form.addRow(self.tr("Participants"), self.participants)
        self.form.addRow(self.tr("Observed on the visit"), self.observation)
        self.citations = svc.citation_choices(db)
        self.editors: list[OpinionEditor] = []
        holder = QWidget()
        self.editor_layout = QVBoxLayout(holder)
        self.editor_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        add = QPushButton(self.tr("Add another opinion"))
        add.clicked.connect(self.add_opinion_editor)
        self.layout_.insertWidget(1, scroll, 1)
        self.layout_.insertWidget(2, add)
        self.add_opinion_editor()

    def add_opinion_editor(self) -> OpinionEditor:
        editor = OpinionEditor(len(self.editors) + 1, self.citations, to_date(self.visited_on.date()))
        self.editors.append(editor)
        self.editor_layout.insertWidget(self.editor_layout.count() - 1, editor)
        return editor

    def apply(self) -> int:
        return svc.record_visit(self.db, svc.VisitInput(
            self.block_id, to_date(self.visited_on.date()), [e.value() for e in self.editors],
            self.participants.text(), self.observation.toPlainText()))


class OpinionDialog(ErrorDialog):
    """更正意见: the opinion as recorded in the visit's form, corrected with a reason (audited)."""

    def __init__(self, db: Database, opinion: svc.OpinionView, parent=None):
        super().__init__(self.tr("Correct the opinion"), parent)
        self.db, self.opinion = db, opinion
        self.editor = OpinionEditor(1, svc.citation_choices(db), opinion.raised_on)
        self.editor.setTitle(f"{opinion.opinion_no}（{opinion.raised_on.isoformat()} {opinion.designer}）")
        self.editor.fill(opinion)
        self.why = QLineEdit()
        self.why.setPlaceholderText(self.tr("What was wrong in the record"))
        self.layout_.insertWidget(0, self.editor)
        self.form.addRow(self.tr("Reason for the correction"), self.why)

    def apply(self) -> int:
        svc.amend_opinion(self.db, self.opinion.id, self.editor.value(), self.why.text())
        return self.opinion.id


class ResponseDialog(ErrorDialog):
    """A response to an opinion and the status it leads to; only the statuses that may follow are offered."""

    def __init__(self, db: Database, opinion: svc.OpinionView, parent=None, amend: svc.ResponseView | None = None):
        super().__init__(self.tr("Amend the response") if amend else self.tr("Record a response"), parent)
        self.db, self.opinion, self.amend = db, opinion, amend
        summary = QLabel(f"{opinion.opinion_no}（{stage_text(opinion.stage)}，{status_text(opinion.status)}）"
                         f"{opinion.opinion}")
        summary.setWordWrap(True)
        self.status = QComboBox()
        for status in rules.allowed_next(opinion.status_before_latest if amend else opinion.status):
            self.status.addItem(status_text(status), status)
        self.responded_on = date_edit(amend.responded_on if amend else None)
        self.responder = QLineEdit(amend.responder if amend else opinion.addressee)
        self.text = QPlainTextEdit(amend.text if amend else "")
        self.text.setFixedHeight(64)
        self.reason = QLineEdit(amend.reason if amend else "")
        self.reason.setPlaceholderText(self.tr("Required when not adopted"))
        self.why = QLineEdit()  # amending: why the recorded response was wrong (audited)
        self.why.setPlaceholderText(self.tr("What was wrong in the recorded response"))
        self.form.addRow(self.tr("Opinion"), summary)
        if amend:
            self.form.addRow(self.tr("Recorded"), QLabel(f"{amend.responded_on.isoformat()} {amend.responder} → "
                                                         f"{status_text(amend.status)}：{amend.text}"))
        self.form.addRow(self.tr("Outcome"), self.status)
        self.form.addRow(self.tr("Answered on"), self.responded_on)
        self.form.addRow(self.tr("Answered by"), self.responder)
        self.form.addRow(self.tr("Response"), self.text)
        self.form.addRow(self.tr("Reason"), self.reason)
        if amend:
            self.form.addRow(self.tr("Reason for the correction"), self.why)

    def apply(self) -> int:
        data = svc.ResponseInput(self.status.currentData(), to_date(self.responded_on.date()), self.responder.text(),
                                 self.text.toPlainText(), self.reason.text())
        if self.amend:
            return svc.amend_response(self.db, self.amend.id, data, self.why.text())
        return svc.respond(self.db, self.opinion.id, data)


class VoidResponseDialog(ErrorDialog):
    """作废: a response recorded by mistake is voided with a reason; it stays in the history."""

    def __init__(self, db: Database, opinion: svc.OpinionView, response: svc.ResponseView, parent=None):
        super().__init__(self.tr("Void the response"), parent)
        self.db, self.response = db, response
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. recorded on the wrong opinion"))
        self.form.addRow(self.tr("Opinion"), QLabel(f"{opinion.opinion_no} {opinion.opinion}"))
        self.form.addRow(self.tr("Response"), QLabel(f"{response.responded_on.isoformat()} {response.responder} → "
                                                     f"{status_text(response.status)}：{response.text}"))
        self.form.addRow(self.tr("The opinion goes back to"), QLabel(status_text(opinion.status_before_latest)))
        self.form.addRow(self.tr("Reason"), self.reason)

    def apply(self) -> int:
        svc.void_response(self.db, self.response.id, self.reason.text())
        return self.response.id


class DesignerPage(Page):
    status_message = Signal(str)
    loaded = Signal()
    watches = frozenset({Topic.DESIGNER, Topic.PLACES})

    def on_change(self) -> None:
        self.reload_blocks()

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self._load = QueryOp(self, self._show)
        self.timeline: svc.Timeline | None = None
        self.plot = None

        self.block_box = QComboBox()
        self.block_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.designer_label = QLabel()
        self.designer_label.setObjectName("activeDesigner")
        self.designer_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Block")))
        top.addWidget(self.block_box, 1)
        top.addWidget(self.designer_label, 2)

        buttons = QHBoxLayout()
        for text, slot in ((self.tr("Appoint…"), self.appoint), (self.tr("End appointment…"), self.end_appointment),
                           (self.tr("Record a visit…"), self.record_visit),
                           (self.tr("Correct opinion…"), self.amend_opinion), (self.tr("Respond…"), self.respond),
                           (self.tr("Amend response…"), self.amend_response),
                           (self.tr("Void response…"), self.void_response),
                           (self.tr("Add sketches or photos…"), self.add_files),
                           (self.tr("Print opinion…"), self.print_opinion),
                           (self.tr("Print journal…"), self.print_journal)):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch()

        self.stage_filter = QComboBox()
        self.stage_filter.addItem(self.tr("All stages"), "")
        for stage in rules.STAGES:
            self.stage_filter.addItem(stage_text(stage), stage)
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("All statuses"), "")
        for status in rules.STATUSES:
            self.status_filter.addItem(status_text(status), status)
        self.overdue_filter = QCheckBox(self.tr("Overdue only"))
        for widget in (self.stage_filter, self.status_filter):
            widget.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue_filter.toggled.connect(lambda _on: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Show")))
        filters.addWidget(self.stage_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.overdue_filter)
        filters.addStretch()

        self.figures = QLabel()
        self.figures.setObjectName("designerFigures")
        self.figures.setStyleSheet("font-size: 12pt;")
        self.figures.setWordWrap(True)

        self.entries = RowsModel("DesignerPage", TIMELINE_HEADERS, parent=self)
        self.entries.highlight = self._entry_color
        self.entry_table = table_view(self.entries)
        self.entry_table.setWordWrap(False)
        for column, width in enumerate((86, 40, 100, 66, 104, 86, 124)):
            self.entry_table.setColumnWidth(column, width)
        self.entry_table.selectionModel().currentRowChanged.connect(lambda cur, _p: self.show_entry(cur.row()))
        self.entry_table.doubleClicked.connect(lambda _i: self.respond())

        self.detail = QLabel(self.tr("Select an opinion to see it in full."))
        self.detail.setObjectName("opinionDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_scroll = QScrollArea()
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setWidget(self.detail)
        self.chart_box = QGroupBox(self.tr("Opinions by stage and status"))
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.legend = QLabel(" ".join(f'<span style="color:{c}">■</span> {status_text(s)}' for s, c in STATUS_COLORS.items()))
        self.chart_layout.addWidget(self.legend)
        self.history = RowsModel("DesignerPage", HISTORY_HEADERS, parent=self)
        self.history.highlight = lambda row: "#2e7d32" if self.history.keys[row] == AppointmentStatus.ACTIVE else None

        side = QTabWidget()
        side.addTab(detail_scroll, self.tr("Opinion"))
        side.addTab(table_view(self.history), self.tr("Appointments"))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(side)
        right.addWidget(self.chart_box)
        right.setSizes([360, 300])
        split = QSplitter()
        split.addWidget(self.entry_table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([820, 380])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addLayout(filters)
        layout.addWidget(self.figures)
        layout.addWidget(split, 1)
        self.reload_blocks()

    # --- loading -----------------------------------------------------------------------------------
    def reload_blocks(self, select: int | None = None) -> None:
        current = select or self.block_box.currentData()
        self.block_box.blockSignals(True)
        self.block_box.clear()
        choices = svc.block_choices(self.db)
        for b in choices:
            suffix = f"（{b.designer}）" if b.designer else ""
            self.block_box.addItem(f"{b.project} · {b.name}{suffix}", b.id)
        index = self.block_box.findData(current) if current else -1
        if index < 0:  # the first block that has a designer, else the first
            index = next((i for i, b in enumerate(choices) if b.designer), 0)
        self.block_box.setCurrentIndex(index)
        self.block_box.blockSignals(False)
        self.refresh()

    def block_id(self) -> int | None:
        return self.block_box.currentData()

    def current_filter(self) -> svc.TimelineFilter:
        return svc.TimelineFilter(self.stage_filter.currentData() or "", self.status_filter.currentData() or "",
                                  self.overdue_filter.isChecked())

    def refresh(self) -> None:
        """Reload the block's timeline off the GUI thread; a newer refresh makes older results stale."""
        block_id = self.block_id()
        if block_id is None:
            self.designer_label.setText(self.tr("No block yet: create a project and its blocks first"))
            return
        flt = self.current_filter()
        self._load.run(lambda: svc.timeline(self.db, block_id, flt))

    def _show(self, tl: svc.Timeline) -> None:
        self.timeline = tl
        active = tl.active
        if active:
            term = f"{active.term_start.isoformat()} – {active.term_end.isoformat() if active.term_end else ''}"
            self.designer_label.setText(fmt(self.tr("Chief designer: %1 (letter %2, term %3)"),
                                            active.designer, active.letter_no, term))
        else:
            self.designer_label.setText(self.tr("No chief designer appointed"))
        f = tl.figures
        days = str(f.average_response_days) if f.average_response_days is not None else "—"
        self.figures.setText(
            fmt(self.tr("Opinions: %1 · answered: %2 · adopted or partly adopted: %3 · adoption rate: %4 · "
                        "average response: %5 days · overdue: %6"),
                str(f.total), str(f.answered), str(f.adopted), rules.rate_text(f.adoption_rate), days, str(f.overdue)))
        self.figures.setStyleSheet("font-size: 12pt;" + (f" color: {OVERDUE_COLOR};" if f.overdue else ""))
        kinds = {"visit": self.tr("Visit"), "opinion": self.tr("Opinion"), "response": self.tr("Response")}
        rows, keys = [], []
        for e in tl.entries:
            status = ((status_text(e.status) if e.status else "")
                      + ("（" + self.tr("voided") + "）" if e.voided else "")
                      + ("（" + self.tr("overdue") + "）" if e.overdue else ""))
            rows.append((e.when.isoformat(), kinds[e.kind], e.opinion_no, stage_text(e.stage) if e.stage else "",
                         status,
                         e.respond_by.isoformat() if e.respond_by else "", e.party, e.text))
            keys.append((e.kind, e.record_id, e.opinion_id, e.overdue))
        selected = self.selected_opinion_id()
        self.entries.set_rows(rows, keys)
        self.history.set_rows([(a.designer, a.letter_no, f"{a.term_start.isoformat()} – "
                                f"{(a.ended_on or a.term_end).isoformat() if (a.ended_on or a.term_end) else ''}",
                                APPOINTMENT_STATUS_LABELS[a.status][1 if core_lang() == "en" else 0], a.end_reason)
                               for a in tl.appointments],
                              [a.status for a in tl.appointments])
        if selected is not None:
            self.select_opinion(selected)
        self._plot(tl)
        self.loaded.emit()

    def _entry_color(self, row: int) -> str | None:
        kind, _rid, _oid, overdue = self.entries.keys[row]
        return OVERDUE_COLOR if overdue else VISIT_COLOR if kind == "visit" else None

    def _plot(self, tl: svc.Timeline) -> None:
        import pyqtgraph as pg

        if self.plot is None:
            pg.setConfigOptions(antialias=True, background="w", foreground="k")
            self.plot = pg.PlotWidget()
            self.plot.setLabel("left", self.tr("Opinions"))
            self.plot.setMinimumHeight(180)
            self.chart_layout.addWidget(self.plot, 1)
        self.plot.clear()
        stages = list(tl.chart)
        bottoms = [0] * len(stages)
        for status, color in STATUS_COLORS.items():
            heights = [tl.chart[s].get(status, 0) for s in stages]
            if any(heights):
                self.plot.addItem(pg.BarGraphItem(x=list(range(len(stages))), height=heights, y0=list(bottoms),
                                                  width=0.6, brush=color, pen=pg.mkPen("w")))
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        self.plot.getAxis("bottom").setTicks([[(i, stage_text(s)) for i, s in enumerate(stages)]])
        self.plot.setXRange(-0.6, len(stages) - 0.4, padding=0)
        self.plot.setYRange(0, max(bottoms + [1]) * 1.1, padding=0)

    # --- selection ---------------------------------------------------------------------------------
    def selected_opinion_id(self) -> int | None:
        key = self.entries.key_at(self.entry_table.currentIndex().row())
        return key[2] if key else None

    def select_opinion(self, opinion_id: int) -> None:
        for row in range(self.entries.rowCount()):
            if self.entries.keys[row][0] == "opinion" and self.entries.keys[row][1] == opinion_id:
                self.entry_table.selectRow(row)
                self.show_entry(row)
                return

    def _opinion(self, opinion_id: int | None) -> svc.OpinionView | None:
        if opinion_id is None or self.timeline is None:
            return None
        return next((o for o in self.timeline.opinions if o.id == opinion_id), None)

    def show_entry(self, row: int) -> None:
        key = self.entries.key_at(row)
        opinion = self._opinion(key[2]) if key else None
        if opinion is None:
            self.detail.setText(self.tr("Select an opinion to see it in full."))
            return
        esc = html.escape
        lines = [f"<b>{esc(opinion.opinion_no)}</b>　{esc(stage_text(opinion.stage))}　"
                 f"{esc(status_text(opinion.status))}",
                 esc(fmt(self.tr("Raised on %1 by %2; concerns %3"),
                         opinion.raised_on.isoformat(), opinion.designer, stakeholders_text(opinion.stakeholders))),
                 esc(fmt(self.tr("To %1, respond by %2"),
                         opinion.addressee, opinion.respond_by.isoformat() if opinion.respond_by else "—"))]
        if opinion.observation:
            lines.append(esc(fmt(self.tr("Observed: %1"), opinion.observation)))
        lines.append(esc(fmt(self.tr("Opinion: %1"), opinion.opinion)))
        if opinion.cites_kind:
            lines.append(esc(fmt(self.tr("Cites: %1"), opinion.cites_label)))
        if opinion.attachments:
            lines.append(esc(fmt(self.tr("Sketches and photos: %1"), str(opinion.attachments))))
        for r in opinion.responses:
            reason = "（" + fmt(self.tr("reason: %1"), r.reason) + "）" if r.reason else ""
            line = f"{r.responded_on.isoformat()} {esc(r.responder)} → <b>{esc(status_text(r.status))}</b>：{esc(r.text + reason)}"
            if r.voided:  # kept in the history, struck through, with why
                line = (f'<span style="color:#888"><s>{line}</s>　'
                        + esc(fmt(self.tr("void: %1"), r.void_reason)) + "</span>")
            lines.append(line)
        if opinion.overdue:
            lines.append(f'<span style="color:{OVERDUE_COLOR}">' + esc(self.tr("Overdue: no response yet")) + "</span>")
        self.detail.setText("<br>".join(lines))

    # --- actions -----------------------------------------------------------------------------------
    def _after(self, message: str) -> None:
        self.status_message.emit(message)
        self.reload_blocks()

    def _need(self, value, text: str) -> bool:
        if value is None:
            QMessageBox.information(self, self.tr("Chief street designer"), text)
            return False
        return True

    def appoint(self) -> None:
        if self._need(self.block_id(), self.tr("Choose a block first.")) \
                and AppointDialog(self.db, self.block_id(), self).exec():
            self._after(self.tr("Designer appointed"))

    def end_appointment(self) -> None:
        active = self.timeline.active if self.timeline else None
        if self._need(active, self.tr("This block has no active chief designer.")) \
                and EndAppointmentDialog(self.db, active, self).exec():
            self._after(self.tr("Appointment ended"))

    def record_visit(self) -> None:
        if self._need(self.block_id(), self.tr("Choose a block first.")) \
                and VisitDialog(self.db, self.block_id(), self).exec():
            self._after(self.tr("Visit recorded"))

    def respond(self) -> None:
        opinion = self._opinion(self.selected_opinion_id())
        if not self._need(opinion, self.tr("Select an opinion in the timeline first.")):
            return
        if not rules.allowed_next(opinion.status):
            QMessageBox.information(self, self.tr("Record a response"),
                                    fmt(self.tr("This opinion is settled (%1)."), status_text(opinion.status)))
            return
        if ResponseDialog(self.db, opinion, self).exec():
            self._after(self.tr("Response recorded"))

    def _latest_response(self) -> tuple[svc.OpinionView | None, svc.ResponseView | None]:
        opinion = self._opinion(self.selected_opinion_id())
        if not self._need(opinion, self.tr("Select an opinion in the timeline first.")):
            return None, None
        if opinion.latest_response is None:
            QMessageBox.information(self, self.tr("Chief street designer"),
                                    self.tr("This opinion has no response to amend or void."))
            return None, None
        return opinion, opinion.latest_response

    def amend_opinion(self) -> None:
        """更正意见: the selected opinion recorded with a wrong stage, text, addressee or date."""
        opinion = self._opinion(self.selected_opinion_id())
        if self._need(opinion, self.tr("Select an opinion in the timeline first.")) \
                and OpinionDialog(self.db, opinion, self).exec():
            self._after(self.tr("Opinion corrected"))

    def amend_response(self) -> None:
        """更正答复: the latest response had the wrong outcome; it is voided and the corrected one added."""
        opinion, latest = self._latest_response()
        if latest is not None and ResponseDialog(self.db, opinion, self, amend=latest).exec():
            self._after(self.tr("Response amended"))

    def void_response(self) -> None:
        opinion, latest = self._latest_response()
        if latest is not None and VoidResponseDialog(self.db, opinion, latest, self).exec():
            self._after(self.tr("Response voided"))

    def add_files(self, files: list[str] | None = None) -> int:
        """Attach sketches or photos to the selected opinion."""
        from renewal_desk.core.services.attachments import add_attachment

        opinion_id = self.selected_opinion_id()
        if not self._need(opinion_id, self.tr("Select an opinion in the timeline first.")):
            return 0
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add sketches or photos"), str(Path.home()),
                                                    self.tr("Images and PDF (*.jpg *.jpeg *.png *.heic *.bmp *.pdf)"))
        added = 0
        for file in files:
            try:
                add_attachment(self.db, "designer_opinion", opinion_id, file)
                added += 1
            except InputError as exc:
                QMessageBox.warning(self, self.tr("Add sketches or photos"), exc.describe(core_lang()))
        self._after(fmt(self.tr("%1 files added"), str(added)))
        return added

    def print_opinion(self, path: str | None = None):
        opinion = self._opinion(self.selected_opinion_id())
        if not self._need(opinion, self.tr("Select an opinion in the timeline first.")):
            return None
        if path:
            return print_in_background(self, "designer-opinion", opinion.id, path)
        return preview_and_print(self, "designer-opinion", opinion.id)

    def print_journal(self, path: str | None = None):
        block_id = self.block_id()
        if not self._need(block_id, self.tr("Choose a block first.")):
            return None
        start, end = svc.journal_period(None, None)
        return print_with_period(self, "designer-journal", block_id, start, end, path)
