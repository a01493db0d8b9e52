"""The main window as a person uses it: navigation, search, create/edit/delete, reveal, import preview."""

import re
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from renewal_desk.core.models import RoundState
from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import households as hs
from renewal_desk.ui.household_dialog import HouseholdDialog
from renewal_desk.ui.household_model import HouseholdTableModel
from renewal_desk.ui.main_window import SECTIONS

CHINESE_SECTIONS = ["概览", "项目与住户", "居民点单", "议事协商", "监督反馈", "首席街长", "收储租", "导出与备份", "审计日志", "设置"]


def test_navigation_lists_every_section_in_chinese(window, qtbot):
    texts = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert texts == CHINESE_SECTIONS
    for row, key in enumerate(SECTIONS):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget() is window.pages[key]
    assert "数据库" in window.db_label.text() and "备份" in window.backup_label.text()
    assert window.db_label.toolTip() == window.db.location  # the whole place on hover, however long


@pytest.mark.both_engines  # open, search, edit: on the office server too
def test_overview_shows_counts(window, qtbot):
    page = window.show_section("overview")
    qtbot.waitUntil(lambda: "120" in page.counts.text(), timeout=5000)
    assert "住户" in page.counts.text()


def _search(page, qtbot, text):
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        page.search.setText(text)
    return [page.model.id_at(r) for r in range(page.model.rowCount())]


@pytest.mark.both_engines  # open, search, edit: on the office server too
def test_search_by_pinyin_initials_name_and_phone_tail(window, qtbot, demo_db):
    page = window.show_section("households")
    first = hs.household_rows(demo_db, hs.household_ids(demo_db)[:1])
    row = next(iter(first.values()))
    from renewal_desk.core.rules.search import pinyin_keys

    initials = pinyin_keys(row.head_name)[1]
    assert row.id in _search(page, qtbot, initials)
    assert row.id in _search(page, qtbot, row.head_name)
    assert row.id in _search(page, qtbot, row.phone[-4:])
    assert _search(page, qtbot, "没有这个人xyz") == []
    assert page.count_label.text().startswith("0")
    assert len(_search(page, qtbot, "")) == 120


def test_table_masks_personal_data_until_revealed(window, qtbot, demo_db):
    page = window.show_section("households")
    model = page.model
    id_col, phone_col = 4, 5
    shown = model.index(0, id_col).data()
    assert "*" in shown and len(shown) == 18
    phone = model.index(0, phone_col).data()
    assert re.fullmatch(r"1[3-9][0-9]\*{4}[0-9]{4}", phone), phone  # 138****1234, not *******1234
    page.table.selectRow(0)
    page.reveal_selected()
    full = model.index(0, id_col).data()
    assert "*" not in full and full[:6] == shown[:6]
    full_phone = model.index(0, phone_col).data()
    assert full_phone[:3] == phone[:3] and full_phone[-4:] == phone[-4:] and "*" not in full_phone
    trail = hs.audit_trail(demo_db, "household", model.id_at(0))
    assert trail[0]["action"] == "reveal" and trail[0]["operator"] == "测试员"
    page.act_hide.trigger()
    assert "*" in model.index(0, id_col).data()


def test_tree_selection_filters_table(window, qtbot):
    page = window.show_section("households")
    building = page.tree_model.item(0).child(0).child(0).child(0)  # all → project → block → building
    assert building.data(Qt.ItemDataRole.UserRole + 1) == "building"
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        page.tree.setCurrentIndex(building.index())
    assert page.model.rowCount() == 36
    assert {page.model.index(r, 0).data() for r in range(page.model.rowCount())} == {building.text().split()[0]}


