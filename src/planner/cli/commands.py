"""The commands about playbooks (validate, library, schema) and plans (plans, demo, export,
import, status): each reads its options, calls `planner.services` and prints."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from planner.cli.terminal import actor, as_of, database, library, out, write_bytes
from planner.domain.limits import check_size
from planner.errors import PlannerError
from planner.services.library import (
    default_folders,
    library_for,
    load_library,
    playbook_json_schema,
    taxonomy_json_schema,
)


def cmd_validate(args: argparse.Namespace) -> int:
    library = library_for([Path(p) for p in args.paths])
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
        out(args, json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
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
    out(args, buf.getvalue())
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    schema = taxonomy_json_schema() if args.taxonomy else playbook_json_schema()
    out(args, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0


PLAN_LIST_COLUMNS = ("id", "name", "status", "start", "version")


def cmd_plans(args: argparse.Namespace) -> int:
    from planner import services

    with database(args) as engine:
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

    playbooks = library()
    with database(args) as engine:
        plan = create_sample_plan(engine, playbooks, actor=actor(args))
    print(f"{plan.id}\t{plan.name}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from planner.services.exports import export_format, export_plan

    chosen = export_format(args.format)
    if args.excel and not chosen.excel_variant:
        raise PlannerError(
            f"--excel applies to the review CSV (--format csv), not to {args.format}."
        )
    if not chosen.takes_as_of and args.as_of is not None:
        raise PlannerError("--as-of applies to reports, not to a bundle (it holds everything).")
    day = as_of(args.as_of)
    with database(args) as engine:
        data = export_plan(engine, args.plan, chosen.name, as_of=day, excel=args.excel)
    write_bytes(data, args.output)
    if args.output:
        print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from planner.services.plan_import import import_file, looks_like_bundle

    path = Path(args.file)
    try:
        # Refused before it is read when it is bigger than any file `import` takes.
        check_size(path.stat().st_size, "plan bundle", path.name)
        data = path.read_bytes()
    except OSError as exc:
        raise PlannerError(f"{path}: cannot read the file ({exc.strerror}).") from None
    tactics = {} if looks_like_bundle(data) else library().tactics
    with database(args) as engine:
        done = import_file(
            engine,
            data,
            actor=actor(args),
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


def cmd_status(args: argparse.Namespace) -> int:
    from planner.domain.progress import figure_text, is_count, percent_text
    from planner.services.figures import plan_status_figures

    day = as_of(args.as_of)
    with database(args) as engine:
        figures = plan_status_figures(engine, args.plan, day)
    progress, rows = figures.progress, figures.rows
    if args.format == "json":
        document = figures.document(args.plan, day)
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0
    print(f"Adoption index as of {day.isoformat()}: {progress.index_text}")
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
