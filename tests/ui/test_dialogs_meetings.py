"""The meetings page's own dialogs opened from their buttons, as a person does (issue 17): 议程 添加…/编辑…,
邀请…/列席签到…, 代理签到…, 新建表决事项…/编辑…. Each refuses bad input with the Chinese message, keeps the typing
and writes nothing (not even an audit line); good input saves and shows in the list and the figures."""

from PySide6.QtCore import Qt

from renewal_desk.core.models import AuditEntry
from renewal_desk.core.services import meetings as svc
from renewal_desk.ui.meetings.dialogs import AttendeeDialog, ItemDialog, MotionDialog, ProxyDialog
from tests.ui.test_dialogs_every_form import _button, _click, _count, _drive  # the shared dialog driver
from tests.ui.test_meeting_sign_in import _page  # a running meeting with the demo project's households invited


def _saved(qtbot, page, button) -> None:
    """Press a button whose dialog saves; the page reloads what it shows."""
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _click(button)


def _refused(page, button, seen) -> tuple:
    _click(button)
    dialog, message, kept_open = seen[-1]
    assert kept_open and dialog.result() != dialog.DialogCode.Accepted
    return dialog, message


def _on_tab(qtbot, db, index: int):
    """The page on one of its tabs, and the audit lines so far (a refusal adds none)."""
    page, mid = _page(qtbot, db)
    page.tabs.setCurrentIndex(index)
    return page, mid, page.tabs.currentWidget(), _count(db, AuditEntry)


def test_agenda_item_added_and_edited_from_its_buttons(qtbot, demo_db, monkeypatch):
    page, mid, tab, audit = _on_tab(qtbot, demo_db, 1)
    assert tab is page.agenda_tab
    seen = []

    def no_title(d):
        qtbot.keyClicks(d.presenter, "Wang")
        d.minutes.setValue(20)
    _drive(monkeypatch, ItemDialog, no_title, seen)
    dialog, message = _refused(page, _button(tab, "添加…"), seen)
    assert message == "议程名称不能为空" and dialog.presenter.text() == "Wang"  # the typing stays
    assert svc.items(demo_db, mid) == [] and tab.agenda.count() == 0 and _count(demo_db, AuditEntry) == audit

    def good(d):
        d.title.setText("加装电梯方案介绍")
        d.presenter.setText("设计师 王工")
        d.minutes.setValue(20)
    _drive(monkeypatch, ItemDialog, good, seen)
    _saved(qtbot, page, _button(tab, "添加…"))
    assert [tab.agenda.item(n).text() for n in range(tab.agenda.count())] == ["　1. 加装电梯方案介绍 — 设计师 王工（20 分钟）"]

    def rename(d):
        assert d.title.text() == "加装电梯方案介绍" and d.minutes.value() == 20  # opens with the item
        d.title.setText("加装电梯方案说明")
        d.minutes.setValue(0)  # no planned time
    _drive(monkeypatch, ItemDialog, rename, seen)
    tab.agenda.setCurrentRow(0)
    _saved(qtbot, page, _button(tab, "编辑…"))
    assert tab.agenda.item(0).text() == "　1. 加装电梯方案说明 — 设计师 王工"
    assert [(r.title, r.planned_minutes) for r in svc.items(demo_db, mid)] == [("加装电梯方案说明", None)]


def test_invite_and_walk_in_from_their_buttons(qtbot, demo_db, monkeypatch):
    page, mid = _page(qtbot, demo_db)
    tab = page.sign_in_tab
    before = len(svc.attendees(demo_db, mid))
    assert f"应到 {before}" in tab.counts.text() and "列席 0" in tab.counts.text()
    audit = _count(demo_db, AuditEntry)
    seen = []

    def bad(d):
        d.organisation.setText("街道城建科")
        qtbot.keyClicks(d.phone, "12345")
    _drive(monkeypatch, AttendeeDialog, bad, seen)
    dialog, message = _refused(page, _button(tab, "邀请…"), seen)
    assert "姓名不能为空" in message and dialog.phone.text() == "12345"
    assert len(svc.attendees(demo_db, mid)) == before and _count(demo_db, AuditEntry) == audit

    def invitee(d):
        d.name.setText("李明")
        d.category.setCurrentText("居民")
        d.organisation.setText("居民代表")
        qtbot.keyClicks(d.phone, "13912345678")
    _drive(monkeypatch, AttendeeDialog, invitee, seen)
    _saved(qtbot, page, _button(tab, "邀请…"))
    assert f"应到 {before + 1}" in tab.counts.text() and "实到 0" in tab.counts.text()  # a resident votes
    last = tab.attendee_model.rowCount() - 1
    assert [tab.attendee_model.index(last, c).data() for c in (1, 2, 3, 6)] == ["李明", "居民", "居民代表", ""]
    assert tab.attendee_model.index(last, 5).data() not in ("", "13912345678")  # the phone, masked on the list

    def walk_in(d):
        d.name.setText("街道城建科 刘工")
        d.category.setCurrentText("部门")
    _drive(monkeypatch, AttendeeDialog, walk_in, seen)
    _saved(qtbot, page, _button(tab, "列席签到…"))
    assert "列席 1" in tab.counts.text() and f"应到 {before + 1}" in tab.counts.text() and "实到 0" in tab.counts.text()
    row = next(a for a in svc.attendees(demo_db, mid) if a.name == "街道城建科 刘工")
    assert not row.expected and row.signed_in_at is not None


