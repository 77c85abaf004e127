"""The pages of the dashboard, in menu order: used by app.py and by the deep-link guard."""

from __future__ import annotations

import streamlit as st


def pages() -> list[st.Page]:
    return [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/playbooks.py", title="Playbooks", icon=":material/menu_book:"),
    ]
