"""Plan bundles: one JSON file with everything about a plan, for backup, restore and moving.

Layout (format version 4), every record referring to others by stable ids:

    {
      "format": "informal-learning-planner/bundle",
      "version": 4,
      "plan": {id, name, description, lead_id, start_date, review_cadence, status, version,
               at_risk_threshold, off_track_threshold},
      "people": [{id, name, email, role, team, capacity_hours_per_week}, ...],
      "items": [{id, position, title, tactic_id, tactic_snapshot, custom_metrics, owner_id,
                 audience, team, pinned_start, duration_weeks, status, cop_stage, notes,
                 [effort_hours_per_week,] targets: [{metric_id, value, due_date, baseline}]},
                ...],
      "tactic_snapshots": {"<content hash>": {the tactic as it was when added}, ...},
      "readings": [{item_id, metric_id, period, period_start, date, value, source, note,
                    recorded_by, recorded_at}, ...],
      "stories": [{id, item_id, date, author, title, text, value_cycle, recorded_by,
                   recorded_at}, ...],
      "reviews": [{id, date, attendees, notes, snapshot, recorded_by, recorded_at,
                   decisions: [{id, text}, ...]}, ...],
      "actions": [{id, text, owner_id, owner_name, due, status, created_in_review,
                   closed_in_review, created_at, created_by, updated_at, updated_by}, ...],
      "channel_mapping": [{name, item_id}, ...],
      "activity": [{at, actor, action, entity, entity_id, summary, before, after, version}, ...]
    }

`people` holds the plan's lead, item owners and action item owners, by id; `items` are in plan
order; the tactic snapshots are shared by the items that follow the same version of a tactic,
so a bundle restores without the playbook; `readings` are every reading of the plan's items,
by item (plan order), metric and period; `stories` by date, then id; `reviews` by date, when
recorded, then id (each with its decisions in the order taken and its frozen snapshot as
stored); `actions` (the plan's action items) by when created, then id; `channel_mapping` (which
item each channel, group or category of a community tool's export goes to,
`planner.domain.channel_mapping`) by name as compared; `activity` is the plan's log, oldest
first. Keys
are sorted, indented by 2, UTF-8 (not escaped) with a final newline, so the same plan gives the
same bytes. The plan's `updated_at`/`updated_by` are not in the bundle: they are the log's last
entry, and a reading's database number is not either (it differs from one database to another).

A bundle is a confidential backup: readings keep their numbers, small groups included (reports
people read show them as "< 5"; `planner.services.privacy`). What is NOT in a bundle, on purpose:
- the pseudonymised xAPI actors (`xapi_people`: keyed hashes per item, metric and period),
- the ids of the xAPI statements already imported (`xapi_statements`),
- the opt-out list (`opt_outs`),
- the pseudonym key itself.
Readings computed from xAPI travel as plain numbers. So, in a restored plan, statements imported
before the export are not recognised as seen (importing the same file again counts it again),
and a distinct-people period that a later xAPI import touches counts that import's people only.
Keep the xAPI files and import them with --replace when a period has to be recomputed.

Version 1 bundles (made before readings and stories existed: `readings` empty, no `stories`),
version 2 bundles (before review meetings: `reviews` empty, no `actions`) and version 3 bundles
(before saved channel mappings: no `channel_mapping`) still import; a bundle from a newer format
version is refused.

Reading a bundle (`parse_bundle`; on any problem, ImportFormatError and nothing is written):
the bundle is checked whole first: JSON, structure (pydantic, `bundle_model`), then references
and rules (`bundle_rules`); every problem is reported with its JSON path. A bundle from a newer
format version is refused with a request to upgrade the planner. Writing it into a database
(people matched, a copy when its ids are taken, the import logged) is
`planner.services.bundles`.

Export, import into an empty database, export again: the same bytes apart from `activity`.
Pure: bytes and records only (the domain, pydantic); no engine, no session.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from planner.domain.channel_mapping import channel_key
from planner.domain.limits import check_size, json_depth_problem
from planner.domain.meetings import ActionItemRecord, ReviewRecord
from planner.domain.plan_contents import PlanContents
from planner.domain.planning import ActivityEntry, Person, Plan, PlanItem, jsonable
from planner.domain.playbook import snapshot_hash
from planner.domain.readings import Reading
from planner.domain.stories import Story
from planner.errors import ImportFormatError
from planner.exchange.bundle_model import (
    ACTION_STATUSES as ACTION_STATUSES,
)
from planner.exchange.bundle_model import (
    CHANNELS_FORMAT_VERSION,
    FIRST_FORMAT_VERSION,
    FORMAT,
    FORMAT_VERSION,
    REVIEWS_FORMAT_VERSION,
    Bundle,
    BundleAction,
    BundleActivity,
    BundlePlan,
    BundleReading,
    BundleReview,
    BundleStory,
)
from planner.exchange.bundle_model import (
    COPY_SUFFIX as COPY_SUFFIX,
)
from planner.exchange.bundle_model import (
    MAX_NAME as MAX_NAME,
)
from planner.exchange.bundle_rules import ParsedBundle, bundle_records

_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
"""JSON's escape for NUL: `\\u0000` after an even number of backslashes (after an odd number,
the backslash is itself escaped and the text holds a backslash, then `u0000`)."""
MAX_PROBLEMS_SHOWN = 12

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ParsedBundle",
    "bundle_bytes",
    "bundle_document",
    "dump_bundle",
    "looks_like_bundle",
    "parse_bundle",
    "refused",
]

# --- writing a bundle ---------------------------------------------------------------------------


def bundle_bytes(contents: PlanContents) -> bytes:
    """The plan's bundle file: `bundle_document` as deterministic bytes."""
    return dump_bundle(
        bundle_document(
            contents.plan,
            contents.people,
            contents.items,
            contents.activity,
            contents.readings,
            contents.stories,
            contents.reviews,
            contents.actions,
            contents.channel_mapping,
        )
    )


