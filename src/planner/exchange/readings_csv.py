"""The readings CSV: a file of hand-measured readings in, a template to fill in out.

`parse_readings_csv` turns a file's bytes into `ReadingInput` records checked against the plan's
items (all or nothing: every problem by row and column, as `ReadingsImportError`);
`readings_csv_template` writes one row per item and metric for people to fill in. Recording
what was parsed (clashes with stored readings, the activity log) is the use case
`planner.services.readings.import_readings_csv`.

May import: `planner.domain`, `planner.errors` and `planner.exchange.csvsafe`; no store, no
services.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from planner.domain.limits import (
    MAX_READINGS_CSV_ROWS,
    check_size,
    csv_records,
    csv_rows,
    day_problem,
)
from planner.domain.periods import CADENCES, period_of
from planner.domain.planning import Plan, PlanItem
from planner.domain.readings import ReadingInput, ReadingKey, _metric_ids, metric_for, value_problem
from planner.errors import ImportFormatError
from planner.exchange.csvsafe import csv_bytes

__all__ = [
    "READINGS_CSV_COLUMNS",
    "ReadingsImportError",
    "parse_readings_csv",
    "readings_csv_template",
]

READINGS_CSV_COLUMNS: dict[str, str] = {
    "item": "the item id (it_…), or a tactic id when the plan has exactly one item for it",
    "metric": "the metric id",
    "date": "the day measured, YYYY-MM-DD; the reading is filed under the period it falls in",
    "value": "a number, with a point for decimals; leave empty to skip the row",
    "note": "optional free text",
}
"""The columns a readings CSV has, with what goes in them."""

_INFORMATION_COLUMNS = ("item_title", "metric_name", "unit", "cadence")
"""Columns the template adds for people filling it in; ignored on import."""
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_REQUIRED = ("item", "metric", "date", "value")


class ReadingsImportError(ImportFormatError):
    """A readings file with problems: nothing was imported. `problems` lists them by row."""

    def __init__(self, source: str, problems: Sequence[str], *, shown: int = 12) -> None:
        self.problems = list(problems)
        listed = [p.rstrip(".") for p in self.problems[:shown]]
        if len(self.problems) > shown:
            listed.append(f"… and {len(self.problems) - shown} more")
        if len(listed) == 1:
            message = f"{source}: {listed[0]}. Nothing was imported."
        else:
            message = (
                f"{source}: {len(self.problems)} problems; nothing was imported. Fix them and "
                "import again:\n" + "\n".join(f"  {p}" for p in listed)
            )
        super().__init__(message)


def parse_readings_csv(
    data: bytes, items: Sequence[PlanItem], *, source: str = "readings.csv"
) -> list[ReadingInput]:
    """The file's readings, checked against the plan's items; all or nothing.

    The header names the columns (case, spaces and hyphens do not matter): item, metric, date,
    value and optionally note (see READINGS_CSV_COLUMNS); the template's item title, metric
    name, unit and cadence columns are ignored. Rows are numbered as a spreadsheet shows them
    (the header is row 1); blank rows and rows without a value are skipped. UTF-8, with or
    without a byte order mark. Every problem is collected and raised together as
    ReadingsImportError, e.g. "row 5, column date: '31/02/2027' is not a date (use
    YYYY-MM-DD)".
    """
    check_size(len(data), "readings CSV", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadingsImportError(
            source, [f"byte {exc.start}: not UTF-8 text; save the file as CSV UTF-8"]
        ) from None
    records, problems = csv_records(text, max_rows=MAX_READINGS_CSV_ROWS, kind="readings CSV")
    if problems:
        raise ReadingsImportError(source, problems)
    columns, problems = _header(records[0] if records else [])
    if problems:
        raise ReadingsImportError(source, problems)

    finder = _ItemFinder(items)
    readings: list[ReadingInput] = []
    first_row: dict[ReadingKey, int] = {}
    for number, values in csv_rows(records, columns, problems):
        if not values.get("value"):
            continue
        row_problems, reading, key = _csv_row(values, number, finder)
        problems.extend(row_problems)
        if reading is None or key is None:
            continue
        if key in first_row:
            problems.append(
                f"row {number}: the same item, metric and period ({key[2]}) as row "
                f"{first_row[key]}; a period holds one reading"
            )
            continue
        first_row[key] = number
        readings.append(reading)
    if not readings and not problems:
        problems.append(
            "no readings: fill in the value column of the rows you measured (no row below the "
            "header, row 1, has a value)"
        )
    if problems:
        raise ReadingsImportError(source, problems)
    return readings


def _header(header: Sequence[str]) -> tuple[list[str], list[str]]:
    columns = [
        h.strip().lstrip("\ufeff").casefold().replace(" ", "_").replace("-", "_") for h in header
    ]
    known = ", ".join(READINGS_CSV_COLUMNS)
    if not any(columns):
        return columns, [f"row 1: no header; the first row names the columns ({known})"]
    problems = []
    seen: set[str] = set()
    for k, name in enumerate(columns, start=1):
        if not name:
            continue
        if name in _INFORMATION_COLUMNS:
            columns[k - 1] = ""  # shown to whoever fills the file in, ignored here
            continue
        if name not in READINGS_CSV_COLUMNS:
            problems.append(
                f"row 1, column {k}: '{header[k - 1].strip()}' is not a readings column; the "
                f"columns are {known}"
            )
        elif name in seen:
            problems.append(f"row 1, column {k}: '{name}' appears twice")
        seen.add(name)
    missing = [c for c in _REQUIRED if c not in seen]
    if missing and not problems:
        problems.append(
            f"row 1: the header needs the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}"
        )
    return columns, problems


class _ItemFinder:
    """Items as a file names them: by item id, or by tactic id when only one item has it."""

    def __init__(self, items: Sequence[PlanItem]) -> None:
        self.by_id = {i.id: i for i in items}
        self.by_tactic: dict[str, list[PlanItem]] = {}
        for item in items:
            if item.tactic_id:
                self.by_tactic.setdefault(item.tactic_id, []).append(item)

    def find(self, text: str) -> tuple[PlanItem | None, str | None]:
        if text in self.by_id:
            return self.by_id[text], None
        found = self.by_tactic.get(text, [])
        if len(found) == 1:
            return found[0], None
        if found:
            ids = ", ".join(i.id for i in found)
            return None, (
                f"{len(found)} items of this plan follow tactic '{text}' ({ids}); give the "
                "item id instead"
            )
        return None, f"no item or tactic '{text}' in this plan; use an item id from the template"


def _csv_row(
    values: Mapping[str, str], row: int, finder: _ItemFinder
) -> tuple[list[str], ReadingInput | None, ReadingKey | None]:
    problems: list[str] = []

    def problem(column: str, message: str) -> None:
        problems.append(f"row {row}, column {column}: {message}")

    item, wrong = finder.find(values.get("item", ""))
    if wrong:
        problem("item", wrong if values.get("item") else "empty; give the item id")
    metric = None
    if item is not None:
        metric = metric_for(item, values.get("metric", ""))
        if metric is None:
            problem(
                "metric",
                f"'{values.get('metric', '')}' is not a metric of '{item.title}' "
                f"(its metrics: {_metric_ids(item)})",
            )
        elif metric.cadence not in CADENCES:
            problem("metric", f"'{metric.id}' has the cadence '{metric.cadence}'; edit the metric")
            metric = None
    day = _day(values.get("date", ""))
    if day is None:
        problem("date", f"'{values.get('date', '')}' is not a date (use YYYY-MM-DD)")
    elif (wrong_day := day_problem(day)) is not None:
        problem("date", wrong_day)
        day = None
    text = values.get("value", "")
    value = float(text) if _NUMBER.fullmatch(text) else None
    if value is None:
        hint = " (use a point for decimals and no thousands separators)" if "," in text else ""
        problem("value", f"'{text}' is not a number{hint}")
    elif metric is not None and (why := value_problem(metric, value)):
        problem("value", why)
    if problems or item is None or metric is None or day is None or value is None:
        return problems, None, None
    reading = ReadingInput(item.id, metric.id, day, value, values.get("note", ""))
    return [], reading, (item.id, metric.id, period_of(day, metric.cadence).key)


def _day(text: str) -> dt.date | None:
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def readings_csv_template(
    plan: Plan, items: Sequence[PlanItem], *, day: dt.date | None = None
) -> bytes:
    """A CSV to fill in: one row per item and metric (dropped items left out) dated `day`
    (default today), values empty. UTF-8 with a byte order mark, so Excel reads it as such."""
    day = day or dt.date.today()
    header = [*READINGS_CSV_COLUMNS, "item title", "metric name", "unit", "cadence"]
    rows = [
        [item.id, metric.id, day, None, "", item.title, metric.name, metric.unit, metric.cadence]
        for item in items
        if item.plan_id == plan.id and item.status != "dropped"
        for metric in item.metrics
    ]
    return csv_bytes(header, rows, excel=True)
