"""Work-arounds for bugs of the pinned Qt bindings, each installed only when the bug is there.

PySide6 6.12.0: `SignalInstance.emit()` returns the `True` singleton without a new reference, so
every signal emitted from Python (ours, and pyqtgraph's on every chart repaint) takes one reference
from `True`. After some thousands of emits its count reaches zero and the interpreter aborts with
"Fatal Python error: bool_dealloc" — mid-session, or at exit. `install()` measures one emit and,
only if it leaks, wraps `emit` to give the missing reference back. A fixed PySide6 is left alone.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

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


def install() -> bool:
    """Install the emit work-around if this PySide6 needs it; returns whether it is in place."""
    global _installed
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
