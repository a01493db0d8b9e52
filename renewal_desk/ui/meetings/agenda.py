"""The 议程与记录 tab: the agenda (add, edit, reorder, the item under discussion, PgUp/PgDn) and the minutes of
the item the heading names — its summary and speeches, saved as you type; Ctrl+Enter starts the next speaker."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPlainTextEdit, QSplitter, QVBoxLayout,
                               QWidget)

from renewal_desk.core.problems import InputError
from renewal_desk.core.services import meetings as svc

from ..i18n import core_lang, fmt
from .common import AUTOSAVE_MS, MeetingTab, _hm, _warn
from .dialogs import ItemDialog


class AgendaTab(MeetingTab):
    def __init__(self, page):
        super().__init__(page)
        self.item_rows: list[svc.ItemRow] = []
        self.speeches: list[svc.SpeechRow] = []
        self.speech_id: int | None = None
        self.summary_item: int | None = None  # the item whose minutes the editor holds (the heading names it)
        self._loading = False
        self._dirty = False  # typed since the last save (nothing typed: nothing written, no "saved" shown)
        self.agenda = QListWidget()
        self.agenda.setObjectName("agendaList")
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda.model().rowsMoved.connect(lambda *_a: self._agenda_dropped())
        self.agenda.currentRowChanged.connect(lambda _r: self._selection_moved())
        QShortcut(QKeySequence("Alt+Up"), self.agenda, lambda: self.move_item(-1))
        QShortcut(QKeySequence("Alt+Down"), self.agenda, lambda: self.move_item(1))
        agenda_buttons = QGridLayout()
        for n, button in enumerate(self.buttons(None, (
                (self.tr("Add…"), self.add_item), (self.tr("Edit…"), self.edit_item), (self.tr("Delete"), self.delete_item),
                (self.tr("Discuss now"), self.make_current), (self.tr("◀ Previous (PgUp)"), lambda: self.step(-1)),
                (self.tr("Next (PgDn) ▶"), lambda: self.step(1))))):
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
        self.buttons(speech_buttons, ((self.tr("New speaker (Ctrl+Enter)"), self.new_speech),
                                      (self.tr("Delete speech"), self.delete_speech)))
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
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_minutes)

    def set_read_only(self, why: str) -> None:
        super().set_read_only(why)
        for field in (self.summary, self.speaker, self.speech):  # the minutes stay readable, not editable
            field.setReadOnly(bool(why))
            field.setToolTip(why)
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop if why
                                    else QAbstractItemView.DragDropMode.InternalMove)

    def show_items(self, items: list[svc.ItemRow]) -> None:
        self.item_rows = items
        keep = self.agenda.currentRow()
        self._loading = True
        self.agenda.clear()
        for row in items:
            minutes = fmt(self.tr(" (%1 min)"), str(row.planned_minutes)) if row.planned_minutes else ""
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
        if self._minutes_item_id() != self.summary_item:
            self.show_minutes()  # another item: load its minutes; the same item: leave the typist alone
        else:
            self.item_heading.setText(self._heading(next((r for r in items if r.id == self.summary_item), None)))

    def _heading(self, row: svc.ItemRow | None) -> str:
        if row is None:
            return ""
        return (self.tr("Under discussion: ") if row.current else "") + f"{row.position}. {row.title}"

    def _item_id(self) -> int | None:
        """The item selected in the list (what 编辑/删除/移动 act on)."""
        item = self.agenda.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _minutes_item_id(self) -> int | None:
        """The item whose minutes the editor holds: the item under discussion (▶), so choosing another row to
        edit or move it never sends the typing there; the selected row only when none is under discussion, or
        when the meeting has ended (its minutes are read, not typed)."""
        ended = self.meeting is not None and self.meeting.status == svc.MeetingStatus.ENDED
        current = next((r.id for r in self.item_rows if r.current), None)
        return self._item_id() if current is None or ended else current

    def _selection_moved(self) -> None:
        if not self._loading and self._minutes_item_id() != self.summary_item:
            self.show_minutes()

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
        minutes_of = self._minutes_item_id()
        row = next((r for r in self.item_rows if r.id == minutes_of), None)
        self._loading = True
        self.item_heading.setText(self._heading(row))
        self.summary.setPlainText(row.summary if row else "")
        self.speech_list.clear()
        self.speeches = svc.speeches(self.db, row.id) if row else []
        for sp in self.speeches:
            self.speech_list.addItem(f"{_hm(sp.spoken_at)} {sp.speaker}：{sp.content[:60]}")
        self.speech_id = None
        self.speaker.clear()
        self.speech.clear()
        self.summary_item = row.id if row else None
        self.saved_label.clear()  # what was saved belonged to the item (or meeting) shown before
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
            self._dirty = True
            self.saved_label.setText(self.tr("Typing…"))
            if not self.autosave.isActive():  # not restarted per keystroke: saves every AUTOSAVE_MS while typing
                self.autosave.start()

    def save_minutes(self) -> None:
        """Write what was typed: the item's summary and the speech being written (short transactions)."""
        self.autosave.stop()
        if self._loading or not self.summary_item or not self._dirty:
            return
        self._dirty = False
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
            self._dirty = True  # not saved: kept for the next try
            self.saved_label.setText(exc.describe(core_lang()))
            return
        self.saved_label.setText(fmt(self.tr("Saved %1"), datetime.now().strftime("%H:%M:%S")))

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
