"""Journey: load the sample plan, add a tactic with an owner, see it on the Gantt chart,
download the review CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.waits import settle

pytestmark = pytest.mark.e2e

TACTIC = "Reverse mentoring"


def pick(page: Page, label: str, text: str) -> None:
    """Type into a Streamlit select box or multiselect and take the first match."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")


def test_plan_journey(page: Page, fresh_server: str, shots: Path) -> None:
    page.goto(f"{fresh_server}/plan")
    page.get_by_role("button", name="Load sample plan").first.click()
    expect(
        page.get_by_role("heading", name="Support Academy: informal learning rollout")
    ).to_be_visible(timeout=30_000)
    settle(page)
    page.screenshot(path=str(shots / "plan-sample.png"))

    page.get_by_role("tab", name="Add").click()
    pick(page, "Tactics to add", TACTIC)
    pick(page, "Owner", "Grace Liu")
    page.get_by_role("button", name="Add to plan").click()
    expect(page.get_by_text("Added 1 item(s).")).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Schedule").first.click()
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("radio", name="Owner").click()
    chart = page.locator(".js-plotly-plot").first
    expect(chart.get_by_text(TACTIC, exact=False).first).to_be_visible(timeout=30_000)
    expect(chart.get_by_text("Grace Liu").first).to_be_visible()
    page.screenshot(path=str(shots / "schedule-gantt.png"))

    page.get_by_role("link", name="Plan", exact=True).first.click()
    page.get_by_role("tab", name="Export and import").click()
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Review CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    ours = [r for r in rows if r["tactic"].startswith(TACTIC)]
    assert ours and ours[0]["owner"] == "Grace Liu"
    assert page.get_by_text("Traceback").count() == 0
