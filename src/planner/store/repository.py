"""The repository every use case works through: one object per transaction, made of the rows
each part of the store keeps (plans, people, the activity log, adoption evidence, stories),
and `ReviewRepository`, the same plus review meetings.

May import: the other modules of `planner.store`.
"""

from __future__ import annotations

from planner.store.activity import ActivityLog
from planner.store.adoption import AdoptionRows
from planner.store.meetings import ReviewRows
from planner.store.people import PeopleRows
from planner.store.plans import PlanRows
from planner.store.value_stories import StoryRows


class Repository(PlanRows, PeopleRows, ActivityLog, AdoptionRows, StoryRows):
    """Plans, items, people, the activity log, readings, xAPI aggregates, the opt-out list and
    stories inside one transaction: `Repository(session)` within `uow(engine)`."""


class ReviewRepository(Repository, ReviewRows):
    """The repository, plus reviews, decisions and action items (same transaction)."""
