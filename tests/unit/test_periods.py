"""Periods of a cadence: ISO weeks, months and quarters, their keys and boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from planner.domain.periods import (
    CADENCES,
    Period,
    filing_cadence,
    last_periods,
    next_period,
    parse_period,
    period_key,
    period_of,
    periods_between,
    previous_period,
    recent_since,
    utc_day,
)
from planner.domain.planning import InvalidInputError


@pytest.mark.parametrize(
    ("day", "key", "monday"),
    [
        (date(2027, 1, 18), "2027-W03", date(2027, 1, 18)),  # a Monday
        (date(2027, 1, 24), "2027-W03", date(2027, 1, 18)),  # its Sunday
        (date(2027, 1, 25), "2027-W04", date(2027, 1, 25)),
        # 1 Jan 2027 is a Friday: it belongs to the last ISO week of 2026, week 53.
        (date(2027, 1, 1), "2026-W53", date(2026, 12, 28)),
        (date(2027, 1, 3), "2026-W53", date(2026, 12, 28)),
        (date(2027, 1, 4), "2027-W01", date(2027, 1, 4)),
        # 31 Dec 2024 is a Tuesday: already week 1 of 2025.
        (date(2024, 12, 31), "2025-W01", date(2024, 12, 30)),
        (date(2023, 1, 1), "2022-W52", date(2022, 12, 26)),
        (date(2020, 12, 31), "2020-W53", date(2020, 12, 28)),
    ],
)
def test_iso_weeks_run_monday_to_sunday_across_year_ends(day: date, key: str, monday: date) -> None:
    period = period_of(day, "weekly")
    assert period == Period(key, monday, monday + timedelta(days=6))
    assert day in period
    assert period_key(day, "weekly") == key


def test_months_and_quarters() -> None:
    assert period_of(date(2027, 2, 14), "monthly") == Period(
        "2027-02", date(2027, 2, 1), date(2027, 2, 28)
    )
    assert period_of(date(2028, 2, 29), "monthly").end == date(2028, 2, 29)  # leap year
    assert period_of(date(2027, 12, 31), "monthly") == Period(
        "2027-12", date(2027, 12, 1), date(2027, 12, 31)
    )
    assert period_of(date(2027, 1, 1), "quarterly") == Period(
        "2027-Q1", date(2027, 1, 1), date(2027, 3, 31)
    )
    assert period_of(date(2027, 6, 30), "quarterly").key == "2027-Q2"
    assert period_of(date(2027, 11, 5), "quarterly") == Period(
        "2027-Q4", date(2027, 10, 1), date(2027, 12, 31)
    )


def test_a_moment_is_filed_by_its_utc_day() -> None:
    late_evening_in_new_york = datetime(2027, 1, 3, 22, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert utc_day(late_evening_in_new_york) == date(2027, 1, 4)
    assert period_key(late_evening_in_new_york, "weekly") == "2027-W01"
    assert utc_day(datetime(2027, 1, 3, 23, 59)) == date(2027, 1, 3)  # no zone: UTC already
    assert utc_day(datetime(2027, 1, 3, 23, 59, tzinfo=UTC)) == date(2027, 1, 3)
    assert utc_day(date(2027, 1, 3)) == date(2027, 1, 3)


@pytest.mark.parametrize("cadence", CADENCES)
def test_keys_parse_back_to_their_periods(cadence: str) -> None:
    day = date(2026, 12, 1)
    for _ in range(60):
        period = period_of(day, cadence)
        assert parse_period(period.key) == (filing_cadence(cadence), period)
        day = period.end + timedelta(days=1)


@pytest.mark.parametrize("key", ["2027-W00", "2027-W54", "2026-W54", "2027-13", "2027-Q5", "W3"])
def test_a_key_that_names_no_period_is_refused(key: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_period(key)
    assert parse_period("2026-W53")[1].start == date(2026, 12, 28)


def test_an_unknown_cadence_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match=r"'daily' is not a cadence.*weekly, monthly"):
        period_of(date(2027, 1, 1), "daily")


def test_periods_between_two_dates_include_both_ends() -> None:
    weeks = periods_between(date(2026, 12, 30), date(2027, 1, 12), "weekly")
    assert [p.key for p in weeks] == ["2026-W53", "2027-W01", "2027-W02"]
    months = periods_between(date(2026, 11, 30), date(2027, 2, 1), "monthly")
    assert [p.key for p in months] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    quarters = periods_between(date(2026, 12, 31), date(2027, 1, 1), "quarterly")
    assert [p.key for p in quarters] == ["2026-Q4", "2027-Q1"]
    assert periods_between(date(2027, 1, 5), date(2027, 1, 5), "weekly") == [
        period_of(date(2027, 1, 5), "weekly")
    ]
    assert periods_between(date(2027, 1, 5), date(2027, 1, 4), "weekly") == []


def test_next_and_previous_periods_cross_year_ends() -> None:
    week53 = period_of(date(2026, 12, 31), "weekly")
    assert next_period(week53, "weekly").key == "2027-W01"
    assert previous_period(next_period(week53, "weekly"), "weekly") == week53
    assert previous_period(period_of(date(2027, 1, 15), "monthly"), "monthly").key == "2026-12"
    assert next_period(period_of(date(2027, 11, 15), "quarterly"), "quarterly").key == "2028-Q1"


def test_the_last_two_periods_for_the_no_data_rule() -> None:
    as_of = date(2027, 1, 6)  # a Wednesday in 2027-W01
    assert [p.key for p in last_periods(as_of, "weekly")] == ["2026-W53", "2027-W01"]
    assert recent_since(as_of, "weekly") == date(2026, 12, 28)
    assert [p.key for p in last_periods(as_of, "monthly")] == ["2026-12", "2027-01"]
    assert recent_since(as_of, "quarterly") == date(2026, 10, 1)
    assert [p.key for p in last_periods(as_of, "monthly", 3)] == ["2026-11", "2026-12", "2027-01"]
    assert last_periods(as_of, "monthly", 0) == []
