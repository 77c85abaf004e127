"""One look for every page, chart and report: status palettes and the plotly template."""

from __future__ import annotations

from typing import Any

FONT = "Source Sans Pro, Inter, Segoe UI, Helvetica, Arial, sans-serif"
INK = "#1F2A30"
MUTED = "#5C6B73"
GRID = "#E3E8E6"
ACCENT = "#2F6F8F"

# Progress status: a word and a colour, always together.
PROGRESS_COLORS: dict[str, str] = {
    "on track": "#2E7D4F",
    "at risk": "#C98A0B",
    "off track": "#B83A35",
    "no data": "#9AA5AB",
    "not started": "#C9D1D4",
    "no target": "#DCDFE1",
    "baseline only": "#B7C3C8",
}

# Work status of a plan item: quieter, so it never reads as progress.
WORK_COLORS: dict[str, str] = {
    "planned": "#A9C4D4",
    "in progress": "#4C89AD",
    "done": "#3F5E6E",
    "blocked": "#8E5B8A",
    "dropped": "#D0CCC4",
}

EFFORT_COLORS: dict[str, str] = {"light": "#7FB59A", "medium": "#D9B25F", "heavy": "#C8765C"}

CATEGORY_COLORS: list[str] = ["#2F6F8F", "#6A994E", "#BC6C25", "#7B5EA7", "#C44536", "#3D8B8B"]

OWNER_COLORS: list[str] = [
    "#2F6F8F", "#6A994E", "#BC6C25", "#7B5EA7", "#C44536", "#3D8B8B",
    "#8C6D46", "#D08C60", "#5B7DB1", "#A05C7B", "#4F772D", "#9C6644",
]  # fmt: skip
"""Owners in the Gantt chart: twelve distinguishable colours before any repeats."""

HEATMAP_SCALE: list[list[float | str]] = [
    [0.0, "#F4F6F5"],
    [0.2, "#CFE3EA"],
    [0.6, "#6FA3BE"],
    [1.0, "#1F4E66"],
]


def plotly_template() -> dict[str, Any]:
    """The layout every figure starts from (a plain dict, so reports need no plotly.io state)."""
    return {
        "layout": {
            "font": {"family": FONT, "size": 14, "color": INK},
            "colorway": CATEGORY_COLORS,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
            "title": {"font": {"size": 17, "color": INK}, "x": 0, "xanchor": "left"},
            "xaxis": {"gridcolor": GRID, "zeroline": False, "automargin": True},
            "yaxis": {"gridcolor": GRID, "zeroline": False, "automargin": True},
            "hoverlabel": {"font": {"family": FONT}},
            "legend": {"orientation": "h", "y": -0.15},
        }
    }
