"""Figures as people may see them: where a plan stands, and what a community import read, with
counts of distinct people below the minimum group size shown as "< k".

The command line prints these; it applies no privacy rule of its own (the rule is
`planner.domain.privacy.suppress`). May import the domain, the store (through the use cases) and
the exchange formats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.domain.privacy import counts_distinct_people, suppress
from planner.domain.progress import PlanProgress
from planner.exchange.community import Window as Window
from planner.services.readings import plan_status

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from planner.services.community import CommunityPreview

STATUS_FIELDS = (
    "item_id", "item", "metric", "unit", "status", "actual", "target", "expected",
    "progress", "baseline", "baseline_source", "due", "last_reading",
)  # fmt: skip
"""The fields of a status row, in order."""


@dataclass(frozen=True)
class StatusFigures:
    """A plan's status as of a date, and one row per item and metric (`STATUS_FIELDS`) with
    its actual figure as people may see it."""

    progress: PlanProgress
    rows: list[dict[str, Any]]

    def document(self, plan_id: str, as_of: dt.date) -> dict[str, Any]:
        """The status as JSON-ready data (`planner status --format json`)."""
        return {
            "plan": plan_id,
            "as_of": as_of.isoformat(),
            "adoption_index": self.progress.adoption_index,
            "index_coverage": {
                "counted": self.progress.coverage.counted,
                "total": self.progress.coverage.total,
            },
            "items": self.progress.item_counts(),
            "metrics": self.rows,
        }


def plan_status_figures(engine: Engine, plan_id: str, as_of: dt.date) -> StatusFigures:
    """Where the plan stands as of `as_of`, small groups suppressed."""
    progress = plan_status(engine, plan_id, as_of)
    rows = []
    for r in progress.rows:
        people = counts_distinct_people(r.metric)
        rows.append(
            {
                "item_id": r.item_id,
                "item": r.item_title,
                "metric": r.metric_id,
                "unit": r.metric.unit,
                "status": r.status,
                "actual": suppress(r.actual, distinct_people=people),
                "target": r.target,
                "expected": r.expected,
                "progress": r.progress,
                "baseline": r.baseline,
                "baseline_source": r.baseline_source,
                "due": r.due.isoformat(),
                "last_reading": r.last_reading.isoformat() if r.last_reading else None,
            }
        )
    return StatusFigures(progress, rows)


def community_preview_lines(preview: CommunityPreview) -> list[str]:
    """What a community import read, file by file and figure by figure, small groups
    suppressed (opted-out people left out, and distinct-people figures)."""
    lines = []
    for export in preview.exports:
        left_out = suppress(export.opted_out, distinct_people=True)
        lines.append(
            f"{export.file}: {export.label}, {export.window.describe()} (from "
            f"{export.window_from}), {export.rows:,} rows"
            + (f", opted-out people left out: {left_out}" if export.opted_out else "")
        )
    for r in preview.readings:
        shown = suppress(r.value, distinct_people=r.distinct_people)
        value = f"{shown:g}" if isinstance(shown, float) else shown
        lines.append(f"  '{r.item_title}', {r.metric_name}, {r.period}: {value}")
    lines.extend(f"  skipped: {note}" for note in preview.skipped)
    return lines


def window(end: dt.date, days: int) -> Window:
    """The days a community export covers: `days` days up to `end`, both inclusive."""
    return Window.ending(end, days)


__all__ = [
    "STATUS_FIELDS",
    "StatusFigures",
    "Window",
    "community_preview_lines",
    "plan_status_figures",
    "window",
]
