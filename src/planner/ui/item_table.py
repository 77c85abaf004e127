"""The Plan page's items table around the editor: which columns show, filters, sorting, names
in place of ids, and a form with every field of one item.

The table shows the item column (pinned) and a few chosen columns, so it fits from 1024 px up;
the rest is one click away in the column chooser, and all of an item's fields are in the form.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import streamlit as st

from planner.domain.library import Library
from planner.domain.planning import ITEM_STATUSES, PlanItem, Target
from planner.services import OpenPlan
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


def _form_key(round_: int, item_id: str, name: str) -> str:
    return f"item-form-{round_}-{item_id}-{name}"


def item_form(
    view: OpenPlan,
    labels: dict[str, str],
    names: ItemNames,
    round_: int,
) -> dict[str, dict[str, Any]]:
    """Every field of one item; returns its changes, which the save bar saves with the table's."""
    titles = {i.id: i.title for i in view.items}
    with st.expander("Edit one item: every field", icon=":material/edit_note:"):
        picked = st.session_state.get("plan.form_item")
        item = next((i for i in view.items if i.id == picked), None)
        changes = _read_form(item, labels, names, round_) if item else {}
        item_id = st.selectbox(
            "Item",
            list(titles),
            index=None,
            format_func=lambda i: titles[i],
            key="plan.form_item",
            placeholder="Pick an item",
            disabled=bool(changes),
            help="Save or undo the changes below to pick another item.",
        )
        item = next((i for i in view.items if i.id == item_id), None)
        if item is None:
            st.caption("Pick an item to see and change all of its fields in one place.")
            return {}
        _draw_form(item, labels, names, round_)
        changes = _read_form(item, labels, names, round_)
        st.caption(
            "Changes here are saved with **Save changes** below, together with the table's."
            if changes
            else "No change to this item yet."
        )
        return {item.id: changes} if changes else {}


def _draw_form(item: PlanItem, labels: dict[str, str], names: ItemNames, round_: int) -> None:
    def key(name: str) -> str:
        return _form_key(round_, item.id, name)

    # An owner or stage the lists no longer have (a person erased, a stage a playbook dropped)
    # stays chosen as it is, so opening the form never changes the item.
    owners = list(labels) + (
        [item.owner_id] if item.owner_id and item.owner_id not in labels else []
    )
    stages = list(names.stages)
    if item.cop_stage and item.cop_stage not in stages:
        stages.append(item.cop_stage)
    if item.snapshot is not None:
        st.caption(f"Tactic: **{item.snapshot.title}** · {names.category_of(item)}")
    top = st.columns(3)
    top[0].selectbox(
        "Owner",
        owners,
        index=owners.index(item.owner_id) if item.owner_id in owners else None,
        format_func=lambda p: labels.get(p, p),
        placeholder=NOBODY,
        key=key("owner"),
    )
    top[1].selectbox(
        "Status",
        ITEM_STATUSES,
        index=list(ITEM_STATUSES).index(item.status),
        key=key("status"),
    )
    top[2].number_input(
        "Weeks", min_value=1, max_value=260, step=1, value=item.duration_weeks, key=key("weeks")
    )
    mid = st.columns(3)
    mid[0].text_input("Team", value=item.team, key=key("team"))
    mid[1].text_input("Audience", value=item.audience, key=key("audience"))
    mid[2].date_input(
        "Pinned start",
        value=item.pinned_start,
        format="DD/MM/YYYY",
        key=key("pinned"),
        help="Leave empty to let the schedule decide.",
    )
    st.selectbox(
        "Community stage",
        stages,
        index=stages.index(item.cop_stage) if item.cop_stage in stages else None,
        format_func=lambda s: names.stages.get(s, s),
        placeholder="Not a community item",
        key=key("stage"),
    )
    st.text_area("Notes", value=item.notes, height=100, key=key("notes"))
    if item.metrics:
        st.markdown("**Targets**")
        cols = st.columns(2)
        for k, metric in enumerate(item.metrics):
            cols[k % 2].number_input(
                f"{metric.name} ({metric.unit})",
                value=float(_target_of(item, metric.id, metric.target).value),
                key=key(f"target-{metric.id}"),
                help="Due dates and baselines: the Targets table.",
            )


def _target_of(item: PlanItem, metric_id: str, default: float) -> Target:
    return item.target_for(metric_id) or Target(metric_id=metric_id, value=default)


def _form_targets(item: PlanItem, round_: int) -> list[Target] | None:
    """Every target of the item when the form changed one of them, else None."""
    targets, changed = [], False
    for metric in item.metrics:
        now = _target_of(item, metric.id, metric.target)
        value = st.session_state.get(_form_key(round_, item.id, f"target-{metric.id}"))
        if value is not None and float(value) != float(now.value):
            changed = True
            now = replace(now, value=float(value))
        targets.append(now)
    return targets if changed else None


def _read_form(
    item: PlanItem, labels: dict[str, str], names: ItemNames, round_: int
) -> dict[str, Any]:
    """What the form's widgets hold that differs from the item (nothing before it is drawn)."""
    state = st.session_state
    fields = {
        "owner": "owner_id",
        "status": "status",
        "weeks": "duration_weeks",
        "team": "team",
        "audience": "audience",
        "pinned": "pinned_start",
        "stage": "cop_stage",
        "notes": "notes",
    }
    out: dict[str, Any] = {}
    for name, attr in fields.items():
        key = _form_key(round_, item.id, name)
        if key not in state:
            continue
        value = state[key]
        if attr == "duration_weeks" and value is not None:
            value = int(value)
        if isinstance(value, str) and attr in ("team", "audience", "notes"):
            value = value.strip()
        if value != getattr(item, attr):
            out[attr] = value
    targets = _form_targets(item, round_)
    if targets is not None:
        out["targets"] = targets
    return out
