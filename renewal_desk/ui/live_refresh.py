"""What other copies of the app commit shows here within seconds (issue 18), without a full reload.

A thin poller on core.db.ChangeWatch: each tick is one non-blocking look (the server's notification on
PostgreSQL, the audit log's last id on SQLite; the log is read only when something is new), and the tables
changed become the topics the window's pages already refresh on (core.services.events.topics_of).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from renewal_desk.core.db import Database, DatabaseError
from renewal_desk.core.services import events

POLL_MS = 1000


class LiveRefresh(QObject):
    changed = Signal(list)  # topics (str) that others changed

    def __init__(self, db: Database, parent=None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.watch = db.watch()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        try:
            tables = self.watch.changed_tables()
        except (SQLAlchemyError, DatabaseError):
            return  # the server is out of reach for now: the next tick looks again
        topics = events.topics_of(tables)
        if topics:
            self.changed.emit(topics)

    def close(self) -> None:
        self.timer.stop()
        self.watch.close()
