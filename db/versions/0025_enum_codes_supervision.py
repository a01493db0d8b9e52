"""the supervision team's last stored labels become ASCII codes (issue 21, after 0022 and 0023)

construction_party.kind (施工单位 …), supervision_problem.category (质量 …) and supervision_problem.severity
(一般 …) were stored as their Chinese labels; they become codes, shown through one zh/en table per enum
(models' PARTY_KIND_LABELS; rules.rectification's PROBLEM_CATEGORY_LABELS, SEVERITY_LABELS). Plain UPDATEs,
the same on SQLite and PostgreSQL; the downgrade writes the labels back. No CHECK constraint or server default
holds the labels. Bundles written before this carry the labels: exchange.spec.OLD_CODES maps them on import.
Old audit rows keep the values as they were stored then.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 22:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

# (table, column): {old stored label: code}. A copy, not an import: a migration keeps what it did.
CODES: dict[tuple[str, str], dict[str, str]] = {
    ("construction_party", "kind"): {"施工单位": "builder", "设计单位": "designer", "监理单位": "supervisor",
                                     "其他": "other"},
    ("supervision_problem", "category"): {"质量": "quality", "安全": "safety", "进度": "progress",
                                          "文明施工": "civility", "噪声扰民": "noise", "居民投诉": "complaint",
                                          "其他": "other"},
    ("supervision_problem", "severity"): {"一般": "minor", "较重": "major", "严重": "severe"},
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
