"""The real repository on a temp-file SQLite and on the throwaway PostgreSQL scripts/test starts.

`engine` runs each test twice: on SQLite (a fresh file, real migrations) and on PostgreSQL (one
fresh database per test module, tables emptied before each test). Without
PLANNER_TEST_POSTGRES_URL the PostgreSQL half is skipped, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from planner.domain.playbook import Tactic
from planner.store import Base, make_engine, migrate

POSTGRES_ENV = "PLANNER_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return url
    message = f"{POSTGRES_ENV} is not set: start PostgreSQL with scripts/test"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: PostgreSQL tests must run, never skip)")
    pytest.skip(message)


class PostgresDatabases:
    """Creates uniquely named databases on the test cluster and drops them afterwards."""

    def __init__(self, base_url: str) -> None:
        self.base = make_url(base_url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def create(self) -> str:
        name = f"planner_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in self.names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="module")
def postgres_databases() -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_base_url())
    yield databases
    databases.drop_all()


@pytest.fixture(scope="module")
def postgres_engine(postgres_databases: PostgresDatabases) -> Iterator[Engine]:
    engine = make_engine(postgres_databases.create())
    migrate(engine)
    yield engine
    engine.dispose()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    """A migrated, empty database."""
    if request.param == "sqlite":
        sqlite = make_engine(f"sqlite:///{tmp_path / 'planner.db'}")
        migrate(sqlite)
        yield sqlite
        sqlite.dispose()
        return
    postgres: Engine = request.getfixturevalue("postgres_engine")
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with postgres.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield postgres


@pytest.fixture(params=BACKENDS)
def blank_engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    """A database that has never been migrated."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'blank.db'}"
    else:
        url = request.getfixturevalue("postgres_databases").create()
    blank = make_engine(url)
    yield blank
    blank.dispose()


# --- playbook tactics to plan with ------------------------------------------------------------


def build_tactic(tactic_id: str = "peer-circles", **changes: Any) -> Tactic:
    """A valid tactic; keyword arguments replace fields (metrics as a list of dicts)."""
    data: dict[str, Any] = {
        "id": tactic_id,
        "title": tactic_id.replace("-", " ").capitalize(),
        "summary": "Small groups meet every fortnight to work on real problems together.",
        "category": "communities",
        "purposes": ["share-knowledge"],
        "practices": ["peer-learning"],
        "audiences": ["frontline"],
        "owner_role": "facilitator",
        "effort_hours_per_week": 2.0,
        "duration_weeks": 8,
        "prerequisites": [],
        "stage": None,
        "steps": [
            {"week": 0, "text": "Invite members"},
            {"week": 1, "text": "First meeting"},
            {"week": 6, "text": "Retrospective"},
        ],
        "metrics": [
            _metric("members", target=12.0),
            _metric("sessions-held", target=4.0, unit="sessions"),
        ],
        "references": [{"title": "Communities of practice", "year": 1998}],
    }
    data.update(changes)
    return Tactic.model_validate(data)


def _metric(metric_id: str, *, target: float, unit: str = "people") -> dict[str, Any]:
    return {
        "id": metric_id,
        "name": metric_id.replace("-", " ").capitalize(),
        "unit": unit,
        "aggregation": "latest",
        "direction": "higher-is-better",
        "target": target,
        "cadence": "monthly",
        "definition": f"How many {unit} the tactic counts for {metric_id} each period.",
        "framework": "community-health",
    }


@pytest.fixture
def make_tactic() -> Any:
    return build_tactic


@pytest.fixture
def make_metric() -> Any:
    return _metric
