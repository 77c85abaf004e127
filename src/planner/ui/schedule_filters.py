"""The Schedule page's filters and colouring choice."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from planner.domain.planning import ITEM_STATUSES
from planner.domain.schedule import NO_OWNER, ScheduleItem
from planner.ui.loaders import library
from planner.ui.state import Keys

MAX_GANTT_ROWS = 80


def gantt_filters(
    items: list[ScheduleItem],
) -> tuple[Literal["owner", "status"], list[str | None] | None, list[str] | None, list[str] | None]:
    owners = {i.owner_id: i.owner_label for i in items}
    categories = sorted({i.category for i in items})
    tax = library().taxonomy
    cols = st.columns(4)
    color = cols[0].segmented_control(
        "Colour by", ["status", "owner"], key=Keys.GANTT_COLOR, format_func=str.capitalize,
        required=True,
    )  # fmt: skip
    chosen_owners = cols[1].multiselect(
        "Owner",
        list(owners),
        format_func=lambda o: owners.get(o, NO_OWNER),
        key=Keys.GANTT_OWNERS,
        placeholder="Everyone",
    )
    chosen_statuses = cols[2].multiselect(
        "Status", list(ITEM_STATUSES), key=Keys.GANTT_STATUSES, placeholder="Any"
    )
    chosen_categories = cols[3].multiselect(
        "Category",
        categories,
        format_func=lambda c: "Custom" if c == "custom" else tax.title("categories", c),
        key=Keys.GANTT_CATEGORIES,
        placeholder="Any",
    )
    return (
        "owner" if color == "owner" else "status",
        chosen_owners or None,
        chosen_statuses or None,
        chosen_categories or None,
    )
