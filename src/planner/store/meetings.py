"""Review meetings as stored: reviews (with a JSON snapshot of the plan's status and agenda at
the meeting, so a review reads back exactly as it was), their decisions in the order taken,
and the plan's action items; and rewriting them when a person is erased.

The records (`ReviewRecord`, `ActionItemRecord`) are plain data in `planner.domain.meetings`;
`planner.services.reviews` turns them into reviews and action items.

May import: sqlalchemy, `planner.store.schema`, `planner.store.session` and `planner.domain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from planner.domain.meetings import ActionItemRecord, ReviewRecord
from planner.domain.planning import utc_now
from planner.domain.privacy import scrub_action_item, scrub_review
from planner.errors import NotFoundError
from planner.store.schema import ACTION_ITEMS, REVIEW_DECISIONS, REVIEWS
from planner.store.session import Rows, chunks


class ReviewRows(Rows):
    """Reviews, decisions and action items (same transaction as the rest of the repository)."""

    # reviews

    def reviews(self, plan_id: str) -> list[ReviewRecord]:
        """The plan's reviews, newest first (meeting date, then when recorded)."""
        query = (
            select(REVIEWS)
            .where(REVIEWS.c.plan_id == plan_id)
            .order_by(REVIEWS.c.date.desc(), REVIEWS.c.recorded_at.desc(), REVIEWS.c.id.desc())
        )
        return [_review_record(r._mapping) for r in self.db.execute(query)]

    def review(self, review_id: str) -> ReviewRecord:
        row = self.db.execute(select(REVIEWS).where(REVIEWS.c.id == review_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"No review with id '{review_id}'; reload the page.")
        return _review_record(row._mapping)

    def add_review(self, review: ReviewRecord) -> None:
        values = {c: getattr(review, c) for c in _REVIEW_COLUMNS}
        values["date"] = review.date
        values["recorded_at"] = review.recorded_at or utc_now()
        self.db.execute(insert(REVIEWS), [values])

    def decisions(self, review_ids: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
        """Review id -> its decisions as (id, review id, text), in the order taken."""
        found: dict[str, list[tuple[str, str, str]]] = {}
        d = REVIEW_DECISIONS.c
        for chunk in chunks(sorted(set(review_ids))):
            query = select(d.id, d.review_id, d.text).where(d.review_id.in_(chunk))
            for row in self.db.execute(query.order_by(d.review_id, d.position)):
                found.setdefault(row.review_id, []).append((row.id, row.review_id, row.text))
        return found

    def add_decisions(self, rows: Sequence[tuple[str, str, int, str]]) -> None:
        """Insert decisions given as (id, review id, position, text)."""
        if rows:
            self.db.execute(
                insert(REVIEW_DECISIONS),
                [{"id": i, "review_id": r, "position": p, "text": t} for i, r, p, t in rows],
            )

    # action items

    def action_items(self, plan_id: str) -> list[ActionItemRecord]:
        a = ACTION_ITEMS.c
        query = select(ACTION_ITEMS).where(a.plan_id == plan_id).order_by(a.created_at, a.id)
        return [_action_record(r._mapping) for r in self.db.execute(query)]

    def action_item(self, action_id: str) -> ActionItemRecord:
        row = self.db.execute(
            select(ACTION_ITEMS).where(ACTION_ITEMS.c.id == action_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"No action item with id '{action_id}'; reload the page.")
        return _action_record(row._mapping)

    def add_action_items(self, actions: Sequence[ActionItemRecord]) -> None:
        if actions:
            self.db.execute(insert(ACTION_ITEMS), [_action_values(a) for a in actions])

    def save_action_items(self, actions: Sequence[ActionItemRecord]) -> None:
        """Overwrite these action items (by id)."""
        if not actions:
            return
        columns = [c for c in _ACTION_COLUMNS if c != "id"]
        self.db.execute(
            update(ACTION_ITEMS)
            .where(ACTION_ITEMS.c.id == bindparam("action_id"))
            .values({c: bindparam(f"new_{c}") for c in columns}),
            [
                {"action_id": a.id, **{f"new_{c}": v for c, v in _action_values(a).items()}}
                for a in actions
            ],
        )

    # erasure

    def scrub_reviews(self, person_id: str, who: Any, text: Any) -> int:
        """Unassign the person's action items and rewrite names in reviews, decisions and action
        items with `who` (a whole-value name) and `text` (free text), snapshots included.
        Returns how many rows changed (rules: `planner.domain.privacy`)."""
        changed = 0
        a = ACTION_ITEMS.c
        for row in self.db.execute(select(ACTION_ITEMS)).all():
            values = scrub_action_item(dict(row._mapping), person_id, who, text)
            if values != {k: getattr(row, k) for k in values}:
                self.db.execute(update(ACTION_ITEMS).where(a.id == row.id).values(values))
                changed += 1
        for row in self.db.execute(select(REVIEWS)).all():
            values = scrub_review(dict(row._mapping), person_id, who, text)
            if values != {k: getattr(row, k) for k in values}:
                self.db.execute(update(REVIEWS).where(REVIEWS.c.id == row.id).values(values))
                changed += 1
        for row in self.db.execute(select(REVIEW_DECISIONS)).all():
            new = text(row.text)
            if new != row.text:
                self.db.execute(
                    update(REVIEW_DECISIONS).where(REVIEW_DECISIONS.c.id == row.id).values(text=new)
                )
                changed += 1
        return changed


_REVIEW_COLUMNS = ("id", "plan_id", "attendees", "notes", "snapshot", "recorded_by", "recorded_at")
_ACTION_COLUMNS = tuple(c.name for c in ACTION_ITEMS.columns)


def _review_record(row: Any) -> ReviewRecord:
    return ReviewRecord(**{c: row[c] for c in _REVIEW_COLUMNS}, date=row["date"])


def _action_record(row: Any) -> ActionItemRecord:
    return ActionItemRecord(**{c: row[c] for c in _ACTION_COLUMNS})


def _action_values(action: ActionItemRecord) -> dict[str, Any]:
    values = {c: getattr(action, c) for c in _ACTION_COLUMNS}
    values["created_at"] = action.created_at or utc_now()
    values["updated_at"] = action.updated_at or utc_now()
    return values
