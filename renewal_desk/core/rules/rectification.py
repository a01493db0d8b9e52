"""The rectification workflow of the supervisor team (居民监督队), as pure rules.

    待发通知 --issue--> 已发通知 --reply--> 已回复 --recheck_pass--> 复查通过 --close--> 已关闭
                          ^                      |
                          |                      +--recheck_fail--> 复查未通过
                          +---------------issue (a new notice, a new deadline)-----+

Every step is dated and names who took it; a step the current state does not allow is refused
with the reason in Chinese (and English). The services keep one history row per step.

Overdue, precisely: the builder's clock runs while the builder owes the rectification, that is
in 已发通知 (no reply yet) and in 复查未通过 (the re-check found it not rectified); a problem in one
of these states is overdue on every day strictly after its deadline (the deadline day itself is in
time). 待发通知 has no deadline yet; a reply (已回复) stops the clock while the supervisors re-check;
复查通过 and 已关闭 are done. So a problem is never overdue before its deadline, and an overdue
problem stops being overdue when the builder replies or it is closed, not when a day passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..problems import InputError, Problem, declare
from .text import code_label


class State(StrEnum):
    """Stored as ASCII codes (migration 0022; before it the Chinese labels were the values)."""

    PENDING = "pending"
    NOTIFIED = "notified"
    REPLIED = "replied"
    PASSED = "passed"
    FAILED = "failed"
    CLOSED = "closed"


STATE_LABELS: dict[str, tuple[str, str]] = {
    State.PENDING: ("待发通知", "notice pending"),
    State.NOTIFIED: ("已发通知", "notice issued"),
    State.REPLIED: ("已回复", "replied"),
    State.PASSED: ("复查通过", "re-check passed"),
    State.FAILED: ("复查未通过", "re-check failed"),
    State.CLOSED: ("已关闭", "closed"),
}


class Action(StrEnum):
    FOUND = "found"  # the problem was recorded (the first history row; not a transition)
    ISSUE = "issue"
    REPLY = "reply"
    RECHECK_PASS = "recheck_pass"
    RECHECK_FAIL = "recheck_fail"
    CLOSE = "close"


ACTION_LABELS: dict[str, tuple[str, str]] = {
    Action.FOUND: ("发现问题", "problem found"),
    Action.ISSUE: ("发出整改通知", "notice issued"),
    Action.REPLY: ("整改回复", "builder's reply"),
    Action.RECHECK_PASS: ("复查通过", "re-check passed"),
    Action.RECHECK_FAIL: ("复查未通过", "re-check failed"),
    Action.CLOSE: ("关闭", "closed"),
}

STATE_LABELS_EN = {state: en for state, (_zh, en) in STATE_LABELS.items()}


def state_label(state: str, lang: str = "zh") -> str:
    """A stored state shown in `lang` (an unknown value as it is)."""
    return code_label(STATE_LABELS, state, lang)

TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.PENDING, Action.ISSUE): State.NOTIFIED,
    (State.FAILED, Action.ISSUE): State.NOTIFIED,  # a new notice with a new deadline
    (State.NOTIFIED, Action.REPLY): State.REPLIED,
    (State.REPLIED, Action.RECHECK_PASS): State.PASSED,
    (State.REPLIED, Action.RECHECK_FAIL): State.FAILED,
    (State.PASSED, Action.CLOSE): State.CLOSED,
}

CLOCK_RUNNING = frozenset({State.NOTIFIED, State.FAILED})  # the builder owes the rectification
OPEN_STATES = frozenset(s for s in State if s is not State.CLOSED)

class ProblemCategory(StrEnum):
    """What kind of problem the team found; stored as ASCII codes (migration 0025)."""

    QUALITY = "quality"
    SAFETY = "safety"
    PROGRESS = "progress"
    CIVILITY = "civility"
    NOISE = "noise"
    COMPLAINT = "complaint"
    OTHER = "other"


PROBLEM_CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    ProblemCategory.QUALITY: ("质量", "quality"),
    ProblemCategory.SAFETY: ("安全", "safety"),
    ProblemCategory.PROGRESS: ("进度", "progress"),
    ProblemCategory.CIVILITY: ("文明施工", "site conduct"),
    ProblemCategory.NOISE: ("噪声扰民", "noise"),
    ProblemCategory.COMPLAINT: ("居民投诉", "residents' complaint"),
    ProblemCategory.OTHER: ("其他", "other"),
}


class Severity(StrEnum):
    """How serious a problem is; stored as ASCII codes (migration 0025)."""

    MINOR = "minor"
    MAJOR = "major"
    SEVERE = "severe"


SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    Severity.MINOR: ("一般", "minor"),
    Severity.MAJOR: ("较重", "major"),
    Severity.SEVERE: ("严重", "severe"),
}

CATEGORIES = tuple(c.value for c in ProblemCategory)
SEVERITIES = tuple(s.value for s in Severity)

# Why a state refuses what was asked: (Chinese, English).
_WAITING = {
    State.PENDING: ("尚未发出整改通知", "no rectification notice has been issued yet"),
    State.NOTIFIED: ("整改通知已发出，正在等待责任单位回复", "the notice is out; the builder has not replied yet"),
    State.REPLIED: ("责任单位已回复，正在等待监督员复查", "the builder replied; the supervisors have not re-checked yet"),
    State.PASSED: ("复查已通过，只能关闭", "the re-check passed; it can only be closed"),
    State.FAILED: ("复查未通过，须重新发出整改通知并确定新的整改期限",
                   "the re-check failed; issue a new notice with a new deadline first"),
    State.CLOSED: ("问题已关闭", "the problem is closed"),
}

E_ILLEGAL = declare("rectification.illegal", "问题当前为“{state}”，不能{action}：{why}",
                    "The problem is '{state_en}'; cannot do '{action_en}': {why_en}")
E_UNKNOWN_STATE = declare("rectification.unknown_state", "未知的整改状态：{value}", "Unknown rectification state: {value}")
E_BEFORE_LAST = declare("rectification.before_last", "日期 {on} 早于上一步的日期 {last}",
                        "The date {on} is before the previous step's date {last}")
E_FUTURE = declare("rectification.future", "日期 {on} 晚于今天（{today}）", "The date {on} is after today ({today})")
E_DEADLINE_MISSING = declare("rectification.deadline_missing", "请填写整改期限", "Give a deadline for the rectification")
E_DEADLINE_EARLY = declare("rectification.deadline_early", "整改期限 {deadline} 须晚于发出日期 {on}",
                           "The deadline {deadline} must be after the date of issue {on}")
E_TEXT_REQUIRED = declare("rectification.text_required", "请填写{label}", "Please fill in the {label_en}")

_TEXT_NEEDED = {  # action -> (field, Chinese label, English label)
    Action.ISSUE: ("measures", "整改措施和要求", "measures required"),
    Action.REPLY: ("reply", "整改回复内容", "reply"),
    Action.RECHECK_PASS: ("by", "复查人", "re-checked by"),
    Action.RECHECK_FAIL: ("note", "复查未通过的原因", "reason the re-check failed"),
}


REISSUE_LABEL = ("重新下发整改通知", "notice re-issued")


def step_label(action: str, from_state: str = "", lang: str = "zh") -> str:
    """The words for a step in 处理经过: a notice after a failed re-check is 重新下发整改通知."""
    labels = REISSUE_LABEL if action == Action.ISSUE.value and from_state == State.FAILED.value \
        else ACTION_LABELS[action]
    return labels[1] if lang.startswith("en") else labels[0]


def state_of(value: str) -> State:
    try:
        return State(value)
    except ValueError:
        raise InputError(Problem(E_UNKNOWN_STATE, {"value": value}, field="state", value=str(value))) from None


def allowed_actions(state: State | str) -> list[Action]:
    state = state_of(state)
    return [action for (s, action) in TRANSITIONS if s is state]


def next_state(state: State | str, action: Action | str) -> State:
    """The state after `action`; refused with the reason when the current state does not allow it."""
    state, action = state_of(state), Action(action)
    found = TRANSITIONS.get((state, action))
    if found is None:
        why_zh, why_en = _WAITING[state]
        raise InputError(Problem(E_ILLEGAL, {
            "state": STATE_LABELS[state][0], "action": ACTION_LABELS[action][0], "why": why_zh,
            "state_en": STATE_LABELS_EN[state], "action_en": ACTION_LABELS[action][1], "why_en": why_en},
            field="state", value=state.value))
    return found


@dataclass(frozen=True)
class Step:
    """One step asked for: what, when, by whom, and its text (measures / reply / note)."""

    action: Action
    on: date
    by: str = ""
    text: str = ""
    deadline: date | None = None


def check_step(state: State | str, step: Step, last_on: date | None, today: date) -> State:
    """Validate a step against the current state and the history; returns the new state.

    Every problem with the step is reported at once (InputError with several problems), except an
    illegal transition, which is the one thing to say."""
    new = next_state(state, step.action)
    problems: list[Problem] = []
    if step.on > today:
        problems.append(Problem(E_FUTURE, {"on": step.on.isoformat(), "today": today.isoformat()}, field="date"))
    if last_on is not None and step.on < last_on:
        problems.append(Problem(E_BEFORE_LAST, {"on": step.on.isoformat(), "last": last_on.isoformat()}, field="date"))
    if step.action is Action.ISSUE:
        if step.deadline is None:
            problems.append(Problem(E_DEADLINE_MISSING, field="deadline"))
        elif step.deadline <= step.on:
            problems.append(Problem(E_DEADLINE_EARLY, {"deadline": step.deadline.isoformat(), "on": step.on.isoformat()},
                                    field="deadline"))
    needed = _TEXT_NEEDED.get(step.action)
    if needed:
        field_name, zh, en = needed
        value = step.by if field_name == "by" else step.text
        if not (value or "").strip():
            problems.append(Problem(E_TEXT_REQUIRED, {"label": zh, "label_en": en}, field=field_name))
    if problems:
        raise InputError(problems)
    return new


def is_overdue(state: State | str, deadline: date | None, as_of: date) -> bool:
    """Past the deadline while the builder owes the rectification (see the module docstring)."""
    return state_of(state) in CLOCK_RUNNING and deadline is not None and as_of > deadline


def days_overdue(state: State | str, deadline: date | None, as_of: date) -> int:
    return (as_of - deadline).days if deadline is not None and is_overdue(state, deadline, as_of) else 0


def days_to_close(found_on: date, closed_on: date | None) -> int | None:
    return None if closed_on is None else (closed_on - found_on).days
