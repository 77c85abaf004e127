"""Progress against targets: actual, expected, progress and status per item and metric.

Pure functions over plan records and reading summaries: no database, no clock; every figure
takes an as-of date so reports and tests are reproducible.

For one item and one of its metrics, as of a date:

    readings   only readings dated on or before the as-of date count (before or after the
               item's start or its due date alike); a period holds at most one reading
    actual     sum      the sum of the period values
               latest   the value of the most recent reading
               average  the mean of the period values
               A sum metric where lower is better (tickets, errors per month) counts something
               per period that should fall; its running total can only grow, so its actual is
               the most recent period's value, as for `latest`.
               A share (`Metric.denominator_metric`, e.g. questions answered in time out of
               questions asked): 100 x the total of its counts / the total of its denominator
               metric's counts (`share_summary`); its default baseline is the first period's
               share; without a denominator reading (or with a total of 0) there is no data.
    target     the item's target value for the metric (None: the metric has no target)
    due        the target's due date, by default the item's last day
    baseline   the target's baseline when it sets one; otherwise 0 for a sum metric (but not
               a lower-is-better one: see actual), else taken from the first reading's value.
               Where it came from is kept (`baseline_source`: target, zero, first reading)
               and shown with it ("baseline 88, from the first reading").
    expected   a straight line from the baseline on the item's first day to the target on the
               due date: baseline + (target − baseline) × elapsed / duration, clamped (the
               baseline before the start, the target from the due date on); an item whose due
               date is on or before its start expects the target from its first day
    progress   gain / needed, where gain = actual − baseline and needed = expected − baseline,
               both negated when lower is better. It can be negative (the metric moved the
               wrong way) or above 1 (ahead of the line); None while nothing is expected yet
               (needed ≤ 0) or when the status is one of the greys below.

Status, the first that applies:

    not started   the as-of date is before the item's first day, or there is no reading yet
                  and the metric's data do not exist yet (before week `readings_from_week`
                  of the item, e.g. a channel that opens in week 3)
    no data       no reading dated within the last two periods of the metric's cadence, up to
                  the as-of date or, for an item already over, up to its due date or last
                  day (whichever is later): a finished item keeps the status it ended with
    no target     the item sets no target for the metric; the actual is still shown
    baseline only the baseline is taken from the first reading and that is the only reading:
                  the actual is the baseline itself, so there is no progress to measure yet
                  (set the target's baseline, or wait for the next period's reading)
    on track      progress ≥ the plan's at-risk threshold (default 0.9)
    at risk       progress ≥ the plan's off-track threshold (default 0.7)
    off track     below that
    While nothing is expected yet (needed ≤ 0, e.g. on the item's first day, or a target equal
    to its baseline), a metric is `on track` unless it moved the wrong way (gain < 0): then it
    is `off track`.

Single-reading cadences (`once`, `end`: one reading, e.g. an end-of-programme survey or a
follow-up check weeks after), instead of the series rules above (`_single_reading_figures`):

    actual     the most recent reading, whatever the aggregation
    baseline   the target's baseline, else the metric's own when the playbook knows it (rule
               `value` or `zero`), else 0 when higher is better, else none
    expected   the target itself: the one reading is judged against it, not against a line
    status     not started   before the item's first day, or while the reading is not yet
                             due (no reading and the as-of date is before the target's due
                             date): an end-of-programme metric does not show months of no data
               no data       no reading from the due date on
               no target     as above
               on track ...  progress = gain / (target − baseline), with the thresholds above;
                             without a baseline, on track when the reading meets the target
                             and off track when it does not

Roll-ups:

    item        the worst of its metrics' statuses among on track, at risk and off track;
                when none has one of those: not started if the item has not started or all
                its metrics are waiting for a single reading, else no data if any metric has
                no data (or the item has no metrics), else baseline only if any metric has
                only its baseline, else no target
    adoption    the plan adoption index: the mean over started item-metrics with data and a
    index       target (statuses on track, at risk, off track) of progress clamped to 0..1;
                a metric with nothing expected yet counts 1 when on track, 0 when off track.
                Negative progress is floored at 0 so one collapsed metric counts as "nothing
                achieved" and cannot cancel out what other metrics achieved. None when no
                item-metric qualifies. Metrics without data (and those not started, without
                a target or with only a baseline) are left out, not counted as 0, so the
                index always comes with its coverage: the metrics counted out of all the
                plan's item-metrics ("92% · 9 of 23 metrics counted").

Dropped items are left out of the rows, the roll-ups and the index: they will not happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from planner.domain.periods import (
    CADENCES,
    period_of,
    periods_between,
    recent_since,
    single_reading,
)
from planner.domain.planning import InvalidInputError, Plan, PlanItem, Target, format_day
from planner.domain.playbook import Metric
from planner.domain.schedule import Schedule

ON_TRACK = "on track"
AT_RISK = "at risk"
OFF_TRACK = "off track"
NO_DATA = "no data"
NOT_STARTED = "not started"
NO_TARGET = "no target"
BASELINE_ONLY = "baseline only"

STATUSES: tuple[str, ...] = (
    ON_TRACK,
    AT_RISK,
    OFF_TRACK,
    NO_DATA,
    NOT_STARTED,
    NO_TARGET,
    BASELINE_ONLY,
)
"""Every progress status, in the order a legend lists them."""
TRACKED: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK)
"""Statuses that compare a metric with its target; the others are greys."""
ATTENTION_ORDER: tuple[str, ...] = (
    OFF_TRACK,
    AT_RISK,
    NO_DATA,
    BASELINE_ONLY,
    ON_TRACK,
    NO_TARGET,
    NOT_STARTED,
)
"""Every status, the ones to act on first: how tables sort and summaries list them."""

FROM_TARGET = "target"
FROM_ZERO = "zero"
FROM_FIRST_READING = "first reading"
FROM_PLAYBOOK = "playbook"
"""Where a baseline came from (`MetricProgress.baseline_source`)."""

_SEVERITY = {ON_TRACK: 0, AT_RISK: 1, OFF_TRACK: 2}
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
    _check_cadence(item.title, metric)
    if metric.is_share:
        summary = share_summary(summary, denominator, metric.cadence)
    target = item.target_for(metric.id)
    return _metric_row(
        item.id,
        item.title,
        metric,
        _figures(
            _rule(metric),
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


# --- the computation, shared by every path ---------------------------------------------------
#
# `metric_progress`, `plan_progress` and the fast status read (`progress_figures`, used by
# `planner.services.readings.plan_status` and the review CSV) all go through `_figures`, so their
# statuses and numbers are the same by construction.

TargetFigures = tuple[float, dt.date | None, float | None]
"""A target as the computation needs it: value, due date (None: the item's last day), baseline
(None: the default)."""


class _Rule(NamedTuple):
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


def _rule(metric: Metric) -> _Rule:
    latest = uses_latest_value(metric)
    return _Rule(
        latest,
        not latest and metric.aggregation == "average",
        metric.aggregation == "sum" and not latest,
        -1.0 if lower_is_better(metric.direction) else 1.0,
        metric.cadence,
        single_reading(metric.cadence),
        None if metric.baseline is None else metric.baseline.known_value,
        7 * (metric.readings_from_week or 0),
    )


def _check_cadence(title: str, metric: Metric) -> None:
    if metric.cadence not in CADENCES:
        raise InvalidInputError(
            f"Metric '{metric.id}' of item '{title}' has the cadence '{metric.cadence}'; "
            f"readings are filed by {', '.join(CADENCES)} periods, so edit the metric."
        )


Figures = tuple[
    str, float | None, float | None, float | None, float | None, float | None, dt.date, str | None
]
"""status, actual, target, expected, progress, baseline, due, baseline source."""


def _figures(
    rule: _Rule,
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
    rule: _Rule, summary: ReadingsSummary | None, start: dt.date, as_of: dt.date
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
    rule: _Rule,
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


def _metric_row(
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


# --- a plan ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """An item's rolled-up status and its metrics' rows."""

    item_id: str
    title: str
    status: str
    start: dt.date
    last_day: dt.date
    metrics: tuple[MetricProgress, ...]


@dataclass(frozen=True)
class PlanProgress:
    """Where a plan stands as of a date: one row per item and metric, items, adoption index."""

    plan_id: str
    as_of: dt.date
    rows: tuple[MetricProgress, ...]
    items: tuple[ItemProgress, ...]
    adoption_index: float | None

    @property
    def coverage(self) -> IndexCoverage:
        """How many of the rows the adoption index counts, out of all of them."""
        return index_coverage(self.rows)

    @property
    def index_text(self) -> str:
        """The index with its coverage, as every page and report shows it."""
        return index_label(self.adoption_index, self.coverage)

    def item_counts(self) -> dict[str, int]:
        """Items per status, every status present (0 when none)."""
        counts = dict.fromkeys(STATUSES, 0)
        for item in self.items:
            counts[item.status] += 1
        return counts

    def row(self, item_id: str, metric_id: str) -> MetricProgress | None:
        return next(
            (r for r in self.rows if r.item_id == item_id and r.metric_id == metric_id), None
        )

    def item(self, item_id: str) -> ItemProgress | None:
        return next((i for i in self.items if i.item_id == item_id), None)


def item_status(statuses: Sequence[str], *, started: bool) -> str:
    """The roll-up of one item's metric statuses (see the module docstring)."""
    tracked = [s for s in statuses if s in _SEVERITY]
    if tracked:
        return max(tracked, key=_SEVERITY.__getitem__)
    if not started or (statuses and all(s == NOT_STARTED for s in statuses)):
        return NOT_STARTED
    if not statuses or NO_DATA in statuses:
        return NO_DATA
    if BASELINE_ONLY in statuses:
        return BASELINE_ONLY
    return NO_TARGET


def adoption_index(rows: Iterable[MetricProgress]) -> float | None:
    """Mean of the rows' index shares (see the module docstring); None when none counts."""
    shares = [s for s in (r.index_share for r in rows) if s is not None]
    return sum(shares) / len(shares) if shares else None


class IndexCoverage(NamedTuple):
    """Which share of the plan's item-metrics the adoption index stands on."""

    counted: int
    """Rows with a share in the index (on track, at risk, off track)."""
    total: int
    """Every row: each item-metric of the items that are not dropped."""

    @property
    def left_out(self) -> int:
        return self.total - self.counted

    def __str__(self) -> str:
        noun = "metric" if self.total == 1 else "metrics"
        return f"{self.counted:,} of {self.total:,} {noun} counted"


def index_coverage(rows: Iterable[MetricProgress]) -> IndexCoverage:
    """The index's coverage over these rows (see `IndexCoverage`)."""
    counted = total = 0
    for row in rows:
        total += 1
        counted += row.status in TRACKED
    return IndexCoverage(counted, total)


def percent_text(value: float | None) -> str:
    """A fraction as a whole percent ('92%'), '—' for None: no false precision."""
    return "—" if value is None else f"{round(value * 100):d}%"


def index_label(index: float | None, coverage: IndexCoverage | None) -> str:
    """'92% · 9 of 23 metrics counted' (or '— · 0 of 23 metrics counted')."""
    shown = percent_text(index)
    return shown if coverage is None else f"{shown} · {coverage}"


def is_count(metric: Metric) -> bool:
    """True when the metric's figures are whole things (a sum, or distinct people): shown and
    exported as whole numbers."""
    if metric.is_share:
        return False
    if metric.aggregation == "sum":
        return True
    unit = metric.unit.strip().lower()
    return unit == "people" or metric.id in ("members", "active-members", "contributors")


def rounded(value: float | None, *, count: bool = False) -> float | int | None:
    """A figure as reports show and export it: a whole number for counts (and any whole
    value), otherwise at most two decimals."""
    if value is None:
        return None
    if count or float(value).is_integer():
        return round(value)
    return round(value, 2)


def figure_text(value: float | str | None, *, count: bool = False) -> str:
    """A figure for people to read: '1,234', '23.17', '< 5' as it is, '—' for None."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    shown = rounded(value, count=count)
    if isinstance(shown, int):
        return f"{shown:,d}"
    return f"{shown:,.2f}".rstrip("0").rstrip(".")


def baseline_text(baseline: float | None, source: str | None, *, count: bool = False) -> str:
    """'0', '88 (from the first reading)', '0 (a sum starts at 0)' or '—'."""
    if baseline is None:
        return "—"
    shown = figure_text(baseline, count=count)
    if source == FROM_FIRST_READING:
        return f"{shown} (from the first reading)"
    if source == FROM_ZERO:
        return f"{shown} (a sum starts at 0)"
    if source == FROM_PLAYBOOK:
        return f"{shown} (the playbook's baseline)"
    return shown


def comparison_text(
    row: MetricProgress, as_of: dt.date, *, actual: float | str | None = None
) -> str:
    """What a status compares, in words: '88 of 90 (baseline 0, expected 60 by 1 Dec 2026)'.

    `actual` replaces the row's own (a suppressed '< 5'); a row without a target says
    '88, no target', one without readings 'no reading yet (target 90)'."""
    count = is_count(row.metric)
    value = row.actual if actual is None else actual
    shown = figure_text(value, count=count)
    if value is None:
        target = "no target" if row.target is None else f"target {figure_text(row.target)}"
        return f"no reading yet ({target})"
    if row.target is None:
        return f"{shown}, no target"
    target = figure_text(row.target, count=count)
    # "9.7 of 4" reads as a share; for a metric that should fall, say what it is aiming at.
    text = (
        f"{shown}, aiming at {target}"
        if lower_is_better(row.metric.direction)
        else (f"{shown} of {target}")
    )
    details = []
    if row.baseline is not None:
        source = {FROM_FIRST_READING: " from the first reading", FROM_ZERO: ""}.get(
            row.baseline_source or "", ""
        )
        details.append(f"baseline {figure_text(row.baseline, count=count)}{source}")
    if row.expected is not None:
        details.append(f"expected {figure_text(row.expected, count=count)} by {format_day(as_of)}")
    return f"{text} ({', '.join(details)})" if details else text


Summaries = Mapping[tuple[str, str], ReadingsSummary | Sequence[ReadingLike]]
"""Readings by (item id, metric id): a summary, or the readings themselves."""


def plan_progress(
    plan: Plan,
    items: Sequence[PlanItem],
    schedule: Schedule,
    readings_by_item_metric: Summaries,
    as_of: dt.date,
) -> PlanProgress:
    """Every item's metrics as of `as_of`, against the plan's thresholds; dropped items and
    items missing from the schedule are left out."""

    def summary_of(key: tuple[str, str]) -> ReadingsSummary | None:
        found = readings_by_item_metric.get(key)
        if found is None or isinstance(found, ReadingsSummary):
            return found
        return summarise(found, as_of)

    scheduled = []
    for item in items:
        entry = schedule.entries.get(item.id)
        if entry is None:
            continue
        scheduled.append(
            ItemFigures(
                item.id,
                item.title,
                item.status,
                entry.start,
                entry.last_day,
                item.metrics,
                # the first target of a metric counts, as in `PlanItem.target_for`
                {t.metric_id: (t.value, t.due_date, t.baseline) for t in reversed(item.targets)},
            )
        )
    return progress_of(
        plan.id,
        as_of,
        progress_figures(
            scheduled, summary_of, as_of, plan.at_risk_threshold, plan.off_track_threshold
        ),
    )


class ItemFigures(NamedTuple):
    """What the computation needs of a scheduled item (see `progress_figures`)."""

    id: str
    title: str
    status: str
    start: dt.date
    last_day: dt.date
    metrics: Sequence[Metric]
    targets: Mapping[str, TargetFigures] | None
    """By metric id; None or missing: no target."""


ItemRows = tuple[ItemFigures, list[tuple[Metric, Figures, "ReadingsSummary | None"]]]


def progress_figures(
    items: Iterable[ItemFigures],
    summary_of: Callable[[tuple[str, str]], ReadingsSummary | None],
    as_of: dt.date,
    at_risk_threshold: float,
    off_track_threshold: float,
) -> Iterator[ItemRows]:
    """Per item that is not dropped, in the given order: the item and, per metric, the metric,
    its figures (status, actual, target, expected, progress, baseline, due) and its summary.

    The same computation as `metric_progress`, with what depends only on the metric (or on
    the reference date and cadence of the no-data rule) worked out once per call."""
    rules: dict[int, _Rule] = {}
    recents: dict[tuple[dt.date, str], dt.date] = {}

    def recent(reference: dt.date, cadence: str) -> dt.date:
        key = (reference, cadence)
        found = recents.get(key)
        if found is None:
            found = recents[key] = recent_since(reference, cadence)
        return found

    for item in items:
        if item.status == "dropped":
            continue
        targets = item.targets or {}
        start, last_day, item_id = item.start, item.last_day, item.id
        rows = []
        for metric in item.metrics:
            rule = rules.get(id(metric))
            if rule is None:
                _check_cadence(item.title, metric)
                rule = rules[id(metric)] = _rule(metric)
            summary = summary_of((item_id, metric.id))
            if metric.denominator_metric is not None:
                summary = share_summary(
                    summary, summary_of((item_id, metric.denominator_metric)), metric.cadence
                )
            figures = _figures(
                rule,
                targets.get(metric.id),
                summary,
                start,
                last_day,
                as_of,
                at_risk_threshold,
                off_track_threshold,
                recent,
            )
            rows.append((metric, figures, summary))
        yield item, rows


def progress_of(plan_id: str, as_of: dt.date, walked: Iterable[ItemRows]) -> PlanProgress:
    """The PlanProgress of `progress_figures`'s items and rows."""
    rows: list[MetricProgress] = []
    rolled: list[ItemProgress] = []
    for item, figures in walked:
        item_rows = tuple(
            _metric_row(item.id, item.title, metric, found, item.start, summary)
            for metric, found, summary in figures
        )
        rows.extend(item_rows)
        rolled.append(
            ItemProgress(
                item_id=item.id,
                title=item.title,
                status=item_status([r.status for r in item_rows], started=as_of >= item.start),
                start=item.start,
                last_day=item.last_day,
                metrics=item_rows,
            )
        )
    return PlanProgress(plan_id, as_of, tuple(rows), tuple(rolled), adoption_index(rows))


# --- trends -----------------------------------------------------------------------------------


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
        expected = None
        if target is not None and single_reading(metric.cadence):
            expected = target.value if period.end >= due else None
        elif target is not None and baseline is not None:
            expected = expected_value(
                period.end, start=start, due=due, baseline=baseline, target=target.value
            )
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
        expected = None
        if target is not None and single_reading(metric.cadence):
            expected = target.value if period.end >= due else None
        elif target is not None and baseline is not None:
            expected = expected_value(
                period.end, start=start, due=due, baseline=baseline, target=target.value
            )
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
