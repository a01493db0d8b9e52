"""Every key sequence of the main window fires once: no two shortcuts/actions with the same keys are active in
the same place (Qt treats such a pair as ambiguous and fires neither). Minutes: Ctrl+Enter starts the next
speaker; PgDn typed in the minutes text stays in the text (the agenda and the wall do not move)."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from renewal_desk.ui.main_window import SECTIONS


def _bindings(win):
    """(sequence text, context, owner widget) for every shortcut and action with keys in the window."""
    out = []
    for sc in win.findChildren(QShortcut):
        if sc.isEnabled() and not sc.key().isEmpty():
            out.append((sc.key().toString(), sc.context(), sc.parent(), sc))
    for action in win.findChildren(QAction):
        for seq in action.shortcuts():
            if not seq.isEmpty() and action.isEnabled():
                for owner in action.associatedObjects():
                    if isinstance(owner, QWidget):
                        out.append((seq.toString(), action.shortcutContext(), owner, action))
    return out


def _page_of(win, widget):
    while widget is not None and widget.parentWidget() is not win.stack:
        widget = widget.parentWidget()
    return widget


def _overlap(win, a, b) -> bool:
    (_sa, ca, wa, oa), (_sb, cb, wb, ob) = a, b
    if oa is ob or wa.window() is not wb.window():
        return False
    pa, pb = _page_of(win, wa), _page_of(win, wb)
    if pa is not None and pb is not None and pa is not pb:
        return False  # two pages of the stack are never shown together (hidden widgets' shortcuts do not fire)
    window = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    if ca in window or cb in window:
        return True
    if ca == Qt.ShortcutContext.WidgetShortcut and cb == Qt.ShortcutContext.WidgetShortcut:
        return wa is wb
    # widget-with-children: ambiguous when one owner is (inside) the other
    return wa is wb or wa.isAncestorOf(wb) or wb.isAncestorOf(wa)


def test_no_ambiguous_shortcuts_in_the_whole_window(window):
    for key in SECTIONS:
        window.pages[key]  # build every page (they are built on first visit)
    bindings = _bindings(window)
    assert any(seq == QKeySequence("Ctrl+Return").toString() for seq, *_ in bindings)
    clashes = sorted({(a[0], type(a[2]).__name__, type(b[2]).__name__)
                      for n, a in enumerate(bindings) for b in bindings[n + 1:] if a[0] == b[0] and _overlap(window, a, b)})
    assert clashes == []


def test_ctrl_enter_starts_the_next_speaker_and_pgdn_stays_in_the_text(qtbot, window, monkeypatch):
    from datetime import datetime, timedelta

    from renewal_desk.core.services import meetings as svc

    db = window.db
    mid = svc.create_meeting(db, svc.MeetingInput("居民议事会", datetime.now() - timedelta(minutes=5)))
    items = [svc.add_item(db, mid, t, "", 10) for t in ("停车管理", "垃圾分类")]
    svc.set_current_item(db, mid, items[0])
    window.nav.setCurrentRow(SECTIONS.index("meetings"))
    page = window.pages["meetings"]
    qtbot.waitUntil(lambda: bool(page.meeting is not None and page.meeting.id == mid and page.agenda_tab.item_rows), timeout=10000)
    page.tabs.setCurrentIndex(1)
    page.agenda_tab.agenda.setCurrentRow(0)
    qtbot.waitUntil(lambda: page.agenda_tab.item_heading.text().endswith("停车管理"), timeout=5000)
    page.agenda_tab.speaker.setFocus()
    page.agenda_tab.speaker.setText("王阿姨")
    page.agenda_tab.speech.setFocus()
    page.agenda_tab.speech.setPlainText("希望晚上能有固定车位。")
    qtbot.keyClick(page.agenda_tab.speech, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.agenda_tab.speaker.text() == "" and page.agenda_tab.speech.toPlainText() == "", timeout=5000)
    assert [(s.speaker, s.content) for s in svc.speeches(db, items[0])] == [("王阿姨", "希望晚上能有固定车位。")]
    # the next speaker goes to a speech of their own
    page.agenda_tab.speaker.setText("李师傅")
    page.agenda_tab.speech.setPlainText("同意。")
    qtbot.keyClick(page.agenda_tab.speaker, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(svc.speeches(db, items[0])) == 2, timeout=5000)
    assert svc.speeches(db, items[0])[0].content == "希望晚上能有固定车位。"
    # PgDn inside the text: the current item does not move
    page.agenda_tab.speech.setFocus()
    qtbot.keyClick(page.agenda_tab.speech, Qt.Key.Key_PageDown)
    assert next(r for r in svc.items(db, mid) if r.current).id == items[0]
