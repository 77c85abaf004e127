"""The plan-status read model: a plan read with narrow queries for its review and its status.

`read_plan` reads what the review CSV and the plan's status need with three narrow queries
(the items with their owners' names, the items' targets, the distinct tactic snapshots; plus
the plan's start date and thresholds) into a `planner.domain.status.PlanRead`, without building
full plan records, because a 2,000-item plan is exported in a review meeting while people wait.
`read_plan_status` is `planner.services.readings.plan_status` inside a transaction;
`stories_per_item` counts each item's stories up to a date.

SQL and the database drivers' values live here; what is computed from the read is in
`planner.domain.status`. Imports the store's tables and the domain.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Dialect, Select, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from planner.domain.progress import PlanProgress, TargetFigures
from planner.domain.status import ItemKind, PlanRead, plan_progress
from planner.errors import NotFoundError
from planner.store import ITEMS, PEOPLE, PLANS, SNAPSHOTS, STORIES, TARGETS, Repository

__all__ = ["read_plan", "read_plan_status", "stories_per_item"]

_ITEM_ROWS = (
    select(
        ITEMS.c.id,
        ITEMS.c.title,
        ITEMS.c.snapshot_hash,
        ITEMS.c.custom_metrics,
        PEOPLE.c.name,
        ITEMS.c.team,
        ITEMS.c.pinned_start,
        ITEMS.c.duration_weeks,
        ITEMS.c.status,
        ITEMS.c.notes,
    )
    .select_from(ITEMS.outerjoin(PEOPLE, PEOPLE.c.id == ITEMS.c.owner_id))
    .where(ITEMS.c.plan_id == bindparam("plan_id"))
    .order_by(ITEMS.c.position, ITEMS.c.id)
)
"""The plan's items in plan order, with their owners' names: one row per item."""

_TARGET_ROWS = (
    select(
        TARGETS.c.item_id,
        TARGETS.c.metric_id,
        TARGETS.c.value,
        TARGETS.c.due_date,
        TARGETS.c.baseline,
    )
    .join(ITEMS, ITEMS.c.id == TARGETS.c.item_id)
    .where(ITEMS.c.plan_id == bindparam("plan_id"))
)
"""The targets of the plan's items, in no particular order."""

_SNAPSHOT_ROWS = select(SNAPSHOTS.c.hash, SNAPSHOTS.c.data).where(
    SNAPSHOTS.c.hash.in_(
        select(ITEMS.c.snapshot_hash).where(ITEMS.c.plan_id == bindparam("plan_id")).distinct()
    )
)
"""The distinct tactic snapshots the plan's items follow."""


def read_plan_status(session: Session, plan_id: str, as_of: date) -> PlanProgress:
    """`planner.services.readings.plan_status` inside a transaction: the plan's items read with
    the review's narrow queries (no full plan records), their readings summed up in SQL."""
    read = read_plan(session.connection(), plan_id)
    summaries = Repository(session).reading_summaries(plan_id, as_of)
    return plan_progress(plan_id, read, summaries.get, as_of)


def stories_per_item(db: Connection, plan_id: str, as_of: date) -> dict[str, int]:
    """How many value-creation stories each item has, told on or before `as_of`."""
    query = (
        select(STORIES.c.item_id, func.count())
        .join(ITEMS, ITEMS.c.id == STORIES.c.item_id)
        .where(ITEMS.c.plan_id == plan_id, STORIES.c.date <= as_of)
        .group_by(STORIES.c.item_id)
    )
    return {str(item_id): int(n) for item_id, n in db.execute(query)}


def read_plan(db: Connection, plan_id: str) -> PlanRead:
    """The plan's read (see the module docstring); NotFoundError for an unknown plan."""
    plan = db.execute(
        select(PLANS.c.start_date, PLANS.c.at_risk_threshold, PLANS.c.off_track_threshold).where(
            PLANS.c.id == plan_id
        )
    ).one_or_none()
    if plan is None:
        raise NotFoundError(f"No plan with id '{plan_id}'. Pick a plan from the list.")
    with _driver_cursor(db, _ITEM_ROWS, plan_id) as rows:
        items = rows.fetchall()
    values: dict[str, dict[str, float]] = {}
    targets: dict[str, dict[str, TargetFigures]] = {}
    with _driver_cursor(db, _TARGET_ROWS, plan_id) as rows:
        for item_id, metric_id, value, due, baseline in rows:  # row by row: no big list
            figures = (value, None if due is None else _day(due), baseline)
            found = values.get(item_id)
            if found is None:
                values[item_id] = {metric_id: value}
                targets[item_id] = {metric_id: figures}
            else:
                found[metric_id] = value
                targets[item_id][metric_id] = figures
    with _driver_cursor(db, _SNAPSHOT_ROWS, plan_id) as rows:
        kinds = {digest: ItemKind.of(_json(data)) for digest, data in rows}
    start, at_risk, off_track = plan
    if not items:
        return PlanRead(start, at_risk, off_track, (), (), (), (), (), (), (), (), (), {}, {})
    ids, titles, hashes, custom, owners, teams, pinned, weeks, statuses, notes = zip(
        *items, strict=True
    )
    return PlanRead(
        start,
        at_risk,
        off_track,
        ids,
        titles,
        [
            kinds[digest] if digest else _custom_kind(stored)
            for digest, stored in zip(hashes, custom, strict=True)
        ],
        owners,
        teams,
        [None if day is None else _day(day) for day in pinned],
        weeks,
        statuses,
        notes,
        values,
        targets,
    )


def _custom_kind(stored: str | list[dict[str, Any]] | None) -> ItemKind:
    """A custom item's kind, from its own metrics as stored."""
    return ItemKind.custom(() if not stored or stored == "[]" else _json(stored))


@contextmanager
def _driver_cursor(db: Connection, statement: Select[Any], plan_id: str) -> Iterator[Any]:
    """A database driver's cursor over the statement's rows, in the transaction of `db`.

    Plain tuples, without SQLAlchemy's row objects and result processing, which cost more than
    the read itself on thousands of rows. Values come as the driver gives them: dates and JSON
    as text on SQLite, as objects on PostgreSQL (`_day` and `_json` take either).
    """
    compiled = _compiled(statement, db.dialect)
    params: tuple[str, ...] | dict[str, str] = {"plan_id": plan_id}
    if compiled.positional:
        params = (plan_id,) * len(compiled.positiontup or ())
    cursor = db.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        yield cursor
    finally:
        cursor.close()


@functools.lru_cache(maxsize=16)
def _compiled(statement: Select[Any], dialect: Dialect) -> SQLCompiler:
    """The statement's SQL for one kind of database (only SQL text is kept, never rows)."""
    compiled = statement.compile(dialect=dialect)
    if set(compiled.binds) != {"plan_id"}:  # _driver_cursor passes the plan id, nothing else
        raise AssertionError(f"unexpected parameters {sorted(compiled.binds)}")
    return compiled


def _day(value: date | str) -> date:
    """A date column's value: a date from PostgreSQL, `YYYY-MM-DD` text from SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def _json(value: Any) -> Any:
    """A JSON column's value: parsed by PostgreSQL's driver, text from SQLite."""
    return json.loads(value) if isinstance(value, str | bytes) else value
