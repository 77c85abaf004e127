"""Entering numbers: a grid per item, and a readings CSV; replacing asks first."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.domain.periods import CADENCES, period_of
from planner.domain.planning import PlanItem, format_day
from planner.domain.readings import ReadingInput, ReadingsExistError
from planner.errors import PlannerError
from planner.services import readings
from planner.ui.data import actor, can, engine
from planner.ui.layout import WRAPPED_ROW, wrapped_height

PENDING = "readings.pending"  # (description, callable that saves with replace=True)


def _save(save: Callable[[Any], Any], what: str) -> None:
    """Save without replacing; on clashes keep a confirmation pending instead."""
    try:
        done = save(False)
    except ReadingsExistError as exc:
        # Confirming replaces exactly the values shown; one changed since is a conflict.
        seen = exc.seen
        st.session_state[PENDING] = (
            str(exc),
            lambda confirm: save(seen if confirm else False),
            what,
        )
        st.rerun()
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state["readings.round"] = st.session_state.get("readings.round", 0) + 1
    st.toast(f"{what}: {_summary(done)}", icon=":material/check:")
    st.rerun()


def _summary(done: Any) -> str:
    parts = [
        f"{getattr(done, name)} {label}"
        for name, label in (
            ("created", "new"),
            ("replaced", "replaced"),
            ("unchanged", "unchanged"),
        )
        if getattr(done, name, 0)
    ]
    return ", ".join(parts) or "nothing to change"


def confirm_replace() -> None:
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    message, save, what = pending
    with st.container(border=True):
        st.warning(message, icon=":material/published_with_changes:")
        left, right = st.columns(2)
        if left.button("Replace them", type="primary", key="readings-replace"):
            st.session_state.pop(PENDING)
            try:
                done = save(True)
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            st.session_state["readings.round"] = st.session_state.get("readings.round", 0) + 1
            st.toast(f"{what}: {_summary(done)}", icon=":material/check:")
            st.rerun()
        if right.button("Keep the old readings", key="readings-keep"):
            st.session_state.pop(PENDING)
            st.rerun()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def metric_guide(item: PlanItem, today: date) -> pd.DataFrame:
    """Each metric of the item: name and unit, cadence, what one reading covers, and the
    period today falls into."""
    return pd.DataFrame(
        [
            {
                "Metric": f"{m.name} ({m.unit})",
                "Cadence": m.cadence,
                "Readings": readings.cadence_rule(m.cadence),
                "This period": readings.period_label(period_of(today, m.cadence))
                if m.cadence in CADENCES
                else "—",
            }
            for m in item.metrics
        ]
    )


def grid_rows(item: PlanItem, edited: pd.DataFrame) -> list[tuple[ReadingInput, str]]:
    """The grid's complete rows as readings, each with the period it will be filed under (and,
    for a second row in one period, which row it clashes with)."""
    by_label = {readings.metric_label(m): m for m in item.metrics}
    found: list[tuple[ReadingInput, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, (_, r) in enumerate(edited.iterrows(), start=1):
        if _blank(r["Metric"]) or _blank(r["Date"]) or _blank(r["Value"]):
            continue
        metric = by_label.get(str(r["Metric"]))
        metric_id = metric.id if metric is not None else str(r["Metric"])
        day = r["Date"] if isinstance(r["Date"], date) else pd.Timestamp(r["Date"]).date()
        reading = ReadingInput(
            item.id, metric_id, day, float(r["Value"]), "" if _blank(r["Note"]) else str(r["Note"])
        )
        period = "—"
        if metric is not None and metric.cadence in CADENCES:
            filed = period_of(day, metric.cadence)
            period = f"{readings.period_label(filed)}, {metric.cadence}"
            first = seen.setdefault((metric_id, filed.key), number)
            if first != number:
                period += f": same period as row {first} ({readings.cadence_rule(metric.cadence)})"
        found.append((reading, period))
    return found


def readings_grid(plan_id: str, items: list[PlanItem]) -> None:
    measured = [i for i in items if i.metrics]
    if not measured:
        st.info("No item of this plan has metrics yet.")
        return
    titles = {i.id: i.title for i in measured}
    item_id = st.selectbox(
        "Item", list(titles), format_func=lambda i: titles[i], key="readings.item"
    )
    item = next(i for i in measured if i.id == item_id)
    names = {m.id: readings.metric_label(m) for m in item.metrics}
    _guide_table(item)
    stored = readings.list_readings(engine(), plan_id, item_id=item.id)
    st.caption(
        f"{len(stored)} reading(s) stored for this item. Add rows below (one per metric and "
        "period of its cadence: a date is filed under the period that contains it); a reading "
        "for a period that already has one replaces it only after you confirm."
    )
    if stored:
        _stored_table(item, names, stored)
    rows = _new_rows(item, names)
    if st.button(
        f"Save {len(rows)} reading(s)",
        type="primary",
        disabled=not rows or not can(Permission.READINGS_EDIT),
        key="readings-save",
    ):
        _save(
            lambda replace: readings.record_readings(
                engine(), plan_id, rows, actor=actor(), replace=replace
            ),
            "Readings saved",
        )


def _guide_table(item: PlanItem) -> None:
    """The item's metrics: what a reading of each covers, and the period today falls into."""
    guide = metric_guide(item, date.today())
    st.dataframe(
        guide,
        hide_index=True,
        height=wrapped_height(len(guide)),
        row_height=WRAPPED_ROW,
        column_config={
            "Metric": st.column_config.TextColumn(width=200, pinned=True),
            "Cadence": st.column_config.TextColumn(width=80),
            "Readings": st.column_config.TextColumn(width=150),
            "This period": st.column_config.TextColumn(width=150),
        },
    )


