"""A plan itself: creating one (a form, a popover, the sample plan), its settings, copying it.

Also the door the pages use for the rest of a plan's actions, re-exported from the modules
that own them: adding tactics with their prerequisites (`planner.ui.tactic_picker`), custom
items (`planner.ui.custom_item`), the playbook's changes to items (`planner.ui.playbook_changes`)
and running one service call with its message (`planner.ui.feedback`).

May import: streamlit, `planner.services`, `planner.domain` and `planner.ui`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Literal

import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.planning import REVIEW_CADENCES, Plan
from planner.errors import ConflictError, PlannerError
from planner.services import OpenPlan
from planner.services.sample import create_sample_plan
from planner.ui.conflicts import carried_settings, refused
from planner.ui.custom_item import custom_item_form as custom_item_form
from planner.ui.data import actor, can, engine, forget_plan_view, set_active_plan
from planner.ui.feedback import attempt as attempt
from planner.ui.loaders import library
from planner.ui.playbook_changes import outdated_notices as outdated_notices
from planner.ui.state import Keys
from planner.ui.tactic_picker import add_from_playbooks as add_from_playbooks
from planner.ui.tactic_picker import add_tactics_form as add_tactics_form
from planner.ui.tactic_picker import add_with_prerequisites as add_with_prerequisites
from planner.ui.tactic_picker import offer_prerequisites as offer_prerequisites


def load_sample_button(*, primary: bool = True) -> None:
    if st.button(
        "Load sample plan",
        type="primary" if primary else "secondary",
        icon=":material/auto_awesome:",
        key="load-sample",
        disabled=not can(Permission.PLAN_EDIT),
        help="A six-month rollout for a 400-person support organisation, with people and items.",
    ):
        try:
            plan = create_sample_plan(engine(), library(), actor=actor())
        except PlannerError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        set_active_plan(plan)
        st.toast("Sample plan loaded.", icon=":material/check:")
        st.switch_page("pages/plan.py")


def new_plan_form(key: str = "new-plan") -> None:
    """The form that creates a plan and makes it the active one; `key` tells copies apart."""
    with st.form(key, clear_on_submit=True):
        st.markdown("**New plan**")
        name = st.text_input("Name", placeholder="e.g. Engineering onboarding communities")
        start = st.date_input("Starts", value=date.today(), format="DD/MM/YYYY")
        cadence = st.selectbox("Review meetings", REVIEW_CADENCES, index=1)
        description = st.text_area("What it is for", height=80)
        if st.form_submit_button(
            "Create plan", type="primary", disabled=not can(Permission.PLAN_EDIT)
        ):
            try:
                plan = services.create_plan(
                    engine(),
                    name=name,
                    start_date=start,
                    review_cadence=cadence,
                    description=description,
                    actor=actor(),
                )
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            set_active_plan(plan)
            st.toast(f"Created '{plan.name}'.", icon=":material/check:")
            st.switch_page("pages/plan.py")


def new_plan_popover(key: str, *, width: Literal["content", "stretch"] = "stretch") -> None:
    """A "New plan" button that opens the form in place: the sidebar and Home carry one.

    The popover is keyed by the count of plan switches, so once the form has made a plan
    (and switched to it) the popover is a new one, closed, instead of staying open."""
    switches = st.session_state.get(Keys.PLAN_SWITCHES, 0)
    with st.popover(
        "New plan",
        icon=":material/add:",
        width=width,
        key=f"{key}-popover-{switches}",
        on_change="rerun",
        disabled=not can(Permission.PLAN_EDIT),
    ):
        new_plan_form(key)


def plan_settings(view: OpenPlan, people_labels: dict[str, str]) -> None:
    plan = view.plan
    shown = replace(plan, **carried_settings(view))  # edits kept from a refused save
    with st.form(f"plan-settings-{plan.id}-{plan.version}"):
        name = st.text_input("Name", value=shown.name)
        cols = st.columns(3)
        start = cols[0].date_input("Starts", value=shown.start_date, format="DD/MM/YYYY")
        cadence = cols[1].selectbox(
            "Review meetings", REVIEW_CADENCES, index=REVIEW_CADENCES.index(shown.review_cadence)
        )
        leads = ["", *people_labels]
        lead = cols[2].selectbox(
            "Lead",
            leads,
            index=leads.index(shown.lead_id) if shown.lead_id in leads else 0,
            format_func=lambda pid: people_labels.get(pid, "Nobody yet"),
        )
        status = st.segmented_control(
            "Status", ["draft", "active", "closed", "archived"], default=shown.status
        )
        description = st.text_area("What it is for", value=shown.description, height=80)
        if st.form_submit_button("Save plan settings", disabled=not can(Permission.PLAN_EDIT)):
            values = {
                "name": name,
                "start_date": start,
                "review_cadence": cadence,
                "lead_id": lead or None,
                "status": status or plan.status,
                "description": description,
            }
            save_plan_settings(view, values)
    copy_plan_form(plan)


def copy_plan_form(plan: Plan) -> None:
    """Copy the plan under a new name (a draft) and make the copy the active plan."""
    with st.form(f"copy-plan-{plan.id}"):
        copy_name = st.text_input("Copy this plan as", value=f"{plan.name} (copy)")
        if st.form_submit_button("Copy plan", disabled=not can(Permission.PLAN_EDIT)):
            try:
                copy = services.copy_plan(engine(), plan.id, name=copy_name, actor=actor())
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                set_active_plan(copy)
                st.toast(f"Copied to '{copy.name}' (a draft).", icon=":material/check:")
                st.rerun()


def save_plan_settings(view: OpenPlan, values: dict[str, Any]) -> None:
    """Save the settings form; a stale save goes to the conflict panel with the fields I changed."""
    plan = view.plan
    try:
        services.update_plan(
            engine(), plan.id, **values, expected_version=plan.version, actor=actor()
        )
    except ConflictError as exc:
        mine = {k: v for k, v in values.items() if v != getattr(plan, k)}
        refused(view, str(exc), settings=mine)
        st.rerun()
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    forget_plan_view()
    st.toast("Plan settings saved.", icon=":material/check:")
    st.rerun()
