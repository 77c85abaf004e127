"""The one write path (planner.services.writes) over an in-memory repository: no database.

Every plan write goes through `PlanWrite`: these pin its rules once, in the order it applies
them (the plan read, the person acting, the version, the archive), and that a write appends
exactly the entries it noted, in one go, or none at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest

from planner.domain.access import Actor, Permission, Role
from planner.domain.planning import ActivityEntry, InvalidInputError, Plan, ensure_writable
from planner.errors import ConflictError, NotFoundError, PermissionDeniedError
from planner.services.writes import PlanWrite, Write
from planner.store import NewActivity, Repository

START = date(2027, 1, 11)
VIEWER = Actor("Vera Viewer", email="vera@example.org", role=Role.VIEWER)
EDITOR = Actor("Ed Editor", email="ed@example.org", role=Role.EDITOR)


@dataclass
class FakeRepository:
    """The four things the write path asks of a repository, kept in memory."""

    plans: dict[str, Plan]
    history: list[ActivityEntry] = field(default_factory=list)
    logged: list[list[NewActivity]] = field(default_factory=list)
    locks: list[tuple[str, str | None]] = field(default_factory=list)
    saves: int = 0

    def plan(self, plan_id: str, *, lock: str | None = None) -> Plan:
        self.locks.append((plan_id, lock))
        if plan_id not in self.plans:
            raise NotFoundError(f"No plan with id '{plan_id}'.")
        return self.plans[plan_id]

    def save_plan(self, plan: Plan, *, expected_version: int) -> bool:
        if self.plans[plan.id].version != expected_version:
            return False
        self.plans[plan.id] = plan
        self.saves += 1
        return True

    def activity(self, plan_id: str, *, after_version: int | None = None) -> list[ActivityEntry]:
        return [
            e
            for e in reversed(self.history)
            if e.plan_id == plan_id and (after_version is None or (e.version or 0) > after_version)
        ]

    def log(self, entries: Sequence[NewActivity]) -> None:
        self.logged.append(list(entries))

    @property
    def entries(self) -> list[NewActivity]:
        return [e for batch in self.logged for e in batch]


def fake(status: str = "active", version: int = 3) -> FakeRepository:
    plan = Plan(id="pl-1", name="Onboarding circles", start_date=START, status=status)
    return FakeRepository(plans={plan.id: replace(plan, version=version)})


def repo_of(f: FakeRepository) -> Repository:
    return cast(Repository, f)


def saved_by_lee(version: int) -> ActivityEntry:
    return ActivityEntry(
        id=version,
        plan_id="pl-1",
        at=datetime.now(UTC) - timedelta(minutes=5),
        actor="Lee Okafor",
        action="update",
        entity="item",
        entity_id="it-1",
        summary="Edited 'Peer coffee': owner none → Lee",
        version=version,
    )


def write_once(f: FakeRepository, expected: int, actor: str = "Dana", **kw: Any) -> PlanWrite:
    with PlanWrite.on(repo_of(f), "pl-1", expected, actor, **kw) as w:
        w.claim()
        w.log("update", "item", "it-1", "Edited 'Peer coffee'", after={"team": "Ops"})
    return w


def test_a_write_locks_the_plan_raises_its_version_and_appends_one_entry() -> None:
    f = fake(version=3)
    w = write_once(f, expected=3)
    assert f.locks == [("pl-1", "update")]
    assert f.plans["pl-1"].version == 4
    assert f.plans["pl-1"].updated_by == "Dana"
    assert f.logged == [f.entries]  # one append, at the end of the write
    (entry,) = f.entries
    assert (entry.plan_id, entry.version, entry.actor) == ("pl-1", 4, "Dana")
    assert (entry.action, entry.entity, entry.entity_id) == ("update", "item", "it-1")
    assert entry.at == w.at == f.plans["pl-1"].updated_at
    assert entry.after == {"team": "Ops"}


def test_an_archived_plan_is_refused_and_nothing_is_written() -> None:
    f = fake(status="archived")
    with pytest.raises(InvalidInputError, match="'Onboarding circles' is archived") as refused:
        write_once(f, expected=3)
    assert "Set its status to draft or active to change it" in str(refused.value)
    assert f.saves == 0
    assert f.entries == []


def test_a_save_that_takes_a_plan_out_of_the_archive_is_allowed() -> None:
    f = fake(status="archived")
    write_once(f, expected=3, new_status="active")
    assert len(f.entries) == 1
    with pytest.raises(InvalidInputError, match="is archived"):
        write_once(fake(status="archived"), expected=3, new_status="archived")


def test_a_stale_version_is_refused_before_the_body_runs_naming_who_saved() -> None:
    f = fake(version=5)
    f.history = [saved_by_lee(4), saved_by_lee(5)]
    ran = False
    with pytest.raises(ConflictError) as refused, PlanWrite.on(repo_of(f), "pl-1", 3, "Dana"):
        ran = True
    assert not ran
    assert "Lee Okafor" in str(refused.value)
    assert "reload" in str(refused.value)
    assert f.saves == 0
    assert f.entries == []


def test_a_save_overtaken_between_the_check_and_the_claim_is_refused() -> None:
    f = fake(version=3)
    with pytest.raises(ConflictError), PlanWrite.on(repo_of(f), "pl-1", 3, "Dana") as w:
        f.plans["pl-1"] = replace(f.plans["pl-1"], version=4)  # someone else's save
        w.claim()
    assert f.entries == []


def test_a_viewer_is_refused_before_the_version_or_the_archive_is_looked_at() -> None:
    f = fake(status="archived", version=9)
    with pytest.raises(PermissionDeniedError) as refused:
        write_once(f, expected=3, actor=VIEWER)
    message = str(refused.value)
    assert "Vera Viewer" in message and "change the plan 'Onboarding circles'" in message
    assert str(Permission.PLAN_EDIT) in message
    assert f.saves == 0
    assert f.entries == []


def test_an_editor_may_write() -> None:
    f = fake()
    write_once(f, expected=3, actor=EDITOR)
    assert [e.actor for e in f.entries] == ["Ed Editor"]


def test_nothing_is_logged_when_the_body_fails_after_claiming() -> None:
    f = fake()
    with pytest.raises(RuntimeError), PlanWrite.on(repo_of(f), "pl-1", 3, "Dana") as w:
        w.claim()
        w.log("remove", "item", "it-1", "Removed 'Peer coffee'")
        raise RuntimeError("disk on fire")
    assert f.logged == []


def test_a_change_is_logged_only_after_the_claim() -> None:
    f = fake()
    with pytest.raises(AssertionError), PlanWrite.on(repo_of(f), "pl-1", 3, "Dana") as w:
        w.log("update", "plan", "pl-1", "Renamed the plan")
    assert f.entries == []


def test_a_write_that_changes_nothing_keeps_the_version_and_logs_nothing() -> None:
    f = fake(version=3)
    with PlanWrite.on(repo_of(f), "pl-1", 3, "Dana"):
        pass
    assert f.plans["pl-1"].version == 3
    assert f.entries == []


def test_several_changes_of_one_save_share_its_version_and_moment() -> None:
    f = fake(version=3)
    with PlanWrite.on(repo_of(f), "pl-1", 3, "Dana") as w:
        w.claim()
        for n in range(3):
            w.log("create", "item", f"it-{n}", f"Added item {n}")
    assert len(f.logged) == 1
    assert {(e.version, e.at) for e in f.entries} == {(4, w.at)}


def test_a_write_outside_a_plan_logs_without_a_plan_or_version() -> None:
    f = fake()
    with Write.on(repo_of(f), "Dana") as w:
        w.log("create", "person", "pe-1", "Added Sam Lee", after={"name": "Sam Lee"})
    (entry,) = f.entries
    assert (entry.plan_id, entry.version, entry.actor, entry.at) == (None, None, "Dana", w.at)


def test_a_write_outside_a_plan_checks_the_permission_before_opening_the_database() -> None:
    engine: Any = object()  # never touched: the refusal comes first
    what = "add 'Sam' to the people"
    with (
        pytest.raises(PermissionDeniedError, match="manage people"),
        Write.begin(engine, VIEWER, Permission.PEOPLE_MANAGE, what),
    ):
        pass


@pytest.mark.parametrize("status", ["draft", "active", "closed"])
def test_only_an_archived_plan_is_read_only(status: str) -> None:
    plan = Plan(id="pl-1", name="Circles", start_date=START, status=status)
    ensure_writable(plan)
    ensure_writable(plan, new_status="archived")  # archiving it is a write like any other
    with pytest.raises(InvalidInputError, match=r"to record readings\.$"):
        ensure_writable(replace(plan, status="archived"), to="record readings")
