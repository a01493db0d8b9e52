"""The remaining dialogs opened from their own button, as a person does (issue 17): invalid data is
refused with the field named in Chinese, nothing is saved and the typed text stays; valid data saves
and the record shows where the user looks for it."""

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton
from sqlalchemy import func, select

from renewal_desk.core.rules.rectification import State
from renewal_desk.core.models import Acceptance, Person, ProjectType, Supervisor
from renewal_desk.core.services import accounts
from renewal_desk.core.services import supervision as svc
from renewal_desk.ui.widgets.forms import ErrorDialog

ADMIN_PW = "admin-pass-1"


def _button(widget, text: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text().rstrip("…") == text.rstrip("…")]
    assert found, f"no button {text!r}: {[b.text() for b in widget.findChildren(QPushButton)]}"
    return found[0]


def _click(button) -> None:
    from PySide6.QtTest import QTest

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _drive(monkeypatch, dialog_class, fill, seen):
    """exec() of the dialog class shows it, lets the test type (fill), presses Save/OK and records what
    the dialog says; a refused dialog is then cancelled, as a person would after reading the message."""
    def exec_(self):
        self.show()
        fill(self)
        if isinstance(self, ErrorDialog):
            self.save()
            message = self.errors.text()
        else:
            self.submit()
            message = self.error.text()
        seen.append((self, message, self.isVisible() and self.result() != self.DialogCode.Accepted))
        if self.result() != self.DialogCode.Accepted:
            self.reject()
        return self.result()
    monkeypatch.setattr(dialog_class, "exec", exec_)


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def _reload(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


# --- 设置: my password, accounts ------------------------------------------------------------------------
def _settings(qtbot, db):
    from renewal_desk.ui.main_window import SettingsPage

    page = SettingsPage(db)
    qtbot.addWidget(page)
    page.show()
    return page


def test_change_my_password_from_settings(qtbot, db, monkeypatch):
    from renewal_desk.ui.accounts import ChangePasswordDialog

    accounts.setup_admin(db, "管理员甲", ADMIN_PW, ADMIN_PW)
    page = _settings(qtbot, db)
    seen = []

    def short(d):
        qtbot.keyClicks(d.current, ADMIN_PW)
        qtbot.keyClicks(d.password, "short")
        qtbot.keyClicks(d.repeat, "short")
    _drive(monkeypatch, ChangePasswordDialog, short, seen)
    _click(_button(page, "修改我的密码…"))
    dialog, message, kept_open = seen[-1]
    assert "密码" in message and "8" in message and kept_open
    assert dialog.current.text() == ADMIN_PW and dialog.password.text() == "short"  # the typing stays
    accounts.login(db, "管理员甲", ADMIN_PW)  # unchanged

    def good(d):
        qtbot.keyClicks(d.current, ADMIN_PW)
        qtbot.keyClicks(d.password, "new-pass-123")
        qtbot.keyClicks(d.repeat, "new-pass-123")
    _drive(monkeypatch, ChangePasswordDialog, good, seen)
    _click(_button(page, "修改我的密码…"))
    assert seen[-1][0].result() == ChangePasswordDialog.DialogCode.Accepted
    assert accounts.login(db, "管理员甲", "new-pass-123").name == "管理员甲"


def test_add_account_from_manage_accounts(qtbot, db, monkeypatch):
    from renewal_desk.ui.accounts import AccountsDialog, AddAccountDialog

    accounts.setup_admin(db, "管理员甲", ADMIN_PW, ADMIN_PW)
    page = _settings(qtbot, db)
    opened = []

    def accounts_exec(self):
        self.show()
        opened.append(self)
        return 0
    monkeypatch.setattr(AccountsDialog, "exec", accounts_exec)
    _click(_button(page, "账户管理…"))
    manager = opened[-1]
    seen = []

    def mismatch(d):
        d.name.setText("工作人员乙")
        qtbot.keyClicks(d.password, "staff-pass-1")
        qtbot.keyClicks(d.repeat, "staff-pass-2")
    _drive(monkeypatch, AddAccountDialog, mismatch, seen)
    _click(manager.add_button)
    dialog, message, kept_open = seen[-1]
    assert "密码" in message and "不一致" in message and kept_open and dialog.name.text() == "工作人员乙"
    assert "工作人员乙" not in [a.name for a in accounts.list_accounts(db)]

    def good(d):
        d.name.setText("工作人员乙")
        qtbot.keyClicks(d.password, "staff-pass-1")
        qtbot.keyClicks(d.repeat, "staff-pass-1")
    _drive(monkeypatch, AddAccountDialog, good, seen)
    _click(manager.add_button)
    names = [manager.model.index(r, 0).data() for r in range(manager.model.rowCount())]
    assert "工作人员乙" in names  # the new account is in the list the administrator sees

    # AccountsDialog: a refused reset (too short) says so under the list and changes nothing
    manager.table.selectRow(names.index("工作人员乙"))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("short", True)))
    _click(manager.reset_button)
    assert "密码" in manager.error.text() and "8" in manager.error.text()
    accounts.login(db, "工作人员乙", "staff-pass-1")


