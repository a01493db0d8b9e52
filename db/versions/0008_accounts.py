"""staff accounts (password hash, role, lockout) and an append-only audit log

Existing operator names keep their rows and become 工作人员 (staff) accounts without a password:
they cannot log in until an administrator sets one (the first administrator is set up at the app's
first start, or with `renewal-desk account add`). The audit log gets indexes for the viewer's
filters and triggers that refuse any UPDATE or DELETE of its rows.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-22 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None

APPEND_ONLY = {
    "update": "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
              "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改 (audit log is append-only)'); END",
    "delete": "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
              "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除 (audit log is append-only)'); END",
}
# PostgreSQL: the same refusal as PL/pgSQL triggers (TRUNCATE too, which has no row triggers).
APPEND_ONLY_PG = (
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           RAISE EXCEPTION '审计日志只能追加，不能修改 (audit log is append-only)' USING ERRCODE = 'restrict_violation';
         END IF;
         RAISE EXCEPTION '审计日志只能追加，不能删除 (audit log is append-only)' USING ERRCODE = 'restrict_violation';
       END $$""",
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT "
    "EXECUTE FUNCTION audit_log_append_only()",
)


def upgrade() -> None:
    with op.batch_alter_table('operator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), server_default='staff', nullable=False))
        batch_op.add_column(sa.Column('password_hash', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('password_set_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_operator', ['operator', 'id'], unique=False)
        batch_op.create_index('ix_audit_record_uuid', ['record_uuid'], unique=False)
    postgres = op.get_bind().dialect.name == "postgresql"
    for sql in APPEND_ONLY_PG if postgres else APPEND_ONLY.values():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_record_uuid')
        batch_op.drop_index('ix_audit_operator')
    with op.batch_alter_table('operator', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('password_set_at')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('role')
