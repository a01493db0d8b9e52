"""The base of every section page of the main window: which change topics it watches, and what it does
when one of them changes while it is out of sight.

Services announce what changed under a `Topic` (core.services.events); the window's bridge brings each
announcement to the GUI thread and asks every built page `topic in page.watches`. A page that watches the
topic and is not the one in sight (or any page, when the change came from another copy of the app) is
told `on_change()`; a page that let go of its lists when hidden reloads when it is shown instead, and so
does, every time, a page with `refresh_when_shown` (the overview, the audit log, backups: they show a bit of
everything).

    class LeasesPage(Page):
        watches = frozenset({Topic.LEASES})        # on_change() is refresh()

    class MeetingsPage(Page):
        watches = frozenset({Topic.MEETINGS, Topic.TASKS})

        def on_change(self) -> None:
            self.reload_meetings()

Every page says what it watches, an empty set included (tests/ui/test_page_topics.py checks it).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from renewal_desk.core.services.events import Topic

__all__ = ["Page", "Topic"]


class Page(QWidget):
    """A section of the main window."""

    watches: frozenset[Topic] = frozenset()  # the topics after which this page, out of sight, reloads
    refresh_when_shown = False  # True: refresh() each time the page is shown (pages that watch everything)

    def on_change(self) -> None:
        """A watched topic changed: reload what the page shows (by default its refresh())."""
        self.refresh()
