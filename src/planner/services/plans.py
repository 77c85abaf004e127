"""Plans: list, open, create, copy, change (rename, status, archive) and their activity log.

Each write goes through `planner.services.writes`: a new plan or a copy is a `Write` (version
1, one "create" or "copy" entry); a change to a plan is a `PlanWrite`, which checks the version
the user started from and the read-only-archive rule. An archived plan accepts one change: a
status that takes it out of the archive.
Imports: the domain, the store's `Repository` and `uow`, and the other service modules' helpers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from planner.domain.access import Permission
from planner.domain.planning import ActivityEntry, Plan, PlanItem, changed_fields, jsonable, new_id
from planner.services.summaries import count, person_names, plan_record, plan_update_summary
from planner.services.writes import KEEP, Keep, PlanWrite, Write, requested
from planner.store import ChannelMappingRepository, Engine, Repository, uow

__all__ = [
    "OpenPlan",
    "activity_log",
    "change_stamp",
    "copy_plan",
    "create_plan",
    "get_items",
    "get_plan",
    "list_plans",
    "open_plan",
    "rename_plan",
    "set_plan_status",
    "update_plan",
]


@dataclass(frozen=True)
class OpenPlan:
    """A plan and its items read together, so `plan.version` is the version of these items."""

    plan: Plan
    items: list[PlanItem]


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
    with Write.begin(engine, actor, Permission.PLAN_EDIT, f"create the plan {name!r}") as w:
        plan = Plan(
            id=new_id("pl"),
            name=name,
            description=description,
            lead_id=lead_id,
            start_date=start_date or date.today(),
            review_cadence=review_cadence,
            status=status,
            version=1,
            updated_at=w.at,
            updated_by=actor,
        )
        if plan.lead_id:
            w.repo.person(plan.lead_id)
        w.repo.add_plan(plan, created_by=actor)
        w.log(
            "create",
            "plan",
            plan.id,
            f"Created the plan '{plan.name}'",
            after=plan_record(plan),
            plan_id=plan.id,
            version=1,
        )
    return plan


def update_plan(
    engine: Engine,
    plan_id: str,
    *,
    expected_version: int,
    actor: str,
    name: str | Keep = KEEP,
    description: str | Keep = KEEP,
    lead_id: str | Keep | None = KEEP,
    start_date: date | Keep = KEEP,
    review_cadence: str | Keep = KEEP,
    status: str | Keep = KEEP,
    at_risk_threshold: float | Keep = KEEP,
    off_track_threshold: float | Keep = KEEP,
) -> Plan:
    """Change any of the plan's own fields; arguments left at KEEP stay as they are."""
    changes = requested(
        name=name,
        description=description,
        lead_id=lead_id,
        start_date=start_date,
        review_cadence=review_cadence,
        status=status,
        at_risk_threshold=at_risk_threshold,
        off_track_threshold=off_track_threshold,
    )
    with PlanWrite.begin(
        engine,
        plan_id,
        expected_version=expected_version,
        actor=actor,
        new_status=changes.get("status"),
    ) as w:
        updated = replace(w.plan, **changes)
        names = [n for n in changed_fields(w.plan, updated) if n in changes]
        if not names:
            return w.plan
        if "lead_id" in names and updated.lead_id:
            w.repo.person(updated.lead_id)
        saved = w.claim(updated)
        leads = [w.plan.lead_id, updated.lead_id] if "lead_id" in names else []
        people = person_names(w.repo, leads)
        w.log(
            "update",
            "plan",
            plan_id,
            plan_update_summary(w.plan, updated, names, people),
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
    """A new draft plan with the same settings, items and saved channel mapping (sent to the
    copies of its items), under new plan and item ids."""
    with Write.begin(engine, actor, Permission.PLAN_EDIT, f"copy plan {plan_id}") as w:
        source = w.repo.plan(plan_id, lock="share")  # its settings and items from one version
        copy = replace(
            source,
            id=new_id("pl"),
            name=name,
            status="draft",
            version=1,
            updated_at=w.at,
            updated_by=actor,
        )
        originals = w.repo.items(plan_id)
        new_ids = {i.id: new_id("it") for i in originals}
        items = [replace(i, id=new_ids[i.id], plan_id=copy.id) for i in originals]
        channels = ChannelMappingRepository(w.repo.session)
        mapping = [(k, n, new_ids[i]) for k, n, i in channels.channel_mapping(plan_id)]
        w.repo.add_plan(copy, created_by=actor)
        w.repo.add_items(items)
        channels.replace_channel_mapping(copy.id, mapping)
        copied = count(len(items), "item")
        if mapping:
            copied += f", {count(len(mapping), 'mapped channel')}"
        w.log(
            "copy",
            "plan",
            copy.id,
            f"Created the plan '{copy.name}' as a copy of '{source.name}' ({copied})",
            after={
                **plan_record(copy),
                "copied_from": source.id,
                "items": len(items),
                **({"channels": len(mapping)} if mapping else {}),
            },
            plan_id=copy.id,
            version=1,
        )
    return copy


def change_stamp(engine: Engine) -> int:
    """A number that changes with every write anywhere (the newest activity entry's id).

    Every write appends to the activity log in its own transaction, so caches of plans, people
    and schedules can key on this one cheap query instead of re-reading what they hold."""
    with uow(engine, write=False) as session:
        return Repository(session).change_stamp()
