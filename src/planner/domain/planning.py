"""Rollout plans in the users' words: a plan's settings, the archived rule, the clock.

Plain frozen dataclasses: they check their own invariants in `__post_init__`, so a value the
user can fix (a bad status, a duration under a week, a target for a metric the item does not
have) raises `InvalidInputError` wherever it is built, before anything reaches the database.
Values arriving from widgets (numpy numbers, padded strings) are normalised on the way in.

This module is the door to the planning records: it re-exports people
(`planner.domain.people`), plan items and targets (`planner.domain.plan_items`), the field
checks and their error (`planner.domain.field_checks`), ids (`planner.domain.identifiers`),
the activity log and concurrent edits (`planner.domain.activity`) and a tactic's changes
since an item's snapshot (`planner.domain.tactic_updates`).

May import: the standard library and `planner.domain`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
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
from planner.domain.field_checks import MAX_NAME_CHARS as MAX_NAME_CHARS
from planner.domain.field_checks import InvalidInputError as InvalidInputError
from planner.domain.field_checks import (
    as_day,
    as_number,
    check_choice,
    check_optional_text,
    check_text,
    set_field,
)
from planner.domain.identifiers import new_id as new_id
from planner.domain.people import DEFAULT_CAPACITY_HOURS as DEFAULT_CAPACITY_HOURS
from planner.domain.people import Person as Person
from planner.domain.plan_items import DEFAULT_CUSTOM_EFFORT_HOURS as DEFAULT_CUSTOM_EFFORT_HOURS
from planner.domain.plan_items import EDITABLE_ITEM_FIELDS as EDITABLE_ITEM_FIELDS
from planner.domain.plan_items import ITEM_STATUSES as ITEM_STATUSES
from planner.domain.plan_items import MAX_DURATION_WEEKS as MAX_DURATION_WEEKS
from planner.domain.plan_items import MAX_EFFORT_HOURS as MAX_EFFORT_HOURS
from planner.domain.plan_items import MAX_TITLE_CHARS as MAX_TITLE_CHARS
from planner.domain.plan_items import ItemChange as ItemChange
from planner.domain.plan_items import PlanItem as PlanItem
from planner.domain.plan_items import Target as Target
from planner.domain.plan_items import apply_change as apply_change
from planner.domain.plan_items import default_targets as default_targets
from planner.domain.plan_items import item_from_tactic as item_from_tactic
from planner.domain.tactic_updates import FieldChange as FieldChange
from planner.domain.tactic_updates import outdated_items as outdated_items
from planner.domain.tactic_updates import tactic_changes as tactic_changes

REVIEW_CADENCES: tuple[str, ...] = ("weekly", "fortnightly", "monthly", "quarterly")
PLAN_STATUSES: tuple[str, ...] = ("draft", "active", "closed", "archived")


def utc_now() -> datetime:
    return datetime.now(UTC)


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
        check_text(self, "name", "A plan's name", required=True, max_chars=MAX_NAME_CHARS)
        check_text(self, "description", "Description")
        check_optional_text(self, "lead_id", "Lead")
        set_field(self, "start_date", as_day(self.start_date, "Start date"))
        check_choice(self.review_cadence, REVIEW_CADENCES, "Review cadence")
        check_choice(self.status, PLAN_STATUSES, "Plan status")
        at_risk = as_number(self.at_risk_threshold, "At-risk threshold")
        off_track = as_number(self.off_track_threshold, "Off-track threshold")
        if not 0 < off_track < at_risk <= 1:
            raise InvalidInputError(
                "Thresholds are fractions of a target: the off-track threshold must be above 0 "
                f"and below the at-risk threshold, which is at most 1 (got {off_track:g} and "
                f"{at_risk:g})."
            )
        set_field(self, "at_risk_threshold", at_risk)
        set_field(self, "off_track_threshold", off_track)


def ensure_writable(plan: Plan, *, to: str = "change it", new_status: str | None = None) -> None:
    """An archived plan is read-only: refuse a write to it (InvalidInputError saying how to
    reopen it; `to` names what the write does, "record readings"), unless the write itself
    takes the plan out of the archive (`new_status` other than archived)."""
    if plan.status != "archived" or new_status not in (None, "archived"):
        return
    raise InvalidInputError(
        f"Plan '{plan.name}' is archived. Set its status to draft or active to {to}."
    )


def changed_fields(before: Any, after: Any) -> list[str]:
    """Names of the dataclass fields whose values differ between two versions of a record."""
    return [f.name for f in fields(before) if getattr(before, f.name) != getattr(after, f.name)]
