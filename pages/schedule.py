"""Schedule: when each item runs (a Gantt chart), and who carries how much work each week."""

from datetime import date, timedelta

import streamlit as st

from planner.domain.schedule import filter_items, format_date
from planner.errors import PlannerError
from planner.ui import cached
from planner.ui.charts import gantt_chart
from planner.ui.data import active_plan_id
from planner.ui.layout import metric_columns
from planner.ui.schedule_filters import MAX_GANTT_ROWS, gantt_filters
from planner.ui.shell import require_router
from planner.ui.workload_view import workload_section

require_router()

st.title("Schedule")
st.caption("When each item of the active plan runs, and the weekly workload of every owner.")

plan_id = active_plan_id()
if plan_id is None:
    st.info("There is no plan yet: create one or load the sample plan first.")
    st.page_link("pages/plan.py", label="Go to the Plan page", icon=":material/checklist:")
    st.stop()

try:
    planned = cached.plan_schedule(plan_id)
except PlannerError as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()

schedule, items = planned.schedule, planned.schedule_items
today = date.today()
if not items:
    st.info("This plan has no items yet: add tactics on the Plan page.")
    st.page_link("pages/plan.py", label="Add tactics", icon=":material/add:")
    st.stop()

cols = metric_columns(4)
cols[0].metric("Plan starts", format_date(planned.plan.start_date))
cols[1].metric("Plan ends", format_date(schedule.end - timedelta(days=1)))
cols[2].metric("Flagged dates", len(schedule.issues))
cols[3].metric("Items without owner", sum(1 for i in items if i.owner_id is None))
for issue in schedule.issues:
    st.warning(issue.message, icon=":material/event_busy:")

color_by, owners, statuses, categories = gantt_filters(items)
shown = filter_items(items, owners=owners, statuses=statuses, categories=categories)
if not shown:
    st.info("No item matches these filters.", icon=":material/filter_alt_off:")
else:
    if len(shown) > MAX_GANTT_ROWS:
        st.caption(
            f"Showing the first {MAX_GANTT_ROWS} of {len(shown)} items by start date: "
            "filter by owner, status or category to see the others."
        )
        order = sorted(shown, key=lambda i: schedule.entries[i.item_id].start)
        shown = order[:MAX_GANTT_ROWS]
    st.plotly_chart(gantt_chart(schedule, shown, color_by=color_by, today=today))

st.subheader("Workload")
workload_section(today)
