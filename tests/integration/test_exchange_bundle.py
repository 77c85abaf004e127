"""Plan bundles on the real repository (SQLite and PostgreSQL): round trips (with readings and
stories), copies, people, what stays out of a bundle, and bad files that leave the database
exactly as it was.

The helpers at the top (a realistic plan, a census of every table, a second empty database) are
shared by the other exchange integration tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from planner import services
from planner.domain.planning import ItemChange, Plan, Target
from planner.domain.playbook import Metric
from planner.errors import ImportFormatError
from planner.exchange.bundle import bundle_document, dump_bundle
from planner.exchange.playbooks import load_default_library
from planner.services import reviews
from planner.services.bundles import export_bundle, import_bundle
from planner.services.plan_import import import_file
from planner.services.readings import record_readings
from planner.services.reports import export_review_csv
from planner.services.sample import create_sample_plan
from planner.services.stories import add_story
from planner.store import Base, ChannelMappingRepository, Repository, make_engine, migrate, uow
from tests.integration.conftest import _metric, build_tactic
from tests.unit.test_exchange_bundle import (
    document,
    records,
    version_1_document,
    version_2_document,
    version_3_document,
)

DANA, LEE, KIM = "Dana Whitfield", "Lee Okafor", "Kim Sato"
AS_OF = date(2027, 3, 1)
SAMPLE_TODAY = date(2026, 11, 28)
XAPI_PERSON = "a1" * 32
OPT_OUT = "b2" * 32
STATEMENT = "2f1c1a3e-6b7d-4c55-9a0e-1f2e3d4c5b6a"
PRIVATE_TABLES = ("xapi_people", "xapi_statements", "opt_outs")
"""What a bundle never carries: pseudonymised actors, statement ids, the opt-out list."""


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table the schema has (new tables are counted without a change here)."""
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def table_contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: to show nothing at all changed."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(str(v) for v in row) for row in connection.execute(select(table))),
            )
            for table in Base.metadata.sorted_tables
        }


def seed_plan(engine: Engine, name: str = "Support rollout") -> Plan:
    """A plan with a lead, owners, prerequisites, a pinned start, custom items and history."""
    dana = services.add_person(engine, name=DANA, actor=DANA, email="Dana@Example.org", team="L&D")
    lee = services.add_person(engine, name=LEE, actor=DANA, capacity_hours_per_week=6)
    services.add_person(engine, name=KIM, actor=DANA)  # in the database, not in the plan
    plan = services.create_plan(
        engine,
        name=name,
        actor=DANA,
        start_date=date(2027, 1, 11),
        lead_id=dana.id,
        description="Six months, 400 agents",
    )
    kickoff = build_tactic("kickoff", duration_weeks=2)
    circles = build_tactic("peer-circles", prerequisites=["kickoff"])
    added = services.add_tactic_items(
        engine, plan.id, [kickoff, circles, circles], expected_version=1, actor=DANA
    )
    guide = services.add_custom_item(
        engine,
        plan.id,
        title="=Write the escalation guide",
        expected_version=2,
        actor=LEE,
        metrics=[Metric.model_validate(_metric("guides", target=3.0, unit="guides"))],
        notes='Draft ready, "v2" pending',
    )
    services.add_custom_item(
        engine, plan.id, title="Retro", expected_version=3, actor=LEE, duration_weeks=1
    )
    services.update_items(
        engine,
        plan.id,
        [
            ItemChange(added[0].id, {"owner_id": dana.id, "status": "done"}),
            ItemChange(
                added[1].id,
                {"owner_id": lee.id, "team": "Tier 2", "targets": [Target("members", 8.0)]},
            ),
            ItemChange(
                added[2].id,
                {"pinned_start": date(2027, 2, 1), "notes": "Second circle,\nTier 1"},
            ),
            ItemChange(guide.id, {"owner_id": lee.id}),
        ],
        expected_version=4,
        actor=DANA,
    )
    return services.set_plan_status(engine, plan.id, "active", expected_version=5, actor=DANA)


