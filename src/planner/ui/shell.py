"""What every run does around a page: config, state, the navigation menu and the sidebar."""

from __future__ import annotations

import streamlit as st

from planner.errors import DatabaseUnavailableError, PlannerError
from planner.ui.data import engine, remember_actor, take_pending_plan
from planner.ui.database_status import show_database_problem
from planner.ui.layout import narrow_screen_padding
from planner.ui.router import pages
from planner.ui.sidebar import render_sidebar
from planner.ui.state import Keys, init_state


def build_shell() -> st.navigation:  # type: ignore[valid-type]
    st.set_page_config(
        page_title="Informal Learning Planner",
        page_icon=":material/diversity_3:",
        layout="wide",
    )
    narrow_screen_padding()
    init_state()
    take_pending_plan()
    page = st.navigation(pages())
    try:
        engine()  # opened and migrated on first use: a wrong URL or a server down shows here
    except PlannerError as exc:
        show_database_problem(exc)
        st.stop()
    remember_actor()
    try:
        render_sidebar()  # reads the database on every run: a server gone away shows here
    except DatabaseUnavailableError as exc:
        show_database_problem(exc)
        st.stop()
    st.session_state[Keys.ROUTER] = True
    return page


def require_router() -> None:
    """Make sure this run of the page went through app.py (config, state, menu, sidebar).

    Streamlit runs a script in pages/ on its own, by its older pages/ folder convention, until
    some run has called st.navigation: that happens when the first request a fresh server gets
    is a deep link (say /playbooks). Calling st.navigation here turns the convention off for the
    server, and the rerun goes through app.py, so the page's widgets get their usual ids (a
    click on a widget drawn in the convention's run would be lost). The flag is consumed, so
    every run is checked.
    """
    if not st.session_state.pop(Keys.ROUTER, False):
        st.navigation(pages())
        st.rerun()
