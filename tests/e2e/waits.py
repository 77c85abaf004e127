"""Waiting for the dashboard the way Streamlit itself marks it, not for a fixed time."""

from __future__ import annotations

from playwright.sync_api import Page, expect

SLOW = 30_000
# The frontend marks a rerun as requested within a frame or two of the click that asks for it.
GRACE_MS = 300


def settle(page: Page, timeout: int = SLOW) -> None:
    """Wait until the script run the last action started is over.

    While a run is going, Streamlit keeps the elements of the run before it on the page
    (stale) beside the new ones, so a locator can match both. The app's root element says
    whether a run is going (`data-test-script-state`); the status widget and skeletons go
    when it is over."""
    page.wait_for_timeout(GRACE_MS)
    app = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(app).to_have_count(1, timeout=timeout)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
