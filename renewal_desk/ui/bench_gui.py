"""The benchmark's Qt side, run as its own process by renewal_desk.core.bench (core has no Qt).

    python -m renewal_desk.ui.bench_gui bare-window [--t0 T]        the floor: a bare PySide6 window
    python -m renewal_desk.ui.bench_gui app-start --db PATH [--t0 T] the app, up to its first paint
    python -m renewal_desk.ui.bench_gui interactive --db PATH [--quick]
        search as you type, open and scroll every section, peak memory

--db takes a file or, as the app does, the postgresql://… address of a server database (the bench's server figures).

Each prints one JSON line. `--t0` is the parent's wall clock before it started this process, so
"first paint" includes the interpreter's own start and every import.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time


def _peak_rss_mb() -> float:
    """This process's peak resident memory. /proc's VmHWM belongs to this program's own memory map;
    getrusage's ru_maxrss would also count the parent's peak (it survives fork and exec on Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _emit(data: dict) -> None:
    print(json.dumps(data), flush=True)


def _first_paint(widget, on_paint) -> None:
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                from PySide6.QtCore import QTimer

                QTimer.singleShot(0, on_paint)  # after the paint event is handled
            return False

    watch = Watch(widget)
    watch.seen = False
    widget.installEventFilter(watch)


def bare_window(t0: float) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("街区更新议事台"))
    window.resize(1200, 800)

    def painted() -> None:
        _emit({"first_paint": time.time() - t0, "peak_rss_mb": _peak_rss_mb()})
        os._exit(0)  # noqa: SLF001 - the measurement is done; teardown is not part of it

    _first_paint(window, painted)
    window.show()
    return app.exec()


def _own_settings() -> None:
    """The bench's windows keep their settings (last section, geometry) in a folder of their own: a run neither
    reads nor changes the person's own, and every run starts where a new user starts."""
    import tempfile

    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="renewal-desk-bench-settings-"))


def _target(db_path: str):
    """What run_app opens for --db: a file's Path, or a server's postgresql://… address kept as text (a Path would
    fold its //)."""
    from pathlib import Path

    from renewal_desk.core.db import is_server_url

    return db_path if is_server_url(db_path) else Path(db_path)


def _start_app(db_path: str):
    """What run_app does up to the window, with the operator given (no dialog)."""
    from renewal_desk.ui.app import _open_checked, install_error_handler, make_application

    app = make_application(lang="zh_CN")
    install_error_handler()
    db = _open_checked(_target(db_path))  # a refusal ends the run with its reason (no dialog to wait on)
    from renewal_desk.core.services.operators import ensure_operator

    ensure_operator(db, "基准测试")
    db.operator = "基准测试"
    from renewal_desk.ui.main_window import MainWindow

    window = MainWindow(db)
    window.resize(1280, 800)
    return app, db, window


def app_start(db_path: str, t0: float) -> int:
    """As run_app: the window's frame painted first (first_paint), then the database opened and attached, until
    the first section has its rows on screen (ready)."""
    from PySide6.QtCore import QTimer

    from renewal_desk.ui.app import _open_checked, install_error_handler, make_application

    app = make_application(lang="zh_CN")
    install_error_handler()
    from renewal_desk.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1280, 800)
    result = {}

    def open_database() -> None:
        from renewal_desk.core.services.operators import ensure_operator

        db = _open_checked(_target(db_path))
        ensure_operator(db, "基准测试")
        db.operator = "基准测试"
        window.attach(db)
        page = window.pages["households"]  # the first section of a new user (settings are the bench's own)
        end = time.perf_counter() + 120
        while (page.model.rowCount() == 0 or page.tree.model().rowCount() == 0) and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)
        window.repaint()
        result["ready"] = time.time() - t0
        _emit(result)
        os._exit(0)  # noqa: SLF001

    def painted() -> None:
        result.update(first_paint=time.time() - t0, peak_rss_mb=_peak_rss_mb())
        QTimer.singleShot(0, open_database)

    _first_paint(window, painted)
    window.show()
    return app.exec()


def _settle(app, timeout: float = 120.0) -> None:
    """Until background tasks are done and their results delivered to the GUI thread."""
    from PySide6.QtCore import QThreadPool

    end = time.perf_counter() + timeout
    idle_rounds = 0
    while time.perf_counter() < end and idle_rounds < 3:
        app.processEvents()
        from renewal_desk.ui import tasks

        if QThreadPool.globalInstance().activeThreadCount() == 0 and tasks.background_pool().activeThreadCount() == 0:
            idle_rounds += 1
        else:
            idle_rounds = 0
            time.sleep(0.001)


