"""Owners' weekly workload: planned hours per owner per ISO week against their capacity.

Hours per owner per ISO week (Monday to Sunday) from `effort_hours_per_week` of the items active
that week ([start, end) overlaps the week), across every schedule passed in, so the caller adds
up all active plans (and drafts, for a what-if). Done and dropped items are not counted. An
item's hours are its own `effort_hours_per_week` when it has one, else its tactic's; a custom
item without one counts 0. Weeks over a person's capacity come as one `PersonOverload` per
person, naming the weeks as ranges and the items (and plans) behind the hours.

Pure: imports only `planner.domain.weeks` at run time, and the schedule records for typing.
`planner.domain.schedule` re-exports every public name here for its older importers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from planner.domain.weeks import (
    _WEEK,
    format_date,
    format_hours,
    format_week_ranges,
    week_label,
    week_start,
)

if TYPE_CHECKING:
    from planner.domain.schedule import PersonCapacity, Schedule, ScheduledItem, ScheduleItem

NO_OWNER = "No owner"
"""The label of the row of items without an owner."""

NOT_COUNTED_IN_WORKLOAD: frozenset[str] = frozenset({"done", "dropped"})


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
    schedules = list(schedule) if isinstance(schedule, Sequence) else [schedule]
    active = _active(schedules, items)
    mondays = _mondays(active, weeks)
    tally = _Tally(mondays, people)
    for item, entry in active:
        tally.add(item, entry)
    owners = tally.owners(people)

    matrix: list[tuple[float, ...]] = []
    overloads: list[Overload] = []
    for owner in owners:
        weekly_hours = tuple(round(h, 2) for h in tally.hours[owner.person_id])
        matrix.append(weekly_hours)
        pid, cap = owner.person_id, owner.capacity
        if pid is None or cap is None:
            continue
        for k, h in enumerate(weekly_hours):
            if h > cap + 1e-9:
                ids = tuple(i for lo, hi, i in tally.spans[pid] if lo <= k <= hi)
                overloads.append(Overload(pid, owner.name, mondays[k], h, cap, ids))
    return Workload(
        weeks=mondays,
        owners=tuple(owners),
        hours=tuple(matrix),
        overloads=tuple(overloads),
        unassigned=tuple(tally.unassigned),
        people_over=_by_person(overloads, {item.item_id: item for item, _ in active}),
    )


def _active(
    schedules: Sequence[Schedule], items: Iterable[ScheduleItem]
) -> list[tuple[ScheduleItem, ScheduledItem]]:
    """The items counted (not done or dropped, taking some time) with their scheduled dates."""
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
    return active


def _mondays(
    active: Sequence[tuple[ScheduleItem, ScheduledItem]], weeks: tuple[date, date] | None
) -> tuple[date, ...]:
    """The Monday of every week covered: the weeks given, else those of the items counted."""
    if weeks is not None:
        first = week_start(weeks[0])
        week_count = max(0, (week_start(weeks[1]) - first).days // 7 + 1)
    elif active:
        first = week_start(min(e.start for _, e in active))
        week_count = (week_start(max(e.last_day for _, e in active)) - first).days // 7 + 1
    else:
        first, week_count = date.min, 0
    return tuple(first + _WEEK * k for k in range(week_count))


class _Tally:
    """Hours per owner per week, added up item by item."""

    def __init__(self, mondays: tuple[date, ...], people: Sequence[PersonCapacity]) -> None:
        self.first = mondays[0] if mondays else date.min
        self.week_count = len(mondays)
        self.hours: dict[str | None, list[float]] = {
            p.person_id: [0.0] * self.week_count for p in people
        }
        self.names: dict[str | None, str] = {p.person_id: p.name for p in people}
        # Per owner: (first week index, last week index, item id), to name the items in an
        # overload.
        self.spans: dict[str | None, list[tuple[int, int, str]]] = {}
        self.unassigned: list[str] = []

    def add(self, item: ScheduleItem, entry: ScheduledItem) -> None:
        week_count = self.week_count
        lo = (week_start(entry.start) - self.first).days // 7
        hi = (week_start(entry.last_day) - self.first).days // 7
        if hi < 0 or lo >= week_count:
            return
        lo, hi = max(lo, 0), min(hi, week_count - 1)
        owner_id = item.owner_id
        if owner_id is None:
            self.unassigned.append(item.item_id)
        weekly = self.hours.get(owner_id)
        if weekly is None:
            weekly = self.hours[owner_id] = [0.0] * week_count
            self.names[owner_id] = item.owner_label
        effort = item.effort_hours_per_week
        for k in range(lo, hi + 1):
            weekly[k] += effort
        self.spans.setdefault(owner_id, []).append((lo, hi, item.item_id))

    def owners(self, people: Sequence[PersonCapacity]) -> list[WorkloadOwner]:
        """The people given, then owners not among them, then 'No owner' if any item has none."""
        known = {p.person_id for p in people}
        owners = [WorkloadOwner(p.person_id, p.name, p.capacity_hours_per_week) for p in people]
        owners.extend(
            WorkloadOwner(pid, self.names[pid], None)
            for pid in self.hours
            if pid is not None and pid not in known
        )
        if None in self.hours:
            owners.append(WorkloadOwner(None, NO_OWNER, None))
        return owners


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
