"""the last stored enum values become ASCII codes (issue 21, after 0022): projects, rent-storage, designer

project.project_type / project.stage, stored_house.protection, lease_contract.status and the designer
opinions' designer_opinion.stage / status, designer_response.status and designer_opinion.stakeholders (a
comma-joined list of them) were stored as their Chinese labels; they become codes, shown through one zh/en
table per enum (models' PROJECT_TYPE_LABELS, PROJECT_STAGE_LABELS, PROTECTION_LABELS, CONTRACT_STATUS_LABELS;
rules.designer's STAGE_LABELS, STAKEHOLDER_LABELS, OPINION_STATUS_LABELS). Plain UPDATEs, the same on SQLite
and PostgreSQL; the stakeholder lists are rewritten per distinct stored list (each part mapped, the order
kept). The downgrade writes the labels back. No CHECK constraint or server default holds the labels (the
defaults are Python-side, from the enums). Bundles written before this carry the labels:
exchange.spec.OLD_CODES maps them on import. Old audit rows keep the values as they were stored then.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 19:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

_OPINION_STATUS = {"提出": "raised", "已回复": "answered", "已采纳": "adopted", "部分采纳": "partly",
                   "未采纳": "rejected"}

# (table, column): {old stored label: code}. A copy, not an import: a migration keeps what it did.
CODES: dict[tuple[str, str], dict[str, str]] = {
    ("project", "project_type"): {"居住区综合改善类": "residential", "产业区聚能增效类": "industrial",
                                  "城市设施提档升级类": "facilities", "公共空间品质提升类": "public_space",
                                  "文化传承及特色风貌塑造类": "heritage", "复合空间统筹优化类": "composite",
                                  "数字化智慧赋能类": "digital", "其他": "other"},
    ("project", "stage"): {"储备": "reserve", "入库": "listed", "开工": "started", "完工": "completed",
                           "验收": "accepted", "运营": "operating"},
    ("stored_house", "protection"): {"文物": "relic", "历史建筑": "historic", "传统风貌": "tradition", "无": "none"},
    ("lease_contract", "status"): {"生效": "active", "已解除": "terminated", "已续签": "renewed"},
    ("designer_opinion", "stage"): {"设计": "design", "施工": "construct", "业态引入": "business",
                                    "运营管理": "operation"},
    ("designer_opinion", "status"): _OPINION_STATUS,
    ("designer_response", "status"): _OPINION_STATUS,
}
# designer_opinion.stakeholders holds a comma-joined list of these ("商户,居民" -> "merchants,residents")
STAKEHOLDERS = {"商户": "merchants", "居民": "residents", "游客": "visitors", "实施主体": "implementer"}


def _rewrite(mapping_of) -> None:
    for (table, column), mapping in CODES.items():
        for old, new in mapping_of(mapping):
            op.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old")
                       .bindparams(old=old, new=new))
    parts = dict(mapping_of(STAKEHOLDERS))
    stored = op.get_bind().execute(sa.text("SELECT DISTINCT stakeholders FROM designer_opinion")).scalars().all()
    for old in stored:
        new = ",".join(parts.get(p, p) for p in (old or "").split(","))
        if old and new != old:
            op.execute(sa.text("UPDATE designer_opinion SET stakeholders = :new WHERE stakeholders = :old")
                       .bindparams(old=old, new=new))


def upgrade() -> None:
    _rewrite(lambda m: m.items())


def downgrade() -> None:
    _rewrite(lambda m: ((code, label) for label, code in m.items()))