def add_progress(engine: Engine, plan: Plan) -> None:
    """Readings, a story and xAPI traces (a person hash, a statement id, an opt-out) for
    seed_plan's plan, so every table has rows."""
    items = services.open_plan(engine, plan.id).items
    circle, guide = items[1], next(i for i in items if i.custom_metrics)
    record_readings(
        engine,
        plan.id,
        [
            (circle.id, "members", date(2027, 2, 20), 6.0, "first month"),
            (circle.id, "members", date(2027, 3, 20), 4.0, ""),
            (guide.id, "guides", date(2027, 2, 27), 1.0, ""),
        ],
        actor=LEE,
    )
    add_story(
        engine,
        plan.id,
        circle.id,
        title="One runbook instead of three",
        text="Three agents found the same workaround and wrote it up together.",
        value_cycle="value-immediate",
        date=date(2027, 2, 21),
        actor=LEE,
    )
    owner = services.open_plan(engine, plan.id).items[0].owner_id
    reviews.record_review(
        engine,
        plan.id,
        date=date(2027, 3, 1),
        attendees=[DANA, LEE],
        notes="First review",
        decisions=["Keep the circles small"],
        new_actions=[reviews.NewAction("Book the room", owner, date(2027, 3, 8))],
        actor=DANA,
    )
    at = datetime.now(UTC)
    with uow(engine) as session:
        repo = Repository(session)
        repo.add_xapi_people([((circle.id, "members", "2027-02"), XAPI_PERSON)])
        repo.add_statement_ids(plan.id, [STATEMENT], at=at)
        repo.add_opt_outs([OPT_OUT], at=at)
        # a saved channel mapping (migration 0006): kept with the plan, not in its bundle
        ChannelMappingRepository(session).replace_channel_mapping(
            plan.id, [("support-tier-1", "#Support-Tier-1", circle.id)]
        )


def sample_plan(engine: Engine) -> Plan:
    """The demo plan: weeks of readings (xAPI-style health metrics included) and stories."""
    return create_sample_plan(engine, load_default_library(), actor=DANA, today=SAMPLE_TODAY)


def stored_readings(engine: Engine, plan_id: str) -> list[tuple[Any, ...]]:
    """The plan's readings with their items given by position: the same in a copy."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        position = {i.id: i.position for i in repo.items(plan_id)}
        return sorted(
            (
                position[r.item_id],
                r.metric_id,
                r.period,
                r.period_start,
                r.date,
                r.value,
                r.source,
                r.note,
                r.recorded_by,
                r.recorded_at,
            )
            for r in repo.readings(plan_id)
        )


def stored_stories(engine: Engine, plan_id: str) -> list[tuple[Any, ...]]:
    """The plan's stories with their items given by position, without their ids."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        position = {i.id: i.position for i in repo.items(plan_id)}
        return sorted(
            (
                position[s.item_id],
                s.date,
                s.author,
                s.title,
                s.text,
                s.value_cycle,
                s.recorded_by,
                s.recorded_at,
            )
            for s in repo.stories(plan_id)
        )


def make_second_engine(request: pytest.FixtureRequest, engine: Engine, name: str) -> Engine:
    """Another empty, migrated database on the same backend as `engine`."""
    if engine.dialect.name == "sqlite":
        tmp_path = request.getfixturevalue("tmp_path")
        other = make_engine(f"sqlite:///{tmp_path / name}")
    else:
        other = make_engine(request.getfixturevalue("postgres_databases").create())
    migrate(other)
    return other


@pytest.fixture
def second_engine(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Engine]:
    other = make_second_engine(request, engine, "second.db")
    yield other
    other.dispose()


# --- round trips ----------------------------------------------------------------------------


def without_activity(data: bytes) -> dict[str, Any]:
    document = json.loads(data)
    document.pop("activity")
    return document


def test_the_same_plan_exports_to_the_same_bytes(engine: Engine) -> None:
    plan = seed_plan(engine)
    first = export_bundle(engine, plan.id)
    assert export_bundle(engine, plan.id) == first
    document = json.loads(first)
    assert document["plan"]["id"] == plan.id and document["plan"]["version"] == 6
    ids = [p["id"] for p in document["people"]]
    assert ids == sorted(ids) and {p["name"] for p in document["people"]} == {DANA, LEE}
    assert KIM not in first.decode()  # only the plan's people
    assert len(document["items"]) == 5 and len(document["tactic_snapshots"]) == 2
    assert [a["version"] for a in document["activity"]] == [1, 2, 2, 2, 3, 4, 5, 5, 5, 5, 6]


