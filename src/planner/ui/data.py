"""The database for the dashboard, the person acting and the active plan."""

from __future__ import annotations

import streamlit as st

from planner import services
from planner.domain.access import (
    PERMISSIONS,
    Actor,
    Permission,
    Role,
    RolesConfig,
    allowed,
    roles_config,
)
from planner.domain.planning import Plan
from planner.errors import PlannerError
from planner.services.database import Engine, database_url, open_database
from planner.ui.state import Keys

GUEST = "Guest"
ACTOR_PARAM = "you"  # ?you=Name in the address: who is acting, kept across a browser reload
MAX_ACTOR_NAME = 80


@st.cache_resource(show_spinner="Opening the database…")
def _engine(url: str) -> Engine:
    return open_database(url)


def engine() -> Engine:
    """One engine per database URL, migrated on first use."""
    return _engine(database_url(None))


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


def roles_problem() -> str | None:
    """What is wrong with `[planner.roles]` in the secrets, if anything (then all are viewers)."""
    try:
        roles_config(_secrets())
    except PlannerError as exc:
        return str(exc)
    return None


def _secrets() -> dict[str, object]:
    try:
        return st.secrets.to_dict()
    except Exception:  # no or a malformed secrets file: Streamlit reports it; act as if absent
        return {}


def _config() -> RolesConfig:
    try:
        return roles_config(_secrets())
    except PlannerError:  # shown in the sidebar; nobody gets more than viewer meanwhile
        return roles_config({})


def _email() -> str | None:
    """The signed-in user's email (lower case), or None when nobody is signed in."""
    if not st.user.is_logged_in:
        return None
    raw = st.user.get("email")
    return str(raw).strip().lower() if raw else None


def actor() -> str:
    """Who is acting, as the services take it.

    With `[auth]` configured: the signed-in user as an `Actor` (recorded under the name of the
    person with their email, else the email) with the role `[planner.roles]` gives that email;
    not signed in, a Guest viewer. Without `[auth]` (local use): the name picked in the
    sidebar, else Guest, as a plain string, which the services treat as admin.
    """
    if not login_configured():
        return st.session_state.get(Keys.ACTOR) or GUEST
    config = _config()
    email = _email()
    if not st.user.is_logged_in:
        return Actor(GUEST, role=Role.VIEWER, admins=config.admins)
    from planner.ui import cached  # cached reads this module's engine(): import when called

    people = cached.people()  # read once per change, not on every call of every rerun
    name = services.resolve_actor(email, None, None, people) if email else GUEST
    return Actor(name, email=email, role=config.role_for(email), admins=config.admins)


def role() -> Role:
    """The role of the person acting (admin for local use without sign-in)."""
    if not login_configured():
        return Role.ADMIN
    return _config().role_for(_email())


def can(permission: Permission) -> bool:
    """Whether the person acting may do this: pages hide or disable what they may not."""
    return allowed(role(), permission)


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


def read_only_note(permission: Permission) -> None:
    """Where a page leaves out what the role may not do: say why, and who can change that."""
    needed, does = PERMISSIONS[permission]
    admins = _config().admins
    ask = f"an admin ({', '.join(admins)})" if admins else "an admin"
    status = f"signed in as **{role().label}**" if st.user.is_logged_in else "not signed in"
    st.info(
        f"You are {status}: only {needed.label}s may {does}. "
        f"To get the {needed.label} role, ask {ask}.",
        icon=":material/lock:",
    )
