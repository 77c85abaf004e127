"""What a plan bundle needs of the database: everything about a plan in one read, and which of a
bundle's ids are already taken here.

The use cases (`planner.services.bundles`) write an import through `Repository` and
`ReviewRepository` in one transaction; a unique key that refuses a write (two imports of one
bundle at the same moment) surfaces as `DuplicateKeyError`, which they retry. May import the
domain and sqlalchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import Engine, Table, select
from sqlalchemy.exc import IntegrityError

from planner.domain.plan_contents import PlanContents
from planner.store import (
    ACTION_ITEMS,
    ITEMS,
    PLANS,
    REVIEW_DECISIONS,
    REVIEWS,
    STORIES,
    ChannelMappingRepository,
    Repository,
    ReviewRepository,
    uow,
)

DuplicateKeyError = IntegrityError
"""A unique key refused a write: another transaction wrote the same id first."""

Kind = Literal["item", "story", "review", "review decision", "action item"]
_TABLES: dict[Kind, Table] = {
    "item": ITEMS,
    "story": STORIES,
    "review": REVIEWS,
    "review decision": REVIEW_DECISIONS,
    "action item": ACTION_ITEMS,
}
_CHUNK = 500


def read_plan_contents(engine: Engine, plan_id: str) -> PlanContents:
    """The plan and all that belongs to it (its saved channel mapping too), read in one
    consistent snapshot; people are its lead, item owners and action item owners; the log
    oldest first."""
    with uow(engine, write=False) as session:
        repo = ReviewRepository(session)
        plan = repo.plan(plan_id)
        items = repo.items(plan_id)
        actions = repo.action_items(plan_id)
        wanted = {plan.lead_id, *(i.owner_id for i in items), *(a.owner_id for a in actions)}
        wanted -= {None}
        people = repo.people(p for p in wanted if p) if wanted else []
        activity = repo.activity(plan_id)
        readings = repo.readings(plan_id)
        stories = repo.stories(plan_id)
        reviews = repo.reviews(plan_id)
        decisions = repo.decisions([r.id for r in reviews])
        channels = ChannelMappingRepository(session).channel_mapping(plan_id)
    decided = [(r, [(d[0], d[2]) for d in decisions.get(r.id, [])]) for r in reviews]
    return PlanContents(
        plan,
        people,
        items,
        list(reversed(activity)),
        readings,
        stories,
        decided,
        actions,
        [(name, item_id) for _, name, item_id in channels],
    )


def plan_exists(repo: Repository, plan_id: str) -> bool:
    return repo.db.execute(select(PLANS.c.id).where(PLANS.c.id == plan_id)).first() is not None


def first_taken(repo: Repository, kind: Kind, ids: Sequence[str]) -> str | None:
    """The first (by id) of these ids of `kind` that the database already has, or None."""
    table = _TABLES[kind]
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = select(table.c.id).where(table.c.id.in_(chunk)).order_by(table.c.id).limit(1)
        taken = repo.db.scalars(query).first()
        if taken is not None:
            return str(taken)
    return None
