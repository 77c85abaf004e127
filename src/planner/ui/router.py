"""The pages of the dashboard, in menu order: used by app.py and by the deep-link guard."""

from __future__ import annotations

import streamlit as st


def pages() -> dict[str, list[st.Page]]:
    return {
        "": [
            st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
            st.Page("pages/playbooks.py", title="Playbooks", icon=":material/menu_book:"),
        ],
        "Plan": [
            st.Page("pages/plan.py", title="Plan", icon=":material/checklist:"),
            st.Page("pages/schedule.py", title="Schedule", icon=":material/calendar_month:"),
            st.Page("pages/progress.py", title="Progress", icon=":material/monitoring:"),
            st.Page("pages/review.py", title="Review", icon=":material/groups:"),
            st.Page("pages/my_week.py", title="My week", icon=":material/today:"),
            st.Page("pages/people.py", title="People", icon=":material/group:"),
        ],
    }
