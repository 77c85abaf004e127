"""Dependency-aware dates for plan items and their dated milestones.

Pure functions over plain dataclasses: no database, no streamlit, no pandas.

Rules, in the users' words:

- No item starts before the plan does or before the items carrying its prerequisite tactics
  finish. When several items carry the same tactic (one circle per team), a dependant waits for
  the last of them to finish. A tactic never waits for itself, so two items of the same tactic do
  not wait for each other.
- Prerequisites whose tactic is not in the plan are ignored and reported in
  `Schedule.missing_prerequisites`.
- Dropped items stay on the schedule (with the dates they would have had) but satisfy and block
  nothing: a dependant does not wait for them, and if every item carrying a prerequisite tactic is
  dropped, that prerequisite is reported as missing. Dropped items get no milestones.
- A pinned start is kept as it is. If it is before the plan start or before a prerequisite
  finishes, the item is flagged with a `ScheduleIssue`; it is never moved. Done and dropped items
  are not flagged: their dates are history, or will not happen. Dependants of a pinned item follow
  its pinned dates.
- Items waiting for each other in a circle raise `ScheduleCycleError` naming the circle.

Dates: `start` is the first day, `end` is EXCLUSIVE (`start + 7 × duration_weeks` days, the day
the item is over), so a dependant can start on its prerequisite's `end`. Users see the inclusive
`last_day` (`end - 1 day`). A zero-week item has `end == start`: it takes no time and is never
active in a week.

Owners' weekly workload lives in `planner.domain.workload`, calendar wording in
`planner.domain.weeks`, the dependency sort in `planner.domain.prerequisites`; all are
re-exported here for the modules that import them from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from planner.domain.prerequisites import MissingPrerequisite as MissingPrerequisite
from planner.domain.prerequisites import ScheduleCycleError as ScheduleCycleError
from planner.domain.prerequisites import schedule_days as schedule_days
from planner.domain.prerequisites import solve_dates
from planner.domain.statuses import WORK_STATUSES as WORK_STATUSES
from planner.domain.weeks import _DAY, _WEEK, format_date
from planner.domain.weeks import format_hours as format_hours
from planner.domain.weeks import format_week_ranges as format_week_ranges
from planner.domain.weeks import week_label as week_label
from planner.domain.weeks import week_start as week_start
from planner.domain.workload import MAX_ITEMS_NAMED as MAX_ITEMS_NAMED
from planner.domain.workload import NO_OWNER as NO_OWNER
from planner.domain.workload import NOT_COUNTED_IN_WORKLOAD as NOT_COUNTED_IN_WORKLOAD
from planner.domain.workload import LoadItem as LoadItem
from planner.domain.workload import Overload as Overload
from planner.domain.workload import PersonOverload as PersonOverload
from planner.domain.workload import Workload as Workload
from planner.domain.workload import WorkloadOwner as WorkloadOwner
from planner.domain.workload import WorkloadRow as WorkloadRow
from planner.domain.workload import weekly_workload as weekly_workload

NOT_FLAGGED: frozenset[str] = frozenset({"done", "dropped"})


# --- input ------------------------------------------------------------------------------------


class ScheduleItem(NamedTuple):
    """What the schedule needs to know about one plan item.

    A NamedTuple, not a frozen dataclass: plans of thousands of items build one per item on
    every export, and a tuple is several times cheaper to make. compute_schedule checks it."""

    item_id: str
    title: str
    tactic_id: str | None
    category: str
    prerequisites: tuple[str, ...] = ()
    """Tactic ids the item's tactic requires."""
    duration_weeks: int = 1
    pinned_start: date | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    status: str = "planned"
    effort_hours_per_week: float = 0.0
    steps: tuple[tuple[int, str], ...] = ()
    """(week offset from the item's start, text)."""
    plan_id: str = ""
    plan_name: str = ""

    @property
    def owner_label(self) -> str:
        return self.owner_name or self.owner_id or NO_OWNER


@dataclass(frozen=True, slots=True)
class PersonCapacity:
    person_id: str
    name: str
    capacity_hours_per_week: float


# --- output -----------------------------------------------------------------------------------


class ScheduledItem(NamedTuple):
    # NamedTuples for the outputs made by the thousand: several times cheaper to build than
    # frozen dataclasses, and just as immutable.
    item_id: str
    start: date
    end: date
    """Exclusive: the first day the item is over."""
    pinned: bool
    computed_start: date
    """Where the rules would put it: equal to `start` unless the item is pinned elsewhere."""

    @property
    def last_day(self) -> date:
        """The inclusive last day, as shown to users (the start day for a zero-week item)."""
        return max(self.start, self.end - _DAY)

    def active_on(self, day: date) -> bool:
        return self.start <= day < self.end


class Milestone(NamedTuple):
    item_id: str
    date: date
    text: str


IssueKind = Literal["before plan start", "before prerequisite"]


@dataclass(frozen=True, slots=True)
class ScheduleIssue:
    """A pinned start that breaks a rule; the item keeps its pinned date."""

    item_id: str
    kind: IssueKind
    message: str
    prerequisite_item_id: str | None = None


