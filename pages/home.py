"""Home: what the tool is for and where to start."""

import streamlit as st

from planner.ui import cached
from planner.ui.layout import metric_columns
from planner.ui.loaders import library
from planner.ui.plan_actions import load_sample_button, new_plan_popover
from planner.ui.portfolio import portfolio
from planner.ui.shell import require_router

require_router()

lib = library()
st.title("Informal Learning Planner")
st.caption("Plan, run and review programs that help people learn from each other at work.")

st.markdown(
    "Most of what people learn at work happens outside courses: in communities of practice, "
    "from colleagues and coaches, with job aids and through their own networks. This planner "
    "turns proven tactics for fostering that learning into a rollout plan your team can run."
)

tax = lib.taxonomy
cols = metric_columns(4)
cols[0].metric("Tactics", f"{len(lib.tactics):,}")
cols[1].metric("Purposes", len(tax.purposes))
cols[2].metric("Practices", len(tax.practices))
cols[3].metric("Playbook files", len(lib.files))

portfolio()

if not cached.plans():
    with st.container(border=True):
        st.markdown(
            "**New here?** Load the sample plan: a six-month rollout for a 400-person support "
            "organisation, with people, items under way, readings and stories."
        )
        load_sample_button()

st.subheader("Where to start")
left, right = st.columns(2)
with left, st.container(border=True):
    st.markdown("**1. Find tactics that fit your goal**")
    st.write(
        "Search the playbooks by purpose (onboarding, proficiency, next job…), practice "
        "(coaching, communities, personal learning networks) and how much effort you can give."
    )
    st.page_link("pages/playbooks.py", label="Browse the playbooks", icon=":material/menu_book:")
with right, st.container(border=True):
    st.markdown("**2. Turn tactics into a plan, then track it**")
    st.write(
        "Give each item an owner, dates and targets; see the schedule and everyone's workload; "
        "record readings by hand, from a CSV or from xAPI, and see where the plan stands."
    )
    new_plan_popover("home-new-plan", width="content")
    st.page_link("pages/plan.py", label="Open the plan", icon=":material/checklist:")
    st.page_link("pages/progress.py", label="See progress", icon=":material/monitoring:")

with st.container(border=True):
    st.markdown("**Add your own playbooks**")
    st.write(
        "Point `PLANNER_PLAYBOOKS` at folders of your own YAML tactics; they are added after the "
        "built-in ones, and a tactic with the same id replaces the built-in one. "
        "`planner validate` checks them."
    )
