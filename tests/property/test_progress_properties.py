"""Progress statuses (`domain.progress`) for any metric, target, readings, dates and thresholds.

- never "on track" when progress is below the at-risk threshold, never "off track" at or above
  the off-track threshold, and a progress figure only with one of those tracked statuses;
- every status is one of STATUSES, for a metric and for the item it rolls up into;
- the adoption index is in 0..1, or None exactly when no metric counts, and its coverage
  counts the tracked rows out of every row of the items that are not dropped.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from planner.domain.metric_figures import metric_progress
from planner.domain.periods import CADENCES
from planner.domain.planning import Plan, PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.progress import plan_progress
from planner.domain.schedule import ScheduleItem, compute_schedule
from planner.domain.statuses import OFF_TRACK, ON_TRACK, STATUSES, TRACKED, WORK_STATUSES
from planner.domain.summaries import summarise
from tests.property.conftest import examples

START = date(2027, 1, 4)
VALUES = st.floats(-1_000, 1_000, allow_nan=False) | st.integers(-50, 200).map(float)


class R:
    def __init__(self, day: date, value: float) -> None:
        self.date, self.value = day, value


def _metric(metric_id: str, aggregation: str, direction: str, cadence: str) -> Metric:
    return Metric(
        id=metric_id,
        name=metric_id.capitalize(),
        unit="sessions",
        aggregation=aggregation,
        direction=direction,
        target=10.0,
        cadence=cadence,
        definition="Counted every period by whoever runs the item, from the sign-up sheet.",
        framework="value-immediate",
    )


metrics = st.builds(
    _metric,
    st.sampled_from(["m1", "m2", "m3"]),
    st.sampled_from(["sum", "latest", "average"]),
    st.sampled_from(["higher", "lower"]),
    st.sampled_from(CADENCES),
)
days = st.integers(-60, 400).map(lambda d: START + timedelta(days=d))
readings = st.lists(st.builds(R, days, VALUES), max_size=6)


@st.composite
def thresholds(draw: st.DrawFn) -> tuple[float, float]:
    """(at risk, off track) as a plan allows them: 0 < off track < at risk <= 1."""
    at_risk = draw(st.floats(0.02, 1.0))
    off_track = draw(st.floats(0.01, at_risk, exclude_max=True))
    return at_risk, off_track


targets = st.none() | st.tuples(VALUES, st.none() | days, st.none() | VALUES)


def _check_row(row: object, at_risk: float, off_track: float) -> None:
    status, progress = row.status, row.progress  # type: ignore[attr-defined]
    assert status in STATUSES
    if progress is not None:
        assert status in TRACKED
        if progress < at_risk:
            assert status != ON_TRACK, (progress, at_risk)
        if progress >= off_track:
            assert status != OFF_TRACK, (progress, off_track)
    share = row.index_share  # type: ignore[attr-defined]
    assert (share is None) == (status not in TRACKED)
    assert share is None or 0.0 <= share <= 1.0


@examples(400)
@given(metrics, targets, readings, st.integers(1, 30), days, thresholds())
@example(
    _metric("m1", "latest", "higher", "once"),
    (10.0, None, 0.0),
    [R(START, 8.95)],
    2,
    START + timedelta(days=30),
    (0.9, 0.7),
)
def test_a_metric_is_on_track_only_at_or_above_the_at_risk_threshold(
    metric: Metric,
    target: tuple[float, date | None, float | None] | None,
    found: list[R],
    weeks: int,
    as_of: date,
    limits: tuple[float, float],
) -> None:
    at_risk, off_track = limits
    targets = [] if target is None else [Target(metric.id, target[0], target[1], target[2])]
    item = PlanItem(
        id="it_a",
        plan_id="pl_x",
        title="Item",
        duration_weeks=weeks,
        custom_metrics=[metric],
        targets=targets,
    )
    last_day = max(START, START + timedelta(weeks=weeks) - timedelta(days=1))
    row = metric_progress(
        item,
        metric,
        summarise(found, as_of),
        start=START,
        last_day=last_day,
        as_of=as_of,
        at_risk_threshold=at_risk,
        off_track_threshold=off_track,
    )
    _check_row(row, at_risk, off_track)


@st.composite
def plans(draw: st.DrawFn) -> tuple[Plan, list[PlanItem], dict[tuple[str, str], list[R]]]:
    at_risk, off_track = draw(thresholds())
    plan = Plan(
        id="pl_x",
        name="Plan",
        start_date=START,
        at_risk_threshold=at_risk,
        off_track_threshold=off_track,
    )
    items: list[PlanItem] = []
    found: dict[tuple[str, str], list[R]] = {}
    for k in range(draw(st.integers(0, 5))):
        chosen = draw(st.lists(metrics, max_size=3, unique_by=lambda m: m.id))
        item_targets = [
            Target(m.id, t[0], t[1], t[2]) for m in chosen if (t := draw(targets)) is not None
        ]
        item = PlanItem(
            id=f"it_{k}",
            plan_id=plan.id,
            position=k,
            title=f"Item {k}",
            duration_weeks=draw(st.integers(1, 20)),
            status=draw(st.sampled_from(WORK_STATUSES)),
            pinned_start=draw(st.none() | days),
            custom_metrics=chosen,
            targets=item_targets,
        )
        items.append(item)
        for m in chosen:
            found[(item.id, m.id)] = draw(readings)
    return plan, items, found


@examples(150)
@given(plans(), days)
def test_the_adoption_index_is_a_fraction_with_consistent_coverage(
    planned: tuple[Plan, list[PlanItem], dict[tuple[str, str], list[R]]], as_of: date
) -> None:
    plan, items, found = planned
    schedule = compute_schedule(
        plan.start_date,
        [
            ScheduleItem(
                i.id, i.title, None, "", (), i.duration_weeks, i.pinned_start, status=i.status
            )
            for i in items
        ],
    )
    progress = plan_progress(plan, items, schedule, found, as_of)

    for row in progress.rows:
        _check_row(row, plan.at_risk_threshold, plan.off_track_threshold)
    live = [i for i in items if i.status != "dropped"]
    assert len(progress.rows) == sum(len(i.metrics) for i in live)
    assert [i.item_id for i in progress.items] == [i.id for i in live]
    for rolled in progress.items:
        assert rolled.status in STATUSES
        tracked = [m.status for m in rolled.metrics if m.status in TRACKED]
        if tracked:
            assert rolled.status in tracked  # the worst of them
    counts = progress.item_counts()
    assert set(counts) == set(STATUSES) and sum(counts.values()) == len(live)

    coverage = progress.coverage
    assert coverage.total == len(progress.rows)
    assert coverage.counted == sum(r.status in TRACKED for r in progress.rows)
    assert 0 <= coverage.counted <= coverage.total
    assert coverage.left_out == coverage.total - coverage.counted
    index = progress.adoption_index
    if coverage.counted == 0:
        assert index is None
        assert progress.index_text.startswith("—")
    else:
        assert index is not None and 0.0 <= index <= 1.0
        shares = [r.index_share for r in progress.rows if r.index_share is not None]
        assert len(shares) == coverage.counted
        assert abs(index - sum(shares) / len(shares)) < 1e-12
