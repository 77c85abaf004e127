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
`planner.domain.weeks`; both are re-exported here for the modules that import them from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

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
from planner.errors import PlannerError

WORK_STATUSES: tuple[str, ...] = ("planned", "in progress", "done", "blocked", "dropped")
"""Item work statuses, in the order they are listed to users (the keys of theme.WORK_COLORS)."""

NOT_FLAGGED: frozenset[str] = frozenset({"done", "dropped"})


class ScheduleCycleError(PlannerError):
    """Plan items that wait for each other in a circle, so none of them can be scheduled."""

    def __init__(self, item_ids: Sequence[str], titles: Sequence[str]) -> None:
        self.item_ids = tuple(item_ids)
        self.titles = tuple(titles)
        chain = " → ".join([*self.titles, self.titles[0]])
        super().__init__(
            f"These plan items wait for each other in a circle, so none of them can be "
            f"scheduled: {chain} (each waits for the next). Drop one of them, or remove the "
            f"prerequisite from its tactic."
        )


# --- input ------------------------------------------------------------------------------------


_WORK_STATUS_SET = frozenset(WORK_STATUSES)


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


@dataclass(frozen=True, slots=True)
class MissingPrerequisite:
    """A prerequisite tactic no (non-dropped) item of the plan carries; the item does not wait."""

    item_id: str
    item_title: str
    tactic_id: str
    dropped: bool
    """True when the plan has the tactic, but only in dropped items."""

    @property
    def message(self) -> str:
        where = "only in dropped items" if self.dropped else "not in the plan"
        return (
            f"‘{self.item_title}’ needs tactic ‘{self.tactic_id}’, which is {where}; "
            f"it is scheduled without waiting for it."
        )


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


class _Dates(NamedTuple):
    """What the sort works out; nodes 0..n-1 are items, n.. are tactics (see compute_schedule)."""

    starts: list[date]
    computed: list[date]
    ends: list[date]
    """Exclusive ends of the items, then of the tactic nodes (the latest end of their items)."""
    requires: list[Sequence[int]]
    """Item -> the tactic nodes it waits for."""
    latest: list[int]
    """Tactic node -> the carrier that ends last."""
    missing: list[MissingPrerequisite]


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
    starts, computed, ends, requires, latest, missing = _solve(
        plan_start,
        field["item_id"],
        field["title"],
        field["tactic_id"],
        field["prerequisites"],
        field["duration_weeks"],
        field["pinned_start"],
        field["status"],
    )

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

    # By start, then end, then the order given (the index makes every key distinct; `ends`
    # goes on past the items with the tactic nodes, which zip leaves out).
    order = [i for _, _, i in sorted(zip(starts, ends, range(n), strict=False))]
    entries: dict[str, ScheduledItem] = {}
    for i in order:
        item = items[i]
        entries[item.item_id] = ScheduledItem(
            item.item_id, starts[i], ends[i], item.pinned_start is not None, computed[i]
        )
    dated: list[tuple[date, int, int, Milestone]] = []
    for rank, i in enumerate(order):
        item = items[i]
        if not item.steps or item.status == "dropped":
            continue
        for k, (week, text) in enumerate(item.steps):
            day = starts[i] + _WEEK * week
            dated.append((day, rank, k, Milestone(item.item_id, day, text)))
    dated.sort(key=lambda m: m[:3])
    return Schedule(
        plan_start=plan_start,
        entries=entries,
        milestones=tuple(m[3] for m in dated),
        issues=tuple(issues),
        missing_prerequisites=tuple(missing),
    )


def schedule_days(
    plan_start: date,
    *,
    item_ids: Sequence[str],
    titles: Sequence[str],
    tactic_ids: Sequence[str | None],
    prerequisites: Sequence[Sequence[str]],
    duration_weeks: Sequence[int],
    pinned_starts: Sequence[date | None],
    statuses: Sequence[str],
) -> tuple[list[date], list[date]]:
    """Just the dates: each item's first day and inclusive last day, in the order given.

    The items come field by field, one sequence per `ScheduleItem` field (all in the same item
    order), so a caller reading thousands of rows makes no ScheduleItem. The dates are those of
    `compute_schedule` (`entries[item_id].start` and `.last_day`), by the same sort with the
    same errors, but no entries, issues or milestones are made.
    """
    columns = (item_ids, titles, tactic_ids, prerequisites, duration_weeks, pinned_starts, statuses)
    if len({len(c) for c in columns}) > 1:
        raise ValueError("schedule_days needs one value per item in every field")
    dates = _solve(plan_start, *columns)
    # max(start, end - 1 day): the start day for a zero-week item (end == start).
    return dates.starts, [
        end - _DAY if end > start else start
        for start, end in zip(dates.starts, dates.ends, strict=False)  # ends go on: tactics
    ]


