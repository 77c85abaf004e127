"""Figures of what a plan serves: tactics per purpose or practice and category (the coverage
heatmap on the Playbooks page), and items by progress status (the serving heatmap on Progress).

Plotly and domain records only (no streamlit).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from planner.domain.theme import HEATMAP_SCALE, MUTED, PROGRESS_COLORS, plotly_template


def coverage_heatmap(
    rows: list[str], cols: list[str], counts: list[list[int]], *, row_title: str
) -> go.Figure:
    """How many tactics serve each purpose or practice, by category; empty cells are gaps."""
    text = [[str(v) if v else "·" for v in row] for row in counts]
    fig = go.Figure(
        go.Heatmap(
            z=counts,
            x=cols,
            y=rows,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14},
            colorscale=HEATMAP_SCALE,
            zmin=0,
            xgap=3,
            ygap=3,
            showscale=False,
            hovertemplate=f"{row_title}: %{{y}}<br>Category: %{{x}}<br>Tactics: %{{z}}"
            "<extra></extra>",
        ),
        layout=plotly_template()["layout"],
    )
    fig.update_layout(
        title=f"Tactics per {row_title.lower()} and category",
        height=max(320, 44 * len(rows) + 120),
        xaxis={"side": "top", "title": None, "tickfont": {"color": MUTED}},
        yaxis={"autorange": "reversed", "title": None},
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
    )
    return fig


def serving_heatmap(
    rows: Sequence[str], statuses: Sequence[str], counts: Sequence[Sequence[int]], *, title: str
) -> go.Figure:
    """Items serving each purpose or practice by progress status: what it serves, how well."""
    text = [[str(v) if v else "·" for v in row] for row in counts]
    colours = [PROGRESS_COLORS.get(s, "#9AA5AB") for s in statuses]
    # One heatmap per status column, each in its own colour, so the colour means the status.
    fig = go.Figure(layout=plotly_template()["layout"])
    peak = max([max(r) for r in counts if r] or [1]) or 1
    for k, status in enumerate(statuses):
        fig.add_trace(
            go.Heatmap(
                z=[[row[k]] for row in counts],
                x=[k],
                y=list(range(len(rows))),
                text=[[t[k]] for t in text],
                texttemplate="%{text}",
                colorscale=[[0, "#F4F6F5"], [1, colours[k]]],
                zmin=0,
                zmax=peak,
                showscale=False,
                xgap=3,
                ygap=3,
                customdata=[[r] for r in rows],
                hovertemplate="%{customdata}<br>" + status + ": %{z} item(s)<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        height=max(300, 34 * len(rows) + 120),
        xaxis={
            "side": "top",
            "title": None,
            "tickvals": list(range(len(statuses))),
            "ticktext": list(statuses),
            "range": [-0.5, len(statuses) - 0.5],
            "showgrid": False,
        },
        yaxis={
            "autorange": "reversed",
            "title": None,
            "tickvals": list(range(len(rows))),
            "ticktext": list(rows),
            "showgrid": False,
        },
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
    )
    return fig
