"""Progress figures in words: counts, rounded figures, baselines and what a status compares.

Pure wording over `MetricProgress` rows, no arithmetic of its own beyond rounding for display
(STYLE.md: thousands separators, no false precision). `planner.domain.progress` re-exports
every public name.
"""

from __future__ import annotations

import datetime as dt

from planner.domain.metric_figures import MetricProgress
from planner.domain.planning import format_day
from planner.domain.playbook import Metric
from planner.domain.statuses import (
    FROM_FIRST_READING,
    FROM_PLAYBOOK,
    FROM_ZERO,
)
from planner.domain.summaries import (
    lower_is_better,
)


def is_count(metric: Metric) -> bool:
    """True when the metric's figures are whole things (a sum, or distinct people): shown and
    exported as whole numbers."""
    if metric.is_share:
        return False
    if metric.aggregation == "sum":
        return True
    unit = metric.unit.strip().lower()
    return unit == "people" or metric.id in ("members", "active-members", "contributors")


def rounded(value: float | None, *, count: bool = False) -> float | int | None:
    """A figure as reports show and export it: a whole number for counts (and any whole
    value), otherwise at most two decimals."""
    if value is None:
        return None
    if count or float(value).is_integer():
        return round(value)
    return round(value, 2)


def figure_text(value: float | str | None, *, count: bool = False) -> str:
    """A figure for people to read: '1,234', '23.17', '< 5' as it is, '—' for None."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    shown = rounded(value, count=count)
    if isinstance(shown, int):
        return f"{shown:,d}"
    return f"{shown:,.2f}".rstrip("0").rstrip(".")


def baseline_text(baseline: float | None, source: str | None, *, count: bool = False) -> str:
    """'0', '88 (from the first reading)', '0 (a sum starts at 0)' or '—'."""
    if baseline is None:
        return "—"
    shown = figure_text(baseline, count=count)
    if source == FROM_FIRST_READING:
        return f"{shown} (from the first reading)"
    if source == FROM_ZERO:
        return f"{shown} (a sum starts at 0)"
    if source == FROM_PLAYBOOK:
        return f"{shown} (the playbook's baseline)"
    return shown


def comparison_text(
    row: MetricProgress, as_of: dt.date, *, actual: float | str | None = None
) -> str:
    """What a status compares, in words: '88 of 90 (baseline 0, expected 60 by 1 Dec 2026)'.

    `actual` replaces the row's own (a suppressed '< 5'); a row without a target says
    '88, no target', one without readings 'no reading yet (target 90)'."""
    count = is_count(row.metric)
    value = row.actual if actual is None else actual
    shown = figure_text(value, count=count)
    if value is None:
        target = "no target" if row.target is None else f"target {figure_text(row.target)}"
        return f"no reading yet ({target})"
    if row.target is None:
        return f"{shown}, no target"
    target = figure_text(row.target, count=count)
    # "9.7 of 4" reads as a share; for a metric that should fall, say what it is aiming at.
    text = (
        f"{shown}, aiming at {target}"
        if lower_is_better(row.metric.direction)
        else (f"{shown} of {target}")
    )
    details = []
    if row.baseline is not None:
        source = {FROM_FIRST_READING: " from the first reading", FROM_ZERO: ""}.get(
            row.baseline_source or "", ""
        )
        details.append(f"baseline {figure_text(row.baseline, count=count)}{source}")
    if row.expected is not None:
        details.append(f"expected {figure_text(row.expected, count=count)} by {format_day(as_of)}")
    return f"{text} ({', '.join(details)})" if details else text
