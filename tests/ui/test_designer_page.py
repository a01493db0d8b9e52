"""首席街长 page as staff use it: appoint a designer, record a visit with two opinions, answer one as
adopted and one as not adopted (with a reason), and watch the timeline and the adoption rate."""

from datetime import date, timedelta

from PySide6.QtCore import QDate

from renewal_desk.core.services import designer as svc
from renewal_desk.core.rules.designer import OpinionStatus as S, Stage as G, Stakeholder as H
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.designer_page import AppointDialog, DesignerPage, ResponseDialog, VisitDialog

TODAY = date.today()


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _reload(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


def test_visit_two_opinions_answers_update_timeline_and_rate(qtbot, db):
    project = create_place(db, "project", "仁和里街区更新")
    block = create_place(db, "block", "仁和里", project)
    page = DesignerPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    assert page.entries.rowCount() == 0
    assert page.designer_label.text() == "尚未聘任首席街长"

    appoint = AppointDialog(db, block, page)
    qtbot.addWidget(appoint)
    appoint.designer.setEditText("林若溪")
    appoint.appointed_on.setDate(_qdate(TODAY - timedelta(days=60)))
    appoint.save()
    assert "聘书编号不能为空" in appoint.errors.text()
    appoint.letter.setText("WH-JZ-01")
    appoint.save()
    assert appoint.result() == appoint.DialogCode.Accepted, appoint.errors.text()
    _reload(page, qtbot)
    assert "林若溪" in page.designer_label.text() and "WH-JZ-01" in page.designer_label.text()

    visit = VisitDialog(db, block, page)
    qtbot.addWidget(visit)
    visit.visited_on.setDate(_qdate(TODAY - timedelta(days=20)))
    visit.participants.setText("社区书记、居民代表")
    first = visit.editors[0]
    first.stage.setCurrentText("设计")
    first.stakeholders[H.RESIDENTS].setChecked(True)
    first.opinion.setPlainText("建议保留老槐树下的空地作口袋公园")
    first.addressee.setCurrentText("实施主体")
    second = visit.add_opinion_editor()
    second.stage.setCurrentText("施工")
    second.stakeholders[H.MERCHANTS].setChecked(True)
    second.stakeholders[H.RESIDENTS].setChecked(True)
    second.opinion.setPlainText("沟槽补设围挡和警示灯")
    second.addressee.setCurrentText("施工单位")
    second.respond_by.setDate(_qdate(TODAY - timedelta(days=5)))  # already past: overdue until answered
    visit.save()
    assert visit.result() == visit.DialogCode.Accepted, visit.errors.text()
    _reload(page, qtbot)
    assert [r[1] for r in page.entries.rows] == ["走访", "意见", "意见"]
    assert "意见：2" in page.figures.text() and "采纳率：—" in page.figures.text() and "逾期：1" in page.figures.text()
    overdue_row = next(r for r in range(page.entries.rowCount()) if page.entries.rows[r][3] == "施工")
    assert page.entries.highlight(overdue_row) == "#b03a2e" and "逾期" in page.entries.rows[overdue_row][4]
    assert page.plot is not None and len(page.plot.getPlotItem().items) == 1  # one bar set: 提出

    adopted, rejected = page.timeline.opinions
    page.select_opinion(adopted.id)
    assert "老槐树" in page.detail.text() and page.selected_opinion_id() == adopted.id
    answer = ResponseDialog(db, adopted, page)
    qtbot.addWidget(answer)
    assert [answer.status.itemText(i) for i in range(answer.status.count())] == ["已回复", "已采纳", "部分采纳", "未采纳"]
    answer.status.setCurrentText("已采纳")
    answer.responded_on.setDate(_qdate(TODAY - timedelta(days=10)))
    answer.text.setPlainText("采纳，已调整方案")
    answer.save()
    assert answer.result() == answer.DialogCode.Accepted, answer.errors.text()

    refuse = ResponseDialog(db, rejected, page)
    qtbot.addWidget(refuse)
    refuse.status.setCurrentText("未采纳")
    refuse.responded_on.setDate(_qdate(TODAY - timedelta(days=4)))
    refuse.text.setPlainText("暂不采纳")
    refuse.save()
    assert "未采纳须填写理由" in refuse.errors.text()
    refuse.reason.setText("工期受限，已有临时围挡")
    refuse.save()
    assert refuse.result() == refuse.DialogCode.Accepted, refuse.errors.text()

    _reload(page, qtbot)
    assert [r[1] for r in page.entries.rows] == ["走访", "意见", "意见", "答复", "答复"]
    assert [r[4] for r in page.entries.rows if r[1] == "答复"] == ["已采纳", "未采纳"]
    text = page.figures.text()
    assert "已答复：2" in text and "采纳率：50.0%" in text and "平均答复用时：13.0 天" in text and "逾期：0" in text
    assert all(page.entries.highlight(r) != "#b03a2e" for r in range(page.entries.rowCount()))
    assert len(page.plot.getPlotItem().items) == 2  # 已采纳 and 未采纳
    page.select_opinion(rejected.id)
    assert "工期受限" in page.detail.text()

    # filters: only the construction stage, then only the not adopted
    page.stage_filter.setCurrentIndex(page.stage_filter.findData(G.CONSTRUCTION))
    _reload(page, qtbot)
    assert [r[1] for r in page.entries.rows] == ["走访", "意见", "答复"] and "采纳率：0.0%" in page.figures.text()
    page.stage_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData(S.ADOPTED))
    _reload(page, qtbot)
    assert [r[2] for r in page.entries.rows if r[1] == "意见"] == [adopted.opinion_no]
    assert "采纳率：100.0%" in page.figures.text()

    # a settled opinion offers no further status
    assert svc.rules.allowed_next(svc.opinion_view(db, adopted.id).status) == ()


