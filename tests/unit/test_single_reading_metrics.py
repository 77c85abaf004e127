"""Metric sources, baselines and denominators; `once` and `end` cadences in periods and progress."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
from pydantic import ValidationError

from planner.domain.metric_figures import metric_progress
from planner.domain.periods import CADENCES, filing_cadence, parse_period, period_of, single_reading
from planner.domain.planning import Plan, PlanItem, Target
from planner.domain.playbook import Baseline, Metric, MetricSource
from planner.domain.progress import item_status, plan_progress
from planner.domain.schedule import Schedule, ScheduledItem
from planner.domain.statuses import NO_DATA, NOT_STARTED, OFF_TRACK, ON_TRACK
from planner.domain.summaries import summarise
from planner.domain.trends import trend
from planner.exchange.playbooks import BUILTIN_DIR, load_library

START = date(2027, 1, 4)  # a Monday
LAST = START + timedelta(weeks=12) - timedelta(days=1)  # a twelve-week item


class R(NamedTuple):
    date: date
    value: float


def end_metric(
    *, cadence: str = "end", direction: str = "higher", baseline: Baseline | None = None
) -> Metric:
    return Metric(
        id="confidence",
        name="Participants confident to apply the skill",
        unit="percent",
        aggregation="average",
        direction=direction,
        target=80.0,
        cadence=cadence,
        definition="Share of respondents to the closing survey who answer 4 or 5 of 5.",
        framework="kirkpatrick-2",
        baseline=baseline,
        denominator="respondents to the closing survey",
    )


def row(m: Metric, readings: list[R], as_of: date, *, target: float = 80.0, **kw: object):
    it = PlanItem(
        id="it_a",
        plan_id="pl_x",
        title="Circles",
        duration_weeks=12,
        custom_metrics=[m],
        targets=[Target(m.id, target, **kw)],  # type: ignore[arg-type]
    )
    return metric_progress(
        it, m, summarise(readings, as_of), start=START, last_day=LAST, as_of=as_of
    )


def test_once_and_end_are_cadences_filed_by_month() -> None:
    assert {"once", "end"} <= set(CADENCES)
    assert single_reading("end") and single_reading("once") and not single_reading("monthly")
    assert filing_cadence("end") == "monthly" and filing_cadence("weekly") == "weekly"
    period = period_of(date(2027, 3, 31), "end")
    assert period.key == "2027-03"
    assert parse_period(period.key) == ("monthly", period)


@pytest.mark.parametrize("cadence", ["end", "once"])
def test_a_single_reading_metric_waits_instead_of_showing_no_data(cadence: str) -> None:
    m = end_metric(cadence=cadence)
    for weeks in (1, 5, 11):  # a monthly metric would be "no data" from week 9
        assert row(m, [], START + timedelta(weeks=weeks)).status == NOT_STARTED
    assert row(m, [], LAST).status == NO_DATA  # due, and no reading came
    assert row(m, [], LAST + timedelta(days=90)).status == NO_DATA


def test_the_one_reading_is_judged_against_the_target_not_a_line() -> None:
    m = end_metric()
    done = row(m, [R(LAST, 76.0)], LAST + timedelta(days=3))
    # Baseline 0 for a higher-is-better metric without one: 76 / 80 = 0.95.
    assert done.status == ON_TRACK and done.expected == 80.0
    assert done.progress == pytest.approx(0.95)
    short = row(m, [R(LAST, 50.0)], LAST + timedelta(days=3))
    assert short.status == OFF_TRACK
    # Read early (before the due date) it still counts, against the whole target.
    early = row(m, [R(START + timedelta(weeks=6), 80.0)], START + timedelta(weeks=7))
    assert early.status == ON_TRACK and early.actual == 80.0


def test_the_playbook_baseline_counts_unless_the_target_names_one() -> None:
    m = end_metric(baseline=Baseline(rule="value", value=60.0, note="last year's survey"))
    r = row(m, [R(LAST, 70.0)], LAST)
    assert r.baseline == 60.0 and r.progress == pytest.approx(0.5) and r.status == OFF_TRACK
    r = row(m, [R(LAST, 70.0)], LAST, baseline=65.0)
    assert r.baseline == 65.0 and r.progress == pytest.approx(1 / 3)


def test_lower_is_better_without_a_baseline_compares_with_the_target() -> None:
    m = end_metric(direction="lower")
    assert row(m, [R(LAST, 79.0)], LAST).status == ON_TRACK
    assert row(m, [R(LAST, 81.0)], LAST).status == OFF_TRACK
    assert row(m, [R(LAST, 81.0)], LAST).progress is None


def test_an_item_waiting_only_for_single_readings_is_not_started() -> None:
    assert item_status([NOT_STARTED, NOT_STARTED], started=True) == NOT_STARTED
    m = end_metric()
    it = PlanItem(
        id="it_a",
        plan_id="pl_x",
        title="Circles",
        duration_weeks=12,
        custom_metrics=[m],
        targets=[Target(m.id, 80.0)],
    )
    end = LAST + timedelta(days=1)
    schedule = Schedule(
        plan_start=START, entries={"it_a": ScheduledItem("it_a", START, end, False, START)}
    )
    plan = Plan(id="pl_x", name="P", start_date=START)
    mid = plan_progress(plan, [it], schedule, {}, START + timedelta(weeks=10))
    assert mid.items[0].status == NOT_STARTED and mid.adoption_index is None
    after = plan_progress(plan, [it], schedule, {("it_a", m.id): [R(LAST, 80.0)]}, LAST)
    assert after.items[0].status == ON_TRACK and after.adoption_index == 1.0


def test_the_trend_of_an_end_metric_shows_the_target_only_from_the_due_date() -> None:
    m = end_metric()
    it = PlanItem(
        id="it_a",
        plan_id="pl_x",
        title="Circles",
        duration_weeks=12,
        custom_metrics=[m],
        targets=[Target(m.id, 80.0)],
    )
    points = trend(it, m, [R(LAST, 70.0)], start=START, last_day=LAST, as_of=LAST)
    assert [p.period for p in points] == ["2027-01", "2027-02", "2027-03"]
    assert [p.expected for p in points] == [None, None, 80.0]
    assert points[-1].actual == 70.0 and points[0].actual is None


# --- the schema ---------------------------------------------------------------------------


def test_a_baseline_rule_carries_what_it_needs() -> None:
    assert Baseline(rule="first-weeks", weeks=4).known_value is None
    assert Baseline(rule="zero").known_value == 0.0
    assert Baseline(rule="value", value=12.5).known_value == 12.5
    assert Baseline(rule="before-start", note="the pre-survey").known_value is None
    with pytest.raises(ValidationError, match="needs its value"):
        Baseline(rule="value")
    with pytest.raises(ValidationError, match="needs 'weeks'"):
        Baseline(rule="first-weeks")
    with pytest.raises(ValidationError, match="belongs to"):
        Baseline(rule="zero", weeks=3)


def test_a_source_says_what_who_and_when() -> None:
    s = MetricSource(kind="log", name="the circle sign-up sheet", collected_by="ld-partner",
                     when="each Friday")  # fmt: skip
    assert s.kind == "log"
    with pytest.raises(ValidationError):
        MetricSource(kind="rumour", name="x", collected_by="ld-partner", when="y")  # type: ignore[arg-type]


TACTIC = """\
title: T
tactics:
  - id: t
    title: T
    summary: A tactic.
    category: coaching
    purposes: [build-proficiency]
    practices: [clarify-goals]
    audiences: [employees]
    owner_role: ld-partner
    effort_hours_per_week: 1
    duration_weeks: 6
    outcomes: [{outcome}]
    steps:
      - {{week: 0, text: One.}}
      - {{week: 1, text: Two.}}
      - {{week: 2, text: Three.}}
    metrics:
      - id: m
        name: M
        unit: percent
        aggregation: latest
        direction: higher
        target: 50
        cadence: end
        definition: A long enough definition of the metric here.
        framework: kirkpatrick-4
        source: {{kind: survey, name: closing pulse, collected_by: {who}, when: last week}}
        baseline: {baseline}
        denominator: respondents
    references:
      - title: R
