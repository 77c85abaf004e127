"""The activity log as stored: entries appended by every write, read back per plan, per person
or action item, or since a moment; its highest id is the database's change stamp.

May import: sqlalchemy, `planner.store.schema`, `planner.store.session` and `planner.domain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from planner.domain.activity import NewActivity
from planner.domain.planning import ActivityEntry, jsonable, restore
from planner.store.schema import ACTIVITY
from planner.store.session import Rows


class ActivityLog(Rows):
    """Appending to the activity log and reading it back."""

    # activity

    def log_one(self, **entry: Any) -> None:
        """Append one activity entry (the fields of NewActivity)."""
        self.log([NewActivity(**entry)])

    def log(self, entries: Sequence[NewActivity]) -> None:
        if entries:
            self.db.execute(
                insert(ACTIVITY),
                [
                    {**vars(e), "before": jsonable(e.before), "after": jsonable(e.after)}
                    for e in entries
                ],
            )

    def activity(
        self,
        plan_id: str,
        *,
        after_version: int | None = None,
        limit: int | None = None,
    ) -> list[ActivityEntry]:
        """The plan's log, newest first; only changes past `after_version` if given."""
        query = select(ACTIVITY).where(ACTIVITY.c.plan_id == plan_id)
        if after_version is not None:
            query = query.where(ACTIVITY.c.version > after_version)
        query = query.order_by(ACTIVITY.c.id.desc()).limit(limit)
        return [_activity(r._mapping) for r in self.db.execute(query)]

    def activity_since(self, plan_id: str, since: datetime) -> list[ActivityEntry]:
        """The plan's log entries written after `since`, newest first."""
        query = (
            select(ACTIVITY)
            .where(ACTIVITY.c.plan_id == plan_id, ACTIVITY.c.at > since)
            .order_by(ACTIVITY.c.id.desc())
        )
        return [_activity(r._mapping) for r in self.db.execute(query)]

    def entity_activity(
        self,
        entity: str,
        entity_id: str,
        *,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[ActivityEntry]:
        """Log entries about one person or action item, oldest first: the last `limit`, or
        those written after `since`."""
        query = select(ACTIVITY).where(
            ACTIVITY.c.entity == entity, ACTIVITY.c.entity_id == entity_id
        )
        if since is not None:
            query = query.where(ACTIVITY.c.at > since)
        rows = [
            _activity(r._mapping)
            for r in self.db.execute(query.order_by(ACTIVITY.c.id.desc()).limit(limit))
        ]
        return rows[::-1]

    def change_stamp(self) -> int:
        return int(self.db.execute(select(func.max(ACTIVITY.c.id))).scalar_one_or_none() or 0)


def _activity(row: Any) -> ActivityEntry:
    return restore(ActivityEntry, **dict(row))
