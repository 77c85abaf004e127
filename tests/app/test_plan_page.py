"""The Plan page: empty state, sample plan, editing items in one save, stale saves, adding."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan
from planner.ui.state import Keys
from tests.app.conftest import open_page

PAGE = "pages/plan.py"


def editor_key(at: AppTest, prefix: str) -> str:
    return f"{prefix}{at.session_state[Keys.EDITOR_ROUND]}"


def test_empty_state_offers_the_sample_plan(app: AppTest, engine: Engine) -> None:
    open_page(app, PAGE)
    assert "no plan yet" in app.info[0].value
    app.button(key="load-sample").click().run()
    assert not app.exception
    plans = services.list_plans(engine)
    assert [p.name for p in plans] == ["Support Academy: informal learning rollout"]
    assert app.session_state[Keys.ACTIVE_PLAN] == plans[0].id
    assert app.subheader[0].value == plans[0].name
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Items"]) >= 12


def test_a_sample_the_library_cannot_make_is_a_message_not_a_traceback(
    app: AppTest, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.services.sample as sample

    monkeypatch.setattr(
        sample, "sample_plan_problems", lambda _: ["the tactic 'x' is not in the playbook library"]
    )
    open_page(app, PAGE)
    app.button(key="load-sample").click().run()
    assert not app.exception
    assert "the tactic 'x' is not in the playbook library" in app.error[0].value
    assert "nothing was created" in app.error[0].value
    assert services.list_plans(engine) == [] and services.list_people(engine) == []


def test_edit_owner_and_status_in_one_save(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, PAGE)
    items = services.get_items(engine, sample.id)
    unowned = next(i for i in range(len(items)) if items[i].owner_id is None)
    key = editor_key(app, "items-editor-")
    app.session_state[key] = {
        "edited_rows": {
            unowned: {"Owner": "Grace Liu", "Status": "in progress"},
            0: {"Notes": "x"},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert "2 item(s) changed" in app.caption[-1].value or any(
        "2 item(s) changed" in c.value for c in app.caption
    )
    app.button(key="save-items").click().run()
    assert not app.exception and not app.error
    after = services.get_items(engine, sample.id)
    grace = next(p for p in services.list_people(engine) if p.name == "Grace Liu")
    assert after[unowned].owner_id == grace.id and after[unowned].status == "in progress"
    assert after[0].notes == "x"
    plan = services.get_plan(engine, sample.id)
    assert plan.version == sample.version + 1  # both items in one transaction
    log = services.activity_log(engine, sample.id, limit=2)
    assert {e.actor for e in log} == {"Guest"}


def test_stale_save_is_refused_and_edits_stay(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, PAGE)
    services.rename_plan(
        engine, sample.id, "Renamed elsewhere", expected_version=sample.version, actor="Dana"
    )
    key = editor_key(app, "items-editor-")
    edit = {"edited_rows": {1: {"Notes": "my unsaved note"}}, "added_rows": [], "deleted_rows": []}
    app.session_state[key] = edit
    app.run()
    app.button(key="save-items").click().run()
    message = app.error[0].value
    assert "changed since you opened it" in message and "Dana" in message
    assert services.get_items(engine, sample.id)[1].notes != "my unsaved note"
    assert app.session_state[key]["edited_rows"] == {1: {"Notes": "my unsaved note"}}


def test_add_tactic_offers_missing_prerequisites(app: AppTest, engine: Engine) -> None:
    plan = services.create_plan(engine, name="Empty", actor="Tester")
    open_page(app, PAGE)
    next(m for m in app.multiselect if m.label == "Tactics to add").set_value(
        ["point-of-need-links"]
    )
    next(b for b in app.button if b.label == "Add to plan").click().run()
    assert any("job-aid library" in w.value.lower() for w in app.warning)
    app.button(key="prereq-yes").click().run()
    tactic_ids = [i.tactic_id for i in services.get_items(engine, plan.id)]
    assert tactic_ids == ["job-aid-library", "point-of-need-links"]


def test_custom_item_and_rename(app: AppTest, engine: Engine) -> None:
    plan = services.create_plan(engine, name="Mine", actor="Tester")
    open_page(app, PAGE)
    form_inputs = [t for t in app.text_input if t.label == "Title"]
    form_inputs[0].input("Calibration huddles")
    submit = next(b for b in app.button if b.label == "Add custom item")
    submit.click().run()
    assert not app.exception
    (item,) = services.get_items(engine, plan.id)
    assert item.title == "Calibration huddles" and item.tactic_id is None
    name = next(t for t in app.text_input if t.label == "Name" and t.value == "Mine")
    name.input("Ours")
    next(b for b in app.button if b.label == "Save plan settings").click().run()
    assert services.get_plan(engine, plan.id).name == "Ours"


def test_custom_item_carries_the_hours_typed_in_the_form(app: AppTest, engine: Engine) -> None:
    plan = services.create_plan(engine, name="Mine", actor="Tester")
    open_page(app, PAGE)
    next(t for t in app.text_input if t.label == "Title").input("Forum moderation")
    hours = next(n for n in app.number_input if n.label == "Hours a week for the owner")
    assert hours.value == 1.0  # the default a custom item gets
    hours.set_value(3.5)
    next(b for b in app.button if b.label == "Add custom item").click().run()
    assert not app.exception
    (item,) = services.get_items(engine, plan.id)
    assert item.effort_hours_per_week == 3.5 and item.effort == 3.5


def test_custom_item_with_its_own_metric(app: AppTest, engine: Engine) -> None:
    plan = services.create_plan(engine, name="Mine", actor="Tester")
    open_page(app, PAGE)
    next(t for t in app.text_input if t.label == "Title").input("Calibration huddles")
    next(t for t in app.text_input if t.label == "Metric name").input("Huddles held!")
    next(t for t in app.text_input if t.label == "Unit").input("huddles")
    next(n for n in app.number_input if n.label == "Target").set_value(12.0)
    how = next(t for t in app.text_input if t.label == "How to measure it (a sentence)")
    how.input("Count the huddles the team leads hold each month.")
    next(b for b in app.button if b.label == "Add custom item").click().run()
    assert not app.exception and not app.error
    (item,) = services.get_items(engine, plan.id)
    (metric,) = item.metrics
    assert (metric.id, metric.name, metric.unit, metric.target) == (
        "huddles-held",
        "Huddles held!",
        "huddles",
        12.0,
    )


def test_custom_item_with_an_incomplete_metric_says_what_is_missing(
    app: AppTest, engine: Engine
) -> None:
    plan = services.create_plan(engine, name="Mine", actor="Tester")
    open_page(app, PAGE)
    next(t for t in app.text_input if t.label == "Title").input("Calibration huddles")
    next(t for t in app.text_input if t.label == "Metric name").input("Huddles held")
    next(b for b in app.button if b.label == "Add custom item").click().run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "The metric is not complete: say in a full sentence (20 characters or more) how to "
        "measure it."
    ]
    assert services.get_items(engine, plan.id) == []


def test_activity_log_is_shown(app: AppTest, sample: Plan) -> None:
    open_page(app, PAGE)
    log = app.dataframe[-1].value
    assert list(log.columns) == ["When", "Who", "What"]
    assert (log["Who"] == "Tester").all() and len(log) > 10
