"""A plan's saved channel mapping (migration 0006): saved as a plan write, used by the CLI and
the import when no other choice is given, gone with its item or its plan."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from planner import services
from planner.cli import main
from planner.domain.planning import InvalidInputError
from planner.errors import ConflictError, NotFoundError
from planner.services.community import (
    import_community_files,
    mapping_to_save,
    saved_channel_mapping,
)
from planner.services.readings import list_readings
from tests.community_files import slack_channels_export

DANA = "Dana Whitfield"
NOV = "Acme Channel Analytics Prior 30 Days - Nov 29, 2026.csv"
DEC = "Acme Channel Analytics Prior 30 Days - Dec 27, 2026.csv"


class Plan:
    def __init__(self, engine: Engine, make_tactic: Any, make_metric: Any) -> None:
        self.engine = engine
        plan = services.create_plan(
            engine, name="Guilds", actor=DANA, start_date=dt.date(2026, 9, 7), status="active"
        )
        guild = make_tactic(
            "data-guild", stage="coalescing", metrics=[make_metric("meetups", target=2.0)]
        )
        circle = make_tactic(
            "design-circle", stage="maturing", metrics=[make_metric("m", target=2.0)]
        )
        self.guild, self.circle = services.add_tactic_items(
            engine, plan.id, [guild, circle], expected_version=1, actor=DANA
        )
        self.id = plan.id

    @property
    def version(self) -> int:
        return services.get_plan(self.engine, self.id).version

    def save(self, mapping: dict[str, str], **kw: Any) -> int:
        saved = services.save_channel_mapping(
            self.engine, self.id, mapping, expected_version=self.version, actor=DANA, **kw
        )
        return saved.version

    def slack(self, guild: str) -> dict[str, float]:
        return {
            r.period: r.value
            for r in list_readings(self.engine, self.id, item_id=guild, metric_id="members")
            if r.source == "slack"
        }


@pytest.fixture(autouse=True)
def shared_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_PSEUDONYM_KEY", "a-test-key-long-enough-to-be-a-real-secret-123")


@pytest.fixture
def plan(engine: Engine, make_tactic: Any, make_metric: Any) -> Plan:
    return Plan(engine, make_tactic, make_metric)


def test_saving_is_a_plan_write_with_version_log_and_reread(plan: Plan) -> None:
    assert not saved_channel_mapping(plan.engine, plan.id)
    before = plan.version
    after = plan.save({"#Ask-Data": plan.guild.id, "Design Circle": plan.circle.id})
    assert after == before + 1
    saved = saved_channel_mapping(plan.engine, plan.id)
    assert saved.entries == (("#Ask-Data", plan.guild.id), ("Design Circle", plan.circle.id))
    assert saved.mapping == {"ask-data": plan.guild.id, "design circle": plan.circle.id}
    (entry,) = [
        e for e in services.activity_log(plan.engine, plan.id) if e.entity == "channel-mapping"
    ]
    assert entry.version == after and entry.actor == DANA
    assert "#Ask-Data → data-guild" in entry.summary or "#Ask-Data →" in entry.summary
    # the same mapping again writes nothing
    assert plan.save({"#Ask-Data": plan.guild.id, "Design Circle": plan.circle.id}) == after
    # a stale version is refused and nothing changes
    with pytest.raises(ConflictError):
        services.save_channel_mapping(
            plan.engine, plan.id, {"x": plan.guild.id}, expected_version=before, actor=DANA
        )
    assert saved_channel_mapping(plan.engine, plan.id) == saved
    # an empty mapping forgets it
    plan.save({})
    assert not saved_channel_mapping(plan.engine, plan.id)
    assert services.activity_log(plan.engine, plan.id)[0].summary == "Forgot the channel mapping"


def test_bad_mappings_are_refused_and_write_nothing(plan: Plan) -> None:
    version = plan.version
    with pytest.raises(InvalidInputError, match="No item 'nope'"):
        plan.save({"a": "nope"})
    with pytest.raises(InvalidInputError, match="are the same channel"):
        plan.save({"#General": plan.guild.id, "general": plan.circle.id})
    with pytest.raises(InvalidInputError, match="empty"):
        plan.save({" # ": plan.guild.id})
    too_long = "x" * (services.MAX_CHANNEL_NAME_CHARS + 1)
    with pytest.raises(InvalidInputError, match="longer than 300"):
        plan.save({too_long: plan.guild.id})
    plan.save({"c" * services.MAX_CHANNEL_NAME_CHARS: plan.guild.id})  # at the limit: saved
    many = {f"c{n}": plan.guild.id for n in range(services.MAX_CHANNEL_MAPPING + 1)}
    with pytest.raises(InvalidInputError, match="at most 1,000"):
        plan.save(many)
    many.popitem()
    plan.save(many)  # exactly the limit
    assert len(saved_channel_mapping(plan.engine, plan.id).entries) == 1_000
    assert plan.version == version + 2
    with pytest.raises(NotFoundError):
        saved_channel_mapping(plan.engine, "no-such-plan")


def test_an_archived_plan_refuses_a_mapping(plan: Plan) -> None:
    services.set_plan_status(
        plan.engine, plan.id, "archived", expected_version=plan.version, actor=DANA
    )
    with pytest.raises(InvalidInputError, match="archived"):
        plan.save({"a": plan.guild.id})
    assert not saved_channel_mapping(plan.engine, plan.id)


def test_a_removed_item_leaves_the_mapping(plan: Plan) -> None:
    plan.save({"ask-data": plan.guild.id, "design": plan.circle.id})
    services.remove_item(
        plan.engine, plan.id, plan.circle.id, expected_version=plan.version, actor=DANA
    )
    assert saved_channel_mapping(plan.engine, plan.id).entries == (("ask-data", plan.guild.id),)


def test_the_bundle_carries_the_mapping_and_a_copy_sends_it_to_the_new_items(
    plan: Plan, tmp_path: Path
) -> None:
    import json

    from planner.services.bundles import export_bundle, import_bundle
    from planner.store import make_engine, migrate

    plan.save({"#Ask-Data": plan.guild.id, "Design Circle": plan.circle.id})
    data = export_bundle(plan.engine, plan.id)
    assert json.loads(data)["channel_mapping"] == [
        {"name": "#Ask-Data", "item_id": plan.guild.id},
        {"name": "Design Circle", "item_id": plan.circle.id},
    ]
    # restored into another database: the same mapping, the same bytes but for the log
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate(other)
    restored = import_bundle(other, data, actor=DANA)
    assert restored.copy_of is None
    assert saved_channel_mapping(other, plan.id) == saved_channel_mapping(plan.engine, plan.id)
    again = json.loads(export_bundle(other, plan.id))
    first = json.loads(data)
    assert {k: v for k, v in again.items() if k != "activity"} == {
        k: v for k, v in first.items() if k != "activity"
    }
    other.dispose()
    # imported where its ids are taken: a copy, its mapping on the copy's own items
    copied = import_bundle(plan.engine, data, actor=DANA)
    assert copied.copy_of == plan.id
    items = {i.tactic_id: i.id for i in services.get_items(plan.engine, copied.plan.id)}
    assert saved_channel_mapping(plan.engine, copied.plan.id).entries == (
        ("#Ask-Data", items["data-guild"]),
        ("Design Circle", items["design-circle"]),
    )
    (entry,) = [
        e for e in services.activity_log(plan.engine, copied.plan.id) if e.action == "import"
    ]
    assert entry.after is not None and entry.after["channels"] == 2
    # the original is untouched
    assert saved_channel_mapping(plan.engine, plan.id).entries[0] == ("#Ask-Data", plan.guild.id)


def test_copying_a_plan_copies_its_mapping_onto_the_copies_items(plan: Plan) -> None:
    plan.save({"#Ask-Data": plan.guild.id})
    copy = services.copy_plan(plan.engine, plan.id, name="Guilds 2027", actor=DANA)
    (item,) = [i for i in services.get_items(plan.engine, copy.id) if i.tactic_id == "data-guild"]
    assert saved_channel_mapping(plan.engine, copy.id).entries == (("#Ask-Data", item.id),)
    (entry,) = services.activity_log(plan.engine, copy.id)
    assert entry.summary.endswith("(2 items, 1 mapped channel)")
    assert entry.after is not None and entry.after["channels"] == 1
    # without a mapping, the copy's log entry is what it always was
    plan.save({})
    plain = services.copy_plan(plan.engine, plan.id, name="Plain", actor=DANA)
    assert not saved_channel_mapping(plan.engine, plain.id)
    (entry,) = services.activity_log(plan.engine, plain.id)
    assert entry.summary.endswith("(2 items)")
    assert entry.after is not None and "channels" not in entry.after


def test_next_months_file_goes_in_by_the_saved_mapping_on_the_cli(
    plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan.save({"#ask-data": plan.guild.id, "design circle": plan.circle.id})
    url = plan.engine.url.render_as_string(hide_password=False)
    args = ["--plan", plan.id, "--db", url, "--user", "cli"]
    for name, members in ((NOV, 210), (DEC, 230)):
        path = tmp_path / name
        path.write_bytes(
            slack_channels_export(
                [("ask-data", members, 31), ("design circle", 40, 9), ("x", 1, 1)]
            )
        )
        assert main(["readings", "import", str(path), *args]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "'x' is not in the mapping" in err
    assert set(plan.slack(plan.guild.id).values()) == {210, 230}
    assert plan.slack(plan.circle.id) == {"2026-W48": 40, "2026-W52": 40}
    # --channel (with --item) still picks one row, whatever is saved
    path = tmp_path / DEC
    assert (
        main(
            [
                "readings",
                "import",
                str(path),
                *args,
                "--channel",
                "x",
                "--item",
                plan.circle.id,
                "--replace",
            ]
        )
        == 0
    )
    assert plan.slack(plan.circle.id)["2026-W52"] == 1


def test_the_mapping_to_save_merges_the_choice_into_the_saved_one(plan: Plan) -> None:
    data = slack_channels_export([("Ask-Data", 210, 31), ("Design Circle", 40, 9)])
    done = import_community_files(
        plan.engine,
        plan.id,
        [(NOV, io.BytesIO(data))],
        actor=DANA,
        channel="#ask-data",
        item_id=plan.guild.id,
    )
    saved = saved_channel_mapping(plan.engine, plan.id)
    exports = done.preview.exports
    chosen = mapping_to_save(saved, exports, mapping=None, channel="#ask-data", item_id="i")
    assert chosen == {"Ask-Data": "i"}  # the name as the file writes it
    plan.save({"Ask-Data": plan.guild.id})
    saved = saved_channel_mapping(plan.engine, plan.id)
    same = mapping_to_save(saved, exports, mapping=None, channel="ask-data", item_id=plan.guild.id)
    assert same is None  # nothing new to save
    more = mapping_to_save(
        saved, exports, mapping={"design circle": plan.circle.id}, channel=None, item_id=None
    )
    assert more == {"Ask-Data": plan.guild.id, "Design Circle": plan.circle.id}
    assert mapping_to_save(saved, exports, mapping=None, channel=None, item_id="i") is None
    # a per-person file has no channels: a channel typed for it is nothing to save
    from tests.community_files import Person, teams_export

    people = [Person(n, dt.date(2026, 11, 28)) for n in range(6)]
    from planner.services.community import preview_community_import

    per_person = preview_community_import(
        plan.engine,
        plan.id,
        [("teams.csv", io.BytesIO(teams_export(people, dt.date(2026, 11, 29), 30)))],
        item_id=plan.guild.id,
    ).exports
    assert mapping_to_save(saved, per_person, mapping=None, channel="general", item_id="i") is None


def test_a_0005_database_reaches_0006_and_back(plan: Plan) -> None:
    from sqlalchemy import inspect, text

    from planner.store import migrate
    from tests.integration.test_store import _alembic

    plan.save({"ask-data": plan.guild.id})
    _alembic(plan.engine, "downgrade", "0005")
    assert "channel_mappings" not in inspect(plan.engine).get_table_names()
    migrate(plan.engine)  # the app's next start
    assert "channel_mappings" in inspect(plan.engine).get_table_names()
    assert not saved_channel_mapping(plan.engine, plan.id)  # downgraded: the mapping went
    with plan.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == [("0006",)]
