"""The Home page says what the tool is for and where to start."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def test_home_explains_and_links(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.title[0].value == "Informal Learning Planner"
    assert "learn from each other" in app.caption[0].value
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Tactics"]) >= 30
    assert metrics["Purposes"] == "8"
