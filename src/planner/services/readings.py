"""Readings: numbers recorded by hand, from a CSV file or from xAPI aggregates; plan status.

A reading is one value of an item's metric for one period of the metric's cadence (an ISO
week, a calendar month or a quarter, `domain.periods`), filed by the period its date falls in.
A period holds at most one reading, so nothing is ever counted twice:

- by hand or from CSV (`record_readings`, `import_readings_csv`): a reading for a period that
  already has one is refused with `ReadingsExistError`, which lists each clash (old value →
  new value) so the page can ask the user to confirm and the command line can say `--replace`;
  with `replace=True` the old value is replaced. Re-sending the same value is not a clash.
- from xAPI (`apply_xapi_batch`): statements add to the periods they fall in (see XapiBatch).

Readings are data, not plan edits: recording them does not raise the plan's version (nobody's
open plan goes stale), but every write is logged in the plan's activity log (without a version),
so `services.change_stamp` moves and caches refresh. An archived plan takes no readings.

Besides a tactic's metrics, a community-of-practice item (one with a community stage) takes
readings of the reserved community-health metrics (`HEALTH_METRICS`: members, active members,
contributors, questions, questions answered in time, median hours to first response), which
feed the community-health panel even when the tactic does not list them. They have no target.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Engine

from planner.domain.access import Permission, require
from planner.domain.limits import (
    MAX_READINGS_CSV_ROWS,
    check_size,
    csv_records,
    day_problem,
    text_problem,
)
from planner.domain.periods import (
    CADENCES,
    Period,
    filing_cadence,
    parse_period,
    period_of,
    utc_day,
)
from planner.domain.planning import (
    UNSEEN,
    InvalidInputError,
    Plan,
    PlanItem,
    Unseen,
    utc_now,
    when,
)
from planner.domain.playbook import Metric
from planner.domain.privacy import PseudonymKey, person_hash
from planner.domain.progress import PlanProgress, TrendPoint, trend
from planner.domain.readings import HEALTH_METRICS as HEALTH_METRICS
from planner.domain.readings import ReadingClash as ReadingClash
from planner.domain.readings import ReadingInput as ReadingInput
from planner.domain.readings import ReadingKey
from planner.domain.readings import ReadingsExistError as ReadingsExistError
from planner.domain.readings import RecordedReadings as RecordedReadings
from planner.domain.readings import _metric_ids as _metric_ids
from planner.domain.readings import cadence_rule as cadence_rule
from planner.domain.readings import metric_for as metric_for
from planner.domain.readings import metric_label as metric_label
from planner.domain.readings import period_label as period_label
from planner.domain.readings import value_problem as value_problem
from planner.domain.schedule import Schedule, ScheduledItem, schedule_days
from planner.errors import ConflictError, ImportFormatError, NotFoundError
from planner.exchange.csvsafe import csv_bytes
from planner.services.privacy import opt_out_hashes, pseudonym_key
from planner.store import READING_SOURCES, NewActivity, Reading, Repository, uow
from planner.store.status import read_plan_status

__all__ = [
    "HEALTH_METRICS",
    "READINGS_CSV_COLUMNS",
    "PseudonymKey",
    "ReadingClash",
    "ReadingInput",
    "ReadingsExistError",
    "ReadingsImportError",
    "RecordedReadings",
    "XapiBatch",
    "XapiCounts",
    "XapiImportSummary",
    "apply_xapi_batch",
    "delete_reading",
    "import_readings_csv",
    "imported_statement_ids",
    "item_trends",
    "list_readings",
    "metric_for",
    "metric_trend",
    "opt_out_hashes",
    "parse_readings_csv",
    "person_hash",
    "plan_status",
    "pseudonym_key",
    "readings_csv_template",
    "record_readings",
]

_RECORDED_SOURCES = tuple(s for s in READING_SOURCES if s != "xapi")
"""Sources `record_readings` takes (xAPI counts go through `apply_xapi_batch`)."""
_LOGGED_READINGS = 50
"""At most this many readings are listed in one activity entry (the count is always there)."""


# --- records ----------------------------------------------------------------------------------


# --- recording ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    item: PlanItem
    metric: Metric
    period: Period
    reading: ReadingInput

    @property
    def key(self) -> ReadingKey:
        return (self.item.id, self.metric.id, self.period.key)


def writable_plan(repo: Repository, plan_id: str) -> Plan:
    """The plan, its row locked first (PostgreSQL): writes to its readings and stories queue
    up, and everything read after (its status, stored readings) is what the one before left."""
    plan = repo.plan(plan_id, lock="update")
    if plan.status == "archived":
        raise InvalidInputError(
            f"Plan '{plan.name}' is archived. Set its status to draft or active to record "
            "readings or stories."
        )
    return plan


Seen = Mapping[ReadingKey, float]
"""What a page showed before replacing: the stored value per (item, metric, period) key."""


def _check_seen(
    plan: Plan, replaced: Sequence[tuple[_Checked, Reading]], seen: Seen, now: dt.datetime
) -> None:
    """Refuse to replace a reading that is not the one the user confirmed replacing."""
    stale = [(e, old) for e, old in replaced if seen.get(e.key) != old.value]
    if not stale:
        return
    lines = [
        f"{old.recorded_by or 'someone'} recorded {e.metric.name} of '{e.item.title}' for "
        f"{e.period.key}: {old.value:g} {when(old.recorded_at, now)}"
        if old.recorded_at
        else f"{e.metric.name} of '{e.item.title}' for {e.period.key} is now {old.value:g}"
        for e, old in stale[:5]
    ]
    if len(stale) > 5:
        lines.append(f"{len(stale) - 5} more")
    raise ConflictError(
        f"The readings of plan '{plan.name}' changed since you confirmed replacing them: "
        f"{'; '.join(lines)}. Nothing was saved: save again to see the new values before "
        "replacing them."
    )


def _check_rows(items: Mapping[str, PlanItem], rows: Sequence[Any]) -> list[_Checked]:
    """Rows (ReadingInput or plain tuples) as checked readings; InvalidInputError lists every
    problem, by row number counted from 1."""
    problems: list[str] = []
    checked: list[_Checked] = []
    first_row: dict[ReadingKey, int] = {}
    for number, raw in enumerate(rows, start=1):
        where = f"Row {number}"
        try:
            row = ReadingInput(*raw)
        except TypeError:
            problems.append(f"{where}: expected item, metric, date, value and note")
            continue
        item = items.get(row.item_id)
        if item is None:
            problems.append(f"{where}: no item '{row.item_id}' in this plan; reload the plan")
            continue
        metric = metric_for(item, row.metric_id)
        if metric is None:
            problems.append(
                f"{where}: item '{item.title}' has no metric '{row.metric_id}' "
                f"(its metrics: {_metric_ids(item)})"
            )
            continue
        if metric.cadence not in CADENCES:
            problems.append(
                f"{where}: metric '{metric.id}' of '{item.title}' has the cadence "
                f"'{metric.cadence}'; readings need one of {', '.join(CADENCES)}"
            )
            continue
        if not isinstance(row.date, dt.date):
            problems.append(f"{where}: the date must be a date, not {row.date!r}")
            continue
        if (wrong_day := day_problem(utc_day(row.date))) is not None:
            problems.append(f"{where}: the date {wrong_day}")
            continue
        try:
            value = float(row.value)
        except (TypeError, ValueError):
            problems.append(f"{where}: the value must be a number, not {row.value!r}")
            continue
        if isinstance(row.value, bool) or (wrong := value_problem(metric, value)):
            problems.append(f"{where}: {wrong if not isinstance(row.value, bool) else 'a number'}")
            continue
        note = "" if row.note is None or row.note != row.note else str(row.note).strip()
        if "\x00" in note:
            problems.append(f"{where}: the note {text_problem(note)}")
            continue
        day = utc_day(row.date)
        reading = ReadingInput(item.id, metric.id, day, value, note)
        entry = _Checked(item, metric, period_of(day, metric.cadence), reading)
        if entry.key in first_row:
            problems.append(
                f"{where}: '{item.title}', {metric_label(metric)}: {period_label(entry.period)} "
                f"already has a reading in row {first_row[entry.key]}; a {metric.cadence} "
                f"metric takes {cadence_rule(metric.cadence)}, so keep one of the two rows "
                "or change a date"
            )
            continue
        first_row[entry.key] = number
        checked.append(entry)
    if problems:
        raise InvalidInputError("Nothing was saved:\n" + "\n".join(f"  {p}" for p in problems))
    return checked


def record_readings(
    engine: Engine,
    plan_id: str,
    rows: Sequence[ReadingInput] | Sequence[tuple[Any, ...]],
    *,
    actor: str,
    replace: bool | Seen = False,
    source: str | Sequence[str] = "manual",
    source_name: str | None = None,
) -> RecordedReadings:
    """Save readings (the grid, or a parsed CSV with source='csv'), all or nothing.

    `rows` are (item id, metric id, date, value, note). A period that already has a different
    reading raises ReadingsExistError unless `replace`; with it the old value is replaced.
    `source` is one of READING_SOURCES other than xapi, or one per row (community tools'
    exports, `planner.services.community`). `source_name` (a file name) goes into the activity log.

    A page that asked the user to confirm passes `replace=error.seen` (the ReadingsExistError
    it showed) instead of True: a reading changed since (another value, or a new clash) is a
    ConflictError naming who recorded what, and nothing is saved.
    """
    require(actor, Permission.READINGS_EDIT, f"record readings for plan {plan_id}")
    sources = [source] * len(rows) if isinstance(source, str) else list(source)
    if len(sources) != len(rows) or any(s not in _RECORDED_SOURCES for s in sources):
        raise ValueError(f"source must be one of {_RECORDED_SOURCES} (one, or one per row)")
    at = utc_now()
    with uow(engine) as session:
        repo = Repository(session)
        plan = writable_plan(repo, plan_id)
        wanted = {str(r[0]) for r in rows if len(r) > 0}
        items = {i.id: i for i in repo.items(plan_id, wanted)}
        checked = _check_rows(items, rows)
        source_of = {e.key: s for e, s in zip(checked, sources, strict=True)}
        stored = repo.readings_for([c.key for c in checked])
        clashes, new, replaced, same = [], [], [], 0
        for entry in checked:
            old = stored.get(entry.key)
            if old is None:
                new.append(entry)
            elif old.value == entry.reading.value and old.date == entry.reading.date:
                same += 1
            else:
                replaced.append((entry, old))
                clashes.append(_clash(entry, old))
        if clashes and not replace:
            raise ReadingsExistError(clashes)
        if replaced and isinstance(replace, Mapping):
            _check_seen(plan, replaced, replace, at)
        repo.add_readings([_reading_values(e, source_of[e.key], actor, at) for e in new])
        repo.update_readings(
            [
                {"id": old.id, **_reading_values(e, source_of[e.key], actor, at)}
                for e, old in replaced
            ]
        )
        if new or replaced:
            written = {source_of[e.key] for e in new} | {source_of[e.key] for e, _ in replaced}
            logged = written.pop() if len(written) == 1 else "several"
            repo.log([_readings_entry(plan, new, replaced, actor, at, logged, source_name, items)])
    return RecordedReadings(created=len(new), replaced=len(replaced), unchanged=same)


def _clash(entry: _Checked, old: Reading) -> ReadingClash:
    return ReadingClash(
        item_id=entry.item.id,
        item_title=entry.item.title,
        metric_id=entry.metric.id,
        metric_name=entry.metric.name,
        period=entry.period.key,
        old_value=old.value,
        new_value=entry.reading.value,
        old_source=old.source,
        cadence=entry.metric.cadence,
        period_text=period_label(entry.period),
    )


def _reading_values(entry: _Checked, source: str, actor: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "item_id": entry.item.id,
        "metric_id": entry.metric.id,
        "period": entry.period.key,
        "period_start": entry.period.start,
        "date": entry.reading.date,
        "value": entry.reading.value,
        "source": source,
        "note": entry.reading.note,
        "recorded_by": actor,
        "recorded_at": at,
    }


def _readings_entry(
    plan: Plan,
    new: Sequence[_Checked],
    replaced: Sequence[tuple[_Checked, Reading]],
    actor: str,
    at: dt.datetime,
    source: str,
    source_name: str | None,
    items: Mapping[str, PlanItem],
) -> NewActivity:
    written = [*new, *(e for e, _ in replaced)]
    item_count = len({e.item.id for e in written})
    verb = "Recorded" if source == "manual" else "Imported"
    summary = f"{verb} {_count(len(written), 'reading')} for {_count(item_count, 'item')}"
    if len(written) == 1:
        only = written[0]
        summary = (
            f"{verb} {only.metric.name} of '{only.item.title}' for {only.period.key}: "
            f"{only.reading.value:g}"
        )
    if source_name:
        summary += f" from {source_name}"
    if replaced:
        summary += f" ({len(replaced)} replaced)"

    def listed(entry: _Checked, value: float) -> dict[str, Any]:
        return {
            "item_id": entry.item.id,
            "metric_id": entry.metric.id,
            "period": entry.period.key,
            "value": value,
        }

    return NewActivity(
        plan_id=plan.id,
        version=None,
        at=at,
        actor=actor,
        action="record",
        entity="readings",
        entity_id=plan.id,
        summary=summary,
        before={
            "count": len(replaced),
            "readings": [listed(e, old.value) for e, old in replaced[:_LOGGED_READINGS]],
        }
        if replaced
        else None,
        after={
            "count": len(written),
            "source": source,
            "readings": [listed(e, e.reading.value) for e in written[:_LOGGED_READINGS]],
        },
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def list_readings(
    engine: Engine,
    plan_id: str,
    item_id: str | None = None,
    metric_id: str | None = None,
) -> list[Reading]:
    """The plan's readings (or one item's, one metric's) by item, metric and period."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.plan(plan_id)
        return repo.readings(plan_id, item_id=item_id, metric_id=metric_id)


