"""The projector's view model: what the wall shows, one slide at a time (no personal data).

`slide_of` is the one computation of every figure and sentence on the wall; `wall_slide` reads what
it needs from the database, and the meetings page hands it what it has already loaded (`WallView`).
The slide follows the current agenda item:
  title     no item under discussion yet: the meeting's title, time, place, 应到 / 实到;
  agenda    an item without a motion: the agenda with that item highlighted;
  motion    a motion of the current item, in one of three stages —
            before    its text, scope, rule and method (待表决);
            voting    the live tally: participation and approval by headcount and (Art. 278) by area,
                      each against its threshold; never a verdict (正在表决…);
            declared  通过 / 未通过 with the reasons, only once 宣布结果;
  ordering  the residents' ordering results, when asked.
After moving on to another item the previous motion is no longer shown. Nothing on a slide names a
resident, a phone number or an ID number: presenters, chair and recorder are left off too.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ...db import Database
from ...models import MOTION_STATE_LABELS, MotionState
from ...rules.consent import _at_least_en, _at_least_zh, _shown, fraction_en, fraction_zh, percent
from ...rules.numbers import cn_date
from ._common import MATTER_NAMES
from .agenda import ItemRow, items
from .meeting import MeetingView, meeting_view
from .signin import Attendance, attendance
from .voting import MotionResult, motion_result, motions

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


@dataclass(frozen=True)
class OrderingOnWall:
    """The latest ordering round of the meeting's project: the most wanted optional items."""

    title: str
    answered: int
    eligible: int
    top: tuple[tuple[str, int, Fraction], ...]  # (item, households, share of those who answered)


@dataclass(frozen=True)
class WallView:
    """What the page has loaded; `slide_of` turns it into the slide."""

    meeting: MeetingView
    items: list[ItemRow]
    attendance: Attendance
    motion: MotionResult | None  # the meeting's current motion (the one last put to the vote)
    ordering: OrderingOnWall | None = None
    motions: tuple[MotionResult, ...] = ()  # all motions of the meeting, for the current item's own


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

    label: str  # "参与（人数）"
    value: str  # "9 / 12 人", "900 / 1,200 ㎡"
    share: Fraction
    threshold: Fraction | None
    share_text: str = ""  # "75.0%"
    threshold_text: str = ""  # "三分之二以上" / "过半数"; "" without a threshold


@dataclass(frozen=True)
class WallMotion:
    id: int
    title: str
    text: str
    scope: str  # who votes ("全项目（幸福里改造）" / "1号楼" …)
    rule: str  # short: "双三分之二参与、双四分之三同意"
    basis: str  # "民法典第二百七十八条" / "本地规则（严于民法典第二百七十八条）" / "协商表决（简单多数）"
    matter: str  # 特别事项（双四分之三）…
    method: str  # 举手表决 / 记名投票 / 纸质票
    state: str  # 待表决 / 表决中 / 已表决
    stage: str  # "before" / "voting" / "declared"
    expected: int | None  # 应到 of the motion's scope (owners, or invitees for a consultative vote)
    bars: tuple[WallBar, ...]  # participation and approval, by headcount and (Art. 278 / paper) by area
    count_parts: tuple[str, ...]  # ("赞成 24 人（2,400 ㎡）", "反对 …", "弃权 …"); () before the vote
    verdict: bool | None  # None until 宣布结果; then 通过 (True) / 未通过 (False)
    reasons: tuple[str, ...]  # why, only once declared
    problem: str = ""  # why the tally cannot be shown (e.g. counts not typed in yet)
    gauge: str = ""  # "参与表决（三分之二）还差 2 人 / 200.00 ㎡；同意…" until declared (figures, never a verdict)

    @property
    def counts(self) -> str:
        """"赞成 24 人 · 反对 4 人 · 弃权 2 人"; "" before the vote."""
        return " · ".join(self.count_parts)


@dataclass(frozen=True)
class AgendaLine:
    position: int
    text: str  # "3. 表决：加装电梯"
    current: bool
    done: bool  # before the current item


@dataclass(frozen=True)
class WallSlide:
    """Everything one slide of the projector shows, from one computation (no names, phones, IDs).
    `present` is THE 实到 (invitees in the room now); header and motion block both use it."""

    meeting: MeetingView
    kind: str  # "title" / "agenda" / "motion" / "ordering"
    items: list[ItemRow]
    current_item: ItemRow | None
    present: int
    expected: int
    attendance: Attendance
    motion: WallMotion | None
    title: str = ""
    when: str = ""  # "2026年11月25日（星期三）14:30"
    place: str = ""
    current: str = ""  # "第 3 项　表决：加装电梯" ("" on the title slide)
    agenda: tuple[AgendaLine, ...] = ()
    ordering: OrderingOnWall | None = None
    ordering_answered: str = ""  # "已回答 45 / 120 户"
    ordering_bars: tuple[WallBar, ...] = ()


