"""Journey (issue 8, a new user's first hour): from an empty database, create a plan with one
tactic, give its target an explicit baseline, enter a first reading in the readings grid, read
the status on the Progress page, and export the review CSV with its baseline, unit and due."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

TACTIC = "Manager conversations on learning goals"  # 12 weeks; first metric: latest, monthly
METRIC = "Reports with a learning goal"
START = date.today() - timedelta(days=80)  # the item is due in 3 days
READING_DAY = date.today() - timedelta(days=1)


def pick(page: Page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")


def set_date(scope: Locator, label: str, day: date) -> None:
    """Type a date into a Streamlit date field (day, month and year segments)."""
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        segment = scope.get_by_role("spinbutton", name=f"{part}, {label}")
        segment.click()
        segment.press_sequentially(f"{value:02d}" if part != "year" else str(value))
    scope.page.keyboard.press("Escape")  # close the calendar pop-over


def grid_cell(grid: Locator, row: int, column: int, widths: list[int]) -> tuple[float, float]:
    """The centre of a cell of a Glide data grid (row 0: the first data row) by column widths."""
    box = grid.bounding_box()
    assert box is not None
    x = box["x"] + sum(widths[:column]) + widths[column] / 2
    y = box["y"] + 35 + 35 * row + 17
    return x, y


def screenshots(page: Page, shots: Path, name: str) -> None:
    for width in (1440, 1024):
        page.set_viewport_size({"width": width, "height": 1400})
        page.wait_for_timeout(400)
        page.screenshot(path=str(shots / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1440, "height": 1400})


def test_first_hour(page: Page, fresh_server: str, shots: Path) -> None:
    page.set_viewport_size({"width": 1440, "height": 1400})
    page.goto(f"{fresh_server}/plan")
    form = page.get_by_test_id("stForm").filter(has_text="Create plan")
    expect(form).to_be_visible(timeout=30_000)
    form.get_by_label("Name").fill("First hour")
    set_date(form, "Starts", START)
    form.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name="First hour")).to_be_visible(timeout=30_000)

    expect(page.get_by_text("This plan has no items yet")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Add").click()
    expect(page.get_by_label("Tactics to add", exact=True)).to_be_visible(timeout=30_000)
    pick(page, "Tactics to add", TACTIC)
    page.keyboard.press("Escape")
    set_date(page.get_by_test_id("stForm").filter(has_text="Add to plan"), "Start no earlier than", START)
    page.get_by_role("button", name="Add to plan").click()
    expect(page.get_by_text("Added 1 item(s).")).to_be_visible(timeout=30_000)

    # The Targets table says what the baseline will be while none is set ...
    page.get_by_role("tab", name="Items").click()
    targets = page.get_by_test_id("stDataFrame").nth(1)
    expect(targets).to_be_visible(timeout=30_000)
    screenshots(page, shots, "first-hour-targets")
    # ... and takes an explicit one: 0 for the first metric (cells: Item, Metric, Target,
    # Due, Baseline)
    page.wait_for_timeout(1000)
    box = targets.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 60, box["y"] + 35 + 17)  # select the first row's Item cell
    page.wait_for_timeout(300)
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.screenshot(path=str(shots / "debug0.png"))
    page.keyboard.press("Enter")  # open the Baseline cell's editor
    page.wait_for_timeout(300)
    page.keyboard.type("0")
    page.screenshot(path=str(shots / "debug1.png"))
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(shots / "debug.png"))
    expect(page.get_by_text("1 item(s) changed, not saved yet.")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved 1 item(s).")).to_be_visible(timeout=30_000)
    screenshots(page, shots, "first-hour-targets-saved")
