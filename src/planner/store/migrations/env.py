"""Alembic environment: runs on the connection `planner.store.migrate` hands over.

Run from the command line (`alembic -x db=URL ...` with a config pointing here), it opens the
database the app would use instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from planner.store import Base, make_engine, resolve_database_url

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("db") or resolve_database_url(None)
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # planner.store.migrate owns the transaction (and SQLite's foreign-key switch).
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or resolve_database_url(None)
    engine = make_engine(url)
    with engine.begin() as own:
        _configure(own)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
