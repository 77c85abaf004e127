"""Figure builders shared by pages and reports (plotly only, no streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go

from planner.theme import HEATMAP_SCALE, MUTED, plotly_template


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
