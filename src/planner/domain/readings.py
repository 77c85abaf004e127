"""Readings as records and rules: which metric an item takes readings for, what value a reading
may hold, how a period and a cadence read, how rows to record are checked against a plan's
items (`checked_readings`), and what recording readings reports back.

The reserved community-health metrics (`HEALTH_METRICS`) are readable on every community item
as well as its own metrics. Recording and importing are use cases (`planner.services.readings`,
`planner.services.xapi_readings`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from planner.domain.health import HEALTH_METRICS as HEALTH_METRICS
from planner.domain.limits import (
    day_problem,
    text_problem,
)
from planner.domain.periods import (
    CADENCES,
    Period,
    period_of,
    utc_day,
)
from planner.domain.planning import (
    InvalidInputError,
    PlanItem,
    format_day,
)
from planner.domain.playbook import Metric
from planner.domain.privacy import counts_distinct_people
from planner.errors import PlannerError

LOGGED_READINGS = 50
"""At most this many readings are listed in one activity entry (the count is always there)."""


def counted(n: int, noun: str) -> str:
    """'1 reading', '1,200 readings': a count with its noun, for the activity log's summaries."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def metric_for(item: PlanItem, metric_id: str) -> Metric | None:
    """The item's metric with this id; a reserved health metric on a community item; else None."""
    for metric in item.metrics:
        if metric.id == metric_id:
            return metric
    is_community = item.cop_stage is not None or (
        item.snapshot is not None and item.snapshot.stage is not None
    )
    return HEALTH_METRICS.get(metric_id) if is_community else None


def _metric_ids(item: PlanItem) -> str:
    """The metric ids an item takes readings for, as a list for a message."""
    ids = [m.id for m in item.metrics]
    ids += [h for h in HEALTH_METRICS if h not in ids and metric_for(item, h) is not None]
    return ", ".join(ids) or "none"


def value_problem(metric: Metric, value: float) -> str | None:
    """Why `value` cannot be a reading of `metric`, or None.

    Counts cannot be negative: neither what a sum metric adds up per period nor distinct people.
    Latest and average metrics may be (a return on investment, a net score).
    """
    if not math.isfinite(value):
        return f"{value} is not a number"
    if value < 0 and (metric.aggregation == "sum" or counts_distinct_people(metric)):
        what = "people" if counts_distinct_people(metric) else metric.unit
        what = "counted" if metric.is_share else what
        return f"{value:g} {what}: a count cannot be negative"
    return None


_PER = {
    "weekly": "ISO week (Monday to Sunday)",
    "monthly": "calendar month",
    "quarterly": "calendar quarter",
}


def period_label(period: Period) -> str:
    """A period as people read it: '2027-01 (1 Jan – 31 Jan 2027)'."""
    if period.start == period.end:
        return f"{period.key} ({format_day(period.start)})"
    first = f"{period.start.day} {period.start:%b}"
    if period.start.year != period.end.year:
        first += f" {period.start.year}"
    return f"{period.key} ({first} – {format_day(period.end)})"


def cadence_rule(cadence: str) -> str:
    """'one reading per calendar month' for a monthly metric."""
    return f"one reading per {_PER.get(cadence, cadence + ' period')}"


def metric_label(metric: Metric) -> str:
    """'Members (people, monthly)': a metric's name, unit and cadence, as the grid shows it.
    A share's readings are counts: 'Share answered (count; shown as percent of questions,
    weekly)'."""
    if metric.is_share:
        return (
            f"{metric.name} (count; shown as percent of {metric.denominator_metric}, "
            f"{metric.cadence})"
        )
    return f"{metric.name} ({metric.unit}, {metric.cadence})"


class ReadingInput(NamedTuple):
    """A reading to record: the period comes from the date and the metric's cadence."""

    item_id: str
    metric_id: str
    date: dt.date
    value: float
    note: str = ""


@dataclass(frozen=True)
class ReadingClash:
    """A reading that would replace one already stored for the same item, metric and period."""

    item_id: str
    item_title: str
    metric_id: str
    metric_name: str
    period: str
    old_value: float
    new_value: float
    old_source: str
    cadence: str = ""
    period_text: str = ""
    """The period with its days ('2027-01 (1 Jan – 31 Jan 2027)'); the key when empty."""

    def __str__(self) -> str:
        metric = f"{self.metric_name} ({self.cadence})" if self.cadence else self.metric_name
        return (
            f"'{self.item_title}', {metric}, {self.period_text or self.period}: "
            f"{self.old_value:g} → {self.new_value:g}"
        )


class ReadingsExistError(PlannerError):
    """Readings already exist for some of the periods: nothing was saved. `clashes` lists them;
    record again with `replace=True` (the CLI's --replace) once the user confirms."""

    def __init__(self, clashes: Sequence[ReadingClash], *, shown: int = 10) -> None:
        self.clashes = list(clashes)
        self.seen: dict[ReadingKey, float] = {
            (c.item_id, c.metric_id, c.period): c.old_value for c in self.clashes
        }
        """The stored values the user is asked to replace: pass as `replace=` to confirm."""
        lines = [f"  {c}" for c in self.clashes[:shown]]
        if len(self.clashes) > shown:
            lines.append(f"  … and {len(self.clashes) - shown} more")
        n = len(self.clashes)
        super().__init__(
            f"{n} reading{'s' if n != 1 else ''} already exist{'s' if n == 1 else ''} for the "
            "same item, metric and period; nothing was saved. Confirm to replace "
            f"{'them' if n != 1 else 'it'} (on the command line: --replace):\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class RecordedReadings:
    """What `record_readings` did."""

    created: int
    replaced: int
    unchanged: int

    @property
    def written(self) -> int:
        return self.created + self.replaced


ReadingKey = tuple[str, str, str]
"""(item id, metric id, period key): what a reading is unique by."""


READING_SOURCES: tuple[str, ...] = ("manual", "csv", "xapi", "teams", "engage", "slack", "discours")
"""Where readings come from: by hand, a readings CSV, xAPI, or a community tool's export
(Microsoft Teams, Viva Engage, Slack, Discourse; `planner.services.community`)."""


@dataclass(frozen=True, kw_only=True)
class Reading:
    """A stored reading: an item's metric in one period of the metric's cadence."""

    id: int
    item_id: str
    metric_id: str
    period: str
    period_start: dt.date
    date: dt.date
    value: float
    source: str
    note: str = ""
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None

    @property
    def key(self) -> ReadingKey:
        return (self.item_id, self.metric_id, self.period)


@dataclass(frozen=True)
class CheckedReading:
    """A row to record, checked: its item, metric and the period its day is filed under."""

    item: PlanItem
    metric: Metric
    period: Period
    reading: ReadingInput

    @property
    def key(self) -> ReadingKey:
        return (self.item.id, self.metric.id, self.period.key)


def checked_readings(items: Mapping[str, PlanItem], rows: Sequence[Any]) -> list[CheckedReading]:
    """Rows (ReadingInput or plain tuples) as checked readings; InvalidInputError lists every
    problem, by row number counted from 1."""
    problems: list[str] = []
    checked: list[CheckedReading] = []
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
        entry = CheckedReading(item, metric, period_of(day, metric.cadence), reading)
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
