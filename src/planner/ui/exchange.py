"""Downloads (review CSV, plan bundle) and imports (bundle or plan CSV) on the Plan page."""

from __future__ import annotations

import re
from datetime import date
from functools import partial

import streamlit as st

from planner.domain.access import Permission
from planner.errors import PlannerError
from planner.services import OpenPlan
from planner.services.exports import export_format, export_plan, report_formats
from planner.services.plan_import import import_file, looks_like_bundle
from planner.ui.data import actor, can, engine, set_active_plan
from planner.ui.layout import wrapping_row
from planner.ui.loaders import library


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "plan"


def downloads(view: OpenPlan) -> None:
    plan = view.plan
    with st.container(border=True):
        st.markdown("**Reports** as of a date: the same plan on the same date gives the same file")
        cols = st.columns([1, 2], vertical_alignment="bottom")
        as_of = cols[0].date_input("As of", value=date.today(), format="DD/MM/YYYY")
        excel = cols[1].checkbox("CSV for Excel (UTF-8 with BOM)", value=False)
        slug = _slug(plan.name)
        row = wrapping_row(gap="small")
        for report in report_formats():
            row.download_button(
                report.label,
                data=partial(export_plan, engine(), plan.id, report.name, as_of=as_of, excel=excel),
                file_name=f"{slug}-{as_of.isoformat()}.{report.extension}",
                mime=report.mime,
                icon=":material/download:",
                key=f"download-{report.extension}",
                on_click="ignore",
                help=report.purpose,
            )
    with st.container(border=True):
        st.markdown(
            "**Plan bundle**: everything about the plan in one file, to back it up or move it "
            "to another machine. It is a confidential backup: keep it where the plan's data may be."
        )
        bundle = export_format("bundle")
        st.download_button(
            bundle.label,
            data=partial(export_plan, engine(), plan.id, bundle.name),
            file_name=f"{slug}.{bundle.extension}",
            mime=bundle.mime,
            icon=":material/backup:",
            key="download-bundle",
            on_click="ignore",
        )


def uploads(view: OpenPlan) -> None:
    with st.form("import-file", clear_on_submit=True):
        st.markdown(
            "**Import** a plan bundle (restores a plan; a copy if it is already here) or a plan "
            "CSV (see the README for its columns)."
        )
        upload = st.file_uploader("Bundle or plan CSV", type=["json", "csv"])
        into = st.radio(
            "A plan CSV's items go to",
            ["a new plan named after the file", f"this plan: {view.plan.name}"],
            horizontal=True,
        )
        if (
            st.form_submit_button(
                "Import", icon=":material/upload:", disabled=not can(Permission.PLAN_EDIT)
            )
            and upload is not None
        ):
            data = upload.getvalue()
            to_this_plan = not into.startswith("a new") and not looks_like_bundle(data)
            try:
                imported = import_file(
                    engine(),
                    data,
                    actor=actor(),
                    tactics=library().tactics,
                    source=upload.name,
                    plan_id=view.plan.id if to_this_plan else None,
                )
            except PlannerError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            set_active_plan(imported.plan)
            st.toast(f"Imported into '{imported.plan.name}'.", icon=":material/check:")
            st.rerun()