@pytest.mark.both_engines  # open, search, edit: on the office server too
def test_create_edit_delete_household_through_dialog(window, qtbot, demo_db, monkeypatch):
    page = window.show_section("households")
    unit = page.tree_model.item(0).child(0).child(0).child(0).child(0)
    page.tree.setCurrentIndex(unit.index())
    dialog = HouseholdDialog(demo_db, unit_id=unit.data(Qt.ItemDataRole.UserRole + 2), parent=page)
    qtbot.addWidget(dialog)
    dialog.room.setText("901")
    dialog.area.setText("７２.５㎡")
    dialog.set_person(0, 0, "王𠮷")
    dialog.set_person(0, 3, "1.10105E+17")
    dialog.save()
    assert dialog.errors.isVisibleTo(dialog) and "科学计数法" in dialog.errors.text()
    dialog.set_person(0, 3, make_id_number("320402", __import__("datetime").date(1980, 2, 3), 7).lower())
    dialog.set_person(0, 4, "139 0000 1234")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.saved_id
    with qtbot.waitSignals([page.model.loaded, page.tree_loaded], timeout=5000):
        page._after_edit(dialog.saved_id)
    assert page.model.id_at(page.table.currentIndex().row()) == dialog.saved_id  # the new household is shown
    assert dialog.saved_id in _search(page, qtbot, "王𠮷")
    row = page.model.row_of(dialog.saved_id)
    assert page.model.index(row, 3).data() == "王𠮷"
    assert page.model.index(row, 6).data() == "72.50"

    detail = hs.household_detail(demo_db, dialog.saved_id)
    edit = HouseholdDialog(demo_db, detail, parent=page)
    qtbot.addWidget(edit)
    full_id = detail.people[0].id_number
    assert "*" in edit.person_text(0, 3) and full_id not in edit.person_text(0, 3)  # masked
    edit.room.setText("902")
    edit.save()
    after = hs.household_detail(demo_db, dialog.saved_id)
    assert after.room == "902" and after.people[0].id_number == full_id  # unchanged masked cell kept the value
    assert all(t["action"] != "reveal" for t in hs.audit_trail(demo_db, "household", dialog.saved_id))
    again = HouseholdDialog(demo_db, after, parent=page)
    qtbot.addWidget(again)
    again.reveal()
    assert again.person_text(0, 3) == full_id
    assert hs.audit_trail(demo_db, "household", dialog.saved_id)[0]["action"] == "reveal"

    page.table.selectRow(page.model.row_of(dialog.saved_id))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        page.delete_household()
    assert dialog.saved_id not in [page.model.id_at(r) for r in range(page.model.rowCount())]


def test_unit_must_be_chosen_not_guessed(qtbot, demo_db):
    dialog = HouseholdDialog(demo_db)
    qtbot.addWidget(dialog)
    assert dialog.unit.currentIndex() == -1
    dialog.room.setText("999")
    dialog.set_person(0, 0, "张三")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted and "单元" in dialog.errors.text()
    dialog.unit.setEditText("7号楼 / 9单元 （不存在）")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert hs.household_ids(demo_db, hs.HouseholdFilter(query="张三 999")) == []


def test_household_model_passes_qtmodeltester(qtmodeltester, qtbot, demo_db):
    model = HouseholdTableModel(demo_db)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.reload()
    assert model.rowCount() == 120
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(3, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_import_preview_shows_problems_and_imports_valid_rows(qtbot, db, tmp_path, monkeypatch):
    from tests.fixtures.make_rosters import ugly_roster

    from renewal_desk.ui.import_dialog import ImportDialog

    path = tmp_path / "ugly.xlsx"
    expected = ugly_roster(path)
    dialog = ImportDialog(db, str(path), "测试项目")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.parse is not None, timeout=10000)
    assert dialog.problems.count() >= len(expected["bad"])
    assert not dialog.import_button.isEnabled()  # errors: all-or-nothing by default
    bad_row = dialog.model.row_of_excel(sorted(expected["bad"])[0])
    assert dialog.model.index(bad_row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert any("行" in dialog.problems.item(i).text() for i in range(dialog.problems.count()))
    dialog.skip_invalid.setChecked(True)
    assert dialog.import_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.finished_import, timeout=20000):
        dialog.run_import()
    assert dialog.report.written and dialog.report.imported == len(expected["good"])
    names = {r.head_name for r in hs.household_rows(db, hs.household_ids(db)).values()}
    assert {"王𠮷", "李䶮"} <= names


