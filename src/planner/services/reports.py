"""Exporting a plan for its review: the review CSV, and the reports (Markdown, iCalendar,
workbook, HTML), each as of a date.

One function per file a user exports:

    review_csv(engine, plan_id, as_of, excel=False)   the review CSV (`planner.exchange.review_csv`)
    report_bytes(engine, plan_id, kind, as_of)        a report: kind md, ics, xlsx or html
    gather_report(engine, plan_id, as_of)             the `Report` record every report shows

The use cases read through `planner.store` (in one transaction) and other services, then hand
plain records to the pure formats in `planner.exchange`, which return the bytes. The same plan
as of the same date gives the same bytes. `export_review_csv`, `export_markdown`,
`export_ics`, `export_xlsx` and `export_html` keep the signatures the CLI and the dashboard
called in `planner.exchange` before.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date

from planner.domain.status import scheduled_days
from planner.errors import PlannerError
from planner.exchange.html_report import html_bytes
from planner.exchange.ical import ics_bytes
from planner.exchange.markdown import markdown_bytes
from planner.exchange.playbooks import category_titles
from planner.exchange.report import Report
from planner.exchange.report_sources import ReportSources, report_of
from planner.exchange.review_csv import ReviewItem, category_names, review_rows
from planner.exchange.review_figures import review_csv_of_read
from planner.exchange.xlsx import xlsx_bytes
from planner.services import list_people, plan_schedule
from planner.services.actions import list_actions
from planner.services.readings import list_readings, plan_status
from planner.services.reviews import list_reviews
from planner.services.stories import list_stories
from planner.store import Engine, Repository, uow
from planner.store import status as status_store

__all__ = [
    "REPORT_KINDS",
    "export_html",
    "export_ics",
    "export_markdown",
    "export_review_csv",
    "export_xlsx",
    "gather_report",
    "read_review_items",
    "report_bytes",
    "review_csv",
    "stories_per_item",
]

REPORT_KINDS: dict[str, Callable[[Report], bytes]] = {
    "md": markdown_bytes,
    "ics": ics_bytes,
    "xlsx": xlsx_bytes,
    "html": html_bytes,
}
"""Each report's kind (its file extension) and the pure format that writes its bytes."""


def review_csv(
    engine: Engine,
    plan_id: str,
    as_of: date | None = None,
    excel: bool = False,
    *,
    categories: Mapping[str, str] | None = None,
) -> bytes:
    """The plan's review CSV as of `as_of` (default today); `excel` adds a BOM.

    `categories` maps category ids to titles (default: the taxonomy's, `category_titles`).
    The plan is read in one transaction with narrow queries (`planner.store.status`)."""
    as_of = as_of or date.today()
    names = category_names(categories)
    with _no_cyclic_gc(), uow(engine, write=False) as session:
        read = status_store.read_plan(session.connection(), plan_id)
        summaries = Repository(session).reading_summaries(plan_id, as_of)
        stories = status_store.stories_per_item(session.connection(), plan_id, as_of)
    with _no_cyclic_gc():
        return review_csv_of_read(
            read, summaries.get, stories, as_of, excel=excel, categories=names
        )


def export_review_csv(
    engine: Engine,
    plan_id: str,
    *,
    as_of: date | None = None,
    excel: bool = False,
    categories: Mapping[str, str] | None = None,
) -> bytes:
    """`review_csv`, with the keywords `planner.exchange.export_review_csv` took."""
    return review_csv(engine, plan_id, as_of, excel, categories=categories)


def gather_report(
    engine: Engine, plan_id: str, as_of: date, *, categories: Mapping[str, str] | None = None
) -> Report:
    """Everything a report shows of the plan as of `as_of` (`planner.exchange.report`).

    `categories` maps category ids to titles (default: the taxonomy's, `category_titles`)."""
    scheduled = plan_schedule(engine, plan_id)
    people = list_people(engine)
    progress = plan_status(engine, plan_id, as_of)
    sources = ReportSources(
        plan=scheduled.plan,
        items=scheduled.items,
        schedule=scheduled.schedule,
        people=people,
        progress=progress,
        stories=list_stories(engine, plan_id),
        readings=list_readings(engine, plan_id),
        reviews=list_reviews(engine, plan_id),
        actions=list_actions(engine, plan_id),
        categories=category_titles() if categories is None else categories,
    )
    return report_of(sources, as_of)


def report_bytes(engine: Engine, plan_id: str, kind: str, as_of: date | None = None) -> bytes:
    """The plan's report of `kind` (md, ics, xlsx or html; `REPORT_KINDS`) as of `as_of`
    (default today)."""
    write = REPORT_KINDS.get(kind)
    if write is None:
        raise PlannerError(
            f"'{kind}' is not a report format; use one of {', '.join(REPORT_KINDS)}."
        )
    return write(gather_report(engine, plan_id, as_of or date.today()))


def export_markdown(engine: Engine, plan_id: str, *, as_of: date | None = None) -> bytes:
    """The plan's Markdown summary as of `as_of` (default today), UTF-8."""
    return report_bytes(engine, plan_id, "md", as_of)


def export_ics(engine: Engine, plan_id: str, *, as_of: date | None = None) -> bytes:
    """The plan's calendar as of `as_of` (default today)."""
    return report_bytes(engine, plan_id, "ics", as_of)


def export_xlsx(engine: Engine, plan_id: str, *, as_of: date | None = None) -> bytes:
    """The plan's review workbook as of `as_of` (default today)."""
    return report_bytes(engine, plan_id, "xlsx", as_of)


def export_html(engine: Engine, plan_id: str, *, as_of: date | None = None) -> bytes:
    """The plan's HTML report as of `as_of` (default today), UTF-8."""
    return report_bytes(engine, plan_id, "html", as_of)


def read_review_items(
    engine: Engine, plan_id: str, categories: Mapping[str, str] | None = None
) -> list[ReviewItem]:
    """The plan's review rows, scheduled; read in one transaction, with narrow queries."""
    with uow(engine, write=False) as session:
        read = status_store.read_plan(session.connection(), plan_id)
    starts, last_days = scheduled_days(read)
    return review_rows(read, starts, last_days, category_names(categories))


def stories_per_item(engine: Engine, plan_id: str, as_of: date) -> dict[str, int]:
    """How many value-creation stories each item of the plan has, told on or before `as_of`."""
    with uow(engine, write=False) as session:
        return status_store.stories_per_item(session.connection(), plan_id, as_of)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The export makes tens of thousands of short-lived, acyclic tuples and strings; the cyclic
    collector's passes over them are wasted work (up to half the export's time), so it pauses
    for the duration and is restored to its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