def test_export_import_into_an_empty_database_export_gives_the_same_bytes_but_the_log(
    engine: Engine, second_engine: Engine
) -> None:
    plan = seed_plan(engine)
    original = export_bundle(engine, plan.id)

    done = import_bundle(second_engine, original, actor=KIM, source="support.json")

    assert done.plan.id == plan.id and done.copy_of is None and done.created
    assert done.items == 5 and sorted(done.people_added) == [DANA, LEE]
    again = export_bundle(second_engine, plan.id)
    assert without_activity(again) == without_activity(original)
    before, after = json.loads(original)["activity"], json.loads(again)["activity"]
    assert after[:-1] == before
    imported = after[-1]
    assert (imported["action"], imported["entity"], imported["actor"]) == ("import", "plan", KIM)
    assert imported["version"] == 6
    assert imported["summary"] == (
        "Imported the plan 'Support rollout' from support.json (5 items, 2 people added)"
    )
    # The rest of the bundle is byte for byte what it was.
    cut = again.index(b'"format"')
    assert again[cut:] == original[original.index(b'"format"') :]
    assert export_review_csv(second_engine, plan.id, as_of=AS_OF) == export_review_csv(
        engine, plan.id, as_of=AS_OF
    )


def test_a_restored_plan_keeps_its_version_so_saves_and_conflicts_work(
    engine: Engine, second_engine: Engine
) -> None:
    plan = seed_plan(engine)
    import_bundle(second_engine, export_bundle(engine, plan.id), actor=KIM)
    restored = services.get_plan(second_engine, plan.id)
    assert restored.version == plan.version == 6
    renamed = services.rename_plan(second_engine, plan.id, "Renamed", expected_version=6, actor=KIM)
    assert renamed.version == 7
    with pytest.raises(Exception, match="This plan changed since you opened it: Kim Sato renamed"):
        services.rename_plan(second_engine, plan.id, "Again", expected_version=6, actor=DANA)


def test_one_bundle_imported_into_two_databases_exports_the_same_bytes(
    request: pytest.FixtureRequest, engine: Engine, second_engine: Engine
) -> None:
    bundle = dump_bundle(document())
    for database in (engine, second_engine):
        import_bundle(database, bundle, actor=KIM, source="b.json")
    assert export_review_csv(engine, "pl_support", as_of=AS_OF) == export_review_csv(
        second_engine, "pl_support", as_of=AS_OF
    )
    assert export_review_csv(engine, "pl_support", as_of=AS_OF, excel=True) == export_review_csv(
        second_engine, "pl_support", as_of=AS_OF, excel=True
    )
    first, second = (export_bundle(e, "pl_support") for e in (engine, second_engine))
    assert without_activity(first) == without_activity(second)
    assert without_activity(first) == without_activity(bundle)


def test_the_sample_plan_round_trips_with_its_readings_and_stories(
    engine: Engine, second_engine: Engine
) -> None:
    plan = sample_plan(engine)
    original = export_bundle(engine, plan.id)
    exported = json.loads(original)
    readings, stories = exported["readings"], exported["stories"]
    assert len(readings) > 100 and len(stories) == 4
    assert "contributors" in {r["metric_id"] for r in readings}  # a health metric
    assert any(0 < r["value"] < 5 for r in readings if r["metric_id"] == "contributors")

    done = import_bundle(second_engine, original, actor=KIM, source="sample.json")

    assert done.copy_of is None and (done.readings, done.stories) == (len(readings), 4)
    again = export_bundle(second_engine, plan.id)
    assert again[again.index(b'"format"') :] == original[original.index(b'"format"') :]
    assert without_activity(again) == without_activity(original)  # "actions" sorts first
    assert len(exported["reviews"]) == 2 and len(exported["actions"]) == 2
    assert [len(r["decisions"]) for r in exported["reviews"]] == [2, 1]
    assert sorted(a["status"] for a in exported["actions"]) == ["done", "open"]
    restored = reviews.list_reviews(second_engine, plan.id)
    assert restored == reviews.list_reviews(engine, plan.id)
    assert reviews.list_actions(second_engine, plan.id) == reviews.list_actions(engine, plan.id)
    before, after = exported["activity"], json.loads(again)["activity"]
    assert after[:-1] == before
    assert after[-1]["summary"] == (
        f"Imported the plan '{plan.name}' from sample.json ({len(exported['items'])} items, "
        f"{len(readings)} readings, 4 stories, {len(exported['people'])} people added)"
    )
    assert after[-1]["after"]["readings"] == len(readings)
    assert stored_readings(second_engine, plan.id) == stored_readings(engine, plan.id)
    assert stored_stories(second_engine, plan.id) == stored_stories(engine, plan.id)
    # Progress (actual, expected, status) comes out the same from the restored readings.
    assert export_review_csv(second_engine, plan.id, as_of=SAMPLE_TODAY) == export_review_csv(
        engine, plan.id, as_of=SAMPLE_TODAY
    )


