"""The Schedule page (Gantt, filters, workload), the People page, and Add to plan on Playbooks."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.planning import Plan
from planner.ui.state import Keys
from tests.app.conftest import open_page


def spec(at: AppTest, index: int) -> dict[str, object]:
    return json.loads(at.get("plotly_chart")[index].proto.spec)  # type: ignore[no-any-return]


def bar_rows(figure: dict[str, object]) -> int:
    return sum(len(t.get("y", [])) for t in figure["data"] if t["type"] == "bar")  # type: ignore[union-attr, index]


def test_schedule_empty_state(app: AppTest) -> None:
    open_page(app, "pages/schedule.py")
    assert "no plan yet" in app.info[0].value


def test_gantt_and_workload(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, "pages/schedule.py")
    gantt = spec(app, 0)
    items = services.get_items(engine, sample.id)
    assert bar_rows(gantt) == len(items)
    shapes = gantt["layout"]["shapes"]  # type: ignore[index]
    assert any(s.get("type") == "line" for s in shapes)  # the today line
    assert any(t.get("name") == "Milestones" for t in gantt["data"])  # type: ignore[union-attr]
    workload = spec(app, 1)
    assert workload["data"] and workload["data"][0]["type"] == "heatmap"  # type: ignore[index]
    assert any("no owner" in i.value for i in app.info)


def test_gantt_filters_by_status_and_colours_by_owner(app: AppTest, sample: Plan) -> None:
    open_page(app, "pages/schedule.py")
    app.multiselect(key=Keys.GANTT_STATUSES).set_value(["done"]).run()
    assert bar_rows(spec(app, 0)) == 4  # charter, sponsor agreement, discovery, repository
    app.segmented_control(key=Keys.GANTT_COLOR).set_value("owner").run()
    names = {t.get("name") for t in spec(app, 0)["data"]}  # type: ignore[union-attr]
    assert {"Maya Okafor", "Tom Becker"} <= names


def test_people_page_adds_and_edits(app: AppTest, engine: Engine) -> None:
    open_page(app, "pages/people.py")
    assert "Nobody yet" in app.info[0].value
    app.text_input[0].input("Ana Silva")
    app.text_input[1].input("Ana@Example.org")
    next(b for b in app.button if b.label == "Add person").click().run()
    (person,) = services.list_people(engine)
    assert (person.name, person.email) == ("Ana Silva", "ana@example.org")
    key = "people-editor-0"
    app.session_state[key] = {
        "edited_rows": {0: {"Hours a week": 12.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    next(b for b in app.button if b.label.startswith("Save changes")).click().run()
    assert services.list_people(engine)[0].capacity_hours_per_week == 12.0


def test_add_to_plan_from_a_tactic_card(app: AppTest, engine: Engine) -> None:
    plan = services.create_plan(engine, name="Cards", actor="Tester")
    open_page(app, "pages/playbooks.py")
    app.text_input(key=Keys.SEARCH).input("Working Out Loud circles").run()
    app.button(key="add-working-out-loud-circles").click().run()
    # A launch needs the charter and a sponsor first: the page offers to add them.
    assert services.get_items(engine, plan.id) == []
    app.button(key="prereq-yes").click().run()
    assert [i.tactic_id for i in services.get_items(engine, plan.id)] == [
        "informal-learning-charter",
        "executive-sponsor-agreement",
        "working-out-loud-circles",
    ]


def test_acting_person_is_recorded(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, "pages/plan.py")
    app.sidebar.selectbox(key=Keys.ACTOR).set_value("Priya Raman").run()
    name = next(t for t in app.text_input if t.label == "Name" and t.value == sample.name)
    name.input("Support Academy 2027")
    next(b for b in app.button if b.label == "Save plan settings").click().run()
    assert services.activity_log(engine, sample.id, limit=1)[0].actor == "Priya Raman"
