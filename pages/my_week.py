"""My week: what is yours from today to a week from today (both included), with quick updates."""

from datetime import date

import streamlit as st

from planner.domain.planning import format_day
from planner.services import reviews
from planner.ui import cached
from planner.ui.data import actor, engine
from planner.ui.layout import metric_columns
from planner.ui.my_week import quick_reading, quick_status, week_actions, week_milestones
from planner.ui.shell import require_router

require_router()

st.title("My week")

people = cached.people()
if not people:
    st.info("Nobody is in the planner yet: add people, or load the sample plan.")
    st.page_link("pages/people.py", label="People", icon=":material/group:")
    st.stop()
names = {p.id: p.name for p in people}
me = next((p.id for p in people if p.name == actor()), None)
person_id = st.selectbox(
    "Whose week",
    list(names),
    index=list(names).index(me) if me else 0,
    format_func=lambda pid: names[pid],
    key="week.person",
)
today = date.today()
window = f"from today to {format_day(reviews.week_end(today))}, both included"
st.caption(f"Your items, milestones and action items {window}, and anything overdue.")
week = reviews.my_week(engine(), person_id, today)
if not (week.items or week.milestones or week.actions):
    st.success(
        f"Nothing is due for {names[person_id]} {window}, and nothing is overdue.",
        icon=":material/event_available:",
    )
    st.stop()

cols = metric_columns(3)
cols[0].metric("Items", len(week.items))
cols[1].metric("Milestones", len(week.milestones))
cols[2].metric("Action items", len(week.actions))
st.subheader("Items")
for item in week.items:
    quick_status(item)
st.subheader("Milestones")
week_milestones(week.milestones)
st.subheader("Action items")
week_actions(week.actions)
st.subheader("Add a reading")
quick_reading(week.items)
