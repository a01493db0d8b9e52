"""打印 of every printout that has a period on the command line (--from/--to, --since/--as-of) asks the
period first: a month or another named period, or two dates (issue 17); the chosen period reaches the
printout and a reversed period is refused in Chinese, with no preview and the dates left as typed."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QPushButton

from renewal_desk.core.services import printouts
from renewal_desk.ui.pdf import PeriodDialog
from renewal_desk.ui.print_preview import PrintPreviewDialog

# the page and the button that prints each period printout
BUTTONS = {"inspection-log": ("supervision", "打印巡查记录…"), "supervision-report": ("supervision", "打印工作报告…"),
           "designer-journal": ("designer", "打印工作记录…"), "rent-statement": ("leases", "打印对账单…")}


def _button(widget, text: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text().rstrip("…") == text.rstrip("…")]
    assert found, f"no button {text!r}"
    return found[0]


def test_every_period_printout_has_its_button_here():
    assert set(BUTTONS) == set(printouts.PERIODS)


def test_presets_are_whole_months_and_end_today_at_the_latest():
    today = date(2026, 3, 15)
    assert printouts.preset_period("last_month", today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert printouts.preset_period("this_month", today) == (date(2026, 3, 1), today)
    assert printouts.preset_period("last_90", today) == (today - timedelta(days=89), today)
    assert printouts.period_options("designer-journal", date(2026, 1, 1), today) == {
        "since": date(2026, 1, 1), "as_of": today}


def _open_page(qtbot, window, key):
    if key == "leases":  # a contract to print the statement of
        from renewal_desk.core.services import leases

        owner = leases.add_person(window.db, "李䶮", None, None)
        house = leases.create_house(window.db, leases.HouseInput("仁和里", "3号", [owner]))
        leases.create_contract(window.db, house, [owner], leases.TermsInput(date(2025, 1, 1), 60, 1_200_000))
    page = window.show_section(key)
    if key == "leases":
        qtbot.waitUntil(lambda: page.contracts.rowCount() > 0, timeout=10000)
        page.tabs.setCurrentIndex(1)
        page.select_contract(page.contracts.key_at(0))
        assert page.current is not None
    elif key == "supervision":
        qtbot.waitUntil(lambda: page.overdue_label.text() != "", timeout=10000)  # loaded
    else:
        qtbot.waitUntil(lambda: page.timeline is not None, timeout=10000)
    return page


@pytest.mark.parametrize("doc", sorted(BUTTONS))
def test_the_period_is_asked_before_the_preview_and_reaches_the_printout(qtbot, window, monkeypatch, doc):
    key, text = BUTTONS[doc]
    page = _open_page(qtbot, window, key)
    printed = []
    original = printouts.print_document
    monkeypatch.setattr(printouts, "print_document", lambda *a, **k: printed.append(k) or original(*a, **k))
    asked = []

    def reversed_then_last_month(self):
        self.show()
        asked.append(self)
        self.start.setDate(QDate(2026, 5, 31))
        self.end.setDate(QDate(2026, 5, 1))
        self.save()
        if not self.single:  # from after to: refused, the dates stay as typed
            assert "期间" in self.errors.text() and self.isVisible()
            assert self.start.date() == QDate(2026, 5, 31)
            assert not printed
            self.preset.setCurrentIndex(self.preset.findData("last_month"))
        else:
            self.end.setDate(QDate(2026, 5, 31))
        self.save()
        return self.result()
    monkeypatch.setattr(PeriodDialog, "exec", reversed_then_last_month)
    _button(page, text).click()  # on its tab
    assert asked, "no period asked"
    qtbot.waitUntil(lambda: page.findChild(PrintPreviewDialog) is not None, timeout=60000)
    start, end = printouts.preset_period("last_month")
    expected = {"as_of": date(2026, 5, 31)} if asked[0].single else printouts.period_options(doc, start, end)
    assert {k: printed[0][k] for k in expected} == expected
    page.findChild(PrintPreviewDialog).reject()


def test_cancelling_the_period_prints_nothing(qtbot, window, monkeypatch):
    page = _open_page(qtbot, window, "supervision")
    printed = []
    monkeypatch.setattr(printouts, "print_document", lambda *a, **k: printed.append(k))
    monkeypatch.setattr(PeriodDialog, "exec", lambda self: 0)
    _button(page, "打印工作报告…").click()
    assert not printed and page.findChild(PrintPreviewDialog) is None
