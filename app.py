"""Informal Learning Planner: the router. Pages live in pages/, logic in src/planner/."""

import streamlit as st

from planner.ui.sidebar import render_sidebar
from planner.ui.state import init_state

st.set_page_config(
    page_title="Informal Learning Planner",
    page_icon=":material/diversity_3:",
    layout="wide",
)
init_state()

pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/playbooks.py", title="Playbooks", icon=":material/menu_book:"),
]
page = st.navigation(pages)
render_sidebar()
page.run()
