"""Readings' reads beyond the Repository's rows: what an item's trends are drawn from.

A write of a plan's data (readings, stories) starts with `Write.writable_plan`
(`planner.services.writes`): the plan's row locked, the archived rule applied. The rows
themselves (readings, xAPI hashes and statement ids, stories) are `Repository` methods; the
use cases are `planner.services.readings`, `planner.services.xapi_readings` and
`planner.services.stories`.

May import: sqlalchemy, `planner.store` (tables, Repository), `planner.domain` and `planner.errors`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from planner.domain.planning import Plan, PlanItem
from planner.store import Reading, Repository


def trend_sources(
    session: Session, plan_id: str, item_id: str, until: dt.date
) -> tuple[Plan, list[PlanItem], list[Reading]]:
    """What an item's trends are drawn from: the plan, all its items (the item's dates depend
    on the others') and the item's readings dated up to `until`."""
    repo = Repository(session)
    plan = repo.plan(plan_id)
    items = repo.items(plan_id)
    return plan, items, repo.readings(plan_id, item_id=item_id, until=until)
