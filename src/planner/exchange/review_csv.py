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
                 `progress_columns`)
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

`export_review_csv` reads what the CSV needs with two narrow queries, the items with their
owners' names and the items' targets (plus the plan's start date and its distinct tactic
snapshots), and computes only the dates of the schedule (`schedule_days`), without building full
plan records, because a 2,000-item plan is exported in a review meeting while people wait.
"""

from __future__ import annotations

import functools
import gc
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, cast

from sqlalchemy import Dialect, Engine, Select, bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from planner.domain.planning import PlanItem
from planner.domain.playbook import Metric, Tactic
from planner.domain.privacy import counts_distinct_people, suppress
from planner.domain.progress import (
    ItemFigures,
    PlanProgress,
    TargetFigures,
    is_count,
    progress_figures,
    progress_of,
)
from planner.domain.schedule import Schedule, schedule_days
from planner.errors import NotFoundError
from planner.exchange.csvsafe import encode_lines, field, fields
from planner.exchange.playbooks import category_titles
from planner.store import ITEMS, PEOPLE, PLANS, SNAPSHOTS, STORIES, TARGETS, Repository, uow

CUSTOM_CATEGORY = "custom"
"""The category id of a custom item (one no playbook describes)."""
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


def progress_columns(
    progress: PlanProgress, stories: Mapping[str, int] | None = None
) -> tuple[Column, ...]:
    """The columns after the review's own, as of the status's date: actual, expected, progress,
    status, last reading, stories, unit, due, baseline, baseline from (the straightforward
    path: `export_review_csv` computes the same from its own read).

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


def stories_per_item(engine: Engine, plan_id: str, as_of: date) -> dict[str, int]:
    with uow(engine, write=False) as session:
        return _stories_per_item(session.connection(), plan_id, as_of)


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


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The export makes tens of thousands of short-lived, acyclic tuples and strings; the cyclic
    collector's passes over them are wasted work (up to half the export's time), so it pauses
    for the duration and is restored to its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def export_review_csv(
    engine: Engine,
    plan_id: str,
    *,
    as_of: date | None = None,
    excel: bool = False,
    categories: Mapping[str, str] | None = None,
) -> bytes:
    """The plan's review CSV as of `as_of` (default today); see the module docstring.

    `categories` maps category ids to titles (default: the taxonomy's, `category_titles`).
    One read serves both the review columns and the progress ones (the same computation as
    `planner.services.readings.plan_status`, without building its records)."""
    as_of = as_of or date.today()
    names = category_names(categories)
    with _no_cyclic_gc(), uow(engine, write=False) as session:
        read = _read_plan(session.connection(), plan_id)
        summaries = Repository(session).reading_summaries(plan_id, as_of)
        stories = _stories_per_item(session.connection(), plan_id, as_of)
    with _no_cyclic_gc():
        return _export(read, summaries, stories, as_of, excel, names)


def _stories_per_item(conn: Connection, plan_id: str, as_of: date) -> dict[str, int]:
    """How many value-creation stories each item has, told on or before `as_of`."""
    query = (
        select(STORIES.c.item_id, func.count())
        .join(ITEMS, ITEMS.c.id == STORIES.c.item_id)
        .where(ITEMS.c.plan_id == plan_id, STORIES.c.date <= as_of)
        .group_by(STORIES.c.item_id)
    )
    return {str(item_id): int(n) for item_id, n in conn.execute(query)}


def _export(
    read: Any,
    summaries: Any,
    stories: Mapping[str, int],
    as_of: date,
    excel: bool,
    categories: Mapping[str, str] | None = None,
) -> bytes:
    kinds, starts, last_days = _schedule_read(read)
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
        for item, rows in progress_figures(
            _status_items(read, kinds, starts, last_days),
            summaries.get,
            as_of,
            read.at_risk_threshold,
            read.off_track_threshold,
        )
        for metric, found, _ in rows
    }
    for key in figures:
        summary = summaries.get(key)
        if summary is not None and summary.readings:
            last_readings[key] = summary.last_date
    front, back = _progress_columns(figures, last_readings)
    columns = (*REVIEW_COLUMNS, *front, _stories_column(stories), *back)
    items = _review_rows(read, kinds, starts, last_days, categories)
    return review_csv_bytes(items, excel=excel, columns=columns)


