"""Issue 8, a new user's first hour: statuses say what they compare, the index its coverage,
the targets editor the baseline it uses, and the readings grid the metric, cadence and period."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan, Target
from planner.domain.playbook import Metric
from planner.services import readings
from planner.ui.state import Keys
from tests.app.conftest import open_page

TODAY = date.today()
MEMBERS = Metric(
    id="members",
    name="Members",
    unit="people",
    aggregation="latest",
    direction="higher",
    target=90,
    cadence="monthly",
    definition="People who joined the community, counted at the end of the month.",
    framework="value-immediate",
)


def one_reading_plan(engine: Engine, *, baseline: float | None) -> tuple[Plan, str]:
    """A plan started 80 days ago, one 12-week item (due in 3 days), one reading of 88."""
    plan = services.create_plan(
        engine, name="First hour", actor="Tester", start_date=TODAY - timedelta(days=80)
    )
    item = services.add_custom_item(
        engine,
        plan.id,
        title="Support community",
        expected_version=plan.version,
        actor="Tester",
        metrics=[MEMBERS],
        duration_weeks=12,
        targets=[Target("members", 90, baseline=baseline)],
    )
    readings.record_readings(
        engine,
        plan.id,
        [readings.ReadingInput(item.id, "members", TODAY - timedelta(days=1), 88)],
        actor="Tester",
    )
    return plan, item.id


def progress_page(app: AppTest, plan: Plan) -> AppTest:
    app.session_state[Keys.ACTIVE_PLAN] = plan.id
    return open_page(app, "pages/progress.py")


def row(app: AppTest) -> pd.Series:
    frame = app.dataframe[0].value
    assert len(frame) == 1
    return frame.iloc[0]


def test_an_explicit_baseline_makes_a_first_reading_measurable(
    app: AppTest, engine: Engine
) -> None:
    plan, _ = one_reading_plan(engine, baseline=0)
    app.session_state[Keys.ACTIVE_PLAN] = plan.id
    progress_page(app, plan)
    found = row(app)
    assert found["Status"] == "on track"
    assert str(found["Compared"]).startswith("88 of 90 (baseline 0, expected ")
    assert found["Baseline"] == "0" and found["Progress"].endswith("%")
    assert "1 of 1 metric counted" in [c.value for c in app.caption]


def test_a_lone_first_reading_is_baseline_only_and_says_where_the_baseline_came_from(
    app: AppTest, engine: Engine
) -> None:
    plan, _ = one_reading_plan(engine, baseline=None)
    progress_page(app, plan)
    found = row(app)
    assert found["Status"] == "baseline only"  # not "off track, 0%"
    assert found["Progress"] == "—"
    assert "baseline 88 from the first reading" in found["Compared"]
    assert found["Baseline"] == "88 (from the first reading)"
    captions = [c.value for c in app.caption]
    assert "0 of 1 metric counted" in captions
    assert any("only a baseline" in c for c in captions)


def test_the_targets_editor_shows_the_baseline_it_uses(app: AppTest, engine: Engine) -> None:
    plan, _ = one_reading_plan(engine, baseline=None)
    app.session_state[Keys.ACTIVE_PLAN] = plan.id
    open_page(app, "pages/plan.py")
    targets = next(d.value for d in app.dataframe if "Baseline used" in d.value.columns)
    assert list(targets["Baseline used"]) == ["from first reading (88)"]


def test_the_readings_grid_names_metrics_cadences_and_refuses_a_second_reading_in_a_month(
    app: AppTest, engine: Engine
) -> None:
    plan, item_id = one_reading_plan(engine, baseline=0)
    progress_page(app, plan)
    guide = next(d.value for d in app.dataframe if "Cadence" in d.value.columns)
    assert list(guide["Metric"]) == ["Members (people)"]
    assert list(guide["Cadence"]) == ["monthly"]
    assert list(guide["Readings"]) == ["one reading per calendar month"]
    label = "Members (people, monthly)"
    app.session_state[f"readings-grid-{item_id}-0"] = {
        "edited_rows": {},
        "added_rows": [
            {"Metric": label, "Date": "2027-01-05", "Value": 10},
            {"Metric": label, "Date": "2027-01-20", "Value": 12},
        ],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    preview = next(
        d.value
        for d in app.dataframe
        if list(d.value.columns) == ["Metric", "Date", "Value", "Period"]
    )
    first, second = list(preview["Period"])
    assert first == "2027-01 (1 Jan – 31 Jan 2027), monthly"
    assert "same period as row 1" in second
    app.button(key="readings-save").click().run()
    message = app.error[0].value
    assert "Members (people, monthly)" in message
    assert "2027-01 (1 Jan – 31 Jan 2027)" in message
    assert "one reading per calendar month" in message
