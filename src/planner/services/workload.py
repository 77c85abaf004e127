"""Schedules and workload: a plan's dated schedule, and hours per person per week across plans.

Reads only: the dates come from `domain.schedule` (prerequisites, pinned starts, durations),
the plans and people from `planner.services.plans` and `planner.services.people`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from planner.domain.planning import InvalidInputError, Person, Plan, PlanItem
from planner.domain.schedule import (
    PersonCapacity,
    Schedule,
    ScheduleItem,
    Workload,
    compute_schedule,
    format_date,
    week_start,
    weekly_workload,
)
from planner.services.people import list_people
from planner.services.plans import list_plans, open_plan
from planner.store import Engine

__all__ = [
    "MAX_WORKLOAD_WEEKS",
    "PlanSchedule",
    "plan_schedule",
    "portfolio_workload",
    "schedule_items_for",
]


@dataclass(frozen=True)
class PlanSchedule:
    """A plan's items, as the scheduler sees them, and the dates it computed."""

    plan: Plan
    items: list[PlanItem]
    schedule_items: list[ScheduleItem]
    schedule: Schedule


def schedule_items_for(
    plan: Plan, items: Sequence[PlanItem], people: Mapping[str, Person]
) -> list[ScheduleItem]:
    """Plan items in the scheduler's terms: prerequisites, effort and steps from each snapshot."""
    out = []
    for item in items:
        snap = item.snapshot
        owner = people.get(item.owner_id) if item.owner_id else None
        out.append(
            ScheduleItem(
                item_id=item.id,
                title=item.title,
                tactic_id=item.tactic_id,
                category=snap.category if snap else "custom",
                prerequisites=tuple(snap.prerequisites) if snap else (),
                duration_weeks=item.duration_weeks,
                pinned_start=item.pinned_start,
                owner_id=item.owner_id,
                owner_name=owner.name if owner else None,
                status=item.status,
                effort_hours_per_week=item.effort,
                steps=tuple((s.week, s.text) for s in snap.steps) if snap else (),
                plan_id=plan.id,
                plan_name=plan.name,
            )
        )
    return out


def plan_schedule(engine: Engine, plan_id: str) -> PlanSchedule:
    """The plan's dated schedule; a prerequisite cycle raises ScheduleCycleError naming it."""
    opened = open_plan(engine, plan_id)
    people = {p.id: p for p in list_people(engine)}
    sched_items = schedule_items_for(opened.plan, opened.items, people)
    schedule = compute_schedule(opened.plan.start_date, sched_items)
    return PlanSchedule(opened.plan, opened.items, sched_items, schedule)


MAX_WORKLOAD_WEEKS = 104
"""The longest window the workload adds up at once (two years of weeks)."""


def portfolio_workload(
    engine: Engine, *, weeks: tuple[date, date] | None = None, include_drafts: bool = False
) -> tuple[Workload, list[ScheduleItem]]:
    """Hours per person per week across every active plan (and every draft, for a what-if),
    against each person's capacity; `weeks` is (first day, last day) of the window."""
    if weeks is not None:
        first, last = weeks
        if last < first:
            raise InvalidInputError(
                f"The workload window ends ({format_date(last)}) before it starts "
                f"({format_date(first)}); pick an end after the start."
            )
        if (week_start(last) - week_start(first)).days // 7 + 1 > MAX_WORKLOAD_WEEKS:
            raise InvalidInputError(
                f"The workload window is longer than {MAX_WORKLOAD_WEEKS} weeks; pick a "
                "shorter one."
            )
    people = list_people(engine)
    by_id = {p.id: p for p in people}
    schedules: list[Schedule] = []
    all_items: list[ScheduleItem] = []
    statuses = ("active", "draft") if include_drafts else ("active",)
    for plan in list_plans(engine, statuses=statuses):
        opened = open_plan(engine, plan.id)
        sched_items = schedule_items_for(opened.plan, opened.items, by_id)
        schedules.append(compute_schedule(opened.plan.start_date, sched_items))
        all_items.extend(sched_items)
    capacities = [PersonCapacity(p.id, p.name, p.capacity_hours_per_week) for p in people]
    return weekly_workload(schedules, all_items, capacities, weeks=weeks), all_items
