"""居民点单: rounds, keyboard-first entry of paper forms, tallies with a chart, consent, follow-up, projector."""

from __future__ import annotations

import heapq
import html
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QInputDialog,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSplitter,
                               QTableView, QTabWidget, QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.models import (CHANNEL_LABELS, FILLED_BY_LABELS, ROUND_STATE_LABELS, TIER_LABELS, Channel,
                                     FilledBy, RoundState, Tier)
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.consent import percent
from renewal_desk.core.rules.designer import OPINION_STATUS_LABELS
from renewal_desk.core.rules.masking import mask_name, mask_phone
from renewal_desk.core.services import ordering as svc
from renewal_desk.core.services import places
from renewal_desk.core.services.households import HouseholdFilter, household_ids, household_rows

from .operations import QueryOp
from .page import Page, Topic
from .i18n import core_lang, enum_label, fmt
from .widgets.forms import building_list, chosen_buildings
from .widgets.tables import fit_columns, table_view, use_rows_delegate
from .pdf import preview_and_print, print_in_background
from .rows_model import Column, RowsModel
from .widgets.style import RED

VOTES = {"yes": "同意", "no": "不同意", "abstain": "弃权"}
VOTE_KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "abstain"}
TALLY_HEADERS = (
    QT_TRANSLATE_NOOP("OrderingPage", "Tier"),
    QT_TRANSLATE_NOOP("OrderingPage", "Rank"),
    QT_TRANSLATE_NOOP("OrderingPage", "Item"),
    QT_TRANSLATE_NOOP("OrderingPage", "Households"),
    QT_TRANSLATE_NOOP("OrderingPage", "Of all"),
    QT_TRANSLATE_NOOP("OrderingPage", "Of answered"),
    QT_TRANSLATE_NOOP("OrderingPage", "By area"),
    QT_TRANSLATE_NOOP("OrderingPage", "Priority 1/2/3"),
)
CONSENT_HEADERS = (
    QT_TRANSLATE_NOOP("OrderingPage", "Scope"),
    QT_TRANSLATE_NOOP("OrderingPage", "Item"),
    QT_TRANSLATE_NOOP("OrderingPage", "Owners (took part / all)"),
    QT_TRANSLATE_NOOP("OrderingPage", "Participation (owners / area)"),
    QT_TRANSLATE_NOOP("OrderingPage", "Yes / no / abstain"),
    QT_TRANSLATE_NOOP("OrderingPage", "Approval (owners / area)"),
    QT_TRANSLATE_NOOP("OrderingPage", "Result"),
    QT_TRANSLATE_NOOP("OrderingPage", "Why"),
)
BREAKDOWN_HEADERS = (
    QT_TRANSLATE_NOOP("OrderingPage", "Building / unit"),
    QT_TRANSLATE_NOOP("OrderingPage", "Households"),
)
FOLLOWUP_HEADERS = (
    QT_TRANSLATE_NOOP("OrderingPage", "Building"),
    QT_TRANSLATE_NOOP("OrderingPage", "Unit"),
    QT_TRANSLATE_NOOP("OrderingPage", "Room"),
    QT_TRANSLATE_NOOP("OrderingPage", "Head of household"),
    QT_TRANSLATE_NOOP("OrderingPage", "Phone"),
)


ITEM_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("OrderingPage", "Tick"), check=True),
    Column(QT_TRANSLATE_NOOP("OrderingPage", "Item")),
    Column(QT_TRANSLATE_NOOP("OrderingPage", "Priority")),
    Column(QT_TRANSLATE_NOOP("OrderingPage", "Vote")),
)
TICK, PRIORITY, VOTE = 0, 2, 3