def test_import_unknown_headers_offers_column_mapping(qtbot, db, tmp_path):
    from tests.fixtures.make_rosters import unknown_header_roster

    from renewal_desk.ui.import_dialog import ImportDialog

    path = tmp_path / "odd.xlsx"
    info = unknown_header_roster(path)
    dialog = ImportDialog(db, str(path), "测试项目")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.parse is not None, timeout=10000)
    assert dialog.mapping_box.isVisibleTo(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.header_row.setValue(info["header_row"])
    for field, column in info["mapping"].items():
        dialog.set_column(field, column)
    with qtbot.waitSignal(dialog.parsed, timeout=10000):
        dialog.apply_mapping()
    assert len(dialog.parse.valid_rows) == len(info["rows"])
    assert dialog.import_button.isEnabled()


def test_print_building_roster_from_page(window, qtbot, tmp_path):
    page = window.show_section("households")
    building = page.tree_model.item(0).child(0).child(0).child(0)
    out = tmp_path / "roster.pdf"
    with qtbot.waitSignal(page.status_message, timeout=20000, check_params_cb=lambda text: "已保存" in text):
        page.start_print(building.data(Qt.ItemDataRole.UserRole + 2), str(out))
    assert out.exists() and out.read_bytes().startswith(b"%PDF")


def test_tree_context_actions_create_rename_delete(window, qtbot, monkeypatch):
    page = window.show_section("households")
    with qtbot.waitSignal(page.tree_loaded, timeout=5000):
        project_id = page.create_place("project", None, name="老街片区更新")
    assert page.selected_node() == ("project", project_id)
    with qtbot.waitSignal(page.tree_loaded, timeout=5000):
        block_id = page.create_place("block", project_id, name="北片")
    assert page.selected_node() == ("block", block_id)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    assert page.create_place("block", project_id, name="北片") is None  # duplicate refused with a message
    monkeypatch.setattr("renewal_desk.ui.households_page.QInputDialog.getText",
                        lambda *a, **k: ("北片区", True))
    with qtbot.waitSignal(page.tree_loaded, timeout=5000):
        page.rename_place("block", block_id)
    assert page.tree.currentIndex().data().startswith("北片区")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.tree_loaded, timeout=5000):
        page.delete_place("block", block_id)
    assert not page.select_node("block", block_id)


def test_print_full_data_is_confirmed_and_audited(window, qtbot, tmp_path, monkeypatch, demo_db):
    page = window.show_section("households")
    building = page.tree_model.item(0).child(0).child(0).child(0)
    page.tree.setCurrentIndex(building.index())
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    page.print_roster(masked=False)
    assert asked and "完整" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    from renewal_desk.ui.print_preview import PrintPreviewDialog

    page.print_roster(masked=False)
    qtbot.waitUntil(lambda: page.findChild(PrintPreviewDialog) is not None, timeout=20000)  # the preview opens
    preview = page.findChild(PrintPreviewDialog)
    assert preview.page_count >= 1 and preview.file_name.startswith("楼栋住户花名册-")
    preview.reject()
    trail = hs.audit_trail(demo_db, "building", building.data(Qt.ItemDataRole.UserRole + 2))
    assert trail[0]["action"] == "print-full" and "完整" in trail[0]["note"]


