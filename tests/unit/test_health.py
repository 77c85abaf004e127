"""Community health from the reserved metrics."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from planner.domain.health import community_health


class R(NamedTuple):
    metric_id: str
    period: str
    date: dt.date
    value: float


D = dt.date(2027, 1, 10)


def test_ratios_use_the_latest_period_with_both_numbers() -> None:
    readings = [
        R("members", "2027-W01", D, 40),
        R("active-members", "2027-W01", D, 10),
        R("members", "2027-W02", D + dt.timedelta(7), 50),
        R("active-members", "2027-W02", D + dt.timedelta(7), 20),
        R("contributors", "2027-W01", D, 2),
        R("questions", "2027-W02", D + dt.timedelta(7), 8),
        R("questions-answered-in-time", "2027-W02", D + dt.timedelta(7), 6),
        R("median-hours-to-first-response", "2027-W02", D + dt.timedelta(7), 5.5),
    ]
    health = community_health(readings, D + dt.timedelta(8))
    assert health.members == 50
    assert health.active_share is not None and health.active_share.value == 0.4
    assert health.contributor_share is not None
    assert (health.contributor_share.value, health.contributor_share.period) == (0.05, "2027-W01")
    assert health.contributors_vs_pattern == 0.5  # half the 10% the 90-9-1 pattern predicts
    assert health.response_rate is not None and health.response_rate.value == 0.75
    assert health.median_hours_to_first_response == 5.5


def test_readings_after_the_as_of_date_are_ignored() -> None:
    readings = [R("members", "2027-W01", D, 40), R("members", "2027-W05", D + dt.timedelta(28), 90)]
    assert community_health(readings, D).members == 40


def test_no_readings_no_data() -> None:
    health = community_health([], D)
    assert not health.has_data
    assert health.active_share is None and health.contributors_vs_pattern is None


def test_zero_members_gives_no_ratio() -> None:
    readings = [R("members", "2027-W01", D, 0), R("active-members", "2027-W01", D, 0)]
    assert community_health(readings, D).active_share is None


def test_the_reserved_health_metrics_are_one_list_that_the_taxonomy_documents() -> None:
    """One list in code (domain.health.HEALTH_METRICS); the taxonomy says the same to authors,
    and the small-group rule counts people on exactly the reserved metrics whose unit is people."""
    from planner.domain.health import DISTINCT_PEOPLE_METRICS, HEALTH_METRICS
    from planner.domain.privacy import DISTINCT_PEOPLE_METRICS as PRIVACY_PEOPLE
    from planner.exchange.playbooks import load_default_library

    documented = {
        h.id: (h.title, h.unit, h.aggregation, h.direction, h.denominator_metric)
        for h in load_default_library().taxonomy.health_metrics
    }
    in_code = {
        m.id: (m.name, m.unit, m.aggregation, m.direction, m.denominator_metric)
        for m in HEALTH_METRICS.values()
    }
    assert in_code == documented
    assert PRIVACY_PEOPLE is DISTINCT_PEOPLE_METRICS
    assert {"members", "active-members", "contributors"} == DISTINCT_PEOPLE_METRICS


def test_one_exports_figures_pair_whatever_each_metrics_cadence() -> None:
    """An export files its members under a monthly metric and its active members and
    contributors weekly: the same day pairs them, as one file measured them together."""
    day = dt.date(2026, 12, 1)
    readings = [
        R("members", "2026-12", day, 4321),
        R("active-members", "2026-W49", day, 900),
        R("contributors", "2026-W49", day, 618),
    ]
    health = community_health(readings, day)
    assert health.members == 4321
    assert health.active_share is not None
    assert (health.active_share.numerator, health.active_share.denominator) == (900, 4321)
    assert health.active_share.period == "2026-W49"
    assert health.contributor_share is not None and health.contributor_share.numerator == 618


def test_a_weeks_count_pairs_with_the_members_of_the_month_that_holds_it() -> None:
    readings = [
        R("members", "2027-01", dt.date(2027, 1, 4), 200),
        R("active-members", "2027-W02", dt.date(2027, 1, 14), 50),
        R("active-members", "2027-W06", dt.date(2027, 2, 10), 70),  # no February members
    ]
    health = community_health(readings, dt.date(2027, 2, 12))
    assert health.active_share is not None
    assert (health.active_share.value, health.active_share.period) == (0.25, "2027-W02")


def test_latest_is_by_day_not_by_how_period_keys_sort_as_text() -> None:
    """As text, "2027-W05" sorts after "2027-12"; the December reading is the newer one."""
    readings = [
        R("members", "2027-W05", dt.date(2027, 2, 1), 30),
        R("members", "2027-12", dt.date(2027, 12, 1), 90),
        R("median-hours-to-first-response", "2027-W05", dt.date(2027, 2, 1), 9.0),
        R("median-hours-to-first-response", "2027-12", dt.date(2027, 12, 1), 4.0),
    ]
    health = community_health(readings, dt.date(2027, 12, 31))
    assert health.members == 90
    assert (health.median_hours_to_first_response, health.median_period) == (4.0, "2027-12")


def test_the_response_rate_pairs_the_same_period_or_day_only() -> None:
    readings = [
        R("questions", "2027-01", dt.date(2027, 1, 31), 40),
        R("questions-answered-in-time", "2027-W02", dt.date(2027, 1, 14), 9),
    ]
    assert community_health(readings, dt.date(2027, 2, 1)).response_rate is None
