"""The use cases: one function per thing a user does; the only API the pages and the CLI call.

Every write names the person acting (`actor`), is one transaction, and appends to the activity
log inside that transaction. A write to a plan also carries the plan version the user started
from: if anyone saved the plan since, the save is refused with a ConflictError saying who
changed what and when, and nothing is written. A successful write raises the version by one.
"""

from __future__ import annotations

import getpass
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import Enum
from typing import Any, Final

from sqlalchemy import Engine

from planner.domain.access import Permission, require
from planner.domain.library import Library
from planner.domain.planning import (
    ActivityEntry,
    InvalidInputError,
    ItemChange,
    Person,
    Plan,
    PlanItem,
    Target,
    apply_change,
    changed_fields,
    default_targets,
    describe_conflict,
    format_day,
    item_from_tactic,
    jsonable,
    new_id,
    tactic_changes,
    utc_now,
)
from planner.domain.playbook import Metric, Tactic
from planner.domain.schedule import (
    PersonCapacity,
    Schedule,
    ScheduleItem,
    Workload,
    compute_schedule,
    format_date,
    week_start,
    weekly_workload,
)
from planner.errors import ConflictError, NotFoundError
from planner.store import NewActivity, Repository, uow

__all__ = [
    "KEEP",
    "MAX_WORKLOAD_WEEKS",
    "ItemChange",
    "OpenPlan",
    "PlanSchedule",
    "activity_log",
    "add_custom_item",
    "add_person",
    "add_tactic_items",
    "change_stamp",
    "copy_plan",
    "create_plan",
    "get_items",
    "get_person",
    "get_plan",
    "list_people",
    "list_plans",
    "missing_prerequisites",
    "open_people",
    "open_plan",
    "person_for_email",
    "person_version",
    "plan_schedule",
    "portfolio_workload",
    "refresh_item_from_tactic",
    "remove_item",
    "rename_plan",
    "resolve_actor",
    "schedule_items_for",
    "set_plan_status",
    "update_items",
    "update_people",
    "update_person",
    "update_plan",
]


class _Keep(Enum):
    KEEP = "keep"


KEEP: Final = _Keep.KEEP
"""Default of optional edit arguments: leave the field as it is (None would clear it)."""


@dataclass(frozen=True)
class OpenPlan:
    """A plan and its items read together, so `plan.version` is the version of these items."""

    plan: Plan
    items: list[PlanItem]


# --- who is acting ------------------------------------------------------------------------------


def resolve_actor(
    st_user_email: str | None,
    picked_name: str | None,
    cli_user: str | None,
    people: Sequence[Person] = (),
) -> str:
    """The name recorded for a write: the signed-in user (as the person with that email, if
    any), else the name picked in the sidebar, else --user, else the operating-system user."""
    email = (st_user_email or "").strip()
    if email:
        match = next((p for p in people if p.email and p.email == email.lower()), None)
        return match.name if match else email
    for name in (picked_name, cli_user):
        if name and name.strip():
            return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


def person_for_email(engine: Engine, email: str | None) -> Person | None:
    """The person a signed-in user is, matched by email ignoring case; None if nobody matches."""
    if not email or not email.strip():
        return None
    with uow(engine, write=False) as session:
        return Repository(session).person_by_email(email)


# --- reading plans --------------------------------------------------------------------------


def list_plans(engine: Engine, *, statuses: Collection[str] | None = None) -> list[Plan]:
    """Plans by name, archived ones last; only those with one of `statuses` if given."""
    with uow(engine, write=False) as session:
        plans = Repository(session).plans()
    if statuses is not None:
        plans = [p for p in plans if p.status in statuses]
    return sorted(plans, key=lambda p: (p.status == "archived", p.name.casefold(), p.id))


def get_plan(engine: Engine, plan_id: str) -> Plan:
    with uow(engine, write=False) as session:
        return Repository(session).plan(plan_id)


def get_items(engine: Engine, plan_id: str) -> list[PlanItem]:
    """The plan's items in order. To edit them, use `open_plan`: it reads the version too."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.plan(plan_id)
        return repo.items(plan_id)


def open_plan(engine: Engine, plan_id: str) -> OpenPlan:
    with uow(engine, write=False) as session:
        repo = Repository(session)
        return OpenPlan(repo.plan(plan_id), repo.items(plan_id))


def activity_log(engine: Engine, plan_id: str, limit: int | None = 100) -> list[ActivityEntry]:
    """The plan's changes, newest first."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.plan(plan_id)
        return repo.activity(plan_id, limit=limit)


