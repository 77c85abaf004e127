"""Adding a custom item: work no playbook describes, with an optional metric of its own.

May import: streamlit, `planner.services`, `planner.domain` and `planner.ui`.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.plan_items import DEFAULT_CUSTOM_EFFORT_HOURS, MAX_EFFORT_HOURS
from planner.domain.playbook import Metric, Taxonomy
from planner.services import OpenPlan
from planner.ui.data import actor, can, engine
from planner.ui.feedback import attempt
from planner.ui.loaders import library


def custom_item_form(view: OpenPlan) -> None:
    """The form that adds a custom item (and its metric, when named) to the plan."""
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
        metric = _metric_inputs(tax)
        if st.form_submit_button("Add custom item", disabled=not can(Permission.PLAN_EDIT)):
            try:
                metrics = _custom_metrics(metric)
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


def _metric_inputs(tax: Taxonomy) -> dict[str, Any]:
    """The custom item's metric fields, in the form: what the user entered, by field."""
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
    return {
        "name": metric_name,
        "unit": unit,
        "target": target,
        "cadence": cadence,
        "aggregation": aggregation,
        "direction": direction,
        "framework": framework,
        "definition": definition,
    }


def _custom_metrics(entered: dict[str, Any]) -> list[Metric]:
    """The metric the user described, or none when it has no name (ValueError if incomplete)."""
    name = entered["name"]
    if not name:
        return []
    return [
        Metric(
            id=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "metric",
            name=name,
            unit=entered["unit"] or "count",
            aggregation=entered["aggregation"],
            direction=entered["direction"],
            target=float(entered["target"]),
            cadence=entered["cadence"],
            definition=entered["definition"],
            framework=entered["framework"],
        )
    ]


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        if field == "definition":
            return "say in a full sentence (20 characters or more) how to measure it."
        return f"{field}: {first['msg']}"
    return str(exc)
