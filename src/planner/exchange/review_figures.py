"""The review CSV's progress columns, and the whole review CSV of a plan's narrow read.

After the review's own columns (`planner.exchange.review_csv.REVIEW_COLUMNS`) come, as of a
date: actual, expected, progress, status, last reading, stories, unit, due, baseline, baseline
from. `review_csv_of_read` computes them from a plan's read (`planner.domain.status.PlanRead`)
with the plan status's own computation, without building its records; `progress_columns` makes
the same from a `PlanProgress` (the straightforward path, which tests compare it with).

Pure: imports the domain and `planner.exchange.review_csv` only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from operator import attrgetter, itemgetter
from typing import Any

from planner.domain.playbook import Metric
from planner.domain.privacy import counts_distinct_people, suppress
from planner.domain.progress import PlanProgress, ReadingsSummary, is_count
from planner.domain.status import (
    PlanRead,
    scheduled_days,
    status_figures,
)
from planner.exchange.review_csv import (
    REVIEW_COLUMNS,
    Column,
    ItemColumn,
    MetricColumn,
    ReviewItem,
    ReviewMetric,
    review_csv_bytes,
    review_rows,
)

__all__ = ["progress_columns", "review_csv_of_read"]


def progress_columns(
    progress: PlanProgress, stories: Mapping[str, int] | None = None
) -> tuple[Column, ...]:
    """The columns after the review's own, as of the status's date: actual, expected, progress,
    status, last reading, stories, unit, due, baseline, baseline from (the straightforward
    path: `review_csv_of_read` computes the same from its own read).

    Distinct-people actuals below the minimum group size read "< 5", as everywhere people
    read them; progress is a fraction rounded to two decimals (0.95 = 95% of what was expected
    by now); figures are whole numbers for counts, else at most two decimals."""
    rows = {
        (r.item_id, r.metric_id): (
            r.metric,
            r.actual,
            r.expected,
            r.progress,
            r.status,
            r.baseline,
            r.due,
            r.baseline_source,
        )
        for r in progress.rows
    }
    last = {(r.item_id, r.metric_id): r.last_reading for r in progress.rows if r.last_reading}
    front, back = _progress_columns(rows, last)
    return (*front, _stories_column(stories or {}), *back)


def _stories_column(stories: Mapping[str, int]) -> ItemColumn:
    return ItemColumn("stories", lambda i: stories.get(i.id, 0))


_RowFigures = tuple[
    Metric,
    float | None,
    float | None,
    float | None,
    str,
    float | None,
    date | None,
    str | None,
]
"""What the progress columns show of a row: metric, actual, expected, progress, status,
baseline, due, baseline source."""


_FRONT = ("actual", "expected", "progress", "status", "last reading")


_BACK = ("unit", "due", "baseline", "baseline from")
"""The columns before the stories column, and those appended after it."""


def _round(value: Any, count: bool) -> Any:
    """`planner.domain.progress.rounded`, inlined: called for every figure of a 2,000-item plan."""
    if value.__class__ is not float:
        return value
    if count or value.is_integer():
        return round(value)
    return round(value, 2)


def _progress_columns(
    rows: Mapping[tuple[str, str], _RowFigures],
    last_readings: Mapping[tuple[str, str], date],
) -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    """The progress columns and the last reading (`_FRONT`), and the unit, due and baseline
    columns (`_BACK`), from each (item id, metric id)'s figures."""
    distinct: dict[int, tuple[bool, bool]] = {}  # by metric: made once per metric, not per row
    cells: dict[tuple[str, str], tuple[object, ...]] = {}
    for key, (metric, actual, expected, progress, status, baseline, due, source) in rows.items():
        flags = distinct.get(id(metric))
        if flags is None:
            flags = distinct[id(metric)] = (counts_distinct_people(metric), is_count(metric))
        people, count = flags
        cells[key] = (
            _round(suppress(actual, distinct_people=people), count),
            _round(expected, count),
            round(progress, 2) if isinstance(progress, float) else progress,
            status,
            last_readings.get(key),
            metric.unit,
            due,
            _round(baseline, count),
            source,
        )
    blank = (None,) * 9
    # The columns of one run share the same row lists: look each row's figures up once.
    looked_up: dict[tuple[int, int], list[tuple[object, ...]]] = {}

    def figures(items: Sequence[ReviewItem], metrics: Sequence[ReviewMetric]) -> list[Any]:
        key = (id(items), id(metrics))
        found = looked_up.get(key)
        if found is None:
            get = cells.get
            ids = zip(map(_ID, items), map(_ID, metrics), strict=True)
            found = looked_up[key] = [get(k, blank) for k in ids]
        return found

    def cell(index: int) -> Callable[[ReviewItem, ReviewMetric], object]:
        def value(item: ReviewItem, metric: ReviewMetric) -> object:
            return cells.get((item.id, metric.id), blank)[index]

        return value

    def column(index: int) -> Callable[[Sequence[ReviewItem], Sequence[ReviewMetric]], list[Any]]:
        def values(items: Sequence[ReviewItem], metrics: Sequence[ReviewMetric]) -> list[Any]:
            return list(map(itemgetter(index), figures(items, metrics)))

        return values

    headers = (*_FRONT, *_BACK)
    made = tuple(MetricColumn(h, cell(k), column(k)) for k, h in enumerate(headers))
    return made[: len(_FRONT)], made[len(_FRONT) :]


_ID = attrgetter("id")


def review_csv_of_read(
    read: PlanRead,
    summary_of: Callable[[tuple[str, str]], ReadingsSummary | None],
    stories: Mapping[str, int],
    as_of: date,
    *,
    excel: bool = False,
    categories: Mapping[str, str] | None = None,
) -> bytes:
    """The review CSV of a plan's read (`planner.store.status.read_plan`) as of `as_of`, with
    its readings' summaries and each item's stories: one read serves both the review columns
    and the progress ones (the same computation as `planner.services.readings.plan_status`,
    without building its records). `categories` maps category ids to the titles shown
    (`category_names`)."""
    starts, last_days = scheduled_days(read)
    last_readings: dict[tuple[str, str], date] = {}
    figures = {
        (item.id, metric.id): (
            metric,
            found[1],
            found[3],
            found[4],
            found[0],
            found[5],
            found[6],
            found[7],
        )
        for item, rows in status_figures(read, starts, last_days, summary_of, as_of)
        for metric, found, _ in rows
    }
    for key in figures:
        summary = summary_of(key)
        if summary is not None and summary.readings:
            last_readings[key] = summary.last_date
    front, back = _progress_columns(figures, last_readings)
    columns = (*REVIEW_COLUMNS, *front, _stories_column(stories), *back)
    items = review_rows(read, starts, last_days, categories)
    return review_csv_bytes(items, excel=excel, columns=columns)
