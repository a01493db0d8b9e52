"""Changes are announced; views refresh what they show (Anki's on_operation_did_execute).

Services call `announce(topic, ids)` after a transaction commits. Listeners may be called from a
worker thread: the UI's bridge re-emits them as a queued Qt signal on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Listener = Callable[[str, list[int]], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


def subscribe(listener: Listener) -> Callable[[], None]:
    with _lock:
        _listeners.append(listener)

    def unsubscribe() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return unsubscribe


def announce(topic: str, ids: list[int]) -> None:
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(topic, list(ids))
