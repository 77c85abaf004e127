"""Everything about one plan as plain records: what a plan bundle carries.

The store reads it in one consistent snapshot (`planner.store.bundles`), the bundle format
writes it out (`planner.exchange.bundle`). Records only; stdlib and the domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.domain.meetings import ActionItemRecord, ReviewRecord
from planner.domain.planning import ActivityEntry, Person, Plan, PlanItem
from planner.domain.readings import Reading
from planner.domain.stories import Story


@dataclass(frozen=True)
class PlanContents:
    """A plan with its people, items, log (oldest first), readings, stories, reviews (each with
    its decisions as (id, text), in the order taken), action items and saved channel mapping
    (name as written, item id), in any order."""

    plan: Plan
    people: Sequence[Person]
    items: Sequence[PlanItem]
    activity: Sequence[ActivityEntry]
    readings: Sequence[Reading] = ()
    stories: Sequence[Story] = ()
    reviews: Sequence[tuple[ReviewRecord, Sequence[tuple[str, str]]]] = ()
    actions: Sequence[ActionItemRecord] = ()
    channel_mapping: Sequence[tuple[str, str]] = ()
