"""chief street designer: appointments, visits, opinions, responses

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 04:19:02.090290
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('designer_appointment',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('letter_no', sa.String(length=50), nullable=False),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_designer_appointment_block_id_block'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_designer_appointment_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designer_appointment')),
    sa.UniqueConstraint('letter_no', name=op.f('uq_designer_appointment_letter_no')),
    sa.UniqueConstraint('uuid', name=op.f('uq_designer_appointment_uuid'))
    )
    with op.batch_alter_table('designer_appointment', schema=None) as batch_op:
        batch_op.create_index('ix_designer_appointment_block_status', ['block_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_designer_appointment_person_id'), ['person_id'], unique=False)

    op.create_table('designer_visit',
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('observation', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['designer_appointment.id'], name=op.f('fk_designer_visit_appointment_id_designer_appointment'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_designer_visit_block_id_block'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designer_visit')),
    sa.UniqueConstraint('uuid', name=op.f('uq_designer_visit_uuid'))
    )
    with op.batch_alter_table('designer_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designer_visit_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index('ix_designer_visit_block_date', ['block_id', 'visited_on'], unique=False)

    op.create_table('designer_opinion',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('opinion_no', sa.String(length=30), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('stakeholders', sa.String(length=50), nullable=False),
    sa.Column('observation', sa.Text(), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('addressee', sa.String(length=100), nullable=False),
    sa.Column('respond_by', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('cites_kind', sa.String(length=30), nullable=False),
    sa.Column('cites_uuid', sa.String(length=36), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_designer_opinion_block_id_block'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['visit_id'], ['designer_visit.id'], name=op.f('fk_designer_opinion_visit_id_designer_visit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designer_opinion')),
    sa.UniqueConstraint('opinion_no', name=op.f('uq_designer_opinion_opinion_no')),
    sa.UniqueConstraint('uuid', name=op.f('uq_designer_opinion_uuid'))
    )
    with op.batch_alter_table('designer_opinion', schema=None) as batch_op:
        batch_op.create_index('ix_designer_opinion_block_status', ['block_id', 'status'], unique=False)
        batch_op.create_index('ix_designer_opinion_cites', ['cites_kind', 'cites_uuid'], unique=False)
        batch_op.create_index(batch_op.f('ix_designer_opinion_visit_id'), ['visit_id'], unique=False)

    op.create_table('designer_response',
    sa.Column('opinion_id', sa.Integer(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=False),
    sa.Column('responder', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opinion_id'], ['designer_opinion.id'], name=op.f('fk_designer_response_opinion_id_designer_opinion'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designer_response')),
    sa.UniqueConstraint('uuid', name=op.f('uq_designer_response_uuid'))
    )
    with op.batch_alter_table('designer_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designer_response_opinion_id'), ['opinion_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('designer_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designer_response_opinion_id'))

    op.drop_table('designer_response')
    with op.batch_alter_table('designer_opinion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designer_opinion_visit_id'))
        batch_op.drop_index('ix_designer_opinion_cites')
        batch_op.drop_index('ix_designer_opinion_block_status')

    op.drop_table('designer_opinion')
    with op.batch_alter_table('designer_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_designer_visit_block_date')
        batch_op.drop_index(batch_op.f('ix_designer_visit_appointment_id'))

    op.drop_table('designer_visit')
    with op.batch_alter_table('designer_appointment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designer_appointment_person_id'))
        batch_op.drop_index('ix_designer_appointment_block_status')

    op.drop_table('designer_appointment')
