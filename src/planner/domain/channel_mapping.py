"""A plan's channel mapping: which plan item each channel, group or category of a community
tool's per-community export goes to. The rules every way in shares: the Progress page and the
CLI saving one (`services.channel_mappings`), a plan bundle carrying one (`exchange.bundle`),
a copy of the plan taking it along. Stdlib and the domain only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MAX_CHANNEL_MAPPING = 1_000
"""The most channel, group or category names one plan's saved mapping holds."""
MAX_CHANNEL_NAME_CHARS = 300
"""The longest channel, group or category name saved."""


def channel_key(name: str) -> str:
    """A name as compared: casefolded, without a leading #, outer spaces dropped."""
    return name.strip().lstrip("#").strip().casefold()


def mapping_rows(
    entries: Iterable[tuple[str, str]],
    item_ids: Iterable[str] | None,
    problem: Callable[[int, str], None],
) -> list[tuple[str, str, str]]:
    """The mapping's rows to store, (channel key, name as written, item id) in key order, from
    (name, item id) pairs; each broken rule is told to `problem` with the pair's place.

    A name's inner spaces are folded to one; an empty name, one over MAX_CHANNEL_NAME_CHARS,
    two names that compare equal, an item that is not one of `item_ids` (when given), or more
    than MAX_CHANNEL_MAPPING names (place -1) are refused."""
    items = None if item_ids is None else set(item_ids)
    pairs = list(entries)
    if len(pairs) > MAX_CHANNEL_MAPPING:
        problem(
            -1,
            f"{len(pairs):,} channel names; a plan's mapping holds at most "
            f"{MAX_CHANNEL_MAPPING:,}. Map the channels you import, not every channel",
        )
        return []
    rows: dict[str, tuple[str, str, str]] = {}
    for n, (name, item_id) in enumerate(pairs):
        shown = " ".join(str(name).split())
        key = channel_key(shown)
        if not key:
            problem(n, "a channel name is empty; give its name")
            continue
        if len(shown) > MAX_CHANNEL_NAME_CHARS:
            problem(
                n,
                f"the channel name '{shown[:40]}…' is longer than {MAX_CHANNEL_NAME_CHARS:,} "
                "characters",
            )
            continue
        if key in rows:
            problem(
                n,
                f"'{rows[key][1]}' and '{shown}' are the same channel (case and a leading # do "
                "not count); keep one",
            )
            continue
        if items is not None and item_id not in items:
            problem(n, f"no item '{item_id}' in the plan; map channels to the plan's own items")
            continue
        rows[key] = (key, shown, item_id)
    return sorted(rows.values())
