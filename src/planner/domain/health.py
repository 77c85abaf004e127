"""Community health from the reserved metrics: active share, contributors against 90-9-1,
response rate and time to first response (pure logic over readings).

Definitions follow what community managers expect (see REFERENCES): active share = active
members / members; contributor share = contributors / members, read against the 90-9-1 pattern
(about 10% of members contribute at all); response rate = questions answered within the
target time / questions asked, in the same period; time to first response = the median hours
reported for the latest period. Each figure uses the newest readings that have what it needs,
on or before the as-of date (newest by the day each was taken, not by how its period key sorts
as text), and says which period that was. A share pairs a count with the members of the same
period, of the same day (one export gives both, whatever each metric's cadence) or of the
period that holds its day (a week's active members against that month's members); the
response rate pairs the same period or day only.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from planner.domain.periods import parse_period
from planner.domain.playbook import Metric
from planner.errors import PlannerError

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


@functools.lru_cache(maxsize=4096)
def period_span(period: str) -> tuple[dt.date, dt.date] | None:
    """A period key's first and last day (2027-W03, 2027-01, 2027-Q1), or None for another."""
    try:
        _, span = parse_period(period)
    except PlannerError:
        return None
    return span.start, span.end


def newest_first(readings: Iterable[HealthReading]) -> list[HealthReading]:
    """By the day each was taken, then by its period's last day: newest first (period keys of
    different cadences, 2027-W05 and 2027-01, do not sort by time as text)."""

    def when(r: HealthReading) -> tuple[dt.date, dt.date]:
        span = period_span(r.period)
        return r.date, span[1] if span else r.date

    return sorted(readings, key=when, reverse=True)


def _same_time(numerator: HealthReading, denominator: HealthReading) -> int | None:
    """How well two readings describe the same time, best first: 0 the same period, 1 the same
    day (one export gives both), 2 one's period holds the other's day (a week's active members
    against that month's members); None when they do not."""
    if numerator.period == denominator.period:
        return 0
    if numerator.date == denominator.date:
        return 1
    for outer, inner in ((denominator, numerator), (numerator, denominator)):
        span = period_span(outer.period)
        if span is not None and span[0] <= inner.date <= span[1]:
            return 2
    return None


def _latest_ratio(
    by_metric: dict[str, list[HealthReading]], numerator: str, denominator: str, loosest: int = 2
) -> Ratio | None:
    """The newest numerator reading that has a denominator reading of the same time (see
    `_same_time`, up to `loosest`), over it; the period is the numerator's."""
    below = [d for d in by_metric.get(denominator, []) if d.value > 0]
    for n in by_metric.get(numerator, []):
        matches = [
            (rank, k, d)
            for k, d in enumerate(below)
            if (rank := _same_time(n, d)) is not None and rank <= loosest
        ]
        if matches:
            _, _, d = min(matches, key=lambda m: (m[0], m[1]))
            return Ratio(n.value / d.value, n.value, d.value, n.period)
    return None


def community_health(readings: Iterable[HealthReading], as_of: dt.date) -> CommunityHealth:
    by_metric: dict[str, list[HealthReading]] = {}
    for r in newest_first(r for r in readings if r.metric_id in HEALTH_METRICS):
        if r.date <= as_of:
            by_metric.setdefault(r.metric_id, []).append(r)
    members = by_metric.get("members", [])
    median = by_metric.get("median-hours-to-first-response", [])
    return CommunityHealth(
        members=members[0].value if members else None,
        active_share=_latest_ratio(by_metric, "active-members", "members"),
        contributor_share=_latest_ratio(by_metric, "contributors", "members"),
        response_rate=_latest_ratio(
            by_metric, "questions-answered-in-time", "questions", loosest=1
        ),
        median_hours_to_first_response=median[0].value if median else None,
        median_period=median[0].period if median else None,
    )