def test_pseudonyms_statement_ids_and_opt_outs_stay_out_of_a_bundle(
    engine: Engine, second_engine: Engine
) -> None:
    plan = seed_plan(engine)
    add_progress(engine, plan)
    assert all(row_counts(engine)[table] == 1 for table in PRIVATE_TABLES)
    bundle = export_bundle(engine, plan.id)
    for secret in (XAPI_PERSON, OPT_OUT, STATEMENT):
        assert secret.encode() not in bundle
    assert not {"xapi_people", "xapi_statements", "opt_outs", "pseudonym_key"} & set(
        json.loads(bundle)
    )

    done = import_bundle(second_engine, bundle, actor=KIM)

    assert (done.readings, done.stories) == (3, 1)
    counts = row_counts(second_engine)
    assert (counts["readings"], counts["stories"]) == (3, 1)
    assert all(counts[table] == 0 for table in PRIVATE_TABLES)


def test_a_version_1_bundle_still_imports_and_exports_as_the_current_version(
    engine: Engine,
) -> None:
    old = version_1_document()
    done = import_bundle(engine, json.dumps(old).encode(), actor=KIM, source="old.json")
    assert (done.items, done.readings, done.stories) == (3, 0, 0)
    exported = without_activity(export_bundle(engine, done.plan.id))
    assert (exported.pop("version"), exported.pop("stories"), exported["readings"]) == (4, [], [])
    assert (exported.pop("reviews"), exported.pop("actions")) == ([], [])
    assert exported.pop("channel_mapping") == []
    old.pop("activity")
    old.pop("version")
    old.pop("reviews")
    assert exported == old


def test_a_version_2_bundle_still_imports_and_exports_as_the_current_version(
    engine: Engine,
) -> None:
    old = version_2_document()
    done = import_bundle(engine, json.dumps(old).encode(), actor=KIM, source="old.json")
    assert (done.items, done.readings, done.stories) == (3, len(old["readings"]), 3)
    exported = without_activity(export_bundle(engine, done.plan.id))
    assert (exported.pop("version"), exported.pop("actions")) == (4, [])
    assert exported.pop("channel_mapping") == []
    old.pop("activity")
    old.pop("version")
    assert exported == old


def test_a_version_3_bundle_still_imports_and_exports_as_the_current_version(
    engine: Engine,
) -> None:
    old = version_3_document()
    done = import_bundle(engine, json.dumps(old).encode(), actor=KIM, source="old.json")
    assert done.items == 3
    exported = without_activity(export_bundle(engine, done.plan.id))
    assert (exported.pop("version"), exported.pop("channel_mapping")) == (4, [])
    old.pop("activity")
    old.pop("version")
    assert exported == old


def test_a_bundle_restores_its_channel_mapping_and_exports_it_again(engine: Engine) -> None:
    first = document()
    done = import_bundle(engine, dump_bundle(first), actor=KIM)
    assert without_activity(export_bundle(engine, done.plan.id)) == without_activity(
        dump_bundle(first)
    )


# --- copies and people ----------------------------------------------------------------------


