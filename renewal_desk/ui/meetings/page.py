"""议事协商: the page shell — the meeting list, the toolbar (new, edit, start, end, reopen, print, projector)
and the tabs, one module each: sign_in.py (签到), agenda.py (议程与记录), votes.py (表决), tasks.py (决议与任务).
The page loads everything off the GUI thread and hands each tab its rows; the projector is projector.py."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMenu,
                               QMessageBox, QPlainTextEdit, QPushButton, QTabWidget, QToolButton, QVBoxLayout)

from renewal_desk.core.db import Database
from renewal_desk.core.models import MEETING_KIND_LABELS, MEETING_STATUS_LABELS
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import meetings as svc

from ..i18n import core_lang, enum_label, fmt
from ..pdf import preview_and_print
from ..operations import QueryOp
from ..page import Page, Topic
from .agenda import AgendaTab
from .common import AUTOSAVE_MS, _warn  # noqa: F401 (AUTOSAVE_MS: the tests read the autosave delay here)
from .dialogs import MeetingDialog
from .projector import MeetingProjector
from .sign_in import SignInTab
from .tasks import TasksTab
from .votes import VotesTab


class MeetingsPage(Page):
    status_message = Signal(str)
    loaded = Signal()
    watches = frozenset({Topic.MEETINGS, Topic.TASKS})

    def on_change(self) -> None:
        self.reload_meetings()

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.meeting: svc.MeetingView | None = None
        self.projector: MeetingProjector | None = None
        self._load = QueryOp(self, self._show)
        self.attendance: svc.Attendance | None = None
        self.wall_ordering_data: svc.OrderingOnWall | None = None
        self.meeting_box = QComboBox()
        self.meeting_box.currentIndexChanged.connect(lambda _i: self.load(self.meeting_box.currentData()))
        self.state = QLabel()
        # Two rows, so the page fits a 1366-pixel laptop: the meeting and its state, then what can be done with it
        # (one row of both made the window wider than the screen).
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("Meeting")))
        chooser.addWidget(self.meeting_box, 1)
        chooser.addWidget(self.state)
        self.toolbar_buttons: dict[str, QPushButton] = {}
        top = self.top_bar = QHBoxLayout()  # the main window adds its lock action here (lock before projecting)
        for text, slot in ((self.tr("New meeting…"), self.new_meeting), (self.tr("Edit…"), self.edit_meeting),
                           (self.tr("Start"), self.start), (self.tr("End"), self.end),
                           (self.tr("Reopen…"), self.reopen), (self.tr("Delete…"), self.delete_meeting),
                           (self.tr("Projector"), self.show_projector)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            top.addWidget(button)
            self.toolbar_buttons[slot.__name__] = button
        self.reopen_button = self.toolbar_buttons["reopen"]
        self.reopen_button.setEnabled(False)  # an ended meeting, administrators only (core refuses others anyway)
        self.wall_ordering = QCheckBox(self.tr("Ordering results on the wall"))
        self.wall_ordering.toggled.connect(lambda _on: self.refresh())
        top.addWidget(self.wall_ordering)
        self.print_button = QToolButton()
        self.print_button.setText(self.tr("Print"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)
        for doc, label in (("meeting-notice", self.tr("Meeting notice")), ("sign-in-sheet", self.tr("Sign-in sheet")),
                           ("meeting-minutes", self.tr("Minutes")), ("resolution-notice", self.tr("Resolution notice (public)")),
                           ("personal-notice", self.tr("Personal notices with sign-in codes"))):
            menu.addAction(label, lambda d=doc: self.print_doc(d))
        self.print_button.setMenu(menu)
        # as wide and tall as the push buttons beside it, so the menu arrow has room and never sits on the text
        beside = self.toolbar_buttons["show_projector"].sizeHint()
        self.print_button.setMinimumSize(max(beside.width(), self.print_button.sizeHint().width() + 20), beside.height())
        top.addWidget(self.print_button)

        self.sign_in_tab = SignInTab(self)
        self.agenda_tab = AgendaTab(self)
        self.votes_tab = VotesTab(self)
        self.tasks_tab = TasksTab(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.sign_in_tab, self.tr("Sign-in"))
        self.tabs.addTab(self.agenda_tab, self.tr("Agenda and minutes"))
        self.tabs.addTab(self.votes_tab, self.tr("Motions and votes"))
        self.tabs.addTab(self.tasks_tab, self.tr("Resolutions and tasks"))
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addLayout(top)
        self.read_only_banner = QLabel()  # why the editing buttons are greyed (an ended meeting is a record)
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet("background: #eceff1; color: #37474f; padding: 4px 10px;")
        self.read_only_banner.hide()
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.agenda_tab.step(1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.agenda_tab.step(-1))
        for field in self.findChildren(QPlainTextEdit) + self.findChildren(QLineEdit):
            field.installEventFilter(self)  # text fields keep PgUp/PgDn (they scroll the text, not the agenda)
        self.reload_meetings()

    def eventFilter(self, watched, event) -> bool:
        if (event.type() == event.Type.ShortcutOverride and isinstance(watched, (QPlainTextEdit, QLineEdit))
                and event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)):
            event.accept()  # an accepted override sends the key to the field instead of the page's shortcut
            return True
        return super().eventFilter(watched, event)

    # --- loading -------------------------------------------------------------------------------------
    def reload_meetings(self, select_id: int | None = None) -> None:
        rows = svc.meetings(self.db)
        current = select_id if select_id is not None else (self.meeting.id if self.meeting else None)
        self.meeting_box.blockSignals(True)
        self.meeting_box.clear()
        for r in rows:
            self.meeting_box.addItem(f"{r.starts_at:%Y-%m-%d %H:%M}　{r.title}　[{enum_label(MEETING_STATUS_LABELS, r.status)}]",
                                     r.id)
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
        self.agenda_tab.save_minutes()
        self.meeting = svc.meeting_view(self.db, meeting_id)
        self.refresh()

    def refresh(self) -> None:
        if self.meeting is None:
            return
        meeting_id = self.meeting.id

        with_ordering = self.wall_ordering.isChecked()

        def work():
            view = svc.meeting_view(self.db, meeting_id)
            people = svc.attendees(self.db, meeting_id)
            return (view, people, svc.attendance(self.db, meeting_id, rows=people), svc.items(self.db, meeting_id),
                    svc.motions(self.db, meeting_id), svc.resolutions(self.db, meeting_id),
                    svc.tasks(self.db, meeting_id), svc.tasks_to_review(self.db, meeting_id),
                    svc.ordering_on_wall(self.db, view.project_id) if with_ordering else None)

        self._load.run(work)

    def _show(self, result) -> None:
        view, attendees, attendance, items, motions, resolutions, task_rows, review, self.wall_ordering_data = result
        self.meeting = view
        self.state.setText(f"{enum_label(MEETING_KIND_LABELS, view.kind)} · "
                           f"{enum_label(MEETING_STATUS_LABELS, view.status)}")
        self.attendance = attendance
        self._read_only(view)
        self.sign_in_tab.show_rows(attendees, attendance)
        self.agenda_tab.show_items(items)
        self.votes_tab.show_rows(motions)
        self.sign_in_tab.show_gauge(motions, view.current_motion_id)
        self.tasks_tab.show_rows(resolutions, task_rows, review)
        self.update_projector()
        self.loaded.emit()

    def _read_only(self, view: svc.MeetingView) -> None:
        """An ended meeting: every editing control greyed, saying why; reopening is for administrators."""
        ended = view.status == svc.MeetingStatus.ENDED
        why = self.tr("The meeting has ended: it is a record and can no longer be changed (an administrator may "
                      "reopen it, giving a reason).") if ended else ""
        for tab in (self.sign_in_tab, self.agenda_tab, self.votes_tab, self.tasks_tab):
            tab.set_read_only(why)
        for name in ("edit_meeting", "start", "end"):
            self.toolbar_buttons[name].setEnabled(not ended)
            self.toolbar_buttons[name].setToolTip(why)
        if not ended:  # 筹备中 → 进行中 → 已结束: each button only where its step is next
            running = view.status == svc.MeetingStatus.RUNNING
            self.toolbar_buttons["start"].setEnabled(not running)
            self.toolbar_buttons["start"].setToolTip(self.tr("The meeting is under way") if running else "")
            self.toolbar_buttons["end"].setEnabled(running)
            self.toolbar_buttons["end"].setToolTip("" if running else self.tr("Start the meeting first"))
        self.reopen_button.setEnabled(ended and self.db.allows("reopen"))
        planned = view.status == svc.MeetingStatus.PLANNED  # a meeting that was held is a record: never deleted
        self.toolbar_buttons["delete_meeting"].setEnabled(planned)
        self.toolbar_buttons["delete_meeting"].setToolTip(
            "" if planned else self.tr("Only a meeting still being prepared can be deleted"))
        self.read_only_banner.setText(why)
        self.read_only_banner.setVisible(ended)

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
        self.agenda_tab.save_minutes()
        question = fmt(self.tr("End “%1”? Afterwards it is a record: sign-ins, agenda, minutes, votes and tasks can no "
                               "longer be changed (an administrator may reopen it with a reason)."),
                       self.meeting.title)
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

    def delete_meeting(self) -> None:
        """A meeting still being prepared (made by mistake, or called off) goes, with its list and agenda."""
        if not self.meeting:
            return
        question = fmt(self.tr("Delete “%1” with its list of invitees, agenda, motions and tasks? The deletion is kept "
                               "in the audit log."), self.meeting.title)
        if QMessageBox.question(self, self.tr("Delete the meeting"), question) != QMessageBox.StandardButton.Yes:
            return
        try:
            svc.delete_meeting(self.db, self.meeting.id)
        except InputError as exc:
            _warn(self, self.tr("Delete the meeting"), exc)
            return
        self.status_message.emit(fmt(self.tr("Deleted: %1"), self.meeting.title))
        self.meeting = None
        self.reload_meetings()

    def print_doc(self, doc: str) -> None:
        if not self.meeting:
            return
        self.agenda_tab.save_minutes()
        if doc == "resolution-notice":  # say first what the notice will list in place of what was not typed
            warnings = svc.notice_warnings(self.db, self.meeting.id, core_lang())
            if warnings and QMessageBox.question(
                    self, self.tr("Resolution notice (public)"),
                    self.tr("Before printing the resolution notice:") + "\n" + "\n".join(f"· {w}" for w in warnings)
                    + "\n\n" + self.tr("Print it anyway?")) != QMessageBox.StandardButton.Yes:
                return
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
        current = next((m for m in self.votes_tab.motion_rows if m.motion.id == self.meeting.current_motion_id), None)
        self.projector.show_wall(svc.WallView(self.meeting, self.agenda_tab.item_rows, self.attendance, current,
                                              self.wall_ordering_data, tuple(self.votes_tab.motion_rows)))

    def closeEvent(self, event) -> None:
        self.agenda_tab.save_minutes()
        super().closeEvent(event)
