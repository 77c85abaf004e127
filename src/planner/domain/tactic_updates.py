"""The playbook moving on: what changed in a tactic since a plan item took its snapshot.

Field-by-field differences (metrics matched by id, so a reorder is not a change) and the items
whose tactic has changed. Pure: imports playbook records, and plan items for typing only;
`planner.domain.planning` re-exports every public name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.domain.playbook import Tactic

if TYPE_CHECKING:
    from planner.domain.planning import PlanItem


@dataclass(frozen=True)
class FieldChange:
    """One difference between an item's tactic snapshot and the tactic in the playbook now."""

    field: str
    before: Any
    after: Any

    def __str__(self) -> str:
        if self.before is None:
            return f"{self.field}: added"
        if self.after is None:
            return f"{self.field}: removed"
        return f"{self.field}: {_short(self.before)} → {_short(self.after)}"


def _short(value: Any, width: int = 60) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def tactic_changes(snapshot: Tactic, current: Tactic) -> list[FieldChange]:
    """Field-by-field differences; metrics are matched by id so a reorder is not a change."""
    old = snapshot.model_dump(mode="json")
    new = current.model_dump(mode="json")
    changes: list[FieldChange] = []
    for name in type(current).model_fields:
        if name == "metrics":
            changes.extend(_metric_changes(old["metrics"], new["metrics"]))
        elif old[name] != new[name]:
            changes.append(FieldChange(name, old[name], new[name]))
    return changes


def _metric_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[FieldChange]:
    before = {m["id"]: m for m in old}
    after = {m["id"]: m for m in new}
    changes = []
    for metric_id in [*before, *(m for m in after if m not in before)]:
        was, now = before.get(metric_id), after.get(metric_id)
        if was is None or now is None:
            changes.append(FieldChange(f"metrics.{metric_id}", was, now))
            continue
        for key in now:
            if was.get(key) != now[key]:
                changes.append(FieldChange(f"metrics.{metric_id}.{key}", was.get(key), now[key]))
    return changes


def outdated_items(
    items: Iterable[PlanItem], tactics: Mapping[str, Tactic]
) -> dict[str, list[FieldChange]]:
    """Item id -> differences, for items whose tactic has changed in the playbook since."""
    found = {}
    for item in items:
        if item.snapshot is None or item.tactic_id is None or item.tactic_id not in tactics:
            continue
        current = tactics[item.tactic_id]
        if current != item.snapshot:
            changes = tactic_changes(item.snapshot, current)
            if changes:
                found[item.id] = changes
    return found
