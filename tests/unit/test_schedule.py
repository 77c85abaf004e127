"""Schedule rules, weekly workload, and the Gantt and workload figures."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from planner.domain.prerequisites import ScheduleCycleError, schedule_days
from planner.domain.schedule import (
    PersonCapacity,
    Schedule,
    ScheduleItem,
    compute_schedule,
    filter_items,
)
from planner.domain.statuses import WORK_STATUSES
from planner.domain.theme import PROGRESS_COLORS, WORK_COLORS
from planner.domain.weeks import format_date, format_hours, week_label
from planner.domain.workload import weekly_workload
from planner.errors import PlannerError
from planner.ui.charts import gantt_chart, workload_chart

PLAN_START = date(2027, 1, 4)  # a Monday
DAY = timedelta(days=1)
TODAY = date(2027, 2, 1)


def item(item_id: str, tactic: str | None = None, *requires: str, **fields: Any) -> ScheduleItem:
    """An item whose title is its id in capitals and whose tactic defaults to its id."""
    defaults: dict[str, Any] = {
        "title": item_id.capitalize(),
        "tactic_id": tactic if tactic is not None else item_id,
        "category": "communities",
        "prerequisites": requires,
        "duration_weeks": 2,
    }
    defaults.update(fields)
    return ScheduleItem(item_id=item_id, **defaults)


def weeks(n: int) -> timedelta:
    return timedelta(weeks=n)


def start_of(schedule: Schedule, item_id: str) -> date:
    return schedule.entries[item_id].start


# --- dates --------------------------------------------------------------------------------------


def test_a_chain_of_prerequisites_runs_one_after_the_other() -> None:
    items = [item("c", None, "b"), item("b", None, "a"), item("a", duration_weeks=3)]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "a") == PLAN_START
    assert start_of(schedule, "b") == PLAN_START + weeks(3)
    assert start_of(schedule, "c") == PLAN_START + weeks(5)
    assert schedule.entries["c"].end == PLAN_START + weeks(7)
    assert list(schedule.entries) == ["a", "b", "c"]  # schedule order, not the order given
    assert schedule.issues == () and schedule.missing_prerequisites == ()


def test_end_is_exclusive_and_users_see_the_last_day() -> None:
    one_week = compute_schedule(PLAN_START, [item("a", duration_weeks=1)]).entries["a"]

    assert one_week.end == date(2027, 1, 11)
    assert one_week.last_day == date(2027, 1, 10)
    assert one_week.active_on(date(2027, 1, 10)) and not one_week.active_on(date(2027, 1, 11))


def test_a_zero_week_item_takes_no_time_and_does_not_delay_its_dependants() -> None:
    schedule = compute_schedule(
        PLAN_START, [item("kickoff", duration_weeks=0), item("b", None, "kickoff")]
    )

    kickoff = schedule.entries["kickoff"]
    assert kickoff.start == kickoff.end == kickoff.last_day == PLAN_START
    assert start_of(schedule, "b") == PLAN_START


def test_a_diamond_waits_for_the_later_branch() -> None:
    items = [
        item("a", duration_weeks=1),
        item("short", None, "a", duration_weeks=1),
        item("long", None, "a", duration_weeks=4),
        item("join", None, "short", "long"),
    ]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "short") == start_of(schedule, "long") == PLAN_START + weeks(1)
    assert start_of(schedule, "join") == PLAN_START + weeks(5)


def test_items_sharing_a_tactic_do_not_wait_for_each_other_and_dependants_wait_for_the_last() -> (
    None
):
    items = [
        item("find", None, duration_weeks=1),
        item("circle-support", "circle", "find", duration_weeks=2),
        item("circle-sales", "circle", "find", duration_weeks=6),
        item("health", None, "circle"),
    ]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "circle-support") == start_of(schedule, "circle-sales")
    assert start_of(schedule, "health") == schedule.entries["circle-sales"].end
    assert start_of(schedule, "health") == PLAN_START + weeks(7)


def test_a_tactic_requiring_itself_does_not_make_its_items_wait_for_each_other() -> None:
    items = [item("one", "circle", "circle"), item("two", "circle", "circle")]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "one") == start_of(schedule, "two") == PLAN_START


def test_a_prerequisite_not_in_the_plan_is_ignored_and_reported() -> None:
    schedule = compute_schedule(PLAN_START, [item("launch", None, "find-members", "a"), item("a")])

    assert start_of(schedule, "launch") == PLAN_START + weeks(2)
    [missing] = schedule.missing_prerequisites
    assert (missing.item_id, missing.tactic_id, missing.dropped) == (
        "launch",
        "find-members",
        False,
    )
    assert "‘Launch’ needs tactic ‘find-members’, which is not in the plan" in missing.message


def test_dropped_items_stay_on_the_schedule_but_block_nothing() -> None:
    items = [
        item("newsletter", status="dropped", duration_weeks=4, steps=((0, "First issue"),)),
        item("wol", None, "newsletter"),
    ]

    schedule = compute_schedule(PLAN_START, items)

    assert "newsletter" in schedule.entries
    assert start_of(schedule, "wol") == PLAN_START
    [missing] = schedule.missing_prerequisites
    assert missing.tactic_id == "newsletter" and missing.dropped
    assert "only in dropped items" in missing.message
    assert schedule.milestones == ()  # a dropped item's steps will not happen


def test_a_dropped_copy_of_a_tactic_does_not_count_but_the_live_one_does() -> None:
    items = [
        item("circle-old", "circle", status="dropped", duration_weeks=10),
        item("circle-new", "circle", duration_weeks=3),
        item("health", None, "circle"),
    ]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "health") == PLAN_START + weeks(3)
    assert schedule.missing_prerequisites == ()


def test_a_later_pinned_start_is_kept_and_not_flagged() -> None:
    pinned = PLAN_START + weeks(6)
    schedule = compute_schedule(PLAN_START, [item("a"), item("b", None, "a", pinned_start=pinned)])

    entry = schedule.entries["b"]
    assert (entry.start, entry.pinned, entry.computed_start) == (
        pinned,
        True,
        PLAN_START + weeks(2),
    )
    assert schedule.issues == ()


def test_a_pinned_start_before_the_plan_is_flagged_not_moved() -> None:
    pinned = date(2026, 12, 28)
    schedule = compute_schedule(PLAN_START, [item("early", pinned_start=pinned)])

    assert start_of(schedule, "early") == pinned
    [issue] = schedule.issues
    assert issue.item_id == "early" and issue.kind == "before plan start"
    assert issue.message == (
        "‘Early’ is pinned to start 28 Dec 2026, before the plan starts on 4 Jan 2027."
    )
    assert schedule.flagged_ids == {"early"}


def test_a_pinned_start_before_a_prerequisite_ends_is_flagged_naming_it() -> None:
    items = [
        item("find", title="Find members", duration_weeks=1, pinned_start=date(2027, 2, 3)),
        item("find-more", "find", title="Find more members", duration_weeks=1),
        item("launch", None, "find", title="Launch the circle", pinned_start=date(2027, 2, 3)),
    ]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "launch") == date(2027, 2, 3)
    assert schedule.entries["launch"].computed_start == date(2027, 2, 10)
    [issue] = schedule.issues
    assert issue.kind == "before prerequisite"
    assert issue.prerequisite_item_id == "find"  # of the two, the one ending last
    assert issue.message == (
        "‘Launch the circle’ is pinned to start 3 Feb 2027, before its prerequisite "
        "‘Find members’ ends on 9 Feb 2027; it can start on 10 Feb 2027 at the earliest."
    )


def test_starting_on_the_day_a_prerequisite_is_over_is_allowed() -> None:
    schedule = compute_schedule(
        PLAN_START, [item("a"), item("b", None, "a", pinned_start=PLAN_START + weeks(2))]
    )

    assert schedule.issues == ()


def test_done_and_dropped_items_are_not_flagged_for_their_pinned_dates() -> None:
    early = date(2026, 12, 1)
    items = [
        item("done", pinned_start=early, status="done"),
        item("dropped", pinned_start=early, status="dropped"),
    ]

    assert compute_schedule(PLAN_START, items).issues == ()


def test_dependants_follow_the_pinned_dates_early_or_late() -> None:
    items = [
        item("late", pinned_start=PLAN_START + weeks(10), duration_weeks=1),
        item("after-late", None, "late"),
        item("prep", duration_weeks=4),
        item("early", None, "prep", pinned_start=PLAN_START + weeks(1), duration_weeks=1),
        item("after-early", None, "early"),
    ]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "after-late") == PLAN_START + weeks(11)
    # `early` breaks a rule and is flagged, but what waits for it follows where it is pinned.
    assert start_of(schedule, "after-early") == PLAN_START + weeks(2)
    assert schedule.flagged_ids == {"early"}


def test_a_cycle_is_refused_with_the_cycle_named() -> None:
    items = [
        item("unrelated"),
        item("b", None, "a", title="Launch the circle"),
        item("a", None, "b", title="Find members"),
    ]

    with pytest.raises(ScheduleCycleError) as caught:
        compute_schedule(PLAN_START, items)

    assert isinstance(caught.value, PlannerError)
    assert "Launch the circle → Find members → Launch the circle" in str(caught.value)
    assert caught.value.item_ids == ("b", "a")


def test_a_longer_cycle_through_shared_tactics_names_every_item_once() -> None:
    items = [
        item("x1", "x", "z"),
        item("x2", "x"),
        item("y1", "y", "x"),
        item("z1", "z", "y"),
        item("tail", None, "z"),
    ]

    with pytest.raises(ScheduleCycleError) as caught:
        compute_schedule(PLAN_START, items)

    assert caught.value.titles == ("X1", "Z1", "Y1")
    assert "X1 → Z1 → Y1 → X1" in str(caught.value)


def test_the_cycle_is_named_the_same_wherever_the_search_enters_it() -> None:
    items = [item("w", None, "y"), item("x", None, "y"), item("y", None, "x")]

    with pytest.raises(ScheduleCycleError) as caught:
        compute_schedule(PLAN_START, items)

    assert caught.value.titles == ("X", "Y")  # not W, which only waits for the circle


def test_dropping_an_item_breaks_its_cycle() -> None:
    items = [item("a", None, "b"), item("b", None, "a", status="dropped")]

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "a") == PLAN_START


def test_milestones_are_dated_from_the_item_start() -> None:
    items = [
        item("a", duration_weeks=1),
        item("b", None, "a", steps=((0, "Invite members"), (3, "First retrospective"))),
    ]

    schedule = compute_schedule(PLAN_START, items)

    assert [(m.item_id, m.date, m.text) for m in schedule.milestones] == [
        ("b", date(2027, 1, 11), "Invite members"),
        ("b", date(2027, 2, 1), "First retrospective"),
    ]


def test_bad_input_is_a_bug_not_a_user_error() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        compute_schedule(PLAN_START, [item("a"), item("a")])
    with pytest.raises(ValueError, match="unknown work status"):
        compute_schedule(PLAN_START, [item("a", status="finished")])


def test_a_long_chain_needs_no_recursion() -> None:
    items = [item(f"i{k}", None, f"i{k - 1}", duration_weeks=1) for k in range(1, 5_000)]
    items.append(item("i0", duration_weeks=1))

    schedule = compute_schedule(PLAN_START, items)

    assert start_of(schedule, "i4999") == PLAN_START + weeks(4_999)


def days_of(items: list[ScheduleItem]) -> tuple[list[date], list[date]]:
    """schedule_days of the items, given field by field."""
    return schedule_days(
        PLAN_START,
        item_ids=[i.item_id for i in items],
        titles=[i.title for i in items],
        tactic_ids=[i.tactic_id for i in items],
        prerequisites=[i.prerequisites for i in items],
        duration_weeks=[i.duration_weeks for i in items],
        pinned_starts=[i.pinned_start for i in items],
        statuses=[i.status for i in items],
    )


def random_plan(rnd: random.Random) -> list[ScheduleItem]:
    """Items sharing tactics, missing and repeated prerequisites, pins, drops, zero weeks."""
    tactics = [f"t{k}" for k in range(rnd.randint(1, 6))]
    found = []
    for k in range(rnd.randint(0, 14)):
        requires = rnd.choices([*tactics, "not-in-plan"], k=rnd.choice([0, 0, 1, 1, 2, 3]))
        pinned = PLAN_START + weeks(rnd.randint(-2, 8)) if rnd.random() < 0.25 else None
        found.append(
            item(
                f"i{k}",
                None,
                *requires,
                tactic_id=rnd.choice([*tactics, None]),  # None: a custom item
                duration_weeks=rnd.randint(0, 4),
                pinned_start=pinned,
                status=rnd.choice(WORK_STATUSES),
            )
        )
    return found


def test_schedule_days_gives_the_dates_compute_schedule_gives() -> None:
    rnd = random.Random(20270104)
    scheduled = cycles = 0
    for _ in range(400):
        items = random_plan(rnd)
        try:
            schedule = compute_schedule(PLAN_START, items)
        except ScheduleCycleError as error:
            with pytest.raises(ScheduleCycleError) as caught:
                days_of(items)
            assert caught.value.item_ids == error.item_ids
            cycles += 1
            continue
        starts, last_days = days_of(items)
        entries = [schedule.entries[i.item_id] for i in items]
        assert starts == [e.start for e in entries]
        assert last_days == [e.last_day for e in entries]
        scheduled += 1
    assert scheduled > 100 and cycles > 10  # both kinds of plan were tried


def test_schedule_days_of_nothing_and_of_bad_input() -> None:
    assert days_of([]) == ([], [])
    kickoff = days_of([item("kickoff", duration_weeks=0), item("b", None, "kickoff")])
    assert kickoff == ([PLAN_START, PLAN_START], [PLAN_START, PLAN_START + weeks(2) - DAY])
    with pytest.raises(ValueError, match="appears twice"):
        days_of([item("a"), item("a")])
    with pytest.raises(ValueError, match="unknown work status"):
        days_of([item("a", status="finished")])
    with pytest.raises(ValueError, match="negative duration"):
        days_of([item("a", duration_weeks=-1)])
    with pytest.raises(ValueError, match="one value per item"):
        schedule_days(
            PLAN_START,
            item_ids=["a", "b"],
            titles=["A"],
            tactic_ids=[None, None],
            prerequisites=[(), ()],
            duration_weeks=[1, 1],
            pinned_starts=[None, None],
            statuses=["planned", "planned"],
        )


def test_bad_input_is_reported_for_the_first_bad_item() -> None:
    items = [item("a", status="finished"), item("b", duration_weeks=-1), item("a")]

    with pytest.raises(ValueError, match="unknown work status 'finished' for item 'a'"):
        compute_schedule(PLAN_START, items)
    with pytest.raises(ValueError, match="negative duration for item 'b'"):
        compute_schedule(PLAN_START, items[1:])


def test_filter_items_by_owner_status_and_category() -> None:
    items = [
        item("a", owner_id="p1", status="planned"),
        item("b", owner_id=None, status="blocked", category="coaching"),
        item("c", owner_id="p2", status="done"),
    ]

    assert [i.item_id for i in filter_items(items, owners=["p1", None])] == ["a", "b"]
    assert [i.item_id for i in filter_items(items, statuses=["done", "blocked"])] == ["b", "c"]
    assert [i.item_id for i in filter_items(items, categories=["coaching"])] == ["b"]
    assert filter_items(items) == items


def test_dates_and_hours_read_the_way_users_write_them() -> None:
    assert format_date(date(2027, 2, 3)) == "3 Feb 2027"
    assert format_hours(12.0) == "12 h"
    assert format_hours(12.5) == "12.5 h"
    assert format_hours(1200) == "1,200 h"
    assert week_label(date(2027, 1, 4)) == "2027-W01"


# --- workload -----------------------------------------------------------------------------------

PEOPLE = [PersonCapacity("ana", "Ana", 8), PersonCapacity("ben", "Ben", 6)]


def test_workload_adds_up_hours_per_owner_and_week_across_plans() -> None:
    plan_a = [item("a1", owner_id="ana", effort_hours_per_week=3, plan_id="A")]
    plan_b = [
        item("b1", owner_id="ana", effort_hours_per_week=4, plan_id="B", duration_weeks=1),
        item("b2", owner_id="ben", effort_hours_per_week=2.5, plan_id="B"),
    ]
    schedule_a = compute_schedule(PLAN_START, plan_a)
    schedule_b = compute_schedule(PLAN_START + weeks(1), plan_b)

    workload = weekly_workload([schedule_a, schedule_b], plan_a + plan_b, PEOPLE)

    assert workload.weeks == (PLAN_START, PLAN_START + weeks(1), PLAN_START + weeks(2))
    assert [o.person_id for o in workload.owners] == ["ana", "ben"]
    assert workload.hours == ((3.0, 7.0, 0.0), (0.0, 2.5, 2.5))
    assert workload.hours_for("ana", PLAN_START + weeks(1)) == 7.0
    assert workload.overloads == () and workload.unassigned == ()


def test_an_item_counts_in_every_week_it_overlaps_monday_to_sunday() -> None:
    wednesday = date(2027, 1, 6)
    items = [item("a", owner_id="ana", pinned_start=wednesday, effort_hours_per_week=1)]

    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)

    # Two weeks from a Wednesday touch three Monday-to-Sunday weeks.
    assert workload.weeks == (PLAN_START, PLAN_START + weeks(1), PLAN_START + weeks(2))
    assert workload.hours[0] == (1.0, 1.0, 1.0)


def test_weeks_over_capacity_are_overloads_naming_the_items() -> None:
    items = [
        item("coach", owner_id="ana", effort_hours_per_week=5),
        item("aid", owner_id="ana", effort_hours_per_week=3, duration_weeks=1),
        item("host", owner_id="ana", effort_hours_per_week=1, duration_weeks=1),
        item("b", owner_id="ben", effort_hours_per_week=6),  # exactly at capacity: fine
    ]

    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)

    [overload] = workload.overloads
    assert (overload.person_id, overload.week_start, overload.hours, overload.capacity) == (
        "ana",
        PLAN_START,
        9.0,
        8.0,
    )
    assert set(overload.item_ids) == {"coach", "aid", "host"}
    assert overload.message == (
        "Ana has 9 h planned in the week of 4 Jan 2027, over a capacity of 8 h."
    )
    over = [r for r in workload.rows() if r.over_capacity]
    assert [(r.person_id, r.week_start) for r in over] == [("ana", PLAN_START)]


def test_items_without_owner_are_listed_and_get_their_own_row() -> None:
    items = [item("orphan", effort_hours_per_week=2), item("a", owner_id="ana")]

    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)

    assert workload.unassigned == ("orphan",)
    last = workload.owners[-1]
    assert (last.person_id, last.name, last.capacity) == (None, "No owner", None)
    assert workload.hours[-1] == (2.0, 2.0)


def test_done_and_dropped_items_do_not_count() -> None:
    items = [
        item("done", owner_id="ana", status="done", effort_hours_per_week=20),
        item("dropped", owner_id=None, status="dropped", effort_hours_per_week=20),
        item("live", owner_id="ana", status="in progress", effort_hours_per_week=1),
        item("blocked", owner_id="ana", status="blocked", effort_hours_per_week=1),
    ]

    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)

    assert workload.hours[0] == (2.0, 2.0)
    assert workload.overloads == () and workload.unassigned == ()


def test_a_window_of_weeks_only_counts_what_is_active_in_it() -> None:
    items = [
        item("early", owner_id=None, duration_weeks=1, effort_hours_per_week=5),
        item("later", owner_id="ben", pinned_start=PLAN_START + weeks(3), effort_hours_per_week=2),
        item("zero", owner_id="ben", duration_weeks=0, effort_hours_per_week=9),
    ]
    schedule = compute_schedule(PLAN_START, items)

    workload = weekly_workload(
        schedule, items, PEOPLE, weeks=(PLAN_START + weeks(2), date(2027, 1, 31))
    )

    assert workload.weeks == (date(2027, 1, 18), date(2027, 1, 25))
    assert workload.hours == ((0.0, 0.0), (0.0, 2.0))
    assert workload.unassigned == ()


def test_owners_not_among_the_people_given_have_unknown_capacity() -> None:
    items = [item("a", owner_id="zoe", owner_name="Zoë", effort_hours_per_week=50)]

    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)

    zoe = workload.owners[-1]
    assert (zoe.person_id, zoe.name, zoe.capacity) == ("zoe", "Zoë", None)
    assert workload.overloads == ()


def test_workload_as_plain_records() -> None:
    items = [item("a", owner_id="ben", effort_hours_per_week=7, duration_weeks=1)]

    records = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE).as_records()

    assert records[1] == {
        "person_id": "ben",
        "person": "Ben",
        "week_start": PLAN_START,
        "week": "2027-W01",
        "hours": 7.0,
        "capacity": 6,
        "over_capacity": True,
    }
    assert len(records) == 2


def test_an_empty_plan_has_no_weeks() -> None:
    workload = weekly_workload(compute_schedule(PLAN_START, []), [], PEOPLE)

    assert workload.weeks == () and workload.overloads == ()


# --- figures ------------------------------------------------------------------------------------


def sample() -> tuple[Schedule, list[ScheduleItem]]:
    items = [
        item("find", title="Find members", owner_id="ana", owner_name="Ana", status="done",
             duration_weeks=1, steps=((0, "Post the call"), (1, "Pick members"))),
        item("launch", None, "find", title="Launch the circle", owner_id="ben",
             owner_name="Ben", status="in progress", pinned_start=PLAN_START,
             steps=((0, "First meeting"),)),
        item("aid", title="Job aid", owner_id=None, status="planned"),
        item("old", title="Old newsletter", owner_id="ana", owner_name="Ana", status="dropped"),
    ]  # fmt: skip
    return compute_schedule(PLAN_START, items), items


def bars(fig: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in fig["data"] if t["type"] == "bar"]


def test_gantt_by_status_has_one_trace_per_status_in_the_status_colours() -> None:
    schedule, items = sample()

    fig = gantt_chart(schedule, items, color_by="status", today=TODAY).to_dict()

    by_name = {t["name"]: t for t in bars(fig)}
    assert set(by_name) == {"Done", "In progress", "Planned", "Dropped"}
    for status in ("done", "in progress", "planned", "dropped"):
        assert by_name[status.capitalize()]["marker"]["color"] == WORK_COLORS[status]
    assert sum(len(t["y"]) for t in bars(fig)) == 4
    assert fig["layout"]["title"]["text"] == "Schedule by work status"


def test_gantt_rows_follow_schedule_order_first_on_top_and_flag_broken_pins() -> None:
    schedule, items = sample()

    fig = gantt_chart(schedule, items, color_by="status", today=TODAY).to_dict()

    yaxis = fig["layout"]["yaxis"]
    assert list(yaxis["ticktext"]) == [
        "Find members",
        "⚠ Launch the circle",
        "Job aid",
        "Old newsletter",
    ]
    assert yaxis["range"][0] > yaxis["range"][1]  # reversed: the first row is at the top
    launch = next(t for t in bars(fig) if t["name"] == "In progress")
    assert launch["marker"]["line"]["color"][0] == PROGRESS_COLORS["off track"]
    assert "⚠ ‘Launch the circle’ is pinned to start 4 Jan 2027" in launch["hovertext"][0]


def test_gantt_bars_span_the_item_dates_with_readable_hover() -> None:
    schedule, items = sample()

    fig = gantt_chart(schedule, items, color_by="status", today=TODAY).to_dict()

    done = next(t for t in bars(fig) if t["name"] == "Done")
    assert list(done["base"]) == ["2027-01-04"]
    assert list(done["x"]) == [7 * 86_400_000]
    assert "4 Jan 2027 to 10 Jan 2027 (1 week)" in done["hovertext"][0]
    assert "Owner: Ana" in done["hovertext"][0]


def test_gantt_has_a_today_line_and_milestone_diamonds() -> None:
    schedule, items = sample()

    fig = gantt_chart(schedule, items, color_by="status", today=TODAY).to_dict()

    [line] = fig["layout"]["shapes"]
    assert line["type"] == "line" and line["x0"] == line["x1"] == "2027-02-01"
    assert any(a["text"].startswith("Today") for a in fig["layout"]["annotations"])
    [marks] = [t for t in fig["data"] if t["name"] == "Milestones"]
    assert marks["marker"]["symbol"] == "diamond"
    assert list(marks["x"]) == ["2027-01-04", "2027-01-04", "2027-01-11"]
    assert any("11 Jan 2027</b>: Pick members" in h for h in marks["hovertext"])


def test_gantt_by_owner_colours_each_owner_and_greys_no_owner() -> None:
    schedule, items = sample()

    fig = gantt_chart(schedule, items, color_by="owner", today=TODAY).to_dict()

    names = [t["name"] for t in bars(fig)]
    assert names == ["Ana", "Ben", "No owner"]
    colors = {t["name"]: t["marker"]["color"] for t in bars(fig)}
    assert colors["Ana"] != colors["Ben"]
    assert colors["No owner"] == PROGRESS_COLORS["no data"]
    ana = next(t for t in bars(fig) if t["name"] == "Ana")
    assert list(ana["marker"]["opacity"]) == [1.0, 0.4]  # the dropped item fades


def test_gantt_draws_only_the_items_given_and_grows_with_them() -> None:
    schedule, items = sample()
    few = gantt_chart(schedule, items[:1], today=TODAY).to_dict()
    assert few["layout"]["height"] == 300
    assert list(few["layout"]["yaxis"]["ticktext"]) == ["Find members"]

    many = [item(f"i{k}", owner_id=f"p{k % 7}") for k in range(2_000)]
    fig = gantt_chart(compute_schedule(PLAN_START, many), many, color_by="owner", today=TODAY)

    assert len(fig.data) == 7  # one trace per colour group, never one per item
    assert fig.layout.height == 28 * 2_000 + 160

    with pytest.raises(ValueError, match="not in the schedule"):
        gantt_chart(schedule, [item("stranger")], today=TODAY)


def test_workload_chart_shows_hours_capacity_and_overloads() -> None:
    items = [
        item("a", owner_id="ana", effort_hours_per_week=9, duration_weeks=1),
        item("b", owner_id=None, effort_hours_per_week=1, duration_weeks=1),
    ]
    workload = weekly_workload(compute_schedule(PLAN_START, items), items, PEOPLE)

    fig = workload_chart(workload).to_dict()

    hours, over = fig["data"]
    assert list(hours["y"]) == ["Ana (8 h/week)", "Ben (6 h/week)", "No owner"]
    assert [list(row) for row in hours["z"]] == [[9.0], [0.0], [1.0]]
    assert [list(row) for row in over["z"]] == [[9.0], [None], [None]]
    assert over["name"] == "Over capacity"
    assert over["colorscale"][0][1] == PROGRESS_COLORS["off track"]
    assert "capacity" in fig["layout"]["title"]["text"]

    only_ben = workload_chart(workload, people_order=["ben"]).to_dict()
    assert list(only_ben["data"][0]["y"]) == ["Ben (6 h/week)"]


def test_workload_chart_of_nothing_says_so() -> None:
    workload = weekly_workload(compute_schedule(PLAN_START, []), [], PEOPLE)

    fig = workload_chart(workload).to_dict()

    assert any("No planned work" in a["text"] for a in fig["layout"]["annotations"])


# --- the week axis ------------------------------------------------------------------------------


@pytest.mark.parametrize("span_weeks", [1, 3, 7, 8, 12, 20, 40, 60, 104, 200, 520])
def test_week_axis_labels_are_few_and_short_whatever_the_span(span_weeks: int) -> None:
    from planner.ui.charts import MAX_DATE_TICKS, week_ticks

    first = date(2026, 11, 18)
    last = first + weeks(span_weeks)
    values, labels = week_ticks(first, last)
    assert 1 <= len(values) <= MAX_DATE_TICKS
    days = [date.fromisoformat(v) for v in values]
    assert all(d.weekday() == 0 for d in days) and days == sorted(days)
    assert days[0] <= first < days[0] + weeks(1) and days[-1] <= last
    assert all(len(label.split("<br>")[0]) <= 6 for label in labels)  # "12 Jan"
    # the year under the first tick and wherever it changes, nowhere else
    years = [label.split("<br>")[1] if "<br>" in label else None for label in labels]
    assert years[0] == str(days[0].year)
    for before, day, year in zip(days, days[1:], years[1:], strict=False):
        assert (year is not None) == (day.year != before.year)


def test_the_gantt_axis_uses_the_short_labels_and_covers_today() -> None:
    items = [item("a", duration_weeks=40)]
    schedule = compute_schedule(PLAN_START, items)
    today = PLAN_START + weeks(60)
    axis = gantt_chart(schedule, items, today=today).to_dict()["layout"]["xaxis"]
    assert axis["tickmode"] == "array" and len(axis["ticktext"]) <= 7
    assert date.fromisoformat(axis["tickvals"][-1]) > PLAN_START + weeks(40)


def test_long_item_titles_wrap_on_the_gantt_so_the_dates_keep_their_room() -> None:
    from planner.ui.charts import LABEL_CHARS, wrap_label

    title = "Potential stage: find the people and the shared problem of everyone here"
    items = [item("a", title=title), item("b", title="Short")]
    fig = gantt_chart(compute_schedule(PLAN_START, items), items, today=TODAY).to_dict()
    first, second = fig["layout"]["yaxis"]["ticktext"]
    assert second == "Short"
    lines = first.split("<br>")
    assert len(lines) == 2 and all(len(line) <= LABEL_CHARS for line in lines)
    assert lines[1].endswith("…") and title in fig["data"][0]["hovertext"][0]
    assert wrap_label("x" * 80) == "x" * (LABEL_CHARS - 1) + "…"
