"""Records the store keeps and gives back as plain data: activity entries to write, readings,
stories, reviews and action items as stored, and the key a tactic snapshot is stored under.

They live in the domain so that formats (`planner.exchange`) and use cases can build and read
them without the store; `planner.store` turns them into rows and back (and re-exports them).

May import: the standard library and `planner.domain`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.domain.playbook import Tactic
from planner.domain.readings import ReadingKey


@dataclass(frozen=True)
class NewActivity:
    """An activity entry about to be written (the database numbers it)."""

    plan_id: str | None
    version: int | None
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


READING_SOURCES: tuple[str, ...] = ("manual", "csv", "xapi", "teams", "engage", "slack", "discours")
"""Where readings come from: by hand, a readings CSV, xAPI, or a community tool's export
(Microsoft Teams, Viva Engage, Slack, Discourse; `planner.services.community`)."""


@dataclass(frozen=True, kw_only=True)
class Reading:
    """A stored reading: an item's metric in one period of the metric's cadence."""

    id: int
    item_id: str
    metric_id: str
    period: str
    period_start: dt.date
    date: dt.date
    value: float
    source: str
    note: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None

    @property
    def key(self) -> ReadingKey:
        return (self.item_id, self.metric_id, self.period)


@dataclass(frozen=True, kw_only=True)
class Story:
    """A value-creation story: what happened, told by someone, tagged with a value cycle."""

    id: str
    item_id: str
    date: dt.date
    author: str
    title: str
    text: str
    value_cycle: str
    recorded_by: str = ""
    recorded_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ReviewRecord:
    """A stored review as written (planner.services.reviews turns it into a Review)."""

    id: str
    plan_id: str
    date: dt.date
    attendees: list[str]
    notes: str
    snapshot: dict[str, Any]
    recorded_by: str
    recorded_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class ActionItemRecord:
    """A stored action item (same fields as planner.services.reviews.ActionItem)."""

    id: str
    plan_id: str
    text: str
    owner_id: str | None
    owner_name: str
    due: dt.date | None
    status: str
    created_in_review: str | None
    closed_in_review: str | None
    created_at: datetime | None
    created_by: str
    updated_at: datetime | None
    updated_by: str


def snapshot_hash(tactic: Tactic) -> str:
    """Content hash of a tactic: equal tactics share one stored snapshot."""
    data = tactic.model_dump(mode="json")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
