"""The plan adoption index and its coverage (the metrics counted out of all of them).

See `planner.domain.progress` for the rule ("92% · 9 of 23 metrics counted"). Pure: imports the
metric rows and statuses only; `planner.domain.progress` re-exports every public name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from planner.domain.metric_figures import MetricProgress
from planner.domain.statuses import (
    TRACKED,
)


def adoption_index(rows: Iterable[MetricProgress]) -> float | None:
    """Mean of the rows' index shares (see the module docstring); None when none counts."""
    shares = [s for s in (r.index_share for r in rows) if s is not None]
    return sum(shares) / len(shares) if shares else None


class IndexCoverage(NamedTuple):
    """Which share of the plan's item-metrics the adoption index stands on."""

    counted: int
    """Rows with a share in the index (on track, at risk, off track)."""
    total: int
    """Every row: each item-metric of the items that are not dropped."""

    @property
    def left_out(self) -> int:
        return self.total - self.counted

    def __str__(self) -> str:
        noun = "metric" if self.total == 1 else "metrics"
        return f"{self.counted:,} of {self.total:,} {noun} counted"


def index_coverage(rows: Iterable[MetricProgress]) -> IndexCoverage:
    """The index's coverage over these rows (see `IndexCoverage`)."""
    counted = total = 0
    for row in rows:
        total += 1
        counted += row.status in TRACKED
    return IndexCoverage(counted, total)


def percent_text(value: float | None) -> str:
    """A fraction as a whole percent ('92%'), '—' for None: no false precision."""
    return "—" if value is None else f"{round(value * 100):d}%"


def index_label(index: float | None, coverage: IndexCoverage | None) -> str:
    """'92% · 9 of 23 metrics counted' (or '— · 0 of 23 metrics counted')."""
    shown = percent_text(index)
    return shown if coverage is None else f"{shown} · {coverage}"
