"""A save refused because someone saved the plan first: their values against mine, and the two
ways on: reload at their version keeping my edits (those that do not clash), or discard mine.

The plan settings form and the items editor report a refused save here (`refused`); the Plan
page shows what is pending (`conflict_panel`) and the editors draw my kept edits over the newer
version (`carried_settings`, `carried_items`) until the next save.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import services
from planner.domain.planning import (
    REMOVED,
    FieldEdit,
    PlanItem,
    Target,
    compare_edits,
    default_targets,
    format_day,
    rebase_edits,
)
from planner.services import OpenPlan
from planner.ui import cached
from planner.ui.data import engine, forget_plan_view
from planner.ui.state import Keys

PLAN_LABELS = {
    "name": "Name",
    "start_date": "Starts",
    "review_cadence": "Review meetings",
    "lead_id": "Lead",
    "status": "Status",
    "description": "What it is for",
}
TARGET = "target:"  # FieldEdit.field of one metric's target: "target:<metric id>"
ITEM_LABELS = {
    "owner_id": "Owner",
    "team": "Team",
    "audience": "Audience",
    "pinned_start": "Pinned start",
    "duration_weeks": "Weeks",
    "status": "Status",
    "cop_stage": "Stage",
    "notes": "Notes",
    "targets": "Targets",
}


@dataclass(frozen=True)
class Conflict:
    """My refused edits: plan fields and item fields (id -> field -> my value), the plan as I
    opened it, and the message saying who saved what since."""

    base: OpenPlan
    message: str
    settings: dict[str, Any] = field(default_factory=dict)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Carried:
    """My edits re-applied over a newer version after "Reload and keep my edits"."""

    plan_id: str
    version: int
    settings: dict[str, Any]
    items: dict[str, dict[str, Any]]
    clashes: list[FieldEdit]
    titles: dict[str, str]
    kept: int  # how many of my field edits were put back


def refused(
    view: OpenPlan,
    message: str,
    *,
    settings: Mapping[str, Any] | None = None,
    items: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Remember a save refused by a ConflictError, with the edits it carried."""
    pending: Conflict | None = st.session_state.get(Keys.CONFLICT)
    if pending is None or pending.base.plan.id != view.plan.id:
        pending = Conflict(base=view, message=message)
    merged = Conflict(
        base=pending.base,
        message=message,
        settings=dict(settings) if settings is not None else pending.settings,
        items={k: dict(v) for k, v in items.items()} if items is not None else pending.items,
    )
    st.session_state[Keys.CONFLICT] = merged


def edits_against(conflict: Conflict, current: OpenPlan) -> list[FieldEdit]:
    """Every field I changed, with its value as I opened it, as saved since, and mine."""
    base_items = {i.id: i for i in conflict.base.items}
    now_items = {i.id: i for i in current.items}
    edits = compare_edits(
        conflict.base.plan.id, conflict.base.plan, current.plan, conflict.settings
    )
    for item_id, values in conflict.items.items():
        base, now = base_items.get(item_id), now_items.get(item_id)
        if base is None:
            continue
        plain = {k: v for k, v in values.items() if k != "targets"}
        edits += compare_edits(item_id, base, now, plain)
        # Targets one metric at a time: their edit to one metric does not clash with mine
        # to another, and metrics I left alone are not edits of mine.
        for target in values.get("targets", []):
            before = _target_of(base, target.metric_id)
            if before == target:
                continue
            theirs = REMOVED if now is None else _target_of(now, target.metric_id)
            edits.append(FieldEdit(item_id, f"{TARGET}{target.metric_id}", before, theirs, target))
    return edits


def _target_of(item: PlanItem, metric_id: str) -> Target | None:
    """The item's target for a metric, the metric's default when none was set."""
    found = item.target_for(metric_id)
    return found or next((t for t in default_targets(item) if t.metric_id == metric_id), None)


