"""Playbooks: find tactics by text, purpose, practice, audience, effort and duration."""

import streamlit as st

from planner.domain.access import Permission
from planner.domain.catalog import coverage, find
from planner.ui.cards import tactic_card
from planner.ui.charts import coverage_heatmap
from planner.ui.data import can
from planner.ui.filters import clear_filters, search_hints, tactic_filter
from planner.ui.loaders import library, search_index
from planner.ui.shell import require_router
from planner.ui.start_plan import card_action
from planner.ui.state import Keys

require_router()

lib = library()
st.title("Playbooks")
st.caption("Tactics for fostering informal learning: search, filter, and open one to see how.")

if lib.problems:
    st.warning(
        f"{len(lib.problems)} problem(s) in the playbook files; the tactics that are valid are "
        "shown. Details are in the **Validation** tab.",
        icon=":material/warning:",
    )

add, add_label = card_action()
if not can(Permission.PLAN_EDIT):
    add = None  # viewers see the cards without an Add or Start button
tab_tactics, tab_coverage, tab_validation = st.tabs(["Tactics", "Coverage", "Validation"])

with tab_tactics:
    chosen = tactic_filter(lib)
    result = find(lib, chosen, search_index())
    found = result.tactics
    search_hints(result)
    head, clear = st.columns([4, 1], vertical_alignment="center")
    head.markdown(f"**{len(found)}** of {len(lib.tactics)} tactics")
    clear.button("Clear filters", on_click=clear_filters, width="stretch")
    if not found:
        st.info(
            "No tactic matches all of these. Try fewer words, a suggestion above, or remove a "
            "filter.",
            icon=":material/search_off:",
        )
    shown = st.session_state[Keys.SHOWN]
    for tactic in found[:shown]:
        tactic_card(tactic, lib, add=add, add_label=add_label)
    more = min(20, len(found) - shown)
    if more > 0 and st.button(f"Show {more} more", key="show-more"):
        st.session_state[Keys.SHOWN] = shown + 20
        st.rerun()

with tab_coverage:
    axis = st.segmented_control(
        "Rows",
        options=["practices", "purposes"],
        format_func=str.capitalize,
        key=Keys.COVERAGE_AXIS,
        required=True,
    )
    rows, cols, counts = coverage(found, lib, axis or "practices")
    st.caption(
        "How many of the tactics listed on the Tactics tab serve each "
        f"{(axis or 'practices')[:-1]}, by category. A dot is a gap."
    )
    fig = coverage_heatmap(rows, cols, counts, row_title=(axis or "practices")[:-1].capitalize())
    st.plotly_chart(fig, config={"displayModeBar": False})

with tab_validation:
    st.caption("Files read: " + ", ".join(f"`{f}`" for f in lib.files))
    if lib.problems:
        st.error(
            f"{len(lib.problems)} problem(s). Fix them in the files named, then reload the page; "
            "`planner validate` prints the same list.",
            icon=":material/error:",
        )
        st.code("\n".join(str(p) for p in lib.problems), language=None, wrap_lines=True)
    else:
        st.success("Every playbook file is valid.", icon=":material/check_circle:")
    if lib.overrides:
        st.markdown("**Overridden tactics**")
        for override in lib.overrides:
            st.markdown(f"- {override}")
