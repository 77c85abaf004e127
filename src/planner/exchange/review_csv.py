"""The review CSV: one row per plan item and metric, for the team's review meeting.

Columns (`REVIEW_COLUMNS`, in this order):

    item id      the item's stable id (the same in every database the plan is restored to)
    tactic       the item's title: the tactic's title, or a custom item's own title
    category     the tactic's category id; `custom` for a custom item
    owner        the owner's name; blank when the item has no owner
    team         the team the item is for
    start        first day, YYYY-MM-DD, from the computed schedule (a pinned start as pinned)
    end          last day (inclusive), YYYY-MM-DD
    item status  planned, in progress, done, blocked or dropped
    notes        the item's notes
    metric       the metric's name; blank on the one row of an item without metrics
    target       the item's target for the metric, a plain number; blank when it sets none

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

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat
from operator import attrgetter
from typing import Any, NamedTuple, cast

from sqlalchemy import Engine, Text, select, type_coerce

from planner.errors import NotFoundError
from planner.exchange.csvsafe import encode_lines, field
from planner.planning import PlanItem
from planner.schedule import Schedule, ScheduleItem, compute_schedule
from planner.store import ITEMS, PEOPLE, PLANS, SNAPSHOTS, TARGETS, uow

CUSTOM_CATEGORY = "custom"
"""The category shown for a custom item (one no playbook describes)."""


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
            cells = _joined([_texts(list(map(c.value, items))) for c in item_columns])
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
        return _joined([_texts(list(map(c.value, row_items, every))) for c in columns])
    found = [r for r, metric in enumerate(metrics) if metric is not None]
    row_items = [items[rows[r]] for r in found]
    found_metrics = [metric for metric in metrics if metric is not None]
    texts = _joined([_texts(list(map(c.value, row_items, found_metrics))) for c in columns])
    cells = ["," * (len(columns) - 1)] * len(metrics)
    for r, text in zip(found, texts, strict=True):
        cells[r] = text
    return cells


def _joined(columns: list[list[str]]) -> list[str]:
    """Each row's cells of neighbouring columns, joined with commas."""
    return columns[0] if len(columns) == 1 else list(map(",".join, zip(*columns, strict=True)))


def _texts(values: list[object]) -> list[str]:
    """`field(value)` of each value, each distinct value formatted once."""
    memo = dict.fromkeys(values, "")
    if (True in memo or False in memo) and bool in set(map(type, values)):
        return [field(value) for value in values]  # True == 1: it would take 1's text
    for value in memo:
        memo[value] = field(value)
    return list(map(memo.__getitem__, values))