def test_a_copy_keeps_the_readings_and_stories_under_the_new_item_ids(engine: Engine) -> None:
    plan = sample_plan(engine)
    bundle = export_bundle(engine, plan.id)

    done = import_bundle(engine, bundle, actor=KIM, source="sample.json")

    assert done.copy_of == plan.id
    original_items = services.open_plan(engine, plan.id).items
    copy_items = services.open_plan(engine, done.plan.id).items
    assert not {i.id for i in copy_items} & {i.id for i in original_items}
    kept = stored_readings(engine, plan.id)
    assert done.readings == len(kept) > 100
    assert stored_readings(engine, done.plan.id) == kept  # values and periods, item by item
    assert row_counts(engine)["readings"] == 2 * len(kept)
    assert stored_stories(engine, done.plan.id) == stored_stories(engine, plan.id)
    with uow(engine, write=False) as session:
        repo = Repository(session)
        old_ids = {s.id for s in repo.stories(plan.id)}
        new_ids = {s.id for s in repo.stories(done.plan.id)}
    assert len(new_ids) == 4 and not old_ids & new_ids  # story ids are new too
    # The copy's bundle is the original's, item ids aside.
    by_position = {i.id: i.position for i in [*original_items, *copy_items]}
    copied = json.loads(export_bundle(engine, done.plan.id))
    first = json.loads(bundle)
    assert [{**r, "item_id": by_position[r["item_id"]]} for r in copied["readings"]] == [
        {**r, "item_id": by_position[r["item_id"]]} for r in first["readings"]
    ]
    # reviews and action items come along under new ids, their snapshots following
    old_reviews = reviews.list_reviews(engine, plan.id)
    new_reviews = reviews.list_reviews(engine, done.plan.id)
    assert [r.date for r in new_reviews] == [r.date for r in old_reviews]
    assert not {r.id for r in new_reviews} & {r.id for r in old_reviews}
    new_item_ids = {i.id for i in copy_items}
    assert {row.item_id for r in new_reviews for row in r.rows} <= new_item_ids
    assert [[d.text for d in r.decisions] for r in new_reviews] == [
        [d.text for d in r.decisions] for r in old_reviews
    ]
    new_actions = reviews.list_actions(engine, done.plan.id)
    new_action_ids = {a.id for a in new_actions}
    review_ids = {r.id for r in new_reviews}
    assert len(new_actions) == 2
    assert not new_action_ids & {a.id for a in reviews.list_actions(engine, plan.id)}
    assert all(a.created_in_review in review_ids for a in new_actions)
    assert {a.closed_in_review for a in new_actions} - {None} <= review_ids
    for review in new_reviews:
        assert set(review.actions_created) <= new_action_ids
        assert {a.id for a in review.agenda} <= new_action_ids
    assert [len(r["decisions"]) for r in copied["reviews"]] == [2, 1]
    assert export_bundle(engine, plan.id) == bundle  # the original is untouched


def test_a_bundle_whose_stories_exist_in_another_plan_comes_in_as_a_copy(
    engine: Engine,
) -> None:
    first = document()
    import_bundle(engine, dump_bundle(first), actor=KIM)
    again = json.loads(json.dumps(first))  # the same stories, under new plan and item ids
    again["plan"]["id"] = "pl_elsewhere"
    renamed = {i["id"]: f"{i['id']}_2" for i in again["items"]}
    for record in again["items"]:
        record["id"] = renamed[record["id"]]
    for record in [*again["readings"], *again["stories"], *again["channel_mapping"]]:
        record["item_id"] = renamed[record["item_id"]]

    done = import_bundle(engine, json.dumps(again).encode(), actor=KIM)

    assert done.copy_of == "pl_elsewhere"
    assert done.copy_reason == "its story st_a already exists here, in another plan"
    with uow(engine, write=False) as session:
        stories = Repository(session).stories(done.plan.id)
    assert len(stories) == 3 and not {s.id for s in stories} & {"st_a", "st_b", "st_c"}
    assert row_counts(engine)["readings"] == 2 * len(first["readings"])


