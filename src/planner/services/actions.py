"""Action items: what people agreed to do at a review, added, listed and closed.

An action item is open until it is done or dropped. `record_review` (in
`planner.services.reviews`) creates and closes them within a review; the use cases here add
one between reviews (`add_action`), list them (`list_actions`, `open_actions`, the agenda) and
change one's status outside a review (`set_action_status`, guarded against changes made since
the page drew it). Every write is logged in the plan's activity log, without a version; an
archived plan takes none. Each write is a `Write` (`planner.services.writes`) under the
review permission; the shared steps (`_writable_plan`, `_new_action`, `_check_fresh`) serve
`record_review` too.

Imports the domain and `planner.store` (through its repositories; no SQL here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from planner.domain.access import Permission, require
from planner.domain.planning import (
    UNSEEN,
    InvalidInputError,
    Person,
    Plan,
    Unseen,
    describe_conflict,
    new_id,
    same_moment,
)
from planner.domain.review_input import NAME_LIMIT, checked_day, checked_status, checked_text
from planner.domain.reviews import ActionItem, NewAction, action_json
from planner.errors import ConflictError, NotFoundError
from planner.services.writes import Write
from planner.store import ActionItemRecord, Engine, ReviewRepository, uow

__all__ = ["add_action", "list_actions", "open_actions", "set_action_status"]


def _action_of(record: ActionItemRecord) -> ActionItem:
    return ActionItem(**vars(record))


def _writable_plan(write: Write, plan_id: str) -> Plan:
    # Locked first, so the plan's status and its action items are read after the writes ahead.
    return write.writable_plan(plan_id, to="record reviews or action items")


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
    text = checked_text(spec.text, where)
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
        if len(owner_name) > NAME_LIMIT:
            raise InvalidInputError(f"{where}: the owner's name is too long.")
    due = None if spec.due is None else checked_day(spec.due, f"{where}: the due date")
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


def _action_order(action: ActionItem) -> tuple[Any, ...]:
    return (action.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), action.id)


def _action_record(action: ActionItem) -> ActionItemRecord:
    return ActionItemRecord(**vars(action))


def list_actions(engine: Engine, plan_id: str) -> list[ActionItem]:
    """Every action item of the plan, oldest first."""
    with uow(engine, write=False) as session:
        repo = ReviewRepository(session)
        repo.plan(plan_id)
        return sorted((_action_of(a) for a in repo.action_items(plan_id)), key=_action_order)


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
    with uow(engine) as session, Write.on(repo := ReviewRepository(session), actor) as write:
        at = write.at
        plan = _writable_plan(write, plan_id)
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
        write.log(
            "create",
            "action",
            action.id,
            f"Added the action item '{action.text}'",
            plan_id=plan.id,
            after=action_json(action),
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
    status = checked_status(status, f"Action item '{action_id}'")
    with uow(engine) as session, Write.on(repo := ReviewRepository(session), actor) as write:
        at = write.at
        plan_id = repo.action_item(action_id).plan_id
        plan = _writable_plan(write, plan_id)
        old = _action_of(repo.action_item(action_id))  # read again under the plan's lock
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
        write.log(
            "update",
            "action",
            new.id,
            f"Marked the action item '{new.text}' {status}",
            plan_id=plan.id,
            before={"status": old.status},
            after={"status": status},
        )
    return new
