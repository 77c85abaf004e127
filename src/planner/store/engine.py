"""Finding and opening the database: its URL, the engine, and bringing the schema up to date.

SQLite under data/ by default, PostgreSQL (or anything SQLAlchemy reaches) by URL: from `--db`,
`$PLANNER_DATABASE_URL` or `[connections.planner]` in .streamlit/secrets.toml. SQLite gets WAL,
a busy timeout, foreign keys and honest BEGINs. Errors the user can fix (a full disk, a server
that cannot be reached, a database kept busy by other saves) become `PlannerError`s here
(`raise_user_error`), for `migrate` and for every unit of work (`planner.store.session`).

May import: sqlalchemy, alembic (in `migrate`), `planner.domain.limits` and `planner.errors`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, OperationalError

from planner.domain.limits import DiskFullError, disk_full_message
from planner.errors import BusyError, DatabaseUnavailableError, PlannerError

ENV_VAR = "PLANNER_DATABASE_URL"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"
DEFAULT_URL = "sqlite:///data/planner.db"
BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 10  # a database server that does not answer is reported after this long
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def resolve_database_url(explicit: str | None = None) -> str:
    """--db, else $PLANNER_DATABASE_URL, else [connections.planner] in secrets, else data/."""
    if explicit and explicit.strip():
        return explicit.strip()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    from_secrets = _url_from_secrets(SECRETS_FILE)
    if from_secrets:
        return from_secrets
    Path("data").mkdir(exist_ok=True)
    return DEFAULT_URL


def _url_from_secrets(path: Path) -> str | None:
    """The URL in Streamlit's `[connections.planner]`: a `url`, or the parts st.connection takes."""
    if not path.is_file():
        return None
    try:
        secrets = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlannerError(f"{path}: {exc}. Fix the file or set {ENV_VAR}.") from None
    section = secrets.get("connections", {}).get("planner")
    if not isinstance(section, dict):
        return None
    if section.get("url"):
        return str(section["url"])
    if not section.get("dialect"):
        raise PlannerError(
            f"{path}: [connections.planner] needs a `url` (or `dialect`, `host`, `database`, ...)."
        )
    driver = f"{section['dialect']}+{section['driver']}" if section.get("driver") else None
    return URL.create(
        drivername=driver or str(section["dialect"]),
        username=section.get("username"),
        password=section.get("password"),
        host=section.get("host"),
        port=section.get("port"),
        database=section.get("database"),
        query=section.get("query", {}),
    ).render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and honest BEGINs."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise PlannerError(
            f"'{url}' is not a database URL; expected e.g. sqlite:///data/planner.db or "
            "postgresql+psycopg://user@host/dbname."
        ) from None
    if parsed.get_backend_name() != "sqlite":
        # Shared servers close idle connections; check before handing one out.
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    if parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailableError(
                f"cannot open the SQLite database {parsed.database}: its folder {folder} cannot "
                f"be created ({exc.strerror or exc}). {_FIX_URL}"
            ) from None
    engine = create_engine(parsed)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


_FIX_URL = (
    "Correct the database URL (PLANNER_DATABASE_URL, [connections.planner] in "
    ".streamlit/secrets.toml, or --db), or make it reachable, then try again."
)
# PostgreSQL error classes that mean "cannot open this database": connection exceptions (08),
# server shutting down (57P01-03), no such database (3D000), sign-in refused (28000, 28P01).
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "3D000", "28000", "28P01")


def unavailable_message(exc: BaseException, url: URL) -> str | None:
    """The message for an error that means the database cannot be reached or opened (naming
    the host and port, or the file), else None."""
    if not isinstance(exc, OperationalError):
        return None
    orig = exc.orig
    detail = " ".join(str(orig).split())[:300].rstrip(".?! ")
    if url.get_backend_name() == "sqlite":
        words = ("unable to open database file", "readonly database", "disk i/o error")
        if not any(word in detail.lower() for word in words):
            return None
        return f"cannot open the SQLite database {url.database} ({detail}). {_FIX_URL}"
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state is not None and not str(state).startswith(_UNAVAILABLE_STATES):
        return None
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    return (
        f"cannot reach the database server at {where} (database '{url.database}'): {detail}. "
        f"Check that the server is running and accepts connections. {_FIX_URL}"
    )


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would BEGIN only before the first write, which breaks both transactional
    # reads and DDL; switch that off and BEGIN ourselves in _on_sqlite_begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # Writes take the write lock up front (BEGIN IMMEDIATE), so a writer that read first never
    # fails with "database is locked" when another committed meanwhile; it waits its turn.
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def migrate(engine: Engine) -> None:
    """Bring the schema up to date (Alembic `upgrade head`); safe to run on every start."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    sqlite = engine.dialect.name == "sqlite"
    try:
        opened = engine.connect()
    except OperationalError as exc:
        message = unavailable_message(exc, engine.url)
        if message is None:
            raise
        raise DatabaseUnavailableError(message) from None
    with opened as connection:
        if sqlite:
            # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy
            # would cascade-delete its children. Off for the migration (it only takes effect
            # outside a transaction), checked before committing, on again after.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            connection = connection.execution_options(sqlite_begin="IMMEDIATE")
        try:
            with connection.begin():
                if engine.dialect.name == "postgresql":
                    # Two app instances starting at once must not both create the tables.
                    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7246531)")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def raise_user_error(exc: BaseException, url: URL) -> None:
    """Raise the `PlannerError` the user can act on for `exc`, if it is one: a full disk (the
    transaction rolled back), a database that cannot be reached or opened, or one that stayed
    busy with other people's saves past the busy timeout. Returns when it is none of these."""
    # A full disk is the user's to fix: a message (the transaction rolled back), not a bug.
    message = disk_full_message(exc)
    if message is not None:
        raise DiskFullError(message) from exc
    message = unavailable_message(exc, url)
    if message is not None:
        raise DatabaseUnavailableError(message) from None
    if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
        raise BusyError(
            f"The database stayed busy with other people's saves for {BUSY_TIMEOUT_MS // 1000} s, "
            "so nothing was saved. Try again in a moment."
        ) from None
