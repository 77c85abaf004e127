"""Journey: from an empty database, search Playbooks with typos, get ranked results and a
"did you mean", start a plan from a card, and see the Schedule (Gantt axis at 1440 and 1024 px)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from planner.exchange.playbooks import load_default_library
from planner.ui.charts import wrap_label
from tests.e2e.waits import settle

pytestmark = pytest.mark.e2e

SEARCH = "Search titles, summaries, steps, purposes and practices"


@pytest.mark.parametrize("width", [1440, 1024])
def test_typo_search_then_start_a_plan_from_a_card(
    page: Page, fresh_server: str, shots: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 1400})
    page.set_default_timeout(90_000)  # widgets load slowly on a busy machine
    page.goto(f"{fresh_server}/playbooks")
    expect(page.get_by_role("heading", name="Playbooks")).to_be_visible(timeout=30_000)
    settle(page)

    search = page.get_by_label(SEARCH)
    expect(search).to_be_visible(timeout=90_000)
    search.fill("communty of practis")
    search.press("Enter")
    hint = page.get_by_role("button", name="Did you mean: community of practice?")
    expect(hint).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Practice: Communities of practice")).to_be_visible()
    lib = load_default_library()
    tagged = [t for t in lib.tactics.values() if "communities-of-practice" in t.practices]
    # ranked results: every tactic tagged with the practice is listed
    expect(page.get_by_text(f"{len(tagged)}", exact=True).first).to_be_visible()
    for tactic in tagged:
        expect(page.get_by_role("heading", name=tactic.title)).to_be_visible()
    page.screenshot(path=str(shots / f"playbooks-typo-search-{width}.png"))

    first = next(t for t in tagged if not t.prerequisites)
    start = page.locator(f".st-key-add-{first.id} button")
    expect(start).to_contain_text("Start a plan")
    start.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Plan name")).to_be_visible(timeout=30_000)
    dialog.get_by_label("Plan name").fill("Communities rollout")
    page.screenshot(path=str(shots / f"playbooks-start-plan-{width}.png"))
    dialog.get_by_role("button", name="Create the plan and add it").click()
    expect(page.get_by_role("button", name="Add to plan").first).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Schedule").first.click()
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible(timeout=30_000)
    settle(page)
    chart = page.locator(".js-plotly-plot").first
    first_line = wrap_label(first.title).split("<br>")[0]  # long titles wrap on the Gantt
    expect(chart.get_by_text(first_line, exact=False).first).to_be_visible(timeout=90_000)
    page.screenshot(path=str(shots / f"schedule-gantt-{width}.png"))
    assert page.get_by_text("Traceback").count() == 0


def _overlaps(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    ordered = sorted(range(len(boxes)), key=lambda k: boxes[k]["x"])
    return [
        (a, b)
        for a, b in pairwise(ordered)
        if boxes[a]["x"] + boxes[a]["width"] > boxes[b]["x"] - 2
    ]


@pytest.mark.parametrize("width", [1440, 1024])
def test_gantt_date_labels_do_not_overlap(
    page: Page, fresh_server: str, shots: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 1600})
    page.set_default_timeout(90_000)
    page.goto(f"{fresh_server}/plan")
    page.get_by_role("button", name="Load sample plan").first.click()
    expect(
        page.get_by_role("heading", name="Support Academy: informal learning rollout")
    ).to_be_visible(timeout=90_000)
    settle(page)
    page.get_by_role("link", name="Schedule").first.click()
    expect(page.get_by_role("heading", name="Schedule", exact=True)).to_be_visible(timeout=90_000)
    settle(page)
    expect(page.locator(".js-plotly-plot .xtick text").first).to_be_visible(timeout=90_000)
    page.screenshot(path=str(shots / f"schedule-sample-{width}.png"))
    for chart in (0, 1):  # the Gantt, then the workload heatmap
        ticks = page.locator(".js-plotly-plot").nth(chart).locator(".xtick text")
        expect(ticks.first).to_be_visible(timeout=90_000)
        boxes = [ticks.nth(k).bounding_box() for k in range(ticks.count())]
        shown = [b for b in boxes if b is not None and b["width"] > 0]
        assert len(shown) >= 3
        assert _overlaps(shown) == [], f"chart {chart}: date labels overlap at {width} px"