def _solve(
    plan_start: date,
    item_ids: Sequence[str],
    titles: Sequence[str],
    tactic_ids: Sequence[str | None],
    prerequisites: Sequence[Sequence[str]],
    durations: Sequence[int],
    pinned_starts: Sequence[date | None],
    statuses: Sequence[str],
) -> _Dates:
    """The sort behind compute_schedule and schedule_days, on the items field by field."""
    n = len(item_ids)
    if n and (
        len(set(item_ids)) < n or not _WORK_STATUS_SET.issuperset(statuses) or min(durations) < 0
    ):
        _check(item_ids, statuses, durations)

    # Tactic nodes in the order their first live (not dropped) carrier is given.
    live = [
        t for t, s in zip(tactic_ids, statuses, strict=True) if s != "dropped" and t is not None
    ]
    tactic_node: dict[str | None, int] = {t: n + k for k, t in enumerate(dict.fromkeys(live))}
    carries = [  # item -> the tactic node it counts for, -1 if none
        -1 if s == "dropped" else tactic_node.get(t, -1)
        for t, s in zip(tactic_ids, statuses, strict=True)
    ]
    dropped_tactics = {t for t, s in zip(tactic_ids, statuses, strict=True) if s == "dropped"}
    total = n + len(tactic_node)

    requires: list[Sequence[int]] = [()] * n  # item -> the tactic nodes it waits for
    missing: list[MissingPrerequisite] = []
    # Tactic node n + k -> the items waiting for it, at k. An item's only successor is the
    # tactic node it carries.
    waiting: list[list[int]] = [[] for _ in tactic_node]
    pending = [0] * total  # how many nodes each node still waits for
    for i, required in enumerate(prerequisites):
        if not required:
            continue
        nodes: list[int] = []
        requires[i] = nodes
        own = tactic_ids[i]
        for tactic_id in required if len(required) == 1 else dict.fromkeys(required):
            if tactic_id == own:
                continue  # a tactic never waits for itself (one circle per team)
            node = tactic_node.get(tactic_id)
            if node is None:
                dropped = tactic_id in dropped_tactics
                missing.append(MissingPrerequisite(item_ids[i], titles[i], tactic_id, dropped))
                continue
            nodes.append(node)
            waiting[node - n].append(i)
        pending[i] = len(nodes)
    for t in carries:
        if t >= 0:
            pending[t] += 1

    spans = {weeks: _WEEK * weeks for weeks in set(durations)}
    starts: list[date] = [plan_start] * n
    computed: list[date] = [plan_start] * n
    ends: list[date] = [plan_start] * total
    latest: list[int] = [-1] * total  # tactic node -> the carrier that ends last
    ready = [i for i in range(n) if not pending[i]]
    for node in ready:  # grows while we walk it
        if node < n:
            earliest = plan_start
            for t in requires[node]:
                if ends[t] > earliest:
                    earliest = ends[t]
            start = pinned_starts[node] or earliest
            end = start + spans[durations[node]]
            computed[node], starts[node], ends[node] = earliest, start, end
            t = carries[node]
            if t >= 0:
                if latest[t] < 0 or end > ends[t]:
                    ends[t], latest[t] = end, node
                pending[t] -= 1
                if not pending[t]:
                    ready.append(t)
        else:
            for other in waiting[node - n]:
                pending[other] -= 1
                if not pending[other]:
                    ready.append(other)
    if len(ready) < total:
        _raise_cycle(item_ids, titles, requires, carries, set(ready))
    return _Dates(starts, computed, ends, requires, latest, missing)


def _check(item_ids: Sequence[str], statuses: Sequence[str], durations: Sequence[int]) -> None:
    """Raise for the first item given twice or with an unknown status or a negative duration."""
    seen: set[str] = set()
    for item_id, status, weeks in zip(item_ids, statuses, durations, strict=True):
        if item_id in seen:
            raise ValueError(f"item id {item_id!r} appears twice")
        # Services validate what users type; reaching here with bad values is a bug.
        if status not in _WORK_STATUS_SET:
            raise ValueError(f"unknown work status {status!r} for item {item_id!r}")
        if weeks < 0:
            raise ValueError(f"negative duration for item {item_id!r}")
        seen.add(item_id)


def _raise_cycle(
    item_ids: Sequence[str],
    titles: Sequence[str],
    requires: list[Sequence[int]],
    carries: list[int],
    done: set[int],
) -> None:
    """Walk 'waits for' edges through the nodes the sort could not reach until one repeats.

    Every such node waits for another one of them, so the walk never stops short of a circle.
    """
    n = len(item_ids)
    carriers: dict[int, list[int]] = {}
    for i, t in enumerate(carries):
        if t >= 0 and i not in done:
            carriers.setdefault(t, []).append(i)
    node = min(i for i in range(n) if i not in done)
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        nexts = requires[node] if node < n else carriers[node]
        node = next(x for x in nexts if x not in done)
    cycle = [x for x in path[seen[node] :] if x < n]
    # Start from the item given first, so the message does not depend on where the walk began.
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    raise ScheduleCycleError([item_ids[i] for i in cycle], [titles[i] for i in cycle])


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
