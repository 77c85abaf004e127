"""Review: the team's meeting screen, on a shared screen or a projector."""

from datetime import date

import streamlit as st

from planner.domain.access import Permission
from planner.domain.planning import format_day
from planner.services import reviews
from planner.ui import cached
from planner.ui.data import active_plan_id, can, read_only_note
from planner.ui.plan_editor import plan_view
from planner.ui.progress_view import headline, plan_status
from planner.ui.review_history import past_reviews
from planner.ui.review_view import (
    PRESENT,
    PRESENT_CSS,
    agenda,
    attention_table,
    changes_panel,
    presentation,
    presentation_headline,
    record_form,
)
from planner.ui.shell import require_router

require_router()

st.title("Review")
st.caption("Where the plan stands, what needs attention, what changed, and what was decided.")

plan_id = active_plan_id()
if plan_id is None:
    st.info("There is no plan yet: create one or load the sample plan first.")
    st.page_link("pages/plan.py", label="Go to the Plan page", icon=":material/checklist:")
    st.stop()

present = st.toggle("Presentation mode", key=PRESENT, help="Large, one item at a time, no editing.")
if present:
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)

view = plan_view(plan_id)
people = cached.people()
progress = plan_status(plan_id, date.today(), cached.stamp())
found = cached.reviews(plan_id)
last = found[0] if found else None
if present:
    presentation_headline(progress)
else:
    headline(progress)
overdue = sum(
    1 for i in progress.items if i.last_day < progress.as_of and i.status not in ("on track",)
)
st.caption(
    f"Overdue items: {overdue} · next review: "
    f"{format_day(reviews.next_review_date(view.plan, last.date if last else None, date.today()))}"
)

if present:
    presentation(plan_id, progress, view.items, people)
    st.stop()

st.subheader("Needs attention")
attention_table(plan_id, progress, view.items, people)
left, right = st.columns(2)
with left:
    st.subheader("Changes since the last review")
    changes_panel(plan_id, last, view.items, people)
with right:
    st.subheader("Action items on the agenda")
    updates = agenda(plan_id, people, editable=can(Permission.REVIEW_EDIT))
if can(Permission.REVIEW_EDIT):
    record_form(plan_id, people, updates)
else:
    read_only_note(Permission.REVIEW_EDIT)
st.subheader("Past reviews")
past_reviews(found, view.items, people)
