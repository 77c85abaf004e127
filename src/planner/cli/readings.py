"""`planner readings import`: adoption readings from readings CSVs, xAPI statements or community
tools' exports, told apart by content with --format auto. Each import is all or nothing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.terminal import actor, as_of, database, read_file
from planner.errors import PlannerError

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _terminal_progress(label: str) -> Callable[[int], None]:
    """Progress on stderr for long imports, on one line when stderr is a terminal."""
    tty = sys.stderr.isatty()

    def show(count: int) -> None:
        end = "\r" if tty else "\n"
        print(f"{label}: {count:,} statements read", end=end, file=sys.stderr, flush=True)

    return show


def _file_kinds(paths: Sequence[Path]) -> str:
    """--format auto: the one kind of file the paths are (xapi, csv or community)."""
    from planner.services.community import file_kind

    kinds: dict[str, list[str]] = {}
    for path in paths:
        try:
            with path.open("rb") as f:
                head = f.read(4096)
        except OSError as exc:
            raise PlannerError(f"{path}: cannot read the file ({exc.strerror}).") from None
        kinds.setdefault(file_kind(head), []).append(path.name)
    if len(kinds) > 1:
        names = {"xapi": "xAPI", "csv": "readings CSV", "community": "community tool export"}
        listed = "; ".join(f"{names[k]}: {', '.join(v)}" for k, v in kinds.items())
        raise PlannerError(
            f"The files are of different kinds ({listed}); import each kind with its own "
            "command, so each import is all or nothing."
        )
    return next(iter(kinds))


def _window(args: argparse.Namespace) -> object:
    from planner.services.figures import window

    if args.window_end is None and args.window_days is None:
        return None
    if args.window_end is None or args.window_days is None:
        raise PlannerError("Give the window as both --window-end DATE and --window-days N.")
    if args.window_days < 1:
        raise PlannerError(f"--window-days {args.window_days}: give at least 1 day.")
    return window(as_of(args.window_end), args.window_days)


def _rows_progress() -> Callable[[str, int], None]:
    """Rows read so far, on one line when stderr is a terminal."""
    tty = sys.stderr.isatty()

    def show(name: str, count: int) -> None:
        end = "\r" if tty else "\n"
        print(f"{name}: {count:,} rows read", end=end, file=sys.stderr, flush=True)

    return show


def _community_import(args: argparse.Namespace, engine: Engine, paths: list[Path]) -> int:
    from planner.services import community
    from planner.services.figures import community_preview_lines

    mapping = None
    if args.mapping:
        from planner import services

        path = Path(args.mapping)
        data = read_file(path)
        items = services.get_items(engine, args.plan)
        mapping = community.load_channel_mapping(data, items, name=path.name)
    elif not args.item and not args.channel:
        # the mapping saved with the plan (Progress page), if any
        mapping = community.saved_channel_mapping(engine, args.plan).mapping or None
    result = community.import_community_paths(
        engine,
        args.plan,
        paths,
        actor=actor(args),
        item_id=args.item,
        channel=args.channel,
        window=_window(args),
        mapping=mapping,
        replace=args.replace,
        on_file=lambda name: print(f"reading {name} ...", file=sys.stderr, flush=True),
        on_progress=_rows_progress(),
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for line in community_preview_lines(result.preview):
        print(line, file=sys.stderr)
    print(result.describe(), file=sys.stderr)
    return 0


def _csv_import(args: argparse.Namespace, engine: Engine, paths: list[Path]) -> int:
    from planner.services import readings

    if args.mapping:
        raise PlannerError("--mapping applies to --format xapi, not to a readings CSV.")
    total = readings.RecordedReadings(0, 0, 0)
    # Several CSVs are checked and written one at a time; each is all or nothing.
    for path in paths:
        data = read_file(path)
        done = readings.import_readings_csv(
            engine,
            args.plan,
            data,
            actor=actor(args),
            replace=args.replace,
            source_name=path.name,
        )
        total = readings.RecordedReadings(
            total.created + done.created,
            total.replaced + done.replaced,
            total.unchanged + done.unchanged,
        )
    print(
        f"{total.created:,} reading(s) created, {total.replaced:,} replaced, "
        f"{total.unchanged:,} unchanged.",
        file=sys.stderr,
    )
    return 0


def cmd_readings_import(args: argparse.Namespace) -> int:
    from planner.services import adoption

    paths = [Path(f) for f in args.files]
    kind = args.format if args.format != "auto" else _file_kinds(paths)
    if kind != "community" and (args.item or args.channel or args.window_end or args.window_days):
        raise PlannerError(
            "--item, --channel and --window-* apply to community tool exports, not to "
            f"{'xAPI' if kind == 'xapi' else 'a readings CSV'}."
        )
    with database(args) as engine:
        if kind == "community":
            return _community_import(args, engine, paths)
        if kind == "csv":
            return _csv_import(args, engine, paths)
        mapping = Path(args.mapping) if args.mapping else None
        result = adoption.import_xapi_paths(
            engine,
            args.plan,
            paths,
            actor=actor(args),
            mapping=mapping,
            replace=args.replace,
            skip_invalid=args.skip_invalid,
            on_progress=_terminal_progress("xAPI"),
        )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for line in result.details():
        print(line, file=sys.stderr)
    print(result.describe(), file=sys.stderr)
    return 0
