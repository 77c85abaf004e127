"""Pages that write pass what they drew: a colleague's change made after the page drew is a
conflict shown with st.error, never silently overwritten (My week, People)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import ItemChange
from planner.services import reviews
from tests.app.conftest import open_page


def test_my_week_status_save_after_a_colleagues_change_is_a_conflict(
    app: AppTest, engine: Engine
) -> None:
    sam = services.add_person(engine, name="Sam Lee", actor="setup")
    plan = services.create_plan(
        engine, name="Rollout", actor="setup", status="active", start_date=date.today()
    )
    item = services.add_custom_item(
        engine, plan.id, title="Run the forum", expected_version=1, actor="s", owner_id=sam.id
    )
    action = reviews.add_action(engine, plan.id, "Book the room", actor="s", owner_id=sam.id)
    open_page(app, "pages/my_week.py")
    # The page drew the item as planned; now a colleague blocks it and drops the action.
    services.update_items(
        engine, plan.id, [ItemChange(item.id, {"status": "blocked"})], expected_version=2,
        actor="Ana",
    )  # fmt: skip
    reviews.set_action_status(engine, action.id, "dropped", actor="Ana")
    app.selectbox(key=f"week-status-{item.id}").set_value("in progress").run()
    app.button(key=f"week-save-{item.id}").click().run()
    assert any("Ana" in e.value and "changed since" in e.value for e in app.error), app.error
    assert services.open_plan(engine, plan.id).items[0].status == "blocked"


def test_my_week_done_after_a_colleagues_change_is_a_conflict(app: AppTest, engine: Engine) -> None:
    sam = services.add_person(engine, name="Sam Lee", actor="setup")
    plan = services.create_plan(engine, name="Rollout", actor="setup", status="active")
    action = reviews.add_action(engine, plan.id, "Book the room", actor="s", owner_id=sam.id)
    open_page(app, "pages/my_week.py")
    reviews.set_action_status(engine, action.id, "dropped", actor="Ana")
    reviews.set_action_status(engine, action.id, "open", actor="Ana")
    app.button(key=f"week-done-{action.id}").click().run()
    assert any("Ana" in e.value for e in app.error), app.error
    assert reviews.list_actions(engine, plan.id)[0].status == "open"


def test_people_grid_save_after_a_colleagues_edit_is_a_conflict(
    app: AppTest, engine: Engine
) -> None:
    sam = services.add_person(engine, name="Sam Lee", actor="setup")
    open_page(app, "pages/people.py")
    services.update_person(engine, sam.id, role="Coach", expected_version=1, actor="Ana")
    app.session_state["people-editor-0"] = {
        "edited_rows": {0: {"Hours a week": 12.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    next(b for b in app.button if b.label.startswith("Save changes")).click().run()
    assert any("Sam Lee's record changed" in e.value and "Ana" in e.value for e in app.error)
    person = services.get_person(engine, sam.id)
    assert (person.role, person.capacity_hours_per_week) == ("Coach", 4.0)