def delete_reading(
    engine: Engine,
    plan_id: str,
    reading_id: int,
    *,
    actor: str,
    seen: float | Unseen = UNSEEN,
) -> Reading:
    """Remove one reading (its period then has none); returns what was removed. `seen` (the
    value the page showed) refuses it if someone has recorded another value since."""
    require(actor, Permission.READINGS_EDIT, f"delete a reading of plan {plan_id}")
    at = utc_now()
    with uow(engine) as session:
        repo = Repository(session)
        plan = writable_plan(repo, plan_id)
        reading = repo.reading(plan_id, reading_id)
        item = repo.item(plan_id, reading.item_id)
        metric = metric_for(item, reading.metric_id)
        if not isinstance(seen, Unseen) and reading.value != seen:
            name = metric.name if metric else reading.metric_id
            raise ConflictError(
                f"The reading of {name} of '{item.title}' for {reading.period} changed "
                f"since you opened it: {reading.recorded_by or 'someone'} recorded "
                f"{reading.value:g} {when(reading.recorded_at or at, at)}. Nothing was removed: "
                "reload to see it, then remove it again."
            )
        repo.delete_readings([reading.id])
        repo.log_one(
            plan_id=plan.id,
            version=None,
            at=at,
            actor=actor,
            action="remove",
            entity="readings",
            entity_id=plan.id,
            summary=f"Removed the reading of {metric.name if metric else reading.metric_id}"
            f" of '{item.title}' for {reading.period} ({reading.value:g})",
            before={
                "count": 1,
                "readings": [
                    {
                        "item_id": reading.item_id,
                        "metric_id": reading.metric_id,
                        "period": reading.period,
                        "value": reading.value,
                    }
                ],
            },
        )
    return reading


