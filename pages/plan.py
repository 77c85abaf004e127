"""Plan: the items of the active plan, who owns them, their targets; add tactics; settings."""

import pandas as pd
import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.planning import format_day
from planner.ui import cached
from planner.ui.conflicts import carried_notice, conflict_panel, stale_notice
from planner.ui.data import active_plan_id, can, engine, read_only_note
from planner.ui.exchange import downloads, uploads
from planner.ui.layout import WRAPPED_ROW, metric_columns, wrapped_height
from planner.ui.plan_actions import (
    add_tactics_form,
    custom_item_form,
    load_sample_button,
    new_plan_form,
    outdated_notices,
    plan_settings,
)
from planner.ui.plan_editor import items_editor, owner_labels, plan_view, schedule_of
from planner.ui.shell import require_router
from planner.ui.state import Keys

require_router()

st.title("Plan")
st.caption("Turn tactics into a plan: who does what, for whom, and when.")

plan_id = active_plan_id()
if plan_id is None:
    st.info(
        "There is no plan yet. Load the sample plan to see a living example, or start your own.",
        icon=":material/lightbulb:",
    )
    if not can(Permission.PLAN_EDIT):
        read_only_note(Permission.PLAN_EDIT)
    load_sample_button()
    new_plan_form()
    st.stop()

view = plan_view(plan_id)
plan = view.plan
people = cached.people()
labels = owner_labels(people)
schedule = schedule_of(view, people)

st.subheader(plan.name)
if plan.description:
    st.write(plan.description)
done = sum(i.status == "done" for i in view.items)
cols = metric_columns(4)
cols[0].metric("Items", len(view.items))
cols[1].metric("Done", done)
cols[2].metric("Without owner", sum(not i.owner_id for i in view.items))
cols[3].metric("Starts", format_day(plan.start_date))
st.caption(
    f"**{plan.status.capitalize()}** · lead: {labels.get(plan.lead_id or '', 'nobody yet')} · "
    f"reviews {plan.review_cadence} · "
    f"version {plan.version}, last saved by {plan.updated_by or 'nobody'}"
)

conflict_panel(plan.id)
stale_notice(view)
carried_notice(view)
for issue in schedule.issues:
    st.warning(issue.message, icon=":material/event_busy:")
for missing in schedule.missing_prerequisites:
    st.info(missing.message, icon=":material/account_tree:")
outdated_notices(view)

tab_items, tab_add, tab_files, tab_settings, tab_log = st.tabs(
    ["Items", "Add", "Export and import", "Settings", "Activity"]
)
with tab_items:
    if view.items:
        items_editor(view, people, schedule)
    else:
        st.info(
            "This plan has no items yet: add tactics in the **Add** tab.", icon=":material/add:"
        )
with tab_add:
    if can(Permission.PLAN_EDIT):
        add_tactics_form(view)
        custom_item_form(view)
    else:
        read_only_note(Permission.PLAN_EDIT)
with tab_files:
    downloads(view)
    if can(Permission.PLAN_EDIT):
        uploads(view)
with tab_settings:
    if not can(Permission.PLAN_EDIT):
        read_only_note(Permission.PLAN_EDIT)
    plan_settings(view, labels)
    with st.container(border=True):
        st.caption("A new plan starts from the sidebar's **New plan**, or from the sample:")
        load_sample_button(primary=False)
with tab_log:
    limit = st.session_state[Keys.LOG_LIMIT]
    log = services.activity_log(engine(), plan.id, limit=limit)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "When": f"{format_day(e.at.date())} {e.at:%H:%M} UTC",
                    "Who": e.actor,
                    "What": e.summary,
                }
                for e in log
            ]
        ),
        hide_index=True,
        row_height=WRAPPED_ROW,
        height=wrapped_height(len(log)),
        column_config={
            "What": st.column_config.TextColumn(width="large"),
        },
    )
    if len(log) == limit and st.button("Show older changes", key="log-more"):
        st.session_state[Keys.LOG_LIMIT] = limit + 200
        st.rerun()
