"""The review meeting screen: headline, what needs attention, changes, agenda, recording."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from planner.domain.access import Permission
from planner.domain.labels import item_labels
from planner.domain.planning import InvalidInputError, Person, PlanItem, format_day
from planner.domain.progress import STATUSES, PlanProgress
from planner.domain.reviews import NewAction, Review
from planner.errors import ConflictError, PlannerError
from planner.services import readings, reviews, stories
from planner.ui.charts import small_multiples
from planner.ui.data import actor, can, engine
from planner.ui.layout import WRAPPED_ROW, wrapped_height
from planner.ui.progress_view import status_style

PRESENT = "review.present"
FOCUS = "review.focus"
ACTIONS_GRID = "review-actions"
FORM_ROUND = "review.form-round"
ACTION_SEEN = "review.action-seen"  # {action id: updated_at as first drawn}
"""How many reviews this session recorded: the form's widget keys end with it, so a recorded
review starts the next one empty while a failed one keeps what was typed."""


def form_key(name: str) -> str:
    """The key of a Record-review widget in this round (the plain name in the first)."""
    n = st.session_state.get(FORM_ROUND, 0)
    return name if n == 0 else f"{name}-{n}"


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
    labels = item_labels(items, people)
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
                "Item": labels.get(item.item_id, item.title),
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


PRESENT_CSS = """<style>
.st-key-review-present-stage [data-testid='stMarkdownContainer'] p {font-size: 1.25rem}
.st-key-review-present-head [data-testid='stMetricLabel'] p {
  font-size: 1.2rem; white-space: normal; overflow: visible; line-height: 1.3}
.st-key-review-present-head [data-testid='stMetricValue'],
.st-key-review-present-head [data-testid='stMetricValue'] * {
  font-size: 3.25rem; line-height: 1.1; font-weight: 700}
