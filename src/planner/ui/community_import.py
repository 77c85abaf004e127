"""Community tools' exports on the Progress page: upload, see what was recognised, then import.

Nothing is written until the user has seen, per file, the tool, the window and the rows, and
per figure the item, metric, period and value it becomes (people counts below 5 as "< 5"), and
clicked Import; a figure that would replace a stored reading is said so on the button.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import NamedTuple

import pandas as pd
import streamlit as st

from planner.domain.health import period_span
from planner.domain.planning import PlanItem, format_day
from planner.domain.privacy import suppress
from planner.errors import PlannerError
from planner.services.community import (
    AGGREGATE_FORMATS,
    SOURCE_LABELS,
    CommunityPreview,
    SavedMapping,
    Window,
    community_items,
    import_community_files,
    load_channel_mapping,
    mapping_to_save,
    preview_community_import,
    saved_channel_mapping,
)
from planner.ui.data import actor, engine
from planner.ui.upload_progress import UploadBar

PENDING = "community.pending"  # (files, item id, channel, window, preview, mapping) to import
REPORT = "community.report"  # the last import's summary, kept on screen
TO_SAVE = "community.to_save"  # (mapping the user chose, plan version seen) to save with the plan

BAR_FROM_BYTES = 1_000_000
"""Files at least this big (all uploads together) are read with a progress bar."""

_STATUS = {"new": "new", "unchanged": "unchanged (same value)", "replaces": "replaces"}


def _number(value: float | None, *, people: bool) -> str:
    shown = suppress(value, distinct_people=people)
    if shown is None:
        return ""
    if isinstance(shown, str):
        return shown
    return f"{shown:,.0f}" if float(shown).is_integer() else f"{shown:,.2f}".rstrip("0")


def preview_frame(preview: CommunityPreview) -> pd.DataFrame:
    """One row per figure: where it goes and what happens to the period's reading."""
    rows = []
    for r in preview.readings:
        happens = _STATUS[r.status]
        if r.status == "replaces":
            source = SOURCE_LABELS.get(r.existing_source or "", r.existing_source or "")
            old = _number(r.existing, people=r.distinct_people)
            happens = f"replaces {old}" + (f" ({source})" if source else "")
        rows.append(
            {
                "File": r.file,
                "Item": r.item_title,
                "Metric": r.metric_name,
                "Period": r.period,
                "Value": _number(r.value, people=r.distinct_people),
                "What happens": happens,
            }
        )
    return pd.DataFrame(rows, columns=["File", "Item", "Metric", "Period", "Value", "What happens"])


def _recognised(preview: CommunityPreview) -> None:
    for e in preview.exports:
        left_out = suppress(e.opted_out, distinct_people=True)
        parts = [
            f"**{e.file}**: {e.label}",
            f"{e.window.days:,} days, {format_day(e.window.start)} to {format_day(e.window.end)} "
            f"(from {e.window_from})",
            f"{e.rows:,} rows",
        ]
        if e.opted_out:
            parts.append(f"opted-out people left out: {left_out}")
        st.markdown(" · ".join(parts))


def _say(place: object, text: str) -> None:
    place.caption(text)  # type: ignore[attr-defined]


def _window(end: dt.date | None, days: int | None) -> Window | None:
    if end is None and days is None:
        return None
    if end is None or days is None:
        raise PlannerError("Give both the window's last day and its number of days, or neither.")
    return Window.ending(end, int(days))


def _import(plan_id: str, pending: tuple[object, ...], *, replace: bool) -> None:
    files, item_id, channel, window, _, mapping = pending
    try:
        done = import_community_files(
            engine(),
            plan_id,
            [(name, io.BytesIO(data)) for name, data in files],  # type: ignore[attr-defined]
            actor=actor(),
            item_id=item_id,  # type: ignore[arg-type]
            channel=channel,  # type: ignore[arg-type]
            window=window,  # type: ignore[arg-type]
            mapping=mapping,  # type: ignore[arg-type]
            replace=replace,
        )
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state.pop(PENDING, None)
    st.session_state[REPORT] = done.describe()
    st.toast("Community figures imported.", icon=":material/check:")
    st.rerun()


def community_import(plan_id: str, items: list[PlanItem]) -> None:
    """Upload, preview, (save the channel mapping,) import: one section of the Progress page."""
    st.markdown(
        "**Community tool exports**: the analytics CSV an admin downloads from Microsoft Teams "
        "(user activity), Viva Engage (activity user detail, groups activity), Slack (member or "
        "channel analytics) or Discourse (admin reports, user list), as it comes. The figures "
        "(members, active members, contributors, time to first response, questions) become "
        "readings of a community item for the week or month holding the file's last day. "
        "Names, e-mails and user ids are never stored."
    )
    report = st.session_state.get(REPORT)
    if report:
        st.success(report, icon=":material/check_circle:")
    candidates = community_items(items)
    if not candidates:
        st.info(
            "No item takes community-health readings yet: add a community-of-practice tactic "
            "on the Plan page, then come back with its tool's export."
        )
        return
    saved = saved_channel_mapping(engine(), plan_id)
    _saved_mapping(plan_id, saved, {i.id: i.title for i in items})
    upload = _upload_form({i.id: i.title for i in candidates})
    if upload is not None:
        st.session_state.pop(REPORT, None)
        if not upload.files:
            st.warning("Choose one or more export files first.", icon=":material/upload_file:")
        else:
            _preview(plan_id, items, saved, upload)
    pending = st.session_state.get(PENDING)
    if pending:
        _pending(plan_id, items, pending)


