"""Plan files in as use cases: a plan CSV's items into a new or an existing plan, and any file
told apart by its content (a bundle restores a plan, anything else is a plan CSV).

The formats are `planner.exchange.plan_csv` and `planner.exchange.bundle`; here the rows meet
the database, in one transaction: an existing plan is locked, refused when archived, and saved
with its version checked (a stale one is a ConflictError, nothing written); every item added is
logged. May import the domain, the store and the exchange formats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from planner.domain.access import Permission
from planner.domain.planning import Plan, PlanItem, ensure_writable, jsonable, new_id
from planner.domain.playbook import Tactic
from planner.errors import ConflictError, PlannerError
from planner.exchange.bundle import looks_like_bundle as looks_like_bundle
from planner.exchange.plan_csv import parse_plan_csv
from planner.services.bundles import ImportedPlan, import_bundle
from planner.services.writes import Write
from planner.store import Repository

if TYPE_CHECKING:
    from sqlalchemy import Engine


def import_file(
    engine: Engine,
    data: bytes,
    *,
    actor: str,
    tactics: Mapping[str, Tactic],
    source: str,
    plan_id: str | None = None,
    name: str | None = None,
) -> ImportedPlan:
    """A bundle (JSON content) or a plan CSV (anything else), told apart by what is inside.

    `source` is the file's name, for messages and for naming a new plan after a CSV.
    """
    if looks_like_bundle(data):
        if plan_id is not None:
            raise PlannerError(
                f"{source} is a plan bundle, which restores a whole plan; leave out --plan "
                "(adding items to an existing plan takes a plan CSV)."
            )
        return import_bundle(engine, data, actor=actor, name=name, source=source)
    return import_plan_csv(
        engine, data, tactics=tactics, actor=actor, plan_id=plan_id, name=name, source=source
    )


@dataclass(frozen=True)
class _Target:
    plan: Plan
    first_position: int
    created: bool


def import_plan_csv(
    engine: Engine,
    data: bytes,
    *,
    tactics: Mapping[str, Tactic],
    actor: str,
    plan_id: str | None = None,
    name: str | None = None,
    source: str = "plan.csv",
) -> ImportedPlan:
    """Add the file's items to plan `plan_id`, or to a new plan named `name` (default: the
    file name without its extension). One transaction: on any problem nothing is written."""
    with Write.begin(engine, actor, Permission.PLAN_EDIT, f"import the plan CSV {source}") as write:
        repo, at = write.repo, write.at
        target = _target(repo, plan_id, name or PurePath(source).stem, actor, at)
        items = parse_plan_csv(
            data,
            tactics=tactics,
            people=repo.people(),
            plan_id=target.plan.id,
            first_position=target.first_position,
            source=source,
        )
        if target.created:
            plan = target.plan
            repo.add_plan(plan, created_by=actor)
            _log_created(write, plan, source)
        else:
            old = target.plan
            plan = replace(old, version=old.version + 1, updated_at=at, updated_by=actor)
            if not repo.save_plan(plan, expected_version=old.version):
                raise ConflictError(
                    f"Plan '{old.name}' changed while the file was being imported; nothing was "
                    "imported. Import it again."
                )
        repo.add_items(items)
        for item in items:
            write.log(
                "create",
                "item",
                item.id,
                f"Added '{item.title}' (from {source})",
                plan_id=plan.id,
                version=plan.version,
                after=item_record(item),
            )
    return ImportedPlan(plan=plan, items=len(items), people_added=[], created=target.created)


def _target(repo: Repository, plan_id: str | None, name: str, actor: str, at: datetime) -> _Target:
    if plan_id is not None:
        plan = repo.plan(plan_id, lock="update")  # queue behind other saves to it
        ensure_writable(plan, to="add items")
        return _Target(plan, repo.next_position(plan_id), created=False)
    plan = Plan(
        id=new_id("pl"),
        name=name,
        start_date=date.today(),
        version=1,
        updated_at=at,
        updated_by=actor,
    )
    return _Target(plan, 0, created=True)


def _log_created(write: Write, plan: Plan, source: str) -> None:
    record = jsonable(plan)
    for bookkeeping in ("version", "updated_at", "updated_by"):
        record.pop(bookkeeping)
    summary = f"Created the plan '{plan.name}' from {source}"
    write.log(
        "create", "plan", plan.id, summary, plan_id=plan.id, version=plan.version, after=record
    )


def item_record(item: PlanItem) -> dict[str, Any]:
    """An item for the activity log: every field but the tactic snapshot (its id says which)."""
    return {f.name: jsonable(getattr(item, f.name)) for f in fields(item) if f.name != "snapshot"}
