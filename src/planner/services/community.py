"""Community tools' analytics exports as readings of a plan item: preview, then import.

`planner.exchange.community` reads the files (pure); here the figures meet the plan:

- each figure goes to the chosen item (the plan's only community item when none is chosen) as
  a reading of the metric with that id (`readings.metric_for`: the item's own, or a reserved
  community-health metric of a community item), filed under the period of the metric's cadence
  that holds the window's last day, dated that day, with the tool as its source (teams, engage,
  slack, discours) and the tool, window and file in its note;
- a per-community file (Slack channel analytics, Viva Engage groups) gives the figures of the
  channel or group chosen (`channel`), or of its only one; or, with a channel mapping (YAML,
  `name: item id`), each mapped channel's figures go to its own item;
- importing the same file again changes nothing; a reading already there for the period with
  another value is replaced only with `replace` (ReadingsExistError lists them otherwise); all
  the files go in one transaction, so nothing is half-imported;
- opted-out people are left out of per-person files before counting (their e-mail or principal
  name is hashed with the installation's pseudonym key and compared with the opt-out list; the
  key is only needed when someone has opted out). Nothing identifying is stored or logged.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import replace as with_changes
from pathlib import Path
from typing import IO, Literal

from planner.domain.access import Permission, require
from planner.domain.health import HEALTH_METRICS
from planner.domain.periods import period_of
from planner.domain.planning import InvalidInputError, PlanItem
from planner.domain.privacy import counts_distinct_people, opt_out_matcher
from planner.domain.readings import ReadingInput, RecordedReadings, metric_for
from planner.errors import PlannerError
from planner.exchange.community import SOURCE_LABELS as SOURCE_LABELS
from planner.exchange.community import (
    Community,
    CommunityExport,
    OptOut,
    Window,
    read_export,
)
from planner.exchange.community.formats import AGGREGATE_FORMATS as AGGREGATE_FORMATS
from planner.exchange.community.reader import normalise
from planner.services.adoption import opened_files
from planner.services.community_mapping import MAX_MAPPING_BYTES as MAX_MAPPING_BYTES
from planner.services.community_mapping import (
    ChannelMapping,
    channel_key,
)
from planner.services.community_mapping import SavedMapping as SavedMapping
from planner.services.community_mapping import load_channel_mapping as load_channel_mapping
from planner.services.community_mapping import mapping_to_save as mapping_to_save
from planner.services.community_mapping import saved_channel_mapping as saved_channel_mapping
from planner.services.privacy import opt_out_hashes, pseudonym_key
from planner.services.readings import record_readings
from planner.store import Engine, Repository, uow

Files = Sequence[tuple[str, bytes | IO[bytes]]]
"""(file name as the tool gave it, its bytes or an open binary file)."""


@dataclass(frozen=True)
class PlannedReading:
    """One figure of one file, and where it goes."""

    file: str
    tool: str
    item_id: str
    item_title: str
    metric_id: str
    metric_name: str
    period: str
    date: dt.date
    value: float
    distinct_people: bool
    existing: float | None
    existing_source: str | None

    @property
    def status(self) -> Literal["new", "unchanged", "replaces"]:
        if self.existing is None:
            return "new"
        return "unchanged" if self.existing == self.value else "replaces"


@dataclass(frozen=True)
class CommunityPreview:
    """What an import would write, before anything is written."""

    exports: tuple[CommunityExport, ...]
    readings: tuple[PlannedReading, ...]
    skipped: tuple[str, ...]
    """Figures the item takes no reading for, and files without any figure."""

    @property
    def replaces(self) -> list[PlannedReading]:
        return [r for r in self.readings if r.status == "replaces"]


@dataclass(frozen=True)
class CommunityImport:
    preview: CommunityPreview
    recorded: RecordedReadings

    def describe(self) -> str:
        r = self.recorded
        files = len(self.preview.exports)
        return (
            f"{files:,} file{'s' if files != 1 else ''}: {r.created:,} reading(s) created, "
            f"{r.replaced:,} replaced, {r.unchanged:,} unchanged."
        )


def opt_out_check(engine: Engine) -> OptOut | None:
    """Whether an identifier is on the opt-out list (None when nobody opted out, so no key is
    needed then)."""
    hashes = opt_out_hashes(engine)
    if not hashes:
        return None
    return opt_out_matcher(bytes(pseudonym_key(engine)), hashes)


def read_files(
    files: Files,
    *,
    window: Window | None = None,
    opted_out: OptOut | None = None,
    on_file: Callable[[str], None] | None = None,
    on_progress: Callable[[str, int], None] | None = None,
) -> list[CommunityExport]:
    """Every file read and checked (the first problem raises, naming file, row and column).
    An open file that can seek is read from its start, so a preview and then an import can
    read the same uploads."""
    exports = []
    for name, data in files:
        if on_file is not None:
            on_file(name)
        if not isinstance(data, bytes | bytearray) and data.seekable():
            data.seek(0)
        file = Path(name).name
        progress = None if on_progress is None else functools.partial(on_progress, file)
        exports.append(
            read_export(file, data, window=window, opted_out=opted_out, on_progress=progress)
        )
    return exports


def community_items(items: Sequence[PlanItem]) -> list[PlanItem]:
    """The items that take community-health readings (not dropped)."""
    return [i for i in items if i.status != "dropped" and metric_for(i, "members") is not None]


def _target(items: Sequence[PlanItem], item_id: str | None) -> PlanItem:
    if item_id is not None:
        for item in items:
            if item.id == item_id:
                return item
        raise InvalidInputError(f"No item '{item_id}' in this plan; use one of its item ids.")
    candidates = community_items(items)
    if len(candidates) == 1:
        return candidates[0]
    listed = ", ".join(f"{i.id} ({i.title})" for i in candidates[:10]) or "none"
    raise InvalidInputError(
        f"Choose the item the figures go to (--item ITEM): the plan has "
        f"{len(candidates)} community items: {listed}."
    )


def plan_readings(
    exports: Sequence[CommunityExport],
    items: Sequence[PlanItem],
    *,
    item_id: str | None = None,
    channel: str | None = None,
    mapping: ChannelMapping | None = None,
) -> tuple[list[PlannedReading], list[str]]:
    """Where each figure goes (without what is stored yet): readings and what was skipped.

    A per-community file with `mapping` sends each mapped channel's figures to its item (the
    others are skipped, and said); otherwise a file's figures (of `channel`, or its only
    community) go to `item_id`, or to the plan's only community item."""
    by_id = {i.id: i for i in items}
    planned: list[PlannedReading] = []
    skipped: list[str] = []
    first: dict[tuple[str, str, str], str] = {}
    for export in exports:
        named = any(c.name is not None for c in export.communities)
        if mapping is not None and named and channel is None:
            targets = []
            for community in export.communities:
                mapped = mapping.get(channel_key(community.name or ""))
                if mapped is None:
                    skipped.append(f"{export.file}: '{community.name}' is not in the mapping")
                else:
                    targets.append((community, by_id[mapped]))
        else:
            targets = [(export.community(channel), _target(items, item_id))]
        for community, item in targets:
            if not community.figures:
                skipped.append(f"{export.file}: " + (" ".join(export.notes) or "no figures"))
                continue
            planned.extend(_figures(export, community, item, skipped, first))
    return planned, skipped


