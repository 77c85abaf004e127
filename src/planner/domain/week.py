"""My week as records: a person's items, milestones and action items from today to a week on.

`week_end` says where the window ends; `planner.services.week.my_week` fills it. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.domain.planning import Person
from planner.domain.reviews import ActionItem

WEEK_DAYS = 7
"""My week runs from today to today + WEEK_DAYS, both included (see `my_week`)."""


@dataclass(frozen=True)
class WeekItem:
    plan_id: str
    plan_name: str
    item_id: str
    title: str
    status: str
    start: dt.date
    last_day: dt.date
    needs_update: str | None = None
    """Why the status looks stale ('planned but started', 'in progress past its end'), or None."""
    plan_version: int = 0
    """The plan's version this was read at: a status save passes it as `expected_version`."""


@dataclass(frozen=True)
class WeekMilestone:
    plan_id: str
    plan_name: str
    item_id: str
    item_title: str
    date: dt.date
    text: str
    overdue: bool


@dataclass(frozen=True)
class WeekAction:
    plan_name: str
    action: ActionItem
    overdue: bool


@dataclass(frozen=True)
class MyWeek:
    """A person's work across active plans from `today` to `week_end(today)`, both included,
    plus what is overdue (see `my_week`)."""

    person: Person
    today: dt.date
    items: list[WeekItem] = field(default_factory=list)
    milestones: list[WeekMilestone] = field(default_factory=list)
    actions: list[WeekAction] = field(default_factory=list)

    @property
    def needs_update(self) -> list[WeekItem]:
        return [i for i in self.items if i.needs_update]

    @property
    def empty(self) -> bool:
        return not (self.items or self.milestones or self.actions)


def week_end(today: dt.date) -> dt.date:
    """The last day of My week's window starting `today` (included): today + 7 days."""
    return today + dt.timedelta(days=WEEK_DAYS)
