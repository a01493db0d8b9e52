"""stored enum values become ASCII codes instead of the Chinese labels (issue 21)

The labels live in one zh/en table per enum (models' *_LABELS); renaming a label is no longer a data
migration, and the English UI can show its own. Bundles written before this carry the Chinese values:
exchange.spec.OLD_CODES maps them on import. Plain UPDATEs, the same on SQLite and PostgreSQL.

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-03 16:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0017'
branch_labels = None
depends_on = None

# (table, column): {old stored label: code}. A copy, not an import: a migration keeps what it did.
CODES: dict[tuple[str, str], dict[str, str]] = {
    ("designer_appointment", "status"): {"在任": "active", "已离任": "ended"},
    ("motion", "state"): {"待表决": "draft", "表决中": "voting", "已表决": "decided"},
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
