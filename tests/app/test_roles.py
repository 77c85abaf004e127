"""Sign-in and roles on the pages: with `[auth]` configured the signed-in user acts (no name
picker, `?you=` ignored), and each role sees only the change controls it may use."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import services
from planner.domain.planning import Plan
from planner.ui.data import ACTOR_PARAM
from planner.ui.state import Keys
from tests.app.conftest import open_page

ADMIN = "ana@example.org"
EDITOR = "ed@example.org"
VIEWER = "vera@example.org"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-secret",
    "client_id": "client",
    "client_secret": "secret",
    "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration",
}
ROLES = {"admins": [ADMIN], "editors": [EDITOR], "default": "viewer"}


def signed_in(app: AppTest, email: str | None, name: str = "") -> AppTest:
    app.secrets["auth"] = AUTH
    app.secrets["planner"] = {"roles": ROLES}
    if email is None:
        app.user = {"is_logged_in": False}
    else:
        app.user = {"is_logged_in": True, "email": email, "name": name or email}
    return app


def button(at: AppTest, label: str) -> Any:
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}: {[b.label for b in at.button]}"
    return found[0]


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def test_signed_in_the_sidebar_names_the_user_and_has_no_name_picker(
    app: AppTest, sample: Plan
) -> None:
    signed_in(app, EDITOR, "Ed Editor")
    open_page(app, "pages/plan.py")
    captions = " ".join(str(c.value) for c in app.sidebar.caption)
    assert "Signed in as **Ed Editor** · editor" in captions
    assert not [s for s in app.sidebar.selectbox if s.key == Keys.ACTOR]
    assert "Log out" in {b.label for b in app.sidebar.button}


def test_a_viewer_sees_no_save_buttons_and_a_note_why(app: AppTest, sample: Plan) -> None:
    signed_in(app, VIEWER)
    open_page(app, "pages/plan.py")
    for label in ("Save plan settings", "Copy plan", "Save changes", "Load sample plan"):
        assert button(app, label).disabled, label
    assert "Add to plan" not in labels(app) and "Add custom item" not in labels(app)
    assert "Import" not in labels(app)  # the import form is left out; downloads stay
    notes = " ".join(str(i.value) for i in app.info)
    assert "signed in as **viewer**" in notes and ADMIN in notes


def test_an_editor_changes_the_plan_as_themselves_whatever_the_address_says(
    app: AppTest, engine: Engine, sample: Plan
) -> None:
    services.add_person(engine, name="Ed Editor", email=EDITOR, actor="Tester")
    signed_in(app, EDITOR)
    app.query_params[ACTOR_PARAM] = "Somebody Else"
    open_page(app, "pages/plan.py")
    assert ACTOR_PARAM not in app.query_params
    for label in ("Save plan settings", "Copy plan", "Add to plan", "Add custom item", "Import"):
        assert not button(app, label).disabled, label
    name = next(t for t in app.text_input if t.label == "Name" and t.value == sample.name)
    name.input("Ours")
    button(app, "Save plan settings").click().run()
    assert not app.exception
    assert services.get_plan(engine, sample.id).updated_by == "Ed Editor"
    assert services.activity_log(engine, sample.id, limit=1)[0].actor == "Ed Editor"


@pytest.mark.parametrize(("email", "may_manage"), [(VIEWER, False), (EDITOR, False), (ADMIN, True)])
def test_only_admins_manage_people(
    app: AppTest, sample: Plan, email: str, may_manage: bool
) -> None:
    signed_in(app, email)
    open_page(app, "pages/people.py")
    if may_manage:
        assert not button(app, "Add person").disabled
        assert not button(app, "Erase").disabled
    else:
        assert "Add person" not in labels(app) and "Erase" not in labels(app)
        assert "only admins may manage people" in " ".join(str(i.value) for i in app.info)


@pytest.mark.parametrize(("email", "may_edit"), [(VIEWER, False), (EDITOR, True)])
def test_reviews_and_readings_need_the_editor_role(
    app: AppTest, sample: Plan, email: str, may_edit: bool
) -> None:
    signed_in(app, email)
    open_page(app, "pages/review.py")
    assert ("Record review" in labels(app)) is may_edit
    app.switch_page("pages/progress.py").run()
    assert not app.exception
    assert ("Import readings" in labels(app)) is may_edit
    assert ("Import statements" in labels(app)) is may_edit
    assert button(app, "Add story").disabled is not may_edit


def test_not_signed_in_one_can_look_but_not_change(app: AppTest, sample: Plan) -> None:
    signed_in(app, None)
    open_page(app, "pages/plan.py")
    assert "Log in" in {b.label for b in app.sidebar.button}
    assert button(app, "Save plan settings").disabled
    assert "You are not signed in: only editors may change plans" in " ".join(
        str(i.value) for i in app.info
    )


def test_a_broken_roles_table_is_reported_and_everyone_is_a_viewer(
    app: AppTest, sample: Plan
) -> None:
    signed_in(app, ADMIN)
    app.secrets["planner"] = {"roles": {"admins": ADMIN}}  # a string, not a list
    open_page(app, "pages/plan.py")
    assert any("must be a list of emails" in str(e.value) for e in app.sidebar.error)
    assert button(app, "Save plan settings").disabled


def test_without_auth_everyone_acts_as_admin_with_the_picker(app: AppTest, sample: Plan) -> None:
    open_page(app, "pages/people.py")
    assert [s for s in app.sidebar.selectbox if s.key == Keys.ACTOR]
    assert not button(app, "Add person").disabled
