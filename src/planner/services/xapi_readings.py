"""xAPI aggregates applied to a plan's readings: the counts an import hands over, added up.

An xAPI import (`planner.services.adoption.import_xapi`, over `planner.exchange.xapi`) reads the
statements and hands over counts per (item, metric, period): statements counted, or the keyed
hashes of the distinct people. `apply_xapi_batch` merges them into the plan's readings in one
transaction, remembering the statements' keys so the next import skips them
(`imported_statement_ids`) and the people's hashes so distinct people add up across imports.
Readings by hand or from CSV are `planner.services.readings`.

May import: `planner.domain`, `planner.errors`, `planner.store`; not the exchange formats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Protocol

from planner.domain.access import Permission
from planner.domain.periods import Period, filing_cadence, parse_period
from planner.domain.planning import InvalidInputError, Plan, PlanItem
from planner.domain.playbook import Metric
from planner.domain.readings import (
    LOGGED_READINGS,
    ReadingClash,
    ReadingKey,
    ReadingsExistError,
    _metric_ids,
    counted,
    metric_for,
)
from planner.errors import ConflictError
from planner.services.writes import Write
from planner.store import Engine, Reading, Repository, uow

__all__ = [
    "XapiBatch",
    "XapiCounts",
    "XapiImportSummary",
    "apply_xapi_batch",
    "imported_statement_ids",
]


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
    what = f"import xAPI readings into plan {plan_id}"
    with Write.begin(engine, actor, Permission.READINGS_EDIT, what) as write:
        repo, at = write.repo, write.at
        today = today or at.date()
        ids = set(batch.statement_ids)
        plan = write.writable_plan(plan_id, to="record readings or stories")
        known = repo.imported_statement_ids(plan_id, ids)
        if known and not replace:
            raise ConflictError(
                f"{counted(len(known), 'statement')} of this import were imported into plan "
                f"'{plan.name}' meanwhile (by another import at the same time?); nothing was "
                "written. Import the files again: statements imported before are skipped."
            )
        keys = set(batch.counts) | set(batch.people)
        items = {i.id: i for i in repo.items(plan_id, {k[0] for k in keys})}
        metrics, periods = _check_xapi_keys(items, keys, batch)
        stored = repo.readings_for(keys)
        clashes = _clashes(items, metrics, batch, stored)
        if clashes and not replace:
            raise ReadingsExistError(clashes)
        people = _merged_people(repo, batch, keys, replace=replace)
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for key in sorted(keys):
            old = stored.get(key)
            merged = None if replace else old  # without replace a stored reading is xAPI's
            if key in batch.people:
                value = float(len(people[key]))
            else:
                value = batch.counts[key] + (merged.value if merged is not None else 0.0)
            values = _reading_values(key, periods[key], value, today, actor, at)
            if old is None:
                created.append(values)
            else:
                updated.append({**values, "id": old.id})
        repo.add_readings(created)
        repo.update_readings(updated)
        repo.add_statement_ids(plan_id, sorted(ids - known), at=at)
        if keys or ids - known:
            _log_xapi(write, plan, len(ids), len(known), created, updated, replace)
    return XapiImportSummary(
        statements=len(ids),
        duplicates=len(known),
        readings_created=len(created),
        readings_updated=len(updated),
        periods=len(keys),
        replaced=replace,
    )


def _clashes(
    items: Mapping[str, PlanItem],
    metrics: Mapping[ReadingKey, Metric],
    batch: XapiCounts,
    stored: Mapping[ReadingKey, Reading],
) -> list[ReadingClash]:
    """The periods whose stored reading was entered by hand or from CSV (not merged)."""
    return [
        ReadingClash(
            item_id=key[0],
            item_title=items[key[0]].title,
            metric_id=key[1],
            metric_name=metrics[key].name,
            period=key[2],
            old_value=old.value,
            new_value=float(len(batch.people[key]) if key in batch.people else batch.counts[key]),
            old_source=old.source,
        )
        for key, old in stored.items()
        if old.source != "xapi"
    ]


def _merged_people(
    repo: Repository, batch: XapiCounts, keys: Iterable[ReadingKey], *, replace: bool
) -> dict[ReadingKey, set[str]]:
    """Per key counted as distinct people, the hashes stored before (none with `replace`: they
    are dropped) and the batch's; the batch's new ones are stored for the next import."""
    people_keys = [k for k in keys if k in batch.people]
    if replace:
        repo.delete_xapi_people(people_keys)
    stored_people = {} if replace else repo.xapi_people(people_keys)
    repo.add_xapi_people(
        (key, person)
        for key in people_keys
        for person in sorted(set(batch.people[key]) - stored_people.get(key, set()))
    )
    return {k: set(batch.people[k]) | stored_people.get(k, set()) for k in people_keys}


def _reading_values(
    key: ReadingKey, period: Period, value: float, today: dt.date, actor: str, at: dt.datetime
) -> dict[str, Any]:
    """A reading row from xAPI, dated its period's last day or `today` while it runs."""
    return {
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


def _log_xapi(
    write: Write,
    plan: Plan,
    statements: int,
    duplicates: int,
    created: Sequence[Mapping[str, Any]],
    updated: Sequence[Mapping[str, Any]],
    replace: bool,
) -> None:
    written = [*created, *updated]
    summary = (
        f"Imported {counted(statements, 'xAPI statement')}: "
        f"{counted(len(created), 'reading')} added, {len(updated):,} updated"
    )
    if duplicates:
        summary += f"; {duplicates:,} imported before were " + (
            "counted again (replace)" if replace else "skipped"
        )
    elif replace:
        summary += " (the periods it touches recomputed from this import alone)"
    write.log(
        "import",
        "readings",
        plan.id,
        summary,
        plan_id=plan.id,
        after={
            "count": len(written),
            "source": "xapi",
            "statements": statements,
            "duplicates": duplicates,
            "replace": replace,
            "readings": [
                {k: w[k] for k in ("item_id", "metric_id", "period", "value")}
                for w in written[:LOGGED_READINGS]
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
