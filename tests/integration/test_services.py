"""The plan use cases over the real repository, on SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from planner import services
from planner.domain.library import Library
from planner.domain.planning import InvalidInputError, ItemChange, Plan, Target
from planner.domain.playbook import Metric, Taxonomy
from planner.domain.tactic_updates import outdated_items
from planner.errors import ConflictError, NotFoundError
from planner.services import OpenPlan
from planner.store import Repository

DANA, LEE, KIM = "Dana Whitfield", "Lee Okafor", "Kim Sato"


def _plan(engine: Engine, name: str = "Support rollout", **kw: Any) -> Plan:
    return services.create_plan(engine, name=name, actor=DANA, start_date=date(2027, 1, 11), **kw)


def _everything(engine: Engine, plan_id: str) -> tuple[OpenPlan, list[Any]]:
    """What a refused or failed save must leave untouched."""
    return services.open_plan(engine, plan_id), services.activity_log(engine, plan_id, None)


# --- plans --------------------------------------------------------------------------------------


def test_create_and_read_a_plan(engine: Engine) -> None:
    lead = services.add_person(engine, name=DANA, actor=DANA, email="Dana@Example.org")
    plan = _plan(engine, description="Six months", lead_id=lead.id, review_cadence="fortnightly")

    assert plan.id.startswith("pl_") and len(plan.id) == 15
    assert plan.version == 1 and plan.status == "draft"
    assert services.get_plan(engine, plan.id) == plan
    assert services.open_plan(engine, plan.id) == OpenPlan(plan, [])
    [entry] = services.activity_log(engine, plan.id)
    assert (entry.actor, entry.action, entry.entity, entry.version) == (DANA, "create", "plan", 1)
    assert entry.summary == "Created the plan 'Support rollout'"
    assert entry.before is None and entry.after is not None
    assert entry.after["lead_id"] == lead.id and entry.after["start_date"] == "2027-01-11"


def test_a_plan_with_an_unknown_lead_or_a_bad_value_is_not_created(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="pe_nobody"):
        _plan(engine, lead_id="pe_nobody")
    with pytest.raises(InvalidInputError, match="weekly, fortnightly, monthly, quarterly"):
        _plan(engine, review_cadence="daily")
    with pytest.raises(InvalidInputError, match="name cannot be empty"):
        _plan(engine, name="   ")
    assert services.list_plans(engine) == []


def test_unknown_plans_are_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="No plan with id 'pl_missing'"):
        services.get_plan(engine, "pl_missing")
    with pytest.raises(NotFoundError):
        services.rename_plan(engine, "pl_missing", "X", expected_version=1, actor=DANA)


def test_plans_are_listed_by_name_with_archived_ones_last(engine: Engine) -> None:
    zeta = _plan(engine, "zeta")
    alpha = _plan(engine, "Alpha")
    old = _plan(engine, "Aardvark")
    services.set_plan_status(engine, old.id, "archived", expected_version=1, actor=DANA)

    assert [p.name for p in services.list_plans(engine)] == ["Alpha", "zeta", "Aardvark"]
    open_ones = services.list_plans(engine, statuses={"draft", "active"})
    assert [p.id for p in open_ones] == [alpha.id, zeta.id]


def test_update_plan_changes_only_what_was_asked_and_logs_before_and_after(
    engine: Engine,
) -> None:
    lee = services.add_person(engine, name=LEE, actor=DANA)
    plan = _plan(engine, description="Six months")

    updated = services.update_plan(
        engine,
        plan.id,
        expected_version=1,
        actor=LEE,
        lead_id=lee.id,
        start_date=date(2027, 2, 1),
        review_cadence="weekly",
    )

    assert updated.version == 2 and updated.updated_by == LEE
    assert (updated.lead_id, updated.start_date, updated.review_cadence) == (
        lee.id,
        date(2027, 2, 1),
        "weekly",
    )
    assert updated.description == "Six months" and updated.name == plan.name
    assert services.get_plan(engine, plan.id) == updated
    latest = services.activity_log(engine, plan.id)[0]
    assert latest.before == {
        "lead_id": None,
        "start_date": "2027-01-11",
        "review_cadence": "monthly",
    }
    assert latest.after == {
        "lead_id": lee.id,
        "start_date": "2027-02-01",
        "review_cadence": "weekly",
    }
    assert "lead none → Lee Okafor" in latest.summary
    assert "start date 11 Jan 2027 → 1 Feb 2027" in latest.summary


def test_rename_logs_a_readable_summary_and_a_no_op_saves_nothing(engine: Engine) -> None:
    plan = _plan(engine)
    renamed = services.rename_plan(
        engine, plan.id, "Peer learning 2027", expected_version=1, actor=LEE
    )
    assert renamed.name == "Peer learning 2027" and renamed.version == 2

    same = services.rename_plan(
        engine, plan.id, "Peer learning 2027", expected_version=2, actor=LEE
    )
    assert same.version == 2
    summaries = [e.summary for e in services.activity_log(engine, plan.id)]
    assert summaries == [
        "Renamed the plan from 'Support rollout' to 'Peer learning 2027'",
        "Created the plan 'Support rollout'",
    ]


def test_an_archived_plan_can_be_restored_but_not_edited(engine: Engine, make_tactic: Any) -> None:
    plan = _plan(engine)
    archived = services.set_plan_status(engine, plan.id, "archived", expected_version=1, actor=DANA)
    assert archived.status == "archived"
    assert services.activity_log(engine, plan.id)[0].summary == "Archived the plan"

    with pytest.raises(InvalidInputError, match="archived"):
        services.add_tactic_items(engine, plan.id, [make_tactic()], expected_version=2, actor=DANA)
    with pytest.raises(InvalidInputError, match="archived"):
        services.rename_plan(engine, plan.id, "New", expected_version=2, actor=DANA)

    restored = services.set_plan_status(engine, plan.id, "active", expected_version=2, actor=DANA)
    assert (restored.status, restored.version) == ("active", 3)
    with pytest.raises(InvalidInputError, match="draft, active, closed, archived"):
        services.set_plan_status(engine, plan.id, "finished", expected_version=3, actor=DANA)


def test_copy_makes_a_new_draft_with_new_ids_and_leaves_the_original_alone(
    engine: Engine, make_tactic: Any
) -> None:
    lee = services.add_person(engine, name=LEE, actor=DANA)
    plan = _plan(engine)
    services.set_plan_status(engine, plan.id, "active", expected_version=1, actor=DANA)
    [item] = services.add_tactic_items(
        engine, plan.id, [make_tactic()], expected_version=2, actor=DANA, owner_id=lee.id
    )
    services.update_items(
        engine,
        plan.id,
        [ItemChange(item.id, {"targets": [Target("members", 20.0, date(2027, 3, 1), 5.0)]})],
        expected_version=3,
        actor=DANA,
    )
    before = _everything(engine, plan.id)

    copy = services.copy_plan(engine, plan.id, name="Support rollout (copy)", actor=KIM)

    assert copy.id != plan.id and copy.name == "Support rollout (copy)"
    assert (copy.status, copy.version, copy.start_date) == ("draft", 1, plan.start_date)
    [copied] = services.get_items(engine, copy.id)
    assert copied.id != item.id and copied.plan_id == copy.id
    assert copied.owner_id == lee.id and copied.snapshot == item.snapshot
    assert copied.targets == [Target("members", 20.0, date(2027, 3, 1), 5.0)]
    assert _everything(engine, plan.id) == before
    [entry] = services.activity_log(engine, copy.id)
    assert entry.actor == KIM and entry.action == "copy"
    assert entry.after is not None and entry.after["copied_from"] == plan.id


# --- items --------------------------------------------------------------------------------------


def test_a_tactic_can_be_added_twice_with_default_targets(engine: Engine, make_tactic: Any) -> None:
    plan = _plan(engine)
    circles = make_tactic("peer-circles")

    first = services.add_tactic_items(
        engine, plan.id, [circles], expected_version=1, actor=DANA, team="Billing"
    )
    second = services.add_tactic_items(
        engine, plan.id, [circles], expected_version=2, actor=DANA, team="Returns"
    )

    items = services.get_items(engine, plan.id)
    assert [i.id for i in items] == [first[0].id, second[0].id]
    assert len({i.id for i in items}) == 2 and all(i.id.startswith("it_") for i in items)
    assert [i.team for i in items] == ["Billing", "Returns"]
    assert [i.position for i in items] == [0, 1]
    for item in items:
        assert item.tactic_id == "peer-circles" and item.snapshot == circles
        assert item.title == "Peer circles" and item.duration_weeks == 8
        assert item.targets == [Target("members", 12.0), Target("sessions-held", 4.0)]
    assert services.get_plan(engine, plan.id).version == 3
    assert [e.summary for e in services.activity_log(engine, plan.id, 2)] == [
        "Added 'Peer circles'"
    ] * 2


def test_items_keep_their_snapshot_when_the_playbook_changes(
    engine: Engine, make_tactic: Any
) -> None:
    plan = _plan(engine)
    original = make_tactic("peer-circles")
    services.add_tactic_items(engine, plan.id, [original], expected_version=1, actor=DANA)
    changed = make_tactic("peer-circles", title="Peer learning circles", duration_weeks=10)

    [item] = services.get_items(engine, plan.id)
    assert item.snapshot == original

    flagged = outdated_items([item], {"peer-circles": changed})
    assert [str(c) for c in flagged[item.id]] == [
        "title: Peer circles → Peer learning circles",
        "duration_weeks: 8 → 10",
    ]
    assert outdated_items([item], {}) == {}  # a tactic gone from the playbook is no change


def test_refresh_updates_the_snapshot_keeps_user_choices_and_logs_the_diff(
    engine: Engine, make_tactic: Any, make_metric: Any
) -> None:
    plan = _plan(engine)
    [item] = services.add_tactic_items(
        engine, plan.id, [make_tactic()], expected_version=1, actor=DANA
    )
    services.update_items(
        engine,
        plan.id,
        [
            ItemChange(
                item.id, {"title": "Circles for Billing", "targets": [Target("members", 30.0)]}
            )
        ],
        expected_version=2,
        actor=DANA,
    )
    newer = make_tactic(
        duration_weeks=10,
        metrics=[make_metric("members", target=15.0), make_metric("questions", target=40.0)],
    )

    refreshed = services.refresh_item_from_tactic(
        engine, plan.id, item.id, newer, expected_version=3, actor=LEE
    )

    assert refreshed.snapshot == newer
    assert refreshed.title == "Circles for Billing"  # the user's title stays
    assert refreshed.duration_weeks == 10  # the default duration follows the tactic
    assert refreshed.targets == [Target("members", 30.0), Target("questions", 40.0)]
    assert services.get_items(engine, plan.id) == [refreshed]
    entry = services.activity_log(engine, plan.id)[0]
    assert (entry.action, entry.actor, entry.version) == ("refresh", LEE, 4)
    assert entry.before is not None and entry.after is not None
    assert entry.before["duration_weeks"] == 8 and entry.after["duration_weeks"] == 10
    assert entry.after["metrics.questions"]["target"] == 40.0
    assert entry.before["metrics.sessions-held"]["id"] == "sessions-held"
    assert entry.summary == (
        "Updated 'Circles for Billing' to the playbook's current version of the tactic (4 changes: "
        "duration_weeks, metrics.members.target, metrics.sessions-held, metrics.questions)"
    )

    again = services.refresh_item_from_tactic(
        engine, plan.id, item.id, newer, expected_version=4, actor=LEE
    )
    assert again == refreshed and services.get_plan(engine, plan.id).version == 4
    with pytest.raises(InvalidInputError, match="does not follow tactic 'other'"):
        services.refresh_item_from_tactic(
            engine, plan.id, item.id, make_tactic("other"), expected_version=4, actor=LEE
        )


def test_missing_prerequisites_are_found_transitively_in_dependency_order(
    make_tactic: Any,
) -> None:
    found = make_tactic("find-members")
    kickoff = make_tactic("kickoff", prerequisites=["find-members", "not-in-library"])
    charter = make_tactic("charter", prerequisites=["kickoff"])
    circles = make_tactic("peer-circles", prerequisites=["charter", "kickoff"])
    library = Library(
        taxonomy=Taxonomy(), tactics={t.id: t for t in (found, kickoff, charter, circles)}
    )

    assert services.missing_prerequisites([], circles, library) == [
        "find-members",
        "kickoff",
        "charter",
    ]
    assert services.missing_prerequisites([], found, library) == []


def test_missing_prerequisites_skips_tactics_already_in_the_plan(
    engine: Engine, make_tactic: Any
) -> None:
    kickoff = make_tactic("kickoff")
    circles = make_tactic("peer-circles", prerequisites=["kickoff"])
    library = Library(taxonomy=Taxonomy(), tactics={"kickoff": kickoff, "peer-circles": circles})
    plan = _plan(engine)
    assert services.missing_prerequisites([], circles, library) == ["kickoff"]

    services.add_tactic_items(engine, plan.id, [kickoff], expected_version=1, actor=DANA)

    items = services.get_items(engine, plan.id)
    assert services.missing_prerequisites(items, circles, library) == []


def test_custom_items_carry_their_own_metrics_and_targets(engine: Engine, make_metric: Any) -> None:
    plan = _plan(engine)
    visits = Metric.model_validate(make_metric("site-visits", target=6.0, unit="visits"))

    with_metric = services.add_custom_item(
        engine,
        plan.id,
        title="Shadowing days with the product team",
        metrics=[visits],
        duration_weeks=6,
        pinned_start=date(2027, 2, 1),
        notes="Ask Lee for the rota",
        expected_version=1,
        actor=DANA,
    )
    bare = services.add_custom_item(
        engine, plan.id, title="Lunch and learn", expected_version=2, actor=DANA
    )

    stored = services.get_items(engine, plan.id)
    assert stored == [with_metric, bare]
    assert with_metric.is_custom and with_metric.tactic_id is None
    assert with_metric.metrics == [visits] and with_metric.targets == [Target("site-visits", 6.0)]
    assert (bare.metrics, bare.targets, bare.duration_weeks) == ([], [], 4)
    assert (
        services.activity_log(engine, plan.id)[0].summary == "Added custom item 'Lunch and learn'"
    )
    with pytest.raises(InvalidInputError, match="between 1 and 520 weeks, not 0"):
        services.add_custom_item(
            engine, plan.id, title="Too short", duration_weeks=0, expected_version=3, actor=DANA
        )


def test_item_edits_are_saved_together_in_one_version(engine: Engine, make_tactic: Any) -> None:
    lee = services.add_person(engine, name=LEE, actor=DANA)
    kim = services.add_person(engine, name=KIM, actor=DANA)
    plan = _plan(engine)
    a, b = services.add_tactic_items(
        engine,
        plan.id,
        [make_tactic("peer-circles"), make_tactic("mentoring")],
        expected_version=1,
        actor=DANA,
        owner_id=lee.id,
    )

    changed = services.update_items(
        engine,
        plan.id,
        [
            ItemChange(a.id, {"owner_id": kim.id, "status": "in progress"}),
            ItemChange(b.id, {"pinned_start": date(2027, 2, 1), "notes": "Needs a room"}),
            ItemChange(
                b.id, {"duration_weeks": 6.0}
            ),  # numbers from a data editor arrive as floats
        ],
        expected_version=2,
        actor=LEE,
    )

    assert [c.id for c in changed] == [a.id, b.id]
    opened = services.open_plan(engine, plan.id)
    assert opened.plan.version == 3
    assert (opened.items[0].owner_id, opened.items[0].status) == (kim.id, "in progress")
    assert opened.items[1].pinned_start == date(2027, 2, 1)
    assert (opened.items[1].duration_weeks, opened.items[1].notes) == (6, "Needs a room")
    entries = services.activity_log(engine, plan.id, 2)
    assert {e.version for e in entries} == {3} and {e.actor for e in entries} == {LEE}
    edit_a = next(e for e in entries if e.entity_id == a.id)
    assert edit_a.before == {"owner_id": lee.id, "status": "planned"}
    assert edit_a.after == {"owner_id": kim.id, "status": "in progress"}
    assert edit_a.summary == (
        "Edited 'Peer circles': owner Lee Okafor → Kim Sato; status planned → in progress"
    )
    edit_b = next(e for e in entries if e.entity_id == b.id)
    assert (
        edit_b.summary
        == "Edited 'Mentoring': duration 8 weeks → 6 weeks; start none → 1 Feb 2027; notes"
    )

    assert (
        services.update_items(
            engine,
            plan.id,
            [ItemChange(a.id, {"status": "in progress"})],
            expected_version=3,
            actor=LEE,
        )
        == []
    )
    assert services.get_plan(engine, plan.id).version == 3


@pytest.mark.parametrize(
    ("bad_change", "error", "message"),
    [
        ({"duration_weeks": 0}, InvalidInputError, "between 1 and 520 weeks"),
        ({"status": "finished"}, InvalidInputError, "planned, in progress, done, blocked, dropped"),
        ({"owner_id": "pe_nobody"}, NotFoundError, "pe_nobody"),
        ({"targets": [Target("no-such-metric", 1.0)]}, InvalidInputError, "no metric 'no-such"),
        ({"snapshot": None}, InvalidInputError, "Cannot change snapshot"),
    ],
)
def test_one_bad_edit_in_a_batch_writes_nothing(
    engine: Engine, make_tactic: Any, bad_change: dict[str, Any], error: type, message: str
) -> None:
    plan = _plan(engine)
    a, b = services.add_tactic_items(
        engine, plan.id, [make_tactic(), make_tactic()], expected_version=1, actor=DANA
    )
    before = _everything(engine, plan.id)

    with pytest.raises(error, match=message):
        services.update_items(
            engine,
            plan.id,
            [ItemChange(a.id, {"notes": "fine"}), ItemChange(b.id, bad_change)],
            expected_version=2,
            actor=DANA,
        )

    assert _everything(engine, plan.id) == before


def test_a_failure_half_way_through_writing_rolls_the_whole_save_back(
    engine: Engine, make_tactic: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(engine)
    a, b = services.add_tactic_items(
        engine, plan.id, [make_tactic(), make_tactic()], expected_version=1, actor=DANA
    )
    before = _everything(engine, plan.id)
    real_save = Repository.save_items
    saved: list[str] = []

    def save_then_fail(self: Repository, items: Any) -> None:
        real_save(self, items)  # the version is bumped and both items are written...
        saved.extend(i.id for i in items)
        raise OSError("disk full")  # ...then the action fails before its log is written

    monkeypatch.setattr(Repository, "save_items", save_then_fail)
    with pytest.raises(OSError):
        services.update_items(
            engine,
            plan.id,
            [ItemChange(a.id, {"notes": "one"}), ItemChange(b.id, {"notes": "two"})],
            expected_version=2,
            actor=DANA,
        )

    assert saved == [a.id, b.id]
    assert _everything(engine, plan.id) == before


def test_remove_item_logs_what_was_removed(engine: Engine, make_tactic: Any) -> None:
    plan = _plan(engine)
    a, b = services.add_tactic_items(
        engine, plan.id, [make_tactic(), make_tactic("mentoring")], expected_version=1, actor=DANA
    )
    services.remove_item(engine, plan.id, a.id, expected_version=2, actor=LEE)

    assert services.get_items(engine, plan.id) == [b]
    entry = services.activity_log(engine, plan.id)[0]
    assert (entry.action, entry.summary, entry.after) == ("remove", "Removed 'Peer circles'", None)
    assert entry.before is not None and entry.before["id"] == a.id
    assert entry.before["targets"][0] == {
        "metric_id": "members",
        "value": 12.0,
        "due_date": None,
        "baseline": None,
    }
    with pytest.raises(NotFoundError, match=a.id):
        services.remove_item(engine, plan.id, a.id, expected_version=3, actor=LEE)


# --- stale saves ------------------------------------------------------------------------------


def test_a_stale_save_is_refused_naming_who_changed_what_and_when(
    engine: Engine, make_tactic: Any
) -> None:
    plan = _plan(engine)
    items = services.add_tactic_items(
        engine, plan.id, [make_tactic()] * 3, expected_version=1, actor=DANA
    )
    opened_by_kim = services.open_plan(engine, plan.id)  # version 2
    services.rename_plan(engine, plan.id, "Peer learning 2027", expected_version=2, actor=DANA)
    services.update_items(
        engine,
        plan.id,
        [ItemChange(i.id, {"status": "in progress"}) for i in items],
        expected_version=3,
        actor=LEE,
    )
    before = _everything(engine, plan.id)

    with pytest.raises(ConflictError) as refused:
        services.update_items(
            engine,
            plan.id,
            [ItemChange(items[0].id, {"notes": "Kim's note"})],
            expected_version=opened_by_kim.plan.version,
            actor=KIM,
        )

    message = str(refused.value)
    assert message.startswith("This plan changed since you opened it: ")
    assert f"{DANA} renamed the plan from 'Support rollout' to 'Peer learning 2027' at " in message
    assert f"{LEE} edited 3 items at " in message
    assert message.count(" UTC") == 2
    assert message.index(DANA) < message.index(LEE)
    assert "Your edits are still on screen: reload to see theirs, then save again." in message
    assert _everything(engine, plan.id) == before


@pytest.mark.parametrize("action", ["rename", "status", "add", "custom", "remove", "refresh"])
def test_every_plan_write_checks_the_version(engine: Engine, make_tactic: Any, action: str) -> None:
    plan = _plan(engine)
    [item] = services.add_tactic_items(
        engine, plan.id, [make_tactic()], expected_version=1, actor=DANA
    )
    before = _everything(engine, plan.id)
    stale = {"expected_version": 1, "actor": KIM}
    attempts = {
        "rename": lambda: services.rename_plan(engine, plan.id, "X", **stale),
        "status": lambda: services.set_plan_status(engine, plan.id, "active", **stale),
        "add": lambda: services.add_tactic_items(engine, plan.id, [make_tactic()], **stale),
        "custom": lambda: services.add_custom_item(engine, plan.id, title="X", **stale),
        "remove": lambda: services.remove_item(engine, plan.id, item.id, **stale),
        "refresh": lambda: services.refresh_item_from_tactic(
            engine, plan.id, item.id, make_tactic(duration_weeks=3), **stale
        ),
    }
    with pytest.raises(ConflictError, match=f"{DANA} added 'Peer circles' at"):
        attempts[action]()
    assert _everything(engine, plan.id) == before


# --- people -----------------------------------------------------------------------------------


def test_people_are_shared_by_plans(engine: Engine, make_tactic: Any) -> None:
    lee = services.add_person(
        engine,
        name=LEE,
        actor=DANA,
        email="lee@example.org",
        role="Coach",
        team="Billing",
        capacity_hours_per_week=6,
    )
    first, second = _plan(engine, "First"), _plan(engine, "Second")
    services.add_tactic_items(
        engine, first.id, [make_tactic()], expected_version=1, actor=DANA, owner_id=lee.id
    )
    services.add_tactic_items(
        engine, second.id, [make_tactic()], expected_version=1, actor=DANA, owner_id=lee.id
    )

    assert services.list_people(engine) == [lee]
    owners = {i.owner_id for p in (first, second) for i in services.get_items(engine, p.id)}
    assert owners == {lee.id}

    updated = services.update_person(engine, lee.id, actor=DANA, capacity_hours_per_week=8.0)
    assert updated.capacity_hours_per_week == 8.0 and updated.team == "Billing"
    assert services.get_person(engine, lee.id) == updated


def test_people_are_validated_and_emails_are_unique_ignoring_case(engine: Engine) -> None:
    dana = services.add_person(engine, name=DANA, actor=DANA, email=" Dana@Example.org ")
    assert dana.email == "dana@example.org"
    assert services.person_for_email(engine, "DANA@example.ORG") == dana
    assert services.person_for_email(engine, "nobody@example.org") is None
    assert services.person_for_email(engine, None) is None

    with pytest.raises(InvalidInputError, match="Dana Whitfield already has the email"):
        services.add_person(engine, name="Another Dana", actor=DANA, email="dana@EXAMPLE.org")
    lee = services.add_person(engine, name=LEE, actor=DANA)
    with pytest.raises(InvalidInputError, match="already has the email"):
        services.update_person(engine, lee.id, actor=DANA, email="dana@example.org")
    with pytest.raises(InvalidInputError, match="between 0 and 168 hours"):
        services.update_person(engine, lee.id, actor=DANA, capacity_hours_per_week=200)
    with pytest.raises(InvalidInputError, match="not an email address"):
        services.add_person(engine, name=KIM, actor=DANA, email="kim at example")
    with pytest.raises(NotFoundError, match="pe_nobody"):
        services.update_person(engine, "pe_nobody", actor=DANA, name="X")
    assert services.list_people(engine) == [dana, lee]


def test_activity_log_is_newest_first_and_limited(engine: Engine) -> None:
    plan = _plan(engine)
    for n in range(5):
        services.rename_plan(engine, plan.id, f"Name {n}", expected_version=n + 1, actor=DANA)

    log = services.activity_log(engine, plan.id, limit=3)
    assert [e.version for e in log] == [6, 5, 4]
    assert len(services.activity_log(engine, plan.id, limit=None)) == 6


# --- who is acting ----------------------------------------------------------------------------


def test_resolve_actor_prefers_login_then_sidebar_then_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from planner.domain.planning import Person

    people = [Person(id="pe_1", name=DANA, email="dana@example.org")]
    monkeypatch.setattr(getpass, "getuser", lambda: "osuser")

    assert services.resolve_actor("Dana@Example.org", "Lee", "kim", people) == DANA
    assert services.resolve_actor("new@example.org", "Lee", "kim", people) == "new@example.org"
    assert services.resolve_actor(None, " Lee ", "kim") == "Lee"
    assert services.resolve_actor("", "", "kim") == "kim"
    assert services.resolve_actor(None, None, None) == "osuser"


def test_every_built_in_tactic_survives_the_round_trip_through_a_plan(engine: Engine) -> None:
    from planner.exchange.playbooks import load_default_library

    library = load_default_library()
    assert library.ok and library.tactics
    plan = _plan(engine)
    tactics = list(library.tactics.values())

    services.add_tactic_items(engine, plan.id, tactics, expected_version=1, actor=DANA)

    items = services.get_items(engine, plan.id)
    assert [i.snapshot for i in items] == tactics
    assert outdated_items(items, library.tactics) == {}
    for item in items:
        assert item.snapshot is not None
        assert [t.metric_id for t in item.targets] == [m.id for m in item.snapshot.metrics]
        assert services.missing_prerequisites(items, item.snapshot, library) == []
