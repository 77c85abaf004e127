"""Readings as records and rules: which metric an item takes readings for, what value a reading
may hold, how a period and a cadence read, and what recording readings reports back.

The reserved community-health metrics (`HEALTH_METRICS`) are readable on every community item
as well as its own metrics. Recording, importing and the status read model are use cases
(`planner.services.readings`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from planner.domain.periods import (
    Period,
)
from planner.domain.planning import (
    PlanItem,
    format_day,
)
from planner.domain.playbook import Metric
from planner.domain.privacy import counts_distinct_people
from planner.errors import PlannerError


def _health_metric(
    metric_id: str, name: str, unit: str, aggregation: str, direction: str
) -> Metric:
    return Metric(
        id=metric_id,
        name=name,
        unit=unit,
        aggregation=aggregation,
        direction=direction,
        target=0.0,
        cadence="weekly",
        definition=f"Reserved community-health metric: {name.lower()} in the week.",
        framework="community-health",
    )


HEALTH_METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        _health_metric("members", "Members", "people", "latest", "higher"),
        _health_metric("active-members", "Active members", "people", "latest", "higher"),
        _health_metric("contributors", "Contributors", "people", "latest", "higher"),
        _health_metric("questions", "Questions asked", "questions", "sum", "higher"),
        _health_metric(
            "questions-answered-in-time", "Questions answered in time", "questions", "sum", "higher"
        ),
        _health_metric(
            "median-hours-to-first-response",
            "Median hours to first response",
            "hours",
            "latest",
            "lower",
        ),
    )
}
"""The reserved community-health metrics (as the taxonomy defines them), measured weekly."""


def metric_for(item: PlanItem, metric_id: str) -> Metric | None:
    """The item's metric with this id; a reserved health metric on a community item; else None."""
    for metric in item.metrics:
        if metric.id == metric_id:
            return metric
    is_community = item.cop_stage is not None or (
        item.snapshot is not None and item.snapshot.stage is not None
    )
    return HEALTH_METRICS.get(metric_id) if is_community else None


def _metric_ids(item: PlanItem) -> str:
    """The metric ids an item takes readings for, as a list for a message."""
    ids = [m.id for m in item.metrics]
    ids += [h for h in HEALTH_METRICS if h not in ids and metric_for(item, h) is not None]
    return ", ".join(ids) or "none"


def value_problem(metric: Metric, value: float) -> str | None:
    """Why `value` cannot be a reading of `metric`, or None.

    Counts cannot be negative: neither what a sum metric adds up per period nor distinct people.
    Latest and average metrics may be (a return on investment, a net score).
    """
    if not math.isfinite(value):
        return f"{value} is not a number"
    if value < 0 and (metric.aggregation == "sum" or counts_distinct_people(metric)):
        what = "people" if counts_distinct_people(metric) else metric.unit
        return f"{value:g} {what}: a count cannot be negative"
    return None


_PER = {
    "weekly": "ISO week (Monday to Sunday)",
    "monthly": "calendar month",
    "quarterly": "calendar quarter",
}


def period_label(period: Period) -> str:
    """A period as people read it: '2027-01 (1 Jan – 31 Jan 2027)'."""
    if period.start == period.end:
        return f"{period.key} ({format_day(period.start)})"
    first = f"{period.start.day} {period.start:%b}"
    if period.start.year != period.end.year:
        first += f" {period.start.year}"
    return f"{period.key} ({first} – {format_day(period.end)})"


def cadence_rule(cadence: str) -> str:
    """'one reading per calendar month' for a monthly metric."""
    return f"one reading per {_PER.get(cadence, cadence + ' period')}"


def metric_label(metric: Metric) -> str:
    """'Members (people, monthly)': a metric's name, unit and cadence, as the grid shows it."""
    return f"{metric.name} ({metric.unit}, {metric.cadence})"


class ReadingInput(NamedTuple):
    """A reading to record: the period comes from the date and the metric's cadence."""

    item_id: str
    metric_id: str
    date: dt.date
    value: float
    note: str = ""


@dataclass(frozen=True)
class ReadingClash:
    """A reading that would replace one already stored for the same item, metric and period."""

    item_id: str
    item_title: str
    metric_id: str
    metric_name: str
    period: str
    old_value: float
    new_value: float
    old_source: str
    cadence: str = ""
    period_text: str = ""
    """The period with its days ('2027-01 (1 Jan – 31 Jan 2027)'); the key when empty."""

    def __str__(self) -> str:
        metric = f"{self.metric_name} ({self.cadence})" if self.cadence else self.metric_name
        return (
            f"'{self.item_title}', {metric}, {self.period_text or self.period}: "
            f"{self.old_value:g} → {self.new_value:g}"
        )


class ReadingsExistError(PlannerError):
    """Readings already exist for some of the periods: nothing was saved. `clashes` lists them;
    record again with `replace=True` (the CLI's --replace) once the user confirms."""

    def __init__(self, clashes: Sequence[ReadingClash], *, shown: int = 10) -> None:
        self.clashes = list(clashes)
        self.seen: dict[ReadingKey, float] = {
            (c.item_id, c.metric_id, c.period): c.old_value for c in self.clashes
        }
        """The stored values the user is asked to replace: pass as `replace=` to confirm."""
        lines = [f"  {c}" for c in self.clashes[:shown]]
        if len(self.clashes) > shown:
            lines.append(f"  … and {len(self.clashes) - shown} more")
        n = len(self.clashes)
        super().__init__(
            f"{n} reading{'s' if n != 1 else ''} already exist{'s' if n == 1 else ''} for the "
            "same item, metric and period; nothing was saved. Confirm to replace "
            f"{'them' if n != 1 else 'it'} (on the command line: --replace):\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class RecordedReadings:
    """What `record_readings` did."""

    created: int
    replaced: int
    unchanged: int

    @property
    def written(self) -> int:
        return self.created + self.replaced


ReadingKey = tuple[str, str, str]
"""(item id, metric id, period key): what a reading is unique by."""


READING_SOURCES: tuple[str, ...] = ("manual", "csv", "xapi", "teams", "engage", "slack", "discours")
"""Where readings come from: by hand, a readings CSV, xAPI, or a community tool's export
(Microsoft Teams, Viva Engage, Slack, Discourse; `planner.services.community`)."""


@dataclass(frozen=True, kw_only=True)
class Reading:
    """A stored reading: an item's metric in one period of the metric's cadence."""

    id: int
    item_id: str
    metric_id: str
    period: str
    period_start: dt.date
    date: dt.date
    value: float
    source: str
    note: str = ""
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None

    @property
    def key(self) -> ReadingKey:
        return (self.item_id, self.metric_id, self.period)
