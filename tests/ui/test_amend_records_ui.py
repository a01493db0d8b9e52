"""更正 from the window for the records a worker most often gets wrong (issue 17): each opened from its own
button with the record as saved, corrected with a reason (no reason: refused, nothing written, the typed
text still there), the change shown on the page and audited with what it said before."""

from __future__ import annotations

import json
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from renewal_desk.core.rules.rectification import State
from renewal_desk.core.rules.designer import Stage as G, Stakeholder as H
from renewal_desk.core.models import AuditEntry
from renewal_desk.core.services import places
from renewal_desk.core.services import supervision as sv
from tests.ui.test_dialogs_from_buttons import _button, _drive

TODAY = date.today()


def _reload(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


def _amend_events(db, table):
    with db.read() as s:
        return [(e.record_id, e.note, json.loads(e.after) if e.after else None) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == "amend", AuditEntry.table_name == table))]


def _supervision(qtbot, db):
    from renewal_desk.ui.supervision import SupervisionPage

    project = places.create_place(db, "project", "仁和里街区更新")
    block = places.create_place(db, "block", "仁和里", project)
    building = places.create_place(db, "building", "3号楼", block)
    party = sv.save_party(db, sv.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"))
    inspection = sv.log_inspection(db, sv.InspectionInput(project, TODAY - timedelta(days=3), "3号楼东侧",
                                                          staff="李明", weather="晴"))
    problem = sv.add_problem(db, sv.ProblemInput(project, "安全", "脚手架未设防护网", TODAY - timedelta(days=3),
                                                 party_id=party, inspection_id=inspection, building_id=building,
                                                 location="东侧"))
    page = SupervisionPage(db)
    qtbot.addWidget(page)
    page.show()
    _reload(page, qtbot)
    return page, problem, inspection


def test_correct_problem_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.ui.supervision.dialogs import ProblemDialog

    page, problem, _inspection = _supervision(qtbot, db)
    page.problems_tab.problem_table.selectRow(0)
    seen = []

    def no_reason(d):
        assert d.description.toPlainText() == "脚手架未设防护网" and d.location.text() == "东侧"  # as saved
        assert d.category.currentData() == "safety"
        d.category.setCurrentIndex(d.category.findData("quality"))
        d.description.setPlainText("外墙砂浆空鼓")
    _drive(monkeypatch, ProblemDialog, no_reason, seen)
    QTest.mouseClick(_button(page, "更正问题…"), Qt.MouseButton.LeftButton)
    dialog, message, kept_open = seen[-1]
    assert "更正的原因" in message and kept_open and dialog.description.toPlainText() == "外墙砂浆空鼓"
    assert sv.problem_detail(db, problem).row.description == "脚手架未设防护网"  # nothing written
    assert _amend_events(db, "supervision_problem") == []

    def good(d):
        no_reason(d)
        d.why.setText("类别和描述记错了")
    _drive(monkeypatch, ProblemDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        QTest.mouseClick(_button(page, "更正问题…"), Qt.MouseButton.LeftButton)
    assert seen[-1][0].windowTitle() == "更正监督问题"
    row = sv.problem_detail(db, problem).row
    assert (row.category, row.description, row.state) == ("quality", "外墙砂浆空鼓", State.PENDING)  # the state kept
    assert page.problems_tab.problems.rows[0][3:6] == ("质量", "一般", "外墙砂浆空鼓")  # what the user sees
    [(rid, note, after)] = _amend_events(db, "supervision_problem")
    assert rid == problem and note == "类别和描述记错了"
    assert after["before"] == {"category": "safety", "description": "脚手架未设防护网"}


def test_correct_inspection_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.ui.supervision.dialogs import InspectionDialog

    page, _problem, inspection = _supervision(qtbot, db)
    page.tabs.setCurrentIndex(1)
    page.records_tab.inspection_table.selectRow(0)
    seen = []

    def fill(d):
        assert d.places.text() == "3号楼东侧" and d.staff.text() == "李明"
        d.places.setText("3号楼西侧")
        d.weather.setCurrentText("小雨")
    _drive(monkeypatch, InspectionDialog, fill, seen)
    QTest.mouseClick(_button(page, "更正巡查记录…"), Qt.MouseButton.LeftButton)
    assert "更正的原因" in seen[-1][1] and seen[-1][2]
    assert sv.inspections(db)[0].places == "3号楼东侧"

    def good(d):
        fill(d)
        d.why.setText("部位记错")
    _drive(monkeypatch, InspectionDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        QTest.mouseClick(_button(page, "更正巡查记录…"), Qt.MouseButton.LeftButton)
    assert page.records_tab.inspections.rows[0][1:3] == ("3号楼西侧", "小雨")
    assert [(r, n) for r, n, _a in _amend_events(db, "inspection")] == [(inspection, "部位记错")]


def _lease(qtbot, db):
    from renewal_desk.core.services import leases as ls
    from renewal_desk.ui.leases_page import LeasesPage

    wang = ls.add_person(db, "王𠮷")
    li = ls.add_person(db, "李秀英")
    house = ls.create_house(db, ls.HouseInput("仁和里", "9号", [wang, li], "96.5"))
    start = TODAY - timedelta(days=100)
    contract = ls.create_contract(db, house, [wang], ls.TermsInput(start, 120, 1_200_000, due_day=min(start.day, 28)),
                                  lessee_name="幸福街道办事处", lessee_representative="陈主任", lessee_address="幸福路1号")
    payment = ls.record_payment(db, ls.PaymentInput(contract, TODAY - timedelta(days=5), 300_000, reference="HZ-001"))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    page.show()
    _reload(page, qtbot)
    page.tabs.setCurrentIndex(1)
    page.select_contract(contract)
    return page, contract, payment, (wang, li)


def test_correct_payment_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.core.services import leases as ls
    from renewal_desk.ui.leases_page import PaymentDialog

    page, contract, payment, _people = _lease(qtbot, db)
    page.payment_table.selectRow(0)
    seen = []

    def no_reason(d):
        assert d.amount.text() == "3000" and d.reference.text() == "HZ-001"  # the payment as recorded
        d.amount.setText("2000")
    _drive(monkeypatch, PaymentDialog, no_reason, seen)
    QTest.mouseClick(_button(page, "更正付款…"), Qt.MouseButton.LeftButton)
    assert "原因" in seen[-1][1] and seen[-1][2] and seen[-1][0].amount.text() == "2000"
    assert [(p.amount_fen, p.voided) for p in ls.contract_view(db, contract).payments] == [(300_000, False)]

    def good(d):
        no_reason(d)
        d.why.setText("金额录错")
    _drive(monkeypatch, PaymentDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        QTest.mouseClick(_button(page, "更正付款…"), Qt.MouseButton.LeftButton)
    assert seen[-1][0].windowTitle() == "更正付款记录"
    assert [(p.amount_fen, p.voided) for p in ls.contract_view(db, contract).payments] == [(300_000, True),
                                                                                         (200_000, False)]
    assert [(r[1], r[5]) for r in page.payments.rows] == [("3,000.00", "作废：更正：金额录错"), ("2,000.00", "")]
    assert [(r, n) for r, n, _a in _amend_events(db, "rent_payment")] == [(payment, "金额录错")]
    page.payment_table.selectRow(0)  # a voided payment cannot be corrected again
    monkeypatch.setattr("renewal_desk.ui.leases_page.QMessageBox.information", lambda *a: seen.append(a[2]))
    QTest.mouseClick(_button(page, "更正付款…"), Qt.MouseButton.LeftButton)
    assert "作废" in seen[-1]


def test_correct_contract_parties_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.core.services import leases as ls
    from renewal_desk.ui.leases_page import PartiesDialog

    page, contract, _payment, (wang, li) = _lease(qtbot, db)
    seen = []

    def none_signing(d):
        assert d.chosen() == [wang] and d.representative.text() == "陈主任"
        d.lessors.item(0).setCheckState(Qt.CheckState.Unchecked)
        d.why.setText("两位产权人都签字")
    _drive(monkeypatch, PartiesDialog, none_signing, seen)
    QTest.mouseClick(_button(page, "更正当事人…"), Qt.MouseButton.LeftButton)
    assert "出租人" in seen[-1][1] and seen[-1][2]
    assert [p[0] for p in ls.contract_view(db, contract).lessors] == [wang]

    def good(d):
        d.lessors.item(1).setCheckState(Qt.CheckState.Checked)
        d.representative.setText("陈建华")
        d.why.setText("两位产权人都签字；负责人写全名")
    _drive(monkeypatch, PartiesDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        QTest.mouseClick(_button(page, "更正当事人…"), Qt.MouseButton.LeftButton)
    view = ls.contract_view(db, contract)
    assert [p[0] for p in view.lessors] == [wang, li] and view.lessee_representative == "陈建华"
    assert "王𠮷、李秀英" in page.detail.text()  # what the user sees
    [(_rid, note, after)] = _amend_events(db, "lease_contract")
    assert "负责人写全名" in note and after["before"]["lessors"] == [wang]
    assert after["before"]["lessee_representative"] == "陈主任"


def test_correct_opinion_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.core.services import designer as ds
    from renewal_desk.ui.designer_page import DesignerPage, OpinionDialog

    project = places.create_place(db, "project", "仁和里街区更新")
    block = places.create_place(db, "block", "仁和里", project)
    ds.appoint(db, ds.AppointmentInput(ds.add_designer(db, "林若溪"), block, "WH-JZ-01", TODAY - timedelta(days=60)))
    ds.record_visit(db, ds.VisitInput(block, TODAY - timedelta(days=20), [ds.OpinionInput(
        G.DESIGN, (H.RESIDENTS,), "建议保留老槐树", "实施主体", respond_by=TODAY)]))
    oid = ds.opinions(db, block)[0].id
    page = DesignerPage(db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.timeline is not None and bool(page.timeline.opinions), timeout=10000)
    page.select_opinion(oid)
    seen = []

    def no_reason(d):
        assert d.editor.opinion.toPlainText() == "建议保留老槐树" and d.editor.stage.currentText() == "设计"
        d.editor.stage.setCurrentText("施工")
        d.editor.opinion.setPlainText("建议保留老槐树及树下空地")
    _drive(monkeypatch, OpinionDialog, no_reason, seen)
    QTest.mouseClick(_button(page, "更正意见…"), Qt.MouseButton.LeftButton)
    assert "原因" in seen[-1][1] and seen[-1][2]
    assert ds.opinion_view(db, oid).opinion == "建议保留老槐树"

    def good(d):
        no_reason(d)
        d.why.setText("阶段记错，意见漏了半句")
    _drive(monkeypatch, OpinionDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        QTest.mouseClick(_button(page, "更正意见…"), Qt.MouseButton.LeftButton)
    view = ds.opinion_view(db, oid)
    assert (view.stage, view.opinion, view.respond_by) == (G.CONSTRUCTION, "建议保留老槐树及树下空地", TODAY)
    page.select_opinion(oid)
    assert "建议保留老槐树及树下空地" in page.detail.text()
    [(_rid, note, after)] = _amend_events(db, "designer_opinion")
    assert "阶段记错" in note and after["before"] == {"stage": "design", "opinion": "建议保留老槐树"}  # the stored code


def test_the_audit_page_shows_corrections_and_steps_in_words(qtbot, db):
    """Seen in the 1366×768 screenshots: 处理经过 steps read 操作：close / recheck_pass and an amendment's
    before-values would read {'category': …}; the history title named the table (problem_transition)."""
    from renewal_desk.ui.audit_page import AuditPage

    project = places.create_place(db, "project", "仁和里街区更新")
    building = places.create_place(db, "building", "3号楼", places.create_place(db, "block", "仁和里", project))
    party = sv.save_party(db, sv.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"))
    problem = sv.add_problem(db, sv.ProblemInput(project, "安全", "脚手架未设防护网", TODAY - timedelta(days=3),
                                                 party_id=party, building_id=building, measures="加设防护网"))
    sv.issue_notice(db, sv.NoticeInput([problem], TODAY - timedelta(days=2), TODAY + timedelta(days=5)))
    data = sv.problem_input(db, problem)
    sv.amend_problem(db, problem, sv.ProblemInput(**{**data.__dict__, "category": "质量"}), "类别记错")
    page = AuditPage(db)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.model.loaded, timeout=10000):
        page.refresh()
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    texts = [(page.model.index(r, 2).data(), page.model.index(r, 3).data(), page.model.index(r, 6).data())
             for r in range(len(rows))]
    amend = next(t for t in texts if t[0] == "更正")
    assert amend[1] == "监督问题" and amend[2] == "更正前：（类别 安全）"
    step = next(t for t in texts if t[1] == "问题处理记录")
    assert "操作：发出整改通知" in step[2] and "issue" not in step[2]
    page.view.selectRow(next(r for r, t in enumerate(texts) if t[1] == "问题处理记录"))
    assert page.history_title.text().startswith("问题处理记录 ")
    assert "操作：发出整改通知" in page.history.toPlainText()


def test_correct_restoration_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.core.services import leases as ls
    from renewal_desk.ui.leases_page import RestorationDialog

    page, _contract, _payment, _people = _lease(qtbot, db)
    house = ls.contract_view(db, _contract).house_id
    restoration = ls.add_restoration(db, house, "屋面翻修", TODAY - timedelta(days=40), None, 1_200_000, "区级")
    _reload(page, qtbot)
    page.tabs.setCurrentIndex(0)
    page.house_table.selectRow(0)
    seen = []

    def backwards(d):
        assert d.works.toPlainText() == "屋面翻修" and d.cost.text() == "12000" and not d.finished.isChecked()
        d.finished.setChecked(True)
        d.end.setDate(TODAY - timedelta(days=50))  # before it started
        d.why.setText("补记完工日期")
    _drive(monkeypatch, RestorationDialog, backwards, seen)
    QTest.mouseClick(_button(page, "更正修缮……"), Qt.MouseButton.LeftButton)
    assert "完工日期" in seen[-1][1] and seen[-1][2]
    assert ls.latest_restoration(db, house).end_date is None  # nothing written

    def good(d):
        d.finished.setChecked(True)
        d.end.setDate(TODAY - timedelta(days=10))
        d.cost.setText("13500")
        d.why.setText("补记完工日期，费用按结算")
    _drive(monkeypatch, RestorationDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        QTest.mouseClick(_button(page, "更正修缮……"), Qt.MouseButton.LeftButton)
    latest = ls.latest_restoration(db, house)
    assert (latest.id, latest.end_date, latest.cost_fen) == (restoration, TODAY - timedelta(days=10), 1_350_000)
    assert page.houses.rows[0][5] == "已修缮"  # the register says so
    [(rid, note, after)] = _amend_events(db, "restoration")
    assert rid == restoration and after["before"] == {"end_date": None, "cost_fen": 1_200_000}
