"""Plan items: one line of a plan (a playbook tactic kept as a snapshot, or custom work),
the targets it aims for, and the edits a user may make to it.

May import: the standard library, `planner.domain.playbook`, `planner.domain.field_checks`
and `planner.domain.identifiers`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.domain.field_checks import (
    MAX_NAME_CHARS,
    InvalidInputError,
    as_number,
    as_optional_day,
    as_whole_number,
    check_choice,
    check_optional_text,
    check_text,
    check_unique,
    set_field,
)
from planner.domain.identifiers import new_id
from planner.domain.playbook import Metric, Tactic

ITEM_STATUSES: tuple[str, ...] = ("planned", "in progress", "done", "blocked", "dropped")

MAX_DURATION_WEEKS = 520
MAX_EFFORT_HOURS = 40.0
"""The most hours a week one item may ask of its owner (the same bound as a tactic's)."""
MAX_TITLE_CHARS = 300
"""An item's title: its database column."""
DEFAULT_CUSTOM_EFFORT_HOURS = 1.0
"""What the custom-item form proposes for the hours a week a custom item asks of its owner."""


@dataclass(frozen=True)
class Target:
    """What an item aims for on one metric. No due date means: by the item's end."""

    metric_id: str
    value: float
    due_date: date | None = None
    baseline: float | None = None

    def __post_init__(self) -> None:
        set_field(self, "value", as_number(self.value, f"Target for '{self.metric_id}'"))
        due = as_optional_day(self.due_date, f"Due date for '{self.metric_id}'")
        set_field(self, "due_date", due)
        baseline = self.baseline
        if baseline is not None and not (isinstance(baseline, float) and math.isnan(baseline)):
            set_field(self, "baseline", as_number(baseline, f"Baseline for '{self.metric_id}'"))
        else:
            set_field(self, "baseline", None)


@dataclass(frozen=True, kw_only=True)
class PlanItem:
    """One line of a plan: a playbook tactic (kept as a snapshot) or a custom piece of work."""

    id: str
    plan_id: str
    title: str
    duration_weeks: int
    position: int = 0
    tactic_id: str | None = None
    snapshot: Tactic | None = None
    custom_metrics: list[Metric] = field(default_factory=list)
    owner_id: str | None = None
    audience: str = ""
    team: str = ""
    pinned_start: date | None = None
    status: str = "planned"
    cop_stage: str | None = None
    notes: str = ""
    targets: list[Target] = field(default_factory=list)
    effort_hours_per_week: float | None = None
    """Hours a week the item asks of its owner; None means the tactic's own figure (0 for a
    custom item)."""

    def __post_init__(self) -> None:
        check_text(self, "title", "An item's title", required=True, max_chars=MAX_TITLE_CHARS)
        where = f"item '{self.title}'"
        self._check_origin(where)
        duration = as_whole_number(self.duration_weeks, f"Duration of {where}")
        if not 1 <= duration <= MAX_DURATION_WEEKS:
            raise InvalidInputError(
                f"Duration of {where} must be between 1 and {MAX_DURATION_WEEKS} weeks, "
                f"not {duration}."
            )
        set_field(self, "duration_weeks", duration)
        set_field(self, "position", as_whole_number(self.position, f"Position of {where}"))
        check_optional_text(self, "owner_id", f"Owner of {where}")
        check_text(self, "audience", f"Audience of {where}", max_chars=MAX_NAME_CHARS)
        check_text(self, "team", f"Team of {where}", max_chars=MAX_NAME_CHARS)
        set_field(self, "pinned_start", as_optional_day(self.pinned_start, f"Start of {where}"))
        check_choice(self.status, ITEM_STATUSES, f"Status of {where}")
        check_optional_text(self, "cop_stage", f"Community stage of {where}")
        check_text(self, "notes", f"Notes of {where}")
        if self.effort_hours_per_week is not None:
            effort = as_number(self.effort_hours_per_week, f"Effort of {where}")
            if not 0 <= effort <= MAX_EFFORT_HOURS:
                raise InvalidInputError(
                    f"Effort of {where} must be between 0 and {MAX_EFFORT_HOURS:g} hours a week, "
                    f"not {effort:g}."
                )
            set_field(self, "effort_hours_per_week", effort)
        self._check_targets(where)

    def _check_origin(self, where: str) -> None:
        # A tactic's item keeps the tactic's snapshot and metrics; a custom item has its own.
        if (self.tactic_id is None) != (self.snapshot is None):
            raise InvalidInputError(f"The {where} needs both a tactic id and its snapshot.")
        if self.snapshot is not None and self.snapshot.id != self.tactic_id:
            raise InvalidInputError(
                f"The {where} refers to tactic '{self.tactic_id}' but keeps a snapshot of "
                f"'{self.snapshot.id}'."
            )
        if self.snapshot is not None and self.custom_metrics:
            raise InvalidInputError(
                f"The {where} follows a playbook tactic, so its metrics come from the tactic; "
                "add a custom item for metrics of your own."
            )
        set_field(self, "custom_metrics", list(self.custom_metrics))
        check_unique((m.id for m in self.custom_metrics), f"metric ids of {where}")

    def _check_targets(self, where: str) -> None:
        targets = list(self.targets)
        set_field(self, "targets", targets)
        known = {m.id for m in self.metrics}
        for target in targets:
            if target.metric_id not in known:
                listed = ", ".join(sorted(known)) or "none"
                raise InvalidInputError(
                    f"The {where} has no metric '{target.metric_id}' to set a target for "
                    f"(its metrics: {listed})."
                )
        check_unique((t.metric_id for t in targets), f"targets of {where}")

    @property
    def is_custom(self) -> bool:
        return self.snapshot is None

    @property
    def effort(self) -> float:
        """Hours a week the item asks of its owner: its own figure, else its tactic's, else 0."""
        if self.effort_hours_per_week is not None:
            return self.effort_hours_per_week
        return self.snapshot.effort_hours_per_week if self.snapshot is not None else 0.0

    @property
    def metrics(self) -> list[Metric]:
        """The tactic's metrics as they were when the item was added, or the custom ones."""
        return list(self.snapshot.metrics) if self.snapshot is not None else self.custom_metrics

    def target_for(self, metric_id: str) -> Target | None:
        return next((t for t in self.targets if t.metric_id == metric_id), None)


def default_targets(item: PlanItem) -> list[Target]:
    """One target per metric at the metric's default value, due at the item's end."""
    return [Target(metric_id=m.id, value=m.target) for m in item.metrics]


def item_from_tactic(
    tactic: Tactic,
    *,
    plan_id: str,
    position: int,
    owner_id: str | None = None,
    audience: str = "",
    team: str = "",
    item_id: str | None = None,
) -> PlanItem:
    """A new plan item following `tactic`, with the tactic's duration and default targets."""
    item = PlanItem(
        id=item_id or new_id("it"),
        plan_id=plan_id,
        position=position,
        tactic_id=tactic.id,
        snapshot=tactic,
        title=tactic.title,
        duration_weeks=tactic.duration_weeks,
        owner_id=owner_id,
        audience=audience,
        team=team,
    )
    return replace(item, targets=default_targets(item))


# Fields a user may change on an existing item; the rest (ids, tactic, snapshot) are managed.
EDITABLE_ITEM_FIELDS: frozenset[str] = frozenset(
    {
        "title",
        "position",
        "custom_metrics",
        "owner_id",
        "audience",
        "team",
        "pinned_start",
        "duration_weeks",
        "status",
        "cop_stage",
        "notes",
        "targets",
        "effort_hours_per_week",
    }
)


@dataclass(frozen=True)
class ItemChange:
    """The edits a user made to one item: field name -> new value (None clears a field)."""

    item_id: str
    values: Mapping[str, Any]


def apply_change(item: PlanItem, change: ItemChange) -> PlanItem:
    """`item` with the edits applied and checked; raises InvalidInputError naming the field."""
    unknown = sorted(set(change.values) - EDITABLE_ITEM_FIELDS)
    if unknown:
        raise InvalidInputError(
            f"Cannot change {', '.join(unknown)} of item '{item.title}'; editable fields are "
            f"{', '.join(sorted(EDITABLE_ITEM_FIELDS))}."
        )
    return replace(item, **dict(change.values))
