"""Home's portfolio: every active plan's adoption index, statuses and next review date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from planner import reviews
from planner.ui import cached
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
                "On track": counts.get("on track", 0),
                "At risk": counts.get("at risk", 0),
                "Off track": counts.get("off track", 0),
                "No data": counts.get("no data", 0),
                "Not started": counts.get("not started", 0),
                "Next review": reviews.next_review_date(
                    plan, found[0].date if found else None, today
                ).strftime("%d %b %Y"),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