def _stored_table(item: PlanItem, names: dict[str, str], stored: list[Any]) -> None:
    """The item's stored readings, newest first (at most 200)."""
    cadences = {m.id: m.cadence for m in item.metrics}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Metric": names.get(r.metric_id, r.metric_id),
                    "Period": readings.period_label(period_of(r.date, cadences[r.metric_id]))
                    if cadences.get(r.metric_id) in CADENCES
                    else r.period,
                    "Date": format_day(r.date),
                    "Value": r.value,
                    "Source": r.source,
                    "Note": r.note,
                }
                for r in sorted(stored, key=lambda r: r.date, reverse=True)[:200]
            ]
        ),
        hide_index=True,
        height=wrapped_height(len(stored), limit=320),
        row_height=WRAPPED_ROW,
        column_config={
            "Metric": st.column_config.TextColumn(width=180, pinned=True),
            "Period": st.column_config.TextColumn(width=120),
            "Date": st.column_config.TextColumn(width=90),
            "Value": st.column_config.NumberColumn(width=60),
            "Source": st.column_config.TextColumn(width=70),
            "Note": st.column_config.TextColumn(width=110),
        },
    )


def _new_rows(item: PlanItem, names: dict[str, str]) -> list[ReadingInput]:
    """The grid to add readings in, and where its complete rows go; returns those rows."""
    blank = pd.DataFrame(
        {"Metric": pd.Series([], dtype="object"), "Date": pd.Series([], dtype="object"),
         "Value": pd.Series([], dtype="float"), "Note": pd.Series([], dtype="object")}
    )  # fmt: skip
    edited = st.data_editor(
        blank,
        key=f"readings-grid-{item.id}-{st.session_state.get('readings.round', 0)}",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "Metric": st.column_config.SelectboxColumn(
                options=list(names.values()),
                required=True,
                help="Name (unit, cadence): one reading per period of the cadence.",
            ),
            "Date": st.column_config.DateColumn(
                format="D MMM YYYY",
                required=True,
                help="Filed under the period of the metric's cadence that contains it.",
            ),
            "Value": st.column_config.NumberColumn(required=True),
            "Note": st.column_config.TextColumn(width="medium"),
        },
    )
    checked = grid_rows(item, edited)
    if checked:
        st.caption("Where the new readings go:")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Metric": names.get(r.metric_id, r.metric_id),
                        "Date": format_day(r.date),
                        "Value": r.value,
                        "Period": period,
                    }
                    for r, period in checked
                ]
            ),
            hide_index=True,
        )
    return [reading for reading, _ in checked]


def readings_csv(plan_id: str, items: list[PlanItem]) -> None:
    st.markdown(
        "**Readings CSV**: columns `item` (an item id, or a tactic id when the plan has one item "
        "for it), `metric`, `date` (YYYY-MM-DD), `value`, `note`. All or nothing."
    )
    if items:
        st.download_button(
            "Download a template",
            data=partial(
                readings.readings_csv_template, services.get_plan(engine(), plan_id), items
            ),
            file_name="readings-template.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="readings-template",
        )
    with st.form("readings-csv", clear_on_submit=True):
        upload = st.file_uploader("Readings CSV", type=["csv"])
        if (
            st.form_submit_button(
                "Import readings",
                icon=":material/upload:",
                disabled=not can(Permission.READINGS_EDIT),
            )
            and upload
        ):
            data, name = upload.getvalue(), upload.name
            _save(
                lambda replace: readings.import_readings_csv(
                    engine(), plan_id, data, actor=actor(), replace=replace, source_name=name
                ),
                f"Imported {name}",
            )
