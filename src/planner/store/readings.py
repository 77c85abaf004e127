"""Readings' reads and locks beyond the Repository's rows: the plan a data write goes to, and
what an item's trends are drawn from.

A write of a plan's data (readings, stories) starts with `writable_plan`: the plan's row locked
(PostgreSQL), so writes to one plan queue up, and refused when the plan is archived. The rows
themselves (readings, xAPI hashes and statement ids, stories) are `Repository` methods; the
use cases are `planner.services.readings`, `planner.services.xapi_readings` and
`planner.services.stories`.

May import: sqlalchemy, `planner.store` (tables, Repository), `planner.domain` and `planner.errors`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from planner.domain.planning import InvalidInputError, Plan, PlanItem
from planner.store import Reading, Repository


def writable_plan(repo: Repository, plan_id: str) -> Plan:
    """The plan, its row locked first (PostgreSQL): writes to its readings and stories queue
    up, and everything read after (its status, stored readings) is what the one before left."""
    plan = repo.plan(plan_id, lock="update")
    if plan.status == "archived":
        raise InvalidInputError(
            f"Plan '{plan.name}' is archived. Set its status to draft or active to record "
            "readings or stories."
        )
    return plan


def trend_sources(
    session: Session, plan_id: str, item_id: str, until: dt.date
) -> tuple[Plan, list[PlanItem], list[Reading]]:
    """What an item's trends are drawn from: the plan, all its items (the item's dates depend
    on the others') and the item's readings dated up to `until`."""
    repo = Repository(session)
    plan = repo.plan(plan_id)
    items = repo.items(plan_id)
    return plan, items, repo.readings(plan_id, item_id=item_id, until=until)
