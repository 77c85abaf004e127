"""Shares of two counts (`denominator_metric`): questions answered in time as a percent of the
questions asked, computed from the two count readings, never a raw count a bigger group wins."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from planner.domain.metric_figures import metric_progress
from planner.domain.planning import Plan, PlanItem, Target
from planner.domain.playbook import Metric
from planner.domain.progress import plan_progress
from planner.domain.progress_wording import comparison_text, is_count
from planner.domain.schedule import Schedule, ScheduledItem
from planner.domain.statuses import BASELINE_ONLY, NO_DATA, NOT_STARTED, OFF_TRACK, ON_TRACK
from planner.domain.summaries import share_summary, summarise
from planner.domain.trends import trend
from planner.exchange.playbooks import BUILTIN_DIR, load_library
from planner.services.readings import HEALTH_METRICS, metric_label, value_problem

START = date(2027, 1, 4)  # a Monday
LAST = START + timedelta(days=69)
AS_OF = START + timedelta(days=40)  # the Saturday of the sixth week


class R(NamedTuple):
    date: date
    value: float


def weekly(*values: float) -> list[R]:
    return [R(START + timedelta(days=4 + 7 * n), v) for n, v in enumerate(values)]


QUESTIONS = Metric(
    id="questions",
    name="Questions asked",
    unit="questions",
    aggregation="sum",
    direction="higher",
    target=60,
    cadence="weekly",
    definition="Count the questions posted in the channel during the week.",
    framework="community-health",
)
ANSWERED = Metric(
    id="questions-answered-in-time",
    name="Share answered within 24 hours",
    unit="percent",
    aggregation="sum",
    direction="higher",
    target=80,
    cadence="weekly",
    definition="Count the week's questions answered within 24 hours by someone else.",
    framework="community-health",
    response_hours=24,
    denominator="questions asked in the same weeks",
    denominator_metric="questions",
)


def item(target: float = 80.0, baseline: float | None = None) -> PlanItem:
    return PlanItem(
        id="it_a",
        plan_id="pl_x",
        title="Ask an expert",
        duration_weeks=10,
        custom_metrics=[QUESTIONS, ANSWERED],
        targets=[Target(ANSWERED.id, target, baseline=baseline)],
    )


def test_the_share_is_answered_over_asked_so_far_not_a_count() -> None:
    answered, asked = weekly(3, 6, 8, 9, 9, 10), weekly(5, 8, 10, 10, 10, 11)
    s = share_summary(summarise(answered, AS_OF), summarise(asked, AS_OF), "weekly")
    assert s is not None
    assert s.last_value == pytest.approx(100 * 45 / 54)  # pooled over the six weeks
    assert s.first_value == pytest.approx(60.0)  # week 1: 3 of 5
    row = metric_progress(
        item(),
        ANSWERED,
        summarise(answered, AS_OF),
        start=START,
        last_day=LAST,
        as_of=AS_OF,
        denominator=summarise(asked, AS_OF),
    )
    assert row.actual == pytest.approx(83.33, abs=0.01)
    assert row.baseline == pytest.approx(60.0)
    assert row.status == ON_TRACK
    # A group twice the size answering the same share is on the same figure.
    doubled = metric_progress(
        item(),
        ANSWERED,
        summarise([R(r.date, 2 * r.value) for r in answered], AS_OF),
        start=START,
        last_day=LAST,
        as_of=AS_OF,
        denominator=summarise([R(r.date, 2 * r.value) for r in asked], AS_OF),
    )
    assert doubled.actual == pytest.approx(row.actual)
    assert not is_count(ANSWERED) and is_count(QUESTIONS)
    assert comparison_text(row, AS_OF).startswith("83.33 of 80")


def test_a_share_without_its_denominator_has_no_data() -> None:
    answered = weekly(3, 6, 8, 9, 9, 10)
    row = metric_progress(
        item(),
        ANSWERED,
        summarise(answered, AS_OF),
        start=START,
        last_day=LAST,
        as_of=AS_OF,
    )
    assert (row.actual, row.status) == (None, NO_DATA)
    # No question asked at all: no share to speak of either.
    zero = share_summary(summarise(answered, AS_OF), summarise(weekly(0, 0), AS_OF), "weekly")
    assert zero is None


def test_a_share_is_only_as_current_as_both_counts() -> None:
    answered, asked = weekly(3, 6, 8, 9, 9, 10), weekly(5, 8, 10)  # asked stopped in week 3
    row = metric_progress(
        item(),
        ANSWERED,
        summarise(answered, AS_OF),
        start=START,
        last_day=LAST,
        as_of=AS_OF,
        denominator=summarise(asked, AS_OF),
    )
    assert row.last_reading == START + timedelta(days=18)
    assert row.status == NO_DATA


def test_the_first_week_alone_is_only_a_baseline() -> None:
    row = metric_progress(
        item(),
        ANSWERED,
        summarise(weekly(3), AS_OF),
        start=START,
        last_day=LAST,
        as_of=START + timedelta(days=5),
        denominator=summarise(weekly(5), AS_OF),
    )
    assert (row.actual, row.status) == (60.0, BASELINE_ONLY)


def test_a_falling_share_is_off_track_whatever_the_counts_do() -> None:
    # More questions answered every week, but a shrinking share of a growing number asked.
    answered, asked = weekly(4, 5, 6, 7, 8, 9), weekly(5, 10, 15, 20, 25, 30)
    row = metric_progress(
        item(),
        ANSWERED,
        summarise(answered, AS_OF),
        start=START,
        last_day=LAST,
        as_of=AS_OF,
        denominator=summarise(asked, AS_OF),
    )
    assert row.actual == pytest.approx(100 * 39 / 105)
    assert row.status == OFF_TRACK


def test_plan_progress_takes_the_denominator_from_the_same_item() -> None:
    plan = Plan(id="pl_x", name="Rollout", start_date=START)
    sched = Schedule(
        plan_start=START, entries={"it_a": ScheduledItem("it_a", START, LAST, False, START)}
    )
    readings = {
        ("it_a", "questions"): weekly(5, 8, 10, 10, 10, 11),
        ("it_a", "questions-answered-in-time"): weekly(3, 6, 8, 9, 9, 10),
    }
    raw = plan_progress(plan, [item()], sched, readings, AS_OF)
    row = raw.row("it_a", "questions-answered-in-time")
    assert row is not None and row.actual == pytest.approx(100 * 45 / 54)
    summed = plan_progress(
        plan, [item()], sched, {k: summarise(v, AS_OF) for k, v in readings.items()}, AS_OF
    )
    assert summed == raw
    before = plan_progress(plan, [item()], sched, readings, START - timedelta(days=1))
    assert before.rows[1].status == NOT_STARTED


def test_the_trend_shows_each_weeks_share_and_the_share_so_far() -> None:
    answered, asked = weekly(3, 6, 8), weekly(5, 8, 10)
    points = trend(
        item(),
        ANSWERED,
        answered,
        start=START,
        last_day=LAST,
        as_of=START + timedelta(days=20),
        denominator=asked,
    )
    assert [p.value for p in points[:3]] == pytest.approx([60.0, 75.0, 80.0])
    assert points[1].actual == pytest.approx(100 * 9 / 13)
    assert points[2].actual == pytest.approx(100 * 17 / 23)
    assert points[3].value is None and points[3].actual is None  # after the as-of date
    assert points[-1].expected == 80.0 and points[0].expected is not None


def test_the_reserved_metric_is_a_share_of_questions_everywhere() -> None:
    lib = load_library([BUILTIN_DIR])
    (reserved,) = [h for h in lib.taxonomy.health_metrics if h.id == ANSWERED.id]
    assert (reserved.unit, reserved.denominator_metric) == ("percent", "questions")
    assert HEALTH_METRICS[ANSWERED.id].denominator_metric == "questions"
    used = [m for t in lib.tactics.values() for m in t.metrics if m.id == ANSWERED.id]
    assert len(used) >= 3
    for m in used:
        assert m.is_share and m.unit == "percent" and 0 < m.target <= 100 and m.denominator
    assert "count" in metric_label(ANSWERED) and "percent of questions" in metric_label(ANSWERED)
    assert value_problem(ANSWERED, -1) == "-1 counted: a count cannot be negative"


SHARE_YAML = """\
title: Test playbook
tactics:
  - id: alpha
    title: Alpha
    summary: A channel where experts answer questions.
    category: community
    purposes: [undocumented-challenges]
    practices: [social-tools]
    audiences: [employees]
    owner_role: ld-partner
    effort_hours_per_week: 2
    duration_weeks: 8
    steps:
      - {week: 0, text: "Open the channel and name the experts on the rota."}
      - {week: 1, text: "Post the first three questions yourself."}
      - {week: 3, text: "Review the unanswered questions with the experts."}
    metrics:
      - id: asked
        name: Questions asked
        unit: questions
        aggregation: sum
        direction: higher
        target: 40
        cadence: weekly
        definition: Count the questions posted in the channel in the week.
        framework: value-immediate
      - id: answered
        name: Share answered in a day
        unit: percent
        aggregation: sum
        direction: higher
        target: 80
        cadence: weekly
        denominator: questions asked in the same weeks
        denominator_metric: asked
        definition: Count the week's questions answered within a day by someone else.
        framework: value-immediate
    references:
      - title: A book
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, ""),
        (
            {"denominator_metric: asked": "denominator_metric: answered"},
            "denominator_metric: found 'answered' (itself), expected the id of another count",
        ),
        (
            {"denominator_metric: asked": "denominator_metric: replies"},
            "denominator_metric: found 'replies' (no metric of the tactic)",
        ),
        (
            {"target: 80": "target: 130"},
            "metrics[1].target: found 130, expected a percent from 0 to 100",
        ),
        (
            {"unit: percent": "unit: questions"},
            "metrics[1].unit: found 'questions', expected 'percent'",
        ),
        (
            {"        denominator: questions asked in the same weeks\n": ""},
            "metrics[1].denominator: missing 'denominator': a share says in words",
        ),
        (
            {"aggregation: sum\n        direction: higher\n        target: 40": (
                "aggregation: latest\n        direction: higher\n        target: 40"
            )},
            "denominator_metric: found 'asked', expected a count metric (aggregation 'sum'",
        ),
    ],
)  # fmt: skip
def test_a_share_metric_is_checked(tmp_path: Path, change: dict[str, str], message: str) -> None:
    text = SHARE_YAML
    for old, new in change.items():
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    found = [str(p) for p in load_library([tmp_path]).problems]
    if not message:
        assert found == []
    else:
        assert len(found) == 1 and message in found[0], found


