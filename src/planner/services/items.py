"""Items of a plan: add tactics or custom work, edit a batch, remove one, refresh a snapshot.

Every change is a `PlanWrite` (`planner.services.writes`): one transaction on the locked plan,
the version the user started from checked and raised by one, one activity entry per item
changed. `missing_prerequisites` says which tactics to add first.
Imports: the domain, and the write path and log words of the other service modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from planner.domain.library import Library
from planner.domain.planning import (
    InvalidInputError,
    ItemChange,
    PlanItem,
    Target,
    apply_change,
    changed_fields,
    default_targets,
    item_from_tactic,
    jsonable,
    new_id,
    tactic_changes,
)
from planner.domain.playbook import Metric, Tactic
from planner.errors import NotFoundError
from planner.services.summaries import count, describe_changes, item_record, person_names
from planner.services.writes import PlanWrite
from planner.store import Engine

__all__ = [
    "add_custom_item",
    "add_tactic_items",
    "missing_prerequisites",
    "refresh_item_from_tactic",
    "remove_item",
    "update_items",
]


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
    with PlanWrite.begin(engine, plan_id, expected_version=expected_version, actor=actor) as w:
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
            w.log("create", "item", item.id, f"Added '{item.title}'", after=item_record(item))
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
    with PlanWrite.begin(engine, plan_id, expected_version=expected_version, actor=actor) as w:
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
            "create", "item", item.id, f"Added custom item '{item.title}'", after=item_record(item)
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
    with PlanWrite.begin(engine, plan_id, expected_version=expected_version, actor=actor) as w:
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
        people = person_names(
            w.repo, [o for old, new in changed for o in (old.owner_id, new.owner_id)]
        )
        w.repo.save_items([new for _, new in changed])
        for old, new in changed:
            names = changed_fields(old, new)
            w.log(
                "update",
                "item",
                new.id,
                f"Edited '{old.title}': {describe_changes(old, new, names, people)}",
                before={n: jsonable(getattr(old, n)) for n in names},
                after={n: jsonable(getattr(new, n)) for n in names},
            )
    return [new for _, new in changed]


def remove_item(
    engine: Engine, plan_id: str, item_id: str, *, expected_version: int, actor: str
) -> None:
    with PlanWrite.begin(engine, plan_id, expected_version=expected_version, actor=actor) as w:
        item = w.repo.item(plan_id, item_id)
        w.claim()
        w.repo.remove_item(item)
        w.log("remove", "item", item.id, f"Removed '{item.title}'", before=item_record(item))


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
    with PlanWrite.begin(engine, plan_id, expected_version=expected_version, actor=actor) as w:
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
            f"({count(len(differences), 'change')}: "
            f"{', '.join(d.field for d in differences[:6])}"
            f"{', …' if len(differences) > 6 else ''})",
            before={d.field: d.before for d in differences},
            after={d.field: d.after for d in differences},
        )
    return refreshed
