"""One user action, one transaction (`uow`), and what every repository shares inside it.

`uow` opens the transaction (SQLite writers BEGIN IMMEDIATE; PostgreSQL readers see one
REPEATABLE READ snapshot) and turns the errors a user can fix into `PlannerError`s. `Rows` is
the base of the repositories (`planner.store.repository`): the transaction's connection, the
row locks a write takes (plan and person rows, PostgreSQL), and `chunks` for long id lists.

May import: sqlalchemy, `planner.store.engine` and `planner.store.schema`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, Select, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from planner.store.engine import raise_user_error
from planner.store.schema import PEOPLE, PLANS

_CHUNK = 500  # ids per IN list: well inside SQLite's and PostgreSQL's parameter limits

Lock = Literal["update", "share"]
"""A row lock until the transaction ends: "update" queues other writers, "share" keeps them out
while this transaction reads (PostgreSQL; a SQLite write transaction holds the whole database)."""

_Query = TypeVar("_Query", bound=Select[Any])


@contextmanager
def uow(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One user action, one transaction: commit when the block ends, roll back if it raises.

    Reads (`write=False`) see one consistent snapshot, so a plan's version always matches the
    items read with it.
    """
    options: dict[str, Any] = {}
    if engine.dialect.name == "sqlite" and write:
        options["sqlite_begin"] = "IMMEDIATE"
    elif engine.dialect.name == "postgresql" and not write:
        options["isolation_level"] = "REPEATABLE READ"
    try:
        with Session(engine, expire_on_commit=False, autoflush=False) as session, session.begin():
            if options:
                session.connection(execution_options=options)
            yield session
    except (OperationalError, OSError) as exc:
        raise_user_error(exc, engine.url)
        raise


def chunks(values: Sequence[str] | Sequence[int]) -> Iterator[list[Any]]:
    """`values` in lists short enough for one IN (...) each."""
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


class Rows:
    """The base of every repository: the transaction's session and its connection.

    Statements go straight to the session's connection as Core SQL: the records are frozen
    dataclasses, so there is nothing for the ORM's identity map to track.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.db = session.connection()

    # locks

    def locked(self, query: _Query, lock: Lock | None) -> _Query:
        """`query` taking `lock` on the rows it reads (PostgreSQL; SQLite: `query` as is)."""
        if lock is None or self.db.dialect.name != "postgresql":
            return query
        return query.with_for_update(read=lock == "share")

    def lock_plan(self, plan_id: str) -> None:
        """Queue this transaction behind other writes to the plan's readings (PostgreSQL; a
        SQLite write transaction holds the whole database already)."""
        if self.db.dialect.name == "postgresql":
            self.db.execute(self.locked(select(PLANS.c.id).where(PLANS.c.id == plan_id), "update"))

    def lock_person(self, person_id: str) -> None:
        """Queue this transaction behind other edits to the person (PostgreSQL; a SQLite
        write transaction holds the whole database already)."""
        if self.db.dialect.name == "postgresql":
            query = select(PEOPLE.c.id).where(PEOPLE.c.id == person_id)
            self.db.execute(self.locked(query, "update"))
