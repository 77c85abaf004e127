"""Plan CSV import: rows of a spreadsheet become plan items, in a new plan or an existing one.

The first row names the columns (case does not matter; a space or hyphen counts as `_`). Only
`tactic` or `title` is required; leave out any other column. One row per item:

    tactic          a tactic id from the playbooks (`planner library` lists them); blank for a
                    custom item, which then needs a title
    title           the item's title; defaults to the tactic's title
    owner           the owner's name or email, of someone already among the people (add them
                    first); blank for no owner
    team            the team the item is for
    audience        who the item is for
    start           a pinned start date, YYYY-MM-DD; blank to let the schedule place the item
    duration_weeks  whole weeks (1 to 520); defaults to the tactic's, 4 for a custom item
    status          planned (the default), in progress, done, blocked or dropped
    notes           free text
    effort_hours_per_week  hours a week for the owner, 0 to 40 (e.g. 1.5); blank for
                    the tactic's own figure (0 for a custom item)

Items follow the file's order, after any items the plan already has, and get the tactic's
metrics with its default targets (a custom item has no metrics; add them on the plan page).
The file is UTF-8, with or without a byte order mark (Excel's "CSV UTF-8"). Rows are numbered
as a spreadsheet shows them: the header is row 1. Blank rows are skipped.

All or nothing: every row is checked first, and if any has a problem, nothing is written and
the error lists every problem by row and column, e.g.
`row 4, column owner: no person named 'Zed'; add them first or fix the name`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from planner.domain.limits import MAX_PLAN_CSV_ROWS, check_size, csv_records, csv_rows, day_problem
from planner.domain.planning import (
    ITEM_STATUSES,
    MAX_DURATION_WEEKS,
    MAX_EFFORT_HOURS,
    InvalidInputError,
    Person,
    PlanItem,
    item_from_tactic,
    new_id,
)
from planner.domain.playbook import Tactic
from planner.exchange.bundle import refused

PLAN_CSV_COLUMNS: dict[str, str] = {
    "tactic": "tactic id from the playbooks; blank for a custom item",
    "title": "item title; required for a custom item, defaults to the tactic's title",
    "owner": "name or email of someone among the people; blank for no owner",
    "team": "the team the item is for",
    "audience": "who the item is for",
    "start": "pinned start date, YYYY-MM-DD; blank to let the schedule place it",
    "duration_weeks": "whole weeks; defaults to the tactic's, 4 for a custom item",
    "status": "planned (default), in progress, done, blocked or dropped",
    "notes": "free text",
    "effort_hours_per_week": "hours a week for the owner, 0 to 40; blank for the tactic's",
}
"""The columns a plan CSV may have, with what goes in them."""

DEFAULT_CUSTOM_WEEKS = 4
# Column sizes in the database: longer text is a problem to report, not a crash.
_MAX_LENGTH = {"title": 300, "team": 200, "audience": 200}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_plan_csv(
    data: bytes,
    *,
    tactics: Mapping[str, Tactic],
    people: Sequence[Person],
    plan_id: str,
    first_position: int = 0,
    source: str = "plan.csv",
) -> list[PlanItem]:
    """The file's rows as new items of plan `plan_id`; ImportFormatError lists every problem."""
    check_size(len(data), "plan CSV", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refused(
            source, f"byte {exc.start}: not UTF-8 text; save the file as CSV UTF-8"
        ) from None
    records, problems = csv_records(text, max_rows=MAX_PLAN_CSV_ROWS, kind="plan CSV")
    if problems:
        raise refused(source, *problems)
    columns, problems = _header(records[0] if records else [])
    if problems:
        raise refused(source, *problems)

    owners = _People(people)
    items: list[PlanItem] = []
    for row_number, values in csv_rows(records, columns, problems):
        row_problems, item = _item(
            values, row_number, tactics, owners, plan_id, first_position + len(items)
        )
        problems.extend(row_problems)
        if item is not None:
            items.append(item)
    if not items and not problems:
        problems.append("no items: the file has a header but no rows below it")
    if problems:
        raise refused(source, *problems)
    return items


def _header(header: Sequence[str]) -> tuple[list[str], list[str]]:
    """Column names by position ('' for a nameless column), and problems with the header."""
    columns = [h.strip().casefold().replace(" ", "_").replace("-", "_") for h in header]
    known = ", ".join(PLAN_CSV_COLUMNS)
    problems = []
    if not any(columns):
        return columns, [f"row 1: no header; the first row names the columns ({known})"]
    seen: set[str] = set()
    for k, name in enumerate(columns, start=1):
        if not name:
            continue
        if name not in PLAN_CSV_COLUMNS:
            problems.append(
                f"row 1, column {k}: '{header[k - 1].strip()}' is not a plan CSV "
                f"column; the columns are {known}"
            )
        elif name in seen:
            problems.append(f"row 1, column {k}: '{name}' appears twice")
        seen.add(name)
    if not problems and not seen & {"tactic", "title"}:
        problems.append("row 1: the header needs a tactic or a title column")
    return columns, problems


class _People:
    """Owners as the file names them: by email (ignoring case), else by name (ignoring case)."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.by_email = {p.email: p for p in people if p.email}
        self.by_name: dict[str, list[Person]] = {}
        for person in people:
            self.by_name.setdefault(person.name.casefold(), []).append(person)

    def find(self, text: str) -> tuple[str | None, str | None]:
        """(person id, None) or (None, what is wrong)."""
        if "@" in text:
            person = self.by_email.get(text.lower())
            if person is None:
                return None, f"no person with the email '{text}'; add them first or fix the email"
            return person.id, None
        found = self.by_name.get(text.casefold(), [])
        if not found:
            return None, f"no person named '{text}'; add them first or fix the name"
        if len(found) > 1:
            return None, f"{len(found)} people are named '{text}'; give the owner's email instead"
        return found[0].id, None


def _item(
    values: Mapping[str, str],
    row: int,
    tactics: Mapping[str, Tactic],
    owners: _People,
    plan_id: str,
    position: int,
) -> tuple[list[str], PlanItem | None]:
    problems: list[str] = []

    def problem(column: str, message: str) -> None:
        problems.append(f"row {row}, column {column}: {message}")

    tactic_id, title = values.get("tactic", ""), values.get("title", "")
    tactic = None
    if tactic_id:
        tactic = tactics.get(tactic_id)
        if tactic is None:
            problem(
                "tactic",
                f"no tactic '{tactic_id}' in the playbooks; check the id with `planner library`",
            )
    elif not title:
        problem("title", "a row without a tactic is a custom item and needs a title")
    for column, limit in _MAX_LENGTH.items():
        if len(values.get(column, "")) > limit:
            problem(column, f"longer than {limit} characters")

    owner_id = None
    if values.get("owner"):
        owner_id, wrong = owners.find(values["owner"])
        if wrong:
            problem("owner", wrong)
    cells = _cells(values, problem)
    if problems:
        return problems, None
    try:
        return [], _built(values, tactic, owner_id, cells, plan_id, position)
    except InvalidInputError as exc:
        return [f"row {row}: {exc}"], None


@dataclass(frozen=True)
class _Cells:
    """A row's start, duration, effort and status, read."""

    start: date | None
    weeks: int | None
    effort: float | None
    status: str


def _cells(values: Mapping[str, str], problem: Callable[[str, str], None]) -> _Cells:
    start = None
    if values.get("start"):
        start = _day(values["start"])
        if start is None:
            problem("start", f"'{values['start']}' is not a date; write it as YYYY-MM-DD")
        elif (wrong_day := day_problem(start)) is not None:
            problem("start", wrong_day)

    weeks = None
    if values.get("duration_weeks"):
        weeks = _weeks(values["duration_weeks"])
        if weeks is None:
            problem(
                "duration_weeks",
                f"'{values['duration_weeks']}' is not a whole number of weeks from 1 to "
                f"{MAX_DURATION_WEEKS}",
            )

    effort = None
    if values.get("effort_hours_per_week"):
        effort = _hours(values["effort_hours_per_week"])
        if effort is None:
            problem(
                "effort_hours_per_week",
                f"'{values['effort_hours_per_week']}' is not a number of hours from 0 to "
                f"{MAX_EFFORT_HOURS:g}; write it like 1.5, or leave it blank for the tactic's",
            )

    status = values.get("status", "").casefold() or "planned"
    if status not in ITEM_STATUSES:
        problem(
            "status",
            f"'{values['status']}' is not an item status; use one of {', '.join(ITEM_STATUSES)}",
        )
    return _Cells(start, weeks, effort, status)


def _built(
    values: Mapping[str, str],
    tactic: Tactic | None,
    owner_id: str | None,
    cells: _Cells,
    plan_id: str,
    position: int,
) -> PlanItem:
    """The row's item (InvalidInputError when the plan rules refuse it)."""
    title = values.get("title", "")
    changes: dict[str, Any] = {
        "pinned_start": cells.start,
        "status": cells.status,
        "notes": values.get("notes", ""),
        "effort_hours_per_week": cells.effort,
    }
    if tactic is not None:
        item = item_from_tactic(
            tactic,
            plan_id=plan_id,
            position=position,
            owner_id=owner_id,
            audience=values.get("audience", ""),
            team=values.get("team", ""),
        )
        if title:
            changes["title"] = title
        if cells.weeks is not None:
            changes["duration_weeks"] = cells.weeks
        return replace(item, **changes)
    return PlanItem(
        id=new_id("it"),
        plan_id=plan_id,
        position=position,
        title=title,
        duration_weeks=cells.weeks or DEFAULT_CUSTOM_WEEKS,
        owner_id=owner_id,
        audience=values.get("audience", ""),
        team=values.get("team", ""),
        **changes,
    )


def _day(text: str) -> date | None:
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _hours(text: str) -> float | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    if not 0 <= number <= MAX_EFFORT_HOURS:  # NaN is refused here too
        return None
    return number


def _weeks(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or not 1 <= number <= MAX_DURATION_WEEKS:
        return None
    return int(number)
