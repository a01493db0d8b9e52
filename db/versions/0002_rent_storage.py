"""rent storage

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:11:51.382491
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('stored_house',
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('street', sa.String(length=100), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=True),
    sa.Column('structure', sa.String(length=50), nullable=False),
    sa.Column('built_year', sa.Integer(), nullable=True),
    sa.Column('protection', sa.String(length=10), nullable=False),
    sa.Column('condition', sa.String(length=50), nullable=False),
    sa.Column('fixtures', sa.Text(), nullable=False),
    sa.Column('storage_date', sa.Date(), nullable=True),
    sa.Column('current_use', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_stored_house_block_id_block'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_house')),
    sa.UniqueConstraint('uuid', name=op.f('uq_stored_house_uuid'))
    )
    with op.batch_alter_table('stored_house', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_house_block_id'), ['block_id'], unique=False)

    op.create_table('business_placement',
    sa.Column('house_id', sa.Integer(), nullable=False),
    sa.Column('operator_name', sa.String(length=100), nullable=False),
    sa.Column('business_type', sa.String(length=20), nullable=False),
    sa.Column('heritage_project', sa.String(length=100), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('annual_rent_fen', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['house_id'], ['stored_house.id'], name=op.f('fk_business_placement_house_id_stored_house'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_placement')),
    sa.UniqueConstraint('uuid', name=op.f('uq_business_placement_uuid'))
    )
    with op.batch_alter_table('business_placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_placement_house_id'), ['house_id'], unique=False)

    op.create_table('lease_contract',
    sa.Column('contract_no', sa.String(length=50), nullable=False),
    sa.Column('house_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('renewed_from_id', sa.Integer(), nullable=True),
    sa.Column('terminated_on', sa.Date(), nullable=True),
    sa.Column('termination_reason', sa.Text(), nullable=False),
    sa.Column('lessee_name', sa.String(length=100), nullable=False),
    sa.Column('lessee_representative', sa.String(length=50), nullable=False),
    sa.Column('lessee_address', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['house_id'], ['stored_house.id'], name=op.f('fk_lease_contract_house_id_stored_house'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['renewed_from_id'], ['lease_contract.id'], name=op.f('fk_lease_contract_renewed_from_id_lease_contract'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_contract')),
    sa.UniqueConstraint('contract_no', name=op.f('uq_lease_contract_contract_no')),
    sa.UniqueConstraint('uuid', name=op.f('uq_lease_contract_uuid'))
    )
    with op.batch_alter_table('lease_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_contract_house_id'), ['house_id'], unique=False)

    op.create_table('restoration',
    sa.Column('house_id', sa.Integer(), nullable=False),
    sa.Column('works', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('cost_fen', sa.Integer(), nullable=False),
    sa.Column('funding_source', sa.String(length=50), nullable=False),
    sa.Column('resident_participation', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['house_id'], ['stored_house.id'], name=op.f('fk_restoration_house_id_stored_house'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restoration')),
    sa.UniqueConstraint('uuid', name=op.f('uq_restoration_uuid'))
    )
    with op.batch_alter_table('restoration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_restoration_house_id'), ['house_id'], unique=False)

    op.create_table('lease_terms',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('base_annual_rent_fen', sa.Integer(), nullable=False),
    sa.Column('step_percent', sa.String(length=32), nullable=False),
    sa.Column('step_interval_years', sa.Integer(), nullable=False),
    sa.Column('compounding', sa.Boolean(), nullable=False),
    sa.Column('frequency', sa.String(length=12), nullable=False),
    sa.Column('due_day', sa.Integer(), nullable=False),
    sa.Column('deposit_fen', sa.Integer(), nullable=False),
    sa.Column('sublet_consent', sa.Boolean(), nullable=False),
    sa.Column('improvement_consent', sa.Boolean(), nullable=False),
    sa.Column('uses', sa.Text(), nullable=False),
    sa.Column('renewal_terms', sa.Text(), nullable=False),
    sa.Column('early_termination', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['lease_contract.id'], name=op.f('fk_lease_terms_contract_id_lease_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_terms')),
    sa.UniqueConstraint('contract_id', 'version', name=op.f('uq_lease_terms_contract_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_lease_terms_uuid'))
    )
    with op.batch_alter_table('lease_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_terms_contract_id'), ['contract_id'], unique=False)

    op.create_table('operator_receipt',
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['business_placement.id'], name=op.f('fk_operator_receipt_placement_id_business_placement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operator_receipt')),
    sa.UniqueConstraint('uuid', name=op.f('uq_operator_receipt_uuid'))
    )
    with op.batch_alter_table('operator_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operator_receipt_placement_id'), ['placement_id'], unique=False)

    op.create_table('rent_payment',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('paid_by', sa.String(length=50), nullable=False),
    sa.Column('received_by', sa.String(length=50), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['lease_contract.id'], name=op.f('fk_rent_payment_contract_id_lease_contract'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rent_payment')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rent_payment_uuid'))
    )
    with op.batch_alter_table('rent_payment', schema=None) as batch_op:
        batch_op.create_index('ix_rent_payment_contract_date', ['contract_id', 'paid_on'], unique=False)

    op.create_table('house_owner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('house_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['house_id'], ['stored_house.id'], name=op.f('fk_house_owner_house_id_stored_house'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_house_owner_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_house_owner')),
    sa.UniqueConstraint('house_id', 'person_id', name=op.f('uq_house_owner_house_id'))
    )
    with op.batch_alter_table('house_owner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_house_owner_house_id'), ['house_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_house_owner_person_id'), ['person_id'], unique=False)

    op.create_table('lease_lessor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['lease_contract.id'], name=op.f('fk_lease_lessor_contract_id_lease_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_lease_lessor_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lease_lessor')),
    sa.UniqueConstraint('contract_id', 'person_id', name=op.f('uq_lease_lessor_contract_id'))
    )
    with op.batch_alter_table('lease_lessor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lease_lessor_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lease_lessor_person_id'), ['person_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('lease_lessor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_lessor_person_id'))
        batch_op.drop_index(batch_op.f('ix_lease_lessor_contract_id'))

    op.drop_table('lease_lessor')
    with op.batch_alter_table('house_owner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_house_owner_person_id'))
        batch_op.drop_index(batch_op.f('ix_house_owner_house_id'))

    op.drop_table('house_owner')
    with op.batch_alter_table('rent_payment', schema=None) as batch_op:
        batch_op.drop_index('ix_rent_payment_contract_date')

    op.drop_table('rent_payment')
    with op.batch_alter_table('operator_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operator_receipt_placement_id'))

    op.drop_table('operator_receipt')
    with op.batch_alter_table('lease_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_terms_contract_id'))

    op.drop_table('lease_terms')
    with op.batch_alter_table('restoration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_restoration_house_id'))

    op.drop_table('restoration')
    with op.batch_alter_table('lease_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lease_contract_house_id'))

    op.drop_table('lease_contract')
    with op.batch_alter_table('business_placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_placement_house_id'))

    op.drop_table('business_placement')
    with op.batch_alter_table('stored_house', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_house_block_id'))

    op.drop_table('stored_house')

