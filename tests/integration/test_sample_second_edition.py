"""The sample plan on the second-edition library: launches follow the charter and a sponsor,
single-reading metrics wait for their reading, and a CSV reading of an `end` metric is filed
and judged as one reading."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine

from planner import services
from planner.domain.readings import ReadingInput
from planner.domain.statuses import NO_DATA, NOT_STARTED, ON_TRACK
from planner.exchange.playbooks import load_default_library
from planner.services.readings import list_readings, plan_status, record_readings
from planner.services.sample import create_sample_plan

TODAY = date(2027, 3, 17)


def test_the_sample_follows_the_new_library(engine: Engine) -> None:
    library = load_default_library()
    plan = create_sample_plan(engine, library, actor="Dana", today=TODAY)
    planned = services.plan_schedule(engine, plan.id)
    assert planned.schedule.missing_prerequisites == ()
    assert planned.schedule.issues == ()
    by_tactic = {i.tactic_id: i for i in planned.items}
    entries = planned.schedule.entries
    launch = entries[by_tactic["cop-coalescing-launch"].id]
    for first in ("informal-learning-charter", "executive-sponsor-agreement"):
        assert entries[by_tactic[first].id].end <= launch.start
    status = plan_status(engine, plan.id, TODAY)
    rows = {(r.item_id, r.metric_id): r for r in status.rows}
    charter = by_tactic["informal-learning-charter"].id
    assert rows[(charter, "managers-know-allowance")].status == ON_TRACK  # its one reading
    goals = by_tactic["manager-learning-goal-conversations"].id
    assert rows[(goals, "goals-applied-at-work")].status == NOT_STARTED  # read at the end
    assert NO_DATA not in {
        r.status for r in status.rows if r.item_id == goals and r.metric.cadence == "end"
    }
    assert status.adoption_index is not None and 0.6 < status.adoption_index <= 1.0


def test_an_end_reading_is_filed_by_month_and_judged_alone(engine: Engine) -> None:
    library = load_default_library()
    plan = create_sample_plan(engine, library, actor="Dana", today=TODAY)
    items = services.plan_schedule(engine, plan.id)
    (goals, _) = [i for i in items.items if i.tactic_id == "manager-learning-goal-conversations"]
    last = items.schedule.entries[goals.id].last_day
    record_readings(
        engine,
        plan.id,
        [ReadingInput(goals.id, "goals-applied-at-work", last, 55.0)],
        actor="Dana",
        source_name="test",
    )
    row = next(
        r
        for r in plan_status(engine, plan.id, last + timedelta(days=2)).rows
        if r.item_id == goals.id and r.metric_id == "goals-applied-at-work"
    )
    assert row.status == ON_TRACK and row.actual == 55.0 and row.expected == 50.0


def test_the_sample_reports_answered_in_time_as_a_share_of_questions(engine: Engine) -> None:
    plan = create_sample_plan(engine, load_default_library(), actor="Dana", today=TODAY)
    status = plan_status(engine, plan.id, TODAY)
    shares = [r for r in status.rows if r.metric_id == "questions-answered-in-time"]
    assert len(shares) >= 2
    for row in shares:
        assert row.metric.unit == "percent" and row.target is not None and row.target <= 100
        assert row.actual is not None and 50 < row.actual <= 100, row
        assert row.status != NO_DATA
    counts: dict[tuple[str, str, str], float] = {
        (r.item_id, r.metric_id, r.period): r.value for r in list_readings(engine, plan.id)
    }
    answered = {k: v for k, v in counts.items() if k[1] == "questions-answered-in-time"}
    assert answered
    for (item, _, period), value in answered.items():
        assert value == int(value) and 0 <= value <= counts[(item, "questions", period)]


def test_a_library_without_what_the_sample_needs_refuses_it_and_writes_nothing(
    engine: Engine,
) -> None:
    """A user's playbook may replace a built-in tactic, or a library may lack one: the sample
    is then refused whole, saying what is missing, never left half made."""
    import dataclasses

    import pytest

    from planner.domain.planning import InvalidInputError
    from tests.integration.test_exchange_bundle import row_counts

    library = load_default_library()
    before = row_counts(engine)
    without = dataclasses.replace(library, tactics=dict(library.tactics))
    del without.tactics["informal-learning-charter"]
    with pytest.raises(InvalidInputError) as caught:
        create_sample_plan(engine, without, actor="Dana", today=TODAY)
    assert "the tactic 'informal-learning-charter' is not in the playbook library" in str(
        caught.value
    )
    assert "nothing was created" in str(caught.value)

    goals = library.tactics["manager-learning-goal-conversations"]
    trimmed = dataclasses.replace(library, tactics=dict(library.tactics))
    trimmed.tactics[goals.id] = goals.model_copy(
        update={"metrics": [m for m in goals.metrics if m.id != "goals-applied-at-work"]}
    )
    with pytest.raises(InvalidInputError, match="has no metric 'goals-applied-at-work'"):
        create_sample_plan(engine, trimmed, actor="Dana", today=TODAY)
    assert row_counts(engine) == before
    # the whole library still loads it
    create_sample_plan(engine, library, actor="Dana", today=TODAY)
