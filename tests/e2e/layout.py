"""Layout checks for the browser tests: tables whose key columns are off-screen or cut, labels
and buttons clipped, exception boxes.

Streamlit draws tables with glide-data-grid on a canvas, so the column widths are not in the
DOM; they are read from the grid component's props (the React fiber of the canvas), and every
cell's text is measured with the grid's own font.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

# Columns a reader needs whole, in any table that has them: the thing a row is about, and the
# words that say what happened to it. Long free text (notes, stories) may be cut in a table:
# the edit form and the detail views show it whole.
KEY_COLUMNS = frozenset(
    {"Item", "Metric", "What", "Plan", "Name", "Owner", "Status", "Action", "Change", "Who"}
)

GRIDS_JS = """
() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map((el, index) => {
  const box = el.getBoundingClientRect();
  const canvas = el.querySelector('canvas[data-testid="data-grid-canvas"]');
  if (!canvas || box.width === 0) return null;
  const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber'));
  let fiber = canvas[key], props = null;
  for (let i = 0; fiber && i < 40 && !props; i++, fiber = fiber.return) {
    const p = fiber.memoizedProps || {};
    if ('freezeColumns' in p && p.getCellContent && p.columns) props = p;
  }
  if (!props) return null;
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = props.theme.baseFontFull;
  const rows = Math.min(props.rows, 300);
  const columns = props.columns.map((c, col) => {
    let text = 0, wraps = false;
    for (let row = 0; row < rows; row++) {
      const cell = props.getCellContent([col, row]);
      const shown = cell.displayData ?? '';
      if (typeof shown === 'string') text = Math.max(text, ctx.measureText(shown).width);
      wraps = wraps || cell.allowWrapping === true;
    }
    return {title: c.title, width: c.width, text, wraps};
  });
  return {
    index, left: box.left, right: box.right, width: props.width, frozen: props.freezeColumns,
    rowHeight: props.rowHeight, padding: props.theme.cellHorizontalPadding,
    lineHeight: 14 * props.theme.lineHeight, columns,
  };
}).filter(Boolean)
"""

CLIPPED_JS = """
() => {
  const out = [];
  const seen = new Set();
  const sel = '[data-testid="stMetricLabel"], [data-testid="stMetricValue"], '
    + '[data-testid="stWidgetLabel"], button[data-testid^="stBaseButton"], '
    + '[data-testid="stTab"], [data-testid="stPageLink-NavLink"]';
  for (const el of document.querySelectorAll(sel)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest('[data-testid="stSidebar"]')) continue;
    for (const node of [el, ...el.querySelectorAll('*')]) {
      if (node.scrollWidth > node.clientWidth + 1 && node.clientWidth > 0
          && getComputedStyle(node).overflowX !== 'visible') {
        const text = el.innerText.trim().replace(/\\s+/g, ' ');
        if (text && !seen.has(text)) { seen.add(text); out.push(text); }
        break;
      }
    }
    let outside = box.right > window.innerWidth + 1;
    for (let a = el.parentElement; a && !outside && a.dataset.testid !== 'stMain';
         a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const r = a.getBoundingClientRect();
      outside = box.right > r.right + 1 || box.left < r.left - 1;
    }
    if (outside) {
      const text = el.innerText.trim().replace(/\\s+/g, ' ');
      if (text && !seen.has(text)) { seen.add(text); out.push(text + ' (cut off by its column)'); }
    }
  }
  return out;
}
"""


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    text: float
    wraps: bool


@dataclass(frozen=True)
class Grid:
    index: int
    left: float
    right: float
    width: float
    frozen: int
    row_height: float
    padding: float
    line_height: float
    columns: list[Column]

    @property
    def titles(self) -> list[str]:
        return [c.title for c in self.columns]

    def off_screen(self, viewport_width: int) -> list[str]:
        """Columns that start or end beyond the grid's visible width (or the window's)."""
        visible = min(self.width, viewport_width - self.left)
        out, x = [], 0.0
        for c in self.columns:
            x += c.width
            if x > visible + 1:
                out.append(c.title)
        return out

    def cut(self, keys: frozenset[str] = KEY_COLUMNS) -> list[str]:
        """Key columns (and the first one) whose longest cell does not fit its width."""
        out = []
        lines = max(1, int((self.row_height - 6) // self.line_height))
        for k, c in enumerate(self.columns):
            if c.title not in keys and k != 0:
                continue
            room = c.width - 2 * self.padding
            # A wrapped cell breaks between words: allow for the ragged right edge.
            fits = c.text <= (room * lines * 0.85 if c.wraps and lines > 1 else room + 1)
            if not fits:
                out.append(c.title)
        return out


def grids(page: Page) -> list[Grid]:
    found: list[dict[str, Any]] = page.evaluate(GRIDS_JS)
    return [
        Grid(
            index=g["index"],
            left=g["left"],
            right=g["right"],
            width=g["width"],
            frozen=g["frozen"],
            row_height=g["rowHeight"],
            padding=g["padding"],
            line_height=g["lineHeight"],
            columns=[Column(**c) for c in g["columns"]],
        )
        for g in found
    ]


def clipped_controls(page: Page) -> list[str]:
    """Labels, buttons, tabs and metric labels whose text is cut (ellipsis or overflow)."""
    return list(page.evaluate(CLIPPED_JS))


def layout_problems(page: Page, where: str) -> list[str]:
    width = page.viewport_size["width"] if page.viewport_size else 1440
    problems = []
    if page.get_by_test_id("stException").count():
        problems.append(f"{where}: an exception box is shown")
    for grid in grids(page):
        name = f"{where}: table {grid.index + 1} ({', '.join(grid.titles[:3])}…)"
        if hidden := grid.off_screen(width):
            problems.append(f"{name}: off-screen {hidden}")
        if cut := grid.cut():
            problems.append(f"{name}: cut {cut}")
    if clipped := clipped_controls(page):
        problems.append(f"{where}: clipped {clipped}")
    return problems
