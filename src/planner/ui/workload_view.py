"""The Schedule page's workload: its window, the drafts what-if, a warning per person, the chart."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from planner.domain.schedule import format_date, week_start
from planner.errors import PlannerError
from planner.services import MAX_WORKLOAD_WEEKS
from planner.ui import cached
from planner.ui.charts import workload_chart
from planner.ui.state import Keys

MAX_WORKLOAD_ROWS = 30
MAX_WARNINGS = 10
DEFAULT_WEEKS = 12


def workload_window(today: date) -> tuple[tuple[date, date], bool]:
    """The weeks to add up (first day, last day) and whether draft plans count too."""
    cols = st.columns([1.4, 1, 1.6], vertical_alignment="bottom")
    start = cols[0].date_input(
        "From the week of", value=week_start(today), key=Keys.WORKLOAD_START, format="DD/MM/YYYY"
    )
    weeks = cols[1].number_input(
        "Weeks",
        min_value=1,
        max_value=MAX_WORKLOAD_WEEKS,
        value=DEFAULT_WEEKS,
        key=Keys.WORKLOAD_WEEKS,
        help=f"Up to {MAX_WORKLOAD_WEEKS} weeks at once.",
    )
    drafts = cols[2].toggle(
        "What-if: include drafts",
        key=Keys.WORKLOAD_DRAFTS,
        help="Add the items of draft plans, to see what starting them would do to everyone's week.",
    )
    first = week_start(start if isinstance(start, date) else today)
    return (first, first + timedelta(weeks=int(weeks)) - timedelta(days=1)), bool(drafts)


def workload_section(today: date) -> None:
    window, drafts = workload_window(today)
    plans = "active and draft plans" if drafts else "active plans"
    span = f"{format_date(window[0])} – {format_date(window[1])}"
    st.caption(
        f"Planned hours a week per owner across every one of the {plans} (each item's effort), "
        f"against their capacity; the weeks of {span}."
    )
    try:
        workload, all_items = cached.workload(window, drafts)
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    for over in workload.people_over[:MAX_WARNINGS]:
        st.warning(over.message, icon=":material/priority_high:")
    if len(workload.people_over) > MAX_WARNINGS:
        st.caption(f"…and {len(workload.people_over) - MAX_WARNINGS} more people over capacity.")
    if workload.unassigned:
        titles = {i.item_id: i.title for i in all_items}
        st.info(
            f"{len(workload.unassigned)} item(s) of the {plans} have no owner: "
            + ", ".join(f"‘{titles[i]}’" for i in workload.unassigned[:8]),
            icon=":material/person_off:",
        )
    if not workload.owners:
        st.info(
            f"None of the {plans} has work in these weeks. Set a plan's status to active on the "
            "Plan page, turn on the what-if for drafts, or pick other weeks."
        )
        return
    peak = [max(row, default=0.0) for row in workload.hours]
    busiest = sorted(range(len(workload.owners)), key=lambda k: -peak[k])[:MAX_WORKLOAD_ROWS]
    if len(workload.owners) > MAX_WORKLOAD_ROWS:
        st.caption(f"The {MAX_WORKLOAD_ROWS} people with the busiest weeks are shown.")
    order = [workload.owners[k].person_id for k in busiest]
    st.plotly_chart(workload_chart(workload, people_order=order))
