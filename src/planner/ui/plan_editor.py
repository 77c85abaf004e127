"""The plan's items and targets in two data editors, saved together in one transaction.

The frames they show and the changes read back are in planner.ui.plan_frames."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.planning import ITEM_STATUSES, ItemChange, Person
from planner.domain.progress import FROM_FIRST_READING
from planner.domain.schedule import Schedule, compute_schedule
from planner.errors import ConflictError, PlannerError
from planner.services import OpenPlan
from planner.ui import cached
from planner.ui.conflicts import carried_items, refused
from planner.ui.data import actor, can, engine, forget_plan_view
from planner.ui.item_form import item_form
from planner.ui.item_table import (
    MAX_EDITOR_ROWS,
    ItemFilter,
    ItemNames,
    chosen_columns,
    filter_frame,
    has_pending_edits,
    item_filter,
)
from planner.ui.layout import TALL_ROW, WRAPPED_ROW, wrapped_height
from planner.ui.loaders import library
from planner.ui.plan_frames import (
    item_changes,
    items_frame,
    target_changes,
    targets_frame,
    with_carried_items,
    with_carried_targets,
)
from planner.ui.progress_view import plan_status
from planner.ui.state import Keys


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


def first_reading_baselines(plan_id: str) -> dict[tuple[str, str], float]:
    """(item id, metric id) -> the first reading's value, where the baseline is taken from it
    as of today."""
    progress = plan_status(plan_id, date.today(), cached.stamp())
    return {
        (r.item_id, r.metric_id): r.baseline
        for r in progress.rows
        if r.baseline_source == FROM_FIRST_READING and r.baseline is not None
    }


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
    """The items table (filtered, sorted, the columns chosen), the edit-one-item form, the
    targets of the items shown, and the save bar for all their changes, saved together."""
    labels = owner_labels(people)
    names = ItemNames.of(library())
    round_ = st.session_state[Keys.EDITOR_ROUND]
    ids_by_label = {label: pid for pid, label in labels.items()}
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
    base = _rows_shown(view, everything, how)
    shown_ids = set(base["id"])  # once: inside the filter it was rebuilt for every item
    shown = OpenPlan(view.plan, [i for i in view.items if i.id in shown_ids])
    base = base.reset_index(drop=True)
    suffix = f"-{how.signature}" if how.signature else ""
    edited = _items_grid(
        with_carried_items(base, carried, labels, names),
        key=plain_key + suffix,
        columns=columns,
        stages=list(names.stages.values()),
        owners=list(ids_by_label),
    )
    from_form = item_form(view, labels, names, round_)
    st.markdown("**Targets**")
    base_targets = targets_frame(shown, first_reading_baselines(view.plan.id))
    edited_targets = base_targets
    if base_targets.empty:
        st.caption("No item has metrics yet.")
    else:
        edited_targets = _targets_grid(
            with_carried_targets(base_targets, carried), key=f"targets-editor-{round_}" + suffix
        )
    changes = item_changes(base, edited, ids_by_label)
    for values in changes.values():
        if values.get("cop_stage") is not None:
            values["cop_stage"] = names.stage_id(values["cop_stage"])
    for item_id, targets in target_changes(base_targets, edited_targets).items():
        changes.setdefault(item_id, {})["targets"] = targets
    for item_id, values in from_form.items():
        changes.setdefault(item_id, {}).update(values)
    save_bar(view, changes)


def _rows_shown(view: OpenPlan, everything: pd.DataFrame, how: ItemFilter) -> pd.DataFrame:
    """The rows the filter keeps, at most MAX_EDITOR_ROWS, with a caption when some are not
    shown."""
    base = filter_frame(everything, how)
    if len(base) > MAX_EDITOR_ROWS:
        st.caption(
            f"Showing {MAX_EDITOR_ROWS:,} of {len(base):,} matching items "
            f"({len(view.items):,} in the plan): filter or search to narrow the list."
        )
        base = base.head(MAX_EDITOR_ROWS)
    elif len(base) < len(everything):
        st.caption(f"Showing {len(base):,} of {len(everything):,} items.")
    return base


def _items_grid(
    frame: pd.DataFrame, *, key: str, columns: list[str], stages: list[str], owners: list[str]
) -> pd.DataFrame:
    """The items data editor: titles pinned (wrapped when long), the chosen columns."""
    wrap = _wraps(frame)
    edited: pd.DataFrame = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        height=wrapped_height(len(frame)) if wrap else _height(len(frame)),
        row_height=WRAPPED_ROW if wrap else None,
        placeholder="—",
        column_order=["Item", *columns],
        disabled=["Item", "Category", "Starts", "Ends"] if can(Permission.PLAN_EDIT) else True,
        column_config=_editor_columns(stages, owners, wrap=wrap),
    )
    return edited


def _targets_grid(frame: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """The targets data editor: target, due date and baseline of each item's metrics."""
    edited: pd.DataFrame = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        height=wrapped_height(len(frame), row=TALL_ROW),
        row_height=TALL_ROW,
        placeholder="—",
        column_order=["Item", "Metric", "Target", "Due", "Baseline", "Baseline used"],
        disabled=["Item", "Metric", "Baseline used"] if can(Permission.PLAN_EDIT) else True,
        column_config=_target_columns(),
    )
    return edited


def _target_columns() -> dict[str, Any]:
    """The targets editor's columns."""
    return {
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
    }


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
