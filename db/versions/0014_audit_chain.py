"""audit chain: each audit entry carries the SHA-256 of its own fields and the previous entry's hash

Existing entries are chained here in id order (the append-only update trigger is lifted for the
backfill only, in the same transaction, and put back). From now on core.audit.append() chains every new
entry and `renewal-desk check` verifies the chain.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:30:00
"""
from alembic import op
import sqlalchemy as sa

from renewal_desk.core.audit import ENTRY_FIELDS, GENESIS, entry_hash
from renewal_desk.core.models.base import UtcDateTime


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

NO_UPDATE = ("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
             "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改 (audit log is append-only)'); END")
NO_DELETE = ("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
             "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除 (audit log is append-only)'); END")


def upgrade() -> None:
    op.add_column('audit_log', sa.Column('chain', sa.String(length=64), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    else:  # PostgreSQL (0008's PL/pgSQL triggers): lifted for this transaction's backfill only
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
    log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("at", UtcDateTime),
                   *(sa.column(k, sa.Text) for k in ENTRY_FIELDS[2:]), sa.column("chain", sa.String))
    bind = op.get_bind()
    previous, last_id = GENESIS, 0
    while True:  # in slices of 20,000 ids: a log of millions never sits in memory at once
        rows = bind.execute(sa.select(*(log.c[k] for k in ENTRY_FIELDS)).where(log.c.id > last_id)
                            .order_by(log.c.id).limit(20_000)).mappings().all()
        if not rows:
            break
        batch = []
        for row in rows:
            entry = dict(row)
            if entry["record_id"] is not None:  # read as text by this light table: hashed as the stored integer
                entry["record_id"] = int(entry["record_id"])
            previous = entry_hash(entry, previous)
            batch.append({"b_id": entry["id"], "b_chain": previous})
        last_id = rows[-1]["id"]
        bind.execute(log.update().where(log.c.id == sa.bindparam("b_id")).values(chain=sa.bindparam("b_chain")),
                     batch)
    if sqlite:
        op.execute(NO_UPDATE)
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # a batch drop rebuilds the table, which loses its triggers (PostgreSQL drops the column in place)
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('chain')
    if sqlite:
        op.execute(NO_UPDATE)
        op.execute(NO_DELETE)