def bundle_document(
    plan: Plan,
    people: Iterable[Person],
    items: Iterable[PlanItem],
    activity: Iterable[ActivityEntry],
    readings: Iterable[Reading] = (),
    stories: Iterable[Story] = (),
    reviews: Iterable[tuple[ReviewRecord, Sequence[tuple[str, str]]]] = (),
    actions: Iterable[ActionItemRecord] = (),
    channel_mapping: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The bundle as JSON-ready data; `activity` oldest first, people limited to those given.

    Readings are put in order by item (plan order), metric and period, stories by date then id,
    reviews (each with its decisions as (id, text), in the order taken) by date, when recorded,
    then id, action items by when created, then id, and the channel mapping's (name, item id)
    pairs by name as compared, whatever order they come in."""
    ordered = sorted(items, key=lambda i: (i.position, i.id))
    place = {item.id: n for n, item in enumerate(ordered)}
    item_records, snapshots = _item_records(ordered)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "plan": {f: jsonable(getattr(plan, f)) for f in BundlePlan.model_fields},
        "people": [jsonable(p) for p in sorted(people, key=lambda p: p.id)],
        "items": item_records,
        "tactic_snapshots": snapshots,
        "readings": [
            {f: jsonable(getattr(r, f)) for f in BundleReading.model_fields}
            for r in sorted(
                readings,
                key=lambda r: (
                    place.get(r.item_id, len(place)),
                    r.item_id,
                    r.metric_id,
                    r.period_start,
                    r.period,
                ),
            )
        ],
        "stories": [
            {f: jsonable(getattr(s, f)) for f in BundleStory.model_fields}
            for s in sorted(stories, key=lambda s: (s.date, s.id))
        ],
        "reviews": [
            {
                **{
                    f: jsonable(getattr(r, f))
                    for f in BundleReview.model_fields
                    if f not in ("decisions", "snapshot")
                },
                "snapshot": r.snapshot,
                "decisions": [{"id": i, "text": t} for i, t in decided],
            }
            for r, decided in sorted(
                reviews, key=lambda rd: (rd[0].date, jsonable(rd[0].recorded_at), rd[0].id)
            )
        ],
        "actions": [
            {f: jsonable(getattr(a, f)) for f in BundleAction.model_fields}
            for a in sorted(actions, key=lambda a: (jsonable(a.created_at), a.id))
        ],
        "channel_mapping": [
            {"name": name, "item_id": item_id}
            for name, item_id in sorted(channel_mapping, key=lambda c: (channel_key(c[0]), c))
        ],
        "activity": [
            {f: jsonable(getattr(entry, f)) for f in BundleActivity.model_fields}
            for entry in activity
        ],
    }


def _item_records(items: Sequence[PlanItem]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The items as bundle records, and the tactic snapshots they follow, by content hash."""
    snapshots: dict[str, Any] = {}
    records = []
    for item in items:
        digest = None
        if item.snapshot is not None:
            digest = snapshot_hash(item.snapshot)
            snapshots[digest] = item.snapshot.model_dump(mode="json")
        records.append(
            {
                "id": item.id,
                "position": item.position,
                "title": item.title,
                "tactic_id": item.tactic_id,
                "tactic_snapshot": digest,
                "custom_metrics": [m.model_dump(mode="json") for m in item.custom_metrics],
                "owner_id": item.owner_id,
                "audience": item.audience,
                "team": item.team,
                "pinned_start": jsonable(item.pinned_start),
                "duration_weeks": item.duration_weeks,
                "status": item.status,
                "cop_stage": item.cop_stage,
                "notes": item.notes,
                **(
                    {"effort_hours_per_week": item.effort_hours_per_week}
                    if item.effort_hours_per_week is not None
                    else {}
                ),
                "targets": [jsonable(t) for t in item.targets],
            }
        )
    return records, snapshots


def dump_bundle(document: Mapping[str, Any]) -> bytes:
    """Deterministic bytes: sorted keys, indent 2, UTF-8 unescaped, final newline."""
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


# --- reading a bundle -----------------------------------------------------------------------


def looks_like_bundle(data: bytes) -> bool:
    """True for JSON content (a bundle or a broken one), False for anything else (a CSV)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_bundle(data: bytes, *, source: str = "bundle") -> ParsedBundle:
    """Check a bundle whole; ImportFormatError lists every problem with its JSON path."""
    check_size(len(data), "plan bundle", source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refused(source, f"byte {exc.start}: not UTF-8 text") from None
    too_deep = json_depth_problem(data)
    if too_deep is not None:
        raise refused(source, too_deep)
    escape = _NUL_ESCAPE.search(text)
    if escape is not None:
        line = text.count("\n", 0, escape.start()) + 1
        raise refused(
            source,
            f"line {line}: a text holds a NUL character (\\u0000), which cannot be stored; "
            "remove it",
        )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise refused(
            source, f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    version = _check_envelope(raw, source)
    try:
        bundle = Bundle.model_validate_json(text)
    except ValidationError as exc:
        raise refused(source, *(_describe(e, version) for e in exc.errors())) from None
    parsed, problems = bundle_records(bundle)
    if parsed is None:
        raise refused(source, *problems)
    return parsed


def _check_envelope(raw: Any, source: str) -> int:
    """The bundle's format version, once it is one this planner reads."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ImportFormatError(
            f'{source}: not a plan bundle (a JSON object with "format": "{FORMAT}"); '
            "nothing was imported."
        )
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refused(source, f"version: expected a format version number, found {version!r}")
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            f"{source}: this bundle was made by a newer version of the planner; upgrade to "
            f"import it (it has bundle format version {version}, this planner reads up to "
            f"version {FORMAT_VERSION}). Nothing was imported."
        )
    if version == FIRST_FORMAT_VERSION:
        problems = []
        if raw.get("readings"):
            problems.append(
                "readings: a version 1 bundle has no readings (they came with version 2)"
            )
        if "stories" in raw:
            problems.append("stories: not a field of a version 1 bundle")
        if problems:
            raise refused(source, *problems)
    if version < REVIEWS_FORMAT_VERSION:
        problems = []
        if raw.get("reviews"):
            problems.append(
                f"reviews: a version {version} bundle has no reviews (they came with version "
                f"{REVIEWS_FORMAT_VERSION})"
            )
        if "actions" in raw:
            problems.append(f"actions: not a field of a version {version} bundle")
        if problems:
            raise refused(source, *problems)
    if version < CHANNELS_FORMAT_VERSION and "channel_mapping" in raw:
        raise refused(source, f"channel_mapping: not a field of a version {version} bundle")
    return version


def _describe(error: Mapping[str, Any], version: int = FORMAT_VERSION) -> str:
    path = _json_path(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return f"{path}: missing (required)"
    if kind == "extra_forbidden":
        return f"{path}: not a field of a version {version} bundle"
    message = str(error["msg"]).removeprefix("Value error, ")
    found = error.get("input")
    if isinstance(found, dict | list):
        return f"{path}: {message}"
    shown = repr(found)
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return f"{path}: {message} (found {shown})"


def _json_path(loc: Sequence[str | int]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f"{'.' if path else ''}{part}"
    return path or "(the whole file)"


def refused(source: str, *problems: str) -> ImportFormatError:
    """The error for a file that cannot be imported, listing its problems (the first dozen)."""
    shown = [p.rstrip(".") for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > len(shown):
        shown.append(f"… and {len(problems) - len(shown)} more")
    if len(shown) == 1:
        return ImportFormatError(f"{source}: {shown[0]}. Nothing was imported.")
    listed = "\n".join(f"  {p}" for p in shown)
    return ImportFormatError(
        f"{source}: {len(problems)} problems; nothing was imported. Fix them and import again:\n"
        f"{listed}"
    )
