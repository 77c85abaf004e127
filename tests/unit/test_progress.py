"""Progress against targets: actual, expected, progress, status, roll-ups, index and trends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, NamedTuple

import pytest

from planner.domain.adoption_index import adoption_index, index_coverage, index_label
from planner.domain.metric_figures import MetricProgress, metric_progress
from planner.domain.planning import InvalidInputError, Plan, PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.progress import item_status, plan_progress
from planner.domain.progress_wording import comparison_text, figure_text
from planner.domain.schedule import Schedule, ScheduledItem
from planner.domain.statuses import (
    AT_RISK,
    BASELINE_ONLY,
    FROM_FIRST_READING,
    FROM_TARGET,
    FROM_ZERO,
    NO_DATA,
    NO_TARGET,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
)
from planner.domain.summaries import ReadingsSummary, expected_value, lower_is_better, summarise
from planner.domain.trends import trend

START = date(2027, 1, 4)  # a Monday
LAST = START + timedelta(days=69)  # a ten-week item's last day (14 Mar 2027)
THIRD = START + timedelta(days=23)  # a third of the way to LAST


class R(NamedTuple):
    date: date
    value: float


def metric(
    metric_id: str = "sessions",
    *,
    aggregation: str = "sum",
    direction: str = "higher",
    cadence: str = "weekly",
    unit: str = "sessions",
) -> Metric:
    return Metric(
        id=metric_id,
        name=metric_id.replace("-", " ").capitalize(),
        unit=unit,
        aggregation=aggregation,
        direction=direction,
        target=10.0,
        cadence=cadence,
        definition="Counted every period by whoever runs the item, from the sign-up sheet.",
        framework="value-immediate",
    )


def item(
    *metrics: Metric, targets: list[Target] | None = None, item_id: str = "it_a", **kw: Any
) -> PlanItem:
    return PlanItem(
        id=item_id,
        plan_id="pl_x",
        title=kw.pop("title", item_id),
        duration_weeks=10,
        custom_metrics=list(metrics),
        targets=targets if targets is not None else [],
        **kw,
    )


def progress(
    m: Metric,
    readings: list[R],
    *,
    target: float | None = 100.0,
    as_of: date = THIRD,
    start: date = START,
    last_day: date = LAST,
    baseline: float | None = None,
    due: date | None = None,
    at_risk: float = 0.9,
    off_track: float = 0.7,
) -> MetricProgress:
    targets = [] if target is None else [Target(m.id, target, due_date=due, baseline=baseline)]
    return metric_progress(
        item(m, targets=targets),
        m,
        summarise(readings, as_of),
        start=start,
        last_day=last_day,
        as_of=as_of,
        at_risk_threshold=at_risk,
        off_track_threshold=off_track,
    )


def weekly(*values: float, first: date = START) -> list[R]:
    """One reading per week, on each week's Friday."""
    return [R(first + timedelta(days=4 + 7 * n), v) for n, v in enumerate(values)]


# --- the line -----------------------------------------------------------------------------------


def test_expected_is_a_straight_line_clamped_at_both_ends() -> None:
    line = {"start": START, "due": LAST, "baseline": 10.0, "target": 79.0}
    assert expected_value(START - timedelta(days=5), **line) == 10.0
    assert expected_value(START, **line) == 10.0
    assert expected_value(THIRD, **line) == pytest.approx(10 + 69 * 23 / 69)
    assert expected_value(LAST, **line) == 79.0
    assert expected_value(LAST + timedelta(days=30), **line) == 79.0
    # A zero-length item (due on its start) expects the target from its first day.
    assert expected_value(START, start=START, due=START, baseline=0.0, target=5.0) == 5.0


# --- each status ------------------------------------------------------------------------------


