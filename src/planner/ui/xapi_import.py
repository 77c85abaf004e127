"""xAPI import on the Progress page: files as one batch, progress, and a choice on invalid ones."""

from __future__ import annotations

import io

import streamlit as st

from planner.domain.access import Permission
from planner.domain.limits import FILE_LIMITS, size_problem
from planner.errors import PlannerError
from planner.services.adoption import InvalidStatementsError, XapiImport, import_xapi
from planner.ui.data import actor, can, engine

REPORT = "xapi.report"  # the last import's report, kept on screen
INVALID = "xapi.invalid"  # (files, mapping, message) awaiting the user's choice


def _run(
    plan_id: str,
    files: list[tuple[str, bytes]],
    mapping: tuple[str, bytes] | None,
    *,
    replace: bool,
    skip_invalid: bool,
) -> None:
    bar = st.progress(0.0, text="Reading statements…")
    total_guess = max(1, sum(len(data) for _, data in files) // 400)

    def on_progress(count: int) -> None:
        bar.progress(min(count / total_guess, 1.0), text=f"{count:,} statements read…")

    try:
        result: XapiImport = import_xapi(
            engine(),
            plan_id,
            [(name, io.BytesIO(data)) for name, data in files],
            actor=actor(),
            mapping=mapping[1] if mapping else None,
            mapping_name=mapping[0] if mapping else None,
            replace=replace,
            skip_invalid=skip_invalid,
            on_progress=on_progress,
        )
    except InvalidStatementsError as exc:
        bar.empty()
        st.session_state[INVALID] = (files, mapping, replace, str(exc))
        st.rerun()
    except PlannerError as exc:
        bar.empty()
        st.error(str(exc), icon=":material/error:")
        return
    bar.empty()
    st.session_state[REPORT] = (result.describe(), result.details())
    st.toast("xAPI statements imported.", icon=":material/check:")
    st.rerun()


def upload_problems(files: list[tuple[str, int]], mapping: object | None) -> list[str]:
    """Files over their format's limit, and a batch over the xAPI limit in all, before any is
    read (the batch is held in memory while it is imported)."""
    problems = [f"{name}: {why}." for name, size in files if (why := size_problem(size, "xAPI"))]
    total = sum(size for _, size in files)
    if not problems and total > FILE_LIMITS["xAPI"]:
        problems.append(
            f"The files add up to {total / 1024 / 1024:,.1f} MB, over the "
            f"{FILE_LIMITS['xAPI'] // 1024 // 1024:,} MB an upload may hold; import them in "
            "several batches, or use `planner readings import`, which streams files of any size."
        )
    size = getattr(mapping, "size", 0)
    if mapping is not None and (why := size_problem(size, "mapping")):
        problems.append(f"{getattr(mapping, 'name', 'mapping')}: {why}.")
    return problems


def xapi_import(plan_id: str) -> None:
    st.markdown(
        "**xAPI statements** from a learning record store or community platform: JSON arrays, "
        "LRS StatementResult pages or JSON lines; several files are one batch. Identities are "
        "pseudonymised before anything is stored, and statements seen before are skipped."
    )
    pending = st.session_state.get(INVALID)
    if pending:
        files, mapping, replace, message = pending
        st.warning(message, icon=":material/rule:")
        left, right = st.columns(2)
        if left.button("Import the valid ones, keep this report", type="primary", key="xapi-skip"):
            st.session_state.pop(INVALID)
            _run(plan_id, files, mapping, replace=replace, skip_invalid=True)
        if right.button("Import nothing", key="xapi-cancel"):
            st.session_state.pop(INVALID)
            st.rerun()
    report = st.session_state.get(REPORT)
    if report:
        summary, details = report
        st.success(summary, icon=":material/check_circle:")
        if details:
            st.code("\n".join(details), language=None, wrap_lines=True)
    with st.form("xapi-import", clear_on_submit=True):
        uploads = st.file_uploader(
            "Statement files", type=["json", "jsonl", "ndjson"], accept_multiple_files=True
        )
        mapping = st.file_uploader(
            "Mapping rules (YAML; empty: the sample mapping)", type=["yaml", "yml"]
        )
        replace = st.checkbox(
            "Recompute the periods this batch touches from this batch alone (replace)"
        )
        if (
            st.form_submit_button(
                "Import statements",
                icon=":material/upload:",
                disabled=not can(Permission.READINGS_EDIT),
            )
            and uploads
        ):
            st.session_state.pop(REPORT, None)
            too_big = upload_problems([(u.name, u.size) for u in uploads], mapping)
            if too_big:
                st.error("\n\n".join(too_big), icon=":material/error:")
                return
            _run(
                plan_id,
                [(u.name, u.getvalue()) for u in uploads],
                (mapping.name, mapping.getvalue()) if mapping else None,
                replace=replace,
                skip_invalid=False,
            )
