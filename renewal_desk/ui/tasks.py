"""Background operations: run core work off the GUI thread and hand results back by signal.

Only the GUI thread touches widgets; the worker only calls core services (each opens its own
Session). A newer request can make an older one's result stale: callers compare a generation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: TaskSignals, with_progress: bool):
        super().__init__()
        self.fn, self.signals, self.with_progress = fn, signals, with_progress
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit) if self.with_progress else self.fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_alive: set[TaskSignals] = set()


def _guarded(owner: QObject | None, callback: Callable[..., None]) -> Callable[..., None]:
    """Drop a late result whose receiver (a closed dialog, a discarded model) no longer exists."""
    if owner is None:
        return callback

    def call(*args) -> None:
        if shiboken6.isValid(owner):
            callback(*args)

    return call


def submit(fn: Callable[..., Any], on_done: Callable[[Any], None] | None = None,
           on_failed: Callable[[BaseException], None] | None = None,
           on_progress: Callable[[int, int], None] | None = None, owner: QObject | None = None,
           pool: QThreadPool | None = None) -> TaskSignals:
    """Run `fn` in the global thread pool. With `on_progress`, fn receives a progress(done, total).

    Callbacks run on the GUI thread; with `owner`, they are skipped once the owner was deleted. `pool`: a
    pool of its own (one thread) for long background work that must not hold up the global pool's short tasks.
    """
    signals = TaskSignals()
    _alive.add(signals)
    if on_done:
        signals.done.connect(_guarded(owner, on_done))
    if on_failed:
        signals.failed.connect(_guarded(owner, on_failed))
    if on_progress:
        signals.progress.connect(_guarded(owner, on_progress))
    signals.done.connect(lambda _r: _release(signals))
    signals.failed.connect(lambda _e: _release(signals))
    (pool or QThreadPool.globalInstance()).start(_Job(fn, signals, on_progress is not None))
    return signals


def _release(signals: TaskSignals) -> None:
    # Never drop the last reference while the object is emitting: Qt deletes it later, safely.
    signals.deleteLater()
    QTimer.singleShot(0, lambda: _alive.discard(signals))


_background: QThreadPool | None = None


def background_pool() -> QThreadPool:
    """One thread for long loads (the rest of a 100,000-row list): they queue behind each other, never in
    front of the short tasks of the global pool (the first page of the next keystroke)."""
    global _background
    if _background is None:
        _background = QThreadPool()
        _background.setMaxThreadCount(1)
    return _background


def wait_all(msecs: int = 30000) -> bool:
    done = QThreadPool.globalInstance().waitForDone(msecs)
    return (_background is None or _background.waitForDone(msecs)) and done
