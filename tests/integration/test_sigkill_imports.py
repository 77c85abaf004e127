"""SIGKILL in the middle of a large import leaves the database as it was, on both backends.

Each case starts the real command (`python -m planner ...`) in a subprocess on a big file
(a readings CSV of 30,000 rows, an xAPI file of 40,000 statements, a plan bundle holding 30,000
readings), waits until the import is inside its write transaction and has written part of its
data, kills it with SIGKILL (no handler, no rollback of its own, no atexit), and then checks:
every table is exactly as before (a dump compared row by row), SQLite's file passes its
integrity check, and the database still opens, migrates and reads.

"Inside the transaction, data written" is observed, not guessed with a sleep: the kill comes
once 256 KB of the import's transaction has reached the log, uncommitted.
- SQLite: the importer holds the write lock (BEGIN IMMEDIATE fails at once with "locked") and
  its pages are in the write-ahead log (emptied before the start);
- PostgreSQL: another backend of the test database has a transaction id (it has written) and
  the WAL has moved on since the start.
An importer that committed in chunks fails this test (checked by committing every 500 readings).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from planner import services
from planner.cli import main
from planner.domain.periods import parse_period, period_of
from planner.services.bundles import export_bundle
from planner.store import make_engine, migrate
from tests.integration.conftest import BACKENDS
from tests.integration.test_bad_inputs import _dump

KEY = "sigkill-test-key-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]
WRITTEN = 256 * 1024  # killed once this much of its transaction has reached the log
WAIT_S = 60  # the longest a case waits for the import to reach its writes (on a busy machine)


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str, Engine]]:
    """A database holding the sample plan (with its readings and activity)."""
    monkeypatch.setenv("PLANNER_PSEUDONYM_KEY", KEY)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'planner.db'}"
    else:
        url = request.getfixturevalue("postgres_databases").create()
    engine = make_engine(url)
    migrate(engine)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", "--db", url, "--user", "sigkill"]) == 0
    yield url, out.getvalue().split()[0], engine
    engine.dispose()


# --- big files --------------------------------------------------------------------------------


def _pairs(engine: Engine, plan_id: str) -> list[tuple[str, str]]:
    return [(i.id, t.metric_id) for i in services.get_items(engine, plan_id) for t in i.targets]


def _readings_csv(engine: Engine, plan_id: str, tmp: Path, rows: int = 30_000) -> Path:
    """Readings of every item and metric, one a quarter (no two in one period), 1900 onwards."""
    pairs = _pairs(engine, plan_id)
    lines = ["item,metric,date,value"]
    quarter = 0
    while len(lines) <= rows:
        day = f"{1900 + quarter // 4:04d}-{1 + 3 * (quarter % 4):02d}-01"
        lines += [f"{item},{metric},{day},{len(lines) % 97}" for item, metric in pairs]
        quarter += 1
    path = tmp / "readings.csv"
    path.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    return path


def _xapi(engine: Engine, plan_id: str, tmp: Path, count: int = 40_000) -> Path:
    """Statements the mapping counts, each with its own id (each one is kept, to skip repeats)."""
    start = dt.datetime(2026, 9, 21, 9, tzinfo=dt.UTC)
    statements = [
        {
            "id": f"00000000-0000-4000-8000-{n:012d}",
            "actor": {"mbox": f"mailto:person{n % 500}@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/asked"},
            "object": {"id": f"https://community.example.org/spaces/troubleshooting/q{n}"},
            "timestamp": (start + dt.timedelta(minutes=n)).isoformat().replace("+00:00", "Z"),
        }
        for n in range(count)
    ]
    path = tmp / "statements.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    return path


MAPPING = """rules:
  - name: Questions
    verb: http://adlnet.gov/expapi/verbs/asked
    activity: https://community.example.org/spaces/troubleshooting/*
    tactic: cop-coalescing-launch
    metric: questions
    count: statements
