"""Calendar wording shared by schedules and workload: dates, hours, ISO weeks, week ranges.

Pure: imports only the standard library. Users read `3 Feb 2027`, `12.5 h`, `2027-W03`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEK = timedelta(days=7)
_DAY = timedelta(days=1)


def format_date(d: date) -> str:
    """A date as users read it: `3 Feb 2027` (the same in every locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def format_hours(hours: float) -> str:
    """`12 h`, `12.5 h`, `1,200 h`: no false precision."""
    text = f"{hours:,.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text} h"


def week_start(d: date) -> date:
    """The Monday of the ISO week containing `d`."""
    return d - timedelta(days=d.weekday())


def week_label(monday: date) -> str:
    """ISO week label, e.g. `2027-W03`."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def format_week_ranges(mondays: Sequence[date]) -> str:
    """Weeks (their Mondays) as ranges users read: `12 Jan – 2 Feb 2027, 16 Feb 2027`.

    Consecutive weeks join into one range from the first Monday to the last; the year is
    written once when both ends share it."""
    runs: list[tuple[date, date]] = []
    for monday in sorted(set(mondays)):
        if runs and monday - runs[-1][1] == _WEEK:
            runs[-1] = (runs[-1][0], monday)
        else:
            runs.append((monday, monday))
    parts = []
    for first, last in runs:
        if first == last:
            parts.append(format_date(first))
        elif first.year == last.year:
            parts.append(f"{first.day} {_MONTHS[first.month - 1]} – {format_date(last)}")
        else:
            parts.append(f"{format_date(first)} – {format_date(last)}")
    return ", ".join(parts)
