"""A metric's trend over time: actual, baseline and expected value period by period.

The series behind the trend charts, with the same arithmetic as the progress figures (shares
sum their denominator within each period). Pure: imports periods, planning, playbook and
summaries; `planner.domain.progress` re-exports every public name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from planner.domain.periods import (
    period_of,
    periods_between,
    single_reading,
)
from planner.domain.planning import PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.summaries import (
    ReadingLike,
    actual_value,
    baseline_value,
    expected_value,
    share_summary,
    summarise,
)


class TrendPoint(NamedTuple):
    """One period of a metric's trend chart."""

    period: str
    start: dt.date
    end: dt.date
    value: float | None
    """The period's own reading (None without one, or after the as-of date)."""
    actual: float | None
    """The actual as of the period's end (or the as-of date): the running sum, the latest
    reading, or the running mean; None before the first reading and after the as-of date."""
    expected: float | None
    """The expected line at the period's end (it runs on to the due date); None without a
    target or a baseline."""
    target: float | None


def trend(
    item: PlanItem,
    metric: Metric,
    readings: Sequence[ReadingLike],
    *,
    start: dt.date,
    last_day: dt.date,
    as_of: dt.date,
    denominator: Sequence[ReadingLike] = (),
) -> list[TrendPoint]:
    """Per period of the metric's cadence, from the item's start (or an earlier first reading)
    to its due date (or a later as-of date): the reading, the actual, the expected line and
    the target. Readings after `as_of` are left out. For a share metric, `denominator` holds
    the readings of its denominator metric: a period's value is then that period's share and
    the actual the pooled share so far (see `share_summary`)."""
    counted = sorted((r for r in readings if r.date <= as_of), key=lambda r: (r.date, r.value))
    if metric.is_share:
        return _share_trend(
            item, metric, counted, denominator, start=start, last_day=last_day, as_of=as_of
        )
    target = item.target_for(metric.id)
    due = target.due_date if target is not None and target.due_date is not None else last_day
    baseline = baseline_value(metric, target, summarise(counted, as_of))
    first = min([start, *(r.date for r in counted[:1])])
    last = max(due, last_day, as_of)
    by_period: dict[str, float] = {}
    for reading in counted:
        by_period[period_of(reading.date, metric.cadence).key] = reading.value
    points = []
    seen: list[ReadingLike] = []
    position = 0
    for period in periods_between(first, last, metric.cadence):
        upto = min(period.end, as_of)
        while position < len(counted) and counted[position].date <= upto:
            seen.append(counted[position])
            position += 1
        after = period.start > as_of
        expected = _expected(period.end, metric, target, baseline, start=start, due=due)
        points.append(
            TrendPoint(
                period=period.key,
                start=period.start,
                end=period.end,
                value=None if after else by_period.get(period.key),
                actual=None if after else actual_value(metric, summarise(seen, as_of)),
                expected=expected,
                target=target.value if target is not None else None,
            )
        )
    return points


def _share_trend(
    item: PlanItem,
    metric: Metric,
    counted: Sequence[ReadingLike],
    denominator: Sequence[ReadingLike],
    *,
    start: dt.date,
    last_day: dt.date,
    as_of: dt.date,
) -> list[TrendPoint]:
    """`trend` of a share metric: per period its own share, the pooled share so far."""
    below = sorted((r for r in denominator if r.date <= as_of), key=lambda r: (r.date, r.value))
    target = item.target_for(metric.id)
    due = target.due_date if target is not None and target.due_date is not None else last_day
    whole = share_summary(summarise(counted, as_of), summarise(below, as_of), metric.cadence)
    baseline = baseline_value(metric, target, whole)
    first = min([start, *(r.date for r in counted[:1])])
    last = max(due, last_day, as_of)
    counts: dict[str, float] = {}
    asked: dict[str, float] = {}
    for reading in counted:  # summed: a weekly denominator fills a monthly share's period
        key = period_of(reading.date, metric.cadence).key
        counts[key] = counts.get(key, 0.0) + reading.value
    for reading in below:
        key = period_of(reading.date, metric.cadence).key
        asked[key] = asked.get(key, 0.0) + reading.value
    points = []
    for period in periods_between(first, last, metric.cadence):
        upto = min(period.end, as_of)
        after = period.start > as_of
        so_far = share_summary(summarise(counted, upto), summarise(below, upto), metric.cadence)
        n, d = counts.get(period.key), asked.get(period.key)
        expected = _expected(period.end, metric, target, baseline, start=start, due=due)
        points.append(
            TrendPoint(
                period=period.key,
                start=period.start,
                end=period.end,
                value=None if after or n is None or not d else 100.0 * n / d,
                actual=None if after or so_far is None else so_far.last_value,
                expected=expected,
                target=target.value if target is not None else None,
            )
        )
    return points


def _expected(
    day: dt.date,
    metric: Metric,
    target: Target | None,
    baseline: float | None,
    *,
    start: dt.date,
    due: dt.date,
) -> float | None:
    """Where the metric should be on `day`: a single reading's target from its due date on,
    else the line from the baseline at the start to the target at the due date."""
    if target is not None and single_reading(metric.cadence):
        return target.value if day >= due else None
    if target is not None and baseline is not None:
        return expected_value(day, start=start, due=due, baseline=baseline, target=target.value)
    return None
