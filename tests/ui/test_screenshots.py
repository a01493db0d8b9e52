"""Every section and each of its tabs at 1366×768 (the common office laptop), saved as PNG for a person to
look at.

The pictures go to a tmp folder (or $RENEWAL_DESK_SHOTS); the test checks each page fits: the window
is the laptop's size, no page asks for more than the space it has (minimum size), the status bar shows."""

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTabWidget

from renewal_desk.ui.main_window import SECTIONS

WIDTH, HEIGHT = 1366, 768


@pytest.fixture
def demo_db(records_db):
    return records_db


def test_every_section_at_1366x768(qtbot, demo_db, tmp_path):
    from renewal_desk.ui import tasks
    from renewal_desk.ui.main_window import MainWindow

    out = Path(os.environ.get("RENEWAL_DESK_SHOTS") or tmp_path / "shots")
    out.mkdir(parents=True, exist_ok=True)
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.setFixedSize(WIDTH, HEIGHT - 30)  # a maximised window under a 30 px task bar
    win.show()
    qtbot.waitExposed(win)
    saved = 0
    for n, key in enumerate(SECTIONS):
        page = win.show_section(key)
        tasks.wait_all(20000)
        if key == "overview":
            qtbot.waitUntil(lambda: page.ageing_plot is not None and page.ageing_plot.isVisible()
                            and page.ageing_plot.height() > 100, timeout=20000)
        tabs = next((t for t in page.findChildren(QTabWidget) if t.isVisible()), None)
        for tab in range(tabs.count() if tabs else 1):
            if tabs:
                tabs.setCurrentIndex(tab)
                tasks.wait_all(20000)
            for _ in range(3):  # the results just delivered, laid out and painted before the picture
                QApplication.processEvents()
            # a label whose text just changed (最近备份 when the daily backup ends, on another thread) is laid out
            # anew before the picture, as the next frame a person sees; squeezed for two seconds is a failure
            labels = (win.db_label, win.backup_label)  # 最近备份 whole, not squeezed by a long database path
            qtbot.waitUntil(lambda: all(lb.width() >= lb.sizeHint().width() for lb in labels), timeout=2000)
            image = win.grab()
            path = out / (f"{n:02d}-{key}-{tab}.png" if tabs else f"{n:02d}-{key}.png")
            assert image.save(str(path))
            saved += 1
            assert (image.width(), image.height()) == (WIDTH, HEIGHT - 30)
            assert win.statusBar().isVisible() and win.statusBar().geometry().bottom() <= win.height()
            for label in labels:
                assert label.width() >= label.sizeHint().width(), (key, label.text())
            hint = page.minimumSizeHint()
            room = win.stack.size()
            assert hint.width() <= room.width() and hint.height() <= room.height(), (key, tab, hint, room)
    assert saved > len(SECTIONS)  # every tab of the sections that have tabs
