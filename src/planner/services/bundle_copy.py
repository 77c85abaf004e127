"""A bundle imported as a copy: new ids for its records, and its reviews' references following.

`BundleIds` maps each of the bundle's ids to the id it is written under (itself when the plan is
restored, a new one in a copy); `review_records` turns the bundle's reviews, decisions and action
items into the records to write, their frozen snapshots rewritten to the new item, action and
review ids, owners mapped to the people here. May import the domain and the exchange formats.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.domain.meetings import ActionItemRecord, ReviewRecord
from planner.domain.planning import new_id
from planner.exchange.bundle import ParsedBundle


@dataclass(frozen=True)
class BundleIds:
    """Bundle id -> the id written here, per kind of record."""

    copy: bool
    items: dict[str, str]
    stories: dict[str, str]
    reviews: dict[str, str]
    actions: dict[str, str]

    @classmethod
    def of(cls, parsed: ParsedBundle, copy: bool) -> BundleIds:
        def ids(prefix: str, found: list[str]) -> dict[str, str]:
            return {i: new_id(prefix) if copy else i for i in found}

        return cls(
            copy,
            ids("it", [i.id for i in parsed.items]),
            ids("st", [s.id for s in parsed.stories]),
            ids("rv", [r.id for r in parsed.reviews]),
            ids("ac", [a.id for a in parsed.actions]),
        )


def review_records(
    parsed: ParsedBundle, plan_id: str, ids: BundleIds, people_ids: Mapping[str, str]
) -> tuple[list[ReviewRecord], list[tuple[str, str, int, str]], list[ActionItemRecord]]:
    """The bundle's reviews, decisions (id, review id, position, text) and action items to
    write: under new ids in a copy (snapshots follow: item, action and review ids), owners
    mapped to the people here."""

    def person(person_id: Any) -> str | None:
        return people_ids.get(person_id) if isinstance(person_id, str) else None

    reviews = [
        ReviewRecord(
            id=ids.reviews[r.id],
            plan_id=plan_id,
            date=r.date,
            attendees=list(r.attendees),
            notes=r.notes,
            snapshot=_snapshot(r.snapshot, ids, person),
            recorded_by=r.recorded_by,
            recorded_at=r.recorded_at,
        )
        for r in parsed.reviews
    ]
    decisions = [
        (new_id("dc") if ids.copy else d.id, ids.reviews[r.id], n, d.text)
        for r in parsed.reviews
        for n, d in enumerate(r.decisions)
    ]
    actions = [
        ActionItemRecord(
            **{
                **a.model_dump(),
                "id": ids.actions[a.id],
                "plan_id": plan_id,
                "owner_id": person(a.owner_id),
                "created_in_review": _remap(ids.reviews, a.created_in_review),
                "closed_in_review": _remap(ids.reviews, a.closed_in_review),
            }
        )
        for a in parsed.actions
    ]
    return reviews, decisions, actions


def _remap(ids: Mapping[str, str], value: Any) -> Any:
    return ids.get(value, value) if isinstance(value, str) else value


def _snapshot(raw: Mapping[str, Any], ids: BundleIds, person: Any) -> dict[str, Any]:
    """A deep copy of a review's frozen snapshot, its references rewritten in a copy."""
    snap = json.loads(json.dumps(raw))
    if not ids.copy:
        return dict(snap)
    for row in snap.get("rows", []):
        if isinstance(row, dict):
            row["item_id"] = _remap(ids.items, row.get("item_id"))
    for item in snap.get("items", []):
        if isinstance(item, dict):
            item["item_id"] = _remap(ids.items, item.get("item_id"))
    for agenda in snap.get("agenda", []):
        if isinstance(agenda, dict):
            agenda["id"] = _remap(ids.actions, agenda.get("id"))
            agenda["owner_id"] = person(agenda.get("owner_id"))
            for key in ("created_in_review", "closed_in_review"):
                agenda[key] = _remap(ids.reviews, agenda.get(key))
    if isinstance(snap.get("actions_created"), list):
        snap["actions_created"] = [_remap(ids.actions, a) for a in snap["actions_created"]]
    return dict(snap)
