"""Journey: record a review, download the HTML report, open it, screenshot it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.waits import settle

pytestmark = pytest.mark.e2e


def test_record_a_review_and_open_the_report(page: Page, fresh_server: str, shots: Path) -> None:
    page.goto(f"{fresh_server}/plan")
    page.get_by_role("button", name="Load sample plan").first.click()
    expect(
        page.get_by_role("heading", name="Support Academy: informal learning rollout")
    ).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("link", name="Review").first.click()
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_label("Decisions (one per line)").fill("Pilot a second expert rota")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Decided: Pilot a second expert rota")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(shots / "review.png"))

    page.get_by_role("link", name="Plan", exact=True).first.click()
    page.get_by_role("tab", name="Export and import").click()
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="HTML report").click()
    report = Path(info.value.path())
    html = report.read_text(encoding="utf-8")
    assert "Pilot a second expert rota" in html

    offline = page.context.new_page()
    page.context.set_offline(True)
    offline.goto(report.as_uri())
    expect(offline.get_by_text("Support Academy: informal learning rollout").first).to_be_visible()
    offline.set_viewport_size({"width": 1200, "height": 2000})
    offline.screenshot(path=str(shots / "review-report.png"))
    assert offline.get_by_text("Traceback").count() == 0
