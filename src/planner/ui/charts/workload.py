"""The workload chart of the Schedule page: planned hours per person and week against capacity,
as a heatmap, with the weeks over capacity drawn again on top in the off-track red.

Built from plain dicts in one go.Figure call, like the Gantt, so a large portfolio stays quick
to draw. Plotly and domain records only (no streamlit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from planner.domain.schedule import Workload, format_hours
from planner.domain.theme import HEATMAP_SCALE, PROGRESS_COLORS
from planner.ui.charts.axes import template_layout, week_axis

_MAX_CELL_LABELS = 2_500


def workload_chart(
    workload: Workload, *, people_order: Sequence[str | None] | None = None
) -> go.Figure:
    """Planned hours per person per week against capacity; weeks over capacity in red.

    `people_order`: the person ids to show, in that order (None is the no-owner row); default,
    everyone in the workload. Hours are written in the cells while there are few enough to read.
    """
    position = {owner.person_id: k for k, owner in enumerate(workload.owners)}
    if people_order is None:
        shown = list(range(len(workload.owners)))
    else:
        shown = [position[p] for p in people_order if p in position]
    labels = _row_labels(workload, shown)
    x = [monday.isoformat() for monday in workload.weeks]
    z = [list(workload.hours[k]) for k in shown]
    over = _over_capacity(workload, shown)
    few = len(shown) * len(x) <= _MAX_CELL_LABELS
    cell_text, over_text = _cell_texts(z, over) if few else ({}, {})
    hover = "%{y}<br>Week of %{x|%-d %b %Y}<br>Planned: %{z:,.1f} h"
    red = PROGRESS_COLORS["off track"]
    traces: list[dict[str, Any]] = [
        {
            "type": "heatmap",
            "name": "Planned hours",
            "z": z,
            "x": x,
            "y": labels,
            "colorscale": HEATMAP_SCALE,
            "zmin": 0,
            "xgap": 2,
            "ygap": 2,
            "colorbar": {"title": {"text": "Hours planned"}, "thickness": 12},
            "hovertemplate": hover + "<extra></extra>",
            **cell_text,
        },
        {
            # Weeks over capacity drawn again on top, in the off-track red.
            "type": "heatmap",
            "name": "Over capacity",
            "showlegend": True,
            "z": over,
            "x": x,
            "y": labels,
            "colorscale": [[0.0, red], [1.0, red]],
            "showscale": False,
            "xgap": 2,
            "ygap": 2,
            "hoverongaps": False,
            "hovertemplate": hover + "<br><b>Over capacity</b><extra></extra>",
            **over_text,
        },
    ]
    return go.Figure(data=traces, layout=_workload_layout(workload, len(shown)))


def _row_labels(workload: Workload, shown: list[int]) -> list[str]:
    """Each person's name and weekly capacity; rows are categories, so two people sharing a
    name get labels that differ (by a trailing space) instead of sharing a row."""
    labels: list[str] = []
    used: set[str] = set()
    for k in shown:
        owner = workload.owners[k]
        if owner.person_id is None:
            label = owner.name
        elif owner.capacity is None:
            label = f"{owner.name} (capacity unknown)"
        else:
            label = f"{owner.name} ({format_hours(owner.capacity)}/week)"
        while label in used:
            label += " "
        used.add(label)
        labels.append(label)
    return labels


def _over_capacity(workload: Workload, shown: list[int]) -> list[list[float | None]]:
    """The hours of the weeks over capacity, None elsewhere (gaps the red layer leaves)."""
    over: list[list[float | None]] = [[None] * len(workload.weeks) for _ in shown]
    row_of = {workload.owners[k].person_id: r for r, k in enumerate(shown)}
    week_of = {monday: c for c, monday in enumerate(workload.weeks)}
    for o in workload.overloads:
        r = row_of.get(o.person_id)
        if r is not None:
            over[r][week_of[o.week_start]] = o.hours
    return over


def _cell_texts(
    z: list[list[float]], over: list[list[float | None]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The hours written in the cells of both layers (white on the red one)."""
    text = [[format_hours(h)[:-2] if h else "" for h in row] for row in z]
    cell_text = {"text": text, "texttemplate": "%{text}", "textfont": {"size": 12}}
    over_text = {
        "text": [
            [t if h is not None else "" for t, h in zip(trow, orow, strict=True)]
            for trow, orow in zip(text, over, strict=True)
        ],
        "texttemplate": "%{text}",
        "textfont": {"size": 12, "color": "white"},
    }
    return cell_text, over_text


def _workload_layout(workload: Workload, rows: int) -> dict[str, Any]:
    """Week axis on top, people down the side, a note when there is nothing to show."""
    annotations = []
    if not rows or not workload.weeks:
        annotations.append(
            {
                "text": "No planned work in these weeks",
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
            }
        )
    return template_layout(
        title={"text": "Planned hours per person and week, against capacity"},
        height=max(300, 34 * rows + 170),
        xaxis=week_axis(workload.weeks[0], workload.weeks[-1])
        if workload.weeks
        else {"title": None},
        yaxis={"autorange": "reversed", "title": None, "type": "category", "showgrid": False},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        annotations=annotations,
    )
