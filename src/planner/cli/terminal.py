"""What every command shares: the database of --db, the person of --user, the library, dates
written on the command line, and output to a file or to stdout (text, or bytes exactly)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.limits import day_problem, write_output
from planner.errors import PlannerError
from planner.services.library import default_folders, load_library

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from planner.domain.library import Library

Handler = Callable[[argparse.Namespace], int]


def out(args: argparse.Namespace, text: str) -> None:
    target = getattr(args, "output", None)
    if target:
        write_output(Path(target), text.encode("utf-8"))
    else:
        sys.stdout.write(text)


@contextmanager
def database(args: argparse.Namespace) -> Iterator[Engine]:
    """The engine for --db, migrated, disposed of when the command ends."""
    from planner.services.database import database_url, open_database

    engine = open_database(database_url(args.db))
    try:
        yield engine
    finally:
        engine.dispose()


def actor(args: argparse.Namespace) -> str:
    from planner.services import resolve_actor

    return resolve_actor(None, None, args.user)


def library() -> Library:
    found = load_library(default_folders())
    for problem in found.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return found


def write_bytes(data: bytes, output: str | None) -> None:
    """To the file, or to stdout as bytes, so a BOM and \\r\\n line endings arrive exactly."""
    if output:
        write_output(Path(output), data)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            if (problem := day_problem(day)) is not None:
                raise PlannerError(f"--as-of: {problem}.")
            return day
    except ValueError:
        pass
    raise PlannerError(f"--as-of takes a date written YYYY-MM-DD, not '{text}'.")


def read_file(path: Path) -> bytes:
    """The file's bytes; PlannerError saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PlannerError(f"{path}: cannot read the file ({exc.strerror}).") from None
