"""Eight writers at once for every kind of write (readings, action items, reviews, people,
imports), on SQLite and PostgreSQL: no success is lost, and a write based on what someone has
changed since is refused with a ConflictError saying who changed what."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, inspect, text

from bench.bench_concurrent_writes import KINDS, STALE_REFUSED, run_kind
from planner import services
from planner.domain.planning import ItemChange
from planner.domain.readings import ReadingInput, ReadingsExistError
from planner.errors import ConflictError
from planner.services import readings, reviews
from planner.store import migrate
from tests.integration.conftest import build_tactic
from tests.integration.test_store import _alembic

DAY = dt.date(2026, 11, 2)


@pytest.mark.parametrize("kind", KINDS)
def test_eight_writers_lose_nothing(engine: Engine, kind: str) -> None:
    report = run_kind(engine.url.render_as_string(hide_password=False), kind, seconds=2.0)
    assert not report.problems, report.problems
    assert report.lost == 0, str(report)
    assert report.successes > 0, str(report)
    if kind in STALE_REFUSED:  # imports add: a bundle's first import restores, others copy
        assert report.conflicts > 0, str(report)
    assert report.attempts == report.successes + report.conflicts + report.busy


def _measured_plan(engine: Engine) -> tuple[str, str]:
    tactic = build_tactic()
    plan = services.create_plan(engine, name="P", actor="setup", status="active")
    [item] = services.add_tactic_items(engine, plan.id, [tactic], expected_version=1, actor="s")
    return plan.id, item.id


def test_replacing_a_reading_changed_since_the_confirmation_is_a_conflict(
    engine: Engine,
) -> None:
    plan_id, item_id = _measured_plan(engine)
    readings.record_readings(engine, plan_id, [(item_id, "members", DAY, 5.0)], actor="Ana")
    with pytest.raises(ReadingsExistError) as shown:  # the page asks me to confirm
        readings.record_readings(engine, plan_id, [(item_id, "members", DAY, 9.0)], actor="Bo")
    readings.record_readings(  # meanwhile Cy replaces it
        engine, plan_id, [(item_id, "members", DAY, 7.0)], actor="Cy", replace=True
    )
    with pytest.raises(ConflictError, match=r"Cy recorded Members .*: 7"):
        readings.record_readings(
            engine,
            plan_id,
            [ReadingInput(item_id, "members", DAY, 9.0)],
            actor="Bo",
            replace=shown.value.seen,
        )
    [stored] = readings.list_readings(engine, plan_id, item_id, "members")
    assert stored.value == 7.0
    # Confirming what is stored now replaces it.
    with pytest.raises(ReadingsExistError) as again:
        readings.record_readings(engine, plan_id, [(item_id, "members", DAY, 9.0)], actor="Bo")
    readings.record_readings(
        engine, plan_id, [(item_id, "members", DAY, 9.0)], actor="Bo", replace=again.value.seen
    )
    [now] = readings.list_readings(engine, plan_id, item_id, "members")
    assert now.value == 9.0
    # Removing what the page showed (7) after Bo's 9: refused, naming Bo.
    with pytest.raises(ConflictError, match=r"Bo recorded 9"):
        readings.delete_reading(engine, plan_id, now.id, actor="Cy", seen=7.0)
    readings.delete_reading(engine, plan_id, now.id, actor="Cy", seen=9.0)
    assert readings.list_readings(engine, plan_id, item_id, "members") == []


def test_a_stale_action_status_change_is_refused_and_names_who(engine: Engine) -> None:
    plan_id, _ = _measured_plan(engine)
    drawn = reviews.add_action(engine, plan_id, "Book the room", actor="setup")
    reviews.set_action_status(engine, drawn.id, "dropped", actor="Ana", seen=drawn.updated_at)
    with pytest.raises(ConflictError, match=r"Book the room.*Ana marked the action item"):
        reviews.set_action_status(engine, drawn.id, "done", actor="Bo", seen=drawn.updated_at)
    with pytest.raises(ConflictError):  # even when it would set what is there already
        reviews.set_action_status(engine, drawn.id, "dropped", actor="Bo", seen=drawn.updated_at)
    with pytest.raises(ConflictError):  # a review based on the old agenda, too
        reviews.record_review(
            engine,
            plan_id,
            date=DAY,
            attendees=["Bo"],
            action_updates={drawn.id: "done"},
            action_seen={drawn.id: drawn.updated_at},
            actor="Bo",
        )
    assert reviews.list_actions(engine, plan_id)[0].status == "dropped"
    assert reviews.list_reviews(engine, plan_id) == []


def test_a_stale_person_edit_is_refused_and_names_who(engine: Engine) -> None:
    sam = services.add_person(engine, name="Sam Lee", actor="setup")
    kim = services.add_person(engine, name="Kim Park", actor="setup")
    drawn = services.open_people(engine).versions
    assert drawn == {sam.id: 1, kim.id: 1}
    services.update_person(engine, sam.id, role="Coach", expected_version=1, actor="Ana")
    with pytest.raises(ConflictError, match=r"Sam Lee's record changed .*Ana edited Sam Lee"):
        services.update_people(
            engine,
            {kim.id: {"team": "Tier 2"}, sam.id: {"role": "Lead"}},
            expected_versions=drawn,
            actor="Bo",
        )
    # All or nothing: Kim's edit in the same grid save was not written either.
    opened = services.open_people(engine)
    assert {p.id: (p.role, p.team) for p in opened.people} == {
        sam.id: ("Coach", ""),
        kim.id: ("", ""),
    }
    assert opened.versions == {sam.id: 2, kim.id: 1}
    with pytest.raises(ConflictError):
        services.update_person(engine, sam.id, role="Coach", expected_version=1, actor="Bo")


def test_my_week_saves_the_status_against_the_version_it_drew(engine: Engine) -> None:
    owner = services.add_person(engine, name="Sam Lee", actor="setup")
    plan = services.create_plan(engine, name="P", actor="setup", status="active", start_date=DAY)
    item = services.add_custom_item(
        engine, plan.id, title="Run the forum", expected_version=1, actor="s", owner_id=owner.id
    )
    [week_item] = reviews.my_week(engine, owner.id, DAY).items
    assert week_item.plan_version == 2
    services.update_items(
        engine,
        plan.id,
        [ItemChange(item.id, {"status": "blocked"})],
        expected_version=2,
        actor="Ana",
    )
    with pytest.raises(ConflictError, match="Ana"):
        services.update_items(
            engine,
            plan.id,
            [ItemChange(item.id, {"status": "in progress"})],
            expected_version=week_item.plan_version,
            actor="Sam",
        )
    assert services.open_plan(engine, plan.id).items[0].status == "blocked"


def test_a_fresh_and_a_0004_database_both_reach_person_versions(engine: Engine) -> None:
    sam = services.add_person(engine, name="Sam Lee", actor="setup")
    assert "version" in {c["name"] for c in inspect(engine).get_columns("people")}
    _alembic(engine, "downgrade", "0004")
    assert "version" not in {c["name"] for c in inspect(engine).get_columns("people")}
    migrate(engine)  # the app's next start
    assert services.open_people(engine).versions == {sam.id: 1}
    assert services.get_person(engine, sam.id) == sam
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("0006",)
        ]
    services.update_person(engine, sam.id, team="Tier 1", expected_version=1, actor="Ana")
    assert services.person_version(engine, sam.id) == 2


def test_a_stale_story_edit_or_removal_is_refused_and_names_who(engine: Engine) -> None:
    from planner.services import stories

    plan_id, item_id = _measured_plan(engine)
    drawn = stories.add_story(
        engine,
        plan_id,
        item_id,
        title="First",
        text="What happened.",
        value_cycle="value-immediate",
        actor="setup",
    )
    stories.update_story(
        engine, plan_id, drawn.id, title="Ana's", actor="Ana", seen=drawn.recorded_at
    )
    with pytest.raises(ConflictError, match=r"The story 'Ana's' changed .*Ana edited the story"):
        stories.update_story(
            engine, plan_id, drawn.id, title="Bo's", actor="Bo", seen=drawn.recorded_at
        )
    with pytest.raises(ConflictError):
        stories.delete_story(engine, plan_id, drawn.id, actor="Bo", seen=drawn.recorded_at)
    assert [s.title for s in stories.list_stories(engine, plan_id)] == ["Ana's"]
