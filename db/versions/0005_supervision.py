"""supervision: supervisor team, parties, inspections, problems and their rectification history,
notices, acceptance

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 04:20:04.019141
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('construction_party',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('contact_name', sa.String(length=50), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_construction_party')),
    sa.UniqueConstraint('name', name=op.f('uq_construction_party_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_construction_party_uuid'))
    )
    op.create_table('acceptance',
    sa.Column('record_no', sa.String(length=30), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('works', sa.String(length=100), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=False),
    sa.Column('district_rep', sa.String(length=200), nullable=False),
    sa.Column('community_rep', sa.String(length=200), nullable=False),
    sa.Column('resident_reps', sa.String(length=200), nullable=False),
    sa.Column('builder_rep', sa.String(length=200), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('checklist', sa.Text(), nullable=False),
    sa.Column('survey_satisfied', sa.Integer(), nullable=False),
    sa.Column('survey_basic', sa.Integer(), nullable=False),
    sa.Column('survey_dissatisfied', sa.Integer(), nullable=False),
    sa.Column('survey_unknown', sa.Integer(), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('evaluation_score', sa.String(length=32), nullable=True),
    sa.Column('evaluation_conclusion', sa.Text(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('open_problems', sa.Integer(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('rule_text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['construction_party.id'], name=op.f('fk_acceptance_party_id_construction_party'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_acceptance_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance')),
    sa.UniqueConstraint('record_no', name=op.f('uq_acceptance_record_no')),
    sa.UniqueConstraint('uuid', name=op.f('uq_acceptance_uuid'))
    )
    with op.batch_alter_table('acceptance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptance_project_id'), ['project_id'], unique=False)

    op.create_table('inspection',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('places', sa.Text(), nullable=False),
    sa.Column('weather', sa.String(length=20), nullable=False),
    sa.Column('staff', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_inspection_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection')),
    sa.UniqueConstraint('uuid', name=op.f('uq_inspection_uuid'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_inspected_on'), ['inspected_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_project_id'), ['project_id'], unique=False)

    op.create_table('rectification_notice',
    sa.Column('notice_no', sa.String(length=30), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('recheck_method', sa.Text(), nullable=False),
    sa.Column('objection_days', sa.Integer(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['construction_party.id'], name=op.f('fk_rectification_notice_party_id_construction_party'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_rectification_notice_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_notice')),
    sa.UniqueConstraint('notice_no', name=op.f('uq_rectification_notice_notice_no')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rectification_notice_uuid'))
    )
    with op.batch_alter_table('rectification_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_notice_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_notice_project_id'), ['project_id'], unique=False)

    op.create_table('supervision_problem',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('works', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('recheck_failures', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_supervision_problem_building_id_building'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_supervision_problem_inspection_id_inspection'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['notice_id'], ['rectification_notice.id'], name=op.f('fk_supervision_problem_notice_id_rectification_notice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['party_id'], ['construction_party.id'], name=op.f('fk_supervision_problem_party_id_construction_party'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_supervision_problem_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_supervision_problem_unit_id_unit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_problem')),
    sa.UniqueConstraint('uuid', name=op.f('uq_supervision_problem_uuid'))
    )
    with op.batch_alter_table('supervision_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_problem_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_problem_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_problem_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_problem_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_supervision_problem_state_deadline', ['state', 'deadline'], unique=False)

    op.create_table('problem_transition',
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=10), nullable=False),
    sa.Column('to_state', sa.String(length=10), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['rectification_notice.id'], name=op.f('fk_problem_transition_notice_id_rectification_notice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['problem_id'], ['supervision_problem.id'], name=op.f('fk_problem_transition_problem_id_supervision_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_transition')),
    sa.UniqueConstraint('uuid', name=op.f('uq_problem_transition_uuid'))
    )
    with op.batch_alter_table('problem_transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_transition_problem_id'), ['problem_id'], unique=False)

    op.create_table('supervisor',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('letter_no', sa.String(length=50), nullable=False),
    sa.Column('building_ids', sa.Text(), nullable=False),
    sa.Column('works', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('retired_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_supervisor_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_supervisor_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor')),
    sa.UniqueConstraint('uuid', name=op.f('uq_supervisor_uuid'))
    )
    with op.batch_alter_table('supervisor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisor_project_id'), ['project_id'], unique=False)

    op.create_table('inspection_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_participant_inspection_id_inspection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['supervisor.id'], name=op.f('fk_inspection_participant_supervisor_id_supervisor'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_participant')),
    sa.UniqueConstraint('inspection_id', 'supervisor_id', name=op.f('uq_inspection_participant_inspection_id'))
    )
    with op.batch_alter_table('inspection_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_participant_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_participant_supervisor_id'), ['supervisor_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inspection_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_participant_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_participant_inspection_id'))

    op.drop_table('inspection_participant')
    with op.batch_alter_table('supervisor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_project_id'))
        batch_op.drop_index(batch_op.f('ix_supervisor_person_id'))

    op.drop_table('supervisor')
    with op.batch_alter_table('problem_transition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_transition_problem_id'))

    op.drop_table('problem_transition')
    with op.batch_alter_table('supervision_problem', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_problem_state_deadline')
        batch_op.drop_index(batch_op.f('ix_supervision_problem_project_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_problem_party_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_problem_notice_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_problem_inspection_id'))

    op.drop_table('supervision_problem')
    with op.batch_alter_table('rectification_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_notice_project_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_notice_party_id'))

    op.drop_table('rectification_notice')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_project_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_inspected_on'))

    op.drop_table('inspection')
    with op.batch_alter_table('acceptance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptance_project_id'))

    op.drop_table('acceptance')
    op.drop_table('construction_party')
