"""Slack exports: member analytics and channel analytics, the window taken from the file's
name (Slack writes the dates there) or given by the user.

Formulas: `planner.exchange.community.formats`. Imports the reader, records and counting.
"""

from __future__ import annotations

import re

from planner.domain.limits import day_problem
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
    normalise,
    parse_day,
)
from planner.exchange.community.records import (
    Community,
    CommunityExport,
    Context,
    Format,
)

# --- Slack ----------------------------------------------------------------------------------------

_SLACK_NAME_WINDOW = re.compile(
    r"(?:prior|last|past)\s+(\d{1,4})\s+days?\s*[-–—]\s*([A-Za-z]{3,9}\.? \d{1,2}, \d{4})",
    re.IGNORECASE,
)


def slack_window_from_name(file: str) -> Window | None:
    """`Acme Member Analytics Prior 30 Days - Nov 29, 2026.csv` → the 30 days to 29 Nov 2026."""
    m = _SLACK_NAME_WINDOW.search(file)
    if not m:
        return None
    end = parse_day(m[2].replace(".", ""))
    days = int(m[1])
    return Window.ending(end, days) if end is not None and days > 0 else None


def _slack_window(ctx: Context) -> tuple[Window, str]:
    from_name = slack_window_from_name(ctx.file)
    problem = None if from_name is None else day_problem(from_name.end)
    if problem is not None:
        raise CommunityFormatError(ctx.file, f"the date in the file name: {problem}")
    if from_name is not None:
        check_given_window(ctx, from_name, "file name")
        return from_name, "the file name"
    if ctx.window is None:
        raise CommunityFormatError(
            ctx.file,
            "Slack writes the days an export covers only in the file name (e.g. '... Prior 30 "
            "Days - Nov 29, 2026.csv') and this name does not say; keep Slack's file name or "
            "give the window (--window-end DATE --window-days N)",
        )
    return ctx.window, "the window given"


def _slack_members(rows: Rows, ctx: Context) -> CommunityExport:
    window, window_from = _slack_window(ctx)
    cells, people = Cells(rows), People()
    days_active = rows.column("Days active")
    messages = rows.column("Messages posted")
    email = rows.first_of("Email", "Email address")
    deactivated = [k for k, h in enumerate(rows.header) if normalise(h).startswith("deactivated")]
    account = rows.first_of("Account type")
    for record in rows:
        people.rows += 1
        if opted_out_row(ctx, record, email):
            people.opted_out += 1
            continue
        gone = any(record[k].strip() for k in deactivated) or (
            account is not None and "deactivated" in record[account].casefold()
        )
        active = cells.count(record, days_active) > 0
        wrote = cells.count(record, messages) > 0
        people.add(member=not gone, active=active, contributed=wrote)
    require_rows(rows, people)
    return one_community_export(SLACK_MEMBERS, ctx, window, window_from, people)


def _slack_channels(rows: Rows, ctx: Context) -> CommunityExport:
    window, window_from = _slack_window(ctx)
    cells = Cells(rows)
    name = rows.column("Name")
    members = rows.column("Total membership")
    posted = rows.column("Members who posted")
    communities: list[Community] = []
    for record in rows:
        figures = {
            "members": float(cells.count(record, members)),
            "contributors": float(cells.count(record, posted)),
        }
        communities.append(Community(record[name].strip(), figures))
    require_rows(rows, len(communities))
    return CommunityExport(
        file=ctx.file,
        format_id=SLACK_CHANNELS.id,
        tool=SLACK_CHANNELS.tool,
        title=SLACK_CHANNELS.title,
        source=SLACK_CHANNELS.source,
        window=window,
        window_from=window_from,
        rows=len(communities),
        opted_out=0,
        communities=tuple(communities),
    )


SLACK_MEMBERS = Format(
    "slack-member-analytics",
    "Slack",
    "member analytics",
    "slack",
    ("Days active", "Messages posted"),
    _slack_members,
)
SLACK_CHANNELS = Format(
    "slack-channel-analytics",
    "Slack",
    "channel analytics",
    "slack",
    ("Name", "Total membership", "Members who posted"),
    _slack_channels,
)
