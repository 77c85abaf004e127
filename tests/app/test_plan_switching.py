"""Switching the active plan: creating, copying, importing or loading a plan while another is
active makes the new one active, with no error, and it is listed in the sidebar picker."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan
from planner.ui.state import Keys
from tests.app.conftest import open_page

PAGE = "pages/plan.py"


def picker_options(at: AppTest) -> list[str]:
    return list(at.sidebar.selectbox(key=Keys.ACTIVE_PLAN).options)


def popovers(scope: Any) -> list[str]:
    return [block.proto.popover.label for block in scope.get("popover")]


def create(at: AppTest, name: str, where: str = "sidebar") -> None:
    """Fill in and submit a "New plan" form: the sidebar's, or the one on the page."""
    scope = at.sidebar if where == "sidebar" else at.main
    field = next(t for t in scope.text_input if t.label == "Name" and t.value == "")
    field.input(name)
    next(b for b in scope.button if b.label == "Create plan").click().run()


def test_create_a_second_plan_while_one_is_active(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    open_page(app, PAGE)
    assert app.session_state[Keys.ACTIVE_PLAN] == sample.id
    create(app, "Second plan")
    assert not app.exception, app.exception
    assert not app.error
    second = next(p for p in services.list_plans(engine) if p.name == "Second plan")
    assert app.session_state[Keys.ACTIVE_PLAN] == second.id
    assert app.subheader[0].value == "Second plan"
    assert "Second plan (draft)" in picker_options(app)
    app.run()  # and the next run keeps it
    assert not app.exception and app.session_state[Keys.ACTIVE_PLAN] == second.id


def test_copy_a_plan_while_it_is_active(app: AppTest, engine: Engine, sample: Plan) -> None:
    open_page(app, PAGE)
    next(b for b in app.button if b.label == "Copy plan").click().run()
    assert not app.exception, app.exception
    copy = next(p for p in services.list_plans(engine) if p.name.endswith("(copy)"))
    assert app.session_state[Keys.ACTIVE_PLAN] == copy.id
    assert app.subheader[0].value == copy.name
    assert any(o.startswith(copy.name) for o in picker_options(app))


def test_load_the_sample_while_a_plan_is_active(app: AppTest, engine: Engine) -> None:
    services.create_plan(engine, name="Mine", actor="Tester")
    open_page(app, PAGE)
    app.button(key="load-sample").click().run()
    assert not app.exception, app.exception
    sample = next(p for p in services.list_plans(engine) if p.name != "Mine")
    assert app.session_state[Keys.ACTIVE_PLAN] == sample.id
    assert app.subheader[0].value == sample.name


@pytest.mark.parametrize("page", ["pages/home.py", "pages/schedule.py", "pages/review.py"])
def test_new_plan_from_the_sidebar_on_any_page(
    app: AppTest, engine: Engine, sample: Plan, page: str
) -> None:
    open_page(app, page)
    assert "New plan" in popovers(app.sidebar)
    create(app, "From the sidebar")
    assert not app.exception, app.exception
    made = next(p for p in services.list_plans(engine) if p.name == "From the sidebar")
    assert app.session_state[Keys.ACTIVE_PLAN] == made.id
    assert app.title[0].value == "Plan" and app.subheader[0].value == "From the sidebar"


def test_new_plan_from_home_and_from_an_empty_sidebar(app: AppTest, engine: Engine) -> None:
    open_page(app, "pages/home.py")
    assert "New plan" in popovers(app.sidebar)
    assert "New plan" in popovers(app.main)
    create(app, "From home", where="main")
    assert not app.exception, app.exception
    (made,) = services.list_plans(engine)
    assert made.name == "From home" and app.session_state[Keys.ACTIVE_PLAN] == made.id
    assert app.subheader[0].value == "From home"


def test_import_a_bundle_while_a_plan_is_active(app: AppTest, engine: Engine, sample: Plan) -> None:
    from planner.services.bundles import export_bundle

    data = export_bundle(engine, sample.id)
    open_page(app, PAGE)
    app.get("file_uploader")[0].set_value(("plan.planner.json", data, "application/json"))
    next(b for b in app.button if b.label == "Import").click().run()
    assert not app.exception, app.exception
    plans = services.list_plans(engine)
    assert len(plans) == 2
    imported = next(p for p in plans if p.id != sample.id)
    assert app.session_state[Keys.ACTIVE_PLAN] == imported.id
    assert any(o.startswith(imported.name) for o in picker_options(app))