def test_geometry_and_section_remembered(qtbot, demo_db):
    from renewal_desk.ui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(700, 500)  # the offscreen screen is 800x600; larger sizes are clamped
    win.show_section("settings")
    win.close()
    again = MainWindow(demo_db)
    qtbot.addWidget(again)
    assert again.stack.currentWidget() is again.pages["settings"]
    assert (again.size().width(), again.size().height()) == (700, 500)
    assert any(b.reason == "close" for b in __import__("renewal_desk.core.backup", fromlist=["x"]).list_backups(
        Path(demo_db.path)))


def test_english_is_selectable(qtbot, demo_db, app):
    from renewal_desk.ui.app import make_application
    from renewal_desk.ui.main_window import MainWindow

    make_application(lang="en")
    try:
        win = MainWindow(demo_db)
        qtbot.addWidget(win)
        assert win.nav.item(0).text() == "Overview" and win.nav.item(1).text() == "Projects and households"
    finally:
        make_application(lang="zh_CN")
    again = MainWindow(demo_db)
    qtbot.addWidget(again)
    assert again.nav.item(0).text() == "概览"


def test_restore_from_backup_page_asks_then_requests_restart(window, qtbot, monkeypatch):
    page = window.show_section("exchange")
    with qtbot.waitSignal(page.list.model().rowsInserted, timeout=10000, raising=False):
        page.backup()
    qtbot.waitUntil(lambda: page.backup_model.rowCount() >= 1, timeout=10000)
    page.list.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.restart_requested, timeout=5000) as blocker:
        page.restore_selected()
    assert blocker.args[0].endswith(".sqlite") and Path(blocker.args[0]).exists()


@pytest.mark.both_engines  # the office server restores its own dumps
def test_restore_from_file_offers_this_databases_kind_of_backup(window, qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from renewal_desk.core.services.backups import backup_now

    page = window.show_section("exchange")
    offered = []
    chosen = str(backup_now(window.db, "manual", tmp_path / ("copy.sqlite" if window.db.backs_up_here else "copy.dump")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda parent, title, folder, kinds: (offered.append(kinds), (chosen, kinds))[1]))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.restart_requested, timeout=5000) as blocker:
        page.restore_file()
    if window.db.backs_up_here:
        assert "(*.sqlite)" in offered[0]
    else:  # pg_dump files (backups.SERVER_DUMP), never a database file
        assert "(*.dump)" in offered[0] and ".sqlite" not in offered[0] and "服务器" in offered[0]
    assert blocker.args[0] == chosen


@pytest.mark.both_engines
def test_a_server_dump_restores_through_the_open_connection_for_administrators_only(demo_db, app, tmp_path,
                                                                                    monkeypatch):
    from renewal_desk.core import settings
    from renewal_desk.core.services.backups import backup_now
    from renewal_desk.ui.app import restore_server_with_message

    if demo_db.backs_up_here:
        pytest.skip("the office server's restore (a file is restored after the window closed)")
    settings.save(demo_db, {"office.name": "和平街道办事处"})
    dump = backup_now(demo_db, "manual", tmp_path / "office.dump")
    settings.save(demo_db, {"office.name": "改过的名字"})
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(type(demo_db), "role", property(lambda self: "staff"))
    assert not restore_server_with_message(demo_db, dump)
    assert len(shown) == 1 and "无权" in shown[0]  # said in words, before anything is dumped or replaced
    monkeypatch.undo()
    assert settings.office_profile(demo_db).name == "改过的名字"  # nothing replaced
    assert restore_server_with_message(demo_db, dump)
    assert settings.office_profile(demo_db).name == "和平街道办事处"


def test_damaged_database_offers_latest_backup(qtbot, db_path, monkeypatch):
    """A damaged file gets a clear Chinese message and the offer to restore; nothing is overwritten silently."""
    from renewal_desk.core import backup
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services import places
    from renewal_desk.ui import app as app_module

    db = open_database(db_path)
    places.create_place(db, "project", "备份里的项目")
    backup.rotate_backup(db_path, "close")
    db.close()
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    shown = {}

    def fake_exec(box):
        shown["text"] = box.text()
        shown["buttons"] = [b.text() for b in box.buttons()]
        restore = next(b for b in box.buttons() if "恢复" in b.text())
        monkeypatch.setattr(box, "clickedButton", lambda: restore)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    db = app_module._open_with_recovery(db_path)
    try:
        assert "损坏" in shown["text"]
        assert [n.name for n in places.tree(db)] == ["备份里的项目"]
        assert list(db_path.parent.glob("*.damaged-*"))  # the damaged file is kept aside
    finally:
        db.close()


