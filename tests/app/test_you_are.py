"""The sidebar's "You are": remembered across a browser reload through the page address."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.ui.data import ACTOR_PARAM
from planner.ui.state import Keys
from tests.app.conftest import ROOT, open_page


def reload(at: AppTest) -> AppTest:
    """A browser reload: a new session, the same address (query parameters)."""
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in at.query_params.items():
        fresh.query_params[key] = value
    return fresh


def you_are(at: AppTest) -> str | None:
    return at.sidebar.selectbox(key=Keys.ACTOR).value


def test_a_picked_name_survives_a_reload(app: AppTest, engine: Engine) -> None:
    services.add_person(engine, name="Priya Raman", actor="Tester")
    open_page(app, "pages/plan.py")
    app.sidebar.selectbox(key=Keys.ACTOR).set_value("Priya Raman").run()
    assert app.query_params[ACTOR_PARAM] in ("Priya Raman", ["Priya Raman"])
    again = reload(app)
    again.run()
    assert not again.exception, again.exception
    assert you_are(again) == "Priya Raman"
    again.switch_page("pages/schedule.py").run()  # moving on keeps it in the address too
    assert you_are(again) == "Priya Raman"
    assert ACTOR_PARAM in again.query_params
    assert you_are(reload(again).run()) == "Priya Raman"


def test_a_name_nobody_has_yet_survives_a_reload_and_is_recorded(
    app: AppTest, engine: Engine
) -> None:
    plan = services.create_plan(engine, name="Mine", actor="Tester")
    # AppTest's select box only takes listed options, so the typed name comes in the address.
    app.query_params[ACTOR_PARAM] = "Sam Okafor"
    app.run()
    assert you_are(app) == "Sam Okafor"
    again = reload(app).run()
    assert you_are(again) == "Sam Okafor"
    open_page(again, "pages/plan.py")
    name = next(t for t in again.text_input if t.label == "Name" and t.value == "Mine")
    name.input("Ours")
    next(b for b in again.button if b.label == "Save plan settings").click().run()
    assert services.get_plan(engine, plan.id).updated_by == "Sam Okafor"


def test_no_name_leaves_the_address_alone(app: AppTest) -> None:
    app.run()
    assert you_are(app) is None and ACTOR_PARAM not in app.query_params


@pytest.mark.parametrize("raw", ["  Dana   Lee ", "x" * 500])
def test_names_from_the_address_are_tidied_and_bounded(app: AppTest, raw: str) -> None:
    app.query_params[ACTOR_PARAM] = raw
    app.run()
    assert not app.exception
    got = you_are(app)
    assert got is not None and got == " ".join(raw.split())[:80]


def test_with_login_configured_the_address_does_not_choose_who_acts(app: AppTest) -> None:
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    app.user = {"is_logged_in": False}
    app.query_params[ACTOR_PARAM] = "Mallory"
    app.run()
    assert not app.exception, app.exception
    assert ACTOR_PARAM not in app.query_params
    assert not app.session_state[Keys.ACTOR]
    assert any(b.label == "Log in" for b in app.sidebar.button)
