"""Per-metric progress: the figures and status of one item's metric as of a date.

`metric_progress`, `plan_progress` and the fast status read (`progress_figures`, used by
`planner.services.readings.plan_status` and the review CSV) all go through `figures_of`, so their
statuses and numbers are the same by construction. The rules, in users' words, are in
`planner.domain.progress`, which re-exports every public name. Pure: imports periods, planning,
playbook, statuses and summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from planner.domain.periods import (
    CADENCES,
    recent_since,
    single_reading,
)
from planner.domain.planning import InvalidInputError, PlanItem
from planner.domain.playbook import Metric
from planner.domain.statuses import (
    AT_RISK,
    BASELINE_ONLY,
    FROM_FIRST_READING,
    FROM_PLAYBOOK,
    FROM_TARGET,
    FROM_ZERO,
    NO_DATA,
    NO_TARGET,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
    TRACKED,
)
from planner.domain.summaries import (
    _EPSILON,
    ReadingsSummary,
    lower_is_better,
    share_summary,
    uses_latest_value,
)


@dataclass(frozen=True, slots=True)
class MetricProgress:
    """One row of the status table: an item's metric as of a date."""

    item_id: str
    item_title: str
    metric: Metric
    status: str
    actual: float | None
    target: float | None
    expected: float | None
    progress: float | None
    baseline: float | None
    due: dt.date
    start: dt.date
    last_reading: dt.date | None
    baseline_source: str | None = None
    """FROM_TARGET, FROM_ZERO or FROM_FIRST_READING; None without a baseline."""

    @property
    def metric_id(self) -> str:
        return self.metric.id

    @property
    def started(self) -> bool:
        return self.status != NOT_STARTED

    @property
    def index_share(self) -> float | None:
        """What this row adds to the adoption index (None: it does not count)."""
        if self.status not in TRACKED:
            return None
        if self.progress is None:  # nothing expected yet
            return 0.0 if self.status == OFF_TRACK else 1.0
        return min(max(self.progress, 0.0), 1.0)


def metric_progress(
    item: PlanItem,
    metric: Metric,
    summary: ReadingsSummary | None,
    *,
    start: dt.date,
    last_day: dt.date,
    as_of: dt.date,
    at_risk_threshold: float = 0.9,
    off_track_threshold: float = 0.7,
    denominator: ReadingsSummary | None = None,
) -> MetricProgress:
    """Actual, expected, progress and status of one of `item`'s metrics (see the module doc).

    `start` and `last_day` are the item's first and last days from the schedule; `summary`
    covers the readings up to `as_of` (readings after it must not be in it); `denominator`,
    for a share metric, those of its denominator metric over the same days.
    """
    check_metric_cadence(item.title, metric)
    if metric.is_share:
        summary = share_summary(summary, denominator, metric.cadence)
    target = item.target_for(metric.id)
    return metric_row(
        item.id,
        item.title,
        metric,
        figures_of(
            metric_rule(metric),
            None if target is None else (target.value, target.due_date, target.baseline),
            summary,
            start,
            last_day,
            as_of,
            at_risk_threshold,
            off_track_threshold,
            recent_since,
        ),
        start,
        summary,
    )


TargetFigures = tuple[float, dt.date | None, float | None]
"""A target as the computation needs it: value, due date (None: the item's last day), baseline
(None: the default)."""


class MetricRule(NamedTuple):
    """What the computation needs of a metric, worked out once per metric."""

    latest: bool
    average: bool
    zero_baseline: bool
    """A (higher-is-better) sum: the default baseline is 0."""
    sign: float
    cadence: str
    single: bool = False
    """A single-reading cadence (`once`, `end`): see `_single_reading_figures`."""
    known_baseline: float | None = None
    """The playbook's baseline when it is known before any reading (rule value or zero)."""
    data_from_days: int = 0
    """Days after the item's start before the metric's data exist (`readings_from_week`)."""


def metric_rule(metric: Metric) -> MetricRule:
    latest = uses_latest_value(metric)
    return MetricRule(
        latest,
        not latest and metric.aggregation == "average",
        metric.aggregation == "sum" and not latest,
        -1.0 if lower_is_better(metric.direction) else 1.0,
        metric.cadence,
        single_reading(metric.cadence),
        None if metric.baseline is None else metric.baseline.known_value,
        7 * (metric.readings_from_week or 0),
    )


def check_metric_cadence(title: str, metric: Metric) -> None:
    if metric.cadence not in CADENCES:
        raise InvalidInputError(
            f"Metric '{metric.id}' of item '{title}' has the cadence '{metric.cadence}'; "
            f"readings are filed by {', '.join(CADENCES)} periods, so edit the metric."
        )


Figures = tuple[
    str, float | None, float | None, float | None, float | None, float | None, dt.date, str | None
]
"""status, actual, target, expected, progress, baseline, due, baseline source."""


