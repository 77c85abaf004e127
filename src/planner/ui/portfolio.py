"""Home's portfolio: every active plan's adoption index, statuses and next review date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from planner.domain.planning import format_day
from planner.domain.progress import ATTENTION_ORDER
from planner.services import reviews
from planner.ui import cached
from planner.ui.layout import WRAPPED_ROW, wrapped_height
from planner.ui.progress_view import plan_status


def portfolio() -> None:
    active = [p for p in cached.plans() if p.status == "active"]
    if not active:
        return
    st.subheader("Active plans")
    today = date.today()
    rows = []
    for plan in active:
        progress = plan_status(plan.id, today, cached.stamp())
        counts = progress.item_counts()
        found = cached.reviews(plan.id)
        rows.append(
            {
                "Plan": plan.name,
                "Adoption index": progress.index_text,
                "Items": items_by_status(counts),
                "Next review": format_day(
                    reviews.next_review_date(plan, found[0].date if found else None, today)
                ),
            }
        )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        row_height=WRAPPED_ROW,
        height=wrapped_height(len(rows)),
        column_config={
            "Plan": st.column_config.TextColumn(width=170),
            "Adoption index": st.column_config.TextColumn(
                width=140, help="Mean progress over the metrics counted, and how many those are."
            ),
            "Items": st.column_config.TextColumn(
                width=230, help="How many items are in each status, the ones to act on first."
            ),
        },
    )


def items_by_status(counts: dict[str, int]) -> str:
    """'2 off track · 3 at risk · 6 on track': statuses that have items, most urgent first."""
    shown = [f"{counts[s]} {s}" for s in ATTENTION_ORDER if counts.get(s)]
    return " · ".join(shown) or "no items"
