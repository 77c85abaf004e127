"""Progress against targets: actual, expected, progress and status per item and metric.

This module holds the rules (below) and the plan roll-ups; the parts live in `statuses`,
`summaries`, `metric_figures`, `adoption_index`, `progress_wording` and `trends` (all in
`planner.domain`), and every public name is re-exported here.

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
from typing import NamedTuple

from planner.domain.adoption_index import IndexCoverage as IndexCoverage
from planner.domain.adoption_index import adoption_index as adoption_index
from planner.domain.adoption_index import index_coverage as index_coverage
from planner.domain.adoption_index import index_label as index_label
from planner.domain.adoption_index import percent_text as percent_text
from planner.domain.metric_figures import Figures as Figures
from planner.domain.metric_figures import MetricProgress as MetricProgress
from planner.domain.metric_figures import (
    MetricRule,
    check_metric_cadence,
    figures_of,
    metric_row,
    metric_rule,
)
from planner.domain.metric_figures import TargetFigures as TargetFigures
from planner.domain.metric_figures import metric_progress as metric_progress
from planner.domain.periods import (
    recent_since,
)
from planner.domain.planning import Plan, PlanItem
from planner.domain.playbook import Metric
from planner.domain.progress_wording import baseline_text as baseline_text
from planner.domain.progress_wording import comparison_text as comparison_text
from planner.domain.progress_wording import figure_text as figure_text
from planner.domain.progress_wording import is_count as is_count
from planner.domain.progress_wording import rounded as rounded
from planner.domain.schedule import Schedule
from planner.domain.statuses import _SEVERITY
from planner.domain.statuses import AT_RISK as AT_RISK
from planner.domain.statuses import ATTENTION_ORDER as ATTENTION_ORDER
from planner.domain.statuses import BASELINE_ONLY as BASELINE_ONLY
from planner.domain.statuses import FROM_FIRST_READING as FROM_FIRST_READING
from planner.domain.statuses import FROM_PLAYBOOK as FROM_PLAYBOOK
from planner.domain.statuses import FROM_TARGET as FROM_TARGET
from planner.domain.statuses import FROM_ZERO as FROM_ZERO
from planner.domain.statuses import NO_DATA as NO_DATA
from planner.domain.statuses import NO_TARGET as NO_TARGET
from planner.domain.statuses import NOT_STARTED as NOT_STARTED
from planner.domain.statuses import OFF_TRACK as OFF_TRACK
from planner.domain.statuses import ON_TRACK as ON_TRACK
from planner.domain.statuses import STATUSES as STATUSES
from planner.domain.statuses import TRACKED as TRACKED
from planner.domain.summaries import ReadingLike as ReadingLike
from planner.domain.summaries import ReadingsSummary as ReadingsSummary
from planner.domain.summaries import Summaries as Summaries
from planner.domain.summaries import actual_value as actual_value
from planner.domain.summaries import baseline_value as baseline_value
from planner.domain.summaries import expected_value as expected_value
from planner.domain.summaries import lower_is_better as lower_is_better
from planner.domain.summaries import share_summary as share_summary
from planner.domain.summaries import summarise as summarise
from planner.domain.summaries import uses_latest_value as uses_latest_value
from planner.domain.trends import TrendPoint as TrendPoint
from planner.domain.trends import trend as trend

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


def progress_of(plan_id: str, as_of: dt.date, walked: Iterable[ItemRows]) -> PlanProgress:
    """The PlanProgress of `progress_figures`'s items and rows."""
    rows: list[MetricProgress] = []
    rolled: list[ItemProgress] = []
    for item, figures in walked:
        item_rows = tuple(
            metric_row(item.id, item.title, metric, found, item.start, summary)
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
    rules: dict[int, MetricRule] = {}
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
                check_metric_cadence(item.title, metric)
                rule = rules[id(metric)] = metric_rule(metric)
            summary = summary_of((item_id, metric.id))
            if metric.denominator_metric is not None:
                summary = share_summary(
                    summary, summary_of((item_id, metric.denominator_metric)), metric.cadence
                )
            figures = figures_of(
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
