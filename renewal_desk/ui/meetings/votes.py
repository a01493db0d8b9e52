"""The 表决 tab: motions (rule, method, scope), opening the vote, named ballots by keyboard or by scanner (a ballot's
code, then Y / N / A, or a per-choice code), counts of a show of hands or of paper ballots, the figures and 宣布结果
(after a confirmation showing them), recounts."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (QCheckBox, QGridLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QSpinBox, QSplitter, QStackedWidget, QStyledItemDelegate, QVBoxLayout,
                               QWidget)

from renewal_desk.core.models import MOTION_STATE_LABELS, MotionState
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import votes
from renewal_desk.core.rules.text import parse_area_total
from renewal_desk.core.services import meetings as svc

from ..i18n import core_lang, fmt
from ..pdf import preview_and_print
from ..rows_model import RowsModel
from ..widgets.feedback import FeedbackBanner
from ..widgets.tables import fit_columns, table_view
from .common import (CHOICE_KEYS, CHOICE_ZH, FIGURE_HEADERS, MOTION_HEADERS, VOTER_HEADERS, MeetingTab, _warn,
                     gauge_label)
from .dialogs import MotionDialog


class VotesTab(MeetingTab):
    def __init__(self, page):
        super().__init__(page)
        self.motion_rows: list[svc.MotionResult] = []
        self.select_id: int | None = None  # a motion to choose once the rows are loaded
        self.totals: svc.ScopeTotals | None = None
        self.motion_model = RowsModel("MeetingsPage", MOTION_HEADERS)
        self.motion_view = table_view(self.motion_model)
        self.motion_view.setObjectName("motions")
        fit_columns(self.motion_view, stretch=0)
        self.motion_view.selectionModel().currentRowChanged.connect(lambda *_a: self.show_motion())
        motion_buttons = QHBoxLayout()
        self.buttons(motion_buttons, ((self.tr("New motion…"), self.new_motion), (self.tr("Edit…"), self.edit_motion),
                                      (self.tr("Delete"), self.delete_motion), (self.tr("Open the vote"), self.start_vote),
                                      (self.tr("Declare the result"), self.close_vote),
                                      (self.tr("Recount…"), self.reopen_vote)))
        motion_buttons.addStretch(1)
        self.scope_label = QLabel()  # who votes on the selected motion and its 应到
        self.scope_label.setObjectName("motionScope")
        self.scope_label.setWordWrap(True)
        self.scope_label.setStyleSheet("font-weight: bold;")
        self.scope_label.setFixedHeight(self.scope_label.fontMetrics().lineSpacing() * 2 + 6)  # two lines, always

        # counts (show of hands, paper)
        self.count_box = QWidget()
        grid = QGridLayout(self.count_box)
        self.count_edits: dict[str, QSpinBox] = {}
        self.area_edits: dict[str, QLineEdit] = {}
        for col, (key, label) in enumerate((("yes", self.tr("Yes")), ("no", self.tr("No")), ("abstain", self.tr("Abstain")))):
            spin = QSpinBox()
            spin.setRange(0, 1_000_000)
            spin.setObjectName(f"count_{key}")
            area = QLineEdit()
            area.setObjectName(f"area_{key}")
            area.setPlaceholderText(self.tr("area m²"))
            self.count_edits[key], self.area_edits[key] = spin, area
            self.editing += [spin, area]
            grid.addWidget(QLabel(label), 0, col)
            grid.addWidget(spin, 1, col)
            grid.addWidget(area, 2, col)
        self.present_label = QLabel()
        grid.addWidget(self.present_label, 0, 3)
        save_counts = QPushButton(self.tr("Save the counts"))
        save_counts.clicked.connect(self.save_counts)
        self.editing.append(save_counts)
        grid.addWidget(save_counts, 1, 3)
        grid.setRowStretch(3, 1)

        # named ballots
        self.voter_model = RowsModel("MeetingsPage", VOTER_HEADERS, right_aligned=(2,))
        self.voters: list[svc.Voter] = []
        self.voter_model.highlight = lambda row: None if self.voters and self.voters[row].present else "#999999"
        self.voter_view = table_view(self.voter_model)
        self.voter_view.setObjectName("voters")
        fit_columns(self.voter_view, stretch=1)
        self.voter_view.installEventFilter(self)
        self.ballot_hint = QLabel(self.tr("Select a voter and press Y / N / A (or 1 / 2 / 3); Delete takes the ballot back"))
        self.ballot_hint.setStyleSheet("color: #666;")
        # a USB scanner types a ballot's code and Enter here; Y / N / A next records it (or a per-choice code at once)
        self.scan_box = QLineEdit()
        self.scan_box.setObjectName("ballotScan")
        self.scan_box.setPlaceholderText(self.tr("Scan a ballot's code here, then press Y / N / A (a code beside a "
                                                 "choice records it at once)"))
        self.scan_box.returnPressed.connect(self.scan_ballot)
        self.scan_box.installEventFilter(self)
        self.editing.append(self.scan_box)
        self.scanned: tuple[int, str] | None = None  # (motion id, code) of a ballot scanned without its choice
        self.scan_feedback = FeedbackBanner()  # what the last scan did, in the tab: never a box blocking the next
        # the named ballots (表决票) to hand out: one per voter, with the codes the counting scanner reads
        self.large_ballots = QCheckBox(self.tr("Large print"))
        self.large_ballots.setObjectName("largeBallots")
        self.print_ballots_button = QPushButton(self.tr("Print ballots…"))
        self.print_ballots_button.setObjectName("printBallots")
        self.print_ballots_button.clicked.connect(self.print_ballots)
        ballot_row = QHBoxLayout()
        ballot_row.addWidget(self.ballot_hint, 1)
        ballot_row.addWidget(self.large_ballots)
        ballot_row.addWidget(self.print_ballots_button)
        named = QWidget()
        named_layout = QVBoxLayout(named)
        named_layout.setContentsMargins(0, 0, 0, 0)
        named_layout.addWidget(self.scan_box)
        named_layout.addWidget(self.scan_feedback)
        named_layout.addLayout(ballot_row)
        named_layout.addWidget(self.voter_view, 1)
        # one place below the motions for what the method needs: the buttons above never move
        self.method_stack = QStackedWidget()
        self.method_stack.addWidget(QWidget())
        self.method_stack.addWidget(self.count_box)
        self.method_stack.addWidget(named)

        self.figure_model = RowsModel("MeetingsPage", FIGURE_HEADERS)
        self.figure_view = table_view(self.figure_model)
        self.figure_view.setObjectName("figures")
        # the figures' reasons are long sentences: Qt's own delegate wraps them (the rows delegate draws one line),
        # and each row is as tall as its wrapped text at the column's width
        self.figure_view.setItemDelegate(QStyledItemDelegate(self.figure_view))
        self.figure_view.setWordWrap(True)
        self.figure_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.figure_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.result_label = QLabel()
        self.result_label.setObjectName("voteResult")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.gauge_label = gauge_label()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.motion_view, 1)
        left_layout.addLayout(motion_buttons)
        left_layout.addWidget(self.scope_label)
        left_layout.addWidget(self.method_stack, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.result_label)
        right_layout.addWidget(self.gauge_label)
        right_layout.addWidget(self.figure_view, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([780, 400])  # the figures' reasons wrap in 400 px; the tables fit their columns in the rest
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def show_rows(self, motions: list[svc.MotionResult]) -> None:
        self.motion_rows = motions
        self._show_motions()

    def current_motion(self) -> svc.MotionResult | None:
        index = self.motion_view.currentIndex()
        return self.motion_rows[index.row()] if index.isValid() and index.row() < len(self.motion_rows) else None

    def _show_motions(self) -> None:
        keep = self.motion_view.currentIndex().row()
        if self.select_id is not None:
            keep = next((n for n, m in enumerate(self.motion_rows) if m.motion.id == self.select_id), keep)
            self.select_id = None
        rows = []
        for m in self.motion_rows:
            verdict = "" if m.result is None else ("通过" if m.result.passed else "未通过")
            rows.append((m.motion.title, svc.MATTER_NAMES[m.motion.matter][0 if core_lang() == "zh" else 1],
                         votes.METHOD_LABELS[votes.Method(m.motion.method)][0 if core_lang() == "zh" else 1],
                         MOTION_STATE_LABELS[m.motion.state][0 if core_lang() == "zh" else 1], verdict))
        self.motion_model.set_rows(rows, [m.motion.id for m in self.motion_rows])
        if self.motion_rows:
            self.motion_view.selectRow(keep if 0 <= keep < len(self.motion_rows) else len(self.motion_rows) - 1)
        self.show_motion()

    def show_motion(self) -> None:
        m = self.current_motion()
        method = m.motion.method if m else None
        self.method_stack.setCurrentIndex({"hands": 1, "paper": 1, "named": 2}.get(method, 0))
        for key in ("yes", "no", "abstain"):
            self.area_edits[key].setVisible(method == "paper")
        self.gauge_label.setText(m.gauge_text(core_lang()) if m else "")
        self.gauge_label.setVisible(bool(self.gauge_label.text()))
        if m is None:
            self.figure_model.set_rows([])
            self.result_label.setText("")
            self.scope_label.setText("")
            self.totals = None
            return
        self.totals = svc.scope_totals(self.db, m.motion.id)
        self.scope_label.setText(self._scope_text(m))
        for key in ("yes", "no", "abstain"):
            self.area_edits[key].setPlaceholderText(fmt(self.tr("area m² (scope: %1 m²)"),
                                                        votes.area_text(self.totals.area)))
        counts = m.motion.counts
        for key in ("yes", "no", "abstain"):
            self.count_edits[key].setValue(counts[f"{key}_owners"] or 0)
            area = counts[f"{key}_area"]
            self.area_edits[key].setText("" if area is None else votes.area_text(area))
        self.present_label.setText(fmt(self.tr("Present at the vote: %1"), str(counts["present"]))
                                   if method == "hands" and counts["present"] is not None else "")
        if method == "named":
            self.voters = svc.voters(self.db, m.motion.id)
            self.voter_model.set_rows([(v.name, v.address, "" if v.area is None else votes.area_text(v.area),
                                        v.proxy_name, self.tr("yes") if v.present else v.why_not,
                                        CHOICE_ZH[v.choice]) for v in self.voters], [v.attendee_id for v in self.voters])
        figures = m.figures(core_lang())
        self.figure_model.set_rows([(f.label, f.value) for f in figures])
        if m.result is None:
            self.result_label.setText(m.problem if core_lang() == "zh" else m.problem_en)
            self.result_label.setStyleSheet("font-size: 14pt; font-weight: bold; color: #666;")
        else:
            passed = m.result.passed
            self.result_label.setText((self.tr("Passed") if passed else self.tr("Not passed")) +
                                      ("" if m.motion.state == MotionState.DECIDED else self.tr(" (not yet declared)")))
            self.result_label.setStyleSheet(f"font-size: 14pt; font-weight: bold; color: {'#1d6b2f' if passed else '#a61b1b'};")

    def _scope_text(self, m: svc.MotionResult) -> str:
        """Who votes on the motion and how many are expected (应到): owners and area for an Art. 278 matter."""
        scope = fmt(self.tr("Who votes: %1"), m.scope_text)
        if m.rule.statutory:
            return scope + " · " + fmt(self.tr("expected %1 owners, %2 m² of exclusive area"),
                                       str(self.totals.owners), votes.area_text(self.totals.area))
        return scope + " · " + self.tr("consultative: those signed in vote")

    def eventFilter(self, watched, event) -> bool:
        if watched is self.voter_view and event.type() == event.Type.KeyPress and event.key() in CHOICE_KEYS:
            self.vote(CHOICE_KEYS[event.key()])
            return True
        if (watched is self.scan_box and event.type() == event.Type.KeyPress and self.scanned is not None
                and not self.scan_box.text() and CHOICE_KEYS.get(event.key())):
            motion_id, code = self.scanned  # the key after a ballot's code records its choice
            self.scanned = None
            m = self.current_motion()
            if m is not None and m.motion.id == motion_id:
                self._scan(m, code, CHOICE_KEYS[event.key()])
            return True
        return super().eventFilter(watched, event)

    def scan_ballot(self) -> None:
        """Enter in the scan field: the ballot's code a scanner typed (the field is cleared for the next one)."""
        text = self.scan_box.text()
        self.scan_box.clear()
        self.scanned = None
        m = self.current_motion()
        if m is not None and text.strip():
            self._scan(m, text, None)

    def _scan(self, m: svc.MotionResult, code: str, choice: str | None) -> None:
        try:
            done = svc.scan_ballot(self.db, m.motion.id, code, choice)
        except InputError as exc:
            self.scan_feedback.error(exc.describe(core_lang()))
            return
        name, said = done.name, CHOICE_ZH[done.choice]
        if done.outcome == svc.SELECTED:
            self.scanned = (m.motion.id, code)
            self.scan_feedback.info(
                fmt(self.tr("%1: press Y / N / A to record the choice") if done.choice is None else
                     self.tr("%1: the ballot is recorded already as %2"), name, said))
        elif done.outcome == svc.DUPLICATE:
            self.scan_feedback.info(fmt(self.tr("Scanned again: %1's ballot is recorded already as %2 (counted once)"),
                                        name, said))
        else:
            self._reload_motion(m.motion.id, focus=False)
            self.scan_feedback.success(fmt(self.tr("Ballot recorded: %1 — %2"), name, said))
        row = next((n for n, v in enumerate(self.voters) if v.attendee_id == done.attendee_id), None)
        if row is not None:
            self.voter_view.selectRow(row)
        self.scan_box.setFocus()

    def _reason(self, m: svc.MotionResult, title: str) -> str | None:
        """A decided vote is only changed with a reason (audited); None when the user cancels."""
        if m.motion.state != MotionState.DECIDED:
            return ""
        reason, ok = QInputDialog.getText(self, title, self.tr("The result was declared. Why is it corrected?"))
        return reason if ok and reason.strip() else None

    def vote(self, choice: str | None) -> None:
        m = self.current_motion()
        row = self.voter_view.currentIndex().row()
        if m is None or not 0 <= row < len(self.voters):
            return
        ended = self.meeting is not None and self.meeting.status == svc.MeetingStatus.ENDED
        reason = "" if ended else self._reason(m, self.tr("Correct a ballot"))  # ended: refused, no reason asked
        if reason is None:
            return
        try:
            svc.cast_ballot(self.db, m.motion.id, self.voters[row].attendee_id, choice, reason)
        except InputError as exc:
            _warn(self, self.tr("Ballot"), exc)
            return
        self._reload_motion(m.motion.id, next_row=min(row + 1, len(self.voters) - 1))

    def _reload_motion(self, motion_id: int, next_row: int | None = None, focus: bool = True) -> None:
        index = next(n for n, r in enumerate(self.motion_rows) if r.motion.id == motion_id)
        self.motion_rows[index] = svc.motion_result(self.db, motion_id)
        self._show_motions()
        if next_row is not None:
            self.voter_view.selectRow(next_row)
        if focus and next_row is not None:
            self.voter_view.setFocus()
        self.page.update_projector()

    def save_counts(self) -> None:
        m = self.current_motion()
        if m is None:
            return
        counts = {f"{k}_owners": self.count_edits[k].value() for k in ("yes", "no", "abstain")}
        if m.motion.method == "hands" and self.count_edits["abstain"].value() == 0:
            counts["abstain_owners"] = None  # the rest of those present
        if m.motion.method == "paper":
            try:
                for k in ("yes", "no", "abstain"):
                    text = self.area_edits[k].text().strip()
                    counts[f"{k}_area"] = parse_area_total(text) if text else Decimal(0)
            except InputError as exc:
                _warn(self, self.tr("Counts"), exc)
                return
        reason = self._reason(m, self.tr("Correct the counts"))
        if reason is None:
            return
        try:
            svc.set_counts(self.db, m.motion.id, counts, reason)
        except InputError as exc:
            _warn(self, self.tr("Counts"), exc)
            return
        self._reload_motion(m.motion.id)

    def new_motion(self) -> None:
        if not self.meeting:
            return
        dialog = MotionDialog(self.db, self.meeting.id, self.page.agenda_tab.item_rows, parent=self)
        if dialog.exec():
            self.select_id = dialog.result_id  # the new motion is the one chosen next (to open its vote)
            self.refresh()

    def edit_motion(self) -> None:
        m = self.current_motion()
        if m and MotionDialog(self.db, self.meeting.id, self.page.agenda_tab.item_rows, m.motion, self).exec():
            self.refresh()

    def delete_motion(self) -> None:
        m = self.current_motion()
        if m:
            try:
                svc.delete_motion(self.db, m.motion.id)
            except InputError as exc:
                _warn(self, self.tr("Delete"), exc)
                return
            self.refresh()

    def print_ballots(self):
        """The selected motion's named ballots (大字版 when ticked), through the print preview."""
        m = self.current_motion()
        if m is None:
            return None
        return preview_and_print(self.page, "ballot", m.motion.id, large=self.large_ballots.isChecked())

    def start_vote(self) -> None:
        m = self.current_motion()
        if m:
            try:
                svc.start_vote(self.db, m.motion.id)
            except InputError as exc:
                _warn(self, self.tr("Open the vote"), exc)
                return
            self.refresh()

    def close_vote(self) -> None:
        m = self.current_motion()
        if not m:
            return
        try:  # the figures that would be declared, shown before anything is written
            figures = svc.declaration(self.db, m.motion.id)
        except InputError as exc:
            _warn(self, self.tr("Declare the result"), exc)
            return
        lines = [f"{f.label}：{f.value}" if core_lang() == "zh" else f"{f.label}: {f.value}"
                 for f in figures.figures(core_lang())]
        question = fmt(self.tr("Declare the result of “%1”? It goes into the minutes and on the public notice."),
                       m.motion.title) + "\n\n" + "\n".join(lines)
        if QMessageBox.question(self, self.tr("Declare the result"), question) != QMessageBox.StandardButton.Yes:
            return
        try:
            declared = svc.close_vote(self.db, m.motion.id)
        except InputError as exc:
            _warn(self, self.tr("Declare the result"), exc)
            return
        self.refresh()
        if declared.result is not None and declared.result.passed:  # a passed motion proposes its resolution
            self.page.tasks_tab.add_resolution(m.motion.id)

    def reopen_vote(self) -> None:
        m = self.current_motion()
        if m is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Recount"), self.tr("Why is the vote counted again?"))
        if ok:
            try:
                svc.reopen_vote(self.db, m.motion.id, reason)
            except InputError as exc:
                _warn(self, self.tr("Recount"), exc)
                return
            self.refresh()

