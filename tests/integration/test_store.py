"""Storage: migrations, engine settings, where the database is, one transaction per action."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from planner import services
from planner.domain.planning import Person
from planner.errors import ConflictError, PlannerError
from planner.store import (
    DEFAULT_URL,
    Base,
    PersonRow,
    Repository,
    TacticSnapshotRow,
    make_engine,
    migrate,
    resolve_database_url,
    uow,
)

TABLES = {"people", "plans", "plan_items", "item_targets", "tactic_snapshots", "activity"}


# --- migrations --------------------------------------------------------------------------------


def test_migrate_creates_the_tables_and_a_second_run_changes_nothing(blank_engine: Engine) -> None:
    assert not TABLES & set(inspect(blank_engine).get_table_names())

    migrate(blank_engine)
    migrate(blank_engine)

    assert set(inspect(blank_engine).get_table_names()) >= TABLES
    with blank_engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == [("0006",)]


def test_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_keeps_existing_data(engine: Engine) -> None:
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    migrate(engine)
    assert services.get_plan(engine, plan.id) == plan


# --- the engine -------------------------------------------------------------------------------


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'planner.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "nested" / "folder" / "planner.db").exists()
    engine.dispose()


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    with pytest.raises(Exception, match=r"(?i)foreign key"), uow(engine) as session:
        session.execute(
            text("UPDATE plans SET lead_id = 'pe_nobody' WHERE id = :id"), {"id": plan.id}
        )
    assert services.get_plan(engine, plan.id).lead_id is None


def test_a_url_that_is_not_one_is_a_clear_error() -> None:
    with pytest.raises(PlannerError, match="not a database URL"):
        make_engine("planner.db")


def test_timestamps_are_stored_and_read_back_in_utc(engine: Engine) -> None:
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    stored = services.get_plan(engine, plan.id).updated_at
    assert stored is not None and stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0)
    assert abs(stored - datetime.now(UTC)) < timedelta(minutes=1)
    # An aware time in another zone is converted, not relabelled.
    two_hours_east = timezone(timedelta(hours=2))
    with uow(engine) as session:
        session.execute(
            PersonRow.__table__.insert(),
            [
                {
                    "id": "pe_zoned",
                    "name": "Zoned",
                    "email": None,
                    "role": "",
                    "team": "",
                    "capacity_hours_per_week": 4.0,
                    "updated_at": datetime(2027, 1, 12, 16, 0, tzinfo=two_hours_east),
                    "updated_by": "test",
                }
            ],
        )
    with uow(engine, write=False) as session:
        at = session.scalar(select(PersonRow.updated_at).where(PersonRow.id == "pe_zoned"))
    assert at == datetime(2027, 1, 12, 14, 0, tzinfo=UTC)


# --- where the database is --------------------------------------------------------------------


def _write_secrets(folder: Path, body: str) -> None:
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(body, encoding="utf-8")


def test_database_url_default_is_a_file_under_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    assert resolve_database_url(None) == DEFAULT_URL == "sqlite:///data/planner.db"
    assert (tmp_path / "data").is_dir()


def test_database_url_comes_from_secrets_then_env_then_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    _write_secrets(tmp_path, '[connections.planner]\nurl = "sqlite:///from-secrets.db"\n')
    assert resolve_database_url(None) == "sqlite:///from-secrets.db"

    monkeypatch.setenv("PLANNER_DATABASE_URL", "sqlite:///from-env.db")
    assert resolve_database_url(None) == "sqlite:///from-env.db"

    assert resolve_database_url("sqlite:///from-flag.db") == "sqlite:///from-flag.db"
    assert not (tmp_path / "data").exists()


def test_empty_settings_fall_through_to_the_next_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANNER_DATABASE_URL", "  ")
    _write_secrets(tmp_path, '[connections.other]\nurl = "sqlite:///other.db"\n')
    assert resolve_database_url("") == DEFAULT_URL


def test_secrets_may_give_the_url_in_parts_as_st_connection_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    _write_secrets(
        tmp_path,
        "[connections.planner]\n"
        'dialect = "postgresql"\ndriver = "psycopg"\nhost = "db.example.org"\nport = 5432\n'
        'database = "planner"\nusername = "ld"\npassword = "s3cret"\n',
    )
    assert (
        resolve_database_url(None) == "postgresql+psycopg://ld:s3cret@db.example.org:5432/planner"
    )


def test_a_broken_secrets_file_is_named_in_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    _write_secrets(tmp_path, "[connections.planner\nurl = \n")
    with pytest.raises(PlannerError, match=r"secrets\.toml.*line 1"):
        resolve_database_url(None)


# --- transactions -------------------------------------------------------------------------------


def test_a_unit_of_work_commits_at_the_end_and_rolls_back_on_error(engine: Engine) -> None:
    at = datetime.now(UTC)
    with pytest.raises(RuntimeError), uow(engine) as session:
        Repository(session).add_person(Person(id="pe_lost", name="Lost"), actor="t", at=at)
        raise RuntimeError("the action failed half-way")
    with uow(engine) as session:
        Repository(session).add_person(Person(id="pe_kept", name="Kept"), actor="t", at=at)
    assert [p.id for p in services.list_people(engine)] == ["pe_kept"]


def test_concurrent_saves_on_one_version_let_exactly_one_through(engine: Engine) -> None:
    """No 'database is locked' and no deadlock: the others are told someone saved first."""
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    writers = 6
    barrier = threading.Barrier(writers)
    outcomes: list[Any] = []

    def save(n: int) -> None:
        barrier.wait()
        try:
            services.rename_plan(
                engine, plan.id, f"Name {n}", expected_version=1, actor=f"writer {n}"
            )
            outcomes.append("saved")
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("saved") == 1, outcomes
    refused = [o for o in outcomes if o != "saved"]
    assert all(isinstance(o, ConflictError) for o in refused), refused
    assert all("renamed the plan" in str(o) for o in refused)
    assert services.get_plan(engine, plan.id).version == 2


def test_a_tactic_added_many_times_is_stored_once(engine: Engine, make_tactic: Any) -> None:
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    circles = make_tactic("peer-circles")
    services.add_tactic_items(engine, plan.id, [circles] * 5, expected_version=1, actor="dana")
    other = services.copy_plan(engine, plan.id, name="Support rollout (copy)", actor="dana")
    with uow(engine, write=False) as session:
        assert session.scalar(select(func.count()).select_from(TacticSnapshotRow)) == 1
    assert [i.snapshot for i in services.get_items(engine, other.id)] == [circles] * 5


# --- boundaries -------------------------------------------------------------------------------


def test_the_planner_library_never_loads_streamlit() -> None:
    code = (
        "import sys, planner, planner.store, planner.services, planner.domain.planning\n"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _alembic(engine: Engine, command_name: str, revision: str) -> None:
    """Run one Alembic command as `migrate` does (SQLite foreign keys off while tables move)."""
    from alembic import command
    from alembic.config import Config

    from planner.store import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        with connection.begin():
            config.attributes["connection"] = connection
            getattr(command, command_name)(config, revision)


def test_a_0003_database_upgrades_to_item_effort_and_keeps_its_items(engine: Engine) -> None:
    from planner.exchange.playbooks import load_default_library

    tactic = next(iter(load_default_library().tactics.values()))
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    [from_tactic] = services.add_tactic_items(
        engine, plan.id, [tactic], expected_version=plan.version, actor="dana"
    )
    custom = services.add_custom_item(
        engine, plan.id, title="Run the forum", expected_version=plan.version + 1, actor="dana"
    )
    _alembic(engine, "downgrade", "0003")
    columns = {c["name"] for c in inspect(engine).get_columns("plan_items")}
    assert "effort_hours_per_week" not in columns

    migrate(engine)  # what the app does on its next start

    items = {i.id: i for i in services.open_plan(engine, plan.id).items}
    assert items[from_tactic.id] == from_tactic and items[custom.id] == custom
    assert items[from_tactic.id].effort_hours_per_week is None  # the tactic's figure
    assert items[from_tactic.id].effort == tactic.effort_hours_per_week
    assert items[custom.id].effort == 0.0
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("0006",)
        ]


def test_item_effort_is_stored_and_read_back(engine: Engine) -> None:
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    item = services.add_custom_item(
        engine,
        plan.id,
        title="Run the forum",
        expected_version=plan.version,
        actor="dana",
        effort_hours_per_week=2.5,
    )
    [stored] = services.open_plan(engine, plan.id).items
    assert stored == item and stored.effort == 2.5


# --- the store's modules ----------------------------------------------------------------------

STORE_NAMES = [
    "ACTION_ITEMS",
    "ACTIVITY",
    "ActionItemRecord",
    "ActionItemRow",
    "ActivityRow",
    "BUSY_TIMEOUT_MS",
    "Base",
    "CONNECT_TIMEOUT_S",
    "DEFAULT_URL",
    "ENV_VAR",
    "Engine",
    "ITEMS",
    "ItemTargetRow",
    "MIGRATIONS_DIR",
    "NewActivity",
    "OPT_OUTS",
    "OptOutRow",
    "PEOPLE",
    "PLANS",
    "PersonRow",
    "PlanItemRow",
    "PlanRow",
    "READINGS",
    "READING_SOURCES",
    "REVIEWS",
    "REVIEW_DECISIONS",
    "Reading",
    "ReadingKey",
    "ReadingRow",
    "Repository",
    "ReviewDecisionRow",
    "ReviewRecord",
    "ReviewRepository",
    "ReviewRow",
    "SECRETS_FILE",
    "SNAPSHOTS",
    "STORIES",
    "Story",
    "StoryRow",
    "TARGETS",
    "TacticSnapshotRow",
    "UTCDateTime",
    "XAPI_PEOPLE",
    "XAPI_STATEMENTS",
    "XapiPersonRow",
    "XapiStatementRow",
    "make_engine",
    "migrate",
    "resolve_database_url",
    "snapshot_hash",
    "unavailable_message",
    "uow",
]
"""Every public name `planner.store` had as one module: callers import them from it."""

REPOSITORY_METHODS = [
    "activity",
    "add_items",
    "add_opt_outs",
    "add_person",
    "add_plan",
    "add_readings",
    "add_statement_ids",
    "add_stories",
    "add_story",
    "add_xapi_people",
    "change_stamp",
    "delete_readings",
    "delete_story",
    "delete_xapi_people",
    "entity_activity",
    "imported_statement_ids",
    "item",
    "items",
    "lock_person",
    "lock_plan",
    "log",
    "log_one",
    "missing_people",
    "next_position",
    "opt_out_hashes",
    "people",
    "person",
    "person_by_email",
    "person_versions",
    "plan",
    "plans",
    "reading",
    "reading_summaries",
    "readings",
    "readings_for",
    "remove_item",
    "save_items",
    "save_person",
    "save_plan",
    "save_story",
    "stories",
    "story",
    "update_readings",
    "xapi_people",
]
REVIEW_REPOSITORY_METHODS = [
    "action_item",
    "action_items",
    "activity_since",
    "add_action_items",
    "add_decisions",
    "add_review",
    "decisions",
    "readings_added_since",
    "review",
    "reviews",
    "save_action_items",
    "scrub_reviews",
]


def test_the_store_keeps_every_public_name_and_repository_method_it_had() -> None:
    import planner.store
    from planner.store import ReviewRepository

    missing = [n for n in STORE_NAMES if not hasattr(planner.store, n)]
    assert missing == []
    assert [m for m in REPOSITORY_METHODS if not callable(getattr(Repository, m, None))] == []
    every = REPOSITORY_METHODS + REVIEW_REPOSITORY_METHODS
    assert [m for m in every if not callable(getattr(ReviewRepository, m, None))] == []


def test_store_modules_have_one_job_each_and_stay_small() -> None:
    import planner.store

    folder = Path(planner.store.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert len(sizes) > 5, "the store is split into modules"
    assert {name: n for name, n in sizes.items() if n > 400} == {}
    assert sizes["__init__.py"] < 100, "planner.store only documents and re-exports"


def test_a_repository_reads_back_what_it_wrote_through_each_part(engine: Engine) -> None:
    # One transaction, four parts of the repository: plans, people, the log, adoption evidence.
    plan = services.create_plan(engine, name="Support rollout", actor="dana")
    at = datetime(2027, 1, 4, 9, tzinfo=UTC)
    with uow(engine) as session:
        repo = Repository(session)
        repo.lock_plan(plan.id)
        assert repo.plan(plan.id, lock="update") == plan
        repo.add_person(Person(id="p1", name="Ana", email="ana@example.org"), actor="dana", at=at)
        repo.log_one(
            plan_id=plan.id,
            version=1,
            at=at,
            actor="dana",
            action="add",
            entity="person",
            entity_id="p1",
            summary="Added Ana",
        )
        assert repo.add_opt_outs(["ab" * 32, "ab" * 32], at=at) == 1
    with uow(engine, write=False) as session:
        repo = Repository(session)
        assert [p.name for p in repo.people()] == ["Ana"]
        assert repo.entity_activity("person", "p1")[0].summary == "Added Ana"
        assert repo.change_stamp() >= 1
        assert repo.opt_out_hashes() == {"ab" * 32}
