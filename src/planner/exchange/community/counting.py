"""What the per-person formats share: counting members, active members and contributors
(leaving the opted-out out), the window a Microsoft 365 report states on every row, and the
export record of a one-community file.

Imports the reader and the records only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.domain.limits import MIN_YEAR, day_problem
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

# --- people and windows ------------------------------------------------------------------------


class People:
    """Counts members, active members and contributors, and the opted-out left out."""

    def __init__(self) -> None:
        self.rows = self.members = self.active = self.contributors = self.opted_out = 0

    def add(self, *, member: bool, active: bool, contributed: bool) -> None:
        if member:
            self.members += 1
            self.active += active
            self.contributors += contributed

    def figures(self) -> dict[str, float]:
        return {
            "members": float(self.members),
            "active-members": float(self.active),
            "contributors": float(self.contributors),
        }


def opted_out_row(ctx: Context, record: Sequence[str], k: int | None) -> bool:
    """True when the row's person opted out (only checked when someone has)."""
    if ctx.opted_out is None or k is None:
        return False
    identifier = record[k].strip()
    return bool(identifier) and ctx.opted_out(identifier)


def require_rows(rows: Rows, people: People | int) -> None:
    count = people.rows if isinstance(people, People) else people
    if count == 0:
        raise CommunityFormatError(
            rows.file, "the header is there but no rows; export the report again"
        )


def check_given_window(ctx: Context, window: Window, where: str) -> None:
    """A window the user gave must agree with the one the file states."""
    if ctx.window is not None and ctx.window != window:
        raise CommunityFormatError(
            ctx.file,
            f"the window given ({ctx.window.describe()}) contradicts the {where} "
            f"({window.describe()}); leave the window out or give the file's own",
        )


MICROSOFT_WINDOW = "the file's Report Refresh Date and Report Period"


class StatedWindow:
    """The window a Microsoft 365 usage report states on every row (Report Refresh Date and
    Report Period, in days): taken from the first row, and every other row must agree."""

    def __init__(self, rows: Rows, cells: Cells, ctx: Context) -> None:
        self.rows, self.cells, self.ctx = rows, cells, ctx
        self.refresh_k = rows.column("Report Refresh Date")
        self.period_k = rows.column("Report Period")
        self.window: Window | None = None
        self.texts: tuple[str, str] | None = None

    def __call__(self, record: Sequence[str]) -> Window:
        texts = (record[self.refresh_k], record[self.period_k])
        if texts == self.texts and self.window is not None:
            return self.window
        rows, refresh_k, period_k = self.rows, self.refresh_k, self.period_k
        refresh = self.cells.day(record, refresh_k)
        period = self.cells.count(record, period_k)
        assert refresh is not None
        problem = day_problem(refresh)  # other dates only compare (Discourse: suspended 3026)
        if problem is not None:
            raise rows.error(problem, refresh_k)
        first = self.window
        if first is None:
            if period < 1:
                raise rows.error(f"'{texts[1].strip()}' days is not a report period", period_k)
            if period > (refresh - dt.date(MIN_YEAR, 1, 1)).days + 1:
                raise rows.error(
                    f"{period:,} days would start before {MIN_YEAR}; not a report period",
                    period_k,
                )
            self.window, self.texts = Window.ending(refresh, period), texts
            check_given_window(self.ctx, self.window, MICROSOFT_WINDOW)
            return self.window
        if refresh != first.end:
            raise rows.error(
                f"{texts[0].strip()} differs from the first row's refresh date "
                f"({first.end:%d %b %Y}); one export has one refresh date",
                refresh_k,
            )
        if period != first.days:
            raise rows.error(
                f"{period} days differs from the first row's {first.days}; one export has one "
                "report period",
                period_k,
            )
        return first


def one_community_export(
    fmt: Format,
    ctx: Context,
    window: Window,
    window_from: str,
    people: People,
    notes: tuple[str, ...] = (),
) -> CommunityExport:
    return CommunityExport(
        file=ctx.file,
        format_id=fmt.id,
        tool=fmt.tool,
        title=fmt.title,
        source=fmt.source,
        window=window,
        window_from=window_from,
        rows=people.rows,
        opted_out=people.opted_out,
        communities=(Community(None, people.figures()),),
        notes=notes,
    )
