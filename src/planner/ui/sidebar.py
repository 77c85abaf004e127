"""The sidebar every page shares: who is acting, the active plan, the library's health."""

from __future__ import annotations

import streamlit as st

from planner.ui import cached
from planner.ui.data import GUEST, login_configured, role, roles_problem
from planner.ui.loaders import library
from planner.ui.plan_actions import new_plan_popover
from planner.ui.state import Keys


def _who_is_acting() -> None:
    if login_configured():
        problem = roles_problem()
        if problem:
            st.error(f"{problem} Until it is fixed, everyone is a viewer.")
        if st.user.is_logged_in:
            who = st.user.get("name") or st.user.get("email")
            st.caption(
                f"Signed in as **{who}** · {role().label}",
                help="Viewers see and export; editors change plans, readings and reviews; "
                "admins also manage people, erasure and settings. Roles are set in the "
                "`[planner.roles]` secrets.",
            )
            st.button("Log out", on_click=st.logout, key="sidebar-logout")
        else:
            st.caption("Not signed in: you can look and export; sign in to change anything.")
            st.button("Log in", on_click=st.login, key="sidebar-login", type="primary")
        return
    names = [p.name for p in cached.people()]
    current = st.session_state.get(Keys.ACTOR)
    options = names if current in names or not current else [current, *names]
    st.selectbox(
        "You are",
        options=options,
        index=None,
        key=Keys.ACTOR,
        placeholder=f"{GUEST}: pick or type your name",
        accept_new_options=True,
        help="Recorded with every change you make, for the plan's activity log.",
    )


def _plan_picker() -> None:
    plans = cached.plans()
    if not plans:
        st.caption("No plan yet: start one, or load the sample on the Plan page.")
        new_plan_popover("sidebar-new-plan")
        return
    names = {p.id: f"{p.name}" + ("" if p.status == "active" else f" ({p.status})") for p in plans}
    if st.session_state.get(Keys.ACTIVE_PLAN) not in names:
        st.session_state[Keys.ACTIVE_PLAN] = plans[0].id
    st.selectbox(
        "Active plan",
        options=list(names),
        format_func=lambda pid: names.get(pid, pid),
        key=Keys.ACTIVE_PLAN,
    )
    new_plan_popover("sidebar-new-plan")


def render_sidebar() -> None:
    lib = library()
    with st.sidebar:
        _plan_picker()
        _who_is_acting()
        st.divider()
        st.caption(f"{len(lib.tactics)} tactics in the playbook library")
        if lib.problems:
            st.warning(
                f"{len(lib.problems)} playbook problem(s): see Playbooks → Validation.",
                icon=":material/warning:",
            )
