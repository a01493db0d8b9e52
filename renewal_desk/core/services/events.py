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


# The topic a change to each table is announced under, for changes another copy of the app committed
# (core.db.ChangeWatch reads their tables from the audit log). Tables not listed (accounts, settings, the
# audit log, attachments) are shown by no page that refreshes.
TABLE_TOPICS = {
    **dict.fromkeys(("project", "block", "building", "unit"), "places"),
    **dict.fromkeys(("household", "person", "person_role"), "households"),
    **dict.fromkeys(("ordering_round", "menu_item", "household_order", "order_choice"), "ordering"),
    **dict.fromkeys(("lease_contract", "lease_lessor", "lease_terms", "rent_payment", "stored_house", "house_owner",
                     "business_placement", "restoration", "operator_receipt"), "leases"),
    **dict.fromkeys(("meeting", "meeting_attendee", "meeting_speech", "agenda_item", "motion", "motion_ballot",
                     "resolution"), "meetings"),
    "followup_task": "tasks",
    **dict.fromkeys(("designer_appointment", "designer_visit", "designer_opinion", "designer_response"), "designer"),
    **dict.fromkeys(("supervisor", "construction_party", "inspection", "inspection_participant",
                     "supervision_problem", "problem_transition", "rectification_notice", "acceptance"),
                    "supervision"),
    **dict.fromkeys(("exchange_conflict", "exchange_log", "exchange_sync_state"), "exchange"),
}


def topics_of(tables: set[str]) -> list[str]:
    """The topics to announce for changes to these tables (in a fixed order)."""
    return sorted({TABLE_TOPICS[t] for t in tables if t in TABLE_TOPICS})
