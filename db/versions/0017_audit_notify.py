"""other copies of the app learn of each commit: on PostgreSQL the audit log's inserts NOTIFY

Every write of the app appends to the audit log in its transaction, so one statement-level trigger there
tells every listening copy (LISTEN renewal_desk_audit) that something was committed: PostgreSQL delivers the
notification at commit, once per transaction. The copies then read the new entries' tables and refresh the
views that show them (core.db.ChangeWatch). SQLite has no notifications: the copies poll the log's last id.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:30:00
"""
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

CHANNEL = "renewal_desk_audit"  # core.db.AUDIT_CHANNEL


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""CREATE FUNCTION audit_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                   BEGIN
                     PERFORM pg_notify('{CHANNEL}', '');
                     RETURN NULL;
                   END $$""")
    op.execute("CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log FOR EACH STATEMENT "
               "EXECUTE FUNCTION audit_log_notify()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_notify ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_notify()")
