"""The sample plan's readings: what each metric's series looks like (plain records), and
their drawing.

Readings run from three weeks before the plan's start (baselines) to the day before `today`:
twelve weeks and more. Each series is drawn (with a random generator seeded by `today`, so the
same day gives the same plan) to end where its `progress` says against the expected line as of
`today`, so the statuses come out as designed whatever the day. Pure: plan items and their
schedule in, reading records out; imports only domain modules.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.domain.periods import periods_between, single_reading
from planner.domain.planning import PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.progress import expected_value, uses_latest_value
from planner.domain.readings import ReadingInput
from planner.domain.sample_plan import COMMUNITY, HUDDLES
from planner.domain.schedule import ScheduledItem


@dataclass(frozen=True)
class SampleSeries:
    """How one metric's readings are drawn: where they end against the expected line."""

    item: int  # index into ITEMS (HUDDLES for the custom item)
    metric: str
    progress: float  # where the metric ends, as of today, against its expected line
    baseline: float | None = None  # first reading of a latest or average metric
    lead_weeks: int = 0  # baseline readings from this many weeks before the item starts
    whole: bool = True  # whole numbers (counts, people); else one decimal


SERIES: tuple[SampleSeries, ...] = (
    SampleSeries(0, "managers-know-allowance", 1.03, baseline=35),
    SampleSeries(0, "charter-endorsements", 1.0, baseline=1),
    SampleSeries(1, "sponsor-commitments-kept", 1.0, baseline=70, lead_weeks=5),
    SampleSeries(1, "blockers-removed", 1.5),
    SampleSeries(2, "members", 1.0, baseline=4),
    SampleSeries(2, "discovery-conversations", 1.17),
    SampleSeries(2, "core-group-volunteers", 1.25, baseline=1),
    SampleSeries(3, "members", 1.15, baseline=12),
    SampleSeries(3, "active-members", 1.1, baseline=5),
    SampleSeries(3, "questions", 1.1),
    SampleSeries(3, "questions-answered-in-time", 1.05),
    SampleSeries(3, "median-hours-to-first-response", 1.1, baseline=30, whole=False),
    SampleSeries(5, "questions", 1.1),
    SampleSeries(5, "questions-answered-in-time", 0.8),
    SampleSeries(5, "median-hours-to-first-response", 0.5, baseline=14, lead_weeks=3, whole=False),
    SampleSeries(5, "answers-in-repository", 1.1),
    SampleSeries(6, "job-aids-published", 1.2),
    SampleSeries(6, "covered-task-tickets", 0.78, baseline=18, whole=False),
    SampleSeries(8, "reports-with-learning-goal", 1.0, baseline=20),
    SampleSeries(8, "goals-applied-at-work", 0.97, baseline=10),
    SampleSeries(9, "reports-with-learning-goal", 0.45, baseline=15),
    SampleSeries(10, "days-to-first-solo-task", 0.8, baseline=30, whole=False),
    SampleSeries(10, "knows-who-to-ask", 1.1, baseline=50),
    SampleSeries(13, "stories-with-realised-value", 1.3),
    SampleSeries(16, "commitments-dated", 1.0),
    SampleSeries(17, "pages-in-date", 1.0, baseline=60),
    SampleSeries(HUDDLES, "huddles-held", 0.75),
)
"""What each metric with readings looks like; the others have none (no data)."""

CONTRIBUTORS = (2, 3, 3, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10)
"""Weekly contributors of the coalescing community (a reserved health metric): the first
weeks show as "< 5" wherever distinct people are counted."""


def sample_readings(
    items: Mapping[str, PlanItem],
    entries: Mapping[str, ScheduledItem],
    item_ids: Sequence[str],
    today: date,
) -> list[ReadingInput]:
    """Every reading of the sample plan: its SERIES (`item_ids` are the plan's item ids in the
    order of ITEMS, then the custom item), then the community's weekly contributors."""
    rng = random.Random(f"sample-readings {today.isoformat()}")
    rows: list[ReadingInput] = []
    for spec in SERIES:
        item = items[item_ids[spec.item]]
        metric = next(m for m in item.metrics if m.id == spec.metric)
        if metric.denominator_metric is not None:  # a share: counts out of those already made
            rows.extend(share_series(item, metric, spec, entries[item.id], today, rows))
            continue
        rows.extend(metric_series(item, spec, entries[item.id], today, rng))
    community = items[item_ids[COMMUNITY]]
    weeks = [r.date for r in rows if r.item_id == community.id and r.metric_id == "members"]
    rows.extend(
        ReadingInput(community.id, "contributors", day, float(n))
        for day, n in zip(weeks, CONTRIBUTORS, strict=False)
    )
    return rows