def figures_of(
    rule: MetricRule,
    target: TargetFigures | None,
    summary: ReadingsSummary | None,
    start: dt.date,
    last_day: dt.date,
    as_of: dt.date,
    at_risk_threshold: float,
    off_track_threshold: float,
    recent: Callable[[dt.date, str], dt.date],
) -> Figures:
    """The figures of one item-metric (see the module docstring); `recent` is
    `periods.recent_since` (or a memo of it)."""
    if rule.single:
        return _single_reading_figures(
            rule, target, summary, start, last_day, as_of, at_risk_threshold, off_track_threshold
        )
    if target is None:
        value = None
        due = last_day
        baseline = None
    else:
        value, due_date, baseline = target
        due = last_day if due_date is None else due_date
    if summary is None:
        actual = None
    elif rule.latest:
        actual = summary.last_value
    elif rule.average:
        actual = summary.total / summary.readings
    else:
        actual = summary.total
    source: str | None = None
    if baseline is not None:
        source = FROM_TARGET
    elif rule.zero_baseline:
        baseline, source = 0.0, FROM_ZERO
    elif summary is not None:
        baseline, source = summary.first_value, FROM_FIRST_READING
    expected = None
    if value is not None and baseline is not None:
        if as_of < start:
            expected = baseline
        elif as_of >= due:
            expected = value
        else:
            expected = baseline + (value - baseline) * ((as_of - start).days / (due - start).days)

    if as_of < start or _data_not_yet(rule, summary, start, as_of):
        return (NOT_STARTED, actual, value, expected, None, baseline, due, source)
    # A finished item is judged at its end: readings stopping afterwards is not missing data.
    reference = min(as_of, max(due, last_day))
    if summary is None or summary.last_date < recent(reference, rule.cadence):
        return (NO_DATA, actual, value, expected, None, baseline, due, source)
    if value is None or actual is None or baseline is None or expected is None:
        return (NO_TARGET, actual, value, expected, None, baseline, due, source)
    if source == FROM_FIRST_READING and summary.readings == 1:
        # The baseline is this very reading: comparing it with itself says nothing.
        return (BASELINE_ONLY, actual, value, expected, None, baseline, due, source)
    sign = rule.sign
    gain = sign * (actual - baseline)
    needed = sign * (expected - baseline)
    if needed <= _EPSILON * max(1.0, abs(baseline), abs(value)):
        return (
            OFF_TRACK if gain < -_EPSILON else ON_TRACK,
            actual,
            value,
            expected,
            None,
            baseline,
            due,
            source,
        )
    progress = gain / needed
    status = _tracked_status(progress, at_risk_threshold, off_track_threshold)
    return (status, actual, value, expected, progress, baseline, due, source)


def _data_not_yet(
    rule: MetricRule, summary: ReadingsSummary | None, start: dt.date, as_of: dt.date
) -> bool:
    """No reading yet, and the metric's data do not exist yet (`readings_from_week`)."""
    return (
        summary is None
        and rule.data_from_days > 0
        and as_of < start + dt.timedelta(days=rule.data_from_days)
    )


def _tracked_status(progress: float, at_risk_threshold: float, off_track_threshold: float) -> str:
    """On track, at risk or off track: progress against the plan's thresholds."""
    if progress >= at_risk_threshold:
        return ON_TRACK
    if progress >= off_track_threshold:
        return AT_RISK
    return OFF_TRACK


def _single_reading_figures(
    rule: MetricRule,
    target: TargetFigures | None,
    summary: ReadingsSummary | None,
    start: dt.date,
    last_day: dt.date,
    as_of: dt.date,
    at_risk_threshold: float,
    off_track_threshold: float,
) -> Figures:
    """The figures of a `once` or `end` metric (see the module docstring)."""
    if target is None:
        value, due, baseline = None, last_day, None
    else:
        value, due_date, baseline = target
        due = last_day if due_date is None else due_date
    actual = None if summary is None else summary.last_value
    source: str | None = None if baseline is None else FROM_TARGET
    if baseline is None and rule.known_baseline is not None:
        baseline, source = rule.known_baseline, FROM_PLAYBOOK
    if baseline is None and rule.sign > 0:
        baseline, source = 0.0, FROM_ZERO
    expected = value
    if as_of < start or (summary is None and as_of < due):
        return (NOT_STARTED, actual, value, expected, None, baseline, due, source)
    if summary is None or actual is None:
        return (NO_DATA, actual, value, expected, None, baseline, due, source)
    if value is None:
        return (NO_TARGET, actual, value, expected, None, baseline, due, source)
    sign = rule.sign
    scale = _EPSILON * max(1.0, abs(value), abs(baseline or 0.0))
    needed = None if baseline is None else sign * (value - baseline)
    if needed is None or needed <= scale:
        met = sign * (actual - value) >= -scale
        return (
            ON_TRACK if met else OFF_TRACK,
            actual,
            value,
            expected,
            None,
            baseline,
            due,
            source,
        )
    progress = sign * (actual - (baseline or 0.0)) / needed
    status = _tracked_status(progress, at_risk_threshold, off_track_threshold)
    return (status, actual, value, expected, progress, baseline, due, source)


_SETTERS = tuple(
    getattr(MetricProgress, name).__set__
    for name in (
        "item_id",
        "item_title",
        "metric",
        "status",
        "actual",
        "target",
        "expected",
        "progress",
        "baseline",
        "due",
        "start",
        "last_reading",
        "baseline_source",
    )
)


def metric_row(
    item_id: str,
    title: str,
    metric: Metric,
    figures: Figures,
    start: dt.date,
    summary: ReadingsSummary | None,
) -> MetricProgress:
    """A MetricProgress, as its constructor makes it, built a few times faster (one per row
    of a 2,000-item plan): the fields are set through the slots' descriptors."""
    row = object.__new__(MetricProgress)
    status, actual, target, expected, progress, baseline, due, source = figures
    s = _SETTERS
    s[0](row, item_id)
    s[1](row, title)
    s[2](row, metric)
    s[3](row, status)
    s[4](row, actual)
    s[5](row, target)
    s[6](row, expected)
    s[7](row, progress)
    s[8](row, baseline)
    s[9](row, due)
    s[10](row, start)
    s[11](row, None if summary is None else summary.last_date)
    s[12](row, source)
    return row
