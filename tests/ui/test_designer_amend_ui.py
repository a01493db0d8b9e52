"""首席街长: a response with the wrong outcome is amended (更正答复) or voided (作废答复) from the page's
buttons, with a reason; the voided response stays visible, struck through (issue 17)."""

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from renewal_desk.core.services import designer as svc
from renewal_desk.core.rules.designer import OpinionStatus as S, Stage as G, Stakeholder as H
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.designer_page import DesignerPage, ResponseDialog, VoidResponseDialog
from tests.ui.test_dialogs_from_buttons import _button, _drive  # the shared dialog driver

TODAY = date.today()


def _page(qtbot, db):
    project = create_place(db, "project", "仁和里街区更新")
    block = create_place(db, "block", "仁和里", project)
    svc.appoint(db, svc.AppointmentInput(svc.add_designer(db, "林若溪"), block, "WH-JZ-01", TODAY - timedelta(days=60)))
    svc.record_visit(db, svc.VisitInput(block, TODAY - timedelta(days=20), [svc.OpinionInput(
        G.DESIGN, (H.RESIDENTS,), "建议保留老槐树下的空地作口袋公园", "实施主体")]))
    oid = svc.opinions(db, block)[0].id
    svc.respond(db, oid, svc.ResponseInput(S.ADOPTED, TODAY - timedelta(days=10), "实施主体 王工", "同意保留"))
    page = DesignerPage(db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.timeline is not None and bool(page.timeline.opinions), timeout=10000)
    page.select_opinion(oid)
    return page, oid


def _reloaded(qtbot, page, click):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        click()


def test_amend_response_from_its_button(qtbot, db, monkeypatch):
    page, oid = _page(qtbot, db)
    seen = []

    def no_reason(d):
        assert d.text.toPlainText() == "同意保留"  # the recorded response, to correct
        d.status.setCurrentText("部分采纳")
        d.text.setPlainText("保留一半作口袋公园")
    _drive(monkeypatch, ResponseDialog, no_reason, seen)
    QTest.mouseClick(_button(page, "更正答复…"), Qt.MouseButton.LeftButton)
    dialog, message, kept_open = seen[-1]
    assert "更正的原因" in message and kept_open and dialog.text.toPlainText() == "保留一半作口袋公园"
    assert svc.opinion_view(db, oid).status == S.ADOPTED

    def good(d):
        no_reason(d)
        d.why.setText("结果记错了：实为部分采纳")
    _drive(monkeypatch, ResponseDialog, good, seen)
    _reloaded(qtbot, page, lambda: QTest.mouseClick(_button(page, "更正答复…"), Qt.MouseButton.LeftButton))
    assert svc.opinion_view(db, oid).status == S.PARTLY
    responses = [r for r in page.entries.rows if r[1] == "答复"]
    assert [r[4] for r in responses] == ["已采纳（已作废）", "部分采纳"]  # both in the timeline
    page.select_opinion(oid)
    assert "<s>" in page.detail.text() and "已作废：结果记错了" in page.detail.text()


def test_void_response_from_its_button(qtbot, db, monkeypatch):
    page, oid = _page(qtbot, db)
    seen = []
    _drive(monkeypatch, VoidResponseDialog, lambda d: None, seen)  # no reason
    QTest.mouseClick(_button(page, "作废答复…"), Qt.MouseButton.LeftButton)
    assert "原因" in seen[-1][1] and seen[-1][2]
    assert svc.opinion_view(db, oid).status == S.ADOPTED
    _drive(monkeypatch, VoidResponseDialog, lambda d: d.reason.setText("记到了别的意见上"), seen)
    _reloaded(qtbot, page, lambda: QTest.mouseClick(_button(page, "作废答复…"), Qt.MouseButton.LeftButton))
    assert svc.opinion_view(db, oid).status == S.RAISED
    assert [r[4] for r in page.entries.rows if r[1] == "答复"] == ["已采纳（已作废）"]