class ItemTable(QTableView):
    """The menu on the entry form, driven by the keyboard: ↑/↓ move, Space ticks, 1–3 set the
    priority, Y/N/A give the vote on consent items, Ctrl+Enter saves (handled by the page). Its rows are a
    RowsModel (the tick a tick box, the menu item's id behind each row); the vote's code is kept beside them."""

    save_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.menu_model = RowsModel.of("OrderingPage", ITEM_COLUMNS, self)
        self.setModel(self.menu_model)
        use_rows_delegate(self)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setStretchLastSection(True)
        self.items: list[svc.MenuItemView] = []
        self._votes: list[str | None] = []  # each row's vote code (consent items), None: no vote

    def set_menu(self, items: list[svc.MenuItemView]) -> None:
        self.items = items
        self._votes = [None] * len(items)
        rows = []
        for item in items:
            scope = f"（{svc.SCOPE_LABELS[item.consent_scope][0]}表决）" if item.consent_scope else ""
            rows.append((False, f"{enum_label(TIER_LABELS, item.tier)} · {item.name}{scope}", "", ""))
        self.menu_model.set_rows(rows, keys=[item.id for item in items])
        self.setColumnWidth(0, 40)
        self.setColumnWidth(1, 300)
        self.setColumnWidth(2, 60)

    def rows(self) -> int:
        return self.menu_model.rowCount()

    def clear_choices(self) -> None:
        for row in range(self.rows()):
            self.set_choice(row, None)

    def set_choice(self, row: int, choice: tuple[int, str] | None) -> None:
        """Show one answer. On a consent item only 同意 is ordering it (ticked, with a priority); 不同意 or
        弃权 is a vote recorded without a tick or priority — an opponent is not counted as ordering it."""
        consent_item = bool(self.items[row].consent_scope)
        ordered = bool(choice) and (not consent_item or choice[1] == "yes")
        model = self.menu_model
        model.set_value(row, TICK, ordered)
        model.set_value(row, PRIORITY, str(choice[0]) if ordered else "")
        self._votes[row] = choice[1] if choice and consent_item else None
        model.set_value(row, VOTE, VOTES[self._votes[row]] if self._votes[row] else "")

    def choice(self, row: int) -> tuple[int, str] | None:
        vote = self._votes[row] or "yes"
        if not self.menu_model.value(row, TICK):
            # a 不同意/弃权 vote on a consent item is kept (the service wants a priority; nothing counts it)
            return (2, vote) if self.items[row].consent_scope and vote != "yes" else None
        return int(self.menu_model.value(row, PRIORITY) or 2), vote

    def choices(self) -> dict[int, tuple[int, str]]:
        return {self.items[row].id: c for row in range(self.rows()) if (c := self.choice(row))}

    def keyPressEvent(self, event) -> None:
        row = self.currentIndex().row()
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.save_requested.emit()  # also a page shortcut; here when the key reaches the table itself
            return
        if row >= 0 and key == Qt.Key.Key_Space:
            self.set_choice(row, None if self.choice(row) else (2, "yes"))
            return
        if row >= 0 and key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
            current = self.choice(row)
            self.set_choice(row, (int(event.text()), current[1] if current else "yes"))
            return
        if row >= 0 and key in VOTE_KEYS and self.items[row].consent_scope:
            current = self.choice(row)
            self.set_choice(row, (current[0] if current else 2, VOTE_KEYS[key]))
            return
        super().keyPressEvent(event)


