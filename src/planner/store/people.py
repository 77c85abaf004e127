"""People as stored: their rows, looked up by id or e-mail, and versioned edits.

Every edit raises a person's version by one; an edit based on an older version is refused
(`save_person` with `expected_version`, one compare-and-swap UPDATE).

May import: sqlalchemy, `planner.store.schema`, `planner.store.session` and `planner.domain`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from planner.domain.planning import Person, restore
from planner.errors import NotFoundError
from planner.store.schema import PEOPLE
from planner.store.session import Rows


class PeopleRows(Rows):
    """The people plans are assigned to (locking a person's row: `Rows.lock_person`)."""

    def people(self, ids: Iterable[str] | None = None) -> list[Person]:
        query = select(PEOPLE)
        if ids is not None:
            query = query.where(PEOPLE.c.id.in_(sorted(set(ids))))
        return [_person(r._mapping) for r in self.db.execute(query.order_by(PEOPLE.c.name))]

    def person(self, person_id: str) -> Person:
        row = self.db.execute(select(PEOPLE).where(PEOPLE.c.id == person_id)).one_or_none()
        if row is None:
            raise NotFoundError(
                f"No person with id '{person_id}'. Choose someone from People, or add them there."
            )
        return _person(row._mapping)

    def missing_people(self, person_ids: Iterable[str]) -> list[str]:
        wanted = set(person_ids)
        if not wanted:
            return []
        found = set(self.db.scalars(select(PEOPLE.c.id).where(PEOPLE.c.id.in_(wanted))))
        return sorted(wanted - found)

    def person_by_email(self, email: str) -> Person | None:
        row = self.db.execute(
            select(PEOPLE).where(PEOPLE.c.email == email.strip().lower())
        ).one_or_none()
        return None if row is None else _person(row._mapping)

    def add_person(self, person: Person, *, actor: str, at: datetime) -> None:
        self.db.execute(
            insert(PEOPLE), [{**_person_values(person), "updated_at": at, "updated_by": actor}]
        )

    def save_person(
        self, person: Person, *, actor: str, at: datetime, expected_version: int | None = None
    ) -> bool:
        """Write `person` and raise its version by one; with `expected_version`, only if the
        stored version is still that one (one UPDATE: compare-and-swap). False if not."""
        query = update(PEOPLE).where(PEOPLE.c.id == person.id)
        if expected_version is not None:
            query = query.where(PEOPLE.c.version == expected_version)
        result = self.db.execute(
            query.values(
                **_person_values(person),
                updated_at=at,
                updated_by=actor,
                version=PEOPLE.c.version + 1,
            )
        )
        return result.rowcount == 1

    def person_versions(self, person_ids: Iterable[str] | None = None) -> dict[str, int]:
        """Each person's version (every person's without `person_ids`)."""
        query = select(PEOPLE.c.id, PEOPLE.c.version)
        if person_ids is not None:
            query = query.where(PEOPLE.c.id.in_(set(person_ids)))
        return {row.id: row.version for row in self.db.execute(query)}


_PERSON_FIELDS = ("id", "name", "email", "role", "team", "capacity_hours_per_week")


def _person(row: Any) -> Person:
    return restore(Person, **{f: row[f] for f in _PERSON_FIELDS})


def _person_values(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in _PERSON_FIELDS}
