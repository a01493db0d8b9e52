"""exchange: export/import log, sync state per record, open conflicts

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 06:22:17.871222
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_conflict',
    sa.Column('record_type', sa.String(length=50), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('peer', sa.String(length=200), nullable=False),
    sa.Column('bundle_sha256', sa.String(length=64), nullable=False),
    sa.Column('local_json', sa.Text(), nullable=True),
    sa.Column('incoming_json', sa.Text(), nullable=True),
    sa.Column('incoming_personal_masked', sa.Boolean(), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=10), nullable=False),
    sa.Column('resolved_by', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_conflict')),
    sa.UniqueConstraint('uuid', name=op.f('uq_exchange_conflict_uuid'))
    )
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_conflict_open', ['resolved_at', 'record_uuid'], unique=False)

    op.create_table('exchange_log',
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=100), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('full_personal_data', sa.Boolean(), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=True),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('bundle_sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('peer_instance', sa.String(length=36), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_log')),
    sa.UniqueConstraint('uuid', name=op.f('uq_exchange_log_uuid'))
    )
    with op.batch_alter_table('exchange_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_exchange_log_direction_recipient', ['direction', 'recipient'], unique=False)

    op.create_table('exchange_sync_state',
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=50), nullable=False),
    sa.Column('base_updated_at', sa.String(length=40), nullable=False),
    sa.Column('peer', sa.String(length=200), nullable=False),
    sa.Column('synced_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('record_uuid', name=op.f('pk_exchange_sync_state'))
    )


def downgrade() -> None:
    op.drop_table('exchange_sync_state')
    with op.batch_alter_table('exchange_log', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_log_direction_recipient')
        batch_op.drop_index(batch_op.f('ix_exchange_log_at'))

    op.drop_table('exchange_log')
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_conflict_open')

    op.drop_table('exchange_conflict')
