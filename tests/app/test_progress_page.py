"""The Progress page: headline, statuses in words, readings import changing a status, replace
only after confirming, stories, community health."""

from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan
from planner.services import readings
from tests.app.conftest import TODAY, open_page

PAGE = "pages/progress.py"


def status_of(app: AppTest, item: str, metric_prefix: str) -> str:
    frame = app.dataframe[0].value  # a Styler: the frame behind it
    row = frame[(frame["Item"] == item) & frame["Metric"].str.startswith(metric_prefix)]
    assert len(row) == 1, (item, metric_prefix, frame[["Item", "Metric"]])
    return str(row["Status"].iloc[0])


def at_sample_date(app: AppTest) -> AppTest:
    open_page(app, PAGE)
    app.date_input(key="progress.as_of").set_value(TODAY).run()
    assert not app.exception
    return app


def test_empty_state(app: AppTest) -> None:
    open_page(app, PAGE)
    assert "no plan yet" in app.info[0].value


def test_headline_and_status_words(app: AppTest, sample: Plan) -> None:
    at_sample_date(app)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Adoption index"].endswith("%")
    statuses = set(app.dataframe[0].value["Status"])
    assert {"on track", "at risk", "off track", "no data"} <= statuses


def csv_for(item_id: str, metric_id: str, value: float) -> bytes:
    return (
        f"item,metric,date,value,note\n{item_id},{metric_id},2026-11-27,{value},app test\n".encode()
    )


def test_importing_readings_changes_a_status(app: AppTest, engine: Engine, sample: Plan) -> None:
    at_sample_date(app)
    item = next(i for i in services.get_items(engine, sample.id) if i.title.startswith("Ask-an"))
    metric = next(m for m in item.metrics if m.id == "median-hours-to-first-response")
    before = status_of(app, item.title, "Median hours")
    assert before == "off track"
    app.file_uploader[0].set_value(("better.csv", csv_for(item.id, metric.id, 3), "text/csv"))
    next(b for b in app.button if b.label == "Import readings").click().run()
    assert not app.exception
    if app.warning:  # the week already had a reading: confirm the replacement
        app.button(key="readings-replace").click().run()
    assert status_of(app, item.title, "Median hours") == "on track"


def test_replacing_asks_first(app: AppTest, engine: Engine, sample: Plan) -> None:
    at_sample_date(app)
    item = next(i for i in services.get_items(engine, sample.id) if i.title.startswith("Ask-an"))
    data = csv_for(item.id, "median-hours-to-first-response", 7)
    readings.import_readings_csv(engine, sample.id, data, actor="Tester", replace=True)
    app.file_uploader[0].set_value(
        ("again.csv", csv_for(item.id, "median-hours-to-first-response", 4), "text/csv")
    )
    next(b for b in app.button if b.label == "Import readings").click().run()
    assert "already exist" in app.warning[0].value
    stored = readings.list_readings(
        engine, sample.id, item_id=item.id, metric_id="median-hours-to-first-response"
    )
    assert max(stored, key=lambda r: r.date).value == 7  # nothing replaced yet
    app.button(key="readings-replace").click().run()
    stored = readings.list_readings(
        engine, sample.id, item_id=item.id, metric_id="median-hours-to-first-response"
    )
    assert max(stored, key=lambda r: r.date).value == 4
    assert len([r for r in stored if r.period == max(stored, key=lambda r: r.date).period]) == 1


def test_add_a_story(app: AppTest, engine: Engine, sample: Plan) -> None:
    at_sample_date(app)
    next(t for t in app.text_input if t.label == "Title").input("Agents fixed a billing bug")
    next(t for t in app.text_area if t.label == "Story").input("Two agents compared notes.")
    next(b for b in app.button if b.label == "Add story").click().run()
    from planner.services.stories import list_stories

    assert any(s.title == "Agents fixed a billing bug" for s in list_stories(engine, sample.id))
    assert any("Agents fixed a billing bug" in m.value for m in app.markdown)


def test_community_health_panel(app: AppTest, sample: Plan) -> None:
    at_sample_date(app)
    labels = [m.label for m in app.metric]
    assert "Active share" in labels and "Median first response" in labels
    assert any("Ready for" in m.value for m in app.markdown)
