"""ordering tallies kept up to date by the order writes (ordering_tally), filled for every existing round

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03 13:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ordering_tally',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('figures', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['ordering_round.id'], name=op.f('fk_ordering_tally_round_id_ordering_round'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('round_id', name=op.f('pk_ordering_tally')),
    )
    # the backfill: every round's counters as of now (what the first open would otherwise count)
    from sqlalchemy.orm import Session

    from renewal_desk.core.services.ordering_figures import rebuild_all

    with Session(bind=op.get_bind()) as session:
        rebuild_all(session)
        session.flush()


def downgrade() -> None:
    op.drop_table('ordering_tally')
