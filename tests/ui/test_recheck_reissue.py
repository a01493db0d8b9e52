"""监督反馈 as the supervisors use it (issue 17): the re-check has no default conclusion (saving without
choosing is refused in Chinese); a failed re-check offers 重新下发整改通知 right away, with a new deadline,
and the re-issued notice shows in 处理经过."""

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from renewal_desk.core.models import ProjectType
from renewal_desk.core.rules.rectification import State
from renewal_desk.core.services import supervision as svc
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.supervision import SupervisionPage
from renewal_desk.ui.supervision.dialogs import NoticeDialog, StepDialog

TODAY = date.today()


def _button(widget, text: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text().rstrip("…") == text.rstrip("…")]
    assert found, f"no button {text!r}"
    return found[0]


def _page(qtbot, db):
    project = create_place(db, "project", "幸福街区", project_type=ProjectType.RESIDENTIAL)
    party = svc.save_party(db, svc.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"))
    pid = svc.add_problem(db, svc.ProblemInput(project, "质量", "外墙保温层空鼓", TODAY - timedelta(days=20), "较重",
                                               party, location="东立面三层", measures="铲除空鼓部位重新粘贴"))
    svc.issue_notice(db, svc.NoticeInput([pid], TODAY - timedelta(days=19), TODAY - timedelta(days=12)))
    svc.record_reply(db, pid, TODAY - timedelta(days=13), "已重新粘贴", "郑建军")
    page = SupervisionPage(db)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    with qtbot.waitSignal(page.detail_loaded, timeout=10000):
        page.select_problem(pid)
    return page, pid


def test_recheck_has_no_default_and_a_failure_leads_to_a_reissued_notice(qtbot, db, monkeypatch):
    page, pid = _page(qtbot, db)
    seen = []

    def recheck_exec(self):
        self.show()
        assert self.passed.currentData() is None  # nothing chosen for the user
        self.text.setPlainText("拉拔试验不合格")
        self.save()
        seen.append(self.errors.text())
        assert self.isVisible() and self.text.toPlainText() == "拉拔试验不合格"  # refused, the typing stays
        self.passed.setCurrentIndex(self.passed.findData(False))
        self.save()
        return self.result()
    monkeypatch.setattr(StepDialog, "exec", recheck_exec)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes))
    notices = []

    def notice_exec(self):
        self.show()
        notices.append(self.windowTitle())
        self.deadline.setDate(QDate.currentDate())  # not after the day of issue: refused
        self.save()
        notices.append(self.errors.text())
        self.deadline.setDate(QDate.currentDate().addDays(10))
        self.save()
        return self.result()
    monkeypatch.setattr(NoticeDialog, "exec", notice_exec)

    with qtbot.waitSignal(page.loaded, timeout=10000):
        QTest.mouseClick(_button(page, "复查…"), Qt.MouseButton.LeftButton)
    assert "复查结论" in seen[0]
    assert asked and "重新下发整改通知" in asked[0]
    assert notices[0] == "重新下发整改通知" and "整改期限" in notices[1]
    detail = svc.problem_detail(db, pid)
    assert detail.row.state == State.NOTIFIED and detail.row.deadline == TODAY + timedelta(days=10)
    qtbot.waitUntil(lambda: page.detail is not None and page.problems_tab.history.rowCount() == len(detail.history),
                    timeout=10000)
    steps = [page.problems_tab.history.rows[r][1] for r in range(page.problems_tab.history.rowCount())]
    assert steps[-2:] == ["复查未通过", "重新下发整改通知"]  # in 处理经过, as the user reads it
    assert page.problems_tab.history.rows[-1][5] == (TODAY + timedelta(days=10)).isoformat()


def test_reissue_button_offers_it_only_after_a_failed_recheck(qtbot, db, monkeypatch):
    page, pid = _page(qtbot, db)
    told = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: told.append(a[2])))
    monkeypatch.setattr(NoticeDialog, "exec", lambda self: told.append("opened") or 0)
    QTest.mouseClick(_button(page, "重新下发整改通知…"), Qt.MouseButton.LeftButton)
    assert told and "只有复查未通过" in told[-1]
    svc.recheck(db, pid, TODAY, False, "王监督员", "仍空鼓")
    QTest.mouseClick(_button(page, "重新下发整改通知…"), Qt.MouseButton.LeftButton)
    assert told[-1] == "opened"
