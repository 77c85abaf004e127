"""A plan's status from its narrow read: what the review CSV and `plan_status` compute from.

`planner.store.status.read_plan` reads a plan with three narrow queries (its items with their
owners' names, their targets, the distinct tactic snapshots) into a `PlanRead`: columns in
plan order, not full plan records, because a 2,000-item plan is exported in a review meeting
while people wait. This module turns a `PlanRead` into the schedule's days (`scheduled_days`),
the items as the progress computation needs them (`status_items`, `status_figures`) and the
plan's `PlanProgress` (`plan_progress`). Pure: it imports only the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from planner.domain.playbook import Metric, Tactic
from planner.domain.progress import (
    ItemFigures,
    ItemRows,
    PlanProgress,
    ReadingsSummary,
    TargetFigures,
    progress_figures,
    progress_of,
)
from planner.domain.schedule import schedule_days

CUSTOM_CATEGORY = "custom"
"""The category id of a custom item (one no playbook describes)."""


class ItemKind:
    """What the review and the status need of a tactic snapshot (or of one custom item's own
    metrics): tactic id, category id, prerequisites, and the metrics, in the tactic's order.

    Made once per distinct snapshot of a read, so that what depends only on the tactic (its
    metric records, the review's metric rows) is made once per tactic, not once per item.
    """

    __slots__ = (
        "_records",
        "_stored",
        "category",
        "metric_ids",
        "metrics",
        "no_targets",
        "prerequisites",
        "tactic_id",
    )

    def __init__(
        self,
        tactic_id: str | None,
        category: str,
        prerequisites: tuple[str, ...],
        metrics: tuple[tuple[str, str, str], ...],
        stored: Any = None,
    ) -> None:
        self.tactic_id = tactic_id
        self.category = category
        self.prerequisites = prerequisites
        self.metrics = metrics
        """(id, name, unit) per metric, in the tactic's order."""
        self.metric_ids = tuple(metric_id for metric_id, _, _ in metrics)
        self.no_targets: tuple[float | None, ...] = (None,) * len(metrics)
        """A target per metric for an item that sets none."""
        self._stored = stored  # the snapshot's data, or the custom metrics' list
        self._records: tuple[Metric, ...] | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> ItemKind:
        """From a stored tactic snapshot (its JSON, parsed)."""
        metrics = tuple((m["id"], m["name"], m["unit"]) for m in data["metrics"])
        return cls(
            data["id"] or None, data["category"], tuple(data["prerequisites"]), metrics, data
        )

    @classmethod
    def custom(cls, metrics: Sequence[Mapping[str, Any]]) -> ItemKind:
        """From a custom item's own metrics, as stored (parsed)."""
        return cls(
            None,
            CUSTOM_CATEGORY,
            (),
            tuple((m["id"], m["name"], m["unit"]) for m in metrics),
            list(metrics),
        )

    def records(self) -> tuple[Metric, ...]:
        """The metrics as `PlanItem.metrics` gives them (read back as `Repository.items` does:
        the snapshot's, or the custom item's own); made once per kind."""
        if self._records is None:
            if self.tactic_id is not None:
                snapshot = Tactic.model_validate(self._stored, strict=False)
                self._records = tuple(snapshot.metrics)
            else:
                self._records = tuple(
                    Metric.model_validate(m, strict=False) for m in self._stored or ()
                )
        return self._records


class PlanRead(NamedTuple):
    """What the review and the status read of a plan: the plan's figures, then one column per
    item field, in plan order (position, then id)."""

    start_date: date
    at_risk_threshold: float
    off_track_threshold: float
    ids: Sequence[str]
    titles: Sequence[str]
    kinds: Sequence[ItemKind]
    owners: Sequence[str | None]
    """The owner's name, None for an item without an owner."""
    teams: Sequence[str]
    pinned_starts: Sequence[date | None]
    duration_weeks: Sequence[int]
    statuses: Sequence[str]
    notes: Sequence[str]
    values: dict[str, dict[str, float]]
    """Target values by item and metric id."""
    targets: dict[str, dict[str, TargetFigures]]
    """Targets (value, due date, baseline) by item and metric id."""


def scheduled_days(read: PlanRead) -> tuple[list[date], list[date]]:
    """Each item's first and (inclusive) last scheduled days, in plan order."""
    if not read.ids:
        return [], []
    kinds = read.kinds
    starts, last_days = schedule_days(
        read.start_date,
        item_ids=read.ids,
        titles=read.titles,
        tactic_ids=[kind.tactic_id for kind in kinds],
        prerequisites=[kind.prerequisites for kind in kinds],
        duration_weeks=read.duration_weeks,
        pinned_starts=read.pinned_starts,
        statuses=read.statuses,
    )
    return list(starts), list(last_days)


def status_items(
    read: PlanRead, starts: Sequence[date], last_days: Sequence[date]
) -> Iterator[ItemFigures]:
    """The items as the progress computation needs them: the dates as `Schedule` gives them
    (`ScheduledItem.last_day`: never before the start), the metrics as plan records."""
    targets = read.targets
    for item_id, title, status, kind, start, last in zip(
        read.ids, read.titles, read.statuses, read.kinds, starts, last_days, strict=True
    ):
        yield ItemFigures(
            item_id,
            title,
            status,
            start,
            last if last > start else start,
            kind.records(),
            targets.get(item_id),
        )


def status_figures(
    read: PlanRead,
    starts: Sequence[date],
    last_days: Sequence[date],
    summary_of: Callable[[tuple[str, str]], ReadingsSummary | None],
    as_of: date,
) -> Iterator[ItemRows]:
    """`planner.domain.progress.progress_figures` of the read's items as of `as_of`."""
    return progress_figures(
        status_items(read, starts, last_days),
        summary_of,
        as_of,
        read.at_risk_threshold,
        read.off_track_threshold,
    )


def plan_progress(
    plan_id: str,
    read: PlanRead,
    summary_of: Callable[[tuple[str, str]], ReadingsSummary | None],
    as_of: date,
) -> PlanProgress:
    """The plan's status as of `as_of`, from its read and its readings' summaries."""
    starts, last_days = scheduled_days(read)
    return progress_of(plan_id, as_of, status_figures(read, starts, last_days, summary_of, as_of))
