"""The review page's past reviews: open one as it was recorded, and compare any two.

Streamlit helpers over `planner.services.reviews` (the comparison rule is
`planner.domain.reviews.compare_reviews`); tables only show what the records hold.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
import streamlit as st

from planner.domain.labels import distinct_labels, item_labels
from planner.domain.planning import Person, PlanItem, format_day
from planner.domain.reviews import Review
from planner.services import reviews
from planner.ui.layout import WRAPPED_ROW, metric_columns, wrapped_height
from planner.ui.progress_view import status_style


def _review_labels(found: list[Review]) -> dict[str, str]:
    """Date and attendees; reviews that would read the same get the time they were recorded."""
    return distinct_labels(
        (
            r.id,
            f"{format_day(r.date)} ({', '.join(r.attendees) or 'no attendees'})",
            (
                f"recorded {format_day(r.recorded_at.date())} {r.recorded_at:%H:%M} UTC"
                if r.recorded_at
                else "",
            ),
        )
        for r in found
    )


def _snapshot_labels(
    reviews_: list[Review], items: list[PlanItem], people: list[Person]
) -> dict[str, str]:
    """One label per item across the snapshots shown, titles as they were recorded."""
    listed: dict[str, str] = {}
    for review in reviews_:
        for row in review.rows:
            listed.setdefault(row.item_id, row.item_title)
    return item_labels(items, people, listed=listed.items())


RULE = (
    "**Improved** and **slipped**: the status got better or worse (off track < at risk < on "
    "track; a first status counts as improved when on track, else slipped; losing all data "
    "counts as slipped). **Moved**: the same status, progress moved "
    f"by {round(reviews.PROGRESS_STEP * 100)} points or more. **Unchanged**: the same status, "
    "progress within that."
)


def comparison_frame(comparison: reviews.ReviewComparison, labels: dict[str, str]) -> pd.DataFrame:
    """The rows of a comparison that changed, with the figures their verdict rests on."""
    rows = []
    for c in comparison.changes:
        if c.kind == "unchanged":
            continue
        rows.append(
            {
                "Change": c.kind,
                "Why": c.reason,
                "Item": labels.get(c.item_id, c.item_title),
                "Metric": c.metric_name,
                "Status then": c.older.status if c.older else "—",
                "Status now": c.newer.status if c.newer else "—",
                "Progress then": _pct(c.older.progress if c.older else None),
                "Progress now": _pct(c.newer.progress if c.newer else None),
                # What the table shows: then → now in one column each, so it fits at 1024 px.
                "Status": f"{c.older.status if c.older else '—'} → "
                f"{c.newer.status if c.newer else '—'}",
                "Progress": f"{_pct(c.older.progress if c.older else None)} → "
                f"{_pct(c.newer.progress if c.newer else None)}",
            }
        )
    return pd.DataFrame(rows)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def past_reviews(found: list[Review], items: list[PlanItem], people: list[Person]) -> None:
    """Open a past review (newest first, as given) and compare any two."""
    if not found:
        st.caption("No review recorded yet.")
        return
    labels = _review_labels(found)
    chosen = st.selectbox("Open a review", list(labels), format_func=lambda i: labels[i])
    review = next(r for r in found if r.id == chosen)
    index = "—" if review.adoption_index is None else f"{review.adoption_index:.0%}"
    st.markdown(f"**Adoption index then:** {index}")
    for decision in review.decisions:
        st.markdown(f"- Decided: {decision.text}")
    if review.notes:
        st.caption(review.notes)
    with st.expander(f"Status of every item and metric on {format_day(review.date)}"):
        _snapshot_table(review, items, people)
    if len(found) > 1:
        older_id = st.selectbox(
            "Compare with", [r.id for r in found if r.id != chosen], format_func=lambda i: labels[i]
        )
        older = next(r for r in found if r.id == older_id)
        _comparison(older, review, items, people)


def _snapshot_table(review: Review, items: list[PlanItem], people: list[Person]) -> None:
    """Every item-metric's status and progress as the review recorded them."""
    names = _snapshot_labels([review], items, people)
    snapshot = pd.DataFrame(
        [
            {
                "Item": names.get(r.item_id, r.item_title),
                "Metric": r.metric_name,
                "Status": r.status,
                "Progress": _pct(r.progress),
            }
            for r in review.rows
        ]
    )
    if snapshot.empty:
        st.caption("The plan had no metrics then.")
        return
    st.dataframe(
        snapshot.style.map(status_style, subset=["Status"]),
        hide_index=True,
        row_height=WRAPPED_ROW,
        height=wrapped_height(len(snapshot)),
        column_config={
            "Item": st.column_config.TextColumn(width=200),
            "Metric": st.column_config.TextColumn(width=200),
        },
    )


def _comparison(one: Review, other: Review, items: list[PlanItem], people: list[Person]) -> None:
    """What changed from the earlier of two reviews to the later: counts per kind of change,
    the rule, and the rows that changed."""
    first, second = sorted(
        (one, other),
        key=lambda r: (r.date, r.recorded_at.timestamp() if r.recorded_at else 0.0),
    )
    comparison = reviews.compare_reviews(first, second)
    counts: dict[str, int] = {}
    for change in comparison.changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    shown = [
        k
        for k in reviews.CHANGE_KINDS
        if k in ("improved", "slipped", "moved", "unchanged") or counts.get(k)
    ]
    for col, kind in zip(metric_columns(len(shown)), shown, strict=True):
        col.metric(kind.capitalize(), f"{counts.get(kind, 0):,}")
    st.caption(
        f"{RULE} *Then* is the review of {format_day(first.date)}, *now* the review of "
        f"{format_day(second.date)}."
    )
    frame = comparison_frame(comparison, _snapshot_labels([first, second], items, people))
    if frame.empty:
        st.caption("No status changed and no progress moved between these two reviews.")
        return
    status_columns: list[Hashable] = ["Status"]
    st.dataframe(
        frame.style.map(lambda v: status_style(str(v).rsplit(" → ", 1)[-1]), subset=status_columns),
        hide_index=True,
        row_height=WRAPPED_ROW,
        # The verdict's grounds are the Status and Progress columns (then → now); the rule is
        # the caption above. "Why" (the same in words) stays out so it fits.
        column_order=["Item", "Metric", "Change", "Status", "Progress"],
        column_config={
            "Item": st.column_config.TextColumn(width=170, pinned=True),
            "Metric": st.column_config.TextColumn(width=140),
            "Change": st.column_config.TextColumn(width=70),
            "Status": st.column_config.TextColumn(
                width=120, help="Then → now; the colour is the status now."
            ),
            "Progress": st.column_config.TextColumn(width=90),
        },
    )