def _figures(
    export: CommunityExport,
    community: Community,
    item: PlanItem,
    skipped: list[str],
    first: dict[tuple[str, str, str], str],
) -> list[PlannedReading]:
    planned = []
    for metric_id, value in community.figures.items():
        metric = metric_for(item, metric_id)
        if metric is None:
            name = HEALTH_METRICS[metric_id].name if metric_id in HEALTH_METRICS else metric_id
            skipped.append(
                f"{export.file}: '{item.title}' takes no {name.lower()} readings (not a "
                "community item, and no metric with that id)"
            )
            continue
        period = period_of(export.window.end, metric.cadence).key
        key = (item.id, metric.id, period)
        if key in first:
            raise PlannerError(
                f"{first[key]} and {export.file} both give {metric.name.lower()} of "
                f"'{item.title}' for {period}; a period holds one reading: import them one at "
                "a time, to different items, or with --channel"
            )
        first[key] = export.file
        planned.append(
            PlannedReading(
                file=export.file,
                tool=export.tool,
                item_id=item.id,
                item_title=item.title,
                metric_id=metric.id,
                metric_name=metric.name,
                period=period,
                date=export.window.end,
                value=value,
                distinct_people=counts_distinct_people(metric),
                existing=None,
                existing_source=None,
            )
        )
    return planned


