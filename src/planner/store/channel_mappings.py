"""A plan's saved mapping of community tools' channel, group or category names to its items
(table `channel_mappings`, migration 0006), so next month's per-community export goes in with
one click (`planner.services.community`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select

from planner.store.repository import Repository
from planner.store.schema import CHANNEL_MAPPINGS


class ChannelMappingRepository(Repository):
    """A plan's saved channel mapping."""

    def channel_mapping(self, plan_id: str) -> list[tuple[str, str, str]]:
        """(channel key, name as written, item id) per saved name, in name order."""
        rows = self.db.execute(
            select(CHANNEL_MAPPINGS.c.channel, CHANNEL_MAPPINGS.c.name, CHANNEL_MAPPINGS.c.item_id)
            .where(CHANNEL_MAPPINGS.c.plan_id == plan_id)
            .order_by(CHANNEL_MAPPINGS.c.channel)
        ).all()
        return [(r.channel, r.name, r.item_id) for r in rows]

    def replace_channel_mapping(self, plan_id: str, rows: Sequence[tuple[str, str, str]]) -> None:
        """The plan's mapping becomes `rows` (channel key, name, item id)."""
        self.db.execute(delete(CHANNEL_MAPPINGS).where(CHANNEL_MAPPINGS.c.plan_id == plan_id))
        if rows:
            self.db.execute(
                insert(CHANNEL_MAPPINGS),
                [
                    {"plan_id": plan_id, "channel": key, "name": name, "item_id": item_id}
                    for key, name, item_id in rows
                ],
            )