def test_settings_consent_rules_refuse_weaker_than_law(window, qtbot):
    page = window.show_section("settings")
    quorum, approval = page.rule_fields["ordinary"]
    approval.setText("1/3")
    assert not page.save_rules() and "二百七十八" in page.rule_status.text()
    approval.setText("2/3")
    assert page.save_rules()


def test_the_frame_paints_before_the_database_and_attach_opens_it(qtbot, demo_db):
    """run_app shows MainWindow() (navigation, menus, an "opening" note) before the database is opened; attach()
    then builds the current section on it. Nothing can be done in the frame meanwhile."""
    from PySide6.QtWidgets import QLabel

    from renewal_desk.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.db is None and not win.nav.isEnabled() and not win.menuBar().isEnabled()
    opening = win.findChild(QLabel, "opening")
    assert opening is not None and opening.isVisible() and "正在打开" in opening.text()
    assert dict(win.pages) == {}  # no section built without a database
    win.lock()  # the shortcut does nothing yet
    assert not win.locked
    page_loaded = []
    win.attach(demo_db)
    page = win.pages["households"]
    page.model.loaded.connect(page_loaded.append)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    assert win.nav.isEnabled() and win.menuBar().isEnabled() and win.findChild(QLabel, "opening") is None
    assert win.stack.currentWidget() is page and demo_db.path.name in win.windowTitle()


def test_manual_backup_shows_progress_and_lands_in_the_list(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from renewal_desk.core import backup

    monkeypatch.setattr(backup, "BACKUP_STEP_PAGES", 4)
    page = window.show_section("exchange")
    rows = page.backup_model.rowCount()
    page.backup()
    assert page.progress is not None and page.progress.labelText() == "正在备份…"
    assert page.progress.findChild(QPushButton).text() == "取消"
    qtbot.waitUntil(lambda: page.backup_model.rowCount() == rows + 1, timeout=10000)
    assert page.progress is None and page.backup_button.isEnabled()
    assert not page._backup_cancelled.is_set()  # closing the finished dialog is not a cancel


def test_a_section_out_of_sight_lets_go_of_its_lists_and_shows_them_again(window, qtbot, demo_db):
    from datetime import date

    from renewal_desk.core.services import ordering as osvc

    rid = osvc.create_round(demo_db, 1, "2026年居民点单", date(2026, 11, 1))
    osvc.set_round_state(demo_db, rid, RoundState.OPEN)
    ordering = window.pages["ordering"]
    with qtbot.waitSignal(ordering.loaded, timeout=10000):
        window.show_section("ordering")
    missing = ordering.followup_model.rowCount()
    assert missing == len(osvc.non_respondents(demo_db, rid)) > 0
    supervision = window.pages["supervision"]
    with qtbot.waitSignal(supervision.loaded, timeout=10000):
        window.show_section("supervision")
    problems = supervision.problems.rowCount()
    assert ordering.followup_model.rowCount() == 0  # hidden: its follow-up list let go
    with qtbot.waitSignal(ordering.loaded, timeout=10000):
        window.show_section("ordering")
    assert ordering.followup_model.rowCount() == missing  # shown again: loaded again
    assert supervision.problems.rowCount() == 0 and not supervision.problems_tab._rows
    with qtbot.waitSignal(supervision.loaded, timeout=10000):
        window.show_section("supervision")
    assert supervision.problems.rowCount() == problems
