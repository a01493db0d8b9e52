"""more stored enum values become ASCII codes (issue 21, after 0020): meetings, problems, ordering

meeting.kind / meeting.status, meeting_attendee.category, followup_task.status and the rectification
states (supervision_problem.state, problem_transition.from_state / to_state) and the ordering ones
(menu_item.tier, ordering_round.state, household_order.filled_by / channel) were stored as their
Chinese labels; they become codes, shown through one zh/en table per enum (models' *_LABELS,
rules.rectification.STATE_LABELS). Plain UPDATEs, the same on SQLite and PostgreSQL; the downgrade
writes the labels back. No CHECK constraint or server default holds the labels (the defaults are
Python-side, from the enums). Bundles written before this carry the labels: exchange.spec.OLD_CODES
maps them on import. Old audit rows keep the values as they were stored then (what was true at the
time); they are not rewritten, and the journal shows them as they are.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 03:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

_RECTIFICATION = {"待发通知": "pending", "已发通知": "notified", "已回复": "replied", "复查通过": "passed",
                  "复查未通过": "failed", "已关闭": "closed"}

# (table, column): {old stored label: code}. A copy, not an import: a migration keeps what it did.
CODES: dict[tuple[str, str], dict[str, str]] = {
    ("meeting", "kind"): {"居民议事会": "council", "业主大会": "owners", "听证会": "hearing", "协调会": "coordinate",
                          "评议会": "review", "其他": "other"},
    ("meeting", "status"): {"筹备中": "planned", "进行中": "running", "已结束": "ended"},
    ("meeting_attendee", "category"): {"居民": "resident", "党员": "party", "企业": "enterprise", "物业": "property",
                                       "部门": "department", "设计师": "designer", "施工单位": "builder",
                                       "其他": "other"},
    ("followup_task", "status"): {"待办": "open", "进行中": "doing", "已完成": "done", "已取消": "cancelled"},
    ("supervision_problem", "state"): _RECTIFICATION,
    ("problem_transition", "from_state"): _RECTIFICATION,  # "" on a problem's first row stays ""
    ("problem_transition", "to_state"): _RECTIFICATION,
    ("menu_item", "tier"): {"基础类": "basic", "完善类": "improve", "提升类": "better"},
    ("ordering_round", "state"): {"草稿": "draft", "征集中": "open", "已截止": "closed", "已公示": "published"},
    ("household_order", "filled_by"): {"业主本人": "owner", "家庭成员": "family", "代理人": "proxy"},
    ("household_order", "channel"): {"纸质表": "paper", "入户": "door", "会议": "meeting", "电话": "phone"},
}


def _rewrite(mapping_of) -> None:
    for (table, column), mapping in CODES.items():
        for old, new in mapping_of(mapping):
            op.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old")
                       .bindparams(old=old, new=new))


def upgrade() -> None:
    _rewrite(lambda m: m.items())


def downgrade() -> None:
    _rewrite(lambda m: ((code, label) for label, code in m.items()))
