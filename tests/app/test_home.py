"""The Home page says what the tool is for and where to start."""

from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan


def test_home_explains_and_links(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.title[0].value == "Informal Learning Planner"
    assert "learn from each other" in app.caption[0].value
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Tactics"]) >= 30
    assert metrics["Purposes"] == "8"


def test_home_loads_the_sample_plan_in_one_click(app: AppTest, engine: Engine) -> None:
    app.run()
    app.button(key="load-sample").click().run()
    assert not app.exception
    (plan,) = services.list_plans(engine)
    assert app.title[0].value == "Plan"  # it takes the user to the plan
    assert app.subheader[0].value == plan.name


def test_home_offers_no_sample_once_a_plan_exists(app: AppTest, sample: Plan) -> None:
    app.run()
    assert not [b for b in app.button if b.key == "load-sample"]
