"""motion scope: a motion's own voters (whole project / chosen buildings / chosen units)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 20:25:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('motion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=10), server_default='project', nullable=False))
        batch_op.add_column(sa.Column('scope_building_ids', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('scope_unit_ids', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('motion', schema=None) as batch_op:
        batch_op.drop_column('scope_unit_ids')
        batch_op.drop_column('scope_building_ids')
        batch_op.drop_column('scope')
