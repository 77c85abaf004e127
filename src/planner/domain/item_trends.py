"""An item's trends: each of its metrics' readings as points against the expected path to the
target, drawn from the item's dates in the plan's schedule.

`item_schedule` works out only the items' dates (what progress reads; no milestones, issues or
owners), and `item_trends` groups an item's readings by metric and draws each metric's trend
(`planner.domain.progress.trend`). Reading them from the database is
`planner.store.readings.trend_sources`; the use case is `planner.services.readings.item_trends`.

May import: `planner.domain` and `planner.errors` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from planner.domain.planning import Plan, PlanItem
from planner.domain.progress import ReadingLike, TrendPoint, trend
from planner.domain.schedule import Schedule, ScheduledItem, schedule_days
from planner.errors import NotFoundError

_ONE_DAY = dt.timedelta(days=1)


class MetricReading(ReadingLike, Protocol):
    """A reading as a trend needs it: its metric, date and value."""

    @property
    def metric_id(self) -> str: ...


def item_schedule(plan: Plan, items: Sequence[PlanItem]) -> Schedule:
    """Only the items' dates (what progress reads): no milestones, issues or owners."""
    starts, last_days = schedule_days(
        plan.start_date,
        item_ids=[i.id for i in items],
        titles=[i.title for i in items],
        tactic_ids=[i.tactic_id for i in items],
        prerequisites=[i.snapshot.prerequisites if i.snapshot else () for i in items],
        duration_weeks=[i.duration_weeks for i in items],
        pinned_starts=[i.pinned_start for i in items],
        statuses=[i.status for i in items],
    )
    entries = {
        item.id: ScheduledItem(
            item.id, start, last + _ONE_DAY, item.pinned_start is not None, start
        )
        for item, start, last in zip(items, starts, last_days, strict=True)
    }
    return Schedule(plan.start_date, entries, (), (), ())


def item_trends(
    plan: Plan,
    items: Sequence[PlanItem],
    item_id: str,
    readings: Sequence[MetricReading],
    as_of: dt.date,
) -> dict[str, list[TrendPoint]]:
    """Metric id -> the trend of each of the item's metrics, from the item's `readings` (every
    item of the plan is needed: the item's dates depend on the others')."""
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        raise NotFoundError(f"No item '{item_id}' in plan '{plan.id}'; reload the plan.")
    entry = item_schedule(plan, items).entries[item.id]
    by_metric: dict[str, list[MetricReading]] = {}
    for reading in readings:
        by_metric.setdefault(reading.metric_id, []).append(reading)
    return {
        metric.id: trend(
            item,
            metric,
            by_metric.get(metric.id, []),
            start=entry.start,
            last_day=entry.last_day,
            as_of=as_of,
            denominator=by_metric.get(metric.denominator_metric or "", []),
        )
        for metric in item.metrics
    }