class _Upload(NamedTuple):
    """What the preview form was submitted with."""

    files: list[object]
    item_id: str | None
    channel: str | None
    mapping_file: object | None
    end: dt.date | None
    days: int | None


def _upload_form(titles: dict[str, str]) -> _Upload | None:
    """The form of files, item, channel, mapping and window; what it holds once submitted."""
    with st.form("community-preview"):
        uploads = st.file_uploader(
            "Export files (CSV)", type=["csv"], accept_multiple_files=True, key="community.files"
        )
        item_id = st.selectbox(
            "Item the figures go to", list(titles), format_func=titles.__getitem__
        )
        channel = st.text_input(
            "Channel, group or category",
            help="For a Slack channel analytics or Viva Engage groups file with several rows.",
        )
        mapping_file = st.file_uploader(
            "Or a channel mapping (YAML lines `channel name: item id`)",
            type=["yaml", "yml"],
            key="community.mapping",
            help="Sends each channel or group of a per-community file to its own item.",
        )
        left, right = st.columns(2)
        end = left.date_input(
            "Window's last day (Slack files renamed)", value=None, format="DD/MM/YYYY"
        )
        days = right.number_input("Days in the window", min_value=1, value=None, step=1)
        submitted = st.form_submit_button("Preview", icon=":material/preview:")
    if not submitted:
        return None
    return _Upload(
        list(uploads or []),
        item_id,
        channel.strip() or None,
        mapping_file,
        end,
        int(days) if days is not None else None,
    )


def _preview(plan_id: str, items: list[PlanItem], saved: SavedMapping, upload: _Upload) -> None:
    """Read the uploads and keep what an import would write (or say why not)."""
    files = [(u.name, u.getvalue()) for u in upload.files]  # type: ignore[attr-defined]
    status = st.empty()
    streams = [(name, io.BytesIO(data)) for name, data in files]
    bar = UploadBar(streams) if sum(len(d) for _, d in files) >= BAR_FROM_BYTES else None
    st.session_state.pop(TO_SAVE, None)
    mapping_file = upload.mapping_file
    try:
        window = _window(upload.end, upload.days)
        given = (
            load_channel_mapping(
                mapping_file.getvalue(),  # type: ignore[attr-defined]
                items,
                name=mapping_file.name,  # type: ignore[attr-defined]
            )
            if mapping_file is not None
            else None
        )
        mapping = given if given is not None else (saved.mapping or None)
        preview = preview_community_import(
            engine(),
            plan_id,
            streams,
            item_id=upload.item_id,
            channel=upload.channel,
            window=window,
            mapping=mapping,
            on_file=lambda name: _say(status, f"Reading {name}…"),
            on_progress=(
                bar.update
                if bar is not None
                else lambda name, n: _say(status, f"{name}: {n:,} rows read…")
            ),
        )
    except PlannerError as exc:
        status.empty()
        if bar is not None:
            bar.place.empty()
        st.session_state.pop(PENDING, None)
        st.error(str(exc), icon=":material/error:")
        return
    status.empty()
    if bar is not None:
        bar.done(preview)
    to_save = mapping_to_save(
        saved, preview.exports, mapping=given, channel=upload.channel, item_id=upload.item_id
    )
    if to_save is not None:
        from planner import services

        version = services.get_plan(engine(), plan_id).version
        st.session_state[TO_SAVE] = (to_save, version)
    st.session_state[PENDING] = (files, upload.item_id, upload.channel, window, preview, mapping)


def _pending(plan_id: str, items: list[PlanItem], pending: tuple[object, ...]) -> None:
    """The preview kept: what was recognised, the readings, and Import or Import nothing."""
    shown: CommunityPreview = pending[4]  # type: ignore[assignment]
    with st.container(border=True):
        st.markdown("**What was recognised** (nothing is written until you import)")
        _recognised(shown)
        if shown.readings:
            st.dataframe(preview_frame(shown), hide_index=True, width="stretch")
        for note in shown.skipped:
            st.caption(f"Skipped: {note}")
        _aggregate_note(shown)
        _offer_to_save(plan_id, {i.id: i.title for i in items})
        replaces = shown.replaces
        if replaces:
            n = len(replaces)
            st.warning(
                f"{n} reading{'s' if n != 1 else ''} already there for the same period will be "
                "replaced.",
                icon=":material/published_with_changes:",
            )
        go, cancel = st.columns(2)
        label = (
            f"Import and replace {len(replaces)}"
            if replaces
            else f"Import {len(shown.readings)} reading(s)"
        )
        if go.button(label, type="primary", key="community-import", disabled=not shown.readings):
            _import(plan_id, pending, replace=bool(replaces))
        if cancel.button("Import nothing", key="community-cancel"):
            st.session_state.pop(PENDING, None)
            st.rerun()


