"""the register of printed documents (issued_document) and the signed copies filed back (signed_copy)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'issued_document',
        sa.Column('doc_no', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('record_table', sa.String(length=50), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=True),
        sa.Column('record_uuid', sa.String(length=36), nullable=True),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('masked', sa.Boolean(), nullable=False),
        sa.Column('printed_at', sa.DateTime(), nullable=False),
        sa.Column('operator', sa.String(length=100), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document')),
        sa.UniqueConstraint('doc_no', name=op.f('uq_issued_document_doc_no')),
        sa.UniqueConstraint('uuid', name=op.f('uq_issued_document_uuid')),
    )
    op.create_index(op.f('ix_issued_document_kind'), 'issued_document', ['kind'], unique=False)
    op.create_table(
        'signed_copy',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('page', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('attachment_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('filed_at', sa.DateTime(), nullable=False),
        sa.Column('operator', sa.String(length=100), nullable=False),
        sa.Column('source_name', sa.String(length=255), nullable=False),
        sa.Column('how', sa.String(length=20), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['issued_document.id'],
                                name=op.f('fk_signed_copy_document_id_issued_document'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'],
                                name=op.f('fk_signed_copy_attachment_id_attachment'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_copy')),
        sa.UniqueConstraint('document_id', 'page', 'version', name=op.f('uq_signed_copy_document_id')),
        sa.UniqueConstraint('uuid', name=op.f('uq_signed_copy_uuid')),
    )
    op.create_index(op.f('ix_signed_copy_document_id'), 'signed_copy', ['document_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_signed_copy_document_id'), table_name='signed_copy')
    op.drop_table('signed_copy')
    op.drop_index(op.f('ix_issued_document_kind'), table_name='issued_document')
    op.drop_table('issued_document')
