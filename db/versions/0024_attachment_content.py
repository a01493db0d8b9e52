"""on the office server, attachments' content is kept in the database: every laptop sees every photo

Until now the files of attachments (photos of problems, scans of signed papers, sketches) were kept in a
folder beside the database, `<name>-files/ab/abcdef…`, which on the office server meant each laptop's own
folder for it: a photo added on one laptop could not be opened on another, and pg_dump did not carry it.
On PostgreSQL the content now lives in attachment_content, once per SHA-256 (the key the attachment rows
already hold), so it is in every backup and every laptop reads it (core.db.ServerBlobs, which caches it in
this computer's folder for the server). Its storage is EXTERNAL (not compressed: photos and PDF scans are
compressed already), so a laptop fetches a large file in chunks with substring() without the server
decompressing all of it for each one.

The files a laptop kept in its folder before this are stored into the table when that laptop opens the
database (core.db.ServerBlobs.adopt_local_files: each attachment whose content the server lacks and the
folder holds under its hash), since the migration runs on the server and cannot see them. SQLite keeps its
files beside the database as before: nothing changes there.

The table is not a record type of the exchange bundles (spec.RECORD_TYPES comes from the models) and not a
model: the models describe what both engines hold.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 22:00:00
"""
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

TABLE = "attachment_content"  # core.db.ATTACHMENT_CONTENT


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""CREATE TABLE {TABLE} (
                     sha256 varchar(64) PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{{64}}$'),
                     size bigint NOT NULL CHECK (size >= 0),
                     content bytea NOT NULL,
                     CONSTRAINT ck_{TABLE}_size CHECK (length(content) = size))""")
    op.execute(f"ALTER TABLE {TABLE} ALTER COLUMN content SET STORAGE EXTERNAL")


def downgrade() -> None:
    # Only for the program's own tests (an older program refuses nothing it can open; users never go back):
    # the content would have to be written out to each laptop's folder first.
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