# --- CSV ----------------------------------------------------------------------------------------

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
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(columns) and any(c.strip() for c in record[len(columns) :]):
            problems.append(
                f"row {number}: {len(record)} cells but the header names {len(columns)} columns"
            )
            continue
        values = {
            name: record[k].strip() if k < len(record) else ""
            for k, name in enumerate(columns)
            if name
        }
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


def import_readings_csv(
    engine: Engine,
    plan_id: str,
    data: bytes,
    *,
    actor: str,
    replace: bool | Seen = False,
    source_name: str = "readings.csv",
) -> RecordedReadings:
    """Parse a readings CSV against the plan and record it with source 'csv', all or nothing:
    a file with problems raises ReadingsImportError, existing periods ReadingsExistError."""
    require(actor, Permission.READINGS_EDIT, f"import readings into plan {plan_id}")
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.plan(plan_id)
        items = repo.items(plan_id)
    readings = parse_readings_csv(data, items, source=source_name)
    return record_readings(
        engine,
        plan_id,
        readings,
        actor=actor,
        replace=replace,
        source="csv",
        source_name=source_name,
    )


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


# --- xAPI aggregates ------------------------------------------------------------------------


class XapiCounts(Protocol):
    """What an xAPI import hands over (`planner.exchange.xapi.XapiBatch` is one): the keys of the
    statements it counted (ids, or content hashes for statements without one), and per
    (item id, metric id, period key) the statements counted or the pseudonymised people."""

    @property
    def statement_ids(self) -> Collection[str]: ...

    @property
    def counts(self) -> Mapping[ReadingKey, int]: ...

    @property
    def people(self) -> Mapping[ReadingKey, AbstractSet[str]]: ...