class MenuDialog(QDialog):
    """The project's menu: add items, retire or restore them, reorder within a tier."""

    def __init__(self, db: Database, project_id: int, parent=None):
        super().__init__(parent)
        self.db, self.project_id = db, project_id
        self.setWindowTitle(self.tr("Ordering menu"))
        self.resize(560, 600)
        self.list = QListWidget()
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("Add…"), self.add), (self.tr("Retire / restore"), self.toggle),
                           (self.tr("Up"), lambda: self.move(-1)), (self.tr("Down"), lambda: self.move(1))):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=slot: s())  # clicked(bool) is no argument of ours
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Done"))
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        self.list.clear()
        for item in svc.menu(self.db, self.project_id, include_retired=True):
            scope = f"（{svc.SCOPE_LABELS[item.consent_scope][0]}表决）" if item.consent_scope else ""
            text = f"{enum_label(TIER_LABELS, item.tier)} · {item.name}{scope}" + (self.tr(" (retired)") if item.retired else "")
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            if item.retired:
                entry.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(entry)
            if item.id == select:
                self.list.setCurrentItem(entry)

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add(self, name: str | None = None, tier: str | None = None) -> int | None:
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Add an item"), self.tr("Name"))
            if not ok:
                return None
            shown = [enum_label(TIER_LABELS, t) for t in Tier]
            label, ok = QInputDialog.getItem(self, self.tr("Add an item"), self.tr("Tier"), shown, 1, False)
            if not ok:
                return None
            tier = list(Tier)[shown.index(label)].value
        try:
            new_id = svc.add_menu_item(self.db, self.project_id, name, tier)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Add an item"), exc.describe(core_lang()))
            return None
        self.reload(new_id)
        return new_id

    def toggle(self) -> None:
        item_id = self.current_id()
        if item_id is None:
            return
        retired = next(m.retired for m in svc.menu(self.db, self.project_id, include_retired=True) if m.id == item_id)
        svc.retire_menu_item(self.db, item_id, not retired)
        self.reload(item_id)

    def move(self, delta: int) -> None:
        item_id = self.current_id()
        if item_id is not None:
            svc.move_menu_item(self.db, item_id, delta)
            self.reload(item_id)


PROJECTED_CONSENTS = 5  # consent results on the projector: where most owners voted