def test_sum_metric_on_track_at_risk_and_off_track() -> None:
    m = metric()  # sum, baseline 0, target 100 by LAST; expected at THIRD = 33.3
    on = progress(m, weekly(10, 15, 15))
    assert (on.actual, on.baseline, on.status) == (40.0, 0.0, ON_TRACK)
    assert on.expected == pytest.approx(100 / 3)
    assert on.progress == pytest.approx(1.2)
    at_risk = progress(m, weekly(10, 10, 7))
    assert at_risk.status == AT_RISK and at_risk.progress == pytest.approx(0.81)
    off = progress(m, weekly(10, 5, 5))
    assert off.status == OFF_TRACK and off.progress == pytest.approx(0.6)
    assert off.target == 100.0 and off.due == LAST and off.start == START
    assert off.last_reading == START + timedelta(days=18)


def test_thresholds_are_the_plans() -> None:
    m = metric()
    assert progress(m, weekly(10, 10, 7), at_risk=0.8, off_track=0.5).status == ON_TRACK
    assert progress(m, weekly(10, 5, 5), at_risk=0.8, off_track=0.5).status == AT_RISK
    assert progress(m, weekly(10, 5, 5), at_risk=0.95, off_track=0.65).status == OFF_TRACK


def test_exactly_on_a_threshold_counts_as_the_better_status() -> None:
    m = metric()
    # expected 33.33…: 30 is exactly 0.9 of it.
    assert progress(m, [R(THIRD, 30)], at_risk=0.9).status == ON_TRACK


def test_not_started_before_the_items_first_day() -> None:
    m = metric()
    before = progress(m, weekly(5), as_of=START - timedelta(days=1))
    assert before.status == NOT_STARTED and not before.started
    assert before.actual is None  # the reading is after the as-of date
    early = [R(START - timedelta(days=3), 4.0)]
    assert progress(m, early, as_of=START - timedelta(days=1)).actual == 4.0


def test_no_data_without_a_reading_in_the_last_two_periods() -> None:
    m = metric()
    assert progress(m, []).status == NO_DATA
    as_of = START + timedelta(days=30)  # Wednesday of week 5; the window starts week 4's Monday
    assert progress(m, weekly(10, 10), as_of=as_of).status == NO_DATA  # last one in week 2
    assert progress(m, weekly(10, 10, 10, 10), as_of=as_of).status != NO_DATA  # week 4


def test_monthly_and_quarterly_windows() -> None:
    monthly = metric(cadence="monthly")
    as_of = date(2027, 3, 10)
    assert progress(monthly, [R(date(2027, 2, 1), 50)], as_of=as_of).status != NO_DATA
    assert progress(monthly, [R(date(2027, 1, 31), 50)], as_of=as_of).status == NO_DATA
    quarterly = metric(cadence="quarterly")
    assert progress(quarterly, [R(date(2027, 1, 5), 30)], as_of=as_of).status != NO_DATA


def test_a_finished_item_keeps_the_status_it_ended_with() -> None:
    m = metric()
    long_after = LAST + timedelta(days=120)
    done = progress(m, weekly(10, 10, 10, 10, 10, 10, 10, 10, 10, 10), as_of=long_after)
    assert done.status == ON_TRACK and done.expected == 100.0 and done.actual == 100.0
    stopped_early = progress(m, weekly(50, 50), as_of=long_after)
    assert stopped_early.status == NO_DATA


def test_no_target_shows_the_actual() -> None:
    m = metric()
    row = progress(m, weekly(0, 3, 4), target=None)
    assert (row.status, row.actual, row.target, row.expected, row.progress) == (
        NO_TARGET,
        7.0,
        None,
        None,
        None,
    )
    assert progress(m, [], target=None).status == NO_DATA
    assert progress(m, weekly(3), target=None, as_of=START - timedelta(days=1)).status == (
        NOT_STARTED
    )


