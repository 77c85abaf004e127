"""The activity log and concurrent edits: who changed what, the message for a refused save,
and how a user's edits compare with, and are rebased onto, what others saved since.

Also the wording of moments (`when`, `format_day`) and the round trip of records to plain JSON
(`jsonable`, `restore`) that the log stores. Pure: imports the standard library and pydantic
only; `planner.domain.planning` re-exports every public name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Final, TypeVar

from pydantic import BaseModel

_R = TypeVar("_R")


@dataclass(frozen=True)
class NewActivity:
    """An activity entry about to be written (the database numbers it); built only by
    `services.writes.Write.log` (and a bundle's restored log)."""

    plan_id: str | None
    version: int | None
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class ActivityEntry:
    """One recorded change: who, when, what, and the values before and after.

    `version` is the plan version the change produced (None for changes to people), which is
    how a refused save finds out what happened since the version it was based on.
    """

    id: int
    plan_id: str | None
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    version: int | None = None


# Verbs for grouping several entries of one save into one phrase ("edited 3 items").
_PAST_TENSE = {
    "create": "added",
    "update": "edited",
    "remove": "removed",
    "refresh": "updated",
    "copy": "copied",
}


class Unseen(Enum):
    UNSEEN = "unseen"


UNSEEN: Final = Unseen.UNSEEN
"""Default of a write's `seen` argument: the caller drew nothing (the command line), so the
write applies to what is stored, without a freshness check."""


def same_moment(a: datetime | None, b: datetime | None) -> bool:
    """Two stored stamps are the same moment (a naive one is read as UTC)."""
    if a is None or b is None:
        return a is b
    return a.replace(tzinfo=a.tzinfo or UTC) == b.replace(tzinfo=b.tzinfo or UTC)


def describe_conflict(
    entries: Sequence[ActivityEntry],
    *,
    expected_version: int,
    now: datetime | None = None,
    subject: str = "This plan",
) -> str:
    """The message for a save refused because others saved since `expected_version`.

    `subject` names what changed ("This plan", "Sam Lee's record", "The action item 'x'");
    entries without a version (readings, action items) each count as one save: pass
    `expected_version=0` and only the entries made since the user drew the page."""
    if any(e.version is None for e in entries):
        entries = [
            replace(e, version=n) for n, e in enumerate(sorted(entries, key=lambda e: e.id), 1)
        ]
    by_version: dict[int, list[ActivityEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        if entry.version is not None and entry.version > expected_version:
            by_version.setdefault(entry.version, []).append(entry)
    saves = [_describe_save(group, now or datetime.now(UTC)) for group in by_version.values()]
    shown = saves[-5:]
    if len(saves) > len(shown):
        shown.insert(0, f"{len(saves) - len(shown)} earlier change(s)")
    what = "; ".join(shown) if shown else f"it is no longer at version {expected_version}"
    return (
        f"{subject} changed since you opened it: {what}. Your edits are still on screen: "
        "reload to see theirs, then save again."
    )


class _Removed:
    def __repr__(self) -> str:
        return "REMOVED"


REMOVED: Any = _Removed()
"""`FieldEdit.theirs` of a field of an item someone else removed."""


@dataclass(frozen=True)
class FieldEdit:
    """One field a user changed in a save that was refused: the value when they opened the plan
    (`base`), the value someone else has saved since (`theirs`), and theirs (`mine`)."""

    entity_id: str  # the plan's id, or the item's
    field: str
    base: Any
    theirs: Any
    mine: Any

    @property
    def they_changed(self) -> bool:
        return bool(self.theirs != self.base)

    @property
    def clash(self) -> bool:
        """Both changed it, to different values: mine cannot simply be re-applied."""
        return self.they_changed and bool(self.theirs != self.mine)


def compare_edits(
    entity_id: str,
    base: object,
    current: object | None,
    mine: Mapping[str, Any],
) -> list[FieldEdit]:
    """My edits to one record (field -> my value) against the record as I opened it (`base`)
    and as it is now (`current`; None when someone removed it)."""
    return [
        FieldEdit(
            entity_id=entity_id,
            field=name,
            base=getattr(base, name),
            theirs=REMOVED if current is None else getattr(current, name),
            mine=value,
        )
        for name, value in mine.items()
    ]


def rebase_edits(edits: Iterable[FieldEdit]) -> tuple[dict[str, dict[str, Any]], list[FieldEdit]]:
    """Split my refused edits into those to re-apply on the newer version (entity id -> field
    -> value: fields nobody else changed, or changed to my value) and the clashes."""
    keep: dict[str, dict[str, Any]] = {}
    clashes: list[FieldEdit] = []
    for edit in edits:
        if edit.clash:
            clashes.append(edit)
        elif edit.theirs != edit.mine:
            keep.setdefault(edit.entity_id, {})[edit.field] = edit.mine
    return keep, clashes


def _describe_save(group: list[ActivityEntry], now: datetime) -> str:
    first = group[0]
    if len(group) == 1:
        what = _lower_first(first.summary)
    else:
        counts: dict[tuple[str, str], int] = {}
        for entry in group:
            counts[(entry.action, entry.entity)] = counts.get((entry.action, entry.entity), 0) + 1
        what = ", ".join(
            f"{_PAST_TENSE.get(action, action)} {n} {entity}{'s' if n > 1 else ''}"
            for (action, entity), n in counts.items()
        )
    return f"{first.actor} {what} {when(first.at, now)}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def when(at: datetime, now: datetime) -> str:
    """'at 14:02 UTC' today, 'on 12 Jan 2027 at 14:02 UTC' on another day."""
    at = at.astimezone(UTC)
    clock = f"at {at:%H:%M} UTC"
    if at.date() == now.astimezone(UTC).date():
        return clock
    return f"on {format_day(at.date())} {clock}"


def format_day(day: date) -> str:
    """12 Jan 2027: the one date format users see."""
    return f"{day.day} {day:%b %Y}"


def restore(record_type: type[_R], **values: Any) -> _R:
    """Rebuild a record read back from storage without checking it again.

    Everything stored was checked when it was saved, and a large plan is read on every
    dashboard rerun, where checking 2,000 items again would be most of the cost.
    """
    record = object.__new__(record_type)
    record.__dict__.update(values)
    return record


def jsonable(value: Any) -> Any:
    """Dataclasses, pydantic models, dates and containers as JSON-ready values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
