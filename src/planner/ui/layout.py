"""Layout pieces that keep pages readable from 1024 px up: rows that wrap, narrow-screen padding.

`st.columns` splits the width evenly however narrow it gets, so metric labels, dates and
button labels end in an ellipsis at 1024 px; a horizontal container wraps its children to the
next line instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

# Streamlit's wide layout keeps 5rem each side of the page; below 1280 px that leaves a 1024 px
# window with ~560 px for content next to the sidebar. Narrow screens get 1.5rem.
NARROW_CSS = """
<style>
@media (max-width: 1280px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; }
}
</style>
"""


def narrow_screen_padding() -> None:
    st.html(NARROW_CSS)


def wrapping_row(*, gap: str = "medium") -> DeltaGenerator:
    """A row whose items keep their natural width and wrap to the next line when out of room."""
    return st.container(horizontal=True, wrap=True, gap=gap)  # type: ignore[arg-type]


def metric_columns(count: int) -> list[DeltaGenerator]:
    """A drop-in for `st.columns(count)` around headline metrics: each slot is as wide as its
    metric, and slots that do not fit move to the next line instead of being cut."""
    row = wrapping_row(gap="medium")
    return [row.container(width="content") for _ in range(count)]


# Streamlit wraps a table's text only when rows are taller than 4rem (64 px); this row fits
# three lines, so long titles and summaries show whole in a narrow column.
WRAPPED_ROW = 66
# Four lines: for tables with two long key columns (item and metric) beside several others,
# which must fit a 1024 px window.
TALL_ROW = 86


def wrapped_height(rows: int, *, limit: int = 600, row: int = WRAPPED_ROW) -> int:
    """The height of a table of wrapped rows: all of them when few, else scrolling in `limit`."""
    return min(limit, 38 + row * max(rows, 1))


def column_picker(
    key: str,
    optional: Sequence[str],
    default: Sequence[str],
    *,
    label: str = "Columns",
    disabled: bool = False,
    help: str | None = None,
) -> list[str]:
    """Pills for a table's optional columns, in table order; the choice outlives the widget
    (Streamlit drops a widget's state when a page does not draw it, so it is copied to `key`)."""
    st.session_state.setdefault(key, list(default))
    widget = f"{key}.widget"

    def remember() -> None:
        st.session_state[key] = list(st.session_state[widget])

    chosen = st.pills(
        label,
        list(optional),
        selection_mode="multi",
        default=[c for c in st.session_state[key] if c in optional],
        key=widget,
        on_change=remember,
        disabled=disabled,
        help=help,
    )
    return [c for c in optional if c in chosen]