def test_a_bundle_whose_plan_exists_comes_in_as_a_copy_with_new_ids(engine: Engine) -> None:
    plan = seed_plan(engine)
    bundle = export_bundle(engine, plan.id)
    people_before = services.list_people(engine)

    done = import_bundle(engine, bundle, actor=KIM, source="support.json")

    assert done.copy_of == plan.id and done.plan.id != plan.id
    copy = services.open_plan(engine, done.plan.id)
    original = services.open_plan(engine, plan.id)
    assert copy.plan.name == "Support rollout (copy)"
    assert (copy.plan.status, copy.plan.version) == ("draft", 1)
    assert not {i.id for i in copy.items} & {i.id for i in original.items}
    assert len(copy.items) == len(original.items) == 5
    for new, old in zip(copy.items, original.items, strict=True):
        assert new.plan_id == copy.plan.id
        assert (new.title, new.owner_id, new.targets, new.snapshot, new.notes) == (
            old.title,
            old.owner_id,
            old.targets,
            old.snapshot,
            old.notes,
        )
    assert services.list_people(engine) == people_before  # matched by id: nobody new
    assert done.people_added == []
    [entry] = services.activity_log(engine, copy.plan.id)
    assert entry.action == "import" and entry.version == 1
    assert entry.summary == (
        f"Imported 'Support rollout' from support.json as the copy 'Support rollout (copy)', "
        f"since its plan {plan.id} already exists here (5 items)"
    )
    # The original is untouched.
    assert export_bundle(engine, plan.id) == bundle


def test_a_bundle_whose_items_exist_in_another_plan_also_comes_in_as_a_copy(
    engine: Engine,
) -> None:
    plan = seed_plan(engine)
    document = json.loads(export_bundle(engine, plan.id))
    document["plan"]["id"] = "pl_elsewhere"  # the same items under another plan id
    first_item = min(i["id"] for i in document["items"])
    done = import_bundle(engine, json.dumps(document).encode(), actor=KIM, source="b.json")
    assert done.copy_of == "pl_elsewhere" and done.plan.id != "pl_elsewhere"
    assert done.copy_reason == f"its item {first_item} already exists here, in another plan"
    copy = services.open_plan(engine, done.plan.id)
    assert len(copy.items) == 5 and first_item not in {i.id for i in copy.items}
    assert copy.plan.name == "Support rollout (copy)"


def test_a_name_given_on_import_replaces_the_bundle_s_name(engine: Engine) -> None:
    plan = seed_plan(engine)
    bundle = export_bundle(engine, plan.id)
    done = import_bundle(engine, bundle, actor=KIM, name="Support rollout, Q3")
    assert services.get_plan(engine, done.plan.id).name == "Support rollout, Q3"


def test_people_are_matched_by_id_then_email_and_created_only_when_missing(
    engine: Engine,
) -> None:
    plan, people, items, activity = records()  # lead pe_dana (dana@example.org), owner pe_lee
    kept_id = services.add_person(engine, name="Someone", actor=KIM)
    lee = next(p for p in people if p.id == "pe_lee")
    people = [p for p in people if p.id != "pe_lee"]
    people.append(replace(lee, id=kept_id.id, name="Lee (bundle spelling)", team="Support"))
    items = [replace(i, owner_id=kept_id.id) if i.owner_id == "pe_lee" else i for i in items]
    same_email = services.add_person(engine, name="Dana W.", actor=KIM, email="DANA@example.org")
    bundle = dump_bundle(bundle_document(plan, people, items, activity))

    done = import_bundle(engine, bundle, actor=KIM)

    assert done.people_added == []
    restored = services.open_plan(engine, plan.id)
    assert restored.plan.lead_id == same_email.id  # by email, ignoring case
    assert restored.items[0].owner_id == kept_id.id  # by id
    assert services.get_person(engine, kept_id.id).name == "Someone"  # matched, not overwritten
    assert {p.id for p in services.list_people(engine)} == {kept_id.id, same_email.id}


def test_people_missing_here_are_created_with_their_ids_and_logged(engine: Engine) -> None:
    bundle = dump_bundle(bundle_document(*records()))
    done = import_bundle(engine, bundle, actor=KIM)
    assert sorted(done.people_added) == [DANA, LEE]
    people = {p.id: p for p in services.list_people(engine)}
    assert set(people) == {"pe_dana", "pe_lee"}
    assert people["pe_dana"].email == "dana@example.org"
    assert people["pe_lee"].capacity_hours_per_week == 6
    with engine.connect() as connection:
        rows = connection.execute(
            select(Base.metadata.tables["activity"]).where(
                Base.metadata.tables["activity"].c.entity == "person"
            )
        ).all()
    assert sorted(r.entity_id for r in rows) == ["pe_dana", "pe_lee"]
    assert {r.actor for r in rows} == {KIM}


