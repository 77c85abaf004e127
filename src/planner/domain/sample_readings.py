"""The sample plan's readings, drawn from its series records (planner.domain.sample_plan).

Readings run from three weeks before the plan's start (baselines) to the day before `today`:
twelve weeks and more. Each series is drawn (with a random generator seeded by `today`, so the
same day gives the same plan) to end where its `progress` says against the expected line as of
`today`, so the statuses come out as designed whatever the day. Pure: plan items and their
schedule in, reading records out; imports only domain modules.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from planner.domain.periods import periods_between, single_reading
from planner.domain.planning import PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.progress import expected_value, uses_latest_value
from planner.domain.readings import ReadingInput
from planner.domain.sample_plan import COMMUNITY, CONTRIBUTORS, SERIES, SampleSeries
from planner.domain.schedule import ScheduledItem


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
