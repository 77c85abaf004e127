"""Journeys of a new user's first hour: plans made one after another from the sidebar, "You
are" kept across a reload, and a save refused because a colleague saved first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from planner import services
from planner.store import make_engine, migrate
from tests.e2e.waits import settle

pytestmark = pytest.mark.e2e

WIDTHS = (1440, 1024)
SLOW = 30_000


def new_plan_from_sidebar(page: Page, name: str) -> None:
    settle(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="New plan").click()
    body = page.get_by_test_id("stPopoverBody")
    body.get_by_label("Name").fill(name)
    body.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(timeout=SLOW)


def expect_you_are(page: Page, name: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="You are")
    expect(box).to_match_aria_snapshot(f'- combobox "You are": {name}', timeout=SLOW)


def no_error_on_screen(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("Traceback").count() == 0


def screenshots(page: Page, shots: Path, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1100})
        page.wait_for_timeout(400)
        page.screenshot(path=str(shots / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_plans_one_after_another_and_who_you_are(
    page: Page, fresh_server: str, shots: Path
) -> None:
    page.goto(fresh_server)
    expect(page.get_by_role("heading", name="Informal Learning Planner")).to_be_visible(
        timeout=SLOW
    )
    new_plan_from_sidebar(page, "First plan")
    new_plan_from_sidebar(page, "Second plan")  # with the first one active
    no_error_on_screen(page)

    settle(page)
    page.get_by_role("tab", name="Settings").click()
    page.get_by_role("button", name="Copy plan").click()
    expect(page.get_by_role("heading", name="Second plan (copy)", exact=True)).to_be_visible(
        timeout=SLOW
    )
    settle(page)
    no_error_on_screen(page)

    settle(page)
    page.get_by_test_id("stSidebar").get_by_label("Active plan", exact=True).click()
    options = page.get_by_role("option")
    expect(options).to_have_count(3, timeout=SLOW)
    listed = " | ".join(options.all_inner_texts())
    for name in ("First plan", "Second plan", "Second plan (copy)"):
        assert name in listed, listed
    screenshots(page, shots, "first-hour-plans")
    page.keyboard.press("Escape")

    settle(page)
    you = page.get_by_test_id("stSidebar").get_by_label("You are", exact=True)
    you.click()
    you.fill("Sam Okafor")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]you=Sam(\+|%20)Okafor"), timeout=SLOW)
    page.reload()
    expect_you_are(page, "Sam Okafor")
    page.get_by_role("link", name="Schedule").first.click()
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible(timeout=SLOW)
    settle(page)
    page.reload()
    expect_you_are(page, "Sam Okafor")
    no_error_on_screen(page)


def settings_form(page: Page):  # type: ignore[no-untyped-def]
    # The form is keyed by the plan's version: right after a reload the old one may still be
    # on the page for a moment beside the new one, which comes last.
    return (
        page.get_by_test_id("stForm")
        .filter(has=page.get_by_role("button", name="Save plan settings"))
        .last
    )


def test_a_colleague_saved_first(
    page: Page, browser: Browser, fresh_server: str, tmp_path: Path, shots: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'planner.db'}")
    migrate(engine)
    services.create_plan(engine, name="Shared plan", actor="Tester")
    engine.dispose()

    page.goto(f"{fresh_server}/plan")
    expect(page.get_by_role("heading", name="Shared plan", exact=True)).to_be_visible(timeout=SLOW)
    settle(page)

    colleague = browser.new_context(viewport={"width": 1400, "height": 1000})
    theirs = colleague.new_page()
    theirs.goto(f"{fresh_server}/plan?you=Dana")
    theirs.get_by_role("tab", name="Settings").click()
    settings_form(theirs).get_by_label("Name", exact=True).fill("Their name")
    theirs.get_by_role("button", name="Save plan settings").click()
    expect(theirs.get_by_role("heading", name="Their name", exact=True)).to_be_visible(timeout=SLOW)
    colleague.close()

    page.get_by_role("link", name="Schedule").first.click()
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible(timeout=SLOW)
    settle(page)
    page.get_by_role("link", name="Plan", exact=True).first.click()
    expect(page.get_by_role("heading", name="Shared plan", exact=True)).to_be_visible(timeout=SLOW)
    settle(page)
    page.get_by_role("tab", name="Settings").click()
    settings_form(page).get_by_label("What it is for").fill("My description")
    page.get_by_role("button", name="Save plan settings").click()

    expect(page.get_by_text("Your edits were not saved.")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Dana renamed the plan", exact=False)).to_be_visible()
    table = page.get_by_test_id("stTable")
    expect(table.get_by_text("My description")).to_be_visible()
    expect(table.get_by_text("Only you changed it: kept")).to_be_visible()
    screenshots(page, shots, "first-hour-conflict")

    page.get_by_role("button", name="Reload and keep my edits").click()
    expect(page.get_by_role("heading", name="Their name", exact=True)).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("1 of your edits put back")).to_be_visible()
    settle(page)
    page.get_by_role("tab", name="Settings").click()
    expect(settings_form(page).get_by_label("What it is for")).to_have_value("My description")
    screenshots(page, shots, "first-hour-reloaded")
    page.get_by_role("button", name="Save plan settings").click()
    expect(page.get_by_text("version 3, last saved by Guest")).to_be_visible(timeout=SLOW)
    settle(page)
    no_error_on_screen(page)

    engine = make_engine(f"sqlite:///{tmp_path / 'planner.db'}")
    (plan,) = services.list_plans(engine)
    assert (plan.name, plan.description) == ("Their name", "My description")
    engine.dispose()
