"""My week's widgets: an item's status in one click, a reading, milestones and actions."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.planning import ITEM_STATUSES, ItemChange, format_day
from planner.domain.readings import ReadingInput, ReadingsExistError
from planner.errors import PlannerError
from planner.services import readings, reviews
from planner.ui.data import actor, can, engine


def quick_status(item: Any) -> None:
    with st.container(border=True):
        cols = st.columns([4, 2, 1], vertical_alignment="center")
        flag = f" · ⚠ {item.needs_update}" if item.needs_update else ""
        cols[0].markdown(
            f"**{item.title}**  \n{item.plan_name} · {format_day(item.start)} – "
            f"{format_day(item.last_day)}{flag}"
        )
        status = cols[1].selectbox(
            "Status",
            list(ITEM_STATUSES),
            index=list(ITEM_STATUSES).index(item.status),
            key=f"week-status-{item.item_id}",
            label_visibility="collapsed",
        )
        # The version the user saw when they picked the status (kept across reruns): a
        # colleague's save since then is a conflict, not silently overwritten.
        seen = st.session_state.setdefault(f"week-seen-{item.item_id}", item.plan_version)
        if cols[2].button(
            "Save",
            key=f"week-save-{item.item_id}",
            disabled=status == item.status or not can(Permission.PLAN_EDIT),
        ):
            st.session_state.pop(f"week-seen-{item.item_id}", None)
            try:
                services.update_items(
                    engine(),
                    item.plan_id,
                    [ItemChange(item.item_id, {"status": status})],
                    expected_version=seen,
                    actor=actor(),
                )
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            st.toast(f"‘{item.title}’ is now {status}.", icon=":material/check:")
            st.rerun()


def week_milestones(milestones: list[Any]) -> None:
    if not milestones:
        st.caption("No milestone this week.")
    for m in milestones:
        late = " · **overdue**" if m.overdue else ""
        st.markdown(f"- {format_day(m.date)}{late}: {m.text} ({m.item_title}, {m.plan_name})")


def week_actions(actions: list[Any]) -> None:
    if not actions:
        st.caption("No open action item due this week.")
    for entry in actions:
        action = entry.action
        due = format_day(action.due) if action.due else "no due date"
        cols = st.columns([5, 1], vertical_alignment="center")
        late = " · **overdue**" if entry.overdue else ""
        cols[0].markdown(f"**{action.text}** · {entry.plan_name} · {due}{late}")
        seen = st.session_state.setdefault(f"week-action-seen-{action.id}", action.updated_at)
        if cols[1].button(
            "Done", key=f"week-done-{action.id}", disabled=not can(Permission.REVIEW_EDIT)
        ):
            st.session_state.pop(f"week-action-seen-{action.id}", None)
            try:
                reviews.set_action_status(engine(), action.id, "done", actor=actor(), seen=seen)
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            st.toast("Marked done.", icon=":material/check:")
            st.rerun()


def quick_reading(items: list[Any]) -> None:
    measured = {}
    for item in items:
        for plan_item in services.get_items(engine(), item.plan_id):
            if plan_item.id == item.item_id and plan_item.metrics:
                measured[item.item_id] = (item.plan_id, plan_item)
    if not measured:
        st.caption("None of these items has a metric.")
        return
    with st.form("week-reading", clear_on_submit=True):
        item_id = st.selectbox("Item", list(measured), format_func=lambda i: measured[i][1].title)
        metrics = {m.id: f"{m.name} ({m.unit})" for _, it in measured.values() for m in it.metrics}
        metric_id = st.selectbox("Metric", list(metrics), format_func=lambda m: metrics[m])
        cols = st.columns(2)
        day = cols[0].date_input("Date", value=date.today(), format="DD/MM/YYYY")
        value = cols[1].number_input("Value", value=0.0)
        replace = st.checkbox("Replace a reading already there for that period")
        if st.form_submit_button(
            "Add reading", type="primary", disabled=not can(Permission.READINGS_EDIT)
        ):
            plan_id, plan_item = measured[item_id]
            if metric_id not in {m.id for m in plan_item.metrics}:
                st.error(f"‘{plan_item.title}’ has no metric ‘{metrics[metric_id]}’.")
                return
            try:
                readings.record_readings(
                    engine(),
                    plan_id,
                    [ReadingInput(item_id, metric_id, day, float(value))],
                    actor=actor(),
                    replace=replace,
                )
            except ReadingsExistError as exc:
                st.warning(f"{exc} Tick ‘Replace’ to confirm.", icon=":material/info:")
                return
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            st.toast("Reading added.", icon=":material/check:")
