"""议事协商: prepare a meeting, sign people in at the door, run the agenda and take minutes (saved as
you type), put motions to the vote, record resolutions and follow-up tasks, and drive the projector."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QInputDialog,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu, QMessageBox, QPlainTextEdit,
                               QPushButton, QSpinBox, QSplitter, QTabWidget, QToolButton, QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.models import TaskStatus
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import votes
from renewal_desk.core.rules.phone import mask_phone
from renewal_desk.core.rules.text import parse_area
from renewal_desk.core.services import meetings as svc

from .. import tasks
from ..i18n import core_lang
from ..pdf import preview_and_print
from ..rows_model import RowsModel
from ..widgets.tables import table_view
from .common import (ATTENDEE_HEADERS, AUTOSAVE_MS, CHOICE_KEYS, CHOICE_ZH, FIGURE_HEADERS, MOTION_HEADERS,
                     REVIEW_HEADERS, TASK_HEADERS, VOTER_HEADERS, _hm, _warn)
from .dialogs import AttendeeDialog, ItemDialog, MeetingDialog, MotionDialog, ProxyDialog, TaskDialog
from .projector import MeetingProjector


class MeetingsPage(QWidget):
    status_message = Signal(str)
    loaded = Signal()

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.meeting: svc.MeetingView | None = None
        self.projector: MeetingProjector | None = None
        self._generation = 0
        self.attendee_rows: list[svc.AttendeeRow] = []
        self.item_rows: list[svc.ItemRow] = []
        self.motion_rows: list[svc.MotionResult] = []
        self.resolution_rows: list[svc.ResolutionRow] = []
        self.attendance: svc.Attendance | None = None
        self.wall_ordering_data: svc.OrderingOnWall | None = None
        self.speech_id: int | None = None
        self._loading = False

        self.meeting_box = QComboBox()
        self.meeting_box.currentIndexChanged.connect(lambda _i: self.load(self.meeting_box.currentData()))
        self.state = QLabel()
        # Two rows, so the page fits a 1366-pixel laptop: the meeting and its state, then what can be done with it
        # (one row of both made the window wider than the screen).
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("Meeting")))
        chooser.addWidget(self.meeting_box, 1)
        chooser.addWidget(self.state)
        top = self.top_bar = QHBoxLayout()  # the main window adds its lock action here (lock before projecting)
        for text, slot in ((self.tr("New meeting…"), self.new_meeting), (self.tr("Edit…"), self.edit_meeting),
                           (self.tr("Start"), self.start), (self.tr("End"), self.end),
                           (self.tr("Reopen…"), self.reopen),
                           (self.tr("Projector"), self.show_projector)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            top.addWidget(button)
            if slot == self.reopen:
                self.reopen_button = button
                button.setEnabled(db.allows("reopen"))  # administrators only (core refuses others anyway)
        self.wall_ordering = QCheckBox(self.tr("Ordering results on the wall"))
        self.wall_ordering.toggled.connect(lambda _on: self.refresh())
        top.addWidget(self.wall_ordering)
        self.print_button = QToolButton()
        self.print_button.setText(self.tr("Print"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)
        for doc, label in (("meeting-notice", self.tr("Meeting notice")), ("sign-in-sheet", self.tr("Sign-in sheet")),
                           ("meeting-minutes", self.tr("Minutes")), ("resolution-notice", self.tr("Resolution notice (public)"))):
            menu.addAction(label, lambda d=doc: self.print_doc(d))
        self.print_button.setMenu(menu)
        top.addWidget(self.print_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._sign_in_tab(), self.tr("Sign-in"))
        self.tabs.addTab(self._agenda_tab(), self.tr("Agenda and minutes"))
        self.tabs.addTab(self._votes_tab(), self.tr("Motions and votes"))
        self.tabs.addTab(self._tasks_tab(), self.tr("Resolutions and tasks"))
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.step(1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.step(-1))
        for field in self.findChildren(QPlainTextEdit) + self.findChildren(QLineEdit):
            field.installEventFilter(self)  # text fields keep PgUp/PgDn (they scroll the text, not the agenda)
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_minutes)
        self.reload_meetings()

    # --- tabs ----------------------------------------------------------------------------------------
    def _sign_in_tab(self) -> QWidget:
        tab = QWidget()
        self.search = QLineEdit()
        self.search.setObjectName("signInSearch")
        self.search.setPlaceholderText(self.tr("Name, pinyin initials, room or phone tail; ↑/↓ choose, Enter signs in "
                                               "the highlighted person"))
        self.search.textChanged.connect(lambda _t: self.show_attendees())
        self.search.returnPressed.connect(self.sign_in_first)
        self.counts = QLabel()
        self.counts.setObjectName("attendanceCounts")
        self.counts.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.door_banner = QLabel()  # what the last Enter did, on the page itself (the status bar may be off-screen)
        self.door_banner.setObjectName("doorBanner")
        self.door_banner.setWordWrap(True)
        self.exact_matches = 0  # matches whose name or room was typed in full (door_search lists them first)
        self._choosing = ""  # the text for which several matches were shown (the next Enter signs in the highlighted)
        self.attendee_model = RowsModel("MeetingsPage", ATTENDEE_HEADERS)
        self.attendee_model.highlight = lambda row: self._attendee_color(row)
        self.attendee_view = table_view(self.attendee_model)
        self.attendee_view.doubleClicked.connect(lambda _i: self.sign_in_selected())
        for col, width in enumerate((46, 110, 70, 150, 200, 120, 70, 70)):
            self.attendee_view.setColumnWidth(col, width)
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("Sign in"), self.sign_in_selected), (self.tr("By proxy…"), self.sign_in_proxy),
                           (self.tr("Left"), self.sign_out_selected), (self.tr("Undo sign-in"), self.undo_selected),
                           (self.tr("Walk-in…"), lambda: self.add_attendee(True)),
                           (self.tr("Invite…"), lambda: self.add_attendee(False)),
                           (self.tr("Invite the project's households"), self.invite_households),
                           (self.tr("Invite representatives and party members"), self.invite_roles)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        layout.addLayout(row)
        figures = QHBoxLayout()
        figures.addWidget(self.counts)
        figures.addWidget(self.door_banner, 1)
        layout.addLayout(figures)
        layout.addWidget(self.attendee_view, 1)
        layout.addLayout(buttons)
        return tab

    def _agenda_tab(self) -> QWidget:
        tab = QWidget()
        self.agenda = QListWidget()
        self.agenda.setObjectName("agendaList")
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda.model().rowsMoved.connect(lambda *_a: self._agenda_dropped())
        self.agenda.currentRowChanged.connect(lambda _r: self.show_minutes())
        QShortcut(QKeySequence("Alt+Up"), self.agenda, lambda: self.move_item(-1))
        QShortcut(QKeySequence("Alt+Down"), self.agenda, lambda: self.move_item(1))
        agenda_buttons = QGridLayout()
        for n, (text, slot) in enumerate(((self.tr("Add…"), self.add_item), (self.tr("Edit…"), self.edit_item),
                                          (self.tr("Delete"), self.delete_item),
                                          (self.tr("Discuss now"), self.make_current),
                                          (self.tr("◀ Previous (PgUp)"), lambda: self.step(-1)),
                                          (self.tr("Next (PgDn) ▶"), lambda: self.step(1)))):
            button = QPushButton(text)
            button.clicked.connect(slot)
            agenda_buttons.addWidget(button, n // 3, n % 3)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("Agenda (drag or Alt+↑/↓ to reorder)")))
        left_layout.addWidget(self.agenda, 1)
        left_layout.addLayout(agenda_buttons)

        self.item_heading = QLabel()
        self.item_heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("itemSummary")
        self.summary.setPlaceholderText(self.tr("Summary of the discussion (saved as you type)"))
        self.summary.setMaximumHeight(90)
        self.summary.textChanged.connect(self._typed)
        self.speech_list = QListWidget()
        self.speech_list.currentRowChanged.connect(lambda _r: self._pick_speech())
        self.speaker = QLineEdit()
        self.speaker.setObjectName("speaker")
        self.speaker.setPlaceholderText(self.tr("Speaker"))
        self.speaker.textChanged.connect(lambda _t: self._typed())
        self.speech = QPlainTextEdit()
        self.speech.setObjectName("speechText")
        self.speech.setPlaceholderText(self.tr("What was said — saved as you type; Ctrl+Enter starts the next speaker"))
        self.speech.textChanged.connect(self._typed)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #666;")
        speech_buttons = QHBoxLayout()
        for text, slot in ((self.tr("New speaker (Ctrl+Enter)"), self.new_speech),
                           (self.tr("Delete speech"), self.delete_speech)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            speech_buttons.addWidget(button)
        speech_buttons.addStretch(1)
        speech_buttons.addWidget(self.saved_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.item_heading)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(QLabel(self.tr("Speeches")))
        right_layout.addWidget(self.speech_list, 1)
        right_layout.addWidget(self.speaker)
        right_layout.addWidget(self.speech, 2)
        right_layout.addLayout(speech_buttons)
        # one shortcut per key for the whole minutes pane (two with the same key would be ambiguous and never fire)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), right, self.new_speech)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([360, 640])
        layout = QVBoxLayout(tab)
        layout.addWidget(splitter)
        return tab

    def _votes_tab(self) -> QWidget:
        tab = QWidget()
        self.motion_model = RowsModel("MeetingsPage", MOTION_HEADERS)
        self.motion_view = table_view(self.motion_model)
        for col, width in enumerate((260, 170, 110, 80)):
            self.motion_view.setColumnWidth(col, width)
        self.motion_view.selectionModel().currentRowChanged.connect(lambda *_a: self.show_motion())
        motion_buttons = QHBoxLayout()
        for text, slot in ((self.tr("New motion…"), self.new_motion), (self.tr("Edit…"), self.edit_motion),
                           (self.tr("Delete"), self.delete_motion), (self.tr("Open the vote"), self.start_vote),
                           (self.tr("Declare the result"), self.close_vote), (self.tr("Recount…"), self.reopen_vote)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            motion_buttons.addWidget(button)
        motion_buttons.addStretch(1)

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
            grid.addWidget(QLabel(label), 0, col)
            grid.addWidget(spin, 1, col)
            grid.addWidget(area, 2, col)
        self.present_label = QLabel()
        grid.addWidget(self.present_label, 0, 3)
        save_counts = QPushButton(self.tr("Save the counts"))
        save_counts.clicked.connect(self.save_counts)
        grid.addWidget(save_counts, 1, 3)

        # named ballots
        self.voter_model = RowsModel("MeetingsPage", VOTER_HEADERS, right_aligned=(2,))
        self.voter_model.highlight = lambda row: None if self.voters and self.voters[row].present else "#999999"
        self.voter_view = table_view(self.voter_model)
        self.voter_view.setObjectName("voters")
        for col, width in enumerate((110, 200, 80, 90, 110)):
            self.voter_view.setColumnWidth(col, width)
        self.voter_view.installEventFilter(self)
        self.voters: list[svc.Voter] = []
        self.ballot_hint = QLabel(self.tr("Select a voter and press Y / N / A (or 1 / 2 / 3); Delete takes the ballot back"))
        self.ballot_hint.setStyleSheet("color: #666;")

        self.figure_model = RowsModel("MeetingsPage", FIGURE_HEADERS)
        self.figure_view = table_view(self.figure_model)
        self.figure_view.setObjectName("figures")
        self.figure_view.setWordWrap(True)
        self.figure_view.setColumnWidth(0, 150)
        self.result_label = QLabel()
        self.result_label.setObjectName("voteResult")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("font-size: 14pt; font-weight: bold;")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.motion_view, 1)
        left_layout.addLayout(motion_buttons)
        left_layout.addWidget(self.count_box)
        left_layout.addWidget(self.ballot_hint)
        left_layout.addWidget(self.voter_view, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.result_label)
        right_layout.addWidget(self.figure_view, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([620, 420])
        layout = QVBoxLayout(tab)
        layout.addWidget(splitter)
        return tab

    def _tasks_tab(self) -> QWidget:
        tab = QWidget()
        self.resolution_list = QListWidget()
        self.resolution_list.setWordWrap(True)
        self.resolution_list.currentRowChanged.connect(lambda _r: self.show_citing())
        self.citing = QLabel()
        self.citing.setObjectName("citingOpinions")
        self.citing.setWordWrap(True)
        self.citing.setStyleSheet("color: #444;")
        res_buttons = QHBoxLayout()
        for text, slot in ((self.tr("Add a resolution…"), self.add_resolution), (self.tr("Edit…"), self.edit_resolution),
                           (self.tr("Delete"), self.delete_resolution)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            res_buttons.addWidget(button)
        res_buttons.addStretch(1)
        self.task_model = RowsModel("MeetingsPage", TASK_HEADERS)
        self.task_model.highlight = lambda row: "#b03a2e" if self.task_rows and self.task_rows[row].overdue else None
        self.task_view = table_view(self.task_model)
        self.task_rows: list[svc.TaskRow] = []
        task_buttons = QHBoxLayout()
        add_task = QPushButton(self.tr("Add a task…"))
        add_task.clicked.connect(self.add_task)
        task_buttons.addWidget(add_task)
        for text, slot in ((self.tr("Edit the task…"), self.edit_task), (self.tr("Delete the task"), self.delete_task)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            task_buttons.addWidget(button)
        for status in TaskStatus:
            button = QPushButton(self.tr("Mark: %1").replace("%1", status.value))
            button.clicked.connect(lambda _c=False, s=status.value: self.set_task_status(s))
            task_buttons.addWidget(button)
        task_buttons.addStretch(1)
        self.review_model = RowsModel("MeetingsPage", REVIEW_HEADERS)
        self.review_model.highlight = lambda row: "#b03a2e" if self.review_rows and self.review_rows[row].overdue else None
        self.review_view = table_view(self.review_model)
        self.review_rows: list[svc.TaskRow] = []
        review_button = QPushButton(self.tr("Reviewed at this meeting…"))
        review_button.clicked.connect(self.review_task)
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel(self.tr("Resolutions")))
        layout.addWidget(self.resolution_list, 1)
        layout.addLayout(res_buttons)
        layout.addWidget(self.citing)
        layout.addWidget(QLabel(self.tr("Follow-up tasks (overdue in red)")))
        layout.addWidget(self.task_view, 1)
        layout.addLayout(task_buttons)
        layout.addWidget(QLabel(self.tr("Tasks of earlier meetings of this project, to review")))
        layout.addWidget(self.review_view, 1)
        layout.addWidget(review_button, 0, Qt.AlignmentFlag.AlignLeft)
        return tab

    # --- loading -------------------------------------------------------------------------------------
    def reload_meetings(self, select_id: int | None = None) -> None:
        rows = svc.meetings(self.db)
        current = select_id if select_id is not None else (self.meeting.id if self.meeting else None)
        self.meeting_box.blockSignals(True)
        self.meeting_box.clear()
        for r in rows:
            self.meeting_box.addItem(f"{r.starts_at:%Y-%m-%d %H:%M}　{r.title}　[{r.status}]", r.id)
        self.meeting_box.blockSignals(False)
        if rows:
            index = self.meeting_box.findData(current)
            self.meeting_box.setCurrentIndex(index if index >= 0 else 0)
            self.load(self.meeting_box.currentData())
        else:
            self.meeting = None
            self.state.setText(self.tr("No meetings yet: press “New meeting…”"))

    def load(self, meeting_id: int | None) -> None:
        if meeting_id is None:
            return
        self.save_minutes()
        self.meeting = svc.meeting_view(self.db, meeting_id)
        self.refresh()

    def refresh(self) -> None:
        if self.meeting is None:
            return
        self._generation += 1
        generation, meeting_id = self._generation, self.meeting.id

        with_ordering = self.wall_ordering.isChecked()

        def work():
            view = svc.meeting_view(self.db, meeting_id)
            people = svc.attendees(self.db, meeting_id)
            return (view, people, svc.attendance(self.db, meeting_id, rows=people), svc.items(self.db, meeting_id),
                    svc.motions(self.db, meeting_id), svc.resolutions(self.db, meeting_id),
                    svc.tasks(self.db, meeting_id), svc.tasks_to_review(self.db, meeting_id),
                    svc.ordering_on_wall(self.db, view.project_id) if with_ordering else None)

        tasks.submit(work, lambda result: self._show(generation, result),
                     lambda exc: self.status_message.emit(str(exc)), owner=self)

    def _show(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        view, attendees, attendance, items, motions, resolutions, task_rows, review, self.wall_ordering_data = result
        self.meeting = view
        self.state.setText(f"{view.kind} · {view.status}")
        self.attendee_rows = attendees
        self.attendance = attendance
        self.counts.setText(self.tr("Expected %1 · present %2 · walk-ins %3 · late %4 · left %5 · proxies %6 — %7")
                            .replace("%1", str(attendance.expected)).replace("%2", str(attendance.present))
                            .replace("%3", str(attendance.walk_ins)).replace("%4", str(attendance.late))
                            .replace("%5", str(attendance.left_early)).replace("%6", str(attendance.proxies))
                            .replace("%7", attendance.text(core_lang())))
        self.show_attendees()
        self._show_items(items)
        self.motion_rows = motions
        self._show_motions()
        self.resolution_rows = resolutions
        self.resolution_list.clear()
        for n, r in enumerate(resolutions, start=1):
            item = QListWidgetItem(f"{n}. {r.text}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.resolution_list.addItem(item)
        self.task_rows = task_rows
        self.task_model.set_rows([(t.title, t.owner, str(t.deadline or ""), t.status + ("（逾期）" if t.overdue else ""),
                                   t.note) for t in task_rows], [t.id for t in task_rows])
        self.review_rows = review
        self.review_model.set_rows([(f"{t.meeting_date} {t.meeting_title}", t.title, t.owner, str(t.deadline or ""),
                                     t.status + ("（逾期）" if t.overdue else ""),
                                     t.review_note if t.reviewed_meeting_id == view.id else "")
                                    for t in review], [t.id for t in review])
        self.update_projector()
        self.loaded.emit()

    def show_attendees(self) -> None:
        query = self.search.text().strip()
        if query != self._choosing:
            self._choosing = ""
        if query and self.meeting:
            matches = svc.door_search(self.db, self.meeting.id, query)
            rows = [m.attendee for m in matches]
            self.exact_matches = sum(m.exact for m in matches)
            reasons = [m.reason if core_lang() == "zh" else m.reason_en for m in matches]
        else:
            rows, reasons = self.attendee_rows, [""] * len(self.attendee_rows)
            self.exact_matches = 0
        self.shown_attendees = rows
        self.attendee_model.set_rows(
            [(n, a.name, a.category, a.organisation, a.address, mask_phone(a.phone or ""), _hm(a.signed_in_at),
              _hm(a.left_at), a.proxy_name, why) for n, (a, why) in enumerate(zip(rows, reasons), start=1)],
            [a.id for a in rows])
        if rows:
            self.attendee_view.selectRow(0)

    def _attendee_color(self, row: int) -> str | None:
        rows = getattr(self, "shown_attendees", [])
        if row >= len(rows):
            return None
        a = rows[row]
        if a.left_at:
            return "#999999"
        return "#1d6b2f" if a.signed_in_at else None

    def _show_items(self, items: list[svc.ItemRow]) -> None:
        self.item_rows = items
        keep = self.agenda.currentRow()
        self._loading = True
        self.agenda.clear()
        for row in items:
            minutes = self.tr(" (%1 min)").replace("%1", str(row.planned_minutes)) if row.planned_minutes else ""
            presenter = f" — {row.presenter}" if row.presenter else ""
            item = QListWidgetItem(("▶ " if row.current else "　") + f"{row.position}. {row.title}{presenter}{minutes}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            if row.current:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.agenda.addItem(item)
        current = next((n for n, r in enumerate(items) if r.current), None)
        self.agenda.setCurrentRow(keep if 0 <= keep < len(items) else (current if current is not None else 0))
        self._loading = False
        if self._item_id() != getattr(self, "summary_item", None):
            self.show_minutes()  # another item: load its minutes; the same item: leave the typist alone

    # --- meeting actions -----------------------------------------------------------------------------
    def new_meeting(self) -> None:
        dialog = MeetingDialog(self.db, parent=self)
        if dialog.exec():
            self.reload_meetings(dialog.result_id)

    def edit_meeting(self) -> None:
        if self.meeting:
            dialog = MeetingDialog(self.db, self.meeting, parent=self)
            if dialog.exec():
                self.reload_meetings(self.meeting.id)

    def start(self) -> None:
        if not self.meeting:
            return
        try:
            notice = svc.start_meeting(self.db, self.meeting.id)
        except InputError as exc:
            _warn(self, self.tr("Start"), exc)
            return
        self.reload_meetings(self.meeting.id)
        warnings = notice.warnings if core_lang() == "zh" else notice.warnings_en
        if warnings:  # the meeting has started; say what is unusual about it
            QMessageBox.information(self, self.tr("Start"), "\n".join(warnings))

    def end(self) -> None:
        if not self.meeting:
            return
        self.save_minutes()
        question = self.tr("End “%1”? Afterwards it is a record: sign-ins, agenda, minutes, votes and tasks can no "
                           "longer be changed (an administrator may reopen it with a reason).").replace(
            "%1", self.meeting.title)
        still_open = svc.open_business(self.db, self.meeting.id).lines(core_lang())
        if still_open:
            question += "\n\n" + self.tr("Still open:") + "\n" + "\n".join(f"· {line}" for line in still_open)
        if QMessageBox.question(self, self.tr("End the meeting"), question) != QMessageBox.StandardButton.Yes:
            return
        try:
            svc.end_meeting(self.db, self.meeting.id)
        except InputError as exc:
            _warn(self, self.tr("End the meeting"), exc)
            return
        self.reload_meetings(self.meeting.id)

    def reopen(self) -> None:
        if not self.meeting:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Reopen the meeting"),
                                          self.tr("Why is the ended meeting reopened? (kept in the audit log)"))
        if not ok:
            return
        try:
            svc.reopen_meeting(self.db, self.meeting.id, reason)
        except InputError as exc:
            _warn(self, self.tr("Reopen the meeting"), exc)
            return
        self.reload_meetings(self.meeting.id)

    def print_doc(self, doc: str) -> None:
        if not self.meeting:
            return
        self.save_minutes()
        preview_and_print(self, doc, self.meeting.id)  # named by the document and the meeting's title

    def show_projector(self) -> None:
        if self.projector is None:
            self.projector = MeetingProjector()
        screens = QGuiApplication.screens()
        index = len(screens) - 1  # the projector is usually the last screen attached
        if len(screens) > 1:
            names = [f"{n + 1}: {s.name()} {s.geometry().width()}×{s.geometry().height()}" for n, s in enumerate(screens)]
            choice, ok = QInputDialog.getItem(self, self.tr("Projector"), self.tr("Show on screen"), names, index, False)
            if not ok:
                return
            index = names.index(choice)
        self.update_projector(force=True)
        self.projector.show_on(index)

    def update_projector(self, force: bool = False) -> None:
        """The wall from what the page has loaded (refresh() reads it off the GUI thread)."""
        if self.projector is None or not self.meeting or self.attendance is None \
                or not (force or self.projector.isVisible()):
            return
        current = next((m for m in self.motion_rows if m.motion.id == self.meeting.current_motion_id), None)
        self.projector.show_wall(svc.WallView(self.meeting, self.item_rows, self.attendance, current,
                                              self.wall_ordering_data, tuple(self.motion_rows)))

    # --- sign-in -------------------------------------------------------------------------------------
    def _selected_attendee(self) -> svc.AttendeeRow | None:
        index = self.attendee_view.currentIndex()
        rows = getattr(self, "shown_attendees", [])
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def _banner(self, text: str, kind: str) -> None:
        colors = {"ok": ("#e6f4ea", "#1d6b2f"), "warn": ("#fdecea", "#a61b1b"), "info": ("#fff4d6", "#6b4e00")}
        back, fore = colors[kind]
        self.door_banner.setStyleSheet(f"background: {back}; color: {fore}; font-size: 13pt; padding: 4px 10px;")
        self.door_banner.setText(text)

    def _after_sign_in(self, text: str) -> None:
        self.status_message.emit(text)
        self._banner(text, "ok")
        self.search.clear()
        self.search.setFocus()
        self.refresh()

    def sign_in_first(self) -> None:
        """Enter in the search: one match signs in; several show the choice first, then the highlighted row."""
        text = self.search.text().strip()
        if not text or not self.meeting:
            return
        rows = getattr(self, "shown_attendees", [])
        if not rows:
            self._banner(self.tr("No one matches “%1”").replace("%1", text), "warn")
            return
        one = len(rows) == 1 or (self.exact_matches == 1 and self.attendee_view.currentIndex().row() == 0)
        if not one and self._choosing != text:  # a name or room typed in full and unique counts as one
            self._choosing = text
            self._banner(self.tr("%1 people match “%2”: choose with ↑/↓, Enter signs in the highlighted row")
                         .replace("%1", str(len(rows))).replace("%2", text), "info")
            return
        a = self._selected_attendee() or rows[0]
        self._sign_in(a)

    def sign_in_selected(self) -> None:
        a = self._selected_attendee()
        if a:
            self._sign_in(a)

    def _sign_in(self, a: svc.AttendeeRow) -> None:
        try:
            svc.sign_in(self.db, a.id)
        except InputError as exc:
            self._banner(exc.describe(core_lang()), "warn")
            return
        self._after_sign_in(self.tr("Signed in: %1").replace("%1", a.name))

    def sign_in_proxy(self) -> None:
        a = self._selected_attendee()
        if a and ProxyDialog(self.db, a, self).exec():
            self._after_sign_in(self.tr("Signed in by proxy: %1").replace("%1", a.name))

    def sign_out_selected(self) -> None:
        a = self._selected_attendee()
        if a:
            try:
                svc.sign_out(self.db, a.id)
            except InputError as exc:
                _warn(self, self.tr("Left"), exc)
                return
            self._after_sign_in(self.tr("Left: %1").replace("%1", a.name))

    def undo_selected(self) -> None:
        a = self._selected_attendee()
        if a and a.signed_in_at:
            svc.undo_sign_in(self.db, a.id)
            self._after_sign_in(self.tr("Sign-in taken back: %1").replace("%1", a.name))

    def add_attendee(self, walk_in: bool) -> None:
        if self.meeting and AttendeeDialog(self.db, self.meeting.id, walk_in, self).exec():
            self.refresh()

    def invite_households(self) -> None:
        if self.meeting:
            added = svc.invite_households(self.db, self.meeting.id)
            self.status_message.emit(self.tr("Invited %1 households").replace("%1", str(added)))
            self.refresh()

    def invite_roles(self) -> None:
        if self.meeting:
            added = svc.invite_role(self.db, self.meeting.id, "representative") + \
                svc.invite_role(self.db, self.meeting.id, "party_member")
            self.status_message.emit(self.tr("Invited %1 people").replace("%1", str(added)))
            self.refresh()

    # --- agenda and minutes ----------------------------------------------------------------------------
    def _item_id(self) -> int | None:
        item = self.agenda.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add_item(self) -> None:
        if self.meeting and ItemDialog(self.db, self.meeting.id, parent=self).exec():
            self.refresh()

    def edit_item(self) -> None:
        row = next((r for r in self.item_rows if r.id == self._item_id()), None)
        if row and ItemDialog(self.db, self.meeting.id, row, self).exec():
            self.refresh()

    def delete_item(self) -> None:
        item_id = self._item_id()
        if item_id and QMessageBox.question(self, self.tr("Delete"), self.tr("Delete this agenda item and its minutes?")) \
                == QMessageBox.StandardButton.Yes:
            try:
                svc.delete_item(self.db, item_id)
            except InputError as exc:
                _warn(self, self.tr("Delete"), exc)
                return
            self.refresh()

    def move_item(self, delta: int) -> None:
        item_id = self._item_id()
        if item_id:
            svc.move_item(self.db, item_id, delta)
            self.agenda.setCurrentRow(max(0, min(self.agenda.count() - 1, self.agenda.currentRow() + delta)))
            self.refresh()

    def _agenda_dropped(self) -> None:
        if self._loading or not self.meeting:
            return
        ids = [self.agenda.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.agenda.count())]
        svc.reorder_items(self.db, self.meeting.id, ids)
        self.refresh()

    def make_current(self) -> None:
        item_id = self._item_id()
        if item_id and self.meeting:
            self.save_minutes()
            svc.set_current_item(self.db, self.meeting.id, item_id)
            self.refresh()

    def step(self, delta: int) -> None:
        if self.meeting:
            self.save_minutes()
            target = svc.step_item(self.db, self.meeting.id, delta)
            index = next((n for n, r in enumerate(self.item_rows) if r.id == target), None)
            if index is not None:
                self.agenda.setCurrentRow(index)
            self.refresh()

    def show_minutes(self) -> None:
        if self._loading:
            return
        self.save_minutes()
        row = next((r for r in self.item_rows if r.id == self._item_id()), None)
        self._loading = True
        self.item_heading.setText(f"{row.position}. {row.title}" if row else "")
        self.summary.setPlainText(row.summary if row else "")
        self.speech_list.clear()
        self.speeches = svc.speeches(self.db, row.id) if row else []
        for sp in self.speeches:
            self.speech_list.addItem(f"{_hm(sp.spoken_at)} {sp.speaker}：{sp.content[:60]}")
        self.speech_id = None
        self.speaker.clear()
        self.speech.clear()
        self.summary_item = row.id if row else None
        self._loading = False
        if self.speeches:
            self.speech_list.setCurrentRow(len(self.speeches) - 1)

    def _pick_speech(self) -> None:
        if self._loading:
            return
        self.save_minutes()
        row = self.speech_list.currentRow()
        if 0 <= row < len(self.speeches):
            sp = self.speeches[row]
            self._loading = True
            self.speech_id = sp.id
            self.speaker.setText(sp.speaker)
            self.speech.setPlainText(sp.content)
            self._loading = False

    def _typed(self) -> None:
        if not self._loading:
            self.saved_label.setText(self.tr("Typing…"))
            if not self.autosave.isActive():  # not restarted per keystroke: saves every AUTOSAVE_MS while typing
                self.autosave.start()

    def save_minutes(self) -> None:
        """Write what was typed: the item's summary and the speech being written (short transactions)."""
        self.autosave.stop()
        if self._loading or not getattr(self, "summary_item", None):
            return
        try:
            svc.set_item_summary(self.db, self.summary_item, self.summary.toPlainText())
            speaker, content = self.speaker.text(), self.speech.toPlainText()
            if self.speech_id is None and (speaker.strip() or content.strip()):
                self.speech_id = svc.add_speech(self.db, self.summary_item, speaker, content)
                self.speeches = svc.speeches(self.db, self.summary_item)
                self._loading = True
                self.speech_list.addItem(f"{_hm(datetime.now())} {speaker}：{content[:60]}")
                self.speech_list.setCurrentRow(self.speech_list.count() - 1)
                self._loading = False
            elif self.speech_id is not None:
                svc.save_speech(self.db, self.speech_id, speaker, content)
                row = next((n for n, sp in enumerate(self.speeches) if sp.id == self.speech_id), None)
                if row is not None and self.speech_list.item(row):
                    self.speech_list.item(row).setText(
                        f"{_hm(self.speeches[row].spoken_at)} {speaker}：{content[:60]}")
        except InputError as exc:
            self.saved_label.setText(exc.describe(core_lang()))
            return
        self.saved_label.setText(self.tr("Saved %1").replace("%1", datetime.now().strftime("%H:%M:%S")))

    def new_speech(self) -> None:
        self.save_minutes()
        self._loading = True
        self.speech_id = None
        self.speaker.clear()
        self.speech.clear()
        self.speech_list.clearSelection()
        self._loading = False
        self.speaker.setFocus()

    def delete_speech(self) -> None:
        if self.speech_id is not None:
            self.autosave.stop()
            svc.delete_speech(self.db, self.speech_id)
            self.speech_id = None
            self._loading = True
            self.speaker.clear()
            self.speech.clear()
            self._loading = False
            self.show_minutes()

    # --- motions and votes -----------------------------------------------------------------------------
    def _motion(self) -> svc.MotionResult | None:
        index = self.motion_view.currentIndex()
        return self.motion_rows[index.row()] if index.isValid() and index.row() < len(self.motion_rows) else None

    def _show_motions(self) -> None:
        keep = self.motion_view.currentIndex().row()
        rows = []
        for m in self.motion_rows:
            verdict = "" if m.result is None else ("通过" if m.result.passed else "未通过")
            rows.append((m.motion.title, svc.MATTER_NAMES[m.motion.matter][0 if core_lang() == "zh" else 1],
                         votes.METHOD_LABELS[votes.Method(m.motion.method)][0 if core_lang() == "zh" else 1],
                         m.motion.state, verdict))
        self.motion_model.set_rows(rows, [m.motion.id for m in self.motion_rows])
        if self.motion_rows:
            self.motion_view.selectRow(keep if 0 <= keep < len(self.motion_rows) else len(self.motion_rows) - 1)
        self.show_motion()

    def show_motion(self) -> None:
        m = self._motion()
        method = m.motion.method if m else None
        self.count_box.setVisible(method in ("hands", "paper"))
        for key in ("yes", "no", "abstain"):
            self.area_edits[key].setVisible(method == "paper")
        self.voter_view.setVisible(method == "named")
        self.ballot_hint.setVisible(method == "named")
        if m is None:
            self.figure_model.set_rows([])
            self.result_label.setText("")
            return
        counts = m.motion.counts
        for key in ("yes", "no", "abstain"):
            self.count_edits[key].setValue(counts[f"{key}_owners"] or 0)
            area = counts[f"{key}_area"]
            self.area_edits[key].setText("" if area is None else votes.area_text(area))
        self.present_label.setText(self.tr("Present at the vote: %1").replace("%1", str(counts["present"]))
                                   if method == "hands" and counts["present"] is not None else "")
        if method == "named":
            self.voters = svc.voters(self.db, m.motion.id)
            self.voter_model.set_rows([(v.name, v.address, "" if v.area is None else votes.area_text(v.area),
                                        v.proxy_name, self.tr("yes") if v.present else v.why_not,
                                        CHOICE_ZH[v.choice]) for v in self.voters], [v.attendee_id for v in self.voters])
        figures = m.figures(core_lang())
        self.figure_model.set_rows([(f.label, f.value) for f in figures])
        self.figure_view.resizeRowsToContents()
        if m.result is None:
            self.result_label.setText(m.problem if core_lang() == "zh" else m.problem_en)
            self.result_label.setStyleSheet("font-size: 14pt; font-weight: bold; color: #666;")
        else:
            passed = m.result.passed
            self.result_label.setText((self.tr("Passed") if passed else self.tr("Not passed")) +
                                      ("" if m.motion.state == "已表决" else self.tr(" (not yet declared)")))
            self.result_label.setStyleSheet(f"font-size: 14pt; font-weight: bold; color: {'#1d6b2f' if passed else '#a61b1b'};")

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.search and event.type() == event.Type.KeyPress
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.attendee_model.rowCount()):
            row = self.attendee_view.currentIndex().row() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.attendee_view.selectRow(max(0, min(self.attendee_model.rowCount() - 1, row)))
            return True  # the arrows choose among the matches while typing goes on in the search
        if (event.type() == event.Type.ShortcutOverride and isinstance(watched, (QPlainTextEdit, QLineEdit))
                and event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)):
            event.accept()  # an accepted override sends the key to the field instead of the page's shortcut
            return True
        if watched is self.voter_view and event.type() == event.Type.KeyPress and event.key() in CHOICE_KEYS:
            self.vote(CHOICE_KEYS[event.key()])
            return True
        return super().eventFilter(watched, event)

    def _reason(self, m: svc.MotionResult, title: str) -> str | None:
        """A decided vote is only changed with a reason (audited); None when the user cancels."""
        if m.motion.state != "已表决":
            return ""
        reason, ok = QInputDialog.getText(self, title, self.tr("The result was declared. Why is it corrected?"))
        return reason if ok and reason.strip() else None

    def vote(self, choice: str | None) -> None:
        m = self._motion()
        row = self.voter_view.currentIndex().row()
        if m is None or not 0 <= row < len(self.voters):
            return
        reason = self._reason(m, self.tr("Correct a ballot"))
        if reason is None:
            return
        try:
            svc.cast_ballot(self.db, m.motion.id, self.voters[row].attendee_id, choice, reason)
        except InputError as exc:
            _warn(self, self.tr("Ballot"), exc)
            return
        self._reload_motion(m.motion.id, next_row=min(row + 1, len(self.voters) - 1))

    def _reload_motion(self, motion_id: int, next_row: int | None = None) -> None:
        index = next(n for n, r in enumerate(self.motion_rows) if r.motion.id == motion_id)
        self.motion_rows[index] = svc.motion_result(self.db, motion_id)
        self._show_motions()
        if next_row is not None:
            self.voter_view.selectRow(next_row)
            self.voter_view.setFocus()
        self.update_projector()

    def save_counts(self) -> None:
        m = self._motion()
        if m is None:
            return
        counts = {f"{k}_owners": self.count_edits[k].value() for k in ("yes", "no", "abstain")}
        if m.motion.method == "hands" and self.count_edits["abstain"].value() == 0:
            counts["abstain_owners"] = None  # the rest of those present
        if m.motion.method == "paper":
            try:
                for k in ("yes", "no", "abstain"):
                    text = self.area_edits[k].text().strip()
                    counts[f"{k}_area"] = parse_area(text) if text else Decimal(0)
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
        if self.meeting and MotionDialog(self.db, self.meeting.id, self.item_rows, parent=self).exec():
            self.refresh()

    def edit_motion(self) -> None:
        m = self._motion()
        if m and MotionDialog(self.db, self.meeting.id, self.item_rows, m.motion, self).exec():
            self.refresh()

    def delete_motion(self) -> None:
        m = self._motion()
        if m:
            try:
                svc.delete_motion(self.db, m.motion.id)
            except InputError as exc:
                _warn(self, self.tr("Delete"), exc)
                return
            self.refresh()

    def start_vote(self) -> None:
        m = self._motion()
        if m:
            try:
                svc.start_vote(self.db, m.motion.id)
            except InputError as exc:
                _warn(self, self.tr("Open the vote"), exc)
                return
            self.refresh()

    def close_vote(self) -> None:
        m = self._motion()
        if not m:
            return
        try:  # the figures that would be declared, shown before anything is written
            figures = svc.declaration(self.db, m.motion.id)
        except InputError as exc:
            _warn(self, self.tr("Declare the result"), exc)
            return
        lines = [f"{f.label}：{f.value}" if core_lang() == "zh" else f"{f.label}: {f.value}"
                 for f in figures.figures(core_lang())]
        question = self.tr("Declare the result of “%1”? It goes into the minutes and on the public notice.").replace(
            "%1", m.motion.title) + "\n\n" + "\n".join(lines)
        if QMessageBox.question(self, self.tr("Declare the result"), question) != QMessageBox.StandardButton.Yes:
            return
        try:
            svc.close_vote(self.db, m.motion.id)
        except InputError as exc:
            _warn(self, self.tr("Declare the result"), exc)
            return
        self.refresh()

    def reopen_vote(self) -> None:
        m = self._motion()
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

    # --- resolutions and tasks ---------------------------------------------------------------------------
    def add_resolution(self) -> None:
        if not self.meeting:
            return
        m = self._motion()
        default = ""
        if m and m.result is not None and m.motion.state == "已表决":
            default = f"{m.motion.title}经表决{'通过' if m.result.passed else '未通过'}。"
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Resolution"), self.tr("Resolution text"), default)
        if ok:
            try:
                svc.add_resolution(self.db, self.meeting.id, text, m.motion.id if m and default else None)
            except InputError as exc:
                _warn(self, self.tr("Resolution"), exc)
                return
            self.refresh()

    def edit_resolution(self) -> None:
        item = self.resolution_list.currentItem()
        if not item:
            return
        row = next(r for r in self.resolution_rows if r.id == item.data(Qt.ItemDataRole.UserRole))
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Resolution"), self.tr("Resolution text"), row.text)
        if ok:
            try:
                svc.update_resolution(self.db, row.id, text)
            except InputError as exc:
                _warn(self, self.tr("Resolution"), exc)
                return
            self.refresh()

    def delete_resolution(self) -> None:
        item = self.resolution_list.currentItem()
        if item and QMessageBox.question(self, self.tr("Delete"), self.tr("Delete this resolution?")) \
                == QMessageBox.StandardButton.Yes:
            svc.delete_resolution(self.db, item.data(Qt.ItemDataRole.UserRole))
            self.refresh()

    def show_citing(self) -> None:
        """The chief street designer's opinions that cite the selected resolution."""
        from renewal_desk.core.services import designer

        item = self.resolution_list.currentItem()
        row = next((r for r in self.resolution_rows if item and r.id == item.data(Qt.ItemDataRole.UserRole)), None)
        opinions = designer.opinions_citing(self.db, "meeting_resolution", row.uuid) if row else []
        self.citing.setText(self.tr("Chief street designer's opinions on this resolution: %1").replace(
            "%1", "；".join(f"{o.opinion_no} {o.status}：{o.opinion[:40]}" for o in opinions)) if opinions else "")
        self.citing.setVisible(bool(opinions))

    def add_task(self) -> None:
        if self.meeting and TaskDialog(self.db, self.meeting.id, self.resolution_rows, self).exec():
            self.refresh()

    def _task(self) -> svc.TaskRow | None:
        row = self.task_view.currentIndex().row()
        return self.task_rows[row] if 0 <= row < len(self.task_rows) else None

    def edit_task(self) -> None:
        task = self._task()
        if task and TaskDialog(self.db, self.meeting.id, self.resolution_rows, self, task=task).exec():
            self.refresh()

    def delete_task(self) -> None:
        task = self._task()
        if not task or QMessageBox.question(self, self.tr("Delete the task"), self.tr("Delete the task “%1”?")
                                            .replace("%1", task.title)) != QMessageBox.StandardButton.Yes:
            return
        try:
            svc.delete_task(self.db, task.id)
        except InputError as exc:
            _warn(self, self.tr("Delete the task"), exc)
            return
        self.refresh()

    def set_task_status(self, status: str) -> None:
        task_id = self.task_model.key_at(self.task_view.currentIndex().row())
        if task_id is not None:
            svc.update_task(self.db, task_id, status=status)
            self.refresh()

    def review_task(self) -> None:
        task_id = self.review_model.key_at(self.review_view.currentIndex().row())
        if task_id is None or not self.meeting:
            return
        note, ok = QInputDialog.getText(self, self.tr("Review"), self.tr("What was reported on this task?"))
        if ok:
            svc.review_task(self.db, task_id, self.meeting.id, note)
            self.refresh()

    def closeEvent(self, event) -> None:
        self.save_minutes()
        super().closeEvent(event)

