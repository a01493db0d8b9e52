"""What the overview page shows: today's desk (what needs doing, each item a record to open), counts
that agree with the lists, and the latest audited changes in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from ..db import Database
from ..models import AuditEntry, Building, ContractStatus, Household, Person, Project, RoundState


@dataclass(frozen=True)
class Change:
    at: datetime
    operator: str
    action: str
    table: str
    record_id: int | None
    note: str


def counts(db: Database) -> dict[str, int]:
    """Projects, buildings, households and the people living in them ("person": household members only,
    as the households list counts them; lessors, attendees and other people outside a household are
    "others" — counting every person row made 居民 disagree with the lists)."""
    with db.read() as s:
        found = {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                 for m in (Project, Building, Household)}
        found["person"] = s.scalar(select(func.count()).select_from(Person).where(Person.household_id.is_not(None))) or 0
        found["others"] = s.scalar(select(func.count()).select_from(Person).where(Person.household_id.is_(None))) or 0
    return found


def recent_changes(db: Database, limit: int = 30) -> list[Change]:
    with db.read() as s:
        return [Change(a.at, a.operator, a.action, a.table_name, a.record_id, a.note)
                for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))]


def change_words(change: Change, lang: str = "zh") -> tuple[str, str]:
    """(what was done, which record) in words: ("修改", "租金支付 #284"), never "rent_payment"."""
    from .audit_log import action_label, table_label

    record = table_label(change.table, lang)
    if change.record_id:
        record = f"{record} #{change.record_id}"
    return action_label(change.action, lang), record


# ---------------------------------------------------------------------------------------------
# Today's desk
# ---------------------------------------------------------------------------------------------
DESK_KINDS = {  # kind -> (Chinese, English heading), in the order the page shows them
    "rectification": ("逾期未整改的监督问题", "Supervision problems past their deadline"),
    "meeting": ("未来 7 天的会议", "Meetings in the next 7 days"),
    "task": ("到期的跟进任务", "Follow-up tasks due"),
    "expiring": ("6 个月内到期的收储合同", "Leases ending within 6 months"),
    "due": ("本月应付租金", "Rent due this month"),
    "arrears": ("拖欠租金", "Rent in arrears"),
    "opinion": ("待答复的首席街长意见", "Designer opinions awaiting an answer"),
    "ordering": ("点单回收率", "Ordering return rate"),
}
AGEING_WORDS = {"le30": ("30 天内", "≤30 days"), "31to90": ("31–90 天", "31–90 days"), "gt90": ("90 天以上", ">90 days")}


@dataclass(frozen=True)
class DeskItem:
    """One thing to do: which kind, what it says, and the record it opens (section, record kind, id)."""

    kind: str
    text_zh: str
    text_en: str
    section: str  # the main window's section key
    record: str  # what the page selects: "problem", "meeting", "contract", "opinion", "round"
    record_id: int
    urgent: bool = False  # overdue: shown in red
    when: date | None = None
    scope: int = 0  # where the page finds it, when it shows one part at a time (an opinion's block)

    def text(self, lang: str = "zh") -> str:
        return self.text_en if lang.startswith("en") else self.text_zh


@dataclass(frozen=True)
class Desk:
    today: date
    items: list[DeskItem]
    ageing_fen: dict[str, int]  # arrears by age bucket (le30, 31to90, gt90)
    return_rates: list[tuple[str, int, int]]  # (round title, answered, eligible) of rounds collecting answers

    def of(self, kind: str) -> list[DeskItem]:
        return [i for i in self.items if i.kind == kind]

    def count(self, kind: str) -> int:
        return len(self.of(kind))


def _yuan(fen: int) -> str:
    return f"¥{fen // 100:,}.{fen % 100:02d}"


def today_desk(db: Database, today: date | None = None, now: datetime | None = None) -> Desk:
    """Everything the overview lists for `today`; every count on the page is len() of a list here."""
    from datetime import timedelta

    from ..models import DesignerOpinion, FollowUpTask, Meeting, Order, OrderingRound, SupervisionProblem
    from ..models.meetings import TaskStatus
    from ..rules import designer as designer_rules
    from ..rules import rectification
    from . import leases, ordering

    today = today or date.today()
    now = now or datetime.combine(today, datetime.now().time())
    items: list[DeskItem] = []
    running = [st.value for st in rectification.CLOCK_RUNNING]
    with db.read() as s:
        for pid, desc, deadline, state in s.execute(
                select(SupervisionProblem.id, SupervisionProblem.description, SupervisionProblem.deadline,
                       SupervisionProblem.state)
                .where(SupervisionProblem.state.in_(running), SupervisionProblem.deadline < today)
                .order_by(SupervisionProblem.deadline, SupervisionProblem.id)):
            late = (today - deadline).days
            short = desc if len(desc) <= 24 else desc[:23] + "…"
            zh, en = rectification.state_label(state, "zh"), rectification.state_label(state, "en")  # a code since 0022
            items.append(DeskItem("rectification", f"监督问题 #{pid}：{short}（{zh}，期限 {deadline}，逾期 {late} 天）",
                                  f"Problem #{pid}: {short} ({en}, due {deadline}, {late} days late)",
                                  "supervision", "problem", pid, True, deadline))
        for mid, title, starts, place in s.execute(
                select(Meeting.id, Meeting.title, Meeting.starts_at, Meeting.place)
                .where(Meeting.starts_at >= datetime.combine(today, datetime.min.time()),
                       Meeting.starts_at < datetime.combine(today + timedelta(days=8), datetime.min.time()))
                .order_by(Meeting.starts_at)):
            at = starts.strftime("%m-%d %H:%M")
            items.append(DeskItem("meeting", f"{at} {title}" + (f"（{place}）" if place else ""),
                                  f"{at} {title}" + (f" ({place})" if place else ""), "meetings", "meeting", mid,
                                  False, starts.date()))
        for tid, title, owner, deadline, mid in s.execute(
                select(FollowUpTask.id, FollowUpTask.title, FollowUpTask.owner, FollowUpTask.deadline,
                       FollowUpTask.meeting_id)
                .where(FollowUpTask.deadline <= today + timedelta(days=7),
                       FollowUpTask.status.in_([TaskStatus.OPEN.value, TaskStatus.DOING.value]))
                .order_by(FollowUpTask.deadline)):
            late = (today - deadline).days
            when_zh = f"逾期 {late} 天" if late > 0 else ("今天到期" if late == 0 else f"{-late} 天后到期")
            when_en = f"{late} days late" if late > 0 else ("due today" if late == 0 else f"due in {-late} days")
            who = f"，{owner}" if owner else ""
            items.append(DeskItem("task", f"{title}（{deadline} {when_zh}{who}）", f"{title} ({deadline}, {when_en})",
                                  "meetings", "meeting", mid, late > 0, deadline))
        for oid, no, addressee, respond_by, block in s.execute(
                select(DesignerOpinion.id, DesignerOpinion.opinion_no, DesignerOpinion.addressee, DesignerOpinion.respond_by,
                       DesignerOpinion.block_id)
                .where(DesignerOpinion.status == designer_rules.RAISED)
                .order_by(DesignerOpinion.respond_by.is_(None), DesignerOpinion.respond_by, DesignerOpinion.id)):
            late = respond_by is not None and respond_by < today
            due = f"，答复期限 {respond_by}" if respond_by else ""
            items.append(DeskItem("opinion", f"{no} 致 {addressee}{due}" + ("（已逾期）" if late else ""),
                                  f"{no} to {addressee}" + (f", answer by {respond_by}" if respond_by else "")
                                  + (" (late)" if late else ""), "designer", "opinion", oid, late, respond_by, block))
        collecting = list(s.execute(select(OrderingRound.id, OrderingRound.title)
                                    .where(OrderingRound.state == RoundState.OPEN.value).order_by(OrderingRound.id)))
        answered = dict(s.execute(select(Order.round_id, func.count()).group_by(Order.round_id)).all())
    rates = []
    for rid, title in collecting:
        eligible = ordering.scope_household_count(db, rid)
        got = answered.get(rid, 0)
        rates.append((title, got, eligible))
        pct = f"{100 * got / eligible:.0f}%" if eligible else "—"
        items.append(DeskItem("ordering", f"{title}：已回收 {got} / {eligible} 户（{pct}）",
                              f"{title}: {got} of {eligible} households answered ({pct})", "ordering", "round", rid,
                              False, None))
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    ageing = {"le30": 0, "31to90": 0, "gt90": 0}
    for c in leases.contract_rows(db, today):
        if c.status != ContractStatus.ACTIVE:
            continue
        if today <= c.end <= today + timedelta(days=leases.EXPIRY_WARNING_DAYS):
            items.append(DeskItem("expiring", f"{c.contract_no} {c.house_address}：{c.end} 到期（还有 {(c.end - today).days} 天）",
                                  f"{c.contract_no} {c.house_address}: ends {c.end} (in {(c.end - today).days} days)",
                                  "leases", "contract", c.id, False, c.end))
        due = c.figures.due_between(month_start, month_end)
        if due:
            items.append(DeskItem("due", f"{c.contract_no} {c.house_address}：本月应付 {_yuan(due)}",
                                  f"{c.contract_no} {c.house_address}: {_yuan(due)} due this month",
                                  "leases", "contract", c.id, False, None))
        aged = c.figures.ageing
        if c.arrears_fen:
            for key, value in aged.items():
                ageing[key] = ageing.get(key, 0) + value
            parts_zh = "，".join(f"{AGEING_WORDS[k][0]} {_yuan(v)}" for k, v in aged.items() if v)
            parts_en = ", ".join(f"{AGEING_WORDS[k][1]} {_yuan(v)}" for k, v in aged.items() if v)
            items.append(DeskItem("arrears", f"{c.contract_no} {c.house_address}：拖欠 {_yuan(c.arrears_fen)}（{parts_zh}）",
                                  f"{c.contract_no} {c.house_address}: {_yuan(c.arrears_fen)} in arrears ({parts_en})",
                                  "leases", "contract", c.id, True, None))
    order = list(DESK_KINDS)
    items.sort(key=lambda i: order.index(i.kind))  # stable: each kind keeps its own order
    return Desk(today, items, ageing, rates)


@dataclass(frozen=True)
class Attention:
    """Something overdue that the overview puts in front of the user, and the section to go to."""

    label_zh: str
    label_en: str
    count: int
    section: str

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang.startswith("en") else self.label_zh


def attention(db: Database, today: date | None = None) -> list[Attention]:
    """Overdue items across the record types (only those with something overdue)."""
    from . import designer, meetings, supervision

    today = today or date.today()
    found = [Attention("逾期未完成的会议跟进任务", "overdue follow-up tasks of meetings",
                       len(meetings.overdue_tasks(db, today)), "meetings"),
             Attention("超过答复期限的首席街长意见", "chief street designer opinions past their response date",
                       designer.overdue_count(db, today), "designer"),
             Attention("超过整改期限的监督问题", "supervision problems past their rectification deadline",
                       supervision.overdue_count(db, today), "supervision")]
    return [a for a in found if a.count]
