"""Starting a plan from a tactic card when there is none yet: a new user's first step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.playbook import Tactic
from planner.errors import PlannerError
from planner.ui.data import actor, can, engine, set_active_plan
from planner.ui.loaders import library
from planner.ui.plan_actions import add_from_playbooks, add_with_prerequisites
from planner.ui.state import Keys

ADD_LABEL = "Add to plan"
START_LABEL = "Start a plan"


def _dismiss() -> None:
    st.session_state.pop(Keys.START_PLAN_FOR, None)


def start_plan_with(tactic: Tactic) -> None:
    """The cards' button when there is no plan: open the dialog (it stays open across reruns)."""
    st.session_state[Keys.START_PLAN_FOR] = tactic.id
    _start_plan_dialog(tactic)


@st.dialog("Start a plan", on_dismiss=_dismiss)
def _start_plan_dialog(tactic: Tactic) -> None:
    st.write(
        f"There is no plan yet. Name the new plan and say when it starts; ‘{tactic.title}’ "
        "becomes its first item (with any tactic it needs first, if you agree)."
    )
    with st.form("start-plan"):
        name = st.text_input("Plan name", value="Informal learning rollout")
        start = st.date_input("Starts", value=date.today(), format="DD/MM/YYYY")
        if not st.form_submit_button(
            "Create the plan and add it", type="primary", disabled=not can(Permission.PLAN_EDIT)
        ):
            return
    try:
        plan = services.create_plan(engine(), name=name, start_date=start, actor=actor())
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    _dismiss()
    set_active_plan(plan)
    add_with_prerequisites(services.open_plan(engine(), plan.id), [tactic.id])
    st.rerun()


def card_action() -> tuple[Callable[[Tactic], None], str]:
    """What the cards' button does, and its label: add to the active plan, or start one."""
    add = add_from_playbooks()
    if add is None:
        opened = library().tactics.get(st.session_state.get(Keys.START_PLAN_FOR) or "")
        if opened is not None:
            _start_plan_dialog(opened)
        return start_plan_with, START_LABEL
    return add, ADD_LABEL
