"""Schedule invariants (`domain.schedule.compute_schedule`), checked against a plain reference.

For any items (tactics from a small pool, so prerequisites often meet and often form circles,
durations of 0 weeks and up, pinned starts before and after the plan start, every work status):
either the items wait for each other in a circle, and the schedule refuses them naming a real
circle, or every item gets dates where

- an unpinned item starts on the latest of the plan start and the ends of the (not dropped)
  items carrying its prerequisite tactics, never before;
- a pinned item keeps its pinned date and is flagged, exactly when it is not done or dropped and
  that date is before the plan start or before a prerequisite ends;
- the duration is kept: end = start + 7 x weeks;
- the same items give the same schedule, and `schedule_days` the same dates.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from planner.domain.prerequisites import ScheduleCycleError, schedule_days
from planner.domain.schedule import NOT_FLAGGED, ScheduleItem, compute_schedule
from planner.domain.statuses import WORK_STATUSES
from tests.property.conftest import examples

PLAN_START = date(2027, 1, 4)
TACTICS = ("a", "b", "c", "d")


@st.composite
def schedule_items(draw: st.DrawFn) -> list[ScheduleItem]:
    n = draw(st.integers(0, 8))
    items = []
    for k in range(n):
        pinned = draw(st.none() | st.integers(-30, 120).map(lambda d: PLAN_START + timedelta(d)))
        items.append(
            ScheduleItem(
                item_id=f"it_{k}",
                title=f"Item {k}",
                tactic_id=draw(st.none() | st.sampled_from(TACTICS)),
                category="communities",
                prerequisites=tuple(draw(st.lists(st.sampled_from(TACTICS), max_size=3))),
                duration_weeks=draw(st.integers(0, 12)),
                pinned_start=pinned,
                status=draw(st.sampled_from(WORK_STATUSES)),
                steps=tuple(
                    (w, f"step {w}") for w in draw(st.lists(st.integers(0, 5), max_size=2))
                ),
            )
        )
    return items


def waits_for(items: list[ScheduleItem], i: int) -> list[int]:
    """The items item i waits for: live carriers of its prerequisites, never its own tactic."""
    me = items[i]
    return [
        j
        for j, other in enumerate(items)
        if other.status != "dropped"
        and other.tactic_id is not None
        and other.tactic_id in me.prerequisites
        and other.tactic_id != me.tactic_id
    ]


def reference_dates(items: list[ScheduleItem]) -> dict[str, tuple[date, date, date]] | None:
    """(start, end, computed start) per item by repeated relaxation; None for a circle."""
    done: dict[int, tuple[date, date, date]] = {}
    while len(done) < len(items):
        progressed = False
        for i, item in enumerate(items):
            if i in done or any(j not in done for j in waits_for(items, i)):
                continue
            earliest = max([PLAN_START, *(done[j][1] for j in waits_for(items, i))])
            start = item.pinned_start or earliest
            done[i] = (start, start + timedelta(weeks=item.duration_weeks), earliest)
            progressed = True
        if not progressed:
            return None
    return {items[i].item_id: dates for i, dates in done.items()}


CIRCLE = [
    ScheduleItem("it_0", "Kickoff", "a", "c", ("b",)),
    ScheduleItem("it_1", "Circles", "b", "c", ("a",)),
]


@examples(300)
@given(schedule_items())
@example(CIRCLE)
@example([ScheduleItem("it_0", "Same tactic twice", "a", "c", ("a",), 0)] * 1)
def test_the_schedule_keeps_every_rule_or_names_a_real_circle(items: list[ScheduleItem]) -> None:
    expected = reference_dates(items)
    if expected is None:
        with pytest.raises(ScheduleCycleError) as raised:
            compute_schedule(PLAN_START, items)
        circle = [int(item_id.split("_")[1]) for item_id in raised.value.item_ids]
        assert circle and len(set(circle)) == len(circle)
        for k, i in enumerate(circle):  # each waits for the next, the last for the first
            assert circle[(k + 1) % len(circle)] in waits_for(items, i)
        assert circle[0] == min(circle)  # named from the item given first
        for title in raised.value.titles:
            assert title in str(raised.value)
        with pytest.raises(ScheduleCycleError):
            schedule_days(PLAN_START, **_columns(items))
        return

    schedule = compute_schedule(PLAN_START, items)
    assert list(schedule.entries) == sorted(
        schedule.entries, key=lambda i: (expected[i][0], expected[i][1], int(i.split("_")[1]))
    )
    assert len(schedule.entries) == len(items)
    flagged = {(issue.item_id, issue.kind) for issue in schedule.issues}
    for i, item in enumerate(items):
        entry = schedule.entries[item.item_id]
        start, end, computed = expected[item.item_id]
        assert (entry.start, entry.end, entry.computed_start) == (start, end, computed)
        assert entry.end - entry.start == timedelta(weeks=item.duration_weeks)
        assert entry.computed_start >= PLAN_START
        assert entry.pinned == (item.pinned_start is not None)
        prerequisite_ends = [expected[items[j].item_id][1] for j in waits_for(items, i)]
        if item.pinned_start is None:
            assert entry.start >= PLAN_START
            assert all(entry.start >= e for e in prerequisite_ends)
            assert (item.item_id, "before plan start") not in flagged
            assert (item.item_id, "before prerequisite") not in flagged
            continue
        assert entry.start == item.pinned_start
        watched = item.status not in NOT_FLAGGED
        early = entry.start < PLAN_START
        too_soon = any(entry.start < e for e in prerequisite_ends)
        assert ((item.item_id, "before plan start") in flagged) == (watched and early)
        assert ((item.item_id, "before prerequisite") in flagged) == (watched and too_soon)

    # Deterministic, and the dates-only path agrees.
    assert compute_schedule(PLAN_START, items) == schedule
    starts, last_days = schedule_days(PLAN_START, **_columns(items))
    assert starts == [schedule.entries[i.item_id].start for i in items]
    assert last_days == [schedule.entries[i.item_id].last_day for i in items]
    # Milestones: on their item's start plus their week, none for dropped items.
    for milestone in schedule.milestones:
        owner = next(i for i in items if i.item_id == milestone.item_id)
        assert owner.status != "dropped"
        offset = (milestone.date - schedule.entries[owner.item_id].start).days
        assert offset % 7 == 0 and (offset // 7, milestone.text) in owner.steps


def _columns(items: list[ScheduleItem]) -> dict[str, list[object]]:
    return {
        "item_ids": [i.item_id for i in items],
        "titles": [i.title for i in items],
        "tactic_ids": [i.tactic_id for i in items],
        "prerequisites": [i.prerequisites for i in items],
        "duration_weeks": [i.duration_weeks for i in items],
        "pinned_starts": [i.pinned_start for i in items],
        "statuses": [i.status for i in items],
    }
