"""The 签到 tab: sign people in at the door by keyboard (typed search, ↑/↓, Enter) or by scanner (the sign-in code
of a meeting notice typed into the same search, then Enter), by proxy, walk-ins and invitations; the attendance
figures and a banner saying what the last Enter did."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout

from renewal_desk.core.models import CATEGORY_LABELS
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.phone import mask_phone
from renewal_desk.core.services import meetings as svc

from ..i18n import core_lang, enum_label, fmt
from ..rows_model import RowsModel
from ..widgets.tables import table_view
from .common import ATTENDEE_HEADERS, MeetingTab, _hm, _warn, gauge_label
from .dialogs import AttendeeDialog, ProxyDialog


class SignInTab(MeetingTab):
    def __init__(self, page):
        super().__init__(page)
        self.attendee_rows: list[svc.AttendeeRow] = []
        self.shown_attendees: list[svc.AttendeeRow] = []
        self.search = QLineEdit()
        self.search.setObjectName("signInSearch")
        self.search.setPlaceholderText(self.tr("Name, pinyin initials, room or phone tail; ↑/↓ choose, Enter signs in "
                                               "the highlighted person; or scan the code on the meeting notice"))
        self.search.textChanged.connect(lambda _t: self.show_attendees())
        self.search.returnPressed.connect(self.sign_in_first)
        self.search.installEventFilter(self)
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
        self.buttons(buttons, ((self.tr("Sign in"), self.sign_in_selected), (self.tr("By proxy…"), self.sign_in_proxy),
                               (self.tr("Left"), self.sign_out_selected), (self.tr("Undo sign-in"), self.undo_selected),
                               (self.tr("Walk-in…"), lambda: self.add_attendee(True)),
                               (self.tr("Invite…"), lambda: self.add_attendee(False)),
                               (self.tr("Remove…"), self.remove_selected),
                               (self.tr("Invite the project's households"), self.invite_households),
                               (self.tr("Invite representatives and party members"), self.invite_roles)))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        notices = QPushButton(self.tr("Print personal notices…"))  # one per invitee, with their sign-in code
        notices.setObjectName("printPersonalNotices")
        notices.setToolTip(self.tr("One notice per invitee with the code the door scanner reads"))
        notices.clicked.connect(lambda: self.page.print_doc("personal-notice"))
        row.addWidget(notices)
        layout.addLayout(row)
        figures = QHBoxLayout()
        figures.addWidget(self.counts)
        figures.addWidget(self.door_banner, 1)
        layout.addLayout(figures)
        self.gauge_label = gauge_label()  # the motion about to be (or being) voted on: what is still needed
        layout.addWidget(self.gauge_label)
        layout.addWidget(self.attendee_view, 1)
        layout.addLayout(buttons)

    def show_rows(self, attendees: list[svc.AttendeeRow], attendance: svc.Attendance) -> None:
        self.attendee_rows = attendees
        self.counts.setText(fmt(self.tr("Expected %1 · present %2 · walk-ins %3 · late %4 · left %5 · proxies %6 — %7"),
                                str(attendance.expected), str(attendance.present), str(attendance.walk_ins),
                                str(attendance.late), str(attendance.left_early), str(attendance.proxies),
                                attendance.text(core_lang())))
        self.show_attendees()

    def show_gauge(self, motions: list[svc.MotionResult], current_id: int | None) -> None:
        """The gauge of the motion under vote, else of the next one not yet voted on; hidden when none."""
        m = next((x for x in motions if x.motion.id == current_id and x.gauge), None) or \
            next((x for x in motions if x.gauge), None)
        text = m.gauge_text(core_lang()) if m else ""
        self.gauge_label.setText(fmt(self.tr("%1: %2"), m.motion.title, text) if m else "")
        self.gauge_label.setVisible(bool(text))

    def show_attendees(self) -> None:
        query = self.search.text().strip()
        if query != self._choosing:
            self._choosing = ""
        if svc.scanned_code(query) is not None:
            query = ""  # a scanner typing a code: nothing to search for while it types
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
            [(n, a.name, enum_label(CATEGORY_LABELS, a.category), a.organisation, a.address, mask_phone(a.phone or ""), _hm(a.signed_in_at),
              _hm(a.left_at), a.proxy_name, why) for n, (a, why) in enumerate(zip(rows, reasons), start=1)],
            [a.id for a in rows])
        if rows:
            self.attendee_view.selectRow(0)

    def _attendee_color(self, row: int) -> str | None:
        if row >= len(self.shown_attendees):
            return None
        a = self.shown_attendees[row]
        if a.left_at:
            return "#999999"
        return "#1d6b2f" if a.signed_in_at else None

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.search and event.type() == event.Type.KeyPress
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.attendee_model.rowCount()):
            row = self.attendee_view.currentIndex().row() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.attendee_view.selectRow(max(0, min(self.attendee_model.rowCount() - 1, row)))
            return True  # the arrows choose among the matches while typing goes on in the search
        return super().eventFilter(watched, event)

    def _selected_attendee(self) -> svc.AttendeeRow | None:
        index = self.attendee_view.currentIndex()
        rows = self.shown_attendees
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def _banner(self, text: str, kind: str) -> None:
        colors = {"ok": ("#e6f4ea", "#1d6b2f"), "warn": ("#fdecea", "#a61b1b"), "info": ("#fff4d6", "#6b4e00")}
        back, fore = colors[kind]
        self.door_banner.setStyleSheet(f"background: {back}; color: {fore}; font-size: 13pt; padding: 4px 10px;")
        self.door_banner.setText(text)

    def _after_sign_in(self, text: str) -> None:
        self.page.status_message.emit(text)
        self._banner(text, "ok")
        self.search.clear()
        self.search.setFocus()
        self.refresh()

    def sign_in_first(self) -> None:
        """Enter in the search: one match signs in; several show the choice first, then the highlighted row."""
        text = self.search.text().strip()
        if not text or not self.meeting:
            return
        code = svc.scanned_code(text)
        if code is not None:
            self._scan(code)
            return
        rows = self.shown_attendees
        if not rows:
            self._banner(fmt(self.tr("No one matches “%1”"), text), "warn")
            return
        one = len(rows) == 1 or (self.exact_matches == 1 and self.attendee_view.currentIndex().row() == 0)
        if not one and self._choosing != text:  # a name or room typed in full and unique counts as one
            self._choosing = text
            self._banner(fmt(self.tr("%1 people match “%2”: choose with ↑/↓, Enter signs in the highlighted row"),
                             str(len(rows)), text), "info")
            return
        a = self._selected_attendee() or rows[0]
        self._sign_in(a)

    def _scan(self, code: str) -> None:
        """A notice's sign-in code from the scanner: signs its person in, or says why not (the field is
        cleared either way, ready for the next scan)."""
        try:
            done = svc.scan_sign_in(self.db, self.meeting.id, code)
        except InputError as exc:
            self.search.clear()
            self._banner(exc.describe(core_lang()), "warn")
            return
        self._after_sign_in(fmt(self.tr("Signed in (scanned): %1"), done.name))

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
        self._after_sign_in(fmt(self.tr("Signed in: %1"), a.name))

    def sign_in_proxy(self) -> None:
        a = self._selected_attendee()
        if a and ProxyDialog(self.db, a, self).exec():
            self._after_sign_in(fmt(self.tr("Signed in by proxy: %1"), a.name))

    def sign_out_selected(self) -> None:
        a = self._selected_attendee()
        if a:
            try:
                svc.sign_out(self.db, a.id)
            except InputError as exc:
                _warn(self, self.tr("Left"), exc)
                return
            self._after_sign_in(fmt(self.tr("Left: %1"), a.name))

    def undo_selected(self) -> None:
        a = self._selected_attendee()
        if a and a.signed_in_at:
            svc.undo_sign_in(self.db, a.id)
            self._after_sign_in(fmt(self.tr("Sign-in taken back: %1"), a.name))

    def remove_selected(self) -> None:
        """Take someone invited by mistake (or twice) off the list; the core keeps whoever signed in or voted."""
        a = self._selected_attendee()
        if not a:
            return
        if QMessageBox.question(self, self.tr("Remove from the list"),
                                fmt(self.tr("Take %1 off this meeting's list?"), a.name)) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            svc.remove_attendee(self.db, a.id)
        except InputError as exc:
            self._banner(exc.describe(core_lang()), "warn")
            return
        self._banner(fmt(self.tr("Removed from the list: %1"), a.name), "ok")
        self.refresh()

    def add_attendee(self, walk_in: bool) -> None:
        if self.meeting and AttendeeDialog(self.db, self.meeting.id, walk_in, self).exec():
            self.refresh()

    def invite_households(self) -> None:
        if self.meeting:
            added = svc.invite_households(self.db, self.meeting.id)
            self.page.status_message.emit(fmt(self.tr("Invited %1 households"), str(added)))
            self.refresh()

    def invite_roles(self) -> None:
        if self.meeting:
            added = svc.invite_role(self.db, self.meeting.id, "representative") + \
                svc.invite_role(self.db, self.meeting.id, "party_member")
            self.page.status_message.emit(fmt(self.tr("Invited %1 people"), str(added)))
            self.refresh()
