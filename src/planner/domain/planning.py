"""Rollout plans in the users' words: people, plans, plan items, targets and the activity log.

Plain frozen dataclasses: they check their own invariants in `__post_init__`, so a value the
user can fix (a bad status, a duration under a week, a target for a metric the item does not
have) raises `InvalidInputError` wherever it is built, before anything reaches the database.
Values arriving from widgets (numpy numbers, padded strings) are normalised on the way in.

The activity log and concurrent edits live in `planner.domain.activity`, a tactic's changes
since an item's snapshot in `planner.domain.tactic_updates`; both are re-exported here.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from typing import Any

from planner.domain.activity import REMOVED as REMOVED
from planner.domain.activity import UNSEEN as UNSEEN
from planner.domain.activity import ActivityEntry as ActivityEntry
from planner.domain.activity import FieldEdit as FieldEdit
from planner.domain.activity import Unseen as Unseen
from planner.domain.activity import compare_edits as compare_edits
from planner.domain.activity import describe_conflict as describe_conflict
from planner.domain.activity import format_day as format_day
from planner.domain.activity import jsonable as jsonable
from planner.domain.activity import rebase_edits as rebase_edits
from planner.domain.activity import restore as restore
from planner.domain.activity import same_moment as same_moment
from planner.domain.activity import when as when
from planner.domain.limits import day_problem, text_problem
from planner.domain.playbook import Metric, Tactic
from planner.domain.tactic_updates import FieldChange as FieldChange
from planner.domain.tactic_updates import outdated_items as outdated_items
from planner.domain.tactic_updates import tactic_changes as tactic_changes
from planner.errors import PlannerError

REVIEW_CADENCES: tuple[str, ...] = ("weekly", "fortnightly", "monthly", "quarterly")
PLAN_STATUSES: tuple[str, ...] = ("draft", "active", "closed", "archived")
ITEM_STATUSES: tuple[str, ...] = ("planned", "in progress", "done", "blocked", "dropped")


DEFAULT_CAPACITY_HOURS = 4.0
MAX_DURATION_WEEKS = 520
MAX_EFFORT_HOURS = 40.0
MAX_NAME_CHARS = 200
"""Names, roles, teams and audiences (of people, plans and items): their database columns."""
MAX_TITLE_CHARS = 300
"""An item's title: its database column."""
"""The most hours a week one item may ask of its owner (the same bound as a tactic's)."""
DEFAULT_CUSTOM_EFFORT_HOURS = 1.0
"""What the custom-item form proposes for the hours a week a custom item asks of its owner."""


class InvalidInputError(PlannerError):
    """A plan, item or person value the user must correct (the message names the field)."""


def new_id(prefix: str) -> str:
    """A stable id such as 'pl_1a2b3c4d5e6f': random, so it is the same in every database."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- checks and normalisation shared by the records -------------------------------------------


def _set(obj: object, name: str, value: Any) -> None:
    # Frozen dataclasses normalise their own fields once, here, and are immutable afterwards.
    object.__setattr__(obj, name, value)


def _text(
    obj: object, name: str, label: str, *, required: bool = False, max_chars: int | None = None
) -> None:
    value = getattr(obj, name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInputError(f"{label} must be text, not {value!r}.")
    if "\x00" in value:
        raise InvalidInputError(f"{label} {text_problem(value)}.")
    value = value.strip()
    if required and not value:
        raise InvalidInputError(f"{label} cannot be empty.")
    if max_chars is not None and len(value) > max_chars:
        raise InvalidInputError(f"{label} {text_problem(value, max_chars=max_chars)}; shorten it.")
    _set(obj, name, value)


def _optional_text(obj: object, name: str, label: str) -> None:
    value = getattr(obj, name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        _set(obj, name, None)
        return
    if not isinstance(value, str):
        raise InvalidInputError(f"{label} must be text, not {value!r}.")
    if "\x00" in value:
        raise InvalidInputError(f"{label} {text_problem(value)}.")
    _set(obj, name, value.strip() or None)


def _number(value: Any, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{label} must be a number, not {value!r}.") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise InvalidInputError(f"{label} must be a number, not {value!r}.")
    return number


def _whole_number(value: Any, label: str) -> int:
    number = _number(value, label)
    if number != int(number):
        raise InvalidInputError(f"{label} must be a whole number of weeks, not {value!r}.")
    return int(number)


def _choice(value: Any, allowed: Sequence[str], label: str) -> None:
    if value not in allowed:
        raise InvalidInputError(f"{label} must be one of {', '.join(allowed)}; got {value!r}.")


def _day(value: Any, label: str) -> date:
    # datetime is a date subclass; a pandas Timestamp is a datetime: keep only the day.
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if (problem := day_problem(value)) is not None:
            raise InvalidInputError(f"{label}: {problem}.")
        return value
    raise InvalidInputError(f"{label} must be a date, not {value!r}.")


def _optional_day(value: Any, label: str) -> date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return _day(value, label)


# --- people and plans -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Person:
    """Someone in the organisation; shared by every plan, so workload adds up across plans."""

    id: str
    name: str
    email: str | None = None
    role: str = ""
    team: str = ""
    capacity_hours_per_week: float = DEFAULT_CAPACITY_HOURS

    def __post_init__(self) -> None:
        _text(self, "name", "A person's name", required=True, max_chars=MAX_NAME_CHARS)
        _optional_text(self, "email", "Email")
        if self.email is not None:
            if "@" not in self.email or " " in self.email:
                raise InvalidInputError(f"'{self.email}' is not an email address.")
            # Matching a signed-in user to a person ignores case, so store one spelling.
            _set(self, "email", self.email.lower())
        _text(self, "role", "Role", max_chars=MAX_NAME_CHARS)
        _text(self, "team", "Team", max_chars=MAX_NAME_CHARS)
        hours = _number(self.capacity_hours_per_week, f"Weekly capacity of {self.name}")
        if not 0 <= hours <= 168:
            raise InvalidInputError(
                f"Weekly capacity of {self.name} must be between 0 and 168 hours, not {hours:g}."
            )
        _set(self, "capacity_hours_per_week", hours)


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A rollout plan. `version` goes up by one with every saved change."""

    id: str
    name: str
    start_date: date
    description: str = ""
    lead_id: str | None = None
    review_cadence: str = "monthly"
    status: str = "draft"
    version: int = 1
    at_risk_threshold: float = 0.9
    off_track_threshold: float = 0.7
    updated_at: datetime | None = None
    updated_by: str = ""

    def __post_init__(self) -> None:
        _text(self, "name", "A plan's name", required=True, max_chars=MAX_NAME_CHARS)
        _text(self, "description", "Description")
        _optional_text(self, "lead_id", "Lead")
        _set(self, "start_date", _day(self.start_date, "Start date"))
        _choice(self.review_cadence, REVIEW_CADENCES, "Review cadence")
        _choice(self.status, PLAN_STATUSES, "Plan status")
        at_risk = _number(self.at_risk_threshold, "At-risk threshold")
        off_track = _number(self.off_track_threshold, "Off-track threshold")
        if not 0 < off_track < at_risk <= 1:
            raise InvalidInputError(
                "Thresholds are fractions of a target: the off-track threshold must be above 0 "
                f"and below the at-risk threshold, which is at most 1 (got {off_track:g} and "
                f"{at_risk:g})."
            )
        _set(self, "at_risk_threshold", at_risk)
        _set(self, "off_track_threshold", off_track)


