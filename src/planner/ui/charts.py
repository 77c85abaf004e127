"""Figure builders shared by pages and reports (plotly only, no streamlit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

import plotly.graph_objects as go

from planner.domain.schedule import (
    NO_OWNER,
    WORK_STATUSES,
    Schedule,
    ScheduleItem,
    Workload,
    format_date,
    format_hours,
    week_start,
)
from planner.domain.theme import (
    HEATMAP_SCALE,
    INK,
    MUTED,
    OWNER_COLORS,
    PROGRESS_COLORS,
    WORK_COLORS,
    plotly_template,
)


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


# --- schedule ---------------------------------------------------------------------------------
# Figures here are built from plain dicts in one go.Figure call: adding traces one by one through
# graph objects costs milliseconds each, and a 2,000-item plan must stay quick to draw.

_MS_PER_DAY = 86_400_000
_FLAG = "⚠ "
_ROW_PX = 28
_MAX_CELL_LABELS = 2_500


def _layout(**changes: Any) -> dict[str, Any]:
    """The template's layout with `changes`; dict values are merged one level deep."""
    layout = plotly_template()["layout"]
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


MAX_DATE_TICKS = 7
"""At most this many dates on a week axis: seven short labels fit a chart 450 px wide (the
Gantt's plot area on a 1024 px screen, next to the item titles)."""
_TICK_STEPS_WEEKS = (1, 2, 4, 8, 13, 26, 52)


