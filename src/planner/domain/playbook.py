"""The playbook vocabulary: taxonomy entries, tactics, their steps and metrics (pydantic models)."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=80),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

EFFORT_BANDS: tuple[tuple[str, float], ...] = (("light", 2.0), ("medium", 5.0), ("heavy", 1e9))
"""Upper bounds (inclusive) of effort_hours_per_week for each band shown to users."""


def effort_band(hours: float) -> str:
    """Light (up to 2 h a week), medium (up to 5 h) or heavy (more)."""
    for band, upper in EFFORT_BANDS:
        if hours <= upper:
            return band
    return EFFORT_BANDS[-1][0]


class Strict(BaseModel):
    """Base for playbook models: unknown fields are errors, values are not coerced from strings."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- taxonomy -------------------------------------------------------------------------------


class Entry(Strict):
    id: Id
    title: Text
    description: Text


class Tag(Entry):
    """A purpose or practice: tactics are tagged with it when one of their steps serves it."""

    signals: list[Text] = Field(
        default=[],
        description="Phrases a step of a tactic tagged with this entry speaks of (case is "
        "ignored; each must start a word, so 'skill' matches 'skills').",
    )


class Practice(Tag):
    group: Literal["coaching", "communities", "networks"]


class Stage(Entry):
    order: int = Field(ge=1)
    checklist: list[Text] = Field(min_length=2)


class HealthMetric(Entry):
    unit: Text
    aggregation: Id
    direction: Id
    denominator_metric: Id | None = None
    """For a share: the reserved metric whose counts are its denominator (see Metric)."""


SOURCE_KINDS: tuple[str, ...] = ("system", "survey", "log", "observation")
"""Where a number comes from: a system's report, a survey, a log kept by hand, or someone
watching the work (a manager, a peer, a coordinator)."""

BASELINE_RULES: tuple[str, ...] = ("value", "zero", "before-start", "first-weeks")
"""How a metric's baseline is known: a value already measured, zero (nothing exists before the
tactic), one reading taken before the start, or the readings of the first weeks."""


class MetricSource(Strict):
    """Where a metric's number comes from, who collects it and when."""

    kind: Literal["system", "survey", "log", "observation"] = Field(
        description="system report, survey, hand-kept log or observation of the work"
    )
    name: Text = Field(
        description="Which system, survey or log, e.g. 'the LMS completions report'."
    )
    collected_by: Id = Field(description="Who collects it: a taxonomy owner-role id.")
    when: Text = Field(description="When it is collected, e.g. 'the first Monday of each month'.")


class Baseline(Strict):
    """The value a metric starts from, or the rule for taking it in the tactic's first weeks.

    rule          value        a value already measured (`value` required, `note` says where)
                  zero         nothing exists before the tactic (a new space, a new guide)
                  before-start one reading taken before the first step (`value` optional)
                  first-weeks  the readings of the first `weeks` weeks (`weeks` required)
    """

    rule: Literal["value", "zero", "before-start", "first-weeks"]
    value: float | None = None
    weeks: int | None = Field(default=None, ge=1, le=26)
    note: Text | None = None

    @model_validator(mode="after")
    def _complete(self) -> Baseline:
        if self.rule == "value" and self.value is None:
            raise ValueError("a baseline with rule 'value' needs its value")
        if self.rule == "first-weeks" and self.weeks is None:
            raise ValueError("a baseline with rule 'first-weeks' needs 'weeks'")
        if self.rule == "zero" and self.value not in (None, 0):
            raise ValueError("a baseline with rule 'zero' has no other value")
        if self.rule != "first-weeks" and self.weeks is not None:
            raise ValueError("'weeks' belongs to a baseline with rule 'first-weeks'")
        return self

    @property
    def known_value(self) -> float | None:
        """The value when it is known before any reading (rule value or zero), else None."""
        if self.rule == "zero":
            return 0.0
        if self.rule == "value":
            return self.value
        return None


class OutcomeMeasure(Entry):
    """A unit-level business outcome (Kirkpatrick level 4) a board asks about, with its
    baseline and the way a change is attributed to the programme (Phillips)."""

    unit: Text
    direction: Id
    denominator: Text | None = None
    source: MetricSource
    baseline: Baseline
    attribution: Annotated[str, StringConstraints(strip_whitespace=True, min_length=40)] = Field(
        description="How the programme's share of a change is isolated from other causes."
    )


class Taxonomy(Strict):
    """The controlled vocabulary. Every list is optional so a user folder can add a few entries."""

    purposes: list[Tag] = []
    practices: list[Practice] = []
    stages: list[Stage] = []
    categories: list[Entry] = []
    audiences: list[Entry] = []
    owner_roles: list[Entry] = []
    cadences: list[Entry] = []
    aggregations: list[Entry] = []
    directions: list[Entry] = []
    frameworks: list[Entry] = []
    health_metrics: list[HealthMetric] = []
    outcome_measures: list[OutcomeMeasure] = []

    def ids(self, kind: str) -> set[str]:
        entries: list[Entry] = getattr(self, kind)
        return {e.id for e in entries}

    def title(self, kind: str, entry_id: str) -> str:
        for e in getattr(self, kind):
            if e.id == entry_id:
                return str(e.title)
        return entry_id

    def merged(self, other: Taxonomy) -> Taxonomy:
        """This taxonomy with the entries of `other` added (never removed); existing ids win."""
        data: dict[str, list[Entry]] = {}
        for kind in type(self).model_fields:
            mine: list[Entry] = list(getattr(self, kind))
            known = {e.id for e in mine}
            mine.extend(e for e in getattr(other, kind) if e.id not in known)
            data[kind] = mine
        return Taxonomy.model_validate(data, strict=False)


