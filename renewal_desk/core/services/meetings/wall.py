"""The projector's view model: what the wall shows (no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ...db import Database
from ...models import MotionState
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


@dataclass(frozen=True)
class WallBar:
    """One bar of the live tally: a count of a total, its exact share and the threshold it is measured
    against (draw the threshold line; say nothing about passing before the result is declared)."""

    label: str
    label_en: str
    value: str  # "9 / 12 人", "900 / 1,200 ㎡"
    share: Fraction
    threshold: Fraction | None


@dataclass(frozen=True)
class WallMotion:
    id: int
    title: str
    text: str
    scope: str  # who votes ("全项目" / "1号楼" …)
    rule: str  # the rule's name, e.g. "特别事项（双四分之三）"
    method: str  # 举手表决 / 记名投票 / 纸质票
    state: str  # 待表决 / 表决中 / 已表决
    expected: int | None  # 应到 of the motion's scope (owners, or invitees for a consultative vote)
    bars: tuple[WallBar, ...]  # participation and approval, by headcount and (Art. 278 / paper) by area
    verdict: bool | None  # None until 宣布结果; then 通过 (True) / 未通过 (False)
    reasons: tuple[str, ...]  # why, only once declared
    reasons_en: tuple[str, ...]


@dataclass(frozen=True)
class WallSlide:
    """Everything one slide of the projector shows, from one computation (no names, phones, IDs).
    `present` is THE 实到 (invitees in the room now); header and motion block both use it."""

    meeting: MeetingView
    kind: str  # "title" (nothing current yet), "agenda" (an item, no motion), "motion" (a motion of the current item)
    items: list[ItemRow]
    current_item: ItemRow | None
    present: int
    expected: int
    attendance: Attendance
    motion: WallMotion | None


def _wall_motion(m: MotionResult) -> WallMotion:
    from ...rules import votes

    r = m.result
    bars: list[WallBar] = []
    if r is not None and m.motion.state != MotionState.DRAFT.value:
        rule = r.rule
        area = votes.area_text
        bars.append(WallBar("参与（人数）", "taking part (headcount)", f"{r.participating_owners} / {r.eligible_owners} 人",
                            r.participation_owner_share, rule.quorum))
        if m.with_area:
            bars.append(WallBar("参与（面积）", "taking part (area)",
                                f"{area(r.participating_area)} / {area(r.eligible_area)} ㎡",
                                r.participation_area_share, rule.quorum))
        bars.append(WallBar("赞成（人数）", "yes (headcount)", f"{r.yes_owners} / {r.participating_owners} 人",
                            r.approval_owner_share, rule.approval))
        if m.with_area:
            bars.append(WallBar("赞成（面积）", "yes (area)", f"{area(r.yes_area)} / {area(r.participating_area)} ㎡",
                                r.approval_area_share, rule.approval))
    declared = m.motion.state == MotionState.DECIDED.value and r is not None
    method = votes.METHOD_LABELS[votes.Method(m.motion.method)][0]
    return WallMotion(m.motion.id, m.motion.title, m.motion.text, m.scope_text, m.rule.name_zh, method,
                      m.motion.state, r.eligible_owners if r is not None else None, tuple(bars),
                      r.passed if declared else None, tuple(r.reasons) if declared else (),
                      tuple(r.reasons_en) if declared else ())


def wall_slide(db: Database, meeting_id: int) -> WallSlide:
    """The slide for the current moment: the current agenda item and, only when it belongs to that item
    (or to no item), the motion being voted or just declared. After moving on to another item the
    previous motion is no longer shown."""
    view = meeting_view(db, meeting_id)
    rows = items(db, meeting_id)
    current = next((r for r in rows if r.current), None)
    att = attendance(db, meeting_id)
    motion = None
    if view.current_motion_id:
        m = motion_result(db, view.current_motion_id)
        if (m.motion.item_id is None and current is None) or (current is not None and m.motion.item_id == current.id) \
                or (m.motion.item_id is None and m.motion.state == MotionState.VOTING.value):
            motion = _wall_motion(m)
    kind = "motion" if motion else ("agenda" if current else "title")
    return WallSlide(view, kind, rows, current, att.present, att.expected, att, motion)


def wall_view(db: Database, meeting_id: int, with_ordering: bool = False) -> WallView:
    """What the projector shows: no names of residents, no phone numbers, no ID numbers."""
    view = meeting_view(db, meeting_id)
    motion = motion_result(db, view.current_motion_id) if view.current_motion_id else None
    ordering = ordering_on_wall(db, view.project_id) if with_ordering else None
    return WallView(view, items(db, meeting_id), attendance(db, meeting_id), motion, ordering)
