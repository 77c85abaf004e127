"""Where plans live: the tables, the engine, migrations, one transaction per action, a repository.

SQLite under data/ by default, PostgreSQL (or anything SQLAlchemy reaches) by URL. The ORM classes
below only describe the tables; reads and writes go through `Repository`, which turns rows into
the frozen records of `planner.domain.planning` and back. Reads use plain row tuples rather than ORM
objects because a 2,000-item plan is read on every dashboard rerun.

Tables today: people, plans, plan_items, item_targets, tactic_snapshots, activity (0001);
readings, stories, xapi_people, xapi_statements, opt_outs (0002). Later migrations add reviews
beside them (one file per change in migrations/versions/, never editing an applied one).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import (
    JSON,
    URL,
    Date,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    make_url,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from planner.domain.limits import DiskFullError, disk_full_message
from planner.domain.meetings import ActionItemRecord as ActionItemRecord
from planner.domain.meetings import ReviewRecord as ReviewRecord
from planner.domain.planning import ActivityEntry, Person, Plan, PlanItem, Target, jsonable, restore
from planner.domain.playbook import Metric, Tactic
from planner.domain.playbook import snapshot_hash as snapshot_hash
from planner.domain.progress import ReadingsSummary
from planner.domain.readings import READING_SOURCES as READING_SOURCES
from planner.domain.readings import Reading as Reading
from planner.domain.readings import ReadingKey as ReadingKey
from planner.domain.stories import Story as Story
from planner.errors import BusyError, DatabaseUnavailableError, NotFoundError, PlannerError

ENV_VAR = "PLANNER_DATABASE_URL"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"
DEFAULT_URL = "sqlite:///data/planner.db"
BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 10  # a database server that does not answer is reported after this long
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# --- the tables -------------------------------------------------------------------------------


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes, stored in UTC; SQLite keeps no zone, so it is added on reading."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # Named constraints, so later batch migrations on SQLite can find and alter them.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(200))
    capacity_hours_per_week: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))
    # Raised by one on every edit: an edit based on an older version is refused (0005).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    lead_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"))
    start_date: Mapped[date] = mapped_column(Date)
    review_cadence: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    at_risk_threshold: Mapped[float] = mapped_column(Float)
    off_track_threshold: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))


class TacticSnapshotRow(Base):
    """A tactic exactly as it was when added to a plan, keyed by a hash of its content.

    Items share snapshots: a tactic added 50 times (one circle per team) is stored once, and
    reading a plan validates each distinct snapshot once.
    """

    __tablename__ = "tactic_snapshots"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    tactic_id: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanItemRow(Base):
    __tablename__ = "plan_items"
    __table_args__ = (Index(None, "plan_id", "position"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    tactic_id: Mapped[str | None] = mapped_column(String(80))
    snapshot_hash: Mapped[str | None] = mapped_column(ForeignKey("tactic_snapshots.hash"))
    title: Mapped[str] = mapped_column(String(300))
    custom_metrics: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), index=True)
    audience: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(200))
    pinned_start: Mapped[date | None] = mapped_column(Date)
    duration_weeks: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    cop_stage: Mapped[str | None] = mapped_column(String(80))
    notes: Mapped[str] = mapped_column(Text)
    effort_hours_per_week: Mapped[float | None] = mapped_column(Float)
    """None: the tactic's own figure (migration 0004)."""


class ItemTargetRow(Base):
    __tablename__ = "item_targets"

    item_id: Mapped[str] = mapped_column(
        ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True
    )
    metric_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    due_date: Mapped[date | None] = mapped_column(Date)
    baseline: Mapped[float | None] = mapped_column(Float)