def ensure_writable(plan: Plan, *, to: str = "change it", new_status: str | None = None) -> None:
    """An archived plan is read-only: refuse a write to it (InvalidInputError saying how to
    reopen it; `to` names what the write does, "record readings"), unless the write itself
    takes the plan out of the archive (`new_status` other than archived)."""
    if plan.status != "archived" or new_status not in (None, "archived"):
        return
    raise InvalidInputError(
        f"Plan '{plan.name}' is archived. Set its status to draft or active to {to}."
    )


# --- plan items ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What an item aims for on one metric. No due date means: by the item's end."""

    metric_id: str
    value: float
    due_date: date | None = None
    baseline: float | None = None

    def __post_init__(self) -> None:
        _set(self, "value", _number(self.value, f"Target for '{self.metric_id}'"))
        _set(self, "due_date", _optional_day(self.due_date, f"Due date for '{self.metric_id}'"))
        baseline = self.baseline
        if baseline is not None and not (isinstance(baseline, float) and math.isnan(baseline)):
            _set(self, "baseline", _number(baseline, f"Baseline for '{self.metric_id}'"))
        else:
            _set(self, "baseline", None)


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
        _text(self, "title", "An item's title", required=True, max_chars=MAX_TITLE_CHARS)
        where = f"item '{self.title}'"
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
        _set(self, "custom_metrics", list(self.custom_metrics))
        _unique((m.id for m in self.custom_metrics), f"metric ids of {where}")
        duration = _whole_number(self.duration_weeks, f"Duration of {where}")
        if not 1 <= duration <= MAX_DURATION_WEEKS:
            raise InvalidInputError(
                f"Duration of {where} must be between 1 and {MAX_DURATION_WEEKS} weeks, "
                f"not {duration}."
            )
        _set(self, "duration_weeks", duration)
        _set(self, "position", _whole_number(self.position, f"Position of {where}"))
        _optional_text(self, "owner_id", f"Owner of {where}")
        _text(self, "audience", f"Audience of {where}", max_chars=MAX_NAME_CHARS)
        _text(self, "team", f"Team of {where}", max_chars=MAX_NAME_CHARS)
        _set(self, "pinned_start", _optional_day(self.pinned_start, f"Start of {where}"))
        _choice(self.status, ITEM_STATUSES, f"Status of {where}")
        _optional_text(self, "cop_stage", f"Community stage of {where}")
        _text(self, "notes", f"Notes of {where}")
        if self.effort_hours_per_week is not None:
            effort = _number(self.effort_hours_per_week, f"Effort of {where}")
            if not 0 <= effort <= MAX_EFFORT_HOURS:
                raise InvalidInputError(
                    f"Effort of {where} must be between 0 and {MAX_EFFORT_HOURS:g} hours a week, "
                    f"not {effort:g}."
                )
            _set(self, "effort_hours_per_week", effort)
        self._check_targets(where)

    def _check_targets(self, where: str) -> None:
        targets = list(self.targets)
        _set(self, "targets", targets)
        known = {m.id for m in self.metrics}
        for target in targets:
            if target.metric_id not in known:
                listed = ", ".join(sorted(known)) or "none"
                raise InvalidInputError(
                    f"The {where} has no metric '{target.metric_id}' to set a target for "
                    f"(its metrics: {listed})."
                )
        _unique((t.metric_id for t in targets), f"targets of {where}")

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


def _unique(values: Iterable[str], label: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise InvalidInputError(f"'{value}' appears twice among the {label}.")
        seen.add(value)


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


def changed_fields(before: Any, after: Any) -> list[str]:
    """Names of the dataclass fields whose values differ between two versions of a record."""
    return [f.name for f in fields(before) if getattr(before, f.name) != getattr(after, f.name)]
