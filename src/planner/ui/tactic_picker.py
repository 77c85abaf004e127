"""Adding playbook tactics to a plan: the form on the Plan page, the cards' "Add to plan"
button, and the offer to add the prerequisites the chosen tactics build on.

May import: streamlit, `planner.services`, `planner.domain` and `planner.ui`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.playbook import Tactic
from planner.services import OpenPlan
from planner.ui import cached
from planner.ui.data import active_plan_id, actor, can, engine
from planner.ui.feedback import attempt
from planner.ui.loaders import library
from planner.ui.state import Keys


def _tactic_label(tactics: dict[str, Tactic]) -> Callable[[str], str]:
    return lambda tid: f"{tactics[tid].title} · {tid}" if tid in tactics else tid


def add_tactics_form(view: OpenPlan) -> None:
    lib = library()
    pending: dict[str, Any] | None = st.session_state.get(Keys.PENDING_PREREQS)
    with st.form("add-tactics", clear_on_submit=True):
        chosen = st.multiselect(
            "Tactics to add",
            options=list(lib.tactics),
            format_func=_tactic_label(lib.tactics),
            placeholder="Type to search the playbooks",
        )
        people = {p.id: p.name for p in cached.people()}
        cols = st.columns(3)
        owner = cols[0].selectbox(
            "Owner",
            list(people),
            index=None,
            format_func=lambda pid: people.get(pid, pid),
            placeholder="Nobody yet",
        )
        team = cols[1].text_input("Team", placeholder="e.g. Tier 2")
        audience = cols[2].text_input("Audience", placeholder="e.g. new hires")
        this_week = date.today() - timedelta(days=date.today().weekday())
        earliest = max(view.plan.start_date, this_week)
        start = st.date_input(
            "Start no earlier than",
            value=earliest,
            min_value=view.plan.start_date,
            format="DD/MM/YYYY",
            help="After the plan's start, the new items' start is pinned to this date.",
        )
        if (
            st.form_submit_button(
                "Add to plan", type="primary", disabled=not can(Permission.PLAN_EDIT)
            )
            and chosen
        ):
            pinned = start if start > view.plan.start_date else None
            add_with_prerequisites(
                view, chosen, team=team, audience=audience, owner_id=owner, pinned_start=pinned
            )
    if pending:
        offer_prerequisites(view, pending)


def add_with_prerequisites(
    view: OpenPlan,
    tactic_ids: list[str],
    *,
    team: str = "",
    audience: str = "",
    owner_id: str | None = None,
    pinned_start: date | None = None,
) -> None:
    """Add tactics; when some need tactics the plan lacks, ask first (offer_prerequisites)."""
    lib = library()
    missing: list[str] = []
    for tid in tactic_ids:
        for pre in services.missing_prerequisites(view.items, lib.tactic(tid), lib):
            if pre not in missing and pre not in tactic_ids:
                missing.append(pre)
    if missing:
        st.session_state[Keys.PENDING_PREREQS] = {
            "add": tactic_ids,
            "missing": missing,
            "team": team,
            "audience": audience,
            "owner_id": owner_id,
            "pinned_start": pinned_start,
        }
        st.rerun()
    _add(
        view,
        tactic_ids,
        team=team,
        audience=audience,
        owner_id=owner_id,
        pinned_start=pinned_start,
    )


def offer_prerequisites(view: OpenPlan, pending: dict[str, Any]) -> None:
    lib = library()
    names = ", ".join(f"‘{lib.tactic(t).title}’" for t in pending["missing"])
    with st.container(border=True):
        st.warning(
            f"These tactics build on {names}, which the plan does not have yet.",
            icon=":material/account_tree:",
        )
        left, mid, right = st.columns(3)
        if left.button("Add them too", type="primary", key="prereq-yes"):
            st.session_state.pop(Keys.PENDING_PREREQS)
            _add(view, [*pending["missing"], *pending["add"]], **_where(pending))
        if mid.button("Add only what I chose", key="prereq-no"):
            st.session_state.pop(Keys.PENDING_PREREQS)
            _add(view, pending["add"], **_where(pending))
        if right.button("Cancel", key="prereq-cancel"):
            st.session_state.pop(Keys.PENDING_PREREQS)
            st.rerun()


def _where(pending: dict[str, Any]) -> dict[str, Any]:
    return {k: pending.get(k) for k in ("team", "audience", "owner_id", "pinned_start")}


def _add(
    view: OpenPlan,
    tactic_ids: list[str],
    *,
    team: str = "",
    audience: str = "",
    owner_id: str | None = None,
    pinned_start: date | None = None,
) -> None:
    lib = library()
    if attempt(
        lambda: services.add_tactic_items(
            engine(),
            view.plan.id,
            [lib.tactic(t) for t in tactic_ids],
            team=team,
            audience=audience,
            owner_id=owner_id,
            pinned_start=pinned_start,
            expected_version=view.plan.version,
            actor=actor(),
        ),
        f"Added {len(tactic_ids)} item(s).",
    ):
        st.rerun()


def add_from_playbooks() -> Callable[[Tactic], None] | None:
    """What a tactic card's "Add to plan" button does, or None when there is no active plan.

    Shows the prerequisites offer, if one is pending, where the page calls it."""
    plan_id = active_plan_id()
    if plan_id is None:
        return None
    view = services.open_plan(engine(), plan_id)
    pending = st.session_state.get(Keys.PENDING_PREREQS)
    if pending:
        offer_prerequisites(view, pending)

    def add(tactic: Tactic) -> None:
        add_with_prerequisites(view, [tactic.id])

    return add
