"""Editing a cell of a Streamlit data grid (glide-data-grid, drawn on a canvas) as a user does.

A click selects a cell; Enter opens its editor; the user waits until the editor is there, types,
and presses Enter to commit. The editors are mounted in `#portal` and some are loaded lazily
(the number editor is a separate script chunk fetched the first time one opens): keys typed
before the editor is mounted are lost, so the cell keeps its old value. `edit_cell` therefore
waits for the editor, types into it, waits for the rerun, reads the cell back from the grid's
own data and tries again (up to three times) when the value did not arrive.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.e2e import waits
from tests.e2e.layout import Grid, grids

HEADER = 35  # the header row's height in px (the data rows' height is the grid's row_height)

CELL_JS = """
([index, col, row]) => {
  const el = document.querySelectorAll('[data-testid="stDataFrame"]')[index];
  const canvas = el && el.querySelector('canvas[data-testid="data-grid-canvas"]');
  if (!canvas) return null;
  const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber'));
  let fiber = canvas[key], props = null;
  for (let i = 0; fiber && i < 40 && !props; i++, fiber = fiber.return) {
    const p = fiber.memoizedProps || {};
    if ('freezeColumns' in p && p.getCellContent && p.columns) props = p;
  }
  if (!props) return null;
  if (row >= props.rows) return {rows: props.rows, shown: null};
  const cell = props.getCellContent([col, row]);
  let shown = cell.displayData;
  if (typeof shown !== 'string') {  // custom cells (list, date) keep their value in data
    const d = cell.data;
    shown = d && typeof d === 'object' ? (d.displayDate ?? d.value ?? cell.copyData) : d;
  }
  return {rows: props.rows, shown: shown == null ? null : String(shown)};
}
"""

EDITOR = "#portal input, #portal textarea"


def settle(page: Page) -> None:
    """Wait until the script has finished its rerun, and the grid has redrawn."""
    waits.settle(page)
    page.wait_for_timeout(200)


def find_grid(page: Page, *titles: str) -> Grid:
    """The (first) grid on the page that has all these column titles."""
    found = [g for g in grids(page) if all(t in g.titles for t in titles)]
    assert found, f"no table with columns {titles}: {[g.titles for g in grids(page)]}"
    return found[0]


def cell_text(page: Page, grid: Grid, row: int, title: str) -> tuple[int, str | None]:
    """The rows the grid draws (a dynamic grid's add-row line included) and what one cell
    shows (None: the row does not exist yet)."""
    got: dict[str, Any] | None = page.evaluate(CELL_JS, [grid.index, grid.titles.index(title), row])
    assert got is not None, f"table {grid.index} has no grid"
    return int(got["rows"]), got["shown"]


def edit_cell(
    page: Page, titles: tuple[str, ...], row: int, title: str, text: str, shows: str
) -> None:
    """Give a cell a value: select it, open its editor, type, commit; until it `shows` that.

    `row` is 0 for the first data row; the row after the last one of a dynamic grid is its
    "add row" line: clicking it adds a row. `titles` pick the grid (columns it has)."""
    shown: str | None = None
    for _ in range(3):
        settle(page)
        grid = find_grid(page, *titles)
        box = page.get_by_test_id("stDataFrame").nth(grid.index).bounding_box()
        assert box is not None
        column = grid.titles.index(title)
        x = box["x"] + sum(c.width for c in grid.columns[:column]) + grid.columns[column].width / 2
        y = box["y"] + HEADER + grid.row_height * row + grid.row_height / 2
        page.mouse.click(x, y)  # selects the cell (on the "add row" line: adds a row)
        settle(page)
        if page.locator(EDITOR).count() == 0:  # a click on the add-row line may open it
            page.keyboard.press("Enter")  # opens the cell's editor
        editor = page.locator(EDITOR).first
        try:
            expect(editor).to_be_visible(timeout=10_000)
            if editor.get_attribute("type", timeout=2_000) in ("date", "datetime-local", "time"):
                editor.fill(text, timeout=2_000)
            else:  # a list (it filters as one types) or a text or number field
                editor.press_sequentially(text, delay=50, timeout=5_000)
                page.wait_for_timeout(300)
            editor.press("Enter", timeout=2_000)  # commits (a list: takes the first match)
            expect(page.locator(EDITOR)).to_have_count(0, timeout=10_000)
        except (AssertionError, PlaywrightError) as exc:  # the editor closed (a late rerun)
            print(f"edit_cell {title!r}: editor lost, trying again ({exc.__class__.__name__})")
            page.keyboard.press("Escape")
            continue
        settle(page)
        _, shown = cell_text(page, find_grid(page, *titles), row, title)
        if shown is not None and shows in shown:
            return
        print(f"edit_cell {title!r}: the cell shows {shown!r}, trying again")
        page.keyboard.press("Escape")
    raise AssertionError(f"cell {title!r} of row {row} shows {shown!r}, not {shows!r}")
