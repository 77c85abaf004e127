"""Session-state keys in one place, with their defaults."""

from __future__ import annotations

from typing import Any

import streamlit as st


class Keys:
    SEARCH = "playbooks.search"
    CATEGORIES = "playbooks.categories"
    PURPOSES = "playbooks.purposes"
    PRACTICES = "playbooks.practices"
    AUDIENCES = "playbooks.audiences"
    EFFORTS = "playbooks.efforts"
    DURATIONS = "playbooks.durations"
    SHOWN = "playbooks.shown"
    COVERAGE_AXIS = "playbooks.coverage_axis"


DEFAULTS: dict[str, Any] = {
    Keys.SEARCH: "",
    Keys.CATEGORIES: [],
    Keys.PURPOSES: [],
    Keys.PRACTICES: [],
    Keys.AUDIENCES: [],
    Keys.EFFORTS: [],
    Keys.DURATIONS: [],
    Keys.SHOWN: 20,
    Keys.COVERAGE_AXIS: "practices",
}


def init_state() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
