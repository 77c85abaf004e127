"""planner.domain.access: roles from `[planner.roles]`, the Actor value and the refusal message."""

from __future__ import annotations

import copy
import pickle

import pytest

from planner.domain.access import (
    PERMISSIONS,
    Actor,
    Permission,
    Role,
    actor_role,
    allowed,
    require,
    role_for,
    roles_config,
)
from planner.errors import PermissionDeniedError, PlannerError

CONFIG = {
    "admins": ["Ana@Example.org"],
    "editors": ["ben@example.org", "@team.example.org", "ana@example.org"],
    "viewers": ["pat@team.example.org"],
    "default": "viewer",
}


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("ana@example.org", Role.ADMIN),  # listed twice: the highest role wins
        ("ANA@EXAMPLE.ORG ", Role.ADMIN),  # case and spaces do not matter
        ("ben@example.org", Role.EDITOR),
        ("sam@team.example.org", Role.EDITOR),  # by domain
        ("pat@team.example.org", Role.VIEWER),  # listed by email: before the domain's role
        ("zoe@elsewhere.org", Role.VIEWER),  # not listed: the default
        ("mallory@example.org.evil", Role.VIEWER),  # a domain is matched whole
        (None, Role.VIEWER),
        ("", Role.VIEWER),
    ],
)
def test_role_for(email: str | None, role: Role) -> None:
    assert role_for(email, CONFIG) is role


def test_the_default_role_and_no_table() -> None:
    assert role_for("x@y.org", {"default": "Editor"}) is Role.EDITOR
    assert role_for("x@y.org", None) is Role.VIEWER
    assert roles_config({}).role_for("x@y.org") is Role.VIEWER
    assert roles_config({"planner": {"roles": CONFIG}}).admins == ("ana@example.org",)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"default": "owner"}, "'owner' is not a role"),
        ({"admins": "ana@example.org"}, "must be a list of emails"),
        ({"editors": ["ben"]}, "'ben' is not an email"),
        ({"admin": ["ana@example.org"]}, "unknown key(s) admin"),
    ],
)
def test_a_malformed_table_is_a_planner_error(config: dict[str, object], message: str) -> None:
    with pytest.raises(PlannerError) as refused:
        role_for("a@b.org", config)
    assert message in str(refused.value)
    assert "[planner.roles]" in str(refused.value)


def test_roles_are_ordered_and_every_permission_has_a_minimum() -> None:
    assert Role.VIEWER < Role.EDITOR < Role.ADMIN
    assert set(PERMISSIONS) == set(Permission)
    assert not any(allowed(Role.VIEWER, p) for p in Permission)
    assert {p for p in Permission if allowed(Role.EDITOR, p)} == {
        Permission.PLAN_EDIT,
        Permission.READINGS_EDIT,
        Permission.REVIEW_EDIT,
    }
    assert all(allowed(Role.ADMIN, p) for p in Permission)


def test_an_actor_is_the_name_it_records_and_keeps_its_role_when_copied() -> None:
    ed = Actor("Ed", email="ed@x.org", role=Role.EDITOR, admins=["ana@x.org"])
    assert ed == "Ed" and str(ed) == "Ed" and type(str(ed)) is str and ed.name == "Ed"
    for twin in (copy.deepcopy(ed), pickle.loads(pickle.dumps(ed))):
        assert (twin, twin.email, twin.role, twin.admins) == (
            "Ed",
            "ed@x.org",
            Role.EDITOR,
            ("ana@x.org",),
        )
    assert actor_role(ed) is Role.EDITOR
    assert actor_role("Tester") is Role.ADMIN  # a plain string: local use, CLI


def test_the_refusal_says_who_which_role_what_and_who_can_grant_it() -> None:
    vera = Actor("Vera", email="vera@x.org", role=Role.VIEWER, admins=["ana@x.org", "bo@x.org"])
    with pytest.raises(PermissionDeniedError) as refused:
        require(vera, Permission.PEOPLE_ERASE, "erase person pe_1")
    assert str(refused.value) == (
        "Vera (vera@x.org) is signed in as viewer and cannot erase person pe_1: only admins and "
        "above may erase people and keep the opt-out list (people.erase). Nothing was changed. "
        "To get the admin role, ask an admin (ana@x.org, bo@x.org) to add your email under "
        "`admins` in the `[planner.roles]` secrets."
    )
    require("Tester", Permission.PEOPLE_ERASE, "erase")  # local use: allowed


def test_someone_not_signed_in_is_told_so() -> None:
    guest = Actor("Guest", role=Role.VIEWER, admins=["ana@x.org"])
    with pytest.raises(PermissionDeniedError, match=r"^Guest is not signed in and cannot copy"):
        require(guest, Permission.PLAN_EDIT, "copy plan pl_1")
