"""What every review report shows (Markdown, iCalendar, workbook, HTML): the `Report` records.

`Report` holds the plan as of a date: the items with their scheduled dates, owners and each
item-metric's progress as of the date (`ReportItem`, `ReportMetric`), the readings up to the
date (`ReportReading`), milestones, reviews held (`ReportReview`) and planned, and the action
items as they stood on the date (`ReportAction`; with no reviews or actions, the formats show
`NO_REVIEWS` / `NO_ACTIONS`). Also here: the words and figures every format shares (`percent`,
`number`, `headline_counts`).

`planner.exchange.report_sources.report_of` shapes a `Report` from what the services read;
`planner.services.reports.gather_report` reads it. The formats are pure functions of the
`Report`, so the same plan as of the same date gives the same bytes: nothing reads the clock,
every id is a stable plan or item id, and every list has a fixed order (items in plan order,
metrics as the item lists them, readings by item, metric and period). Actuals of metrics that
count distinct people are suppressed ("< 5") before they reach a `Report`.

Pure: imports only the domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from planner.domain.planning import Plan
from planner.domain.progress import (
    AT_RISK,
    OFF_TRACK,
    STATUSES,
    IndexCoverage,
    figure_text,
    index_label,
    percent_text,
)

CUSTOM = "Custom"
"""The category shown for a custom item (one no playbook describes)."""

DROPPED = "dropped"
"""The shown status of a dropped item: it is left out of progress (it will not happen)."""

NO_ACTIONS = (
    "No action items yet: add them when you record a review, or from the plan's review page."
)
NO_REVIEWS = (
    "No reviews recorded yet: record one from the plan's review page. The planned review "
    "dates follow from the plan's start and review cadence."
)

ATTENTION: tuple[str, ...] = (OFF_TRACK, AT_RISK)
"""Statuses that put an item at the top of a report, worst first."""


@dataclass(frozen=True, slots=True)
class ReportMetric:
    """One metric of an item as of the report's date."""

    id: str
    name: str
    unit: str
    status: str
    actual: str | float | None
    """Suppressed: "< 5" for a small count of distinct people."""
    target: float | None
    expected: float | None
    progress: float | None
    last_reading: date | None
    due: date
    baseline: float | None = None
    baseline_source: str | None = None
    """`planner.domain.progress.FROM_TARGET`, `FROM_ZERO` or `FROM_FIRST_READING`."""
    count: bool = False
    """Whole things (`planner.domain.progress.is_count`): figures shown as whole numbers."""
    compared: str = ""
    """What the status compares, in words (`planner.domain.progress.comparison_text`)."""


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One plan item: its scheduled dates, owner, work status and progress status."""

    id: str
    title: str
    category: str
    """The category's title in the taxonomy (`CUSTOM` for a custom item)."""
    owner: str
    team: str
    start: date
    last_day: date
    work_status: str
    """planned, in progress, done, blocked or dropped."""
    status: str
    """The progress status (`planner.domain.progress.STATUSES`), or `DROPPED`."""
    notes: str
    metrics: tuple[ReportMetric, ...]
    stories: int
    """Stories told about the item up to the report's date."""
    overdue: bool
    """Past its last day and neither done nor dropped."""

    @property
    def last_reading(self) -> date | None:
        days = [m.last_reading for m in self.metrics if m.last_reading is not None]
        return max(days, default=None)


@dataclass(frozen=True, slots=True)
class ReportReading:
    """One reading up to the report's date (value suppressed like actuals)."""

    item_id: str
    item_title: str
    metric_name: str
    period: str
    date: date
    value: str | float | None
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class ReportMilestone:
    """A step of an item on its date; `index` counts the item's steps from 0 (a stable id)."""

    item_id: str
    item_title: str
    index: int
    date: date
    text: str


@dataclass(frozen=True, slots=True)
class ReportAction:
    """An action item as it stood on the report's date."""

    id: str
    text: str
    owner: str
    """The owner's current name, or the free-text owner; empty when nobody owns it."""
    due: date | None
    status: str
    """open, done or dropped, as of the report's date."""
    raised_at: date | None
    """The date of the review that created it (None: added between reviews)."""
    closed_at: date | None
    """The date of the review that closed it, if one did."""
    overdue: bool
    """Open and due before the report's date."""


@dataclass(frozen=True, slots=True)
class ReportReview:
    """A review held on or before the report's date."""

    id: str
    date: date
    attendees: tuple[str, ...]
    adoption_index: float | None
    """The adoption index of its snapshot (as it stood at the meeting)."""
    decisions: tuple[str, ...]
    notes: str
    actions_raised: int


@dataclass(frozen=True, slots=True)
class Report:
    plan: Plan
    as_of: date
    lead: str
    items: tuple[ReportItem, ...]
    """In plan order (position, then id)."""
    readings: tuple[ReportReading, ...]
    milestones: tuple[ReportMilestone, ...]
    reviews: tuple[date, ...]
    """Planned review dates (`review_dates`: from the last review held, else the start)."""
    adoption_index: float | None
    counts: dict[str, int]
    """Items per progress status, every status present; dropped items are not counted."""
    first_day: date
    last_day: date
    """The plan's first and last (inclusive) scheduled days."""
    next_review: date
    """`planner.services.reviews.next_review_date` as of the report's date."""
    held: tuple[ReportReview, ...] = ()
    """Reviews held on or before the report's date, newest first."""
    actions: tuple[ReportAction, ...] = ()
    """Action items existing on the report's date, open ones first (`report_actions`)."""
    coverage: IndexCoverage | None = None
    """How many item-metrics the adoption index counts, of all of them."""

    @property
    def index_text(self) -> str:
        """'92% · 9 of 23 metrics counted'."""
        return index_label(self.adoption_index, self.coverage)

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)

    def attention(self) -> list[ReportItem]:
        """Off-track items, then at-risk ones, each in plan order."""
        return [i for status in ATTENTION for i in self.items if i.status == status]

    def others(self) -> list[ReportItem]:
        return [i for i in self.items if i.status not in ATTENTION]

    @property
    def open_actions(self) -> list[ReportAction]:
        return [a for a in self.actions if a.status == "open"]


def percent(value: float | None) -> str:
    """0.734 -> '73%'; '—' for None: progress is a whole percent in every human report."""
    return percent_text(value)


def number(value: str | float | None, *, count: bool = False) -> str:
    """A figure as text: '12', '1,234', '23.17' (at most two decimals; whole numbers for
    counts), '< 5' as it is, '—' for None."""
    return figure_text(value, count=count)


def headline_counts(report: Report) -> Sequence[tuple[str, int]]:
    """(status, items) for every progress status, in legend order."""
    return [(status, report.counts[status]) for status in STATUSES]