"""


def _bundle(engine: Engine, plan_id: str, tmp: Path, count: int = 30_000) -> Path:
    """The sample plan's bundle with 30,000 readings: importing it (as a copy) writes them all."""
    bundle = json.loads(export_bundle(engine, plan_id))
    templates: dict[tuple[str, str], tuple[dict[str, object], str]] = {}
    for reading in bundle["readings"]:
        cadence, _period = parse_period(reading["period"])
        if cadence in ("weekly", "monthly", "quarterly"):  # one period a quarter stays distinct
            templates[(reading["item_id"], reading["metric_id"])] = (reading, cadence)
    readings: list[dict[str, object]] = []
    quarter = 0
    while len(readings) < count:
        day = dt.date(1900 + quarter // 4, 1 + 3 * (quarter % 4), 1)
        for template, cadence in templates.values():
            period = period_of(day, cadence)
            readings.append(
                {
                    **template,
                    "date": day.isoformat(),
                    "period": period.key,
                    "period_start": period.start.isoformat(),
                }
            )
        quarter += 1
    bundle["readings"] = readings[:count]
    path = tmp / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


Case = Callable[[Engine, str, str, Path], list[str]]


def _csv_case(engine: Engine, url: str, plan_id: str, tmp: Path) -> list[str]:
    path = _readings_csv(engine, plan_id, tmp)
    db = ["--db", url, "--plan", plan_id]
    return ["readings", "import", *db, "--format", "csv", "--replace", str(path)]


def _xapi_case(engine: Engine, url: str, plan_id: str, tmp: Path) -> list[str]:
    path = _xapi(engine, plan_id, tmp)
    mapping = tmp / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    db = ["--db", url, "--plan", plan_id]
    return [
        "readings",
        "import",
        *db,
        "--format",
        "xapi",
        "--replace",
        "--mapping",
        str(mapping),
        str(path),
    ]


def _bundle_case(engine: Engine, url: str, plan_id: str, tmp: Path) -> list[str]:
    return ["import", str(_bundle(engine, plan_id, tmp)), "--db", url]


CASES: dict[str, Case] = {"readings_csv": _csv_case, "xapi": _xapi_case, "bundle": _bundle_case}


# --- watching the importer ----------------------------------------------------------------------


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    assert database
    return Path(database)


def _empty_the_wal(url: str) -> None:
    connection = sqlite3.connect(_sqlite_file(url))
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _sqlite_written(url: str) -> int:
    """Bytes the importer has put in the write-ahead log while it holds the write lock, else 0."""
    path = _sqlite_file(url)
    wal = path.with_name(path.name + "-wal")
    size = wal.stat().st_size if wal.exists() else 0
    if size == 0:
        return 0
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        return size if "locked" in str(exc) else 0
    else:
        connection.execute("ROLLBACK")
        return 0
    finally:
        connection.close()


def _postgres_lsn(probe: Engine) -> int:
    with probe.connect() as connection:
        return int(
            connection.execute(
                text("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")
            ).scalar_one()
        )


def _postgres_written(probe: Engine, start: int) -> int:
    """WAL bytes since `start` while another backend of the database is in a writing
    transaction (it has a transaction id), else 0."""
    with probe.connect() as connection:
        writing = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
        ).scalar_one()
    return _postgres_lsn(probe) - start if writing else 0


@pytest.mark.parametrize("case", list(CASES))
def test_sigkill_during_a_large_import_leaves_the_database_as_it_was(
    case: str, database: tuple[str, str, Engine], tmp_path: Path
) -> None:
    url, plan_id, engine = database
    argv = CASES[case](engine, url, plan_id, tmp_path)
    before = _dump(engine)
    sqlite = engine.dialect.name == "sqlite"
    engine.dispose()
    if sqlite:
        _empty_the_wal(url)
    probe = None if sqlite else make_engine(url)
    lsn = 0 if probe is None else _postgres_lsn(probe)
    env = {**os.environ, "PLANNER_PSEUDONYM_KEY": KEY, "PYTHONPATH": str(ROOT / "src")}
    log = tmp_path / "stderr.txt"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "planner", *argv, "--user", "sigkill"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=tmp_path,
            env=env,
        )
    try:
        deadline = time.monotonic() + WAIT_S
        while True:
            assert process.poll() is None, (
                f"the import ended (exit {process.returncode}) before it could be killed "
                f"mid-write:\n{log.read_text()}"
            )
            written = _sqlite_written(url) if probe is None else _postgres_written(probe, lsn)
            if written >= WRITTEN:
                break
            assert time.monotonic() < deadline, "the import never wrote 256 KB"
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if probe is not None:
            probe.dispose()

    if sqlite:
        connection = sqlite3.connect(_sqlite_file(url))
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            connection.close()
    reopened = make_engine(url)
    try:
        migrate(reopened)  # still opens and migrates
        assert _dump(reopened) == before, f"{case}: the killed import left data behind"
        assert services.get_plan(reopened, plan_id).id == plan_id
    finally:
        reopened.dispose()
