"""Readings: numbers recorded by hand or from a CSV file, listed and removed; plan status and
an item's trends.

A reading is one value of an item's metric for one period of the metric's cadence (an ISO
week, a calendar month or a quarter, `domain.periods`), filed by the period its date falls in.
A period holds at most one reading, so nothing is ever counted twice:

- by hand or from CSV (`record_readings`, `import_readings_csv`): a reading for a period that
  already has one is refused with `ReadingsExistError`, which lists each clash (old value →
  new value) so the page can ask the user to confirm and the command line can say `--replace`;
  with `replace=True` the old value is replaced. Re-sending the same value is not a clash.
- from xAPI (`apply_xapi_batch`, `planner.services.xapi_readings`, re-exported here):
  statements add to the periods they fall in (see XapiBatch).

Readings are data, not plan edits: recording them does not raise the plan's version (nobody's
open plan goes stale), but every write is logged in the plan's activity log (without a version),
so `services.change_stamp` moves and caches refresh. An archived plan takes no readings.

Besides a tactic's metrics, a community-of-practice item (one with a community stage) takes
readings of the reserved community-health metrics (`HEALTH_METRICS`: members, active members,
contributors, questions, questions answered in time, median hours to first response), which
feed the community-health panel even when the tactic does not list them. They have no target.

The CSV format is `planner.exchange.readings_csv`, the rules a row is checked by
`planner.domain.readings`, trends' maths `planner.domain.item_trends`; the plan locked for a write
and the trends' read are `planner.store.readings`. Every name they had here is re-exported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from planner.domain import item_trends as trends
from planner.domain.access import Permission, require
from planner.domain.health import HEALTH_METRICS as HEALTH_METRICS
from planner.domain.planning import (
    UNSEEN,
    InvalidInputError,
    Plan,
    Unseen,
    when,
)
from planner.domain.privacy import PseudonymKey, person_hash
from planner.domain.progress import PlanProgress, TrendPoint
from planner.domain.readings import (
    LOGGED_READINGS,
    CheckedReading,
    ReadingKey,
    checked_readings,
    counted,
)
from planner.domain.readings import ReadingClash as ReadingClash
from planner.domain.readings import ReadingInput as ReadingInput
from planner.domain.readings import ReadingsExistError as ReadingsExistError
from planner.domain.readings import RecordedReadings as RecordedReadings
from planner.domain.readings import _metric_ids as _metric_ids
from planner.domain.readings import cadence_rule as cadence_rule
from planner.domain.readings import metric_for as metric_for
from planner.domain.readings import metric_label as metric_label
from planner.domain.readings import period_label as period_label
from planner.domain.readings import value_problem as value_problem
from planner.errors import ConflictError
from planner.exchange.readings_csv import READINGS_CSV_COLUMNS as READINGS_CSV_COLUMNS
from planner.exchange.readings_csv import ReadingsImportError as ReadingsImportError
from planner.exchange.readings_csv import parse_readings_csv as parse_readings_csv
from planner.exchange.readings_csv import readings_csv_template as readings_csv_template
from planner.services.privacy import opt_out_hashes, pseudonym_key
from planner.services.writes import Write
from planner.services.xapi_readings import XapiBatch as XapiBatch
from planner.services.xapi_readings import XapiCounts as XapiCounts
from planner.services.xapi_readings import XapiImportSummary as XapiImportSummary
from planner.services.xapi_readings import apply_xapi_batch as apply_xapi_batch
from planner.services.xapi_readings import imported_statement_ids as imported_statement_ids
from planner.store import READING_SOURCES, Engine, Reading, Repository, uow
from planner.store.readings import trend_sources
from planner.store.status import read_plan_status

_TO = "record readings or stories"
"""What the archived plan's message says reopening it is for (`ensure_writable`)."""

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


# --- recording ----------------------------------------------------------------------------------


Seen = Mapping[ReadingKey, float]
"""What a page showed before replacing: the stored value per (item, metric, period) key."""


def _check_seen(
    plan: Plan, replaced: Sequence[tuple[CheckedReading, Reading]], seen: Seen, now: dt.datetime
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
    what = f"record readings for plan {plan_id}"
    with Write.begin(engine, actor, Permission.READINGS_EDIT, what) as write:
        sources = [source] * len(rows) if isinstance(source, str) else list(source)
        if len(sources) != len(rows) or any(s not in _RECORDED_SOURCES for s in sources):
            raise ValueError(f"source must be one of {_RECORDED_SOURCES} (one, or one per row)")
        repo, at = write.repo, write.at
        plan = write.writable_plan(plan_id, to=_TO)
        wanted = {str(r[0]) for r in rows if len(r) > 0}
        items = {i.id: i for i in repo.items(plan_id, wanted)}
        checked = checked_readings(items, rows)
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
            _log_readings(write, plan, new, replaced, logged, source_name)
    return RecordedReadings(created=len(new), replaced=len(replaced), unchanged=same)


def _clash(entry: CheckedReading, old: Reading) -> ReadingClash:
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


def _reading_values(
    entry: CheckedReading, source: str, actor: str, at: dt.datetime
) -> dict[str, Any]:
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


def _log_readings(
    write: Write,
    plan: Plan,
    new: Sequence[CheckedReading],
    replaced: Sequence[tuple[CheckedReading, Reading]],
    source: str,
    source_name: str | None,
) -> None:
    written = [*new, *(e for e, _ in replaced)]
    item_count = len({e.item.id for e in written})
    verb = "Recorded" if source == "manual" else "Imported"
    summary = f"{verb} {counted(len(written), 'reading')} for {counted(item_count, 'item')}"
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

    def listed(entry: CheckedReading, value: float) -> dict[str, Any]:
        return {
            "item_id": entry.item.id,
            "metric_id": entry.metric.id,
            "period": entry.period.key,
            "value": value,
        }

    write.log(
        "record",
        "readings",
        plan.id,
        summary,
        plan_id=plan.id,
        before={
            "count": len(replaced),
            "readings": [listed(e, old.value) for e, old in replaced[:LOGGED_READINGS]],
        }
        if replaced
        else None,
        after={
            "count": len(written),
            "source": source,
            "readings": [listed(e, e.reading.value) for e in written[:LOGGED_READINGS]],
        },
    )


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
    what = f"delete a reading of plan {plan_id}"
    with Write.begin(engine, actor, Permission.READINGS_EDIT, what) as write:
        repo, at = write.repo, write.at
        plan = write.writable_plan(plan_id, to=_TO)
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
        write.log(
            "remove",
            "readings",
            plan.id,
            f"Removed the reading of {metric.name if metric else reading.metric_id}"
            f" of '{item.title}' for {reading.period} ({reading.value:g})",
            plan_id=plan.id,
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


# --- status and trends --------------------------------------------------------------------------


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
        plan, items, readings = trend_sources(session, plan_id, item_id, until=as_of)
    return trends.item_trends(plan, items, item_id, readings, as_of)


def metric_trend(
    engine: Engine, plan_id: str, item_id: str, metric_id: str, as_of: dt.date | None = None
) -> list[TrendPoint]:
    """The trend of one item's metric: per period, reading, actual, expected line, target."""
    trends = item_trends(engine, plan_id, item_id, as_of)
    if metric_id not in trends:
        raise InvalidInputError(f"Item '{item_id}' has no metric '{metric_id}'.")
    return trends[metric_id]
