"""The review CSV: one row per plan item and metric, for the team's review meeting.

Columns (`REVIEW_COLUMNS`, in this order):

    item id      the item's stable id (the same in every database the plan is restored to)
    tactic       the item's title: the tactic's title, or a custom item's own title
    category     the tactic's category, by its title in the taxonomy ("Coaching and
                 development"); `Custom` for a custom item
    owner        the owner's name; blank when the item has no owner
    team         the team the item is for
    start        first day, YYYY-MM-DD, from the computed schedule (a pinned start as pinned)
    end          last day (inclusive), YYYY-MM-DD
    item status  planned, in progress, done, blocked or dropped
    notes        the item's notes
    metric       the metric's name; blank on the one row of an item without metrics
    target       the item's target for the metric, a plain number; blank when it sets none
    actual, expected, progress, status, last reading, stories   as of the date (see
                 `planner.exchange.review_figures.progress_columns`)
    unit         the metric's unit
    due          the target's due date (by default the item's last day), YYYY-MM-DD
    baseline     what progress is measured from (the target's baseline, 0 for a sum, else
                 the first reading; blank before there is one)
    baseline from  target, zero or first reading: where the baseline came from

Figures are whole numbers for counts (sums and distinct people), else at most two decimals;
progress is a fraction with two decimals (1.02 = 102% of what was expected by now).

Rows: items in plan order (position, then id), each item's metrics in the order the tactic (or
the custom item) lists them. Text is neutralised against formula injection and the bytes are
UTF-8 with `\\r\\n` line endings (see `planner.exchange.csvsafe`); `excel=True` adds a BOM.

The same plan as of the same date gives the same bytes: there is no export time stamp, every id
is a stable plan or item id, and the order does not depend on the database. `as_of` is where
figures computed for a date (progress, status against target) come in as later columns are
added; the columns above do not depend on it.

Adding a column is one line in `REVIEW_COLUMNS`: an `ItemColumn` (the same on every row of an
item) or a `MetricColumn` (per metric), given a header and a function returning the value.

A pure format: records in, bytes out. `planner.exchange.review_figures.review_csv_of_read`
makes the CSV of a plan's narrow
read (`planner.store.status.read_plan`, a `planner.domain.status.PlanRead`), the columns in
`REVIEW_COLUMNS` plus the progress ones; `review_csv_bytes` writes any rows and columns. Reading
the plan from the database is `planner.services.reports.review_csv`. Imports the domain and
`planner.exchange` helpers only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat
from operator import attrgetter
from typing import NamedTuple, cast

from planner.domain.planning import PlanItem
from planner.domain.schedule import Schedule
from planner.domain.status import (
    CUSTOM_CATEGORY,
    ItemKind,
    PlanRead,
)
from planner.exchange.csvsafe import encode_lines, field, fields
from planner.exchange.playbooks import category_titles

__all__ = [
    "CUSTOM_CATEGORY",
    "CUSTOM_TITLE",
    "REVIEW_COLUMNS",
    "Column",
    "ItemColumn",
    "MetricColumn",
    "ReviewItem",
    "ReviewMetric",
    "category_names",
    "review_csv_bytes",
    "review_items",
    "review_rows",
]

CUSTOM_TITLE = "Custom"
"""The category shown for a custom item."""


# NamedTuples: made by the thousand on every export, several times cheaper than dataclasses.
class ReviewMetric(NamedTuple):
    """One metric of an item, with the item's target for it (None when it sets none)."""

    id: str
    name: str
    unit: str
    target: float | None


class ReviewItem(NamedTuple):
    """What the review CSV shows of one plan item, its dates already scheduled."""

    id: str
    title: str
    tactic_id: str | None
    category: str
    owner: str
    team: str
    start: date
    last_day: date
    status: str
    notes: str
    metrics: tuple[ReviewMetric, ...]


@dataclass(frozen=True, slots=True)
class ItemColumn:
    """A column with the same value on every row of an item."""

    header: str
    value: Callable[[ReviewItem], object]


