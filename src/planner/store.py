"""Where plans live: the tables, the engine, migrations, one transaction per action, a repository.

SQLite under data/ by default, PostgreSQL (or anything SQLAlchemy reaches) by URL. The ORM classes
below only describe the tables; reads and writes go through `Repository`, which turns rows into
the frozen records of `planner.planning` and back. Reads use plain row tuples rather than ORM
objects because a 2,000-item plan is read on every dashboard rerun.

Tables today: people, plans, plan_items, item_targets, tactic_snapshots, activity. Later
migrations add readings, stories and reviews beside them (one file per change in
migrations/versions/, never editing an applied one).
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

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
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    make_url,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from planner.domain import Metric, Tactic
from planner.errors import NotFoundError, PlannerError
from planner.planning import ActivityEntry, Person, Plan, PlanItem, Target, jsonable, restore

ENV_VAR = "PLANNER_DATABASE_URL"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"
DEFAULT_URL = "sqlite:///data/planner.db"
BUSY_TIMEOUT_MS = 5000
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
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


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
    with engine.connect() as connection:
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
    with Session(engine, expire_on_commit=False, autoflush=False) as session, session.begin():
        if options:
            session.connection(execution_options=options)
        yield session


# --- the repository -------------------------------------------------------------------------

PEOPLE = cast(Table, PersonRow.__table__)
PLANS = cast(Table, PlanRow.__table__)
SNAPSHOTS = cast(Table, TacticSnapshotRow.__table__)
ITEMS = cast(Table, PlanItemRow.__table__)
TARGETS = cast(Table, ItemTargetRow.__table__)
ACTIVITY = cast(Table, ActivityRow.__table__)


def snapshot_hash(tactic: Tactic) -> str:
    """Content hash of a tactic: equal tactics share one stored snapshot."""
    data = tactic.model_dump(mode="json")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class Repository:
    """Plans, items, people and the activity log inside one transaction.

    Statements go straight to the session's connection as Core SQL: the records are frozen
    dataclasses, so there is nothing for the ORM's identity map to track.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.db = session.connection()

    # plans

    def plan(self, plan_id: str) -> Plan:
        row = self.db.execute(select(PLANS).where(PLANS.c.id == plan_id)).one_or_none()
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

    def save_person(self, person: Person, *, actor: str, at: datetime) -> None:
        self.db.execute(
            update(PEOPLE)
            .where(PEOPLE.c.id == person.id)
            .values(**_person_values(person), updated_at=at, updated_by=actor)
        )

    # activity

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