def test_the_reserved_share_must_keep_its_denominator(tmp_path: Path) -> None:
    text = SHARE_YAML.replace("id: answered", "id: questions-answered-in-time")
    text = text.replace("denominator_metric: asked\n", "response_hours: 24\n")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (found,) = [str(p) for p in load_library([tmp_path]).problems]
    assert "found denominator_metric None, expected 'questions'" in found


def test_a_monthly_share_sums_a_weekly_denominator_within_each_month() -> None:
    monthly = ANSWERED.model_copy(update={"cadence": "monthly"})
    it = PlanItem(
        id="it_a",
        plan_id="pl_x",
        title="Maturing community",
        duration_weeks=10,
        custom_metrics=[QUESTIONS, monthly],
        targets=[Target(monthly.id, 90.0)],
    )
    answered = [R(date(2027, 1, 29), 15.0), R(date(2027, 2, 26), 18.0)]
    asked = weekly(5, 5, 5, 5, 5, 5, 5, 5)  # four weeks in January, four in February
    points = trend(
        it,
        monthly,
        answered,
        start=START,
        last_day=LAST,
        as_of=date(2027, 2, 27),
        denominator=asked,
    )
    assert [p.value for p in points[:2]] == pytest.approx([75.0, 90.0])
    assert points[1].actual == pytest.approx(100 * 33 / 40)
