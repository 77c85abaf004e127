"""People: who is acting, everyone in the organisation, and edits to their records.

A person belongs to no plan: adding or editing one is a `Write` (`planner.services.writes`)
that needs the people-managing permission and appends one activity entry per person changed.
Edits carry the version of the record the user started from, as plan saves do: if anyone
edited the person since, a ConflictError says who and what, and nothing is saved.
Imports: the domain, the store's `Repository` and `uow`, the write path and the log words.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from planner.domain.access import Permission
from planner.domain.planning import (
    InvalidInputError,
    Person,
    changed_fields,
    describe_conflict,
    jsonable,
    new_id,
)
from planner.errors import ConflictError
from planner.services.summaries import describe_changes
from planner.services.writes import KEEP, Keep, Write, requested
from planner.store import Engine, Repository, uow

__all__ = [
    "OpenPeople",
    "add_person",
    "get_person",
    "list_people",
    "open_people",
    "person_for_email",
    "person_version",
    "resolve_actor",
    "update_people",
    "update_person",
]


def resolve_actor(
    st_user_email: str | None,
    picked_name: str | None,
    cli_user: str | None,
    people: Sequence[Person] = (),
) -> str:
    """The name recorded for a write: the signed-in user (as the person with that email, if
    any), else the name picked in the sidebar, else --user, else the operating-system user."""
    email = (st_user_email or "").strip()
    if email:
        match = next((p for p in people if p.email and p.email == email.lower()), None)
        return match.name if match else email
    for name in (picked_name, cli_user):
        if name and name.strip():
            return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


def person_for_email(engine: Engine, email: str | None) -> Person | None:
    """The person a signed-in user is, matched by email ignoring case; None if nobody matches."""
    if not email or not email.strip():
        return None
    with uow(engine, write=False) as session:
        return Repository(session).person_by_email(email)


def list_people(engine: Engine) -> list[Person]:
    with uow(engine, write=False) as session:
        people = Repository(session).people()
    return sorted(people, key=lambda p: (p.name.casefold(), p.id))


def get_person(engine: Engine, person_id: str) -> Person:
    with uow(engine, write=False) as session:
        return Repository(session).person(person_id)


def add_person(
    engine: Engine,
    *,
    name: str,
    actor: str,
    email: str | None = None,
    role: str = "",
    team: str = "",
    capacity_hours_per_week: float = 4.0,
) -> Person:
    """Someone in the organisation, available as owner or lead in every plan."""
    with Write.begin(engine, actor, Permission.PEOPLE_MANAGE, f"add {name!r} to the people") as w:
        person = Person(
            id=new_id("pe"),
            name=name,
            email=email,
            role=role,
            team=team,
            capacity_hours_per_week=capacity_hours_per_week,
        )
        _check_email_free(w.repo, person)
        w.repo.add_person(person, actor=actor, at=w.at)
        w.log(
            "create",
            "person",
            person.id,
            f"Added {person.name}" + (f" ({person.team})" if person.team else ""),
            after=jsonable(person),
        )
    return person


@dataclass(frozen=True)
class OpenPeople:
    """Everyone, with each person's version, read together: pass a person's version to
    `update_person` as `expected_version` so an edit made meanwhile is not overwritten."""

    people: list[Person]
    versions: dict[str, int]


def open_people(engine: Engine) -> OpenPeople:
    with uow(engine, write=False) as session:
        repo = Repository(session)
        people = sorted(repo.people(), key=lambda p: (p.name.casefold(), p.id))
        return OpenPeople(people, repo.person_versions())


def person_version(engine: Engine, person_id: str) -> int:
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.person(person_id)
        return repo.person_versions([person_id])[person_id]


def update_person(
    engine: Engine,
    person_id: str,
    *,
    actor: str,
    expected_version: int | None = None,
    name: str | Keep = KEEP,
    email: str | Keep | None = KEEP,
    role: str | Keep = KEEP,
    team: str | Keep = KEEP,
    capacity_hours_per_week: float | Keep = KEEP,
) -> Person:
    changes = requested(
        name=name,
        email=email,
        role=role,
        team=team,
        capacity_hours_per_week=capacity_hours_per_week,
    )
    with Write.begin(engine, actor, Permission.PEOPLE_MANAGE, f"edit person {person_id}") as w:
        w.repo.lock_person(person_id)  # edits to one person queue up (PostgreSQL)
        person, _ = _save_person_edit(w, person_id, changes, expected_version)
    return person


def update_people(
    engine: Engine,
    changes: Mapping[str, Mapping[str, Any]],
    *,
    expected_versions: Mapping[str, int],
    actor: str,
) -> list[Person]:
    """Save edits to several people (the People grid) all together or not at all: each
    person's edit needs the version the grid drew (`expected_versions`); if anyone edited one
    of them since, a ConflictError says who and what, and nobody is saved."""
    saved: list[Person] = []
    what = f"edit {len(changes)} person(s)"
    with Write.begin(engine, actor, Permission.PEOPLE_MANAGE, what) as w:
        for person_id in sorted(changes):  # one order for every writer: no deadlock
            w.repo.lock_person(person_id)
        for person_id in sorted(changes):
            if person_id not in expected_versions:
                raise ValueError(f"no expected version for person {person_id!r}")
            new, changed = _save_person_edit(
                w, person_id, changes[person_id], expected_versions[person_id]
            )
            if changed:
                saved.append(new)
    return saved


def _save_person_edit(
    w: Write, person_id: str, requested: Mapping[str, Any], expected_version: int | None
) -> tuple[Person, bool]:
    """One person's edit inside a write that has locked them: refused (ConflictError) if their
    version is not `expected_version` (None: any), saved with a version bump and logged when
    it changes something; returns the person as they are now, and whether it changed."""
    repo, at = w.repo, w.at
    old = repo.person(person_id)
    current = repo.person_versions([person_id])[person_id]
    if expected_version is not None and current != expected_version:
        raise _person_conflict(repo, old, expected_version, current, at)
    new = replace(old, **requested)
    names = changed_fields(old, new)
    if not names:
        return old, False
    _check_email_free(repo, new)
    if not repo.save_person(new, actor=w.actor, at=at, expected_version=current):
        raise _person_conflict(repo, old, current, current + 1, at)
    w.log(
        "update",
        "person",
        person_id,
        f"Edited {old.name}: {describe_changes(old, new, names, {})}",
        before={n: jsonable(getattr(old, n)) for n in names},
        after={n: jsonable(getattr(new, n)) for n in names},
    )
    return new, True


def _person_conflict(
    repo: Repository, person: Person, expected: int, current: int, at: datetime
) -> ConflictError:
    """Who edited `person` since version `expected` (the last `current - expected` edits)."""
    entries = repo.entity_activity("person", person.id, limit=max(current - expected, 1))
    return ConflictError(
        describe_conflict(entries, expected_version=0, now=at, subject=f"{person.name}'s record")
    )


def _check_email_free(repo: Repository, person: Person) -> None:
    if person.email is None:
        return
    other = repo.person_by_email(person.email)
    if other is not None and other.id != person.id:
        raise InvalidInputError(
            f"{other.name} already has the email {person.email}; each person needs their own."
        )
