"""监督反馈 as staff use it: log an inspection, record a problem with a photo, issue a notice, record the
builder's reply, a failed and then a passed re-check, close — and see the whole history; overdue rows
in red; bad or missing photos get a clear message and nothing else breaks."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from sqlalchemy import select

from renewal_desk.core.models import Person
from renewal_desk.core.services import supervision as svc
from renewal_desk.core.services.demo_supervision import make_photo
from renewal_desk.ui.supervision import SupervisionPage
from renewal_desk.ui.supervision.common import OVERDUE
from renewal_desk.ui.supervision.dialogs import (AcceptanceDialog, InspectionDialog, NoticeDialog, ProblemDialog,
                                                 StepDialog)
from tests.core.raw_sql import damage_content

TODAY = date.today()


def _reload(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _save(dialog):
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.errors.text()
    return dialog.result_id


def _select(page, qtbot, problem_id):
    with qtbot.waitSignal(page.detail_loaded, timeout=10000):
        page.select_problem(problem_id)
    assert page.detail.row.id == problem_id
    return page.detail.row


def _step(page, qtbot, problem, action, on, text, by=None, passed=None, photos=()):
    dialog = StepDialog(page.db, problem, action, page)
    qtbot.addWidget(dialog)
    dialog.on.setDate(_qdate(on))
    dialog.text.setPlainText(text)
    if by is not None:
        dialog.by.setText(by)
    if passed is not None:
        dialog.passed.setCurrentIndex(dialog.passed.findData(passed))
    if photos:
        assert dialog.photos.add_files(photos) == len(photos)
    return dialog


def _setup(db):
    project_id = svc.projects(db)[0][0]
    with db.read() as s:
        people = s.scalars(select(Person.id).where(Person.is_head.is_(True)).order_by(Person.id).limit(2)).all()
    for pid in people:
        svc.appoint_supervisor(db, svc.SupervisorInput(pid, TODAY - timedelta(days=60), project_id, "幸福街字1号"))
    party = svc.save_party(db, svc.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"))
    return project_id, party


def _page(qtbot, db):
    page = SupervisionPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    return page


@pytest.mark.both_engines  # photos on the office server: stored in its database, thumbnails from it
def test_inspection_photo_notice_reply_failed_and_passed_recheck_closed_with_history(qtbot, demo_db, tmp_path):
    db = demo_db
    project_id, party = _setup(db)
    page = _page(qtbot, db)
    assert page.problems_tab.problems.rowCount() == 0
    assert page.team_tab.team.rowCount() == 2 and "****" in page.team_tab.team.rows[0][1]  # phones masked on screen

    inspection = InspectionDialog(db, project_id, page)
    qtbot.addWidget(inspection)
    inspection.on.setDate(_qdate(TODAY - timedelta(days=20)))
    inspection.save()
    assert "巡查部位" in inspection.errors.text()  # says which field and why
    inspection.places.setText("3号楼外墙")
    inspection.select_all_supervisors()
    inspection.staff.setText("街道 周工")
    inspection_id = _save(inspection)

    problem = ProblemDialog(db, project_id, inspection_id, page)
    qtbot.addWidget(problem)
    assert problem.found_on.date() == _qdate(TODAY - timedelta(days=20))  # taken from the inspection
    problem.building.setCurrentIndex(3)
    problem.location.setText("东立面三层")
    problem.description.setPlainText("外墙保温层空鼓开裂")
    problem.basis.setText("GB 50210-2018")
    problem.measures.setPlainText("铲除空鼓部位重新粘贴")
    problem.party.setCurrentIndex(problem.party.findData(party))
    photo = make_photo(tmp_path / "crack.png", 1)
    assert problem.photos.add_files([str(photo)]) == 1
    problem_id = _save(problem)
    _reload(page, qtbot)
    assert page.problems_tab.problems.rows[0][7] == "待发通知" and page.problems_tab.problems.rows[0][11] == 1

    row = _select(page, qtbot, problem_id)
    notice = NoticeDialog(db, [row], page)
    qtbot.addWidget(notice)
    notice.issued_on.setDate(_qdate(TODAY - timedelta(days=19)))
    notice.deadline.setDate(_qdate(TODAY - timedelta(days=12)))
    assert notice.table.model().index(0, 1).data() == "铲除空鼓部位重新粘贴"  # the problem's own, to edit here
    _save(notice)
    _reload(page, qtbot)
    row = _select(page, qtbot, problem_id)
    assert page.problems_tab.problems.rows[0][7] == "已发通知" and page.problems_tab.problems.rows[0][8].startswith("ZG-")
    assert page.problems_tab.problems.rows[0][10] == 12
    assert page.problems_tab.problems.highlight(0) == OVERDUE  # overdue shows in red
    assert page.overdue_label.text().endswith("1 项")

    # A step the state does not allow is refused with the reason, in the dialog
    refused = _step(page, qtbot, row, "close", TODAY - timedelta(days=15), "")
    refused.save()
    assert refused.result() != refused.DialogCode.Accepted
    assert "整改通知已发出，正在等待责任单位回复" in refused.errors.text()

    fixed = make_photo(tmp_path / "fixed.png", 2, "fixed")
    _save(_step(page, qtbot, row, "reply", TODAY - timedelta(days=13), "已铲除重贴", photos=[str(fixed)]))
    _save(_step(page, qtbot, row, "recheck", TODAY - timedelta(days=12), "拉拔试验不合格", "王监督员", passed=False))
    _reload(page, qtbot)
    row = _select(page, qtbot, problem_id)
    assert page.problems_tab.problems.rows[0][7] == "复查未通过"
    again = NoticeDialog(db, [row], page)
    qtbot.addWidget(again)
    again.issued_on.setDate(_qdate(TODAY - timedelta(days=11)))
    again.deadline.setDate(_qdate(TODAY - timedelta(days=4)))
    again.set_measures("返工并做拉拔试验")
    _save(again)
    _save(_step(page, qtbot, row, "reply", TODAY - timedelta(days=5), "返工完成，试验合格"))
    _save(_step(page, qtbot, row, "recheck", TODAY - timedelta(days=4), "复查合格", "王监督员", passed=True))
    _save(_step(page, qtbot, row, "close", TODAY - timedelta(days=3), "整改闭环"))

    _reload(page, qtbot)
    with qtbot.waitSignal(page.thumbnails_loaded, timeout=10000):
        _select(page, qtbot, problem_id)
    assert page.problems_tab.problems.rows[0][7] == "已关闭" and page.problems_tab.problems.highlight(0) is None
    steps = [(r[1], r[2]) for r in page.problems_tab.history.rows]
    assert steps == [("发现问题", "待发通知"), ("发出整改通知", "已发通知"), ("整改回复", "已回复"),
                     ("复查未通过", "复查未通过"), ("重新下发整改通知", "已发通知"), ("整改回复", "已回复"),
                     ("复查通过", "复查通过"), ("关闭", "已关闭")]
    assert page.problems_tab.history.rows[3][3] == "王监督员" and "拉拔试验不合格" in page.problems_tab.history.rows[3][6]
    history = page.problems_tab.history.rows
    assert history[4][6] == "返工并做拉拔试验" and history[1][4] != history[4][4]
    assert "已关闭" in page.problems_tab.detail_label.text()
    # the photo found and the reply's photo, both with thumbnails (made off the GUI thread)
    qtbot.waitUntil(lambda: page.problems_tab.photo_strip.count() == 2
                    and all(not page.problems_tab.photo_strip.item(i).icon().isNull() for i in range(2)), timeout=10000)
    assert page.records_tab.notices.rowCount() == 2


@pytest.mark.both_engines
def test_bad_and_missing_photos_get_a_clear_message_and_nothing_breaks(qtbot, demo_db, tmp_path):
    db = demo_db
    project_id, party = _setup(db)
    page = _page(qtbot, db)
    dialog = ProblemDialog(db, project_id, parent=page)
    qtbot.addWidget(dialog)
    not_image = tmp_path / "scan.jpg"
    not_image.write_text("这不是图片", encoding="utf-8")
    good = make_photo(tmp_path / "ok.png", 3)
    assert dialog.photos.add_files([str(tmp_path / "gone.jpg"), str(not_image), str(good)]) == 1
    assert "照片文件不存在：gone.jpg" in dialog.errors.text() and "scan.jpg" in dialog.errors.text()
    assert dialog.photos.files == [str(good)]
    dialog.building.setCurrentIndex(1)
    dialog.description.setPlainText("雨水管接口错位")
    dialog.party.setCurrentIndex(dialog.party.findData(party))
    problem_id = _save(dialog)  # the good photo is kept, the bad ones never got in

    # the stored file disappears later: the thumbnail says so, the rest of the page works
    detail = svc.problem_detail(db, problem_id)
    damage_content(db, detail.photos[0].sha256, None)  # the file, or the server's row and this laptop's copy
    _reload(page, qtbot)
    _select(page, qtbot, problem_id)
    # the thumbnail is made off the GUI thread: wait for its answer, not for any strip update
    strip = page.problems_tab.photo_strip
    qtbot.waitUntil(lambda: strip.count() == 1 and "丢失" in strip.item(0).toolTip(), timeout=10000)
    assert page.problems_tab.history.rowCount() == 1 and page.problems_tab.problems.rowCount() == 1
    # adding a non-image to an existing problem is refused with the file named; nothing changes
    from PySide6.QtWidgets import QMessageBox

    shown = []
    qtbot_patch = QMessageBox.warning
    QMessageBox.warning = staticmethod(lambda *args: shown.append(args[2]))
    try:
        assert page.problems_tab.add_photos([str(not_image)]) == 0
    finally:
        QMessageBox.warning = qtbot_patch
    assert "scan.jpg" in shown[0] and "不是可识别的图片" in shown[0]
    assert svc.problem_rows(db)[0].photos == 1


def test_page_on_demo_data_charts_acceptance_and_rule(qtbot, demo_db):
    from renewal_desk.core.services.demo_supervision import generate_supervision_demo

    generate_supervision_demo(demo_db, svc.projects(demo_db)[0][0], 2)
    page = _page(qtbot, demo_db)
    assert page.problems_tab.problems.rowCount() >= 30
    listed = page.problems_tab.problems
    overdue_rows = [r for r in range(listed.rowCount()) if listed.highlight(r) == OVERDUE]
    assert overdue_rows and all(page.problems_tab.problems.rows[r][10] for r in overdue_rows)
    accepted = page.acceptance_tab.acceptances
    assert accepted.rowCount() == 2 and {r[3] for r in accepted.rows} == {"通过", "不通过"}
    assert set(page.charts_tab.plots) == {"timeline", "category", "party", "days"}
    assert "巡查" in page.charts_tab.figures.text()
    page.acceptance_tab.rule_percent.setText("120")
    assert not page.acceptance_tab.save_rule() and "0 到 100" in page.acceptance_tab.rule_status.text()
    page.acceptance_tab.rule_percent.setText("85")
    assert page.acceptance_tab.save_rule() and svc.acceptance_rule(demo_db).min_percent == 85
    page.problems_tab.overdue_only.setChecked(True)
    _reload(page, qtbot)
    assert page.problems_tab.problems.rowCount() == len(overdue_rows)


def test_main_window_supervision_section_and_overview_overdue(window, qtbot, demo_db):
    from renewal_desk.core.services.demo_supervision import generate_supervision_demo

    generate_supervision_demo(demo_db, svc.projects(demo_db)[0][0], 2)
    page = window.show_section("supervision")
    assert isinstance(page, SupervisionPage)
    _reload(page, qtbot)
    assert page.problems_tab.problems.rowCount() >= 30
    overview = window.show_section("overview")
    count = svc.overdue_count(demo_db)
    assert count > 0
    overview.refresh()  # the demo above was added after the overview first loaded
    qtbot.waitUntil(lambda: len(overview.lines("rectification")) == count, timeout=10000)
    heads = [overview.todo.topLevelItem(i).text(0) for i in range(overview.todo.topLevelItemCount())]
    assert f"逾期未整改的监督问题（{count}）" in heads


def _type_in_cell(qtbot, view, row, column, text):
    """What a person does: open the cell's editor (as a double-click or F2 does), type over it, press Enter.
    (Chinese comes through the input method: inserted as it commits, not as key presses.)"""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit), editor
    editor.selectAll()
    editor.insert(text)
    qtbot.keyPress(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=5000)  # Qt commits and closes it, queued


def test_notice_measures_are_edited_in_place_per_problem(qtbot, qtmodeltester, db):
    from renewal_desk.core.services.places import create_place

    project = create_place(db, "project", "仁和里街区更新")
    party = svc.save_party(db, svc.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"))
    first = svc.add_problem(db, svc.ProblemInput(project, "质量", "外墙空鼓", TODAY, "一般", party, location="东墙",
                                                 measures="铲除空鼓部位重新粘贴"))
    second = svc.add_problem(db, svc.ProblemInput(project, "安全", "围挡缺口", TODAY, "一般", party, location="南门"))
    rows = svc.problem_rows(db, svc.ProblemFilter(ids=[first, second]))
    dialog = NoticeDialog(db, rows)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.measures
    qtmodeltester.check(model)
    shown = [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]
    assert shown == [(f"#{r.id} {r.place}：{r.description}", svc.problem_detail(db, r.id).measures) for r in rows]
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable  # the problem is shown, not edited
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    row_of = {r.id: i for i, r in enumerate(rows)}
    _type_in_cell(qtbot, dialog.table, row_of[second], 1, "补齐围挡并设警示灯")
    assert model.index(row_of[second], 1).data() == "补齐围挡并设警示灯"
    qtmodeltester.check(model)
    notice_id = _save(dialog)
    assert svc.notice_measures(db, notice_id) == {first: "铲除空鼓部位重新粘贴", second: "补齐围挡并设警示灯"}
    again = NoticeDialog(db, svc.problem_rows(db, svc.ProblemFilter(ids=[first])))
    qtbot.addWidget(again)
    again.set_measures("返工并做拉拔试验")  # one text for every problem of the notice
    assert again.measures.index(0, 1).data() == "返工并做拉拔试验"
    qtmodeltester.check(again.measures)


def test_acceptance_checklist_is_edited_in_place_and_its_results_are_choices(qtbot, qtmodeltester, db):
    from renewal_desk.core.rules import acceptance as acc
    from renewal_desk.core.services.places import create_place

    project = create_place(db, "project", "仁和里街区更新")
    dialog = AcceptanceDialog(db, project)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.checklist_model
    qtmodeltester.check(model)
    assert [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())] == [
        (item, "合格", "") for item in acc.DEFAULT_CHECKLIST]
    combo = dialog.checklist.indexWidget(model.index(1, 1))  # every row's result: a combo, open
    assert isinstance(combo, QComboBox) and [combo.itemText(i) for i in range(combo.count())] == list(acc.CHECK_RESULTS)
    combo.setCurrentText("不合格")
    assert model.index(1, 1).data() == "不合格"
    assert not model.setData(model.index(1, 1), "差不多")  # only one of the choices
    _type_in_cell(qtbot, dialog.checklist, 1, 2, "围挡未拆除")
    _type_in_cell(qtbot, dialog.checklist, 4, 0, "公共部位、消防设施可正常使用")  # an item reworded
    qtmodeltester.check(model)
    for key, _zh, _en in acc.PARTIES:
        dialog.parties[key].setText("到场代表")
    dialog.survey["satisfied"].setValue(40)
    dialog.save()  # a failed item: passing is refused, naming it
    assert dialog.result() != dialog.DialogCode.Accepted and "安全文明施工，现场清理恢复" in dialog.errors.text()
    dialog.passed.setCurrentIndex(dialog.passed.findData(False))
    dialog.reasons.setPlainText("现场清理未完成")
    _save(dialog)
    [record] = svc.acceptances(db)
    assert record.checklist[1] == ("安全文明施工，现场清理恢复", "不合格", "围挡未拆除")
    assert record.checklist[4] == ("公共部位、消防设施可正常使用", "合格", "")
    assert not record.passed


def test_the_english_page_names_each_step_of_the_history_in_english(qtbot, records_db, english_ui):
    """处理经过 in the user's language: the steps' words from their codes (the service's Chinese label showed)."""
    db = records_db
    problem_id = next(r.id for r in svc.problem_rows(db) if len(svc.problem_detail(db, r.id).history) >= 2)
    page = _page(qtbot, db)
    _select(page, qtbot, problem_id)
    history = page.problems_tab.history
    steps = [history.index(r, 1).data() for r in range(history.rowCount())]
    assert "problem found" in steps and all(s and s.isascii() for s in steps), steps
    states = [history.index(r, 2).data() for r in range(history.rowCount())]
    assert all(s.isascii() for s in states), states
    rows = page.problems_tab.problems  # categories and severities from their codes too (migration 0025)
    kinds = {(rows.index(r, 3).data(), rows.index(r, 4).data()) for r in range(rows.rowCount())}
    assert all(c.isascii() and v.isascii() for c, v in kinds), kinds
    team = page.team_tab.parties
    assert team.rowCount() and all(team.index(r, 1).data().isascii() for r in range(team.rowCount()))
