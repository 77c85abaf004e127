"""The `planner` command: a thin wrapper over the library; user errors print cleanly and exit 1."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from planner.errors import PlannerError
from planner.playbooks import (
    BUILTIN_DIR,
    TAXONOMY_FILE,
    default_folders,
    load_library,
    playbook_json_schema,
    taxonomy_json_schema,
)

Handler = Callable[[argparse.Namespace], int]


def _out(args: argparse.Namespace, text: str) -> None:
    target = getattr(args, "output", None)
    if target:
        Path(target).write_text(text, encoding="utf-8")
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


__all__ = ["BUILTIN_DIR", "build_parser", "main"]
