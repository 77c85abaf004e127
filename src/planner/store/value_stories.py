"""Value-creation stories as stored: what happened, told by someone about a plan item, tagged
with a Wenger-Trayner value cycle; read back per plan or item, newest first.

May import: sqlalchemy, `planner.store.schema`, `planner.store.session` and `planner.domain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update

from planner.domain.planning import restore, utc_now
from planner.domain.stories import Story
from planner.errors import NotFoundError
from planner.store.schema import ITEMS, STORIES
from planner.store.session import Rows


class StoryRows(Rows):
    """The stories told about a plan's items."""

    def stories(self, plan_id: str, *, item_id: str | None = None) -> list[Story]:
        """The plan's stories, newest first."""
        query = select(STORIES).join(ITEMS, ITEMS.c.id == STORIES.c.item_id)
        query = query.where(ITEMS.c.plan_id == plan_id)
        if item_id is not None:
            query = query.where(STORIES.c.item_id == item_id)
        query = query.order_by(STORIES.c.date.desc(), STORIES.c.recorded_at.desc())
        return [_story(row._mapping) for row in self.db.execute(query)]

    def story(self, plan_id: str, story_id: str) -> Story:
        query = (
            select(STORIES)
            .join(ITEMS, ITEMS.c.id == STORIES.c.item_id)
            .where(STORIES.c.id == story_id, ITEMS.c.plan_id == plan_id)
        )
        row = self.db.execute(query).one_or_none()
        if row is None:
            raise NotFoundError(f"No story '{story_id}' in plan '{plan_id}'; reload the page.")
        return _story(row._mapping)

    def add_story(self, story: Story) -> None:
        self.db.execute(insert(STORIES), [_story_values(story)])

    def save_story(self, story: Story) -> None:
        values = _story_values(story)
        self.db.execute(update(STORIES).where(STORIES.c.id == story.id).values(values))

    def delete_story(self, story_id: str) -> None:
        self.db.execute(delete(STORIES).where(STORIES.c.id == story_id))

    def add_stories(self, stories: Sequence[Story]) -> None:
        """Insert many stories in one statement (a restored plan's)."""
        if stories:
            self.db.execute(insert(STORIES), [_story_values(s) for s in stories])


_STORY_FIELDS = ("id", "item_id", "author", "title", "text", "value_cycle", "recorded_by")


def _story(row: Any) -> Story:
    return restore(
        Story,
        **{f: row[f] for f in _STORY_FIELDS},
        date=row["date"],
        recorded_at=row["recorded_at"],
    )


def _story_values(story: Story) -> dict[str, Any]:
    values = {f: getattr(story, f) for f in _STORY_FIELDS}
    values["date"] = story.date
    values["recorded_at"] = story.recorded_at or utc_now()
    return values
