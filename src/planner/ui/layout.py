"""Layout pieces that keep pages readable from 1024 px up: rows that wrap, narrow-screen padding.

`st.columns` splits the width evenly however narrow it gets, so metric labels, dates and
button labels end in an ellipsis at 1024 px; a horizontal container wraps its children to the
next line instead.
"""

from __future__ import annotations

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
    row = wrapping_row(gap="large")
    return [row.container(width="content") for _ in range(count)]
