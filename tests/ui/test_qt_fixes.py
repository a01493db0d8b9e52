"""Work-arounds for the Qt bindings: garbage is collected on the GUI thread only."""

import gc
import threading

import pytest

from renewal_desk.ui import qt_fixes


def test_automatic_collection_is_off_and_the_gui_thread_collects(app):
    collector = qt_fixes.collect_on_gui_thread(app)
    assert not gc.isenabled() and collector.timer.isActive()
    collected_in: list[str] = []

    class Cycle:
        def __del__(self):
            collected_in.append(threading.current_thread().name)

    for _ in range(collector.threshold[0] + 50):  # garbage cycles past the first threshold
        a, b = Cycle(), Cycle()
        a.other, b.other = b, a
        del a, b
    worker = threading.Thread(target=lambda: [object() for _ in range(100_000)], name="worker")
    worker.start()
    worker.join()
    assert collected_in == []  # a busy worker thread did not collect them
    collector.check()
    assert collected_in and set(collected_in) == {threading.current_thread().name}


def test_void_qt_calls_cannot_use_up_none(app):
    """PySide6 6.12.0 takes a reference from None at every call of a void method; 60,000 calls (a
    benchmark's scrolling, a long session) used to abort the interpreter with none_dealloc."""
    import sys

    from PySide6.QtCore import QCoreApplication, QObject

    from renewal_desk.ui import qt_fixes

    assert qt_fixes.protect_none() or not qt_fixes.void_call_leaks()
    probe = QObject()
    start = sys.getrefcount(None)
    for _ in range(30_000):
        probe.setObjectName("x")
        QCoreApplication.processEvents()
    assert sys.getrefcount(None) > 1000  # still alive, far from zero
    assert start - sys.getrefcount(None) <= 60_000


def test_imports_after_pyside_leave_no_sources_in_linecache(tmp_path, monkeypatch):
    """PySide6's import hook reads every later module's source (inspect.getsource); the app lets go of the lines
    it read, so they are not held for the session (~12 MB with every section visited)."""
    import importlib
    import linecache
    import sys

    from renewal_desk.ui import qt_fixes

    if not qt_fixes.drop_import_sources():
        pytest.skip("this PySide6 has no such import hook")
    module = tmp_path / "rd_probe_module.py"
    module.write_text("X = 'PySide6' * 3\n" + "# a line\n" * 5000, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("rd_probe_module")
    assert str(module) not in linecache.cache
    assert sys.modules["rd_probe_module"].X == "PySide6" * 3
