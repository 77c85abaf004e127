"""Adoption evidence as stored: readings, the xAPI aggregates behind them, and the opt-out list.

A reading is one value of an item's metric per period of the metric's cadence; readings are read
back per plan, item or key, summed up in SQL for progress, and counted for "since the last
review". xAPI imports keep, per plan, the ids of statements already imported (imports are
idempotent) and, per (item, metric, period), the keyed hashes of the people counted, so distinct
people add up across imports; identifiers on the opt-out list are kept only as keyed hashes.
Use cases and rules: `planner.services.readings`, `planner.services.privacy`, `planner.domain`.

May import: sqlalchemy, `planner.store.schema`, `planner.store.session` and `planner.domain`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, func, insert, or_, select, update

from planner.domain.planning import restore
from planner.domain.progress import ReadingsSummary
from planner.domain.readings import Reading, ReadingKey
from planner.errors import NotFoundError
from planner.store.schema import ITEMS, OPT_OUTS, READINGS, XAPI_PEOPLE, XAPI_STATEMENTS
from planner.store.session import Rows, chunks


class AdoptionRows(Rows):
    """Readings, xAPI aggregates (statement ids, people counted) and the opt-out list."""

    def readings(
        self,
        plan_id: str,
        *,
        item_id: str | None = None,
        metric_id: str | None = None,
        until: dt.date | None = None,
    ) -> list[Reading]:
        """The plan's readings by item (plan order), metric and period."""
        r = READINGS.c
        query = select(READINGS).join(ITEMS, ITEMS.c.id == r.item_id)
        query = query.where(ITEMS.c.plan_id == plan_id)
        if item_id is not None:
            query = query.where(r.item_id == item_id)
        if metric_id is not None:
            query = query.where(r.metric_id == metric_id)
        if until is not None:
            query = query.where(r.date <= until)
        query = query.order_by(ITEMS.c.position, r.item_id, r.metric_id, r.period_start)
        return [_reading(row._mapping) for row in self.db.execute(query)]

    def reading(self, plan_id: str, reading_id: int) -> Reading:
        query = (
            select(READINGS)
            .join(ITEMS, ITEMS.c.id == READINGS.c.item_id)
            .where(READINGS.c.id == reading_id, ITEMS.c.plan_id == plan_id)
        )
        row = self.db.execute(query).one_or_none()
        if row is None:
            raise NotFoundError(f"No reading {reading_id} in plan '{plan_id}'; reload the page.")
        return _reading(row._mapping)

    def readings_for(self, keys: Collection[ReadingKey]) -> dict[ReadingKey, Reading]:
        """The stored readings of these (item, metric, period) keys."""
        found: dict[ReadingKey, Reading] = {}
        for row in self._rows_for_keys(READINGS, keys):
            reading = _reading(row._mapping)
            found[reading.key] = reading
        return found

    def add_readings(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert readings given as column values (no id: the database numbers them)."""
        if rows:
            self.db.execute(insert(READINGS), list(rows))

    def update_readings(self, rows: Sequence[dict[str, Any]]) -> None:
        """Overwrite value, date, source, note and who recorded it, by reading id."""
        if not rows:
            return
        columns = ("date", "value", "source", "note", "recorded_by", "recorded_at")
        self.db.execute(
            update(READINGS)
            .where(READINGS.c.id == bindparam("reading_id"))
            .values({c: bindparam(f"new_{c}") for c in columns}),
            [{"reading_id": r["id"], **{f"new_{c}": r[c] for c in columns}} for r in rows],
        )

    def delete_readings(self, ids: Iterable[int]) -> None:
        for chunk in chunks(sorted(set(ids))):
            self.db.execute(delete(READINGS).where(READINGS.c.id.in_(chunk)))

    def reading_summaries(
        self, plan_id: str, as_of: dt.date, item_ids: Collection[str] | None = None
    ) -> dict[tuple[str, str], ReadingsSummary]:
        """Per (item, metric) of the plan, its readings up to `as_of` summed up in SQL: two
        short rows per item-metric come back, however many readings there are."""
        r = READINGS.c
        scope = [ITEMS.c.plan_id == plan_id, r.date <= as_of]
        if item_ids is not None:
            scope.append(r.item_id.in_(sorted(item_ids)))
        totals = (
            select(
                r.item_id,
                r.metric_id,
                func.count().label("readings"),
                func.sum(r.value).label("total"),
                func.min(r.date).label("first_date"),
                func.max(r.date).label("last_date"),
            )
            .join(ITEMS, ITEMS.c.id == r.item_id)
            .where(*scope)
            .group_by(r.item_id, r.metric_id)
            .subquery()
        )
        first = READINGS.alias("first_reading")
        last = READINGS.alias("last_reading")
        query = (
            select(
                totals,
                func.max(first.c.value).label("first_value"),
                func.max(last.c.value).label("last_value"),
            )
            .join(
                first,
                and_(
                    first.c.item_id == totals.c.item_id,
                    first.c.metric_id == totals.c.metric_id,
                    first.c.date == totals.c.first_date,
                ),
            )
            .join(
                last,
                and_(
                    last.c.item_id == totals.c.item_id,
                    last.c.metric_id == totals.c.metric_id,
                    last.c.date == totals.c.last_date,
                ),
            )
            .group_by(*totals.c)
        )
        return {
            (row.item_id, row.metric_id): ReadingsSummary(
                readings=int(row.readings),
                total=float(row.total),
                first_date=row.first_date,
                first_value=float(row.first_value),
                last_date=row.last_date,
                last_value=float(row.last_value),
            )
            for row in self.db.execute(query)
        }

    def readings_added_since(
        self, plan_id: str, since: datetime, dated_after: date | None = None
    ) -> list[tuple[str, str, str, int, date, date]]:
        """(item id, item title, metric id, count, first date, last date) of readings recorded
        after `since` or, with `dated_after`, dated after that day (whenever recorded), in plan
        order (a replaced reading counts: it was recorded again)."""
        r = READINGS.c
        new = r.recorded_at > since
        if dated_after is not None:
            new = or_(new, r.date > dated_after)
        query = (
            select(
                r.item_id,
                ITEMS.c.title,
                r.metric_id,
                func.count().label("n"),
                func.min(r.date).label("first"),
                func.max(r.date).label("last"),
            )
            .join(ITEMS, ITEMS.c.id == r.item_id)
            .where(ITEMS.c.plan_id == plan_id, new)
            .group_by(r.item_id, ITEMS.c.title, ITEMS.c.position, r.metric_id)
            .order_by(ITEMS.c.position, r.item_id, r.metric_id)
        )
        return [
            (row.item_id, row.title, row.metric_id, int(row.n), row.first, row.last)
            for row in self.db.execute(query)
        ]

    # xAPI aggregates

    def imported_statement_ids(self, plan_id: str, ids: Iterable[str] | None = None) -> set[str]:
        """The keys of statements already imported into the plan (those among `ids` if given)."""
        s = XAPI_STATEMENTS.c
        if ids is None:
            return set(self.db.scalars(select(s.statement_id).where(s.plan_id == plan_id)))
        found: set[str] = set()
        for chunk in chunks(sorted(set(ids))):
            query = select(s.statement_id).where(s.plan_id == plan_id, s.statement_id.in_(chunk))
            found.update(self.db.scalars(query))
        return found

    def add_statement_ids(self, plan_id: str, ids: Iterable[str], *, at: datetime) -> None:
        """Remember statements as imported (ids not yet remembered: see imported_statement_ids)."""
        rows = [{"plan_id": plan_id, "statement_id": i, "imported_at": at} for i in ids]
        if rows:
            self.db.execute(insert(XAPI_STATEMENTS), rows)

    def xapi_people(self, keys: Collection[ReadingKey]) -> dict[ReadingKey, set[str]]:
        """The person hashes stored for these keys (keys without any are left out)."""
        found: dict[ReadingKey, set[str]] = {}
        for row in self._rows_for_keys(XAPI_PEOPLE, keys):
            found.setdefault((row.item_id, row.metric_id, row.period), set()).add(row.person_hash)
        return found

    def add_xapi_people(self, people: Iterable[tuple[ReadingKey, str]]) -> None:
        rows = [
            {"item_id": k[0], "metric_id": k[1], "period": k[2], "person_hash": h}
            for k, h in people
        ]
        if rows:
            self.db.execute(insert(XAPI_PEOPLE), rows)

    def delete_xapi_people(self, keys: Collection[ReadingKey]) -> None:
        x = XAPI_PEOPLE.c
        for item_id, metric_id, period in keys:
            self.db.execute(
                delete(XAPI_PEOPLE).where(
                    x.item_id == item_id, x.metric_id == metric_id, x.period == period
                )
            )

    # the opt-out list

    def opt_out_hashes(self) -> set[str]:
        return set(self.db.scalars(select(OPT_OUTS.c.identifier_hash)))

    def add_opt_outs(self, hashes: Iterable[str], *, at: datetime) -> int:
        """Add these hashes to the opt-out list; returns how many were not on it yet."""
        wanted = set(hashes)
        if not wanted:
            return 0
        query = select(OPT_OUTS.c.identifier_hash).where(
            OPT_OUTS.c.identifier_hash.in_(sorted(wanted))
        )
        new = sorted(wanted - set(self.db.scalars(query)))
        if new:
            self.db.execute(insert(OPT_OUTS), [{"identifier_hash": h, "added_at": at} for h in new])
        return len(new)

    def _rows_for_keys(self, table: Table, keys: Collection[ReadingKey]) -> list[Any]:
        """Rows of `table` (readings or xapi_people) whose (item, metric, period) is in keys."""
        wanted = set(keys)
        if not wanted:
            return []
        items = sorted({k[0] for k in wanted})
        periods = sorted({k[2] for k in wanted})
        rows = []
        for chunk in chunks(items):
            query = select(table).where(table.c.item_id.in_(chunk), table.c.period.in_(periods))
            for row in self.db.execute(query):
                if (row.item_id, row.metric_id, row.period) in wanted:
                    rows.append(row)
        return rows


_READING_FIELDS = ("id", "item_id", "metric_id", "period", "period_start", "value", "source")


def _reading(row: Any) -> Reading:
    return restore(
        Reading,
        **{f: row[f] for f in _READING_FIELDS},
        date=row["date"],
        note=row["note"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
    )