# --- tactics --------------------------------------------------------------------------------


class Step(Strict):
    week: int = Field(
        ge=0, le=520, description="Week offset from the tactic's start (0 = first week)."
    )
    text: Text


class Metric(Strict):
    id: Id
    name: Text
    unit: Text
    aggregation: Id = Field(description="How readings combine: a taxonomy aggregation id.")
    direction: Id = Field(description="Whether higher or lower is better: a taxonomy direction id.")
    target: float = Field(description="Default target, the value the tactic aims for by its end.")
    cadence: Id = Field(description="How often it is measured: a taxonomy cadence id.")
    definition: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20)]
    framework: Id = Field(description="Framework tag: a taxonomy framework id.")
    response_hours: float | None = Field(
        default=None,
        gt=0,
        description="Response-time target in hours (required for questions-answered-in-time).",
    )
    source: MetricSource | None = Field(
        default=None, description="Where the number comes from, who collects it and when."
    )
    baseline: Baseline | None = Field(
        default=None, description="The starting value, or how it is taken in the first weeks."
    )
    denominator: Text | None = Field(
        default=None, description="For a rate or share: what it is out of (one phrase)."
    )
    readings_from_week: int | None = Field(
        default=None,
        ge=1,
        le=520,
        description="The tactic week in which the metric's data first exist (a channel opened, a "
        "button added); before it a missing reading is not missing data.",
    )
    denominator_metric: Id | None = Field(
        default=None,
        description="For a share computed from two counts: the id of the metric (of the same "
        "tactic, or a reserved community-health metric) whose readings are the denominator. The "
        "readings of this metric stay counts of the numerator; its figure is 100 x its counts / "
        "the denominator's counts over the periods so far (unit percent, aggregation sum).",
    )

    @property
    def is_share(self) -> bool:
        """True when the metric's figure is a share of another metric's counts."""
        return self.denominator_metric is not None


class AudienceSize(Strict):
    """How many people one run of a tactic involves (those whose actions its metrics count)."""

    min: int = Field(ge=1, le=1_000_000)
    max: int = Field(ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _ordered(self) -> AudienceSize:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


MAX_COUNT_PER_PERSON_WEEK = 0.5
"""A count target (a higher-is-better sum) is sized for its audience when it asks at most this
many counted things per person of the audience's largest size per week of the tactic: 60
shares from 15 people in four weeks (1 a person a week) is not."""


class Reference(Strict):
    title: Text
    author: str | None = None
    year: int | None = None
    url: str | None = None
    note: str | None = None

    def cite(self) -> str:
        who = f"{self.author}" if self.author else ""
        when = f" ({self.year})" if self.year else ""
        head = f"{who}{when}. " if who or when else ""
        return f"{head}{self.title}"


class Tactic(Strict):
    id: Id
    title: Text
    summary: Text
    category: Id
    purposes: list[Id] = Field(min_length=1)
    practices: list[Id] = Field(min_length=1)
    audiences: list[Id] = Field(min_length=1)
    owner_role: Id
    effort_hours_per_week: float = Field(ge=0, le=40)
    duration_weeks: int = Field(ge=1, le=260)
    prerequisites: list[Id] = []
    stage: Id | None = Field(
        default=None, description="Community-of-practice stage this tactic serves."
    )
    launches: bool = Field(
        default=False,
        description="True when the tactic starts something people join (a community, a circle, "
        "a mentoring programme, a membership scheme): it then needs the charter and a sponsor.",
    )
    audience_size: AudienceSize | None = Field(
        default=None,
        description="How many people one run involves (min and max): targets of people and "
        "counts are sized against it.",
    )
    outcomes: list[Id] = Field(
        default=[],
        description="Business-outcome measures (taxonomy outcome_measures) the tactic's "
        "level-4 or realised-value claims are checked against.",
    )
    steps: list[Step] = Field(min_length=3)
    metrics: list[Metric] = Field(min_length=1)
    references: list[Reference] = Field(min_length=1)

    @property
    def effort(self) -> str:
        return effort_band(self.effort_hours_per_week)


class PlaybookFile(Strict):
    """One playbook file: a themed collection of tactics."""

    title: Text
    description: Text | None = None
    tactics: list[Tactic] = Field(min_length=1)


def snapshot_hash(tactic: Tactic) -> str:
    """Content hash of a tactic: equal tactics share one stored snapshot."""
    data = tactic.model_dump(mode="json")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