@dataclass(frozen=True, slots=True)
class MetricColumn:
    """A column whose value depends on the row's metric (blank on an item without metrics)."""

    header: str
    value: Callable[[ReviewItem, ReviewMetric], object]
    bulk: Callable[[Sequence[ReviewItem], Sequence[ReviewMetric]], list[object]] | None = None
    """Optional: the whole column for rows of (item, metric) at once, the same values as
    `value` row by row; for columns computed by lookup, where a call per cell dominates."""


Column = ItemColumn | MetricColumn

REVIEW_COLUMNS: tuple[Column, ...] = (
    ItemColumn("item id", attrgetter("id")),
    ItemColumn("tactic", attrgetter("title")),
    ItemColumn("category", attrgetter("category")),
    ItemColumn("owner", attrgetter("owner")),
    ItemColumn("team", attrgetter("team")),
    ItemColumn("start", attrgetter("start")),
    ItemColumn("end", attrgetter("last_day")),
    ItemColumn("item status", attrgetter("status")),
    ItemColumn("notes", attrgetter("notes")),
    MetricColumn("metric", lambda item, metric: metric.name),
    MetricColumn("target", lambda item, metric: metric.target),
)


def review_csv_bytes(
    items: Sequence[ReviewItem],
    *,
    excel: bool = False,
    columns: Sequence[Column] = REVIEW_COLUMNS,
) -> bytes:
    """The CSV bytes: one row per item and metric, one row for an item without metrics.

    Column values are text, numbers, dates or None (see `planner.exchange.csvsafe.cell`).
    """
    # Column by column rather than cell by cell: a column's values are gathered with `map`,
    # each distinct value is formatted once (owners, titles, dates, metric names and targets
    # repeat across thousands of rows), and cells are joined with `map` and `zip`.
    per_item = [item.metrics or _NO_METRIC for item in items]
    metrics = list(chain.from_iterable(per_item))  # each row's metric; None: the item has none
    row_item: list[int] | None = None  # each row's item index; None when it is the row index
    if len(metrics) != len(items):
        row_item = list(chain.from_iterable(map(repeat, range(len(items)), map(len, per_item))))
    pieces: list[list[str]] = []  # per run of neighbouring columns of one kind: each row's cells
    for item_columns, metric_columns in _runs(columns):
        if item_columns:
            cells = _joined([fields(list(map(c.value, items))) for c in item_columns])
            pieces.append(cells if row_item is None else list(map(cells.__getitem__, row_item)))
        else:
            pieces.append(_metric_cells(metric_columns, items, metrics, row_item))
    lines = [",".join(field(c.header) for c in columns)]
    if len(pieces) == 1:
        lines += pieces[0]
    elif pieces:
        lines += map(",".join, zip(*pieces, strict=True))
    else:  # no columns: an empty line per row
        lines += [""] * len(metrics)
    return encode_lines(lines, excel=excel)


_NO_METRIC: tuple[None] = (None,)
"""The metric of the one row of an item without metrics."""


def _runs(columns: Sequence[Column]) -> list[tuple[list[ItemColumn], list[MetricColumn]]]:
    """The columns in runs of neighbours of one kind: (item columns, []) or ([], metric ones)."""
    runs: list[tuple[list[ItemColumn], list[MetricColumn]]] = []
    for column in columns:
        if isinstance(column, ItemColumn):
            if not runs or not runs[-1][0]:
                runs.append(([], []))
            runs[-1][0].append(column)
        else:
            if not runs or not runs[-1][1]:
                runs.append(([], []))
            runs[-1][1].append(column)
    return runs


def _metric_cells(
    columns: Sequence[MetricColumn],
    items: Sequence[ReviewItem],
    metrics: list[ReviewMetric | None],
    row_item: list[int] | None,
) -> list[str]:
    """Each row's cells of neighbouring metric columns, joined; blank on a metricless row."""
    rows: Sequence[int] = range(len(metrics)) if row_item is None else row_item
    if None not in metrics:
        every = cast(list[ReviewMetric], metrics)
        row_items = list(map(items.__getitem__, rows))
        return _joined([fields(_values(c, row_items, every)) for c in columns])
    found = [r for r, metric in enumerate(metrics) if metric is not None]
    row_items = [items[rows[r]] for r in found]
    found_metrics = [metric for metric in metrics if metric is not None]
    texts = _joined([fields(_values(c, row_items, found_metrics)) for c in columns])
    cells = ["," * (len(columns) - 1)] * len(metrics)
    for r, text in zip(found, texts, strict=True):
        cells[r] = text
    return cells


