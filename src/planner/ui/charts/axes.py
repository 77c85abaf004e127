"""What the schedule figures share: the theme's layout, week axes with few short date labels,
item titles wrapped to fit, and hover text made safe for plotly.

Plotly and domain records only (no streamlit); the Gantt and the workload chart build on it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from planner.domain.schedule import format_date, week_start
from planner.domain.theme import plotly_template


def template_layout(**changes: Any) -> dict[str, Any]:
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


def week_axis(first: date, last: date) -> dict[str, Any]:
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


def escaped(text: str) -> str:
    """`text` safe inside plotly's hover and label markup (no stray tags)."""
    return text.replace("<", "&lt;")
