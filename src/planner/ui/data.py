"""The database for the dashboard, the person acting and the active plan."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from planner import services
from planner.planning import Plan
from planner.store import make_engine, migrate, resolve_database_url
from planner.ui.state import Keys

GUEST = "Guest"
ACTOR_PARAM = "you"  # ?you=Name in the address: who is acting, kept across a browser reload
MAX_ACTOR_NAME = 80


@st.cache_resource(show_spinner="Opening the database…")
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


def engine() -> Engine:
    """One engine per database URL, migrated on first use."""
    return _engine(resolve_database_url(None))


def forget_engine() -> None:
    """Drop the cached engine, so the next `engine()` opens the database again (Retry)."""
    _engine.clear()


def login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
    except Exception:  # a malformed secrets file: Streamlit reports it; act as if absent
        return False


def actor() -> str:
    """Who is acting: the signed-in user, else the name picked in the sidebar, else Guest."""
    if login_configured() and st.user.is_logged_in:
        email = st.user.get("email")
        people = services.list_people(engine())
        return services.resolve_actor(str(email) if email else None, None, None, people)
    return st.session_state.get(Keys.ACTOR) or GUEST


def remember_actor() -> None:
    """Keep the "You are" name in the page address, so a browser reload still knows it.

    Session state dies with the browser tab's connection; the address survives a reload (and
    a bookmark). On a session's first run the name comes from `?you=`; after that the session's
    pick is written back on every run, since moving to another page drops the parameter.
    When login is configured, the signed-in user acts and the parameter is removed: a link
    must not choose who is acting.
    """
    if login_configured():
        if ACTOR_PARAM in st.query_params:
            del st.query_params[ACTOR_PARAM]
        return
    if not st.session_state.get(Keys.ACTOR_FROM_URL):
        st.session_state[Keys.ACTOR_FROM_URL] = True
        found = " ".join(str(st.query_params.get(ACTOR_PARAM) or "").split())[:MAX_ACTOR_NAME]
        if found and not st.session_state.get(Keys.ACTOR):
            st.session_state[Keys.ACTOR] = found
    name = st.session_state.get(Keys.ACTOR)
    if name:
        if st.query_params.get(ACTOR_PARAM) != str(name):
            st.query_params[ACTOR_PARAM] = str(name)
    elif ACTOR_PARAM in st.query_params:
        del st.query_params[ACTOR_PARAM]


def active_plan_id() -> str | None:
    """The plan being worked on: one just switched to in this run, else the sidebar's pick."""
    plan_id = st.session_state.get(Keys.PENDING_PLAN) or st.session_state.get(Keys.ACTIVE_PLAN)
    return str(plan_id) if plan_id else None


def set_active_plan(plan: Plan | str) -> None:
    """Make `plan` the active plan, from anywhere in a run (then rerun or switch page).

    The sidebar's plan picker owns `Keys.ACTIVE_PLAN`, and Streamlit refuses a write to a
    widget's key once the widget is drawn in the run, which the sidebar is before any page
    content. So the switch waits under `Keys.PENDING_PLAN`, and `take_pending_plan` moves it
    into the picker at the start of the next run, before the sidebar draws it.
    """
    st.session_state[Keys.PENDING_PLAN] = plan if isinstance(plan, str) else plan.id
    forget_plan_view()


def take_pending_plan() -> None:
    """Apply a switch asked for by `set_active_plan` (the shell calls it before the sidebar)."""
    pending = st.session_state.pop(Keys.PENDING_PLAN, None)
    if pending:
        st.session_state[Keys.ACTIVE_PLAN] = pending
        st.session_state[Keys.PLAN_SWITCHES] = st.session_state.get(Keys.PLAN_SWITCHES, 0) + 1


def forget_plan_view() -> None:
    """Drop the opened copy of the plan, so the next run reads it afresh; reset the editors,
    and forget a refused save and edits kept from one (they belonged to that copy)."""
    for key in (Keys.PLAN_VIEW, Keys.CONFLICT, Keys.CARRIED):
        st.session_state.pop(key, None)
    st.session_state[Keys.EDITOR_ROUND] = st.session_state.get(Keys.EDITOR_ROUND, 0) + 1
