"""The sidebar every page shares."""

from __future__ import annotations

import streamlit as st

from planner.ui.loaders import library


def render_sidebar() -> None:
    lib = library()
    with st.sidebar:
        st.caption(f"{len(lib.tactics)} tactics in the playbook library")
        if lib.problems:
            st.warning(
                f"{len(lib.problems)} playbook problem(s): see Playbooks → Validation.",
                icon=":material/warning:",
            )
