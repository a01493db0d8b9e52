"""What every part of the meetings service shares: refusals, getters, text cleaning, the scope query."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import (MOTION_STATE_LABELS, Block, Building, Category, Household, Meeting, MeetingStatus, MotionState,
                       Unit)
from ...problems import InputError, Problem, declare
from ...rules.text import clean_prose
from .._common import E_NOT_FOUND, get_or_refuse as _get  # noqa: F401 - one not-found refusal for every service

E_TITLE = declare("meeting.title", "{what}不能为空", "{what_en} must not be empty")
E_TOO_LONG = declare("meeting.too_long", "{what}过长（最多 {limit} 个字）", "{what_en} is too long (at most {limit} characters)")
E_KIND = declare("meeting.kind", "会议类型须为：{allowed}", "The kind of meeting must be one of: {allowed}")
E_TIMES = declare("meeting.times", "结束时间早于开始时间", "The meeting ends before it starts")
E_CATEGORY = declare("meeting.category", "参会类别须为：{allowed}", "The category must be one of: {allowed}")
E_ALREADY_IN = declare("meeting.already_signed_in", "{name}已于 {time} 签到", "{name} already signed in at {time}")
E_NOT_IN = declare("meeting.not_signed_in", "{name}还没有签到", "{name} has not signed in")
E_LEFT_BEFORE = declare("meeting.left_before_sign_in", "离场时间 {left} 早于签到时间 {time}",
                        "The time of leaving {left} is before signing in at {time}")
E_PROXY_NAME = declare("meeting.proxy_name", "代理签到须填写代理人姓名", "Signing in by proxy needs the proxy's name")
E_PROXY_SELF = declare("meeting.proxy_self", "代理人不能是被代理人本人（{name}）", "The proxy cannot be the person themselves ({name})")
E_MINUTES = declare("meeting.planned_minutes", "计划时长应为 1–600 分钟：{value}", "Planned minutes must be 1–600: {value}")
E_MATTER = declare("meeting.matter", "表决规则须为 特别事项 / 一般事项 / 协商表决", "The rule must be special / ordinary / consultative")
E_METHOD = declare("meeting.method", "表决方式须为 举手 / 记名 / 纸质票", "The method must be hands / named / paper")
E_MOTION_STATE = declare("meeting.motion_state", "议题“{title}”{state}，不能{action}",
                         "The motion “{title}” is {state_en}; it cannot be {action_en}")
E_CORRECTION_REASON = declare(
    "meeting.correction_reason", "议题“{title}”已表决，更正结果须填写原因（记入审计日志）",
    "The motion “{title}” has been decided; correcting its result needs a reason (audited)")
E_NOT_OWNER = declare(
    "meeting.not_owner", "{name}不是本项表决范围（{scope}）内的业主，不能对《民法典》第二百七十八条事项投票",
    "{name} is not an owner in this motion's scope ({scope}) and cannot vote on a Civil Code Art. 278 matter")
E_NO_AREA = declare(
    "meeting.no_area", "{name}的住户没有登记专有部分面积，无法按《民法典》第二百七十八条计票；请先在住户中补登面积",
    "{name}'s household has no exclusive area on record, so it cannot be counted under Civil Code Art. 278; "
    "add the area to the household first")
E_CHOICE = declare("meeting.choice", "表决意见须为 赞成 / 反对 / 弃权：{value}", "The choice must be yes / no / abstain: {value}")
E_WRONG_MEETING = declare("meeting.wrong_meeting", "该记录不属于这次会议", "That record belongs to another meeting")
E_TASK_STATUS = declare("meeting.task_status", "任务状态须为：{allowed}", "The task status must be one of: {allowed}")

MATTER_NAMES = {"special": ("特别事项（双四分之三）", "special (double 3/4)"),
                "ordinary": ("一般事项（双过半）", "ordinary (double majority)"),
                "consultative": ("协商表决（简单多数）", "consultative (simple majority)")}
# Who may vote at all: the invitees, except the staff running or advising the meeting (社区/街道工作人员 and
# government departments, category 部门). 列席 walk-ins and staff attend without a vote: they are not in 应到 or
# 实到, nor in a vote's 在场, and cannot cast a ballot; they are counted as 列席.
NON_VOTING_CATEGORIES = (Category.DEPARTMENT.value,)


def is_voter(expected: bool, category: str) -> bool:
    return bool(expected) and category not in NON_VOTING_CATEGORIES


STATE_EN = {state: labels[1] for state, labels in MOTION_STATE_LABELS.items()}


def _text(value: Any, what: str, what_en: str, limit: int, field_name: str, required: bool = True) -> str:
    text = clean_prose(value)
    if required and not text:
        raise InputError(Problem(E_TITLE, {"what": what, "what_en": what_en}, field=field_name))
    if len(text) > limit:
        raise InputError(Problem(E_TOO_LONG, {"what": what, "what_en": what_en, "limit": limit}, field=field_name,
                                 value=text[:60]))
    return text


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)




def _scope_households(s: Session, m: Meeting):
    """Households of the meeting's project (and buildings, if chosen) that are not vacant."""
    query = (select(Household.id).join(Unit, Unit.id == Household.unit_id).join(Building, Building.id == Unit.building_id)
             .join(Block, Block.id == Building.block_id).where(Block.project_id == m.project_id,
                                                                 Household.is_vacant.is_(False)))
    ids = [int(x) for x in m.building_ids.split(",") if x]
    if ids:
        query = query.where(Building.id.in_(ids))
    return query


def _next_position(s: Session, model, meeting_column, meeting_id: int) -> int:
    return (s.scalar(select(func.max(model.position)).where(meeting_column == meeting_id)) or 0) + 1


E_ENDED = declare("meeting.ended", "会议“{title}”已结束，不能{action}。如需更改，请管理员重新打开会议（须写明原因）",
                  "The meeting “{title}” has ended and cannot be {action_en}; an administrator may reopen it (with a reason)")


def _check_open(s: Session, meeting_id: int, action: str, action_en: str):
    """The meeting, refused once it has ended (已结束 is a record, not a draft)."""
    m = _get(s, Meeting, meeting_id, "会议")
    if m.status == MeetingStatus.ENDED.value:
        raise InputError(Problem(E_ENDED, {"title": m.title, "action": action, "action_en": action_en}))
    return m


def _get_open(s: Session, model, record_id: int | None, kind: str, action: str, action_en: str):
    """A meeting's record (attendee, item, motion, resolution, task), refused once its meeting has ended."""
    row = _get(s, model, record_id, kind)
    _check_open(s, row.meeting_id, action, action_en)
    return row
