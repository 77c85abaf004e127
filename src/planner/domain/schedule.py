"""Dependency-aware dates for plan items, their dated milestones, and owners' weekly workload.

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

Workload: hours per owner per ISO week (Monday to Sunday) from `effort_hours_per_week` of the
items active that week ([start, end) overlaps the week), across every schedule passed in, so the
caller adds up all active plans (and drafts, for a what-if). Done and dropped items are not
counted. An item's hours are its own `effort_hours_per_week` when it has one, else its tactic's;
a custom item without one counts 0. Weeks over a person's capacity come as one `PersonOverload`
per person, naming the weeks as ranges and the items (and plans) behind the hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from planner.errors import PlannerError

WORK_STATUSES: tuple[str, ...] = ("planned", "in progress", "done", "blocked", "dropped")
"""Item work statuses, in the order they are listed to users (the keys of theme.WORK_COLORS)."""

NOT_COUNTED_IN_WORKLOAD: frozenset[str] = frozenset({"done", "dropped"})
NOT_FLAGGED: frozenset[str] = frozenset({"done", "dropped"})
NO_OWNER = "No owner"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEK = timedelta(days=7)
_DAY = timedelta(days=1)


def format_date(d: date) -> str:
    """A date as users read it: `3 Feb 2027` (the same in every locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def format_hours(hours: float) -> str:
    """`12 h`, `12.5 h`, `1,200 h`: no false precision."""
    text = f"{hours:,.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text} h"


def week_start(d: date) -> date:
    """The Monday of the ISO week containing `d`."""
    return d - timedelta(days=d.weekday())


def week_label(monday: date) -> str:
    """ISO week label, e.g. `2027-W03`."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


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


# --- workload ---------------------------------------------------------------------------------


class WorkloadRow(NamedTuple):
    """One owner's planned hours in one week; `person_id` None is the no-owner row."""

    person_id: str | None
    person_name: str
    week_start: date
    hours: float
    capacity: float | None
    """None when the owner is not among the people given (capacity unknown)."""

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.hours > self.capacity + 1e-9


@dataclass(frozen=True, slots=True)
class Overload:
    person_id: str
    person_name: str
    week_start: date
    hours: float
    capacity: float
    item_ids: tuple[str, ...]
    """The items adding up to `hours` that week."""

    @property
    def message(self) -> str:
        return (
            f"{self.person_name} has {format_hours(self.hours)} planned in the week of "
            f"{format_date(self.week_start)}, over a capacity of {format_hours(self.capacity)}."
        )


def format_week_ranges(mondays: Sequence[date]) -> str:
    """Weeks (their Mondays) as ranges users read: `12 Jan – 2 Feb 2027, 16 Feb 2027`.

    Consecutive weeks join into one range from the first Monday to the last; the year is
    written once when both ends share it."""
    runs: list[tuple[date, date]] = []
    for monday in sorted(set(mondays)):
        if runs and monday - runs[-1][1] == _WEEK:
            runs[-1] = (runs[-1][0], monday)
        else:
            runs.append((monday, monday))
    parts = []
    for first, last in runs:
        if first == last:
            parts.append(format_date(first))
        elif first.year == last.year:
            parts.append(f"{first.day} {_MONTHS[first.month - 1]} – {format_date(last)}")
        else:
            parts.append(f"{format_date(first)} – {format_date(last)}")
    return ", ".join(parts)


MAX_ITEMS_NAMED = 5
"""A person's overload warning names the items with the biggest share of the hours, this many."""


@dataclass(frozen=True, slots=True)
class LoadItem:
    """One item behind an owner's hours: what it is, in which plan, and how much it asks."""

    item_id: str
    title: str
    plan_name: str
    hours_per_week: float
    weeks: int
    """How many of the overloaded weeks it runs in."""


@dataclass(frozen=True, slots=True)
class PersonOverload:
    """Everything over one person's capacity in the weeks covered: one warning, not one a week."""

    person_id: str
    person_name: str
    capacity: float
    weeks: tuple[date, ...]
    """The Mondays of the weeks over capacity, in order."""
    peak_hours: float
    items: tuple[LoadItem, ...]
    """The items running in those weeks, the biggest share first."""

    @property
    def message(self) -> str:
        count = len(self.weeks)
        behind = "; ".join(
            f"‘{i.title}’"
            + (f" ({i.plan_name})" if i.plan_name else "")
            + f" {format_hours(i.hours_per_week)}/week"
            + ("" if i.weeks == count else f" in {i.weeks} of them")
            for i in self.items[:MAX_ITEMS_NAMED]
        )
        if len(self.items) > MAX_ITEMS_NAMED:
            behind += f"; and {len(self.items) - MAX_ITEMS_NAMED:,} more items"
        return (
            f"{self.person_name} is over their capacity of {format_hours(self.capacity)} a week "
            f"in {count} week{'s' if count != 1 else ''} ({format_week_ranges(self.weeks)}), "
            f"up to {format_hours(self.peak_hours)}. The hours come from: {behind}."
        )


@dataclass(frozen=True, slots=True)
class WorkloadOwner:
    """A row of the workload: a person, an owner not among the people given, or no owner."""

    person_id: str | None
    name: str
    capacity: float | None


@dataclass(frozen=True)
class Workload:
    weeks: tuple[date, ...]
    """The Monday of every week covered, in order."""
    owners: tuple[WorkloadOwner, ...]
    """The people given, in their order; then owners not among them (capacity unknown); then
    'No owner' (person_id None) when some item counted has no owner."""
    hours: tuple[tuple[float, ...], ...]
    """hours[owner index][week index], rounded to 0.01 h; zero weeks included."""
    overloads: tuple[Overload, ...]
    unassigned: tuple[str, ...]
    """Ids of items without an owner that are active in the weeks covered."""
    people_over: tuple[PersonOverload, ...] = ()
    """The overloads person by person (in the order of `owners`): what a page warns about."""

    def rows(self) -> list[WorkloadRow]:
        """Owner by owner, week by week: every owner × week, zero hours included."""
        return [
            WorkloadRow(owner.person_id, owner.name, monday, hours, owner.capacity)
            for owner, weekly in zip(self.owners, self.hours, strict=True)
            for monday, hours in zip(self.weeks, weekly, strict=True)
        ]

    def hours_for(self, person_id: str | None, monday: date) -> float:
        """Planned hours of one owner in the week starting `monday` (0 if not covered)."""
        for owner, weekly in zip(self.owners, self.hours, strict=True):
            if owner.person_id == person_id:
                for week, hours in zip(self.weeks, weekly, strict=True):
                    if week == monday:
                        return hours
        return 0.0

    def as_records(self) -> list[dict[str, Any]]:
        """Plain rows for tables, CSV and reports."""
        return [
            {
                "person_id": row.person_id,
                "person": row.person_name,
                "week_start": row.week_start,
                "week": week_label(row.week_start),
                "hours": row.hours,
                "capacity": row.capacity,
                "over_capacity": row.over_capacity,
            }
            for row in self.rows()
        ]


def weekly_workload(
    schedule: Schedule | Sequence[Schedule],
    items: Iterable[ScheduleItem],
    people: Sequence[PersonCapacity],
    weeks: tuple[date, date] | None = None,
) -> Workload:
    """Hours per owner per week against capacity, across the plans whose schedules are given.

    `weeks` is (from, to): every week containing a day between them, both included. By default,
    the weeks from the first start to the last day of the items counted (none if there are none).
    Cost: items × the weeks each is active, plus owners × weeks.
    """
    schedules = [schedule] if isinstance(schedule, Schedule) else list(schedule)
    entries: dict[str, ScheduledItem] = {}
    for s in schedules:
        entries.update(s.entries)

    active: list[tuple[ScheduleItem, ScheduledItem]] = []
    for item in items:
        if item.status in NOT_COUNTED_IN_WORKLOAD:
            continue
        entry = entries.get(item.item_id)
        if entry is None:
            raise ValueError(f"item {item.item_id!r} is not in the schedules given")
        if entry.end > entry.start:
            active.append((item, entry))

    if weeks is not None:
        first = week_start(weeks[0])
        week_count = max(0, (week_start(weeks[1]) - first).days // 7 + 1)
    elif active:
        first = week_start(min(e.start for _, e in active))
        week_count = (week_start(max(e.last_day for _, e in active)) - first).days // 7 + 1
    else:
        first, week_count = date.min, 0
    mondays = tuple(first + _WEEK * k for k in range(week_count))

    hours: dict[str | None, list[float]] = {p.person_id: [0.0] * week_count for p in people}
    names: dict[str | None, str] = {p.person_id: p.name for p in people}
    # Per owner: (first week index, last week index, item id), to name the items in an overload.
    spans: dict[str | None, list[tuple[int, int, str]]] = {}
    unassigned: list[str] = []
    for item, entry in active:
        lo = (week_start(entry.start) - first).days // 7
        hi = (week_start(entry.last_day) - first).days // 7
        if hi < 0 or lo >= week_count:
            continue
        lo, hi = max(lo, 0), min(hi, week_count - 1)
        owner_id = item.owner_id
        if owner_id is None:
            unassigned.append(item.item_id)
        weekly = hours.get(owner_id)
        if weekly is None:
            weekly = hours[owner_id] = [0.0] * week_count
            names[owner_id] = item.owner_label
        effort = item.effort_hours_per_week
        for k in range(lo, hi + 1):
            weekly[k] += effort
        spans.setdefault(owner_id, []).append((lo, hi, item.item_id))

    known = {p.person_id for p in people}
    owners = [WorkloadOwner(p.person_id, p.name, p.capacity_hours_per_week) for p in people]
    owners.extend(
        WorkloadOwner(pid, names[pid], None)
        for pid in hours
        if pid is not None and pid not in known
    )
    if None in hours:
        owners.append(WorkloadOwner(None, NO_OWNER, None))

    matrix: list[tuple[float, ...]] = []
    overloads: list[Overload] = []
    for owner in owners:
        weekly_hours = tuple(round(h, 2) for h in hours[owner.person_id])
        matrix.append(weekly_hours)
        pid, cap = owner.person_id, owner.capacity
        if pid is None or cap is None:
            continue
        for k, h in enumerate(weekly_hours):
            if h > cap + 1e-9:
                ids = tuple(i for lo, hi, i in spans[pid] if lo <= k <= hi)
                overloads.append(Overload(pid, owner.name, mondays[k], h, cap, ids))
    return Workload(
        weeks=mondays,
        owners=tuple(owners),
        hours=tuple(matrix),
        overloads=tuple(overloads),
        unassigned=tuple(unassigned),
        people_over=_by_person(overloads, {item.item_id: item for item, _ in active}),
    )


def _by_person(
    overloads: Sequence[Overload], items: dict[str, ScheduleItem]
) -> tuple[PersonOverload, ...]:
    grouped: dict[str, list[Overload]] = {}
    for o in overloads:
        grouped.setdefault(o.person_id, []).append(o)
    out = []
    for person_id, weeks_over in grouped.items():
        counts: dict[str, int] = {}
        for o in weeks_over:
            for item_id in o.item_ids:
                counts[item_id] = counts.get(item_id, 0) + 1
        behind = [
            LoadItem(
                i,
                items[i].title,
                items[i].plan_name,
                items[i].effort_hours_per_week,
                counts[i],
            )
            for i in counts
            if items[i].effort_hours_per_week > 0
        ]
        behind.sort(key=lambda b: (-b.hours_per_week * b.weeks, b.title))
        first = weeks_over[0]
        out.append(
            PersonOverload(
                person_id,
                first.person_name,
                first.capacity,
                tuple(o.week_start for o in weeks_over),
                max(o.hours for o in weeks_over),
                tuple(behind),
            )
        )
    return tuple(out)