def read_plan_status(session: Session, plan_id: str, as_of: date) -> PlanProgress:
    """`planner.services.readings.plan_status` inside a transaction: the plan's items read with the
    review's narrow queries (no full plan records), their readings summed up in SQL."""
    read = _read_plan(session.connection(), plan_id)
    summaries = Repository(session).reading_summaries(plan_id, as_of)
    kinds, starts, last_days = _schedule_read(read)
    return progress_of(
        plan_id,
        as_of,
        progress_figures(
            _status_items(read, kinds, starts, last_days),
            summaries.get,
            as_of,
            read.at_risk_threshold,
            read.off_track_threshold,
        ),
    )


# --- the fast read --------------------------------------------------------------------------

_ITEM_ROWS = (
    select(
        ITEMS.c.id,
        ITEMS.c.title,
        ITEMS.c.snapshot_hash,
        ITEMS.c.custom_metrics,
        PEOPLE.c.name,
        ITEMS.c.team,
        ITEMS.c.pinned_start,
        ITEMS.c.duration_weeks,
        ITEMS.c.status,
        ITEMS.c.notes,
    )
    .select_from(ITEMS.outerjoin(PEOPLE, PEOPLE.c.id == ITEMS.c.owner_id))
    .where(ITEMS.c.plan_id == bindparam("plan_id"))
    .order_by(ITEMS.c.position, ITEMS.c.id)
)
"""The plan's items in plan order, with their owners' names: one row per item."""

_TARGET_ROWS = (
    select(
        TARGETS.c.item_id,
        TARGETS.c.metric_id,
        TARGETS.c.value,
        TARGETS.c.due_date,
        TARGETS.c.baseline,
    )
    .join(ITEMS, ITEMS.c.id == TARGETS.c.item_id)
    .where(ITEMS.c.plan_id == bindparam("plan_id"))
)
"""The targets of the plan's items, in no particular order."""

_SNAPSHOT_ROWS = select(SNAPSHOTS.c.hash, SNAPSHOTS.c.data).where(
    SNAPSHOTS.c.hash.in_(
        select(ITEMS.c.snapshot_hash).where(ITEMS.c.plan_id == bindparam("plan_id")).distinct()
    )
)
"""The distinct tactic snapshots the plan's items follow."""


def read_review_items(
    engine: Engine, plan_id: str, categories: Mapping[str, str] | None = None
) -> list[ReviewItem]:
    """The plan's review rows, scheduled; read in one transaction, with two narrow queries."""
    with uow(engine, write=False) as session:
        read = _read_plan(session.connection(), plan_id)
    kinds, starts, last_days = _schedule_read(read)
    return _review_rows(read, kinds, starts, last_days, category_names(categories))


class _PlanRead(NamedTuple):
    """What the review and the status read of a plan, as the driver gives it."""

    start_date: date
    at_risk_threshold: float
    off_track_threshold: float
    items: list[Any]
    """Rows of `_ITEM_ROWS`."""
    values: dict[str, dict[str, float]]
    """Target values by item and metric id."""
    targets: dict[str, dict[str, TargetFigures]]
    """Targets (value, due date, baseline) by item and metric id."""
    kinds: dict[str, _Kind]
    """By snapshot hash."""


