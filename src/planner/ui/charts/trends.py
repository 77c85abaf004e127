"""Trend figures of the Progress and Review pages: one metric over time against its expected
trajectory and target, and a grid of small multiples that share one legend.

Plotly and domain records only (no streamlit).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go

from planner.domain.schedule import format_date
from planner.domain.theme import INK, MUTED, PROGRESS_COLORS, plotly_template


def _trend_traces(
    points: Sequence[Any], *, unit: str, show_legend: bool, per_period: bool
) -> list[go.Scatter | go.Bar]:
    """Actual, expected and target lines (and per-period readings as bars for sums)."""
    x = [p.end for p in points]
    label = [format_date(p.end) for p in points]
    traces: list[go.Scatter | go.Bar] = []
    if per_period:
        traces.append(
            go.Bar(
                x=x,
                y=[p.value for p in points],
                name="This period",
                marker={"color": "#CFE3EA"},
                customdata=label,
                hovertemplate=f"Period to %{{customdata}}: %{{y:,.4~g}} {unit}<extra></extra>",
                showlegend=show_legend,
                legendgroup="period",
            )
        )

    def line(name: str, values: list[Any], hover: str, **style: Any) -> go.Scatter:
        return go.Scatter(
            x=x,
            y=values,
            name=name,
            **style,
            hovertemplate=f"{hover}: %{{y:,.4~g}} {unit}<extra></extra>",
            showlegend=show_legend,
            legendgroup=name.lower(),
        )

    traces.append(
        line(
            "Expected",
            [p.expected for p in points],
            "Expected by %{customdata}",
            mode="lines",
            line={"color": MUTED, "dash": "dash", "width": 2},
            customdata=label,
        )
    )
    traces.append(
        line(
            "Target",
            [p.target for p in points],
            "Target",
            mode="lines",
            line={"color": PROGRESS_COLORS["on track"], "dash": "dot", "width": 2},
        )
    )
    traces.append(
        line(
            "Actual",
            [p.actual for p in points],
            "Actual on %{customdata}",
            mode="lines+markers",
            line={"color": INK, "width": 3},
            marker={"size": 7},
            customdata=label,
        )
    )
    return traces


def trend_chart(
    points: Sequence[Any],
    *,
    title: str,
    unit: str,
    per_period: bool,
    today: date | None = None,
    height: int = 360,
) -> go.Figure:
    """One metric over time: actual against the expected trajectory and the target."""
    fig = go.Figure(
        _trend_traces(points, unit=unit, show_legend=True, per_period=per_period),
        layout=plotly_template()["layout"],
    )
    fig.update_layout(
        title=title,
        height=height,
        yaxis={"title": unit, "rangemode": "tozero"},
        xaxis={"title": None},
        hovermode="x unified",
        bargap=0.4,
    )
    if today is not None and points and points[0].start <= today <= points[-1].end:
        fig.add_vline(x=today, line={"color": MUTED, "width": 1, "dash": "dot"})
    return fig


def small_multiples(
    panels: Sequence[tuple[str, str, str, Sequence[Any]]], *, columns: int = 3
) -> go.Figure:
    """A grid of small trend charts, one per (title, status, unit, points), same legend."""
    from plotly.subplots import make_subplots

    columns = max(1, min(columns, len(panels)))
    rows = max(1, -(-len(panels) // columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[
            f"{title if len(title) <= 42 else title[:40] + '…'}<br><b>{status}</b>"
            for title, status, _, _ in panels
        ],
        vertical_spacing=0.16 / max(1, rows - 1) if rows > 1 else 0.1,
        horizontal_spacing=0.07,
    )
    for k, (_, _, unit, points) in enumerate(panels):
        for trace in _trend_traces(points, unit=unit, show_legend=k == 0, per_period=False):
            fig.add_trace(trace, row=k // columns + 1, col=k % columns + 1)
    fig.update_layout(plotly_template()["layout"])
    fig.update_layout(height=260 * rows + 90, margin={"t": 80}, hovermode="x unified")
    fig.update_annotations(font={"size": 13})
    fig.update_xaxes(showgrid=False, tickformat="%d %b")
    return fig
