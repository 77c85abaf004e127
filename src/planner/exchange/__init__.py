"""Formats: bytes in, records out, and back. No engine, no session, no services, no store.

    playbooks, playbook_checks, yamlsource   playbook YAML to a validated Library, every problem
                 located by file, line and column
    bundle       everything about a plan in one versioned JSON file (bundle_model: its
                 structure; bundle_rules: its references checked)
    plan_csv     a spreadsheet of items for a new or existing plan (import only)
    readings_csv readings typed in a spreadsheet (import, and its template)
    review_csv, review_figures   one row per item and metric for the review meeting
    report, report_sources       what every review report shows, from plain records;
                 markdown, ical, xlsx, html_report write it
    xapi, xapi_*  xAPI statements read, checked against the 1.0.3 data rules, mapped, counted
    community/   community tools' analytics exports (Teams, Viva Engage, Slack, Discourse)
    csvsafe      CSV cells that spreadsheets cannot run as formulas; exact bytes

May import: `planner.domain`, `planner.errors`, the standard library and format libraries
(yaml, openpyxl, icalendar, ijson, pyarrow); never sqlalchemy, `planner.store` or
`planner.services` (import-linter checks). Import problems raise ImportFormatError (or a
located Problem for playbooks). Reading or writing a database with these is `planner.services`
(`services.bundles`, `services.plan_import`, `services.reports`, `services.exports`).
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