# --- 导出与备份: export ------------------------------------------------------------------------------
def test_export_from_its_button(qtbot, db, tmp_path):
    from renewal_desk.ui.exchange_page import ExchangePanel, ExportDialog

    panel = ExchangePanel(db)
    qtbot.addWidget(panel)
    panel.show()
    _click(panel.export_button)
    qtbot.waitUntil(lambda: panel.findChild(ExportDialog) is not None and panel.findChild(ExportDialog).isVisible())
    dialog = panel.findChild(ExportDialog)
    dialog.recipient.setText("市城市更新项目库")
    dialog.since_radio.setChecked(True)
    _click(dialog.export_button)  # no file chosen
    assert "保存" in dialog.status.text() and not dialog.running and dialog.isVisible()
    assert dialog.recipient.text() == "市城市更新项目库" and dialog.since_radio.isChecked()
    assert panel.history.model().rowCount() == 0
    target = tmp_path / "monthly.zip"
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        _click(dialog.export_button)
    assert target.exists()
    qtbot.waitUntil(lambda: panel.history.model().rowCount() == 1, timeout=10000)
    assert panel.history.model().index(0, 3).data() == "市城市更新项目库"


# --- 监督反馈: the team and acceptance ----------------------------------------------------------------
def _supervision(qtbot, db):
    from renewal_desk.core.services.places import create_place
    from renewal_desk.ui.supervision import SupervisionPage

    create_place(db, "project", "幸福街区", project_type=ProjectType.RESIDENTIAL)
    page = SupervisionPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    return page


def test_appoint_supervisor_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.ui.supervision.dialogs import SupervisorDialog

    page = _supervision(qtbot, db)
    people = _count(db, Person)
    seen = []

    def nobody(d):  # neither a resident chosen nor a name typed
        qtbot.keyClicks(d.letter_no, "XF-2026-07")
    _drive(monkeypatch, SupervisorDialog, nobody, seen)
    _click(_button(page, "聘任监督员…"))
    dialog, message, kept_open = seen[-1]
    assert "监督员" in message and "姓名" in message and kept_open and dialog.letter_no.text() == "XF-2026-07"

    def bad_phone(d):  # a new person with a wrong phone: refused, and nobody is created
        d.new_name.setText("钱监督")
        d.new_phone.setText("12345")
        qtbot.keyClicks(d.letter_no, "XF-2026-07")
    _drive(monkeypatch, SupervisorDialog, bad_phone, seen)
    _click(_button(page, "聘任监督员…"))
    dialog, message, kept_open = seen[-1]
    assert "电话" in message and kept_open and dialog.new_name.text() == "钱监督"
    assert _count(db, Person) == people and _count(db, Supervisor) == 0

    def good(d):
        d.new_name.setText("钱监督")
        d.new_phone.setText("13905270011")
        qtbot.keyClicks(d.letter_no, "XF-2026-07")
    _drive(monkeypatch, SupervisorDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _click(_button(page, "聘任监督员…"))
    assert _count(db, Person) == people + 1
    assert [page.team_tab.team.rows[r][0] for r in range(page.team_tab.team.rowCount())] == ["钱监督"]


def test_record_acceptance_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.ui.supervision.dialogs import AcceptanceDialog

    page = _supervision(qtbot, db)
    seen = []

    def no_residents(d):  # the residents' representatives are missing
        d.parties["district"].setText("区住建局 李科长")
        d.parties["community"].setText("幸福社区 张主任")
        d.parties["builder"].setText("幸福建设 郑经理")
        d.survey["satisfied"].setValue(40)
        d.survey["basic"].setValue(5)
        qtbot.keyClicks(d.evaluator, "ABC")
    _drive(monkeypatch, AcceptanceDialog, no_residents, seen)
    _click(_button(page, "登记验收…"))
    dialog, message, kept_open = seen[-1]
    assert "居民代表" in message and kept_open
    assert dialog.parties["district"].text() == "区住建局 李科长" and dialog.evaluator.text() == "ABC"
    assert _count(db, Acceptance) == 0

    def good(d):
        no_residents(d)
        d.parties["residents"].setText("王大爷、李阿姨")
    _drive(monkeypatch, AcceptanceDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _click(_button(page, "登记验收…"))
    assert seen[-1][0].result() == AcceptanceDialog.DialogCode.Accepted, seen[-1][1]
    assert page.acceptance_tab.acceptances.rowCount() == 1 and page.acceptance_tab.acceptances.rows[0][3] == "通过"


# --- invalid data for the dialogs whose tests only saved valid data ---------------------------------------
def test_contract_dialog_refuses_a_term_over_the_law_and_keeps_the_typing(qtbot, db, monkeypatch):
    from renewal_desk.core.models import LeaseContract
    from renewal_desk.core.services import leases
    from renewal_desk.ui.leases_page import ContractDialog, LeasesPage

    owner = leases.add_person(db, "李䶮", None, None)
    leases.create_house(db, leases.HouseInput("仁和里", "3号", [owner]))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    page.house_table.selectRow(0)
    seen = []

    def too_long(d):
        d.term.setValue(241)
        qtbot.keyClicks(d.uses, "ABC")
    _drive(monkeypatch, ContractDialog, too_long, seen)
    _click(_button(page, "签订合同…"))
    dialog, message, kept_open = seen[-1]
    assert "租赁期限" in message and kept_open and dialog.uses.text().endswith("ABC") and dialog.term.value() == 241
    assert _count(db, LeaseContract) == 0


def test_step_dialog_refuses_a_reply_without_text(qtbot, db, monkeypatch):
    from renewal_desk.ui.supervision.dialogs import StepDialog

    page = _supervision(qtbot, db)
    project_id = svc.projects(db)[0][0]
    party = svc.save_party(db, svc.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "13905270001"))
    pid = svc.add_problem(db, svc.ProblemInput(project_id, "质量", "外墙渗水", date.today(), "一般", party,
                                               location="东墙", measures="重做防水"))
    svc.issue_notice(db, svc.NoticeInput([pid], date.today(), date.today() + timedelta(days=7)))
    _reload(page, qtbot)
    page.select_problem(pid)
    seen = []

    def empty(d):
        d.text.setPlainText("")
        d.by.setText("郑建军")
    _drive(monkeypatch, StepDialog, empty, seen)
    _click(_button(page, "整改回复…"))
    dialog, message, kept_open = seen[-1]
    assert "整改回复内容" in message and kept_open and dialog.by.text() == "郑建军"
    assert svc.problem_detail(db, pid).row.state == State.NOTIFIED


def test_visit_dialog_refuses_a_visit_without_opinion(qtbot, db, monkeypatch):
    from renewal_desk.core.models import DesignerVisit
    from renewal_desk.core.services import designer as dsvc
    from renewal_desk.core.services.places import create_place
    from renewal_desk.ui.designer_page import DesignerPage, VisitDialog

    project = create_place(db, "project", "幸福街区")
    block = create_place(db, "block", "仁和里", project)
    dsvc.appoint(db, dsvc.AppointmentInput(dsvc.add_designer(db, "周文渊"), block, "WH-JZ-01",
                                           date.today() - timedelta(days=30)))
    page = DesignerPage(db)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.timeline is not None and page.timeline.active is not None, timeout=10000)
    seen = []

    def no_opinion(d):
        d.participants.setText("社区 张主任")
    _drive(monkeypatch, VisitDialog, no_opinion, seen)
    _click(_button(page, "记录走访…"))
    dialog, message, kept_open = seen[-1]
    assert "意见" in message and kept_open and dialog.participants.text() == "社区 张主任"
    assert _count(db, DesignerVisit) == 0