@dataclass(frozen=True)
class Schedule:
    plan_start: date
    entries: dict[str, ScheduledItem]
    """By item id, in schedule order: by start, then end, then the order items were given."""
    milestones: tuple[Milestone, ...] = ()
    issues: tuple[ScheduleIssue, ...] = ()
    missing_prerequisites: tuple[MissingPrerequisite, ...] = ()

    @property
    def flagged_ids(self) -> frozenset[str]:
        return frozenset(issue.item_id for issue in self.issues)

    def issues_for(self, item_id: str) -> list[ScheduleIssue]:
        return [issue for issue in self.issues if issue.item_id == item_id]

    @property
    def end(self) -> date:
        """Exclusive end of the last item (the plan start for an empty plan)."""
        return max((e.end for e in self.entries.values()), default=self.plan_start)


# --- the schedule -----------------------------------------------------------------------------


def compute_schedule(plan_start: date, items: Sequence[ScheduleItem]) -> Schedule:
    """Dates for every item; O(items + prerequisites) by a topological sort (Kahn's).

    Prerequisites go through one node per tactic (its end = the latest end of the items carrying
    it), so many items requiring a tactic that many items carry stay linear, not a product.
    Nodes 0..n-1 are items, n.. are tactics; edges run from what finishes first to what waits.
    """
    n = len(items)
    # The sort reads the items field by field: on thousands of items, zip(*items) is several
    # times faster than reading attribute by attribute.
    columns = tuple(zip(*items, strict=True)) or ((),) * len(ScheduleItem._fields)
    field = dict(zip(ScheduleItem._fields, columns, strict=True))
    starts, computed, ends, requires, latest, missing = solve_dates(
        plan_start,
        field["item_id"],
        field["title"],
        field["tactic_id"],
        field["prerequisites"],
        field["duration_weeks"],
        field["pinned_start"],
        field["status"],
    )

    issues = _pinning_issues(plan_start, items, requires, ends, latest)
    # By start, then end, then the order given (the index makes every key distinct; `ends`
    # goes on past the items with the tactic nodes, which zip leaves out).
    order = [i for _, _, i in sorted(zip(starts, ends, range(n), strict=False))]
    entries: dict[str, ScheduledItem] = {}
    for i in order:
        item = items[i]
        entries[item.item_id] = ScheduledItem(
            item.item_id, starts[i], ends[i], item.pinned_start is not None, computed[i]
        )
    return Schedule(
        plan_start=plan_start,
        entries=entries,
        milestones=_milestones(items, order, starts),
        issues=tuple(issues),
        missing_prerequisites=tuple(missing),
    )


def _pinning_issues(
    plan_start: date,
    items: Sequence[ScheduleItem],
    requires: Sequence[Sequence[int]],
    ends: Sequence[date],
    latest: Sequence[int],
) -> list[ScheduleIssue]:
    """Items pinned to start before the plan does, or before a prerequisite ends."""
    issues: list[ScheduleIssue] = []
    for i, item in enumerate(items):
        pinned = item.pinned_start
        if pinned is None or item.status in NOT_FLAGGED:
            continue
        if pinned < plan_start:
            issues.append(
                ScheduleIssue(
                    item.item_id,
                    "before plan start",
                    f"‘{item.title}’ is pinned to start {format_date(pinned)}, before the plan "
                    f"starts on {format_date(plan_start)}.",
                )
            )
        for t in requires[i]:
            if pinned < ends[t]:
                prereq = items[latest[t]]
                issues.append(
                    ScheduleIssue(
                        item.item_id,
                        "before prerequisite",
                        f"‘{item.title}’ is pinned to start {format_date(pinned)}, before its "
                        f"prerequisite ‘{prereq.title}’ ends on {format_date(ends[t] - _DAY)}; "
                        f"it can start on {format_date(ends[t])} at the earliest.",
                        prereq.item_id,
                    )
                )
    return issues


def _milestones(
    items: Sequence[ScheduleItem], order: Sequence[int], starts: Sequence[date]
) -> tuple[Milestone, ...]:
    """The items' steps as dated milestones, by day, then item order, then step order."""
    dated: list[tuple[date, int, int, Milestone]] = []
    for rank, i in enumerate(order):
        item = items[i]
        if not item.steps or item.status == "dropped":
            continue
        for k, (week, text) in enumerate(item.steps):
            day = starts[i] + _WEEK * week
            dated.append((day, rank, k, Milestone(item.item_id, day, text)))
    dated.sort(key=lambda m: m[:3])
    return tuple(m[3] for m in dated)


def filter_items(
    items: Iterable[ScheduleItem],
    *,
    owners: Iterable[str | None] | None = None,
    statuses: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
) -> list[ScheduleItem]:
    """The items matching every filter given; `None` means any. Owner `None` = no owner."""
    owner_set = None if owners is None else set(owners)
    status_set = None if statuses is None else set(statuses)
    category_set = None if categories is None else set(categories)
    return [
        item
        for item in items
        if (owner_set is None or item.owner_id in owner_set)
        and (status_set is None or item.status in status_set)
        and (category_set is None or item.category in category_set)
    ]
