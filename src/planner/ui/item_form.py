"""The Plan page's edit-one-item form: every field of one item (owner, dates, status, stage,
notes, targets) in one place, read back as changes the save bar saves with the table's.

Streamlit widgets over plan records; names for ids come from planner.ui.item_table."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from planner.domain.planning import ITEM_STATUSES, PlanItem, Target
from planner.services import OpenPlan
from planner.ui.item_table import NOBODY, ItemNames


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
