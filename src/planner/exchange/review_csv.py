"""The review CSV: one row per plan item and metric, for the team's review meeting.

Columns (`REVIEW_COLUMNS`, in this order):

    item id      the item's stable id (the same in every database the plan is restored to)
    tactic       the item's title: the tactic's title, or a custom item's own title
    category     the tactic's category id; `custom` for a custom item
    owner        the owner's name; blank when the item has no owner
    team         the team the item is for
    start        first day, YYYY-MM-DD, from the computed schedule (a pinned start as pinned)
    end          last day (inclusive), YYYY-MM-DD
    item status  planned, in progress, done, blocked or dropped
    notes        the item's notes
    metric       the metric's name; blank on the one row of an item without metrics
    target       the item's target for the metric, a plain number; blank when it sets none

Rows: items in plan order (position, then id), each item's metrics in the order the tactic (or
the custom item) lists them. Text is neutralised against formula injection and the bytes are
UTF-8 with `\\r\\n` line endings (see `planner.exchange.csvsafe`); `excel=True` adds a BOM.

The same plan as of the same date gives the same bytes: there is no export time stamp, every id
is a stable plan or item id, and the order does not depend on the database. `as_of` is where
figures computed for a date (progress, status against target) come in as later columns are
added; the columns above do not depend on it.

Adding a column is one line in `REVIEW_COLUMNS`: an `ItemColumn` (the same on every row of an
item) or a `MetricColumn` (per metric), given a header and a function returning the value.

`export_review_csv` reads what the CSV needs in three flat queries (the plan, its items joined
with owners and targets, and the distinct tactic snapshots), without building full plan records,
because a 2,000-item plan is exported in a review meeting while people wait.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy import Engine, Text, cast, select

from planner.errors import NotFoundError
from planner.exchange.csvsafe import cell, csv_bytes
from planner.planning import PlanItem
from planner.schedule import Schedule, ScheduleItem, compute_schedule
from planner.store import ITEMS, PEOPLE, PLANS, SNAPSHOTS, TARGETS, uow

CUSTOM_CATEGORY = "custom"
"""The category shown for a custom item (one no playbook describes)."""


@dataclass(frozen=True, slots=True)
class ReviewMetric:
    """One metric of an item, with the item's target for it (None when it sets none)."""

    id: str
    name: str
    unit: str
    target: float | None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """What the review CSV shows of one plan item, dates already scheduled."""

    id: str
    title: str
    tactic_id: str | None
    category: str
    owner: str
    team: str
    start: date
    last_day: date
    status: str
    notes: str
    metrics: tuple[ReviewMetric, ...]


@dataclass(frozen=True, slots=True)
class ItemColumn:
    """A column with the same value on every row of an item."""

    header: str
    value: Callable[[ReviewItem], object]


@dataclass(frozen=True, slots=True)
class MetricColumn:
    """A column whose value depends on the row's metric (blank on an item without metrics)."""

    header: str
    value: Callable[[ReviewItem, ReviewMetric], object]


Column = ItemColumn | MetricColumn

REVIEW_COLUMNS: tuple[Column, ...] = (
    ItemColumn("item id", attrgetter("id")),
    ItemColumn("tactic", attrgetter("title")),
    ItemColumn("category", attrgetter("category")),
    ItemColumn("owner", attrgetter("owner")),
    ItemColumn("team", attrgetter("team")),
    ItemColumn("start", attrgetter("start")),
    ItemColumn("end", attrgetter("last_day")),
    ItemColumn("item status", attrgetter("status")),
    ItemColumn("notes", attrgetter("notes")),
    MetricColumn("metric", lambda item, metric: metric.name),
    MetricColumn("target", lambda item, metric: metric.target),
)


def review_csv(
    items: Sequence[ReviewItem],
    *,
    excel: bool = False,
    columns: Sequence[Column] = REVIEW_COLUMNS,
) -> bytes:
    """The CSV bytes: one row per item and metric, one row for an item without metrics."""
    item_columns = [(k, c.value) for k, c in enumerate(columns) if isinstance(c, ItemColumn)]
    metric_columns = [(k, c.value) for k, c in enumerate(columns) if isinstance(c, MetricColumn)]
    blank = [""] * len(columns)
    rows: list[list[str]] = []
    for item in items:
        # Item cells are formatted once per item, not once per metric row.
        base = blank.copy()
        for k, item_value in item_columns:
            base[k] = cell(item_value(item))
        if not item.metrics:
            rows.append(base)
            continue
        for metric in item.metrics:
            row = base.copy()
            for k, metric_value in metric_columns:
                row[k] = cell(metric_value(item, metric))
            rows.append(row)
    return csv_bytes([c.header for c in columns], rows, excel=excel)


