"""The plan bundle's structure: its format name and versions, and one pydantic model per record.

Strict on JSON (numbers stay numbers, dates are ISO strings, unknown fields are errors), so a
bundle that parses is one `planner.exchange.bundle` can check for references and turn into
records. The layout and its rules are described in `planner.exchange.bundle`. May import the
domain and pydantic only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from planner.domain.channel_mapping import MAX_CHANNEL_NAME_CHARS
from planner.domain.limits import day_problem
from planner.domain.planning import (
    ITEM_STATUSES,
    MAX_DURATION_WEEKS,
    MAX_EFFORT_HOURS,
    PLAN_STATUSES,
    REVIEW_CADENCES,
)
from planner.domain.playbook import Metric, Tactic
from planner.domain.readings import READING_SOURCES
from planner.domain.stories import VALUE_CYCLES

FORMAT = "informal-learning-planner/bundle"
FORMAT_VERSION = 4
FIRST_FORMAT_VERSION = 1
"""Version 1: before readings and stories (its `readings` are empty; it has no `stories`)."""
REVIEWS_FORMAT_VERSION = 3
"""Reviews and action items came with version 3 (before: `reviews` empty, no `actions`)."""
CHANNELS_FORMAT_VERSION = 4
"""The plan's saved channel mapping came with version 4 (before: no `channel_mapping`)."""
ACTION_STATUSES = ("open", "done", "dropped")  # planner.services.reviews.ACTION_STATUSES
_SNAPSHOT_KEYS = ("as_of", "adoption_index", "rows", "items")
COPY_SUFFIX = " (copy)"
MAX_NAME = 200  # the plans.name and people.name columns

# --- the bundle's structure -------------------------------------------------------------------


def _one_of(allowed: Sequence[str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def _value_cycle(value: str) -> str:
    if value not in VALUE_CYCLES:
        raise ValueError(f"must be one of {', '.join(VALUE_CYCLES)}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _snapshot(value: dict[str, Any]) -> dict[str, Any]:
    missing = [k for k in _SNAPSHOT_KEYS if k not in value]
    if missing:
        raise ValueError(f"a review snapshot needs {', '.join(missing)}")
    if not isinstance(value["rows"], list) or not isinstance(value["items"], list):
        raise ValueError("a review snapshot's rows and items are lists")
    return value


def _in_years(value: Any) -> Any:
    day = value.date() if isinstance(value, datetime) else value
    if (problem := day_problem(day)) is not None:
        raise ValueError(problem)
    return value


Day = Annotated[dt.date, AfterValidator(_in_years)]
Moment = Annotated[AwareDatetime, AfterValidator(_in_years)]
StableId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Short = Annotated[str, StringConstraints(max_length=200)]
MetricId = Annotated[str, StringConstraints(min_length=1, max_length=80)]


class _Record(BaseModel):
    # Strict on JSON: numbers stay numbers, dates are ISO strings, unknown fields are errors.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class BundlePlan(_Record):
    id: StableId
    name: Name
    description: str = ""
    lead_id: StableId | None = None
    start_date: Day
    review_cadence: Annotated[str, _one_of(REVIEW_CADENCES)] = "monthly"
    status: Annotated[str, _one_of(PLAN_STATUSES)] = "draft"
    version: int = Field(default=1, ge=1)
    at_risk_threshold: float = 0.9
    off_track_threshold: float = 0.7


class BundlePerson(_Record):
    id: StableId
    name: Name
    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    role: Short = ""
    team: Short = ""
    capacity_hours_per_week: float = Field(default=4.0, ge=0, le=168)


class BundleTarget(_Record):
    metric_id: MetricId
    value: float
    due_date: Day | None = None
    baseline: float | None = None


class BundleItem(_Record):
    id: StableId
    position: int = 0
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    tactic_id: Annotated[str, StringConstraints(max_length=80)] | None = None
    tactic_snapshot: str | None = None
    custom_metrics: list[Metric] = []
    owner_id: StableId | None = None
    audience: Short = ""
    team: Short = ""
    pinned_start: Day | None = None
    duration_weeks: int = Field(ge=1, le=MAX_DURATION_WEEKS)
    status: Annotated[str, _one_of(ITEM_STATUSES)] = "planned"
    cop_stage: Annotated[str, StringConstraints(max_length=80)] | None = None
    notes: str = ""
    effort_hours_per_week: float | None = Field(default=None, ge=0, le=MAX_EFFORT_HOURS)
    """Written only when the item has its own figure, so bundles of items that follow their
    tactic's effort stay byte for byte what they were; older bundles import unchanged."""
    targets: list[BundleTarget] = []


class BundleActivity(_Record):
    at: Moment
    actor: Short
    action: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    entity: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    entity_id: Annotated[str, StringConstraints(max_length=80)]
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    version: int | None = None


class BundleReading(_Record):
    item_id: StableId
    metric_id: MetricId
    period: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    period_start: Day
    date: Day
    value: Annotated[float, Field(allow_inf_nan=False)]
    source: Annotated[str, _one_of(READING_SOURCES)]
    note: str = ""
    recorded_by: Short = ""
    recorded_at: Moment


class BundleStory(_Record):
    id: StableId
    item_id: StableId
    date: Day
    author: Annotated[str, StringConstraints(max_length=200), AfterValidator(_not_blank)]
    title: Annotated[str, StringConstraints(max_length=300), AfterValidator(_not_blank)]
    text: Annotated[str, AfterValidator(_not_blank)]
    value_cycle: Annotated[str, AfterValidator(_value_cycle)]
    recorded_by: Short = ""
    recorded_at: Moment


class BundleDecision(_Record):
    id: StableId
    text: Annotated[str, AfterValidator(_not_blank)]


class BundleReview(_Record):
    id: StableId
    date: Day
    attendees: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = []
    notes: str = ""
    snapshot: Annotated[dict[str, Any], AfterValidator(_snapshot)]
    recorded_by: Short = ""
    recorded_at: Moment
    decisions: list[BundleDecision] = []


class BundleAction(_Record):
    id: StableId
    text: Annotated[str, AfterValidator(_not_blank)]
    owner_id: StableId | None = None
    owner_name: Short = ""
    due: Day | None = None
    status: Annotated[str, _one_of(ACTION_STATUSES)] = "open"
    created_in_review: StableId | None = None
    closed_in_review: StableId | None = None
    created_at: Moment
    created_by: Short = ""
    updated_at: Moment
    updated_by: Short = ""


class BundleChannel(_Record):
    """One name of the plan's saved channel mapping and the item its figures go to."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_CHANNEL_NAME_CHARS)]
    item_id: StableId


class Bundle(_Record):
    format: Literal["informal-learning-planner/bundle"]
    version: Literal[1, 2, 3, 4]
    plan: BundlePlan
    people: list[BundlePerson] = []
    items: list[BundleItem] = []
    tactic_snapshots: dict[str, Tactic] = {}
    readings: list[BundleReading] = []
    stories: list[BundleStory] = []
    reviews: list[BundleReview] = []
    actions: list[BundleAction] = []
    channel_mapping: list[BundleChannel] = []
    activity: list[BundleActivity] = []
