"""A plan's saved channel mapping: which plan item each channel, group or category of a
community tool's per-community export goes to, so next month's file goes in with one click.

A plan write through `PlanWrite` (role, archived rule, version, activity log); the table is
`store.channel_mappings`, the matching of names `services.community.channel_key`.
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.domain.planning import InvalidInputError, Plan
from planner.services.writes import PlanWrite
from planner.store import Engine

MAX_CHANNEL_MAPPING = 1_000
"""The most channel, group or category names one plan's saved mapping holds."""
MAX_CHANNEL_NAME_CHARS = 300
"""The longest channel, group or category name saved."""


def save_channel_mapping(
    engine: Engine,
    plan_id: str,
    mapping: Mapping[str, str],
    *,
    expected_version: int,
    actor: str,
) -> Plan:
    """Save which plan item each channel, group or category of a per-community export goes to
    (`name as written -> item id`), replacing the plan's saved mapping; an empty mapping
    forgets it. Names are compared casefolded without a leading # (two that compare equal are
    refused). A plan write: the version is checked and raised, an archived plan refuses it, and
    the activity log says what changed. Unchanged, nothing is written."""
    from planner.services.community import channel_key
    from planner.store import ChannelMappingRepository

    if len(mapping) > MAX_CHANNEL_MAPPING:
        raise InvalidInputError(
            f"{len(mapping):,} channel names; a plan's mapping holds at most "
            f"{MAX_CHANNEL_MAPPING:,}. Map the channels you import, not every channel."
        )
    rows: dict[str, tuple[str, str, str]] = {}
    for name, item_id in mapping.items():
        shown = " ".join(str(name).split())
        key = channel_key(shown)
        if not key:
            raise InvalidInputError("A channel name in the mapping is empty; give its name.")
        if len(shown) > MAX_CHANNEL_NAME_CHARS:
            raise InvalidInputError(
                f"The channel name '{shown[:40]}…' is longer than {MAX_CHANNEL_NAME_CHARS:,} "
                "characters."
            )
        if key in rows:
            raise InvalidInputError(
                f"'{rows[key][1]}' and '{shown}' are the same channel (case and a leading # do "
                "not count); keep one."
            )
        rows[key] = (key, shown, item_id)
    with PlanWrite.begin(engine, plan_id, expected_version=expected_version, actor=actor) as w:
        repo = ChannelMappingRepository(w.repo.session)
        titles = {i.id: i.title for i in w.repo.items(plan_id)}
        unknown = sorted({i for _, _, i in rows.values() if i not in titles})
        if unknown:
            raise InvalidInputError(
                f"No item {', '.join(repr(i) for i in unknown)} in plan '{w.plan.name}'; map "
                "channels to the plan's own items."
            )
        new = sorted(rows.values())
        old = repo.channel_mapping(plan_id)
        if old == new:
            return w.plan
        saved = w.claim()
        repo.replace_channel_mapping(plan_id, new)
        described = ", ".join(f"{n} → {titles.get(i, i)}" for _, n, i in new[:5])
        more = f" and {len(new) - 5:,} more" if len(new) > 5 else ""
        summary = f"Saved the channel mapping: {described}{more}"
        w.log(
            "update",
            "channel-mapping",
            plan_id,
            summary if new else "Forgot the channel mapping",
            before={n: i for _, n, i in old},
            after={n: i for _, n, i in new},
        )
    return saved
