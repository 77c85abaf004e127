"""Discourse exports: the user list, and the admin reports (per day: which report is told by
the file name), the window from the file's export stamp or the user's.

Formulas: `planner.exchange.community.formats`. Imports the reader, records and counting.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics

from planner.exchange.community.counting import (
    People,
    check_given_window,
    one_community_export,
    opted_out_row,
    require_rows,
)
from planner.exchange.community.reader import (
    Cells,
    CommunityFormatError,
    Rows,
    Window,
)
from planner.exchange.community.records import (
    Community,
    CommunityExport,
    Context,
    Format,
)

# --- Discourse --------------------------------------------------------------------------------

_DISCOURSE_STAMP = re.compile(r"(\d{2})(\d{2})(\d{2})-\d{6}")
DISCOURSE_DEFAULT_DAYS = 30
"""The window of a Discourse user list when only its date is known (Discourse's default report
length)."""


def _discourse_stamp(file: str) -> dt.date | None:
    """The day in a Discourse export's name: `user-list-261129-101500-5.csv` → 29 Nov 2026."""
    m = _DISCOURSE_STAMP.search(file)
    if not m:
        return None
    try:
        return dt.date(2000 + int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _discourse_users(rows: Rows, ctx: Context) -> CommunityExport:
    stamp = _discourse_stamp(ctx.file)
    if ctx.window is not None:
        window, window_from = ctx.window, "the window given"
        if stamp is not None and window.end > stamp:
            raise CommunityFormatError(
                ctx.file,
                f"the window given ends on {window.end:%d %b %Y}, after the export's date in "
                f"its name ({stamp:%d %b %Y}); a user list cannot know later days",
            )
    elif stamp is not None:
        window = Window.ending(stamp, DISCOURSE_DEFAULT_DAYS)
        window_from = f"the date in the file name, {DISCOURSE_DEFAULT_DAYS} days"
    else:
        raise CommunityFormatError(
            ctx.file,
            "a Discourse user list says its date only in its name (user-list-YYMMDD-...); keep "
            "the name or give the window (--window-end DATE --window-days N)",
        )
    cells, people = Cells(rows), People()
    email = rows.column("email")
    active_k = rows.column("active")
    staged = rows.column("staged")
    seen = rows.column("last_seen_at")
    posted = rows.column("last_posted_at")
    created = rows.column("created_at")
    suspended = rows.first_of("suspended_till")
    for record in rows:
        people.rows += 1
        if opted_out_row(ctx, record, email):
            people.opted_out += 1
            continue
        joined = cells.day(record, created, optional=True)
        until = cells.day(record, suspended, optional=True) if suspended is not None else None
        member = (
            cells.flag(record, active_k)
            and not cells.flag(record, staged)
            and (joined is None or joined <= window.end)
            and (until is None or until <= window.end)
        )
        people.add(
            member=member,
            active=cells.day(record, seen, optional=True) in window,
            contributed=cells.day(record, posted, optional=True) in window,
        )
    require_rows(rows, people)
    return one_community_export(DISCOURSE_USERS, ctx, window, window_from, people)


DISCOURSE_REPORTS: dict[str, str | None] = {
    "time-to-first-response": "median-hours-to-first-response",
    "topics-with-no-response": None,
    "topics": "questions",
    "posts": None,
    "daily-engaged-users": None,
}
"""Discourse report (as its export's file name starts) → the health metric it gives, if any."""


def _discourse_report_name(file: str) -> str | None:
    base = file.rsplit("/", 1)[-1].casefold()
    for name in sorted(DISCOURSE_REPORTS, key=len, reverse=True):
        if base.startswith(name):
            return name
    return None


def _discourse_report(rows: Rows, ctx: Context) -> CommunityExport:
    report = _discourse_report_name(ctx.file)
    if report is None:
        raise CommunityFormatError(
            ctx.file,
            "a Discourse report (Day, Count) but its name does not say which report; keep the "
            "name Discourse gives it (it starts with the report: "
            + ", ".join(DISCOURSE_REPORTS)
            + ")",
        )
    cells = Cells(rows)
    day_k, value_k = rows.column("Day"), rows.column("Count")
    values: dict[dt.date, float] = {}
    for record in rows:
        day = cells.day(record, day_k)
        assert day is not None
        if day in values:
            raise rows.error(f"{day:%d %b %Y} appears twice; a report has one row a day", day_k)
        values[day] = cells.number(record, value_k)
    require_rows(rows, len(values))
    window = Window(min(values), max(values))
    check_given_window(ctx, window, "days in the file")
    metric = DISCOURSE_REPORTS[report]
    figures: dict[str, float] = {}
    notes: tuple[str, ...] = ()
    if metric == "median-hours-to-first-response":
        figures[metric] = round(statistics.median(values.values()), 2)
    elif metric == "questions":
        figures[metric] = float(sum(values.values()))
    else:
        notes = (f"The {report} report gives no community-health figure; nothing to import.",)
    return CommunityExport(
        file=ctx.file,
        format_id=DISCOURSE_DAILY.id,
        tool=DISCOURSE_DAILY.tool,
        title=f"{report} report",
        source=DISCOURSE_DAILY.source,
        window=window,
        window_from="the days in the file",
        rows=len(values),
        opted_out=0,
        communities=(Community(None, figures),),
        notes=notes,
    )


DISCOURSE_USERS = Format(
    "discourse-user-list",
    "Discourse",
    "user list",
    "discours",
    ("id", "username", "email", "created_at", "last_seen_at", "last_posted_at", "active", "staged"),
    _discourse_users,
)
DISCOURSE_DAILY = Format(
    "discourse-report",
    "Discourse",
    "admin report",
    "discours",
    ("Day", "Count"),
    _discourse_report,
)
