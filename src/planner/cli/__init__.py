"""The `planner` command: a thin wrapper over `planner.services`; user errors print cleanly and
exit 1.

Commands that touch plans take `--db URL` (default: $PLANNER_DATABASE_URL, then
`[connections.planner]` in .streamlit/secrets.toml, then a SQLite file under data/) and
`--user NAME` (who is acting, recorded in the activity log; default: the operating-system user).
They import the database layers when they run, so `planner validate` starts quickly.

    parser     the options of every command
    commands   playbooks (validate, library, schema) and plans (plans, demo, export, import,
               status)
    readings   readings import (CSV, xAPI, community tools' exports)
    terminal   what they share: the database, the person acting, dates, output
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from planner.cli.parser import build_parser
from planner.cli.terminal import Handler
from planner.domain.limits import disk_full_message
from planner.errors import PlannerError
from planner.services.library import BUILTIN_DIR


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
