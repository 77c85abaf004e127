"""What the dashboard shows when its database cannot be opened: the problem, the fix, Retry."""

from __future__ import annotations

import streamlit as st

from planner.errors import PlannerError
from planner.ui.data import forget_engine

RETRY_KEY = "database-retry"


def _retry() -> None:
    forget_engine()  # the click's own rerun then opens the database afresh


def show_database_problem(exc: PlannerError) -> None:
    """The message for a database that cannot be reached or opened, and a Retry button."""
    st.title("The database is not available")
    st.error(str(exc), icon=":material/cloud_off:")
    st.markdown(
        "The dashboard reads its database URL from the `PLANNER_DATABASE_URL` environment "
        "variable, else from `[connections.planner]` in `.streamlit/secrets.toml` (on "
        "Streamlit Community Cloud: the app's **Settings → Secrets**), else it uses the "
        "SQLite file `data/planner.db`. Start the database server or correct the URL, then "
        "retry. Nothing you saved before is lost: the data stays in the database."
    )
    st.button("Retry", key=RETRY_KEY, type="primary", icon=":material/refresh:", on_click=_retry)
