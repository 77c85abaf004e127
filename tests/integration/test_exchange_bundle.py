"""Plan bundles on the real repository (SQLite and PostgreSQL): round trips, copies, people,
and bad files that leave the database exactly as it was.

The helpers at the top (a realistic plan, a census of every table, a second empty database) are
shared by the other exchange integration tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from planner import services
from planner.domain import Metric
from planner.errors import ImportFormatError
from planner.exchange import export_bundle, export_review_csv, import_bundle, import_file
from planner.exchange.bundle import bundle_document, dump_bundle
from planner.planning import ItemChange, Plan, Target
from planner.store import Base, Repository, make_engine, migrate
from tests.integration.conftest import _metric, build_tactic
from tests.unit.test_exchange_bundle import records

DANA, LEE, KIM = "Dana Whitfield", "Lee Okafor", "Kim Sato"
AS_OF = date(2027, 3, 1)


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
    bundle = dump_bundle(bundle_document(*records()))
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


# --- copies and people ----------------------------------------------------------------------


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
    document = bundle_document(*records())
    change(document)
    return json.dumps(document).encode()


BAD_BUNDLES = {
    "bad json": b'{"format": "informal-learning-planner/bundle", "version": 1,',
    "not a bundle": b'{"hello": "world"}',
    "newer version": _break(lambda d: d.update(version=2)),
    "unknown item status": _break(lambda d: d["items"][0].update(status="finished")),
    "missing field": _break(lambda d: d["plan"].pop("start_date")),
    "wrong type": _break(lambda d: d["items"][0].update(position="first")),
    "dangling owner": _break(lambda d: d["items"][0].update(owner_id="pe_ghost")),
    "dangling snapshot": _break(lambda d: d["items"][0].update(tactic_snapshot="abc")),
    "too long for the database": _break(lambda d: d["people"][0].update(team="t" * 201)),
}


@pytest.mark.parametrize("name", list(BAD_BUNDLES))
def test_a_bad_bundle_writes_nothing(engine: Engine, name: str) -> None:
    plan = seed_plan(engine)
    before = table_contents(engine)
    counts = row_counts(engine)
    with pytest.raises(ImportFormatError):
        import_bundle(engine, BAD_BUNDLES[name], actor=KIM, source="bad.json")
    with pytest.raises(ImportFormatError):
        import_file(engine, BAD_BUNDLES[name], actor=KIM, tactics={}, source="bad.csv")
    assert row_counts(engine) == counts
    assert table_contents(engine) == before
    assert services.get_plan(engine, plan.id).version == plan.version


def test_a_failure_while_writing_rolls_the_whole_import_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_plan(engine)
    before = table_contents(engine)

    def fail(self: Repository, entries: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Repository, "log", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_bundle(engine, dump_bundle(bundle_document(*records())), actor=KIM)
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