def _wait(app, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def _main_view(page):
    """The page's biggest item view (its main table)."""
    from PySide6.QtWidgets import QAbstractItemView

    views = [v for v in page.findChildren(QAbstractItemView) if v.model() is not None and v.isVisible()]
    if not views:
        return None
    return max(views, key=lambda v: (v.model().rowCount(), v.width() * v.height()))


def _search(app, window, quick: bool) -> tuple[list[float], int]:
    from renewal_desk.core.db import Database  # noqa: F401 - type only

    page = window.show_section("households")
    _settle(app)
    model, view = page.model, page.table
    with window.db.read() as s:
        head, phone, keys = s.connection().exec_driver_sql(
            "SELECT p.name, p.phone, h.search_text FROM person p JOIN household h ON h.id = p.household_id "
            "WHERE p.is_head AND p.phone IS NOT NULL ORDER BY p.id LIMIT 1 OFFSET ?",
            (model.rowCount() // 2,)).one()
    households = model.rowCount()
    queries = [head[:k] for k in range(1, len(head) + 1)]  # Chinese, as an input method commits it
    # The head's initials as stored in the search keys (name, full pinyin, initials, …): the app itself loads
    # pypinyin only to write keys, so the bench does not load it into the process it measures either.
    parts = keys.split("\x1f")
    if len(parts) >= 3 and parts[0] == head and parts[2].isascii():
        initials = parts[2]
    else:
        from renewal_desk.core.rules.search import pinyin_keys

        initials = pinyin_keys(head)[1]
    queries += [initials[:k] for k in range(1, len(initials) + 1)]
    queries += [phone[-k:] for k in range(1, 5)]  # the phone tail, as people read it out
    samples = []
    loaded = []
    typed = []
    model.loaded.connect(lambda n: loaded.append(n))
    model.first_page.connect(lambda n: loaded.append(n))  # the view shows the new rows from here on
    for query in queries:
        loaded.clear()
        t0 = time.perf_counter()
        page.search.setText(query)
        while not loaded and time.perf_counter() - t0 < 30:
            app.processEvents()
            time.sleep(0.0005)
        view.viewport().repaint()
        samples.append(time.perf_counter() - t0)
        typed.append(query)
    done = []
    model.loaded.connect(lambda n: done.append(n))
    page.search.setText("")
    t0 = time.perf_counter()
    while not done and time.perf_counter() - t0 < 60:
        app.processEvents()
        time.sleep(0.001)
    _settle(app)
    return samples, households, typed


def _scroll(app, view, max_frames: int) -> list[float]:
    bar = view.verticalScrollBar()
    top, bottom = bar.minimum(), bar.maximum()
    if bottom <= top:
        t0 = time.perf_counter()
        view.viewport().repaint()
        return [time.perf_counter() - t0]
    steps = min(max_frames, (bottom - top) // max(1, bar.pageStep()) + 1)
    frames = []
    for k in range(steps + 1):
        t0 = time.perf_counter()
        bar.setValue(top + (bottom - top) * k // max(1, steps))
        view.viewport().repaint()
        app.processEvents()
        frames.append(time.perf_counter() - t0)
    return frames


def interactive(db_path: str, quick: bool) -> int:
    from renewal_desk.ui.main_window import SECTIONS

    app, _db, window = _start_app(db_path)
    window.show()
    _settle(app)
    # The daily backup starts 2 s after the window (a working copy has none yet): let it finish, so
    # the figures are the steady state a person types in, not the once-a-day backup.
    _wait(app, 2.5)
    _settle(app, 600)
    search, households, typed = _search(app, window, quick)
    scroll, rows, opened = {}, {}, {}
    for section in SECTIONS:
        if section in ("exchange", "settings"):  # forms, no big table
            continue
        t0 = time.perf_counter()
        page = window.show_section(section)
        _settle(app)
        opened[section] = time.perf_counter() - t0
        view = _main_view(page)
        if view is None:
            scroll[section], rows[section] = [], 0
            continue
        rows[section] = view.model().rowCount()
        scroll[section] = _scroll(app, view, 60 if quick else 400)
    for section in ("exchange", "settings"):
        window.show_section(section)
        _settle(app)
    _emit({"households": households, "search": search, "typed": typed, "scroll": scroll, "rows": rows, "open": opened,
           "peak_rss_mb": _peak_rss_mb()})
    os._exit(0)  # noqa: SLF001


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_gui")
    parser.add_argument("mode", choices=("bare-window", "app-start", "interactive"))
    parser.add_argument("--db")
    parser.add_argument("--t0", type=float, default=None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    _own_settings()
    t0 = args.t0 if args.t0 is not None else time.time()
    if args.mode == "bare-window":
        return bare_window(t0)
    if args.mode == "app-start":
        return app_start(args.db, t0)
    return interactive(args.db, args.quick)


if __name__ == "__main__":
    raise SystemExit(main())
