"""Privacy as stored: where a database's pseudonym key lives, and erasing a person's traces.

The queries behind `planner.services.privacy.erase_person`: the names and emails a person had
(from the activity log), the items they owned, the activity log and the who- and free-text
columns that may name them (plans, people, readings, stories), and the keyed hashes stored for
their xAPI statements. Every rewrite goes through a `planner.domain.privacy.Scrubber`, so what
counts as a mention is decided in the domain, and only rows that may hold one are read (the
activity log excepted: its JSON may hold a name escaped, which no LIKE finds). The opt-out list
itself is `Repository.opt_out_hashes` / `add_opt_outs`.

May import: sqlalchemy, `planner.store` (tables, Repository), `planner.domain` and
`planner.errors`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from sqlalchemy import Engine, Table, bindparam, delete, func, make_url, or_, select, update
from sqlalchemy.exc import ArgumentError

from planner.domain.privacy import Scrubber
from planner.errors import PlannerError
from planner.store import ACTIVITY, ITEMS, PEOPLE, PLANS, READINGS, STORIES, XAPI_PEOPLE, Repository


def database_location(database: Engine | str) -> tuple[str, str]:
    """The backend's name (sqlite, postgresql, ...) and the database (a SQLite file's path, ""
    or ":memory:" for an in-memory one) of an engine or a URL."""
    if isinstance(database, Engine):
        url = database.url
    else:
        try:
            url = make_url(database)
        except ArgumentError:
            raise PlannerError(f"'{database}' is not a database URL.") from None
    return url.get_backend_name(), str(url.database or "")


def person_log_values(repo: Repository, person_id: str) -> Iterator[Any]:
    """The before and after values of every log entry about the person (their past names)."""
    query = select(ACTIVITY.c.before, ACTIVITY.c.after).where(
        ACTIVITY.c.entity == "person", ACTIVITY.c.entity_id == person_id
    )
    for entry in repo.db.execute(query):
        yield entry.before
        yield entry.after


def owned_item_count(repo: Repository, person_id: str) -> int:
    """How many items the person owns."""
    query = select(func.count()).select_from(ITEMS).where(ITEMS.c.owner_id == person_id)
    return int(repo.db.execute(query).scalar_one())


def unassign_and_scrub_items(repo: Repository, person_id: str, scrub: Scrubber) -> dict[str, int]:
    """Items the person owned lose their owner; notes naming them are rewritten.
    Returns plan id -> how many of its items changed."""
    touched: dict[str, int] = {}
    query = select(ITEMS.c.id, ITEMS.c.plan_id, ITEMS.c.owner_id, ITEMS.c.notes).where(
        or_(ITEMS.c.owner_id == person_id, *_mentions(ITEMS.c.notes, scrub.words))
    )
    for item_id, plan_id, owner_id, notes in repo.db.execute(query).all():
        notes_now = scrub.text(notes)
        if owner_id != person_id and notes_now == notes:
            continue
        owner_now = None if owner_id == person_id else owner_id
        repo.db.execute(
            update(ITEMS).where(ITEMS.c.id == item_id).values(owner_id=owner_now, notes=notes_now)
        )
        touched[plan_id] = touched.get(plan_id, 0) + 1
    return touched


def delete_person_row(repo: Repository, person_id: str) -> None:
    """The person's record goes (what refers to it must be cleared first)."""
    repo.db.execute(delete(PEOPLE).where(PEOPLE.c.id == person_id))


def scrub_activity(repo: Repository, scrub: Scrubber) -> int:
    """Rewrite every log entry that names the person; returns how many changed.

    Every entry is read: JSON columns may hold the name escaped (\\u00e1), which no LIKE finds.
    """
    a = ACTIVITY.c
    changed = []
    for row in repo.db.execute(select(a.id, a.actor, a.summary, a.before, a.after)):
        values = {
            "actor": scrub.who(row.actor),
            "summary": scrub.text(row.summary),
            "before": scrub.deep(row.before),
            "after": scrub.deep(row.after),
        }
        if values != {k: getattr(row, k) for k in values}:
            changed.append({"entry_id": row.id, **values})
    if changed:
        repo.db.execute(
            update(ACTIVITY)
            .where(a.id == bindparam("entry_id"))
            .values({k: bindparam(k) for k in ("actor", "summary", "before", "after")}),
            changed,
        )
    return len(changed)


def scrub_columns(repo: Repository, scrub: Scrubber) -> None:
    """Who-columns (created by, recorded by, author) and free text naming the person are
    rewritten; only the rows that may name them are read."""
    targets: tuple[tuple[Table, tuple[str, ...]], ...] = (
        (PLANS, ("created_by", "updated_by")),
        (PEOPLE, ("updated_by",)),
        (READINGS, ("recorded_by", "note")),
        (STORIES, ("author", "recorded_by", "title", "text")),
    )
    for table, columns in targets:
        conditions = [c for name in columns for c in _mentions(table.c[name], scrub.words)]
        query = select(table.c.id, *(table.c[n] for n in columns)).where(or_(*conditions))
        for row in repo.db.execute(query).all():
            values = {n: scrub.who(getattr(row, n)) for n in columns}
            if any(values[n] != getattr(row, n) for n in columns):
                repo.db.execute(update(table).where(table.c.id == row.id).values(values))


def delete_xapi_people(repo: Repository, hashes: Collection[str]) -> None:
    """Forget the keyed hashes stored for these people's xAPI statements (the readings computed
    from them keep their numbers: they are aggregates)."""
    repo.db.execute(delete(XAPI_PEOPLE).where(XAPI_PEOPLE.c.person_hash.in_(sorted(hashes))))


def _mentions(column: Any, words: Iterable[str]) -> list[Any]:
    """Conditions for text that may contain one of `words` (a superset: checked after)."""
    return [
        condition
        for w in words
        for condition in (column.contains(w, autoescape=True), func.lower(column).contains(w))
    ]
