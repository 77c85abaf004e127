"""Channel mappings of a community import: which channel, group or category's figures go to
which plan item.

A mapping is read from a YAML file (`name: item id`, checked against the plan's items), saved
with the plan (`store.channel_mappings`) and merged with what the user picks in an import.
Names match casefolded, without a leading #. May import domain, errors and store (through its
repositories); no SQL here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.domain.channel_mapping import channel_key
from planner.domain.planning import PlanItem
from planner.errors import PlannerError
from planner.exchange.community import CommunityExport
from planner.store import Engine, uow

ChannelMapping = Mapping[str, str]
"""Channel, group or category name (casefolded, without a leading #) -> item id."""

MAX_MAPPING_BYTES = 1_000_000
"""The largest channel mapping file read."""


def load_channel_mapping(data: bytes, items: Sequence[PlanItem], *, name: str) -> dict[str, str]:
    """A YAML mapping of channel, group or category names to item ids (or tactic ids when the
    plan has one item for the tactic), checked against the plan's items."""
    import yaml

    if len(data) > MAX_MAPPING_BYTES:
        raise PlannerError(f"{name}: larger than {MAX_MAPPING_BYTES:,} bytes; not a mapping.")
    try:
        loaded = yaml.load(data.decode("utf-8-sig"), Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PlannerError(f"{name}: not a YAML mapping ({exc}).") from None
    if not isinstance(loaded, dict) or not loaded:
        raise PlannerError(
            f"{name}: give one line per channel, group or category: `name: item id`."
        )
    by_id = {i.id: i for i in items}
    by_tactic: dict[str, list[PlanItem]] = {}
    for item in items:
        if item.tactic_id:
            by_tactic.setdefault(item.tactic_id, []).append(item)
    mapping: dict[str, str] = {}
    problems = []
    for key, value in loaded.items():
        ref = str(value).strip() if value is not None else ""
        found = by_id.get(ref) or (by_tactic[ref][0] if len(by_tactic.get(ref, [])) == 1 else None)
        if found is None:
            problems.append(f"'{key}': no item or single tactic '{ref}' in this plan")
            continue
        mapping[channel_key(str(key))] = found.id
    if problems:
        raise PlannerError(f"{name}: " + "; ".join(problems) + ". Nothing was imported.")
    return mapping


@dataclass(frozen=True)
class SavedMapping:
    """A plan's saved channel mapping: (name as written, item id) per channel, group or
    category, in name order."""

    entries: tuple[tuple[str, str], ...]

    @property
    def mapping(self) -> dict[str, str]:
        """As `plan_readings` takes it: channel key -> item id."""
        return {channel_key(name): item_id for name, item_id in self.entries}

    def __bool__(self) -> bool:
        return bool(self.entries)


def saved_channel_mapping(engine: Engine, plan_id: str) -> SavedMapping:
    """The channel mapping saved with the plan (empty when none is)."""
    from planner.store import ChannelMappingRepository

    with uow(engine, write=False) as session:
        repo = ChannelMappingRepository(session)
        repo.plan(plan_id)
        rows = repo.channel_mapping(plan_id)
    return SavedMapping(tuple((name, item_id) for _, name, item_id in rows))


def mapping_to_save(
    saved: SavedMapping,
    exports: Sequence[CommunityExport],
    *,
    mapping: ChannelMapping | None,
    channel: str | None,
    item_id: str | None,
) -> dict[str, str] | None:
    """What the user chose for this import as a mapping to save with the plan (name as the
    file writes it -> item id), merged into the saved one; None when it adds nothing: a
    mapping file given, or one channel picked for an item, of a per-community file."""
    names = {
        channel_key(c.name): c.name for e in exports for c in e.communities if c.name is not None
    }
    if not names:
        return None  # no per-community file: no channel to map
    chosen: dict[str, str] = {}
    if mapping is not None:
        chosen = {names.get(key, key): item for key, item in mapping.items()}
    elif channel is not None and item_id is not None:
        key = channel_key(channel)
        chosen = {names.get(key, channel.strip()): item_id}
    if not chosen:
        return None
    merged = {channel_key(n): (n, i) for n, i in saved.entries}
    merged.update({channel_key(n): (n, i) for n, i in chosen.items()})
    result = dict(merged.values())
    return None if result == dict(saved.entries) else result
