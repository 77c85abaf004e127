"""Plans and their items as stored: plan rows, item rows with their targets, and the tactic
snapshots items share (one stored copy per distinct tactic, keyed by a content hash).

Rows become the frozen records of `planner.domain.planning` through `restore`: they were
checked when saved, and are not re-checked. Reads use plain row tuples rather than ORM objects
because a 2,000-item plan is read on every dashboard rerun.

May import: sqlalchemy, `planner.store.schema`, `planner.store.session` and `planner.domain`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from planner.domain.planning import Plan, PlanItem, Target, restore, utc_now
from planner.domain.playbook import Metric, Tactic, snapshot_hash
from planner.errors import NotFoundError
from planner.store.schema import ITEMS, PLANS, SNAPSHOTS, TARGETS
from planner.store.session import Lock, Rows


class PlanRows(Rows):
    """Plans, their items, targets and tactic snapshots."""

    # plans

    def plan(self, plan_id: str, *, lock: Lock | None = None) -> Plan:
        """The plan; `lock` also locks its row until the transaction ends (PostgreSQL).

        A write to a plan reads it with lock="update" before anything else: writers to one
        plan then queue up, and what the write reads next (items, targets) is what the last
        writer committed, so the version checked is the version of those items. Under READ
        COMMITTED without the lock, a save could check version 5 and then read items another
        save had just changed to version 6. lock="share" keeps writers out while a copy reads.
        A SQLite write transaction holds the whole database already (BEGIN IMMEDIATE).
        """
        query = self.locked(select(PLANS).where(PLANS.c.id == plan_id), lock)
        row = self.db.execute(query).one_or_none()
        if row is None:
            raise NotFoundError(f"No plan with id '{plan_id}'. Pick a plan from the list.")
        return _plan(row._mapping)

    def plans(self) -> list[Plan]:
        return [_plan(r._mapping) for r in self.db.execute(select(PLANS))]

    def add_plan(self, plan: Plan, *, created_by: str) -> None:
        at = plan.updated_at or utc_now()
        self.db.execute(
            insert(PLANS), [{**_plan_values(plan), "created_at": at, "created_by": created_by}]
        )

    def save_plan(self, plan: Plan, *, expected_version: int) -> bool:
        """Write `plan` if the stored version is still `expected_version`; False if not.

        The version check and the write are one UPDATE, so of two concurrent saves based on
        the same version exactly one succeeds (PostgreSQL re-checks the WHERE after waiting).
        """
        result = self.db.execute(
            update(PLANS)
            .where(PLANS.c.id == plan.id, PLANS.c.version == expected_version)
            .values(_plan_values(plan))
        )
        return result.rowcount == 1

    # items

    def items(self, plan_id: str, ids: Iterable[str] | None = None) -> list[PlanItem]:
        """The plan's items in plan order; only those in `ids` if given (unknown ids skipped)."""
        query = select(ITEMS).where(ITEMS.c.plan_id == plan_id)
        if ids is not None:
            query = query.where(ITEMS.c.id.in_(sorted(set(ids))))
        rows = self.db.execute(query.order_by(ITEMS.c.position, ITEMS.c.id)).all()
        targets = self._targets(plan_id, None if ids is None else [r.id for r in rows])
        tactics = self._snapshots({r.snapshot_hash for r in rows if r.snapshot_hash})
        return [
            _item(r._mapping, tactics.get(r.snapshot_hash), targets.get(r.id, [])) for r in rows
        ]

    def item(self, plan_id: str, item_id: str) -> PlanItem:
        found = self.items(plan_id, [item_id])
        if not found:
            raise NotFoundError(f"No item '{item_id}' in plan '{plan_id}'; reload the plan.")
        return found[0]

    def _targets(self, plan_id: str, item_ids: Sequence[str] | None) -> dict[str, list[Target]]:
        t = TARGETS.c
        query = select(t.item_id, t.metric_id, t.value, t.due_date, t.baseline)
        if item_ids is None:  # the whole plan: one join instead of a long IN list
            query = query.join(ITEMS, ITEMS.c.id == t.item_id)
            query = query.where(ITEMS.c.plan_id == plan_id)
        else:
            query = query.where(t.item_id.in_(item_ids))
        found: dict[str, list[Target]] = {}
        for item_id, metric_id, value, due_date, baseline in self.db.execute(query):
            found.setdefault(item_id, []).append(
                restore(
                    Target, metric_id=metric_id, value=value, due_date=due_date, baseline=baseline
                )
            )
        return found

    def _snapshots(self, hashes: set[str]) -> dict[str, Tactic]:
        if not hashes:
            return {}
        rows = self.db.execute(
            select(SNAPSHOTS.c.hash, SNAPSHOTS.c.data).where(SNAPSHOTS.c.hash.in_(sorted(hashes)))
        )
        return {h: Tactic.model_validate(data, strict=False) for h, data in rows}

    def next_position(self, plan_id: str) -> int:
        highest = self.db.execute(
            select(func.max(ITEMS.c.position)).where(ITEMS.c.plan_id == plan_id)
        ).scalar_one()
        return 0 if highest is None else int(highest) + 1

    def add_items(self, items: Sequence[PlanItem]) -> None:
        if not items:
            return
        hashes = self._keep_snapshots(items)
        self.db.execute(insert(ITEMS), [_item_values(i, hashes) for i in items])
        self._write_targets(items)

    def save_items(self, items: Sequence[PlanItem]) -> None:
        """Overwrite these items and their targets (a batch: a few statements, not per item)."""
        if not items:
            return
        hashes = self._keep_snapshots(items)
        values = [{**_item_values(i, hashes), "item_id": i.id} for i in items]
        self.db.execute(
            update(ITEMS)
            .where(ITEMS.c.id == bindparam("item_id"))
            .values({c: bindparam(c) for c in values[0] if c not in ("id", "item_id")}),
            values,
        )
        ids = [i.id for i in items]
        self.db.execute(delete(TARGETS).where(TARGETS.c.item_id.in_(ids)))
        self._write_targets(items)

    def remove_item(self, item: PlanItem) -> None:
        self.db.execute(delete(TARGETS).where(TARGETS.c.item_id == item.id))
        self.db.execute(delete(ITEMS).where(ITEMS.c.id == item.id))

    def _write_targets(self, items: Iterable[PlanItem]) -> None:
        rows = [
            {
                "item_id": item.id,
                "metric_id": t.metric_id,
                "value": t.value,
                "due_date": t.due_date,
                "baseline": t.baseline,
            }
            for item in items
            for t in item.targets
        ]
        if rows:
            self.db.execute(insert(TARGETS), rows)

    def _keep_snapshots(self, items: Iterable[PlanItem]) -> dict[int, str]:
        """Store the items' tactic snapshots not stored yet; id(tactic) -> its hash."""
        hashes: dict[int, str] = {}
        rows: dict[str, dict[str, Any]] = {}
        for item in items:
            tactic = item.snapshot
            if tactic is None or id(tactic) in hashes:
                continue
            digest = hashes[id(tactic)] = snapshot_hash(tactic)
            rows[digest] = {
                "hash": digest,
                "tactic_id": tactic.id,
                "data": tactic.model_dump(mode="json"),
            }
        if not rows:
            return hashes
        # Snapshots are immutable and shared: a concurrent save may store the same one first.
        if self.db.dialect.name == "postgresql":
            self.db.execute(pg_insert(SNAPSHOTS).on_conflict_do_nothing(), list(rows.values()))
        elif self.db.dialect.name == "sqlite":
            self.db.execute(sqlite_insert(SNAPSHOTS).on_conflict_do_nothing(), list(rows.values()))
        else:
            stored = self.db.scalars(select(SNAPSHOTS.c.hash).where(SNAPSHOTS.c.hash.in_(rows)))
            missing = [row for digest, row in rows.items() if digest not in set(stored)]
            if missing:
                self.db.execute(insert(SNAPSHOTS), missing)
        return hashes


