"""What a metric's readings add up to: summaries, shares, actual, baseline and expected values.

The arithmetic of one metric's readings as of a date (see `planner.domain.progress` for the
rules in users' words). Pure: imports periods, planning and playbook records only;
`planner.domain.progress` re-exports every public name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from planner.domain.periods import (
    period_of,
    single_reading,
)
from planner.domain.planning import Target
from planner.domain.playbook import Metric

_EPSILON = 1e-9


def lower_is_better(direction: str) -> bool:
    """True for the taxonomy's `lower` direction (and spellings such as `lower-is-better`)."""
    return direction.strip().lower().startswith("lower")


def uses_latest_value(metric: Metric) -> bool:
    """True when the metric's actual is its most recent reading (see the module docstring):
    a `latest` metric, a lower-is-better sum, or one of a single-reading cadence."""
    return (
        metric.aggregation == "latest"
        or (metric.aggregation == "sum" and lower_is_better(metric.direction))
        or single_reading(metric.cadence)
        or metric.is_share
    )


class ReadingLike(Protocol):
    """What progress needs from a reading: its date and its value."""

    @property
    def date(self) -> dt.date: ...

    @property
    def value(self) -> float: ...


class ReadingsSummary(NamedTuple):
    """Everything the status needs from one item-metric's readings up to the as-of date.

    The database computes it with one aggregate query over any number of readings
    (`planner.services.readings.plan_status`); `summarise` computes it from reading records.
    """

    readings: int
    total: float
    first_date: dt.date
    first_value: float
    last_date: dt.date
    last_value: float


def summarise(readings: Iterable[ReadingLike], as_of: dt.date) -> ReadingsSummary | None:
    """The summary of the readings dated on or before `as_of`; None if there are none.

    Ties on the first or last date are broken by the larger value, as the query does."""
    count, total = 0, 0.0
    first: tuple[dt.date, float] | None = None
    last: tuple[dt.date, float] | None = None
    for reading in readings:
        if reading.date > as_of:
            continue
        count += 1
        total += reading.value
        if first is None or (reading.date, -reading.value) < (first[0], -first[1]):
            first = (reading.date, reading.value)
        if last is None or (reading.date, reading.value) > last:
            last = (reading.date, reading.value)
    if first is None or last is None:
        return None
    return ReadingsSummary(count, total, first[0], first[1], last[0], last[1])


def share_summary(
    numerator: ReadingsSummary | None, denominator: ReadingsSummary | None, cadence: str
) -> ReadingsSummary | None:
    """The summary of a share metric (`Metric.denominator_metric`) from the summaries of its
    own counts and of its denominator's: its last value is the pooled share so far,
    100 x total counted / total of the denominator; its first value the first period's share
    when both were read in that period (else the pooled share); its last date the earlier of
    the two last dates (the share is only as current as both counts). None without both, or
    while the denominator's total is 0 (no questions asked: no share to speak of)."""
    if numerator is None or denominator is None or denominator.total <= 0:
        return None
    pooled = 100.0 * numerator.total / denominator.total
    first = pooled
    same = period_of(numerator.first_date, cadence) == period_of(denominator.first_date, cadence)
    if same and denominator.first_value > 0:
        first = 100.0 * numerator.first_value / denominator.first_value
    return ReadingsSummary(
        numerator.readings,
        pooled,
        numerator.first_date,
        first,
        min(numerator.last_date, denominator.last_date),
        pooled,
    )


def actual_value(metric: Metric, summary: ReadingsSummary | None) -> float | None:
    """The metric's actual by its aggregation, or None without readings."""
    if summary is None:
        return None
    if uses_latest_value(metric):
        return summary.last_value
    if metric.aggregation == "average":
        return summary.total / summary.readings
    return summary.total


def baseline_value(
    metric: Metric, target: Target | None, summary: ReadingsSummary | None
) -> float | None:
    """The target's baseline, else 0 for (higher-is-better) sums, else the first reading."""
    if target is not None and target.baseline is not None:
        return target.baseline
    if metric.aggregation == "sum" and not uses_latest_value(metric):
        return 0.0
    return summary.first_value if summary is not None else None


def expected_value(
    day: dt.date, *, start: dt.date, due: dt.date, baseline: float, target: float
) -> float:
    """The straight line from `baseline` on `start` to `target` on `due`, clamped."""
    if day < start:
        return baseline
    if day >= due:
        return target
    fraction = (day - start).days / (due - start).days
    return baseline + (target - baseline) * fraction


Summaries = Mapping[tuple[str, str], ReadingsSummary | Sequence[ReadingLike]]
"""Readings by (item id, metric id): a summary, or the readings themselves."""
