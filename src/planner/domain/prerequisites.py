"""Prerequisites: the order plan items wait for each other in, and the dates that follow.

The sort behind `compute_schedule` and `schedule_days` (the rules are in
`planner.domain.schedule`'s docstring): items and the tactics they carry form a graph, walked
in dependency order from the plan start; prerequisites no live item carries are reported as
missing, and a circle raises `ScheduleCycleError` naming it. Pure: imports the work statuses
and the week arithmetic only; `planner.domain.schedule` re-exports every public name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from planner.domain.statuses import WORK_STATUSES
from planner.domain.weeks import (
    _DAY,
    _WEEK,
)
from planner.errors import PlannerError


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


_WORK_STATUS_SET = frozenset(WORK_STATUSES)


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
    dates = solve_dates(plan_start, *columns)
    # max(start, end - 1 day): the start day for a zero-week item (end == start).
    return dates.starts, [
        end - _DAY if end > start else start
        for start, end in zip(dates.starts, dates.ends, strict=False)  # ends go on: tactics
    ]


def solve_dates(
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

    graph = _graph(item_ids, titles, tactic_ids, prerequisites, statuses)
    total, requires, carries, waiting, pending, missing = graph

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


class _Graph(NamedTuple):
    """The items and tactics as a graph: items 0..n-1 wait for tactic nodes n.., each tactic
    node waits for the live items that carry it."""

    total: int
    requires: list[Sequence[int]]
    """Item -> the tactic nodes it waits for."""
    carries: list[int]
    """Item -> the tactic node it counts for, -1 if none."""
    waiting: list[list[int]]
    """Tactic node n + k -> the items waiting for it, at k."""
    pending: list[int]
    """How many nodes each node still waits for."""
    missing: list[MissingPrerequisite]


def _graph(
    item_ids: Sequence[str],
    titles: Sequence[str],
    tactic_ids: Sequence[str | None],
    prerequisites: Sequence[Sequence[str]],
    statuses: Sequence[str],
) -> _Graph:
    """The graph of solve_dates; prerequisites not carried by a live item are `missing`."""
    n = len(item_ids)
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

    return _Graph(total, requires, carries, waiting, pending, missing)


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