def _read_plan(db: Connection, plan_id: str) -> _PlanRead:
    plan = db.execute(
        select(PLANS.c.start_date, PLANS.c.at_risk_threshold, PLANS.c.off_track_threshold).where(
            PLANS.c.id == plan_id
        )
    ).one_or_none()
    if plan is None:
        raise NotFoundError(f"No plan with id '{plan_id}'. Pick a plan from the list.")
    with _driver_cursor(db, _ITEM_ROWS, plan_id) as rows:
        items = rows.fetchall()
    values: dict[str, dict[str, float]] = {}
    targets: dict[str, dict[str, TargetFigures]] = {}
    with _driver_cursor(db, _TARGET_ROWS, plan_id) as rows:
        for item_id, metric_id, value, due, baseline in rows:  # row by row: no big list
            figures = (value, None if due is None else _day(due), baseline)
            found = values.get(item_id)
            if found is None:
                values[item_id] = {metric_id: value}
                targets[item_id] = {metric_id: figures}
            else:
                found[metric_id] = value
                targets[item_id][metric_id] = figures
    with _driver_cursor(db, _SNAPSHOT_ROWS, plan_id) as rows:
        kinds = {digest: _Kind.of(_json(data)) for digest, data in rows}
    start, at_risk, off_track = plan
    return _PlanRead(start, at_risk, off_track, items, values, targets, kinds)


@contextmanager
def _driver_cursor(db: Connection, statement: Select[Any], plan_id: str) -> Iterator[Any]:
    """A database driver's cursor over the statement's rows, in the transaction of `db`.

    Plain tuples, without SQLAlchemy's row objects and result processing, which cost more than
    the read itself on thousands of rows. Values come as the driver gives them: dates and JSON
    as text on SQLite, as objects on PostgreSQL (`_day` and `_json` take either).
    """
    compiled = _compiled(statement, db.dialect)
    params: tuple[str, ...] | dict[str, str] = {"plan_id": plan_id}
    if compiled.positional:
        params = (plan_id,) * len(compiled.positiontup or ())
    cursor = db.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        yield cursor
    finally:
        cursor.close()


@functools.lru_cache(maxsize=16)
def _compiled(statement: Select[Any], dialect: Dialect) -> SQLCompiler:
    """The statement's SQL for one kind of database (only SQL text is kept, never rows)."""
    compiled = statement.compile(dialect=dialect)
    if set(compiled.binds) != {"plan_id"}:  # _driver_cursor passes the plan id, nothing else
        raise AssertionError(f"unexpected parameters {sorted(compiled.binds)}")
    return compiled


