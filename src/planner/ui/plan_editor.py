"""The plan's items and targets in two data editors, saved together in one transaction."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import services
from planner.domain import Metric
from planner.errors import ConflictError, PlannerError
from planner.planning import ITEM_STATUSES, ItemChange, Person, Target
from planner.progress import FROM_FIRST_READING, baseline_value, figure_text, is_count
from planner.schedule import Schedule, compute_schedule
from planner.services import OpenPlan
from planner.ui import cached
from planner.ui.data import actor, engine, forget_plan_view
from planner.ui.loaders import library
from planner.ui.progress_view import plan_status
from planner.ui.state import Keys

MAX_EDITOR_ROWS = 100

ITEM_FIELDS = {
    "Owner": "owner_id",
    "Team": "team",
    "Audience": "audience",
    "Pinned start": "pinned_start",
    "Weeks": "duration_weeks",
    "Status": "status",
    "Stage": "cop_stage",
    "Notes": "notes",
}


def plan_view(plan_id: str) -> OpenPlan:
    """The plan as the user opened it; kept until they save, reload or switch plans."""
    view = st.session_state.get(Keys.PLAN_VIEW)
    if view is None or view.plan.id != plan_id:
        view = services.open_plan(engine(), plan_id)
        st.session_state[Keys.PLAN_VIEW] = view
    return view


def owner_labels(people: list[Person]) -> dict[str, str]:
    """Person id -> a label unique among people (name, with the team when names repeat)."""
    counts: dict[str, int] = {}
    for p in people:
        counts[p.name] = counts.get(p.name, 0) + 1
    return {p.id: p.name if counts[p.name] == 1 else f"{p.name} ({p.team or p.id})" for p in people}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _day(value: Any) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def items_frame(view: OpenPlan, labels: dict[str, str], schedule: Schedule) -> pd.DataFrame:
    rows = []
    for item in view.items:
        entry = schedule.entries.get(item.id)
        rows.append(
            {
                "id": item.id,
                "Item": ("⚠ " if item.id in schedule.flagged_ids else "") + item.title,
                "Owner": labels.get(item.owner_id or ""),
                "Team": item.team,
                "Audience": item.audience,
                "Starts": entry.start if entry else None,
                "Ends": entry.last_day if entry else None,
                "Pinned start": item.pinned_start,
                "Weeks": item.duration_weeks,
                "Status": item.status,
                "Stage": item.cop_stage,
                "Notes": item.notes,
            }
        )
    return pd.DataFrame(rows)


def baseline_used(metric: Metric, target: Target | None, first_reading: float | None) -> str:
    """What the status compares with when the Baseline cell is what it is now."""
    if target is not None and target.baseline is not None:
        return f"set: {figure_text(target.baseline, count=is_count(metric))}"
    if baseline_value(metric, None, None) == 0.0:
        return "0 (a sum starts at 0)"
    if first_reading is None:
        return "first reading (none yet)"
    return f"from first reading ({figure_text(first_reading, count=is_count(metric))})"


def targets_frame(
    view: OpenPlan, first_readings: dict[tuple[str, str], float] | None = None
) -> pd.DataFrame:
    """One row per item and metric; `first_readings` are the baselines taken from first
    readings, by (item id, metric id), for the read-only "Baseline used" column."""
    first_readings = first_readings or {}
    rows = []
    for item in view.items:
        for metric in item.metrics:
            target = item.target_for(metric.id)
            rows.append(
                {
                    "id": item.id,
                    "metric_id": metric.id,
                    "Item": item.title,
                    "Metric": f"{metric.name} ({metric.unit})",
                    "Target": target.value if target else metric.target,
                    "Due": target.due_date if target else None,
                    "Baseline": target.baseline if target else None,
                    "Baseline used": baseline_used(
                        metric, target, first_readings.get((item.id, metric.id))
                    ),
                }
            )
    return pd.DataFrame(rows)


def first_reading_baselines(plan_id: str) -> dict[tuple[str, str], float]:
    """(item id, metric id) -> the first reading's value, where the baseline is taken from it
    as of today."""
    progress = plan_status(plan_id, date.today(), cached.stamp())
    return {
        (r.item_id, r.metric_id): r.baseline
        for r in progress.rows
        if r.baseline_source == FROM_FIRST_READING and r.baseline is not None
    }


def _item_changes(
    before: pd.DataFrame, after: pd.DataFrame, ids_by_label: dict[str, str]
) -> dict[str, dict[str, Any]]:
    changes: dict[str, dict[str, Any]] = {}
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows(), strict=True):
        for column, field in ITEM_FIELDS.items():
            a, b = old[column], new[column]
            if _blank(a) and _blank(b):
                continue
            if column == "Pinned start":
                a, b = _day(a), _day(b)
            if a != b:
                value: Any = None if _blank(b) else b
                if column == "Owner":
                    value = ids_by_label.get(str(b)) if value is not None else None
                changes.setdefault(str(new["id"]), {})[field] = value
    return changes


def _target_changes(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, list[Target]]:
    if before.equals(after):
        return {}
    touched = {
        str(new["id"])
        for (_, old), (_, new) in zip(before.iterrows(), after.iterrows(), strict=True)
        if not old.equals(new)
    }
    out: dict[str, list[Target]] = {}
    for item_id in touched:
        rows = after[after["id"] == item_id]
        out[item_id] = [
            Target(
                metric_id=str(r["metric_id"]),
                value=r["Target"],
                due_date=_day(r["Due"]),
                baseline=None if _blank(r["Baseline"]) else r["Baseline"],
            )
            for _, r in rows.iterrows()
        ]
    return out


def schedule_of(view: OpenPlan, people: list[Person]) -> Schedule:
    """The schedule of the plan as opened: the cached one while nobody has changed the plan."""
    current = cached.plan_schedule(view.plan.id)
    if current.plan.version == view.plan.version:
        return current.schedule
    items = services.schedule_items_for(view.plan, view.items, {p.id: p for p in people})
    return compute_schedule(view.plan.start_date, items)


def shown_items(view: OpenPlan) -> OpenPlan:
    """Large plans show up to MAX_EDITOR_ROWS items at a time, narrowed by a search box."""
    if len(view.items) <= MAX_EDITOR_ROWS:
        return view
    words = (
        st.text_input(
            "Find items", placeholder="title, team, audience or notes", key="plan.item_search"
        )
        .lower()
        .split()
    )
    found = [
        i
        for i in view.items
        if all(w in f"{i.title} {i.team} {i.audience} {i.notes}".lower() for w in words)
    ]
    st.caption(
        f"Showing {min(len(found), MAX_EDITOR_ROWS):,} of {len(found):,} matching items "
        f"({len(view.items):,} in the plan): search to narrow the list."
    )
    return OpenPlan(view.plan, found[:MAX_EDITOR_ROWS])


def _height(rows: int) -> int:
    """Tall enough to show every row of a small plan; large plans scroll inside 600 px."""
    return min(600, 38 + 35 * max(rows, 1))


def items_editor(view: OpenPlan, people: list[Person], schedule: Schedule) -> None:
    view = shown_items(view)
    labels = owner_labels(people)
    ids_by_label = {label: pid for pid, label in labels.items()}
    stages = [s.id for s in library().taxonomy.stages]
    round_ = st.session_state[Keys.EDITOR_ROUND]
    base = items_frame(view, labels, schedule)
    edited = st.data_editor(
        base,
        key=f"items-editor-{round_}",
        hide_index=True,
        height=_height(len(base)),
        placeholder="—",
        column_order=["Item", *[c for c in base.columns if c not in ("id", "Item")]],
        disabled=["Item", "Starts", "Ends"],
        column_config={
            "Item": st.column_config.TextColumn(width="large", pinned=True),
            "Owner": st.column_config.SelectboxColumn(options=list(ids_by_label)),
            "Starts": st.column_config.DateColumn(format="D MMM YYYY"),
            "Ends": st.column_config.DateColumn(format="D MMM YYYY"),
            "Pinned start": st.column_config.DateColumn(
                format="D MMM YYYY", help="Leave empty to let the schedule decide."
            ),
            "Weeks": st.column_config.NumberColumn(min_value=1, max_value=260, step=1),
            "Status": st.column_config.SelectboxColumn(options=list(ITEM_STATUSES), required=True),
            "Stage": st.column_config.SelectboxColumn(
                options=stages, help="For community-of-practice items: where the community is."
            ),
            "Notes": st.column_config.TextColumn(width="large"),
        },
    )
    st.markdown("**Targets**")
    base_targets = targets_frame(view, first_reading_baselines(view.plan.id))
    edited_targets = base_targets
    if base_targets.empty:
        st.caption("No item has metrics yet.")
    else:
        edited_targets = st.data_editor(
            base_targets,
            key=f"targets-editor-{round_}",
            hide_index=True,
            height=_height(len(base_targets)),
            placeholder="—",
            column_order=["Item", "Metric", "Target", "Due", "Baseline", "Baseline used"],
            disabled=["Item", "Metric", "Baseline used"],
            column_config={
                "Target": st.column_config.NumberColumn(required=True),
                "Due": st.column_config.DateColumn(
                    format="D MMM YYYY", help="Empty: the item's end."
                ),
                "Baseline": st.column_config.NumberColumn(
                    help=(
                        "Where the metric stands before the item starts. Empty: taken from "
                        "the first reading (0 for metrics that add up); a lone first reading "
                        "is then 'baseline only' until the next one."
                    )
                ),
                "Baseline used": st.column_config.TextColumn(
                    help="What progress is measured from, as the Baseline cell is now."
                ),
            },
        )
    changes = _item_changes(base, edited, ids_by_label)
    for item_id, targets in _target_changes(base_targets, edited_targets).items():
        changes.setdefault(item_id, {})["targets"] = targets
    save_bar(view, changes)


def save_bar(view: OpenPlan, changes: dict[str, dict[str, Any]]) -> None:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(
        f"{len(changes)} item(s) changed, not saved yet." if changes else "No unsaved changes."
    )
    if right.button(
        "Save changes", type="primary", disabled=not changes, width="stretch", key="save-items"
    ):
        try:
            services.update_items(
                engine(),
                view.plan.id,
                [ItemChange(item_id, values) for item_id, values in changes.items()],
                expected_version=view.plan.version,
                actor=actor(),
            )
        except ConflictError as exc:
            st.error(str(exc), icon=":material/sync_problem:")
            st.button("Reload the plan (discards my edits)", on_click=forget_plan_view)
            return
        except PlannerError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        forget_plan_view()
        st.toast(f"Saved {len(changes)} item(s).", icon=":material/check:")
        st.rerun()
