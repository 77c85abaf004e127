"""The Progress page's views: headline, status table, trends, what the plan serves, stories."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from planner.domain.access import Permission
from planner.domain.planning import PlanItem, format_day
from planner.domain.privacy import counts_distinct_people, suppress
from planner.domain.progress import (
    ATTENTION_ORDER,
    STATUSES,
    TRACKED,
    PlanProgress,
    baseline_text,
    comparison_text,
    figure_text,
    is_count,
    percent_text,
)
from planner.domain.theme import PROGRESS_COLORS
from planner.errors import PlannerError
from planner.services import readings, stories
from planner.services.database import Engine
from planner.ui.charts import serving_heatmap, small_multiples, trend_chart
from planner.ui.data import actor, can, engine
from planner.ui.layout import TALL_ROW, column_picker, metric_columns, wrapped_height
from planner.ui.loaders import library


@st.cache_resource(max_entries=16, show_spinner="Working out progress…")
def _status(_engine: Engine, url: str, plan_id: str, as_of: date, stamp: int) -> PlanProgress:
    return readings.plan_status(_engine, plan_id, as_of)


def plan_status(plan_id: str, as_of: date, stamp: int) -> PlanProgress:
    eng = engine()
    return _status(eng, str(eng.url), plan_id, as_of, stamp)


def headline(progress: PlanProgress) -> None:
    counts = progress.item_counts()
    coverage = progress.coverage
    cols = metric_columns(6)
    cols[0].metric(
        "Adoption index",
        percent_text(progress.adoption_index),
        help=(
            "Mean progress, capped at 100%, over the metrics that are on track, at risk or "
            "off track. Metrics without data, without a target, not started or with only a "
            "baseline are left out (not counted as 0)."
        ),
    )
    cols[0].caption(str(coverage))
    for col, status in zip(cols[1:], STATUSES[:5], strict=True):
        col.metric(f"Items {status}", counts.get(status, 0))
    if counts.get("baseline only"):
        st.caption(
            f"{counts['baseline only']} item(s) have only a baseline: their one reading is "
            "also their baseline, so progress shows from the next reading on (or set the "
            "baseline in the Plan page's Targets)."
        )


MAX_STATUS_ROWS = 200
# What fits beside item, metric and status at 1024 px; the rest is a click away. "Compared"
# says what the status compares (actual of target, baseline, expected by the as-of date).
STATUS_DEFAULT_COLUMNS = ("Compared", "Progress")


def status_frame(progress: PlanProgress) -> pd.DataFrame:
    rows = []
    for r in progress.rows:
        people = counts_distinct_people(r.metric)
        count = is_count(r.metric)
        actual = suppress(r.actual, distinct_people=people)
        rows.append(
            {
                "Item": r.item_title,
                "Metric": f"{r.metric.name} ({r.metric.unit})",
                "Status": r.status,
                "Compared": comparison_text(r, progress.as_of, actual=actual),
                "Actual": figure_text(actual, count=count),
                "Baseline": baseline_text(r.baseline, r.baseline_source, count=count),
                "Expected": figure_text(r.expected, count=count),
                "Target": figure_text(r.target, count=count),
                "Progress": percent_text(r.progress),
                "Last reading": format_day(r.last_reading) if r.last_reading else "—",
                "Due": format_day(r.due),
            }
        )
    return pd.DataFrame(rows)


def status_style(value: object) -> str:
    colour = PROGRESS_COLORS.get(str(value))
    if not colour:
        return ""
    text = "#FFFFFF" if value in TRACKED else "#1F2A30"
    return f"background-color: {colour}; color: {text}; font-weight: 600"


def status_table(progress: PlanProgress) -> None:
    frame = status_frame(progress)
    if frame.empty:
        st.info("No item of this plan has metrics yet.")
        return
    order = {s: k for k, s in enumerate(ATTENTION_ORDER)}
    frame = frame.sort_values(
        "Status", key=lambda s: s.map(lambda v: order.get(v, 9)), kind="stable"
    )
    if len(frame) > MAX_STATUS_ROWS and not st.toggle("Show every row", key="progress.all_rows"):
        st.caption(
            f"The {MAX_STATUS_ROWS} rows that need attention first, of {len(frame):,}: "
            "off track, at risk, then no data."
        )
        frame = frame.head(MAX_STATUS_ROWS)
    fixed = ["Item", "Metric", "Status"]
    optional = [c for c in frame.columns if c not in fixed]
    shown = column_picker(
        "progress.columns",
        optional,
        [c for c in STATUS_DEFAULT_COLUMNS if c in optional],
        help="Item, metric and status always show.",
    )
    st.dataframe(
        frame.style.map(status_style, subset=["Status"]),
        hide_index=True,
        height=wrapped_height(len(frame), row=TALL_ROW),
        row_height=TALL_ROW,
        column_order=[*fixed, *shown],
        column_config={
            "Item": st.column_config.TextColumn(width=180, pinned=True),
            "Metric": st.column_config.TextColumn(width=180),
            "Status": st.column_config.TextColumn(width=84),
            "Compared": st.column_config.TextColumn(width=150),
            "Progress": st.column_config.TextColumn(width=70),
        },
    )


def trends(plan_id: str, items: list[PlanItem], progress: PlanProgress, as_of: date) -> None:
    with_metrics = [i for i in items if i.metrics and progress.item(i.id) is not None]
    if not with_metrics:
        st.info("No item has metrics to chart yet.")
        return
    titles = {i.id: i.title for i in with_metrics}
    item_id = st.selectbox(
        "Item", list(titles), format_func=lambda i: titles[i], key="progress.trend_item"
    )
    item = next(i for i in with_metrics if i.id == item_id)
    series = readings.item_trends(engine(), plan_id, item.id, as_of)
    rolled = progress.item(item.id)
    status = {m.metric_id: m.status for m in rolled.metrics} if rolled else {}
    rows = {m.metric_id: m for m in rolled.metrics} if rolled else {}
    panels = [
        (m.name, status.get(m.id, "no data"), m.unit, series[m.id])
        for m in item.metrics
        if series.get(m.id)
    ]
    if len(panels) > 1:
        st.plotly_chart(small_multiples(panels), key="progress.multiples")
    metric_names = {m.id: m.name for m in item.metrics}
    metric_id = st.selectbox(
        "Metric in detail", list(metric_names), format_func=lambda m: metric_names[m]
    )
    metric = next(m for m in item.metrics if m.id == metric_id)
    points = series.get(metric_id) or []
    if metric_id in rows:
        found = rows[metric_id]
        actual = suppress(found.actual, distinct_people=counts_distinct_people(metric))
        st.caption(
            f"**{found.status}** · {comparison_text(found, as_of, actual=actual)} · "
            f"progress {percent_text(found.progress)}"
        )
    if not points:
        st.info("No readings yet for this metric.")
        return
    st.plotly_chart(
        trend_chart(
            points,
            title=f"{metric.name}: {status.get(metric_id, 'no data')}",
            unit=metric.unit,
            per_period=metric.aggregation == "sum",
            today=as_of,
        ),
        key="progress.trend",
    )


def serving(items: list[PlanItem], progress: PlanProgress) -> None:
    tax = library().taxonomy
    statuses = [s for s in STATUSES if s != "no target"]
    by_item = {i.item_id: i.status for i in progress.items}
    for kind, label in (("purposes", "purpose"), ("practices", "practice")):
        entries = getattr(tax, kind)
        counts = [[0] * len(statuses) for _ in entries]
        position = {e.id: k for k, e in enumerate(entries)}
        for item in items:
            status = by_item.get(item.id)
            if item.snapshot is None or status not in statuses:
                continue
            for ref in getattr(item.snapshot, kind):
                if ref in position:
                    counts[position[ref]][statuses.index(status)] += 1
        fig = serving_heatmap(
            [e.title for e in entries], statuses, counts, title=f"Items per {label} and status"
        )
        st.plotly_chart(fig, key=f"progress.serving.{kind}")


def stories_panel(plan_id: str, items: list[PlanItem]) -> None:
    titles = {i.id: i.title for i in items}
    cycles = stories.VALUE_CYCLES
    with st.form("add-story", clear_on_submit=True):
        st.markdown("**Add a value-creation story**: what happened, in a few sentences")
        cols = st.columns(3)
        item_id = cols[0].selectbox("Item", list(titles), format_func=lambda i: titles[i])
        cycle = cols[1].selectbox("Value cycle", list(cycles), format_func=lambda c: cycles[c])
        day = cols[2].date_input("Date", value=date.today(), format="DD/MM/YYYY")
        title = st.text_input("Title")
        text = st.text_area("Story", height=100)
        author = st.text_input("Told by", value=actor())
        if st.form_submit_button(
            "Add story", type="primary", disabled=not can(Permission.READINGS_EDIT)
        ):
            try:
                stories.add_story(
                    engine(),
                    plan_id,
                    item_id,
                    date=day,
                    author=author,
                    title=title,
                    text=text,
                    value_cycle=cycle,
                    actor=actor(),
                )
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                st.toast("Story added.", icon=":material/check:")
    for story in stories.list_stories(engine(), plan_id)[:30]:
        with st.container(border=True):
            st.markdown(f"**{story.title}** · {cycles.get(story.value_cycle, story.value_cycle)}")
            st.caption(
                f"{titles.get(story.item_id, 'an item')} · {format_day(story.date)} · "
                f"told by {story.author}"
            )
            st.write(story.text)