class ProjectorWindow(QWidget):
    """Results for the wall: large type, readable at 1024×768 from the back of a hall."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Ordering results"))
        self.setStyleSheet("background: #fffdf7; color: #1a1a1a;")
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel()
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel()
        self.body.setObjectName("projectorBody")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for label, size, bold in ((self.title, 30, True), (self.summary, 22, False), (self.body, 20, False)):
            font = QFont(self.font())
            font.setPointSize(size)
            font.setBold(bold)
            label.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, lambda: self.showNormal() if self.isFullScreen()
                  else self.showFullScreen())
        self.resize(1024, 768)

    def show_results(self, tally: svc.RoundTally, consents: list[svc.ConsentLine]) -> None:
        self.title.setText(tally.round.title)
        self.summary.setText(fmt(self.tr("Answered: %1 of %2 households (%3)"),
                                 str(tally.answered), str(tally.eligible), percent(tally.participation)))
        top = sorted((t for t in tally.items if not t.item.mandatory), key=lambda t: -t.households)[:8]
        unit = self.tr("households")
        lines = [f"{i}. {t.item.name}　{t.households} {unit}　{percent(t.share_answered)}"
                 for i, t in enumerate(top, start=1)]
        voted = sorted((c for c in consents if c.result and c.result.participating_owners),
                       key=lambda c: -c.result.participation_owner_share)[:PROJECTED_CONSENTS]
        for line in voted:  # where owners actually voted, most participation first
            r = line.result
            verdict = self.tr("passed") if r.passed else self.tr("not passed")
            lines.append(f"▶ {line.scope_label} {line.item.name}：{verdict}（{percent(r.approval_owner_share)} / "
                         f"{percent(r.approval_area_share)}）")
        self.body.setText("\n".join(lines))


def _load_results(db: Database, round_id: int) -> tuple:
    """What the tallies and follow-up tabs show, counted and formatted off the GUI thread (at 100,000
    households the follow-up list has ~30,000 rows: only their table rows and ids are kept)."""
    from renewal_desk.core.services import designer

    tally = svc.tallies(db, round_id)
    missing = svc.non_respondents(db, round_id)
    followup = [(m.building, m.unit, m.room, mask_name(m.head_name), mask_phone(m.phone or "")) for m in missing]
    return tally, [m.household_id for m in missing], designer.opinions_citing_round(db, round_id), followup


def _load_consents(db: Database, round_id: int) -> tuple[list, list]:
    """The consent table's rows (every scope of every consent item: ~11,000 at 100,000 households) and
    the few lines the projector shows, off the GUI thread; the evaluations themselves are not kept."""
    rows, projected = [], []
    for line in svc.iter_consent_results(db, round_id):
        res = line.result
        if res is None:
            rows.append((line.scope_label, line.item.name, "", "", "", "", "无法计算", line.problem, None))
            continue
        rows.append((line.scope_label, line.item.name, f"{res.participating_owners}/{res.eligible_owners}",
                     f"{percent(res.participation_owner_share)} / {percent(res.participation_area_share)}",
                     f"{res.yes_owners}/{res.no_owners}/{res.abstain_owners}",
                     f"{percent(res.approval_owner_share)} / {percent(res.approval_area_share)}",
                     "通过" if res.passed else "未通过", "；".join(res.reasons), res.passed))
        if res.participating_owners:  # the projector's candidates: the same first five as over all lines
            projected = heapq.nsmallest(PROJECTED_CONSENTS, projected + [line],
                                        key=lambda c: -c.result.participation_owner_share)
    return projected, rows


class OrderingPage(Page):
    status_message = Signal(str)
    loaded = Signal()
    consents_loaded = Signal()
    breakdown_loaded = Signal()
    watches = frozenset({Topic.ORDERING})

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        # the round's tally, its consent table, the selected item's breakdown: a refresh makes all three stale
        self._results = QueryOp(self, self._show)
        self._consents = QueryOp(self, self._show_consents)
        self._breakdown = QueryOp(self)
        self.round: svc.RoundView | None = None
        self.household_id: int | None = None
        self.projector: ProjectorWindow | None = None

        self.round_box = QComboBox()
        self.round_box.currentIndexChanged.connect(lambda _i: self.load_round(self.round_box.currentData()))
        self.state_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Round")))
        top.addWidget(self.round_box, 1)
        top.addWidget(self.state_label)
        for text, slot in ((self.tr("New round…"), self.new_round), (self.tr("Open for answers"), lambda: self.set_state(RoundState.OPEN)),
                           (self.tr("Close"), lambda: self.set_state(RoundState.CLOSED)),
                           (self.tr("Publish"), lambda: self.set_state(RoundState.PUBLISHED)),
                           (self.tr("Reopen…"), self.reopen), (self.tr("Menu…"), self.edit_menu),
                           (self.tr("Projector"), self.show_projector)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            top.addWidget(button)

        # --- entry ---
        self.search = QLineEdit()
        self.search.setObjectName("orderSearch")
        self.search.setPlaceholderText(self.tr("Household: name, pinyin initials or room; Enter picks the first"))
        self.matches = QListWidget()
        self.matches.setMaximumHeight(90)
        self.search.textChanged.connect(self._find)
        self.search.returnPressed.connect(self._pick_first)
        self.matches.itemActivated.connect(lambda item: self.pick(item.data(Qt.ItemDataRole.UserRole)))
        self.picked = QLabel(self.tr("No household chosen"))
        self.picked.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.item_table = ItemTable()
        self.item_table.save_requested.connect(self.save_order)
        self.filled_by = QComboBox()
        for f in FilledBy:
            self.filled_by.addItem(enum_label(FILLED_BY_LABELS, f), f.value)
        self.channel = QComboBox()
        for c in Channel:
            self.channel.addItem(enum_label(CHANNEL_LABELS, c), c.value)
        self.remarks = QLineEdit()
        self.remarks.setPlaceholderText(self.tr("Remarks"))
        save = QPushButton(self.tr("Save (Ctrl+Enter)"))
        save.clicked.connect(self.save_order)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save_order)
        hint = QLabel(self.tr("Keys: ↑/↓ move · Space tick · 1/2/3 priority · Y/N/A vote on consent items · "
                              "Ctrl+Enter save and next"))
        hint.setStyleSheet("color: #666;")
        meta = QHBoxLayout()
        meta.addWidget(QLabel(self.tr("Filled by")))
        meta.addWidget(self.filled_by)
        meta.addWidget(QLabel(self.tr("Channel")))
        meta.addWidget(self.channel)
        meta.addWidget(self.remarks, 1)
        meta.addWidget(save)
        entry = QWidget()
        el = QVBoxLayout(entry)
        el.addWidget(self.search)
        el.addWidget(self.matches)
        el.addWidget(self.picked)
        el.addWidget(self.item_table, 1)
        el.addLayout(meta)
        el.addWidget(hint)

        # --- tallies ---
        self.tally_model = RowsModel("OrderingPage", TALLY_HEADERS, right_aligned=(1, 3, 4, 5, 6), parent=self)
        self.tally_summary = QLabel()
        self.tally_summary.setObjectName("tallySummary")
        self.plot = None
        self.participation_plot = None
        self.chart_holder = QHBoxLayout()
        tallies_tab = QWidget()
        tl = QVBoxLayout(tallies_tab)
        row = QHBoxLayout()
        row.addWidget(self.tally_summary, 1)
        for text, doc in ((self.tr("Print forms for a building…"), "ordering-form"),
                          (self.tr("Print notice…"), "ordering-notice")):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, d=doc: self.print_round_doc(d))
            row.addWidget(button)
        tl.addLayout(row)
        self.designer_opinions = QLabel()  # 首席街长意见 citing this round
        self.designer_opinions.setObjectName("designerOpinions")
        self.designer_opinions.setWordWrap(True)
        self.designer_opinions.hide()
        tl.addWidget(self.designer_opinions)
        split = QSplitter(Qt.Orientation.Vertical)
        tables = QSplitter()
        self.tally_table = table_view(self.tally_model)
        self.breakdown = RowsModel("OrderingPage", BREAKDOWN_HEADERS, right_aligned=(1,), parent=self)
        tables.addWidget(self.tally_table)
        tables.addWidget(table_view(self.breakdown))
        tables.setSizes([800, 260])
        self.tally_table.selectionModel().currentRowChanged.connect(lambda cur, _p: self.show_breakdown(cur.row()))
        split.addWidget(tables)
        chart = QWidget()
        chart.setLayout(self.chart_holder)
        split.addWidget(chart)
        tl.addWidget(split, 1)

        # --- consent ---
        self.consent_model = RowsModel("OrderingPage", CONSENT_HEADERS, parent=self)
        # a row's last value (past the headers, not shown) is whether it passed: the colour goes by that
        self.consent_model.highlight = lambda r: RED if self.consent_model.rows[r][-1] is False else "#2e7d32"
        consent_tab = fit_columns(table_view(self.consent_model))  # headers and scopes whole; reasons take the rest

        # --- follow-up ---
        self.followup_model = RowsModel("OrderingPage", FOLLOWUP_HEADERS, parent=self)
        followup_tab = QWidget()
        fl = QVBoxLayout(followup_tab)
        self.followup_label = QLabel()
        print_followup = QPushButton(self.tr("Print follow-up list…"))
        print_followup.clicked.connect(lambda: self.print_round_doc("ordering-followup"))
        frow = QHBoxLayout()
        frow.addWidget(self.followup_label, 1)
        frow.addWidget(print_followup)
        fl.addLayout(frow)
        fl.addWidget(table_view(self.followup_model), 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(entry, self.tr("Enter forms"))
        self.tabs.addTab(tallies_tab, self.tr("Tallies"))
        self.tabs.addTab(consent_tab, self.tr("Owners' consent"))
        self.consent_tab = consent_tab
        self.tabs.addTab(followup_tab, self.tr("Not answered"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.consents: list[svc.ConsentLine] = []
        self._consents_for: int | None = None  # the refresh whose consent table is shown or being counted
        self.tabs.currentChanged.connect(self._maybe_load_consents)
        self.reload_rounds()

    # --- rounds ------------------------------------------------------------------------------------
    def reload_rounds(self, select: int | None = None) -> None:
        current = select or (self.round.id if self.round else None)
        self.round_box.blockSignals(True)
        self.round_box.clear()
        for r in svc.rounds(self.db):
            self.round_box.addItem(f"{r.project} · {r.title}", r.id)
        self.round_box.blockSignals(False)
        index = self.round_box.findData(current) if current else 0
        self.round_box.setCurrentIndex(max(0, index))
        self.load_round(self.round_box.currentData())

    def load_round(self, round_id: int | None) -> None:
        if round_id is None:
            self.round = None
            self.state_label.setText(self.tr("No ordering round yet: create one"))
            return
        self.round = svc.round_view(self.db, round_id)
        self.state_label.setText(enum_label(ROUND_STATE_LABELS, self.round.state))
        self.item_table.set_menu(svc.menu(self.db, self.round.project_id))
        self.refresh()

    def new_round(self) -> None:
        projects = places.project_choices(self.db)
        if not projects:
            QMessageBox.information(self, self.tr("New round"), self.tr("Create a project first."))
            return
        names = [p.name for p in projects]
        name, ok = QInputDialog.getItem(self, self.tr("New round"), self.tr("Project"), names, 0, False)
        if not ok:
            return
        title, ok = QInputDialog.getText(self, self.tr("New round"), self.tr("Title"),
                                         text=f"{date.today().year}年改造内容居民点单")
        if not ok:
            return
        project = projects[names.index(name)]
        chosen = self.choose_buildings(project.buildings)
        if chosen is None:
            return
        self.create_round(project.id, title, chosen)

    def choose_buildings(self, buildings: list[tuple[int, str]]) -> list[int] | None:
        """Which buildings the round covers; all ticked means the whole project."""
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Buildings in this round"))
        listing = building_list(None, buildings, checkable=True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(listing)
        layout.addWidget(box)
        if not dialog.exec():
            return None
        ticked = chosen_buildings(listing)
        return [] if len(ticked) == len(buildings) else ticked

    def create_round(self, project_id: int, title: str, building_ids: list[int] | None = None) -> int | None:
        try:
            round_id = svc.create_round(self.db, project_id, title, date.today(), building_ids=building_ids)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("New round"), exc.describe(core_lang()))
            return None
        self.reload_rounds(select=round_id)
        return round_id

    def set_state(self, state: str, reason: str = "") -> bool:
        if self.round is None:
            return False
        try:
            svc.set_round_state(self.db, self.round.id, state, reason)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Round"), exc.describe(core_lang()))
            return False
        self.load_round(self.round.id)
        self.status_message.emit(fmt(self.tr("The round is now %1"), enum_label(ROUND_STATE_LABELS, state)))
        return True

    def edit_menu(self) -> None:
        if self.round is None:
            return
        MenuDialog(self.db, self.round.project_id, self).exec()
        self.load_round(self.round.id)

    def reopen(self) -> None:
        reason, ok = QInputDialog.getText(self, self.tr("Reopen"), self.tr("Why reopen? (recorded in the audit log)"))
        if ok:
            self.set_state(RoundState.OPEN.value, reason)

    # --- entry -------------------------------------------------------------------------------------
    def _find(self, text: str) -> None:
        self.matches.clear()
        if self.round is None or not text.strip():
            return
        ids = household_ids(self.db, HouseholdFilter(project_id=self.round.project_id, query=text))[:20]
        rows = household_rows(self.db, ids)
        for hid in ids:
            r = rows[hid]
            item = QListWidgetItem(f"{r.building} {r.unit} {r.room}　{r.head_name}")
            item.setData(Qt.ItemDataRole.UserRole, hid)
            self.matches.addItem(item)

    def _pick_first(self) -> None:
        if self.matches.count():
            self.pick(self.matches.item(0).data(Qt.ItemDataRole.UserRole))

    def pick(self, household_id: int) -> None:
        """Choose the household whose form is being keyed; its earlier answer is loaded for editing."""
        self.household_id = household_id
        row = household_rows(self.db, [household_id])[household_id]
        existing = svc.order_of(self.db, self.round.id, household_id) if self.round else None
        self.picked.setText(f"{row.building} {row.unit} {row.room}　{row.head_name}"
                            + ("　（" + self.tr("already answered: editing") + "）" if existing else ""))
        self.item_table.clear_choices()
        if existing:
            for r, item in enumerate(self.item_table.items):
                self.item_table.set_choice(r, existing.choices.get(item.id))
            self.filled_by.setCurrentIndex(max(0, self.filled_by.findData(existing.filled_by)))
            self.channel.setCurrentIndex(max(0, self.channel.findData(existing.channel)))
            self.remarks.setText(existing.remarks)
        else:
            self.remarks.clear()
        self.item_table.setFocus()
        self.item_table.setCurrentIndex(self.item_table.menu_model.index(0, 1))

    def save_order(self) -> bool:
        if self.round is None or self.household_id is None:
            return False
        try:
            svc.record_order(self.db, self.round.id, svc.OrderInput(
                self.household_id, self.item_table.choices(), self.filled_by.currentData(),
                self.channel.currentData(), date.today(), self.remarks.text()))
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Cannot save"), exc.describe(core_lang()))
            return False
        self.status_message.emit(fmt(self.tr("Saved: %1"), self.picked.text()))
        self.household_id = None
        self.picked.setText(self.tr("No household chosen"))
        self.item_table.clear_choices()
        self.search.clear()
        self.search.setFocus()
        self.refresh()
        return True

    # --- results -------------------------------------------------------------------------------------
    def release(self) -> None:
        """Out of sight (another section shown): let go of the long lists (the ~30,000-row follow-up list,
        the consent table); the main window refreshes the page when it is shown again."""
        self._drop_loads()  # results still on their way are dropped
        self._consents_for = None
        self.consents = []
        self.followup_model.set_rows([])
        self.consent_model.set_rows([])

    def refresh(self) -> None:
        if self.round is None:
            return
        round_id = self.round.id
        self._drop_loads()
        self._results.run(lambda: _load_results(self.db, round_id))
        self._maybe_load_consents()

    def _drop_loads(self) -> None:
        for op in (self._results, self._consents, self._breakdown):
            op.drop()

    def _maybe_load_consents(self, _index: int = -1) -> None:
        """Owners' consent is evaluated per unit and building (thousands of scopes in a large round):
        counted when its tab or the projector is shown, once per refresh."""
        wanted = self.tabs.currentWidget() is self.consent_tab or (self.projector is not None
                                                                   and self.projector.isVisible())
        if self.round is None or not wanted or self._consents_for == self._results.generation:
            return
        self._consents_for = self._results.generation
        round_id = self.round.id
        self._consents.run(lambda: _load_consents(self.db, round_id))

    def _show_consents(self, result) -> None:
        self.consents, rows = result  # the lines the projector shows; the table holds every scope
        self.consent_model.set_rows(rows)
        if self.projector is not None and self.projector.isVisible() and hasattr(self, "tally"):
            self.projector.show_results(self.tally, self.consents)
        self.consents_loaded.emit()

    def _show(self, result) -> None:
        tally, missing, citing, followup_rows = result
        self.designer_opinions.setVisible(bool(citing))
        self.designer_opinions.setText(self.tr("Chief street designer's opinions on this round:") + "<br>" + "<br>".join(
            html.escape(f"{o.opinion_no}（{o.raised_on.isoformat()}，{o.designer}，"
                        f"{enum_label(OPINION_STATUS_LABELS, o.status)}）{o.opinion}") for o in citing))
        self.tally = tally
        self.tally_summary.setText(fmt(self.tr("Answered %1 of %2 households (%3); by area %4"),
                                       str(tally.answered), str(tally.eligible), percent(tally.participation),
                                       percent(svc.share(tally.answered_area, tally.eligible_area))))
        tier_order = {t.value: i for i, t in enumerate(Tier)}
        ordered = sorted(tally.items, key=lambda t: (tier_order.get(t.item.tier, 9), t.rank_in_tier))
        self.tally_model.set_rows([(enum_label(TIER_LABELS, t.item.tier), t.rank_in_tier, t.item.name + ("（已停用）" if t.item.retired else ""),
                                    t.households, percent(t.share_all), percent(t.share_answered),
                                    percent(t.share_area), "/".join(str(t.priorities[p]) for p in (1, 2, 3)))
                                   for t in ordered], [t.item.id for t in ordered])
        self.followup_model.set_rows(followup_rows, missing)
        self.followup_label.setText(fmt(self.tr("%1 households have not answered"), str(len(missing))))
        self._plot(tally)
        if self.projector is not None and self.projector.isVisible():
            self.projector.show_results(tally, self.consents)
        self.loaded.emit()

    def show_breakdown(self, row: int) -> None:
        """The selected item, by building and by unit (the scope where an elevator is decided)."""
        item_id = self.tally_model.key_at(row)
        if item_id is None or self.round is None:
            self._breakdown.drop()
            self.breakdown.set_rows([])
            return
        round_id = self.round.id

        def show(found: svc.ItemBreakdown) -> None:  # not called once another item (or a newer tally) was chosen
            rows = [(name, count) for name, count in sorted(found.by_building.items(),
                                                             key=lambda kv: svc.natural_key(kv[0]))]
            rows += [("　" + name, count) for name, count in found.by_unit.items()]
            self.breakdown.set_rows(rows)
            self.breakdown_loaded.emit()

        self._breakdown.run(lambda: svc.item_breakdown(self.db, round_id, item_id), show)

    def _plot(self, tally: svc.RoundTally) -> None:
        import pyqtgraph as pg

        if self.plot is None:
            pg.setConfigOptions(antialias=True, background="w", foreground="k")
            self.plot = pg.PlotWidget()
            self.plot.setLabel("left", self.tr("Households"))
            self.chart_holder.addWidget(self.plot)
        self.plot.clear()
        ranked = sorted((t for t in tally.items if not t.item.mandatory), key=lambda t: -t.households)[:15]
        colors = {Tier.BASIC: "#8d6e63", Tier.IMPROVE: "#1e88e5", Tier.BETTER: "#43a047"}
        # Horizontal bars, most wanted on top, so every item name stays readable.
        for y, t in enumerate(reversed(ranked)):
            self.plot.addItem(pg.BarGraphItem(x0=[0], y=[y], width=[t.households], height=0.7,
                                              brush=colors.get(t.item.tier, "#999")))
        self.plot.getAxis("left").setTicks([[(y, t.item.name) for y, t in enumerate(reversed(ranked))]])
        self.plot.setLabel("left", "")
        self.plot.setLabel("bottom", self.tr("Households"))
        if self.participation_plot is None:
            self.participation_plot = pg.PlotWidget()
            self.participation_plot.setLabel("left", self.tr("Answered (%)"))
            self.participation_plot.setYRange(0, 100)
            self.chart_holder.addWidget(self.participation_plot)
        self.participation_plot.clear()
        buildings = list(tally.participation_by_building.items())
        shares = [100 * answered / eligible if eligible else 0 for _b, (answered, eligible) in buildings]
        self.participation_plot.addItem(pg.BarGraphItem(x=list(range(len(buildings))), height=shares, width=0.7,
                                                        brush="#fb8c00"))
        self.participation_plot.getAxis("bottom").setTicks([[(x, b) for x, (b, _v) in enumerate(buildings)]])

    def show_projector(self) -> None:
        if self.round is None or not hasattr(self, "tally"):
            return
        if self.projector is None:
            self.projector = ProjectorWindow(self)  # its own window, owned (and deleted) with the page
        self.projector.show_results(self.tally, self.consents)
        self.projector.show()
        self._maybe_load_consents()

    # --- printing -----------------------------------------------------------------------------------
    def print_round_doc(self, doc: str, path: str | None = None, building_id: int | None = None):
        if self.round is None:
            return None
        record_id = self.round.id
        if doc == "ordering-form":
            if building_id is None:
                buildings = [(name, bid) for bid, name in places.building_choices(self.db, self.round.project_id)]
                if not buildings:
                    return None
                label, ok = QInputDialog.getItem(self, self.tr("Print forms"), self.tr("Building"),
                                                 [b[0] for b in buildings], 0, False)
                if not ok:
                    return None
                building_id = dict(buildings)[label]
            record_id = building_id
        if path:  # straight to a file (tests, scripts)
            return print_in_background(self, doc, record_id, path, round_id=self.round.id)
        return preview_and_print(self, doc, record_id, round_id=self.round.id)
