"""Community health from the reserved metrics: active share, contributors against 90-9-1,
response rate and time to first response (pure logic over readings).

Definitions follow what community managers expect (see REFERENCES): active share = active
members / members; contributor share = contributors / members, read against the 90-9-1 pattern
(about 10% of members contribute at all); response rate = questions answered within the
target time / questions asked, in the same period; time to first response = the median hours
reported for the latest period. Each figure uses the latest period that has the readings it
needs, on or before the as-of date, and says which period that was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from planner.domain.playbook import Metric

NINETY_NINE_ONE_CONTRIBUTORS = 0.10
"""Under the 90-9-1 pattern about 10% of members contribute (9% sometimes, 1% a lot)."""


def _health_metric(
    metric_id: str,
    name: str,
    unit: str,
    aggregation: str,
    direction: str,
    denominator_metric: str | None = None,
) -> Metric:
    return Metric(
        denominator_metric=denominator_metric,
        denominator=None if denominator_metric is None else "questions asked in the same weeks",
        id=metric_id,
        name=name,
        unit=unit,
        aggregation=aggregation,
        direction=direction,
        target=0.0,
        cadence="weekly",
        definition=f"Reserved community-health metric: {name.lower()} in the week.",
        framework="community-health",
    )


HEALTH_METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        _health_metric("members", "Members", "people", "latest", "higher"),
        _health_metric("active-members", "Active members", "people", "latest", "higher"),
        _health_metric("contributors", "Contributors", "people", "latest", "higher"),
        _health_metric("questions", "Questions asked", "questions", "sum", "higher"),
        _health_metric(
            "questions-answered-in-time",
            "Share of questions answered in time",
            "percent",
            "sum",
            "higher",
            "questions",
        ),
        _health_metric(
            "median-hours-to-first-response",
            "Median hours to first response",
            "hours",
            "latest",
            "lower",
        ),
    )
}
"""The reserved community-health metrics, measured weekly: the one list every part reads
(readings on community items, the health panel, small-group suppression). The taxonomy
(`playbooks/taxonomy.yaml`, `health_metrics`) documents the same list for playbook authors;
`tests/unit/test_health.py` holds the two equal."""

DISTINCT_PEOPLE_METRICS: frozenset[str] = frozenset(
    m.id for m in HEALTH_METRICS.values() if m.unit == "people"
)
"""Reserved metrics that count distinct people (members, active members, contributors)."""


class HealthReading(Protocol):
    @property
    def metric_id(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def value(self) -> float: ...


@dataclass(frozen=True)
class Ratio:
    value: float
    numerator: float
    denominator: float
    period: str


@dataclass(frozen=True)
class CommunityHealth:
    members: float | None
    active_share: Ratio | None
    contributor_share: Ratio | None
    response_rate: Ratio | None
    median_hours_to_first_response: float | None
    median_period: str | None

    @property
    def has_data(self) -> bool:
        return any(
            v is not None
            for v in (
                self.members,
                self.active_share,
                self.contributor_share,
                self.response_rate,
                self.median_hours_to_first_response,
            )
        )

    @property
    def contributors_vs_pattern(self) -> float | None:
        """Contributor share as a multiple of the 90-9-1 pattern's 10% (1.0 = as expected)."""
        if self.contributor_share is None:
            return None
        return self.contributor_share.value / NINETY_NINE_ONE_CONTRIBUTORS


def _by_period(readings: Iterable[HealthReading], as_of: dt.date) -> dict[str, dict[str, float]]:
    """period -> metric id -> value, for readings on or before `as_of`."""
    table: dict[str, dict[str, float]] = {}
    for r in readings:
        if r.metric_id in HEALTH_METRICS and r.date <= as_of:
            table.setdefault(r.period, {})[r.metric_id] = r.value
    return table


def _latest_ratio(
    table: dict[str, dict[str, float]], numerator: str, denominator: str
) -> Ratio | None:
    for period in sorted(table, reverse=True):
        values = table[period]
        if numerator in values and denominator in values and values[denominator] > 0:
            n, d = values[numerator], values[denominator]
            return Ratio(n / d, n, d, period)
    return None


def community_health(readings: Iterable[HealthReading], as_of: dt.date) -> CommunityHealth:
    table = _by_period(readings, as_of)
    members = None
    median = None
    median_period = None
    for period in sorted(table, reverse=True):
        values = table[period]
        if members is None and "members" in values:
            members = values["members"]
        if median is None and "median-hours-to-first-response" in values:
            median = values["median-hours-to-first-response"]
            median_period = period
    return CommunityHealth(
        members=members,
        active_share=_latest_ratio(table, "active-members", "members"),
        contributor_share=_latest_ratio(table, "contributors", "members"),
        response_rate=_latest_ratio(table, "questions-answered-in-time", "questions"),
        median_hours_to_first_response=median,
        median_period=median_period,
    )