def test_while_nothing_is_expected_yet_a_metric_is_on_track_unless_it_went_backwards() -> None:
    latest = metric("members", aggregation="latest", unit="people")
    first_day = progress(latest, [R(START, 12)], as_of=START, target=40, baseline=12)
    assert (first_day.status, first_day.progress, first_day.baseline) == (ON_TRACK, None, 12.0)
    flat_target = progress(latest, [R(START, 12), R(THIRD, 15)], target=12)
    assert flat_target.status == ON_TRACK and flat_target.progress is None
    backwards = progress(latest, [R(START, 12), R(THIRD, 9)], target=12)
    assert backwards.status == OFF_TRACK and backwards.progress is None
    assert backwards.index_share == 0.0 and flat_target.index_share == 1.0


# --- aggregations, baselines and directions ------------------------------------------------


def test_latest_takes_the_most_recent_reading_on_or_before_the_as_of_date() -> None:
    m = metric("members", aggregation="latest", unit="people")
    readings = [R(START, 10), R(START + timedelta(days=14), 20), R(THIRD, 21), R(LAST, 99)]
    row = progress(m, readings, target=40)
    assert row.actual == 21.0 and row.baseline == 10.0  # baseline: the first reading
    assert row.expected == pytest.approx(20.0)  # 10 + (40 - 10) / 3
    assert row.progress == pytest.approx(1.1)
    assert row.last_reading == THIRD


def test_average_is_the_mean_of_the_period_values() -> None:
    m = metric("satisfaction", aggregation="average", unit="points")
    row = progress(m, weekly(60, 70, 80, 90, first=START - timedelta(days=7)), target=90)
    assert row.actual == pytest.approx(75.0) and row.baseline == 60.0
    assert row.expected == pytest.approx(70.0)
    assert row.progress == pytest.approx(1.5) and row.status == ON_TRACK


def test_an_explicit_baseline_wins_over_the_first_reading_and_over_zero() -> None:
    latest = metric("members", aggregation="latest", unit="people")
    assert progress(latest, weekly(20, 25), baseline=5, target=35).baseline == 5.0
    summed = metric()
    row = progress(summed, weekly(10, 10, 10), baseline=20)
    assert row.baseline == 20.0
    assert row.progress == pytest.approx((30 - 20) / ((100 - 20) / 3))


def test_lower_is_better_negates_both_gains() -> None:
    hours = metric("median-hours", aggregation="latest", direction="lower", unit="hours")
    # Baseline 30 h (first reading), target 8 h: expected at a third = 30 - 22/3 ≈ 22.67.
    improving = progress(hours, [R(START, 30), R(THIRD, 23)], target=8)
    assert improving.status == ON_TRACK
    assert improving.progress == pytest.approx(7 / (22 / 3))
    lagging = progress(hours, [R(START, 30), R(THIRD, 25)], target=8)
    assert lagging.status == OFF_TRACK and lagging.progress == pytest.approx(5 / (22 / 3))
    worse = progress(hours, [R(START, 30), R(THIRD, 36)], target=8)
    assert worse.status == OFF_TRACK and worse.progress is not None and worse.progress < 0
    assert worse.index_share == 0.0  # floored at 0 in the index
    assert lower_is_better("lower") and lower_is_better("lower-is-better")
    assert not lower_is_better("higher")


def test_a_lower_is_better_sum_is_judged_by_its_latest_period() -> None:
    tickets = metric("tickets", aggregation="sum", direction="lower", cadence="monthly")
    readings = [R(date(2027, 1, 29), 140), R(date(2027, 2, 26), 110), R(date(2027, 3, 12), 95)]
    row = progress(tickets, readings, target=80, as_of=date(2027, 3, 14))
    assert row.actual == 95.0 and row.baseline == 140.0 and row.expected == 80.0
    assert row.progress == pytest.approx(45 / 60) and row.status == AT_RISK


