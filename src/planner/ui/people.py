"""Adding people and saving edits to them."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.errors import ConflictError, PlannerError
from planner.services.privacy import add_opt_out, erase_person
from planner.ui.data import actor, can, engine

COLUMNS = {
    "Name": "name",
    "Email": "email",
    "Role": "role",
    "Team": "team",
    "Hours a week": "capacity_hours_per_week",
}


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def save_people_edits(
    base: pd.DataFrame, edited: pd.DataFrame, versions: dict[str, int] | None = None
) -> None:
    """Save the grid's edits in one transaction, each person based on the version the grid
    drew (`versions`, kept per grid round): one edited meanwhile is a conflict."""
    changes: dict[str, dict[str, Any]] = {}
    for (_, old), (_, new) in zip(base.iterrows(), edited.iterrows(), strict=True):
        for column, field in COLUMNS.items():
            if _value(old[column]) != _value(new[column]):
                value = _value(new[column])
                if field in ("role", "team") and value is None:
                    value = ""
                changes.setdefault(str(new["id"]), {})[field] = value
    if not changes:
        return
    if st.button(
        f"Save changes to {len(changes)} person(s)",
        type="primary",
        disabled=not can(Permission.PEOPLE_MANAGE),
    ):
        drawn = versions or {}
        try:
            services.update_people(
                engine(),
                changes,
                expected_versions={p: drawn[p] for p in changes if p in drawn},
                actor=actor(),
            )
        except PlannerError as exc:
            if isinstance(exc, ConflictError):  # redraw the grid from what is stored now
                st.session_state["people.round"] = st.session_state.get("people.round", 0) + 1
            st.error(str(exc), icon=":material/error:")
            return
        st.session_state["people.round"] = st.session_state.get("people.round", 0) + 1
        st.toast("Saved.", icon=":material/check:")
        st.rerun()


def add_person_form() -> None:
    with st.form("add-person", clear_on_submit=True):
        st.markdown("**Add a person**")
        cols = st.columns(2)
        name = cols[0].text_input("Name")
        email = cols[1].text_input("Email (optional)", help="Matches them when they sign in.")
        more = st.columns(3)
        role = more[0].text_input("Role", placeholder="e.g. Team manager")
        team = more[1].text_input("Team", placeholder="e.g. Tier 1")
        hours = more[2].number_input("Hours a week", min_value=0.0, max_value=168.0, value=4.0)
        if st.form_submit_button(
            "Add person", type="primary", disabled=not can(Permission.PEOPLE_MANAGE)
        ):
            try:
                person = services.add_person(
                    engine(),
                    name=name,
                    email=email or None,
                    role=role,
                    team=team,
                    capacity_hours_per_week=hours,
                    actor=actor(),
                )
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            st.toast(f"Added {person.name}.", icon=":material/check:")
            st.rerun()


def privacy_tools(people: list[Any]) -> None:
    """Erase a person; add an identifier to the xAPI opt-out list (kept as a keyed hash)."""
    with st.expander("Privacy: erase a person, opt someone out of xAPI counts"):
        names = {p.id: f"{p.name} ({p.email})" if p.email else p.name for p in people}
        with st.form("erase-person", clear_on_submit=True):
            st.markdown(
                "**Erase a person**: removes their record, unassigns their items, replaces their "
                "name in every plan's activity log, and adds their email to the opt-out list."
            )
            person_id = st.selectbox(
                "Person", list(names), index=None, format_func=lambda i: names[i]
            )
            sure = st.checkbox("I understand this cannot be undone")
            if (
                st.form_submit_button(
                    "Erase", type="primary", disabled=not can(Permission.PEOPLE_ERASE)
                )
                and person_id
            ):
                if not sure:
                    st.error("Tick the box to confirm the erasure.")
                else:
                    try:
                        erase_person(engine(), person_id, actor=actor())
                    except PlannerError as exc:
                        st.error(str(exc), icon=":material/error:")
                    else:
                        st.session_state["people.round"] = (
                            st.session_state.get("people.round", 0) + 1
                        )
                        st.toast("Erased.", icon=":material/check:")
                        st.rerun()
        with st.form("opt-out", clear_on_submit=True):
            st.markdown(
                "**Opt out of xAPI counts**: statements by this identifier are dropped before "
                "anything is counted. Only a keyed hash of it is stored."
            )
            identifier = st.text_input(
                "Email, account (homePage|name) or OpenID", placeholder="someone@example.org"
            )
            if (
                st.form_submit_button(
                    "Add to the opt-out list", disabled=not can(Permission.PEOPLE_ERASE)
                )
                and identifier.strip()
            ):
                try:
                    added = add_opt_out(engine(), identifier, actor=actor())
                except PlannerError as exc:
                    st.error(str(exc), icon=":material/error:")
                else:
                    st.toast(
                        "Added to the opt-out list." if added else "Already on the opt-out list.",
                        icon=":material/check:",
                    )
