"""Changes are announced; views refresh what they show (Anki's on_operation_did_execute).

Services call `announce(topic, ids)` after a transaction commits, the topic a `Topic` member. Listeners may
be called from a worker thread: the UI's bridge re-emits them as a queued Qt signal on the GUI thread, where
each page says which topics it watches (ui/page.py `Page.watches`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum


class Topic(StrEnum):
    """What changed, as pages watch it. A str enum: a member equals its string (a topic that crossed a Qt
    signal arrives as the plain string and is still found in a page's `watches`)."""

    HOUSEHOLDS = "households"
    PLACES = "places"  # projects, blocks, buildings, units
    ORDERING = "ordering"
    LEASES = "leases"
    MEETINGS = "meetings"
    VOTES = "votes"  # ballots and counts of a meeting's motions (the meetings page reads them when shown)
    MINUTES = "minutes"  # a meeting's minutes
    TASKS = "tasks"  # follow-up tasks of resolutions
    DESIGNER = "designer"
    SUPERVISION = "supervision"
    EXCHANGE = "exchange"  # bundle conflicts, export history


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


def announce(topic: Topic, ids: list[int]) -> None:
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(topic, list(ids))


# The topic a change to each table is announced under, for changes another copy of the app committed
# (core.db.ChangeWatch reads their tables from the audit log). Tables not listed (accounts, settings, the
# audit log, attachments) are shown by no page that refreshes.
TABLE_TOPICS: dict[str, Topic] = {
    **dict.fromkeys(("project", "block", "building", "unit"), Topic.PLACES),
    **dict.fromkeys(("household", "person", "person_role"), Topic.HOUSEHOLDS),
    **dict.fromkeys(("ordering_round", "menu_item", "household_order", "order_choice"), Topic.ORDERING),
    **dict.fromkeys(("lease_contract", "lease_lessor", "lease_terms", "rent_payment", "stored_house", "house_owner",
                     "business_placement", "restoration", "operator_receipt"), Topic.LEASES),
    **dict.fromkeys(("meeting", "meeting_attendee", "meeting_speech", "agenda_item", "motion", "motion_ballot",
                     "resolution"), Topic.MEETINGS),
    "followup_task": Topic.TASKS,
    **dict.fromkeys(("designer_appointment", "designer_visit", "designer_opinion", "designer_response"),
                    Topic.DESIGNER),
    **dict.fromkeys(("supervisor", "construction_party", "inspection", "inspection_participant",
                     "supervision_problem", "problem_transition", "rectification_notice", "acceptance"),
                    Topic.SUPERVISION),
    **dict.fromkeys(("exchange_conflict", "exchange_log", "exchange_sync_state"), Topic.EXCHANGE),
}


def topics_of(tables: set[str]) -> list[Topic]:
    """The topics to announce for changes to these tables (in a fixed order)."""
    return sorted({TABLE_TOPICS[t] for t in tables if t in TABLE_TOPICS})