def _zh(lang: str) -> bool:
    return not lang.startswith("en")


def rule_text(rule, lang: str = "zh") -> tuple[str, str]:
    """(the rule in a few words, its basis) for the wall: "双三分之二参与、双四分之三同意", "民法典第二百七十八条"."""
    q, a, strict = rule.quorum, rule.approval, rule.approval_strict
    zh = _zh(lang)
    if not rule.statutory:
        need = _at_least_zh(a, strict) if zh else _at_least_en(a, strict)
        quorum = "" if not q else (f"参与人数{fraction_zh(q)}以上，" if zh else f"at least {fraction_en(q)} taking part, ")
        return ((f"{quorum}参与人数{need}同意" if zh else f"{quorum}{need} of those voting say yes"),
                "协商表决，简单多数" if zh else "consultative vote, simple majority")
    if zh:
        approval = "过半数" if strict and a == Fraction(1, 2) else (f"超过{fraction_zh(a)}" if strict else fraction_zh(a))
        basis = "民法典第二百七十八条" if rule.is_legal_default else "本地规则（严于民法典第二百七十八条）"
        return f"双{fraction_zh(q)}参与、双{approval}同意", basis
    approval = _at_least_en(a, strict)
    basis = "Civil Code Art. 278" if rule.is_legal_default else "local rule (stricter than Civil Code Art. 278)"
    return (f"{fraction_en(q)} of owners and area take part; {approval} of both say yes", basis)


def _bars(m: MotionResult, lang: str) -> tuple[WallBar, ...]:
    from ...rules import votes

    r = m.result
    if r is None:
        return ()
    zh = _zh(lang)
    rule = r.rule
    area = votes.area_text
    people, sqm = ("人", "㎡") if zh else ("people", "m²")

    def bar(label_zh, label_en, value, share, threshold, strict):
        if threshold is not None and threshold == 0:
            threshold = None
        need = "" if threshold is None else (_at_least_zh(threshold, strict) if zh else _at_least_en(threshold, strict))
        return WallBar(label_zh if zh else label_en, value, share, threshold,
                       _shown(share, threshold) if threshold is not None else percent(share), need)

    out = [bar("参与（人数）", "taking part (headcount)", f"{r.participating_owners} / {r.eligible_owners} {people}",
               r.participation_owner_share, rule.quorum, False)]
    if m.with_area:
        out.append(bar("参与（面积）", "taking part (area)",
                       f"{area(r.participating_area)} / {area(r.eligible_area)} {sqm}",
                       r.participation_area_share, rule.quorum, False))
    out.append(bar("赞成（人数）", "yes (headcount)", f"{r.yes_owners} / {r.participating_owners} {people}",
                   r.approval_owner_share, rule.approval, rule.approval_strict))
    if m.with_area:
        out.append(bar("赞成（面积）", "yes (area)", f"{area(r.yes_area)} / {area(r.participating_area)} {sqm}",
                       r.approval_area_share, rule.approval, rule.approval_strict))
    return tuple(out)


def _counts(m: MotionResult, lang: str) -> tuple[str, ...]:
    from ...rules import votes

    r = m.result
    if r is None:
        return ()
    zh = _zh(lang)
    names = ("赞成", "反对", "弃权") if zh else ("yes", "no", "abstain")
    unit = "人" if zh else ""
    parts = []
    for name, owners, area in zip(names, (r.yes_owners, r.no_owners, r.abstain_owners),
                                  (r.yes_area, r.no_area, r.abstain_area)):
        text = f"{name} {owners}{' ' + unit if unit else ''}"
        if m.with_area:
            text += f"（{votes.area_text(area)} ㎡）" if zh else f" ({votes.area_text(area)} m²)"
        parts.append(text)
    return tuple(parts)


def _wall_motion(m: MotionResult, lang: str = "zh") -> WallMotion:
    from ...rules import votes

    r = m.result
    zh = _zh(lang)
    state = m.motion.state
    stage = {MotionState.DRAFT.value: "before", MotionState.VOTING.value: "voting"}.get(state, "declared")
    declared = stage == "declared" and r is not None
    if stage == "declared" and r is None:
        stage = "voting"  # a decided vote whose counts cannot be computed shows no verdict
    method = votes.METHOD_LABELS[votes.Method(m.motion.method)][0 if zh else 1].split("（")[0]
    rule, basis = rule_text(m.rule, lang)
    shown = stage != "before"
    return WallMotion(
        m.motion.id, m.motion.title, m.motion.text, m.scope_text, rule, basis,
        MATTER_NAMES[m.motion.matter][0 if zh else 1], method, MOTION_STATE_LABELS[state][0 if zh else 1], stage,
        r.eligible_owners if r is not None else None, _bars(m, lang) if shown else (),
        _counts(m, lang) if shown else (), r.passed if declared else None,
        tuple(r.reason_list(lang)) if declared else (),
        (m.problem if zh else m.problem_en) if shown and r is None else "",
        m.gauge_text(lang) if not declared else "")


