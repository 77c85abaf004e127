"""Records the store keeps and gives back as plain data: activity entries to write, readings,
stories, reviews and action items as stored, and the key a tactic snapshot is stored under.

They live in the domain so that formats (`planner.exchange`) and use cases can build and read
them without the store; `planner.store` turns them into rows and back (and re-exports them).

May import: the standard library and `planner.domain`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.domain.meetings import ActionItemRecord as ActionItemRecord
from planner.domain.meetings import ReviewRecord as ReviewRecord
from planner.domain.playbook import snapshot_hash as snapshot_hash
from planner.domain.readings import READING_SOURCES as READING_SOURCES
from planner.domain.readings import Reading as Reading
from planner.domain.stories import Story as Story


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
