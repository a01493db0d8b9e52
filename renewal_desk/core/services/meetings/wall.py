"""The projector's view model: what the wall shows (no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ...db import Database
from .meeting import MeetingView, meeting_view
from .signin import Attendance, attendance
from .agenda import ItemRow, items
from .voting import MotionResult, motion_result


@dataclass(frozen=True)
class OrderingOnWall:
    """The latest ordering round of the meeting's project: the most wanted optional items."""

    title: str
    answered: int
    eligible: int
    top: tuple[tuple[str, int, Fraction], ...]  # (item, households, share of those who answered)


@dataclass(frozen=True)
class WallView:
    meeting: MeetingView
    items: list[ItemRow]
    attendance: Attendance
    motion: MotionResult | None
    ordering: OrderingOnWall | None = None


def ordering_on_wall(db: Database, project_id: int | None, limit: int = 8) -> OrderingOnWall | None:
    from .. import ordering

    rounds = ordering.rounds(db, project_id) if project_id is not None else []
    if not rounds:
        return None
    tally = ordering.tallies(db, rounds[0].id)
    top = sorted((t for t in tally.items if not t.item.mandatory), key=lambda t: -t.households)[:limit]
    return OrderingOnWall(tally.round.title, tally.answered, tally.eligible,
                          tuple((t.item.name, t.households, t.share_answered) for t in top))


def wall_view(db: Database, meeting_id: int, with_ordering: bool = False) -> WallView:
    """What the projector shows: no names of residents, no phone numbers, no ID numbers."""
    view = meeting_view(db, meeting_id)
    motion = motion_result(db, view.current_motion_id) if view.current_motion_id else None
    ordering = ordering_on_wall(db, view.project_id) if with_ordering else None
    return WallView(view, items(db, meeting_id), attendance(db, meeting_id), motion, ordering)