def test_menu_dialog_refuses_an_item_without_a_name(qtbot, demo_db, monkeypatch):
    from renewal_desk.core.services import ordering
    from renewal_desk.ui.ordering_page import MenuDialog

    dialog = MenuDialog(demo_db, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    before = len(ordering.menu(demo_db, 1, include_retired=True))
    warned = []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("  ", True)))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("提升类", True)))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    _click(_button(dialog, "新增…"))
    assert warned and "名称" in warned[-1]
    assert len(ordering.menu(demo_db, 1, include_retired=True)) == before


def test_correct_a_registered_house_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.core.models import AuditEntry, StoredHouse
    from renewal_desk.core.services import leases
    from renewal_desk.ui.leases_page import HouseDialog, LeasesPage

    owner = leases.add_person(db, "李䶮", None, None)
    leases.create_house(db, leases.HouseInput("仁和里", "3号", [owner], "86.5"))
    other = leases.create_house(db, leases.HouseInput("仁和里", "5号", [owner]))
    page = LeasesPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    row = next(r for r in range(page.houses.rowCount()) if page.houses.key_at(r) == other)
    page.house_table.selectRow(row)
    seen = []

    def duplicate(d):
        assert d.number.text() == "5号" and d.selected_owners() == [owner]  # the house as registered
        d.number.setText("3号")
        d.current_use.setText("文创")
    _drive(monkeypatch, HouseDialog, duplicate, seen)
    _click(_button(page, "更正房屋信息…"))
    dialog, message, kept_open = seen[-1]
    assert "已登记" in message and kept_open and dialog.current_use.text() == "文创"
    with db.read() as s:
        assert s.get(StoredHouse, other).number == "5号"

    def good(d):
        d.number.setText("5号甲")
    _drive(monkeypatch, HouseDialog, good, seen)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        _click(_button(page, "更正房屋信息…"))
    assert any(page.houses.rows[r][0] == "仁和里5号甲" for r in range(page.houses.rowCount()))
    with db.read() as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.table_name == "stored_house",
                                                         AuditEntry.record_id == other)).all()[-1] == "update"
