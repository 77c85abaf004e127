"""Journey: open the dashboard, go to Playbooks, search, open a tactic."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.waits import settle

pytestmark = pytest.mark.e2e


def test_find_and_open_a_tactic(page: Page, server: str, shots: Path) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", name="Informal Learning Planner")).to_be_visible(
        timeout=30_000
    )
    settle(page)
    page.screenshot(path=str(shots / "home.png"))

    page.get_by_role("link", name="Playbooks").first.click()
    expect(page.get_by_role("heading", name="Playbooks")).to_be_visible(timeout=30_000)
    settle(page)
    page.screenshot(path=str(shots / "playbooks.png"))

    search = page.get_by_label("Search titles, summaries, steps, purposes and practices")
    search.fill("working out loud")
    search.press("Enter")
    details = page.get_by_text("Details: ").first
    expect(details).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Working Out Loud").first).to_be_visible()

    details.click()
    expect(page.get_by_text("Steps", exact=True).first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("References", exact=True).first).to_be_visible()
    page.screenshot(path=str(shots / "playbooks-tactic-open.png"))
    assert page.get_by_text("Traceback").count() == 0


def test_deep_link_as_first_request_goes_through_the_router(page: Page, fresh_server: str) -> None:
    """A fresh server's first request to /playbooks still gets the sidebar and the page."""
    page.goto(f"{fresh_server}/playbooks")
    expect(page.get_by_role("heading", name="Playbooks")).to_be_visible(timeout=30_000)
    settle(page)
    expect(page.get_by_text("tactics in the playbook library")).to_be_visible()
    assert page.get_by_text("KeyError").count() == 0
