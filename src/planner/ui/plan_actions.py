"""Creating, editing, copying and archiving plans; adding tactics and custom items."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from typing import Any, Literal

import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.planning import REVIEW_CADENCES, outdated_items
from planner.domain.playbook import Metric, Tactic
from planner.errors import ConflictError, PlannerError
from planner.services import OpenPlan
from planner.services.sample import create_sample_plan
from planner.ui import cached
from planner.ui.conflicts import carried_settings, refused
from planner.ui.data import active_plan_id, actor, can, engine, forget_plan_view, set_active_plan
from planner.ui.loaders import library
from planner.ui.state import Keys


def attempt(action: Callable[[], Any], done: str) -> bool:
    """Run one service call; show a PlannerError as a message, confirm success with a toast."""
    try:
        action()
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return False
    forget_plan_view()
    st.toast(done, icon=":material/check:")
    return True


def load_sample_button(*, primary: bool = True) -> None:
    if st.button(
        "Load sample plan",
        type="primary" if primary else "secondary",
        icon=":material/auto_awesome:",
        key="load-sample",
        disabled=not can(Permission.PLAN_EDIT),
        help="A six-month rollout for a 400-person support organisation, with people and items.",
    ):
        plan = create_sample_plan(engine(), library(), actor=actor())
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


def custom_item_form(view: OpenPlan) -> None:
    # Imported here so this function's change stays inside it (the module is shared work).
    from planner.domain.planning import DEFAULT_CUSTOM_EFFORT_HOURS, MAX_EFFORT_HOURS

    tax = library().taxonomy
    with st.form("custom-item", clear_on_submit=True):
        st.markdown("**Custom item**: work no playbook describes")
        title = st.text_input("Title")
        how_long, how_much = st.columns(2)
        weeks = how_long.number_input("Weeks", min_value=1, max_value=260, value=4)
        effort = how_much.number_input(
            "Hours a week for the owner",
            min_value=0.0,
            max_value=MAX_EFFORT_HOURS,
            value=DEFAULT_CUSTOM_EFFORT_HOURS,
            step=0.5,
            help="Counted in the owner's workload on the Schedule page.",
        )
        st.caption("Its metric (optional)")
        cols = st.columns(3)
        metric_name = cols[0].text_input("Metric name", placeholder="e.g. Huddles held")
        unit = cols[1].text_input("Unit", placeholder="e.g. huddles")
        target = cols[2].number_input("Target", min_value=0.0, value=10.0)
        cols = st.columns(3)
        cadence = cols[0].selectbox("Measured", [c.id for c in tax.cadences])
        aggregation = cols[1].selectbox("Combined by", [a.id for a in tax.aggregations])
        direction = cols[2].selectbox("Better when", [d.id for d in tax.directions])
        framework = st.selectbox(
            "Framework",
            [f.id for f in tax.frameworks],
            format_func=lambda f: tax.title("frameworks", f),
        )
        definition = st.text_input("How to measure it (a sentence)")
        if st.form_submit_button("Add custom item", disabled=not can(Permission.PLAN_EDIT)):
            metrics: list[Metric] = []
            try:
                if metric_name:
                    metrics.append(
                        Metric(
                            id=re.sub(r"[^a-z0-9]+", "-", metric_name.lower()).strip("-")[:60]
                            or "metric",
                            name=metric_name,
                            unit=unit or "count",
                            aggregation=aggregation,
                            direction=direction,
                            target=float(target),
                            cadence=cadence,
                            definition=definition,
                            framework=framework,
                        )
                    )
            except ValueError as exc:
                st.error(
                    f"The metric is not complete: {_first_error(exc)}", icon=":material/error:"
                )
                return
            if attempt(
                lambda: services.add_custom_item(
                    engine(),
                    view.plan.id,
                    title=title,
                    duration_weeks=int(weeks),
                    effort_hours_per_week=float(effort),
                    metrics=metrics,
                    expected_version=view.plan.version,
                    actor=actor(),
                ),
                f"Added '{title}'.",
            ):
                st.rerun()


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        if field == "definition":
            return "say in a full sentence (20 characters or more) how to measure it."
        return f"{field}: {first['msg']}"
    return str(exc)


def outdated_notices(view: OpenPlan) -> None:
    """Items whose playbook tactic changed since they were added: the differences, an update."""
    lib = library()
    titles = {i.id: i for i in view.items}
    # Comparing every snapshot with the library is linear in the plan: once per opened version.
    key = (view.plan.id, view.plan.version, id(lib))
    memo = st.session_state.get(Keys.OUTDATED)
    if memo is None or memo[0] != key:
        memo = (key, outdated_items(view.items, lib.tactics))
        st.session_state[Keys.OUTDATED] = memo
    for item_id, changes in memo[1].items():
        item = titles[item_id]
        with st.expander(f"The playbook changed ‘{item.title}’ since it was added", icon="🔄"):
            st.markdown("\n".join(f"- {change}" for change in changes))
            if st.button(
                "Update it to the playbook's version",
                key=f"refresh-{item.id}",
                disabled=not can(Permission.PLAN_EDIT),
            ):
                tactic = lib.tactic(item.tactic_id or "")
                if attempt(
                    partial(
                        services.refresh_item_from_tactic,
                        engine(),
                        view.plan.id,
                        item.id,
                        tactic,
                        expected_version=view.plan.version,
                        actor=actor(),
                    ),
                    "Item updated.",
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
