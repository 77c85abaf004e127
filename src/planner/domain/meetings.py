"""Review meetings' stored records: a review as written and an action item, as plain data.

The store reads and writes them (`planner.store`), a bundle carries them
(`planner.exchange.bundle`), the review use cases turn them into what pages show
(`planner.services.reviews`). Stdlib only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


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
    recorded_at: dt.datetime | None


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
    created_at: dt.datetime | None
    created_by: str
    updated_at: dt.datetime | None
    updated_by: str
