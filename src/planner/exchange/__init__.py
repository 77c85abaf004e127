"""Plans to and from files: the review CSV, plan bundles (JSON) and plan CSV imports.

    review_csv   one row per item and metric for the review meeting (export only)
    bundle       everything about a plan in one versioned JSON file (bundle_model: its
                 structure; bundle_rules: its references checked)
    plan_csv     a spreadsheet of items for a new or existing plan (import only)
    csvsafe      CSV cells that spreadsheets cannot run as formulas; exact bytes

Formats are pure functions between bytes and plan records: no engine, no session, no services.
Import problems raise ImportFormatError. Reading or writing a database with them is
`planner.services` (`services.bundles`, `services.plan_import`, `services.exports`).
"""

from __future__ import annotations

from planner.exchange.bundle import (
    FORMAT,
    FORMAT_VERSION,
    bundle_bytes,
    looks_like_bundle,
    parse_bundle,
)
from planner.exchange.plan_csv import PLAN_CSV_COLUMNS, parse_plan_csv
from planner.exchange.review_csv import REVIEW_COLUMNS, review_csv_bytes

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "PLAN_CSV_COLUMNS",
    "REVIEW_COLUMNS",
    "bundle_bytes",
    "looks_like_bundle",
    "parse_bundle",
    "parse_plan_csv",
    "review_csv_bytes",
]
