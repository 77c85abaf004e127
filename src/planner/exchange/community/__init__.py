"""Community tools' analytics exports as community-health figures (pure: bytes in, records out).

    reader    decoding, the header, typed cells, errors naming file, row and column
    formats   the exports recognised (Microsoft Teams, Viva Engage, Slack, Discourse) and the
              figures of each: members, active-members, contributors,
              median-hours-to-first-response, questions; recognition by header, read_export
    records   Community, CommunityExport, Format and what a format's reader is given
    counting  people counted (opt-outs left out) and the window Microsoft reports state
    microsoft, slack, discourse   each vendor's formats and their readers
    blocks    the fast path over blocks of rows

No database and no services: `planner.services.community` turns the figures into readings. Nothing a
person could be identified by (name, e-mail, user id, principal name) is kept in the records.
"""

from __future__ import annotations

from planner.exchange.community.formats import (
    DISCOURSE_DEFAULT_DAYS,
    DISCOURSE_REPORTS,
    FORMATS,
    SOURCE_LABELS,
    Community,
    CommunityExport,
    Format,
    OptOut,
    read_export,
    recognise,
    slack_window_from_name,
)
from planner.exchange.community.reader import (
    MAX_CELL_CHARS,
    CommunityFormatError,
    Rows,
    UnknownFormatError,
    Window,
    parse_day,
)

__all__ = [
    "DISCOURSE_DEFAULT_DAYS",
    "DISCOURSE_REPORTS",
    "FORMATS",
    "MAX_CELL_CHARS",
    "SOURCE_LABELS",
    "Community",
    "CommunityExport",
    "CommunityFormatError",
    "Format",
    "OptOut",
    "Rows",
    "UnknownFormatError",
    "Window",
    "parse_day",
    "read_export",
    "recognise",
    "slack_window_from_name",
]
