"""Workload that plans: one warning per person naming the weeks (as ranges) and the items."""

from __future__ import annotations

from datetime import date, timedelta

from planner.domain.schedule import PersonCapacity, compute_schedule
from planner.domain.weeks import format_week_ranges
from planner.domain.workload import weekly_workload
from tests.unit.test_schedule import PLAN_START, item

PEOPLE = [PersonCapacity("ana", "Ana", 8), PersonCapacity("ben", "Ben", 6)]


def monday(n: int) -> date:
    return PLAN_START + timedelta(weeks=n)


def test_week_ranges_read_like_dates() -> None:
    jan12 = date(2027, 1, 11)  # a Monday
    assert format_week_ranges([jan12]) == "11 Jan 2027"
    run = [jan12 + timedelta(weeks=k) for k in range(4)]
    assert format_week_ranges(run) == "11 Jan – 1 Feb 2027"
    assert format_week_ranges([*run, jan12 + timedelta(weeks=6)]) == (
        "11 Jan – 1 Feb 2027, 22 Feb 2027"
    )
    assert format_week_ranges([date(2026, 12, 28), date(2027, 1, 4)]) == (
        "28 Dec 2026 – 4 Jan 2027"
    )
    assert format_week_ranges([]) == ""


def test_one_warning_per_person_however_many_weeks_are_over() -> None:
    items = [
        item("coach", owner_id="ana", effort_hours_per_week=5, duration_weeks=9, plan_name="A"),
        item("forum", owner_id="ana", effort_hours_per_week=4, duration_weeks=9, plan_name="B"),
        item("aid", owner_id="ben", effort_hours_per_week=7, duration_weeks=2, plan_name="A"),
    ]
    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)

    assert len(workload.overloads) == 9 + 2  # week by week, as before
    ana, ben = workload.people_over
    assert (ana.person_id, ana.weeks, ana.peak_hours, ana.capacity) == (
        "ana",
        tuple(monday(k) for k in range(9)),
        9.0,
        8.0,
    )
    assert [(i.item_id, i.plan_name, i.hours_per_week) for i in ana.items] == [
        ("coach", "A", 5.0),
        ("forum", "B", 4.0),
    ]
    assert ana.message == (
        "Ana is over their capacity of 8 h a week in 9 weeks (4 Jan – 1 Mar 2027), up to 9 h. "
        "The hours come from: ‘Coach’ (A) 5 h/week; ‘Forum’ (B) 4 h/week."
    )
    assert ben.weeks == (monday(0), monday(1)) and ben.message.startswith(
        "Ben is over their capacity of 6 h a week in 2 weeks (4 Jan – 11 Jan 2027)"
    )


def test_gaps_between_overloaded_weeks_show_as_separate_ranges() -> None:
    items = [
        item("base", owner_id="ana", effort_hours_per_week=6, duration_weeks=6),
        item("early", owner_id="ana", effort_hours_per_week=3, duration_weeks=2),
        item("late", owner_id="ana", effort_hours_per_week=3, pinned_start=monday(4)),
    ]
    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)
    [ana] = workload.people_over
    assert ana.weeks == (monday(0), monday(1), monday(4), monday(5))
    assert "(4 Jan – 11 Jan 2027, 1 Feb – 8 Feb 2027)" in ana.message
    by_id = {i.item_id: i for i in ana.items}
    assert by_id["base"].weeks == 4 and by_id["early"].weeks == 2
    assert "‘Early’ 3 h/week in 2 of them" in ana.message


def test_items_that_ask_no_hours_are_not_named_as_behind_the_hours() -> None:
    items = [
        item("big", owner_id="ben", effort_hours_per_week=7),
        item("zero", owner_id="ben", effort_hours_per_week=0),
    ]
    [ben] = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE).people_over
    assert [i.item_id for i in ben.items] == ["big"]


def test_nobody_over_capacity_means_no_warning() -> None:
    items = [item("a", owner_id="ana", effort_hours_per_week=8)]
    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)
    assert workload.people_over == () and workload.overloads == ()


def test_a_warning_names_the_five_biggest_items_and_counts_the_rest() -> None:
    from planner.domain.workload import MAX_ITEMS_NAMED

    items = [
        item(f"w{k}", owner_id="ben", effort_hours_per_week=1 + k / 10)
        for k in range(MAX_ITEMS_NAMED + 3)
    ]
    [ben] = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE).people_over
    assert len(ben.items) == MAX_ITEMS_NAMED + 3  # all of them are kept for the page
    named = [f"‘W{k}’" for k in range(MAX_ITEMS_NAMED + 3)]
    assert all(n in ben.message for n in named[-MAX_ITEMS_NAMED:])  # the biggest
    assert not any(n in ben.message for n in named[:3])
    assert ben.message.endswith("; and 3 more items.")
