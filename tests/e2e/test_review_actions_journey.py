"""Journey: from an empty database, load the sample on Home, record a review with an action item
typed into the grid like a user (click the cell, type), and find its due date on the agenda, in
the owner's My week and in the downloaded workbook; then presentation mode at 1440 and 1024 px.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from planner.domain.activity import format_day
from tests.e2e.waits import settle

pytestmark = pytest.mark.e2e

ACTION = "Book the room for the showcase"
WIDTHS = (1440, 1024)

# For every headline metric: (label, label font px, label cut off?, value, value font px), read
# from the element that holds each text.
METRIC_FONTS = """() => {
  const leaf = (el) => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = walk.nextNode())) { if (n.textContent.trim()) return n.parentElement; }
    return el;
  };
  return [...document.querySelectorAll('[data-testid=stMetric]')].map((m) => {
    const l = leaf(m.querySelector('[data-testid=stMetricLabel]'));
    const v = leaf(m.querySelector('[data-testid=stMetricValue]'));
    return [l.textContent, parseFloat(getComputedStyle(l).fontSize),
            l.scrollWidth > l.clientWidth + 1, v.textContent,
            parseFloat(getComputedStyle(v).fontSize)];
  });
}"""


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """en-US, so the grid's date field takes the date as month, day, year."""
    return {**browser_context_args, "locale": "en-US"}


def _cell(page: Page, box: dict[str, Any], column: float) -> None:
    """Click the first row's cell at `column` (a fraction of the grid's width)."""
    page.mouse.click(box["x"] + box["width"] * column, box["y"] + 35 + 17)
    page.wait_for_timeout(400)


def _type_action(page: Page, due: date) -> None:
    grid = page.locator(".st-key-review-actions [data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    _cell(page, box, 0.06)  # the empty row: a click adds a row and edits its Action cell
    page.keyboard.type(ACTION, delay=15)
    page.keyboard.press("Enter")
    expect(grid).to_contain_text(ACTION)  # the grid took the text before the next cell
    for _attempt in range(3):  # a loaded machine may drop a keystroke of the picker: try again
        _cell(page, box, 0.65)  # Owner: open the list, type, pick
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        page.keyboard.type("Tom", delay=30)
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        try:
            expect(grid).to_contain_text("Tom Becker", timeout=5_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    expect(grid).to_contain_text("Tom Becker")
    _cell(page, box, 0.9)  # Due: the browser's date field (en-US: month, day, year)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.type(due.strftime("%m%d%Y"), delay=30)
    page.keyboard.press("Enter")
    expect(grid).to_contain_text(due.isoformat())  # the accessible copy of the cells: ISO text


def _shoot(page: Page, shots: Path, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1800})
        page.wait_for_timeout(700)
        page.screenshot(path=str(shots / f"{name}-{width}.png"))


def test_an_action_due_next_week_is_on_the_agenda_in_my_week_and_in_the_workbook(
    page: Page, fresh_server: str, shots: Path
) -> None:
    today = date.today()
    due = today + timedelta(days=7)  # the same weekday next week: the last day of My week
    page.set_viewport_size({"width": 1440, "height": 1800})
    page.goto(fresh_server)
    page.get_by_role("button", name="Load sample plan").first.click()
    expect(
        page.get_by_role("heading", name="Support Academy: informal learning rollout")
    ).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("link", name="Review").first.click()
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible(timeout=30_000)
    settle(page)
    expect(page.get_by_text("Nothing has changed since.")).to_have_count(0)

    _type_action(page, due)
    page.get_by_label("Decisions (one per line)").fill("Showcase in the big room")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible(timeout=30_000)
    settle(page)
    agenda = page.get_by_text(f"{ACTION} · Tom Becker · {format_day(due)}")
    expect(agenda).to_be_visible(timeout=30_000)
    # recorded: the form starts empty for the next review
    decisions = page.get_by_label("Decisions (one per line)")
    expect(decisions).to_have_count(1, timeout=30_000)  # the old form's widgets have gone
    expect(decisions).to_have_value("")
    expect(page.locator("[data-testid='stForm'] [data-testid='stDataFrame']")).not_to_contain_text(
        ACTION
    )
    agenda.scroll_into_view_if_needed()
    _shoot(page, shots, "review-agenda")

    page.get_by_role("link", name="My week").first.click()
    expect(page.get_by_role("heading", name="My week")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_label("Whose week").click()
    page.keyboard.type("Tom Becker")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{format_day(due)}, both included")).to_be_visible(timeout=30_000)
    mine = page.get_by_text(f"{ACTION} · Support Academy: informal learning rollout")
    expect(mine).to_contain_text(format_day(due), timeout=30_000)
    mine.scroll_into_view_if_needed()
    _shoot(page, shots, "my-week-action")

    page.set_viewport_size({"width": 1440, "height": 1800})
    page.get_by_role("link", name="Plan", exact=True).first.click()
    page.get_by_role("tab", name="Export and import").click()
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Excel workbook").click()
    workbook = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    rows = {r[0]: r for r in workbook["Actions"].iter_rows(min_row=2, values_only=True)}
    assert rows[ACTION][1:4] == ("Tom Becker", datetime.combine(due, time()), "open")


def test_presentation_mode_numbers_are_larger_than_their_labels(
    page: Page, fresh_server: str, shots: Path
) -> None:
    page.set_viewport_size({"width": 1440, "height": 1400})
    page.goto(fresh_server)
    page.get_by_role("button", name="Load sample plan").first.click()
    expect(
        page.get_by_role("heading", name="Support Academy: informal learning rollout")
    ).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("link", name="Review").first.click()
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_text("Presentation mode").click()
    expect(page.get_by_role("button", name="Next")).to_be_visible(timeout=30_000)
    settle(page)  # until then the page's own figures may still stand beside the slide's
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1400})
        page.wait_for_timeout(800)
        page.screenshot(path=str(shots / f"review-presentation-{width}.png"))
        metrics = page.evaluate(METRIC_FONTS)
        assert len(metrics) == 6, metrics
        for label, label_px, cut, value, value_px in metrics:
            assert value_px >= 2 * label_px, (width, label, label_px, value, value_px)
            assert not cut, (width, label, "label cut off")
        for name in ("Previous", "Next"):
            button = page.get_by_role("button", name=name)
            text = button.locator("p").first
            assert text.evaluate("p => p.scrollWidth <= p.clientWidth + 1"), (width, name)