def metric_series(
    item: PlanItem, spec: SampleSeries, entry: ScheduledItem, today: date, rng: random.Random
) -> list[ReadingInput]:
    """Readings of one metric, one per period up to yesterday, ending where `spec` says."""
    metric = next(m for m in item.metrics if m.id == spec.metric)
    target = item.target_for(metric.id)
    last = min(today - timedelta(days=1), entry.last_day)
    if target is None or last < entry.start:
        return []
    if single_reading(metric.cadence):
        return single_reading_of(item, metric, spec, entry, target, today)
    first = entry.start - timedelta(weeks=spec.lead_weeks)
    if metric.readings_from_week:  # no readings before the metric's data exist
        first = max(first, entry.start + timedelta(weeks=metric.readings_from_week))
        if first > last:
            return []
    days = [min(p.end, last) for p in periods_between(first, last, metric.cadence)]
    due = target.due_date or entry.last_day
    n = len(days)

    def rounded(value: float) -> float:
        return float(round(value)) if spec.whole else round(value, 1)

    if uses_latest_value(metric) or metric.aggregation == "average":
        first_value = spec.baseline if spec.baseline is not None else 0.0
        expected = expected_value(
            today, start=entry.start, due=due, baseline=first_value, target=target.value
        )
        goal = first_value + spec.progress * (expected - first_value)
        wobble = abs(goal - first_value) * 0.08
        if n == 1:
            values = [first_value]
        elif metric.aggregation == "average":
            # The mean lands on the goal: the periods after the first make up for it.
            later = (goal * n - first_value) / (n - 1)
            middle = [later + rng.uniform(-wobble, wobble) for _ in range(n - 2)]
            values = [first_value, *middle, later * (n - 1) - sum(middle)]
        else:  # the latest value is the goal; the way there wobbles a little
            middle = [
                first_value + (goal - first_value) * k / (n - 1) + rng.uniform(-wobble, wobble)
                for k in range(1, n - 1)
            ]
            values = [first_value, *middle, goal]
    else:
        expected = expected_value(
            today, start=entry.start, due=due, baseline=0.0, target=target.value
        )
        total = round(spec.progress * expected)
        weights = [1.0 + 0.6 * rng.random() for _ in range(n)]
        shares = [total * w / sum(weights) for w in weights]
        values, carried = [], 0.0
        for share in shares:  # whole numbers that add up to the total exactly
            carried += share
            values.append(float(round(carried) - round(carried - share)))
    return [
        ReadingInput(item.id, metric.id, day, max(0.0, rounded(value)))
        for day, value in zip(days, values, strict=True)
    ]


def share_series(
    item: PlanItem,
    metric: Metric,
    spec: SampleSeries,
    entry: ScheduledItem,
    today: date,
    rows: list[ReadingInput],
) -> list[ReadingInput]:
    """Counts of a share metric (`denominator_metric`), one per reading of its denominator
    already made for the item: the first period answers `spec.baseline` percent (default 60),
    the later ones enough that the pooled share ends where `spec.progress` says against the
    expected line. Each count is a whole number from 0 to the period's denominator."""
    target = item.target_for(metric.id)
    below = [r for r in rows if r.item_id == item.id and r.metric_id == metric.denominator_metric]
    if target is None or not below:
        return []
    first = spec.baseline if spec.baseline is not None else 60.0
    if below[0].value > 0:  # the first period's share as whole counts make it
        first = 100 * round(below[0].value * first / 100) / below[0].value
    due = target.due_date or entry.last_day
    expected = expected_value(
        min(today, due), start=entry.start, due=due, baseline=first, target=target.value
    )
    goal = first + spec.progress * (expected - first)
    asked = [r.value for r in below]
    total, head = sum(asked), asked[0]
    later = goal if total <= head else (goal * total - first * head) / (total - head)
    shares = [first, *([later] * (len(asked) - 1))]
    counts: list[float] = []
    wanted = 0.0
    for value, share in zip(asked, shares, strict=True):  # carried so the pooled share lands
        wanted += value * share / 100
        counts.append(min(value, max(0.0, float(round(wanted)) - sum(counts))))
    return [ReadingInput(item.id, metric.id, r.date, n) for r, n in zip(below, counts, strict=True)]


def single_reading_of(
    item: PlanItem,
    metric: Metric,
    spec: SampleSeries,
    entry: ScheduledItem,
    target: Target,
    today: date,
) -> list[ReadingInput]:
    """The one reading of a `once` or `end` metric: at the due date (`end`) or halfway there
    (`once`), if that day has passed; judged, as progress does, against the target itself."""
    due = target.due_date or entry.last_day
    day = due if metric.cadence == "end" else entry.start + (due - entry.start) / 2
    if day >= today:
        return []
    known = metric.baseline.known_value if metric.baseline is not None else None
    base = target.baseline if target.baseline is not None else (known or 0.0)
    value = base + spec.progress * (target.value - base)
    value = float(round(value)) if spec.whole else round(value, 1)
    return [ReadingInput(item.id, metric.id, day, max(0.0, value))]
