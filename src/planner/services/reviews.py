"""Review meetings: recording a review with its frozen snapshot, and reading reviews back.

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
(`closed_in_review`). Action items between reviews are `planner.services.actions`; My week is
`planner.services.week`; the records and the rules that need no database (the snapshot's shape,
comparing two reviews, the next review date) are `planner.domain.reviews`. Every public name
of those stays importable from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple, Protocol

from planner.domain.access import Permission, require
from planner.domain.planning import InvalidInputError, Plan, new_id
from planner.domain.review_input import attendee_names, checked_day, checked_status, checked_text
from planner.domain.reviews import ACTION_STATUSES as ACTION_STATUSES
from planner.domain.reviews import CHANGE_KINDS as CHANGE_KINDS
from planner.domain.reviews import PROGRESS_STEP as PROGRESS_STEP
from planner.domain.reviews import ActionItem as ActionItem
from planner.domain.reviews import ChangesSince as ChangesSince
from planner.domain.reviews import Decision as Decision
from planner.domain.reviews import MetricChange as MetricChange
from planner.domain.reviews import NewAction as NewAction
from planner.domain.reviews import ReadingsAdded as ReadingsAdded
from planner.domain.reviews import Review as Review
from planner.domain.reviews import ReviewComparison as ReviewComparison
from planner.domain.reviews import SnapshotItem as SnapshotItem
from planner.domain.reviews import SnapshotRow as SnapshotRow
from planner.domain.reviews import action_from_json, action_json
from planner.domain.reviews import compare_reviews as compare_reviews
from planner.domain.reviews import next_review_date as next_review_date
from planner.domain.reviews import snapshot_of as snapshot_of
from planner.domain.week import WEEK_DAYS as WEEK_DAYS
from planner.domain.week import MyWeek as MyWeek
from planner.domain.week import WeekAction as WeekAction
from planner.domain.week import WeekItem as WeekItem
from planner.domain.week import WeekMilestone as WeekMilestone
from planner.domain.week import week_end as week_end
from planner.errors import NotFoundError
from planner.services.actions import (
    _action_of,
    _action_order,
    _action_record,
    _check_fresh,
    _new_action,
    _people_for,
    _writable_plan,
)
from planner.services.actions import add_action as add_action
from planner.services.actions import list_actions as list_actions
from planner.services.actions import open_actions as open_actions
from planner.services.actions import set_action_status as set_action_status
from planner.services.week import my_week as my_week
from planner.services.writes import Write
from planner.store import Engine, Repository, ReviewRecord, ReviewRepository, uow
from planner.store.status import read_plan_status

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


# --- records ------------------------------------------------------------------------------------


class _Scrub(Protocol):
    def who(self, value: str) -> str: ...

    def text(self, value: str) -> str: ...


# --- snapshots and records ----------------------------------------------------------------------


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
        agenda=tuple(action_from_json(record.plan_id, a) for a in snap.get("agenda", ())),
        recorded_by=record.recorded_by,
        recorded_at=record.recorded_at,
    )


# --- checks -------------------------------------------------------------------------------------


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
    meeting = _meeting(date, as_of, attendees, notes, decisions, action_updates)
    review_id = new_id("rv")
    with uow(engine) as session, Write.on(repo := ReviewRepository(session), actor) as write:
        at = write.at
        plan = _writable_plan(write, plan_id)
        people = _people_for(repo, new_actions)
        created = [
            _new_action(
                repo, plan.id, a, review_id=review_id, people=people, actor=actor, at=at, number=n
            )
            for n, a in enumerate(new_actions, start=1)
        ]
        existing = {a.id: _action_of(a) for a in repo.action_items(plan.id)}
        changed = _status_changes(
            repo, plan, existing, meeting.updates, action_seen, review_id, actor, at
        )
        snapshot = snapshot_of(read_plan_status(session, plan.id, meeting.snapshot_day))
        changed_ids = {a.id for a in changed}
        agenda = [a for a in existing.values() if a.is_open or a.id in changed_ids] + created
        agenda.sort(key=_action_order)
        snapshot["agenda"] = [action_json(a) for a in agenda]
        snapshot["actions_created"] = [a.id for a in created]
        record = ReviewRecord(
            id=review_id,
            plan_id=plan.id,
            date=meeting.day,
            attendees=list(meeting.attendees),
            notes=meeting.notes,
            snapshot=snapshot,
            recorded_by=actor,
            recorded_at=at,
        )
        decided = _save(write, repo, record, meeting, created, changed)
    return _review(record, decided)


class _Meeting(NamedTuple):
    """What `record_review` was given, checked (nothing read from the database yet)."""

    day: dt.date
    snapshot_day: dt.date
    attendees: tuple[str, ...]
    notes: str
    decisions: list[str]
    updates: dict[str, str]
    """{action id: its new status}."""


def _meeting(
    date: Any,
    as_of: Any,
    attendees: Iterable[str],
    notes: Any,
    decisions: Sequence[str],
    action_updates: Mapping[str, str] | None,
) -> _Meeting:
    """The review's input checked, in the order a user reads the form; InvalidInputError
    (a PlannerError) says what is wrong."""
    day = checked_day(date, "The review date")
    snapshot_day = day if as_of is None else checked_day(as_of, "The as-of date")
    names = attendee_names(attendees)
    if not isinstance(notes, str):
        raise InvalidInputError("The review notes must be text.")
    if isinstance(decisions, str):
        raise InvalidInputError("Decisions must be a list of texts, not one text.")
    texts = [checked_text(d, f"Decision {n}") for n, d in enumerate(decisions, start=1)]
    updates = dict(action_updates or {})
    for action_id, status in updates.items():
        checked_status(status, f"Action item '{action_id}'")
    return _Meeting(day, snapshot_day, names, notes.strip(), texts, updates)


def _status_changes(
    repo: ReviewRepository,
    plan: Plan,
    existing: dict[str, ActionItem],
    updates: Mapping[str, str],
    action_seen: Mapping[str, dt.datetime | None] | None,
    review_id: str,
    actor: str,
    at: dt.datetime,
) -> list[ActionItem]:
    """The action items whose status the review changes, as changed (also put in `existing`);
    NotFoundError for an unknown id, ConflictError for one changed since the page drew it."""
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
    return changed


def _save(
    write: Write,
    repo: ReviewRepository,
    record: ReviewRecord,
    meeting: _Meeting,
    created: Sequence[ActionItem],
    changed: Sequence[ActionItem],
) -> list[Decision]:
    """Write the review, its decisions and action items, and its activity entry; returns the
    decisions as saved."""
    review_id, day = record.id, record.date
    repo.add_review(record)
    decided = [Decision(new_id("dc"), review_id, t) for t in meeting.decisions]
    repo.add_decisions([(d.id, d.review_id, n, d.text) for n, d in enumerate(decided)])
    repo.add_action_items([_action_record(a) for a in created])
    repo.save_action_items([_action_record(a) for a in changed])
    summary = (
        f"Recorded the review of {day.isoformat()}: {_count(len(decided), 'decision')}, "
        f"{_count(len(created), 'new action item')}, {_count(len(changed), 'action item')} "
        "updated"
    )
    after = {
        "date": day.isoformat(),
        "attendees": list(meeting.attendees),
        "decisions": meeting.decisions,
        "actions_created": [a.text for a in created],
        "action_updates": {a.id: a.status for a in changed},
    }
    write.log("create", "review", review_id, summary, plan_id=record.plan_id, after=after)
    return decided


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


# --- comparing and catching up ------------------------------------------------------------------


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


# --- erasure ------------------------------------------------------------------------------------


def scrub_person_from_reviews(repo: Repository, person_id: str, scrub: _Scrub) -> int:
    """For `privacy.erase_person`, inside its transaction and BEFORE it deletes the person:
    action items they own lose their owner (owner_id None, owner name scrubbed), and attendee
    names, notes, decision texts, action texts and who-columns naming them are scrubbed, in
    the stored snapshots too. Returns how many rows changed."""
    return ReviewRepository(repo.session).scrub_reviews(person_id, scrub.who, scrub.text)
