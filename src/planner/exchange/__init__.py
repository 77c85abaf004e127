"""Plans to and from files: the review CSV, plan bundles (JSON) and plan CSV imports.

    review_csv   one row per item and metric for the review meeting (export only)
    bundle       everything about a plan in one versioned JSON file (export and import)
    plan_csv     a spreadsheet of items into a new or existing plan (import only)
    csvsafe      CSV cells that spreadsheets cannot run as formulas; exact bytes

Each module has pure functions between bytes and plan records, and a function taking an engine
that reads or writes in one transaction. Import problems raise ImportFormatError (nothing is
written); `import_file` tells a bundle from a CSV by content, not by the file's extension.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine

from planner.domain.playbook import Tactic
from planner.errors import PlannerError
from planner.exchange.bundle import (
    FORMAT,
    FORMAT_VERSION,
    ImportedPlan,
    export_bundle,
    import_bundle,
    looks_like_bundle,
    parse_bundle,
)
from planner.exchange.plan_csv import PLAN_CSV_COLUMNS, import_plan_csv, parse_plan_csv
from planner.exchange.review_csv import REVIEW_COLUMNS, review_csv_bytes

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "PLAN_CSV_COLUMNS",
    "REVIEW_COLUMNS",
    "ImportedPlan",
    "export_bundle",
    "import_bundle",
    "import_file",
    "import_plan_csv",
    "looks_like_bundle",
    "parse_bundle",
    "parse_plan_csv",
    "review_csv_bytes",
]


def import_file(
    engine: Engine,
    data: bytes,
    *,
    actor: str,
    tactics: Mapping[str, Tactic],
    source: str,
    plan_id: str | None = None,
    name: str | None = None,
) -> ImportedPlan:
    """A bundle (JSON content) or a plan CSV (anything else), told apart by what is inside.

    `source` is the file's name, for messages and for naming a new plan after a CSV.
    """
    if looks_like_bundle(data):
        if plan_id is not None:
            raise PlannerError(
                f"{source} is a plan bundle, which restores a whole plan; leave out --plan "
                "(adding items to an existing plan takes a plan CSV)."
            )
        return import_bundle(engine, data, actor=actor, name=name, source=source)
    return import_plan_csv(
        engine, data, tactics=tactics, actor=actor, plan_id=plan_id, name=name, source=source
    )