def _saved_mapping(plan_id: str, saved: SavedMapping, titles: dict[str, str]) -> None:
    """The channel mapping saved with the plan, used for per-community files unless another
    is given, and a way to forget it."""
    if not saved:
        return
    listed = "; ".join(f"{name} → {titles.get(i, i)}" for name, i in saved.entries[:8])
    more = len(saved.entries) - 8
    st.caption(
        f"**Saved channel mapping** (used for channel and group files unless you give "
        f"another): {listed}" + (f" and {more:,} more" if more > 0 else "")
    )
    if st.button("Forget the saved mapping", key="community-forget-mapping"):
        _save_mapping(plan_id, {}, None, done="Channel mapping forgotten.")


def _save_mapping(plan_id: str, mapping: dict[str, str], version: int | None, *, done: str) -> None:
    from planner import services

    try:
        if version is None:
            version = services.get_plan(engine(), plan_id).version
        services.save_channel_mapping(
            engine(), plan_id, mapping, expected_version=version, actor=actor()
        )
    except PlannerError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state.pop(TO_SAVE, None)
    st.toast(done, icon=":material/check:")
    st.rerun()


def _offer_to_save(plan_id: str, titles: dict[str, str]) -> None:
    """When the user chose a channel mapping for this import (a mapping file, or a channel for
    an item), offer to save it with the plan, so next month's file needs no choice."""
    pending = st.session_state.get(TO_SAVE)
    if not pending:
        return
    mapping, version = pending
    listed = "; ".join(f"{name} → {titles.get(i, i)}" for name, i in list(mapping.items())[:8])
    st.caption(f"Mapping chosen: {listed}")
    if st.button(
        "Save this mapping with the plan", key="community-save-mapping", icon=":material/save:"
    ):
        _save_mapping(plan_id, mapping, version, done="Channel mapping saved with the plan.")


def _aggregate_note(preview: CommunityPreview) -> None:
    """Per-community files hold counts, not people: nobody on the opt-out list can be taken
    out of them, and the page says so."""
    counts = [e for e in preview.exports if e.format_id in AGGREGATE_FORMATS]
    if counts:
        names = ", ".join(e.file for e in counts)
        st.info(
            f"{names}: totals per channel, group or day, not people, so people on the "
            "opt-out list cannot be left out of these figures: they count as the tool counted "
            "them. Only per-person files (Teams, Viva Engage users, Slack members, Discourse "
            "user list) leave opted-out people out.",
            icon=":material/info:",
        )


_HISTORY_METRICS = (
    ("members", "Members"),
    ("active-members", "Active members"),
    ("contributors", "Contributors"),
    ("questions", "Questions"),
    ("median-hours-to-first-response", "Median hours to first response"),
)
_SOURCE_NAMES = {"manual": "by hand", "csv": "CSV", "xapi": "xAPI", **SOURCE_LABELS}


def history_frame(readings: list[object], as_of: dt.date, *, periods: int = 8) -> pd.DataFrame:
    """The latest periods' health figures side by side, each with the tool it came from, so a
    community that moved tools keeps one history (counts of people below 5 as "< 5")."""
    table: dict[str, dict[str, str]] = {}
    for r in readings:
        metric_id = getattr(r, "metric_id", "")
        if metric_id not in dict(_HISTORY_METRICS) or getattr(r, "date", as_of) > as_of:
            continue
        people = metric_id in ("members", "active-members", "contributors")
        value = _number(getattr(r, "value", None), people=people)
        source = _SOURCE_NAMES.get(getattr(r, "source", ""), getattr(r, "source", ""))
        table.setdefault(getattr(r, "period", ""), {})[metric_id] = f"{value} ({source})"
    columns = ["Period", *(label for _, label in _HISTORY_METRICS)]

    def newest(period: str) -> tuple[dt.date, dt.date, str]:
        # by the period's days: as text, 2026-W49 would sort after 2026-12
        span = period_span(period) or (dt.date.min, dt.date.min)
        return span[1], span[0], period

    rows = [
        {"Period": period, **{label: table[period].get(m, "") for m, label in _HISTORY_METRICS}}
        for period in sorted(table, key=newest, reverse=True)[:periods]
    ]
    return pd.DataFrame(rows, columns=columns)


def community_history(plan_id: str, item: PlanItem, as_of: dt.date) -> None:
    """Under a community's health panel: its figures per period with their sources."""
    from planner.services import readings

    frame = history_frame(list(readings.list_readings(engine(), plan_id, item_id=item.id)), as_of)
    if frame.empty:
        return
    with st.expander(f"History of {item.title}, with sources", expanded=False):
        st.dataframe(frame, hide_index=True, width="stretch")
