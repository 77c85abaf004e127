"""The Playbooks page's search box and filters, turned into a TacticFilter."""

from __future__ import annotations

import streamlit as st

from planner.domain.catalog import DURATION_BANDS, SearchResult, TacticFilter, TagEntry
from planner.domain.library import Library
from planner.domain.playbook import EFFORT_BANDS
from planner.ui.state import Keys


def _multiselect(label: str, library: Library, kind: str, key: str) -> frozenset[str]:
    entries = getattr(library.taxonomy, kind)
    titles = {e.id: e.title for e in entries}
    chosen = st.multiselect(
        label,
        options=list(titles),
        format_func=lambda i: titles.get(i, i),
        key=key,
        placeholder="Any",
    )
    return frozenset(chosen)


def tactic_filter(library: Library) -> TacticFilter:
    text = st.text_input(
        "Search titles, summaries, steps, purposes and practices",
        key=Keys.SEARCH,
        placeholder="e.g. community of practice, mentoring, job aid, newcomers",
        icon=":material/search:",
    )
    cols = st.columns(3)
    with cols[0]:
        categories = _multiselect("Category", library, "categories", Keys.CATEGORIES)
        audiences = _multiselect("Audience", library, "audiences", Keys.AUDIENCES)
    with cols[1]:
        purposes = _multiselect("Purpose", library, "purposes", Keys.PURPOSES)
        efforts = st.multiselect(
            "Effort for the owner",
            options=[band for band, _ in EFFORT_BANDS],
            format_func=lambda b: {
                "light": "light (≤ 2 h/week)",
                "medium": "medium (≤ 5 h/week)",
            }.get(b, "heavy (> 5 h/week)"),
            key=Keys.EFFORTS,
            placeholder="Any",
        )
    with cols[2]:
        practices = _multiselect("Practice", library, "practices", Keys.PRACTICES)
        durations = st.multiselect(
            "Duration",
            options=[label for label, _, _ in DURATION_BANDS],
            key=Keys.DURATIONS,
            placeholder="Any",
        )
    return TacticFilter(
        text=text or "",
        categories=categories,
        purposes=purposes,
        practices=practices,
        audiences=audiences,
        efforts=frozenset(efforts),
        durations=frozenset(durations),
    )


def clear_filters() -> None:
    for key in (
        Keys.CATEGORIES,
        Keys.PURPOSES,
        Keys.PRACTICES,
        Keys.AUDIENCES,
        Keys.EFFORTS,
        Keys.DURATIONS,
    ):
        st.session_state[key] = []
    st.session_state[Keys.SEARCH] = ""


_FILTER_KEYS = {
    "categories": Keys.CATEGORIES,
    "purposes": Keys.PURPOSES,
    "practices": Keys.PRACTICES,
}


def _spell(text: str) -> None:
    st.session_state[Keys.SEARCH] = text


def _filter_by(entry: TagEntry) -> None:
    key = _FILTER_KEYS[entry.kind]
    st.session_state[key] = [*st.session_state.get(key, []), entry.entry_id]
    st.session_state[Keys.SEARCH] = ""


def search_hints(result: SearchResult) -> None:
    """ "Did you mean" and the purposes, practices and categories the words name, one click each."""
    if result.did_you_mean:
        st.button(
            f"Did you mean: **{result.did_you_mean}**?",
            key="did-you-mean",
            type="tertiary",
            icon=":material/spellcheck:",
            on_click=_spell,
            args=(result.did_you_mean,),
        )
    if result.filters:
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.caption(
                "Or filter by:" if result.tactics else "No tactic has all these words; filter by:",
                width="content",
            )
            for entry in result.filters:
                st.button(
                    entry.label,
                    key=f"suggest-{entry.kind}-{entry.entry_id}",
                    icon=":material/filter_alt:",
                    on_click=_filter_by,
                    args=(entry,),
                )