def test_readings_after_the_due_date_count_and_the_target_stays_put() -> None:
    m = metric()
    due = START + timedelta(days=27)
    late = weekly(20, 20, 20, 20, 20)  # the fifth is after the due date
    before_due = progress(m, late, due=due, as_of=due)
    assert before_due.actual == 80.0 and before_due.expected == 100.0
    assert before_due.status == AT_RISK
    after = progress(m, late, due=due, as_of=START + timedelta(days=35))
    assert after.expected == 100.0 and after.actual == 100.0 and after.status == ON_TRACK
    assert after.due == due


def test_an_item_of_zero_length() -> None:
    m = metric("launch-attendees", unit="people")
    kw: dict[str, Any] = {"last_day": START, "due": START}
    assert progress(m, [], as_of=START - timedelta(days=1), **kw).status == NOT_STARTED
    on_the_day = progress(m, [R(START, 90)], as_of=START, **kw)
    assert on_the_day.expected == 100.0 and on_the_day.status == ON_TRACK
    assert on_the_day.progress == pytest.approx(0.9)
    later = progress(m, [R(START, 60)], as_of=START + timedelta(days=20), **kw)
    assert later.status == OFF_TRACK  # judged at the item's (one-day) end


def test_an_unknown_cadence_names_the_item_and_metric() -> None:
    bad = metric(cadence="daily")
    with pytest.raises(InvalidInputError, match=r"'sessions' of item 'it_a'.*'daily'"):
        progress(bad, [])


def test_summaries_break_ties_like_the_query() -> None:
    readings = [R(START, 3), R(START, 5), R(THIRD, 1), R(THIRD, 2), R(LAST, 100)]
    assert summarise(readings, THIRD) == ReadingsSummary(4, 11.0, START, 5.0, THIRD, 2.0)
    assert summarise(readings, START - timedelta(days=1)) is None


# --- a plan -------------------------------------------------------------------------------------


def schedule(*entries: tuple[str, date, date]) -> Schedule:
    """Entries as (item id, first day, exclusive end)."""
    return Schedule(
        plan_start=START,
        entries={i: ScheduledItem(i, s, e, False, s) for i, s, e in entries},
    )


PLAN = Plan(id="pl_x", name="Rollout", start_date=START)
END = START + timedelta(weeks=10)


def test_plan_progress_rolls_items_up_and_averages_an_index() -> None:
    sessions, members = metric(), metric("members", aggregation="latest", unit="people")
    good = item(sessions, targets=[Target("sessions", 100)], item_id="it_good")
    mixed = item(
        sessions,
        members,
        targets=[Target("sessions", 100), Target("members", 40)],
        item_id="it_mixed",
    )
    silent = item(sessions, targets=[Target("sessions", 100)], item_id="it_silent")
    later = item(sessions, targets=[Target("sessions", 100)], item_id="it_later")
    dropped = item(sessions, targets=[Target("sessions", 100)], item_id="it_drop", status="dropped")
    untargeted = item(sessions, item_id="it_untargeted")
    bare = item(item_id="it_bare")
    sched = schedule(
        *((i, START, END) for i in ("it_good", "it_mixed", "it_silent", "it_drop")),
        ("it_untargeted", START, END),
        ("it_bare", START, END),
        ("it_later", START + timedelta(weeks=6), END + timedelta(weeks=6)),
    )
    readings = {
        ("it_good", "sessions"): weekly(10, 15, 15),  # 1.2
        ("it_mixed", "sessions"): weekly(10, 10, 7),  # 0.81, at risk
        ("it_mixed", "members"): [R(START, 10), R(THIRD, 14)],  # 0.4, off track
        ("it_untargeted", "sessions"): weekly(0, 0, 3),
        ("it_drop", "sessions"): weekly(1),
    }
    result = plan_progress(
        PLAN,
        [good, mixed, silent, later, dropped, untargeted, bare],
        sched,
        readings,
        THIRD,
    )
    statuses = {i.item_id: i.status for i in result.items}
    assert statuses == {
        "it_good": ON_TRACK,
        "it_mixed": OFF_TRACK,  # the worst of at risk and off track
        "it_silent": NO_DATA,
        "it_later": NOT_STARTED,
        "it_untargeted": NO_TARGET,
        "it_bare": NO_DATA,  # no metrics, nothing to show
    }
    assert "it_drop" not in {r.item_id for r in result.rows}
    assert result.row("it_mixed", "members") is not None
    assert result.row("it_mixed", "members").status == OFF_TRACK  # type: ignore[union-attr]
    # Index: the good one capped at 1, the at-risk 0.81, the off-track 0.4.
    assert result.adoption_index == pytest.approx((1.0 + 0.81 + 0.4) / 3)
    counts = result.item_counts()
    assert counts[ON_TRACK] == 1 and counts[NO_DATA] == 2 and counts[AT_RISK] == 0
    assert result.item("it_good") is not None and result.item("nope") is None


