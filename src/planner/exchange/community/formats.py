"""The tool exports the planner reads, recognised by their header, and the figures of each.

Sources of the column lists: docs/community-formats.md. Formulas (window = the days the file
covers, both ends included):

    per person (Teams user activity, Viva Engage activity user detail, Slack member
    analytics, Discourse user list)
        members         people in the file not deleted, deactivated, suspended or staged
        active-members  members with activity in the window (Last Activity Date inside it;
                        Slack: Days active > 0; Discourse: last_seen_at inside it)
        contributors    members who posted at least once in the window (Teams: Team Chat
                        Message Count > 0, channel posts and replies; Viva Engage: Posted Count > 0;
                        Slack: Messages posted > 0; Discourse: last_posted_at inside it)
    per community (Viva Engage groups activity detail, Slack channel analytics): one row per
    group or channel
        members         its membership column (Member Count; Total membership)
        contributors    Slack's Members who posted (Viva Engage has no such column)
    per day (Discourse admin report CSVs, which report is told by the file name)
        median-hours-to-first-response  median of the report's daily hours
                                        (time-to-first-response)
        questions                       sum of the daily new topics (topics)

Opted-out people (their e-mail or principal name on the opt-out list) are left out of the
per-person figures before anything is counted; identifiers are read only for that check and
never kept.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from planner.exchange.community.blocks import Unsure
from planner.exchange.community.discourse import DISCOURSE_DAILY as DISCOURSE_DAILY
from planner.exchange.community.discourse import DISCOURSE_DEFAULT_DAYS as DISCOURSE_DEFAULT_DAYS
from planner.exchange.community.discourse import DISCOURSE_REPORTS as DISCOURSE_REPORTS
from planner.exchange.community.discourse import DISCOURSE_USERS as DISCOURSE_USERS
from planner.exchange.community.microsoft import ENGAGE_GROUPS as ENGAGE_GROUPS
from planner.exchange.community.microsoft import ENGAGE_USERS as ENGAGE_USERS
from planner.exchange.community.microsoft import TEAMS as TEAMS
from planner.exchange.community.microsoft import _teams_in_blocks
from planner.exchange.community.reader import (
    CommunityFormatError,
    Rows,
    UnknownFormatError,
    Window,
    normalise,
)
from planner.exchange.community.records import Community as Community
from planner.exchange.community.records import CommunityExport as CommunityExport
from planner.exchange.community.records import Context as Context
from planner.exchange.community.records import Format as Format
from planner.exchange.community.records import OptOut as OptOut
from planner.exchange.community.slack import SLACK_CHANNELS as SLACK_CHANNELS
from planner.exchange.community.slack import SLACK_MEMBERS as SLACK_MEMBERS
from planner.exchange.community.slack import slack_window_from_name as slack_window_from_name

FORMATS: tuple[Format, ...] = (
    TEAMS,
    ENGAGE_USERS,
    ENGAGE_GROUPS,
    SLACK_MEMBERS,
    SLACK_CHANNELS,
    DISCOURSE_USERS,
    DISCOURSE_DAILY,
)

AGGREGATE_FORMATS: frozenset[str] = frozenset(
    {ENGAGE_GROUPS.id, SLACK_CHANNELS.id, DISCOURSE_DAILY.id}
)
"""Formats holding totals (per channel, group or day), not people: opted-out people cannot be
left out of their figures."""

SOURCE_LABELS: dict[str, str] = {
    "teams": "Microsoft Teams",
    "engage": "Viva Engage",
    "slack": "Slack",
    "discours": "Discourse",
}
"""A reading's source code → the tool's name."""


def recognise(rows: Rows) -> Format:
    """The format whose required columns the header has (the one needing most, if several);
    UnknownFormatError says what the closest formats lack."""
    present = set(rows.index)
    matches = [f for f in FORMATS if all(normalise(c) in present for c in f.required)]
    if matches:
        return max(matches, key=lambda f: len(f.required))

    def missing(fmt: Format) -> list[str]:
        return [c for c in fmt.required if normalise(c) not in present]

    closest = sorted(FORMATS, key=lambda f: len(missing(f)) / len(f.required))[:3]
    lacks = "; ".join(f"{f.label} lacks {', '.join(missing(f))}" for f in closest)
    raise UnknownFormatError(
        rows.file,
        "not an export the planner recognises. Tried "
        + ", ".join(f.label for f in FORMATS)
        + f". Closest: {lacks}. A readings CSV has the columns item, metric, date, value",
    )


def read_export(
    file: str,
    data: bytes | IO[bytes],
    *,
    window: Window | None = None,
    opted_out: OptOut | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> CommunityExport:
    """Recognise the file by its header and compute its figures, reading it once, row by row.

    `file` is the file's name as the tool gave it (Slack and Discourse put the window or the
    report in it); `window` is the user's, for files that do not state theirs (and checked
    against those that do); `opted_out` tells whether an identifier is on the opt-out list;
    `on_progress` gets the number of data rows read every 10,000 rows.
    """
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    start = stream.tell() if stream.seekable() else None
    rows = Rows(file, stream, on_progress=on_progress)
    fmt = recognise(rows)
    ctx = Context(file, window, opted_out)
    in_blocks = _IN_BLOCKS.get(fmt.id)
    if in_blocks is not None and start is not None:
        try:
            return in_blocks(rows, ctx)
        except (Unsure, CommunityFormatError):
            stream.seek(start)  # read again row by row: it names the first problem exactly
            rows = Rows(file, stream, on_progress=on_progress)
    return fmt.read(rows, ctx)


_IN_BLOCKS: dict[str, Callable[[Rows, Context], CommunityExport]] = {TEAMS.id: _teams_in_blocks}
"""Formats with a fast path over blocks of rows (`blocks`), tried first on a seekable file."""
