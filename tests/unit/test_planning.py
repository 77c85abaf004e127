"""Plan records check themselves; snapshot diffs; the refused-save message; plain values."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from planner.domain.activity import ActivityEntry, describe_conflict, format_day, jsonable
from planner.domain.planning import (
    InvalidInputError,
    ItemChange,
    Person,
    Plan,
    PlanItem,
    Target,
    apply_change,
    default_targets,
    item_from_tactic,
    new_id,
)
from planner.domain.playbook import Metric, Tactic
from planner.domain.tactic_updates import FieldChange, outdated_items, tactic_changes
from planner.errors import PlannerError


def metric(metric_id: str = "members", target: float = 12.0, **changes: Any) -> Metric:
    data = {
        "id": metric_id,
        "name": metric_id.capitalize(),
        "unit": "people",
        "aggregation": "latest",
        "direction": "higher-is-better",
        "target": target,
        "cadence": "monthly",
        "definition": "People who took part at least once in the period.",
        "framework": "community-health",
        **changes,
    }
    return Metric.model_validate(data)


def tactic(tactic_id: str = "peer-circles", **changes: Any) -> Tactic:
    data: dict[str, Any] = {
        "id": tactic_id,
        "title": "Peer circles",
        "summary": "Small groups meet every fortnight to work on real problems together.",
        "category": "communities",
        "purposes": ["share-knowledge"],
        "practices": ["peer-learning"],
        "audiences": ["frontline"],
        "owner_role": "facilitator",
        "effort_hours_per_week": 2.0,
        "duration_weeks": 8,
        "steps": [
            {"week": 0, "text": "Invite members"},
            {"week": 1, "text": "First meeting"},
            {"week": 6, "text": "Retrospective"},
        ],
        "metrics": [metric("members", 12.0), metric("sessions", 4.0)],
        "references": [{"title": "Communities of practice"}],
    }
    data.update(changes)
    return Tactic.model_validate(data, strict=False)


def custom(**changes: Any) -> PlanItem:
    fields: dict[str, Any] = {
        "id": "it_1",
        "plan_id": "pl_1",
        "title": "Lunch and learn",
        "duration_weeks": 4,
    }
    fields.update(changes)
    return PlanItem(**fields)


# --- records ----------------------------------------------------------------------------------


def test_ids_are_prefixed_random_hex() -> None:
    ids = {new_id("pl") for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("pl_") and len(i) == 15 for i in ids)


def test_invalid_input_is_a_planner_error() -> None:
    assert issubclass(InvalidInputError, PlannerError)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "done"}, "Plan status must be one of draft, active, closed, archived"),
        ({"review_cadence": "daily"}, "weekly, fortnightly, monthly, quarterly"),
        ({"name": " "}, "name cannot be empty"),
        ({"at_risk_threshold": 0.5}, "off-track threshold must be above 0 and below"),
        ({"off_track_threshold": 0}, "off-track threshold must be above 0"),
        ({"start_date": "2027-01-11"}, "Start date must be a date"),
    ],
)
def test_a_plan_refuses_values_a_user_must_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Plan(**{"id": "pl_1", "name": "Rollout", "start_date": date(2027, 1, 11), **changes})


def test_a_plan_tidies_what_it_is_given() -> None:
    plan = Plan(
        id="pl_1",
        name="  Rollout ",
        start_date=datetime(2027, 1, 11, 9, 30),
        lead_id="",
        at_risk_threshold=1,
    )
    assert (plan.name, plan.start_date, plan.lead_id) == ("Rollout", date(2027, 1, 11), None)
    assert isinstance(plan.at_risk_threshold, float)


def test_a_person_keeps_one_spelling_of_their_email_and_a_sane_capacity() -> None:
    person = Person(id="pe_1", name=" Dana ", email=" Dana@Example.ORG ")
    assert (person.name, person.email, person.capacity_hours_per_week) == (
        "Dana",
        "dana@example.org",
        4.0,
    )
    assert Person(id="pe_2", name="Lee", email="  ").email is None
    with pytest.raises(InvalidInputError, match="between 0 and 168 hours"):
        Person(id="pe_3", name="Kim", capacity_hours_per_week=-1)
    with pytest.raises(InvalidInputError, match="must be a number"):
        Person(id="pe_3", name="Kim", capacity_hours_per_week="lots")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_weeks": 0}, "between 1 and 520 weeks, not 0"),
        ({"duration_weeks": 2.5}, "whole number of weeks"),
        ({"duration_weeks": float("nan")}, "must be a number"),
        ({"status": "started"}, "planned, in progress, done, blocked, dropped"),
        ({"title": ""}, "title cannot be empty"),
        ({"targets": [Target("members", 1.0)]}, "no metric 'members'"),
        ({"tactic_id": "peer-circles"}, "needs both a tactic id and its snapshot"),
        ({"pinned_start": "soon"}, "must be a date"),
    ],
)
def test_an_item_refuses_values_a_user_must_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        custom(**changes)


def test_an_item_tidies_values_from_a_data_editor() -> None:
    item = custom(
        duration_weeks=6.0,
        owner_id=float("nan"),
        pinned_start=datetime(2027, 2, 1, 0, 0),
        notes=None,
        audience=" Team leads ",
    )
    assert item.duration_weeks == 6 and isinstance(item.duration_weeks, int)
    assert (item.owner_id, item.pinned_start, item.notes, item.audience) == (
        None,
        date(2027, 2, 1),
        "",
        "Team leads",
    )


def test_targets_need_numbers_and_one_per_metric() -> None:
    item = custom(custom_metrics=[metric("visits", 6.0)])
    with pytest.raises(InvalidInputError, match="Target for 'visits' must be a number"):
        Target("visits", float("nan"))
    assert Target("visits", 3, baseline=float("nan")) == Target("visits", 3.0, None, None)
    with pytest.raises(InvalidInputError, match="'visits' appears twice"):
        replace(item, targets=[Target("visits", 1.0), Target("visits", 2.0)])
    with pytest.raises(InvalidInputError, match="'visits' appears twice"):
        custom(custom_metrics=[metric("visits"), metric("visits")])


def test_a_tactic_item_takes_its_metrics_from_the_snapshot() -> None:
    circles = tactic()
    item = item_from_tactic(circles, plan_id="pl_1", position=3, team="Billing")

    assert item.id.startswith("it_") and not item.is_custom
    assert (item.title, item.duration_weeks, item.position) == ("Peer circles", 8, 3)
    assert item.metrics == list(circles.metrics)
    assert item.targets == [Target("members", 12.0), Target("sessions", 4.0)]
    assert item.targets == default_targets(item)
    assert item.target_for("sessions") == Target("sessions", 4.0)
    assert item.target_for("nothing") is None
    with pytest.raises(InvalidInputError, match="add a custom item for metrics of your own"):
        replace(item, custom_metrics=[metric("visits")])
    with pytest.raises(InvalidInputError, match="keeps a snapshot of 'other'"):
        replace(item, snapshot=tactic("other"))


def test_a_custom_item_has_its_own_metrics() -> None:
    item = custom(custom_metrics=[metric("visits", 6.0)])
    assert item.is_custom and [m.id for m in item.metrics] == ["visits"]
    assert default_targets(item) == [Target("visits", 6.0)]
    assert default_targets(custom()) == []


def test_apply_change_checks_field_names_and_values() -> None:
    item = custom()
    assert apply_change(item, ItemChange("it_1", {"status": "done"})).status == "done"
    with pytest.raises(InvalidInputError, match="Cannot change id, plan_id"):
        apply_change(item, ItemChange("it_1", {"id": "x", "plan_id": "y"}))
    with pytest.raises(InvalidInputError, match="not 0"):
        apply_change(item, ItemChange("it_1", {"duration_weeks": 0}))


# --- the playbook moving on ---------------------------------------------------------------------


def test_no_changes_between_identical_tactics() -> None:
    assert tactic_changes(tactic(), tactic()) == []


def test_changes_are_listed_field_by_field_with_metrics_matched_by_id() -> None:
    before = tactic()
    after = tactic(
        title="Peer learning circles",
        prerequisites=["kickoff"],
        metrics=[metric("sessions", 4.0), metric("members", 15.0), metric("questions", 40.0)],
    )

    changes = tactic_changes(before, after)

    assert [c.field for c in changes] == [
        "title",
        "prerequisites",
        "metrics.members.target",
        "metrics.questions",
    ]
    assert changes[0] == FieldChange("title", "Peer circles", "Peer learning circles")
    assert changes[2] == FieldChange("metrics.members.target", 12.0, 15.0)
    assert changes[3].before is None and changes[3].after["id"] == "questions"
    assert str(changes[3]) == "metrics.questions: added"
    removed = tactic_changes(after, before)
    assert str(removed[-1]) == "metrics.questions: removed"


def test_outdated_items_are_those_whose_tactic_changed() -> None:
    same = item_from_tactic(tactic(), plan_id="pl_1", position=0)
    other = item_from_tactic(tactic("mentoring"), plan_id="pl_1", position=1)
    playbook = {"peer-circles": tactic(), "mentoring": tactic("mentoring", duration_weeks=12)}

    flagged = outdated_items([same, other, custom()], playbook)

    assert list(flagged) == [other.id]
    assert flagged[other.id] == [FieldChange("duration_weeks", 8, 12)]


# --- the refused-save message ---------------------------------------------------------------


def entry(n: int, version: int, actor: str, action: str, summary: str, at: datetime) -> Any:
    return ActivityEntry(
        id=n,
        plan_id="pl_1",
        version=version,
        at=at,
        actor=actor,
        action=action,
        entity="plan" if action == "rename" else "item",
        entity_id=f"x{n}",
        summary=summary,
    )


def test_the_conflict_message_says_who_changed_what_and_when() -> None:
    now = datetime(2027, 1, 12, 15, 0, tzinfo=UTC)
    entries = [
        entry(1, 2, "Old", "update", "Edited 'A'", datetime(2027, 1, 12, 13, 0, tzinfo=UTC)),
        entry(2, 3, "Dana", "rename", "Renamed the plan to 'X'", now.replace(hour=14, minute=2)),
        entry(3, 4, "Lee", "update", "Edited 'A'", now.replace(hour=14, minute=5)),
        entry(4, 4, "Lee", "update", "Edited 'B'", now.replace(hour=14, minute=5)),
        entry(5, 4, "Lee", "update", "Edited 'C'", now.replace(hour=14, minute=5)),
    ]

    message = describe_conflict(entries, expected_version=2, now=now)

    assert message == (
        "This plan changed since you opened it: Dana renamed the plan to 'X' at 14:02 UTC; "
        "Lee edited 3 items at 14:05 UTC. Your edits are still on screen: reload to see "
        "theirs, then save again."
    )


def test_the_conflict_message_dates_older_changes_and_keeps_to_the_latest_five() -> None:
    now = datetime(2027, 1, 12, 15, 0, tzinfo=UTC)
    yesterday = datetime(2027, 1, 11, 9, 30, tzinfo=UTC)
    entries = [entry(n, n + 1, "Dana", "update", f"Edited '{n}'", yesterday) for n in range(1, 8)]
    entries.append(entry(8, 9, "Lee", "create", "Added 'X'", now))
    entries.append(entry(9, 9, "Lee", "update", "Edited 'Y'", now))

    message = describe_conflict(entries, expected_version=1, now=now)

    assert "3 earlier change(s); Dana edited '4' on 11 Jan 2027 at 09:30 UTC" in message
    assert "Lee added 1 item, edited 1 item at 15:00 UTC." in message
    assert "'3'" not in message


def test_the_conflict_message_without_a_log_still_explains() -> None:
    assert "it is no longer at version 4" in describe_conflict([], expected_version=4)


# --- plain values -----------------------------------------------------------------------------


def test_format_day_is_the_one_date_format_users_see() -> None:
    assert format_day(date(2027, 1, 2)) == "2 Jan 2027"


def test_jsonable_turns_records_into_json_values() -> None:
    item = item_from_tactic(tactic(), plan_id="pl_1", position=0, item_id="it_1")
    item = replace(item, pinned_start=date(2027, 2, 1))

    value = jsonable({"item": item, "at": datetime(2027, 1, 12, 14, 2, tzinfo=UTC)})

    assert value["at"] == "2027-01-12T14:02:00+00:00"
    assert value["item"]["pinned_start"] == "2027-02-01"
    assert value["item"]["snapshot"]["id"] == "peer-circles"
    assert value["item"]["targets"][0] == {
        "metric_id": "members",
        "value": 12.0,
        "due_date": None,
        "baseline": None,
    }


# --- a refused save: my edits against theirs ------------------------------------------------


def test_compare_and_rebase_edits_keep_mine_unless_both_changed_a_field() -> None:
    from dataclasses import dataclass as _dataclass

    from planner.domain.activity import REMOVED, compare_edits, rebase_edits

    @_dataclass(frozen=True)
    class Rec:
        name: str = "a"
        team: str = "t"
        notes: str = ""

    base, now = Rec(), Rec(name="theirs", team="same")
    mine = {"name": "mine", "team": "same", "notes": "my note"}
    edits = compare_edits("x", base, now, mine)
    by_field = {e.field: e for e in edits}
    assert by_field["name"].clash and by_field["name"].theirs == "theirs"
    assert not by_field["team"].clash and by_field["team"].they_changed  # same as theirs
    assert not by_field["notes"].clash and not by_field["notes"].they_changed
    keep, clashes = rebase_edits(edits)
    assert keep == {"x": {"notes": "my note"}}
    assert [c.field for c in clashes] == ["name"]

    gone = compare_edits("y", base, None, {"notes": "n"})
    assert gone[0].theirs is REMOVED and gone[0].clash
    assert rebase_edits(gone) == ({}, gone)


@pytest.mark.parametrize("hours", [-0.5, 40.5, "lots"])
def test_an_items_own_effort_is_hours_from_0_to_40(hours: object) -> None:
    from planner.domain.planning import InvalidInputError, PlanItem

    with pytest.raises(InvalidInputError, match="Effort of item 'Forum'"):
        PlanItem(
            id="it_1", plan_id="pl_1", title="Forum", duration_weeks=2, effort_hours_per_week=hours
        )  # type: ignore[arg-type]
    ok = PlanItem(
        id="it_1", plan_id="pl_1", title="Forum", duration_weeks=2, effort_hours_per_week=40
    )
    assert ok.effort == 40.0
