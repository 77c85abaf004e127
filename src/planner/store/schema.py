"""The tables: one ORM class per table, and its Core `Table` under a short capital name.

The classes only describe the tables (the migrations in migrations/versions/ build them, and
tests/integration/test_store.py checks the two agree); reads and writes use the Core tables
(`PLANS`, `ITEMS`, ...). Tables: people, plans, plan_items, item_targets, tactic_snapshots,
activity (0001); readings, stories, xapi_people, xapi_statements, opt_outs (0002); reviews,
review_decisions, action_items (0003); later migrations add columns.

May import: sqlalchemy and the standard library only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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


# --- the Core tables, as reads and writes use them ----------------------------------------

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
REVIEWS = cast(Table, ReviewRow.__table__)
REVIEW_DECISIONS = cast(Table, ReviewDecisionRow.__table__)
ACTION_ITEMS = cast(Table, ActionItemRow.__table__)


class ChannelMappingRow(Base):
    __tablename__ = "channel_mappings"

    plan_id: Mapped[str] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(300), primary_key=True)
    """The name as compared: casefolded, without a leading # (community.channel_key)."""
    name: Mapped[str] = mapped_column(String(300))
    """The name as the user wrote it."""
    item_id: Mapped[str] = mapped_column(
        ForeignKey("plan_items.id", ondelete="CASCADE"), index=True
    )


CHANNEL_MAPPINGS = cast(Table, ChannelMappingRow.__table__)
