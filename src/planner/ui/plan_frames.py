"""The plan's items and targets as the Plan page's editors show them (pandas frames), the
changes read back from edited frames, and a refused save's edits put back into fresh frames.

Pandas and domain records only: planner.ui.plan_editor draws the editors from these frames.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from planner.domain.planning import Target
from planner.domain.playbook import Metric
from planner.domain.progress import baseline_value, figure_text, is_count
from planner.domain.schedule import Schedule
from planner.services import OpenPlan
from planner.ui.item_table import ItemNames

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


def _blank(value: Any) -> bool:
    """An empty cell: None, NaN or NaT."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _day(value: Any) -> date | None:
    """A cell's date (a Timestamp, a date or ISO text), None when empty."""
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
    """One row per item: its title (⚠ when its dates break a rule), owner label, category,
    scheduled dates and the fields the editor can change."""
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


# --- what the user changed -------------------------------------------------------------------


def item_changes(
    before: pd.DataFrame, after: pd.DataFrame, ids_by_label: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Item id -> the fields changed between two items frames (owners back to person ids)."""
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


def target_changes(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, list[Target]]:
    """Item id -> all its targets, for each item with a target row changed."""
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