class ActivityRow(Base):
    __tablename__ = "activity"
    __table_args__ = (Index(None, "plan_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    version: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReadingRow(Base):
    """One value of an item's metric for one period of the metric's cadence (never two)."""

    __tablename__ = "readings"
    __table_args__ = (
        UniqueConstraint("item_id", "metric_id", "period"),
        Index(None, "item_id", "metric_id", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"))
    metric_id: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    day: Mapped[date] = mapped_column("date", Date)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class XapiPersonRow(Base):
    """A pseudonymised actor (keyed hash) counted for an item's metric in a period.

    Kept so that distinct people add up as a union across imports; never a raw identifier."""

    __tablename__ = "xapi_people"

    item_id: Mapped[str] = mapped_column(
        ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True
    )
    metric_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    person_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class XapiStatementRow(Base):
    """The id (or content hash) of a statement already imported into a plan: imports are
    idempotent per plan, so the same export can feed two plans."""

    __tablename__ = "xapi_statements"

    plan_id: Mapped[str] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    statement_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OptOutRow(Base):
    """An identifier whose statements are dropped on import, kept only as a keyed hash."""

    __tablename__ = "opt_outs"

    identifier_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StoryRow(Base):
    """A value-creation story told about a plan item, tagged with a Wenger-Trayner value cycle."""

    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("plan_items.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column("date", Date)
    author: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    value_cycle: Mapped[str] = mapped_column(String(40))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- finding and opening the database -------------------------------------------------------


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


@contextmanager
def uow(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One user action, one transaction: commit when the block ends, roll back if it raises.

    Reads (`write=False`) see one consistent snapshot, so a plan's version always matches the
    items read with it.
    """
    options: dict[str, Any] = {}
    if engine.dialect.name == "sqlite" and write:
        options["sqlite_begin"] = "IMMEDIATE"
    elif engine.dialect.name == "postgresql" and not write:
        options["isolation_level"] = "REPEATABLE READ"
    try:
        with Session(engine, expire_on_commit=False, autoflush=False) as session, session.begin():
            if options:
                session.connection(execution_options=options)
            yield session
    except (OperationalError, OSError) as exc:
        # A full disk is the user's to fix: a message (the transaction rolled back), not a bug.
        message = disk_full_message(exc)
        if message is not None:
            raise DiskFullError(message) from exc
        message = unavailable_message(exc, engine.url)
        if message is not None:
            raise DatabaseUnavailableError(message) from None
        if not isinstance(exc, OperationalError) or "database is locked" not in str(exc.orig):
            raise
        raise BusyError(
            f"The database stayed busy with other people's saves for {BUSY_TIMEOUT_MS // 1000} s, "
            "so nothing was saved. Try again in a moment."
        ) from None


# --- the repository -------------------------------------------------------------------------

PEOPLE = cast(Table, PersonRow.__table__)
PLANS = cast(Table, PlanRow.__table__)
SNAPSHOTS = cast(Table, TacticSnapshotRow.__table__)
ITEMS = cast(Table, PlanItemRow.__table__)
TARGETS = cast(Table, ItemTargetRow.__table__)
ACTIVITY = cast(Table, ActivityRow.__table__)
READINGS = cast(Table, ReadingRow.__table__)
XAPI_PEOPLE = cast(Table, XapiPersonRow.__table__)
XAPI_STATEMENTS = cast(Table, XapiStatementRow.__table__)
OPT_OUTS = cast(Table, OptOutRow.__table__)
STORIES = cast(Table, StoryRow.__table__)

_CHUNK = 500  # ids per IN list: well inside SQLite's and PostgreSQL's parameter limits


class Repository:
    """Plans, items, people and the activity log inside one transaction.

    Statements go straight to the session's connection as Core SQL: the records are frozen
    dataclasses, so there is nothing for the ORM's identity map to track.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.db = session.connection()

    # plans

    def plan(self, plan_id: str, *, lock: Literal["update", "share"] | None = None) -> Plan:
        """The plan; `lock` also locks its row until the transaction ends (PostgreSQL).

        A write to a plan reads it with lock="update" before anything else: writers to one
        plan then queue up, and what the write reads next (items, targets) is what the last
        writer committed, so the version checked is the version of those items. Under READ
        COMMITTED without the lock, a save could check version 5 and then read items another
        save had just changed to version 6. lock="share" keeps writers out while a copy reads.
        A SQLite write transaction holds the whole database already (BEGIN IMMEDIATE).
        """
        query = select(PLANS).where(PLANS.c.id == plan_id)
        if lock is not None and self.db.dialect.name == "postgresql":
            query = query.with_for_update(read=lock == "share")
        row = self.db.execute(query).one_or_none()
        if row is None:
            raise NotFoundError(f"No plan with id '{plan_id}'. Pick a plan from the list.")
        return _plan(row._mapping)

    def plans(self) -> list[Plan]:
        return [_plan(r._mapping) for r in self.db.execute(select(PLANS))]

    def add_plan(self, plan: Plan, *, created_by: str) -> None:
        at = plan.updated_at or _now()
        self.db.execute(
            insert(PLANS), [{**_plan_values(plan), "created_at": at, "created_by": created_by}]
        )

    def save_plan(self, plan: Plan, *, expected_version: int) -> bool:
        """Write `plan` if the stored version is still `expected_version`; False if not.

        The version check and the write are one UPDATE, so of two concurrent saves based on
        the same version exactly one succeeds (PostgreSQL re-checks the WHERE after waiting).
        """
        result = self.db.execute(
            update(PLANS)
            .where(PLANS.c.id == plan.id, PLANS.c.version == expected_version)
            .values(_plan_values(plan))
        )
        return result.rowcount == 1

    # items

    def items(self, plan_id: str, ids: Iterable[str] | None = None) -> list[PlanItem]:
        """The plan's items in plan order; only those in `ids` if given (unknown ids skipped)."""
        query = select(ITEMS).where(ITEMS.c.plan_id == plan_id)
        if ids is not None:
            query = query.where(ITEMS.c.id.in_(sorted(set(ids))))
        rows = self.db.execute(query.order_by(ITEMS.c.position, ITEMS.c.id)).all()
        targets = self._targets(plan_id, None if ids is None else [r.id for r in rows])
        tactics = self._snapshots({r.snapshot_hash for r in rows if r.snapshot_hash})
        return [
            _item(r._mapping, tactics.get(r.snapshot_hash), targets.get(r.id, [])) for r in rows
        ]

    def item(self, plan_id: str, item_id: str) -> PlanItem:
        found = self.items(plan_id, [item_id])
        if not found:
            raise NotFoundError(f"No item '{item_id}' in plan '{plan_id}'; reload the plan.")
        return found[0]

    def _targets(self, plan_id: str, item_ids: Sequence[str] | None) -> dict[str, list[Target]]:
        t = TARGETS.c
        query = select(t.item_id, t.metric_id, t.value, t.due_date, t.baseline)
        if item_ids is None:  # the whole plan: one join instead of a long IN list
            query = query.join(ITEMS, ITEMS.c.id == t.item_id)
            query = query.where(ITEMS.c.plan_id == plan_id)
        else:
            query = query.where(t.item_id.in_(item_ids))
        found: dict[str, list[Target]] = {}
        for item_id, metric_id, value, due_date, baseline in self.db.execute(query):
            found.setdefault(item_id, []).append(
                restore(
                    Target, metric_id=metric_id, value=value, due_date=due_date, baseline=baseline
                )
            )
        return found

    def _snapshots(self, hashes: set[str]) -> dict[str, Tactic]:
        if not hashes:
            return {}
        rows = self.db.execute(
            select(SNAPSHOTS.c.hash, SNAPSHOTS.c.data).where(SNAPSHOTS.c.hash.in_(sorted(hashes)))
        )
        return {h: Tactic.model_validate(data, strict=False) for h, data in rows}

    def change_stamp(self) -> int:
        return int(self.db.execute(select(func.max(ACTIVITY.c.id))).scalar_one_or_none() or 0)

    def next_position(self, plan_id: str) -> int:
        highest = self.db.execute(
            select(func.max(ITEMS.c.position)).where(ITEMS.c.plan_id == plan_id)
        ).scalar_one()
        return 0 if highest is None else int(highest) + 1

    def add_items(self, items: Sequence[PlanItem]) -> None:
        if not items:
            return
        hashes = self._keep_snapshots(items)
        self.db.execute(insert(ITEMS), [_item_values(i, hashes) for i in items])
        self._write_targets(items)

    def save_items(self, items: Sequence[PlanItem]) -> None:
        """Overwrite these items and their targets (a batch: a few statements, not per item)."""
        if not items:
            return
        hashes = self._keep_snapshots(items)
        values = [{**_item_values(i, hashes), "item_id": i.id} for i in items]
        self.db.execute(
            update(ITEMS)
            .where(ITEMS.c.id == bindparam("item_id"))
            .values({c: bindparam(c) for c in values[0] if c not in ("id", "item_id")}),
            values,
        )
        ids = [i.id for i in items]
        self.db.execute(delete(TARGETS).where(TARGETS.c.item_id.in_(ids)))
        self._write_targets(items)

    def remove_item(self, item: PlanItem) -> None:
        self.db.execute(delete(TARGETS).where(TARGETS.c.item_id == item.id))
        self.db.execute(delete(ITEMS).where(ITEMS.c.id == item.id))

    def _write_targets(self, items: Iterable[PlanItem]) -> None:
        rows = [
            {
                "item_id": item.id,
                "metric_id": t.metric_id,
                "value": t.value,
                "due_date": t.due_date,
                "baseline": t.baseline,
            }
            for item in items
            for t in item.targets
        ]
        if rows:
            self.db.execute(insert(TARGETS), rows)

    def _keep_snapshots(self, items: Iterable[PlanItem]) -> dict[int, str]:
        """Store the items' tactic snapshots not stored yet; id(tactic) -> its hash."""
        hashes: dict[int, str] = {}
        rows: dict[str, dict[str, Any]] = {}
        for item in items:
            tactic = item.snapshot
            if tactic is None or id(tactic) in hashes:
                continue
            digest = hashes[id(tactic)] = snapshot_hash(tactic)
            rows[digest] = {
                "hash": digest,
                "tactic_id": tactic.id,
                "data": tactic.model_dump(mode="json"),
            }
        if not rows:
            return hashes
        # Snapshots are immutable and shared: a concurrent save may store the same one first.
        if self.db.dialect.name == "postgresql":
            self.db.execute(pg_insert(SNAPSHOTS).on_conflict_do_nothing(), list(rows.values()))
        elif self.db.dialect.name == "sqlite":
            self.db.execute(sqlite_insert(SNAPSHOTS).on_conflict_do_nothing(), list(rows.values()))
        else:
            stored = self.db.scalars(select(SNAPSHOTS.c.hash).where(SNAPSHOTS.c.hash.in_(rows)))
            missing = [row for digest, row in rows.items() if digest not in set(stored)]
            if missing:
                self.db.execute(insert(SNAPSHOTS), missing)
        return hashes

    # people

    def people(self, ids: Iterable[str] | None = None) -> list[Person]:
        query = select(PEOPLE)
        if ids is not None:
            query = query.where(PEOPLE.c.id.in_(sorted(set(ids))))
        return [_person(r._mapping) for r in self.db.execute(query.order_by(PEOPLE.c.name))]

    def person(self, person_id: str) -> Person:
        row = self.db.execute(select(PEOPLE).where(PEOPLE.c.id == person_id)).one_or_none()
        if row is None:
            raise NotFoundError(
                f"No person with id '{person_id}'. Choose someone from People, or add them there."
            )
        return _person(row._mapping)

    def missing_people(self, person_ids: Iterable[str]) -> list[str]:
        wanted = set(person_ids)
        if not wanted:
            return []
        found = set(self.db.scalars(select(PEOPLE.c.id).where(PEOPLE.c.id.in_(wanted))))
        return sorted(wanted - found)

    def person_by_email(self, email: str) -> Person | None:
        row = self.db.execute(
            select(PEOPLE).where(PEOPLE.c.email == email.strip().lower())
        ).one_or_none()
        return None if row is None else _person(row._mapping)

    def add_person(self, person: Person, *, actor: str, at: datetime) -> None:
        self.db.execute(
            insert(PEOPLE), [{**_person_values(person), "updated_at": at, "updated_by": actor}]
        )

    def save_person(
        self, person: Person, *, actor: str, at: datetime, expected_version: int | None = None
    ) -> bool:
        """Write `person` and raise its version by one; with `expected_version`, only if the
        stored version is still that one (one UPDATE: compare-and-swap). False if not."""
        query = update(PEOPLE).where(PEOPLE.c.id == person.id)
        if expected_version is not None:
            query = query.where(PEOPLE.c.version == expected_version)
        result = self.db.execute(
            query.values(
                **_person_values(person),
                updated_at=at,
                updated_by=actor,
                version=PEOPLE.c.version + 1,
            )
        )
        return result.rowcount == 1

    def person_versions(self, person_ids: Iterable[str] | None = None) -> dict[str, int]:
        """Each person's version (every person's without `person_ids`)."""
        query = select(PEOPLE.c.id, PEOPLE.c.version)
        if person_ids is not None:
            query = query.where(PEOPLE.c.id.in_(set(person_ids)))
        return {row.id: row.version for row in self.db.execute(query)}

    def lock_person(self, person_id: str) -> None:
        """Queue this transaction behind other edits to the person (PostgreSQL; a SQLite
        write transaction holds the whole database already)."""
        if self.db.dialect.name == "postgresql":
            self.db.execute(select(PEOPLE.c.id).where(PEOPLE.c.id == person_id).with_for_update())

    def entity_activity(
        self,
        entity: str,
        entity_id: str,
        *,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[ActivityEntry]:
        """Log entries about one person or action item, oldest first: the last `limit`, or
        those written after `since`."""
        query = select(ACTIVITY).where(
            ACTIVITY.c.entity == entity, ACTIVITY.c.entity_id == entity_id
        )
        if since is not None:
            query = query.where(ACTIVITY.c.at > since)
        rows = [
            _activity(r._mapping)
            for r in self.db.execute(query.order_by(ACTIVITY.c.id.desc()).limit(limit))
        ]
        return rows[::-1]

    # activity

    def log_one(self, **entry: Any) -> None:
        """Append one activity entry (the fields of NewActivity)."""
        self.log([NewActivity(**entry)])

    def log(self, entries: Sequence[NewActivity]) -> None:
        if entries:
            self.db.execute(
                insert(ACTIVITY),
                [
                    {**vars(e), "before": jsonable(e.before), "after": jsonable(e.after)}
                    for e in entries
                ],
            )

    def activity(
        self,
        plan_id: str,
        *,
        after_version: int | None = None,
        limit: int | None = None,
    ) -> list[ActivityEntry]:
        """The plan's log, newest first; only changes past `after_version` if given."""
        query = select(ACTIVITY).where(ACTIVITY.c.plan_id == plan_id)
        if after_version is not None:
            query = query.where(ACTIVITY.c.version > after_version)
        query = query.order_by(ACTIVITY.c.id.desc()).limit(limit)
        return [_activity(r._mapping) for r in self.db.execute(query)]

    def lock_plan(self, plan_id: str) -> None:
        """Queue this transaction behind other writes to the plan's readings (PostgreSQL; a
        SQLite write transaction holds the whole database already)."""
        if self.db.dialect.name == "postgresql":
            self.db.execute(select(PLANS.c.id).where(PLANS.c.id == plan_id).with_for_update())

    # readings

    def readings(
        self,
        plan_id: str,
        *,
        item_id: str | None = None,
        metric_id: str | None = None,
        until: dt.date | None = None,
    ) -> list[Reading]:
        """The plan's readings by item (plan order), metric and period."""
        r = READINGS.c
        query = select(READINGS).join(ITEMS, ITEMS.c.id == r.item_id)
        query = query.where(ITEMS.c.plan_id == plan_id)
        if item_id is not None:
            query = query.where(r.item_id == item_id)
        if metric_id is not None:
            query = query.where(r.metric_id == metric_id)
        if until is not None:
            query = query.where(r.date <= until)
        query = query.order_by(ITEMS.c.position, r.item_id, r.metric_id, r.period_start)
        return [_reading(row._mapping) for row in self.db.execute(query)]

    def reading(self, plan_id: str, reading_id: int) -> Reading:
        query = (
            select(READINGS)
            .join(ITEMS, ITEMS.c.id == READINGS.c.item_id)
            .where(READINGS.c.id == reading_id, ITEMS.c.plan_id == plan_id)
        )
        row = self.db.execute(query).one_or_none()
        if row is None:
            raise NotFoundError(f"No reading {reading_id} in plan '{plan_id}'; reload the page.")
        return _reading(row._mapping)

    def readings_for(self, keys: Collection[ReadingKey]) -> dict[ReadingKey, Reading]:
        """The stored readings of these (item, metric, period) keys."""
        found: dict[ReadingKey, Reading] = {}
        for row in self._rows_for_keys(READINGS, keys):
            reading = _reading(row._mapping)
            found[reading.key] = reading
        return found

    def add_readings(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert readings given as column values (no id: the database numbers them)."""
        if rows:
            self.db.execute(insert(READINGS), list(rows))

    def update_readings(self, rows: Sequence[dict[str, Any]]) -> None:
        """Overwrite value, date, source, note and who recorded it, by reading id."""
        if not rows:
            return
        columns = ("date", "value", "source", "note", "recorded_by", "recorded_at")
        self.db.execute(
            update(READINGS)
            .where(READINGS.c.id == bindparam("reading_id"))
            .values({c: bindparam(f"new_{c}") for c in columns}),
            [{"reading_id": r["id"], **{f"new_{c}": r[c] for c in columns}} for r in rows],
        )

    def delete_readings(self, ids: Iterable[int]) -> None:
        for chunk in _chunks(sorted(set(ids))):
            self.db.execute(delete(READINGS).where(READINGS.c.id.in_(chunk)))

    def reading_summaries(
        self, plan_id: str, as_of: dt.date, item_ids: Collection[str] | None = None
    ) -> dict[tuple[str, str], ReadingsSummary]:
        """Per (item, metric) of the plan, its readings up to `as_of` summed up in SQL: two
        short rows per item-metric come back, however many readings there are."""
        r = READINGS.c
        scope = [ITEMS.c.plan_id == plan_id, r.date <= as_of]
        if item_ids is not None:
            scope.append(r.item_id.in_(sorted(item_ids)))
        totals = (
            select(
                r.item_id,
                r.metric_id,
                func.count().label("readings"),
                func.sum(r.value).label("total"),
                func.min(r.date).label("first_date"),
                func.max(r.date).label("last_date"),
            )
            .join(ITEMS, ITEMS.c.id == r.item_id)
            .where(*scope)
            .group_by(r.item_id, r.metric_id)
            .subquery()
        )
        first = READINGS.alias("first_reading")
        last = READINGS.alias("last_reading")
        query = (
            select(
                totals,
                func.max(first.c.value).label("first_value"),
                func.max(last.c.value).label("last_value"),
            )
            .join(
                first,
                and_(
                    first.c.item_id == totals.c.item_id,
                    first.c.metric_id == totals.c.metric_id,
                    first.c.date == totals.c.first_date,
                ),
            )
            .join(
                last,
                and_(
                    last.c.item_id == totals.c.item_id,
                    last.c.metric_id == totals.c.metric_id,
                    last.c.date == totals.c.last_date,
                ),
            )
            .group_by(*totals.c)
        )
        return {
            (row.item_id, row.metric_id): ReadingsSummary(
                readings=int(row.readings),
                total=float(row.total),
                first_date=row.first_date,
                first_value=float(row.first_value),
                last_date=row.last_date,
                last_value=float(row.last_value),
            )
            for row in self.db.execute(query)
        }

    def _rows_for_keys(self, table: Table, keys: Collection[ReadingKey]) -> list[Any]:
        """Rows of `table` (readings or xapi_people) whose (item, metric, period) is in keys."""
        wanted = set(keys)
        if not wanted:
            return []
        items = sorted({k[0] for k in wanted})
        periods = sorted({k[2] for k in wanted})
        rows = []
        for chunk in _chunks(items):
            query = select(table).where(table.c.item_id.in_(chunk), table.c.period.in_(periods))
            for row in self.db.execute(query):
                if (row.item_id, row.metric_id, row.period) in wanted:
                    rows.append(row)
        return rows

    # xAPI aggregates

    def imported_statement_ids(self, plan_id: str, ids: Iterable[str] | None = None) -> set[str]:
        """The keys of statements already imported into the plan (those among `ids` if given)."""
        s = XAPI_STATEMENTS.c
        if ids is None:
            return set(self.db.scalars(select(s.statement_id).where(s.plan_id == plan_id)))
        found: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            query = select(s.statement_id).where(s.plan_id == plan_id, s.statement_id.in_(chunk))
            found.update(self.db.scalars(query))
        return found

    def add_statement_ids(self, plan_id: str, ids: Iterable[str], *, at: datetime) -> None:
        """Remember statements as imported (ids not yet remembered: see imported_statement_ids)."""
        rows = [{"plan_id": plan_id, "statement_id": i, "imported_at": at} for i in ids]
        if rows:
            self.db.execute(insert(XAPI_STATEMENTS), rows)

    def xapi_people(self, keys: Collection[ReadingKey]) -> dict[ReadingKey, set[str]]:
        """The person hashes stored for these keys (keys without any are left out)."""
        found: dict[ReadingKey, set[str]] = {}
        for row in self._rows_for_keys(XAPI_PEOPLE, keys):
            found.setdefault((row.item_id, row.metric_id, row.period), set()).add(row.person_hash)
        return found

    def add_xapi_people(self, people: Iterable[tuple[ReadingKey, str]]) -> None:
        rows = [
            {"item_id": k[0], "metric_id": k[1], "period": k[2], "person_hash": h}
            for k, h in people
        ]
        if rows:
            self.db.execute(insert(XAPI_PEOPLE), rows)

    def delete_xapi_people(self, keys: Collection[ReadingKey]) -> None:
        x = XAPI_PEOPLE.c
        for item_id, metric_id, period in keys:
            self.db.execute(
                delete(XAPI_PEOPLE).where(
                    x.item_id == item_id, x.metric_id == metric_id, x.period == period
                )
            )

    # the opt-out list

    def opt_out_hashes(self) -> set[str]:
        return set(self.db.scalars(select(OPT_OUTS.c.identifier_hash)))

    def add_opt_outs(self, hashes: Iterable[str], *, at: datetime) -> int:
        """Add these hashes to the opt-out list; returns how many were not on it yet."""
        wanted = set(hashes)
        if not wanted:
            return 0
        query = select(OPT_OUTS.c.identifier_hash).where(
            OPT_OUTS.c.identifier_hash.in_(sorted(wanted))
        )
        new = sorted(wanted - set(self.db.scalars(query)))
        if new:
            self.db.execute(insert(OPT_OUTS), [{"identifier_hash": h, "added_at": at} for h in new])
        return len(new)

    # stories

    def stories(self, plan_id: str, *, item_id: str | None = None) -> list[Story]:
        """The plan's stories, newest first."""
        query = select(STORIES).join(ITEMS, ITEMS.c.id == STORIES.c.item_id)
        query = query.where(ITEMS.c.plan_id == plan_id)
        if item_id is not None:
            query = query.where(STORIES.c.item_id == item_id)
        query = query.order_by(STORIES.c.date.desc(), STORIES.c.recorded_at.desc())
        return [_story(row._mapping) for row in self.db.execute(query)]

    def story(self, plan_id: str, story_id: str) -> Story:
        query = (
            select(STORIES)
            .join(ITEMS, ITEMS.c.id == STORIES.c.item_id)
            .where(STORIES.c.id == story_id, ITEMS.c.plan_id == plan_id)
        )
        row = self.db.execute(query).one_or_none()
        if row is None:
            raise NotFoundError(f"No story '{story_id}' in plan '{plan_id}'; reload the page.")
        return _story(row._mapping)

    def add_story(self, story: Story) -> None:
        self.db.execute(insert(STORIES), [_story_values(story)])

    def save_story(self, story: Story) -> None:
        values = _story_values(story)
        self.db.execute(update(STORIES).where(STORIES.c.id == story.id).values(values))

    def delete_story(self, story_id: str) -> None:
        self.db.execute(delete(STORIES).where(STORIES.c.id == story_id))

    def add_stories(self, stories: Sequence[Story]) -> None:
        """Insert many stories in one statement (a restored plan's)."""
        if stories:
            self.db.execute(insert(STORIES), [_story_values(s) for s in stories])


@dataclass(frozen=True)
class NewActivity:
    """An activity entry about to be written (the database numbers it)."""

    plan_id: str | None
    version: int | None
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def _chunks(values: Sequence[str] | Sequence[int]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


# --- rows <-> records -----------------------------------------------------------------------
# Rows become records through `restore`: they were checked when saved, and are not re-checked.


def _now() -> datetime:
    return datetime.now(UTC)


def _plan(row: Any) -> Plan:
    return restore(Plan, **{f: row[f] for f in _PLAN_FIELDS})


_PLAN_FIELDS = (
    "id",
    "name",
    "start_date",
    "description",
    "lead_id",
    "review_cadence",
    "status",
    "version",
    "at_risk_threshold",
    "off_track_threshold",
    "updated_at",
    "updated_by",
)


def _plan_values(plan: Plan) -> dict[str, Any]:
    values = {f: getattr(plan, f) for f in _PLAN_FIELDS}
    values["updated_at"] = plan.updated_at or _now()
    return values


def _item(row: Any, snapshot: Tactic | None, targets: list[Target]) -> PlanItem:
    custom = [Metric.model_validate(m, strict=False) for m in row["custom_metrics"]]
    if len(targets) > 1:
        # Stored targets have no order; show them in the order of the item's metrics.
        order = {m.id: n for n, m in enumerate(snapshot.metrics if snapshot else custom)}
        targets.sort(key=lambda t: order.get(t.metric_id, len(order)))
    return restore(
        PlanItem,
        **{f: row[f] for f in _ITEM_COLUMNS},
        snapshot=snapshot,
        custom_metrics=custom,
        targets=targets,
    )


_ITEM_COLUMNS = (
    "id",
    "plan_id",
    "title",
    "duration_weeks",
    "position",
    "tactic_id",
    "owner_id",
    "audience",
    "team",
    "pinned_start",
    "status",
    "cop_stage",
    "notes",
    "effort_hours_per_week",
)


def _item_values(item: PlanItem, hashes: dict[int, str]) -> dict[str, Any]:
    values = {f: getattr(item, f) for f in _ITEM_COLUMNS}
    values["snapshot_hash"] = hashes[id(item.snapshot)] if item.snapshot is not None else None
    values["custom_metrics"] = [m.model_dump(mode="json") for m in item.custom_metrics]
    return values


_PERSON_FIELDS = ("id", "name", "email", "role", "team", "capacity_hours_per_week")


def _person(row: Any) -> Person:
    return restore(Person, **{f: row[f] for f in _PERSON_FIELDS})


def _person_values(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in _PERSON_FIELDS}


def _activity(row: Any) -> ActivityEntry:
    return restore(ActivityEntry, **dict(row))


_READING_FIELDS = ("id", "item_id", "metric_id", "period", "period_start", "value", "source")


def _reading(row: Any) -> Reading:
    return restore(
        Reading,
        **{f: row[f] for f in _READING_FIELDS},
        date=row["date"],
        note=row["note"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
    )


_STORY_FIELDS = ("id", "item_id", "author", "title", "text", "value_cycle", "recorded_by")


def _story(row: Any) -> Story:
    return restore(
        Story,
        **{f: row[f] for f in _STORY_FIELDS},
        date=row["date"],
        recorded_at=row["recorded_at"],
    )


def _story_values(story: Story) -> dict[str, Any]:
    values = {f: getattr(story, f) for f in _STORY_FIELDS}
    values["date"] = story.date
    values["recorded_at"] = story.recorded_at or _now()
    return values


# --- review meetings (0003) -----------------------------------------------------------------
# Reviews, their decisions and the plan's action items. A review keeps a JSON snapshot of the
# plan's status (and agenda) at the meeting, so it reads back exactly as it was.


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (Index(None, "plan_id", "date"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column("date", Date)
    attendees: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewDecisionRow(Base):
    __tablename__ = "review_decisions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class ActionItemRow(Base):
    __tablename__ = "action_items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), index=True)
    owner_name: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    created_in_review: Mapped[str | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL")
    )
    closed_in_review: Mapped[str | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))


REVIEWS = cast(Table, ReviewRow.__table__)
REVIEW_DECISIONS = cast(Table, ReviewDecisionRow.__table__)
ACTION_ITEMS = cast(Table, ActionItemRow.__table__)


_REVIEW_COLUMNS = ("id", "plan_id", "attendees", "notes", "snapshot", "recorded_by", "recorded_at")
_ACTION_COLUMNS = tuple(c.name for c in ACTION_ITEMS.columns)


def _review_record(row: Any) -> ReviewRecord:
    return ReviewRecord(**{c: row[c] for c in _REVIEW_COLUMNS}, date=row["date"])


def _action_record(row: Any) -> ActionItemRecord:
    return ActionItemRecord(**{c: row[c] for c in _ACTION_COLUMNS})


def _action_values(action: ActionItemRecord) -> dict[str, Any]:
    values = {c: getattr(action, c) for c in _ACTION_COLUMNS}
    values["created_at"] = action.created_at or _now()
    values["updated_at"] = action.updated_at or _now()
    return values


class ReviewRepository(Repository):
    """The repository, plus reviews, decisions and action items (same transaction)."""

    # reviews

    def reviews(self, plan_id: str) -> list[ReviewRecord]:
        """The plan's reviews, newest first (meeting date, then when recorded)."""
        query = (
            select(REVIEWS)
            .where(REVIEWS.c.plan_id == plan_id)
            .order_by(REVIEWS.c.date.desc(), REVIEWS.c.recorded_at.desc(), REVIEWS.c.id.desc())
        )
        return [_review_record(r._mapping) for r in self.db.execute(query)]

    def review(self, review_id: str) -> ReviewRecord:
        row = self.db.execute(select(REVIEWS).where(REVIEWS.c.id == review_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"No review with id '{review_id}'; reload the page.")
        return _review_record(row._mapping)

    def add_review(self, review: ReviewRecord) -> None:
        values = {c: getattr(review, c) for c in _REVIEW_COLUMNS}
        values["date"] = review.date
        values["recorded_at"] = review.recorded_at or _now()
        self.db.execute(insert(REVIEWS), [values])

    def decisions(self, review_ids: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
        """Review id -> its decisions as (id, review id, text), in the order taken."""
        found: dict[str, list[tuple[str, str, str]]] = {}
        d = REVIEW_DECISIONS.c
        for chunk in _chunks(sorted(set(review_ids))):
            query = select(d.id, d.review_id, d.text).where(d.review_id.in_(chunk))
            for row in self.db.execute(query.order_by(d.review_id, d.position)):
                found.setdefault(row.review_id, []).append((row.id, row.review_id, row.text))
        return found

    def add_decisions(self, rows: Sequence[tuple[str, str, int, str]]) -> None:
        """Insert decisions given as (id, review id, position, text)."""
        if rows:
            self.db.execute(
                insert(REVIEW_DECISIONS),
                [{"id": i, "review_id": r, "position": p, "text": t} for i, r, p, t in rows],
            )

    # action items

    def action_items(self, plan_id: str) -> list[ActionItemRecord]:
        a = ACTION_ITEMS.c
        query = select(ACTION_ITEMS).where(a.plan_id == plan_id).order_by(a.created_at, a.id)
        return [_action_record(r._mapping) for r in self.db.execute(query)]

    def action_item(self, action_id: str) -> ActionItemRecord:
        row = self.db.execute(
            select(ACTION_ITEMS).where(ACTION_ITEMS.c.id == action_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"No action item with id '{action_id}'; reload the page.")
        return _action_record(row._mapping)

    def add_action_items(self, actions: Sequence[ActionItemRecord]) -> None:
        if actions:
            self.db.execute(insert(ACTION_ITEMS), [_action_values(a) for a in actions])

    def save_action_items(self, actions: Sequence[ActionItemRecord]) -> None:
        """Overwrite these action items (by id)."""
        if not actions:
            return
        columns = [c for c in _ACTION_COLUMNS if c != "id"]
        self.db.execute(
            update(ACTION_ITEMS)
            .where(ACTION_ITEMS.c.id == bindparam("action_id"))
            .values({c: bindparam(f"new_{c}") for c in columns}),
            [
                {"action_id": a.id, **{f"new_{c}": v for c, v in _action_values(a).items()}}
                for a in actions
            ],
        )

    # catching up

    def activity_since(self, plan_id: str, since: datetime) -> list[ActivityEntry]:
        """The plan's log entries written after `since`, newest first."""
        query = (
            select(ACTIVITY)
            .where(ACTIVITY.c.plan_id == plan_id, ACTIVITY.c.at > since)
            .order_by(ACTIVITY.c.id.desc())
        )
        return [_activity(r._mapping) for r in self.db.execute(query)]

    def readings_added_since(
        self, plan_id: str, since: datetime, dated_after: date | None = None
    ) -> list[tuple[str, str, str, int, date, date]]:
        """(item id, item title, metric id, count, first date, last date) of readings recorded
        after `since` or, with `dated_after`, dated after that day (whenever recorded), in plan
        order (a replaced reading counts: it was recorded again)."""
        r = READINGS.c
        new = r.recorded_at > since
        if dated_after is not None:
            new = or_(new, r.date > dated_after)
        query = (
            select(
                r.item_id,
                ITEMS.c.title,
                r.metric_id,
                func.count().label("n"),
                func.min(r.date).label("first"),
                func.max(r.date).label("last"),
            )
            .join(ITEMS, ITEMS.c.id == r.item_id)
            .where(ITEMS.c.plan_id == plan_id, new)
            .group_by(r.item_id, ITEMS.c.title, ITEMS.c.position, r.metric_id)
            .order_by(ITEMS.c.position, r.item_id, r.metric_id)
        )
        return [
            (row.item_id, row.title, row.metric_id, int(row.n), row.first, row.last)
            for row in self.db.execute(query)
        ]

    # erasure

    def scrub_reviews(self, person_id: str, who: Any, text: Any) -> int:
        """Unassign the person's action items and rewrite names in reviews, decisions and action
        items with `who` (a whole-value name) and `text` (free text), snapshots included.
        Returns how many rows changed."""
        changed = 0
        a = ACTION_ITEMS.c
        for row in self.db.execute(select(ACTION_ITEMS)).all():
            values = {
                "owner_id": None if row.owner_id == person_id else row.owner_id,
                "owner_name": who(row.owner_name) if row.owner_name else row.owner_name,
                "text": text(row.text),
                "created_by": who(row.created_by),
                "updated_by": who(row.updated_by),
            }
            if row.owner_id == person_id:
                values["owner_name"] = who(row.owner_name) if row.owner_name else ""
            if values != {k: getattr(row, k) for k in values}:
                self.db.execute(update(ACTION_ITEMS).where(a.id == row.id).values(values))
                changed += 1
        for row in self.db.execute(select(REVIEWS)).all():
            snapshot = dict(row.snapshot)
            agenda = []
            for item in snapshot.get("agenda", []):
                item = dict(item)
                if item.get("owner_id") == person_id:
                    item["owner_id"] = None
                item["owner_name"] = (
                    who(item.get("owner_name") or "") if item.get("owner_name") else ""
                )
                item["text"] = text(item.get("text", ""))
                agenda.append(item)
            if "agenda" in snapshot:
                snapshot["agenda"] = agenda
            values = {
                "attendees": [who(n) for n in row.attendees],
                "notes": text(row.notes),
                "recorded_by": who(row.recorded_by),
                "snapshot": snapshot,
            }
            if values != {k: getattr(row, k) for k in values}:
                self.db.execute(update(REVIEWS).where(REVIEWS.c.id == row.id).values(values))
                changed += 1
        for row in self.db.execute(select(REVIEW_DECISIONS)).all():
            new = text(row.text)
            if new != row.text:
                self.db.execute(
                    update(REVIEW_DECISIONS).where(REVIEW_DECISIONS.c.id == row.id).values(text=new)
                )
                changed += 1
        return changed