@dataclass
class XapiBatch:
    """The plainest XapiCounts: statement keys, counts and person hashes per period key."""

    statement_ids: set[str] = field(default_factory=set)
    counts: dict[ReadingKey, int] = field(default_factory=dict)
    people: dict[ReadingKey, set[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class XapiImportSummary:
    """What `apply_xapi_batch` did."""

    statements: int
    """Statements in the batch."""
    duplicates: int
    """Of those, statements imported into this plan before: counted again (only with replace;
    without it the importer skips them before they reach the batch)."""
    readings_created: int
    readings_updated: int
    periods: int
    """(item, metric, period) readings the batch touched."""
    replaced: bool


def apply_xapi_batch(
    engine: Engine,
    plan_id: str,
    batch: XapiCounts,
    *,
    actor: str,
    replace: bool = False,
    today: dt.date | None = None,
) -> XapiImportSummary:
    """Add an xAPI import's counts to the plan's readings, in one transaction.

    The importer skips statements imported before (`imported_statement_ids` gives their keys)
    and hands over what is new:

    - statement counts add to the period's reading; distinct people become the size of the
      union of the hashes stored for the period and the batch's (kept for the next import);
    - with `replace`, the periods the batch touches are recomputed from this batch alone
      (the importer then skips nothing): stored hashes for them are dropped first;
    - the batch's statement keys are remembered, so the next import skips them. If some were
      imported meanwhile (two imports of the same files at once), nothing is written: a
      ConflictError asks to import again, which then skips them;
    - a reading's date is its period's last day, or the day of the import (`today`, by default
      the UTC date) while the period is still running, so the current week counts as of today
      and not from its future end;
    - a period whose reading was entered by hand or from CSV is not merged with xAPI counts:
      ReadingsExistError, unless `replace`;
    - an item, metric or period that does not fit the plan (a metric the item lacks, a period
      of another cadence, a metric counted both ways) is an InvalidInputError.
    """
    require(actor, Permission.READINGS_EDIT, f"import xAPI readings into plan {plan_id}")
    at = utc_now()
    today = today or at.date()
    ids = set(batch.statement_ids)
    with uow(engine) as session:
        repo = Repository(session)
        plan = writable_plan(repo, plan_id)
        known = repo.imported_statement_ids(plan_id, ids)
        if known and not replace:
            raise ConflictError(
                f"{_count(len(known), 'statement')} of this import were imported into plan "
                f"'{plan.name}' meanwhile (by another import at the same time?); nothing was "
                "written. Import the files again: statements imported before are skipped."
            )
        keys = set(batch.counts) | set(batch.people)
        items = {i.id: i for i in repo.items(plan_id, {k[0] for k in keys})}
        metrics, periods = _check_xapi_keys(items, keys, batch)

        stored = repo.readings_for(keys)
        clashes = [
            ReadingClash(
                item_id=key[0],
                item_title=items[key[0]].title,
                metric_id=key[1],
                metric_name=metrics[key].name,
                period=key[2],
                old_value=old.value,
                new_value=float(
                    len(batch.people[key]) if key in batch.people else batch.counts[key]
                ),
                old_source=old.source,
            )
            for key, old in stored.items()
            if old.source != "xapi"
        ]
        if clashes and not replace:
            raise ReadingsExistError(clashes)
        people_keys = [k for k in keys if k in batch.people]
        if replace:
            repo.delete_xapi_people(people_keys)
        stored_people = {} if replace else repo.xapi_people(people_keys)
        repo.add_xapi_people(
            (key, person)
            for key in people_keys
            for person in sorted(set(batch.people[key]) - stored_people.get(key, set()))
        )

        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for key in sorted(keys):
            old = stored.get(key)
            merged = None if replace else old  # without replace a stored reading is xAPI's
            if key in batch.people:
                value = float(len(set(batch.people[key]) | stored_people.get(key, set())))
            else:
                value = batch.counts[key] + (merged.value if merged is not None else 0.0)
            period = periods[key]
            values = {
                "item_id": key[0],
                "metric_id": key[1],
                "period": key[2],
                "period_start": period.start,
                "date": max(period.start, min(period.end, today)),
                "value": value,
                "source": "xapi",
                "note": "",
                "recorded_by": actor,
                "recorded_at": at,
            }
            if old is None:
                created.append(values)
            else:
                updated.append({**values, "id": old.id})
        repo.add_readings(created)
        repo.update_readings(updated)
        repo.add_statement_ids(plan_id, sorted(ids - known), at=at)
        if keys or ids - known:
            entry = _xapi_entry(plan, len(ids), len(known), created, updated, replace, actor, at)
            repo.log([entry])
    return XapiImportSummary(
        statements=len(ids),
        duplicates=len(known),
        readings_created=len(created),
        readings_updated=len(updated),
        periods=len(keys),
        replaced=replace,
    )


def _check_xapi_keys(
    items: Mapping[str, PlanItem], keys: Iterable[ReadingKey], batch: XapiCounts
) -> tuple[dict[ReadingKey, Metric], dict[ReadingKey, Period]]:
    """The metric and period of every key; InvalidInputError when a key does not fit."""
    metrics: dict[ReadingKey, Metric] = {}
    periods: dict[ReadingKey, Period] = {}
    for key in sorted(keys):
        item_id, metric_id, period_key = key
        item = items.get(item_id)
        if item is None:
            raise InvalidInputError(
                f"The mapping counts statements for item '{item_id}', which is not in this "
                "plan; map them to one of its item ids."
            )
        metric = metric_for(item, metric_id)
        if metric is None:
            raise InvalidInputError(
                f"The mapping counts statements for metric '{metric_id}', which item "
                f"'{item.title}' does not have (its metrics: {_metric_ids(item)})."
            )
        cadence, period = parse_period(period_key)
        if cadence != filing_cadence(metric.cadence):
            raise InvalidInputError(
                f"Period {period_key} is {cadence}, but metric '{metric_id}' of '{item.title}' "
                f"is measured {metric.cadence}."
            )
        if key in batch.counts and key in batch.people:
            raise InvalidInputError(
                f"Metric '{metric_id}' of '{item.title}' is counted both as statements and as "
                "distinct people; map it with one rule."
            )
        metrics[key], periods[key] = metric, period
    return metrics, periods


def _xapi_entry(
    plan: Plan,
    statements: int,
    duplicates: int,
    created: Sequence[Mapping[str, Any]],
    updated: Sequence[Mapping[str, Any]],
    replace: bool,
    actor: str,
    at: dt.datetime,
) -> NewActivity:
    written = [*created, *updated]
    summary = (
        f"Imported {_count(statements, 'xAPI statement')}: "
        f"{_count(len(created), 'reading')} added, {len(updated):,} updated"
    )
    if duplicates:
        summary += f"; {duplicates:,} imported before were " + (
            "counted again (replace)" if replace else "skipped"
        )
    elif replace:
        summary += " (the periods it touches recomputed from this import alone)"
    return NewActivity(
        plan_id=plan.id,
        version=None,
        at=at,
        actor=actor,
        action="import",
        entity="readings",
        entity_id=plan.id,
        summary=summary,
        after={
            "count": len(written),
            "source": "xapi",
            "statements": statements,
            "duplicates": duplicates,
            "replace": replace,
            "readings": [
                {k: w[k] for k in ("item_id", "metric_id", "period", "value")}
                for w in written[:_LOGGED_READINGS]
            ],
        },
    )


def imported_statement_ids(
    engine: Engine, plan_id: str, ids: Iterable[str] | None = None
) -> set[str]:
    """The keys of the statements already imported into the plan (only those among `ids` if
    given): what an importer skips."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.plan(plan_id)
        return repo.imported_statement_ids(plan_id, ids)


# --- status and trends --------------------------------------------------------------------------


_ONE_DAY = dt.timedelta(days=1)


def _schedule(plan: Plan, items: Sequence[PlanItem]) -> Schedule:
    """Only the items' dates (what progress reads): no milestones, issues or owners."""
    starts, last_days = schedule_days(
        plan.start_date,
        item_ids=[i.id for i in items],
        titles=[i.title for i in items],
        tactic_ids=[i.tactic_id for i in items],
        prerequisites=[i.snapshot.prerequisites if i.snapshot else () for i in items],
        duration_weeks=[i.duration_weeks for i in items],
        pinned_starts=[i.pinned_start for i in items],
        statuses=[i.status for i in items],
    )
    entries = {
        item.id: ScheduledItem(
            item.id, start, last + _ONE_DAY, item.pinned_start is not None, start
        )
        for item, start, last in zip(items, starts, last_days, strict=True)
    }
    return Schedule(plan.start_date, entries, (), (), ())


def plan_status(engine: Engine, plan_id: str, as_of: dt.date | None = None) -> PlanProgress:
    """Where the plan stands as of `as_of` (default today): five queries whatever the number
    of readings (plan; items, targets and snapshots with the review CSV's narrow reads; one
    aggregate over the readings), and no full plan records: the same figures as
    `plan_progress` over `Repository.items` and the plan's schedule."""
    as_of = as_of or dt.date.today()
    with uow(engine, write=False) as session:
        return read_plan_status(session, plan_id, as_of)


def item_trends(
    engine: Engine, plan_id: str, item_id: str, as_of: dt.date | None = None
) -> dict[str, list[TrendPoint]]:
    """Metric id -> the trend of each of the item's metrics (small multiples per item)."""
    as_of = as_of or dt.date.today()
    with uow(engine, write=False) as session:
        repo = Repository(session)
        plan = repo.plan(plan_id)
        items = repo.items(plan_id)
        readings = repo.readings(plan_id, item_id=item_id, until=as_of)
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        raise NotFoundError(f"No item '{item_id}' in plan '{plan_id}'; reload the plan.")
    entry = _schedule(plan, items).entries[item.id]
    by_metric: dict[str, list[Reading]] = {}
    for reading in readings:
        by_metric.setdefault(reading.metric_id, []).append(reading)
    return {
        metric.id: trend(
            item,
            metric,
            by_metric.get(metric.id, []),
            start=entry.start,
            last_day=entry.last_day,
            as_of=as_of,
        )
        for metric in item.metrics
    }


def metric_trend(
    engine: Engine, plan_id: str, item_id: str, metric_id: str, as_of: dt.date | None = None
) -> list[TrendPoint]:
    """The trend of one item's metric: per period, reading, actual, expected line, target."""
    trends = item_trends(engine, plan_id, item_id, as_of)
    if metric_id not in trends:
        raise InvalidInputError(f"Item '{item_id}' has no metric '{metric_id}'.")
    return trends[metric_id]
