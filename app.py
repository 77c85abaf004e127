"""Informal Learning Planner: the router. Pages live in pages/, logic in src/planner/."""

import streamlit as st

from planner.ui.router import pages
from planner.ui.sidebar import render_sidebar
from planner.ui.state import init_state, mark_router_ran

st.set_page_config(
    page_title="Informal Learning Planner",
    page_icon=":material/diversity_3:",
    layout="wide",
)
init_state()

page = st.navigation(pages())
render_sidebar()
mark_router_ran()
page.run()
