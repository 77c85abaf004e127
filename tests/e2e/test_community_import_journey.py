"""Journey: upload a Microsoft Teams export on the Progress page, preview it, import it, and see
the community's members change on the Communities tab."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.community_files import Person, teams_export
from tests.e2e.waits import settle

pytestmark = pytest.mark.e2e


def members_shown(page: Page) -> list[str]:
    metrics = page.get_by_test_id("stMetric").filter(has_text="Members")
    return [m.get_by_test_id("stMetricValue").inner_text().strip() for m in metrics.all()]


def test_a_teams_export_changes_a_communitys_members(
    page: Page, fresh_server: str, shots: Path, tmp_path: Path
) -> None:
    page.goto(f"{fresh_server}/plan")
    page.get_by_role("button", name="Load sample plan").first.click()
    expect(
        page.get_by_role("heading", name="Support Academy: informal learning rollout")
    ).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("link", name="Progress").first.click()
    expect(page.get_by_text("Adoption index")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("tab", name="Communities").click()
    before = members_shown(page)
    assert "4,321" not in before

    today = date.today()
    people = [Person(n, today if n < 900 else None, posts=int(n % 7 == 0)) for n in range(4_321)]
    export = tmp_path / "TeamsUserActivityUserDetail.csv"
    export.write_bytes(teams_export(people, today, 30, bom=True))
    page.get_by_role("tab", name="Tool exports").click()
    form = page.get_by_test_id("stForm").filter(has_text="Export files")
    uploader = form.get_by_role("region", name="Export files (CSV)")
    uploader.locator("input[type=file]").set_input_files(str(export))
    expect(form.get_by_role("button", name=f"Remove {export.name}")).to_be_visible(timeout=30_000)
    form.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Microsoft Teams user activity detail").first).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_text("4,321 rows")).to_be_visible()
    page.screenshot(path=str(shots / "community-preview.png"), full_page=True)
    page.get_by_role("button", name="Import 3 reading(s)").click()
    expect(page.get_by_text("3 reading(s) created")).to_be_visible(timeout=30_000)

    page.get_by_role("tab", name="Communities").click()
    expect(
        page.get_by_test_id("stMetric").filter(has_text="Members").filter(has_text="4,321").first
    ).to_be_visible(timeout=30_000)
    # the file's active members (weekly) over its members (the item's monthly metric): 900 of
    # 4,321, paired by the day the export measured both
    expect(
        page.get_by_test_id("stMetric").filter(has_text="Active share").filter(has_text="21%")
    ).to_have_count(1)
    page.screenshot(path=str(shots / "community-after.png"), full_page=True)
    assert page.get_by_text("Traceback").count() == 0
