"""designer responses can be voided (a wrong outcome is voided with a reason, never deleted)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:25:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('designer_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('designer_response', schema=None) as batch_op:
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided')
