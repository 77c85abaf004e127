"""The `planner` command line's options: one sub-command per thing automation needs, every
option spelled out (no abbreviations), each sub-command's handler set as its default."""

from __future__ import annotations

import argparse

from planner.cli.commands import (
    cmd_demo,
    cmd_export,
    cmd_import,
    cmd_library,
    cmd_plans,
    cmd_schema,
    cmd_status,
    cmd_validate,
)
from planner.cli.readings import cmd_readings_import
from planner.services.exports import FORMAT_NAMES
from planner.services.library import TAXONOMY_FILE


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

    _playbook_commands(sub)
    _plan_commands(sub)
    _readings_commands(sub)
    _status_command(sub)
    return parser


def _playbook_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _plan_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    p.add_argument("--format", choices=list(FORMAT_NAMES), required=True)
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


def _readings_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        "to item ids (YAML, `name: item`); without --mapping, --item and --channel, the "
        "mapping saved with the plan on the Progress page",
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


def _status_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
