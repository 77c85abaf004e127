"""Pure parts of review meetings: comparing snapshots and the next review date."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.planning import Plan
from planner.domain.reviews import (
    Review,
    SnapshotItem,
    SnapshotRow,
    compare_reviews,
    next_review_date,
)


def _row(item: str, status: str, progress: float | None = None, metric: str = "m") -> SnapshotRow:
    return SnapshotRow(item, item.title(), metric, metric.upper(), status, 1.0, 2.0, 1.0, progress)


def _review(index: float | None, *rows: SnapshotRow) -> Review:
    return Review(
        id="rv",
        plan_id="pl",
        date=date(2027, 1, 1),
        as_of=date(2027, 1, 1),
        attendees=(),
        notes="",
        decisions=(),
        actions_created=(),
        rows=rows,
        items=tuple(SnapshotItem(r.item_id, r.item_title, r.status) for r in rows),
        adoption_index=index,
        agenda=(),
    )


def test_compare_classifies_every_item_metric() -> None:
    older = _review(
        0.5,
        _row("up", "off track", 0.2),
        _row("down", "on track", 1.0),
        _row("nudged", "at risk", 0.75),
        _row("flat", "at risk", 0.75),
        _row("dipped", "on track", 1.2),
        _row("gone", "on track", 1.0),
        _row("silent", "on track", 1.0),
        _row("begun", "not started"),
        _row("begun-badly", "not started"),
        _row("greys", "not started"),
    )
    newer = _review(
        0.62,
        _row("up", "at risk", 0.8),
        _row("down", "off track", 0.3),
        _row("nudged", "at risk", 0.8),
        _row("flat", "at risk", 0.78),
        _row("dipped", "on track", 1.1),
        _row("silent", "no data"),
        _row("begun", "on track", 1.0),
        _row("begun-badly", "off track", 0.1),
        _row("greys", "no data"),
        _row("fresh", "on track", 1.0),
    )
    comparison = compare_reviews(older, newer)
    kinds = {c.item_id: c.kind for c in comparison.changes}
    assert kinds == {
        "up": "improved",
        "down": "slipped",
        "nudged": "moved",
        "flat": "unchanged",
        "dipped": "moved",
        "gone": "gone",
        "silent": "slipped",
        "begun": "improved",
        "begun-badly": "slipped",
        "greys": "changed",
        "fresh": "new",
    }
    reasons = {c.item_id: c.reason for c in comparison.changes}
    assert reasons["up"] == "off track → at risk"
    assert reasons["dipped"] == "progress 120% → 110% (−10 points), still on track"
    assert reasons["nudged"] == "progress 75% → 80% (+5 points), still at risk"
    assert reasons["flat"] == "progress 75% → 78% (+3 points), still at risk"
    assert reasons["silent"] == "on track → no data"
    assert reasons["gone"] == "no longer in the plan (was on track)"
    assert comparison.index_delta == pytest.approx(0.12)
    assert [c.item_id for c in comparison.gone] == ["gone"]
    assert comparison.gone[0].newer is None and comparison.new[0].older is None
    assert compare_reviews(_review(None), newer).index_delta is None


def test_slipped_and_improved_always_mean_a_change_of_status() -> None:
    """A row whose status stayed the same is never called slipped or improved, whatever its
    progress did: the word must match the two statuses the table shows."""
    statuses = ["on track", "at risk", "off track", "no data", "not started", "no target"]
    progresses = [None, 0.1, 0.5, 0.9, 1.2]
    for status in statuses:
        for before in progresses:
            for after in progresses:
                older = _review(None, _row("x", status, before))
                newer = _review(None, _row("x", status, after))
                (change,) = compare_reviews(older, newer).changes
                assert change.kind in ("moved", "unchanged")
                moved = before is not None and after is not None and abs(after - before) >= 0.05
                assert (change.kind == "moved") == moved
                assert change.reason.endswith(f"still {status}")


def _plan(cadence: str, start: date = date(2027, 1, 31)) -> Plan:
    return Plan(id="pl", name="P", start_date=start, review_cadence=cadence)


@pytest.mark.parametrize(
    ("cadence", "after_review", "before_any"),
    [
        ("weekly", date(2027, 3, 10), date(2027, 3, 7)),
        ("fortnightly", date(2027, 3, 17), date(2027, 3, 14)),
        ("monthly", date(2027, 4, 3), date(2027, 3, 31)),
        ("quarterly", date(2027, 6, 3), date(2027, 4, 30)),
    ],
)
def test_next_review_date_per_cadence(cadence: str, after_review: date, before_any: date) -> None:
    plan = _plan(cadence)
    today = date(2027, 3, 5)
    assert next_review_date(plan, date(2027, 3, 3), today) == after_review
    assert next_review_date(plan, None, today) == before_any


def test_next_review_date_is_overdue_rather_than_skipped() -> None:
    plan = _plan("weekly")
    assert next_review_date(plan, date(2027, 1, 1), date(2027, 6, 1)) == date(2027, 1, 8)
    # Before the plan starts, the first review is one cadence after its start.
    assert next_review_date(plan, None, date(2026, 1, 1)) == date(2027, 2, 7)
    assert next_review_date(_plan("monthly"), None, date(2027, 1, 1)) == date(2027, 2, 28)
