"""Making the next batch of rows while the database stores this one.

A bulk write (the demo generator, a roster import) is Python making rows and SQLite storing them; sqlite3 lets
go of the interpreter while it stores a row, so on two cores the two overlap when the rows are made by a
thread. Only work that needs nothing from the database (no session, no ORM objects) goes to the maker.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


@contextmanager
def made_ahead(sources: Iterable[Iterable[T]], depth: int = 4, name: str = "made-ahead") -> Iterator[Iterator[T]]:
    """The batches of `sources`, one after the other, made by a thread up to `depth` batches ahead of the
    consumer. An error of the maker is raised in the consumer; leaving the block early (an error, a
    cancel) stops the maker and waits for it, so nothing of it outlives the transaction."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for source in sources:
                for batch in source:
                    if not put(batch):
                        return
            put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            put(_Failed(exc))

    def consume() -> Iterator[T]:
        while True:
            item = ready.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item

    maker = threading.Thread(target=make, name=name, daemon=True)
    maker.start()
    try:
        yield consume()
    finally:
        stop.set()
        maker.join()
