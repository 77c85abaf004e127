"""The review meeting screen: headline, what needs attention, changes, agenda, recording."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import readings, reviews, stories
from planner.charts import small_multiples
from planner.errors import PlannerError
from planner.planning import Person, PlanItem, format_day
from planner.progress import PlanProgress
from planner.reviews import NewAction, Review
from planner.ui.data import actor, engine
from planner.ui.layout import WRAPPED_ROW, metric_columns, wrapped_height
from planner.ui.progress_view import status_style

PRESENT = "review.present"
FOCUS = "review.focus"
ORDER = {"off track": 0, "at risk": 1, "no data": 2, "not started": 3, "on track": 4}


def attention_items(progress: PlanProgress) -> list[Any]:
    """Items at risk and off track first, then the rest, each with its rolled-up status."""
    return sorted(progress.items, key=lambda i: (ORDER.get(i.status, 5), i.title))


def _sparkline(plan_id: str, item: Any, as_of: date) -> list[float]:
    """The actuals of the item's most worrying metric, period by period (for a small chart)."""
    if not item.metrics:
        return []
    worst = min(item.metrics, key=lambda m: ORDER.get(m.status, 5))
    points = readings.metric_trend(engine(), plan_id, item.item_id, worst.metric_id, as_of)
    return [p.actual for p in points if p.actual is not None]


def attention_table(
    plan_id: str, progress: PlanProgress, items: list[PlanItem], people: list[Person]
) -> None:
    owners = {p.id: p.name for p in people}
    owner_of = {i.id: owners.get(i.owner_id or "", "—") for i in items}
    latest_story = {}
    for story in sorted(stories.list_stories(engine(), plan_id), key=lambda s: s.date):
        latest_story[story.item_id] = story.title
    rows = []
    for item in attention_items(progress):
        if item.status not in ("off track", "at risk"):
            continue
        last = max((m.last_reading for m in item.metrics if m.last_reading), default=None)
        rows.append(
            {
                "Item": item.title,
                "Owner": owner_of.get(item.item_id, "—"),
                "Status": item.status,
                "Last reading": format_day(last) if last else "—",
                "Trend": _sparkline(plan_id, item, progress.as_of),
                "Latest story": latest_story.get(item.item_id, "—"),
            }
        )
    if not rows:
        st.success("Nothing is at risk or off track.", icon=":material/verified:")
        return
    frame = pd.DataFrame(rows)
    st.dataframe(
        frame.style.map(status_style, subset=["Status"]),
        hide_index=True,
        row_height=WRAPPED_ROW,
        height=wrapped_height(len(frame)),
        column_config={
            "Trend": st.column_config.LineChartColumn("Trend", width="small"),
            "Item": st.column_config.TextColumn(width=170, pinned=True),
            "Latest story": st.column_config.TextColumn(width=150),
        },
    )


def presentation(plan_id: str, progress: PlanProgress, items: list[PlanItem]) -> None:
    """One item at a time, large, with previous and next; status always as a word."""
    ordered = attention_items(progress)
    if not ordered:
        st.info("No item to present yet.")
        return
    k = st.session_state.get(FOCUS, 0) % len(ordered)
    item = ordered[k]
    left, mid, right = st.columns([2, 5, 2], vertical_alignment="center")
    if left.button("Previous", icon=":material/arrow_back:", key="review-prev"):
        st.session_state[FOCUS] = k - 1
        st.rerun()
    if right.button("Next", icon=":material/arrow_forward:", key="review-next"):
        st.session_state[FOCUS] = k + 1
        st.rerun()
    mid.markdown(f"## {item.title}")
    mid.markdown(
        f"<span style='{status_style(item.status)}; padding: 4px 12px; border-radius: 6px; "
        f"font-size: 1.4rem'>{item.status}</span> &nbsp; item {k + 1} of {len(ordered)}",
        unsafe_allow_html=True,
    )
    series = readings.item_trends(engine(), plan_id, item.item_id, progress.as_of)
    panels = [
        (m.metric.name, m.status, m.metric.unit, series.get(m.metric_id, []))
        for m in item.metrics
        if series.get(m.metric_id)
    ]
    if panels:
        st.plotly_chart(small_multiples(panels, columns=min(2, len(panels))), key="present-chart")


def changes_panel(plan_id: str, last: Review | None) -> None:
    if last is None or last.recorded_at is None:
        st.caption("No review recorded yet: changes are listed from the next one on.")
        return
    changes = reviews.changes_since(engine(), plan_id, last.recorded_at)
    st.caption(f"Since the review of {format_day(last.date)}.")
    if not changes.activity and not changes.readings:
        st.write("Nothing has changed since.")
    for entry in changes.activity[:15]:
        st.markdown(f"- {entry.at:%d %b %H:%M} · **{entry.actor}** · {entry.summary}")
    if len(changes.activity) > 15:
        st.caption(f"…and {len(changes.activity) - 15} more changes (Plan → Activity).")
    for added in changes.readings[:15]:
        st.markdown(f"- {added.count} new reading(s): {added.item_title} · {added.metric_id}")