def preview_community_import(
    engine: Engine,
    plan_id: str,
    files: Files,
    *,
    item_id: str | None = None,
    channel: str | None = None,
    window: Window | None = None,
    mapping: ChannelMapping | None = None,
    on_file: Callable[[str], None] | None = None,
    on_progress: Callable[[str, int], None] | None = None,
) -> CommunityPreview:
    """Read the files and say what an import would write (nothing is written)."""
    with uow(engine, write=False) as session:
        repo = Repository(session)
        repo.plan(plan_id)
        items = repo.items(plan_id)
    exports = read_files(
        files,
        window=window,
        opted_out=opt_out_check(engine),
        on_file=on_file,
        on_progress=on_progress,
    )
    planned, skipped = plan_readings(
        exports, items, item_id=item_id, channel=channel, mapping=mapping
    )
    with uow(engine, write=False) as session:
        stored = Repository(session).readings_for(
            [(r.item_id, r.metric_id, r.period) for r in planned]
        )
    readings = []
    for r in planned:
        old = stored.get((r.item_id, r.metric_id, r.period))
        if old is not None:
            r = with_changes(r, existing=old.value, existing_source=old.source)
        readings.append(r)
    return CommunityPreview(tuple(exports), tuple(readings), tuple(skipped))


def import_community_files(
    engine: Engine,
    plan_id: str,
    files: Files,
    *,
    actor: str,
    item_id: str | None = None,
    channel: str | None = None,
    window: Window | None = None,
    mapping: ChannelMapping | None = None,
    replace: bool = False,
    on_file: Callable[[str], None] | None = None,
    on_progress: Callable[[str, int], None] | None = None,
) -> CommunityImport:
    """Import the files' figures as readings, all or nothing (see the module docstring)."""
    require(actor, Permission.READINGS_EDIT, f"import community figures into plan {plan_id}")
    preview = preview_community_import(
        engine,
        plan_id,
        files,
        item_id=item_id,
        channel=channel,
        window=window,
        mapping=mapping,
        on_file=on_file,
        on_progress=on_progress,
    )
    if not preview.readings:
        raise PlannerError(
            "Nothing to import: " + ("; ".join(preview.skipped) or "the files give no figures")
        )
    by_file = {e.file: e for e in preview.exports}
    rows = [
        ReadingInput(
            r.item_id,
            r.metric_id,
            r.date,
            r.value,
            f"{by_file[r.file].label}, {by_file[r.file].window.describe()} ({r.file})",
        )
        for r in preview.readings
    ]
    recorded = record_readings(
        engine,
        plan_id,
        rows,
        actor=actor,
        replace=replace,
        source=[by_file[r.file].source for r in preview.readings],
        source_name=", ".join(e.file for e in preview.exports),
    )
    return CommunityImport(preview, recorded)


def import_community_paths(
    engine: Engine, plan_id: str, paths: Sequence[Path], **options: object
) -> CommunityImport:
    """`import_community_files` over files on disk, each streamed and closed afterwards."""
    with opened_files(paths) as files:
        return import_community_files(engine, plan_id, files, **options)  # type: ignore[arg-type]


# --- telling files apart (the CLI's --format auto) --------------------------------------------

FileKind = Literal["xapi", "csv", "community"]
_READINGS_COLUMNS = {"item", "metric", "date", "value"}


def file_kind(head: bytes) -> FileKind:
    """What a file is from its first bytes: xAPI (JSON: an array, an object or JSON lines), a
    readings CSV (its header has item, metric, date and value), or a tool's export."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"[", b"{"):
        return "xapi"
    first = text.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    columns = {normalise(c.strip().strip('"')).replace(" ", "_") for c in first.split(",")}
    return "csv" if columns >= _READINGS_COLUMNS else "community"
