"""A card per tactic: headline, tags, and its details on demand."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from planner.domain.catalog import duration_band
from planner.domain.playbook import Tactic
from planner.services.library import Library, metric_provenance

_EFFORT_BADGE = {"light": "green", "medium": "orange", "heavy": "red"}


def _titles(library: Library, kind: str, ids: list[str]) -> str:
    return ", ".join(library.taxonomy.title(kind, i) for i in ids)


def tactic_card(
    tactic: Tactic,
    library: Library,
    *,
    add: Callable[[Tactic], None] | None,
    add_label: str = "Add to plan",
) -> None:
    """`add`, when given, puts a button (labelled `add_label`) on the card that calls it."""
    tax = library.taxonomy
    with st.container(border=True):
        head, button = st.columns([2.6, 1], vertical_alignment="center")
        head.markdown(f"#### {tactic.title}")
        if add is not None and button.button(
            add_label, key=f"add-{tactic.id}", icon=":material/add:", width="stretch"
        ):
            add(tactic)
        with st.container(horizontal=True, gap="small"):
            st.badge(tax.title("categories", tactic.category), color="blue")
            st.badge(
                f"{tactic.effort} effort · {tactic.effort_hours_per_week:g} h/week",
                color=_EFFORT_BADGE[tactic.effort],  # type: ignore[arg-type]
            )
            st.badge(f"{tactic.duration_weeks} weeks", color="gray")
            if tactic.stage:
                st.badge(f"CoP stage: {tax.title('stages', tactic.stage)}", color="violet")
        st.write(tactic.summary)
        st.caption(
            f"**Purposes:** {_titles(library, 'purposes', tactic.purposes)}  \n"
            f"**Practices:** {_titles(library, 'practices', tactic.practices)}  \n"
            f"**For:** {_titles(library, 'audiences', tactic.audiences)} · "
            f"**Owner:** {tax.title('owner_roles', tactic.owner_role)}"
        )
        with st.expander(f"Details: {tactic.title}", key=f"details-{tactic.id}"):
            tactic_details(tactic, library)


def tactic_details(tactic: Tactic, library: Library) -> None:
    tax = library.taxonomy
    st.markdown("**Steps**")
    st.markdown("\n".join(f"- **Week {s.week + 1}:** {s.text}" for s in tactic.steps))
    st.markdown("**Metrics**")
    for m in tactic.metrics:
        response = f", answered within {m.response_hours:g} h" if m.response_hours else ""
        where = metric_provenance(m, tax)
        st.markdown(
            f"- **{m.name}**: target {m.target:,g} {m.unit}{response} · "
            f"{tax.title('directions', m.direction).lower()} · "
            f"measured {tax.title('cadences', m.cadence).lower()}, "
            f"combined by {tax.title('aggregations', m.aggregation).lower()} · "
            f"{tax.title('frameworks', m.framework)}  \n"
            f"  *How to measure:* {m.definition}"
            + (f"  \n  *Where the number comes from:* {where}" if where else "")
        )
    if tactic.outcomes:
        st.markdown(
            "**Business outcomes it is judged against:** "
            + "; ".join(tax.title("outcome_measures", o) for o in tactic.outcomes)
        )
    if tactic.prerequisites:
        names = [
            library.tactics[p].title if p in library.tactics else p for p in tactic.prerequisites
        ]
        st.markdown("**Do these first:** " + "; ".join(names))
    st.markdown("**References**")
    for ref in tactic.references:
        line = ref.cite()
        if ref.url:
            line = f"[{line}]({ref.url})"
        if ref.note:
            line += f" — {ref.note}"
        st.markdown(f"- {line}")
    source = library.sources.get(tactic.id)
    st.caption(
        f"Id `{tactic.id}` · {duration_band(tactic.duration_weeks)}"
        + (f" · from `{source.path}` line {source.line}" if source else "")
    )
