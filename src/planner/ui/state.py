"""Session-state keys in one place, with their defaults."""

from __future__ import annotations

from typing import Any

import streamlit as st


class Keys:
    ROUTER = "router.ran"
    ACTIVE_PLAN = "plan.active"  # the sidebar's plan picker: write it through set_active_plan
    PENDING_PLAN = "plan.pending"  # a switch of the active plan, applied before the sidebar
    PLAN_SWITCHES = "plan.switches"  # how many times the active plan was switched in code
    ACTOR = "actor.name"  # the sidebar's "You are"; mirrored in the address (remember_actor)
    ACTOR_FROM_URL = "actor.from_url"  # the address was read once this session
    PLAN_VIEW = "plan.view"  # the items as the user opened them, and that version
    CONFLICT = "plan.conflict"  # a save refused as stale: my edits, waiting for reload/discard
    CARRIED = "plan.carried"  # my edits put back over the newer version, until the next save
    EDITOR_ROUND = "plan.editor_round"  # bumped to reset the editors after a save
    PENDING_PREREQS = "plan.pending_prereqs"
    OUTDATED = "plan.outdated"  # (plan id, version, library) -> items whose tactic changed
    LOG_LIMIT = "plan.log_limit"
    GANTT_COLOR = "schedule.color_by"
    GANTT_OWNERS = "schedule.owners"
    GANTT_STATUSES = "schedule.statuses"
    GANTT_CATEGORIES = "schedule.categories"
    WORKLOAD_START = "schedule.workload_start"
    WORKLOAD_WEEKS = "schedule.workload_weeks"
    WORKLOAD_DRAFTS = "schedule.workload_drafts"
    SEARCH = "playbooks.search"
    CATEGORIES = "playbooks.categories"
    PURPOSES = "playbooks.purposes"
    PRACTICES = "playbooks.practices"
    AUDIENCES = "playbooks.audiences"
    EFFORTS = "playbooks.efforts"
    DURATIONS = "playbooks.durations"
    SHOWN = "playbooks.shown"
    START_PLAN_FOR = "playbooks.start_plan_for"  # the tactic a "Start a plan" dialog is open for
    COVERAGE_AXIS = "playbooks.coverage_axis"


DEFAULTS: dict[str, Any] = {
    Keys.SEARCH: "",
    Keys.CATEGORIES: [],
    Keys.PURPOSES: [],
    Keys.PRACTICES: [],
    Keys.AUDIENCES: [],
    Keys.EFFORTS: [],
    Keys.DURATIONS: [],
    Keys.SHOWN: 20,
    Keys.COVERAGE_AXIS: "practices",
    Keys.ACTIVE_PLAN: None,
    Keys.ACTOR: None,
    Keys.EDITOR_ROUND: 0,
    Keys.LOG_LIMIT: 50,
    Keys.GANTT_COLOR: "status",
}


def init_state() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
