"""performance at sub-district scale: a trigram full-text index over household.search_text

Household search as you type must answer within 50 ms at 100,000 households; a LIKE '%…%' scan of
every household's search keys takes 50–150 ms. An FTS5 trigram index finds any substring of three
characters or more in about a millisecond; shorter terms still use LIKE (see services.households).

The index is an external-content table kept in step by triggers. NOTE for later migrations: a
batch_alter_table on `household` recreates the table on SQLite and drops these triggers — recreate
them (and 'rebuild' the index) in such a migration.

PostgreSQL: the same index is a pg_trgm GIN index on household.search_text (ILIKE '%term%' uses it);
renewal_desk.core.db.IndexedSearch writes the query for either engine.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-22 06:40:00
"""
from alembic import op


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None

TRIGGERS = (
    """CREATE TRIGGER household_fts_insert AFTER INSERT ON household BEGIN
         INSERT INTO household_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER household_fts_delete AFTER DELETE ON household BEGIN
         INSERT INTO household_fts(household_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       END""",
    """CREATE TRIGGER household_fts_update AFTER UPDATE OF search_text ON household BEGIN
         INSERT INTO household_fts(household_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
         INSERT INTO household_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # a trusted extension: the database owner may
        op.execute("CREATE INDEX ix_household_search_trgm ON household USING gin (search_text gin_trgm_ops)")
        return
    op.execute("CREATE VIRTUAL TABLE household_fts USING fts5(search_text, content='household', "
               "content_rowid='id', tokenize='trigram')")
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO household_fts(household_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_household_search_trgm")
        return
    for name in ("household_fts_insert", "household_fts_delete", "household_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS household_fts")
