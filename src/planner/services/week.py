"""My week: a person's items, milestones and action items across active plans, for a week.

Reads through the other services (people, plans, schedules, action items); the records are
`planner.domain.week`'s. Imports the domain, `planner.store` (the `Engine` handle) and services.
"""

from __future__ import annotations

import datetime as dt

from planner.domain.week import MyWeek, WeekAction, WeekItem, WeekMilestone, week_end
from planner.services.actions import open_actions
from planner.store import Engine

__all__ = ["my_week"]


def my_week(engine: Engine, person_id: str, today: dt.date) -> MyWeek:
    """A person's week across active plans: the days from `today` to `today + 7`, both
    included (a week from today, so what is due on the same weekday next week is in; day 8 is
    not), plus what is overdue:

    items      items they own, not done or dropped, scheduled to run on any of those days, or
               in progress or blocked, or whose status needs an update: `planned but started`
               (planned, but its scheduled start has come) or `in progress past its end`
    milestones of those items, due in the window, or overdue (before today) while the item is
               still planned or blocked (milestones of a running item pass with it)
    actions    open action items they own, due in the window or overdue (undated ones are
               listed too: they are on their plate with no date)
    """
    from planner import services

    end = week_end(today)
    person = services.get_person(engine, person_id)
    week = MyWeek(person, today)
    for plan in services.list_plans(engine, statuses=("active",)):
        scheduled = services.plan_schedule(engine, plan.id)
        entries = scheduled.schedule.entries
        mine = {
            i.id: i
            for i in scheduled.items
            if i.owner_id == person_id and i.status not in ("done", "dropped")
        }
        for item in scheduled.items:
            if item.id not in mine:
                continue
            entry = entries[item.id]
            nudge = None
            if item.status == "planned" and entry.start <= today:
                nudge = "planned but started"
            elif item.status == "in progress" and entry.last_day < today:
                nudge = "in progress past its end"
            runs = entry.start <= end and entry.last_day >= today
            if runs or nudge or item.status in ("in progress", "blocked"):
                week.items.append(
                    WeekItem(
                        plan.id,
                        plan.name,
                        item.id,
                        item.title,
                        item.status,
                        entry.start,
                        entry.last_day,
                        nudge,
                        scheduled.plan.version,
                    )
                )
        for milestone in scheduled.schedule.milestones:
            owned = mine.get(milestone.item_id)
            if owned is None or milestone.date > end:
                continue
            overdue = milestone.date < today
            if overdue and owned.status not in ("planned", "blocked"):
                continue
            week.milestones.append(
                WeekMilestone(
                    plan.id,
                    plan.name,
                    owned.id,
                    owned.title,
                    milestone.date,
                    milestone.text,
                    overdue,
                )
            )
        for action in open_actions(engine, plan.id):
            if action.owner_id != person_id:
                continue
            if action.due is None or action.due <= end:
                week.actions.append(WeekAction(plan.name, action, action.overdue(today)))
    week.milestones.sort(key=lambda m: (m.date, m.plan_name, m.item_title))
    week.actions.sort(key=lambda a: (a.action.due or dt.date.max, a.plan_name, a.action.id))
    return week
