"""An unreachable database is a message naming the host and port (or the file), exit 1, no
traceback: PostgreSQL on a closed loopback port, SQLite in a folder that cannot be made, a
SQLite path that is a folder."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from planner import services
from planner.cli import main
from planner.errors import DatabaseUnavailableError
from planner.store import make_engine, migrate, unavailable_message


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.startswith("error: ")
    return captured.err


@pytest.mark.parametrize(
    "command",
    [
        ["plans"],
        ["demo"],
        ["status", "pl_x"],
        ["export", "pl_x", "--format", "bundle"],
        ["readings", "import", "--plan", "pl_x", "--format", "csv", "r.csv"],
    ],
)
def test_a_closed_postgres_port_is_a_message_naming_host_and_port(
    command: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "r.csv").write_text("item,metric,date,value\n", encoding="utf-8")
    port = closed_port()
    url = f"postgresql+psycopg://planner@127.0.0.1:{port}/planner"
    argv = [c if c != "r.csv" else str(tmp_path / "r.csv") for c in command]
    err = _run([*argv, "--db", url], capsys)
    assert f"127.0.0.1:{port}" in err
    assert "PLANNER_DATABASE_URL" in err


def test_sqlite_in_a_folder_that_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    path = tmp_path / "a-file" / "data" / "planner.db"
    err = _run(["plans", "--db", f"sqlite:///{path}"], capsys)
    assert str(path) in err
    assert "cannot be created" in err


def test_sqlite_path_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "planner.db"
    path.mkdir()
    err = _run(["plans", "--db", f"sqlite:///{path}"], capsys)
    assert str(path) in err


def test_services_raise_it_when_the_server_goes_away() -> None:
    """A database that was reachable and is not any more: every read and write says so."""
    engine = make_engine(f"postgresql+psycopg://planner@127.0.0.1:{closed_port()}/planner")
    with pytest.raises(DatabaseUnavailableError, match=r"127\.0\.0\.1:\d+"):
        services.list_plans(engine)
    with pytest.raises(DatabaseUnavailableError):
        migrate(engine)


def test_other_database_errors_are_not_called_unreachable() -> None:
    error = OperationalError("SELECT", {}, Exception('near "SELEC": syntax error'))
    assert unavailable_message(error, make_url("sqlite:///x.db")) is None
    assert unavailable_message(ValueError("x"), make_url("sqlite:///x.db")) is None

    class Deadlock(Exception):
        sqlstate = "40P01"

    deadlock = OperationalError("UPDATE", {}, Deadlock("deadlock detected"))
    assert unavailable_message(deadlock, make_url("postgresql+psycopg://h:1/d")) is None
