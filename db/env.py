"""Alembic environment for Renewal Desk. Migrations run from renewal_desk.core.db.open_database
on the app's own connection (inside its transaction); running `alembic` by hand is for developers:
    .venv/bin/alembic -c db/alembic.ini -x db=PATH revision --autogenerate -m "..."
"""

from alembic import context
from sqlalchemy import create_engine

from renewal_desk.core.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    db_path = context.get_x_argument(as_dictionary=True).get("db", "dev.sqlite")
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        run(conn)