def _values(
    column: MetricColumn, items: Sequence[ReviewItem], metrics: Sequence[ReviewMetric]
) -> list[object]:
    if column.bulk is not None:
        return column.bulk(items, metrics)
    return list(map(column.value, items, metrics))


def _joined(columns: list[list[str]]) -> list[str]:
    """Each row's cells of neighbouring columns, joined with commas."""
    return columns[0] if len(columns) == 1 else list(map(",".join, zip(*columns, strict=True)))


def category_names(categories: Mapping[str, str] | None = None) -> dict[str, str]:
    """Category id -> the title the CSV shows: `categories` (default: the taxonomy's), and
    `Custom` for custom items."""
    return {
        CUSTOM_CATEGORY: CUSTOM_TITLE,
        **(category_titles() if categories is None else categories),
    }


def review_items(
    items: Sequence[PlanItem],
    schedule: Schedule,
    owner_names: Mapping[str, str],
    categories: Mapping[str, str] | None = None,
) -> list[ReviewItem]:
    """Review rows from full plan records and their computed schedule (items in plan order);
    categories by title (`category_names`)."""
    names = category_names(categories)
    found = []
    for item in sorted(items, key=lambda i: (i.position, i.id)):
        entry = schedule.entries[item.id]
        targets = {t.metric_id: t.value for t in item.targets}
        found.append(
            ReviewItem(
                id=item.id,
                title=item.title,
                tactic_id=item.tactic_id,
                category=names.get(
                    item.snapshot.category if item.snapshot else CUSTOM_CATEGORY,
                    item.snapshot.category if item.snapshot else CUSTOM_TITLE,
                ),
                owner=owner_names.get(item.owner_id, "") if item.owner_id else "",
                team=item.team,
                start=entry.start,
                last_day=entry.last_day,
                status=item.status,
                notes=item.notes,
                metrics=tuple(
                    ReviewMetric(m.id, m.name, m.unit, targets.get(m.id)) for m in item.metrics
                ),
            )
        )
    return found


def review_rows(
    read: PlanRead,
    starts: Sequence[date],
    last_days: Sequence[date],
    categories: Mapping[str, str] | None = None,
) -> list[ReviewItem]:
    """Review rows from a plan's read and its scheduled days (`scheduled_days`); `categories`
    maps category ids to the titles shown (`category_names`)."""
    names = categories or {}
    if not read.ids:
        return []
    kinds = read.kinds
    return list(
        map(
            ReviewItem._make,
            zip(
                read.ids,
                read.titles,
                [kind.tactic_id for kind in kinds],
                [names.get(kind.category, kind.category) for kind in kinds],
                [owner or "" for owner in read.owners],
                read.teams,
                starts,
                last_days,
                read.statuses,
                read.notes,
                _review_metrics(read.ids, kinds, read.values),
                strict=True,
            ),
        )
    )


def _review_metrics(
    ids: Sequence[str], kinds: Sequence[ItemKind], values: Mapping[str, Mapping[str, float]]
) -> list[tuple[ReviewMetric, ...]]:
    """Each item's metrics in order, each with the item's target for it (or None).

    A kind's metric rows are made once per distinct set of targets: items following one tactic
    mostly share their targets (the tactic's defaults)."""
    made: dict[tuple[int, tuple[float | None, ...]], tuple[ReviewMetric, ...]] = {}
    found: list[tuple[ReviewMetric, ...]] = []
    for item_id, kind in zip(ids, kinds, strict=True):
        targets = values.get(item_id)
        figures = tuple(map(targets.get, kind.metric_ids)) if targets else kind.no_targets
        key = (id(kind), figures)
        metrics = made.get(key)
        if metrics is None:
            metrics = made[key] = tuple(
                ReviewMetric(mid, name, unit, value)
                for (mid, name, unit), value in zip(kind.metrics, figures, strict=True)
            )
        found.append(metrics)
    return found