def test_sign_in_by_proxy_from_its_button(qtbot, demo_db, monkeypatch):
    page, mid = _page(qtbot, demo_db)
    tab = page.sign_in_tab
    owner = tab.shown_attendees[0]  # the highlighted row is the one signed in
    audit = _count(demo_db, AuditEntry)
    seen = []

    _drive(monkeypatch, ProxyDialog, lambda d: d.proxy.clear(), seen)
    dialog, message = _refused(page, _button(tab, "代理签到…"), seen)
    assert message == "代理签到须填写代理人姓名"
    _drive(monkeypatch, ProxyDialog, lambda d: d.proxy.setText(owner.name), seen)
    dialog, message = _refused(page, _button(tab, "代理签到…"), seen)
    assert message == f"代理人姓名：代理人不能是被代理人本人（{owner.name}）" and dialog.proxy.text() == owner.name
    assert svc.attendees(demo_db, mid)[0].signed_in_at is None and _count(demo_db, AuditEntry) == audit
    assert "实到 0" in tab.counts.text()

    _drive(monkeypatch, ProxyDialog, lambda d: d.proxy.setText("陈晓梅（女儿）"), seen)
    _saved(qtbot, page, _button(tab, "代理签到…"))
    assert tab.door_banner.text() == f"已代理签到：{owner.name}"
    assert "实到 1" in tab.counts.text() and "代理 1" in tab.counts.text()
    row = next(n for n, a in enumerate(tab.shown_attendees) if a.id == owner.id)
    assert tab.attendee_model.index(row, 8).data() == "陈晓梅(女儿)"  # stored in half-width, as every name


def test_motion_added_and_edited_from_its_buttons(qtbot, demo_db, monkeypatch):
    page, mid, tab, audit = _on_tab(qtbot, demo_db, 2)
    assert tab is page.votes_tab
    seen = []

    def no_title(d):
        d.text.setPlainText("1号楼加装电梯一部。")
    _drive(monkeypatch, MotionDialog, no_title, seen)
    dialog, message = _refused(page, _button(tab, "新建表决事项…"), seen)
    assert message == "议题名称不能为空" and dialog.text.toPlainText() == "1号楼加装电梯一部。"

    def hands_for_a_statutory_matter(d):
        d.title.setText("同意使用维修资金")
        d.matter.setCurrentIndex(d.matter.findData("ordinary"))
        d.method.setCurrentIndex(d.method.findData("hands"))
    _drive(monkeypatch, MotionDialog, hands_for_a_statutory_matter, seen)
    _dialog, message = _refused(page, _button(tab, "新建表决事项…"), seen)
    assert "举手" in message
    assert svc.motions(demo_db, mid) == [] and tab.motion_model.rowCount() == 0
    assert _count(demo_db, AuditEntry) == audit

    def elevator(d):
        d.title.setText("同意1号楼加装电梯")
        d.matter.setCurrentIndex(d.matter.findData("special"))
        d.method.setCurrentIndex(d.method.findData("named"))
        d.scope.setCurrentIndex(d.scope.findData("buildings"))
        d.scope_list.findItems("1号楼", Qt.MatchFlag.MatchExactly)[0].setSelected(True)
    _drive(monkeypatch, MotionDialog, elevator, seen)
    _saved(qtbot, page, _button(tab, "新建表决事项…"))
    assert [tab.motion_model.index(0, c).data() for c in range(4)][::3] == ["同意1号楼加装电梯", "待表决"]
    assert "1号楼" in tab.scope_label.text() and "36" in tab.scope_label.text()  # 1号楼's owners vote

    def whole_project(d):
        assert d.title.text() == "同意1号楼加装电梯" and d.scope.currentData() == "buildings"  # opens with it
        d.title.setText("同意加装电梯")
        d.scope.setCurrentIndex(d.scope.findData("project"))
    _drive(monkeypatch, MotionDialog, whole_project, seen)
    _saved(qtbot, page, _button(tab, "编辑…"))
    assert tab.motion_model.index(0, 0).data() == "同意加装电梯"
    assert "全项目" in tab.scope_label.text() and "120" in tab.scope_label.text()