def test_print_buttons_and_photos(qtbot, db, tmp_path):
    project = create_place(db, "project", "仁和里街区更新")
    block = create_place(db, "block", "仁和里", project)
    person = svc.add_designer(db, "林若溪")
    svc.appoint(db, svc.AppointmentInput(person, block, "WH-JZ-01", TODAY - timedelta(days=30)))
    svc.record_visit(db, svc.VisitInput(block, TODAY - timedelta(days=3), [
        svc.OpinionInput(G.DESIGN, (H.VISITORS,), "导视统一", "设计单位")]))
    page = DesignerPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    page.select_opinion(page.timeline.opinions[0].id)
    sketch = tmp_path / "草图.png"
    sketch.write_bytes(b"\x89PNG sketch")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        assert page.add_files([str(sketch)]) == 1
    page.select_opinion(page.timeline.opinions[0].id)
    assert "草图和照片：1" in page.detail.text()
    opinion, journal = tmp_path / "op.pdf", tmp_path / "j.pdf"
    page.print_opinion(str(opinion))
    page.print_journal(str(journal))
    qtbot.waitUntil(lambda: opinion.exists() and journal.exists(), timeout=20000)


def test_ordering_page_lists_the_opinions_citing_its_round(qtbot, db):
    from renewal_desk.core.models import OrderingRound
    from renewal_desk.core.services import ordering
    from renewal_desk.ui.ordering_page import OrderingPage

    project = create_place(db, "project", "仁和里街区更新")
    block = create_place(db, "block", "仁和里", project)
    round_id = ordering.create_round(db, project, "2026年居民点单", TODAY - timedelta(days=10))
    with db.read() as s:
        uuid = s.get(OrderingRound, round_id).uuid
    person = svc.add_designer(db, "林若溪")
    svc.appoint(db, svc.AppointmentInput(person, block, "WH-JZ-01", TODAY - timedelta(days=30)))
    svc.record_visit(db, svc.VisitInput(block, TODAY - timedelta(days=3), [
        svc.OpinionInput(G.DESIGN, (H.RESIDENTS,), "按点单结果优先加装电梯", "设计单位", cites_kind="ordering_round",
                         cites_uuid=uuid)]))
    page = OrderingPage(db)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "按点单结果优先加装电梯" in page.designer_opinions.text(), timeout=10000)
    assert "林若溪" in page.designer_opinions.text() and not page.designer_opinions.isHidden()
    assert "，提出）" in page.designer_opinions.text() and "raised" not in page.designer_opinions.text()  # in words


def test_the_english_page_shows_english_stages_stakeholders_and_statuses(qtbot, db, english_ui):
    """Stored codes are shown through the label tables in the user's language (issue 21, migration 0023);
    the combos carry the codes as their data."""
    project = create_place(db, "project", "Renhe renewal")
    block = create_place(db, "block", "Renhe", project)
    svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "Lin Ruoxi"), block, "WH-JZ-01",
                                         TODAY - timedelta(days=30)))
    svc.record_visit(db, svc.VisitInput(block, TODAY - timedelta(days=3), [
        svc.OpinionInput(G.BUSINESS, (H.MERCHANTS, H.VISITORS), "Fewer chain stores", "Operator")]))
    page = DesignerPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    row = next(r for r in page.entries.rows if r[1] == "Opinion")
    assert (row[3], row[4]) == ("bringing in businesses", "raised")
    assert [page.stage_filter.itemText(i) for i in range(1, page.stage_filter.count())] == \
        ["design", "construction", "bringing in businesses", "operation"]
    assert [page.status_filter.itemData(i) for i in range(1, page.status_filter.count())] == list(S)
    opinion = page.timeline.opinions[0]
    page.select_opinion(opinion.id)
    assert "merchants, visitors" in page.detail.text() and "raised" in page.detail.text()
    answer = ResponseDialog(db, opinion, page)
    qtbot.addWidget(answer)
    assert [answer.status.itemText(i) for i in range(answer.status.count())] == \
        ["answered", "adopted", "partly adopted", "not adopted"]
    answer.status.setCurrentIndex(answer.status.findData(S.PARTLY))
    answer.text.setPlainText("Two of five kept")
    answer.save()
    assert answer.result() == answer.DialogCode.Accepted, answer.errors.text()
    assert svc.opinion_view(db, opinion.id).status == S.PARTLY
    visit = VisitDialog(db, block, page)
    qtbot.addWidget(visit)
    editor = visit.editors[0]
    assert [box.text() for box in editor.stakeholders.values()] == \
        ["merchants", "residents", "visitors", "implementing body"]
    assert editor.stage.currentData() == G.DESIGN and editor.stage.currentText() == "design"
