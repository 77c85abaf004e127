"""The `planner` command: a thin wrapper over the library; user errors print cleanly and exit 1.

Commands that touch plans take `--db URL` (default: $PLANNER_DATABASE_URL, then
`[connections.planner]` in .streamlit/secrets.toml, then a SQLite file under data/) and
`--user NAME` (who is acting, recorded in the activity log; default: the operating-system user).
They import the database layers when they run, so `planner validate` starts quickly.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.limits import check_size, day_problem, disk_full_message, write_output
from planner.errors import PlannerError
from planner.exchange.playbooks import (
    BUILTIN_DIR,
    TAXONOMY_FILE,
    default_folders,
    load_library,
    playbook_json_schema,
    taxonomy_json_schema,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from planner.domain.library import Library

Handler = Callable[[argparse.Namespace], int]


def _out(args: argparse.Namespace, text: str) -> None:
    target = getattr(args, "output", None)
    if target:
        write_output(Path(target), text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] if args.paths else default_folders()
    library = load_library(paths)
    for problem in library.problems:
        print(problem)
    if library.problems:
        print(
            f"{len(library.problems)} problem(s) in {len(library.files)} file(s); "
            f"{len(library.tactics)} tactic(s) valid.",
            file=sys.stderr,
        )
        return 1
    for override in library.overrides:
        print(f"note: {override}", file=sys.stderr)
    print(f"ok: {len(library.tactics)} tactics in {len(library.files)} files", file=sys.stderr)
    return 0


LIBRARY_COLUMNS = [
    "id",
    "title",
    "category",
    "purposes",
    "practices",
    "audiences",
    "owner_role",
    "effort_hours_per_week",
    "effort",
    "duration_weeks",
    "stage",
    "prerequisites",
    "steps",
    "metrics",
    "source",
]


def cmd_library(args: argparse.Namespace) -> int:
    library = load_library(default_folders())
    for problem in library.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.format == "json":
        rows = []
        for tid, tactic in library.tactics.items():
            row = tactic.model_dump(mode="json")
            row["effort"] = tactic.effort
            row["source"] = f"{library.sources[tid].path}:{library.sources[tid].line}"
            rows.append(row)
        _out(args, json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(LIBRARY_COLUMNS)
    for tid, t in library.tactics.items():
        src = library.sources[tid]
        writer.writerow(
            [
                t.id,
                t.title,
                t.category,
                ";".join(t.purposes),
                ";".join(t.practices),
                ";".join(t.audiences),
                t.owner_role,
                t.effort_hours_per_week,
                t.effort,
                t.duration_weeks,
                t.stage or "",
                ";".join(t.prerequisites),
                len(t.steps),
                ";".join(m.id for m in t.metrics),
                f"{src.path}:{src.line}",
            ]
        )
    _out(args, buf.getvalue())
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    schema = taxonomy_json_schema() if args.taxonomy else playbook_json_schema()
    _out(args, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0


# --- plans: list, sample, export, import ----------------------------------------------------


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Engine]:
    """The engine for --db, migrated, disposed of when the command ends."""
    from planner.services.database import database_url, open_database

    engine = open_database(database_url(args.db))
    try:
        yield engine
    finally:
        engine.dispose()


def _actor(args: argparse.Namespace) -> str:
    from planner.services import resolve_actor

    return resolve_actor(None, None, args.user)


def _library() -> Library:
    library = load_library(default_folders())
    for problem in library.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return library


def _write_bytes(data: bytes, output: str | None) -> None:
    """To the file, or to stdout as bytes, so a BOM and \\r\\n line endings arrive exactly."""
    if output:
        write_output(Path(output), data)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


PLAN_LIST_COLUMNS = ("id", "name", "status", "start", "version")


def cmd_plans(args: argparse.Namespace) -> int:
    from planner import services

    with _database(args) as engine:
        plans = services.list_plans(engine)
    rows = [
        {
            "id": p.id,
            "name": p.name,
            "status": p.status,
            "start": p.start_date.isoformat(),
            "version": p.version,
        }
        for p in plans
    ]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    if not rows:
        print(
            "No plans yet: `planner demo` creates a sample plan, `planner import FILE` "
            "restores or imports one.",
            file=sys.stderr,
        )
        return 0
    table = [[c.upper() for c in PLAN_LIST_COLUMNS]]
    table.extend([str(row[c]) for c in PLAN_LIST_COLUMNS] for row in rows)
    widths = [max(len(line[k]) for line in table) for k in range(len(PLAN_LIST_COLUMNS))]
    for line in table:
        print(
            "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from planner.services.sample import create_sample_plan

    library = _library()
    with _database(args) as engine:
        plan = create_sample_plan(engine, library, actor=_actor(args))
    print(f"{plan.id}\t{plan.name}")
    return 0


def _as_of(text: str | None) -> date:
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


def cmd_export(args: argparse.Namespace) -> int:
    from planner.exchange import export_review_csv
    from planner.services.bundles import export_bundle

    if args.excel and args.format != "csv":
        raise PlannerError(
            f"--excel applies to the review CSV (--format csv), not to {args.format}."
        )
    if args.format == "bundle" and args.as_of is not None:
        raise PlannerError("--as-of applies to reports, not to a bundle (it holds everything).")
    as_of = _as_of(args.as_of)
    with _database(args) as engine:
        if args.format == "bundle":
            data = export_bundle(engine, args.plan)
        elif args.format == "csv":
            data = export_review_csv(engine, args.plan, as_of=as_of, excel=args.excel)
        else:
            data = _export_report(engine, args.plan, args.format, as_of)
    _write_bytes(data, args.output)
    if args.output:
        print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def _export_report(engine: Engine, plan_id: str, kind: str, as_of: date) -> bytes:
    """A review report: md, ics, xlsx or html (`planner.exchange.report`)."""
    if kind == "md":
        from planner.exchange.markdown import export_markdown

        return export_markdown(engine, plan_id, as_of=as_of)
    if kind == "ics":
        from planner.exchange.ical import export_ics

        return export_ics(engine, plan_id, as_of=as_of)
    if kind == "xlsx":
        from planner.exchange.xlsx import export_xlsx

        return export_xlsx(engine, plan_id, as_of=as_of)
    from planner.exchange.html_report import export_html

    return export_html(engine, plan_id, as_of=as_of)


def cmd_import(args: argparse.Namespace) -> int:
    from planner.exchange import looks_like_bundle
    from planner.services.plan_import import import_file

    path = Path(args.file)
    try:
        # Refused before it is read when it is bigger than any file `import` takes.
        check_size(path.stat().st_size, "plan bundle", path.name)
        data = path.read_bytes()
    except OSError as exc:
        raise PlannerError(f"{path}: cannot read the file ({exc.strerror}).") from None
    tactics = {} if looks_like_bundle(data) else _library().tactics
    with _database(args) as engine:
        done = import_file(
            engine,
            data,
            actor=_actor(args),
            tactics=tactics,
            source=path.name,
            plan_id=args.plan,
            name=args.name,
        )
    what = f"{done.items} item{'' if done.items == 1 else 's'}"
    if done.copy_of:
        print(
            f"{path.name}: imported as a copy, since {done.copy_reason} ({what}).",
            file=sys.stderr,
        )
    elif not done.created:
        print(f"{path.name}: added {what} to the plan.", file=sys.stderr)
    else:
        print(f"{path.name}: imported the plan with {what}.", file=sys.stderr)
    if done.people_added:
        print(f"added people: {', '.join(done.people_added)}", file=sys.stderr)
    print(f"{done.plan.id}\t{done.plan.name}")
    return 0


# --- adoption: readings and status ----------------------------------------------------------


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
    from planner.exchange.community import Window

    if args.window_end is None and args.window_days is None:
        return None
    if args.window_end is None or args.window_days is None:
        raise PlannerError("Give the window as both --window-end DATE and --window-days N.")
    if args.window_days < 1:
        raise PlannerError(f"--window-days {args.window_days}: give at least 1 day.")
    return Window.ending(_as_of(args.window_end), args.window_days)


def _rows_progress() -> Callable[[str, int], None]:
    """Rows read so far, on one line when stderr is a terminal."""
    tty = sys.stderr.isatty()

    def show(name: str, count: int) -> None:
        end = "\r" if tty else "\n"
        print(f"{name}: {count:,} rows read", end=end, file=sys.stderr, flush=True)

    return show


def _cmd_community_import(args: argparse.Namespace, engine: Engine, paths: list[Path]) -> int:
    from planner.domain.privacy import suppress
    from planner.services import community

    mapping = None
    if args.mapping:
        from planner import services

        path = Path(args.mapping)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PlannerError(f"{path}: cannot read the file ({exc.strerror}).") from None
        items = services.get_items(engine, args.plan)
        mapping = community.load_channel_mapping(data, items, name=path.name)
    result = community.import_community_paths(
        engine,
        args.plan,
        paths,
        actor=_actor(args),
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
    for export in result.preview.exports:
        left_out = suppress(export.opted_out, distinct_people=True)
        print(
            f"{export.file}: {export.label}, {export.window.describe()} (from "
            f"{export.window_from}), {export.rows:,} rows"
            + (f", opted-out people left out: {left_out}" if export.opted_out else ""),
            file=sys.stderr,
        )
    for r in result.preview.readings:
        shown = suppress(r.value, distinct_people=r.distinct_people)
        value = f"{shown:g}" if isinstance(shown, float) else shown
        print(f"  '{r.item_title}', {r.metric_name}, {r.period}: {value}", file=sys.stderr)
    for note in result.preview.skipped:
        print(f"  skipped: {note}", file=sys.stderr)
    print(result.describe(), file=sys.stderr)
    return 0


def cmd_readings_import(args: argparse.Namespace) -> int:
    from planner.services import adoption, readings

    paths = [Path(f) for f in args.files]
    kind = args.format if args.format != "auto" else _file_kinds(paths)
    if kind != "community" and (args.item or args.channel or args.window_end or args.window_days):
        raise PlannerError(
            "--item, --channel and --window-* apply to community tool exports, not to "
            f"{'xAPI' if kind == 'xapi' else 'a readings CSV'}."
        )
    with _database(args) as engine:
        if kind == "community":
            return _cmd_community_import(args, engine, paths)
        if kind == "csv":
            if args.mapping:
                raise PlannerError("--mapping applies to --format xapi, not to a readings CSV.")
            total = readings.RecordedReadings(0, 0, 0)
            # Several CSVs are checked and written one at a time; each is all or nothing.
            for path in paths:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise PlannerError(f"{path}: cannot read the file ({exc.strerror}).") from None
                done = readings.import_readings_csv(
                    engine,
                    args.plan,
                    data,
                    actor=_actor(args),
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
        mapping = Path(args.mapping) if args.mapping else None
        result = adoption.import_xapi_paths(
            engine,
            args.plan,
            paths,
            actor=_actor(args),
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


STATUS_FIELDS = (
    "item_id", "item", "metric", "unit", "status", "actual", "target", "expected",
    "progress", "baseline", "baseline_source", "due", "last_reading",
)  # fmt: skip


def cmd_status(args: argparse.Namespace) -> int:
    from planner.domain.privacy import counts_distinct_people, suppress
    from planner.domain.progress import figure_text, is_count, percent_text
    from planner.services import readings

    as_of = _as_of(args.as_of)
    with _database(args) as engine:
        progress = readings.plan_status(engine, args.plan, as_of)
    rows = []
    for r in progress.rows:
        people = counts_distinct_people(r.metric)
        rows.append(
            {
                "item_id": r.item_id,
                "item": r.item_title,
                "metric": r.metric_id,
                "unit": r.metric.unit,
                "status": r.status,
                "actual": suppress(r.actual, distinct_people=people),
                "target": r.target,
                "expected": r.expected,
                "progress": r.progress,
                "baseline": r.baseline,
                "baseline_source": r.baseline_source,
                "due": r.due.isoformat(),
                "last_reading": r.last_reading.isoformat() if r.last_reading else None,
            }
        )
    if args.format == "json":
        document = {
            "plan": args.plan,
            "as_of": as_of.isoformat(),
            "adoption_index": progress.adoption_index,
            "index_coverage": {
                "counted": progress.coverage.counted,
                "total": progress.coverage.total,
            },
            "items": progress.item_counts(),
            "metrics": rows,
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0
    print(f"Adoption index as of {as_of.isoformat()}: {progress.index_text}")
    headers = ("ITEM", "METRIC", "STATUS", "ACTUAL", "EXPECTED", "TARGET", "PROGRESS")

    table = [list(headers)]
    for row, found in zip(rows, progress.rows, strict=True):
        count = is_count(found.metric)  # whole numbers for counts, else at most 2 decimals
        table.append(
            [
                str(row["item"])[:40],
                str(row["metric"])[:32],
                str(row["status"]),
                figure_text(row["actual"], count=count),
                figure_text(row["expected"], count=count),
                figure_text(row["target"], count=count),
                percent_text(found.progress),
            ]
        )
    widths = [max(len(line[k]) for line in table) for k in range(len(headers))]
    for line in table:
        print("  ".join(t.ljust(w) for t, w in zip(line, widths, strict=True)).rstrip())
    return 0


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $PLANNER_DATABASE_URL, then .streamlit/secrets.toml, "
        "then sqlite:///data/planner.db)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who is acting, recorded in the activity log (default: the operating-system user)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Informal Learning Planner: playbooks, rollout plans, adoption and reviews.",
        allow_abbrev=False,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "validate",
        help="check playbooks; exit 1 with one file:line:col line per problem",
        description=(
            "Without PATH, check the library exactly as the dashboard loads it (built-ins, then "
            "PLANNER_PLAYBOOKS). With PATHs, check those files or folders as one library on top "
            f"of the built-in {TAXONOMY_FILE}, later paths overriding earlier ones."
        ),
        allow_abbrev=False,
    )
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser(
        "library",
        help="all tactics after overrides, as JSON or CSV",
        allow_abbrev=False,
    )
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(handler=cmd_library)

    p = sub.add_parser(
        "schema",
        help="JSON Schema of the playbook format (or of taxonomy.yaml with --taxonomy)",
        allow_abbrev=False,
    )
    p.add_argument("--taxonomy", action="store_true", help="the schema of taxonomy.yaml")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(handler=cmd_schema)

    p = sub.add_parser(
        "plans",
        help="list the plans in the database",
        description="Plans by name, archived ones last. JSON: a list of objects with id, "
        "name, status, start (YYYY-MM-DD) and version.",
        allow_abbrev=False,
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    _data_options(p)
    p.set_defaults(handler=cmd_plans)

    p = sub.add_parser(
        "demo",
        help="create the sample plan (a six-month rollout for a support organisation)",
        description="Create the sample plan and its people; print its id and name.",
        allow_abbrev=False,
    )
    _data_options(p)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser(
        "export",
        help="a plan as the review CSV or as a bundle (JSON backup)",
        description="--format csv: the review CSV, one row per item and metric (UTF-8, CRLF "
        "line endings; --excel adds a byte order mark). --format bundle: everything about the "
        "plan in one JSON file that `planner import` restores. Both are the same bytes for the "
        "same plan (and, for the CSV, the same --as-of date).",
        allow_abbrev=False,
    )
    p.add_argument("plan", metavar="PLAN", help="the plan's id (see `planner plans`)")
    p.add_argument(
        "--format", choices=["csv", "bundle", "xlsx", "ics", "md", "html"], required=True
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of to stdout")
    p.add_argument(
        "--as-of", metavar="DATE", help="YYYY-MM-DD (every format but bundle; default: today)"
    )
    p.add_argument("--excel", action="store_true", help="UTF-8 with BOM for Excel (CSV only)")
    _data_options(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "import",
        help="restore a plan bundle, or import a plan CSV",
        description="A bundle (JSON) restores its plan; a plan whose id already exists comes "
        "in as a copy. A plan CSV (columns: tactic, title, owner, team, audience, start, "
        "duration_weeks, status, notes) becomes a new plan named after the file (or --name), "
        "or with --plan adds its rows to that plan. The kind of file is told by its content. "
        "All or nothing: on any problem nothing is written.",
        allow_abbrev=False,
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--plan", metavar="PLAN", help="add a CSV's items to this plan (its id)")
    p.add_argument("--name", metavar="NAME", help="name of the new plan")
    _data_options(p)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "readings",
        help="adoption readings: import them from CSV or xAPI",
        allow_abbrev=False,
    )
    readings_sub = p.add_subparsers(dest="readings_command", required=True, metavar="COMMAND")
    p = readings_sub.add_parser(
        "import",
        help="import readings from CSV files or xAPI statements",
        description="--format csv: columns item (item id, or a tactic id when the plan has one "
        "item for it), metric, date (YYYY-MM-DD), value, note; a reading for a period that "
        "already has one stops the import unless --replace. --format xapi: JSON arrays, LRS "
        "StatementResult objects or JSON lines, all files one batch; mapped by --mapping "
        "(default: mappings/xapi-sample.yaml); statements seen before are skipped; --replace "
        "recomputes the periods the batch touches from this batch alone. --format community: "
        "analytics exports of Microsoft Teams, Viva Engage, Slack and Discourse (recognised "
        "by their header) as community-health readings of --item, filed under the period "
        "holding the window's last day; Slack's window comes from its file name, else "
        "--window-end and --window-days. --format auto tells the kinds apart. Without "
        "--skip-invalid, any invalid row or statement stops the import. A stopped import "
        "writes nothing and exits 1.",
        allow_abbrev=False,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--plan", required=True, metavar="PLAN", help="the plan's id")
    p.add_argument(
        "--format",
        choices=["auto", "csv", "xapi", "community"],
        default="auto",
        help="auto (default): told from each file's content",
    )
    p.add_argument(
        "--mapping",
        metavar="FILE",
        help="xAPI mapping rules (YAML); community exports: channel, group or category names "
        "to item ids (YAML, `name: item`)",
    )
    p.add_argument("--item", metavar="ITEM", help="community exports: the item the figures go to")
    p.add_argument(
        "--channel",
        metavar="NAME",
        help="community exports: the channel, group or category of a per-community file",
    )
    p.add_argument(
        "--window-end", metavar="DATE", help="community exports: last day covered (YYYY-MM-DD)"
    )
    p.add_argument("--window-days", type=int, metavar="N", help="community exports: days covered")
    p.add_argument("--replace", action="store_true", help="replace readings already there")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="xAPI: import the valid statements and report the invalid ones",
    )
    _data_options(p)
    p.set_defaults(handler=cmd_readings_import)

    p = sub.add_parser(
        "status",
        help="where a plan stands: each item and metric against its target",
        allow_abbrev=False,
    )
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--as-of", metavar="DATE", help="YYYY-MM-DD (default: today)")
    _data_options(p)
    p.set_defaults(handler=cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except PlannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - e.g. `planner library | head`
        return 0
    except Exception as exc:
        # A full disk (the database's or the terminal's) is the user's to fix, not a bug.
        message = disk_full_message(exc)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return 1


__all__ = ["BUILTIN_DIR", "build_parser", "main"]
