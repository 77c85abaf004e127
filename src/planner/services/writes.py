"""The one path every write takes: one transaction, the person acting checked, the activity log.

    with PlanWrite.begin(engine, plan_id, expected_version=v, actor=actor) as w:
        ...validate and compute, reading through w.repo...
        w.claim()              # the plan's version goes up by one (compare-and-swap)
        ...write through w.repo...
        w.log("update", "item", item.id, "Edited 'Peer coffee': ...", before=..., after=...)

`PlanWrite.begin` opens the transaction, reads the plan with its row locked (PostgreSQL; a
SQLite write transaction holds the whole database already), checks that the actor may change
plans (`require`), refuses a save based on a stale version (ConflictError saying who changed
what and when) and applies the read-only-archive rule (`planning.ensure_writable`), in that
order, before the body runs. The entries `log` collects are appended when the body ends, in
the same transaction; if the body raises, nothing is written. `Write.begin` is the same for a
write that belongs to no existing plan (a new plan, a person): the permission check and the
activity log, without a plan version.

A write of a plan's data that is not a plan edit (readings, stories, reviews, action items)
is a `Write` under its own permission: `Write.writable_plan` locks the plan's row and applies
the archived rule, and `Write.log(..., plan_id=, version=None)` notes the change without
raising the plan's version. `Write.log` is the one place an activity entry is built.
`Write.on` and `PlanWrite.on` run the same steps over a repository the caller already holds
(a fake one in the unit tests).

Imports: the domain, errors and the store's `Repository`, `uow`, `NewActivity` (no SQL here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from enum import Enum
from typing import Any, Final

from planner.domain.access import Permission, require
from planner.domain.planning import Plan, describe_conflict, ensure_writable, utc_now
from planner.errors import ConflictError
from planner.store import Engine, NewActivity, Repository, uow

__all__ = ["KEEP", "Keep", "PlanWrite", "Write", "requested"]


class Keep(Enum):
    KEEP = "keep"


KEEP: Final = Keep.KEEP
"""Default of optional edit arguments: leave the field as it is (None would clear it)."""


def requested(**fields: Any) -> dict[str, Any]:
    """The fields an edit asks to change: every argument not left at KEEP."""
    return {key: value for key, value in fields.items() if value is not KEEP}


class Write:
    """One write by one person at one moment, and the activity entries it appends."""

    def __init__(self, repo: Repository, actor: str, at: datetime | None = None) -> None:
        self.repo = repo
        self.actor = actor
        self.at = at or utc_now()
        self.entries: list[NewActivity] = []

    @classmethod
    @contextmanager
    def begin(
        cls, engine: Engine, actor: str, permission: Permission, what: str
    ) -> Iterator[Write]:
        """A transaction for a write outside any existing plan, once `actor` may do `what`."""
        require(actor, permission, what)
        with uow(engine) as session, cls.on(Repository(session), actor) as write:
            yield write

    @classmethod
    @contextmanager
    def on(cls, repo: Repository, actor: str) -> Iterator[Write]:
        write = cls(repo, actor)
        yield write
        write.flush()

    def writable_plan(self, plan_id: str, *, to: str) -> Plan:
        """The plan, its row locked first (PostgreSQL) so writes to it queue up and everything
        read after is what the write before left; refused when archived (`ensure_writable`;
        `to` names what the write does, for the message)."""
        plan = self.repo.plan(plan_id, lock="update")
        ensure_writable(plan, to=to)
        return plan

    def log(
        self,
        action: str,
        entity: str,
        entity_id: str,
        summary: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        plan_id: str | None = None,
        version: int | None = None,
    ) -> None:
        """Note one change for the activity log (written when the write ends)."""
        self.entries.append(
            NewActivity(
                plan_id=plan_id,
                version=version,
                at=self.at,
                actor=self.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                summary=summary,
                before=dict(before) if before is not None else None,
                after=dict(after) if after is not None else None,
            )
        )

    def restore(self, entries: Iterable[NewActivity]) -> None:
        """Append entries kept from elsewhere as they were (a bundle's own log), in order
        with those noted by `log`."""
        self.entries.extend(entries)

    def flush(self) -> None:
        """Append the noted entries (in the write's transaction) and forget them."""
        self.repo.log(self.entries)
        self.entries = []


class PlanWrite:
    """One save to an existing plan: checks the version the user started from, bumps it, logs.

    A save based on a stale version is refused before anything else, even when it would
    change nothing: its author decided on a plan that is no longer there. Validate and compute
    first; then `claim()`, whose UPDATE also compares the version (compare-and-swap); then
    write and `log()`. A save that changes nothing claims nothing and leaves the version.
    """

    def __init__(self, repo: Repository, plan: Plan, expected_version: int, actor: str) -> None:
        self.write = Write(repo, actor)
        self.repo, self.actor, self.at = repo, actor, self.write.at
        self.plan = plan
        self.expected_version = expected_version
        self.version: int | None = None

    @classmethod
    @contextmanager
    def begin(
        cls,
        engine: Engine,
        plan_id: str,
        *,
        expected_version: int,
        actor: str,
        new_status: str | None = None,
    ) -> Iterator[PlanWrite]:
        """A transaction for a save to plan `plan_id`; `new_status` is the status the save
        sets, if it sets one (a save that takes a plan out of the archive is allowed)."""
        with uow(engine) as session:
            repo = Repository(session)
            with cls.on(repo, plan_id, expected_version, actor, new_status=new_status) as write:
                yield write

    @classmethod
    @contextmanager
    def on(
        cls,
        repo: Repository,
        plan_id: str,
        expected_version: int,
        actor: str,
        *,
        new_status: str | None = None,
    ) -> Iterator[PlanWrite]:
        # Locked first, so the version checked here is the version of everything read after.
        plan = repo.plan(plan_id, lock="update")
        require(actor, Permission.PLAN_EDIT, f"change the plan '{plan.name}'")
        write = cls(repo, plan, expected_version, actor)
        if plan.version != expected_version:
            raise write.conflict()
        ensure_writable(plan, new_status=new_status)
        yield write
        write.write.flush()

    def conflict(self) -> ConflictError:
        entries = self.repo.activity(self.plan.id, after_version=self.expected_version)
        return ConflictError(
            describe_conflict(entries, expected_version=self.expected_version, now=self.at)
        )

    def claim(self, plan: Plan | None = None) -> Plan:
        """Save `plan` (or just the version bump) if nobody saved since the expected version."""
        self.version = self.expected_version + 1
        saved = replace(
            plan or self.plan, version=self.version, updated_at=self.at, updated_by=self.actor
        )
        if not self.repo.save_plan(saved, expected_version=self.expected_version):
            raise self.conflict()
        return saved

    def log(
        self,
        action: str,
        entity: str,
        entity_id: str,
        summary: str,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """Note a change to this plan, at the version `claim()` gave it (`Write.log`)."""
        assert self.version is not None, "claim() the plan before logging a change to it"
        self.write.log(
            action,
            entity,
            entity_id,
            summary,
            before=before,
            after=after,
            plan_id=self.plan.id,
            version=self.version,
        )
