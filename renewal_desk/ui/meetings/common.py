"""Constants and small helpers shared by the meetings page, its dialogs and the wall."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QT_TRANSLATE_NOOP, Qt, QTime
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QMessageBox, QPushButton, QWidget

from renewal_desk.core.problems import InputError

from ..i18n import core_lang

AUTOSAVE_MS = 1200  # minutes typed are on disk at most this long after a keystroke, even while typing on
CHOICE_KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_1: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_2: "no",
               Qt.Key.Key_A: "abstain", Qt.Key.Key_3: "abstain", Qt.Key.Key_Delete: None, Qt.Key.Key_Backspace: None}
CHOICE_ZH = {"yes": "赞成", "no": "反对", "abstain": "弃权", None: ""}
MATTERS = ("consultative", "ordinary", "special")

ATTENDEE_HEADERS = (
    QT_TRANSLATE_NOOP("MeetingsPage", "No."), QT_TRANSLATE_NOOP("MeetingsPage", "Name"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Category"), QT_TRANSLATE_NOOP("MeetingsPage", "Role / organisation"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Address"), QT_TRANSLATE_NOOP("MeetingsPage", "Phone"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Signed in"), QT_TRANSLATE_NOOP("MeetingsPage", "Left"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Proxy"), QT_TRANSLATE_NOOP("MeetingsPage", "Matched by"),
)
MOTION_HEADERS = (
    QT_TRANSLATE_NOOP("MeetingsPage", "Motion"), QT_TRANSLATE_NOOP("MeetingsPage", "Rule"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Method"), QT_TRANSLATE_NOOP("MeetingsPage", "State"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Result"),
)
VOTER_HEADERS = (
    QT_TRANSLATE_NOOP("MeetingsPage", "Name"), QT_TRANSLATE_NOOP("MeetingsPage", "Address"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Area (m²)"), QT_TRANSLATE_NOOP("MeetingsPage", "Proxy"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Present at the vote"), QT_TRANSLATE_NOOP("MeetingsPage", "Choice"),
)
FIGURE_HEADERS = (QT_TRANSLATE_NOOP("MeetingsPage", "Figure"), QT_TRANSLATE_NOOP("MeetingsPage", "Value"))
TASK_HEADERS = (
    QT_TRANSLATE_NOOP("MeetingsPage", "Task"), QT_TRANSLATE_NOOP("MeetingsPage", "Owner"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Deadline"), QT_TRANSLATE_NOOP("MeetingsPage", "Status"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Note"),
)
REVIEW_HEADERS = (
    QT_TRANSLATE_NOOP("MeetingsPage", "Meeting"), QT_TRANSLATE_NOOP("MeetingsPage", "Task"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Owner"), QT_TRANSLATE_NOOP("MeetingsPage", "Deadline"),
    QT_TRANSLATE_NOOP("MeetingsPage", "Status"), QT_TRANSLATE_NOOP("MeetingsPage", "Reviewed here"),
)



def gauge_label() -> QLabel:
    """The "still needed" line of a vote (issue 20), on the sign-in and 表决 tabs: core's gauge text."""
    label = QLabel()
    label.setObjectName("voteGauge")
    label.setWordWrap(True)
    label.setStyleSheet("background: #fff4d6; color: #6b4e00; font-size: 13pt; font-weight: bold; padding: 4px 10px;")
    label.hide()
    return label


def _hm(when: datetime | None) -> str:
    return f"{when:%H:%M}" if when else ""


def _qdt(when: datetime) -> QDateTime:
    # QDateTime has no (year, month, day, hour, minute) constructor: build it from a QDate and a QTime
    return QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))


def _py(edit: QDateTimeEdit) -> datetime:
    return edit.dateTime().toPython().replace(second=0, microsecond=0)


def _warn(parent: QWidget, title: str, exc: InputError) -> None:
    QMessageBox.warning(parent, title, exc.describe(core_lang()))



class MeetingTab(QWidget):
    """One tab of the meetings page: reads the page's database and meeting, asks the page to reload."""

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.editing: list[QWidget] = []  # what changes the meeting: greyed once it has ended

    def buttons(self, layout, pairs, editing: bool = True) -> list[QPushButton]:
        """Push buttons (text, slot), added to `layout` unless it is None; editing ones are greyed while the
        meeting is read-only."""
        made = []
        for text, slot in pairs:
            button = QPushButton(text)
            button.clicked.connect(slot)
            if layout is not None:
                layout.addWidget(button)
            made.append(button)
        if editing:
            self.editing.extend(made)
        return made

    def set_read_only(self, why: str) -> None:
        """An ended meeting is a record: its editing controls are greyed and say why ("" enables them)."""
        for widget in self.editing:
            widget.setEnabled(not why)
            widget.setToolTip(why)

    @property
    def db(self):
        return self.page.db

    @property
    def meeting(self):
        return self.page.meeting

    def refresh(self) -> None:
        self.page.refresh()
