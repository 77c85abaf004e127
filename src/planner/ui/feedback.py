"""What the user sees after one service call: the error as a message, or a confirming toast.

May import: streamlit, `planner.errors` and `planner.ui`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.ui.data import forget_plan_view


def attempt(action: Callable[[], Any], done: str) -> bool:
    """Run one service call; show a PlannerError as a message, confirm success with a toast."""
    try:
        action()
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return False
    forget_plan_view()
    st.toast(done, icon=":material/check:")
    return True