def _item_motion(wall: WallView, current: ItemRow | None) -> MotionResult | None:
    """The motion the wall shows for the current item: the meeting's current motion when it belongs
    to that item (or, with no item, one under vote or of no item); else the item's own motion under
    vote, else its next one not yet voted, else its last declared one."""
    m = wall.motion
    if m is not None:
        item_id = m.motion.item_id
        if (current is None and item_id is None) or (current is not None and item_id == current.id) \
                or (item_id is None and m.motion.state == MotionState.VOTING.value):
            return m
    if current is None:
        return None
    own = [x for x in wall.motions if x.motion.item_id == current.id]
    for state in (MotionState.VOTING.value, MotionState.DRAFT.value):
        found = next((x for x in own if x.motion.state == state), None)
        if found is not None:
            return found
    return own[-1] if own else None


def _when(view: MeetingView, lang: str) -> str:
    start, end = view.starts_at, view.ends_at
    until = f"–{end:%H:%M}" if end is not None and end.date() == start.date() else ""
    if _zh(lang):
        return f"{cn_date(start.date())}（星期{WEEKDAYS[start.weekday()]}）{start:%H:%M}{until}"
    return f"{start:%a %d %b %Y, %H:%M}{until}"


def slide_of(wall: WallView, lang: str = "zh") -> WallSlide:
    """The slide for the current moment, computed from what was read (see the module docstring)."""
    zh = _zh(lang)
    view, rows, att = wall.meeting, wall.items, wall.attendance
    current = next((r for r in rows if r.current), None)
    m = _item_motion(wall, current)
    motion = _wall_motion(m, lang) if m is not None else None
    if wall.ordering is not None:
        kind = "ordering"
    else:
        kind = "motion" if motion else ("agenda" if current else "title")
    agenda = tuple(AgendaLine(r.position, f"{r.position}. {r.title}", r.current,
                              current is not None and r.position < current.position) for r in rows)
    here = ""
    if current is not None:
        here = (f"第 {current.position} 项　{current.title}" if zh else f"Item {current.position}: {current.title}")
    elif motion is not None:
        here = motion.title
    o = wall.ordering
    answered, bars = "", ()
    if o is not None:
        answered = (f"已回答 {o.answered} / {o.eligible} 户" if zh
                    else f"answered: {o.answered} of {o.eligible} households")
        bars = tuple(WallBar(f"{n}. {name}", f"{count} 户" if zh else f"{count} households", share, None, percent(share))
                     for n, (name, count, share) in enumerate(o.top, start=1))
    return WallSlide(view, kind, rows, current, att.present, att.expected, att, motion, view.title, _when(view, lang),
                     view.place, here, agenda, o, answered, bars)


def agenda_window(agenda: tuple[AgendaLine, ...], rows: int) -> tuple[tuple[AgendaLine, ...], int, int]:
    """The agenda lines that go into `rows` rows of the wall, around the current item, and how many
    are left out before and after them (a row of the wall says so: "… 前 12 项")."""
    if len(agenda) <= rows:
        return agenda, 0, 0
    rows = max(rows, 3)
    now = next((n for n, line in enumerate(agenda) if line.current), 0)
    shown = rows - 2  # a row each for "before" and "after" (dropped when nothing is left out there)
    first = max(0, min(now - shown // 3, len(agenda) - shown))
    if first == 0:
        shown += 1
    if first + shown >= len(agenda):
        shown += 1
    first = max(0, min(first, len(agenda) - shown))
    return agenda[first:first + shown], first, len(agenda) - first - shown


def wall_view(db: Database, meeting_id: int, with_ordering: bool = False) -> WallView:
    """What the projector shows: no names of residents, no phone numbers, no ID numbers."""
    view = meeting_view(db, meeting_id)
    motion = motion_result(db, view.current_motion_id) if view.current_motion_id else None
    ordering = ordering_on_wall(db, view.project_id) if with_ordering else None
    return WallView(view, items(db, meeting_id), attendance(db, meeting_id), motion, ordering,
                    tuple(motions(db, meeting_id)))


def wall_slide(db: Database, meeting_id: int, with_ordering: bool = False, lang: str = "zh") -> WallSlide:
    """The slide for the current moment, read from the database."""
    return slide_of(wall_view(db, meeting_id, with_ordering), lang)
