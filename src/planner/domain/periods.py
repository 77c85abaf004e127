"""Reporting periods of a metric's cadence: ISO weeks, calendar months and quarters, in UTC.

A reading is filed under the period that contains its date, so each period of an item's metric
holds at most one reading and is never counted twice. Periods are named by keys that sort in
time order within a cadence and read well in a spreadsheet:

    weekly     ISO week, Monday to Sunday: 2027-W03 (the ISO week-numbering year, so
               31 Dec 2024 is in 2025-W01 and 1 Jan 2027 is in 2026-W53)
    monthly    calendar month: 2027-01
    quarterly  calendar quarter: 2027-Q1 (January to March)
    once, end  a single reading (`once`: at the moment the tactic's steps name; `end`: at the
               end of the programme); it is filed under its calendar month, like `monthly`
               (`filing_cadence`), and progress waits for it instead of reporting no data

Dates are calendar days in UTC: a moment becomes the UTC day it falls on (`utc_day`).
Pure functions: no database, no clock.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from planner.domain.planning import InvalidInputError

SINGLE_READING_CADENCES: tuple[str, ...] = ("once", "end")
"""Cadences of one reading rather than a series (see `planner.domain.progress`)."""
CADENCES: tuple[str, ...] = ("weekly", "monthly", "quarterly", *SINGLE_READING_CADENCES)
"""The cadences a metric can have (the taxonomy's cadence ids)."""
SINGLE_READING_FILING = "monthly"
"""The periods single readings are filed under."""

NO_DATA_PERIODS = 2
"""A metric with no reading within this many of its latest periods has `no data`."""

_DAY = timedelta(days=1)
_WEEK_KEY = re.compile(r"(\d{4})-W(\d{2})")
_MONTH_KEY = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_KEY = re.compile(r"(\d{4})-Q([1-4])")


class Period(NamedTuple):
    """One period of a cadence: its key and its first and last day (both inclusive)."""

    key: str
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def check_cadence(cadence: str) -> str:
    """`cadence` if it is one the planner can file readings under; else InvalidInputError."""
    if cadence not in CADENCES:
        raise InvalidInputError(
            f"'{cadence}' is not a cadence readings can be filed under; use one of "
            f"{', '.join(CADENCES)}."
        )
    return cadence


def single_reading(cadence: str) -> bool:
    """True for `once` and `end`: one reading, not a series."""
    return cadence in SINGLE_READING_CADENCES


def filing_cadence(cadence: str) -> str:
    """The cadence whose periods readings of `cadence` are filed under (period keys name it)."""
    return SINGLE_READING_FILING if cadence in SINGLE_READING_CADENCES else cadence


def utc_day(moment: datetime | date) -> date:
    """The UTC calendar day of `moment`; a datetime without a zone is taken as UTC already."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.date()
    return moment


def period_of(day: date, cadence: str) -> Period:
    """The period of `cadence` that contains `day`."""
    day = utc_day(day)
    if cadence == "weekly":
        start = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return Period(f"{year}-W{week:02d}", start, start + 6 * _DAY)
    if cadence == "monthly":
        start = day.replace(day=1)
        return Period(f"{day.year}-{day.month:02d}", start, _next_month(start) - _DAY)
    if cadence == "quarterly":
        quarter = (day.month - 1) // 3 + 1
        start = date(day.year, 3 * quarter - 2, 1)
        end = _next_month(_next_month(_next_month(start))) - _DAY
        return Period(f"{day.year}-Q{quarter}", start, end)
    if cadence in SINGLE_READING_CADENCES:
        return period_of(day, SINGLE_READING_FILING)
    check_cadence(cadence)
    raise AssertionError("unreachable")  # pragma: no cover


def period_key(day: date, cadence: str) -> str:
    return period_of(day, cadence).key


def parse_period(key: str) -> tuple[str, Period]:
    """(cadence, period) for a key such as 2027-W03, 2027-01 or 2027-Q1; InvalidInputError if
    it is none of them."""
    text = key.strip()
    if match := _WEEK_KEY.fullmatch(text):
        year, week = int(match[1]), int(match[2])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidInputError(f"'{key}': {year} has no ISO week {week}.") from None
        return "weekly", period_of(monday, "weekly")
    if match := _QUARTER_KEY.fullmatch(text):
        return "quarterly", period_of(date(int(match[1]), 3 * int(match[2]) - 2, 1), "quarterly")
    if (match := _MONTH_KEY.fullmatch(text)) and 1 <= int(match[2]) <= 12:
        return "monthly", period_of(date(int(match[1]), int(match[2]), 1), "monthly")
    raise InvalidInputError(
        f"'{key}' is not a period; write a week as 2027-W03, a month as 2027-01 or a quarter "
        "as 2027-Q1."
    )


def next_period(period: Period, cadence: str) -> Period:
    return period_of(period.end + _DAY, cadence)


def previous_period(period: Period, cadence: str) -> Period:
    return period_of(period.start - _DAY, cadence)


def periods_between(first: date, last: date, cadence: str) -> list[Period]:
    """Every period of `cadence` from the one containing `first` to the one containing `last`,
    in order (empty when `last` is before `first`)."""
    if last < first:
        return []
    found = [period_of(first, cadence)]
    while found[-1].end < last:
        found.append(next_period(found[-1], cadence))
    return found


def last_periods(as_of: date, cadence: str, count: int = NO_DATA_PERIODS) -> list[Period]:
    """The `count` periods up to and including the one containing `as_of`, oldest first."""
    if count < 1:
        return []
    found = [period_of(as_of, cadence)]
    while len(found) < count:
        found.insert(0, previous_period(found[0], cadence))
    return found


def recent_since(as_of: date, cadence: str, count: int = NO_DATA_PERIODS) -> date:
    """The first day of the last `count` periods up to `as_of`: a reading dated on or after
    it (and not after `as_of`) counts as recent for the no-data rule."""
    return last_periods(as_of, cadence, count)[0].start


def _next_month(first_of_month: date) -> date:
    if first_of_month.month == 12:
        return date(first_of_month.year + 1, 1, 1)
    return date(first_of_month.year, first_of_month.month + 1, 1)
