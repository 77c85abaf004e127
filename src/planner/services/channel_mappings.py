"""A plan's saved channel mapping: which plan item each channel, group or category of a
community tool's per-community export goes to, so next month's file goes in with one click.

A plan write through `PlanWrite` (role, archived rule, version, activity log); the table is
`store.channel_mappings`, the rules of a mapping `domain.channel_mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.domain.channel_mapping import MAX_CHANNEL_MAPPING, MAX_CHANNEL_NAME_CHARS, mapping_rows
from planner.domain.planning import InvalidInputError, Plan
from planner.services.writes import PlanWrite
from planner.store import Engine

__all__ = ["MAX_CHANNEL_MAPPING", "MAX_CHANNEL_NAME_CHARS", "save_channel_mapping"]


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
    from planner.store import ChannelMappingRepository

    problems: list[str] = []
    new = mapping_rows(mapping.items(), None, lambda _, message: problems.append(message))
    if problems:
        raise InvalidInputError(problems[0][0].upper() + problems[0][1:] + ".")
    with PlanWrite.begin(engine, plan_id, expected_version=expected_version, actor=actor) as w:
        repo = ChannelMappingRepository(w.repo.session)
        titles = {i.id: i.title for i in w.repo.items(plan_id)}
        unknown = sorted({i for _, _, i in new if i not in titles})
        if unknown:
            raise InvalidInputError(
                f"No item {', '.join(repr(i) for i in unknown)} in plan '{w.plan.name}'; map "
                "channels to the plan's own items."
            )
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
