"""Every page with the sample plan at 1440 and 1024 px: screenshots to look at, and checks that
no key table column is off-screen or cut, no label or button is clipped, no exception shows.

Screenshots: test-artifacts/screens/<width>-<page>.png (a tall viewport, since Streamlit scrolls
inside its own container and full-page shots only capture the viewport).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import waits
from tests.e2e.layout import Grid, grids, layout_problems

pytestmark = pytest.mark.e2e

WIDTHS = [1440, 1024]
TALL = 2400  # px: a whole page in one screenshot

# (menu link, heading, tabs to open one after the other; None is the page as it opens)
PAGES: list[tuple[str, str, list[str | None]]] = [
    ("Home", "Informal Learning Planner", [None]),
    ("Playbooks", "Playbooks", [None]),
    ("Plan", "Plan", [None, "Add", "Export and import", "Settings", "Activity"]),
    ("Schedule", "Schedule", [None]),
    (
        "Progress",
        "Progress",
        [None, "Trends", "What it serves", "Communities", "Stories", "Enter numbers", "xAPI"],
    ),
    ("Review", "Review", [None]),
    ("My week", "My week", [None]),
    ("People", "People", [None]),
]


def settle(page: Page) -> None:
    """Wait until the script run is over and the grids have drawn."""
    waits.settle(page)
    page.wait_for_timeout(800)


def items_grid(page: Page) -> Grid:
    for _ in range(40):
        found = [g for g in grids(page) if g.titles and g.titles[0] == "Item"]
        if found:
            return found[0]
        page.wait_for_timeout(250)
    raise AssertionError("the Plan page shows no items table")


def slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def visit(page: Page, shots: Path, width: int) -> list[str]:
    problems: list[str] = []
    for link, heading, tabs in PAGES:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible(
            timeout=30_000
        )
        settle(page)
        for tab in tabs:
            if tab is not None:
                page.get_by_role("tab", name=tab, exact=True).click()
                settle(page)
            name = slug(link) + ("" if tab is None else f"-{slug(tab)}")
            page.screenshot(path=str(shots / f"{width}-{name}.png"))
            problems += layout_problems(page, f"{width} px {name}")
    problems += open_details(page, shots, width)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Review", exact=True).click()
    settle(page)
    page.get_by_test_id("stExpander").filter(has_text="Status of every item").click()
    settle(page)
    page.screenshot(path=str(shots / f"{width}-review-snapshot.png"))
    problems += layout_problems(page, f"{width} px review-snapshot")
    page.get_by_text("Presentation mode").click()
    settle(page)
    page.screenshot(path=str(shots / f"{width}-review-presentation.png"))
    problems += layout_problems(page, f"{width} px review-presentation")
    page.get_by_text("Presentation mode").click()
    settle(page)
    return problems


def open_details(page: Page, shots: Path, width: int) -> list[str]:
    """The Plan page's edit-one-item form, open on the first item."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Plan", exact=True).click()
    settle(page)
    form = page.get_by_test_id("stExpander").filter(has_text="Edit one item")
    form.click()
    box = form.get_by_role("combobox").first
    for _ in range(3):  # the list filters as it is typed: Enter before it has picks nothing
        box.click()
        box.fill("")
        page.keyboard.type("Ask-an-expert", delay=40)
        page.wait_for_timeout(1000)
        page.keyboard.press("Enter")
        settle(page)
        if form.get_by_text("Community stage").count():
            break
    expect(form.get_by_text("Community stage")).to_be_visible(timeout=20_000)
    page.screenshot(path=str(shots / f"{width}-plan-edit-form.png"))
    return layout_problems(page, f"{width} px plan-edit-form")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits(page: Page, fresh_server: str, shots: Path, width: int) -> None:
    out = shots / "screens"
    out.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": TALL})
    page.goto(fresh_server)
    page.get_by_role("button", name="Load sample plan").first.click()
    expect(
        page.get_by_role("heading", name="Support Academy: informal learning rollout")
    ).to_be_visible(timeout=30_000)
    settle(page)

    items = items_grid(page)
    problems = [] if items.frozen >= 1 else [f"{width} px plan: the item column is not pinned"]
    problems += visit(page, out, width)
    assert not problems, "\n".join(problems)
