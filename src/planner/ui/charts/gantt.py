"""The Gantt chart of the Schedule page: one bar per item in schedule order, coloured by work
status or by owner, milestones as diamonds, a dotted line for today, ⚠ on broken pins.

The figure is built from plain dicts in one go.Figure call: adding traces one by one through
graph objects costs milliseconds each, and a 2,000-item plan must stay quick to draw.
Plotly and domain records only (no streamlit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import plotly.graph_objects as go

from planner.domain.schedule import (
    NO_OWNER,
    WORK_STATUSES,
    Milestone,
    Schedule,
    ScheduleItem,
    format_date,
)
from planner.domain.theme import INK, OWNER_COLORS, PROGRESS_COLORS, WORK_COLORS
from planner.ui.charts.axes import escaped, template_layout, week_axis, wrap_label

_MS_PER_DAY = 86_400_000
_FLAG = "⚠ "
_ROW_PX = 28
_ROW_PX_WRAPPED = 36
_RED = PROGRESS_COLORS["off track"]

ColorBy = Literal["owner", "status"]


@dataclass(frozen=True)
class _Rows:
    """The items drawn, in schedule order (row 0 on top), and the rules each one breaks."""

    schedule: Schedule
    by_id: dict[str, ScheduleItem]
    ids: list[str]
    row_of: dict[str, int]
    issues: dict[str, list[str]]

    @classmethod
    def of(cls, schedule: Schedule, items: Sequence[ScheduleItem]) -> _Rows:
        by_id = {item.item_id: item for item in items}
        stray = [item_id for item_id in by_id if item_id not in schedule.entries]
        if stray:
            raise ValueError(f"items not in the schedule: {stray[:5]}")
        ids = [item_id for item_id in schedule.entries if item_id in by_id]
        issues: dict[str, list[str]] = {}
        for issue in schedule.issues:
            issues.setdefault(issue.item_id, []).append(issue.message)
        return cls(schedule, by_id, ids, {item_id: k for k, item_id in enumerate(ids)}, issues)


def gantt_chart(
    schedule: Schedule,
    items: Sequence[ScheduleItem],
    *,
    color_by: ColorBy = "status",
    today: date,
    height: int | None = None,
) -> go.Figure:
    """One bar per item in schedule order (first on top), one trace per colour, milestones as
    diamonds, a line for today; items whose pinned start breaks a rule carry a ⚠.

    `items` may be a filtered subset of the scheduled items: only they are drawn."""
    rows = _Rows.of(schedule, items)
    traces = _bar_traces(rows, color_by)
    marks = [m for m in schedule.milestones if m.item_id in rows.row_of]
    if marks:
        traces.append(_milestone_trace(rows, marks))
    return go.Figure(data=traces, layout=_gantt_layout(rows, color_by, today, height))


# --- bars -------------------------------------------------------------------------------------


def _colour_groups(
    rows: _Rows, color_by: ColorBy
) -> tuple[list[str], dict[str, str], dict[str, list[str]]]:
    """The groups in legend order, the colour of each, and the item ids in each."""
    if color_by == "status":
        groups = list(WORK_STATUSES)
        members: dict[str, list[str]] = {g: [] for g in groups}
        for item_id in rows.ids:
            members[rows.by_id[item_id].status].append(item_id)
        return groups, dict(WORK_COLORS), members
    members = {}
    for item_id in rows.ids:
        members.setdefault(rows.by_id[item_id].owner_label, []).append(item_id)
    groups = sorted(members, key=lambda g: (g == NO_OWNER, g.casefold()))
    return groups, _owner_colors(groups), members


def _owner_colors(labels: list[str]) -> dict[str, str]:
    """A colour per owner, in the order given; 'No owner' is always the quiet grey."""
    colors: dict[str, str] = {}
    named = [label for label in labels if label != NO_OWNER]
    for k, label in enumerate(named):
        colors[label] = OWNER_COLORS[k % len(OWNER_COLORS)]
    colors[NO_OWNER] = PROGRESS_COLORS["no data"]
    return colors


def _bar_traces(rows: _Rows, color_by: ColorBy) -> list[dict[str, Any]]:
    """One bar trace per colour group that has items."""
    groups, colors, members = _colour_groups(rows, color_by)
    return [
        _bar_trace(rows, members[group], group, colors[group], color_by)
        for group in groups
        if members[group]
    ]


def _bar_trace(
    rows: _Rows, ids: list[str], group: str, color: str, color_by: ColorBy
) -> dict[str, Any]:
    """The bars of one group: red outlines on items that break a rule; dropped items faded
    when colours are owners (status colours already say dropped)."""
    base, length, ys, hover = [], [], [], []
    for item_id in ids:
        entry = rows.schedule.entries[item_id]
        base.append(entry.start.isoformat())
        length.append((entry.end - entry.start).days * _MS_PER_DAY)
        ys.append(rows.row_of[item_id])
        hover.append(_bar_hover(rows, item_id))
    issues, by_id = rows.issues, rows.by_id
    marker: dict[str, Any] = {"color": color, "line": {"color": "white", "width": 0.5}}
    if any(i in issues for i in ids):
        marker["line"] = {
            "color": [_RED if i in issues else "white" for i in ids],
            "width": [2 if i in issues else 0.5 for i in ids],
        }
    if color_by == "owner" and any(by_id[i].status == "dropped" for i in ids):
        marker["opacity"] = [0.4 if by_id[i].status == "dropped" else 1.0 for i in ids]
    return {
        "type": "bar",
        "name": group.capitalize() if color_by == "status" else group,
        "orientation": "h",
        "base": base,
        "x": length,
        "y": ys,
        "width": 0.62,
        "marker": marker,
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def _bar_hover(rows: _Rows, item_id: str) -> str:
    """Title, dates and weeks, owner, status, a pinned start and the rules it breaks."""
    item, entry = rows.by_id[item_id], rows.schedule.entries[item_id]
    weeks = "1 week" if item.duration_weeks == 1 else f"{item.duration_weeks} weeks"
    note = "<br>Start pinned" if entry.pinned else ""
    for message in rows.issues.get(item_id, ()):
        note += f"<br>⚠ {escaped(message)}"
    return (
        f"<b>{escaped(item.title)}</b><br>{format_date(entry.start)} to "
        f"{format_date(entry.last_day)} ({weeks})<br>Owner: {escaped(item.owner_label)}"
        f"<br>Status: {item.status}{note}"
    )


def _milestone_trace(rows: _Rows, marks: list[Milestone]) -> dict[str, Any]:
    """The milestones of the items drawn, as diamonds on their rows."""
    return {
        "type": "scatter",
        "name": "Milestones",
        "mode": "markers",
        "x": [m.date.isoformat() for m in marks],
        "y": [rows.row_of[m.item_id] for m in marks],
        "hovertext": [
            f"<b>{format_date(m.date)}</b>: {escaped(m.text)}"
            f"<br>{escaped(rows.by_id[m.item_id].title)}"
            for m in marks
        ],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {
            "symbol": "diamond",
            "size": 10,
            "color": INK,
            "line": {"color": "white", "width": 1},
        },
    }


# --- layout -----------------------------------------------------------------------------------


def _gantt_layout(
    rows: _Rows, color_by: ColorBy, today: date, height: int | None
) -> dict[str, Any]:
    """Week axis on top covering the bars and today, titles on the left (wrapped), the legend
    below, a dotted line and a label for today; the height grows with the rows."""
    ids = rows.ids
    labels = [
        wrap_label((_FLAG if item_id in rows.issues else "") + rows.by_id[item_id].title)
        for item_id in ids
    ]
    starts = [rows.schedule.entries[i].start for i in ids]
    ends = [rows.schedule.entries[i].end for i in ids]
    return template_layout(
        title={"text": f"Schedule by {'work status' if color_by == 'status' else 'owner'}"},
        barmode="overlay",
        height=height
        or max(
            300,
            (_ROW_PX_WRAPPED if any("<br>" in t for t in labels) else _ROW_PX) * len(ids) + 160,
        ),
        xaxis=week_axis(min([*starts, today]), max([*ends, today])),
        yaxis={
            "tickmode": "array",
            "tickvals": list(range(len(ids))),
            "ticktext": labels,
            "range": [len(ids) - 0.5, -0.5],
            "title": None,
            "showgrid": False,
        },
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "title": None},
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        bargap=0.3,
        hovermode="closest",
        shapes=[
            {
                "type": "line",
                "name": "today",
                "xref": "x",
                "yref": "paper",
                "x0": today.isoformat(),
                "x1": today.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": _RED, "width": 2, "dash": "dot"},
            }
        ],
        annotations=_annotations(today, empty=not ids),
    )


def _annotations(today: date, *, empty: bool) -> list[dict[str, Any]]:
    """The label of today's line, and a note when there is nothing to draw."""
    annotations: list[dict[str, Any]] = [
        {
            "x": today.isoformat(),
            "xref": "x",
            "y": 1,
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "text": f"Today, {format_date(today)}",
            "showarrow": False,
            "bgcolor": "rgba(255,255,255,0.8)",
            "font": {"color": _RED, "size": 12},
        }
    ]
    if empty:
        annotations.append(
            {
                "text": "No items to show",
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
            }
        )
    return annotations