def agenda(plan_id: str, people: list[Person], *, editable: bool) -> dict[str, str]:
    """Open action items; returns the status changes chosen (applied with the review)."""
    names = {p.id: p.name for p in people}
    open_items = reviews.open_actions(engine(), plan_id)
    if not open_items:
        st.caption("No open action items.")
        return {}
    updates: dict[str, str] = {}
    for action in open_items:
        owner = names.get(action.owner_id or "", action.owner_name or "nobody")
        due = format_day(action.due) if action.due else "no due date"
        cols = st.columns([5, 2], vertical_alignment="center")
        cols[0].markdown(f"**{action.text}** · {owner} · {due}")
        if editable:
            status = cols[1].selectbox(
                "Status",
                ["open", "done", "dropped"],
                key=f"action-{action.id}",
                label_visibility="collapsed",
            )
            if status != "open":
                updates[action.id] = status
        else:
            cols[1].markdown("open")
    return updates


def record_form(plan_id: str, people: list[Person], updates: dict[str, str]) -> None:
    names = {p.id: p.name for p in people}
    with st.form("record-review", clear_on_submit=True):
        st.markdown("**Record this review**: saves a snapshot of every item and metric")
        cols = st.columns(2)
        day = cols[0].date_input("Meeting date", value=date.today(), format="DD/MM/YYYY")
        attendees = cols[1].multiselect(
            "Attendees", [p.name for p in people], accept_new_options=True
        )
        notes = st.text_area("Notes", height=80)
        decisions = st.text_area("Decisions (one per line)", height=80)
        blank = pd.DataFrame(
            {"Action": pd.Series([], dtype="object"), "Owner": pd.Series([], dtype="object"),
             "Due": pd.Series([], dtype="object")}
        )  # fmt: skip
        actions = st.data_editor(
            blank,
            num_rows="dynamic",
            key="review-actions",
            hide_index=True,
            column_config={
                "Action": st.column_config.TextColumn(width="medium", required=True),
                "Owner": st.column_config.SelectboxColumn(options=list(names.values())),
                "Due": st.column_config.DateColumn(format="D MMM YYYY"),
            },
        )
        if st.form_submit_button("Record review", type="primary", icon=":material/save:"):
            by_name = {v: k for k, v in names.items()}
            new = [
                NewAction(
                    str(r["Action"]),
                    by_name.get(str(r["Owner"])),
                    r["Due"] if isinstance(r["Due"], date) else None,
                )
                for _, r in actions.iterrows()
                if isinstance(r["Action"], str) and r["Action"].strip()
            ]
            try:
                reviews.record_review(
                    engine(),
                    plan_id,
                    date=day,
                    attendees=attendees,
                    notes=notes,
                    decisions=[d.strip() for d in decisions.splitlines() if d.strip()],
                    new_actions=new,
                    action_updates=updates,
                    actor=actor(),
                )
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            st.toast("Review recorded.", icon=":material/check:")
            st.rerun()


def past_reviews(found: list[Review]) -> None:
    """Open a past review (newest first, as given) and compare any two."""
    if not found:
        st.caption("No review recorded yet.")
        return
    labels = {
        r.id: f"{format_day(r.date)} ({', '.join(r.attendees) or 'no attendees'})" for r in found
    }
    chosen = st.selectbox("Open a review", list(labels), format_func=lambda i: labels[i])
    review = next(r for r in found if r.id == chosen)
    index = "—" if review.adoption_index is None else f"{review.adoption_index:.0%}"
    st.markdown(f"**Adoption index then:** {index}")
    for decision in review.decisions:
        st.markdown(f"- Decided: {decision.text}")
    if review.notes:
        st.caption(review.notes)
    with st.expander(f"Status of every item and metric on {format_day(review.date)}"):
        snapshot = pd.DataFrame(
            [
                {
                    "Item": r.item_title,
                    "Metric": r.metric_name,
                    "Status": r.status,
                    "Progress": "—" if r.progress is None else f"{r.progress:.0%}",
                }
                for r in review.rows
            ]
        )
        if snapshot.empty:
            st.caption("The plan had no metrics then.")
        else:
            st.dataframe(
                snapshot.style.map(status_style, subset=["Status"]),
                hide_index=True,
                row_height=WRAPPED_ROW,
                height=wrapped_height(len(snapshot)),
                column_config={
                    "Item": st.column_config.TextColumn(width=200),
                    "Metric": st.column_config.TextColumn(width=200),
                },
            )
    if len(found) > 1:
        older_id = st.selectbox(
            "Compare with", [r.id for r in found if r.id != chosen], format_func=lambda i: labels[i]
        )
        older = next(r for r in found if r.id == older_id)
        first, second = sorted((older, review), key=lambda r: r.date)
        comparison = reviews.compare_reviews(first, second)
        counts: dict[str, int] = {}
        for change in comparison.changes:
            counts[change.kind] = counts.get(change.kind, 0) + 1
        cols = metric_columns(4)
        for col, kind in zip(cols, ("improved", "slipped", "new", "unchanged"), strict=True):
            col.metric(kind.capitalize(), counts.get(kind, 0))
        moved = [c for c in comparison.changes if c.kind in ("improved", "slipped", "new")]
        if moved:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Change": c.kind,
                            "Item": c.item_title,
                            "Metric": c.metric_name,
                            "Then": c.older.status if c.older else "—",
                            "Now": c.newer.status if c.newer else "—",
                        }
                        for c in moved
                    ]
                ),
                hide_index=True,
                row_height=WRAPPED_ROW,
                column_config={
                    "Item": st.column_config.TextColumn(width=180),
                    "Metric": st.column_config.TextColumn(width=180),
                },
            )