def _day(value: date | str) -> date:
    """A date column's value: a date from PostgreSQL, `YYYY-MM-DD` text from SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def _json(value: Any) -> Any:
    """A JSON column's value: parsed by PostgreSQL's driver, text from SQLite."""
    return json.loads(value) if isinstance(value, str | bytes) else value


class _Kind:
    """What the review needs of a tactic snapshot (or of one custom item's own metrics).

    Its metric rows are made once per distinct set of targets: items following one tactic
    mostly share their targets (the tactic's defaults), and each export makes its own kinds.
    """

    __slots__ = (
        "_ids",
        "_made",
        "_metrics",
        "_no_targets",
        "_records",
        "_stored",
        "category",
        "prerequisites",
        "tactic_id",
    )

    def __init__(
        self,
        tactic_id: str | None,
        category: str,
        prerequisites: tuple[str, ...],
        metrics: tuple[tuple[str, str, str], ...],
        stored: Any = None,
    ) -> None:
        self.tactic_id = tactic_id
        self.category = category
        self.prerequisites = prerequisites
        self._metrics = metrics  # (id, name, unit), in the tactic's order
        self._ids = tuple(metric_id for metric_id, _, _ in metrics)
        self._no_targets: tuple[float | None, ...] = (None,) * len(metrics)
        self._made: dict[tuple[float | None, ...], tuple[ReviewMetric, ...]] = {}
        self._stored = stored  # the snapshot's data, or the custom metrics' list
        self._records: tuple[Metric, ...] | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> _Kind:
        """From a stored tactic snapshot."""
        metrics = tuple((m["id"], m["name"], m["unit"]) for m in data["metrics"])
        return cls(
            data["id"] or None, data["category"], tuple(data["prerequisites"]), metrics, data
        )

    @classmethod
    def custom(cls, stored: str | list[dict[str, Any]] | None) -> _Kind:
        """From a custom item's own metrics, as stored."""
        metrics = () if not stored or stored == "[]" else _json(stored)
        return cls(
            None,
            CUSTOM_CATEGORY,
            (),
            tuple((m["id"], m["name"], m["unit"]) for m in metrics),
            list(metrics),
        )

    def records(self) -> tuple[Metric, ...]:
        """The metrics as `PlanItem.metrics` gives them (read back as `Repository.items` does:
        the snapshot's, or the custom item's own); made once per kind."""
        if self._records is None:
            if self.tactic_id is not None:
                snapshot = Tactic.model_validate(self._stored, strict=False)
                self._records = tuple(snapshot.metrics)
            else:
                self._records = tuple(
                    Metric.model_validate(m, strict=False) for m in self._stored or ()
                )
        return self._records

    def review_metrics(self, targets: Mapping[str, float] | None) -> tuple[ReviewMetric, ...]:
        """The item's metrics in order, each with the item's target for it (or None)."""
        values = tuple(map(targets.get, self._ids)) if targets else self._no_targets
        made = self._made.get(values)
        if made is None:
            made = self._made[values] = tuple(
                ReviewMetric(mid, name, unit, value)
                for (mid, name, unit), value in zip(self._metrics, values, strict=True)
            )
        return made


def _schedule_read(read: _PlanRead) -> tuple[list[_Kind], list[date], list[date]]:
    """Each item's kind, and the schedule's first and (inclusive) last days, in plan order."""
    if not read.items:
        return [], [], []
    ids, titles, hashes, custom, _, _, pinned, weeks, statuses, _ = zip(*read.items, strict=True)
    item_kinds = [
        read.kinds[digest] if digest else _Kind.custom(stored)
        for digest, stored in zip(hashes, custom, strict=True)
    ]
    starts, last_days = schedule_days(
        read.start_date,
        item_ids=ids,
        titles=titles,
        tactic_ids=[kind.tactic_id for kind in item_kinds],
        prerequisites=[kind.prerequisites for kind in item_kinds],
        duration_weeks=weeks,
        pinned_starts=[None if day is None else _day(day) for day in pinned],
        statuses=statuses,
    )
    return item_kinds, list(starts), list(last_days)


def _status_items(
    read: _PlanRead, kinds: Sequence[_Kind], starts: Sequence[date], last_days: Sequence[date]
) -> Iterator[ItemFigures]:
    """The items as the progress computation needs them: the dates as `Schedule` gives them
    (`ScheduledItem.last_day`: never before the start), the metrics as plan records."""
    targets = read.targets
    for row, kind, start, last in zip(read.items, kinds, starts, last_days, strict=True):
        item_id = row[0]
        yield ItemFigures(
            item_id,
            row[1],
            row[8],
            start,
            last if last > start else start,
            kind.records(),
            targets.get(item_id),
        )


def _review_rows(
    read: _PlanRead,
    kinds: Sequence[_Kind],
    starts: Sequence[date],
    last_days: Sequence[date],
    categories: Mapping[str, str] | None = None,
) -> list[ReviewItem]:
    """Review rows from the read, each item's kind and its scheduled days; `categories` maps
    category ids to the titles shown (the taxonomy's)."""
    names = categories or {}
    if not read.items:
        return []
    ids, titles, _, _, owners, teams, _, _, statuses, notes = zip(*read.items, strict=True)
    values = read.values
    return list(
        map(
            ReviewItem._make,
            zip(
                ids,
                titles,
                [kind.tactic_id for kind in kinds],
                [names.get(kind.category, kind.category) for kind in kinds],
                [owner or "" for owner in owners],
                teams,
                starts,
                last_days,
                statuses,
                notes,
                [
                    kind.review_metrics(values.get(item_id))
                    for item_id, kind in zip(ids, kinds, strict=True)
                ],
                strict=True,
            ),
        )
    )
