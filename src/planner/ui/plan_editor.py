"""The plan's items and targets in two data editors, saved together in one transaction."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.planning import ITEM_STATUSES, ItemChange, Person, Target
from planner.domain.playbook import Metric
from planner.domain.progress import FROM_FIRST_READING, baseline_value, figure_text, is_count
from planner.domain.schedule import Schedule, compute_schedule
from planner.errors import ConflictError, PlannerError
from planner.services import OpenPlan
from planner.ui import cached
from planner.ui.conflicts import carried_items, refused
from planner.ui.data import actor, can, engine, forget_plan_view
from planner.ui.item_table import (
    MAX_EDITOR_ROWS,
    ItemNames,
    chosen_columns,
    filter_frame,
    has_pending_edits,
    item_filter,
    item_form,
)
from planner.ui.layout import TALL_ROW, WRAPPED_ROW, wrapped_height
from planner.ui.loaders import library
from planner.ui.progress_view import plan_status
from planner.ui.state import Keys

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


def items_frame(
    view: OpenPlan,
    labels: dict[str, str],
    schedule: Schedule,
    names: ItemNames | None = None,
) -> pd.DataFrame:
    names = names or ItemNames()
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
                "Category": names.category_of(item),
                "Starts": entry.start if entry else None,
                "Ends": entry.last_day if entry else None,
                "Pinned start": item.pinned_start,
                "Weeks": item.duration_weeks,
                "Status": item.status,
                "Stage": names.stages.get(item.cop_stage or "", item.cop_stage),
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


def _height(rows: int) -> int:
    """Tall enough to show every row of a small plan; large plans scroll inside 600 px."""
    return min(600, 38 + 35 * max(rows, 1))


# Titles longer than this wrap in a fixed-width item column; shorter ones set its width.
# (Streamlit unpins a column wider than 60% of the table, and sizes a column by the rows it
# has drawn, so a long title further down would otherwise be cut.)
WRAP_TITLES_OVER = 44
WRAPPED_ITEM_WIDTH = 260


def _wraps(frame: pd.DataFrame) -> bool:
    return bool(len(frame)) and int(frame["Item"].astype(str).str.len().max()) > WRAP_TITLES_OVER


def _editor_columns(stages: list[str], owners: list[str], *, wrap: bool) -> dict[str, Any]:
    return {
        # Pinned; the default columns next to it stay few (see item_table).
        "Item": st.column_config.TextColumn(
            pinned=True, width=WRAPPED_ITEM_WIDTH if wrap else None
        ),
        "Owner": st.column_config.SelectboxColumn(options=owners),
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
    }


def items_editor(view: OpenPlan, people: list[Person], schedule: Schedule) -> None:
    labels = owner_labels(people)
    ids_by_label = {label: pid for pid, label in labels.items()}
    names = ItemNames.of(library())
    round_ = st.session_state[Keys.EDITOR_ROUND]
    everything = items_frame(view, labels, schedule, names)
    carried = carried_items(view)
    plain_key = f"items-editor-{round_}"
    locked = bool(carried) or any(
        has_pending_edits(k) for k in st.session_state if str(k).startswith(plain_key)
    )
    how = item_filter(everything, locked=locked)
    columns = chosen_columns(locked=locked)
    if locked:
        st.caption("Save your changes in the table to filter, sort or choose other columns.")
    base = filter_frame(everything, how)
    if len(base) > MAX_EDITOR_ROWS:
        st.caption(
            f"Showing {MAX_EDITOR_ROWS:,} of {len(base):,} matching items "
            f"({len(view.items):,} in the plan): filter or search to narrow the list."
        )
        base = base.head(MAX_EDITOR_ROWS)
    elif len(base) < len(everything):
        st.caption(f"Showing {len(base):,} of {len(everything):,} items.")
    shown = OpenPlan(view.plan, [i for i in view.items if i.id in set(base["id"])])
    base = base.reset_index(drop=True)
    wrap = _wraps(base)
    edited = st.data_editor(
        with_carried_items(base, carried, labels, names),
        key=plain_key + (f"-{how.signature}" if how.signature else ""),
        hide_index=True,
        height=wrapped_height(len(base)) if wrap else _height(len(base)),
        row_height=WRAPPED_ROW if wrap else None,
        placeholder="—",
        column_order=["Item", *columns],
        disabled=["Item", "Category", "Starts", "Ends"] if can(Permission.PLAN_EDIT) else True,
        column_config=_editor_columns(list(names.stages.values()), list(ids_by_label), wrap=wrap),
    )
    from_form = item_form(view, labels, names, round_)
    st.markdown("**Targets**")
    base_targets = targets_frame(shown, first_reading_baselines(view.plan.id))
    edited_targets = base_targets
    if base_targets.empty:
        st.caption("No item has metrics yet.")
    else:
        edited_targets = st.data_editor(
            with_carried_targets(base_targets, carried),
            key=f"targets-editor-{round_}" + (f"-{how.signature}" if how.signature else ""),
            hide_index=True,
            height=wrapped_height(len(base_targets), row=TALL_ROW),
            row_height=TALL_ROW,
            placeholder="—",
            column_order=["Item", "Metric", "Target", "Due", "Baseline", "Baseline used"],
            disabled=["Item", "Metric", "Baseline used"] if can(Permission.PLAN_EDIT) else True,
            column_config={
                "Item": st.column_config.TextColumn(width=170, pinned=True),
                "Metric": st.column_config.TextColumn(width=180),
                "Target": st.column_config.NumberColumn(width=56, required=True),
                "Due": st.column_config.DateColumn(
                    format="D MMM YYYY", width=84, help="Empty: the item's end."
                ),
                "Baseline": st.column_config.NumberColumn(
                    width=64,
                    help=(
                        "Where the metric stands before the item starts. Empty: taken from "
                        "the first reading (0 for metrics that add up); a lone first reading "
                        "is then 'baseline only' until the next one."
                    ),
                ),
                "Baseline used": st.column_config.TextColumn(
                    width=106,
                    help="What progress is measured from, as the Baseline cell is now.",
                ),
            },
        )
    changes = _item_changes(base, edited, ids_by_label)
    for values in changes.values():
        if values.get("cop_stage") is not None:
            values["cop_stage"] = names.stage_id(values["cop_stage"])
    for item_id, targets in _target_changes(base_targets, edited_targets).items():
        changes.setdefault(item_id, {})["targets"] = targets
    for item_id, values in from_form.items():
        changes.setdefault(item_id, {}).update(values)
    save_bar(view, changes)


def save_bar(view: OpenPlan, changes: dict[str, dict[str, Any]]) -> None:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(
        f"{len(changes)} item(s) changed, not saved yet." if changes else "No unsaved changes."
    )
    if right.button(
        "Save changes",
        type="primary",
        disabled=not changes or not can(Permission.PLAN_EDIT),
        width="stretch",
        key="save-items",
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
            refused(view, str(exc), items=changes)  # the Plan page shows theirs against mine
            st.rerun()
        except PlannerError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        forget_plan_view()
        st.toast(f"Saved {len(changes)} item(s).", icon=":material/check:")
        st.rerun()


# --- edits kept from a refused save (see planner.ui.conflicts) -------------------------------


def with_carried_items(
    frame: pd.DataFrame,
    carried: dict[str, dict[str, Any]],
    labels: dict[str, str],
    names: ItemNames | None = None,
) -> pd.DataFrame:
    """The items frame with my edits from a refused save put back, so the editor shows them
    as unsaved changes against the newer version (rows are matched by item id)."""
    if not carried or frame.empty:
        return frame
    columns = {f: c for c, f in ITEM_FIELDS.items()}
    out = frame.copy()
    for item_id, values in carried.items():
        rows = out.index[out["id"] == item_id]
        for name, value in values.items():
            if name in columns and len(rows):
                shown = labels.get(value or "") if name == "owner_id" else value
                if name == "cop_stage" and names is not None:
                    shown = names.stages.get(value or "", value)
                out.loc[rows, columns[name]] = shown
    return out


def with_carried_targets(frame: pd.DataFrame, carried: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """The targets frame with my target edits from a refused save put back."""
    wanted = {
        (item_id, t.metric_id): t
        for item_id, values in carried.items()
        for t in values.get("targets", [])
    }
    if not wanted or frame.empty:
        return frame
    out = frame.copy()
    for index, row in out.iterrows():
        target = wanted.get((row["id"], row["metric_id"]))
        if target is not None:
            out.loc[index, ["Target", "Due", "Baseline"]] = [
                target.value,
                target.due_date,
                target.baseline,
            ]
    return out