"""


def _load(tmp_path: Path, **kw: str):
    values = {"outcome": "time-to-proficiency", "who": "ld-partner", "baseline": "{rule: zero}"}
    values.update(kw)
    (tmp_path / "t.yaml").write_text(TACTIC.format(**values), encoding="utf-8")
    return load_library([tmp_path])


def test_a_complete_metric_loads(tmp_path: Path) -> None:
    lib = _load(tmp_path)
    assert [str(p) for p in lib.problems] == []
    m = lib.tactics["t"].metrics[0]
    assert m.source is not None and m.source.kind == "survey"
    assert m.baseline == Baseline(rule="zero") and m.denominator == "respondents"
    assert lib.tactics["t"].outcomes == ["time-to-proficiency"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outcome": "profit"}, "unknown outcome measure id 'profit'"),
        ({"who": "the-boss"}, "unknown owner role id 'the-boss'"),
        ({"baseline": "{rule: value}"}, "a baseline with rule 'value' needs its value"),
        ({"baseline": "{rule: first-weeks, weeks: 6}"}, "expected fewer than the tactic's 6"),
        ({"baseline": "{rule: guess}"}, "baseline.rule"),
    ],
)
def test_a_broken_metric_is_located(tmp_path: Path, change: dict[str, str], message: str) -> None:
    lib = _load(tmp_path, **change)
    text = "\n".join(str(p) for p in lib.problems)
    assert message in text, text
    assert "t.yaml:" in text
    assert "t" not in lib.tactics


def test_outcome_measures_have_baseline_and_attribution() -> None:
    tax = load_library([BUILTIN_DIR]).taxonomy
    assert len(tax.outcome_measures) >= 5
    for o in tax.outcome_measures:
        assert o.baseline is not None and len(o.attribution) >= 40, o.id
        assert o.source.collected_by in tax.ids("owner_roles"), o.id
        assert o.direction in tax.ids("directions"), o.id


def test_provenance_says_where_who_when_start_and_out_of_what() -> None:
    from planner.exchange.playbooks import metric_provenance

    lib = load_library([BUILTIN_DIR])
    m = end_metric(baseline=Baseline(rule="first-weeks", weeks=4, note="The first two sessions."))
    m = m.model_copy(
        update={
            "source": MetricSource(
                kind="survey", name="the closing pulse", collected_by="ld-partner", when="week 12"
            )
        }
    )
    line = metric_provenance(m, lib.taxonomy)
    assert line == (
        "from the closing pulse (survey; L&D partner, week 12); baseline from the first 4 "
        "weeks: The first two sessions.; out of respondents to the closing survey"
    )
    assert (
        metric_provenance(end_metric().model_copy(update={"denominator": None}), lib.taxonomy) == ""
    )


def test_a_series_whose_data_start_later_waits_until_then() -> None:
    m = end_metric(cadence="weekly").model_copy(update={"readings_from_week": 3})
    assert row(m, [], START + timedelta(days=10)).status == NOT_STARTED  # the channel opens week 3
    assert row(m, [], START + timedelta(weeks=3, days=1)).status == NO_DATA
    early = row(m, [R(START + timedelta(days=9), 40.0)], START + timedelta(days=10))
    assert early.status != NOT_STARTED  # a reading counts whenever it comes
    plain = end_metric(cadence="weekly")
    assert row(plain, [], START + timedelta(days=10)).status == NO_DATA


def test_readings_from_week_must_fall_inside_the_tactic(tmp_path: Path) -> None:
    body = TACTIC.replace(
        "        denominator: respondents\n",
        "        denominator: respondents\n        readings_from_week: 6\n",
    )
    (tmp_path / "t.yaml").write_text(
        body.format(outcome="time-to-proficiency", who="ld-partner", baseline="{rule: zero}"),
        encoding="utf-8",
    )
    lib = load_library([tmp_path])
    text = "\n".join(str(p) for p in lib.problems)
    assert "readings_from_week: found week 6, expected a week before the tactic ends" in text