def test_summaries_from_the_database_and_raw_readings_give_the_same_answer() -> None:
    m = metric()
    it = item(m, targets=[Target("sessions", 100)])
    sched = schedule(("it_a", START, END))
    raw = plan_progress(PLAN, [it], sched, {("it_a", "sessions"): weekly(10, 15, 15)}, THIRD)
    summary = summarise(weekly(10, 15, 15), THIRD)
    assert summary is not None
    summed = plan_progress(PLAN, [it], sched, {("it_a", "sessions"): summary}, THIRD)
    assert raw == summed


def test_a_plan_not_yet_started() -> None:
    m = metric()
    items = [item(m, targets=[Target("sessions", 100)], item_id=f"it_{n}") for n in range(3)]
    sched = schedule(*((i.id, START, END) for i in items))
    result = plan_progress(PLAN, items, sched, {}, START - timedelta(days=3))
    assert {i.status for i in result.items} == {NOT_STARTED}
    assert {r.status for r in result.rows} == {NOT_STARTED}
    assert result.adoption_index is None
    assert result.item_counts()[NOT_STARTED] == 3


def test_item_roll_up_rules() -> None:
    assert item_status([ON_TRACK, AT_RISK, NO_DATA], started=True) == AT_RISK
    assert item_status([NO_DATA, NO_TARGET], started=True) == NO_DATA
    assert item_status([NO_TARGET], started=True) == NO_TARGET
    assert item_status([NOT_STARTED, NOT_STARTED], started=False) == NOT_STARTED
    assert item_status([], started=True) == NO_DATA
    assert item_status([], started=False) == NOT_STARTED


def test_the_index_caps_progress_at_one_and_floors_it_at_zero() -> None:
    m = metric()
    rows = [
        progress(m, [R(THIRD, 100)]),  # far ahead: counts 1
        progress(m, [R(THIRD, 0)]),  # 0
        replace(progress(m, [R(THIRD, 5)]), progress=-2.0),  # floored
        progress(m, []),  # no data: not counted
    ]
    assert adoption_index(rows) == pytest.approx(1 / 3)
    assert adoption_index([]) is None


# --- trends -----------------------------------------------------------------------------------


def test_a_sum_trend_runs_cumulatively_beside_the_expected_line() -> None:
    m = metric()
    it = item(m, targets=[Target("sessions", 70)])
    points = trend(
        it, m, weekly(10, 0, 15, 999), start=START, last_day=LAST, as_of=START + timedelta(days=20)
    )
    assert [p.period for p in points[:3]] == ["2027-W01", "2027-W02", "2027-W03"]
    assert len(points) == 10  # through the item's last week
    assert [p.value for p in points[:4]] == [10.0, 0.0, 15.0, None]  # 999 is after the as-of date
    assert [p.actual for p in points[:4]] == [10.0, 10.0, 25.0, None]
    assert points[0].expected == pytest.approx(70 * 6 / 69)
    assert points[-1].expected == 70.0 and points[-1].target == 70.0


