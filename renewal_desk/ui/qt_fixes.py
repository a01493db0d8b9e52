"""Work-arounds for bugs of the pinned Qt bindings, each installed only when the bug is there.

PySide6 6.12.0: every call of a Qt method that returns nothing (`repaint()`, `setText()`,
`processEvents()` …) returns `None` without a new reference, so each call takes one reference from
`None`. After some tens of thousands of calls — a long session, a benchmark scrolling 100,000 rows —
the count reaches zero and the interpreter aborts with "Fatal Python error: none_dealloc".
`install()` measures one such call and, only if it leaks, gives `None` a reference count no
session can use up (what Python 3.12 does for all such singletons, "immortal objects").

PySide6 6.12.0: `SignalInstance.emit()` returns the `True` singleton without a new reference, so
every signal emitted from Python (ours, and pyqtgraph's on every chart repaint) takes one reference
from `True`. After some thousands of emits its count reaches zero and the interpreter aborts with
"Fatal Python error: bool_dealloc" — mid-session, or at exit. `install()` measures one emit and,
only if it leaks, wraps `emit` to give the missing reference back. A fixed PySide6 is left alone.

PySide6 6.12.0: its import hook reads every later module's source into linecache (drop_import_sources).
"""

from __future__ import annotations

import ctypes
import gc
import sys
import time

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

_installed = False


class _Probe(QObject):
    fired = Signal()


def emit_leaks() -> bool:
    """Whether an emit takes a reference from True (measured, not assumed)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(10):
        probe.fired.emit()
    leaked = before - sys.getrefcount(True)
    if leaked > 0:  # give back what the probe itself took
        for _ in range(leaked):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return leaked >= 10


def void_call_leaks() -> bool:
    """Whether a call of a void Qt method takes a reference from None (measured, not assumed)."""
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 10


_none_protected = False


def protect_none() -> bool:
    """Raise None's reference count by 2**40 if void calls leak it (once per process)."""
    global _none_protected
    if not _none_protected and void_call_leaks():
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
        _none_protected = True
    return _none_protected


_sources_dropped = False


def drop_import_sources() -> bool:
    """PySide6 6.12's import hook (shibokensupport.feature) reads the whole source of every module imported after
    it (inspect.getsource, to see whether it mentions PySide6), and linecache keeps those sources: ~12 MB of
    text with every section visited, held for the session. The check still runs; the lines it read are let go
    (a traceback reads them again when it needs them). Returns whether the hook was there to wrap."""
    global _sources_dropped
    import linecache

    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if _sources_dropped or check is None:
        return _sources_dropped

    def uses_pyside(module):
        before = set(linecache.cache)
        try:
            return check(module)
        finally:
            for key in linecache.cache.keys() - before:
                linecache.cache.pop(key, None)

    feature._mod_uses_pyside = uses_pyside
    linecache.clearcache()  # what the modules imported so far left behind
    _sources_dropped = True
    return True


def install() -> bool:
    """Install the emit work-around if this PySide6 needs it; returns whether it is in place.
    The None work-around (protect_none) and the import sources' release (drop_import_sources) are installed
    too, independently."""
    global _installed
    protect_none()
    drop_import_sources()
    if _installed or not emit_leaks():
        return _installed
    original = SignalInstance.emit

    def emit(self, *args):
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    SignalInstance.emit = emit
    _installed = True
    return True


class MainThreadGC(QObject):
    """Python's cyclic garbage collector runs in whichever thread happens to allocate; when it frees
    Qt objects in a worker (a page's closures, list items), their C++ destructors take Qt locks there
    while the GUI thread, holding those locks, waits for the GIL: the app freezes. So automatic
    collection is off and the GUI thread collects, generation by generation, as the counts pass the
    usual thresholds (as Anki does)."""

    INTERVAL_MS = 1000
    FULL_EVERY_S = 30.0  # a full collection walks every object (~50 ms at 100,000 households): not per keystroke

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.last_full = time.monotonic()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.INTERVAL_MS)

    def check(self) -> None:
        gen0, gen1, gen2 = gc.get_count()
        if gen0 > self.threshold[0]:
            gc.collect(0)
            if gen1 > self.threshold[1]:
                gc.collect(1)
                # Python's own collector runs the full collection only when enough objects were added since
                # the last one; an explicit collect(2) always walks everything, so it is paced here.
                if gen2 > self.threshold[2] and time.monotonic() - self.last_full >= self.FULL_EVERY_S:
                    gc.collect(2)
                    self.last_full = time.monotonic()

    def freeze(self) -> None:
        """Once the window is up: collect, then move what survives (modules, widgets, the long-lived caches)
        out of the collector's sight (gc.freeze), so later collections walk only what is new."""
        gc.collect()
        gc.freeze()
        self.last_full = time.monotonic()


_collector: MainThreadGC | None = None


def collect_on_gui_thread(app: QObject) -> MainThreadGC:
    """Install MainThreadGC once for the application."""
    global _collector
    if _collector is None:
        _collector = MainThreadGC(app)
    return _collector


def freeze_startup_objects() -> None:
    """MainThreadGC.freeze() if the application installed the collector (tests may not have)."""
    if _collector is not None:
        _collector.freeze()
