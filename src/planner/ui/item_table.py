"""The Plan page's items table around the editor: which columns show, filters, sorting, and
names in place of ids (every field of one item is in planner.ui.item_form).

The table shows the item column (pinned) and a few chosen columns, so it fits from 1024 px up;
the rest is one click away in the column chooser, and all of an item's fields are in the form.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from planner.domain.library import Library
from planner.domain.planning import ITEM_STATUSES, PlanItem
from planner.ui.layout import column_picker

# Every column but the item, in the order they appear; the default fits next to the item
# column in the ~670 px a 1024 px window leaves beside the sidebar.
OPTIONAL_COLUMNS = (
    "Owner",
    "Status",
    "Starts",
    "Ends",
    "Weeks",
    "Team",
    "Audience",
    "Category",
    "Pinned start",
    "Stage",
    "Notes",
)
DEFAULT_COLUMNS = ("Owner", "Status", "Starts")
SORTS = ("Plan order", "Item", "Owner", "Status", "Starts", "Ends", "Weeks", "Category")
NOBODY = "Nobody yet"
MAX_EDITOR_ROWS = 100

COLUMNS_KEY = "plan.columns"  # the chosen columns, kept while the user visits other pages
FILTER_KEYS = {
    "owners": "plan.filter.owners",
    "statuses": "plan.filter.statuses",
    "categories": "plan.filter.categories",
    "words": "plan.item_search",
    "sort": "plan.sort",
    "reverse": "plan.sort_reverse",
}


@dataclass(frozen=True)
class ItemNames:
    """Titles for the ids an item carries (category, community stage)."""

    categories: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, library: Library) -> ItemNames:
        tax = library.taxonomy
        return cls(
            categories={c.id: c.title for c in tax.categories},
            stages={s.id: s.title for s in tax.stages},
        )

    def category_of(self, item: PlanItem) -> str:
        if item.snapshot is None:
            return "Custom"
        return self.categories.get(item.snapshot.category, item.snapshot.category)

    def stage_id(self, title: Any) -> Any:
        by_title = {t: i for i, t in self.stages.items()}
        return by_title.get(title, title)


@dataclass(frozen=True)
class ItemFilter:
    owners: tuple[str, ...] = ()  # owner labels; NOBODY for items without one
    statuses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    sort: str = "Plan order"
    reverse: bool = False

    @property
    def signature(self) -> str:
        """'' for the plan as it is (the editor keeps its plain key), else what narrows it."""
        if self == ItemFilter():
            return ""
        return f"{zlib.crc32(repr(self).encode()):08x}"


def filter_frame(frame: pd.DataFrame, how: ItemFilter) -> pd.DataFrame:
    """The rows of the items frame that match, sorted as asked (pure; tested without Streamlit)."""
    keep = pd.Series(True, index=frame.index)
    if how.owners:
        owner = frame["Owner"].fillna(NOBODY)
        keep &= owner.isin(how.owners)
    if how.statuses:
        keep &= frame["Status"].isin(how.statuses)
    if how.categories:
        keep &= frame["Category"].isin(how.categories)
    if how.words:
        text = (
            frame[["Item", "Owner", "Team", "Audience", "Category", "Notes"]]
            .fillna("")
            .astype(str)
            .agg(" ".join, axis=1)
            .str.lower()
        )
        for word in how.words:
            keep &= text.str.contains(word, regex=False)
    out = frame[keep]
    if how.sort != "Plan order":
        column = out[how.sort]
        if how.sort == "Status":
            column = column.map({s: k for k, s in enumerate(ITEM_STATUSES)})
        elif column.dtype == object:
            column = column.fillna("").astype(str).str.lower()
        order = column.sort_values(
            ascending=not how.reverse, kind="stable", na_position="last"
        ).index
        out = out.loc[order]
    elif how.reverse:
        out = out.iloc[::-1]
    return out


def chosen_columns(*, locked: bool) -> list[str]:
    return column_picker(
        COLUMNS_KEY,
        OPTIONAL_COLUMNS,
        DEFAULT_COLUMNS,
        disabled=locked,
        help="The item column always shows. Every field of an item is also in the form below.",
    )


def item_filter(frame: pd.DataFrame, *, locked: bool) -> ItemFilter:
    """The filter row: owner, status, category, words, and the sort order."""
    owners = sorted({str(o) for o in frame["Owner"].dropna()})
    if frame["Owner"].isna().any():
        owners.append(NOBODY)
    categories = sorted(set(frame["Category"]))
    cols = st.columns([2, 2, 2, 3])
    picked_owners = cols[0].multiselect(
        "Owned by", owners, key=FILTER_KEYS["owners"], placeholder="Anyone", disabled=locked
    )
    statuses = cols[1].multiselect(
        "With status",
        ITEM_STATUSES,
        key=FILTER_KEYS["statuses"],
        placeholder="Any",
        disabled=locked,
    )
    picked_categories = cols[2].multiselect(
        "In category",
        categories,
        key=FILTER_KEYS["categories"],
        placeholder="Any",
        disabled=locked,
    )
    words = cols[3].text_input(
        "Find",
        key=FILTER_KEYS["words"],
        placeholder="title, owner, team, audience, notes",
        disabled=locked,
    )
    sort_col, reverse_col, _ = st.columns([3, 2, 4], vertical_alignment="bottom")
    sort = sort_col.selectbox("Sort by", SORTS, key=FILTER_KEYS["sort"], disabled=locked)
    reverse = reverse_col.toggle("Reverse order", key=FILTER_KEYS["reverse"], disabled=locked)
    return ItemFilter(
        owners=tuple(picked_owners),
        statuses=tuple(statuses),
        categories=tuple(picked_categories),
        words=tuple(words.lower().split()),
        sort=sort,
        reverse=reverse,
    )


def has_pending_edits(editor_key: str) -> bool:
    state = st.session_state.get(editor_key) or {}
    return bool(state.get("edited_rows"))
