"""The words of the activity log: one-line summaries of what a write changed, and the records
kept as an entry's before/after.

A summary names the thing changed and quotes short values ("owner Dana → Lee; duration 4 weeks
→ 6 weeks"); long or structured fields (notes, targets, the tactic snapshot) are only named.
Imports: the domain, and the store's `Repository` to look up people's names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from planner.domain.planning import (
    Plan,
    PlanItem,
    format_day,
    jsonable,
)
from planner.store import Repository

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


def describe_changes(
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
        return count(value, "week")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and name in ("name", "title"):
        return f"'{value}'"
    return str(value)


def plan_update_summary(
    before: Plan, after: Plan, names: Sequence[str], people: Mapping[str, str]
) -> str:
    if names == ["name"]:
        return f"Renamed the plan from '{before.name}' to '{after.name}'"
    if names == ["status"]:
        if after.status == "archived":
            return "Archived the plan"
        return f"Set the plan's status from {before.status} to {after.status}"
    return f"Changed the plan: {describe_changes(before, after, names, people)}"


def person_names(repo: Repository, person_ids: Sequence[str | None]) -> dict[str, str]:
    wanted = {p for p in person_ids if p}
    return {p.id: p.name for p in repo.people(wanted)} if wanted else {}


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def plan_record(plan: Plan) -> dict[str, Any]:
    record: dict[str, Any] = jsonable(plan)
    for bookkeeping in ("version", "updated_at", "updated_by"):
        record.pop(bookkeeping)
    return record


def item_record(item: PlanItem) -> dict[str, Any]:
    # The tactic id says which tactic; the full snapshot would bloat every log entry.
    return {f.name: jsonable(getattr(item, f.name)) for f in fields(item) if f.name != "snapshot"}
