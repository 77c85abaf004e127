"""services.portfolio_workload: drafts on request, the window, custom items' own hours."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from planner import services
from planner.domain.planning import Plan
from planner.errors import PlannerError

MONDAY = date(2027, 1, 4)


def plan_with_custom_item(
    engine: Engine, name: str, owner_id: str, hours: float | None, *, active: bool
) -> Plan:
    plan = services.create_plan(engine, name=name, actor="dana", start_date=MONDAY)
    services.add_custom_item(
        engine,
        plan.id,
        title=f"{name} work",
        expected_version=plan.version,
        actor="dana",
        owner_id=owner_id,
        duration_weeks=3,
        effort_hours_per_week=hours,
    )
    if active:
        return services.set_plan_status(
            engine, plan.id, "active", expected_version=plan.version + 1, actor="dana"
        )
    return services.get_plan(engine, plan.id)


def test_drafts_count_only_when_asked_and_custom_items_carry_their_hours(engine: Engine) -> None:
    ana = services.add_person(engine, name="Ana", actor="dana", capacity_hours_per_week=4)
    plan_with_custom_item(engine, "Live", ana.id, 3, active=True)
    plan_with_custom_item(engine, "Idea", ana.id, 2, active=False)
    window = (MONDAY, MONDAY + timedelta(weeks=3))

    live, _ = services.portfolio_workload(engine, weeks=window)
    assert live.hours_for(ana.id, MONDAY) == 3.0 and live.people_over == ()

    what_if, items = services.portfolio_workload(engine, weeks=window, include_drafts=True)
    assert what_if.hours_for(ana.id, MONDAY) == 5.0
    [over] = what_if.people_over
    assert over.weeks == (MONDAY, MONDAY + timedelta(weeks=1), MONDAY + timedelta(weeks=2))
    assert {i.plan_name for i in over.items} == {"Live", "Idea"}
    assert {i.plan_name for i in items} == {"Live", "Idea"}


def test_the_window_chooses_the_weeks(engine: Engine) -> None:
    ana = services.add_person(engine, name="Ana", actor="dana")
    plan_with_custom_item(engine, "Live", ana.id, 1, active=True)
    later = MONDAY + timedelta(weeks=30)
    workload, _ = services.portfolio_workload(engine, weeks=(later, later + timedelta(weeks=51)))
    assert workload.weeks[0] == later and len(workload.weeks) == 52
    assert workload.hours_for(ana.id, later) == 0.0


def test_a_window_past_the_limit_or_backwards_is_refused(engine: Engine) -> None:
    limit = services.MAX_WORKLOAD_WEEKS
    ok = (MONDAY, MONDAY + timedelta(weeks=limit - 1))
    assert len(services.portfolio_workload(engine, weeks=ok)[0].weeks) == limit
    with pytest.raises(PlannerError, match=f"longer than {limit} weeks"):
        services.portfolio_workload(engine, weeks=(MONDAY, MONDAY + timedelta(weeks=limit)))
    with pytest.raises(PlannerError, match=r"ends .* before it starts"):
        services.portfolio_workload(engine, weeks=(MONDAY, MONDAY - timedelta(days=1)))


def test_an_item_edited_to_its_own_hours_counts_them_and_the_log_says_so(engine: Engine) -> None:
    from planner.domain.planning import ItemChange
    from planner.exchange.playbooks import load_default_library

    ana = services.add_person(engine, name="Ana", actor="dana", capacity_hours_per_week=10)
    plan = services.create_plan(engine, name="Live", actor="dana", start_date=MONDAY)
    tactic = next(iter(load_default_library().tactics.values()))
    [item] = services.add_tactic_items(
        engine, plan.id, [tactic], expected_version=1, actor="dana", owner_id=ana.id
    )
    plan = services.set_plan_status(engine, plan.id, "active", expected_version=2, actor="dana")
    window = (MONDAY, MONDAY)
    before, _ = services.portfolio_workload(engine, weeks=window)
    assert before.hours_for(ana.id, MONDAY) == tactic.effort_hours_per_week

    services.update_items(
        engine,
        plan.id,
        [ItemChange(item.id, {"effort_hours_per_week": 2.5})],
        expected_version=plan.version,
        actor="dana",
    )
    after, _ = services.portfolio_workload(engine, weeks=window)
    assert after.hours_for(ana.id, MONDAY) == 2.5
    newest = services.activity_log(engine, plan.id, 1)[0]
    assert newest.summary.endswith("hours a week none → 2.5")