def review_items(
    items: Sequence[PlanItem], schedule: Schedule, owner_names: Mapping[str, str]
) -> list[ReviewItem]:
    """Review rows from full plan records and their computed schedule (items in plan order)."""
    found = []
    for item in sorted(items, key=lambda i: (i.position, i.id)):
        entry = schedule.entries[item.id]
        targets = {t.metric_id: t.value for t in item.targets}
        found.append(
            ReviewItem(
                id=item.id,
                title=item.title,
                tactic_id=item.tactic_id,
                category=item.snapshot.category if item.snapshot else CUSTOM_CATEGORY,
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


def export_review_csv(
    engine: Engine, plan_id: str, *, as_of: date | None = None, excel: bool = False
) -> bytes:
    """The plan's review CSV as of `as_of` (default today); see the module docstring.

    No column depends on `as_of` yet: it is part of the signature so that callers pass the
    meeting's date now and keep getting reproducible files when dated columns arrive.
    """
    return review_csv_bytes(read_review_items(engine, plan_id), excel=excel)


# --- the fast read --------------------------------------------------------------------------


def read_review_items(engine: Engine, plan_id: str) -> list[ReviewItem]:
    """The plan's review rows, scheduled; read in one transaction, items in one flat query."""
    i, p, t = ITEMS.c, PEOPLE.c, TARGETS.c
    with uow(engine, write=False) as session:
        db = session.connection()
        plan_start = db.execute(
            select(PLANS.c.start_date).where(PLANS.c.id == plan_id)
        ).scalar_one_or_none()
        if plan_start is None:
            raise NotFoundError(f"No plan with id '{plan_id}'. Pick a plan from the list.")
        flat = db.execute(
            select(
                i.id,
                i.title,
                i.snapshot_hash,
                # Not parsed by SQLAlchemy: almost every item has "[]", which needs no parsing.
                type_coerce(i.custom_metrics, Text),
                p.name,
                i.team,
                i.pinned_start,
                i.duration_weeks,
                i.status,
                i.notes,
                t.metric_id,
                t.value,
            )
            .select_from(ITEMS.outerjoin(PEOPLE, p.id == i.owner_id))
            .outerjoin(TARGETS, t.item_id == i.id)
            .where(i.plan_id == plan_id)
            .order_by(i.position, i.id)
        ).all()
        used = select(i.snapshot_hash).where(i.plan_id == plan_id).distinct()
        snapshot_rows = db.execute(
            select(SNAPSHOTS.c.hash, SNAPSHOTS.c.data).where(SNAPSHOTS.c.hash.in_(used))
        )
        tactics = {digest: _Tactic.of(data) for digest, data in snapshot_rows}
    return _scheduled(plan_start, flat, tactics)


class _Tactic(NamedTuple):
    """What the review needs of a tactic snapshot."""

    id: str
    category: str
    prerequisites: tuple[str, ...]
    metrics: tuple[tuple[str, str, str], ...]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> _Tactic:
        metrics = tuple((m["id"], m["name"], m["unit"]) for m in data["metrics"])
        return cls(data["id"], data["category"], tuple(data["prerequisites"]), metrics)


_NO_TACTIC = _Tactic("", CUSTOM_CATEGORY, (), ())


def _scheduled(
    plan_start: date, flat: Sequence[Any], tactics: Mapping[str, _Tactic]
) -> list[ReviewItem]:
    """Group the flat rows by item (one row per target), schedule the items, make review rows."""
    firsts: list[Any] = []
    targets: dict[str, dict[str, float]] = {}
    for row in flat:
        item_id = row[0]
        if not firsts or firsts[-1][0] != item_id:
            firsts.append(row)
            targets[item_id] = {}
        if row[10] is not None:
            targets[item_id][row[10]] = row[11]

    kinds = [tactics[row[2]] if row[2] else _NO_TACTIC for row in firsts]
    schedule = compute_schedule(
        plan_start,
        [
            # (item id, title, tactic id, category, prerequisites, weeks, pinned start);
            # status by keyword, since other fields come between.
            ScheduleItem(
                row[0],
                row[1],
                kind.id or None,
                "",
                kind.prerequisites,
                row[7],
                row[6],
                status=row[8],
            )
            for row, kind in zip(firsts, kinds, strict=True)
        ],
    ).entries
    found = []
    for row, kind in zip(firsts, kinds, strict=True):
        item_id = row[0]
        entry = schedule[item_id]
        item_targets = targets[item_id]
        metrics = kind.metrics if row[2] else _custom_metrics(row[3])
        found.append(
            ReviewItem(
                item_id,
                row[1],
                kind.id or None,
                kind.category,
                row[4] or "",
                row[5],
                entry.start,
                entry.last_day,
                row[8],
                row[9],
                tuple(
                    [
                        ReviewMetric(mid, name, unit, item_targets.get(mid))
                        for mid, name, unit in metrics
                    ]
                ),
            )
        )
    return found


def _custom_metrics(stored: str | list[dict[str, Any]] | None) -> tuple[tuple[str, str, str], ...]:
    # SQLite hands back the stored JSON text; a PostgreSQL driver may hand back the list.
    if not stored or stored == "[]":
        return ()
    metrics = json.loads(stored) if isinstance(stored, str) else stored
    return tuple((m["id"], m["name"], m["unit"]) for m in metrics)
