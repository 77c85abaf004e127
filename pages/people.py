"""People: everyone who can own plan items, with their team and weekly capacity."""

import pandas as pd
import streamlit as st

from planner import services
from planner.domain.access import Permission
from planner.ui.data import can, engine, read_only_note
from planner.ui.people import add_person_form, privacy_tools, save_people_edits
from planner.ui.shell import require_router

require_router()

st.title("People")
st.caption("Everyone who can own items, shared by all plans, so workload adds up across plans.")

opened = services.open_people(engine())
people = opened.people
# The version of each person as this grid round first drew them, kept across reruns until it
# saves: an edit made by someone else meanwhile is then a conflict, not overwritten.
versions = st.session_state.setdefault(
    f"people.versions-{st.session_state.get('people.round', 0)}", {}
)
for person_id, version in opened.versions.items():
    versions.setdefault(person_id, version)
if not people:
    st.info("Nobody yet: add the first person below, or load the sample plan on the Plan page.")
else:
    base = pd.DataFrame(
        [
            {
                "id": p.id,
                "Name": p.name,
                "Email": p.email,
                "Role": p.role,
                "Team": p.team,
                "Hours a week": p.capacity_hours_per_week,
            }
            for p in people
        ]
    )
    edited = st.data_editor(
        base,
        key=f"people-editor-{st.session_state.get('people.round', 0)}",
        hide_index=True,
        column_order=["Name", "Email", "Role", "Team", "Hours a week"],
        disabled=not can(Permission.PEOPLE_MANAGE),
        column_config={
            "Name": st.column_config.TextColumn(required=True),
            "Hours a week": st.column_config.NumberColumn(
                min_value=0, max_value=168, help="What this person can give the program weekly."
            ),
        },
    )
    save_people_edits(base, edited, versions)
if can(Permission.PEOPLE_MANAGE):
    add_person_form()
else:
    read_only_note(Permission.PEOPLE_MANAGE)
if can(Permission.PEOPLE_ERASE):
    privacy_tools(people)
