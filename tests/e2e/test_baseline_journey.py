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

from planner.domain.activity import format_day
from planner.exchange.playbooks import load_default_library
from tests.e2e.grid import cell_text, edit_cell, find_grid, settle

pytestmark = pytest.mark.e2e

TACTIC = "Manager conversations on learning goals"  # first metric: latest, monthly
WEEKS = next(t for t in load_default_library().tactics.values() if t.title == TACTIC).duration_weeks
START = date.today() - timedelta(weeks=WEEKS, days=-4)  # the item is due in 3 days
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


def open_tab(page: Page, name: str, shows: Locator) -> None:
    """Click a tab until what it shows is visible (a click during a rerun can be lost)."""
    for _ in range(4):
        page.get_by_role("tab", name=name).click()
        try:
            expect(shows).to_be_visible(timeout=8_000)
            return
        except AssertionError:
            continue
    expect(shows).to_be_visible(timeout=8_000)


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
    open_tab(page, "Add", page.get_by_label("Tactics to add", exact=True))
    pick(page, "Tactics to add", TACTIC)
    page.keyboard.press("Escape")
    set_date(
        page.get_by_test_id("stForm").filter(has_text="Add to plan"), "Start no earlier than", START
    )
    page.get_by_role("button", name="Add to plan").click()
    expect(page.get_by_text("Added 1 item(s).")).to_be_visible(timeout=30_000)

    # The Targets table says what the baseline will be while none is set ...
    targets = page.get_by_test_id("stDataFrame").nth(1)
    open_tab(page, "Items", targets)
    screenshots(page, shots, "baseline-journey-targets")
    # ... and takes an explicit one: 0 for the first metric (cells: Item, Metric, Target,
    # Due, Baseline)
    edit_cell(page, ("Baseline", "Baseline used"), 0, "Baseline", "0", shows="0")
    expect(page.get_by_text("1 item(s) changed, not saved yet.")).to_be_visible(timeout=15_000)
    settle(page)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved 1 item(s).")).to_be_visible(timeout=30_000)
    screenshots(page, shots, "baseline-journey-targets-saved")

    # A first reading, in the readings grid
    page.get_by_role("link", name="Progress").first.click()
    expect(page.get_by_text("Adoption index")).to_be_visible(timeout=30_000)
    settle(page)
    open_tab(page, "Enter numbers", page.get_by_text("reading(s) stored for this item"))
    entry = ("Metric", "Date", "Value", "Note")  # the entry grid (nothing stored yet)
    edit_cell(page, entry, 0, "Metric", "Direct", shows="Direct reports")  # adds the row
    edit_cell(page, entry, 0, "Date", READING_DAY.isoformat(), shows=format_day(READING_DAY))
    edit_cell(page, entry, 0, "Value", "88", shows="88")
    # the rerun each edit causes keeps the cells typed before it (the grid's state is not reset)
    grid = find_grid(page, *entry)
    rows_now, metric = cell_text(page, grid, 0, "Metric")  # rows: ours and the add-row line
    assert rows_now == 2 and (metric or "").startswith("Direct reports with a written")
    assert cell_text(page, grid, 0, "Date") == (2, format_day(READING_DAY))
    expect(page.get_by_text("Where the new readings go:")).to_be_visible(timeout=15_000)
    screenshots(page, shots, "baseline-journey-reading-grid")
    page.get_by_role("button", name="Save 1 reading(s)").click()
    expect(page.get_by_text("Readings saved: 1 new")).to_be_visible(timeout=30_000)
    settle(page)

    # The status: the right word, and what it compares
    status = page.get_by_test_id("stDataFrame").first
    open_tab(page, "Status", status)
    settle(page)
    expect(page.get_by_text("1 of 2 metrics counted")).to_be_visible(timeout=30_000)
    value = page.get_by_test_id("stMetric").filter(has_text="Items on track").first
    expect(value.get_by_test_id("stMetricValue")).to_have_text("1", timeout=30_000)
    index = page.get_by_test_id("stMetric").filter(has_text="Adoption index").first
    expect(index.get_by_test_id("stMetricValue")).to_have_text("100%")
    grid_text = status.text_content() or ""  # the grid draws on a canvas; its cells are its text
    assert "on track" in grid_text
    assert "88 of 90 (baseline 0, expected " in grid_text
    screenshots(page, shots, "baseline-journey-status")

    # The review CSV carries the unit, the due date and the baseline
    page.get_by_role("link", name="Plan", exact=True).first.click()
    open_tab(page, "Export and import", page.get_by_role("button", name="Review CSV"))
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Review CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    ours = next(r for r in rows if r["metric"].startswith("Direct reports"))
    assert ours["category"] == "Coaching and development"  # the taxonomy's name, not an id
    assert (ours["unit"], ours["baseline"], ours["baseline from"]) == ("percent", "0", "target")
    assert ours["due"] == (START + timedelta(weeks=WEEKS, days=-1)).isoformat()
    assert ours["status"] == "on track" and ours["actual"] == "88"
    other = next(r for r in rows if not r["metric"].startswith("Direct reports"))
    # The other metric is read once, at the end (playbook baseline rule: zero): not due yet.
    assert (other["baseline"], other["status"]) == ("0", "not started")
    assert page.get_by_text("Traceback").count() == 0
