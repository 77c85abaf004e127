"""Review meetings as records: reviews with their frozen snapshot, decisions, action items,
and the rules that need no database: the snapshot's shape (`snapshot_of`), comparing two
reviews (`compare_reviews`) and when the next review is due (`next_review_date`). The checks
of what a user types are `planner.domain.review_input`.

Comparing two reviews classifies every (item, metric) in either snapshot. The status decides;
progress only speaks when the status stayed the same:

    new        only in the newer snapshot
    gone       only in the older snapshot
    improved   the status got better: both tracked (off track < at risk < on track) and the
               newer is better, or from a grey status (no data, not started, no target) to on
               track
    slipped    the status got worse: both tracked and the newer is worse, or from a grey status
               to at risk or off track, or from a tracked status to no data (nobody is
               measuring it any more)
    moved      the same status, but progress moved by at least 5 points (PROGRESS_STEP, 0.05)
               up or down: shown with both figures, never called improved or slipped
    changed    another change of status (e.g. not started -> no data, on track -> no target)
    unchanged  the same status, progress within 5 points (or not measured in both)

Every change says why in words (`MetricChange.reason`): "at risk → on track", or "progress
62% → 48% (-14 points), still at risk"; plus the change of the adoption index (None when either
review has none).

Pure: imports only the domain. The use cases (recording, listing, action items) are in
`planner.services.reviews` and `planner.services.actions`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from planner.domain.planning import ActivityEntry, InvalidInputError, Plan
from planner.domain.progress import AT_RISK, NO_DATA, OFF_TRACK, ON_TRACK, PlanProgress

ACTION_STATUSES: tuple[str, ...] = ("open", "done", "dropped")
"""What an action item can be: open until it is done or dropped."""


PROGRESS_STEP = 0.05
"""The change of progress, with the same status, that counts as moved (5 points)."""


CHANGE_KINDS: tuple[str, ...] = (
    "improved",
    "slipped",
    "moved",
    "changed",
    "new",
    "gone",
    "unchanged",
)


_RANK = {OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2}


@dataclass(frozen=True, kw_only=True)
class ActionItem:
    """Something someone agreed to do. `owner_id` is a person; `owner_name` their name as
    shown (the person's name when `owner_id` is set, else free text, possibly empty)."""

    id: str
    plan_id: str
    text: str
    owner_id: str | None = None
    owner_name: str = ""
    due: dt.date | None = None
    status: str = "open"
    created_in_review: str | None = None
    closed_in_review: str | None = None
    created_at: dt.datetime | None = None
    created_by: str = ""
    updated_at: dt.datetime | None = None
    updated_by: str = ""

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due is not None and self.due < today


@dataclass(frozen=True)
class Decision:
    id: str
    review_id: str
    text: str


@dataclass(frozen=True)
class SnapshotRow:
    """One item-metric as it stood at a review."""

    item_id: str
    item_title: str
    metric_id: str
    metric_name: str
    status: str
    actual: float | None
    target: float | None
    expected: float | None
    progress: float | None


@dataclass(frozen=True)
class SnapshotItem:
    """One item's rolled-up status at a review."""

    item_id: str
    title: str
    status: str


@dataclass(frozen=True, kw_only=True)
class Review:
    """A recorded review meeting; `rows`, `items`, `adoption_index` and `agenda` are the frozen
    snapshot (the agenda: action items open at the meeting or created or closed in it, as they
    stood after it). `actions_created` are the ids of the action items created in it."""

    id: str
    plan_id: str
    date: dt.date
    as_of: dt.date
    attendees: tuple[str, ...]
    notes: str
    decisions: tuple[Decision, ...]
    actions_created: tuple[str, ...]
    rows: tuple[SnapshotRow, ...]
    items: tuple[SnapshotItem, ...]
    adoption_index: float | None
    agenda: tuple[ActionItem, ...]
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None

    def item_counts(self) -> dict[str, int]:
        """Items per rolled-up status at the review (only statuses that occur)."""
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts


class NewAction(NamedTuple):
    """An action item to create: (text, owner person id or None, due date or None); a free-text
    owner (someone who is not a person in the planner) goes in `owner_name`."""

    text: str
    owner_id: str | None = None
    due: dt.date | None = None
    owner_name: str | None = None


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


@dataclass(frozen=True)
class MetricChange:
    item_id: str
    item_title: str
    metric_id: str
    metric_name: str
    kind: str
    """improved, slipped, moved, changed, new, gone or unchanged (see the module docstring)."""
    older: SnapshotRow | None
    newer: SnapshotRow | None

    @property
    def progress_delta(self) -> float | None:
        """Newer minus older progress, when both were measured."""
        if self.older is None or self.newer is None:
            return None
        if self.older.progress is None or self.newer.progress is None:
            return None
        return self.newer.progress - self.older.progress

    @property
    def reason(self) -> str:
        """Why the change has its kind, in words a reader can check against the figures."""
        if self.older is None:
            return f"new since the older review, now {self.newer.status if self.newer else '—'}"
        if self.newer is None:
            return f"no longer in the plan (was {self.older.status})"
        if self.older.status != self.newer.status:
            return f"{self.older.status} → {self.newer.status}"
        delta = self.progress_delta
        if delta is None:
            return f"still {self.newer.status}"
        points = round(delta * 100)
        sign = "+" if points > 0 else "−" if points < 0 else "±"
        return (
            f"progress {_percent(self.older.progress)} → {_percent(self.newer.progress)} "
            f"({sign}{abs(points)} points), still {self.newer.status}"
        )


@dataclass(frozen=True)
class ReviewComparison:
    older: Review
    newer: Review
    changes: tuple[MetricChange, ...]
    index_delta: float | None

    def of_kind(self, kind: str) -> list[MetricChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def improved(self) -> list[MetricChange]:
        return self.of_kind("improved")

    @property
    def slipped(self) -> list[MetricChange]:
        return self.of_kind("slipped")

    @property
    def moved(self) -> list[MetricChange]:
        return self.of_kind("moved")

    @property
    def new(self) -> list[MetricChange]:
        return self.of_kind("new")

    @property
    def gone(self) -> list[MetricChange]:
        return self.of_kind("gone")


@dataclass(frozen=True)
class ReadingsAdded:
    """Readings of one item's metric that are new since a review: how many, dated from
    `first_day` to `last_day`."""

    item_id: str
    item_title: str
    metric_id: str
    count: int
    first_day: dt.date | None = None
    last_day: dt.date | None = None


@dataclass(frozen=True)
class ChangesSince:
    """What happened to a plan since a moment: log entries (newest first) and new readings (per
    item and metric, in plan order): recorded after `since`, or dated after `dated_after`."""

    since: dt.datetime
    activity: list[ActivityEntry]
    readings: list[ReadingsAdded]
    dated_after: dt.date | None = None

    @property
    def readings_added(self) -> int:
        return sum(r.count for r in self.readings)


def snapshot_of(progress: PlanProgress) -> dict[str, Any]:
    """The JSON snapshot of a plan's status (rows, items, adoption index, as-of date)."""
    return {
        "as_of": progress.as_of.isoformat(),
        "adoption_index": progress.adoption_index,
        "rows": [
            {
                "item_id": r.item_id,
                "item_title": r.item_title,
                "metric_id": r.metric.id,
                "metric_name": r.metric.name,
                "status": r.status,
                "actual": r.actual,
                "target": r.target,
                "expected": r.expected,
                "progress": r.progress,
            }
            for r in progress.rows
        ],
        "items": [
            {"item_id": i.item_id, "title": i.title, "status": i.status} for i in progress.items
        ],
    }


def action_json(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.id,
        "text": action.text,
        "owner_id": action.owner_id,
        "owner_name": action.owner_name,
        "due": action.due.isoformat() if action.due else None,
        "status": action.status,
        "created_in_review": action.created_in_review,
        "closed_in_review": action.closed_in_review,
    }


def action_from_json(plan_id: str, data: Mapping[str, Any]) -> ActionItem:
    return ActionItem(
        id=data["id"],
        plan_id=plan_id,
        text=data["text"],
        owner_id=data.get("owner_id"),
        owner_name=data.get("owner_name") or "",
        due=dt.date.fromisoformat(data["due"]) if data.get("due") else None,
        status=data["status"],
        created_in_review=data.get("created_in_review"),
        closed_in_review=data.get("closed_in_review"),
    )


def _change_kind(older: SnapshotRow, newer: SnapshotRow) -> str:
    old_rank, new_rank = _RANK.get(older.status), _RANK.get(newer.status)
    if older.status == newer.status:
        before, after = older.progress, newer.progress
        if before is not None and after is not None and abs(after - before) >= PROGRESS_STEP - 1e-9:
            return "moved"
        return "unchanged"
    if old_rank is not None and new_rank is not None:
        return "improved" if new_rank > old_rank else "slipped"
    if old_rank is None and new_rank is not None:
        return "improved" if newer.status == ON_TRACK else "slipped"
    if old_rank is not None and newer.status == NO_DATA:
        return "slipped"
    return "changed"


def compare_reviews(older: Review, newer: Review) -> ReviewComparison:
    """What changed between two reviews' snapshots (rule: see the module docstring). The
    changes list every item-metric of the newer snapshot in its order, then those gone."""
    old_rows = {(r.item_id, r.metric_id): r for r in older.rows}
    new_rows = {(r.item_id, r.metric_id): r for r in newer.rows}
    changes: list[MetricChange] = []
    for key, row in new_rows.items():
        before = old_rows.get(key)
        kind = "new" if before is None else _change_kind(before, row)
        changes.append(
            MetricChange(
                row.item_id, row.item_title, row.metric_id, row.metric_name, kind, before, row
            )
        )
    for key, row in old_rows.items():
        if key not in new_rows:
            changes.append(
                MetricChange(
                    row.item_id, row.item_title, row.metric_id, row.metric_name, "gone", row, None
                )
            )
    delta = (
        None
        if older.adoption_index is None or newer.adoption_index is None
        else newer.adoption_index - older.adoption_index
    )
    return ReviewComparison(older, newer, tuple(changes), delta)


def _add_months(start: dt.date, months: int) -> dt.date:
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _step(day: dt.date, cadence: str, steps: int = 1) -> dt.date:
    if cadence == "weekly":
        return day + dt.timedelta(days=7 * steps)
    if cadence == "fortnightly":
        return day + dt.timedelta(days=14 * steps)
    if cadence == "monthly":
        return _add_months(day, steps)
    if cadence == "quarterly":
        return _add_months(day, 3 * steps)
    raise InvalidInputError(f"'{cadence}' is not a review cadence.")


def next_review_date(plan: Plan, last_review_date: dt.date | None, today: dt.date) -> dt.date:
    """When the plan's next review is due, by its review cadence (weekly, fortnightly: 7 and 14
    days; monthly, quarterly: 1 and 3 calendar months, the 31st becoming a shorter month's
    last day).

    After a review: one cadence after it, even if that is before `today` (the review is then
    overdue: compare with today). Before any review: the first of the plan's own review dates
    (one cadence after its start, then every cadence, as `exchange.report.review_dates`) on or
    after `today`."""
    if last_review_date is not None:
        return _step(last_review_date, plan.review_cadence)
    steps = 1
    day = _step(plan.start_date, plan.review_cadence, steps)
    while day < today:
        steps += 1
        day = _step(plan.start_date, plan.review_cadence, steps)
    return day
