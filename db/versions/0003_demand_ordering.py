"""demand ordering

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:29:30.996744
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('menu_item',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('consent_scope', sa.String(length=10), nullable=False),
    sa.Column('matter', sa.String(length=15), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_menu_item_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_item')),
    sa.UniqueConstraint('project_id', 'name', name=op.f('uq_menu_item_project_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_menu_item_uuid'))
    )
    with op.batch_alter_table('menu_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_menu_item_project_id'), ['project_id'], unique=False)

    op.create_table('ordering_round',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('building_ids', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_ordering_round_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ordering_round')),
    sa.UniqueConstraint('uuid', name=op.f('uq_ordering_round_uuid'))
    )
    with op.batch_alter_table('ordering_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ordering_round_project_id'), ['project_id'], unique=False)

    op.create_table('household_order',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('filled_by', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_household_order_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['ordering_round.id'], name=op.f('fk_household_order_round_id_ordering_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_order')),
    sa.UniqueConstraint('round_id', 'household_id', name=op.f('uq_household_order_round_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_household_order_uuid'))
    )
    with op.batch_alter_table('household_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_order_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_order_round_id'), ['round_id'], unique=False)

    op.create_table('order_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('vote', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['menu_item.id'], name=op.f('fk_order_choice_item_id_menu_item'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['household_order.id'], name=op.f('fk_order_choice_order_id_household_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_choice')),
    sa.UniqueConstraint('order_id', 'item_id', name=op.f('uq_order_choice_order_id'))
    )
    with op.batch_alter_table('order_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_choice_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_choice_order_id'), ['order_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('order_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_choice_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_choice_item_id'))

    op.drop_table('order_choice')
    with op.batch_alter_table('household_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_order_round_id'))
        batch_op.drop_index(batch_op.f('ix_household_order_household_id'))

    op.drop_table('household_order')
    with op.batch_alter_table('ordering_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ordering_round_project_id'))

    op.drop_table('ordering_round')
    with op.batch_alter_table('menu_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_menu_item_project_id'))

    op.drop_table('menu_item')