# --- rows <-> records -----------------------------------------------------------------------
# Rows become records through `restore`: they were checked when saved, and are not re-checked.


def _plan(row: Any) -> Plan:
    return restore(Plan, **{f: row[f] for f in _PLAN_FIELDS})


_PLAN_FIELDS = (
    "id",
    "name",
    "start_date",
    "description",
    "lead_id",
    "review_cadence",
    "status",
    "version",
    "at_risk_threshold",
    "off_track_threshold",
    "updated_at",
    "updated_by",
)


def _plan_values(plan: Plan) -> dict[str, Any]:
    values = {f: getattr(plan, f) for f in _PLAN_FIELDS}
    values["updated_at"] = plan.updated_at or utc_now()
    return values


def _item(row: Any, snapshot: Tactic | None, targets: list[Target]) -> PlanItem:
    custom = [Metric.model_validate(m, strict=False) for m in row["custom_metrics"]]
    if len(targets) > 1:
        # Stored targets have no order; show them in the order of the item's metrics.
        order = {m.id: n for n, m in enumerate(snapshot.metrics if snapshot else custom)}
        targets.sort(key=lambda t: order.get(t.metric_id, len(order)))
    return restore(
        PlanItem,
        **{f: row[f] for f in _ITEM_COLUMNS},
        snapshot=snapshot,
        custom_metrics=custom,
        targets=targets,
    )


_ITEM_COLUMNS = (
    "id",
    "plan_id",
    "title",
    "duration_weeks",
    "position",
    "tactic_id",
    "owner_id",
    "audience",
    "team",
    "pinned_start",
    "status",
    "cop_stage",
    "notes",
    "effort_hours_per_week",
)


def _item_values(item: PlanItem, hashes: dict[int, str]) -> dict[str, Any]:
    values = {f: getattr(item, f) for f in _ITEM_COLUMNS}
    values["snapshot_hash"] = hashes[id(item.snapshot)] if item.snapshot is not None else None
    values["custom_metrics"] = [m.model_dump(mode="json") for m in item.custom_metrics]
    return values
