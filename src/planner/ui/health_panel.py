"""The community-health panel for community-of-practice items, with the stage review."""

from __future__ import annotations

from datetime import date

import streamlit as st

from planner.domain.health import NINETY_NINE_ONE_CONTRIBUTORS, community_health
from planner.domain.planning import PlanItem
from planner.domain.privacy import MIN_GROUP_SIZE, suppress
from planner.services import readings
from planner.ui.data import engine
from planner.ui.layout import metric_columns
from planner.ui.loaders import library


def community_items(items: list[PlanItem]) -> list[PlanItem]:
    return [
        i
        for i in items
        if i.cop_stage
        or (i.snapshot is not None and "communities-of-practice" in i.snapshot.practices)
    ]


def _people(value: float | None) -> str:
    shown = suppress(value, distinct_people=True)
    return "—" if shown is None else shown if isinstance(shown, str) else f"{shown:,.0f}"


def health_panel(plan_id: str, item: PlanItem, as_of: date) -> None:
    tax = library().taxonomy
    health = community_health(readings.list_readings(engine(), plan_id, item_id=item.id), as_of)
    with st.container(border=True):
        st.markdown(f"#### {item.title}")
        if not health.has_data:
            st.info(
                "No community-health readings yet: record members, active members, "
                "contributors, questions and response times for this item.",
                icon=":material/monitor_heart:",
            )
        else:
            small = health.members is not None and health.members < MIN_GROUP_SIZE
            cols = metric_columns(5)
            cols[0].metric("Members", _people(health.members))
            share = health.active_share
            cols[1].metric(
                "Active share",
                "—" if share is None or small else f"{share.value:.0%}",
                help="Active members / members, latest period with both.",
            )
            contrib = health.contributor_share
            cols[2].metric(
                "Contributors",
                "—" if contrib is None or small else f"{contrib.value:.0%}",
                delta=None
                if contrib is None or small
                else f"{contrib.value - NINETY_NINE_ONE_CONTRIBUTORS:+.0%} vs 90-9-1",
                help="Contributors / members, against the ~10% the 90-9-1 pattern predicts.",
            )
            rate = health.response_rate
            cols[3].metric(
                "Answered in time",
                "—" if rate is None else f"{rate.value:.0%}",
                help="Questions answered within the target time / questions asked, latest "
                "period with both; the Progress table's share pools all periods so far.",
            )
            hours = health.median_hours_to_first_response
            cols[4].metric(
                "Median first response",
                "—" if hours is None else f"{hours:,.1f} h",
                help="Median hours from a question to its first reply (latest period).",
            )
        stage_review(item, tax)


def stage_review(item: PlanItem, tax: object) -> None:
    stages = sorted(getattr(tax, "stages", []), key=lambda s: s.order)
    current = next((s for s in stages if s.id == item.cop_stage), None)
    if current is None:
        st.caption("Set the community's stage on the Plan page to review its readiness.")
        return
    later = [s for s in stages if s.order > current.order]
    nxt = later[0].title if later else "a deliberate close, split or merge"
    st.markdown(f"**Stage: {current.title}.** Ready for {nxt}?")
    ticked = [
        st.checkbox(sign, key=f"stage-{item.id}-{k}") for k, sign in enumerate(current.checklist)
    ]
    done = sum(ticked)
    if done == len(ticked):
        st.success(
            f"All {done} signs are there: consider moving to {nxt} at the next review.",
            icon=":material/trending_up:",
        )
    else:
        st.caption(f"{done} of {len(ticked)} signs seen so far.")