# --- nothing written when anything is wrong -------------------------------------------------


def _break(change: Any) -> bytes:
    broken = document()
    change(broken)
    return json.dumps(broken).encode()


def _version_1_with_readings() -> bytes:
    old = version_1_document()
    old["readings"] = document()["readings"]
    return json.dumps(old).encode()


BAD_BUNDLES = {
    "bad json": b'{"format": "informal-learning-planner/bundle", "version": 1,',
    "not a bundle": b'{"hello": "world"}',
    "newer version": _break(lambda d: d.update(version=5)),
    "channel mapping to an unknown item": _break(
        lambda d: d["channel_mapping"][0].update(item_id="it_x")
    ),
    "channel mapping in a version 3 bundle": _break(
        lambda d: (d.update(version=3), d.pop("channel_mapping"), d.update(channel_mapping=[]))
    ),
    "action of an unknown person": _break(lambda d: d["actions"][0].update(owner_id="pe_x")),
    "version 1 with readings": _version_1_with_readings(),
    "unknown item status": _break(lambda d: d["items"][0].update(status="finished")),
    "missing field": _break(lambda d: d["plan"].pop("start_date")),
    "wrong type": _break(lambda d: d["items"][0].update(position="first")),
    "dangling owner": _break(lambda d: d["items"][0].update(owner_id="pe_ghost")),
    "dangling snapshot": _break(lambda d: d["items"][0].update(tactic_snapshot="abc")),
    "too long for the database": _break(lambda d: d["people"][0].update(team="t" * 201)),
    "reading of an unknown item": _break(lambda d: d["readings"][0].update(item_id="it_ghost")),
    "two readings for one period": _break(
        lambda d: d["readings"][1].update(period="2027-01", period_start="2027-01-01")
    ),
    "reading dated outside its period": _break(
        lambda d: d["readings"][0].update(date="2027-02-01")
    ),
    "reading that is not a number": _break(lambda d: d["readings"][0].update(value="many")),
    "story of an unknown item": _break(lambda d: d["stories"][0].update(item_id="it_ghost")),
    "story with a bad value cycle": _break(
        lambda d: d["stories"][0].update(value_cycle="value-huge")
    ),
    "two stories with one id": _break(lambda d: d["stories"][1].update(id="st_c")),
}


@pytest.mark.parametrize("name", list(BAD_BUNDLES))
def test_a_bad_bundle_writes_nothing(engine: Engine, name: str) -> None:
    plan = seed_plan(engine)
    add_progress(engine, plan)
    before = table_contents(engine)
    counts = row_counts(engine)
    assert all(counts.values()), counts  # every table has rows that must stay as they are
    with pytest.raises(ImportFormatError):
        import_bundle(engine, BAD_BUNDLES[name], actor=KIM, source="bad.json")
    with pytest.raises(ImportFormatError):
        import_file(engine, BAD_BUNDLES[name], actor=KIM, tactics={}, source="bad.csv")
    assert row_counts(engine) == counts
    assert table_contents(engine) == before
    assert services.get_plan(engine, plan.id).version == plan.version


@pytest.mark.parametrize("step", ["add_readings", "add_stories", "log"])
def test_a_failure_while_writing_rolls_the_whole_import_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    add_progress(engine, seed_plan(engine))
    before = table_contents(engine)

    def fail(self: Repository, records: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Repository, step, fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_bundle(engine, dump_bundle(document()), actor=KIM)
    assert table_contents(engine) == before


def test_a_bundle_with_plan_is_refused_for_plan_csv_import(engine: Engine) -> None:
    plan = seed_plan(engine)
    counts = row_counts(engine)
    with pytest.raises(Exception, match="is a plan bundle, which restores a whole plan"):
        import_file(
            engine,
            export_bundle(engine, plan.id),
            actor=KIM,
            tactics={},
            source="x.csv",
            plan_id=plan.id,
        )
    assert row_counts(engine) == counts
