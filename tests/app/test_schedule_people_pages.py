"""The Schedule page (Gantt, filters, workload), the People page, and Add to plan on Playbooks."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan
from planner.domain.weeks import format_date, format_week_ranges, week_start
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


def _plan(engine: Engine, name: str, start: date, work: list[tuple[str, str, float]]) -> Plan:
    plan = services.create_plan(engine, name=name, actor="Tester", start_date=start)
    for n, (title, owner_id, hours) in enumerate(work):
        services.add_custom_item(
            engine,
            plan.id,
            title=title,
            expected_version=plan.version + n,
            actor="Tester",
            owner_id=owner_id,
            duration_weeks=10,
            effort_hours_per_week=hours,
        )
    return services.get_plan(engine, plan.id)


def test_workload_warns_once_per_person_with_weeks_and_items_and_drafts_on_request(
    app: AppTest, engine: Engine
) -> None:
    monday = week_start(date.today())
    ana = services.add_person(engine, name="Ana", actor="Tester", capacity_hours_per_week=4)
    ben = services.add_person(engine, name="Ben", actor="Tester", capacity_hours_per_week=4)
    live = _plan(
        engine,
        "Live",
        monday,
        [("Forum hosting", ana.id, 3), ("Mentor circle", ana.id, 2), ("Job aids", ben.id, 3)],
    )
    live = services.set_plan_status(
        engine, live.id, "active", expected_version=live.version, actor="Tester"
    )
    _plan(engine, "Idea", monday, [("Lunch talks", ben.id, 2)])  # stays a draft
    app.session_state[Keys.ACTIVE_PLAN] = live.id
    open_page(app, "pages/schedule.py")

    warnings = [w.value for w in app.warning]
    assert len(warnings) == 1  # ten overloaded weeks, one warning
    [ana_warning] = warnings
    ten = format_week_ranges([monday + timedelta(weeks=k) for k in range(10)])
    assert "–" in ten and "," not in ten  # one range, e.g. "30 Nov 2026 – 1 Feb 2027"
    assert ana_warning.startswith(f"Ana is over their capacity of 4 h a week in 10 weeks ({ten})")
    assert "‘Forum hosting’ (Live) 3 h/week" in ana_warning and "‘Mentor circle’" in ana_warning

    app.toggle(key=Keys.WORKLOAD_DRAFTS).set_value(True).run()
    warnings = [w.value for w in app.warning]
    assert len(warnings) == 2
    assert any(w.startswith("Ben is over") and "‘Lunch talks’ (Idea)" in w for w in warnings)

    # a window after the work: nobody is over, and the caption says which weeks
    later = monday + timedelta(weeks=20)
    app.date_input(key=Keys.WORKLOAD_START).set_value(later).run()
    assert not app.warning
    app.number_input(key=Keys.WORKLOAD_WEEKS).set_value(30).run()
    assert any(format_date(later) in c.value for c in app.caption)
    spec_ = spec(app, 1)
    assert len(spec_["data"][0]["x"]) == 30  # type: ignore[index]


def test_past_ten_people_over_capacity_the_rest_are_counted(app: AppTest, engine: Engine) -> None:
    from planner.ui.workload_view import MAX_WARNINGS

    monday = week_start(date.today())
    people = [
        services.add_person(
            engine, name=f"Person {k:02d}", actor="Tester", capacity_hours_per_week=1
        )
        for k in range(MAX_WARNINGS + 2)
    ]
    plan = _plan(engine, "Live", monday, [(f"Work {p.name}", p.id, 2) for p in people])
    plan = services.set_plan_status(
        engine, plan.id, "active", expected_version=plan.version, actor="Tester"
    )
    app.session_state[Keys.ACTIVE_PLAN] = plan.id
    open_page(app, "pages/schedule.py")
    assert len(app.warning) == MAX_WARNINGS
    assert any("…and 2 more people over capacity." in c.value for c in app.caption)