def test_a_latest_trend_with_a_reading_before_the_start_and_no_target() -> None:
    m = metric("members", aggregation="latest", unit="people")
    it = item(m)
    readings = [R(START - timedelta(days=10), 5), R(START + timedelta(days=8), 9)]
    points = trend(it, m, readings, start=START, last_day=LAST, as_of=LAST)
    assert [p.period for p in points[:4]] == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert [p.actual for p in points[:4]] == [5.0, 5.0, 5.0, 9.0]
    assert points[0].value == 5.0 and points[1].value is None and points[-1].actual == 9.0
    assert {p.expected for p in points} == {None} and {p.target for p in points} == {None}


# --- what a status compares with (issue 8) -----------------------------------------------------


def test_a_first_reading_with_an_explicit_baseline_is_measured_from_that_baseline() -> None:
    members = metric("members", aggregation="latest", unit="people", cadence="monthly")
    near_due = LAST - timedelta(days=2)
    row = progress(members, [R(near_due, 88)], target=90, baseline=0, as_of=near_due)
    assert row.status == ON_TRACK
    assert row.baseline == 0 and row.baseline_source == FROM_TARGET
    assert row.progress == pytest.approx(88 / row.expected)
    assert comparison_text(row, near_due) == (
        f"88 of 90 (baseline 0, expected {round(row.expected):d} by 12 Mar 2027)"
    )


def test_a_lone_first_reading_without_a_baseline_is_baseline_only_not_off_track() -> None:
    members = metric("members", aggregation="latest", unit="people", cadence="monthly")
    near_due = LAST - timedelta(days=2)
    row = progress(members, [R(near_due, 88)], target=90, as_of=near_due)
    assert (row.status, row.progress, row.index_share) == (BASELINE_ONLY, None, None)
    assert (row.baseline, row.baseline_source) == (88, FROM_FIRST_READING)
    assert "baseline 88 from the first reading" in comparison_text(row, near_due)
    # the next reading is measured from the first one
    later = progress(members, [R(START, 40), R(near_due, 88)], target=90, as_of=near_due)
    assert later.status == ON_TRACK and later.baseline_source == FROM_FIRST_READING
    # a sum starts at 0, so its first reading is already progress
    sums = progress(metric(), [R(START, 3)], target=10, as_of=START + timedelta(days=6))
    assert sums.baseline_source == FROM_ZERO and sums.status in (ON_TRACK, AT_RISK, OFF_TRACK)
    assert item_status([BASELINE_ONLY, NO_TARGET], started=True) == BASELINE_ONLY
    assert item_status([BASELINE_ONLY, ON_TRACK], started=True) == ON_TRACK


def test_the_adoption_index_states_its_coverage() -> None:
    m = metric()
    rows = [
        progress(m, weekly(3, 3, 3), target=30),
        progress(m, [], target=30),
        progress(m, weekly(3, 3, 3), target=None),
        progress(m, weekly(3), as_of=START - timedelta(days=1)),
    ]
    coverage = index_coverage(rows)
    assert (coverage.counted, coverage.total, coverage.left_out) == (1, 4, 3)
    assert index_label(adoption_index(rows), coverage).endswith(" · 1 of 4 metrics counted")
    assert index_label(None, index_coverage([])) == "— · 0 of 0 metrics counted"


def test_figures_are_rounded_without_false_precision() -> None:
    assert figure_text(23.16666) == "23.17"
    assert figure_text(23.16666, count=True) == "23"
    assert figure_text(1234.5) == "1,234.5"
    assert figure_text(12.0) == "12"
    assert figure_text("< 5") == "< 5" and figure_text(None) == "—"


def test_a_metric_without_readings_says_so_instead_of_a_dash() -> None:
    row = progress(metric(), [], target=30)
    assert comparison_text(row, THIRD) == "no reading yet (target 30)"