</style>"""
"""Presentation mode: headline numbers (3.25rem, bold) well above their labels (1.2rem, which
wrap rather than being cut); scoped to the presentation containers, so no other text grows."""


def presentation_headline(progress: PlanProgress) -> None:
    """The headline for a projector: three figures a row, so labels are never cut off."""
    counts = progress.item_counts()
    figures = [
        (
            "Adoption index",
            "—" if progress.adoption_index is None else f"{progress.adoption_index:.0%}",
        )
    ] + [(f"Items {s}", f"{counts.get(s, 0):,}") for s in STATUSES[:5]]
    with st.container(key="review-present-head"):
        for start in range(0, len(figures), 3):
            for col, (label, value) in zip(st.columns(3), figures[start : start + 3], strict=False):
                col.metric(label, value)


def presentation(
    plan_id: str, progress: PlanProgress, items: list[PlanItem], people: list[Person]
) -> None:
    """One item at a time, large, with previous and next; status always as a word."""
    ordered = attention_items(progress)
    if not ordered:
        st.info("No item to present yet.")
        return
    k = st.session_state.get(FOCUS, 0) % len(ordered)
    item = ordered[k]
    with st.container(key="review-present-stage"):
        st.markdown(f"## {item_labels(items, people).get(item.item_id, item.title)}")
        st.markdown(
            f"<span style='{status_style(item.status)}; padding: 4px 12px; border-radius: 6px; "
            f"font-size: 1.4rem'>{item.status}</span> &nbsp; item {k + 1} of {len(ordered)}",
            unsafe_allow_html=True,
        )
        left, right, _ = st.columns([1.4, 1.4, 2], vertical_alignment="center")
        if left.button(
            "Previous", icon=":material/arrow_back:", key="review-prev", width="stretch"
        ):
            st.session_state[FOCUS] = k - 1
            st.rerun()
        if right.button(
            "Next", icon=":material/arrow_forward:", key="review-next", width="stretch"
        ):
            st.session_state[FOCUS] = k + 1
            st.rerun()
        series = readings.item_trends(engine(), plan_id, item.item_id, progress.as_of)
        panels = [
            (m.metric.name, m.status, m.metric.unit, series.get(m.metric_id, []))
            for m in item.metrics
            if series.get(m.metric_id)
        ]
        if panels:
            st.plotly_chart(
                small_multiples(panels, columns=min(2, len(panels))), key="present-chart"
            )


def changes_panel(
    plan_id: str, last: Review | None, items: list[PlanItem], people: list[Person]
) -> None:
    if last is None or last.recorded_at is None:
        st.caption("No review recorded yet: changes are listed from the next one on.")
        return
    changes = reviews.changes_since_review(engine(), last)
    st.caption(
        f"Since the review of {format_day(last.date)}: changes logged after it was recorded, "
        f"and readings dated after {format_day(last.as_of)} or entered after the review."
    )
    if not changes.activity and not changes.readings:
        st.write("Nothing has changed since.")
    for entry in changes.activity[:15]:
        when = f"{format_day(entry.at.date())} {entry.at:%H:%M} UTC"
        st.markdown(f"- {when} · **{entry.actor}** · {entry.summary}")
    if len(changes.activity) > 15:
        st.caption(f"…and {len(changes.activity) - 15} more changes (Plan → Activity).")
    metric_names = {(r.item_id, r.metric_id): r.metric_name for r in last.rows}
    labels = item_labels(items, people)
    for added in changes.readings[:15]:
        metric = metric_names.get((added.item_id, added.metric_id), added.metric_id)
        days = ""
        if added.first_day and added.last_day:
            days = (
                f", dated {format_day(added.first_day)}"
                if added.first_day == added.last_day
                else f", dated {format_day(added.first_day)} – {format_day(added.last_day)}"
            )
        noun = "reading" if added.count == 1 else "readings"
        title = labels.get(added.item_id, added.item_title)
        st.markdown(f"- {added.count:,} new {noun}{days}: {title} · {metric}")
    if len(changes.readings) > 15:
        st.caption(f"…and new readings of {len(changes.readings) - 15:,} more metrics.")


def agenda(plan_id: str, people: list[Person], *, editable: bool) -> dict[str, str]:
    """Open action items; returns the status changes chosen (applied with the review)."""
    names = {p.id: p.name for p in people}
    open_items = reviews.open_actions(engine(), plan_id)
    if not open_items:
        st.caption("No open action items.")
        return {}
    updates: dict[str, str] = {}
    seen = st.session_state.setdefault(ACTION_SEEN, {})
    for action in open_items:
        seen.setdefault(action.id, action.updated_at)  # as first drawn, kept across reruns
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


def _cell_text(value: Any) -> str:
    """A text cell of a data editor as stripped text ("" for an empty cell: None, NaN)."""
    if value is None or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return ""
    return str(value).strip()


def grid_day(value: Any, where: str) -> date | None:
    """A date cell of a data editor as a date, or None when empty.

    st.data_editor hands back what the column holds: a `date`, a pandas `Timestamp` (a
    datetime column), or, in rows added to a column that started empty, the ISO text the
    browser sent ("2026-12-08", or "2026-12-08T00:00:00"). Text that is no date raises
    InvalidInputError naming the cell."""
    if isinstance(value, datetime):  # pandas Timestamp too
        return None if pd.isna(value) else value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInputError(
            f"{where}: '{text}' is not a date. Pick the date in the calendar of the Due cell."
        ) from None


def actions_from_grid(frame: pd.DataFrame, people: list[Person]) -> list[NewAction]:
    """The new action items typed in the Record-review grid, in order: text, owner (a person
    chosen by name, else the name as free text) and due date. A row with an owner or a due
    date but no text raises InvalidInputError (it would be lost); wholly empty rows are
    skipped."""
    by_name = {p.name: p.id for p in people}
    new: list[NewAction] = []
    for number, (_, row) in enumerate(frame.iterrows(), start=1):
        where = f"New action item, row {number}"
        text = _cell_text(row.get("Action"))
        owner = _cell_text(row.get("Owner"))
        due = grid_day(row.get("Due"), where)
        if not text:
            if owner or due:
                raise InvalidInputError(
                    f"{where} has an owner or a due date but no action: type what is to be "
                    "done, or delete the row."
                )
            continue
        owner_id = by_name.get(owner)
        new.append(NewAction(text, owner_id, due, None if owner_id else owner or None))
    return new


def record_form(plan_id: str, people: list[Person], updates: dict[str, str]) -> None:
    names = {p.id: p.name for p in people}
    # Not clear_on_submit: a review that fails (a bad cell) keeps what was typed; the fields
    # are emptied only once the review is recorded.
    with st.form("record-review"):
        st.markdown("**Record this review**: saves a snapshot of every item and metric")
        cols = st.columns(2)
        day = cols[0].date_input(
            "Meeting date", value=date.today(), format="DD/MM/YYYY", key=form_key("review-day")
        )
        attendees = cols[1].multiselect(
            "Attendees",
            [p.name for p in people],
            accept_new_options=True,
            key=form_key("review-attendees"),
        )
        notes = st.text_area("Notes", height=80, key=form_key("review-notes"))
        decisions = st.text_area(
            "Decisions (one per line)", height=80, key=form_key("review-decisions")
        )
        blank = pd.DataFrame(
            {"Action": pd.Series([], dtype="object"), "Owner": pd.Series([], dtype="object"),
             "Due": pd.Series([], dtype="object")}
        )  # fmt: skip
        actions = st.data_editor(
            blank,
            num_rows="dynamic",
            key=form_key(ACTIONS_GRID),
            hide_index=True,
            column_config={
                "Action": st.column_config.TextColumn(width="medium", required=True),
                "Owner": st.column_config.SelectboxColumn(options=list(names.values())),
                "Due": st.column_config.DateColumn(format="D MMM YYYY"),
            },
        )
        if st.form_submit_button(
            "Record review",
            type="primary",
            icon=":material/save:",
            disabled=not can(Permission.REVIEW_EDIT),
        ):
            try:
                new = actions_from_grid(actions, people)
                reviews.record_review(
                    engine(),
                    plan_id,
                    date=day,
                    attendees=attendees,
                    notes=notes,
                    decisions=[d.strip() for d in decisions.splitlines() if d.strip()],
                    new_actions=new,
                    action_updates=updates,
                    action_seen={a: st.session_state.get(ACTION_SEEN, {}).get(a) for a in updates},
                    actor=actor(),
                )
            except PlannerError as exc:
                if isinstance(exc, ConflictError):
                    st.session_state.pop(ACTION_SEEN, None)  # the next draw shows theirs
                st.error(str(exc), icon=":material/error:")
                return
            st.session_state.pop(ACTION_SEEN, None)
            st.session_state[FORM_ROUND] = st.session_state.get(FORM_ROUND, 0) + 1
            st.toast("Review recorded.", icon=":material/check:")
            st.rerun()