def _regroup(keep: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per-metric target edits back into each item's "targets" list."""
    out: dict[str, dict[str, Any]] = {}
    for item_id, values in keep.items():
        for name, value in values.items():
            if name.startswith(TARGET):
                out.setdefault(item_id, {}).setdefault("targets", []).append(value)
            else:
                out.setdefault(item_id, {})[name] = value
    return out


def conflict_panel(plan_id: str) -> None:
    """The pending refused save, if any: each field theirs against mine, and what to do."""
    conflict: Conflict | None = st.session_state.get(Keys.CONFLICT)
    if conflict is None or conflict.base.plan.id != plan_id:
        return
    current = services.open_plan(engine(), plan_id)
    edits = edits_against(conflict, current)
    with st.container(border=True):
        st.error(conflict.message, icon=":material/sync_problem:")
        st.markdown(
            f"**Your edits were not saved.** You opened version {conflict.base.plan.version}; "
            f"the plan is at version {current.plan.version} now. Theirs against yours:"
        )
        if edits:
            # A plain table: a handful of rows, readable and printable, nothing to scroll.
            st.table(edits_frame(edits, _titles(conflict.base, current)), hide_index=True)
        else:
            st.caption("You had not changed anything: reload to see their version.")
        buttons = st.container(horizontal=True)
        buttons.button(
            "Reload and keep my edits",
            type="primary",
            icon=":material/sync:",
            key="conflict-keep",
            on_click=reload_keeping_edits,
            help="Open the plan as it is now and put your edits back over it; edits that clash "
            "with theirs are listed, not re-applied.",
        )
        buttons.button(
            "Discard my edits",
            icon=":material/delete:",
            key="conflict-discard",
            on_click=discard_edits,
        )


def stale_notice(view: OpenPlan) -> None:
    """Say so when the plan on screen is older than the saved one (someone saved meanwhile,
    perhaps while I was on another page), before a save of mine is refused for it."""
    if st.session_state.get(Keys.CONFLICT) is not None:
        return  # the conflict panel says it already
    saved = next((p for p in cached.plans() if p.id == view.plan.id), None)
    if saved is None or saved.version <= view.plan.version:
        return
    with st.container(border=True):
        st.warning(
            f"{saved.updated_by or 'Someone'} saved this plan since you opened it: you are "
            f"looking at version {view.plan.version}, the saved one is version {saved.version}. "
            "Saving from here shows their values against yours first.",
            icon=":material/update:",
        )
        st.button(
            "Reload the plan",
            icon=":material/sync:",
            key="stale-reload",
            on_click=forget_plan_view,
            help="Open the saved version; edits not saved yet are dropped.",
        )


def carried_notice(view: OpenPlan) -> None:
    """After "Reload and keep my edits": what was put back, and what clashed and was not."""
    carried = _carried(view)
    if carried is None:
        return
    kept = carried.kept
    text = (
        f"Reloaded at version {view.plan.version} with {kept} of your edits put back: "
        "they are not saved yet."
        if kept
        else f"Reloaded at version {view.plan.version}: none of your edits could be put back."
    )
    st.info(text, icon=":material/sync:")
    if carried.clashes:
        st.warning(
            "Not put back, because they changed the same field:\n"
            + "\n".join(
                f"- {_where(e, carried.titles)} · {_label(e)}: theirs "
                f"**{shown(e.field, e.theirs)}**, yours was **{shown(e.field, e.mine)}**"
                for e in carried.clashes
            ),
            icon=":material/call_split:",
        )


def carried_settings(view: OpenPlan) -> dict[str, Any]:
    carried = _carried(view)
    return dict(carried.settings) if carried else {}


def carried_items(view: OpenPlan) -> dict[str, dict[str, Any]]:
    carried = _carried(view)
    return {k: dict(v) for k, v in carried.items.items()} if carried else {}


def reload_keeping_edits() -> None:
    """Open the plan as it is now, with my edits that do not clash put back over it."""
    conflict: Conflict | None = st.session_state.get(Keys.CONFLICT)
    if conflict is None:
        return
    current = services.open_plan(engine(), conflict.base.plan.id)
    keep, clashes = rebase_edits(edits_against(conflict, current))
    settings = keep.pop(current.plan.id, {})
    forget_plan_view()
    st.session_state[Keys.PLAN_VIEW] = current
    st.session_state[Keys.CARRIED] = Carried(
        plan_id=current.plan.id,
        version=current.plan.version,
        settings=settings,
        items=_regroup(keep),
        clashes=clashes,
        titles=_titles(conflict.base, current),
        kept=sum(len(v) for v in keep.values()) + len(settings),
    )


def discard_edits() -> None:
    forget_plan_view()


def edits_frame(edits: Sequence[FieldEdit], titles: Mapping[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Where": _where(e, titles),
                "Field": _label(e),
                "When you opened it": shown(e.field, e.base),
                "Theirs": shown(e.field, e.theirs),
                "Yours": shown(e.field, e.mine),
                "Outcome": _outcome(e),
            }
            for e in edits
        ],
        columns=["Where", "Field", "When you opened it", "Theirs", "Yours", "Outcome"],
    )


def shown(name: str, value: Any) -> str:
    """A field's value in users' words: names for people, 12 Jan 2027 for dates."""
    if value is REMOVED:
        return "(item removed)"
    if value is None or value == "":
        return "—"
    if name in ("owner_id", "lead_id"):
        return {p.id: p.name for p in cached.people()}.get(str(value), str(value))
    if isinstance(value, date):
        return format_day(value)
    if isinstance(value, Target):
        return _target(value)
    if name == "targets":
        return "; ".join(_target(t) for t in value) or "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _target(target: Target) -> str:
    due = f" by {format_day(target.due_date)}" if target.due_date else ""
    base = f", baseline {shown('value', float(target.baseline))}" if target.baseline else ""
    return f"{shown('value', float(target.value))}{due}{base}"


def _outcome(edit: FieldEdit) -> str:
    if edit.theirs is REMOVED:
        return "Clash: they removed the item"
    if edit.clash:
        return "Clash: both changed it; theirs stays"
    if edit.they_changed:
        return "Same as theirs"
    return "Only you changed it: kept"


def _label(edit: FieldEdit) -> str:
    if edit.field.startswith(TARGET):
        return f"Target: {edit.field.removeprefix(TARGET)}"
    return {**PLAN_LABELS, **ITEM_LABELS}.get(edit.field, edit.field)


def _where(edit: FieldEdit, titles: Mapping[str, str]) -> str:
    return titles.get(edit.entity_id, edit.entity_id)


def _titles(base: OpenPlan, current: OpenPlan) -> dict[str, str]:
    titles = {i.id: i.title for i in base.items}
    titles.update({i.id: i.title for i in current.items})
    titles[base.plan.id] = "Plan settings"
    return titles


def _carried(view: OpenPlan) -> Carried | None:
    carried: Carried | None = st.session_state.get(Keys.CARRIED)
    if carried is None or (carried.plan_id, carried.version) != (view.plan.id, view.plan.version):
        return None
    return carried
