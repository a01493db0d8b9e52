"""The 决议与任务 tab: the meeting's resolutions (and the chief designer's opinions citing them), its follow-up
tasks (add, edit, delete, status) and the tasks of earlier meetings of the project to review."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QMessageBox, QVBoxLayout

from renewal_desk.core.models import TASK_STATUS_LABELS, TaskStatus
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.designer import OPINION_STATUS_LABELS
from renewal_desk.core.services import meetings as svc

from ..i18n import enum_label, fmt
from ..rows_model import RowsModel
from ..widgets.style import RED
from ..widgets.tables import fit_columns, table_view
from .common import REVIEW_HEADERS, TASK_HEADERS, MeetingTab, _warn
from .dialogs import TaskDialog


class TasksTab(MeetingTab):
    def __init__(self, page):
        super().__init__(page)
        self.resolution_rows: list[svc.ResolutionRow] = []
        self.resolution_list = QListWidget()
        self.resolution_list.setWordWrap(True)
        self.resolution_list.currentRowChanged.connect(lambda _r: self.show_citing())
        self.citing = QLabel()
        self.citing.setObjectName("citingOpinions")
        self.citing.setWordWrap(True)
        self.citing.setStyleSheet("color: #444;")
        res_buttons = QHBoxLayout()
        self.buttons(res_buttons, ((self.tr("Add a resolution…"), lambda: self.add_resolution()),
                                   (self.tr("Edit…"), self.edit_resolution), (self.tr("Delete"), self.delete_resolution)))
        res_buttons.addStretch(1)
        self.task_model = RowsModel("MeetingsPage", TASK_HEADERS)
        self.task_model.highlight = lambda row: RED if self.task_rows and self.task_rows[row].overdue else None
        self.task_view = table_view(self.task_model)
        fit_columns(self.task_view, stretch=4)  # the task, owner, deadline and status whole; the note takes the rest
        self.task_rows: list[svc.TaskRow] = []
        task_buttons = QHBoxLayout()
        self.buttons(task_buttons, ((self.tr("Add a task…"), self.add_task), (self.tr("Edit the task…"), self.edit_task),
                                    (self.tr("Delete the task"), self.delete_task)))
        # progress is reported after the meeting too: the status buttons stay usable once it has ended
        self.buttons(task_buttons, [(fmt(self.tr("Mark: %1"), enum_label(TASK_STATUS_LABELS, status)),
                                     lambda _c=False, s=status.value: self.set_task_status(s)) for status in TaskStatus],
                     editing=False)
        task_buttons.addStretch(1)
        self.review_model = RowsModel("MeetingsPage", REVIEW_HEADERS)
        self.review_model.highlight = lambda row: RED if self.review_rows and self.review_rows[row].overdue else None
        self.review_view = table_view(self.review_model)
        fit_columns(self.review_view, stretch=5)
        self.review_rows: list[svc.TaskRow] = []
        review_button, = self.buttons(None, ((self.tr("Reviewed at this meeting…"), self.review_task),))
        layout = QVBoxLayout(self)
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

    def show_rows(self, resolutions: list[svc.ResolutionRow], task_rows: list[svc.TaskRow],
                  review: list[svc.TaskRow]) -> None:
        self.resolution_rows = resolutions
        self.resolution_list.clear()
        for n, r in enumerate(resolutions, start=1):
            item = QListWidgetItem(f"{n}. {r.text}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.resolution_list.addItem(item)
        self.task_rows = task_rows
        self.task_model.set_rows([(t.title, t.owner, str(t.deadline or ""),
                                   enum_label(TASK_STATUS_LABELS, t.status) + ("（逾期）" if t.overdue else ""), t.note) for t in task_rows], [t.id for t in task_rows])
        self.review_rows = review
        self.review_model.set_rows([(f"{t.meeting_date} {t.meeting_title}", t.title, t.owner, str(t.deadline or ""),
                                     enum_label(TASK_STATUS_LABELS, t.status) + ("（逾期）" if t.overdue else ""),
                                     t.review_note if t.reviewed_meeting_id == self.meeting.id else "")
                                    for t in review], [t.id for t in review])

    def add_resolution(self, motion_id: int | None = None) -> None:
        """A resolution, proposed from a passed motion that has none yet (the one chosen in 表决 first): its text
        is the motion's proposed resolution, which the worker may edit; a failed motion proposes nothing."""
        if not self.meeting:
            return
        if motion_id is None:
            linked = {r.motion_id for r in self.resolution_rows}
            passed = [m.motion.id for m in self.page.votes_tab.motion_rows if m.motion.id not in linked
                      and m.motion.state == svc.MotionState.DECIDED and m.result is not None and m.result.passed]
            chosen = self.page.votes_tab.current_motion()
            motion_id = chosen.motion.id if chosen and chosen.motion.id in passed else (passed[0] if passed else None)
        default = svc.proposed_resolution(self.db, motion_id) if motion_id is not None else ""
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Resolution"), self.tr("Resolution text"), default)
        if ok:
            try:
                svc.add_resolution(self.db, self.meeting.id, text, motion_id if default else None)
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
        cited = "；".join(f"{o.opinion_no} {enum_label(OPINION_STATUS_LABELS, o.status)}：{o.opinion[:40]}" for o in opinions)
        self.citing.setText(fmt(self.tr("Chief street designer's opinions on this resolution: %1"), cited) if opinions else "")
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
        if not task or QMessageBox.question(self, self.tr("Delete the task"), fmt(self.tr("Delete the task “%1”?"), task.title)
                                            ) != QMessageBox.StandardButton.Yes:
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
