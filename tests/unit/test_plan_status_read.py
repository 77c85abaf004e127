"""The plan's status from its narrow read (`planner.domain.status`), without a database."""

from __future__ import annotations

from datetime import date

from planner.domain.progress import ReadingsSummary
from planner.domain.status import CUSTOM_CATEGORY, ItemKind, PlanRead, plan_progress, scheduled_days
from planner.exchange.review_csv import ReviewMetric, review_rows

START = date(2027, 1, 4)
METRIC = {
    "id": "sessions",
    "name": "Sessions held",
    "unit": "sessions",
    "aggregation": "sum",
    "direction": "higher",
    "target": 4,
    "cadence": "weekly",
    "definition": "Sessions held in the week.",
    "framework": "value-applied",
}


def _read(kinds: list[ItemKind], pinned: list[date | None]) -> PlanRead:
    ids = [f"it_{n}" for n in range(len(kinds))]
    return PlanRead(
        START,
        0.8,
        0.5,
        ids,
        [f"Item {n}" for n in range(len(kinds))],
        kinds,
        ["Dana", None][: len(kinds)],
        ["Support"] * len(kinds),
        pinned,
        [2] * len(kinds),
        ["planned"] * len(kinds),
        [""] * len(kinds),
        {"it_0": {"sessions": 6.0}},
        {"it_0": {"sessions": (6.0, None, None)}},
    )


def test_an_empty_read_has_no_days_and_no_rows() -> None:
    read = PlanRead(START, 0.8, 0.5, (), (), (), (), (), (), (), (), (), {}, {})
    assert scheduled_days(read) == ([], [])
    progress = plan_progress("pl_x", read, {}.get, START)
    assert (progress.rows, progress.items, progress.adoption_index) == ((), (), None)


def test_custom_items_get_their_own_metrics_and_targets_and_a_pinned_start_holds() -> None:
    custom = ItemKind.custom([METRIC])
    bare = ItemKind.custom([])
    read = _read([custom, bare], [None, date(2027, 2, 1)])
    starts, last_days = scheduled_days(read)
    assert starts == [START, date(2027, 2, 1)]
    assert last_days == [date(2027, 1, 17), date(2027, 2, 14)]
    assert custom.category == CUSTOM_CATEGORY and custom.tactic_id is None
    assert [m.id for m in custom.records()] == ["sessions"] and bare.records() == ()
    rows = review_rows(read, starts, last_days, {CUSTOM_CATEGORY: "Custom"})
    assert [(r.category, r.owner, r.metrics) for r in rows] == [
        ("Custom", "Dana", (ReviewMetric("sessions", "Sessions held", "sessions", 6.0),)),
        ("Custom", "", ()),
    ]
    summary = ReadingsSummary(1, 3.0, START, 3.0, START, 3.0)
    progress = plan_progress("pl_x", read, {("it_0", "sessions"): summary}.get, date(2027, 1, 10))
    (row,) = progress.rows
    assert (row.item_id, row.metric.id, row.actual, row.target) == ("it_0", "sessions", 3.0, 6.0)
    assert [i.item_id for i in progress.items] == ["it_0", "it_1"]
