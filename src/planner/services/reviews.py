"""Review meetings: recorded reviews with a frozen snapshot, decisions and action items.

A review is a meeting about a plan on a date. Recording one (`record_review`) saves, in one
transaction: the date, the attendees (names, as written), notes, decisions, new action items,
status changes to existing action items, and a *snapshot* of where the plan stood: every
item-metric row of `readings.plan_status` as of the review (item id and title, metric id and
name, status, actual, target, expected, progress), each item's rolled-up status, the adoption
index, and the action items on the agenda as they stood after the meeting. The snapshot is
stored as JSON, so a past review opens exactly as it was however the plan changes afterwards.

Like readings and stories, reviews and action items are data, not plan edits: they do not raise
the plan's version, but every write is logged in the plan's activity log (without a version).
An archived plan takes no reviews or action items.

Action items have a status: open, done or dropped. An open action item stays on the agenda of
every review until it is done or dropped; the review that closes it is remembered
(`closed_in_review`).

Comparing two reviews (`compare_reviews`) classifies every (item, metric) in either snapshot.
The status decides; progress only speaks when the status stayed the same:

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
62% → 48% (-14 points), still at risk".

plus the change of the adoption index (None when either review has none).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Engine

from planner.domain.access import Permission, require
from planner.domain.limits import day_problem, text_problem
from planner.domain.planning import (
    UNSEEN,
    ActivityEntry,
    InvalidInputError,
    Person,
    Plan,
    Unseen,
    describe_conflict,
    new_id,
    same_moment,
    utc_now,
)
from planner.domain.progress import AT_RISK, NO_DATA, OFF_TRACK, ON_TRACK, PlanProgress
from planner.errors import ConflictError, NotFoundError
from planner.store import (
    ActionItemRecord,
    NewActivity,
    Repository,
    ReviewRecord,
    ReviewRepository,
    uow,
)

__all__ = [
    "ACTION_STATUSES",
    "CHANGE_KINDS",
    "PROGRESS_STEP",
    "ActionItem",
    "ChangesSince",
    "Decision",
    "MetricChange",
    "MyWeek",
    "NewAction",
    "ReadingsAdded",
    "Review",
    "ReviewComparison",
    "SnapshotItem",
    "SnapshotRow",
    "WeekAction",
    "WeekItem",
    "WeekMilestone",
    "add_action",
    "changes_since",
    "changes_since_review",
    "compare_reviews",
    "get_review",
    "list_actions",
    "list_reviews",
    "my_week",
    "next_review_date",
    "open_actions",
    "record_review",
    "scrub_person_from_reviews",
    "set_action_status",
    "snapshot_of",
    "week_end",
]

ACTION_STATUSES: tuple[str, ...] = ("open", "done", "dropped")
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
WEEK_DAYS = 7
"""My week runs from today to today + WEEK_DAYS, both included (see `my_week`)."""
_RANK = {OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2}
_TEXT_LIMIT = 2000
_NAME_LIMIT = 200


# --- records ------------------------------------------------------------------------------------


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


class _Scrub(Protocol):
    def who(self, value: str) -> str: ...

    def text(self, value: str) -> str: ...


# --- snapshots and records ----------------------------------------------------------------------


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


def _action_json(action: ActionItem) -> dict[str, Any]:
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


def _action_from_json(plan_id: str, data: Mapping[str, Any]) -> ActionItem:
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


def _action(record: ActionItemRecord) -> ActionItem:
    return ActionItem(**vars(record))


def _review(record: ReviewRecord, decisions: Sequence[Decision]) -> Review:
    snap = record.snapshot
    return Review(
        id=record.id,
        plan_id=record.plan_id,
        date=record.date,
        as_of=dt.date.fromisoformat(snap["as_of"]),
        attendees=tuple(record.attendees),
        notes=record.notes,
        decisions=tuple(decisions),
        actions_created=tuple(snap.get("actions_created", ())),
        rows=tuple(SnapshotRow(**r) for r in snap["rows"]),
        items=tuple(SnapshotItem(**i) for i in snap["items"]),
        adoption_index=snap["adoption_index"],
        agenda=tuple(_action_from_json(record.plan_id, a) for a in snap.get("agenda", ())),
        recorded_by=record.recorded_by,
        recorded_at=record.recorded_at,
    )


# --- checks -------------------------------------------------------------------------------------


def _writable(repo: ReviewRepository, plan_id: str) -> Plan:
    # Locked first, so the plan's status and its action items are read after the writes ahead.
    plan = repo.plan(plan_id, lock="update")
    if plan.status == "archived":
        raise InvalidInputError(
            f"Plan '{plan.name}' is archived. Set its status to draft or active to record "
            "reviews or action items."
        )
    return plan


def _check_fresh(
    repo: ReviewRepository, action: ActionItem, seen: dt.datetime | None, now: dt.datetime
) -> None:
    """Refuse a change to `action` if it was changed after the page drew it (`seen`: its
    `updated_at` then; compare-and-swap under the plan's lock)."""
    if same_moment(action.updated_at, seen):
        return
    entries = [
        e
        for e in (repo.activity_since(action.plan_id, seen) if seen else [])
        if (e.entity == "action" and e.entity_id == action.id) or e.entity == "review"
    ]
    raise ConflictError(
        describe_conflict(
            entries, expected_version=0, now=now, subject=f"The action item '{action.text}'"
        )
    )


def _day(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if (problem := day_problem(value)) is not None:
            raise InvalidInputError(f"{label}: {problem}.")
        return value
    raise InvalidInputError(f"{label} must be a date, not {value!r}.")


def _text(value: Any, label: str, limit: int = _TEXT_LIMIT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{label} needs some text.")
    text = value.strip()
    if len(text) > limit:
        raise InvalidInputError(f"{label} is longer than {limit} letters.")
    if "\x00" in text:
        raise InvalidInputError(f"{label} {text_problem(text)}.")
    return text


def _status(value: Any, label: str) -> str:
    if value not in ACTION_STATUSES:
        raise InvalidInputError(
            f"{label}: '{value}' is not an action status; use one of {', '.join(ACTION_STATUSES)}."
        )
    return str(value)


def _attendees(names: Iterable[str]) -> tuple[str, ...]:
    if isinstance(names, str):
        raise InvalidInputError("Attendees must be a list of names, not one text.")
    seen: dict[str, str] = {}
    for name in names:
        if not isinstance(name, str):
            raise InvalidInputError(f"An attendee must be a name, not {name!r}.")
        clean = name.strip()
        if not clean:
            continue
        if len(clean) > _NAME_LIMIT:
            raise InvalidInputError(f"The attendee name '{clean[:40]}…' is too long.")
        seen.setdefault(clean.casefold(), clean)
    return tuple(seen.values())


def _new_action(
    repo: ReviewRepository,
    plan_id: str,
    raw: NewAction | tuple[Any, ...],
    *,
    review_id: str | None,
    people: Mapping[str, Person],
    actor: str,
    at: dt.datetime,
    number: int | None = None,
) -> ActionItem:
    where = "The action item" if number is None else f"Action item {number}"
    spec = NewAction(*raw)
    text = _text(spec.text, where)
    owner_id = spec.owner_id.strip() if isinstance(spec.owner_id, str) else spec.owner_id
    owner_id = owner_id or None
    if owner_id is not None:
        person = people.get(owner_id)
        if person is None:
            raise NotFoundError(
                f"{where}: no person with id '{owner_id}'. Choose someone from People."
            )
        owner_name = person.name
    else:
        owner_name = (spec.owner_name or "").strip()
        if len(owner_name) > _NAME_LIMIT:
            raise InvalidInputError(f"{where}: the owner's name is too long.")
    due = None if spec.due is None else _day(spec.due, f"{where}: the due date")
    return ActionItem(
        id=new_id("ac"),
        plan_id=plan_id,
        text=text,
        owner_id=owner_id,
        owner_name=owner_name,
        due=due,
        status="open",
        created_in_review=review_id,
        # Action items created together keep the order given (created_at orders the agenda).
        created_at=at + dt.timedelta(microseconds=number or 0),
        created_by=actor,
        updated_at=at,
        updated_by=actor,
    )


def _people_for(
    repo: ReviewRepository, specs: Iterable[NewAction | tuple[Any, ...]]
) -> dict[str, Person]:
    ids = {s[1].strip() for s in specs if len(s) > 1 and isinstance(s[1], str) and s[1].strip()}
    return {p.id: p for p in repo.people(ids)} if ids else {}


def _entry(
    plan_id: str,
    action: str,
    entity: str,
    entity_id: str,
    summary: str,
    actor: str,
    at: dt.datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> NewActivity:
    return NewActivity(
        plan_id=plan_id,
        version=None,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        before=before,
        after=after,
    )


# --- services -----------------------------------------------------------------------------------


def record_review(
    engine: Engine,
    plan_id: str,
    *,
    date: dt.date,
    attendees: Iterable[str],
    notes: str = "",
    decisions: Sequence[str] = (),
    new_actions: Sequence[NewAction | tuple[Any, ...]] = (),
    action_updates: Mapping[str, str] | None = None,
    action_seen: Mapping[str, dt.datetime | None] | None = None,
    actor: str,
    as_of: dt.date | None = None,
) -> Review:
    """Record a review meeting, in one transaction: its snapshot (the plan's status as of
    `as_of`, default the meeting date), decisions (each needs text), new action items
    (`NewAction` or (text, owner_id, due) tuples), status changes to existing action items of
    the plan ({action id: 'open' | 'done' | 'dropped'}) and one activity entry.

    `action_seen` ({action id: its `updated_at` as the page drew it}) guards those status
    changes: an action item someone changed since is a ConflictError naming who and what, and
    nothing is written. Pages pass it; without it the changes apply to whatever is stored.

    Bad input (an empty decision, an unknown action id or owner, a bad status) raises
    PlannerError and writes nothing."""
    require(actor, Permission.REVIEW_EDIT, f"record a review of plan {plan_id}")
    from planner.store.status import read_plan_status

    at = utc_now()
    day = _day(date, "The review date")
    snapshot_day = day if as_of is None else _day(as_of, "The as-of date")
    names = _attendees(attendees)
    if not isinstance(notes, str):
        raise InvalidInputError("The review notes must be text.")
    notes = notes.strip()
    if isinstance(decisions, str):
        raise InvalidInputError("Decisions must be a list of texts, not one text.")
    decision_texts = [_text(d, f"Decision {n}") for n, d in enumerate(decisions, start=1)]
    updates = dict(action_updates or {})
    for action_id, status in updates.items():
        _status(status, f"Action item '{action_id}'")
    review_id = new_id("rv")
    with uow(engine) as session:
        repo = ReviewRepository(session)
        plan = _writable(repo, plan_id)
        people = _people_for(repo, new_actions)
        created = [
            _new_action(
                repo, plan.id, a, review_id=review_id, people=people, actor=actor, at=at, number=n
            )
            for n, a in enumerate(new_actions, start=1)
        ]
        existing = {a.id: _action(a) for a in repo.action_items(plan.id)}
        unknown = sorted(set(updates) - set(existing))
        if unknown:
            raise NotFoundError(
                f"No action item {', '.join(repr(u) for u in unknown)} in plan '{plan.name}'; "
                "reload the page."
            )
        changed: list[ActionItem] = []
        for action_id, status in updates.items():
            old = existing[action_id]
            if action_seen is not None and action_id in action_seen:
                _check_fresh(repo, old, action_seen[action_id], at)
            if old.status == status:
                continue
            new = replace(
                old,
                status=status,
                closed_in_review=None if status == "open" else review_id,
                updated_at=at,
                updated_by=actor,
            )
            existing[action_id] = new
            changed.append(new)
        progress = read_plan_status(session, plan.id, snapshot_day)
        snapshot = snapshot_of(progress)
        changed_ids = {a.id for a in changed}
        agenda = [a for a in existing.values() if a.is_open or a.id in changed_ids] + created
        agenda.sort(key=_action_order)
        snapshot["agenda"] = [_action_json(a) for a in agenda]
        snapshot["actions_created"] = [a.id for a in created]
        record = ReviewRecord(
            id=review_id,
            plan_id=plan.id,
            date=day,
            attendees=list(names),
            notes=notes,
            snapshot=snapshot,
            recorded_by=actor,
            recorded_at=at,
        )
        repo.add_review(record)
        decided = [Decision(new_id("dc"), review_id, t) for t in decision_texts]
        repo.add_decisions([(d.id, d.review_id, n, d.text) for n, d in enumerate(decided)])
        repo.add_action_items([_action_record(a) for a in created])
        repo.save_action_items([_action_record(a) for a in changed])
        summary = (
            f"Recorded the review of {day.isoformat()}: {_count(len(decided), 'decision')}, "
            f"{_count(len(created), 'new action item')}, {_count(len(changed), 'action item')} "
            "updated"
        )
        repo.log(
            [
                _entry(
                    plan.id,
                    "create",
                    "review",
                    review_id,
                    summary,
                    actor,
                    at,
                    after={
                        "date": day.isoformat(),
                        "attendees": list(names),
                        "decisions": decision_texts,
                        "actions_created": [a.text for a in created],
                        "action_updates": {a.id: a.status for a in changed},
                    },
                )
            ]
        )
    return _review(record, decided)


def _action_order(action: ActionItem) -> tuple[Any, ...]:
    return (action.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), action.id)


def _action_record(action: ActionItem) -> ActionItemRecord:
    return ActionItemRecord(**vars(action))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def list_reviews(engine: Engine, plan_id: str) -> list[Review]:
    """The plan's reviews, newest first (by meeting date, then by when they were recorded)."""
    with uow(engine, write=False) as session:
        repo = ReviewRepository(session)
        repo.plan(plan_id)
        records = repo.reviews(plan_id)
        decisions = repo.decisions([r.id for r in records])
    return [_review(r, [Decision(*d) for d in decisions.get(r.id, [])]) for r in records]


def get_review(engine: Engine, review_id: str) -> Review:
    with uow(engine, write=False) as session:
        repo = ReviewRepository(session)
        record = repo.review(review_id)
        decisions = repo.decisions([record.id])
    return _review(record, [Decision(*d) for d in decisions.get(record.id, [])])


def list_actions(engine: Engine, plan_id: str) -> list[ActionItem]:
    """Every action item of the plan, oldest first."""
    with uow(engine, write=False) as session:
        repo = ReviewRepository(session)
        repo.plan(plan_id)
        return sorted((_action(a) for a in repo.action_items(plan_id)), key=_action_order)


def open_actions(engine: Engine, plan_id: str) -> list[ActionItem]:
    """The plan's open action items (the review agenda), oldest first."""
    return [a for a in list_actions(engine, plan_id) if a.is_open]


def add_action(
    engine: Engine,
    plan_id: str,
    text: str,
    *,
    actor: str,
    owner_id: str | None = None,
    owner_name: str | None = None,
    due: dt.date | None = None,
) -> ActionItem:
    """An open action item added between reviews (no review created it)."""
    require(actor, Permission.REVIEW_EDIT, f"add an action item to plan {plan_id}")
    at = utc_now()
    with uow(engine) as session:
        repo = ReviewRepository(session)
        plan = _writable(repo, plan_id)
        spec = NewAction(text, owner_id, due, owner_name)
        action = _new_action(
            repo,
            plan.id,
            spec,
            review_id=None,
            people=_people_for(repo, [spec]),
            actor=actor,
            at=at,
        )
        repo.add_action_items([_action_record(action)])
        repo.log(
            [
                _entry(
                    plan.id,
                    "create",
                    "action",
                    action.id,
                    f"Added the action item '{action.text}'",
                    actor,
                    at,
                    after=_action_json(action),
                )
            ]
        )
    return action


def set_action_status(
    engine: Engine,
    action_id: str,
    status: str,
    *,
    actor: str,
    seen: dt.datetime | Unseen | None = UNSEEN,
) -> ActionItem:
    """Mark an action item open, done or dropped (outside a review: no review closes it).

    `seen` is the action item's `updated_at` as the page drew it: if anyone changed it since,
    a ConflictError says who and what, and nothing is written (even when the status would be
    the same). The command line, which draws nothing, leaves it out."""
    require(actor, Permission.REVIEW_EDIT, f"change action item {action_id}")
    at = utc_now()
    status = _status(status, f"Action item '{action_id}'")
    with uow(engine) as session:
        repo = ReviewRepository(session)
        plan_id = repo.action_item(action_id).plan_id
        plan = _writable(repo, plan_id)
        old = _action(repo.action_item(action_id))  # read again under the plan's lock
        if not isinstance(seen, Unseen):
            _check_fresh(repo, old, seen, at)
        if old.status == status:
            return old
        new = replace(
            old,
            status=status,
            closed_in_review=None if status == "open" else old.closed_in_review,
            updated_at=at,
            updated_by=actor,
        )
        repo.save_action_items([_action_record(new)])
        repo.log(
            [
                _entry(
                    plan.id,
                    "update",
                    "action",
                    new.id,
                    f"Marked the action item '{new.text}' {status}",
                    actor,
                    at,
                    before={"status": old.status},
                    after={"status": status},
                )
            ]
        )
    return new


# --- comparing and catching up ------------------------------------------------------------------


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


def changes_since(
    engine: Engine, plan_id: str, since: dt.datetime, *, dated_after: dt.date | None = None
) -> ChangesSince:
    """The plan's activity entries logged after `since` (newest first) and its new readings,
    counted per item and metric: recorded after `since`, or (with `dated_after`) dated after
    that day whenever they were recorded. For the changes since a review use
    `changes_since_review`."""
    if since.tzinfo is None:
        raise InvalidInputError("`since` must be a timezone-aware datetime (UTC).")
    with uow(engine, write=False) as session:
        repo = ReviewRepository(session)
        repo.plan(plan_id)
        entries = repo.activity_since(plan_id, since)
        counts = repo.readings_added_since(plan_id, since, dated_after)
    return ChangesSince(since, entries, [ReadingsAdded(*c) for c in counts], dated_after)


def changes_since_review(engine: Engine, review: Review) -> ChangesSince:
    """What changed since a review: activity logged after it was recorded, and the readings it
    did not see: dated after the day of its snapshot (`as_of`, the meeting date unless recorded
    otherwise), or recorded after it (a late reading for an earlier period, a replaced one).
    A reading entered before the meeting but dated after it counts: the review never saw it."""
    since = review.recorded_at or dt.datetime.combine(review.date, dt.time.max, tzinfo=dt.UTC)
    return changes_since(engine, review.plan_id, since, dated_after=review.as_of)


# --- between meetings ---------------------------------------------------------------------------


def week_end(today: dt.date) -> dt.date:
    """The last day of My week's window starting `today` (included): today + 7 days."""
    return today + dt.timedelta(days=WEEK_DAYS)


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


# --- erasure ------------------------------------------------------------------------------------


def scrub_person_from_reviews(repo: Repository, person_id: str, scrub: _Scrub) -> int:
    """For `privacy.erase_person`, inside its transaction and BEFORE it deletes the person:
    action items they own lose their owner (owner_id None, owner name scrubbed), and attendee
    names, notes, decision texts, action texts and who-columns naming them are scrubbed, in
    the stored snapshots too. Returns how many rows changed."""
    return ReviewRepository(repo.session).scrub_reviews(person_id, scrub.who, scrub.text)
