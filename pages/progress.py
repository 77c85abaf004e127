"""Progress: where the plan stands, item by item and metric by metric, and the numbers behind."""

from datetime import date

import streamlit as st

from planner.domain.access import Permission
from planner.ui import cached
from planner.ui.community_import import community_history, community_import
from planner.ui.data import active_plan_id, can, read_only_note
from planner.ui.health_panel import community_items, health_panel
from planner.ui.plan_editor import plan_view
from planner.ui.progress_view import (
    headline,
    plan_status,
    serving,
    status_table,
    stories_panel,
    trends,
)
from planner.ui.readings_entry import confirm_replace, readings_csv, readings_grid
from planner.ui.shell import require_router
from planner.ui.xapi_import import xapi_import

require_router()

st.title("Progress")
st.caption("Whether people take part: each item's metrics against their targets, as of a date.")

plan_id = active_plan_id()
if plan_id is None:
    st.info("There is no plan yet: create one or load the sample plan first.")
    st.page_link("pages/plan.py", label="Go to the Plan page", icon=":material/checklist:")
    st.stop()

as_of = st.columns(4)[0].date_input(
    "As of", value=date.today(), format="DD/MM/YYYY", key="progress.as_of"
)
items = plan_view(plan_id).items
progress = plan_status(plan_id, as_of, cached.stamp())
headline(progress)
confirm_replace()

tabs = st.tabs(
    [
        "Status",
        "Trends",
        "What it serves",
        "Communities",
        "Stories",
        "Enter numbers",
        "xAPI",
        "Tool exports",
    ]
)
with tabs[0]:
    status_table(progress)
with tabs[1]:
    trends(plan_id, items, progress, as_of)
with tabs[2]:
    serving(items, progress)
with tabs[3]:
    communities = community_items(items)
    if not communities:
        st.info("This plan has no community-of-practice item.")
    for item in communities:
        health_panel(plan_id, item, as_of)
        community_history(plan_id, item, as_of)
with tabs[4]:
    stories_panel(plan_id, items)
with tabs[5]:
    if can(Permission.READINGS_EDIT):
        readings_grid(plan_id, items)
        readings_csv(plan_id, items)
    else:
        read_only_note(Permission.READINGS_EDIT)
with tabs[6]:
    if can(Permission.READINGS_EDIT):
        xapi_import(plan_id)
    else:
        read_only_note(Permission.READINGS_EDIT)
with tabs[7]:
    if can(Permission.READINGS_EDIT):
        community_import(plan_id, items)
    else:
        read_only_note(Permission.READINGS_EDIT)