# --- writing to a plan ----------------------------------------------------------------------


class _PlanWrite:
    """One save to a plan: checks the version the user started from, bumps it, logs changes.

    `_writing` reads the plan with its row locked (PostgreSQL), so concurrent saves to a plan
    queue up and each sees what the one before committed. A save based on a stale version is
    refused here, before anything else, even when it would change nothing: its author decided
    on a plan that is no longer there. Validate and compute first; then `claim()`, whose
    UPDATE also compares the version (compare-and-swap); then write and `log()`.
    """

    def __init__(self, repo: Repository, plan: Plan, expected_version: int, actor: str) -> None:
        self.repo = repo
        self.plan = plan
        self.expected_version = expected_version
        self.actor = actor
        self.at = utc_now()
        self.version: int | None = None
        self.entries: list[NewActivity] = []
        if plan.version != expected_version:
            raise self.conflict()

    def conflict(self) -> ConflictError:
        entries = self.repo.activity(self.plan.id, after_version=self.expected_version)
        return ConflictError(
            describe_conflict(entries, expected_version=self.expected_version, now=self.at)
        )

    def claim(self, plan: Plan | None = None) -> Plan:
        """Save `plan` (or just the version bump) if nobody saved since the expected version."""
        self.version = self.expected_version + 1
        saved = replace(
            plan or self.plan, version=self.version, updated_at=self.at, updated_by=self.actor
        )
        if not self.repo.save_plan(saved, expected_version=self.expected_version):
            raise self.conflict()
        return saved

    def log(
        self,
        action: str,
        entity: str,
        entity_id: str,
        summary: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        assert self.version is not None, "claim() the plan before logging a change to it"
        self.entries.append(
            NewActivity(
                plan_id=self.plan.id,
                version=self.version,
                at=self.at,
                actor=self.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                summary=summary,
                before=dict(before) if before is not None else None,
                after=dict(after) if after is not None else None,
            )
        )


@contextmanager
def _writing(
    engine: Engine,
    plan_id: str,
    expected_version: int,
    actor: str,
    *,
    archived_ok: bool = False,
) -> Iterator[_PlanWrite]:
    with uow(engine) as session:
        repo = Repository(session)
        # Locked first, so the version checked here is the version of everything read after.
        plan = repo.plan(plan_id, lock="update")
        require(actor, Permission.PLAN_EDIT, f"change the plan '{plan.name}'")
        write = _PlanWrite(repo, plan, expected_version, actor)
        if plan.status == "archived" and not archived_ok:
            raise InvalidInputError(
                f"Plan '{plan.name}' is archived. Set its status to draft or active to change it."
            )
        yield write
        write.repo.log(write.entries)


def create_plan(
    engine: Engine,
    *,
    name: str,
    actor: str,
    start_date: date | None = None,
    description: str = "",
    lead_id: str | None = None,
    review_cadence: str = "monthly",
    status: str = "draft",
) -> Plan:
    """A new, empty plan at version 1 (start date: today unless given)."""
    require(actor, Permission.PLAN_EDIT, f"create the plan {name!r}")
    at = utc_now()
    plan = Plan(
        id=new_id("pl"),
        name=name,
        description=description,
        lead_id=lead_id,
        start_date=start_date or date.today(),
        review_cadence=review_cadence,
        status=status,
        version=1,
        updated_at=at,
        updated_by=actor,
    )
    with uow(engine) as session:
        repo = Repository(session)
        if plan.lead_id:
            repo.person(plan.lead_id)
        repo.add_plan(plan, created_by=actor)
        repo.log_one(
            plan_id=plan.id,
            version=1,
            at=at,
            actor=actor,
            action="create",
            entity="plan",
            entity_id=plan.id,
            summary=f"Created the plan '{plan.name}'",
            after=_plan_record(plan),
        )
    return plan


def update_plan(
    engine: Engine,
    plan_id: str,
    *,
    expected_version: int,
    actor: str,
    name: str | _Keep = KEEP,
    description: str | _Keep = KEEP,
    lead_id: str | _Keep | None = KEEP,
    start_date: date | _Keep = KEEP,
    review_cadence: str | _Keep = KEEP,
    status: str | _Keep = KEEP,
    at_risk_threshold: float | _Keep = KEEP,
    off_track_threshold: float | _Keep = KEEP,
) -> Plan:
    """Change any of the plan's own fields; arguments left at KEEP stay as they are."""
    requested: dict[str, Any] = {
        key: value
        for key, value in {
            "name": name,
            "description": description,
            "lead_id": lead_id,
            "start_date": start_date,
            "review_cadence": review_cadence,
            "status": status,
            "at_risk_threshold": at_risk_threshold,
            "off_track_threshold": off_track_threshold,
        }.items()
        if value is not KEEP
    }
    # An archived plan accepts one change: a status that takes it out of the archive.
    restoring = "status" in requested and requested["status"] != "archived"
    with _writing(engine, plan_id, expected_version, actor, archived_ok=restoring) as w:
        updated = replace(w.plan, **requested)
        names = [n for n in changed_fields(w.plan, updated) if n in requested]
        if not names:
            return w.plan
        if "lead_id" in names and updated.lead_id:
            w.repo.person(updated.lead_id)
        saved = w.claim(updated)
        people = _names(w.repo, [w.plan.lead_id, updated.lead_id]) if "lead_id" in names else {}
        w.log(
            "update",
            "plan",
            plan_id,
            _plan_update_summary(w.plan, updated, names, people),
            before={n: jsonable(getattr(w.plan, n)) for n in names},
            after={n: jsonable(getattr(updated, n)) for n in names},
        )
    return saved


def rename_plan(
    engine: Engine, plan_id: str, name: str, *, expected_version: int, actor: str
) -> Plan:
    return update_plan(engine, plan_id, expected_version=expected_version, actor=actor, name=name)


def set_plan_status(
    engine: Engine, plan_id: str, status: str, *, expected_version: int, actor: str
) -> Plan:
    """Draft, active, closed or archived; an archived plan can only have its status changed."""
    return update_plan(
        engine, plan_id, expected_version=expected_version, actor=actor, status=status
    )


def copy_plan(engine: Engine, plan_id: str, *, name: str, actor: str) -> Plan:
    """A new draft plan with the same settings and items, under new plan and item ids."""
    require(actor, Permission.PLAN_EDIT, f"copy plan {plan_id}")
    at = utc_now()
    with uow(engine) as session:
        repo = Repository(session)
        source = repo.plan(plan_id, lock="share")  # its settings and items from one version
        copy = replace(
            source,
            id=new_id("pl"),
            name=name,
            status="draft",
            version=1,
            updated_at=at,
            updated_by=actor,
        )
        items = [replace(i, id=new_id("it"), plan_id=copy.id) for i in repo.items(plan_id)]
        repo.add_plan(copy, created_by=actor)
        repo.add_items(items)
        repo.log_one(
            plan_id=copy.id,
            version=1,
            at=at,
            actor=actor,
            action="copy",
            entity="plan",
            entity_id=copy.id,
            summary=f"Created the plan '{copy.name}' as a copy of '{source.name}' "
            f"({_count(len(items), 'item')})",
            after={**_plan_record(copy), "copied_from": source.id, "items": len(items)},
        )
    return copy


# --- items ------------------------------------------------------------------------------------


def add_tactic_items(
    engine: Engine,
    plan_id: str,
    tactics: Sequence[Tactic],
    *,
    expected_version: int,
    actor: str,
    owner_id: str | None = None,
    audience: str = "",
    team: str = "",
    pinned_start: date | None = None,
) -> list[PlanItem]:
    """One new item per tactic, at the end of the plan, with the tactic's default targets.

    A tactic may be added again (one circle per team, say): each time is a separate item.
    `pinned_start` pins every new item's start (for work added to a plan already under way).
    """
    with _writing(engine, plan_id, expected_version, actor) as w:
        if owner_id:
            w.repo.person(owner_id)
        first = w.repo.next_position(plan_id)
        items = [
            item_from_tactic(
                tactic,
                plan_id=plan_id,
                position=first + n,
                owner_id=owner_id,
                audience=audience,
                team=team,
            )
            for n, tactic in enumerate(tactics)
        ]
        if pinned_start is not None:
            items = [replace(item, pinned_start=pinned_start) for item in items]
        if not items:
            return []
        w.claim()
        w.repo.add_items(items)
        for item in items:
            w.log("create", "item", item.id, f"Added '{item.title}'", after=_item_record(item))
    return items


def missing_prerequisites(items: Sequence[PlanItem], tactic: Tactic, library: Library) -> list[str]:
    """Tactic ids `tactic` needs (directly or through others) that no item in the plan has yet.

    Ordered so each comes after its own prerequisites: adding them in this order, then the
    tactic, respects every dependency. Ids the library does not know are left out, since they
    cannot be added (the playbook validation reports them).
    """
    present = {i.tactic_id for i in items if i.tactic_id}
    missing: list[str] = []
    seen: set[str] = {tactic.id}

    def visit(current: Tactic) -> None:
        for prerequisite_id in current.prerequisites:
            if prerequisite_id in present or prerequisite_id in seen:
                continue
            seen.add(prerequisite_id)
            prerequisite = library.tactics.get(prerequisite_id)
            if prerequisite is not None:
                visit(prerequisite)
                missing.append(prerequisite_id)

    visit(tactic)
    return missing


def add_custom_item(
    engine: Engine,
    plan_id: str,
    *,
    title: str,
    expected_version: int,
    actor: str,
    metrics: Sequence[Metric] = (),
    duration_weeks: int = 4,
    owner_id: str | None = None,
    audience: str = "",
    team: str = "",
    pinned_start: date | None = None,
    notes: str = "",
    targets: Sequence[Target] | None = None,
    effort_hours_per_week: float | None = None,
) -> PlanItem:
    """Work no playbook describes, with its own metrics (targets default to theirs) and the
    hours a week it asks of its owner (None counts as 0 in the workload)."""
    with _writing(engine, plan_id, expected_version, actor) as w:
        item = PlanItem(
            id=new_id("it"),
            plan_id=plan_id,
            position=w.repo.next_position(plan_id),
            title=title,
            custom_metrics=list(metrics),
            duration_weeks=duration_weeks,
            owner_id=owner_id,
            audience=audience,
            team=team,
            pinned_start=pinned_start,
            notes=notes,
            effort_hours_per_week=effort_hours_per_week,
        )
        item = replace(
            item, targets=list(targets) if targets is not None else default_targets(item)
        )
        if owner_id:
            w.repo.person(owner_id)
        w.claim()
        w.repo.add_items([item])
        w.log(
            "create", "item", item.id, f"Added custom item '{item.title}'", after=_item_record(item)
        )
    return item


def update_items(
    engine: Engine,
    plan_id: str,
    changes: Sequence[ItemChange],
    *,
    expected_version: int,
    actor: str,
) -> list[PlanItem]:
    """Save a batch of item edits (a data-editor session) all together or not at all.

    Returns the items that changed; edits that change nothing are ignored, and a batch that
    changes nothing leaves the version as it is.
    """
    with _writing(engine, plan_id, expected_version, actor) as w:
        originals = {i.id: i for i in w.repo.items(plan_id, [c.item_id for c in changes])}
        edited: dict[str, PlanItem] = {}
        for change in changes:
            item = edited.get(change.item_id) or originals.get(change.item_id)
            if item is None:
                raise NotFoundError(
                    f"No item '{change.item_id}' in plan '{w.plan.name}'; reload the plan."
                )
            edited[change.item_id] = apply_change(item, change)
        changed = [(originals[i], new) for i, new in edited.items() if new != originals[i]]
        if not changed:
            return []
        new_owners = {new.owner_id for old, new in changed if new.owner_id != old.owner_id}
        unknown = w.repo.missing_people(o for o in new_owners if o)
        if unknown:
            raise NotFoundError(
                f"No person with id {', '.join(repr(u) for u in unknown)}: choose owners from "
                "People, or add them there first."
            )
        w.claim()
        people = _names(w.repo, [o for old, new in changed for o in (old.owner_id, new.owner_id)])
        w.repo.save_items([new for _, new in changed])
        for old, new in changed:
            names = changed_fields(old, new)
            w.log(
                "update",
                "item",
                new.id,
                f"Edited '{old.title}': {_describe_changes(old, new, names, people)}",
                before={n: jsonable(getattr(old, n)) for n in names},
                after={n: jsonable(getattr(new, n)) for n in names},
            )
    return [new for _, new in changed]


def remove_item(
    engine: Engine, plan_id: str, item_id: str, *, expected_version: int, actor: str
) -> None:
    with _writing(engine, plan_id, expected_version, actor) as w:
        item = w.repo.item(plan_id, item_id)
        w.claim()
        w.repo.remove_item(item)
        w.log("remove", "item", item.id, f"Removed '{item.title}'", before=_item_record(item))


def refresh_item_from_tactic(
    engine: Engine,
    plan_id: str,
    item_id: str,
    tactic: Tactic,
    *,
    expected_version: int,
    actor: str,
) -> PlanItem:
    """Bring an item's snapshot up to the tactic as the playbook has it now.

    What the user set stays: a changed title or duration is kept, targets of metrics the
    tactic still has are kept; new metrics get default targets, removed ones lose theirs.
    """
    with _writing(engine, plan_id, expected_version, actor) as w:
        item = w.repo.item(plan_id, item_id)
        old = item.snapshot
        if old is None or item.tactic_id != tactic.id:
            raise InvalidInputError(
                f"Item '{item.title}' does not follow tactic '{tactic.id}', so it cannot be "
                "updated from it."
            )
        differences = tactic_changes(old, tactic)
        if not differences:
            return item
        kept = {t.metric_id: t for t in item.targets}
        refreshed = replace(
            item,
            snapshot=tactic,
            title=tactic.title if item.title == old.title else item.title,
            duration_weeks=(
                tactic.duration_weeks
                if item.duration_weeks == old.duration_weeks
                else item.duration_weeks
            ),
            targets=[],
        )
        refreshed = replace(
            refreshed,
            targets=[kept.get(t.metric_id, t) for t in default_targets(refreshed)],
        )
        w.claim()
        w.repo.save_items([refreshed])
        w.log(
            "refresh",
            "item",
            item.id,
            f"Updated '{item.title}' to the playbook's current version of the tactic "
            f"({_count(len(differences), 'change')}: "
            f"{', '.join(d.field for d in differences[:6])}"
            f"{', …' if len(differences) > 6 else ''})",
            before={d.field: d.before for d in differences},
            after={d.field: d.after for d in differences},
        )
    return refreshed


# --- people -------------------------------------------------------------------------------------


def list_people(engine: Engine) -> list[Person]:
    with uow(engine, write=False) as session:
        people = Repository(session).people()
    return sorted(people, key=lambda p: (p.name.casefold(), p.id))


def get_person(engine: Engine, person_id: str) -> Person:
    with uow(engine, write=False) as session:
        return Repository(session).person(person_id)


def add_person(
    engine: Engine,
    *,
    name: str,
    actor: str,
    email: str | None = None,
    role: str = "",
    team: str = "",
    capacity_hours_per_week: float = 4.0,
) -> Person:
    """Someone in the organisation, available as owner or lead in every plan."""
    require(actor, Permission.PEOPLE_MANAGE, f"add {name!r} to the people")
    person = Person(
        id=new_id("pe"),
        name=name,
        email=email,
        role=role,
        team=team,
        capacity_hours_per_week=capacity_hours_per_week,
    )
    at = utc_now()
    with uow(engine) as session:
        repo = Repository(session)
        _check_email_free(repo, person)
        repo.add_person(person, actor=actor, at=at)
        repo.log_one(
            plan_id=None,
            version=None,
            at=at,
            actor=actor,
            action="create",
            entity="person",
            entity_id=person.id,
            summary=f"Added {person.name}" + (f" ({person.team})" if person.team else ""),
            after=jsonable(person),
        )
    return person


@dataclass(frozen=True)
class OpenPeople:
    """Everyone, with each person's version, read together: pass a person's version to
    `update_person` as `expected_version` so an edit made meanwhile is not overwritten."""

    people: list[Person]
    versions: dict[str, int]


def open_people(engine: Engine) -> OpenPeople:
    with uow(engine, write=False) as session:
        repo = Repository(session)
        people = sorted(repo.people(), key=lambda p: (p.name.casefold(), p.id))
        return OpenPeople(people, repo.person_versions())


def person_version(engine: Engine, person_id: str) -> int:
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.person(person_id)
        return repo.person_versions([person_id])[person_id]


def update_person(
    engine: Engine,
    person_id: str,
    *,
    actor: str,
    expected_version: int | None = None,
    name: str | _Keep = KEEP,
    email: str | _Keep | None = KEEP,
    role: str | _Keep = KEEP,
    team: str | _Keep = KEEP,
    capacity_hours_per_week: float | _Keep = KEEP,
) -> Person:
    require(actor, Permission.PEOPLE_MANAGE, f"edit person {person_id}")
    requested: dict[str, Any] = {
        key: value
        for key, value in {
            "name": name,
            "email": email,
            "role": role,
            "team": team,
            "capacity_hours_per_week": capacity_hours_per_week,
        }.items()
        if value is not KEEP
    }
    at = utc_now()
    with uow(engine) as session:
        repo = Repository(session)
        repo.lock_person(person_id)  # edits to one person queue up (PostgreSQL)
        person, _ = _save_person_edit(repo, person_id, requested, expected_version, actor, at)
        return person


def update_people(
    engine: Engine,
    changes: Mapping[str, Mapping[str, Any]],
    *,
    expected_versions: Mapping[str, int],
    actor: str,
) -> list[Person]:
    """Save edits to several people (the People grid) all together or not at all: each
    person's edit needs the version the grid drew (`expected_versions`); if anyone edited one
    of them since, a ConflictError says who and what, and nobody is saved."""
    require(actor, Permission.PEOPLE_MANAGE, f"edit {len(changes)} person(s)")
    at = utc_now()
    saved: list[Person] = []
    with uow(engine) as session:
        repo = Repository(session)
        for person_id in sorted(changes):  # one order for every writer: no deadlock
            repo.lock_person(person_id)
        for person_id in sorted(changes):
            if person_id not in expected_versions:
                raise ValueError(f"no expected version for person {person_id!r}")
            new, changed = _save_person_edit(
                repo, person_id, changes[person_id], expected_versions[person_id], actor, at
            )
            if changed:
                saved.append(new)
    return saved


def _save_person_edit(
    repo: Repository,
    person_id: str,
    requested: Mapping[str, Any],
    expected_version: int | None,
    actor: str,
    at: Any,
) -> tuple[Person, bool]:
    """One person's edit inside a write that has locked them: refused (ConflictError) if their
    version is not `expected_version` (None: any), saved with a version bump and logged when
    it changes something; returns the person as they are now, and whether it changed."""
    old = repo.person(person_id)
    current = repo.person_versions([person_id])[person_id]
    if expected_version is not None and current != expected_version:
        raise _person_conflict(repo, old, expected_version, current, at)
    new = replace(old, **requested)
    names = changed_fields(old, new)
    if not names:
        return old, False
    _check_email_free(repo, new)
    if not repo.save_person(new, actor=actor, at=at, expected_version=current):
        raise _person_conflict(repo, old, current, current + 1, at)
    repo.log_one(
        plan_id=None,
        version=None,
        at=at,
        actor=actor,
        action="update",
        entity="person",
        entity_id=person_id,
        summary=f"Edited {old.name}: {_describe_changes(old, new, names, {})}",
        before={n: jsonable(getattr(old, n)) for n in names},
        after={n: jsonable(getattr(new, n)) for n in names},
    )
    return new, True


def _person_conflict(
    repo: Repository, person: Person, expected: int, current: int, at: Any
) -> ConflictError:
    """Who edited `person` since version `expected` (the last `current - expected` edits)."""
    entries = repo.entity_activity("person", person.id, limit=max(current - expected, 1))
    return ConflictError(
        describe_conflict(entries, expected_version=0, now=at, subject=f"{person.name}'s record")
    )


def _check_email_free(repo: Repository, person: Person) -> None:
    if person.email is None:
        return
    other = repo.person_by_email(person.email)
    if other is not None and other.id != person.id:
        raise InvalidInputError(
            f"{other.name} already has the email {person.email}; each person needs their own."
        )


# --- words for the activity log -------------------------------------------------------------

_LABELS = {
    "lead_id": "lead",
    "owner_id": "owner",
    "start_date": "start date",
    "review_cadence": "review cadence",
    "at_risk_threshold": "at-risk threshold",
    "off_track_threshold": "off-track threshold",
    "pinned_start": "start",
    "duration_weeks": "duration",
    "cop_stage": "community stage",
    "custom_metrics": "metrics",
    "capacity_hours_per_week": "weekly capacity",
    "effort_hours_per_week": "hours a week",
}
# Too long (or too structured) to quote in a one-line summary: named, with before/after kept.
_NAMED_ONLY = {"description", "notes", "targets", "custom_metrics", "snapshot"}


def _describe_changes(
    before: object, after: object, names: Sequence[str], people: Mapping[str, str]
) -> str:
    parts = []
    for name in names:
        label = _LABELS.get(name, name)
        if name in _NAMED_ONLY:
            parts.append(label)
            continue
        old, new = getattr(before, name), getattr(after, name)
        parts.append(f"{label} {_shown(name, old, people)} → {_shown(name, new, people)}")
    return "; ".join(parts)


def _shown(name: str, value: Any, people: Mapping[str, str]) -> str:
    if value is None or value == "":
        return "none"
    if name in ("owner_id", "lead_id"):
        return people.get(value, value)
    if isinstance(value, date):
        return format_day(value)
    if name == "duration_weeks":
        return _count(value, "week")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and name in ("name", "title"):
        return f"'{value}'"
    return str(value)


def _plan_update_summary(
    before: Plan, after: Plan, names: Sequence[str], people: Mapping[str, str]
) -> str:
    if names == ["name"]:
        return f"Renamed the plan from '{before.name}' to '{after.name}'"
    if names == ["status"]:
        if after.status == "archived":
            return "Archived the plan"
        return f"Set the plan's status from {before.status} to {after.status}"
    return f"Changed the plan: {_describe_changes(before, after, names, people)}"


def _names(repo: Repository, person_ids: Sequence[str | None]) -> dict[str, str]:
    wanted = {p for p in person_ids if p}
    return {p.id: p.name for p in repo.people(wanted)} if wanted else {}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _plan_record(plan: Plan) -> dict[str, Any]:
    record: dict[str, Any] = jsonable(plan)
    for bookkeeping in ("version", "updated_at", "updated_by"):
        record.pop(bookkeeping)
    return record


def _item_record(item: PlanItem) -> dict[str, Any]:
    # The tactic id says which tactic; the full snapshot would bloat every log entry.
    return {f.name: jsonable(getattr(item, f.name)) for f in fields(item) if f.name != "snapshot"}


# --- schedule and workload ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSchedule:
    """A plan's items, as the scheduler sees them, and the dates it computed."""

    plan: Plan
    items: list[PlanItem]
    schedule_items: list[ScheduleItem]
    schedule: Schedule


def schedule_items_for(
    plan: Plan, items: Sequence[PlanItem], people: Mapping[str, Person]
) -> list[ScheduleItem]:
    """Plan items in the scheduler's terms: prerequisites, effort and steps from each snapshot."""
    out = []
    for item in items:
        snap = item.snapshot
        owner = people.get(item.owner_id) if item.owner_id else None
        out.append(
            ScheduleItem(
                item_id=item.id,
                title=item.title,
                tactic_id=item.tactic_id,
                category=snap.category if snap else "custom",
                prerequisites=tuple(snap.prerequisites) if snap else (),
                duration_weeks=item.duration_weeks,
                pinned_start=item.pinned_start,
                owner_id=item.owner_id,
                owner_name=owner.name if owner else None,
                status=item.status,
                effort_hours_per_week=item.effort,
                steps=tuple((s.week, s.text) for s in snap.steps) if snap else (),
                plan_id=plan.id,
                plan_name=plan.name,
            )
        )
    return out


def plan_schedule(engine: Engine, plan_id: str) -> PlanSchedule:
    """The plan's dated schedule; a prerequisite cycle raises ScheduleCycleError naming it."""
    opened = open_plan(engine, plan_id)
    people = {p.id: p for p in list_people(engine)}
    sched_items = schedule_items_for(opened.plan, opened.items, people)
    schedule = compute_schedule(opened.plan.start_date, sched_items)
    return PlanSchedule(opened.plan, opened.items, sched_items, schedule)


MAX_WORKLOAD_WEEKS = 104
"""The longest window the workload adds up at once (two years of weeks)."""


def portfolio_workload(
    engine: Engine, *, weeks: tuple[date, date] | None = None, include_drafts: bool = False
) -> tuple[Workload, list[ScheduleItem]]:
    """Hours per person per week across every active plan (and every draft, for a what-if),
    against each person's capacity; `weeks` is (first day, last day) of the window."""
    if weeks is not None:
        first, last = weeks
        if last < first:
            raise InvalidInputError(
                f"The workload window ends ({format_date(last)}) before it starts "
                f"({format_date(first)}); pick an end after the start."
            )
        if (week_start(last) - week_start(first)).days // 7 + 1 > MAX_WORKLOAD_WEEKS:
            raise InvalidInputError(
                f"The workload window is longer than {MAX_WORKLOAD_WEEKS} weeks; pick a "
                "shorter one."
            )
    people = list_people(engine)
    by_id = {p.id: p for p in people}
    schedules: list[Schedule] = []
    all_items: list[ScheduleItem] = []
    statuses = ("active", "draft") if include_drafts else ("active",)
    for plan in list_plans(engine, statuses=statuses):
        opened = open_plan(engine, plan.id)
        sched_items = schedule_items_for(opened.plan, opened.items, by_id)
        schedules.append(compute_schedule(opened.plan.start_date, sched_items))
        all_items.extend(sched_items)
    capacities = [PersonCapacity(p.id, p.name, p.capacity_hours_per_week) for p in people]
    return weekly_workload(schedules, all_items, capacities, weeks=weeks), all_items


def change_stamp(engine: Engine) -> int:
    """A number that changes with every write anywhere (the newest activity entry's id).

    Every write appends to the activity log in its own transaction, so caches of plans, people
    and schedules can key on this one cheap query instead of re-reading what they hold."""
    with uow(engine, write=False) as session:
        return Repository(session).change_stamp()


# --- a plan's channel mapping (community tool exports) -----------------------------------------

MAX_CHANNEL_MAPPING = 1_000
"""The most channel, group or category names one plan's saved mapping holds."""
MAX_CHANNEL_NAME_CHARS = 300
"""The longest channel, group or category name saved."""


def save_channel_mapping(
    engine: Engine,
    plan_id: str,
    mapping: Mapping[str, str],
    *,
    expected_version: int,
    actor: str,
) -> Plan:
    """Save which plan item each channel, group or category of a per-community export goes to
    (`name as written -> item id`), replacing the plan's saved mapping; an empty mapping
    forgets it. Names are compared casefolded without a leading # (two that compare equal are
    refused). A plan write: the version is checked and raised, an archived plan refuses it, and
    the activity log says what changed. Unchanged, nothing is written."""
    from planner.services.community import channel_key
    from planner.store import ChannelMappingRepository

    if len(mapping) > MAX_CHANNEL_MAPPING:
        raise InvalidInputError(
            f"{len(mapping):,} channel names; a plan's mapping holds at most "
            f"{MAX_CHANNEL_MAPPING:,}. Map the channels you import, not every channel."
        )
    rows: dict[str, tuple[str, str, str]] = {}
    for name, item_id in mapping.items():
        shown = " ".join(str(name).split())
        key = channel_key(shown)
        if not key:
            raise InvalidInputError("A channel name in the mapping is empty; give its name.")
        if len(shown) > MAX_CHANNEL_NAME_CHARS:
            raise InvalidInputError(
                f"The channel name '{shown[:40]}…' is longer than {MAX_CHANNEL_NAME_CHARS:,} "
                "characters."
            )
        if key in rows:
            raise InvalidInputError(
                f"'{rows[key][1]}' and '{shown}' are the same channel (case and a leading # do "
                "not count); keep one."
            )
        rows[key] = (key, shown, item_id)
    with _writing(engine, plan_id, expected_version, actor) as w:
        repo = ChannelMappingRepository(w.repo.session)
        titles = {i.id: i.title for i in w.repo.items(plan_id)}
        unknown = sorted({i for _, _, i in rows.values() if i not in titles})
        if unknown:
            raise InvalidInputError(
                f"No item {', '.join(repr(i) for i in unknown)} in plan '{w.plan.name}'; map "
                "channels to the plan's own items."
            )
        new = sorted(rows.values())
        old = repo.channel_mapping(plan_id)
        if old == new:
            return w.plan
        saved = w.claim()
        repo.replace_channel_mapping(plan_id, new)
        described = ", ".join(f"{n} → {titles.get(i, i)}" for _, n, i in new[:5])
        more = f" and {len(new) - 5:,} more" if len(new) > 5 else ""
        summary = f"Saved the channel mapping: {described}{more}"
        w.log(
            "update",
            "channel-mapping",
            plan_id,
            summary if new else "Forgot the channel mapping",
            before={n: i for _, n, i in old},
            after={n: i for _, n, i in new},
        )
    return saved
