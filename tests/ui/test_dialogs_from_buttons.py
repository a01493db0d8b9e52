"""Dialogs opened from their own page button, as a person does: valid data saves (the record appears),
invalid data is refused with the field named in Chinese, nothing saved, the typed text still there."""

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from renewal_desk.core.services import supervision as svc
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.widgets.forms import ErrorDialog


def _button(widget, text: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text().rstrip("…") == text.rstrip("…")]
    assert found, f"no button {text!r}"
    return found[0]


def _drive(monkeypatch, dialog_class, fill, seen):
    """exec() of the dialog class shows it, lets the test type (fill), presses Save and returns as Qt would."""
    def exec_(self):
        self.show()
        fill(self)
        self.save()
        seen.append((self, self.errors.text(), self.isVisible() and self.result() != self.DialogCode.Accepted))
        if self.result() != self.DialogCode.Accepted:
            self.reject()
        return self.result()
    monkeypatch.setattr(dialog_class, "exec", exec_)


def _reload(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()


def test_add_party_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.ui.supervision import SupervisionPage
    from renewal_desk.ui.supervision.dialogs import PartyDialog

    page = SupervisionPage(db)
    qtbot.addWidget(page)
    _reload(page, qtbot)
    seen = []

    def bad(d):
        d.phone.setText("12345")
        qtbot.keyClicks(d.contact, "Zheng")
    _drive(monkeypatch, PartyDialog, bad, seen)
    qtbot.mouseClick(_button(page, "添加参建单位…"), Qt.MouseButton.LeftButton)
    dialog, errors, kept_open = seen[-1]
    assert "单位名称" in errors and kept_open and dialog.contact.text() == "Zheng"
    assert svc.parties(db) == []

    _drive(monkeypatch, PartyDialog, lambda d: d.name.setText("幸福建设工程有限公司"), seen)
    qtbot.mouseClick(_button(page, "添加参建单位…"), Qt.MouseButton.LeftButton)
    assert [p.name for p in svc.parties(db)] == ["幸福建设工程有限公司"]


def test_end_appointment_from_its_button(qtbot, db, monkeypatch):
    from renewal_desk.core.services import designer as dsvc
    from renewal_desk.ui.designer_page import DesignerPage, EndAppointmentDialog

    project = create_place(db, "project", "幸福街区")
    block = create_place(db, "block", "仁和里", project)
    person = dsvc.add_designer(db, "周文渊")
    dsvc.appoint(db, dsvc.AppointmentInput(person, block, "WH-JZ-01", date.today() - timedelta(days=30)))
    page = DesignerPage(db)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.timeline is not None and page.timeline.active is not None, timeout=10000)
    seen = []
    _drive(monkeypatch, EndAppointmentDialog, lambda d: None, seen)  # no reason given
    qtbot.mouseClick(_button(page, "离任…"), Qt.MouseButton.LeftButton)
    assert "离任原因" in seen[-1][1] and seen[-1][2]
    assert dsvc.timeline(db, block).active is not None  # nothing ended

    def good(d):
        d.reason.setText("任期届满")
    _drive(monkeypatch, EndAppointmentDialog, good, seen)
    qtbot.mouseClick(_button(page, "离任…"), Qt.MouseButton.LeftButton)
    assert dsvc.timeline(db, block).active is None
