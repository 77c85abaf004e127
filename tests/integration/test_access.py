"""Roles in the services layer: every public write refuses a viewer and writes nothing; editors
change plans, readings and reviews but not people; admins (and plain strings: local use) do all.

`WRITES` lists every public function of the planner that takes `actor` (every write names the
person acting); `test_every_write_is_listed` fails when a new one appears without a row here,
so a write without a permission check cannot slip in unnoticed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, select

from planner import services
from planner.domain.access import Actor, Permission, Role
from planner.errors import PermissionDeniedError, PlannerError
from planner.exchange.playbooks import load_default_library
from planner.services import readings, reviews, stories, xapi_readings
from planner.services.bundles import export_bundle
from planner.services.sample import create_sample_plan
from planner.store import Base


def _modules() -> list[str]:
    """Every module of the planner outside the dashboard (planner.ui) and the migrations."""
    import planner

    names = [m.name for m in pkgutil.walk_packages(planner.__path__, "planner.")]
    return sorted(
        n
        for n in names
        if not n.startswith(
            ("planner.ui", "planner.store.migrations", "planner.__", "planner.domain.access")
        )
    )


MODULES = _modules()

TODAY = dt.date(2026, 11, 28)
LIBRARY = load_default_library()


@dataclass
class World:
    """The sample plan and the ids a write needs."""

    engine: Engine
    plan_id: str
    version: int
    item_id: str
    tactic_id: str
    metric_id: str
    person_id: str
    story_id: str
    action_id: str
    reading_id: int
    bundle: bytes


@pytest.fixture
def world(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> World:
    # PostgreSQL needs a configured key for the opt-out list and xAPI identities.
    monkeypatch.setenv("PLANNER_PSEUDONYM_KEY", "a-test-key-long-enough-to-be-a-real-secret-123")
    plan = create_sample_plan(engine, LIBRARY, actor="Tester", today=TODAY)
    items = services.get_items(engine, plan.id)
    item = next(i for i in items if i.metrics and i.tactic_id in LIBRARY.tactics)
    found = readings.list_readings(engine, plan.id)
    return World(
        engine=engine,
        plan_id=plan.id,
        version=services.get_plan(engine, plan.id).version,
        item_id=item.id,
        tactic_id=str(item.tactic_id),
        metric_id=item.metrics[0].id,
        person_id=services.list_people(engine)[0].id,
        story_id=stories.list_stories(engine, plan.id)[0].id,
        action_id=reviews.list_actions(engine, plan.id)[0].id,
        reading_id=found[0].id,
        bundle=export_bundle(engine, plan.id),
    )


def _xapi(w: World, actor: str) -> Any:
    from planner.services.adoption import import_xapi

    return import_xapi(w.engine, w.plan_id, [("x.json", io.BytesIO(b"[]"))], actor=actor)


def _community(w: World, actor: str) -> Any:
    from planner.services.community import import_community_files

    return import_community_files(w.engine, w.plan_id, [("x.csv", io.BytesIO(b""))], actor=actor)


def _plan_csv(w: World, actor: str) -> Any:
    from planner.services.plan_import import import_plan_csv

    data = b"tactic,title\n,Peer coffee\n"
    return import_plan_csv(w.engine, data, tactics=LIBRARY.tactics, actor=actor, name="From CSV")


def _bundle(w: World, actor: str) -> Any:
    from planner.services.bundles import import_bundle

    return import_bundle(w.engine, w.bundle, actor=actor, name="Restored")


def _any_file(w: World, actor: str) -> Any:
    from planner.services.plan_import import import_file

    return import_file(
        w.engine, w.bundle, actor=actor, tactics=LIBRARY.tactics, source="plan.json", name="Back"
    )


def _opt_out(w: World, actor: str) -> Any:
    from planner.services.privacy import add_opt_out

    return add_opt_out(w.engine, "someone@example.org", actor=actor)


def _erase(w: World, actor: str) -> Any:
    from planner.services.privacy import erase_person

    return erase_person(w.engine, w.person_id, actor=actor)


Write = Callable[[World, str], Any]

WRITES: dict[str, tuple[Permission, Write]] = {
    "planner.services.plans.create_plan": (
        Permission.PLAN_EDIT,
        lambda w, a: services.create_plan(w.engine, name="New", actor=a),
    ),
    "planner.services.plans.update_plan": (
        Permission.PLAN_EDIT,
        lambda w, a: services.update_plan(
            w.engine, w.plan_id, expected_version=w.version, actor=a, description="Changed"
        ),
    ),
    "planner.services.channel_mappings.save_channel_mapping": (
        Permission.PLAN_EDIT,
        lambda w, a: services.save_channel_mapping(
            w.engine, w.plan_id, {"#ask": w.item_id}, expected_version=w.version, actor=a
        ),
    ),
    "planner.services.plans.rename_plan": (
        Permission.PLAN_EDIT,
        lambda w, a: services.rename_plan(
            w.engine, w.plan_id, "Renamed", expected_version=w.version, actor=a
        ),
    ),
    "planner.services.plans.set_plan_status": (
        Permission.PLAN_EDIT,
        lambda w, a: services.set_plan_status(
            w.engine, w.plan_id, "closed", expected_version=w.version, actor=a
        ),
    ),
    "planner.services.plans.copy_plan": (
        Permission.PLAN_EDIT,
        lambda w, a: services.copy_plan(w.engine, w.plan_id, name="Copy", actor=a),
    ),
    "planner.services.items.add_tactic_items": (
        Permission.PLAN_EDIT,
        lambda w, a: services.add_tactic_items(
            w.engine,
            w.plan_id,
            [next(iter(LIBRARY.tactics.values()))],
            expected_version=w.version,
            actor=a,
        ),
    ),
    "planner.services.items.add_custom_item": (
        Permission.PLAN_EDIT,
        lambda w, a: services.add_custom_item(
            w.engine, w.plan_id, title="Custom", expected_version=w.version, actor=a
        ),
    ),
    "planner.services.items.update_items": (
        Permission.PLAN_EDIT,
        lambda w, a: services.update_items(
            w.engine,
            w.plan_id,
            [services.ItemChange(w.item_id, {"notes": "changed"})],
            expected_version=w.version,
            actor=a,
        ),
    ),
    "planner.services.items.remove_item": (
        Permission.PLAN_EDIT,
        lambda w, a: services.remove_item(
            w.engine, w.plan_id, w.item_id, expected_version=w.version, actor=a
        ),
    ),
    "planner.services.items.refresh_item_from_tactic": (
        Permission.PLAN_EDIT,
        lambda w, a: services.refresh_item_from_tactic(
            w.engine,
            w.plan_id,
            w.item_id,
            LIBRARY.tactics[w.tactic_id],
            expected_version=w.version,
            actor=a,
        ),
    ),
    "planner.services.people.add_person": (
        Permission.PEOPLE_MANAGE,
        lambda w, a: services.add_person(w.engine, name="Newcomer", actor=a),
    ),
    "planner.services.people.update_person": (
        Permission.PEOPLE_MANAGE,
        lambda w, a: services.update_person(w.engine, w.person_id, team="Other", actor=a),
    ),
    "planner.services.people.update_people": (
        Permission.PEOPLE_MANAGE,
        lambda w, a: services.update_people(
            w.engine,
            {w.person_id: {"team": "Other"}},
            expected_versions={w.person_id: services.person_version(w.engine, w.person_id)},
            actor=a,
        ),
    ),
    "planner.services.privacy.add_opt_out": (Permission.PEOPLE_ERASE, _opt_out),
    "planner.services.privacy.erase_person": (Permission.PEOPLE_ERASE, _erase),
    "planner.services.reviews.record_review": (
        Permission.REVIEW_EDIT,
        lambda w, a: reviews.record_review(
            w.engine, w.plan_id, date=TODAY, attendees=["Tester"], actor=a
        ),
    ),
    "planner.services.actions.add_action": (
        Permission.REVIEW_EDIT,
        lambda w, a: reviews.add_action(w.engine, w.plan_id, "Call Sam", actor=a),
    ),
    "planner.services.actions.set_action_status": (
        Permission.REVIEW_EDIT,
        lambda w, a: reviews.set_action_status(w.engine, w.action_id, "done", actor=a),
    ),
    "planner.services.readings.record_readings": (
        Permission.READINGS_EDIT,
        lambda w, a: readings.record_readings(
            w.engine,
            w.plan_id,
            [(w.item_id, w.metric_id, TODAY, 3.0, "")],
            actor=a,
            replace=True,
        ),
    ),
    "planner.services.readings.delete_reading": (
        Permission.READINGS_EDIT,
        lambda w, a: readings.delete_reading(w.engine, w.plan_id, w.reading_id, actor=a),
    ),
    "planner.services.readings.import_readings_csv": (
        Permission.READINGS_EDIT,
        lambda w, a: readings.import_readings_csv(
            w.engine,
            w.plan_id,
            f"item,metric,date,value\n{w.item_id},{w.metric_id},{TODAY},4\n".encode(),
            actor=a,
            replace=True,
        ),
    ),
    "planner.services.xapi_readings.apply_xapi_batch": (
        Permission.READINGS_EDIT,
        lambda w, a: xapi_readings.apply_xapi_batch(
            w.engine, w.plan_id, xapi_readings.XapiBatch(), actor=a, today=TODAY
        ),
    ),
    "planner.services.stories.add_story": (
        Permission.READINGS_EDIT,
        lambda w, a: stories.add_story(
            w.engine,
            w.plan_id,
            w.item_id,
            title="It helped",
            text="Sam fixed a ticket faster.",
            value_cycle="value-applied",
            actor=a,
        ),
    ),
    "planner.services.stories.update_story": (
        Permission.READINGS_EDIT,
        lambda w, a: stories.update_story(w.engine, w.plan_id, w.story_id, title="New", actor=a),
    ),
    "planner.services.stories.delete_story": (
        Permission.READINGS_EDIT,
        lambda w, a: stories.delete_story(w.engine, w.plan_id, w.story_id, actor=a),
    ),
    "planner.services.bundles.import_bundle": (Permission.PLAN_EDIT, _bundle),
    "planner.services.plan_import.import_file": (Permission.PLAN_EDIT, _any_file),
    "planner.services.plan_import.import_plan_csv": (Permission.PLAN_EDIT, _plan_csv),
    "planner.services.community.import_community_files": (Permission.READINGS_EDIT, _community),
    "planner.services.adoption.import_xapi": (Permission.READINGS_EDIT, _xapi),
    "planner.services.sample.create_sample_plan": (
        Permission.PLAN_EDIT,
        lambda w, a: create_sample_plan(w.engine, LIBRARY, actor=a, today=TODAY),
    ),
}
"""Every public write: the permission it needs, and a call that would succeed for an admin."""

# Wrappers that only open files and call a listed write with the same actor.
DELEGATES = {
    "planner.services.community.import_community_paths",
    "planner.services.adoption.import_xapi_paths",
}


def _public_functions_taking_actor() -> set[str]:
    found = set()
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ != name:
                continue
            if "actor" in inspect.signature(value).parameters:
                found.add(f"{name}.{attr}")
    return found


def test_every_write_is_listed() -> None:
    found = _public_functions_taking_actor() - DELEGATES
    assert found == set(WRITES), (
        "A public function that takes `actor` is a write: give it a permission check "
        "(planner.domain.access.require) and a row in WRITES. "
        f"Missing: {sorted(found - set(WRITES))}; gone: {sorted(set(WRITES) - found)}"
    )


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(map(repr, row)) for row in connection.execute(select(table))), key=str
            )
            for table in Base.metadata.sorted_tables
        }


VIEWER = Actor("Vera Viewer", email="vera@example.org", role=Role.VIEWER, admins=["ana@x.org"])
EDITOR = Actor("Ed Editor", email="ed@example.org", role=Role.EDITOR, admins=["ana@x.org"])
ADMIN = Actor("Ana Admin", email="ana@x.org", role=Role.ADMIN)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_viewer_is_refused_every_write_and_nothing_is_written(world: World, name: str) -> None:
    permission, call = WRITES[name]
    before = dump(world.engine)
    with pytest.raises(PermissionDeniedError) as refused:
        call(world, VIEWER)
    message = str(refused.value)
    for part in ("Vera Viewer", "vera@example.org", "viewer", str(permission), "ana@x.org"):
        assert part in message, message
    assert "Nothing was changed" in message
    assert dump(world.engine) == before


def _outcome(world: World, name: str, actor: str) -> str:
    """'denied', 'done', or 'other' (another PlannerError: the call reached past the check)."""
    try:
        WRITES[name][1](world, actor)
    except PermissionDeniedError:
        return "denied"
    except PlannerError:
        return "other"
    return "done"


EDITOR_MAY = {Permission.PLAN_EDIT, Permission.READINGS_EDIT, Permission.REVIEW_EDIT}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_an_editor_changes_plans_readings_and_reviews_but_not_people(
    world: World, name: str
) -> None:
    permission = WRITES[name][0]
    before = dump(world.engine)
    outcome = _outcome(world, name, EDITOR)
    if permission in EDITOR_MAY and name != "planner.services.sample.create_sample_plan":
        assert outcome != "denied"
    elif permission not in EDITOR_MAY:
        assert outcome == "denied"
        assert dump(world.engine) == before


EMPTY_IMPORTS = {"planner.services.community.import_community_files"}
"""Called with empty files: refused for that (after the permission check), not for the role."""


@pytest.mark.parametrize("actor", [ADMIN, "Tester"], ids=["admin", "plain-string"])
@pytest.mark.parametrize("name", sorted(WRITES))
def test_an_admin_and_local_use_may_do_everything(world: World, name: str, actor: str) -> None:
    """Each call really writes for an admin, so the refusals above are not refusals of calls
    that fail anyway."""
    outcome = _outcome(world, name, actor)
    assert outcome == ("other" if name in EMPTY_IMPORTS else "done")


def test_the_activity_log_records_the_signed_in_identity(world: World) -> None:
    services.update_plan(
        world.engine, world.plan_id, expected_version=world.version, actor=EDITOR, name="Ours"
    )
    entry = services.activity_log(world.engine, world.plan_id, limit=1)[0]
    assert entry.actor == "Ed Editor"
    assert type(entry.actor) is str
    assert services.get_plan(world.engine, world.plan_id).updated_by == "Ed Editor"


def test_the_sample_needs_people_rights_only_when_it_adds_people(engine: Engine) -> None:
    with pytest.raises(PermissionDeniedError, match="manage people"):
        create_sample_plan(engine, LIBRARY, actor=EDITOR, today=TODAY)
    assert services.list_plans(engine) == []
    assert services.list_people(engine) == []
    create_sample_plan(engine, LIBRARY, actor=ADMIN, today=TODAY)
    create_sample_plan(engine, LIBRARY, actor=EDITOR, today=TODAY)  # its people exist now
    assert len(services.list_plans(engine)) == 2
