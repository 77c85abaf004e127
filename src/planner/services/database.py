"""Opening the database: its URL from configuration, an engine migrated to the newest schema.

The dashboard and the CLI open the database through here (never `planner.store` directly);
`Engine` is the handle every use case takes.
"""

from __future__ import annotations

from planner.store import Engine, make_engine, migrate, resolve_database_url

__all__ = ["Engine", "database_url", "open_database"]


def database_url(given: str | None = None) -> str:
    """`given`, else $PLANNER_DATABASE_URL, then .streamlit/secrets.toml, then the SQLite file."""
    return resolve_database_url(given)


def open_database(url: str) -> Engine:
    """An engine for `url`, migrated to the newest schema (dispose of it when done)."""
    engine = make_engine(url)
    migrate(engine)
    return engine