def week_ticks(first: date, last: date) -> tuple[list[str], list[str]]:
    """Mondays from `first`'s week to `last`, a nice number of weeks apart, and their labels.

    Labels are short (`12 Jan`); the year goes on a second line under the first tick and
    wherever it changes, so a label never repeats what its neighbour says."""
    monday = week_start(first)
    weeks = max(1, (last - monday).days // 7 + 1)
    step = next((s for s in _TICK_STEPS_WEEKS if -(-weeks // s) <= MAX_DATE_TICKS), 0)
    if not step:  # longer than a few years: whole years apart
        step = 52 * -(-weeks // (52 * MAX_DATE_TICKS))
    values: list[str] = []
    labels: list[str] = []
    year = None
    day = monday
    while day <= last or not values:
        text = format_date(day).rsplit(" ", 1)[0]  # "12 Jan", the same in every locale
        if day.year != year:
            text += f"<br>{day.year}"
            year = day.year
        values.append(day.isoformat())
        labels.append(text)
        day += timedelta(weeks=step)
    return values, labels


LABEL_CHARS = 30
"""Item titles on the Gantt wrap at this many characters, on at most two lines (the rest is in
the hover), so the titles leave the dates most of a 1024 px screen."""
_ROW_PX_WRAPPED = 36


def wrap_label(text: str, width: int = LABEL_CHARS, lines: int = 2) -> str:
    """`text` on lines of at most `width` characters (split at spaces), `lines` at most,
    ending in "…" when cut; joined by <br> for plotly."""
    out: list[str] = []
    line = ""
    for word in text.split():
        if len(word) > width:
            word = word[: width - 1] + "…"
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    if len(out) > lines:
        last = out[lines - 1]
        out = [*out[: lines - 1], (last if len(last) < width else last[: width - 1]) + "…"]
    return "<br>".join(out)


def _week_axis(first: date, last: date) -> dict[str, Any]:
    """A date axis on top with ticks on Mondays, at most MAX_DATE_TICKS of them."""
    values, labels = week_ticks(first, last)
    return {
        "type": "date",
        "side": "top",
        "title": None,
        "tickmode": "array",
        "tickvals": values,
        "ticktext": labels,
        "tickangle": 0,
    }


def _owner_colors(labels: list[str]) -> dict[str, str]:
    """A colour per owner, in the order given; 'No owner' is always the quiet grey."""
    colors: dict[str, str] = {}
    named = [label for label in labels if label != NO_OWNER]
    for k, label in enumerate(named):
        colors[label] = OWNER_COLORS[k % len(OWNER_COLORS)]
    colors[NO_OWNER] = PROGRESS_COLORS["no data"]
    return colors


def _message(text: str) -> str:
    return text.replace("<", "&lt;")


def gantt_chart(
    schedule: Schedule,
    items: Sequence[ScheduleItem],
    *,
    color_by: Literal["owner", "status"] = "status",
    today: date,
    height: int | None = None,
) -> go.Figure:
    """One bar per item in schedule order (first on top), one trace per colour, milestones as
    diamonds, a line for today; items whose pinned start breaks a rule carry a ⚠.

    `items` may be a filtered subset of the scheduled items: only they are drawn."""
    by_id = {item.item_id: item for item in items}
    stray = [item_id for item_id in by_id if item_id not in schedule.entries]
    if stray:
        raise ValueError(f"items not in the schedule: {stray[:5]}")
    rows = [item_id for item_id in schedule.entries if item_id in by_id]
    row_of = {item_id: k for k, item_id in enumerate(rows)}
    issues: dict[str, list[str]] = {}
    for issue in schedule.issues:
        issues.setdefault(issue.item_id, []).append(issue.message)

    if color_by == "status":
        groups = list(WORK_STATUSES)
        colors = dict(WORK_COLORS)
        members: dict[str, list[str]] = {g: [] for g in groups}
        for item_id in rows:
            members[by_id[item_id].status].append(item_id)
    else:
        members = {}
        for item_id in rows:
            members.setdefault(by_id[item_id].owner_label, []).append(item_id)
        groups = sorted(members, key=lambda g: (g == NO_OWNER, g.casefold()))
        colors = _owner_colors(groups)

    traces: list[dict[str, Any]] = []
    red = PROGRESS_COLORS["off track"]
    for group in groups:
        ids = members[group]
        if not ids:
            continue
        base, length, ys, hover = [], [], [], []
        for item_id in ids:
            item, entry = by_id[item_id], schedule.entries[item_id]
            base.append(entry.start.isoformat())
            length.append((entry.end - entry.start).days * _MS_PER_DAY)
            ys.append(row_of[item_id])
            weeks = "1 week" if item.duration_weeks == 1 else f"{item.duration_weeks} weeks"
            note = "<br>Start pinned" if entry.pinned else ""
            for message in issues.get(item_id, ()):
                note += f"<br>⚠ {_message(message)}"
            hover.append(
                f"<b>{_message(item.title)}</b><br>{format_date(entry.start)} to "
                f"{format_date(entry.last_day)} ({weeks})<br>Owner: {_message(item.owner_label)}"
                f"<br>Status: {item.status}{note}"
            )
        marker: dict[str, Any] = {"color": colors[group], "line": {"color": "white", "width": 0.5}}
        if any(i in issues for i in ids):
            marker["line"] = {
                "color": [red if i in issues else "white" for i in ids],
                "width": [2 if i in issues else 0.5 for i in ids],
            }
        if color_by == "owner" and any(by_id[i].status == "dropped" for i in ids):
            marker["opacity"] = [0.4 if by_id[i].status == "dropped" else 1.0 for i in ids]
        traces.append(
            {
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
        )

    marks = [m for m in schedule.milestones if m.item_id in row_of]
    if marks:
        traces.append(
            {
                "type": "scatter",
                "name": "Milestones",
                "mode": "markers",
                "x": [m.date.isoformat() for m in marks],
                "y": [row_of[m.item_id] for m in marks],
                "hovertext": [
                    f"<b>{format_date(m.date)}</b>: {_message(m.text)}"
                    f"<br>{_message(by_id[m.item_id].title)}"
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
        )

    labels = [
        wrap_label((_FLAG if item_id in issues else "") + by_id[item_id].title) for item_id in rows
    ]
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
            "font": {"color": red, "size": 12},
        }
    ]
    if not rows:
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
    starts = [schedule.entries[i].start for i in rows]
    ends = [schedule.entries[i].end for i in rows]
    layout = _layout(
        title={"text": f"Schedule by {'work status' if color_by == 'status' else 'owner'}"},
        barmode="overlay",
        height=height
        or max(
            300,
            (_ROW_PX_WRAPPED if any("<br>" in t for t in labels) else _ROW_PX) * len(rows) + 160,
        ),
        xaxis=_week_axis(min([*starts, today]), max([*ends, today])),
        yaxis={
            "tickmode": "array",
            "tickvals": list(range(len(rows))),
            "ticktext": labels,
            "range": [len(rows) - 0.5, -0.5],
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
                "line": {"color": red, "width": 2, "dash": "dot"},
            }
        ],
        annotations=annotations,
    )
    return go.Figure(data=traces, layout=layout)


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
        # Rows are categories: two people sharing a name must not share a row.
        while label in used:
            label += " "
        used.add(label)
        labels.append(label)

    x = [monday.isoformat() for monday in workload.weeks]
    z = [list(workload.hours[k]) for k in shown]
    over: list[list[float | None]] = [[None] * len(x) for _ in shown]
    row_of = {workload.owners[k].person_id: r for r, k in enumerate(shown)}
    week_of = {monday: c for c, monday in enumerate(workload.weeks)}
    for o in workload.overloads:
        r = row_of.get(o.person_id)
        if r is not None:
            over[r][week_of[o.week_start]] = o.hours

    cell_text: dict[str, Any] = {}
    over_text: dict[str, Any] = {}
    if len(shown) * len(x) <= _MAX_CELL_LABELS:
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
    annotations = []
    if not shown or not x:
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
    layout = _layout(
        title={"text": "Planned hours per person and week, against capacity"},
        height=max(300, 34 * len(shown) + 170),
        xaxis=_week_axis(workload.weeks[0], workload.weeks[-1]) if x else {"title": None},
        yaxis={"autorange": "reversed", "title": None, "type": "category", "showgrid": False},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        annotations=annotations,
    )
    return go.Figure(data=traces, layout=layout)


# --- progress ---------------------------------------------------------------------------------


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
    traces.append(
        go.Scatter(
            x=x,
            y=[p.expected for p in points],
            name="Expected",
            mode="lines",
            line={"color": MUTED, "dash": "dash", "width": 2},
            customdata=label,
            hovertemplate=f"Expected by %{{customdata}}: %{{y:,.4~g}} {unit}<extra></extra>",
            showlegend=show_legend,
            legendgroup="expected",
        )
    )
    traces.append(
        go.Scatter(
            x=x,
            y=[p.target for p in points],
            name="Target",
            mode="lines",
            line={"color": PROGRESS_COLORS["on track"], "dash": "dot", "width": 2},
            hovertemplate=f"Target: %{{y:,.4~g}} {unit}<extra></extra>",
            showlegend=show_legend,
            legendgroup="target",
        )
    )
    traces.append(
        go.Scatter(
            x=x,
            y=[p.actual for p in points],
            name="Actual",
            mode="lines+markers",
            line={"color": INK, "width": 3},
            marker={"size": 7},
            customdata=label,
            hovertemplate=f"Actual on %{{customdata}}: %{{y:,.4~g}} {unit}<extra></extra>",
            showlegend=show_legend,
            legendgroup="actual",
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
