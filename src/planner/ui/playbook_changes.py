"""The playbook's changes to a plan's items: what changed in each item's tactic since it was
added, and the button that updates the item to the playbook's version.

May import: streamlit, `planner.services`, `planner.domain` and `planner.ui`.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.planning import outdated_items
from planner.services import OpenPlan
from planner.ui.data import actor, can, engine
from planner.ui.feedback import attempt
from planner.ui.loaders import library
from planner.ui.state import Keys


def outdated_notices(view: OpenPlan) -> None:
    """Items whose playbook tactic changed since they were added: the differences, an update."""
    lib = library()
    titles = {i.id: i for i in view.items}
    # Comparing every snapshot with the library is linear in the plan: once per opened version.
    key = (view.plan.id, view.plan.version, id(lib))
    memo = st.session_state.get(Keys.OUTDATED)
    if memo is None or memo[0] != key:
        memo = (key, outdated_items(view.items, lib.tactics))
        st.session_state[Keys.OUTDATED] = memo
    for item_id, changes in memo[1].items():
        item = titles[item_id]
        with st.expander(f"The playbook changed ‘{item.title}’ since it was added", icon="🔄"):
            st.markdown("\n".join(f"- {change}" for change in changes))
            if st.button(
                "Update it to the playbook's version",
                key=f"refresh-{item.id}",
                disabled=not can(Permission.PLAN_EDIT),
            ):
                tactic = lib.tactic(item.tactic_id or "")
                if attempt(
                    partial(
                        services.refresh_item_from_tactic,
                        engine(),
                        view.plan.id,
                        item.id,
                        tactic,
                        expected_version=view.plan.version,
                        actor=actor(),
                    ),
                    "Item updated.",
                ):
                    st.rerun()
