"""The meetings page's dialogs: meeting, agenda item, attendee, proxy, motion, task."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateTimeEdit, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QSpinBox)

from renewal_desk.core.db import Database
from renewal_desk.core.models import CATEGORY_LABELS, MEETING_KIND_LABELS, Category, MeetingKind, MotionScope
from renewal_desk.core.rules import votes
from renewal_desk.core.services import meetings as svc

from ..i18n import core_lang, enum_label
from ..widgets.forms import ErrorDialog, building_list, chosen_buildings, date_edit, project_combo
from .common import MATTERS, _py, _qdt


class MeetingDialog(ErrorDialog):
    def __init__(self, db: Database, view: svc.MeetingView | None = None, parent=None):
        super().__init__(self.tr("Edit the meeting") if view else self.tr("New meeting"), parent)
        self.db, self.view = db, view
        data = view.as_input() if view else svc.MeetingInput(
            "", datetime.combine(date.today() + timedelta(days=7), datetime.min.time()).replace(hour=14, minute=30))
        self.title = QLineEdit(data.title)
        self.kind = QComboBox()
        for k in MeetingKind:
            self.kind.addItem(enum_label(MEETING_KIND_LABELS, k), k.value)
        self.kind.setCurrentIndex(max(0, self.kind.findData(data.kind)))
        self.projects = svc.project_choices(db)
        self.project = project_combo(self.projects, data.project_id, self.tr("(no project)"))
        self.buildings = building_list(None, (), max_height=90)
        self.project.currentIndexChanged.connect(lambda _i: self._fill_buildings(()))
        self._fill_buildings(data.building_ids)
        self.starts = QDateTimeEdit(_qdt(data.starts_at))
        self.starts.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.starts.setCalendarPopup(True)
        self.ends = QDateTimeEdit(_qdt(data.ends_at or data.starts_at + timedelta(hours=2)))
        self.ends.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.ends.setCalendarPopup(True)
        self.place = QLineEdit(data.place)
        self.chair = QLineEdit(data.chair)
        self.recorder = QLineEdit(data.recorder)
        self.scrutineers = QLineEdit("、".join(data.scrutineers))
        self.scrutineers.setPlaceholderText(self.tr("Names separated by 、"))
        self.purpose = QPlainTextEdit(data.purpose)
        self.purpose.setMaximumHeight(80)
        for label, widget in ((self.tr("Title"), self.title), (self.tr("Kind"), self.kind),
                              (self.tr("Project"), self.project),
                              (self.tr("Owners' scope (buildings; none = whole project)"), self.buildings),
                              (self.tr("Starts"), self.starts), (self.tr("Ends"), self.ends),
                              (self.tr("Place"), self.place), (self.tr("Chair"), self.chair),
                              (self.tr("Recorder"), self.recorder), (self.tr("Scrutineers"), self.scrutineers),
                              (self.tr("Purpose (on the notice)"), self.purpose)):
            self.form.addRow(label, widget)
        self.resize(560, 560)

    def _fill_buildings(self, chosen) -> None:
        project = next((p for p in self.projects if p.id == self.project.currentData()), None)
        building_list(self.buildings, project.buildings if project else (), chosen)

    def apply(self):
        data = svc.MeetingInput(
            self.title.text(), _py(self.starts), self.kind.currentData(), self.project.currentData(), _py(self.ends),
            self.place.text(), self.chair.text(), self.recorder.text(),
            [n for n in self.scrutineers.text().replace("，", "、").split("、")], self.purpose.toPlainText(),
            chosen_buildings(self.buildings))
        if self.view:
            svc.update_meeting(self.db, self.view.id, data)
            return self.view.id
        return svc.create_meeting(self.db, data)


class ItemDialog(ErrorDialog):
    def __init__(self, db: Database, meeting_id: int, row: svc.ItemRow | None = None, parent=None):
        super().__init__(self.tr("Agenda item"), parent)
        self.db, self.meeting_id, self.row = db, meeting_id, row
        self.title = QLineEdit(row.title if row else "")
        self.presenter = QLineEdit(row.presenter if row else "")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setValue(row.planned_minutes or 0 if row else 15)
        self.form.addRow(self.tr("Item"), self.title)
        self.form.addRow(self.tr("Presenter"), self.presenter)
        self.form.addRow(self.tr("Planned time"), self.minutes)

    def apply(self):
        minutes = self.minutes.value() or None
        if self.row:
            svc.update_item(self.db, self.row.id, self.title.text(), self.presenter.text(), minutes)
            return self.row.id
        return svc.add_item(self.db, self.meeting_id, self.title.text(), self.presenter.text(), minutes)


class AttendeeDialog(ErrorDialog):
    def __init__(self, db: Database, meeting_id: int, walk_in: bool, parent=None):
        super().__init__(self.tr("Walk-in") if walk_in else self.tr("Invite"), parent)
        self.db, self.meeting_id, self.walk_in = db, meeting_id, walk_in
        self.name = QLineEdit()
        self.category = QComboBox()
        for c in Category:
            self.category.addItem(enum_label(CATEGORY_LABELS, c), c.value)
        self.organisation = QLineEdit()
        self.phone = QLineEdit()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Role / organisation"), self.organisation)
        self.form.addRow(self.tr("Phone"), self.phone)

    def apply(self):
        new_id = svc.add_attendee(self.db, self.meeting_id, svc.AttendeeInput(
            self.name.text(), self.category.currentData(), self.organisation.text(), self.phone.text() or None,
            expected=not self.walk_in))
        if self.walk_in:
            svc.sign_in(self.db, new_id)
        return new_id


class ProxyDialog(ErrorDialog):
    def __init__(self, db: Database, attendee: svc.AttendeeRow, parent=None):
        super().__init__(self.tr("Sign in by proxy"), parent)
        self.db, self.attendee = db, attendee
        self.proxy = QLineEdit()
        self.authority = QLineEdit(self.tr("Written authority (checked)"))
        self.form.addRow(self.tr("For"), QLabel(f"{attendee.name}　{attendee.address}"))
        self.form.addRow(self.tr("Proxy's name"), self.proxy)
        self.form.addRow(self.tr("Authority"), self.authority)

    def apply(self):
        svc.sign_in(self.db, self.attendee.id, proxy=True, proxy_name=self.proxy.text(),
                    proxy_authority=self.authority.text())
        return self.attendee.id


class MotionDialog(ErrorDialog):
    def __init__(self, db: Database, meeting_id: int, items: list[svc.ItemRow], motion: svc.MotionView | None = None,
                 parent=None):
        super().__init__(self.tr("Motion"), parent)
        self.db, self.meeting_id, self.motion = db, meeting_id, motion
        self.title = QLineEdit(motion.title if motion else "")
        self.text = QPlainTextEdit(motion.text if motion else "")
        self.text.setMaximumHeight(80)
        self.matter = QComboBox()
        for key, label in ((MATTERS[0], self.tr("Consultative vote: simple majority of those voting")),
                           (MATTERS[1], self.tr("Owners, ordinary matter (Art. 278): double 2/3 take part, double majority")),
                           (MATTERS[2], self.tr("Owners, major matter (Art. 278): double 2/3 take part, double 3/4"))):
            self.matter.addItem(label, key)
        self.method = QComboBox()
        for method in votes.Method:
            self.method.addItem(votes.METHOD_LABELS[method][0 if core_lang() == "zh" else 1], method.value)
        self.item = QComboBox()
        self.item.addItem(self.tr("(no agenda item)"), None)
        for row in items:
            self.item.addItem(f"{row.position}. {row.title}", row.id)
        if motion:
            self.matter.setCurrentIndex(self.matter.findData(motion.matter))
            self.method.setCurrentIndex(self.method.findData(motion.method))
            self.item.setCurrentIndex(max(0, self.item.findData(motion.item_id)))
        else:
            current = next((r.id for r in items if r.current), None)
            self.item.setCurrentIndex(max(0, self.item.findData(current)))
        # who votes: the meeting's owners, or those of chosen buildings or units (an Art. 278 matter of a
        # building, such as its elevator, is decided by that building's owners)
        self.choices = svc.scope_choices(db, meeting_id)
        self.scope = QComboBox()
        self.scope.setObjectName("motionScope")
        for key, label in ((MotionScope.PROJECT.value, self.tr("The meeting's whole scope")),
                           (MotionScope.BUILDINGS.value, self.tr("Chosen buildings")),
                           (MotionScope.UNITS.value, self.tr("Chosen units"))):
            self.scope.addItem(label, key)
        self.scope_list = QListWidget()
        self.scope_list.setObjectName("motionScopeList")
        self.scope_list.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.scope_list.setMaximumHeight(110)
        chosen = set(motion.scope_ids) if motion else set()
        self.scope.setCurrentIndex(max(0, self.scope.findData(motion.scope if motion else MotionScope.PROJECT.value)))
        self.scope.currentIndexChanged.connect(lambda _i: self._fill_scope(set()))
        self._fill_scope(chosen)
        self.form.addRow(self.tr("Motion"), self.title)
        self.form.addRow(self.tr("Text"), self.text)
        self.form.addRow(self.tr("Rule"), self.matter)
        self.form.addRow(self.tr("Method"), self.method)
        self.form.addRow(self.tr("Agenda item"), self.item)
        self.form.addRow(self.tr("Who votes"), self.scope)
        self.form.addRow("", self.scope_list)
        self.resize(560, 420)

    def _fill_scope(self, chosen: set[int]) -> None:
        self.scope_list.clear()
        scope = self.scope.currentData()
        rows = self.choices.buildings if scope == MotionScope.BUILDINGS.value else \
            self.choices.units if scope == MotionScope.UNITS.value else ()
        for rid, name in rows:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.scope_list.addItem(item)
            item.setSelected(rid in chosen)
        self.scope_list.setVisible(bool(rows))

    def apply(self):
        data = svc.MotionInput(self.title.text(), self.text.toPlainText(), self.matter.currentData(),
                               self.method.currentData(), self.item.currentData(), self.scope.currentData(),
                               [i.data(Qt.ItemDataRole.UserRole) for i in self.scope_list.selectedItems()])
        if self.motion:
            svc.update_motion(self.db, self.motion.id, data)
            return self.motion.id
        return svc.add_motion(self.db, self.meeting_id, data)


class TaskDialog(ErrorDialog):
    def __init__(self, db: Database, meeting_id: int, resolutions: list[svc.ResolutionRow], parent=None,
                 task: svc.TaskRow | None = None):
        super().__init__(self.tr("Follow-up task"), parent)
        self.db, self.meeting_id, self.task = db, meeting_id, task
        self.title = QLineEdit(task.title if task else "")
        self.owner = QLineEdit(task.owner if task else "")
        self.deadline = date_edit(task.deadline if task and task.deadline else date.today() + timedelta(days=14))
        self.resolution = QComboBox()
        self.resolution.addItem(self.tr("(no resolution)"), None)
        for r in resolutions:
            self.resolution.addItem(r.text[:40], r.id)
        self.form.addRow(self.tr("Task"), self.title)
        self.form.addRow(self.tr("Owner"), self.owner)
        self.form.addRow(self.tr("Deadline"), self.deadline)
        if task is None:  # the resolution a task follows is chosen when it is added
            self.form.addRow(self.tr("Resolution"), self.resolution)

    def apply(self):
        if self.task:
            svc.update_task(self.db, self.task.id, title=self.title.text(), owner=self.owner.text(),
                            deadline=self.deadline.date().toPython())
            return self.task.id
        return svc.add_task(self.db, self.meeting_id, svc.TaskInput(
            self.title.text(), self.owner.text(), self.deadline.date().toPython(), self.resolution.currentData()))