def review_items(
    items: Sequence[PlanItem], schedule: Schedule, owner_names: Mapping[str, str]
) -> list[ReviewItem]:
    """Review rows from full plan records and their computed schedule (items in plan order)."""
    found = []
    for item in sorted(items, key=lambda i: (i.position, i.id)):
        entry = schedule.entries[item.id]
        targets = {t.metric_id: t.value for t in item.targets}
        found.append(
            ReviewItem(
                id=item.id,
                title=item.title,
                tactic_id=item.tactic_id,
                category=item.snapshot.category if item.snapshot else CUSTOM_CATEGORY,
                owner=owner_names.get(item.owner_id, "") if item.owner_id else "",
                team=item.team,
                start=entry.start,
                last_day=entry.last_day,
                status=item.status,
                notes=item.notes,
                metrics=tuple(
                    ReviewMetric(m.id, m.name, m.unit, targets.get(m.id)) for m in item.metrics
                ),
            )
        )
    return found


def export_review_csv(
    engine: Engine, plan_id: str, *, as_of: date | None = None, excel: bool = False
) -> bytes:
    """The plan's review CSV as of `as_of` (default today); see the module docstring.

    No column depends on `as_of` yet: it is part of the signature so that callers pass the
    meeting's date now and keep getting reproducible files when dated columns arrive.
    """
    return review_csv(read_review_items(engine, plan_id), excel=excel)


# --- the fast read --------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One plan item as read for the review, before scheduling."""

    id: str
    title: str
    tactic_id: str | None
    snapshot: str | None
    custom_metrics: list[dict[str, Any]]
    owner: str
    team: str
    pinned_start: date | None
    duration_weeks: int
    status: str
    notes: str
    targets: dict[str, float]


def read_review_items(engine: Engine, plan_id: str) -> list[ReviewItem]:
    """The plan's review rows, scheduled, read in one transaction with three flat queries."""
    i, p, t = ITEMS.c, PEOPLE.c, TARGETS.c
    with uow(engine, write=False) as session:
        db = session.connection()
        plan_start = db.execute(
            select(PLANS.c.start_date).where(PLANS.c.id == plan_id)
        ).scalar_one_or_none()
        if plan_start is None:
            raise NotFoundError(f"No plan with id '{plan_id}'. Pick a plan from the list.")
        flat = db.execute(
            select(
                i.id,
                i.title,
                i.tactic_id,
                i.snapshot_hash,
                # As text: almost every item has none, and "[]" needs no JSON parsing.
                cast(i.custom_metrics, Text),
                p.name,
                i.team,
                i.pinned_start,
                i.duration_weeks,
                i.status,
                i.notes,
                t.metric_id,
                t.value,
            )
            .select_from(ITEMS.outerjoin(PEOPLE, p.id == i.owner_id))
            .outerjoin(TARGETS, t.item_id == i.id)
            .where(i.plan_id == plan_id)
            .order_by(i.position, i.id)
        ).all()
        snapshot_rows = db.execute(
            select(SNAPSHOTS.c.hash, SNAPSHOTS.c.data).where(
                SNAPSHOTS.c.hash.in_(select(i.snapshot_hash).where(i.plan_id == plan_id).distinct())
            )
        )
        snapshots: dict[str, dict[str, Any]] = {digest: data for digest, data in snapshot_rows}

    rows: list[_Row] = []
    last: _Row | None = None
    for (
        item_id,
        title,
        tactic_id,
        snapshot,
        custom,
        owner,
        team,
        pinned,
        weeks,
        status,
        notes,
        metric_id,
        value,
    ) in flat:
        if last is None or last.id != item_id:
            last = _Row(
                item_id,
                title,
                tactic_id,
                snapshot,
                json.loads(custom) if custom and custom != "[]" else [],
                owner or "",
                team,
                pinned,
                weeks,
                status,
                notes,
                {},
            )
            rows.append(last)
        if metric_id is not None:
            last.targets[metric_id] = value
    return _scheduled(plan_start, rows, snapshots)


def _scheduled(
    plan_start: date, rows: Sequence[_Row], snapshots: Mapping[str, dict[str, Any]]
) -> list[ReviewItem]:
    schedule = compute_schedule(
        plan_start,
        [
            ScheduleItem(
                item_id=r.id,
                title=r.title,
                tactic_id=r.tactic_id,
                category="",
                prerequisites=tuple(snapshots[r.snapshot]["prerequisites"]) if r.snapshot else (),
                duration_weeks=r.duration_weeks,
                pinned_start=r.pinned_start,
                status=r.status,
            )
            for r in rows
        ],
    )
    metrics_of: dict[str, tuple[tuple[str, str, str], ...]] = {
        digest: tuple((m["id"], m["name"], m["unit"]) for m in data["metrics"])
        for digest, data in snapshots.items()
    }
    found = []
    for r in rows:
        entry = schedule.entries[r.id]
        if r.snapshot:
            category = snapshots[r.snapshot]["category"]
            metrics = metrics_of[r.snapshot]
        else:
            category = CUSTOM_CATEGORY
            metrics = tuple((m["id"], m["name"], m["unit"]) for m in r.custom_metrics)
        found.append(
            ReviewItem(
                r.id,
                r.title,
                r.tactic_id,
                category,
                r.owner,
                r.team,
                entry.start,
                entry.last_day,
                r.status,
                r.notes,
                tuple(
                    ReviewMetric(mid, name, unit, r.targets.get(mid)) for mid, name, unit in metrics
                ),
            )
        )
    return found
