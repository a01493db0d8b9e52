"""Operations: how the UI runs core work (the idea of Anki's aqt/operations).

- `QueryOp`: one kind of read a widget makes (its list, a detail pane). `run(fn)` sends `fn` to a worker
  thread (ui/tasks.py); its result reaches `success` on the GUI thread only if no newer `run()` (or `drop()`)
  of the same op came since and the parent still exists. Stale results are dropped here, not by a counter
  in every page.
- `WriteOp`: one write (a service verb with its own db.write()). Off the GUI thread like a query; after
  success the change topics it names are announced (core.services.events), so the window's pages refresh,
  unless the service announced them itself while it ran.

A failure of either is shown in the person's language in the banner covering the parent
(widgets.feedback.show_error), unless the caller handles it with `failure`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool

from renewal_desk.core.services import events
from renewal_desk.core.services.events import Topic

from . import tasks
from .widgets.feedback import show_error

Callback = Callable[[Any], None]


def _show_failure(parent: QObject | None) -> Callable[[BaseException], None]:
    return lambda exc: show_error(parent, exc)


class QueryOp:
    """A read that a newer read of the same kind makes stale. Keep one per kind of load, on its widget:

        self._load = QueryOp(self, self._show)
        self._load.run(lambda: svc.register_view(db, as_of))
    """

    def __init__(self, parent: QObject | None, success: Callback | None = None,
                 failure: Callable[[BaseException], None] | None = None, pool: QThreadPool | None = None):
        self.parent, self.success, self.failure, self.pool = parent, success, failure, pool
        self.generation = 0

    def run(self, fn: Callable[..., Any], success: Callback | None = None,
            failure: Callable[[BaseException], None] | None = None,
            progress: Callable[[int, int], None] | None = None, pool: QThreadPool | None = None,
            join: bool = False) -> int:
        """Start `fn` in a worker (with `progress`, fn receives progress(done, total)). Returns this run's
        generation: `current(generation)` is False once a newer run started (work can stop early).
        `join`: one piece of a batch started by `drop()` (a strip of thumbnails): it makes no other piece stale."""
        if not join:
            self.generation += 1
        generation = self.generation
        ok = success or self.success
        bad = failure or self.failure or _show_failure(self.parent)

        def deliver(callback):
            def call(*args) -> None:
                if generation == self.generation and callback is not None:
                    callback(*args)
            return call

        tasks.submit(fn, deliver(ok), deliver(bad), deliver(progress) if progress else None,
                     owner=self.parent, pool=pool or self.pool)
        return generation

    def current(self, generation: int) -> bool:
        return generation == self.generation

    def drop(self) -> None:
        """Results still on their way are dropped (the view moved on; a new batch of `join` runs begins)."""
        self.generation += 1


class _Announced:
    """The topics services announced while a write ran (so the op does not announce them twice)."""

    def __init__(self):
        self.topics: set[str] = set()
        self._unsubscribe = events.subscribe(lambda topic, _ids: self.topics.add(topic))

    def close(self) -> None:
        self._unsubscribe()


class WriteOp:
    """A write off the GUI thread; after success its `topics` are announced so pages refresh:

        WriteOp(self, lambda: svc.save_terms(db, data), topics=(Topic.LEASES,), success=self._saved).run()
    """

    def __init__(self, parent: QObject | None, fn: Callable[[], Any], success: Callback | None = None,
                 failure: Callable[[BaseException], None] | None = None, topics: Iterable[Topic] = (),
                 ids: Iterable[int] = ()):
        self.parent, self.fn, self.success, self.failure = parent, fn, success, failure
        self.topics, self.ids = tuple(topics), list(ids)

    def run(self) -> None:
        announced = _Announced()

        def alive() -> bool:
            return self.parent is None or shiboken6.isValid(self.parent)

        def done(result) -> None:
            announced.close()
            for topic in self.topics:  # the write happened even if its dialog has closed since
                if topic not in announced.topics:
                    events.announce(topic, self.ids)
            if self.success is not None and alive():
                self.success(result)

        def failed(exc: BaseException) -> None:
            announced.close()
            if alive():
                (self.failure or _show_failure(self.parent))(exc)

        tasks.submit(self.fn, done, failed)
