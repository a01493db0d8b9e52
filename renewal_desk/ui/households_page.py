"""项目与住户: the project → block → building → unit tree, the household table, search and editing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QLineEdit, QMenu, QMessageBox, QSplitter, QTableView, QToolBar, QTreeView, QVBoxLayout,
                               QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import places
from renewal_desk.core.services.households import (HouseholdFilter, delete_household, household_detail,
                                                   refresh_search_keys, reveal_personal_data, search_keys_stale)

from . import tasks
from .household_dialog import HouseholdDialog
from .household_model import COLUMNS, REASON_COLUMN, HouseholdTableModel
from .page import Page, Topic
from .widgets.feedback import error_text
from .widgets.tables import RowNumbers, use_rows_delegate
from .pdf import preview_and_print, print_in_background
from .i18n import core_lang, fmt

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
NAME_ROLE = Qt.ItemDataRole.UserRole + 3  # the place's name, without the household count shown after it
CHILD_KIND = {None: "project", "project": "block", "block": "building", "building": "unit"}


class HouseholdsPage(Page):
    status_message = Signal(str)
    tree_loaded = Signal()
    watches = frozenset({Topic.HOUSEHOLDS, Topic.PLACES})

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self._select_after_load: int | None = None
        self.kind_labels = {"project": self.tr("project"), "block": self.tr("block"),
                            "building": self.tr("building"), "unit": self.tr("unit")}

        # --- tree ---
        self.tree_model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)  # long project names scroll instead of being cut
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.selectionModel().currentChanged.connect(self._tree_selected)

        # --- search and actions ---
        self.search = QLineEdit()
        self.search.setObjectName("householdSearch")
        self.search.setPlaceholderText(self.tr("Search: name, pinyin initials (zjg), building/room, phone tail"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=0)  # coalesces one event-loop pass; the model runs only the latest query
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        find = QAction(self.tr("Find"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(find)

        self.toolbar = QToolBar()
        self.act_new = self._action(self.tr("New household"), self.new_household, QKeySequence.StandardKey.New)
        self.act_edit = self._action(self.tr("Edit"), self.edit_household)
        self.act_delete = self._action(self.tr("Delete"), self.delete_household)
        self.toolbar.addSeparator()
        self.act_reveal = self._action(self.tr("Show full ID and phone"), self.reveal_selected)
        self.act_hide = self._action(self.tr("Mask again"), lambda: self.model.hide_revealed())
        self.toolbar.addSeparator()
        self.act_import = self._action(self.tr("Import roster…"), self.import_roster)
        self.act_print = self._action(self.tr("Print building roster…"), self.print_roster,
                                      QKeySequence.StandardKey.Print)
        self.act_print_full = QAction(self.tr("Print building roster with full ID and phone (internal)…"), self)
        self.act_print_full.triggered.connect(lambda: self.print_roster(masked=False))
        self.addAction(self.act_print_full)
        print_button = self.toolbar.widgetForAction(self.act_print)
        print_menu = QMenu(self)
        print_menu.addAction(self.act_print_full)
        print_button.setMenu(print_menu)
        print_button.setPopupMode(print_button.ToolButtonPopupMode.MenuButtonPopup)

        # --- table ---
        self.model = HouseholdTableModel(db, self)
        self.model.loaded.connect(self._loaded)
        self.model.first_page.connect(lambda _n: self.count_label.setText("…"))  # the count follows with the rest
        self.model.failed.connect(lambda exc: self.status_message.emit(str(exc)))
        self.table = QTableView()
        self.table.setObjectName("householdTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        use_rows_delegate(self.table)
        vh = RowNumbers(self.table)
        self.table.setVerticalHeader(vh)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setStretchLastSection(True)
        for col, width in enumerate((80, 70, 70, 110, 170, 120, 90, 80, 60, 150)):
            self.table.setColumnWidth(col, width)
        self.table.setColumnWidth(REASON_COLUMN, 190)  # "家庭成员电话 …3698", "房号 12号楼 3单元 602"
        self.table.setColumnHidden(REASON_COLUMN, True)  # shown while searching, beside the head of household
        hh.moveSection(hh.visualIndex(REASON_COLUMN), [c[0] for c in COLUMNS].index("head_name") + 1)
        self.table.doubleClicked.connect(lambda _i: self.edit_household())
        # Enter and Delete act on the table only, never while typing in the search field.
        for action, key in ((self.act_edit, Qt.Key.Key_Return), (self.act_delete, QKeySequence.StandardKey.Delete)):
            table_action = QAction(action.text(), self.table)
            table_action.setShortcut(QKeySequence(key))
            table_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            table_action.triggered.connect(action.trigger)
            self.table.addAction(table_action)
        self.search.returnPressed.connect(self._search_to_table)
        self.count_label = QLabel()

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        rl.addLayout(top)
        rl.addWidget(self.toolbar)
        rl.addWidget(self.table, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.reload_tree()
        self.apply_filter()
        # a database from an older version: its search keys are made again, once, in the background
        tasks.submit(lambda: refresh_search_keys(db) if search_keys_stale(db) else 0,
                     lambda changed: changed and self.model.reload(), owner=self, pool=tasks.background_pool())

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    # --- tree ---------------------------------------------------------------------------------
    def reload_tree(self, select: tuple[str | None, int | None] | None = None) -> None:
        """Reload the tree off the GUI thread, keeping (or moving to) the selected node."""
        wanted = select or self.selected_node()
        tasks.submit(lambda: places.tree(self.db), lambda nodes: self._fill_tree(nodes, wanted), owner=self)

    def _fill_tree(self, nodes, wanted: tuple[str | None, int | None]) -> None:
        before = self.selected_node()
        selection = self.tree.selectionModel()
        selection.blockSignals(True)
        self.tree_model.clear()
        root = QStandardItem(self.tr("All households"))
        root.setData(None, KIND_ROLE)
        self.tree_model.appendRow(root)
        to_select = root

        def add(parent: QStandardItem, node) -> None:
            nonlocal to_select
            item = QStandardItem(f"{node.name}  ({node.households})")
            item.setData(node.kind, KIND_ROLE)
            item.setData(node.id, ID_ROLE)
            item.setData(node.name, NAME_ROLE)
            parent.appendRow(item)
            if wanted == (node.kind, node.id):
                to_select = item
            for child in node.children:
                add(item, child)

        for project in nodes:
            add(root, project)
        root.setText(self.tr("All households") + f"  ({sum(p.households for p in nodes)})")
        self.tree.expandToDepth(1)
        self.tree.setCurrentIndex(to_select.index())
        selection.blockSignals(False)
        self.tree.viewport().update()
        if self.selected_node() != before:
            self.apply_filter()
        self.tree_loaded.emit()

    def selected_node(self) -> tuple[str | None, int | None]:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None, None
        return index.data(KIND_ROLE), index.data(ID_ROLE)

    def select_node(self, kind: str, record_id: int) -> bool:
        matches = self.tree_model.match(self.tree_model.index(0, 0), ID_ROLE, record_id, -1,
                                        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
        for index in matches:
            if index.data(KIND_ROLE) == kind:
                self.tree.setCurrentIndex(index)
                return True
        return False

    def _tree_selected(self, *_args) -> None:
        self.apply_filter()

    def _tree_menu(self, pos) -> None:
        kind, record_id = self.selected_node()
        menu = QMenu(self)
        child = CHILD_KIND.get(kind)
        if child:
            menu.addAction(fmt(self.tr("New %1…"), self.kind_labels[child]),
                           lambda: self.create_place(child, record_id))
        if kind:
            menu.addAction(self.tr("Rename…"), lambda: self.rename_place(kind, record_id))
            menu.addAction(self.tr("Delete…"), lambda: self.delete_place(kind, record_id))
        if kind == "unit":
            menu.addAction(self.tr("New household"), self.new_household)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def create_place(self, kind: str, parent_id: int | None, name: str | None = None) -> int | None:
        if name is None:
            name, ok = QInputDialog.getText(self, fmt(self.tr("New %1"), self.kind_labels[kind]),
                                            self.tr("Name"))
            if not ok:
                return None
        try:
            new_id = places.create_place(self.db, kind, name, parent_id)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Cannot save"), exc.describe(core_lang()))
            return None
        self.reload_tree(select=(kind, new_id))
        return new_id

    def rename_place(self, kind: str, record_id: int) -> None:
        current = self.tree.currentIndex().data(NAME_ROLE)
        name, ok = QInputDialog.getText(self, self.tr("Rename"), self.tr("Name"), text=current)
        if not ok:
            return
        try:
            places.update_place(self.db, kind, record_id, name)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Cannot save"), exc.describe(core_lang()))
            return
        self.reload_tree()
        self.model.reload()

    def delete_place(self, kind: str, record_id: int) -> None:
        label = self.tree.currentIndex().data()
        answer = QMessageBox.question(
            self, self.tr("Delete"),
            fmt(self.tr("Delete %1 and every household in it? The deletion is recorded in the audit log and can be "
                        "undone only by restoring a backup."), label))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.status_message.emit(self.tr("Deleting…"))
        self.setEnabled(False)  # one action at a time while the deletion runs in the background

        def done(removed) -> None:
            self.setEnabled(True)
            self.status_message.emit(fmt(self.tr("Deleted %1 with %2 households"), label, str(removed)))
            self.reload_tree(select=(None, None))
            self.model.reload()

        def failed(exc) -> None:
            self.setEnabled(True)
            QMessageBox.warning(self, self.tr("Delete"), error_text(exc))

        tasks.submit(lambda: places.delete_place(self.db, kind, record_id), done, failed, owner=self)

    # --- table ----------------------------------------------------------------------------------
    def current_filter(self) -> HouseholdFilter:
        kind, record_id = self.selected_node()
        ids = {f"{kind}_id": record_id} if kind else {}
        return HouseholdFilter(query=self.search.text(), **ids)

    def apply_filter(self) -> None:
        flt = self.current_filter()
        self.table.setColumnHidden(REASON_COLUMN, not flt.query.strip())
        self.model.set_filter(flt)

    def _search_to_table(self) -> None:
        """Enter in the search field: go to the first result, ready for Enter (edit) or arrows."""
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _loaded(self, count: int) -> None:
        self.count_label.setText(self.tr("%n household(s)", "", count))
        household_id, self._select_after_load = self._select_after_load, None
        row = self.model.row_of(household_id) if household_id is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def selected_household(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _after_edit(self, household_id: int | None) -> None:
        """Refresh list and tree after the user's own edit, then show the edited household."""
        self._select_after_load = household_id
        self.model.invalidate_rows()
        self.model.reload()
        self.reload_tree()

    def _may_write(self) -> bool:
        """Refuse, with the role's message, before a dialog opens that could not be saved."""
        if self.db.allows("write"):
            return True
        try:
            self.db.require("write")
        except InputError as exc:
            QMessageBox.information(self, self.tr("Read-only"), exc.describe(core_lang()))
        return False

    def new_household(self) -> None:
        if not self._may_write():
            return
        kind, record_id = self.selected_node()
        unit_id = record_id if kind == "unit" else None
        if unit_id is None and self.selected_household() is not None:  # next to the household in view
            unit_id = household_detail(self.db, self.selected_household()).unit_id
        dialog = HouseholdDialog(self.db, unit_id=unit_id, parent=self)
        if dialog.exec():
            self._after_edit(dialog.saved_id)
            self.status_message.emit(self.tr("Household saved"))

    def edit_household(self) -> None:
        household_id = self.selected_household()
        if household_id is None or not self._may_write():
            return
        dialog = HouseholdDialog(self.db, household_detail(self.db, household_id), parent=self)
        if dialog.exec():
            self._after_edit(household_id)
            self.status_message.emit(self.tr("Household saved"))

    def delete_household(self) -> None:
        household_id = self.selected_household()
        if household_id is None or not self._may_write():
            return
        detail = household_detail(self.db, household_id)
        head = next((p.name for p in detail.people if p.is_head), "")
        answer = QMessageBox.question(
            self, self.tr("Delete household"),
            fmt(self.tr("Delete the household %1 (%2) and its members?"),
                f"{detail.building}{detail.unit}{detail.room}", head))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_household(self.db, household_id)
        except InputError as exc:  # e.g. a member owns a stored house: a refusal, not an error
            QMessageBox.warning(self, self.tr("Delete household"), exc.describe(core_lang()))
            return
        self._after_edit(None)
        self.status_message.emit(self.tr("Household deleted"))

    def apply_role(self) -> None:
        """Edit and reveal actions follow the logged-in role (core refuses them anyway, with a message)."""
        write, reveal = self.db.allows("write"), self.db.allows("reveal")
        for action in (self.act_new, self.act_edit, self.act_delete, self.act_import):
            action.setEnabled(write)
        for action in (self.act_reveal, self.act_print_full):
            action.setEnabled(reveal)

    def reveal_selected(self) -> None:
        household_id = self.selected_household()
        if household_id is None:
            return
        try:
            detail = reveal_personal_data(self.db, household_id, reason="界面：显示完整身份证号和电话")
        except InputError as exc:  # refused by role: nothing shown
            QMessageBox.warning(self, self.tr("Show full ID and phone"), exc.describe(core_lang()))
            return
        self.model.reveal(household_id, detail)
        self.status_message.emit(self.tr("Full data shown; this was recorded in the audit log"))

    # --- import and print ------------------------------------------------------------------------
    def import_roster(self, path: str | None = None) -> None:
        from .import_dialog import ImportDialog

        if not path:
            start = QSettings().value("lastImportDir", str(Path.home()))
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose an Excel roster"), start,
                                                  self.tr("Excel workbooks (*.xlsx)"))
            if not path:
                return
            QSettings().setValue("lastImportDir", str(Path(path).parent))
        kind, record_id = self.selected_node()
        project = None
        if kind:
            project_index = self.tree.currentIndex()
            while project_index.parent().isValid() and project_index.parent().data(KIND_ROLE):
                project_index = project_index.parent()
            project = project_index.data(NAME_ROLE)
        dialog = ImportDialog(self.db, path, project, self)
        if dialog.exec():
            self.reload_tree()
            self.model.reload()

    def print_roster(self, masked: bool = True) -> None:
        kind, record_id = self.selected_node()
        building_id = record_id if kind == "building" else None
        if kind == "unit":
            building_id = self.tree.currentIndex().parent().data(ID_ROLE)
        if building_id is None:
            QMessageBox.information(self, self.tr("Print building roster"),
                                    self.tr("Select a building (or one of its units) in the tree first."))
            return
        if not masked:
            answer = QMessageBox.question(
                self, self.tr("Print with full personal data"),
                self.tr("This roster will show full ID numbers and phone numbers. It is for internal use only and "
                        "must not be posted. The printing is recorded in the audit log. Continue?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        preview_and_print(self, "building-roster", building_id, masked=masked)

    def start_print(self, building_id: int, path: str, masked: bool = True):
        return print_in_background(self, "building-roster", building_id, path, masked=masked)

    def refresh(self) -> None:
        self.reload_tree()
        self.model.reload()


__all__ = ["HouseholdsPage", "COLUMNS"]
