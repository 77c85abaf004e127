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
from typing import Any

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
    Text,
    TypeDecorator,
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
from planner.planning import ActivityEntry, Person, Plan, PlanItem, Target, jsonable

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


@dataclass(frozen=True)
class Snapshot:
    hash: str
    tactic: Tactic


def snapshot_of(tactic: Tactic) -> Snapshot:
    data = tactic.model_dump(mode="json")
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return Snapshot(digest, tactic)


class Repository:
    """Plans, items, people and the activity log over one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # plans

    def plan(self, plan_id: str) -> Plan:
        row = self.session.execute(
            select(PlanRow.__table__).where(PlanRow.id == plan_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"No plan with id '{plan_id}'. Pick a plan from the list.")
        return _plan(row._mapping)

    def plans(self) -> list[Plan]:
        return [_plan(r._mapping) for r in self.session.execute(select(PlanRow.__table__))]

    def add_plan(self, plan: Plan, *, created_by: str) -> None:
        at = plan.updated_at or _now()
        self.session.execute(
            insert(PlanRow),
            [{**_plan_values(plan), "created_at": at, "created_by": created_by}],
        )

    def save_plan(self, plan: Plan, *, expected_version: int) -> bool:
        """Write `plan` if the stored version is still `expected_version`; False if not.

        The version check and the write are one UPDATE, so of two concurrent saves based on
        the same version exactly one succeeds (PostgreSQL re-checks the WHERE after waiting).
        """
        result = self.session.execute(
            update(PlanRow)
            .where(PlanRow.id == plan.id, PlanRow.version == expected_version)
            .values(_plan_values(plan))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    # items

    def items(self, plan_id: str, ids: Iterable[str] | None = None) -> list[PlanItem]:
        """The plan's items in plan order; only those in `ids` if given (unknown ids skipped)."""
        query = select(PlanItemRow.__table__).where(PlanItemRow.plan_id == plan_id)
        if ids is not None:
            query = query.where(PlanItemRow.id.in_(sorted(set(ids))))
        rows = self.session.execute(query.order_by(PlanItemRow.position, PlanItemRow.id)).all()
        return self._items([r._mapping for r in rows])

    def item(self, plan_id: str, item_id: str) -> PlanItem:
        found = self.items(plan_id, [item_id])
        if not found:
            raise NotFoundError(f"No item '{item_id}' in plan '{plan_id}'; reload the plan.")
        return found[0]

    def _items(self, rows: Sequence[Any]) -> list[PlanItem]:
        ids = [r["id"] for r in rows]
        targets: dict[str, list[Target]] = {i: [] for i in ids}
        for chunk in _chunks(ids, 500):
            for t in self.session.execute(
                select(ItemTargetRow.__table__)
                .where(ItemTargetRow.item_id.in_(chunk))
                .order_by(ItemTargetRow.item_id, ItemTargetRow.metric_id)
            ):
                targets[t.item_id].append(
                    Target(t.metric_id, t.value, due_date=t.due_date, baseline=t.baseline)
                )
        tactics = self._snapshots({r["snapshot_hash"] for r in rows if r["snapshot_hash"]})
        return [
            _item(r, tactics[r["snapshot_hash"]] if r["snapshot_hash"] else None, targets[r["id"]])
            for r in rows
        ]

    def _snapshots(self, hashes: set[str]) -> dict[str, Tactic]:
        found: dict[str, Tactic] = {}
        for chunk in _chunks(sorted(hashes), 500):
            for row in self.session.execute(
                select(TacticSnapshotRow.hash, TacticSnapshotRow.data).where(
                    TacticSnapshotRow.hash.in_(chunk)
                )
            ):
                found[row.hash] = Tactic.model_validate(row.data, strict=False)
        return found

    def next_position(self, plan_id: str) -> int:
        highest = self.session.execute(
            select(func.max(PlanItemRow.position)).where(PlanItemRow.plan_id == plan_id)
        ).scalar_one()
        return 0 if highest is None else int(highest) + 1

    def add_items(self, items: Sequence[PlanItem]) -> None:
        if not items:
            return
        snapshots = {s.hash: s for s in (snapshot_of(i.snapshot) for i in items if i.snapshot)}
        self._keep_snapshots(snapshots.values())
        self.session.execute(insert(PlanItemRow), [_item_values(i) for i in items])
        self._write_targets(items)

    def save_item(self, item: PlanItem) -> None:
        if item.snapshot is not None:
            self._keep_snapshots([snapshot_of(item.snapshot)])
        self.session.execute(
            update(PlanItemRow)
            .where(PlanItemRow.id == item.id, PlanItemRow.plan_id == item.plan_id)
            .values(_item_values(item))
            .execution_options(synchronize_session=False)
        )
        self.session.execute(delete(ItemTargetRow).where(ItemTargetRow.item_id == item.id))
        self._write_targets([item])

    def remove_item(self, item: PlanItem) -> None:
        self.session.execute(delete(ItemTargetRow).where(ItemTargetRow.item_id == item.id))
        self.session.execute(delete(PlanItemRow).where(PlanItemRow.id == item.id))

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
            self.session.execute(insert(ItemTargetRow), rows)

    def _keep_snapshots(self, snapshots: Iterable[Snapshot]) -> None:
        rows = [
            {"hash": s.hash, "tactic_id": s.tactic.id, "data": s.tactic.model_dump(mode="json")}
            for s in snapshots
        ]
        if not rows:
            return
        # Snapshots are immutable and shared: a concurrent save may store the same one first.
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            self.session.execute(pg_insert(TacticSnapshotRow).on_conflict_do_nothing(), rows)
        elif dialect == "sqlite":
            self.session.execute(sqlite_insert(TacticSnapshotRow).on_conflict_do_nothing(), rows)
        else:
            stored = set(
                self.session.scalars(
                    select(TacticSnapshotRow.hash).where(
                        TacticSnapshotRow.hash.in_([r["hash"] for r in rows])
                    )
                )
            )
            missing = [r for r in rows if r["hash"] not in stored]
            if missing:
                self.session.execute(insert(TacticSnapshotRow), missing)

    # people

    def people(self, ids: Iterable[str] | None = None) -> list[Person]:
        query = select(PersonRow.__table__)
        if ids is not None:
            query = query.where(PersonRow.id.in_(sorted(set(ids))))
        return [_person(r._mapping) for r in self.session.execute(query.order_by(PersonRow.name))]

    def person(self, person_id: str) -> Person:
        row = self.session.execute(
            select(PersonRow.__table__).where(PersonRow.id == person_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(
                f"No person with id '{person_id}'. Choose someone from People, or add them there."
            )
        return _person(row._mapping)

    def missing_people(self, person_ids: Iterable[str]) -> list[str]:
        wanted = set(person_ids)
        if not wanted:
            return []
        found = set(self.session.scalars(select(PersonRow.id).where(PersonRow.id.in_(wanted))))
        return sorted(wanted - found)

    def person_by_email(self, email: str) -> Person | None:
        row = self.session.execute(
            select(PersonRow.__table__).where(PersonRow.email == email.strip().lower())
        ).one_or_none()
        return None if row is None else _person(row._mapping)

    def add_person(self, person: Person, *, actor: str, at: datetime) -> None:
        self.session.execute(
            insert(PersonRow), [{**_person_values(person), "updated_at": at, "updated_by": actor}]
        )

    def save_person(self, person: Person, *, actor: str, at: datetime) -> None:
        self.session.execute(
            update(PersonRow)
            .where(PersonRow.id == person.id)
            .values(**_person_values(person), updated_at=at, updated_by=actor)
            .execution_options(synchronize_session=False)
        )

    # activity

    def log(
        self,
        *,
        plan_id: str | None,
        version: int | None,
        at: datetime,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        summary: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.session.execute(
            insert(ActivityRow),
            [
                {
                    "plan_id": plan_id,
                    "version": version,
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "summary": summary,
                    "before": jsonable(before),
                    "after": jsonable(after),
                }
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
        query = select(ActivityRow.__table__).where(ActivityRow.plan_id == plan_id)
        if after_version is not None:
            query = query.where(ActivityRow.version > after_version)
        query = query.order_by(ActivityRow.id.desc()).limit(limit)
        return [_activity(r._mapping) for r in self.session.execute(query)]


# --- rows <-> records -----------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(values: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    # Keeps IN (...) lists under SQLite's bound-parameter limit for very large plans.
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _plan(row: Any) -> Plan:
    return Plan(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        lead_id=row["lead_id"],
        start_date=row["start_date"],
        review_cadence=row["review_cadence"],
        status=row["status"],
        version=row["version"],
        at_risk_threshold=row["at_risk_threshold"],
        off_track_threshold=row["off_track_threshold"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )


def _plan_values(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "name": plan.name,
        "description": plan.description,
        "lead_id": plan.lead_id,
        "start_date": plan.start_date,
        "review_cadence": plan.review_cadence,
        "status": plan.status,
        "version": plan.version,
        "at_risk_threshold": plan.at_risk_threshold,
        "off_track_threshold": plan.off_track_threshold,
        "updated_at": plan.updated_at or _now(),
        "updated_by": plan.updated_by,
    }


def _item(row: Any, snapshot: Tactic | None, targets: list[Target]) -> PlanItem:
    custom = [Metric.model_validate(m, strict=False) for m in row["custom_metrics"]]
    # Targets come back in metric-id order; show them in the order of the item's metrics.
    order = {m.id: n for n, m in enumerate(snapshot.metrics if snapshot else custom)}
    targets.sort(key=lambda t: order.get(t.metric_id, len(order)))
    return PlanItem(
        id=row["id"],
        plan_id=row["plan_id"],
        position=row["position"],
        tactic_id=row["tactic_id"],
        snapshot=snapshot,
        title=row["title"],
        custom_metrics=custom,
        owner_id=row["owner_id"],
        audience=row["audience"],
        team=row["team"],
        pinned_start=row["pinned_start"],
        duration_weeks=row["duration_weeks"],
        status=row["status"],
        cop_stage=row["cop_stage"],
        notes=row["notes"],
        targets=targets,
    )


def _item_values(item: PlanItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "plan_id": item.plan_id,
        "position": item.position,
        "tactic_id": item.tactic_id,
        "snapshot_hash": snapshot_of(item.snapshot).hash if item.snapshot else None,
        "title": item.title,
        "custom_metrics": [m.model_dump(mode="json") for m in item.custom_metrics],
        "owner_id": item.owner_id,
        "audience": item.audience,
        "team": item.team,
        "pinned_start": item.pinned_start,
        "duration_weeks": item.duration_weeks,
        "status": item.status,
        "cop_stage": item.cop_stage,
        "notes": item.notes,
    }


def _person(row: Any) -> Person:
    return Person(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        role=row["role"],
        team=row["team"],
        capacity_hours_per_week=row["capacity_hours_per_week"],
    )


def _person_values(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "team": person.team,
        "capacity_hours_per_week": person.capacity_hours_per_week,
    }


def _activity(row: Any) -> ActivityEntry:
    return ActivityEntry(
        id=row["id"],
        plan_id=row["plan_id"],
        version=row["version"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        summary=row["summary"],
        before=row["before"],
        after=row["after"],
    )
