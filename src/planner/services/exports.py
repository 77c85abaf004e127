"""The export formats of a plan, in one registry: the CLI's `export` and the dashboard's downloads
both read it.

Each format has its name (the CLI's `--format`), file extension, MIME type, label and what it
is for (the dashboard's button and its help), whether it takes an as-of date (every report; a
bundle holds everything) and whether it has an Excel variant (the review CSV with a byte order
mark), and the function producing its bytes. Adding a format is one entry here.

The format modules are imported when a file is made, not with this module, so `planner validate`
starts without openpyxl or icalendar. May import the domain, the store (through the formats and
use cases) and the exchange formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planner.errors import PlannerError

if TYPE_CHECKING:
    from sqlalchemy import Engine

Producer = Callable[["Engine", str, date, bool], bytes]
"""(engine, plan id, as-of date, excel) -> the file's bytes."""


@dataclass(frozen=True)
class ExportFormat:
    """One way to download a plan."""

    name: str
    extension: str
    mime: str
    label: str
    purpose: str
    takes_as_of: bool
    produce: Producer
    excel_variant: bool = False
    """True for the review CSV, which also comes as UTF-8 with a BOM for Excel."""


def _review_csv(engine: Engine, plan_id: str, as_of: date, excel: bool) -> bytes:
    from planner.services.reports import export_review_csv

    return export_review_csv(engine, plan_id, as_of=as_of, excel=excel)


def _bundle(engine: Engine, plan_id: str, _as_of: date, _excel: bool) -> bytes:
    from planner.services.bundles import export_bundle

    return export_bundle(engine, plan_id)


def _xlsx(engine: Engine, plan_id: str, as_of: date, _excel: bool) -> bytes:
    from planner.services.reports import export_xlsx

    return export_xlsx(engine, plan_id, as_of=as_of)


def _ics(engine: Engine, plan_id: str, as_of: date, _excel: bool) -> bytes:
    from planner.services.reports import export_ics

    return export_ics(engine, plan_id, as_of=as_of)


def _markdown(engine: Engine, plan_id: str, as_of: date, _excel: bool) -> bytes:
    from planner.services.reports import export_markdown

    return export_markdown(engine, plan_id, as_of=as_of)


def _html(engine: Engine, plan_id: str, as_of: date, _excel: bool) -> bytes:
    from planner.services.reports import export_html

    return export_html(engine, plan_id, as_of=as_of)


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        "csv",
        "csv",
        "text/csv",
        "Review CSV",
        "one row per item and metric, for spreadsheets",
        True,
        _review_csv,
        excel_variant=True,
    ),
    ExportFormat(
        "bundle",
        "planner.json",
        "application/json",
        "Download plan bundle",
        "everything about the plan in one file, to back it up or move it",
        False,
        _bundle,
    ),
    ExportFormat(
        "xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel workbook",
        "Summary, Items, Metrics, Readings, Actions and Reviews sheets, statuses in colour",
        True,
        _xlsx,
    ),
    ExportFormat(
        "ics",
        "ics",
        "text/calendar",
        "Calendar",
        "item dates, milestones and review dates",
        True,
        _ics,
    ),
    ExportFormat(
        "md",
        "md",
        "text/markdown",
        "Markdown",
        "a summary to paste into meeting notes",
        True,
        _markdown,
    ),
    ExportFormat(
        "html",
        "html",
        "text/html",
        "HTML report",
        "for stakeholders; prints cleanly to PDF",
        True,
        _html,
    ),
)
"""Every format, in the order the CLI lists them."""

REPORT_SHELF: tuple[str, ...] = ("csv", "xlsx", "html", "ics", "md")
"""The reports (formats taking an as-of date) in the order the dashboard offers them."""

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in EXPORT_FORMATS)


def export_format(name: str) -> ExportFormat:
    """The format called `name`; PlannerError naming the known ones otherwise."""
    for found in EXPORT_FORMATS:
        if found.name == name:
            return found
    raise PlannerError(f"No export format '{name}'; use one of {', '.join(FORMAT_NAMES)}.")


def report_formats() -> list[ExportFormat]:
    """The reports, in the dashboard's order."""
    return [export_format(name) for name in REPORT_SHELF]


def export_plan(
    engine: Engine, plan_id: str, name: str, *, as_of: date | None = None, excel: bool = False
) -> bytes:
    """Plan `plan_id` as a file of format `name`, as of `as_of` (default today; ignored by a
    format that takes no date); `excel` picks the Excel variant where there is one."""
    chosen = export_format(name)
    return chosen.produce(engine, plan_id, as_of or date.today(), excel and chosen.excel_variant)
